//! Embed mode (`?embed=1`): a compact widget for tutorials, with the curves, a chosen subset
//! of controls (`controls=lr,dropout`), the run buttons, optional diagnosis (`explain=1`),
//! a link that opens the full playground with the same run, and a pause while scrolled out
//! of view (`autoplay=1` also starts it when it comes into view).

use crate::ui::Ui;
use crate::web::window;
use crate::{app_param, controls, findings, panels, runner};
use engine::config::{Knob, knob};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

pub fn is_embed() -> bool {
    app_param("embed").is_some_and(|v| v == "1" || v == "true")
}

fn flag(key: &str) -> bool {
    app_param(key).is_some_and(|v| v == "1" || v == "true")
}

/// The knobs listed in `controls=` (unknown keys become a notice).
fn chosen_knobs(ui: Ui) -> Vec<&'static Knob> {
    let list = app_param("controls").unwrap_or_default();
    let decoded = list.replace("%2C", ",").replace("%2c", ",");
    decoded
        .split(',')
        .filter(|k| !k.is_empty())
        .filter_map(|k| {
            let found = knob(k);
            if found.is_none() {
                ui.notice(
                    ui.texts
                        .with_untracked(|t| t.fmt("ui.embed_unknown_control", &[("key", k.to_string())])),
                );
            }
            found
        })
        .collect()
}

/// The full playground's URL for the current run (same page, without the widget keys).
pub fn full_url(ui: Ui) -> String {
    let loc = window().location();
    let base = format!(
        "{}{}",
        loc.origin().ok().filter(|o| o != "null").unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    );
    let mut q = ui.cfg.with(|c| c.to_query());
    for key in ["lang", "lesson"] {
        if let Some(v) = app_param(key) {
            q = if q.is_empty() {
                format!("{key}={v}")
            } else {
                format!("{q}&{key}={v}")
            };
        }
    }
    if q.is_empty() { base } else { format!("{base}?{q}") }
}

/// Pauses while the widget is out of view and resumes when it is back (a page of many
/// widgets stays light); with `autoplay=1` it also starts when first seen.
fn watch_visibility(ui: Ui) {
    let autoplay = flag("autoplay");
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
            ui.running.set(false);
            runner::sync(ui);
        } else if visible && paused_by_view.get() && ui.ready.get_untracked() {
            paused_by_view.set(false);
            crate::toggle_play(ui);
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

#[component]
pub fn EmbedApp(ui: Ui) -> impl IntoView {
    let knobs = chosen_knobs(ui);
    let explain = flag("explain");
    Effect::new(move |done: Option<bool>| {
        // Once the first run exists: the observer may start it at once.
        if done == Some(true) || !ui.ready.get() {
            return done.unwrap_or(false);
        }
        watch_visibility(ui);
        true
    });
    let href = move || full_url(ui);
    view! {
        <div class="embed" data-testid="embed">
            <div class="embed-bar">
                <button data-testid="play" class="primary" on:click=move |_| crate::toggle_play(ui)>
                    {move || ui.texts.with(|t| t.get(if ui.running.get() { "ui.pause" } else { "ui.play" }))}
                </button>
                <button data-testid="step" on:click=move |_| runner::single_step(ui)>{move || ui.texts.with(|t| t.get("ui.step"))}</button>
                <button data-testid="reset" on:click=move |_| runner::reset(ui)>{move || ui.texts.with(|t| t.get("ui.reset"))}</button>
                <span class="stat" data-testid="status">{move || ui.status_text.get()}</span>
                <span class="stat">{move || ui.texts.with(|t| t.get("ui.step_counter"))} " " <b data-testid="step-count">{move || ui.step.get()}</b></span>
                <a class="open-full" data-testid="open-full" href=href target="_blank" rel="noopener">
                    {move || ui.texts.with(|t| t.get("ui.open_full"))}
                </a>
            </div>
            <div class="embed-main" class:with-controls=!knobs.is_empty()>
                <section class="embed-charts"><panels::Charts ui=ui compact=true /></section>
                {(!knobs.is_empty()).then(|| view! {
                    <aside class="embed-controls">{knobs.iter().map(|k| controls::control(ui, k)).collect_view()}</aside>
                })}
            </div>
            {explain.then(|| view! {
                <div class="embed-explain">
                    <findings::FindingsPanel ui=ui />
                    <panels::Explanation ui=ui />
                </div>
            })}
            <panels::Notices ui=ui />
        </div>
    }
}
