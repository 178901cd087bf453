//! The reactive signals the page is drawn from. Small values only: runs and curves live in
//! `Lab`, and `tick` says when they changed.

use super::backend::Backend;
use super::status::RunStatus;
use super::texts::Texts;
use engine::config::RunConfig;
use engine::diagnose::{Finding, Remedy, Symptom};
use engine::lesson::Lesson;
use engine::train::Predictions;
use leptos::prelude::*;

/// At most this many notices stay listed: a page open for a whole lesson keeps only the latest.
const MAX_NOTICES: usize = 12;
/// A link with many bad keys gets this many notices and one line counting the rest.
const MAX_LINK_NOTICES: usize = 6;

/// One line in the notices panel. Those about the link are replaced when the link changes
/// (back button, pasted URL): they describe the address bar, not the page's history.
#[derive(Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub from_link: bool,
}

/// A finding's remedy being tried (`actions::remedy`): what it was for, the run it started and,
/// once that run has enough curve, whether the finding went away.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    pub symptom: Symptom,
    pub remedy: Remedy,
    /// The run the remedy started; another config ends the trial.
    pub cfg: RunConfig,
    /// The step at which the new run is judged (or its end, if sooner).
    pub until: u64,
    /// `Some(true)`: the finding went away; `Some(false)`: still there; `None`: watching.
    pub gone: Option<bool>,
}

#[derive(Clone, Copy)]
pub struct Ui {
    pub cfg: RwSignal<RunConfig>,
    pub texts: RwSignal<Texts>,
    pub lang: RwSignal<String>,
    pub running: RwSignal<bool>,
    /// Bumped whenever runs or curves change: charts redraw on the next frame.
    pub tick: RwSignal<u64>,
    /// Bumped when the decision surface / predictions / dataset change: the data view redraws.
    pub data_tick: RwSignal<u64>,
    pub status: RwSignal<RunStatus>,
    pub step: RwSignal<u64>,
    pub epoch: RwSignal<f64>,
    pub steps_per_s: RwSignal<f64>,
    pub backend: RwSignal<Backend>,
    /// What went wrong loading the link, texts, lessons or data (see [`Notice`]).
    pub notices: RwSignal<Vec<Notice>>,
    pub last_knob: RwSignal<Option<String>>,
    pub log_scale: RwSignal<bool>,
    pub smoothing: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    pub ready: RwSignal<bool>,
    /// The latest validation predictions (classification), for the metrics tables.
    pub preds: RwSignal<Option<Predictions>>,
    /// Speed setting 1..=5 (5 = as fast as the frame budget allows).
    pub speed: RwSignal<usize>,
    /// Every lesson that loaded, in course order, in the page's language.
    pub lessons: RwSignal<Vec<Lesson>>,
    /// The open lesson's id.
    pub lesson: RwSignal<Option<String>>,
    /// What the curves say about the current run.
    pub findings: RwSignal<Vec<Finding>>,
    /// The remedy being tried, with its verdict once there is one.
    pub trial: RwSignal<Option<Trial>>,
    /// Whether the page is in view (an embedded widget scrolled away is not).
    pub visible: RwSignal<bool>,
}

impl Ui {
    pub fn new() -> Self {
        Self {
            cfg: RwSignal::new(RunConfig::default()),
            texts: RwSignal::new(Texts::default()),
            lang: RwSignal::new("en".into()),
            running: RwSignal::new(false),
            tick: RwSignal::new(0),
            data_tick: RwSignal::new(0),
            status: RwSignal::new(RunStatus::Idle),
            step: RwSignal::new(0),
            epoch: RwSignal::new(0.0),
            steps_per_s: RwSignal::new(0.0),
            backend: RwSignal::new(Backend::Cpu),
            notices: RwSignal::new(Vec::new()),
            last_knob: RwSignal::new(None),
            log_scale: RwSignal::new(false),
            smoothing: RwSignal::new(true),
            error: RwSignal::new(None),
            ready: RwSignal::new(false),
            preds: RwSignal::new(None),
            speed: RwSignal::new(5),
            lessons: RwSignal::new(Vec::new()),
            lesson: RwSignal::new(None),
            findings: RwSignal::new(Vec::new()),
            trial: RwSignal::new(None),
            visible: RwSignal::new(true),
        }
    }

    /// The text for `key` in the page's language. Tracked: a view that calls it redraws when
    /// the language changes.
    pub fn tr(&self, key: &str) -> String {
        self.texts.with(|t| t.get(key))
    }

    /// [`Ui::tr`] with `{name}` placeholders filled in.
    pub fn tr_fmt(&self, key: &str, args: &[(&str, String)]) -> String {
        self.texts.with(|t| t.fmt(key, args))
    }

    /// An engine message (`msg.<id>`) in the page's language.
    pub fn tr_msg(&self, m: &engine::msg::Msg) -> String {
        self.texts.with(|t| t.msg(m))
    }

    /// An engine error a learner can cause, in the page's language.
    pub fn tr_error(&self, e: &engine::EngineError) -> String {
        self.texts.with(|t| t.engine_error(e))
    }

    pub fn notice(&self, msg: impl Into<String>) {
        let text = msg.into();
        self.notices.update(|n| {
            if !n.iter().any(|x| x.text == text) {
                n.push(Notice {
                    text,
                    from_link: false,
                });
            }
            let extra = n.len().saturating_sub(MAX_NOTICES);
            n.drain(..extra);
        });
    }

    /// The notices about the current link, replacing those about the previous one.
    pub fn link_notices(&self, mut msgs: Vec<String>) {
        let mut seen = std::collections::HashSet::new();
        msgs.retain(|m| seen.insert(m.clone()));
        if msgs.len() > MAX_LINK_NOTICES {
            let more = msgs.len() - (MAX_LINK_NOTICES - 1);
            msgs.truncate(MAX_LINK_NOTICES - 1);
            let line = self.tr_fmt("ui.link_more", &[("n", more.to_string())]);
            msgs.push(line);
        }
        self.notices.update(|n| {
            n.retain(|x| !x.from_link);
            for text in msgs {
                if !n.iter().any(|x| x.text == text) {
                    n.push(Notice {
                        text,
                        from_link: true,
                    });
                }
            }
        });
    }
}

/// The page's `Ui`, provided once by the root component (`views::app`).
pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

impl Default for Ui {
    fn default() -> Self {
        Self::new()
    }
}
