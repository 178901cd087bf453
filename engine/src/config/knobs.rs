//! The knob registry: one entry per `RunConfig` field with its bounds, so that the UI, the
//! URL query string, TOML loading and `validate` all agree on what each knob accepts.

use std::fmt;
use std::num::IntErrorKind;
use std::sync::LazyLock;

use super::types::*;
use super::validate::SettingError;
use crate::msg::Msg;

/// The panel a knob is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    Data,
    Model,
    Training,
    Bugs,
}

/// What a knob accepts. Bounds are inclusive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KnobKind {
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    /// `log`: the range spans decades, so a slider should be logarithmic.
    Float {
        min: f64,
        max: f64,
        log: bool,
    },
    Choice {
        options: &'static [&'static str],
    },
    IntList {
        min_len: usize,
        max_len: usize,
        min: i64,
        max: i64,
    },
    /// `unique`: an option may appear at most once (a feature is an input, not a layer).
    ChoiceList {
        options: &'static [&'static str],
        min_len: usize,
        max_len: usize,
        unique: bool,
    },
}

/// A knob's value, independent of the field's Rust type.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A `Choice` option.
    Text(String),
    IntList(Vec<i64>),
    /// `ChoiceList` options.
    List(Vec<String>),
}

/// One toggle of the run configuration.
#[derive(Clone, Copy, Debug)]
pub struct Knob {
    /// The field name; also the URL query key.
    pub key: &'static str,
    /// The TOML path, e.g. `train.lr`, used in error messages.
    pub path: &'static str,
    pub group: Group,
    pub kind: KnobKind,
    pub get: fn(&RunConfig) -> Value,
    /// Stores a value of the knob's type; a value of another type is ignored. It does not
    /// check bounds: use [`Knob::set_checked`] for untrusted values.
    pub set: fn(&mut RunConfig, Value),
}

/// Formats a number short and round-trippable: `0.1`, `1000`, `1e-6` (not `0.000001`).
pub(crate) fn fmt_num(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && a.is_finite() && !(1e-4..1e16).contains(&a) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// The f64 a learner means by an f32: 0.1f32 becomes 0.1, not 0.10000000149011612. Exact
/// both ways: the shortest decimal of an f32 parses back (via f64) to the same f32.
fn f32_value(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

impl Value {
    /// The URL and display form: `0.1`, `relu`, `16,16`, and `none` for an empty list.
    pub fn to_text(&self) -> String {
        match self {
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(x) => fmt_num(*x),
            Value::Text(s) => s.clone(),
            Value::IntList(v) if v.is_empty() => "none".into(),
            Value::List(v) if v.is_empty() => "none".into(),
            Value::IntList(v) => v.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            Value::List(v) => v.join(","),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

fn parse_int(t: &str) -> Result<i64, Msg> {
    match t.parse::<i64>() {
        Ok(i) => Ok(i),
        // A huge number is out of range rather than malformed: saturate and let the bounds speak.
        Err(e) if *e.kind() == IntErrorKind::PosOverflow => Ok(i64::MAX),
        Err(e) if *e.kind() == IntErrorKind::NegOverflow => Ok(i64::MIN),
        Err(_) => Err(Msg::new("expected_int")),
    }
}

fn parse_float(t: &str) -> Result<f64, Msg> {
    let x: f64 = t.parse().map_err(|_| Msg::new("expected_number"))?;
    if x.is_finite() {
        Ok(x)
    } else if x.is_nan() || t.to_ascii_lowercase().contains("inf") {
        Err(Msg::new("expected_finite"))
    } else {
        Ok(f64::MAX.copysign(x)) // an overflowing literal such as 1e400: out of range
    }
}

fn parse_name(t: &str, options: &[&str]) -> Result<String, Msg> {
    match options.contains(&t) {
        true => Ok(t.to_string()),
        false => Err(Msg::new("expected_one_of").arg("options", options.join(", "))),
    }
}

/// Items of a comma-separated list; `none` or nothing is the empty list.
fn list_items(t: &str) -> Vec<&str> {
    match t {
        "" | "none" => Vec::new(),
        _ => t.split(',').map(str::trim).collect(),
    }
}

impl KnobKind {
    /// Parses the text form. Only syntax is checked here (see [`KnobKind::allows`] for bounds),
    /// except that NaN and infinity are rejected and a `Choice` name must be an option.
    pub fn parse(&self, text: &str) -> Result<Value, Msg> {
        let t = text.trim();
        match *self {
            KnobKind::Bool => match t.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(Value::Bool(true)),
                "false" | "0" | "no" | "off" => Ok(Value::Bool(false)),
                _ => Err(Msg::new("expected_bool")),
            },
            KnobKind::Int { .. } => parse_int(t).map(Value::Int),
            KnobKind::Float { .. } => parse_float(t).map(Value::Float),
            KnobKind::Choice { options } => parse_name(t, options).map(Value::Text),
            KnobKind::IntList { .. } => {
                let items: Result<_, _> = list_items(t).into_iter().map(parse_int).collect();
                items
                    .map(Value::IntList)
                    .map_err(|_| Msg::new("expected_int_list"))
            }
            KnobKind::ChoiceList { options, .. } => {
                let items: Result<_, _> = list_items(t)
                    .into_iter()
                    .map(|s| parse_name(s, options))
                    .collect();
                items.map(Value::List)
            }
        }
    }

    /// Whether `v` has this kind's type and lies within its bounds (NaN never does).
    pub fn allows(&self, v: &Value) -> bool {
        match (*self, v) {
            (KnobKind::Bool, Value::Bool(_)) => true,
            (KnobKind::Int { min, max }, Value::Int(i)) => (min..=max).contains(i),
            (KnobKind::Float { min, max, .. }, Value::Float(x)) => (min..=max).contains(x),
            (KnobKind::Choice { options }, Value::Text(s)) => options.contains(&s.as_str()),
            (
                KnobKind::IntList {
                    min_len,
                    max_len,
                    min,
                    max,
                },
                Value::IntList(v),
            ) => (min_len..=max_len).contains(&v.len()) && v.iter().all(|i| (min..=max).contains(i)),
            (
                KnobKind::ChoiceList {
                    options,
                    min_len,
                    max_len,
                    unique,
                },
                Value::List(v),
            ) => {
                (min_len..=max_len).contains(&v.len())
                    && v.iter().all(|s| options.contains(&s.as_str()))
                    && (!unique || v.iter().enumerate().all(|(i, s)| !v[..i].contains(s)))
            }
            _ => false,
        }
    }

    /// The allowed value closest to `v`: numbers clamped, lists truncated and deduplicated.
    /// `None` when nothing sensible is near (wrong type, unknown option, list too short, NaN).
    pub fn nearest(&self, v: &Value) -> Option<Value> {
        match (*self, v) {
            (KnobKind::Bool, Value::Bool(b)) => Some(Value::Bool(*b)),
            (KnobKind::Int { min, max }, Value::Int(i)) => Some(Value::Int((*i).clamp(min, max))),
            (KnobKind::Float { min, max, .. }, Value::Float(x)) if !x.is_nan() => {
                Some(Value::Float(x.clamp(min, max)))
            }
            (KnobKind::Choice { .. }, Value::Text(_)) if self.allows(v) => Some(v.clone()),
            (
                KnobKind::IntList {
                    min_len,
                    max_len,
                    min,
                    max,
                },
                Value::IntList(v),
            ) => {
                let out: Vec<i64> = v.iter().take(max_len).map(|i| (*i).clamp(min, max)).collect();
                (out.len() >= min_len).then_some(Value::IntList(out))
            }
            (
                KnobKind::ChoiceList {
                    options,
                    min_len,
                    max_len,
                    unique,
                },
                Value::List(v),
            ) => {
                let mut out: Vec<String> = Vec::new();
                for s in v {
                    if options.contains(&s.as_str()) && !(unique && out.contains(s)) {
                        out.push(s.clone());
                    }
                }
                out.truncate(max_len);
                (out.len() >= min_len).then_some(Value::List(out))
            }
            _ => None,
        }
    }

    /// What the kind accepts, phrased to follow "must be".
    pub fn describe(&self) -> Msg {
        match *self {
            KnobKind::Bool => Msg::new("range_bool"),
            KnobKind::Int { min, max } => Msg::new("range_between").arg("min", min).arg("max", max),
            KnobKind::Float { min, max, .. } => Msg::new("range_between")
                .arg("min", fmt_num(min))
                .arg("max", fmt_num(max)),
            KnobKind::Choice { options } => Msg::new("range_one_of").arg("options", options.join(", ")),
            KnobKind::IntList {
                min_len,
                max_len,
                min,
                max,
            } => Msg::new("range_int_list")
                .arg("min_len", min_len)
                .arg("max_len", max_len)
                .arg("min", min)
                .arg("max", max),
            KnobKind::ChoiceList {
                options,
                min_len,
                max_len,
                unique,
            } => Msg::new(if unique {
                "range_distinct_names"
            } else {
                "range_names"
            })
            .arg("min_len", min_len)
            .arg("max_len", max_len)
            .arg("options", options.join(", ")),
        }
    }
}

fn defaults() -> &'static RunConfig {
    static DEFAULTS: LazyLock<RunConfig> = LazyLock::new(RunConfig::default);
    &DEFAULTS
}

impl Knob {
    pub fn value(&self, cfg: &RunConfig) -> Value {
        (self.get)(cfg)
    }

    /// The value's text form (as in the URL).
    pub fn text(&self, cfg: &RunConfig) -> String {
        self.value(cfg).to_text()
    }

    /// Whether `cfg` has `RunConfig::default()`'s value for this knob. Compares text forms,
    /// which are exact, so that NaN equals NaN.
    pub fn is_default(&self, cfg: &RunConfig) -> bool {
        self.text(cfg) == self.text(defaults())
    }

    /// Stores `v` if it is allowed; otherwise returns "must be ..." and leaves `cfg` alone.
    pub fn set_checked(&self, cfg: &mut RunConfig, v: Value) -> Result<(), Msg> {
        if !self.kind.allows(&v) {
            return Err(Msg::new("must_be")
                .arg("key", self.key)
                .sub("range", self.kind.describe())
                .arg("value", v));
        }
        (self.set)(cfg, v);
        Ok(())
    }
}

/// Conversion between a field's Rust type and [`Value`].
trait Field: Sized {
    fn to_value(&self) -> Value;
    fn from_value(v: Value) -> Option<Self>;
}

impl Field for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
}

impl Field for usize {
    fn to_value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Int(i) => usize::try_from(i).ok(),
            _ => None,
        }
    }
}

impl Field for u64 {
    fn to_value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Int(i) => u64::try_from(i).ok(),
            _ => None,
        }
    }
}

impl Field for f32 {
    fn to_value(&self) -> Value {
        Value::Float(f32_value(*self))
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Float(x) => Some(x as f32),
            _ => None,
        }
    }
}

impl Field for f64 {
    fn to_value(&self) -> Value {
        Value::Float(*self)
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Float(x) => Some(x),
            _ => None,
        }
    }
}

impl Field for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl Field for Vec<usize> {
    fn to_value(&self) -> Value {
        Value::IntList(
            self.iter()
                .map(|n| i64::try_from(*n).unwrap_or(i64::MAX))
                .collect(),
        )
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::IntList(v) => v.into_iter().map(|i| usize::try_from(i).ok()).collect(),
            _ => None,
        }
    }
}

/// `NAMES`, `name()` and `from_name()` with serde's snake_case names (checked by a test).
macro_rules! named {
    ($ty:ident { $($var:ident = $name:literal),* $(,)? }) => {
        impl $ty {
            pub const NAMES: &'static [&'static str] = &[$($name),*];
            pub fn name(self) -> &'static str {
                match self { $(Self::$var => $name),* }
            }
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Self::$var),)* _ => None }
            }
        }
        impl Field for $ty {
            fn to_value(&self) -> Value {
                Value::Text(self.name().into())
            }
            fn from_value(v: Value) -> Option<Self> {
                match v { Value::Text(s) => Self::from_name(&s), _ => None }
            }
        }
        impl Field for Vec<$ty> {
            fn to_value(&self) -> Value {
                Value::List(self.iter().map(|x| x.name().to_string()).collect())
            }
            fn from_value(v: Value) -> Option<Self> {
                match v { Value::List(v) => v.iter().map(|s| $ty::from_name(s)).collect(), _ => None }
            }
        }
    };
}

named!(DatasetKind {
    Spiral = "spiral", Circles = "circles", Xor = "xor", Blobs = "blobs", Moons = "moons",
    Plane = "plane", Gaussians = "gaussians", Digits = "digits", Csv = "csv",
});
named!(Feature {
    X = "x", Y = "y", XSquared = "x_squared", YSquared = "y_squared", XTimesY = "x_times_y",
    SinX = "sin_x", SinY = "sin_y",
});
named!(Arch { Mlp = "mlp", Cnn = "cnn" });
named!(Activation {
    Relu = "relu", LeakyRelu = "leaky_relu", Tanh = "tanh", Sigmoid = "sigmoid", Linear = "linear",
});
named!(Init {
    HeNormal = "he_normal", HeUniform = "he_uniform", GlorotNormal = "glorot_normal",
    GlorotUniform = "glorot_uniform", Normal = "normal", Zeros = "zeros",
});
named!(OptimizerKind {
    Sgd = "sgd", Momentum = "momentum", Nesterov = "nesterov", Adam = "adam", AdamW = "adam_w",
    RmsProp = "rms_prop",
});
named!(ScheduleKind {
    Constant = "constant", Step = "step", Cosine = "cosine", CosineRestarts = "cosine_restarts",
});

/// The largest seed: JavaScript numbers (the web UI) are exact only up to 2^53 - 1.
pub const MAX_SEED: i64 = (1 << 53) - 1;

const fn int(min: i64, max: i64) -> KnobKind {
    KnobKind::Int { min, max }
}
const fn float(min: f64, max: f64) -> KnobKind {
    KnobKind::Float { min, max, log: false }
}
const fn log(min: f64, max: f64) -> KnobKind {
    KnobKind::Float { min, max, log: true }
}
const fn choice(options: &'static [&'static str]) -> KnobKind {
    KnobKind::Choice { options }
}
const fn names(options: &'static [&'static str], max_len: usize, unique: bool) -> KnobKind {
    KnobKind::ChoiceList {
        options,
        min_len: 1,
        max_len,
        unique,
    }
}

macro_rules! k {
    ($group:ident, $sec:ident . $field:ident, $kind:expr) => {
        Knob {
            key: stringify!($field),
            path: concat!(stringify!($sec), ".", stringify!($field)),
            group: Group::$group,
            kind: $kind,
            get: |c| c.$sec.$field.to_value(),
            set: |c, v| {
                if let Some(x) = Field::from_value(v) {
                    c.$sec.$field = x;
                }
            },
        }
    };
}

/// Every knob, in display and URL order. Bounds are those documented in `types.rs`.
pub static KNOBS: &[Knob] = &[
    k!(Data, data.dataset, choice(DatasetKind::NAMES)),
    k!(Data, data.samples, int(20, 5000)),
    k!(Data, data.noise, float(0.0, 1.0)),
    k!(Data, data.classes, int(2, 6)),
    k!(Data, data.val_fraction, float(0.01, 0.9)),
    k!(Data, data.imbalance, float(0.02, 1.0)),
    k!(Data, data.label_noise, float(0.0, 0.9)),
    k!(Data, data.features, names(Feature::NAMES, 7, true)),
    k!(Data, data.input_scale, log(0.001, 1000.0)),
    k!(Data, data.input_offset, float(-1000.0, 1000.0)),
    Knob {
        key: "image_size",
        path: "data.image_size",
        group: Group::Data,
        kind: choice(&["8", "28"]),
        get: |c| Value::Text(c.data.image_size.to_string()),
        set: |c, v| {
            if let Some(n) = String::from_value(v).and_then(|s| s.parse().ok()) {
                c.data.image_size = n;
            }
        },
    },
    k!(Model, model.arch, choice(Arch::NAMES)),
    k!(
        Model,
        model.hidden,
        KnobKind::IntList {
            min_len: 0,
            max_len: 6,
            min: 1,
            max: 256
        }
    ),
    k!(Model, model.activation, names(Activation::NAMES, 6, false)),
    k!(Model, model.init, choice(Init::NAMES)),
    k!(Model, model.init_std, log(1e-6, 10.0)),
    k!(Model, model.dropout, float(0.0, 0.95)),
    k!(Model, model.batch_norm, KnobKind::Bool),
    k!(Training, train.optimizer, choice(OptimizerKind::NAMES)),
    k!(Training, train.lr, log(1e-6, 1000.0)),
    k!(Training, train.momentum, float(0.0, 0.999)),
    k!(Training, train.batch_size, int(1, 5000)),
    k!(Training, train.schedule, choice(ScheduleKind::NAMES)),
    k!(Training, train.lr_period, int(1, 100_000)),
    k!(Training, train.lr_gamma, float(0.01, 1.0)),
    k!(Training, train.lr_min, float(0.0, 1.0)),
    k!(Training, train.warmup, int(0, 100_000)),
    k!(Training, train.weight_decay, log(0.0, 1.0)),
    k!(Training, train.l1, log(0.0, 1.0)),
    k!(Training, train.clip_norm, float(0.0, 1000.0)),
    k!(Training, train.patience, int(0, 1000)),
    k!(Training, train.eval_every, int(1, 10_000)),
    k!(Training, train.max_steps, int(0, 10_000_000)),
    Knob {
        key: "seed",
        path: "seed",
        group: Group::Training,
        kind: int(0, MAX_SEED),
        get: |c| c.seed.to_value(),
        set: |c, v| {
            if let Some(s) = u64::from_value(v) {
                c.seed = s;
            }
        },
    },
    k!(Bugs, bugs.relu_before_softmax, KnobKind::Bool),
    k!(Bugs, bugs.double_softmax, KnobKind::Bool),
    k!(Bugs, bugs.no_shuffle, KnobKind::Bool),
    k!(Bugs, bugs.unnormalized_inputs, KnobKind::Bool),
    k!(Bugs, bugs.eval_with_dropout, KnobKind::Bool),
    k!(Bugs, bugs.val_preprocessing_mismatch, KnobKind::Bool),
];

/// The knob with this key (field name).
pub fn knob(key: &str) -> Option<&'static Knob> {
    KNOBS.iter().find(|k| k.key == key)
}

impl Knob {
    /// Whether the knob has any effect under `cfg` (e.g. `momentum` only with the momentum
    /// optimizers, `classes` only for spiral and blobs): a UI hides the others.
    ///
    /// A CSV file is used as it is: its columns are the inputs (no generator knobs, no
    /// `features`, no raw-unit transform). Whether it is regression is up to the file, so
    /// `imbalance` and the softmax bugs stay visible for CSV; on a regression file they do
    /// nothing (`CsvData::is_regression` tells a UI that knows the file).
    pub fn applies(&self, cfg: &RunConfig) -> bool {
        use super::types::{Arch, Init, OptimizerKind as O, ScheduleKind as S};
        let (d, m, t) = (&cfg.data, &cfg.model, &cfg.train);
        let image = d.dataset.is_image();
        let csv = d.dataset == DatasetKind::Csv;
        match self.key {
            "samples" | "noise" | "features" => !image && !csv,
            "classes" => d.dataset.has_class_choice(),
            "image_size" | "arch" => image,
            "input_scale" | "input_offset" => {
                !csv && (cfg.bugs.unnormalized_inputs || cfg.bugs.val_preprocessing_mismatch)
            }
            "imbalance" | "relu_before_softmax" | "double_softmax" => !d.dataset.is_regression(),
            "init_std" => m.init == Init::Normal,
            "dropout" | "batch_norm" | "activation" => !m.hidden.is_empty() || m.arch == Arch::Cnn,
            "momentum" => matches!(t.optimizer, O::Momentum | O::Nesterov),
            "lr_period" => t.schedule != S::Constant,
            "lr_gamma" => t.schedule == S::Step,
            "lr_min" => matches!(t.schedule, S::Cosine | S::CosineRestarts),
            _ => true,
        }
    }
}

/// The knobs whose values differ, as `(key, text in a, text in b)`, in registry order:
/// e.g. `("dropout", "0", "0.5")` for a "dropout 0 → 0.5" label.
pub fn diff(a: &RunConfig, b: &RunConfig) -> Vec<(&'static str, String, String)> {
    KNOBS
        .iter()
        .filter_map(|k| {
            let (x, y) = (k.text(a), k.text(b));
            (x != y).then_some((k.key, x, y))
        })
        .collect()
}

impl RunConfig {
    /// This config with knobs changed, each `(key, value in the knob's text form)` in order
    /// (a lesson's "try this" step, a finding's remedy): parsed and bounded by the registry,
    /// then the whole validated.
    pub fn with_settings(&self, set: &[(String, String)]) -> Result<RunConfig, SettingError> {
        let mut out = self.clone();
        for (key, text) in set {
            let k = knob(key).ok_or_else(|| SettingError::Unknown(key.clone()))?;
            let value = |problem| SettingError::Value {
                key: key.clone(),
                text: text.clone(),
                problem,
            };
            let v = k.kind.parse(text).map_err(value)?;
            k.set_checked(&mut out, v).map_err(value)?;
        }
        out.validate().map_err(SettingError::Invalid)?;
        Ok(out)
    }
}

/// A config with every knob changed from its default (and still valid), for tests.
#[cfg(test)]
pub(crate) fn all_changed() -> RunConfig {
    RunConfig {
        seed: 42,
        data: DataConfig {
            dataset: DatasetKind::Digits,
            samples: 1234,
            noise: 0.35,
            classes: 5,
            val_fraction: 0.15,
            imbalance: 0.3,
            label_noise: 0.05,
            features: vec![Feature::XSquared, Feature::SinY, Feature::X],
            input_scale: 0.003,
            input_offset: -7.5,
            image_size: 28,
        },
        model: ModelConfig {
            arch: Arch::Cnn,
            hidden: vec![64, 3, 128],
            activation: vec![Activation::LeakyRelu, Activation::Tanh, Activation::Linear],
            init: Init::GlorotUniform,
            init_std: 0.003,
            dropout: 0.5,
            batch_norm: true,
        },
        train: TrainConfig {
            optimizer: OptimizerKind::RmsProp,
            lr: 0.003,
            momentum: 0.95,
            batch_size: 128,
            schedule: ScheduleKind::CosineRestarts,
            lr_period: 250,
            lr_gamma: 0.7,
            lr_min: 0.01,
            warmup: 100,
            weight_decay: 0.0005,
            l1: 1e-5,
            clip_norm: 1.5,
            patience: 20,
            eval_every: 5,
            max_steps: 5000,
        },
        bugs: BugsConfig {
            relu_before_softmax: true,
            double_softmax: true,
            no_shuffle: true,
            unnormalized_inputs: true,
            eval_with_dropout: true,
            val_preprocessing_mismatch: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde's name for a unit variant, via TOML.
    fn serde_name<T: serde::Serialize>(x: T) -> String {
        toml::Value::try_from(x).unwrap().as_str().unwrap().to_string()
    }

    fn check_names<T>(names: &[&str], from: fn(&str) -> Option<T>, name: fn(T) -> &'static str)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + Copy + PartialEq + fmt::Debug,
    {
        for n in names {
            let v = from(n).unwrap();
            assert_eq!(name(v), *n);
            assert_eq!(serde_name(v), *n);
            assert_eq!(toml::Value::String(n.to_string()).try_into::<T>().unwrap(), v);
        }
    }

    #[test]
    fn names_agree_with_serde() {
        check_names(DatasetKind::NAMES, DatasetKind::from_name, DatasetKind::name);
        check_names(Feature::NAMES, Feature::from_name, Feature::name);
        check_names(Arch::NAMES, Arch::from_name, Arch::name);
        check_names(Activation::NAMES, Activation::from_name, Activation::name);
        check_names(Init::NAMES, Init::from_name, Init::name);
        check_names(
            OptimizerKind::NAMES,
            OptimizerKind::from_name,
            OptimizerKind::name,
        );
        check_names(ScheduleKind::NAMES, ScheduleKind::from_name, ScheduleKind::name);
        // NAMES lists every variant (name() is an exhaustive match; ALL lists them all).
        assert_eq!(DatasetKind::NAMES.len(), DatasetKind::ALL.len());
        assert_eq!(Feature::NAMES.len(), Feature::ALL.len());
        assert_eq!(Activation::NAMES.len(), Activation::ALL.len());
        assert_eq!(Init::NAMES.len(), Init::ALL.len());
        assert_eq!(OptimizerKind::NAMES.len(), OptimizerKind::ALL.len());
        assert_eq!(ScheduleKind::NAMES.len(), ScheduleKind::ALL.len());
    }

    /// Every TOML leaf path of a config, e.g. `train.lr`.
    fn toml_paths(t: &toml::Table, prefix: &str, out: &mut Vec<String>) {
        for (k, v) in t {
            let path = format!("{prefix}{k}");
            match v.as_table() {
                Some(sub) => toml_paths(sub, &format!("{path}."), out),
                None => out.push(path),
            }
        }
    }

    #[test]
    fn registry_covers_every_field_once() {
        let mut fields = Vec::new();
        toml_paths(
            &toml::Table::try_from(RunConfig::default()).unwrap(),
            "",
            &mut fields,
        );
        let mut paths: Vec<String> = KNOBS.iter().map(|k| k.path.to_string()).collect();
        fields.sort();
        paths.sort();
        assert_eq!(paths, fields);
        for k in KNOBS {
            assert!(k.path.ends_with(k.key));
            assert!(std::ptr::eq(knob(k.key).unwrap(), k), "duplicate key {}", k.key);
            assert!(
                k.kind.allows(&k.value(&RunConfig::default())),
                "default of {} out of range",
                k.key
            );
        }
    }

    #[test]
    fn values_print_short_and_get_set_round_trip() {
        let cfg = all_changed();
        assert_eq!(knob("noise").unwrap().text(&RunConfig::default()), "0.1");
        assert_eq!(knob("l1").unwrap().text(&cfg), "1e-5");
        assert_eq!(knob("hidden").unwrap().text(&cfg), "64,3,128");
        assert_eq!(knob("features").unwrap().text(&cfg), "x_squared,sin_y,x");
        assert_eq!(knob("input_offset").unwrap().text(&cfg), "-7.5");
        let mut copy = RunConfig::default();
        for k in KNOBS {
            (k.set)(&mut copy, k.value(&cfg));
        }
        assert_eq!(copy, cfg);
    }

    #[test]
    fn f32_text_is_exact() {
        let mut rng = crate::rng::Rng::new(7);
        for _ in 0..20_000 {
            let x = f32::from_bits(rng.next_u64() as u32);
            if x.is_finite() {
                assert_eq!(f32_value(x) as f32, x);
                let text = fmt_num(f32_value(x));
                assert_eq!(text.parse::<f64>().unwrap() as f32, x, "{text}");
            }
        }
    }

    #[test]
    fn diff_lists_exactly_the_changed_keys() {
        let a = RunConfig::default();
        assert!(diff(&a, &a).is_empty());
        let mut b = a.clone();
        b.model.dropout = 0.5;
        b.model.hidden = vec![];
        b.bugs.no_shuffle = true;
        let d = diff(&a, &b);
        assert_eq!(
            d,
            vec![
                ("hidden", "16,16".to_string(), "none".to_string()),
                ("dropout", "0".to_string(), "0.5".to_string()),
                ("no_shuffle", "false".to_string(), "true".to_string()),
            ]
        );
        assert_eq!(diff(&a, &all_changed()).len(), KNOBS.len());
        assert!(
            KNOBS
                .iter()
                .all(|k| k.is_default(&a) && !k.is_default(&all_changed()))
        );
    }
}

#[cfg(test)]
mod applies_tests {
    use super::*;

    #[test]
    fn knobs_apply_only_where_they_act() {
        let mut cfg = RunConfig::default();
        let on = |c: &RunConfig, k: &str| knob(k).unwrap().applies(c);
        assert!(on(&cfg, "classes") && !on(&cfg, "image_size") && !on(&cfg, "momentum"));
        assert!(
            !on(&cfg, "input_scale"),
            "raw units only matter without standardisation"
        );
        cfg.data.dataset = DatasetKind::Digits;
        cfg.train.optimizer = OptimizerKind::Nesterov;
        cfg.bugs.unnormalized_inputs = true;
        assert!(!on(&cfg, "classes") && !on(&cfg, "features") && on(&cfg, "image_size"));
        assert!(on(&cfg, "momentum") && on(&cfg, "input_scale"));
        assert!(
            KNOBS
                .iter()
                .filter(|k| k.group == Group::Bugs)
                .all(|k| k.applies(&cfg)),
            "bug switches stay visible"
        );
        cfg.data.dataset = DatasetKind::Csv;
        let hidden = [
            "samples",
            "noise",
            "classes",
            "image_size",
            "features",
            "input_scale",
            "arch",
        ];
        assert!(hidden.iter().all(|k| !on(&cfg, k)), "the file is used as it is");
        let shown = [
            "val_fraction",
            "label_noise",
            "imbalance",
            "double_softmax",
            "unnormalized_inputs",
        ];
        assert!(shown.iter().all(|k| on(&cfg, k)));
    }
}
