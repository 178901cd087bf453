//! Embed mode (`?embed=1`): a compact widget for tutorials, with the curves, a chosen subset
//! of controls (`controls=lr,dropout`), the run buttons, optional diagnosis (`explain=1`),
//! a link that opens the full playground with the same run, and a pause while scrolled out
//! of view (`autoplay=1` also starts it when it comes into view, unless the learner's system
//! asks for reduced motion).

use crate::actions::embed::{chosen_knobs, watch_visibility};
use crate::actions::run::{reset, single_step, toggle_play};
use crate::actions::share::full_url;
use crate::platform::{url, web};
use crate::state::use_ui;
use crate::views::announcer::Announcer;
use crate::views::charts::Charts;
use crate::views::controls;
use crate::views::explanation::Explanation;
use crate::views::findings::FindingsPanel;
use crate::views::notices::Notices;
use crate::views::runbar::status_text;
use leptos::prelude::*;

#[component]
pub fn EmbedApp() -> impl IntoView {
    let ui = use_ui();
    let knobs = chosen_knobs(ui);
    let explain = url::flag(&web::query(), "explain");
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
                <button data-testid="play" class="primary" on:click=move |_| toggle_play(ui)>
                    {move || ui.tr(if ui.running.get() { "ui.pause" } else { "ui.play" })}
                </button>
                <button data-testid="step" on:click=move |_| single_step(ui)>{move || ui.tr("ui.step")}</button>
                <button data-testid="reset" on:click=move |_| reset(ui)>{move || ui.tr("ui.reset")}</button>
                <span class="stat" data-testid="status">{move || status_text(ui)}</span>
                <span class="stat">{move || ui.tr("ui.step_counter")} " " <b data-testid="step-count">{move || ui.step.get()}</b></span>
                <a class="open-full" data-testid="open-full" href=href target="_blank" rel="noopener">
                    {move || ui.tr("ui.open_full")}
                </a>
            </div>
            <div class="embed-main" class:with-controls=!knobs.is_empty()>
                <section class="embed-charts"><Charts compact=true /></section>
                {(!knobs.is_empty()).then(|| view! {
                    <aside class="embed-controls">{knobs.iter().map(|k| controls::control(ui, k)).collect_view()}</aside>
                })}
            </div>
            {explain.then(|| view! {
                <div class="embed-explain">
                    <FindingsPanel />
                    <Explanation />
                </div>
            })}
            <Notices />
            <Announcer />
        </div>
    }
}
