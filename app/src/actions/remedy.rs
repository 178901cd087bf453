//! From finding to experiment: a finding's remedies as buttons (`engine::diagnose::remedies`),
//! trying one (the run so far is pinned, the changed run plays, like a lesson's "try this"),
//! and the verdict: once the new run has as much curve as the finding was read from, whether
//! that finding went away. The verdict is given once and kept (the panel does not change its
//! mind while the run goes on); another run's config ends the trial.

use super::pins::pin_and_start;
use crate::state::{Texts, Trial, Ui};
use engine::RunConfig;
use engine::diagnose::{Finding, Remedy, Symptom, remedies};
use leptos::prelude::*;

/// The new run is judged after at least this many steps (a diagnosis needs ~100, an
/// over-fitting curve more) ...
const MIN_WATCH: u64 = 300;
/// ... and at most this many, however long the run the finding came from.
const MAX_WATCH: u64 = 5000;

/// The remedies offered for `symptom` on the current config, with their labels. Tracked: the
/// buttons change with the config and the language.
pub fn offered(ui: Ui, symptom: Symptom) -> Vec<(Remedy, String)> {
    let list = ui.cfg.with(|c| remedies(symptom, c));
    list.into_iter()
        .map(|r| {
            let text = label(ui, &r);
            (r, text)
        })
        .collect()
}

/// Whether a finding has no remedy because it comes from the data itself.
pub fn from_data(symptom: Symptom) -> bool {
    symptom == Symptom::NoiseFloor
}

/// A remedy's button text: `remedy.<id>` with each knob's new value (an option by its label).
/// Tracked on the language.
pub fn label(ui: Ui, r: &Remedy) -> String {
    ui.texts.with(|t| label_in(t, r))
}

fn label_in(t: &Texts, r: &Remedy) -> String {
    let args: Vec<(&str, String)> = r
        .set
        .iter()
        .map(|(k, v)| {
            let option = t.get_opt(&format!("choices.{k}.{v}"));
            (k.as_str(), option.unwrap_or_else(|| v.clone()))
        })
        .collect();
    t.fmt(&format!("remedy.{}", r.id), &args)
}

/// When the run a remedy starts is judged: after as many steps as the finding's evidence
/// reached in the run it came from (within [`MIN_WATCH`]..=[`MAX_WATCH`]), or at the new
/// run's last step if it stops sooner.
pub fn watch_until(finding: &Finding, cfg: &RunConfig) -> u64 {
    let until = finding.to_step.clamp(MIN_WATCH, MAX_WATCH);
    match cfg.train.max_steps as u64 {
        0 => until,
        max => until.min(max),
    }
}

/// The verdict on `trial` after a diagnosis at `step` of the run of `cfg` that found
/// `findings`; `ended`: the run stopped (finished, stopped early, diverged). `None` while it
/// is still too early, or the run is not the trial's.
pub fn judge(trial: &Trial, cfg: &RunConfig, step: u64, ended: bool, findings: &[Finding]) -> Option<bool> {
    if let Some(gone) = trial.gone {
        return Some(gone);
    }
    if *cfg != trial.cfg || step == 0 || (step < trial.until && !ended) {
        return None;
    }
    Some(findings.iter().all(|f| f.symptom != trial.symptom))
}

/// Tries `remedy` for the finding on `symptom`: the run so far is pinned, the changed run
/// starts playing, and the panel watches it.
pub fn try_remedy(ui: Ui, symptom: Symptom, remedy: &Remedy) {
    let cfg = match ui.cfg.with_untracked(|c| remedy.apply(c)) {
        Ok(c) => c,
        // Not expected: remedies are only offered where they apply.
        Err(e) => {
            ui.notice(e.to_string());
            return;
        }
    };
    let finding = ui
        .findings
        .with_untracked(|fs| fs.iter().find(|f| f.symptom == symptom).cloned());
    let until = finding.map_or(MIN_WATCH, |f| watch_until(&f, &cfg));
    let text = ui.texts.with_untracked(|t| label_in(t, remedy));
    ui.trial.set(Some(Trial {
        symptom,
        remedy: remedy.clone(),
        cfg: cfg.clone(),
        until,
        gone: None,
    }));
    let first = remedy.set.first().map(|(k, _)| k.clone());
    pin_and_start(ui, cfg, text, first);
}

/// After each diagnosis of the current run (`actions::frame`): gives the trial its verdict
/// when the run has enough curve.
pub fn observe(ui: Ui, cfg: &RunConfig, step: u64, ended: bool, findings: &[Finding]) {
    let verdict = ui.trial.with_untracked(|t| match t {
        Some(t) if t.gone.is_none() => judge(t, cfg, step, ended, findings),
        _ => None,
    });
    if let Some(gone) = verdict {
        ui.trial.update(|t| {
            if let Some(t) = t {
                t.gone = Some(gone);
            }
        });
    }
}

/// A new run (`actions::run::start_run`): a trial of another config is over.
pub fn forget_unless(ui: Ui, cfg: &RunConfig) {
    if ui
        .trial
        .with_untracked(|t| t.as_ref().is_some_and(|t| t.cfg != *cfg))
    {
        ui.trial.set(None);
    }
}

/// What the panel says about the trial: `("watching" | "gone" | "still", sentence)`. Tracked
/// on the trial and the language only, not on the step.
pub fn verdict_line(ui: Ui) -> Option<(&'static str, String)> {
    let t = ui.trial.get()?;
    let remedy = label(ui, &t.remedy);
    let finding = ui.tr(&format!("curves.{}.title", t.symptom.id()));
    Some(match t.gone {
        None => (
            "watching",
            ui.tr_fmt(
                "ui.remedy_watching",
                &[("remedy", remedy), ("step", t.until.to_string())],
            ),
        ),
        Some(gone) => {
            let (state, key) = if gone {
                ("gone", "ui.remedy_gone")
            } else {
                ("still", "ui.remedy_still")
            };
            let text = ui.tr_fmt(key, &[("remedy", remedy), ("finding", finding)]);
            (state, text)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(s: Symptom, to: u64) -> Finding {
        Finding {
            symptom: s,
            confidence: 0.9,
            from_step: 0,
            to_step: to,
            explanation_id: format!("curves.{}", s.id()),
            caused_by: None,
        }
    }

    fn trial(cfg: &RunConfig, until: u64) -> Trial {
        Trial {
            symptom: Symptom::DeadUnits,
            remedy: remedies(Symptom::DeadUnits, cfg)[0].clone(),
            cfg: cfg.clone(),
            until,
            gone: None,
        }
    }

    #[test]
    fn labels_name_the_new_values_in_the_page_language() {
        let texts = |lang: &str| {
            let path = format!("{}/../static/i18n/{lang}.toml", env!("CARGO_MANIFEST_DIR"));
            Texts::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        let (en, zh) = (texts("en"), texts("zh"));
        let lr1 = RunConfig::from_query("lr=1").unwrap();
        let r = &remedies(Symptom::DeadUnits, &lr1)[0];
        assert_eq!(label_in(&en, r), "Lower the learning rate to 0.01");
        assert_eq!(label_in(&zh, r), "把学习率降到 0.01");
        // An option by its label, not its id.
        let tiny = RunConfig::from_query("init=normal&init_std=0.001").unwrap();
        let r = &remedies(Symptom::InitPlateau, &tiny)[0];
        assert_eq!(label_in(&en, r), "Initialise the weights with He normal");
        let sgd = RunConfig::from_query("optimizer=sgd&lr=0.001").unwrap();
        let r = &remedies(Symptom::LrTooLow, &sgd)[0];
        assert_eq!(label_in(&en, r), "Switch to Adam at learning rate 0.01");
    }

    #[test]
    fn the_new_run_is_watched_as_long_as_the_old_one_was_read() {
        let cfg = RunConfig::default();
        assert_eq!(watch_until(&finding(Symptom::Overfitting, 1500), &cfg), 1500);
        assert_eq!(watch_until(&finding(Symptom::Diverged, 40), &cfg), MIN_WATCH);
        assert_eq!(
            watch_until(&finding(Symptom::NoisyTrain, 90_000), &cfg),
            MAX_WATCH
        );
        let short = RunConfig::from_query("max_steps=200").unwrap();
        assert_eq!(watch_until(&finding(Symptom::Overfitting, 1500), &short), 200);
    }

    #[test]
    fn the_verdict_waits_for_enough_curve_and_then_holds() {
        let cfg = RunConfig::default();
        let mut t = trial(&cfg, 500);
        let dead = [finding(Symptom::DeadUnits, 400)];
        let other = [finding(Symptom::NoisyTrain, 400)];
        assert_eq!(judge(&t, &cfg, 499, false, &[]), None, "too early");
        assert_eq!(judge(&t, &cfg, 500, false, &other), Some(true));
        assert_eq!(judge(&t, &cfg, 500, false, &dead), Some(false));
        // A run that stops sooner is judged at its end.
        assert_eq!(judge(&t, &cfg, 120, true, &[]), Some(true));
        // Another run (the one before the change, still finishing a chunk) is not the trial's.
        let old = RunConfig::from_query("lr=1").unwrap();
        assert_eq!(judge(&t, &old, 900, false, &dead), None);
        // Once given, the verdict stays whatever the curves do next.
        t.gone = Some(true);
        assert_eq!(judge(&t, &cfg, 2000, false, &dead), Some(true));
    }
}
