//! "What the curves say": the engine's diagnosis of the current run, each finding with its
//! explanation and a link to the lesson that teaches it. The engine lists a cause before the
//! findings it explains; each of those is indented under it and names it ("This follows from …").
//! A cause offers its remedies as buttons (`actions::remedy`); the line above the list says
//! whether the last one tried made its finding go away.

use crate::actions::{lessons, remedy};
use crate::state::{Ui, use_ui};
use engine::diagnose::{Finding, Remedy, Symptom};
use leptos::prelude::*;

/// Below this many steps the panel says it is still watching rather than "all clear".
const WATCH_STEPS: u64 = 100;

#[component]
pub fn FindingsPanel() -> impl IntoView {
    let ui = use_ui();
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
    // Changes when a remedy is tried and when its verdict comes, not with the step.
    let verdict = Memo::new(move |_| remedy::verdict_line(ui));
    let verdict = move || {
        verdict.get().map(|(state, text)| {
            view! { <p class="verdict" data-testid="remedy-verdict" data-verdict=state>{text}</p> }
        })
    };
    view! {
        // Not a live region itself: the list re-renders as findings change, and the page's
        // announcer (views/announcer.rs) speaks each new finding once. The verdict on a remedy
        // is spoken by its own polite region.
        <div class="panel findings" data-testid="findings">
            <h2>{move || ui.tr("ui.findings")}</h2>
            <div role="status">{verdict}</div>
            {empty}
            // One row per finding, kept while it is shown: its figures change in place, so an
            // open explanation stays open and a focused button keeps its focus.
            <ul>
                <For
                    each=move || ui.findings.get()
                    key=|f| (f.symptom, f.caused_by)
                    children=move |f| row(ui, f)
                />
            </ul>
        </div>
    }
}

/// One finding: its title and figures, the explanation, the lesson, its remedies (a cause's)
/// or the cause it follows from.
fn row(ui: Ui, f: Finding) -> impl IntoView {
    let symptom = f.symptom;
    let id = symptom.id();
    let key = f.explanation_id;
    let title = {
        let key = key.clone();
        move || ui.texts.with(|t| t.get(&format!("{key}.title")))
    };
    let explain = move || ui.texts.with(|t| t.get(&format!("{key}.explain")));
    // The figures of the finding as shown now (they move as the run goes on).
    let meta = move || {
        ui.findings.with(|fs| {
            fs.iter().find(|f| f.symptom == symptom).map(|f| {
                ui.tr_fmt(
                    "ui.finding_meta",
                    &[
                        ("from", f.from_step.to_string()),
                        ("to", f.to_step.to_string()),
                        ("confidence", format!("{:.0}", f.confidence * 100.0)),
                    ],
                )
            })
        })
    };
    let link = move || {
        let lesson = lessons::lesson_for(ui, symptom)
            .filter(|(lid, _)| ui.lesson.get().as_deref() != Some(lid.as_str()));
        lesson.map(|(lid, ltitle)| {
            let label = ui.tr_fmt("ui.finding_lesson", &[("title", ltitle)]);
            let href = format!("?lesson={lid}");
            view! {
                <a href=href data-testid="finding-lesson" on:click=move |ev| {
                    ev.prevent_default();
                    lessons::open(ui, &lid);
                }>{label}</a>
            }
        })
    };
    let cause = f.caused_by.map(|c| c.id());
    let because = f.caused_by.map(|c| {
        let line = move || {
            let title = ui.texts.with(|t| t.get(&format!("curves.{}.title", c.id())));
            ui.tr_fmt("ui.finding_because", &[("cause", title)])
        };
        view! { <p class="because" data-testid="finding-cause">{line}</p> }
    });
    // A symptom's remedy is its cause's: only a finding nothing explains offers them.
    let remedies = f
        .caused_by
        .is_none()
        .then_some(move || remedy_buttons(ui, symptom));
    // Indented under its cause (an inline style: the page's CSP allows style attributes).
    let indent = f.caused_by.map(|_| "margin-left: 1.25em");
    view! {
        <li class="finding" data-testid="finding" data-symptom=id data-caused-by=cause style=indent>
            <details>
                <summary><b>{title}</b> " " <span class="meta">{meta}</span></summary>
                <p>{explain}</p>
                {link}
            </details>
            {remedies}
            {because}
        </li>
    }
}

/// The remedy buttons of a finding on the current config, or the note that the data is the
/// cause and no setting helps.
fn remedy_buttons(ui: Ui, symptom: Symptom) -> AnyView {
    let offered = remedy::offered(ui, symptom);
    if offered.is_empty() {
        return remedy::from_data(symptom)
            .then(|| view! { <p class="quiet" data-testid="finding-data">{ui.tr("ui.finding_data")}</p> })
            .into_any();
    }
    let buttons = offered
        .into_iter()
        .map(|(r, text)| button(ui, symptom, r, text))
        .collect_view();
    view! {
        <div class="remedies" role="group" aria-label=ui.tr("ui.finding_try")>{buttons}</div>
    }
    .into_any()
}

fn button(ui: Ui, symptom: Symptom, r: Remedy, text: String) -> impl IntoView {
    let id = r.id;
    view! {
        <button class="small" data-testid="finding-remedy" data-remedy=id
            on:click=move |_| remedy::try_remedy(ui, symptom, &r)>{text}</button>
    }
}
