//! One training path held to another: a config trained on burn's path and on a fused one (the CPU
//! loops or the WebGPU shader) gives the same losses, evaluations, probes (what the diagnosis
//! reads beside the curves), norms and parameters up to float rounding. `engine/tests/fused.rs`
//! runs [`cases`] on the CPU; the browser suite runs the same cases on WebGPU through the app's
//! `?bench=parity` page.

use super::{EvalPoint, LayerStats, Probe, Session, Status};
use crate::backend::DeviceError;
use crate::config::{Activation, DatasetKind, OptimizerKind};
use crate::data::Assets;
use crate::workloads::workload;
use crate::{Device, EngineError, RunConfig};

/// Steps each case trains.
pub const STEPS: usize = 100;
/// Chunk sizes the fused paths run each case with (burn's path runs the first).
pub const CHUNKS: [usize; 2] = [7, 1];

/// What a run leaves to compare: its curves, its last norms and its final parameters.
#[derive(Clone, Debug)]
pub struct Trace {
    /// Whether its steps ran on a fused path.
    pub fused: bool,
    pub step: u64,
    pub status: Status,
    pub losses: Vec<f32>,
    pub evals: Vec<EvalPoint>,
    /// What the engine measured at each evaluation (dead units, drift, evaluation-mode loss):
    /// the diagnosis reads them, so every path must give the same.
    pub probes: Vec<Probe>,
    pub layers: Option<LayerStats>,
    pub params: Vec<Vec<f32>>,
}

/// Trains `cfg` for `steps` steps in chunks of `chunk` on `device`, fused (where the config
/// qualifies) or on burn's path. Asynchronous, so it runs on WebGPU in a browser too.
pub async fn trace(
    cfg: &RunConfig,
    assets: &Assets,
    device: Device,
    fused: bool,
    chunk: usize,
    steps: usize,
) -> Result<Trace, EngineError> {
    let mut s = Session::new(cfg.clone(), assets, device)?;
    s.set_fused(fused);
    let mut left = steps;
    while left > 0 && s.status().is_running() {
        let r = s.run_chunk(left.min(chunk)).await?;
        if r.train_loss.is_empty() {
            break;
        }
        left -= r.train_loss.len().min(left);
    }
    let h = s.history();
    let losses = h.train_loss.recent().map(|p| p.value).collect();
    let (evals, layers) = (h.evals.to_vec(), h.layers.last().cloned());
    let probes = h.probes.to_vec();
    let mut params = Vec::new();
    for p in s.model().params.clone() {
        let data = p
            .into_data_async()
            .await
            .map_err(|e| DeviceError::ReadBack(format!("{e:?}")))?;
        params.push(super::floats(data));
    }
    Ok(Trace {
        fused: s.uses_fused(),
        step: s.step(),
        status: s.status(),
        losses,
        evals,
        probes,
        layers,
        params,
    })
}

/// How far apart two paths may be: relative differences (of the larger magnitude, at least
/// 1e-3), and for parameters `|a - b| <= param * (1 + |a|)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    pub loss: f32,
    pub eval: f32,
    pub grad_norm: f32,
    pub weight_norm: f32,
    pub param: f32,
}

impl Tolerance {
    /// The fused CPU path against burn's CPU path.
    pub const CPU: Tolerance = Tolerance {
        loss: 1e-3,
        eval: 1e-3,
        grad_norm: 1e-2,
        weight_norm: 1e-3,
        param: 1e-3,
    };
    /// The fused WebGPU shader against burn's WebGPU kernels: the same bounds. Measured on
    /// SwiftShader over every case (`tests/e2e/bench.test.mjs` prints them): at most 1.1e-4 on
    /// a loss (no_shuffle), 2.6e-5 on an evaluation or a gradient norm, 7e-6 on a parameter.
    pub const WEBGPU: Tolerance = Tolerance::CPU;
}

/// The largest differences found, in the units of [`Tolerance`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Spread {
    pub loss: f32,
    pub eval: f32,
    pub grad_norm: f32,
    pub weight_norm: f32,
    pub param: f32,
    /// The probes' evaluation- and training-mode losses and drift (relative, as `eval`).
    pub probe: f32,
}

/// How far a probe's dead-unit shares may differ between paths: a unit whose best activation
/// sits at zero within float rounding may count as dead on one and not the other.
const DEAD_SHARE: f32 = 0.1;

fn rel(a: f32, b: f32) -> f32 {
    if a.is_nan() && b.is_nan() {
        return 0.0;
    }
    let r = (a - b).abs() / a.abs().max(b.abs()).max(1e-3);
    // One NaN against a number is as far apart as it gets.
    if r.is_nan() { f32::INFINITY } else { r }
}

/// Compares a fused run `b` with burn's run `a` of the same case: every difference past `tol`
/// as a line naming what differs, and the largest differences seen.
pub fn compare(name: &str, a: &Trace, b: &Trace, tol: Tolerance) -> (Vec<String>, Spread) {
    let mut bad = Vec::new();
    let mut spread = Spread::default();
    if (a.step, a.status) != (b.step, b.status) {
        bad.push(format!(
            "{name}: step/status {:?} vs {:?}",
            (a.step, a.status),
            (b.step, b.status)
        ));
    }
    if a.losses.len() != b.losses.len() {
        bad.push(format!("{name}: {} vs {} losses", a.losses.len(), b.losses.len()));
    }
    for (i, (x, y)) in a.losses.iter().zip(&b.losses).enumerate() {
        spread.loss = spread.loss.max(rel(*x, *y));
        if rel(*x, *y) > tol.loss {
            bad.push(format!("{name}: loss {i}: {x} vs {y}"));
        }
    }
    if a.evals.len() != b.evals.len() {
        bad.push(format!(
            "{name}: {} vs {} evaluations",
            a.evals.len(),
            b.evals.len()
        ));
    }
    for (x, y) in a.evals.iter().zip(&b.evals) {
        spread.eval = spread.eval.max(rel(x.val_loss, y.val_loss));
        if x.step != y.step || rel(x.val_loss, y.val_loss) > tol.eval {
            bad.push(format!("{name}: evaluation {x:?} vs {y:?}"));
        }
    }
    if a.probes.len() != b.probes.len() {
        bad.push(format!("{name}: {} vs {} probes", a.probes.len(), b.probes.len()));
    }
    for (x, y) in a.probes.iter().zip(&b.probes) {
        let figures = [
            (x.eval_mode_loss, y.eval_mode_loss),
            (x.train_mode_loss, y.train_mode_loss),
        ];
        let drift = x.drift.iter().copied().zip(y.drift.iter().copied());
        let worst = figures
            .into_iter()
            .chain(drift)
            .map(|(p, q)| rel(p, q))
            .fold(0.0f32, f32::max);
        spread.probe = spread.probe.max(worst);
        let dead_apart = x.dead.len() != y.dead.len()
            || x.dead
                .iter()
                .zip(&y.dead)
                .any(|(p, q)| (p - q).abs() > DEAD_SHARE);
        if x.step != y.step || worst > tol.eval || dead_apart || x.clamped != y.clamped {
            bad.push(format!("{name}: probe {x:?} vs {y:?}"));
        }
    }
    match (&a.layers, &b.layers) {
        (Some(la), Some(lb)) => {
            if la.step != lb.step {
                bad.push(format!("{name}: norms at steps {} vs {}", la.step, lb.step));
            }
            for (x, y) in la.grad_norms.iter().zip(&lb.grad_norms) {
                spread.grad_norm = spread.grad_norm.max(rel(*x, *y));
                if rel(*x, *y) > tol.grad_norm {
                    bad.push(format!("{name}: gradient norms {la:?} vs {lb:?}"));
                }
            }
            for (x, y) in la.weight_norms.iter().zip(&lb.weight_norms) {
                spread.weight_norm = spread.weight_norm.max(rel(*x, *y));
                if rel(*x, *y) > tol.weight_norm {
                    bad.push(format!("{name}: weight norms {la:?} vs {lb:?}"));
                }
            }
        }
        (la, lb) => bad.push(format!("{name}: layer stats {la:?} vs {lb:?}")),
    }
    for (pa, pb) in a.params.iter().zip(&b.params) {
        for (x, y) in pa.iter().zip(pb) {
            let d = (x - y).abs() / (1.0 + x.abs());
            let d = if d.is_nan() { f32::INFINITY } else { d };
            spread.param = spread.param.max(d);
            if d > tol.param {
                bad.push(format!("{name}: parameter {x} vs {y}"));
                break;
            }
        }
    }
    (bad, spread)
}

/// Configs every fused path must train as burn's path does: every optimizer, every activation,
/// L1 and L2, unshuffled batches, digits with early stopping.
pub fn cases() -> Vec<(&'static str, RunConfig)> {
    let mut v = vec![
        ("toy", workload("toy").expect("the toy workload")),
        ("defaults", RunConfig::default()),
    ];
    let base = || {
        let mut c = RunConfig::default();
        c.train.eval_every = 10;
        c
    };
    for (name, opt) in [
        ("sgd", OptimizerKind::Sgd),
        ("momentum", OptimizerKind::Momentum),
        ("nesterov", OptimizerKind::Nesterov),
        ("adam", OptimizerKind::Adam),
        ("adamw", OptimizerKind::AdamW),
        ("rmsprop", OptimizerKind::RmsProp),
    ] {
        let mut c = base();
        c.train.optimizer = opt;
        c.train.lr = if opt == OptimizerKind::Sgd { 0.1 } else { 0.01 };
        v.push((name, c));
    }
    for (name, act) in [
        ("tanh", Activation::Tanh),
        ("sigmoid", Activation::Sigmoid),
        ("leaky", Activation::LeakyRelu),
    ] {
        let mut c = base();
        c.model.activation = vec![act, Activation::Relu];
        v.push((name, c));
    }
    let mut c = base();
    c.train.weight_decay = 0.01;
    c.train.l1 = 0.001;
    c.train.optimizer = OptimizerKind::Momentum;
    v.push(("decay", c));
    let mut c = base();
    c.bugs.no_shuffle = true;
    c.data.dataset = DatasetKind::Blobs;
    c.data.classes = 3;
    c.train.batch_size = 7;
    v.push(("no_shuffle", c));
    let mut c = base();
    c.data.dataset = DatasetKind::Digits;
    c.model.hidden = vec![16];
    c.train.patience = 2;
    v.push(("digits", c));
    v
}
