//! One check per symptom. Each reads the curves and returns a finding with a confidence in
//! 0..1 (or nothing when it has too little to go on). Thresholds are calibrated on the lesson
//! presets and on healthy runs (see `tests/diagnosis.rs`).

use super::signals::{autocorrelation, mean, median, ramp, residual_rms, roughness, smooth, window};
use super::{Context, Finding, Symptom};
use crate::train::{EvalPoint, History, Status};

/// Steps a run needs before its training curve is judged at all.
const MIN_STEPS: usize = 100;

pub fn run(h: &History, ctx: &Context) -> Vec<Finding> {
    let curve = Curve::new(h);
    let mut out = Vec::new();
    out.extend(diverged(h, ctx));
    if curve.steps.len() >= MIN_STEPS {
        out.extend(loss_rising(&curve, ctx));
        out.extend(stuck_at_chance(h, ctx));
        out.extend(init_plateau(&curve));
        let slow = lr_too_low(&curve, h, ctx);
        let slow_found = slow.as_ref().is_some_and(|f| f.confidence >= super::KEEP);
        out.extend(slow);
        if !slow_found {
            out.extend(underfitting(&curve, h, ctx));
        }
        out.extend(noisy_train(&curve, ctx));
        out.extend(periodic_train(&curve, ctx));
    }
    out.extend(loss_floor(h, ctx));
    out.extend(overfitting(&h.evals));
    out.extend(noisy_val(&h.evals, ctx));
    out.extend(val_mismatch(&h.evals));
    out.extend(gradients(h));
    out
}

/// The training-batch loss curve, with a smoothed copy for trends.
struct Curve {
    steps: Vec<u64>,
    raw: Vec<f32>,
    smooth: Vec<f32>,
}

impl Curve {
    fn new(h: &History) -> Curve {
        let steps: Vec<u64> = h.train_loss.iter().map(|p| p.0).collect();
        let raw: Vec<f32> = h.train_loss.iter().map(|p| p.1).collect();
        let half = (raw.len() / 40).clamp(2, 100);
        let smooth = smooth(&raw, half);
        Curve { steps, raw, smooth }
    }
    fn first(&self) -> u64 {
        self.steps.first().copied().unwrap_or(0)
    }
    fn last(&self) -> u64 {
        self.steps.last().copied().unwrap_or(0)
    }
    fn step_at(&self, i: usize) -> u64 {
        self.steps[i.min(self.steps.len() - 1)]
    }
    /// Mean of the raw loss over the first few steps: where training started.
    fn start(&self) -> f32 {
        mean(&self.raw[..self.raw.len().min(10)])
    }
}

fn diverged(h: &History, ctx: &Context) -> Option<Finding> {
    let Status::Diverged { step } = ctx.status else {
        return None;
    };
    // Where the blow-up began: the lowest point of the loss before it.
    let from = h
        .train_loss
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(step, |p| p.0);
    Some(Finding::new(Symptom::Diverged, 1.0, from, step))
}

/// The training loss has given back a good part of the progress it made.
fn loss_rising(c: &Curve, ctx: &Context) -> Option<Finding> {
    let (imin, &min) = c.smooth.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1))?;
    let start = c.smooth[0].max(c.start());
    // The median of the last steps: with small batches one unlucky batch lifts a short
    // window's mean far above the trend, and a bump of a few dozen steps that the curve
    // recovers from is noise, not a rise. A real rise lifts every batch and lasts.
    let tail = (c.raw.len() / 10).max(50).min(c.raw.len());
    let last = median(&c.raw[c.raw.len() - tail..]);
    if !last.is_finite() || imin + c.raw.len() / 20 >= c.raw.len() {
        return None;
    }
    let progress = (start - min).max(1e-6);
    let lost = (last - min) / progress;
    // The rise must be visible too: on a curve that stayed flat (at chance, say) the
    // "progress" is a wiggle and any other wiggle would count as giving it all back.
    let visible = ramp((last - min) / start.max(1e-6), 0.02, 0.05);
    // And it must stand out from the batch-to-batch noise: the smoothed minimum of a noisy
    // plateau dips below the plateau by chance, so a flat curve seems to climb back from it.
    let n = c.raw.len();
    let trend = smooth(&c.raw, 10);
    let noise = residual_rms(&c.raw[n - tail..], &trend[n - tail..]);
    let half = (n / 40).clamp(2, 100);
    let sigma = (noise / ((2 * half + 1) as f32).sqrt()).max(1e-6);
    let significant = ramp((last - min) / sigma, 3.0, 6.0);
    let mut conf = ramp(lost, 0.2, 0.5) * visible * significant;
    // A rise far above where training started is unmistakable.
    if last > start * 1.5 {
        conf = conf.max(ramp(last / start, 1.5, 3.0));
    }
    if matches!(ctx.status, Status::Diverged { .. }) {
        conf = conf.min(0.5);
    }
    Some(Finding::new(Symptom::LossRising, conf, c.step_at(imin), c.last()))
}

/// Train accuracy no better than always guessing the most frequent class.
fn stuck_at_chance(h: &History, ctx: &Context) -> Option<Finding> {
    if ctx.regression || h.evals.len() < 5 {
        return None;
    }
    let chance = ctx.chance_accuracy();
    let margin = 0.15 * (1.0 - chance).max(0.05);
    let acc = |e: &EvalPoint| e.train_acc.unwrap_or(0.0);
    let recent = &h.evals[h.evals.len() * 2 / 3..];
    let level = mean(&recent.iter().map(acc).collect::<Vec<_>>());
    // Where it last did better than chance, judged on a few evaluations together: a single
    // lucky evaluation of a model that wanders around chance does not restart the count.
    let accs = smooth(&h.evals.iter().map(acc).collect::<Vec<_>>(), 2);
    let from = accs
        .iter()
        .rposition(|&a| a > chance + margin)
        .map_or(h.evals[0].step, |i| h.evals[(i + 1).min(h.evals.len() - 1)].step);
    let stuck_steps = h.evals.last()?.step.saturating_sub(from);
    // A loss that is still falling is learning, however slowly (that is `lr_too_low`).
    let losses: Vec<f32> = recent.iter().map(|e| e.train_loss).collect();
    // Thirds, not single points: a loss that wanders up and down without a trend is not
    // falling, however its first and last evaluations happen to land.
    // Only a fall below the chance-level loss is learning: a loss that comes back down from
    // a blow-up above it is still no better than guessing.
    let k = (losses.len() / 3).max(1);
    let early = mean(&losses[..k]).min(ctx.chance_loss().max(1e-6));
    let late = mean(&losses[losses.len() - k..]);
    let falling = (early - late) / early.max(1e-6);
    let conf = ramp(level, chance + margin, chance + margin * 0.3)
        * ramp(stuck_steps as f32, 100.0, 300.0)
        * ramp(falling, 0.15, 0.05);
    Some(Finding::new(
        Symptom::StuckAtChance,
        conf,
        from,
        h.evals.last()?.step,
    ))
}

/// A flat start, then a real drop: the signature of weights initialised too small.
fn init_plateau(c: &Curve) -> Option<Finding> {
    let start = c.start();
    let n = c.smooth.len();
    let left = c.smooth.iter().position(|&v| v < start * 0.9)?;
    let end = window(&c.raw, 0.9, 1.0);
    // How far it fell after the plateau, and how long the plateau lasted.
    let drop = ramp(end / start, 0.7, 0.4);
    let long = ramp(left as f32, 120.0, 300.0) * ramp(left as f32 / n as f32, 0.05, 0.12);
    // A plateau is flat: its loss stayed near where it started the whole time.
    let flat = c.smooth[..left].iter().all(|&v| v <= start * 1.1);
    let conf = if flat { drop * long } else { 0.0 };
    Some(Finding::new(
        Symptom::InitPlateau,
        conf,
        c.first(),
        c.step_at(left),
    ))
}

/// An almost straight, slow decrease: every step helps a little, none much.
fn lr_too_low(c: &Curve, h: &History, ctx: &Context) -> Option<Finding> {
    if c.raw.len() < 300 {
        return None;
    }
    let a = window(&c.smooth, 0.0, 0.1);
    let m = window(&c.smooth, 0.45, 0.55);
    let b = window(&c.smooth, 0.9, 1.0);
    let (d1, d2) = (a - m, m - b);
    if d1 <= 0.02 * a || d2 <= 0.0 {
        return None;
    }
    let linear = ramp(d2 / d1, 0.45, 0.7) * ramp(d2 / d1, 2.5, 1.6);
    let slow = ramp((a - b) / a, 0.6, 0.4);
    let unfinished = match recent_train_acc(h) {
        Some(acc) if !ctx.regression => ramp(acc, 0.97, 0.9),
        _ => 1.0,
    };
    Some(Finding::new(
        Symptom::LrTooLow,
        linear * slow * unfinished,
        c.first(),
        c.last(),
    ))
}

fn recent_train_acc(h: &History) -> Option<f32> {
    let recent = &h.evals[h.evals.len().saturating_sub(5)..];
    let accs: Vec<f32> = recent.iter().filter_map(|e| e.train_acc).collect();
    (!accs.is_empty()).then(|| mean(&accs))
}

/// The model does not fit even its training data: stuck at a high loss, or stopped while
/// still clearly improving.
fn underfitting(c: &Curve, h: &History, ctx: &Context) -> Option<Finding> {
    let start = c.start();
    let early = window(&c.smooth, 0.6, 0.7);
    let late = window(&c.smooth, 0.9, 1.0);
    let falling = (early - late) / early.max(1e-6);
    // Still falling by a good share of the progress made so far (near zero loss, any
    // relative change looks big: measure against the progress instead).
    let still = (early - late) / (start - late).max(1e-6);
    let finished = matches!(ctx.status, Status::Finished { .. });
    let unconverged = if finished { ramp(still, 0.08, 0.2) } else { 0.0 };
    let poor = match recent_train_acc(h) {
        Some(acc) if !ctx.regression => {
            let chance = ctx.chance_accuracy();
            ramp(acc, 0.88, 0.8) * ramp(acc, chance + 0.05, chance + 0.15)
        }
        _ => ramp(late / start, 0.2, 0.4),
    };
    // A change the batch-to-batch noise could produce is no change: with small batches the
    // two windows' means wobble by more than the thresholds above on a flat curve.
    let n = c.raw.len();
    let trend = smooth(&c.raw, 10);
    let noise = residual_rms(&c.raw[n / 2..], &trend[n / 2..]);
    let se = noise / ((n / 10).max(1) as f32).sqrt();
    let significant = ramp((early - late).abs() / se.max(1e-6), 2.0, 4.0);
    let flat = ramp(falling.abs(), 0.06, 0.02).max(1.0 - significant);
    let plateaued = poor * flat * ramp(c.raw.len() as f32, 400.0, 800.0);
    let conf = unconverged.max(plateaued);
    Some(Finding::new(
        Symptom::Underfitting,
        conf,
        c.step_at(c.raw.len() * 6 / 10),
        c.last(),
    ))
}

/// Step-to-step noise of the training loss, measured against the progress training made.
fn noisy_train(c: &Curve, ctx: &Context) -> Option<Finding> {
    let n = c.raw.len();
    let from = n / 2;
    let trend = smooth(&c.raw, 10);
    let noise = residual_rms(&c.raw[from..], &trend[from..]);
    // Against the loss of a model that knows nothing: near convergence a batch loss is
    // tiny, so noise relative to it would flag every healthy run.
    let scale = if ctx.regression {
        c.start()
    } else {
        ctx.chance_loss()
    }
    .max(1e-6);
    let conf = ramp(noise / scale, 0.15, 0.3);
    Some(Finding::new(Symptom::NoisyTrain, conf, c.step_at(from), c.last()))
}

/// The training loss repeats itself every epoch: batches come in the same order each time.
fn periodic_train(c: &Curve, ctx: &Context) -> Option<Finding> {
    let p = ctx.steps_per_epoch;
    if p < 4 || c.raw.len() < 4 * p {
        return None;
    }
    let from = c.raw.len().saturating_sub(8 * p);
    let tail = &c.raw[from..];
    let trend = smooth(tail, p / 2);
    let detrended: Vec<f32> = tail.iter().zip(&trend).map(|(a, b)| a - b).collect();
    let inner = &detrended[p / 2..detrended.len() - p / 2];
    let ac = autocorrelation(inner, p);
    Some(Finding::new(
        Symptom::PeriodicTrain,
        ramp(ac, 0.3, 0.6),
        c.step_at(from),
        c.last(),
    ))
}

/// Accuracy is near perfect but the loss flattened far above zero: the loss itself is capped
/// (softmax applied twice squashes every probability toward uniform).
fn loss_floor(h: &History, ctx: &Context) -> Option<Finding> {
    if ctx.regression || h.evals.len() < 10 {
        return None;
    }
    let recent = &h.evals[h.evals.len() * 2 / 3..];
    let acc = mean(
        &recent
            .iter()
            .map(|e| e.train_acc.unwrap_or(0.0))
            .collect::<Vec<_>>(),
    );
    let losses: Vec<f32> = recent.iter().map(|e| e.train_loss).collect();
    let level = mean(&losses);
    let flat = (losses[0] - losses[losses.len() - 1]).abs() / level.max(1e-6);
    let floor = level / ctx.chance_loss().max(1e-6);
    // High accuracy must be earned: on imbalanced data, always guessing the big class scores
    // 90 % or more at the chance-level loss (that is `stuck_at_chance`, not a capped loss).
    let chance = ctx.chance_accuracy();
    let earned = ramp((acc - chance) / (1.0 - chance).max(1e-6), 0.5, 0.8);
    let conf = ramp(acc, 0.85, 0.95) * earned * ramp(floor, 0.2, 0.35) * ramp(flat, 0.1, 0.03);
    Some(Finding::new(
        Symptom::LossFloor,
        conf,
        recent[0].step,
        recent[recent.len() - 1].step,
    ))
}

/// Validation loss turned up while the training loss kept falling.
fn overfitting(evals: &[EvalPoint]) -> Option<Finding> {
    if evals.len() < 8 {
        return None;
    }
    let raw_val: Vec<f32> = evals.iter().map(|e| e.val_loss).collect();
    let val = smooth(&raw_val, 2);
    let train = smooth(&evals.iter().map(|e| e.train_loss).collect::<Vec<_>>(), 2);
    let (imin, &vmin) = val.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1))?;
    let last = val.len() - 1;
    if imin + 3 > last {
        return None;
    }
    let rise = (val[last] - vmin) / vmin.max(1e-3);
    let gap_then = val[imin] - train[imin];
    let gap_now = val[last] - train[last];
    let train_kept_falling = train[last] <= train[imin] * 1.05;
    // The rise must stand out from the validation curve's own zig-zag (a tiny validation set
    // jumps by more than any trend, and its smoothed minimum is then just a lucky dip).
    let from = evals.len() / 3;
    let jitter = residual_rms(&raw_val[from..], &val[from..]) / 5f32.sqrt();
    let significant = ramp((val[last] - vmin) / jitter.max(1e-6), 3.0, 6.0);
    let conf = if train_kept_falling && gap_now > gap_then {
        ramp(rise, 0.08, 0.25) * ramp(val[last] - vmin, 0.01, 0.03) * significant
    } else {
        0.0
    };
    Some(Finding::new(
        Symptom::Overfitting,
        conf,
        evals[imin].step,
        evals[last].step,
    ))
}

/// The validation curve zig-zags far more than the training curve measured at the same steps.
fn noisy_val(evals: &[EvalPoint], ctx: &Context) -> Option<Finding> {
    if evals.len() < 8 {
        return None;
    }
    let from = evals.len() / 3;
    let tail = &evals[from..];
    let val: Vec<f32> = tail.iter().map(|e| e.val_loss).collect();
    let train: Vec<f32> = tail.iter().map(|e| e.train_loss).collect();
    let rv = roughness(&val);
    let rt = roughness(&train).max(1e-4);
    let level = median(&val).max(1e-3);
    // Jumps must also matter on the scale of a model that knows nothing: near zero loss a
    // single borderline example makes a tiny curve look rough.
    let scale = if ctx.regression {
        median(&train).max(1e-3)
    } else {
        ctx.chance_loss().max(1e-3)
    };
    let conf = ramp(rv / rt, 2.5, 5.0) * ramp(rv / level, 0.05, 0.12) * ramp(rv / scale, 0.01, 0.03);
    Some(Finding::new(
        Symptom::NoisyVal,
        conf,
        tail[0].step,
        evals[evals.len() - 1].step,
    ))
}

/// Validation is much worse than training from the very first evaluations: the two are not
/// measured the same way (preprocessing, dropout left on), not over-fitting, which takes time.
fn val_mismatch(evals: &[EvalPoint]) -> Option<Finding> {
    if evals.len() < 5 {
        return None;
    }
    let ratio = |e: &EvalPoint| e.val_loss / e.train_loss.max(1e-3);
    // The first evaluations come before any model could over-fit.
    let early: Vec<f32> = evals[..3].iter().map(ratio).collect();
    let all: Vec<f32> = evals.iter().map(ratio).collect();
    let conf = ramp(median(&early), 1.4, 2.0) * ramp(median(&all), 1.4, 2.0);
    Some(Finding::new(
        Symptom::ValMismatch,
        conf,
        evals[0].step,
        evals[evals.len() - 1].step,
    ))
}

/// Per-layer gradients, relative to each layer's weights: shrinking toward the input
/// (vanishing) or huge (exploding).
fn gradients(h: &History) -> Vec<Finding> {
    let recent = &h.layers[h.layers.len() / 2..];
    if recent.len() < 3 || recent[0].grad_norms.len() < 3 {
        return vec![];
    }
    let rel = |i: usize| -> Vec<f32> {
        recent
            .iter()
            .map(|l| l.grad_norms[i] / l.weight_norms[i].max(1e-6))
            .collect()
    };
    let layers = recent[0].grad_norms.len();
    let first = median(&rel(0));
    let last_hidden = median(&rel(layers - 1));
    let ratio = first / last_hidden.max(1e-12);
    let biggest = (0..layers).map(|i| median(&rel(i))).fold(0.0f32, f32::max);
    let (from, to) = (recent[0].step, recent[recent.len() - 1].step);
    let vanish = ramp(-ratio.max(1e-12).log10(), 1.5, 2.5);
    let explode = ramp(biggest.max(1e-12).log10(), 0.0, 1.0).max(ramp(ratio.max(1e-12).log10(), 2.0, 3.0));
    vec![
        Finding::new(Symptom::VanishingGradients, vanish, from, to),
        Finding::new(Symptom::ExplodingGradients, explode, from, to),
    ]
}
