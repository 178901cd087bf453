//! LossLab's training core: datasets, models, a chunked training session, metrics and
//! curve diagnosis, on burn 0.22. No UI and no web APIs: it runs natively and in wasm.

pub mod axis;
pub mod backend;
pub mod config;
pub mod curves;
pub mod data;
pub mod diagnose;
mod error;
pub mod export;
pub mod lesson;
pub mod metrics;
pub mod model;
pub mod msg;
pub mod pace;
pub mod rng;
pub mod train;
pub mod workloads;

pub use burn::tensor::Device;
pub use config::RunConfig;
pub use error::EngineError;
pub use train::{ChunkReport, History, Session, Status};
