//! Live curve diagnosis: what a run's curves say, as findings a learner can read.
//!
//! [`diagnose`] is a pure function of a run's curves, what the engine measured beside them
//! ([`crate::train::Probe`]: dead units, the evaluation-mode loss) and a few facts about its data
//! ([`Context`]: class frequencies, the validation set's size, the labels' noise floor);
//! [`Diagnoser`] wraps it with hysteresis so findings shown while training do not flicker.
//!
//! Findings come cause first: a finding that explains another (dead units explain an accuracy
//! stuck at chance) is listed before it, and the one it explains names it in `caused_by`.
//! [`remedies`] turns a finding into experiments: the knob changes worth trying first.

mod checks;
pub mod remedy;
mod signals;

pub use remedy::{Remedy, remedies};

use crate::data::NoiseFloor;
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
    DeadUnits,
    NoiseFloor,
    SmallVal,
}

impl Symptom {
    pub const ALL: [Symptom; 17] = [
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
        Symptom::DeadUnits,
        Symptom::NoiseFloor,
        Symptom::SmallVal,
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
            Symptom::DeadUnits => "dead_units",
            Symptom::NoiseFloor => "noise_floor",
            Symptom::SmallVal => "small_val",
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
    /// The finding this one follows from, when that one is found too: listed before it, and
    /// the reason to act on (a symptom goes away with its cause). `None` for a cause, or a
    /// finding nothing found explains.
    #[serde(default)]
    pub caused_by: Option<Symptom>,
}

impl Finding {
    fn new(symptom: Symptom, confidence: f32, from_step: u64, to_step: u64) -> Self {
        Finding {
            symptom,
            confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
            from_step,
            to_step,
            explanation_id: format!("curves.{}", symptom.id()),
            caused_by: None,
        }
    }
}

/// What each finding explains when both are found: the cause, then the symptoms it produces
/// (a learner who fixes the cause sees them go too). No cycles: a symptom's cause is never its
/// own symptom (tested).
const EXPLAINS: &[(Symptom, &[Symptom])] = {
    use Symptom::*;
    &[
        (
            Diverged,
            &[LossRising, ExplodingGradients, NoisyTrain, StuckAtChance],
        ),
        // Dead ReLU units pass no gradient: what is left of the network learns little or nothing.
        (
            DeadUnits,
            &[
                StuckAtChance,
                VanishingGradients,
                Underfitting,
                InitPlateau,
                LossRising,
                LrTooLow,
            ],
        ),
        // Labels that disagree with their neighbours hold the loss up and are what a big model
        // memorises.
        (
            NoiseFloor,
            &[Underfitting, LrTooLow, StuckAtChance, NoisyTrain, Overfitting],
        ),
        // A few examples' verdicts jump from one evaluation to the next.
        (SmallVal, &[NoisyVal]),
        // Validation measured another way (dropout on) is noisy and far from training.
        (ValMismatch, &[NoisyVal, Overfitting]),
        (LossFloor, &[Underfitting, LrTooLow, StuckAtChance]),
        (PeriodicTrain, &[NoisyTrain]),
        (ExplodingGradients, &[LossRising, NoisyTrain]),
        (VanishingGradients, &[Underfitting, StuckAtChance]),
        (LrTooLow, &[Underfitting]),
    ]
};

/// The findings that explain `s` when found with it.
pub fn explained_by(s: Symptom) -> impl Iterator<Item = Symptom> {
    EXPLAINS
        .iter()
        .filter(move |(_, effects)| effects.contains(&s))
        .map(|(cause, _)| *cause)
}

/// Pairs of findings that name rival explanations of one curve (the first wins a tie): only one
/// of each pair is shown, and [`Diagnoser`] keeps the one it shows rather than swap it for the
/// other on the same curve.
const RIVALS: &[(Symptom, Symptom)] = &[(Symptom::LrTooLow, Symptom::Underfitting)];

/// Orders findings cause first: each finding nothing found explains, strongest first (then the
/// one that explains more), followed by the findings it explains (directly or through another),
/// strongest first, which name it in `caused_by`.
fn group(mut v: Vec<Finding>) -> Vec<Finding> {
    let conf: BTreeMap<Symptom, f32> = v.iter().map(|f| (f.symptom, f.confidence)).collect();
    let stronger = |a: &Symptom, b: &Symptom| conf[b].total_cmp(&conf[a]).then(a.cmp(b));
    let root = |s: Symptom| {
        let mut at = s;
        let mut seen = vec![s];
        while let Some(c) = explained_by(at)
            .filter(|c| conf.contains_key(c) && !seen.contains(c))
            .min_by(stronger)
        {
            seen.push(c);
            at = c;
        }
        at
    };
    for f in &mut v {
        let r = root(f.symptom);
        f.caused_by = (r != f.symptom).then_some(r);
    }
    // Between causes as sure as each other, the one that explains more comes first.
    let mut explained: BTreeMap<Symptom, usize> = BTreeMap::new();
    for c in v.iter().filter_map(|f| f.caused_by) {
        *explained.entry(c).or_default() += 1;
    }
    let key = |f: &Finding| {
        let r = f.caused_by.unwrap_or(f.symptom);
        (
            std::cmp::Reverse(OrdF32(conf[&r])),
            std::cmp::Reverse(explained.get(&r).copied().unwrap_or(0)),
            r,
            f.caused_by.is_some(),
            std::cmp::Reverse(OrdF32(f.confidence)),
            f.symptom,
        )
    };
    v.sort_by_key(key);
    v
}

/// `f32` ordered by `total_cmp`, for sort keys.
#[derive(Clone, Copy, PartialEq)]
struct OrdF32(f32);
impl Eq for OrdF32 {}
impl PartialOrd for OrdF32 {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for OrdF32 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

/// A raw finding at or above this confidence is reported.
pub const REPORT: f32 = 0.6;
/// A finding already shown stays until its confidence falls below this.
pub const KEEP: f32 = 0.3;
/// A cause already shown stays down to this confidence while a finding it explains is likely
/// (at [`KEEP`] or above).
pub const LINGER: f32 = 0.1;

/// The facts about a run that its curves alone do not carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Context {
    pub regression: bool,
    /// Training-set class frequencies (sum 1); empty for regression.
    pub class_prior: Vec<f32>,
    pub steps_per_epoch: usize,
    pub status: Status,
    /// Validation examples: how far a validation accuracy can be trusted follows from it.
    pub val_size: usize,
    /// The lowest training loss the labels allow, estimated from near neighbours' labels
    /// ([`Session::noise_floor`]); `None` where it cannot be estimated.
    pub noise_floor: Option<NoiseFloor>,
    /// Root mean square of the training inputs as the model gets them: 1 when standardised,
    /// far more in raw units.
    pub input_rms: f32,
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
            val_size: data.val.len(),
            noise_floor: session.noise_floor(),
            input_rms: session.input_rms(),
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

/// Every finding the curves support with at least `min_confidence`, cause first (see
/// [`Finding::caused_by`]).
pub fn diagnose_all(h: &History, ctx: &Context, min_confidence: f32) -> Vec<Finding> {
    let raw = checks::run(h, ctx);
    // Of two rivals, the second is not named while the first is at all likely.
    let beaten = |f: &Finding| {
        RIVALS
            .iter()
            .any(|&(a, b)| f.symptom == b && raw.iter().any(|g| g.symptom == a && g.confidence >= KEEP))
    };
    let out = raw
        .iter()
        .filter(|f| f.confidence >= min_confidence && !beaten(f))
        .cloned()
        .collect();
    group(out)
}

/// Every check's finding, whatever its confidence: unfiltered, ungrouped, rivals both kept (for
/// calibration tools and tests).
pub fn checks(h: &History, ctx: &Context) -> Vec<Finding> {
    checks::run(h, ctx)
}

/// What the curves say: the findings at or above [`REPORT`], cause first; empty for a healthy run.
pub fn diagnose(h: &History, ctx: &Context) -> Vec<Finding> {
    diagnose_all(h, ctx, REPORT)
}

/// Findings with hysteresis: one appears at [`REPORT`] and stays until it drops below [`KEEP`],
/// so a finding near its threshold does not blink on and off from one chunk to the next. And a
/// cause is not swapped for another on the same curve: of two rivals ([`RIVALS`]) the one shown
/// stays while it holds, and a cause shown stays (down to [`LINGER`]) while a finding it
/// explains is likely.
#[derive(Clone, Debug, Default)]
pub struct Diagnoser {
    shown: BTreeMap<Symptom, Finding>,
}

impl Diagnoser {
    pub fn update(&mut self, h: &History, ctx: &Context) -> Vec<Finding> {
        let all = checks::run(h, ctx);
        let mut raw: Vec<Finding> = all.iter().filter(|f| f.confidence >= KEEP).cloned().collect();
        for &(a, b) in RIVALS {
            let has = |s: Symptom| raw.iter().any(|f| f.symptom == s);
            if has(a) && has(b) {
                // The one shown keeps its place; otherwise the first of the pair wins.
                let shown_b = self.shown.contains_key(&b) && !self.shown.contains_key(&a);
                let loser = if shown_b { a } else { b };
                raw.retain(|f| f.symptom != loser);
            }
        }
        let mut next = BTreeMap::new();
        for f in raw {
            if f.confidence >= REPORT || self.shown.contains_key(&f.symptom) {
                next.insert(f.symptom, f);
            }
        }
        // A cause shown stays while a finding it explains is likely and some of its own evidence
        // is left: the symptom it produced is still its doing, not another cause's.
        let likely: Vec<Symptom> = all
            .iter()
            .filter(|f| f.confidence >= KEEP)
            .map(|f| f.symptom)
            .collect();
        for f in all.into_iter().filter(|f| f.confidence >= LINGER) {
            let explains = EXPLAINS
                .iter()
                .any(|(c, effects)| *c == f.symptom && effects.iter().any(|e| likely.contains(e)));
            if self.shown.contains_key(&f.symptom) && explains {
                next.entry(f.symptom).or_insert(f);
            }
        }
        self.shown = next;
        self.findings()
    }

    /// The findings shown now, cause first.
    pub fn findings(&self) -> Vec<Finding> {
        group(self.shown.values().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_never_explain_themselves() {
        // Following causes from any symptom ends: the table has no cycle.
        for s in Symptom::ALL {
            let mut frontier = vec![(s, 0)];
            while let Some((at, depth)) = frontier.pop() {
                assert!(depth < Symptom::ALL.len(), "a cycle through {}", s.id());
                frontier.extend(explained_by(at).map(|c| (c, depth + 1)));
            }
        }
    }

    #[test]
    fn causes_come_first_with_their_symptoms() {
        let f = |s, c| Finding::new(s, c, 0, 100);
        let v = group(vec![
            f(Symptom::StuckAtChance, 1.0),
            f(Symptom::NoisyTrain, 0.7),
            f(Symptom::DeadUnits, 0.8),
            f(Symptom::VanishingGradients, 0.9),
            f(Symptom::PeriodicTrain, 0.65),
        ]);
        let order: Vec<(Symptom, Option<Symptom>)> = v.iter().map(|f| (f.symptom, f.caused_by)).collect();
        use Symptom::*;
        assert_eq!(
            order,
            vec![
                (DeadUnits, None),
                (StuckAtChance, Some(DeadUnits)),
                (VanishingGradients, Some(DeadUnits)),
                (PeriodicTrain, None),
                (NoisyTrain, Some(PeriodicTrain)),
            ]
        );
    }
}
