//! One training step and one evaluation, queued on the device without reading anything back.

use super::loss;
use super::session::Session;
use crate::data::{Dataset, Split};
use crate::model::forward::forward;
use crate::model::{ForwardMode, ForwardOut};
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

    /// Inverted-dropout masks for every hidden layer (empty without dropout), drawn from the
    /// stream `which` (each purpose has its own, so measuring never changes what training draws).
    fn dropout_masks(&mut self, rows: usize, which: Masks) -> Vec<Tensor<2>> {
        let p = self.cfg.model.dropout;
        if p <= 0.0 {
            return Vec::new();
        }
        let keep = 1.0 - p;
        let widths = self.hidden_widths();
        let rng = match which {
            Masks::Train => &mut self.dropout_rng,
            Masks::Eval => &mut self.eval_rng,
            Masks::Probe => &mut self.probe_rng,
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
        let masks = self.dropout_masks(self.batch, Masks::Train);
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

    /// `[val loss, val accuracy, subset loss, subset accuracy]` after the current step, then
    /// the probe's values ([`Session::probe_len`]).
    pub(super) fn eval_tensor(&mut self) -> Tensor<1> {
        let buggy = self.cfg.bugs.eval_with_dropout;
        let mut parts = Vec::with_capacity(5);
        let mut subset_out = None;
        for which in [0, 1] {
            let rows = if which == 0 {
                self.dev.val.x.dims()[0]
            } else {
                self.dev.subset.x.dims()[0]
            };
            let masks = if buggy {
                self.dropout_masks(rows, Masks::Eval)
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
                keep_hidden: which == 1,
            };
            let out = self.model.forward(split.x.clone(), mode);
            let l = loss::mean(
                out.output.clone(),
                split.t.clone(),
                self.data.regression,
                &self.cfg.bugs,
            );
            let correct = loss::scores(out.output.clone(), &self.cfg.bugs)
                .argmax(1)
                .equal(split.labels.clone())
                .float()
                .mean();
            parts.push(l.clone());
            parts.push(correct);
            if which == 1 {
                // A pass with no masks and running statistics is already an evaluation-mode one.
                let plain = masks.is_empty() && !(buggy && self.model.spec.num_norm_layers() > 0);
                subset_out = plain.then_some((out, l));
            }
        }
        parts.push(self.probe_tensor(subset_out));
        Tensor::cat(parts, 0)
    }

    /// Values read back per evaluation after its four figures: the probe's
    /// `[eval-mode loss, train-mode loss, clamped classes, drift per layer…, active rows per hidden unit…]`.
    pub(super) fn probe_len(&self) -> usize {
        3 + self.model.spec.layers.len() + self.hidden_widths().iter().sum::<usize>()
    }

    /// The probe on the training subset (see [`super::Probe`]): `plain` is the subset's
    /// evaluation-mode pass with its loss when the evaluation already ran one.
    fn probe_tensor(&mut self, plain: Option<(ForwardOut, Tensor<1>)>) -> Tensor<1> {
        let x = self.dev.subset.x.clone();
        let t = self.dev.subset.t.clone();
        let regression = self.data.regression;
        let (out, eval_loss) = plain.unwrap_or_else(|| {
            let mode = ForwardMode {
                keep_hidden: true,
                ..Default::default()
            };
            let out = self.model.forward(x.clone(), mode);
            let l = loss::mean(out.output.clone(), t.clone(), regression, &self.cfg.bugs);
            (out, l)
        });
        // Training mode differs only with dropout or batch norm; otherwise it is the same pass.
        let train_loss = if self.cfg.model.dropout > 0.0 || self.model.spec.num_norm_layers() > 0 {
            let masks = self.dropout_masks(x.dims()[0], Masks::Probe);
            let mode = ForwardMode {
                batch_stats: true,
                masks: &masks,
                keep_hidden: false,
            };
            let o = self.model.forward(x, mode).output;
            loss::mean(o, t, regression, &self.cfg.bugs)
        } else {
            eval_loss.clone()
        };
        let classes = out.output.dims()[1];
        let clamped = if regression {
            Tensor::zeros([1], &self.device)
        } else {
            loss::scores(out.output, &self.cfg.bugs)
                .max_dim(0)
                .equal_elem(0.0)
                .float()
                .sum()
                / classes as f32
        };
        let mut parts = vec![eval_loss, train_loss, clamped];
        for (l, w0) in self.model.spec.layers.iter().zip(&self.init_weights) {
            let w = self.model.params[l.weight].clone();
            let moved = (w.clone() - w0.clone()).square().sum().sqrt();
            let size = w.square().sum().sqrt().max_pair(w0.clone().square().sum().sqrt());
            parts.push(moved / size.clamp_min(1e-12));
        }
        for h in out.hidden {
            let w = h.dims()[1];
            parts.push(h.greater_elem(0.0).float().sum_dim(0).reshape([w]));
        }
        Tensor::cat(parts, 0)
    }
}

/// Which random stream a set of dropout masks comes from.
#[derive(Clone, Copy)]
enum Masks {
    Train,
    /// The `eval_with_dropout` bug's evaluation.
    Eval,
    /// A probe's training-mode pass.
    Probe,
}
