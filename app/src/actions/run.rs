//! What happens when a learner starts, plays, pauses, steps or resets a run.
//!
//! Every way of starting a run (a knob, a lesson, a "try this" step, a CSV file, a saved
//! config, the address bar) goes through [`start_run`]; Play and Pause through [`toggle_play`];
//! the frame loop (`actions::frame`) then trains chunk by chunk while `Ui::running` is on.

use super::assets::ensure_assets;
use super::frame;
use super::remedy;
use crate::platform::url;
use crate::platform::web::{query, set_query};
use crate::state::{RunRecord, RunStatus, Ui, lab};
use engine::config::{Knob, RunConfig};
use engine::msg::Msg;
use engine::{Session, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A run to start: its config and what the page does around it.
pub struct NewRun {
    pub cfg: RunConfig,
    /// Its name once pinned (a lesson preset, a "try this" step, a file), `None` for "#n".
    pub label: Option<String>,
    /// Whether the address bar gets the new run as a history entry (back/forward). Runs read
    /// from the address bar itself leave it as it is.
    pub push_url: bool,
    /// Whether it plays at once (a "try this" step does).
    pub play: bool,
}

/// Makes `run` the current run: its label, the config signal, the address bar, then a fresh
/// session from step 0 (the previous run's curves are dropped unless pinned first).
pub fn start_run(ui: Ui, run: NewRun) {
    lab().borrow_mut().current_label = run.label;
    remedy::forget_unless(ui, &run.cfg);
    ui.cfg.set(run.cfg);
    if run.push_url {
        let lesson = ui.lesson.get_untracked();
        let q = ui.cfg.with_untracked(RunConfig::to_query);
        set_query(&url::app_query(&q, &query(), lesson.as_deref()), true);
    }
    restart(ui, run.play);
}

/// `cfg` with `knob` set from a control's text: parsed, within bounds, valid as a whole.
/// `Err` holds what to tell the learner.
pub fn with_knob(cfg: &RunConfig, knob: &'static Knob, text: &str) -> Result<RunConfig, KnobError> {
    let mut cfg = cfg.clone();
    knob.kind
        .parse(text.trim())
        .and_then(|v| knob.set_checked(&mut cfg, v))
        .map_err(KnobError::Value)?;
    cfg.validate()
        .map_err(|errs| KnobError::Config(errs.into_iter().map(|e| e.msg).collect()))?;
    Ok(cfg)
}

/// Why a control's value was refused.
#[derive(Debug, PartialEq)]
pub enum KnobError {
    /// The value itself (not a number, out of bounds): shown with the knob's label.
    Value(Msg),
    /// The value breaks a rule between settings: each message on its own.
    Config(Vec<Msg>),
}

/// A control's new value: a valid one starts a new run from it, a bad one becomes a notice.
pub fn apply_knob(ui: Ui, knob: &'static Knob, text: &str) {
    match ui.cfg.with_untracked(|c| with_knob(c, knob, text)) {
        Ok(cfg) => {
            ui.last_knob.set(Some(knob.key.to_string()));
            start_run(
                ui,
                NewRun {
                    cfg,
                    label: None,
                    push_url: true,
                    play: false,
                },
            );
        }
        Err(KnobError::Value(e)) => {
            let label = ui.tr(&format!("knobs.{}.label", knob.key));
            ui.notice(format!("{label}: {}", ui.tr_msg(&e)));
        }
        Err(KnobError::Config(errs)) => errs.iter().for_each(|e| ui.notice(ui.tr_msg(e))),
    }
}

/// Starts the current run again from step 0 with the current config.
pub fn reset(ui: Ui) {
    restart(ui, false);
}

fn restart(ui: Ui, play: bool) {
    ui.running.set(false);
    spawn_local(async move {
        let assets = match ensure_assets(ui).await {
            Ok(a) => a,
            Err(e) => {
                ui.notice(e);
                return;
            }
        };
        let cfg = ui.cfg.get_untracked();
        let l = lab();
        let mut lab = l.borrow_mut();
        let Some(device) = lab.device.clone() else { return };
        match Session::new(cfg.clone(), &assets, device) {
            Ok(mut s) => {
                // The curves are kept once, in the run's record below.
                s.set_keep_history(false);
                lab.steps_per_epoch = s.steps_per_epoch();
                lab.generation += 1;
                let color = lab.current.color;
                lab.current = RunRecord::new(cfg, color);
                lab.current.history.layer_names = s.history().layer_names.clone();
                lab.session = Some(s);
                lab.grid = None;
                lab.grid_step = u64::MAX;
                lab.diagnoser = Default::default();
                ui.findings.set(Vec::new());
                ui.preds.set(None);
                ui.running.set(play);
                ui.data_tick.update(|t| *t += 1);
            }
            Err(e) => ui.notice(ui.tr_error(&e)),
        }
        drop(lab);
        sync(ui);
    });
}

/// Play or Pause. Before the first run exists (a lesson link still loading) a press of Play
/// is kept: the first run starts playing (see `actions::startup`).
pub fn toggle_play(ui: Ui) {
    let can_run = lab()
        .borrow()
        .session
        .as_ref()
        .is_none_or(|s| s.status().is_running());
    ui.running.set(!ui.running.get_untracked() && can_run);
    sync(ui);
}

/// Pauses (the widget scrolled out of view).
pub fn pause(ui: Ui) {
    ui.running.set(false);
    sync(ui);
}

/// One step, for the "step" button and the `s` key.
pub fn single_step(ui: Ui) {
    ui.running.set(false);
    frame::run_chunk(ui, 1);
}

/// Copies the run's figures into the signals. While a chunk holds the session, the figures are
/// the run's as of its last chunk: pausing then never shows a reset run.
pub fn sync(ui: Ui) {
    let l = lab();
    let lab = l.borrow();
    let (step, epoch, status) = match &lab.session {
        Some(s) => (s.step(), s.epoch(), s.status()),
        None if lab.busy => {
            let step = lab.current.history.last_step();
            let epoch = step as f64 / lab.steps_per_epoch.max(1) as f64;
            (step, epoch, lab.current.status)
        }
        None => (0, 0.0, Status::Running),
    };
    drop(lab);
    let running = ui.running.get_untracked();
    if !status.is_running() && running {
        ui.running.set(false);
    }
    ui.status.set(RunStatus::of(status, running, step));
    ui.step.set(step);
    ui.epoch.set(epoch);
    ui.tick.update(|t| *t += 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::config::knob;

    #[test]
    fn a_knob_value_makes_a_new_config() {
        let base = RunConfig::default();
        let lr = knob("lr").unwrap();
        let cfg = with_knob(&base, lr, " 0.25 ").unwrap();
        assert_eq!(cfg.train.lr, 0.25);
        // Only that knob changed.
        assert_eq!(engine::config::diff(&base, &cfg).len(), 1);
    }

    #[test]
    fn bad_values_are_refused_with_a_message() {
        let base = RunConfig::default();
        let lr = knob("lr").unwrap();
        assert!(matches!(with_knob(&base, lr, "fast"), Err(KnobError::Value(_))));
        assert!(matches!(with_knob(&base, lr, "-1"), Err(KnobError::Value(_))));
        let dataset = knob("dataset").unwrap();
        // The learner's own file is not part of a config: choosing "csv" alone is allowed,
        // the session then asks for the file; an unknown dataset is not.
        assert!(with_knob(&base, dataset, "nonsense").is_err());
    }
}
