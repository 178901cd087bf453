//! The test hook `window.losslab` (`state()`, read-only; `crash()`, a deliberate panic), and
//! the panic banner.
//!
//! `state()` serialises exactly what the charts draw (the `Lab`'s runs), so tests read the
//! same numbers a learner sees.

use crate::lab::{RunRecord, lab};
use crate::ui::Ui;
use crate::web::window;
use js_sys::{Object, Reflect};
use leptos::prelude::*;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

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

pub fn state_json(ui: Ui) -> Value {
    let l = lab();
    let lab = l.borrow();
    let current = ui.t("ui.current_run");
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
        "status": ui.status.get_untracked(),
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
        "embed": crate::embed::is_embed(),
        "visible": ui.visible.get_untracked(),
    })
}

pub fn install(ui: Ui) {
    let hook = Object::new();
    let state = Closure::<dyn Fn() -> JsValue>::new(move || {
        js_sys::JSON::parse(&state_json(ui).to_string()).unwrap_or(JsValue::NULL)
    });
    let _ = Reflect::set(&hook, &"state".into(), state.as_ref());
    state.forget();
    // For the tests: a real panic inside the wasm, to check the page shows the error banner
    // (reload + report) instead of going blank. Nothing a learner can reach calls it.
    let crash = Closure::<dyn Fn()>::new(|| panic!("crash requested through window.losslab.crash()"));
    let _ = Reflect::set(&hook, &"crash".into(), crash.as_ref());
    crash.forget();
    let _ = Reflect::set(&hook, &"ready".into(), &JsValue::FALSE);
    let _ = Reflect::set(&window(), &"losslab".into(), &hook);
    Effect::new(move |_| {
        let ready = ui.ready.get();
        let _ = Reflect::set(&hook, &"ready".into(), &JsValue::from_bool(ready));
    });
}

thread_local! {
    /// The banner's texts in the page's language, kept outside the reactive graph: a panic
    /// may happen while that graph is borrowed.
    static PANIC_TEXTS: std::cell::RefCell<[String; 3]> = std::cell::RefCell::new([
        "Something went wrong inside LossLab. The rest of the page still works.".into(),
        "Reload".into(),
        "To report it, copy this message into an issue:".into(),
    ]);
}

/// Remembers the banner's texts for the current language (called when texts load).
pub fn set_panic_texts(t: &crate::i18n::Texts) {
    PANIC_TEXTS.with(|p| {
        *p.borrow_mut() = [t.get("ui.error_banner"), t.get("ui.reload"), t.get("ui.report")];
    });
}

/// A visible banner instead of a blank page when Rust panics: what happened, a reload
/// button, and the message to copy into a report.
pub fn show_panic(message: &str) {
    let Some(doc) = window().document() else { return };
    let Some(body) = doc.body() else { return };
    let [banner, reload, report] = PANIC_TEXTS.with(|p| p.borrow().clone());
    let Ok(div) = doc.create_element("div") else {
        return;
    };
    div.set_class_name("panic-banner");
    let _ = div.set_attribute("role", "alert");
    let _ = div.set_attribute("data-testid", "error-banner");
    let text = doc.create_element("p").ok();
    if let Some(p) = &text {
        p.set_text_content(Some(&format!("{banner} {report}")));
        let _ = div.append_child(p);
    }
    if let Ok(pre) = doc.create_element("pre") {
        pre.set_text_content(Some(message));
        let _ = div.append_child(&pre);
    }
    if let Ok(button) = doc.create_element("button") {
        button.set_text_content(Some(&reload));
        let _ = button.set_attribute("data-testid", "reload");
        let cb = Closure::<dyn FnMut()>::new(|| {
            let _ = window().location().reload();
        });
        let _ = button.add_event_listener_with_callback("click", cb.as_ref().unchecked_ref());
        cb.forget();
        let _ = div.append_child(&button);
    }
    let _ = body.prepend_with_node_1(&div);
}
