//! One training step and one evaluation, queued on the device without reading anything back.

use super::loss;
use super::session::Session;
use crate::data::{Dataset, Split};
use crate::model::ForwardMode;
use crate::model::forward::forward;
use burn::tensor::{Device, Int, Tensor, TensorData};

/// The training subset on which train accuracy is measured (fixed, so the curve is comparable).
const TRAIN_SUBSET: usize = 512;
const BN_MOMENTUM: f64 = 0.1;

/// Where the learning rate of each step comes from.
#[derive(Clone, Copy, Debug)]
pub enum LrPlan {
    Config,
    /// The LR range test: exponential from `min` to `max` over `steps`.
    Exponential {
        min: f64,
        max: f64,
        steps: usize,
    },
}

/// A split on the device: features, loss targets (one-hot or values) and class ids.
pub struct DeviceSplit {
    pub x: Tensor<2>,
    pub t: Tensor<2>,
    pub labels: Tensor<2, Int>,
}

impl DeviceSplit {
    fn upload(data: &Dataset, split: &Split, limit: usize, device: &Device) -> Self {
        let n = split.len().min(limit);
        let f = data.num_features;
        let x = Tensor::from_data(TensorData::new(split.x[..n * f].to_vec(), [n, f]), device);
        let (t, labels): (Vec<f32>, Vec<i64>) = if data.regression {
            (split.targets[..n].to_vec(), vec![0; n])
        } else {
            let c = data.num_classes;
            let mut onehot = vec![0.0; n * c];
            for (i, &l) in split.labels[..n].iter().enumerate() {
                onehot[i * c + l as usize] = 1.0;
            }
            (onehot, split.labels[..n].iter().map(|&l| l as i64).collect())
        };
        let width = t.len() / n.max(1);
        Self {
            x,
            t: Tensor::from_data(TensorData::new(t, [n, width]), device),
            labels: Tensor::from_data(TensorData::new(labels, [n, 1]), device),
        }
    }
}

pub struct DeviceData {
    pub train: DeviceSplit,
    pub subset: DeviceSplit,
    pub val: DeviceSplit,
}

impl DeviceData {
    pub fn upload(data: &Dataset, device: &Device) -> Self {
        Self {
            train: DeviceSplit::upload(data, &data.train, usize::MAX, device),
            subset: DeviceSplit::upload(data, &data.train, TRAIN_SUBSET, device),
            val: DeviceSplit::upload(data, &data.val, usize::MAX, device),
        }
    }
}

pub struct StepOut {
    /// The batch loss, detached, `[1]`.
    pub loss: Tensor<1>,
    /// Gradient norms then weight norms per layer, when asked for.
    pub norms: Option<Tensor<1>>,
}

impl Session {
    /// A new epoch's order of the training examples (the fused path consumes it the same way).
    pub(super) fn epoch_order(&mut self) -> Vec<u32> {
        if self.cfg.bugs.no_shuffle {
            self.data.train.class_order()
        } else {
            let mut o: Vec<u32> = (0..self.data.train.len() as u32).collect();
            self.order_rng.shuffle(&mut o);
            o
        }
    }

    /// The examples of the next batch, starting a new epoch (new order) when needed.
    fn next_batch(&mut self) -> (Tensor<2>, Tensor<2>) {
        let pos = (self.step() as usize) % self.steps_per_epoch;
        if pos == 0 || self.epoch.is_none() {
            let order = self.epoch_order();
            let idx = self.int_tensor(&order);
            let train = &self.dev.train;
            self.epoch = Some((
                train.x.clone().select(0, idx.clone()),
                train.t.clone().select(0, idx),
            ));
        }
        let (x, t) = self.epoch.as_ref().expect("epoch set above");
        let start = pos * self.batch;
        (
            x.clone().narrow(0, start, self.batch),
            t.clone().narrow(0, start, self.batch),
        )
    }

    /// Inverted-dropout masks for every hidden layer (empty without dropout).
    fn dropout_masks(&mut self, rows: usize, eval: bool) -> Vec<Tensor<2>> {
        let p = self.cfg.model.dropout;
        if p <= 0.0 {
            return Vec::new();
        }
        let keep = 1.0 - p;
        let widths = self.hidden_widths();
        let rng = if eval {
            &mut self.eval_rng
        } else {
            &mut self.dropout_rng
        };
        let masks: Vec<(Vec<f32>, usize)> = widths
            .iter()
            .map(|&w| {
                let m = (0..rows * w)
                    .map(|_| {
                        if (rng.uniform() as f32) < keep {
                            1.0 / keep
                        } else {
                            0.0
                        }
                    })
                    .collect();
                (m, w)
            })
            .collect();
        masks
            .into_iter()
            .map(|(m, w)| Tensor::from_data(TensorData::new(m, [rows, w]), &self.device))
            .collect()
    }

    pub(super) fn train_step(&mut self, lr: f64, want_norms: bool) -> StepOut {
        let (x, t) = self.next_batch();
        let masks = self.dropout_masks(self.batch, false);
        let tracked: Vec<Tensor<2>> = self
            .model
            .params
            .iter()
            .map(|p| p.clone().autodiff().require_grad())
            .collect();
        let mode = ForwardMode {
            batch_stats: true,
            masks: &masks,
            keep_hidden: false,
        };
        let out = forward(&self.model.spec, &tracked, &self.model.running, x, mode);
        let loss = loss::mean(out.output, t, self.data.regression, &self.cfg.bugs);
        let grads = loss.backward();
        let mut g: Vec<Tensor<2>> = tracked
            .iter()
            .zip(&self.model.params)
            .map(|(p, plain)| {
                p.grad(&grads)
                    .map(|g| g.inner())
                    .unwrap_or_else(|| plain.zeros_like())
            })
            .collect();
        for ((mean, var), running) in out.batch_stats.into_iter().zip(self.model.running.iter_mut()) {
            let (m, v) = (mean.inner().detach(), var.inner().detach());
            running.0 = running.0.clone() * (1.0 - BN_MOMENTUM) + m * BN_MOMENTUM;
            running.1 = running.1.clone() * (1.0 - BN_MOMENTUM) + v * BN_MOMENTUM;
        }
        let norms = want_norms.then(|| {
            Tensor::cat(
                vec![self.layer_norms(&g), self.layer_norms(&self.model.params)],
                0,
            )
        });
        if self.cfg.train.clip_norm > 0.0 {
            let total = Tensor::cat(g.iter().map(|t| t.clone().square().sum()).collect(), 0)
                .sum()
                .sqrt();
            let scale = (total.add_scalar(1e-6).recip() * self.cfg.train.clip_norm as f64)
                .clamp_max(1.0)
                .reshape([1, 1]);
            g = g.into_iter().map(|t| t * scale.clone()).collect();
        }
        self.opt.step(&mut self.model.params, g, lr, &self.decays);
        StepOut {
            loss: loss.inner().detach(),
            norms,
        }
    }

    /// `[val loss, val accuracy, subset loss, subset accuracy]` after the current step.
    pub(super) fn eval_tensor(&mut self) -> Tensor<1> {
        let buggy = self.cfg.bugs.eval_with_dropout;
        let mut parts = Vec::with_capacity(4);
        for which in [0, 1] {
            let rows = if which == 0 {
                self.dev.val.x.dims()[0]
            } else {
                self.dev.subset.x.dims()[0]
            };
            let masks = if buggy {
                self.dropout_masks(rows, true)
            } else {
                Vec::new()
            };
            let split = if which == 0 {
                &self.dev.val
            } else {
                &self.dev.subset
            };
            let mode = ForwardMode {
                batch_stats: buggy,
                masks: &masks,
                keep_hidden: false,
            };
            let out = self.model.forward(split.x.clone(), mode).output;
            let l = loss::mean(out.clone(), split.t.clone(), self.data.regression, &self.cfg.bugs);
            let correct = loss::scores(out, &self.cfg.bugs)
                .argmax(1)
                .equal(split.labels.clone())
                .float()
                .mean();
            parts.push(l);
            parts.push(correct);
        }
        Tensor::cat(parts, 0)
    }
}
