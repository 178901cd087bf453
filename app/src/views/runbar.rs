//! The run bar: Play/Pause, Step, Reset, Pin, speed, the run's status and figures, the backend.

use crate::actions::pins::pin;
use crate::actions::run::{reset, single_step, toggle_play};
use crate::actions::startup::choose_backend;
use crate::platform::web;
use crate::state::{Backend, Ui, use_ui};
use leptos::prelude::*;

#[component]
pub fn RunBar() -> impl IntoView {
    let ui = use_ui();
    let play_label = move || {
        if ui.running.get() {
            ui.tr("ui.pause")
        } else {
            ui.tr("ui.play")
        }
    };
    let backend = move || {
        let key = if ui.backend.get() == Backend::WebGpu {
            "ui.backend_webgpu"
        } else {
            "ui.backend_cpu"
        };
        ui.tr(key)
    };
    let pin = move |_| pin(ui);
    view! {
        <div class="runbar">
            <button data-testid="play" class="primary" on:click=move |_| toggle_play(ui)>{play_label}</button>
            <button data-testid="step" on:click=move |_| single_step(ui)>{move || ui.tr("ui.step")}</button>
            <button data-testid="reset" on:click=move |_| reset(ui)>{move || ui.tr("ui.reset")}</button>
            <button data-testid="pin" on:click=pin>{move || ui.tr("ui.pin")}</button>
            <label class="stat">{move || ui.tr("ui.speed")} " "
                <input type="range" min="1" max="5" step="1" data-testid="speed" prop:value=move || ui.speed.get().to_string()
                    on:input=move |ev| ui.speed.set(event_target_value(&ev).parse().unwrap_or(5)) /></label>
            <span class="stat" data-testid="status">{move || status_text(ui)}</span>
            <span class="stat">{move || ui.tr("ui.step_counter")} " " <b data-testid="step-count">{move || ui.step.get()}</b></span>
            <span class="stat">{move || ui.tr("ui.epoch")} " " <b>{move || format!("{:.1}", ui.epoch.get())}</b></span>
            <span class="stat"><b>{move || {
                let r = ui.steps_per_s.get();
                if r > 0.0 && r < 10.0 { format!("{r:.1}") } else { format!("{r:.0}") }
            }}</b> " " {move || ui.tr("ui.steps_per_s")}</span>
            <span class="badge" data-testid="backend">{backend}</span>
            <select data-testid="backend-choice" aria-label=move || ui.tr("ui.backend")
                on:change=move |ev| choose_backend(&event_target_value(&ev))>
                {[("auto", "ui.backend_auto"), ("webgpu", "ui.backend_webgpu"), ("cpu", "ui.backend_cpu")].into_iter().map(|(v, k)| {
                    let selected = web::param("backend").as_deref().unwrap_or("auto") == v;
                    view! { <option value=v selected=selected>{move || ui.tr(k)}</option> }
                }).collect_view()}
            </select>
            <span class="shortcuts">{move || ui.tr("ui.shortcuts")}</span>
        </div>
    }
}

/// The run's status in the page's language ("Paused", "Diverged at step 312").
pub fn status_text(ui: Ui) -> String {
    let (key, args) = ui.status.get().text();
    ui.tr_fmt(&key, &args)
}
