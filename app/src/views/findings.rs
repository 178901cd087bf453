//! "What the curves say": the engine's diagnosis of the current run, each finding with its
//! explanation and a link to the lesson that teaches it.

use crate::actions::lessons;
use crate::state::use_ui;
use leptos::prelude::*;

/// Below this many steps the panel says it is still watching rather than "all clear".
const WATCH_STEPS: u64 = 100;

#[component]
pub fn FindingsPanel() -> impl IntoView {
    let ui = use_ui();
    let items = move || {
        ui.findings
            .get()
            .into_iter()
            .map(|f| {
                let id = f.symptom.id();
                let key = f.explanation_id.clone();
                let (title, explain) = ui
                    .texts
                    .with(|t| (t.get(&format!("{key}.title")), t.get(&format!("{key}.explain"))));
                let meta = ui.tr_fmt(
                    "ui.finding_meta",
                    &[
                        ("from", f.from_step.to_string()),
                        ("to", f.to_step.to_string()),
                        ("confidence", format!("{:.0}", f.confidence * 100.0)),
                    ],
                );
                let lesson = lessons::lesson_for(ui, f.symptom)
                    .filter(|(lid, _)| ui.lesson.get().as_deref() != Some(lid.as_str()));
                let link = lesson.map(|(lid, ltitle)| {
                    let label = ui
                        .texts
                        .with(|t| t.fmt("ui.finding_lesson", &[("title", ltitle)]));
                    let href = format!("?lesson={lid}");
                    view! {
                        <a href=href data-testid="finding-lesson" on:click=move |ev| {
                            ev.prevent_default();
                            lessons::open(ui, &lid);
                        }>{label}</a>
                    }
                });
                view! {
                    <li class="finding" data-testid="finding" data-symptom=id>
                        <details>
                            <summary><b>{title}</b> " " <span class="meta">{meta}</span></summary>
                            <p>{explain}</p>
                            {link}
                        </details>
                    </li>
                }
            })
            .collect_view()
    };
    let empty = move || {
        if !ui.findings.with(Vec::is_empty) {
            return None;
        }
        let key = if ui.step.get() < WATCH_STEPS {
            "ui.findings_wait"
        } else {
            "ui.findings_none"
        };
        Some(view! { <p class="quiet" data-testid="findings-none">{ui.tr(key)}</p> })
    };
    view! {
        <div class="panel findings" data-testid="findings" aria-live="polite">
            <h2>{move || ui.tr("ui.findings")}</h2>
            {empty}
            <ul>{items}</ul>
        </div>
    }
}
