//! What can be wrong in a lesson file. English only, with no `Msg`: the files ship with the
//! site and `engine/tests/lessons.rs` loads every one, so only a lesson's author sees these.

use crate::config::{SettingError, TomlError};
use std::error::Error;
use std::fmt;

/// A problem in a lesson file, with the file's name.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonError {
    pub file: String,
    pub problem: LessonProblem,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LessonProblem {
    NoFrontMatter,
    UnclosedFrontMatter,
    /// Not TOML, or unknown or missing fields: the TOML reader's text.
    Toml(String),
    IdMismatch {
        id: String,
        stem: String,
    },
    Preset(TomlError),
    Expect(UnknownSymptom),
    /// Try step `n` (from 1).
    Step {
        n: usize,
        label: String,
        error: Box<StepError>,
    },
    /// A translation's try steps do not match the lesson's.
    StepCount {
        translated: usize,
        lesson: usize,
    },
    /// An entry of the index that is not a plain name.
    BadId(String),
}

/// A symptom id the diagnosis does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSymptom(pub String);

/// Why a "try this" step cannot be used.
#[derive(Clone, Debug, PartialEq)]
pub enum StepError {
    Symptom(UnknownSymptom),
    /// A setting it changes: an unknown knob, a value the knob does not take, a config that
    /// breaks a rule.
    Setting(SettingError),
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.problem)
    }
}

impl fmt::Display for LessonProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoFrontMatter => write!(f, "must start with a line `+++` opening the TOML front matter"),
            Self::UnclosedFrontMatter => write!(f, "the front matter has no closing `+++` line"),
            Self::Toml(e) => f.write_str(e),
            Self::IdMismatch { id, stem } => {
                write!(f, "id \"{id}\" does not match the file name \"{stem}.md\"")
            }
            Self::Preset(e) => write!(f, "[preset]: {e}"),
            Self::Expect(e) => write!(f, "expect: {e}"),
            Self::Step { n, label, error } => write!(f, "try step {n} (\"{label}\"): {error}"),
            Self::StepCount { translated, lesson } => {
                write!(f, "has {translated} try steps, the lesson has {lesson}")
            }
            Self::BadId(id) => write!(f, "lesson id \"{id}\" may only use letters, digits, - and _"),
        }
    }
}

impl fmt::Display for UnknownSymptom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown symptom \"{}\"", self.0)
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Symptom(e) => e.fmt(f),
            Self::Setting(e) => e.fmt(f),
        }
    }
}

impl Error for LessonError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.problem)
    }
}

impl Error for LessonProblem {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Preset(e) => Some(e),
            Self::Expect(e) => Some(e),
            Self::Step { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl Error for UnknownSymptom {}

impl Error for StepError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Symptom(e) => Some(e),
            Self::Setting(e) => Some(e),
        }
    }
}
