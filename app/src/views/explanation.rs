//! "Explanations": what the knob touched last does, or how to read the curves (a diverged
//! run's explanation first).

use crate::state::{RunStatus, use_ui};
use leptos::prelude::*;

#[component]
pub fn Explanation() -> impl IntoView {
    let ui = use_ui();
    let body = move || {
        let (title, explain) = match (ui.status.get(), ui.last_knob.get()) {
            (RunStatus::Diverged { .. }, _) => {
                ("curves.diverged.title".into(), "curves.diverged.explain".into())
            }
            (_, Some(k)) => (format!("knobs.{k}.label"), format!("knobs.{k}.explain")),
            (_, None) => ("curves.reading.title".into(), "curves.reading.explain".into()),
        };
        (ui.tr(&title), ui.tr(&explain))
    };
    view! {
        <div class="panel explanation" data-testid="explanation">
            <h2>{move || ui.tr("ui.explanations")}</h2>
            <h3>{move || body().0}</h3>
            <p>{move || body().1}</p>
        </div>
    }
}
