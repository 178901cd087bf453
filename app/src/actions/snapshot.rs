//! What the test hook's `window.losslab.state()` answers: exactly what the charts draw (the
//! `Lab`'s runs), so tests read the same numbers a learner sees, plus the page's figures.

use crate::platform::web::{self, window};
use crate::state::{RunRecord, Ui, lab};
use leptos::prelude::*;
use serde_json::{Value, json};

fn run_json(r: &RunRecord, current_name: &str) -> Value {
    let h = &r.history;
    // The name the legend shows: pinned runs have their own, the current one a label.
    let name = if r.pinned { r.name.as_str() } else { current_name };
    let pairs = |v: Vec<(u64, Option<f32>)>| -> Vec<Value> {
        v.into_iter()
            .filter_map(|(s, x)| x.map(|x| json!([s, x])))
            .collect()
    };
    json!({
        "name": name,
        "pinned": r.pinned,
        "config_query": r.cfg.to_query(),
        "seed": r.cfg.seed,
        "status": r.status,
        "train_loss": h.train_loss.iter().map(|&(s, v)| json!([s, v])).collect::<Vec<_>>(),
        "val_loss": pairs(h.evals.iter().map(|e| (e.step, Some(e.val_loss))).collect()),
        "train_acc": pairs(h.evals.iter().map(|e| (e.step, e.train_acc)).collect()),
        "val_acc": pairs(h.evals.iter().map(|e| (e.step, e.val_acc)).collect()),
    })
}

/// What `window.losslab.state()` answers.
pub fn state_json(ui: Ui) -> Value {
    let l = lab();
    let lab = l.borrow();
    let current = ui.texts.with_untracked(|t| t.get("ui.current_run"));
    let runs: Vec<Value> = lab
        .pinned
        .iter()
        .chain(std::iter::once(&lab.current))
        .map(|r| run_json(r, &current))
        .collect();
    json!({
        "backend": ui.backend.get_untracked().id(),
        // Whether the current run's steps take a fused path (null while a chunk runs).
        "fused": lab.session.as_ref().map(|s| s.uses_fused()),
        "status": ui.status.get_untracked().id(),
        "step": ui.step.get_untracked(),
        "epoch": ui.epoch.get_untracked(),
        "steps_per_s": ui.steps_per_s.get_untracked(),
        "url": window().location().href().unwrap_or_default(),
        "runs": runs,
        "notices": ui.notices.with_untracked(|n| n.iter().map(|x| x.text.clone()).collect::<Vec<_>>()),
        "lang": ui.lang.get_untracked(),
        "lesson": ui.lesson.get_untracked(),
        "lessons": ui.lessons.with_untracked(|ls| ls.iter().map(|l| l.id.clone()).collect::<Vec<_>>()),
        "findings": ui.findings.get_untracked(),
        "draws": lab.draws,
        // Steps the next chunk asks for (sized to the frame budget, or on the fused WebGPU path
        // to a wall-time budget that spans frames).
        "chunk": lab.chunk,
        "timing_ms": { "chunk": lab.timing[0], "grid": lab.timing[1], "diagnosis": lab.timing[2], "draw": lab.timing[3] },
        "embed": web::is_embed(),
        "visible": ui.visible.get_untracked(),
    })
}
