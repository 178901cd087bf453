//! Training: the chunked session, optimizers, LR schedules, losses and the LR range test.

mod fused;
#[cfg(feature = "webgpu")]
mod fused_gpu;
mod inspect;
mod loss;
mod lr_finder;
mod optim;
pub mod parity;
mod path;
mod report;
mod schedule;
mod session;
pub(crate) mod shader_consts;
mod step;

pub use crate::error::EngineError;
pub use inspect::{PlaneGrid, Predictions};
pub use lr_finder::{LrFinderConfig, LrFinderResult};
pub use report::{ChunkReport, EvalPoint, History, LayerStats, Probe, Status};
pub use schedule::lr_at;
pub use session::Session;

/// Read-back values as `f32`/`i64` whatever the device's dtype (empty if the read failed).
pub(crate) fn floats(d: burn::tensor::TensorData) -> Vec<f32> {
    d.try_into_vec_as::<f32>().unwrap_or_default()
}
pub(crate) fn ints(d: burn::tensor::TensorData) -> Vec<i64> {
    d.try_into_vec_as::<i64>().unwrap_or_default()
}
