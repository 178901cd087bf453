//! A fused CPU path for small MLP classifiers: forward, backward and the optimizer as plain
//! loops over `f32` slices.
//!
//! Tiny networks on burn's CPU backend spend their time in per-operation overhead (allocation,
//! the autodiff graph), not arithmetic: ~65 tensor ops for a few thousand multiply-adds. Here a
//! step allocates nothing. The maths is the burn path's (`step.rs`, `optim.rs`, `loss.rs`), so
//! results agree up to float rounding; the session writes the parameters back into its tensors
//! before anything reads them.

use super::shader_consts::{self, ADAM_B1, ADAM_B2};
use crate::config::{Activation, Arch, OptimizerKind, RunConfig};
use crate::data::{Dataset, Split};
use crate::model::{LayerKind, ModelSpec};
use burn::tensor::Device;

/// Above about this many multiply-adds per forward pass (batch × weights) burn's blocked matmul
/// wins: measured natively at the engine's opt-level 1 (the crossover is near 60k; at opt-level 3,
/// with vectorised loops, near 200k). The wasm build (opt-level s) does not vectorise loops either.
const MAX_WORK: usize = 50_000;

// In f32, as burn applies scalars to f32 tensors.
const EPS: f32 = shader_consts::EPS as f32;
const RMS_ALPHA: f32 = shader_consts::RMS_ALPHA as f32;
const LEAKY_SLOPE: f32 = shader_consts::LEAKY_SLOPE as f32;

/// Whether a run can use the fused CPU path: everything it does not implement keeps burn's.
pub fn qualifies(cfg: &RunConfig, data: &Dataset, spec: &ModelSpec, batch: usize, device: &Device) -> bool {
    // Only the CPU backend: WebGPU has its own fused path (`fused_gpu.rs`).
    *device == Device::flex() && mlp_qualifies(cfg, data, spec) && batch * weights(spec) <= MAX_WORK
}

/// What both fused paths implement: a plain MLP classifier with softmax cross-entropy.
pub(super) fn mlp_qualifies(cfg: &RunConfig, data: &Dataset, spec: &ModelSpec) -> bool {
    cfg.model.arch == Arch::Mlp
        && !data.regression
        && !cfg.model.batch_norm
        && cfg.model.dropout <= 0.0
        && cfg.train.clip_norm <= 0.0
        // The two loss bugs change the loss; the other bugs only change the data or evaluation.
        && !cfg.bugs.relu_before_softmax
        && !cfg.bugs.double_softmax
        && spec.layers.iter().all(|l| l.kind != LayerKind::Conv && l.norm.is_none())
}

/// The network's weights (multiply-adds per example of a forward pass).
pub(super) fn weights(spec: &ModelSpec) -> usize {
    spec.layers.iter().map(|l| l.fan_in * l.fan_out).sum()
}

struct Layer {
    fan_in: usize,
    fan_out: usize,
    act: Activation,
    weight: usize,
    bias: usize,
}

pub struct Fused {
    layers: Vec<Layer>,
    /// Host copies of `Model::params`, same order and row-major layout.
    pub params: Vec<Vec<f32>>,
    pub shapes: Vec<[usize; 2]>,
    grads: Vec<Vec<f32>>,
    /// Optimizer state: velocity, first moment or mean square (zero = burn's empty slot).
    s1: Vec<Vec<f32>>,
    /// Adam's second moment.
    s2: Vec<Vec<f32>>,
    t: i32,
    /// Per layer its input, then the network's output (logits): `batch × width` each.
    acts: Vec<Vec<f32>>,
    delta: Vec<f32>,
    delta_prev: Vec<f32>,
    labels: Vec<u32>,
    /// The current epoch's order (empty before the first batch).
    pub order: Vec<u32>,
    /// Whether `params` changed since the session's tensors were last written.
    pub dirty: bool,
}

impl Fused {
    pub fn new(spec: &ModelSpec, values: Vec<Vec<f32>>, batch: usize) -> Self {
        let layers: Vec<Layer> = spec
            .layers
            .iter()
            .map(|l| Layer {
                fan_in: l.fan_in,
                fan_out: l.fan_out,
                act: l.activation,
                weight: l.weight,
                bias: l.bias,
            })
            .collect();
        let zeros = || values.iter().map(|v| vec![0.0; v.len()]).collect::<Vec<_>>();
        let mut acts = vec![vec![0.0; batch * spec.inputs]];
        acts.extend(layers.iter().map(|l| vec![0.0; batch * l.fan_out]));
        let widest = layers.iter().map(|l| l.fan_in.max(l.fan_out)).max().unwrap_or(0);
        Self {
            grads: zeros(),
            s1: zeros(),
            s2: zeros(),
            t: 0,
            acts,
            delta: vec![0.0; batch * widest],
            delta_prev: vec![0.0; batch * widest],
            labels: vec![0; batch],
            order: Vec::new(),
            dirty: false,
            shapes: spec.param_shapes.clone(),
            layers,
            params: values,
        }
    }

    /// One update on the examples `order[start..start + batch]` of `train`; returns the batch's mean loss and, when
    /// asked, per-layer weight-gradient then weight norms (before the update, as `layer_norms`).
    #[allow(clippy::too_many_arguments)]
    pub fn step(
        &mut self,
        train: &Split,
        start: usize,
        b: usize,
        cfg: &RunConfig,
        lr: f64,
        decays: &[bool],
        want_norms: bool,
    ) -> (f32, Option<Vec<f32>>) {
        let f = train.num_features;
        for (r, &i) in self.order[start..start + b].iter().enumerate() {
            let i = i as usize;
            self.acts[0][r * f..(r + 1) * f].copy_from_slice(&train.x[i * f..(i + 1) * f]);
            self.labels[r] = train.labels[i];
        }
        self.forward(b);
        let loss = self.loss_grad(b);
        self.backward(b);
        let norms = want_norms.then(|| {
            let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
            let g = self.layers.iter().map(|l| norm(&self.grads[l.weight]));
            let w = self.layers.iter().map(|l| norm(&self.params[l.weight]));
            g.chain(w).collect()
        });
        self.update(cfg, lr, decays);
        self.dirty = true;
        (loss, norms)
    }

    fn forward(&mut self, b: usize) {
        for (li, l) in self.layers.iter().enumerate() {
            let (done, rest) = self.acts.split_at_mut(li + 1);
            let (h, out) = (&done[li], &mut rest[0]);
            let (w, bias) = (&self.params[l.weight], &self.params[l.bias]);
            let (fi, fo) = (l.fan_in, l.fan_out);
            for r in 0..b {
                let o = &mut out[r * fo..(r + 1) * fo];
                o.copy_from_slice(bias);
                // Row of h times W, accumulated row by row of W so the inner loop vectorises.
                for (k, &a) in h[r * fi..(r + 1) * fi].iter().enumerate() {
                    for (o, &w) in o.iter_mut().zip(&w[k * fo..(k + 1) * fo]) {
                        *o += a * w;
                    }
                }
                for v in o.iter_mut() {
                    *v = match l.act {
                        Activation::Relu => v.max(0.0),
                        Activation::LeakyRelu if *v < 0.0 => *v * LEAKY_SLOPE,
                        Activation::LeakyRelu => *v,
                        Activation::Tanh => v.tanh(),
                        Activation::Sigmoid => 1.0 / (1.0 + (-*v).exp()),
                        Activation::Linear => *v,
                    };
                }
            }
        }
    }

    /// Mean softmax cross-entropy of the logits, computed stably; leaves d(loss)/d(logits) in
    /// `delta`.
    fn loss_grad(&mut self, b: usize) -> f32 {
        let c = self.layers.last().map_or(0, |l| l.fan_out);
        let logits = self.acts.last().expect("an output layer");
        let mut total = 0.0f32;
        for r in 0..b {
            let z = &logits[r * c..(r + 1) * c];
            let d = &mut self.delta[r * c..(r + 1) * c];
            let m = z.iter().fold(f32::NEG_INFINITY, |a, &v| a.max(v));
            let mut sum = 0.0;
            for (d, &v) in d.iter_mut().zip(z) {
                *d = (v - m).exp();
                sum += *d;
            }
            let y = self.labels[r] as usize;
            total += m + sum.ln() - z[y];
            for d in d.iter_mut() {
                *d /= sum * b as f32;
            }
            d[y] -= 1.0 / b as f32;
        }
        total / b as f32
    }

    fn backward(&mut self, b: usize) {
        for li in (0..self.layers.len()).rev() {
            let l = &self.layers[li];
            let (fi, fo) = (l.fan_in, l.fan_out);
            let h = &self.acts[li];
            let delta = &self.delta[..b * fo];
            let gw = &mut self.grads[l.weight];
            gw.fill(0.0);
            for r in 0..b {
                let d = &delta[r * fo..(r + 1) * fo];
                for (k, &a) in h[r * fi..(r + 1) * fi].iter().enumerate() {
                    for (g, &d) in gw[k * fo..(k + 1) * fo].iter_mut().zip(d) {
                        *g += a * d;
                    }
                }
            }
            let gb = &mut self.grads[l.bias];
            gb.fill(0.0);
            for d in delta.chunks_exact(fo) {
                for (g, &d) in gb.iter_mut().zip(d) {
                    *g += d;
                }
            }
            if li == 0 {
                break;
            }
            // Through W, then through the previous layer's activation (written from its output).
            let w = &self.params[l.weight];
            let act = self.layers[li - 1].act;
            for r in 0..b {
                let d = &delta[r * fo..(r + 1) * fo];
                for k in 0..fi {
                    let s = dot(d, &w[k * fo..(k + 1) * fo]);
                    let a = h[r * fi + k];
                    self.delta_prev[r * fi + k] = s * match act {
                        Activation::Relu => (a > 0.0) as u8 as f32,
                        Activation::LeakyRelu if a > 0.0 => 1.0,
                        Activation::LeakyRelu => LEAKY_SLOPE,
                        Activation::Tanh => 1.0 - a * a,
                        Activation::Sigmoid => a * (1.0 - a),
                        Activation::Linear => 1.0,
                    };
                }
            }
            std::mem::swap(&mut self.delta, &mut self.delta_prev);
        }
    }

    /// `Optimizer::step` element by element (scalars in f32, as burn applies them).
    fn update(&mut self, cfg: &RunConfig, lr: f64, decays: &[bool]) {
        self.t = self.t.saturating_add(1);
        let tc = &cfg.train;
        let kind = tc.optimizer;
        let decoupled = kind == OptimizerKind::AdamW;
        let (wd, l1, mom) = (tc.weight_decay, tc.l1, tc.momentum);
        let c1 = (1.0 - ADAM_B1.powi(self.t)) as f32;
        let c2 = (1.0 - ADAM_B2.powi(self.t)) as f32;
        let (b1, b2) = (ADAM_B1 as f32, ADAM_B2 as f32);
        let lr32 = lr as f32;
        let decay_step = (lr * wd as f64) as f32;
        for (i, p) in self.params.iter_mut().enumerate() {
            let (g, s1, s2) = (&self.grads[i], &mut self.s1[i], &mut self.s2[i]);
            let decays = decays[i];
            for j in 0..p.len() {
                let w = p[j];
                let mut g = g[j];
                if decays {
                    if wd > 0.0 && !decoupled {
                        g += w * wd;
                    }
                    if l1 > 0.0 {
                        g += w.signum() * (w != 0.0) as u8 as f32 * l1;
                    }
                }
                let dir = match kind {
                    OptimizerKind::Sgd => g,
                    OptimizerKind::Momentum | OptimizerKind::Nesterov => {
                        s1[j] = s1[j] * mom + g;
                        if kind == OptimizerKind::Nesterov {
                            g + s1[j] * mom
                        } else {
                            s1[j]
                        }
                    }
                    OptimizerKind::Adam | OptimizerKind::AdamW => {
                        s1[j] = s1[j] * b1 + g * (1.0 - b1);
                        s2[j] = s2[j] * b2 + g * g * (1.0 - b2);
                        (s1[j] / c1) / ((s2[j] / c2).sqrt() + EPS)
                    }
                    OptimizerKind::RmsProp => {
                        s1[j] = s1[j] * RMS_ALPHA + g * g * (1.0 - RMS_ALPHA);
                        g / (s1[j].sqrt() + EPS)
                    }
                };
                let mut next = w - dir * lr32;
                if decoupled && decays && wd > 0.0 {
                    next -= w * decay_step;
                }
                p[j] = next;
            }
        }
    }
}

/// A dot product in eight lanes: a plain `sum()` keeps float order and so never vectorises.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}
