//! What a training chunk reports, and the run's accumulated curves.

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
    pub status: Status,
}

/// Every curve of a run so far: what the charts draw and the diagnosis reads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// (step, training-batch loss)
    pub train_loss: Vec<(u64, f32)>,
    pub lr: Vec<(u64, f32)>,
    pub evals: Vec<EvalPoint>,
    pub layers: Vec<LayerStats>,
    pub layer_names: Vec<String>,
}

impl History {
    pub fn push(&mut self, r: &ChunkReport) {
        for (i, (&l, &lr)) in r.train_loss.iter().zip(&r.lr).enumerate() {
            let step = r.first_step + i as u64;
            self.train_loss.push((step, l));
            self.lr.push((step, lr));
        }
        self.evals.extend_from_slice(&r.evals);
        self.layers.extend(r.layers.clone());
    }

    pub fn last_step(&self) -> u64 {
        self.train_loss.last().map_or(0, |p| p.0)
    }
}
