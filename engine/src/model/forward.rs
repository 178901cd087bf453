//! The forward pass, shared by training (tracked parameters) and evaluation.

use super::{LayerKind, Model, ModelSpec};
use crate::config::Activation;
use crate::train::shader_consts::LEAKY_SLOPE;
use burn::tensor::Tensor;
use burn::tensor::activation::{leaky_relu, relu, sigmoid, tanh};
use burn::tensor::module::{conv2d, max_pool2d};
use burn::tensor::ops::{ConvOptions, MaxPoolOptions};

const BN_EPS: f64 = 1e-5;

/// How a forward pass runs.
#[derive(Clone, Copy, Default)]
pub struct ForwardMode<'a> {
    /// Normalise with the batch's statistics (training) instead of the running ones.
    pub batch_stats: bool,
    /// Inverted-dropout masks, one per hidden layer; empty = no dropout.
    pub masks: &'a [Tensor<2>],
    /// Keep each hidden layer's output (for the network view).
    pub keep_hidden: bool,
}

pub struct ForwardOut {
    /// Logits (classification) or predicted values (regression), `[batch, outputs]`.
    pub output: Tensor<2>,
    /// Hidden layers' outputs after activation, when asked for.
    pub hidden: Vec<Tensor<2>>,
    /// Batch mean and variance per batch-norm layer (training mode).
    pub batch_stats: Vec<(Tensor<2>, Tensor<2>)>,
}

pub fn activate<const D: usize>(x: Tensor<D>, a: Activation) -> Tensor<D> {
    match a {
        Activation::Relu => relu(x),
        Activation::LeakyRelu => leaky_relu(x, LEAKY_SLOPE),
        Activation::Tanh => tanh(x),
        Activation::Sigmoid => sigmoid(x),
        Activation::Linear => x,
    }
}

impl Model {
    /// Forward pass with the model's own parameters.
    pub fn forward(&self, x: Tensor<2>, mode: ForwardMode) -> ForwardOut {
        forward(&self.spec, &self.params, &self.running, x, mode)
    }
}

/// Forward pass with explicit parameters (autodiff-tracked during training).
pub fn forward(
    spec: &ModelSpec,
    params: &[Tensor<2>],
    running: &[(Tensor<2>, Tensor<2>)],
    x: Tensor<2>,
    mode: ForwardMode,
) -> ForwardOut {
    let batch = x.dims()[0];
    let mut h = x;
    let mut out = ForwardOut {
        output: h.clone(),
        hidden: Vec::new(),
        batch_stats: Vec::new(),
    };
    let mut hidden_index = 0;
    let mut side = spec.image_side.unwrap_or(0);
    let mut channels = 1;
    let mut image: Option<Tensor<4>> = None;
    for layer in &spec.layers {
        let w = params[layer.weight].clone();
        let b = params[layer.bias].clone();
        if layer.kind == LayerKind::Conv {
            let img = image
                .take()
                .unwrap_or_else(|| h.clone().reshape([batch, 1, side, side]));
            let kernel = w.reshape([layer.fan_out, channels, 3, 3]);
            let y = conv2d(
                img,
                kernel,
                Some(b.reshape([layer.fan_out])),
                ConvOptions::new([1, 1], [1, 1], [1, 1], 1),
            );
            let y = max_pool2d(activate(y, layer.activation), MaxPoolOptions::new([2, 2]));
            channels = layer.fan_out;
            side /= 2;
            image = Some(y);
            continue;
        }
        if let Some(img) = image.take() {
            h = img.reshape([batch, channels * side * side]);
        }
        let mut z = h.matmul(w) + b;
        if let Some((gamma, beta, r)) = layer.norm {
            let (mean, var) = if mode.batch_stats {
                let mean = z.clone().mean_dim(0);
                let var = (z.clone() - mean.clone()).square().mean_dim(0);
                out.batch_stats.push((mean.clone(), var.clone()));
                (mean, var)
            } else {
                (running[r].0.clone(), running[r].1.clone())
            };
            z = (z - mean) / (var + BN_EPS).sqrt() * params[gamma].clone() + params[beta].clone();
        }
        h = activate(z, layer.activation);
        if layer.kind == LayerKind::Hidden {
            if let Some(mask) = mode.masks.get(hidden_index) {
                h = h * mask.clone();
            }
            if mode.keep_hidden {
                out.hidden.push(h.clone());
            }
            hidden_index += 1;
        }
    }
    out.output = h;
    out
}
