//! What a training chunk reports, and the run's accumulated curves.

use crate::curves::{BUCKETS, SMOOTHING, Sampled, Series};
use serde::{Deserialize, Serialize};

/// Where a run stands. Failure is a state, not a crash.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    /// Can take more steps.
    Running,
    /// The loss became NaN or infinite at this step; the curve up to it is kept.
    Diverged { step: u64 },
    /// Early stopping: no better validation loss for `patience` evaluations.
    EarlyStopped { step: u64, best_step: u64 },
    /// Reached `max_steps`.
    Finished { step: u64 },
}

impl Status {
    pub fn is_running(&self) -> bool {
        matches!(self, Status::Running)
    }
}

/// Validation loss/accuracy and train loss/accuracy on a fixed training subset, after `step`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalPoint {
    pub step: u64,
    pub val_loss: f32,
    /// `None` for regression.
    pub val_acc: Option<f32>,
    pub train_loss: f32,
    pub train_acc: Option<f32>,
}

/// Per-layer gradient and weight L2 norms (weights only), at `step`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerStats {
    pub step: u64,
    pub grad_norms: Vec<f32>,
    pub weight_norms: Vec<f32>,
}

/// What the engine measured at an evaluation, beside the curves: facts about the network that
/// the curves alone do not show, read on the fixed training batch the evaluation uses (so they
/// are deterministic, cost one extra pass at most, and are the same on every training path:
/// evaluation always runs on the model's tensors).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    pub step: u64,
    /// Per dense hidden layer, the share of its units never active on the batch: a ReLU unit
    /// whose output is 0 for every example passes no gradient and cannot recover. 0 for layers
    /// with other activations.
    pub dead: Vec<f32>,
    /// Per layer (as [`LayerStats`]), how far the weights have moved from their initial values,
    /// relative to their size: `‖W − W₀‖ / max(‖W₀‖, ‖W‖)`, 0 while unchanged, 1 or more (at most
    /// 2) when nothing of the start is left. The first evaluations give the size of the first
    /// updates.
    pub drift: Vec<f32>,
    /// The batch's loss in evaluation mode: no dropout, batch norm with its running statistics.
    /// The evaluation's own figure for the same batch is [`EvalPoint::train_loss`]: a gap between
    /// the two means evaluation does not run in evaluation mode.
    pub eval_mode_loss: f32,
    /// The same batch in training mode: dropout masks, batch norm with the batch's statistics.
    pub train_mode_loss: f32,
    /// Share of the classes whose score (what the softmax gets) is exactly 0 on every example: a
    /// ReLU clamps the output, and such a class can at best tie with the others.
    pub clamped: f32,
}

/// What one call of `Session::run_chunk` did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChunkReport {
    /// Step number of the first loss in `train_loss` (steps count updates, from 1).
    pub first_step: u64,
    /// Training-batch loss of every step of the chunk (before that step's update).
    pub train_loss: Vec<f32>,
    /// The learning rate each step used.
    pub lr: Vec<f32>,
    pub evals: Vec<EvalPoint>,
    /// Norms after the chunk's last step (absent when no step ran).
    pub layers: Option<LayerStats>,
    /// What the engine measured at each of the chunk's evaluations (same steps as `evals`).
    #[serde(default)]
    pub probes: Vec<Probe>,
    pub status: Status,
}

/// Every curve of a run so far: what the charts draw and the diagnosis reads. Bounded: a run of
/// ten million steps holds about as much as one of ten thousand (see [`crate::curves`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The training-batch loss of every step (full resolution for the recent steps, summaries
    /// before them).
    pub train_loss: Series,
    pub lr: Series,
    /// Every evaluation while there are at most [`crate::curves::SAMPLED_CAP`], evenly thinned
    /// after that (the newest always kept).
    pub evals: Sampled<EvalPoint>,
    /// Once per chunk, thinned the same way.
    pub layers: Sampled<LayerStats>,
    /// One per evaluation, thinned the same way.
    #[serde(default = "probes_log")]
    pub probes: Sampled<Probe>,
    pub layer_names: Vec<String>,
}

fn probes_log() -> Sampled<Probe> {
    Sampled::new(LAYER_CAP)
}

impl Default for History {
    fn default() -> Self {
        History {
            train_loss: Series::default(),
            // A schedule's curve is smooth: a short full-resolution window is enough.
            lr: Series::new(256, BUCKETS, SMOOTHING),
            evals: Sampled::default(),
            layers: Sampled::new(LAYER_CAP),
            probes: probes_log(),
            layer_names: Vec::new(),
        }
    }
}

/// Layer norms and probes kept at most (each holds two small vectors).
const LAYER_CAP: usize = 1024;

impl History {
    pub fn push(&mut self, r: &ChunkReport) {
        for (i, (&l, &lr)) in r.train_loss.iter().zip(&r.lr).enumerate() {
            let step = r.first_step + i as u64;
            self.train_loss.push(step, l);
            self.lr.push(step, lr);
        }
        self.evals.extend(r.evals.iter().copied());
        self.layers.extend(r.layers.clone());
        self.probes.extend(r.probes.iter().cloned());
    }

    pub fn last_step(&self) -> u64 {
        self.train_loss.last().map_or(0, |p| p.step)
    }

    /// Heap memory the curves hold, in bytes (capacity, not only what is used).
    pub fn heap_bytes(&self) -> usize {
        let layer = |l: &LayerStats| (l.grad_norms.capacity() + l.weight_norms.capacity()) * 4;
        let probe = |p: &Probe| (p.dead.capacity() + p.drift.capacity()) * 4;
        self.train_loss.heap_bytes()
            + self.lr.heap_bytes()
            + self.evals.heap_bytes()
            + self.layers.heap_bytes()
            + self.layers.iter().map(layer).sum::<usize>()
            + self.probes.heap_bytes()
            + self.probes.iter().map(probe).sum::<usize>()
    }
}
