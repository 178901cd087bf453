//! A widget's own behaviour (`?embed=1`): the knobs it shows, and pausing while scrolled out of
//! view (a page of many widgets stays light).

use super::run::{pause, toggle_play};
use crate::platform::url;
use crate::platform::web::{prefers_reduced_motion, query, window};
use crate::state::Ui;
use engine::config::{Knob, knob};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The knobs listed in `controls=` (unknown keys become a notice).
pub fn chosen_knobs(ui: Ui) -> Vec<&'static Knob> {
    url::embed_controls(&query())
        .into_iter()
        .filter_map(|k| {
            let found = knob(&k);
            if found.is_none() {
                ui.notice(ui.tr_fmt("ui.embed_unknown_control", &[("key", k)]));
            }
            found
        })
        .collect()
}

/// Pauses while the widget is out of view and resumes when it is back (a page of many
/// widgets stays light); with `autoplay=1` it also starts when first seen, unless the learner's
/// system asks for reduced motion: then it waits for the learner's Play.
pub fn watch_visibility(ui: Ui) {
    let autoplay = url::flag(&query(), "autoplay") && !prefers_reduced_motion();
    let paused_by_view = std::rc::Rc::new(std::cell::Cell::new(autoplay));
    let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let Some(entry) = entries
            .iter()
            .last()
            .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
        else {
            return;
        };
        let visible = entry.is_intersecting();
        ui.visible.set(visible);
        if !visible && ui.running.get_untracked() {
            paused_by_view.set(true);
            pause(ui);
        } else if visible && paused_by_view.get() && ui.ready.get_untracked() {
            paused_by_view.set(false);
            toggle_play(ui);
        }
    });
    let opts = web_sys::IntersectionObserverInit::new();
    opts.set_threshold(&wasm_bindgen::JsValue::from_f64(0.2));
    if let (Ok(obs), Some(root)) = (
        web_sys::IntersectionObserver::new_with_options(cb.as_ref().unchecked_ref(), &opts),
        window().document().and_then(|d| d.document_element()),
    ) {
        obs.observe(&root);
        std::mem::forget(obs);
    }
    cb.forget();
}
