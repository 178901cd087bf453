//! Pinned runs: keeping the current run's curves beside the next ones, naming and removing them.

use super::run::{NewRun, start_run};
use crate::platform::web::window;
use crate::state::{Ui, lab};
use engine::RunConfig;
use leptos::prelude::*;

/// Keeps the current run's curves on the charts as a pinned run.
pub fn pin(ui: Ui) {
    lab().borrow_mut().pin();
    ui.tick.update(|t| *t += 1);
}

/// Tries a change (a lesson's "try this" step, a finding's remedy): the run so far is pinned
/// when it has steps, so both curves stay, and `cfg` starts playing under `label`; `knob` is
/// the first setting it changes (the explanation panel shows it).
pub fn pin_and_start(ui: Ui, cfg: RunConfig, label: String, knob: Option<String>) {
    {
        let l = lab();
        let mut lab = l.borrow_mut();
        if lab.current.history.last_step() > 0 {
            lab.pin();
        }
    }
    ui.last_knob.set(knob);
    start_run(
        ui,
        NewRun {
            cfg,
            label: Some(label),
            push_url: true,
            play: true,
        },
    );
}

/// Removes pinned run `i` from the charts.
pub fn unpin(ui: Ui, i: usize) {
    {
        let l = lab();
        let mut lab = l.borrow_mut();
        if i < lab.pinned.len() {
            lab.pinned.remove(i);
        }
    }
    ui.tick.update(|t| *t += 1);
}

/// Asks for a new name for pinned run `i` (at most 40 characters; blank keeps the old one).
pub fn rename(ui: Ui, i: usize) {
    let Ok(Some(new)) = window().prompt_with_message(&ui.tr("ui.rename")) else {
        return;
    };
    let new = new.trim().chars().take(40).collect::<String>();
    if new.is_empty() {
        return;
    }
    if let Some(p) = lab().borrow_mut().pinned.get_mut(i) {
        p.name = new;
    }
    ui.tick.update(|t| *t += 1);
}
