//! Which code runs a session's steps, and keeping the model's tensors in step with a fused
//! path's parameters (which live on the host between chunks).

use super::fused::{self, Fused};
#[cfg(feature = "webgpu")]
use super::fused_gpu::{self, GpuState};
use super::session::{Ran, Session};
use crate::config::RunConfig;
use crate::data::Dataset;
use crate::error::EngineError;
use crate::model::{Model, ModelSpec, init_values};
use burn::tensor::{Device, Tensor, TensorData};

/// A session's training path. Only burn's keeps its parameters in the model's tensors; a fused
/// path holds them itself and [`sync_params`] copies them over.
pub(super) enum Path {
    /// burn's tensors and autodiff: every config, every device.
    Burn,
    /// Small MLP classifiers on the CPU (`fused.rs`).
    Fused(Box<Fused>),
    /// The same on WebGPU (`fused_gpu.rs`), set up on the first chunk.
    #[cfg(feature = "webgpu")]
    Gpu(GpuState),
}

impl Path {
    /// A fused path where one qualifies (and `fused` allows it), else burn's.
    pub fn choose(
        fused: bool,
        cfg: &RunConfig,
        data: &Dataset,
        spec: &ModelSpec,
        batch: usize,
        device: &Device,
    ) -> Path {
        if !fused {
            return Path::Burn;
        }
        #[cfg(feature = "webgpu")]
        if fused_gpu::qualifies(cfg, data, spec, batch, device) {
            return Path::Gpu(GpuState::Pending);
        }
        if fused::qualifies(cfg, data, spec, batch, device) {
            // The model's initial values again (deterministic), rather than a read from the device.
            let values = init_values(spec, &cfg.model, cfg.seed);
            return Path::Fused(Box::new(Fused::new(spec, values, batch)));
        }
        Path::Burn
    }

    pub fn is_fused(&self) -> bool {
        !matches!(self, Path::Burn)
    }

    /// Moves the path out (to run a step that also borrows the session), leaving burn's.
    pub fn take(&mut self) -> Path {
        std::mem::replace(self, Path::Burn)
    }

    fn host(&mut self) -> Option<Host<'_>> {
        match self {
            Path::Burn => None,
            Path::Fused(f) => Some(Host {
                params: &f.params,
                shapes: &f.shapes,
                dirty: &mut f.dirty,
            }),
            #[cfg(feature = "webgpu")]
            Path::Gpu(g) => g.host(),
        }
    }
}

/// A fused path's host parameters, their shapes and whether they changed since the last sync.
pub(super) struct Host<'a> {
    pub params: &'a [Vec<f32>],
    pub shapes: &'a [[usize; 2]],
    pub dirty: &'a mut bool,
}

/// Writes a fused path's parameters into the model's tensors if they changed. The session calls
/// it lazily, before anything reads the model (evaluation, inspection), not after every chunk.
pub(super) fn sync_params(path: &mut Path, model: &mut Model, device: &Device) {
    let Some(host) = path.host().filter(|h| *h.dirty) else {
        return;
    };
    *host.dirty = false;
    for ((p, v), &shape) in model.params.iter_mut().zip(host.params).zip(host.shapes) {
        *p = Tensor::from_data(TensorData::new(v.clone(), shape), device);
    }
}

impl Session {
    /// Runs `n` steps on this session's path (setting the WebGPU one up first if it is wanted).
    pub(super) async fn run_steps(&mut self, n: usize, ran: &mut Ran) -> Result<(), EngineError> {
        #[cfg(feature = "webgpu")]
        {
            self.start_gpu().await;
            if n > 0 && matches!(self.path, Path::Gpu(GpuState::Ready(_))) {
                return self.gpu_steps(n, ran).await;
            }
        }
        self.steps(n, ran);
        Ok(())
    }
}
