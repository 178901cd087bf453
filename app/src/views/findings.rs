//! "What the curves say": the engine's diagnosis of the current run, each finding with its
//! explanation and a link to the lesson that teaches it. The engine lists a cause before the
//! findings it explains; each of those is indented under it and names it ("This follows from …").

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
                let cause = f.caused_by.map(|c| c.id());
                let because = f.caused_by.map(|c| {
                    let title = ui.texts.with(|t| t.get(&format!("curves.{}.title", c.id())));
                    let line = ui.tr_fmt("ui.finding_because", &[("cause", title)]);
                    view! { <p class="because" data-testid="finding-cause">{line}</p> }
                });
                // Indented under its cause (an inline style: the page's CSP allows style attributes).
                let indent = f.caused_by.map(|_| "margin-left: 1.25em");
                view! {
                    <li class="finding" data-testid="finding" data-symptom=id data-caused-by=cause style=indent>
                        <details>
                            <summary><b>{title}</b> " " <span class="meta">{meta}</span></summary>
                            <p>{explain}</p>
                            {link}
                        </details>
                        {because}
                    </li>
                }
            })
            .collect_view()
    };
    // A memo: the step moves every frame, the message only once.
    let waiting = Memo::new(move |_| ui.step.get() < WATCH_STEPS);
    let empty = move || {
        if !ui.findings.with(Vec::is_empty) {
            return None;
        }
        let key = if waiting.get() {
            "ui.findings_wait"
        } else {
            "ui.findings_none"
        };
        Some(view! { <p class="quiet" data-testid="findings-none">{ui.tr(key)}</p> })
    };
    view! {
        // Not a live region itself: the list re-renders as findings change, and the page's
        // announcer (views/announcer.rs) speaks each new finding once.
        <div class="panel findings" data-testid="findings">
            <h2>{move || ui.tr("ui.findings")}</h2>
            {empty}
            <ul>{items}</ul>
        </div>
    }
}
