//! Live curve diagnosis: what a run's curves say, as findings a learner can read.
//!
//! [`diagnose`] is a pure function of a run's curves (and a few facts about its data);
//! [`Diagnoser`] wraps it with hysteresis so findings shown while training do not flicker.

mod checks;
mod signals;

use crate::train::{History, Session, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a finding says; the snake_case name is a stable id (test hook, texts, lessons).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    Diverged,
    LossRising,
    StuckAtChance,
    InitPlateau,
    LrTooLow,
    Overfitting,
    Underfitting,
    NoisyTrain,
    NoisyVal,
    PeriodicTrain,
    ValMismatch,
    LossFloor,
    VanishingGradients,
    ExplodingGradients,
}

impl Symptom {
    pub const ALL: [Symptom; 14] = [
        Symptom::Diverged,
        Symptom::LossRising,
        Symptom::StuckAtChance,
        Symptom::InitPlateau,
        Symptom::LrTooLow,
        Symptom::Overfitting,
        Symptom::Underfitting,
        Symptom::NoisyTrain,
        Symptom::NoisyVal,
        Symptom::PeriodicTrain,
        Symptom::ValMismatch,
        Symptom::LossFloor,
        Symptom::VanishingGradients,
        Symptom::ExplodingGradients,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Symptom::Diverged => "diverged",
            Symptom::LossRising => "loss_rising",
            Symptom::StuckAtChance => "stuck_at_chance",
            Symptom::InitPlateau => "init_plateau",
            Symptom::LrTooLow => "lr_too_low",
            Symptom::Overfitting => "overfitting",
            Symptom::Underfitting => "underfitting",
            Symptom::NoisyTrain => "noisy_train",
            Symptom::NoisyVal => "noisy_val",
            Symptom::PeriodicTrain => "periodic_train",
            Symptom::ValMismatch => "val_mismatch",
            Symptom::LossFloor => "loss_floor",
            Symptom::VanishingGradients => "vanishing_gradients",
            Symptom::ExplodingGradients => "exploding_gradients",
        }
    }

    pub fn from_id(id: &str) -> Option<Symptom> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// One thing the curves show, with how sure the check is and the steps it is based on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub symptom: Symptom,
    /// 0..1; findings are reported from [`REPORT`] up.
    pub confidence: f32,
    pub from_step: u64,
    pub to_step: u64,
    /// The text key of the explanation: `curves.<symptom id>` (`.title`, `.explain`) in `static/i18n`.
    pub explanation_id: String,
}

impl Finding {
    fn new(symptom: Symptom, confidence: f32, from_step: u64, to_step: u64) -> Self {
        Finding {
            symptom,
            confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
            from_step,
            to_step,
            explanation_id: format!("curves.{}", symptom.id()),
        }
    }
}

/// A raw finding at or above this confidence is reported.
pub const REPORT: f32 = 0.6;
/// A finding already shown stays until its confidence falls below this.
pub const KEEP: f32 = 0.3;

/// The facts about a run that its curves alone do not carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Context {
    pub regression: bool,
    /// Training-set class frequencies (sum 1); empty for regression.
    pub class_prior: Vec<f32>,
    pub steps_per_epoch: usize,
    pub status: Status,
}

impl Context {
    pub fn of(session: &Session) -> Context {
        let data = session.dataset();
        let (train_counts, _) = data.class_counts();
        let total = train_counts.iter().sum::<usize>().max(1) as f32;
        Context {
            regression: data.regression,
            class_prior: if data.regression {
                vec![]
            } else {
                train_counts.iter().map(|&c| c as f32 / total).collect()
            },
            steps_per_epoch: session.steps_per_epoch(),
            status: session.status(),
        }
    }

    /// Accuracy of always guessing the most frequent class.
    pub fn chance_accuracy(&self) -> f32 {
        self.class_prior.iter().copied().fold(0.0, f32::max)
    }

    /// Cross-entropy of predicting the class frequencies: the loss of a model that learnt nothing.
    pub fn chance_loss(&self) -> f32 {
        -self
            .class_prior
            .iter()
            .filter(|&&p| p > 0.0)
            .map(|p| p * p.ln())
            .sum::<f32>()
    }
}

/// Every finding the curves support with at least `min_confidence`, strongest first.
pub fn diagnose_all(h: &History, ctx: &Context, min_confidence: f32) -> Vec<Finding> {
    let mut out: Vec<Finding> = checks::run(h, ctx)
        .into_iter()
        .filter(|f| f.confidence >= min_confidence)
        .collect();
    out.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.symptom.cmp(&b.symptom))
    });
    out
}

/// What the curves say: the findings at or above [`REPORT`]; empty for a healthy run.
pub fn diagnose(h: &History, ctx: &Context) -> Vec<Finding> {
    diagnose_all(h, ctx, REPORT)
}

/// Findings with hysteresis: one appears at [`REPORT`] and stays until it drops below [`KEEP`],
/// so a finding near its threshold does not blink on and off from one chunk to the next.
#[derive(Clone, Debug, Default)]
pub struct Diagnoser {
    shown: BTreeMap<Symptom, Finding>,
}

impl Diagnoser {
    pub fn update(&mut self, h: &History, ctx: &Context) -> Vec<Finding> {
        let raw = diagnose_all(h, ctx, KEEP);
        let mut next = BTreeMap::new();
        for f in raw {
            if f.confidence >= REPORT || self.shown.contains_key(&f.symptom) {
                next.insert(f.symptom, f);
            }
        }
        self.shown = next;
        self.findings()
    }

    /// The findings shown now, strongest first.
    pub fn findings(&self) -> Vec<Finding> {
        let mut v: Vec<Finding> = self.shown.values().cloned().collect();
        v.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.symptom.cmp(&b.symptom))
        });
        v
    }
}
