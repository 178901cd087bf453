//! Optimizers written on tensors: SGD, momentum, Nesterov, Adam, AdamW, RMSprop.
//!
//! Written here rather than taken from burn-optim so that regularisation, clipping and the
//! per-layer statistics the UI shows all work on the same flat list of parameters, with as
//! few tensor operations per step as possible (tiny networks are bound by per-op overhead).

use super::shader_consts::{ADAM_B1, ADAM_B2, EPS, RMS_ALPHA};
use crate::config::{OptimizerKind, TrainConfig};
use burn::tensor::Tensor;

enum Slot {
    Empty,
    Velocity(Tensor<2>),
    Moments(Box<(Tensor<2>, Tensor<2>)>),
    Square(Tensor<2>),
}

pub struct Optimizer {
    kind: OptimizerKind,
    momentum: f64,
    weight_decay: f64,
    l1: f64,
    slots: Vec<Slot>,
    t: i32,
}

impl Optimizer {
    pub fn new(cfg: &TrainConfig, num_params: usize) -> Self {
        Self {
            kind: cfg.optimizer,
            momentum: cfg.momentum as f64,
            weight_decay: cfg.weight_decay as f64,
            l1: cfg.l1 as f64,
            slots: (0..num_params).map(|_| Slot::Empty).collect(),
            t: 0,
        }
    }

    /// Applies one update. `decays[i]` says whether parameter `i` is regularised (weights are,
    /// biases and batch-norm parameters are not).
    pub fn step(&mut self, params: &mut [Tensor<2>], grads: Vec<Tensor<2>>, lr: f64, decays: &[bool]) {
        self.t = self.t.saturating_add(1);
        let decoupled = self.kind == OptimizerKind::AdamW;
        for (i, mut g) in grads.into_iter().enumerate() {
            let p = params[i].clone();
            if decays[i] {
                // L2 as a gradient term (coupled); AdamW decays the weights directly below.
                if self.weight_decay > 0.0 && !decoupled {
                    g = g + p.clone() * self.weight_decay;
                }
                if self.l1 > 0.0 {
                    g = g + p.clone().sign() * self.l1;
                }
            }
            let update = self.direction(i, g);
            let mut next = p - update * lr;
            if decoupled && decays[i] && self.weight_decay > 0.0 {
                next = next.clone() - params[i].clone() * (lr * self.weight_decay);
            }
            params[i] = next;
        }
    }

    fn direction(&mut self, i: usize, g: Tensor<2>) -> Tensor<2> {
        let slot = std::mem::replace(&mut self.slots[i], Slot::Empty);
        let (dir, slot) = match self.kind {
            OptimizerKind::Sgd => (g, Slot::Empty),
            OptimizerKind::Momentum | OptimizerKind::Nesterov => {
                let v = match slot {
                    Slot::Velocity(v) => v * self.momentum + g.clone(),
                    _ => g.clone(),
                };
                let dir = if self.kind == OptimizerKind::Nesterov {
                    g + v.clone() * self.momentum
                } else {
                    v.clone()
                };
                (dir, Slot::Velocity(v))
            }
            OptimizerKind::Adam | OptimizerKind::AdamW => {
                let (m, v) = match slot {
                    Slot::Moments(mv) => {
                        let (m, v) = *mv;
                        (
                            m * ADAM_B1 + g.clone() * (1.0 - ADAM_B1),
                            v * ADAM_B2 + g.square() * (1.0 - ADAM_B2),
                        )
                    }
                    _ => (g.clone() * (1.0 - ADAM_B1), g.square() * (1.0 - ADAM_B2)),
                };
                let c1 = 1.0 - ADAM_B1.powi(self.t);
                let c2 = 1.0 - ADAM_B2.powi(self.t);
                let dir = (m.clone() / c1) / ((v.clone() / c2).sqrt() + EPS);
                (dir, Slot::Moments(Box::new((m, v))))
            }
            OptimizerKind::RmsProp => {
                let v = match slot {
                    Slot::Square(v) => v * RMS_ALPHA + g.clone().square() * (1.0 - RMS_ALPHA),
                    _ => g.clone().square() * (1.0 - RMS_ALPHA),
                };
                (g / (v.clone().sqrt() + EPS), Slot::Square(v))
            }
        };
        self.slots[i] = slot;
        dir
    }
}
