//! The named benchmark workloads, shared by the native benchmark and the in-browser one.

use crate::config::{Activation, Arch, DatasetKind, OptimizerKind, RunConfig};

pub const NAMES: [&str; 4] = ["toy", "mlp", "digits", "cnn"];

/// The run config of a named workload, or `None` for an unknown name.
pub fn workload(name: &str) -> Option<RunConfig> {
    let mut c = RunConfig::default();
    c.model.activation = vec![Activation::Relu];
    c.train.eval_every = 10_000;
    match name {
        // spiral 500 points, MLP 2-8-8-2 ReLU, batch 10, SGD 0.03
        "toy" => {
            c.data.samples = 500;
            c.model.hidden = vec![8, 8];
            c.train.batch_size = 10;
            c.train.optimizer = OptimizerKind::Sgd;
            c.train.lr = 0.03;
        }
        // spiral, 2-64-64-2, batch 64, Adam 0.01
        "mlp" => {
            c.model.hidden = vec![64, 64];
            c.train.batch_size = 64;
            c.train.lr = 0.01;
        }
        // digits, 64-128-10, batch 64, Adam 0.001
        "digits" => {
            c.data.dataset = DatasetKind::Digits;
            c.model.hidden = vec![128];
            c.train.batch_size = 64;
            c.train.lr = 0.001;
        }
        // 28x28x1 inputs, conv3x3x8-pool-conv3x3x16-pool-dense10, batch 32, Adam 0.001
        "cnn" => {
            c.data.dataset = DatasetKind::Digits;
            c.data.image_size = 28;
            c.model.arch = Arch::Cnn;
            c.model.hidden = vec![];
            c.train.batch_size = 32;
            c.train.lr = 0.001;
        }
        _ => return None,
    }
    c.train.optimizer = if name == "toy" {
        OptimizerKind::Sgd
    } else {
        OptimizerKind::Adam
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_workload_is_valid() {
        for n in super::NAMES {
            let c = super::workload(n).unwrap();
            assert!(c.validate().is_ok(), "{n}: {:?}", c.validate());
        }
        assert!(super::workload("nope").is_none());
    }
}
