//! The run configuration: the one source of truth for every knob a learner can turn.
//!
//! `RunConfig` is serialisable (TOML for lessons, a compact query string for URLs) and
//! every field has documented bounds, enforced by [`RunConfig::validate`].

mod knobs;
mod query;
mod types;
mod validate;

pub use knobs::{Group, KNOBS, Knob, KnobKind, MAX_SEED, Value, diff, knob};
pub use query::{APP_KEYS, QueryError, QueryNotice};
pub use types::*;
pub use validate::{ConfigError, SettingError, TomlError};
