//! What the test hook's `window.losslab.state()` answers: exactly what the charts draw (the
//! `Lab`'s runs), so tests read the same numbers a learner sees, plus the page's figures.
//!
//! Cheap on a run of any length: a run's `train_loss` is what its curve holds, the same rows
//! as the CSV export. Every step's `[step, loss]` while the run is short (`train_loss_exact`:
//! its first 4,096 steps); after that at most 2,048 `[step, mean loss]` summaries of the older
//! steps (each the mean of the steps since the previous one) and then the last 4,096 steps
//! one by one; `train_loss_steps` is how many steps it covers. The evaluations are every
//! evaluation up to 2,048 of them, evenly thinned after that (see `engine::curves`).

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
        "train_loss": h.train_loss.envelope(usize::MAX).iter().map(|p| json!([p.last_step, p.mean])).collect::<Vec<_>>(),
        "train_loss_exact": h.train_loss.is_exact(),
        "train_loss_steps": h.train_loss.len(),
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
    let all = lab.pinned.iter().chain(std::iter::once(&lab.current));
    let runs: Vec<Value> = all.clone().map(|r| run_json(r, &current)).collect();
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
        // The remedy being tried (`actions::remedy`): `gone` is null while the new run is watched.
        "trial": ui.trial.with_untracked(|t| t.as_ref().map(|t| json!({
            "symptom": t.symptom,
            "remedy": t.remedy.id,
            "set": t.remedy.set,
            "until": t.until,
            "gone": t.gone,
        }))),
        "draws": lab.draws,
        // Steps the next chunk asks for (sized to the frame budget, or on the fused WebGPU path
        // to a wall-time budget that spans frames).
        "chunk": lab.chunk,
        "timing_ms": { "chunk": lab.timing[0], "grid": lab.timing[1], "diagnosis": lab.timing[2], "draw": lab.timing[3] },
        "embed": web::is_embed(),
        // What a long run holds (the long-run benchmark reads it): the wasm heap, and the runs'
        // curves in bytes and in stored points.
        "memory": {
            "wasm_heap": web::wasm_heap_bytes(),
            "curve_bytes": all.clone().map(|r| r.history.heap_bytes()).sum::<usize>(),
            "stored_points": all.map(|r| r.history.train_loss.stored_points() + r.history.lr.stored_points()
                + r.history.evals.len() + r.history.layers.len()).sum::<usize>(),
        },
        "visible": ui.visible.get_untracked(),
    })
}
