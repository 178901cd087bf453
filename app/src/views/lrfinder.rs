//! "Find LR": the button, the range test's chart and the suggested rate one click away.

use crate::actions::lrfinder::run;
use crate::actions::run::apply_knob;
use crate::state::use_ui;
use crate::views::draw;
use engine::config::knob;
use engine::train::LrFinderResult;
use leptos::html::Canvas;
use leptos::prelude::*;

#[component]
pub fn LrFinder() -> impl IntoView {
    let ui = use_ui();
    let result = RwSignal::new(None::<LrFinderResult>);
    let busy = RwSignal::new(false);
    let canvas: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        if let (Some(c), Some(r)) = (canvas.get(), result.get().as_ref()) {
            draw::lrfinder::draw(&c, r);
        }
    });
    // A new run (other data or model) makes an old suggestion meaningless.
    Effect::new(move |_| {
        ui.cfg.track();
        result.set(None);
    });
    let suggestion = move || result.with(|r| r.as_ref().and_then(|r| r.suggested));
    let use_it = move |_| {
        if let (Some(lr), Some(k)) = (suggestion(), knob("lr")) {
            apply_knob(ui, k, &format!("{lr:.2e}"));
        }
    };
    view! {
        <div class="tool lr-finder">
            <button data-testid="lr-finder" disabled=move || busy.get() on:click=move |_| run(ui, result, busy)>
                {move || ui.tr("ui.lr_finder")}
            </button>
            <Show when=move || result.with(Option::is_some)>
                <canvas node_ref=canvas data-testid="lr-finder-chart" width="260" height="110"></canvas>
                <p class="oneline" data-testid="lr-finder-result">{move || match suggestion() {
                    Some(lr) => ui.tr_fmt("ui.lr_finder_result", &[("lr", format!("{lr:.2e}"))]),
                    None => ui.tr("ui.lr_finder_none"),
                }}</p>
                <Show when=move || suggestion().is_some()>
                    <button data-testid="lr-finder-use" on:click=use_it>{move || ui.tr("ui.lr_finder_use")}</button>
                </Show>
            </Show>
        </div>
    }
}
