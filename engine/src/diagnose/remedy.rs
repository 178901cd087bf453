//! From finding to experiment: for a finding, one or two knob changes that are the sensible
//! first thing to try, computed from the run's config ("lower the learning rate to 0.01",
//! "standardise the inputs", "add dropout 0.3"). The page offers them as buttons and, once the
//! changed run has enough curve, says whether the finding went away.
//!
//! A remedy is knob changes in the knobs' text form, applied like a lesson's "try this" step
//! ([`RunConfig::with_settings`]); its label is `remedy.<id>` in `static/i18n`, with a `{key}`
//! placeholder for each knob it sets. Only changes that give a valid config different from the
//! run's are offered, and only where a knob can help: a noise floor in the data itself has
//! none.

use super::Symptom;
use crate::config::{Activation, Init, OptimizerKind, RunConfig, SettingError, Value, knob};

/// One experiment for a finding: knob changes on top of the run's config.
#[derive(Clone, Debug, PartialEq)]
pub struct Remedy {
    /// Stable id: the label's text key is `remedy.<id>`.
    pub id: &'static str,
    /// (knob key, value in the knob's text form), applied in order.
    pub set: Vec<(String, String)>,
}

impl Remedy {
    fn new(id: &'static str, set: &[(&str, String)]) -> Remedy {
        Remedy {
            id,
            set: set.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        }
    }

    /// `cfg` with this remedy's changes, checked like any other input.
    pub fn apply(&self, cfg: &RunConfig) -> Result<RunConfig, SettingError> {
        cfg.with_settings(&self.set)
    }
}

/// Every remedy id (each has its label `remedy.<id>` in both languages; tested).
pub const IDS: [&str; 21] = [
    "lr_down",
    "lr_up",
    "adam",
    "clip",
    "standardise",
    "leaky_relu",
    "relu",
    "init",
    "batch_norm",
    "dropout",
    "weight_decay",
    "more_data",
    "less_regularisation",
    "wider",
    "add_hidden",
    "bigger_batch",
    "shuffle",
    "eval_mode",
    "same_preprocessing",
    "raw_logits",
    "bigger_val",
];

/// Remedies offered per finding, at most.
pub const MAX: usize = 2;

/// The remedies worth trying first for `symptom` on a run of `cfg`, best first (at most
/// [`MAX`]); empty where no knob is the answer.
pub fn remedies(symptom: Symptom, cfg: &RunConfig) -> Vec<Remedy> {
    use Symptom::*;
    let (m, t, b) = (&cfg.model, &cfg.train, &cfg.bugs);
    let relu = (0..m.hidden.len().max(1)).any(|i| m.activation_of(i) == Activation::Relu);
    let saturating =
        (0..m.hidden.len()).any(|i| matches!(m.activation_of(i), Activation::Sigmoid | Activation::Tanh));
    let tiny_init = m.init == Init::Zeros || (m.init == Init::Normal && m.init_std < 0.05);
    let big_init = m.init == Init::Normal && m.init_std >= 0.5;
    let slow = t.lr < usual_lr(t.optimizer) / 5.0;
    let on = |yes: bool, r: Remedy| yes.then_some(r);
    let candidates: Vec<Option<Remedy>> = match symptom {
        Diverged => vec![
            on(b.unnormalized_inputs, standardise()),
            on(big_init, init(cfg)),
            Some(lr_down(cfg)),
            on(t.clip_norm == 0.0, clip()),
        ],
        LossRising => vec![Some(lr_down(cfg)), on(t.clip_norm == 0.0, clip())],
        ExplodingGradients => vec![
            on(b.unnormalized_inputs, standardise()),
            on(big_init, init(cfg)),
            Some(lr_down(cfg)),
            on(t.clip_norm == 0.0, clip()),
        ],
        DeadUnits => vec![
            on(b.unnormalized_inputs, standardise()),
            Some(lr_down(cfg)),
            on(
                relu,
                Remedy::new("leaky_relu", &[("activation", "leaky_relu".into())]),
            ),
        ],
        StuckAtChance => vec![
            on(b.relu_before_softmax || b.double_softmax, raw_logits(cfg)),
            on(tiny_init, init(cfg)),
            on(m.hidden.is_empty(), add_hidden()),
            on(saturating && m.hidden.len() >= 3, relu_remedy()),
        ],
        InitPlateau => vec![
            on(tiny_init, init(cfg)),
            on(saturating, relu_remedy()),
            on(!m.hidden.is_empty(), batch_norm()),
        ],
        VanishingGradients => vec![
            on(saturating, relu_remedy()),
            on(tiny_init, init(cfg)),
            on(!m.hidden.is_empty(), batch_norm()),
        ],
        LrTooLow => vec![on(t.optimizer == OptimizerKind::Sgd, adam()), Some(lr_up(cfg))],
        // Capacity first, then what holds it back: regularisation, a rate far below what
        // the optimizer usually needs (the rival reading, `lr_too_low`), then width.
        Underfitting => vec![
            on(m.hidden.is_empty(), add_hidden()),
            less_regularisation(cfg),
            on(slow && t.optimizer == OptimizerKind::Sgd, adam()),
            on(slow, lr_up(cfg)),
            on(!m.hidden.is_empty(), wider(cfg)),
        ],
        Overfitting => vec![
            Some(more_data(cfg)),
            on(
                m.dropout < 0.3,
                Remedy::new("dropout", &[("dropout", "0.3".into())]),
            ),
            on(
                t.weight_decay < 1e-3,
                Remedy::new("weight_decay", &[("weight_decay", "0.001".into())]),
            ),
        ],
        NoisyTrain => vec![bigger_batch(cfg), Some(lr_down(cfg))],
        NoisyVal => vec![
            on(b.eval_with_dropout, eval_mode()),
            bigger_val(cfg),
            Some(more_data(cfg)),
        ],
        PeriodicTrain => vec![on(
            b.no_shuffle,
            Remedy::new("shuffle", &[("no_shuffle", "false".into())]),
        )],
        ValMismatch => vec![
            on(
                b.val_preprocessing_mismatch,
                Remedy::new(
                    "same_preprocessing",
                    &[("val_preprocessing_mismatch", "false".into())],
                ),
            ),
            on(b.eval_with_dropout, eval_mode()),
        ],
        LossFloor => vec![on(b.relu_before_softmax || b.double_softmax, raw_logits(cfg))],
        // The labels' own noise: no setting of the model lowers it (a generated set's
        // `label_noise` is the data, not a remedy).
        NoiseFloor => vec![],
        SmallVal => vec![bigger_val(cfg), Some(more_data(cfg))],
    };
    let mut out: Vec<Remedy> = Vec::new();
    for r in candidates.into_iter().flatten() {
        if out.len() < MAX && out.iter().all(|o| o.id != r.id) && helps(&r, cfg) {
            out.push(r);
        }
    }
    out
}

/// Whether `r` gives a valid config that differs from `cfg` in knobs that act there.
fn helps(r: &Remedy, cfg: &RunConfig) -> bool {
    let Ok(new) = r.apply(cfg) else { return false };
    new != *cfg
        && r.set
            .iter()
            .all(|(k, _)| knob(k).is_some_and(|k| k.applies(&new)))
}

/// `x` rounded to 1, 2, 3 or 5 times a power of ten (the nearest on a log scale): a rate a
/// learner would type.
fn clean(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return x;
    }
    let e = x.log10().floor() as i32;
    [1.0, 2.0, 3.0, 5.0, 10.0]
        .into_iter()
        .map(|m| format!("{m}e{e}").parse::<f64>().unwrap_or(x))
        .min_by(|a, b| (a / x).ln().abs().total_cmp(&(b / x).ln().abs()))
        .unwrap_or(x)
}

/// A learning rate that usually trains with this optimizer on LossLab's data.
fn usual_lr(o: OptimizerKind) -> f64 {
    match o {
        OptimizerKind::Sgd => 0.1,
        OptimizerKind::Momentum | OptimizerKind::Nesterov => 0.03,
        OptimizerKind::Adam | OptimizerKind::AdamW | OptimizerKind::RmsProp => 0.01,
    }
}

/// A value's text, clamped to its knob's bounds.
fn text(key: &str, v: Value) -> String {
    knob(key).and_then(|k| k.kind.nearest(&v)).unwrap_or(v).to_text()
}

/// A tenth of the rate, and no more than one that usually trains with the optimizer.
fn lr_down(cfg: &RunConfig) -> Remedy {
    let lr = clean(cfg.train.lr / 10.0).min(usual_lr(cfg.train.optimizer));
    Remedy::new("lr_down", &[("lr", text("lr", Value::Float(lr)))])
}

/// Ten times the rate, but no further than one that usually trains when it is below that.
fn lr_up(cfg: &RunConfig) -> Remedy {
    let (lr, usual) = (cfg.train.lr, usual_lr(cfg.train.optimizer));
    let up = if lr < usual {
        clean(lr * 10.0).min(usual)
    } else {
        clean(lr * 3.0)
    };
    Remedy::new("lr_up", &[("lr", text("lr", Value::Float(up)))])
}

fn adam() -> Remedy {
    let lr = usual_lr(OptimizerKind::Adam);
    Remedy::new(
        "adam",
        &[("optimizer", "adam".into()), ("lr", text("lr", Value::Float(lr)))],
    )
}

fn clip() -> Remedy {
    Remedy::new("clip", &[("clip_norm", "1".into())])
}

fn standardise() -> Remedy {
    Remedy::new("standardise", &[("unnormalized_inputs", "false".into())])
}

fn relu_remedy() -> Remedy {
    Remedy::new("relu", &[("activation", "relu".into())])
}

/// The initialisation made for the activations: He for ReLU, Glorot for the others.
fn init(cfg: &RunConfig) -> Remedy {
    let m = &cfg.model;
    let relu_like = (0..m.hidden.len().max(1))
        .all(|i| matches!(m.activation_of(i), Activation::Relu | Activation::LeakyRelu));
    let name = if relu_like { "he_normal" } else { "glorot_normal" };
    Remedy::new("init", &[("init", name.into())])
}

fn batch_norm() -> Remedy {
    Remedy::new("batch_norm", &[("batch_norm", "true".into())])
}

/// Four times the examples (up to the most a generated set has).
fn more_data(cfg: &RunConfig) -> Remedy {
    let n = (cfg.data.samples * 4) as i64;
    Remedy::new("more_data", &[("samples", text("samples", Value::Int(n)))])
}

/// Dropout, weight decay and L1 off, where any is on.
fn less_regularisation(cfg: &RunConfig) -> Option<Remedy> {
    let (m, t) = (&cfg.model, &cfg.train);
    let mut set = Vec::new();
    if m.dropout > 0.0 && !m.hidden.is_empty() {
        set.push(("dropout", "0".to_string()));
    }
    if t.weight_decay > 0.0 {
        set.push(("weight_decay", "0".to_string()));
    }
    if t.l1 > 0.0 {
        set.push(("l1", "0".to_string()));
    }
    (!set.is_empty()).then(|| Remedy::new("less_regularisation", &set))
}

/// Every hidden layer twice as wide.
fn wider(cfg: &RunConfig) -> Remedy {
    let v = Value::IntList(cfg.model.hidden.iter().map(|&w| (w * 2) as i64).collect());
    Remedy::new("wider", &[("hidden", text("hidden", v))])
}

fn add_hidden() -> Remedy {
    Remedy::new("add_hidden", &[("hidden", "16,16".into())])
}

/// Batches four times as large (at least 32), while that is less than a generated set's
/// training part (up to 512 for the digits and a file, whose sizes the config does not hold).
fn bigger_batch(cfg: &RunConfig) -> Option<Remedy> {
    let d = &cfg.data;
    let n = (cfg.train.batch_size * 4).max(32);
    let fits = match knob("samples").is_some_and(|k| k.applies(cfg)) {
        true => n < d.samples - (d.samples as f32 * d.val_fraction).round() as usize,
        false => n <= 512,
    };
    fits.then(|| {
        Remedy::new(
            "bigger_batch",
            &[("batch_size", text("batch_size", Value::Int(n as i64)))],
        )
    })
}

fn eval_mode() -> Remedy {
    Remedy::new("eval_mode", &[("eval_with_dropout", "false".into())])
}

/// Both bugs that keep the loss from the raw scores off.
fn raw_logits(cfg: &RunConfig) -> Remedy {
    let mut set = Vec::new();
    if cfg.bugs.relu_before_softmax {
        set.push(("relu_before_softmax", "false".to_string()));
    }
    if cfg.bugs.double_softmax {
        set.push(("double_softmax", "false".to_string()));
    }
    Remedy::new("raw_logits", &set)
}

/// A fifth of the examples for validation, where less is held out.
fn bigger_val(cfg: &RunConfig) -> Option<Remedy> {
    (cfg.data.val_fraction < 0.2).then(|| Remedy::new("bigger_val", &[("val_fraction", "0.2".into())]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spread of configs: the default, each bug, the untuned runs' kinds of mistakes.
    fn configs() -> Vec<RunConfig> {
        [
            "",
            "lr=1",
            "lr=5&optimizer=sgd",
            "optimizer=sgd&lr=0.001",
            "optimizer=momentum&lr=0.0001",
            "lr=0.000001",
            "lr=1000",
            "init=normal&init_std=0.001&optimizer=momentum&lr=0.05",
            "init=zeros",
            "init=normal&init_std=5",
            "hidden=32,32,32,32,32&activation=sigmoid",
            "hidden=32,32,32&activation=tanh,sigmoid",
            "dataset=circles&samples=150&noise=0.35&hidden=128,128",
            "hidden=none",
            "hidden=256,256&dropout=0.5&weight_decay=0.01&l1=0.001",
            "dataset=blobs&classes=3&no_shuffle=true&batch_size=16",
            "noise=0.3&val_fraction=0.02",
            "samples=5000&val_fraction=0.5",
            "relu_before_softmax=true&double_softmax=true",
            "eval_with_dropout=true&dropout=0.3",
            "val_preprocessing_mismatch=true",
            "unnormalized_inputs=true&clip_norm=1",
            "batch_size=1",
            "batch_size=5000",
            "dataset=digits&arch=cnn&hidden=32",
            "dataset=digits&batch_size=1000",
            "dataset=plane&hidden=8",
            "dataset=csv",
            "dataset=moons&label_noise=0.4",
        ]
        .iter()
        .map(|q| RunConfig::from_query(q).unwrap_or_else(|e| panic!("{q}: {e:?}")))
        .collect()
    }

    #[test]
    fn every_remedy_applies_validates_and_changes_the_config() {
        let mut seen = std::collections::BTreeSet::new();
        for cfg in configs() {
            for s in Symptom::ALL {
                let rs = remedies(s, &cfg);
                assert!(rs.len() <= MAX);
                for r in &rs {
                    assert!(IDS.contains(&r.id), "{} is not in IDS", r.id);
                    let new = r
                        .apply(&cfg)
                        .unwrap_or_else(|e| panic!("{} for {}: {e}", r.id, s.id()));
                    assert_ne!(new, cfg, "{} for {} changes nothing", r.id, s.id());
                    assert_eq!(new.validate(), Ok(()));
                    seen.insert(r.id);
                }
            }
        }
        // Every remedy is offered somewhere (no dead text).
        let never: Vec<_> = IDS.iter().filter(|id| !seen.contains(*id)).collect();
        assert!(never.is_empty(), "never offered: {never:?}");
    }

    #[test]
    fn remedies_follow_the_config() {
        let q = |s: &str| RunConfig::from_query(s).unwrap();
        // (finding, run, the first remedy's changes)
        type Case = (Symptom, &'static str, &'static [(&'static str, &'static str)]);
        let cases: [Case; 9] = [
            // A tenth, capped at a rate Adam usually trains with; rounded.
            (Symptom::DeadUnits, "lr=1", &[("lr", "0.01")]),
            (Symptom::LossRising, "lr=0.07", &[("lr", "0.005")]),
            (
                Symptom::NoisyTrain,
                "optimizer=sgd&lr=0.3&batch_size=1000",
                &[("lr", "0.03")],
            ),
            (Symptom::Diverged, "optimizer=sgd&lr=50", &[("lr", "0.1")]),
            // The inputs first when they are the cause.
            (
                Symptom::DeadUnits,
                "unnormalized_inputs=true",
                &[("unnormalized_inputs", "false")],
            ),
            (
                Symptom::LrTooLow,
                "optimizer=momentum&lr=0.001",
                &[("lr", "0.01")],
            ),
            (
                Symptom::PeriodicTrain,
                "no_shuffle=true",
                &[("no_shuffle", "false")],
            ),
            // Under-fitting at a rate far below the usual: the rate first, not a bigger model.
            (
                Symptom::Underfitting,
                "optimizer=sgd&lr=0.001",
                &[("optimizer", "adam"), ("lr", "0.01")],
            ),
            (Symptom::Underfitting, "", &[("hidden", "32,32")]),
        ];
        for (symptom, query, want) in cases {
            let got = remedies(symptom, &q(query)).first().map(|r| r.set.clone());
            let want: Vec<(String, String)> =
                want.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            assert_eq!(got, Some(want), "{symptom:?} on `{query}`");
        }
        // Nothing a knob can do.
        assert!(remedies(Symptom::NoiseFloor, &q("label_noise=0.4")).is_empty());
        assert!(remedies(Symptom::PeriodicTrain, &q("schedule=cosine_restarts")).is_empty());
        assert!(remedies(Symptom::LossFloor, &RunConfig::default()).is_empty());
        // At the bound: nothing lower to offer.
        assert!(
            remedies(Symptom::LossRising, &q("lr=0.000001&clip_norm=1")).is_empty(),
            "lr is at its minimum"
        );
        // Samples only where the set is generated.
        assert!(
            remedies(Symptom::Overfitting, &q("dataset=digits"))
                .iter()
                .all(|r| r.id != "more_data")
        );
    }

    #[test]
    fn clean_rounds_to_one_two_three_five() {
        for (x, want) in [
            (0.1, 0.1),
            (0.07, 0.05),
            (0.04, 0.05),
            (0.025, 0.03),
            (0.0015, 0.002),
            (1e-7, 1e-7),
            (123.0, 100.0),
        ] {
            assert_eq!(clean(x), want, "{x}");
        }
    }
}
