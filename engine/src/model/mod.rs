//! The networks a learner builds: an MLP, or a small CNN stem followed by dense layers.
//!
//! Parameters are plain 2-D tensors (biases are `[1, n]` rows, conv kernels `[out, in*3*3]`) so
//! one optimizer routine updates them all. Forward passes take the parameters explicitly: the
//! training step passes autodiff-tracked copies, evaluation the plain ones.

pub(crate) mod forward;
mod init;

pub use forward::{ForwardMode, ForwardOut};
pub use init::init_values;

use crate::config::{Activation, Arch, ModelConfig};
use burn::tensor::{Device, Tensor, TensorData};

/// Output channels of the two CNN convolutions (3x3, padding 1, each followed by 2x2 max-pool).
pub const CNN_CHANNELS: [usize; 2] = [8, 16];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerKind {
    Conv,
    Hidden,
    Output,
}

/// One trainable layer: its parameter indices in [`Model::params`].
#[derive(Clone, Debug)]
pub struct LayerSpec {
    pub name: String,
    pub kind: LayerKind,
    pub fan_in: usize,
    pub fan_out: usize,
    pub activation: Activation,
    pub weight: usize,
    pub bias: usize,
    /// Batch-norm scale and shift, and the index into the running statistics.
    pub norm: Option<(usize, usize, usize)>,
}

/// The model's structure, independent of any tensor.
#[derive(Clone, Debug)]
pub struct ModelSpec {
    pub inputs: usize,
    pub outputs: usize,
    pub image_side: Option<usize>,
    pub layers: Vec<LayerSpec>,
    pub dropout: f32,
    pub param_shapes: Vec<[usize; 2]>,
}

impl ModelSpec {
    pub fn new(cfg: &ModelConfig, inputs: usize, outputs: usize, image_side: Option<usize>) -> Self {
        let mut spec = ModelSpec {
            inputs,
            outputs,
            image_side,
            layers: Vec::new(),
            dropout: cfg.dropout,
            param_shapes: Vec::new(),
        };
        let mut width = inputs;
        if cfg.arch == Arch::Cnn {
            let side = image_side.expect("a CNN needs image inputs (validated by RunConfig)");
            let mut channels = 1;
            let mut s = side;
            for (i, &out) in CNN_CHANNELS.iter().enumerate() {
                spec.push(
                    format!("conv{}", i + 1),
                    LayerKind::Conv,
                    channels * 9,
                    out,
                    cfg.activation_of(0),
                    false,
                );
                channels = out;
                s /= 2;
            }
            width = channels * s * s;
        }
        for (i, &w) in cfg.hidden.iter().enumerate() {
            spec.push(
                format!("hidden{}", i + 1),
                LayerKind::Hidden,
                width,
                w,
                cfg.activation_of(i),
                cfg.batch_norm,
            );
            width = w;
        }
        spec.push(
            "output".into(),
            LayerKind::Output,
            width,
            outputs,
            Activation::Linear,
            false,
        );
        spec
    }

    fn push(
        &mut self,
        name: String,
        kind: LayerKind,
        fan_in: usize,
        fan_out: usize,
        activation: Activation,
        norm: bool,
    ) {
        // Conv kernels are stored [out, in*9]; dense weights [in, out] so that `x @ W` works.
        let wshape = if kind == LayerKind::Conv {
            [fan_out, fan_in]
        } else {
            [fan_in, fan_out]
        };
        let weight = self.add_param(wshape);
        let bias = self.add_param([1, fan_out]);
        let norm = norm.then(|| {
            let running = self.layers.iter().filter(|l| l.norm.is_some()).count();
            (
                self.add_param([1, fan_out]),
                self.add_param([1, fan_out]),
                running,
            )
        });
        self.layers.push(LayerSpec {
            name,
            kind,
            fan_in,
            fan_out,
            activation,
            weight,
            bias,
            norm,
        });
    }

    fn add_param(&mut self, shape: [usize; 2]) -> usize {
        self.param_shapes.push(shape);
        self.param_shapes.len() - 1
    }

    pub fn hidden_layers(&self) -> impl Iterator<Item = &LayerSpec> {
        self.layers.iter().filter(|l| l.kind == LayerKind::Hidden)
    }

    pub fn num_norm_layers(&self) -> usize {
        self.layers.iter().filter(|l| l.norm.is_some()).count()
    }
}

/// A model's state on a device: its parameters and batch-norm running statistics.
#[derive(Clone)]
pub struct Model {
    pub spec: ModelSpec,
    pub params: Vec<Tensor<2>>,
    /// (running mean, running variance) per batch-norm layer.
    pub running: Vec<(Tensor<2>, Tensor<2>)>,
}

impl Model {
    /// Builds the model with initial values drawn from the engine's RNG (same on every backend).
    pub fn new(spec: ModelSpec, cfg: &ModelConfig, seed: u64, device: &Device) -> Self {
        let values = init_values(&spec, cfg, seed);
        let params = values
            .into_iter()
            .zip(&spec.param_shapes)
            .map(|(v, &shape)| Tensor::from_data(TensorData::new(v, shape), device))
            .collect();
        let row = |fill: f32, w: usize| Tensor::from_data(TensorData::new(vec![fill; w], [1, w]), device);
        let running = spec
            .layers
            .iter()
            .filter(|l| l.norm.is_some())
            .map(|l| (row(0.0, l.fan_out), row(1.0, l.fan_out)))
            .collect();
        Model {
            spec,
            params,
            running,
        }
    }
}
