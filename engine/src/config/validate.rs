//! Checking a config against the registry's bounds and the cross-field rules, and reading
//! and writing it as TOML (the lesson format).

use crate::msg::Msg;
use std::fmt;

use super::knobs::KNOBS;
use super::types::{Arch, DatasetKind, RunConfig};

/// One problem with a config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The TOML path, e.g. `train.lr`.
    pub field: String,
    /// A complete sentence, e.g. `train.lr must be between 1e-6 and 1000 (got 0)`.
    pub message: String,
    /// The same, for the page to show in its language.
    pub msg: Msg,
}

impl ConfigError {
    fn new(field: &str, msg: Msg) -> ConfigError {
        ConfigError {
            field: field.to_string(),
            message: msg.to_string(),
            msg,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl RunConfig {
    /// Every knob within its bounds (NaN never is), plus the rules that span fields.
    /// Feature lists must be non-empty and duplicate-free, `classes` 2..=6 and `image_size`
    /// 8 or 28: those are registry bounds.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors: Vec<ConfigError> = KNOBS
            .iter()
            .filter(|k| !k.kind.allows(&k.value(self)))
            .map(|k| {
                let msg = Msg::new("must_be")
                    .arg("key", k.path)
                    .sub("range", k.kind.describe())
                    .arg("value", k.text(self));
                ConfigError::new(k.path, msg)
            })
            .collect();
        // The CNN's convolutions need images (`RunConfig::from_query_lenient` repairs this one).
        if self.model.arch == Arch::Cnn && self.data.dataset != DatasetKind::Digits {
            let msg = Msg::new("cnn_needs_digits")
                .arg("field", "model.arch")
                .arg("dataset", self.data.dataset.name());
            errors.push(ConfigError::new("model.arch", msg));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The full config as TOML, every field written (defaults included).
    pub fn to_toml(&self) -> String {
        // Only a seed above i64::MAX (which `validate` rejects) cannot be written: TOML
        // integers are i64. Write the saturated seed rather than panic.
        let mut cfg = self.clone();
        cfg.seed = cfg.seed.min(i64::MAX as u64);
        toml::to_string(&cfg).unwrap_or_else(|e| format!("# cannot write this config as TOML: {e}\n"))
    }

    /// Parses TOML (missing fields take their defaults, unknown ones are errors naming the
    /// key), then validates.
    pub fn from_toml(text: &str) -> Result<RunConfig, TomlError> {
        let cfg: RunConfig = toml::from_str(text).map_err(|e| TomlError::Parse(e.to_string()))?;
        cfg.validate().map_err(TomlError::Invalid)?;
        Ok(cfg)
    }
}

/// Why a config in TOML (a saved run, a lesson's preset) cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TomlError {
    /// Not TOML, an unknown key or a value of the wrong type: the TOML reader's (English) text.
    Parse(String),
    /// Read, but values out of bounds; each has its [`Msg`] for the page.
    Invalid(Vec<ConfigError>),
}

impl fmt::Display for TomlError {
    /// Every problem, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TomlError::Parse(e) => f.write_str(e),
            TomlError::Invalid(errs) => {
                let lines: Vec<String> = errs.iter().map(ToString::to_string).collect();
                f.write_str(&lines.join("\n"))
            }
        }
    }
}

impl std::error::Error for TomlError {}

/// Why a list of knob changes (a lesson's "try this" step, a finding's remedy) cannot be
/// applied to a config.
#[derive(Clone, Debug, PartialEq)]
pub enum SettingError {
    /// No knob has this key.
    Unknown(String),
    /// A value the knob does not take.
    Value { key: String, text: String, problem: Msg },
    /// The changed config breaks a rule.
    Invalid(Vec<ConfigError>),
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(key) => write!(f, "unknown setting `{key}`"),
            Self::Value { key, text, problem } => write!(f, "`{key}` = {text}: {problem}"),
            Self::Invalid(errs) => {
                let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
                f.write_str(&msgs.join("; "))
            }
        }
    }
}

impl std::error::Error for SettingError {}

#[cfg(test)]
mod tests {
    use super::super::knobs::{KnobKind, Value, all_changed};
    use super::*;

    #[test]
    fn toml_round_trips() {
        for cfg in [RunConfig::default(), all_changed()] {
            let text = cfg.to_toml();
            assert_eq!(RunConfig::from_toml(&text).unwrap(), cfg, "{text}");
        }
        let text = all_changed().to_toml();
        assert!(
            text.contains("input_scale = 0.003") && text.contains("optimizer = \"rms_prop\""),
            "{text}"
        );
        assert_eq!(RunConfig::from_toml("").unwrap(), RunConfig::default());
        let cfg = RunConfig::from_toml("[train]\nlr = 1\n[model]\nhidden = []").unwrap();
        assert_eq!((cfg.train.lr, cfg.model.hidden.len()), (1.0, 0));
    }

    #[test]
    fn toml_errors_name_the_key() {
        let err = RunConfig::from_toml("[train]\nlearning_rate = 0.1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("learning_rate"), "{err}");
        let err = RunConfig::from_toml("colour = 1\n").unwrap_err().to_string();
        assert!(err.contains("colour"), "{err}");
        let err = RunConfig::from_toml("[model]\ndropout = 2.0\n[train]\nlr = nan\n").unwrap_err();
        assert!(matches!(&err, TomlError::Invalid(_)), "{err}");
        let err = err.to_string();
        assert!(
            err.contains("model.dropout must be between 0 and 0.95 (got 2)"),
            "{err}"
        );
        assert!(
            err.contains("train.lr must be between 1e-6 and 1000 (got NaN)"),
            "{err}"
        );
    }

    /// A value of the knob's type beyond its bounds, if one can be stored in the field.
    fn out_of_range(kind: KnobKind) -> Option<Value> {
        Some(match kind {
            KnobKind::Int { max, .. } => Value::Int(max + 1),
            KnobKind::Float { max, .. } => Value::Float(max + 1.0),
            KnobKind::IntList { max_len, .. } => Value::IntList(vec![1; max_len + 1]),
            KnobKind::ChoiceList { min_len: 1, .. } => Value::List(vec![]),
            KnobKind::Choice {
                options: &["8", "28"],
            } => Value::Text("16".into()),
            _ => return None,
        })
    }

    #[test]
    fn validate_names_each_out_of_range_field() {
        assert_eq!(RunConfig::default().validate(), Ok(()));
        assert_eq!(all_changed().validate(), Ok(()));
        let mut checked = 0;
        for k in KNOBS {
            let Some(v) = out_of_range(k.kind) else {
                continue;
            };
            let mut cfg = RunConfig::default();
            (k.set)(&mut cfg, v);
            let errors = cfg.validate().unwrap_err();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].field, k.path);
            assert!(
                errors[0].message.starts_with(&format!("{} must be ", k.path)),
                "{}",
                errors[0]
            );
            checked += 1;
        }
        assert_eq!(checked, 28);
        let mut cfg = RunConfig::default();
        cfg.train.lr = 0.0;
        cfg.data.noise = f32::NAN;
        cfg.data.features = vec![super::super::types::Feature::X; 2];
        cfg.model.arch = Arch::Cnn;
        let messages: Vec<String> = cfg
            .validate()
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            messages,
            [
                "data.noise must be between 0 and 1 (got NaN)",
                "data.features must be 1 to 7 comma-separated distinct names from x, y, x_squared, y_squared, \
                 x_times_y, sin_x, sin_y (got x,x)",
                "train.lr must be between 1e-6 and 1000 (got 0)",
                "model.arch = cnn needs data.dataset = digits (got spiral)",
            ]
        );
    }
}
