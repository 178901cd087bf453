//! Losses, including the two deliberate softmax mistakes.

use crate::config::BugsConfig;
use burn::tensor::Tensor;
use burn::tensor::activation::{log_softmax, relu, softmax};

/// What the network's scores become before the loss and the argmax: the place where the
/// `relu_before_softmax` and `double_softmax` bugs live.
pub fn scores(output: Tensor<2>, bugs: &BugsConfig) -> Tensor<2> {
    let mut s = output;
    if bugs.relu_before_softmax {
        // Logits can no longer be negative: a class can only be made unlikely by pushing the
        // others up, and a unit whose logit is stuck at 0 passes no gradient.
        s = relu(s);
    }
    if bugs.double_softmax {
        // Probabilities in [0, 1] fed to a loss that applies softmax again: the "logits" can
        // differ by at most 1, so the loss can never get close to 0 and gradients are tiny.
        s = softmax(s, 1);
    }
    s
}

/// Per-example loss, `[batch, 1]`: softmax cross-entropy against one-hot targets, or squared
/// error for regression.
pub fn per_example(output: Tensor<2>, target: Tensor<2>, regression: bool, bugs: &BugsConfig) -> Tensor<2> {
    if regression {
        (output - target).square()
    } else {
        (log_softmax(scores(output, bugs), 1) * target).sum_dim(1).neg()
    }
}

/// Mean loss over the batch, `[1]`.
pub fn mean(output: Tensor<2>, target: Tensor<2>, regression: bool, bugs: &BugsConfig) -> Tensor<1> {
    per_example(output, target, regression, bugs).mean()
}
