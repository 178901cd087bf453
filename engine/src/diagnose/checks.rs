//! One check per symptom. Each reads the curves and returns a finding with a confidence in
//! 0..1 (or nothing when it has too little to go on). Thresholds are calibrated on the lesson
//! presets and on healthy runs (see `tests/diagnosis.rs`).

use super::signals::{autocorrelation, mean, median, ramp, residual_rms, roughness, smooth, window};
use super::{Context, Finding, Symptom};
use crate::train::{EvalPoint, History, Probe, Status};

/// Steps a run needs before its training curve is judged at all.
const MIN_STEPS: u64 = 100;

pub fn run(h: &History, ctx: &Context) -> Vec<Finding> {
    let curve = Curve::new(h);
    let mut out = Vec::new();
    out.extend(diverged(&curve, ctx));
    if curve.count >= MIN_STEPS {
        out.extend(loss_rising(&curve, ctx));
        out.extend(stuck_at_chance(h, ctx));
        out.extend(init_plateau(&curve));
        // Both always (the caller keeps one of the rivals, see `super::RIVALS`).
        out.extend(lr_too_low(&curve, h, ctx));
        out.extend(underfitting(&curve, h, ctx));
        out.extend(noisy_train(&curve, ctx));
        out.extend(periodic_train(&curve, ctx));
    }
    out.extend(loss_floor(h, ctx));
    out.extend(overfitting(&h.evals));
    out.extend(noisy_val(&h.evals, ctx));
    out.extend(val_mismatch(h, ctx));
    out.extend(gradients(h));
    out.extend(dead_units(h, ctx));
    out.extend(noise_floor(h, ctx));
    out.extend(small_val(h, ctx));
    out
}

/// How many points of the training curve the checks read: the whole curve while the run is
/// this short, else this many equal step ranges' means. Constant work per check, however long
/// the run.
const SHAPE_POINTS: usize = 4096;

/// The training-batch loss curve as the checks read it: its shape over the whole run (`raw`,
/// with a smoothed copy for trends) and its recent steps at full resolution (`fine`, for the
/// step-to-step noise and the epoch period, which means over many steps would hide). On a short
/// run the two are the same points.
struct Curve {
    steps: Vec<u64>,
    raw: Vec<f32>,
    smooth: Vec<f32>,
    fine_steps: Vec<u64>,
    fine: Vec<f32>,
    /// Steps trained (`raw` may hold fewer points).
    count: u64,
}

impl Curve {
    fn new(h: &History) -> Curve {
        let s = &h.train_loss;
        let (fine_steps, fine): (Vec<u64>, Vec<f32>) = s.recent().map(|p| (p.step, p.value)).unzip();
        let (steps, raw) = if s.is_exact() {
            (fine_steps.clone(), fine.clone())
        } else {
            s.envelope(SHAPE_POINTS)
                .iter()
                .map(|p| (p.last_step, p.mean))
                .unzip()
        };
        let half = (raw.len() / 40).clamp(2, 100);
        let smooth = smooth(&raw, half);
        Curve {
            steps,
            raw,
            smooth,
            fine_steps,
            fine,
            count: s.len(),
        }
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

fn diverged(c: &Curve, ctx: &Context) -> Option<Finding> {
    let Status::Diverged { step } = ctx.status else {
        return None;
    };
    // Where the blow-up began: the lowest point of the loss before it.
    let from = c
        .steps
        .iter()
        .zip(&c.raw)
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map_or(step, |p| *p.0);
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
    let steps = (c.step_at(left) - c.first()) as f32;
    let long = ramp(steps, 120.0, 300.0) * ramp(left as f32 / n as f32, 0.05, 0.12);
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
    // Or the loss stays far above the floor the labels allow: a model a little better than
    // chance is not stuck at chance (that check covers a model at chance), but it does not fit
    // what the data holds either.
    let chance = ctx.chance_loss().max(1e-6);
    let above_floor = match (ctx.noise_floor, recent_train_acc(h)) {
        (Some(f), Some(acc)) if !ctx.regression && h.evals.len() >= 10 => {
            let recent = &h.evals[h.evals.len() * 2 / 3..];
            let level = median(&recent.iter().map(|e| e.train_loss).collect::<Vec<_>>());
            let at_chance = ctx.chance_accuracy();
            ramp((level - f.loss) / chance, 0.3, 0.5) * ramp(acc, at_chance + 0.03, at_chance + 0.08)
        }
        _ => 0.0,
    };
    let poor = poor.max(above_floor);
    // A change the batch-to-batch noise could produce is no change: with small batches the
    // two windows' means wobble by more than the thresholds above on a flat curve.
    let n = c.raw.len();
    let trend = smooth(&c.raw, 10);
    let noise = residual_rms(&c.raw[n / 2..], &trend[n / 2..]);
    let se = noise / ((n / 10).max(1) as f32).sqrt();
    let significant = ramp((early - late).abs() / se.max(1e-6), 2.0, 4.0);
    let flat = ramp(falling.abs(), 0.06, 0.02).max(1.0 - significant);
    let plateaued = poor * flat * ramp(c.count as f32, 400.0, 800.0);
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
    let from = c.fine.len() / 2;
    let trend = smooth(&c.fine, 10);
    let noise = residual_rms(&c.fine[from..], &trend[from..]);
    // Against the loss of a model that knows nothing: near convergence a batch loss is
    // tiny, so noise relative to it would flag every healthy run.
    let scale = if ctx.regression {
        c.start()
    } else {
        ctx.chance_loss()
    }
    .max(1e-6);
    let conf = ramp(noise / scale, 0.15, 0.3);
    Some(Finding::new(
        Symptom::NoisyTrain,
        conf,
        c.fine_steps[from],
        c.last(),
    ))
}

/// The training loss repeats itself every epoch: batches come in the same order each time.
fn periodic_train(c: &Curve, ctx: &Context) -> Option<Finding> {
    let p = ctx.steps_per_epoch;
    if p < 4 || c.fine.len() < 4 * p {
        return None;
    }
    let from = c.fine.len().saturating_sub(8 * p);
    let tail = &c.fine[from..];
    let trend = smooth(tail, p / 2);
    let detrended: Vec<f32> = tail.iter().zip(&trend).map(|(a, b)| a - b).collect();
    let inner = &detrended[p / 2..detrended.len() - p / 2];
    let ac = autocorrelation(inner, p);
    Some(Finding::new(
        Symptom::PeriodicTrain,
        ramp(ac, 0.3, 0.6),
        c.fine_steps[from],
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
    let capped = ramp(acc, 0.85, 0.95) * earned * ramp(floor, 0.2, 0.35) * ramp(flat, 0.1, 0.03);
    // Or the engine saw the cap: a class whose score is 0 on every example (a ReLU on the
    // output) can at best tie with the others, so its examples keep a loss of ln 2 or more.
    let probes = recent_probes(h);
    let clamped = if probes.len() >= 3 {
        let share = probes.iter().filter(|p| p.clamped > 0.0).count() as f32 / probes.len() as f32;
        ramp(share, 0.6, 0.9)
    } else {
        0.0
    };
    let conf = capped.max(clamped);
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
/// Or the evaluation itself is not in evaluation mode: its figure for the training batch is
/// well above what an evaluation-mode pass of the same model on the same batch gives.
fn val_mismatch(h: &History, ctx: &Context) -> Option<Finding> {
    let evals = &h.evals;
    if evals.len() < 5 {
        return None;
    }
    let ratio = |e: &EvalPoint| e.val_loss / e.train_loss.max(1e-3);
    // The first evaluations come before any model could over-fit.
    let early: Vec<f32> = evals[..3].iter().map(ratio).collect();
    let all: Vec<f32> = evals.iter().map(ratio).collect();
    let split = ramp(median(&early), 1.4, 2.0) * ramp(median(&all), 1.4, 2.0);
    let mode = eval_mode_gap(h, ctx);
    Some(Finding::new(
        Symptom::ValMismatch,
        split.max(mode),
        evals[0].step,
        evals[evals.len() - 1].step,
    ))
}

/// How sure the evaluation runs in training mode (dropout on): over the later half of the run,
/// its loss for the training batch against the probe's evaluation-mode loss of the same batch
/// (the median, so a lucky draw of masks does not decide).
fn eval_mode_gap(h: &History, ctx: &Context) -> f32 {
    let probes = &h.probes[h.probes.len() / 2..];
    let pairs: Vec<(f32, f32)> = probes
        .iter()
        .filter_map(|p| {
            // Both logs are in step order (thinned apart: they have their own caps).
            let i = h.evals.binary_search_by_key(&p.step, |e| e.step).ok()?;
            Some((h.evals[i].train_loss, p.eval_mode_loss))
        })
        .collect();
    if pairs.len() < 3 {
        return 0.0;
    }
    let ratio = median(&pairs.iter().map(|(a, b)| a / b.max(1e-3)).collect::<Vec<_>>());
    let diff = median(&pairs.iter().map(|(a, b)| a - b).collect::<Vec<_>>());
    let scale = if ctx.regression {
        median(&pairs.iter().map(|p| p.1).collect::<Vec<_>>()).max(1e-3)
    } else {
        ctx.chance_loss().max(1e-3)
    };
    // Evaluation mode on the same model and batch gives the same figure exactly: any clear,
    // lasting excess is the evaluation doing something else.
    ramp(ratio, 1.02, 1.1) * ramp(diff / scale, 0.005, 0.02)
}

/// The probes of the last third of the run.
fn recent_probes(h: &History) -> &[Probe] {
    &h.probes[h.probes.len() * 2 / 3..]
}

/// Most of a hidden layer's ReLU units never fire on the training batch, and stay so: they get
/// no gradient, so they cannot come back. Named when the engine also saw what kills units: first
/// updates as large as the weights (a learning rate too high for these inputs), or inputs far
/// from standardised (a unit is then off for all of them). Units dead because the weights are
/// tiny are the initialisation's doing (`init_plateau`, `stuck_at_chance`), not this.
fn dead_units(h: &History, ctx: &Context) -> Option<Finding> {
    let probes = &h.probes;
    let recent = recent_probes(h);
    if recent.len() < 3 {
        return None;
    }
    let worst = |p: &Probe| p.dead.iter().copied().fold(0.0f32, f32::max);
    // The least of the recent probes: units that come back were not dead.
    let level = recent.iter().map(worst).fold(1.0f32, f32::min);
    // Since when: the first probe from which every probe had at least most of that share.
    let from = probes
        .iter()
        .rposition(|p| worst(p) < level * 0.8)
        .map_or(probes[0].step, |i| probes[(i + 1).min(probes.len() - 1)].step);
    // How far the first updates moved the weights, relative to them (unknown without an
    // evaluation in the first steps: then the share alone must be overwhelming).
    let early = probes
        .iter()
        .take_while(|p| p.step <= EARLY_STEPS)
        .flat_map(|p| p.drift.iter().copied())
        .fold(None, |m: Option<f32>, d| Some(m.map_or(d, |m| m.max(d))));
    let big_steps = early.map_or(ramp(level, 0.7, 0.9), |d| ramp(d, 0.3, 0.6));
    let big_inputs = ramp(ctx.input_rms, 3.0, 10.0);
    let conf = ramp(level, 0.4, 0.7) * big_steps.max(big_inputs);
    Some(Finding::new(
        Symptom::DeadUnits,
        conf,
        from,
        recent[recent.len() - 1].step,
    ))
}

/// The first updates: evaluations up to this step measure their size.
const EARLY_STEPS: u64 = 50;

/// The training loss sits on the floor the labels set: near neighbours disagree so often that
/// no model can do much better, and more capacity or a higher learning rate will not lower it
/// (a big enough model goes below it only by memorising the noise).
fn noise_floor(h: &History, ctx: &Context) -> Option<Finding> {
    let floor = ctx.noise_floor?.loss;
    if ctx.regression || h.evals.len() < 10 {
        return None;
    }
    let chance = ctx.chance_loss().max(1e-6);
    let recent = &h.evals[h.evals.len() * 2 / 3..];
    let level = median(&recent.iter().map(|e| e.train_loss).collect::<Vec<_>>());
    let high = ramp(floor / chance, 0.45, 0.65);
    let near = ramp((level - floor) / chance, 0.35, 0.15);
    let steps = ramp(recent[recent.len() - 1].step as f32, 200.0, 400.0);
    Some(Finding::new(
        Symptom::NoiseFloor,
        high * near * steps,
        recent[0].step,
        recent[recent.len() - 1].step,
    ))
}

/// The validation set is too small to trust: the 95 % interval of its accuracy (Wilson's, at
/// the accuracy it shows) is more than 20 to 30 points wide, so its curves jump by single
/// examples and cannot tell a good model from a mediocre one.
fn small_val(h: &History, ctx: &Context) -> Option<Finding> {
    let n = ctx.val_size as f32;
    if h.evals.len() < 3 || n < 1.0 {
        return None;
    }
    let recent = &h.evals[h.evals.len() * 2 / 3..];
    let conf = if ctx.regression {
        // The relative spread of a mean squared error over n examples, about √(2/n).
        ramp((2.0 / n).sqrt(), 0.25, 0.4)
    } else {
        let acc = median(&recent.iter().filter_map(|e| e.val_acc).collect::<Vec<_>>());
        ramp(wilson_width(acc, n), 0.2, 0.3)
    };
    Some(Finding::new(
        Symptom::SmallVal,
        conf,
        h.evals[0].step,
        recent[recent.len() - 1].step,
    ))
}

/// The width of the Wilson score 95 % interval for a proportion `p` measured on `n` examples.
pub(super) fn wilson_width(p: f32, n: f32) -> f32 {
    let z2 = 1.96f32 * 1.96;
    let p = p.clamp(0.0, 1.0);
    2.0 * 1.96 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::EvalPoint;

    fn ctx(input_rms: f32) -> Context {
        Context {
            regression: false,
            class_prior: vec![0.5, 0.5],
            steps_per_epoch: 12,
            status: Status::Running,
            val_size: 100,
            noise_floor: None,
            input_rms,
        }
    }

    /// Evaluations every 10 steps up to `n`, with a probe each.
    fn history(n: u64, probe: impl Fn(u64) -> Probe, eval_loss: impl Fn(u64) -> f32) -> History {
        let mut h = History::default();
        for step in (10..=n).step_by(10) {
            h.evals.push(EvalPoint {
                step,
                val_loss: eval_loss(step),
                val_acc: Some(0.5),
                train_loss: eval_loss(step),
                train_acc: Some(0.5),
            });
            h.probes.push(Probe { step, ..probe(step) });
        }
        h
    }

    fn probe(dead: f32, drift: f32, eval_mode_loss: f32) -> Probe {
        Probe {
            step: 0,
            dead: vec![0.0, dead],
            drift: vec![drift; 3],
            eval_mode_loss,
            train_mode_loss: eval_mode_loss,
            clamped: 0.0,
        }
    }

    fn conf(f: Option<Finding>) -> f32 {
        f.map_or(0.0, |f| f.confidence)
    }

    #[test]
    fn dead_units_need_what_kills_units() {
        // Most of a layer dead after first updates as large as the weights: named.
        let h = history(500, |_| probe(0.9, 1.0, 0.69), |_| 0.69);
        assert_eq!(conf(dead_units(&h, &ctx(1.0))), 1.0);
        // The same share with tiny updates and standardised inputs: the weights are tiny
        // (the initialisation's doing), not this finding.
        let h = history(500, |_| probe(0.9, 0.001, 0.69), |_| 0.69);
        assert_eq!(conf(dead_units(&h, &ctx(1.0))), 0.0);
        // ... unless the inputs are in raw units, far from standardised.
        assert_eq!(conf(dead_units(&h, &ctx(20.0))), 1.0);
        // A few dead units in a healthy layer are normal.
        let h = history(500, |_| probe(0.25, 1.0, 0.1), |_| 0.1);
        assert_eq!(conf(dead_units(&h, &ctx(1.0))), 0.0);
        // Units that come back were not dead.
        let h = history(500, |s| probe(if s > 400 { 0.1 } else { 0.9 }, 1.0, 0.1), |_| 0.1);
        assert_eq!(conf(dead_units(&h, &ctx(1.0))), 0.0);
    }

    #[test]
    fn an_evaluation_worse_than_evaluation_mode_is_a_mismatch() {
        let h = history(500, |_| probe(0.0, 0.1, 0.2), |_| 0.3);
        assert_eq!(conf(val_mismatch(&h, &ctx(1.0))), 1.0);
        // Evaluation in evaluation mode gives the same figure exactly.
        let h = history(500, |_| probe(0.0, 0.1, 0.2), |_| 0.2);
        assert_eq!(conf(val_mismatch(&h, &ctx(1.0))), 0.0);
    }

    #[test]
    fn the_validation_accuracy_spread_follows_from_its_size() {
        // Wilson's 95 % interval: 9 of 10 right is about 0.60..0.98.
        assert!((wilson_width(0.9, 10.0) - 0.386).abs() < 0.01);
        let h = history(500, |_| probe(0.0, 0.1, 0.1), |_| 0.1);
        let sized = |n| Context {
            val_size: n,
            ..ctx(1.0)
        };
        assert_eq!(conf(small_val(&h, &sized(10))), 1.0);
        assert_eq!(conf(small_val(&h, &sized(100))), 0.0);
    }

    #[test]
    fn a_loss_on_the_labels_noise_floor_is_named() {
        let noisy = Context {
            noise_floor: Some(crate::data::NoiseFloor {
                disagreement: 0.48,
                loss: 0.67,
            }),
            ..ctx(1.0)
        };
        let on_floor = history(1000, |_| probe(0.0, 0.1, 0.66), |_| 0.66);
        assert_eq!(conf(noise_floor(&on_floor, &noisy)), 1.0);
        // A clean set's floor is low: nothing to name.
        let clean = Context {
            noise_floor: Some(crate::data::NoiseFloor {
                disagreement: 0.02,
                loss: 0.05,
            }),
            ..ctx(1.0)
        };
        assert_eq!(conf(noise_floor(&on_floor, &clean)), 0.0);
    }
}
