//! Lessons as data: one Markdown file per lesson with TOML front matter (the preset run, the
//! "try this" steps, what the diagnosis should find), plus one translation file per language.
//!
//! ```text
//! static/lessons/index.toml          lessons = ["healthy", "lr-too-high", ...]
//! static/lessons/healthy.md          front matter + English text
//! static/lessons/healthy.zh.md       translated text only (same try steps, in order)
//! ```
//! The format is documented in the README. Errors name the file and the problem.

mod error;
pub mod markdown;

pub use error::{LessonError, LessonProblem, StepError, UnknownSymptom};

use crate::config::RunConfig;
use crate::diagnose::Symptom;
use serde::Deserialize;

/// How far into the course a lesson sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub fn id(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub level: Level,
    pub title: String,
    /// The question the learner should answer from the curves.
    pub question: String,
    /// What to look for in the curves.
    pub look_for: String,
    pub preset: RunConfig,
    /// What the diagnosis finds on the preset's curves (tested; empty = a healthy run).
    pub expect: Vec<Symptom>,
    pub steps: Vec<TryStep>,
    /// The explanation, as Markdown (render with [`markdown::to_html`]).
    pub body: String,
}

/// One "try this" step: knob changes applied on top of the current run with one click.
#[derive(Clone, Debug, PartialEq)]
pub struct TryStep {
    pub label: String,
    /// (knob key, value in the knob's text form), in file order.
    pub set: Vec<(String, String)>,
    /// What the diagnosis finds after the change (tested; empty = no claim).
    pub expect: Vec<Symptom>,
}

impl TryStep {
    /// `cfg` with this step's changes, checked like any other input.
    pub fn apply(&self, cfg: &RunConfig) -> Result<RunConfig, StepError> {
        cfg.with_settings(&self.set).map_err(StepError::Setting)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    id: String,
    level: Level,
    title: String,
    question: String,
    look_for: String,
    #[serde(default)]
    expect: Vec<String>,
    preset: toml::Table,
    #[serde(default, rename = "try")]
    steps: Vec<FrontStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontStep {
    label: String,
    set: toml::Table,
    #[serde(default)]
    expect: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Translation {
    title: String,
    question: String,
    look_for: String,
    #[serde(default, rename = "try")]
    steps: Vec<TranslatedStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TranslatedStep {
    label: String,
}

impl Lesson {
    /// Parses `<id>.md`; `file` is its name, for error messages.
    pub fn parse(file: &str, src: &str) -> Result<Lesson, LessonError> {
        let err = |problem| LessonError {
            file: file.to_string(),
            problem,
        };
        let (front, body) = split_front_matter(src).map_err(err)?;
        let f: Front = toml::from_str(front).map_err(|e| err(toml_problem(&e)))?;
        let stem = file.rsplit('/').next().unwrap_or(file).trim_end_matches(".md");
        if f.id != stem {
            return Err(err(LessonProblem::IdMismatch {
                id: f.id,
                stem: stem.to_string(),
            }));
        }
        let preset_src = toml::to_string(&f.preset).map_err(|e| err(LessonProblem::Toml(e.to_string())))?;
        let preset = RunConfig::from_toml(&preset_src).map_err(|e| err(LessonProblem::Preset(e)))?;
        let expect = symptoms(&f.expect).map_err(|e| err(LessonProblem::Expect(e)))?;
        let mut steps = Vec::new();
        for (i, s) in f.steps.into_iter().enumerate() {
            let at = |error| {
                err(LessonProblem::Step {
                    n: i + 1,
                    label: s.label.clone(),
                    error: Box::new(error),
                })
            };
            let set = s.set.iter().map(|(k, v)| (k.clone(), value_text(v))).collect();
            let step = TryStep {
                label: s.label.clone(),
                set,
                expect: symptoms(&s.expect).map_err(|e| at(StepError::Symptom(e)))?,
            };
            step.apply(&preset).map_err(at)?;
            steps.push(step);
        }
        Ok(Lesson {
            id: f.id,
            level: f.level,
            title: f.title,
            question: f.question,
            look_for: f.look_for,
            preset,
            expect,
            steps,
            body: body.to_string(),
        })
    }

    /// Replaces the text with a translation file's (`<id>.<lang>.md`): title, question,
    /// what to look for, each try step's label (same number, same order) and the body.
    pub fn translate(&mut self, file: &str, src: &str) -> Result<(), LessonError> {
        let err = |problem| LessonError {
            file: file.to_string(),
            problem,
        };
        let (front, body) = split_front_matter(src).map_err(err)?;
        let t: Translation = toml::from_str(front).map_err(|e| err(toml_problem(&e)))?;
        if t.steps.len() != self.steps.len() {
            return Err(err(LessonProblem::StepCount {
                translated: t.steps.len(),
                lesson: self.steps.len(),
            }));
        }
        self.title = t.title;
        self.question = t.question;
        self.look_for = t.look_for;
        for (s, ts) in self.steps.iter_mut().zip(t.steps) {
            s.label = ts.label;
        }
        self.body = body.to_string();
        Ok(())
    }

    pub fn body_html(&self) -> String {
        markdown::to_html(&self.body)
    }
}

/// The list of lessons, in course order (`static/lessons/index.toml`).
pub fn parse_index(src: &str) -> Result<Vec<String>, LessonProblem> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Index {
        lessons: Vec<String>,
    }
    let idx: Index = toml::from_str(src).map_err(|e| toml_problem(&e))?;
    for id in &idx.lessons {
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(LessonProblem::BadId(id.clone()));
        }
    }
    Ok(idx.lessons)
}

/// Splits `+++\n<toml>\n+++\n<markdown>`.
fn split_front_matter(src: &str) -> Result<(&str, &str), LessonProblem> {
    let src = src.trim_start_matches('\u{feff}');
    let rest = src
        .strip_prefix("+++")
        .and_then(|r| r.strip_prefix("\r\n").or_else(|| r.strip_prefix('\n')))
        .ok_or(LessonProblem::NoFrontMatter)?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(LessonProblem::UnclosedFrontMatter)
}

fn toml_problem(e: &toml::de::Error) -> LessonProblem {
    LessonProblem::Toml(e.to_string().trim().replace('\n', " ").replace("  ", " "))
}

fn symptoms(ids: &[String]) -> Result<Vec<Symptom>, UnknownSymptom> {
    ids.iter()
        .map(|id| Symptom::from_id(id).ok_or_else(|| UnknownSymptom(id.clone())))
        .collect()
}

/// A TOML value in a knob's text form (`[16, 16]` → `16,16`).
fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
