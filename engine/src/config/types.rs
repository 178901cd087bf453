use serde::{Deserialize, Serialize};

/// Everything that defines a run. Same config + same seed = same curves on the CPU backend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunConfig {
    pub seed: u64,
    pub data: DataConfig,
    pub model: ModelConfig,
    pub train: TrainConfig,
    pub bugs: BugsConfig,
}

impl Default for RunConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            data: DataConfig::default(),
            model: ModelConfig::default(),
            train: TrainConfig::default(),
            bugs: BugsConfig::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetKind {
    Spiral,
    Circles,
    Xor,
    Blobs,
    Moons,
    /// Regression: a tilted plane.
    Plane,
    /// Regression: a mixture of Gaussian bumps.
    Gaussians,
    /// The UCI 8x8 handwritten digits (1,797 images, 10 classes).
    Digits,
    /// The learner's own CSV file (`data::Assets::csv`): its columns decide the number of
    /// inputs and classes, and whether it is regression.
    Csv,
}

impl DatasetKind {
    pub const ALL: [DatasetKind; 9] = [
        Self::Spiral,
        Self::Circles,
        Self::Xor,
        Self::Blobs,
        Self::Moons,
        Self::Plane,
        Self::Gaussians,
        Self::Digits,
        Self::Csv,
    ];
    /// The generated regression sets (a CSV file may be regression too: the file decides).
    pub fn is_regression(self) -> bool {
        matches!(self, Self::Plane | Self::Gaussians)
    }
    pub fn is_image(self) -> bool {
        matches!(self, Self::Digits)
    }
    /// Whether the learner chooses the number of classes (others have a fixed count).
    pub fn has_class_choice(self) -> bool {
        matches!(self, Self::Spiral | Self::Blobs)
    }
}

/// Input features computed from the 2-D point (x, y), as in TensorFlow Playground.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    X,
    Y,
    XSquared,
    YSquared,
    XTimesY,
    SinX,
    SinY,
}

impl Feature {
    pub const ALL: [Feature; 7] = [
        Self::X,
        Self::Y,
        Self::XSquared,
        Self::YSquared,
        Self::XTimesY,
        Self::SinX,
        Self::SinY,
    ];
    pub fn eval(self, x: f32, y: f32) -> f32 {
        match self {
            Self::X => x,
            Self::Y => y,
            Self::XSquared => x * x,
            Self::YSquared => y * y,
            Self::XTimesY => x * y,
            Self::SinX => x.sin(),
            Self::SinY => y.sin(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    pub dataset: DatasetKind,
    /// Number of generated points (2-D sets), 20..=5000. The digits set always has 1,797.
    pub samples: usize,
    /// Noise added to the generator, 0..=1 (0 = clean shapes).
    pub noise: f32,
    /// Number of classes for spiral and blobs, 2..=6. Fixed for the other sets.
    pub classes: usize,
    /// Fraction of the examples held out for validation, 0.01..=0.9.
    pub val_fraction: f32,
    /// Size of the smallest class relative to the largest, 0.02..=1 (1 = balanced).
    pub imbalance: f32,
    /// Fraction of training labels replaced by a wrong class, 0..=0.9.
    pub label_noise: f32,
    /// Input features for the 2-D sets (at least one).
    pub features: Vec<Feature>,
    /// Raw-feature units: every raw input is `value * input_scale + input_offset`, 0.001..=1000.
    /// Standardisation (on unless the `unnormalized_inputs` bug is on) removes them again.
    pub input_scale: f32,
    /// See `input_scale`, -1000..=1000.
    pub input_offset: f32,
    /// Side of the digit images, 8 (original) or 28 (upsampled, for the CNN benchmark).
    pub image_size: usize,
}

impl Default for DataConfig {
    fn default() -> Self {
        Self {
            dataset: DatasetKind::Spiral,
            samples: 500,
            noise: 0.1,
            classes: 2,
            val_fraction: 0.2,
            imbalance: 1.0,
            label_noise: 0.0,
            features: vec![Feature::X, Feature::Y],
            input_scale: 10.0,
            input_offset: 20.0,
            image_size: 8,
        }
    }
}

/// The shape of the model follows from the config alone except for a CSV file, where these
/// return `None`: the built `data::Dataset` has the numbers for every dataset.
impl DataConfig {
    /// The number of classes the model predicts (1 output for regression).
    pub fn num_classes(&self) -> Option<usize> {
        Some(match self.dataset {
            DatasetKind::Spiral | DatasetKind::Blobs => self.classes,
            DatasetKind::Digits => 10,
            DatasetKind::Plane | DatasetKind::Gaussians => 1,
            DatasetKind::Circles | DatasetKind::Xor | DatasetKind::Moons => 2,
            DatasetKind::Csv => return None,
        })
    }
    /// The model's output width: one logit per class, or one value for regression.
    pub fn num_outputs(&self) -> Option<usize> {
        self.num_classes()
    }
    /// The model's input width.
    pub fn num_inputs(&self) -> Option<usize> {
        match self.dataset {
            DatasetKind::Digits => Some(self.image_size * self.image_size),
            DatasetKind::Csv => None,
            _ => Some(self.features.len()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arch {
    /// Fully connected layers.
    Mlp,
    /// conv3x3(8)-pool-conv3x3(16)-pool, then the hidden dense layers (images only).
    Cnn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Relu,
    LeakyRelu,
    Tanh,
    Sigmoid,
    Linear,
}

impl Activation {
    pub const ALL: [Activation; 5] = [
        Self::Relu,
        Self::LeakyRelu,
        Self::Tanh,
        Self::Sigmoid,
        Self::Linear,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    HeNormal,
    HeUniform,
    GlorotNormal,
    GlorotUniform,
    /// Normal with the standard deviation `init_std`.
    Normal,
    Zeros,
}

impl Init {
    pub const ALL: [Init; 6] = [
        Self::HeNormal,
        Self::HeUniform,
        Self::GlorotNormal,
        Self::GlorotUniform,
        Self::Normal,
        Self::Zeros,
    ];
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    pub arch: Arch,
    /// Hidden layer widths, 0..=6 layers of 1..=256 units.
    pub hidden: Vec<usize>,
    /// Activation per hidden layer; one entry applies to every layer.
    pub activation: Vec<Activation>,
    pub init: Init,
    /// Standard deviation for `Init::Normal`, 1e-6..=10.
    pub init_std: f32,
    /// Dropout probability on hidden layers, 0..=0.95.
    pub dropout: f32,
    pub batch_norm: bool,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            arch: Arch::Mlp,
            hidden: vec![16, 16],
            activation: vec![Activation::Relu],
            init: Init::HeNormal,
            init_std: 0.01,
            dropout: 0.0,
            batch_norm: false,
        }
    }
}

impl ModelConfig {
    /// The activation of hidden layer `i` (the last listed one repeats).
    pub fn activation_of(&self, i: usize) -> Activation {
        self.activation
            .get(i)
            .or(self.activation.last())
            .copied()
            .unwrap_or(Activation::Relu)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    Sgd,
    Momentum,
    Nesterov,
    Adam,
    AdamW,
    RmsProp,
}

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 6] = [
        Self::Sgd,
        Self::Momentum,
        Self::Nesterov,
        Self::Adam,
        Self::AdamW,
        Self::RmsProp,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    Constant,
    /// Multiply the LR by `lr_gamma` every `lr_period` steps.
    Step,
    /// Cosine from the LR down to `lr_min` over `lr_period` steps, then stay there.
    Cosine,
    /// Cosine annealing restarted every `lr_period` steps (SGDR).
    CosineRestarts,
}

impl ScheduleKind {
    pub const ALL: [ScheduleKind; 4] = [Self::Constant, Self::Step, Self::Cosine, Self::CosineRestarts];
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    pub optimizer: OptimizerKind,
    /// Base learning rate, 1e-6..=1000.
    pub lr: f64,
    /// Momentum for `momentum`/`nesterov`, 0..=0.999.
    pub momentum: f32,
    /// Examples per step, 1..=5000 (capped at the training set size: full batch).
    pub batch_size: usize,
    pub schedule: ScheduleKind,
    /// Schedule period in steps, 1..=100000.
    pub lr_period: usize,
    /// Step-decay factor, 0.01..=1.
    pub lr_gamma: f32,
    /// Floor of the cosine schedules as a fraction of the LR, 0..=1.
    pub lr_min: f32,
    /// Linear warm-up steps from 0 to the LR, 0..=100000.
    pub warmup: usize,
    /// L2 penalty / weight decay (decoupled for AdamW), 0..=1.
    pub weight_decay: f32,
    /// L1 penalty, 0..=1.
    pub l1: f32,
    /// Clip the global gradient norm to this value, 0 = off, 0..=1000.
    pub clip_norm: f32,
    /// Stop after this many evaluations without a better validation loss, 0 = off, 0..=1000.
    pub patience: usize,
    /// Evaluate validation loss/accuracy every this many steps, 1..=10000.
    pub eval_every: usize,
    /// Stop after this many steps, 0 = no limit, 0..=10000000.
    pub max_steps: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            optimizer: OptimizerKind::Adam,
            lr: 0.01,
            momentum: 0.9,
            batch_size: 32,
            schedule: ScheduleKind::Constant,
            lr_period: 1000,
            lr_gamma: 0.5,
            lr_min: 0.0,
            warmup: 0,
            weight_decay: 0.0,
            l1: 0.0,
            clip_norm: 0.0,
            patience: 0,
            eval_every: 10,
            max_steps: 0,
        }
    }
}

/// Deliberate mistakes a learner can switch on, each implemented for real.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BugsConfig {
    /// ReLU applied to the logits right before the softmax cross-entropy.
    pub relu_before_softmax: bool,
    /// Softmax probabilities fed to a loss that applies softmax again.
    pub double_softmax: bool,
    /// Batches come in class order, the same every epoch.
    pub no_shuffle: bool,
    /// Inputs are fed in raw units (`input_scale`, `input_offset`) without standardisation.
    pub unnormalized_inputs: bool,
    /// Validation is run in training mode: dropout (and batch statistics) stay on.
    pub eval_with_dropout: bool,
    /// Validation skips the training set's standardisation (kept in raw units).
    pub val_preprocessing_mismatch: bool,
}
