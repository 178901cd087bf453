//! The control panel, generated from the engine's knob registry: one control per knob, with
//! `data-testid` = the knob's key, its label and hover help from the translation files.

use super::lrfinder::LrFinder;
use crate::actions::files::{import_csv, on_file_chosen};
use crate::actions::run::apply_knob as apply;
use crate::state::{Ui, use_ui};
use engine::config::{Group, KNOBS, Knob, KnobKind, Value};
use leptos::prelude::*;

/// Fractions and decade-spanning rates get a slider; wide linear ranges stay typed numbers.
fn slider(min: f64, max: f64, log: bool) -> bool {
    if log { min > 0.0 } else { max <= 1.0 && min >= 0.0 }
}

/// A slider value rounded to 3 significant digits (what a learner would type).
fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let digits = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    let rounded: f64 = s.parse().unwrap_or(v);
    let mut out = rounded.to_string();
    if rounded.abs() < 1e-3 {
        out = format!("{rounded:e}");
    }
    out
}

/// One knob's control (the widget shows a chosen few of them).
pub fn control(ui: Ui, knob: &'static Knob) -> impl IntoView {
    let key = knob.key;
    let value = move || ui.cfg.with(|c| knob.text(c));
    let label = move || ui.tr(&format!("knobs.{key}.label"));
    let help = move || ui.tr(&format!("knobs.{key}.help"));
    let id = format!("knob-{key}");
    let focus = move |_| ui.last_knob.set(Some(key.to_string()));
    let input = match knob.kind {
        KnobKind::Bool => view! {
            <input type="checkbox" id=id.clone() data-testid=key
                prop:checked=move || ui.cfg.with(|c| (knob.get)(c) == Value::Bool(true))
                on:focus=focus
                on:change=move |ev| apply(ui, knob, if event_target_checked(&ev) { "1" } else { "0" }) />
        }
        .into_any(),
        KnobKind::Choice { options } => view! {
            <select id=id.clone() data-testid=key on:focus=focus
                on:change=move |ev| apply(ui, knob, &event_target_value(&ev))>
                {options.iter().map(|&o| {
                    let text = move || ui.texts.with(|t| t.get_opt(&format!("choices.{key}.{o}")).unwrap_or_else(|| o.to_string()));
                    view! { <option value=o selected=move || value() == o>{text}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        KnobKind::Int { min, max } => view! {
            <input type="number" id=id.clone() data-testid=key min=min max=max step="1"
                prop:value=value on:focus=focus
                on:change=move |ev| apply(ui, knob, &event_target_value(&ev)) />
        }
        .into_any(),
        KnobKind::Float { min, max, log } if slider(min, max, log) => {
            // Log sliders move over log10 of the value, so every decade gets the same travel.
            let to_pos = move |v: f64| if log { v.max(min).log10() } else { v };
            let from_pos = move |p: f64| if log { 10f64.powf(p) } else { p };
            let (lo, hi) = (to_pos(min), to_pos(max));
            let live = RwSignal::new(None::<String>);
            let pos = move || ui.cfg.with(|c| knob.text(c)).parse::<f64>().map(to_pos).unwrap_or(lo).to_string();
            view! {
                <span class="slider">
                    <input type="range" id=id.clone() data-testid=key min=lo max=hi step="any"
                        data-scale=if log { "log10" } else { "linear" }
                        prop:value=pos on:focus=focus
                        on:input=move |ev| live.set(event_target_value(&ev).parse::<f64>().ok().map(|p| short(from_pos(p))))
                        on:change=move |ev| {
                            live.set(None);
                            if let Ok(p) = event_target_value(&ev).parse::<f64>() { apply(ui, knob, &short(from_pos(p))) }
                        } />
                    <output for=id.clone()>{move || live.get().unwrap_or_else(value)}</output>
                </span>
            }
            .into_any()
        }
        KnobKind::Float { min, max, .. } => view! {
            <input type="number" id=id.clone() data-testid=key min=min max=max step="any"
                prop:value=value on:focus=focus
                on:change=move |ev| apply(ui, knob, &event_target_value(&ev)) />
        }
        .into_any(),
        KnobKind::IntList { .. } | KnobKind::ChoiceList { .. } => view! {
            <input type="text" id=id.clone() data-testid=key spellcheck="false"
                prop:value=value on:focus=focus
                on:change=move |ev| apply(ui, knob, &event_target_value(&ev)) />
        }
        .into_any(),
    };
    let bug = knob.group == Group::Bugs;
    let oneline = move || ui.tr(&format!("bugs.{key}.oneline"));
    view! {
        <div class="control" class:bug=bug class:hidden=move || !ui.cfg.with(|c| knob.applies(c)) title=help>
            <label for=id>{label}</label>
            {input}
            {bug.then(|| view! { <p class="oneline">{oneline}</p> })}
        </div>
    }
}

#[component]
pub fn ControlPanel() -> impl IntoView {
    let ui = use_ui();
    let groups = [
        (Group::Data, "ui.group_data"),
        (Group::Model, "ui.group_model"),
        (Group::Training, "ui.group_training"),
        (Group::Bugs, "ui.group_bugs"),
    ];
    groups
        .into_iter()
        .map(|(g, title)| {
            let knobs: Vec<&'static Knob> = KNOBS.iter().filter(|k| k.group == g).collect();
            view! {
                <fieldset class="group" data-group=title>
                    <legend>{move || ui.tr(title)}</legend>
                    {(g == Group::Data).then(|| view! { <CsvImport /> })}
                    {(g == Group::Training).then(|| view! { <LrFinder /> })}
                    {knobs.into_iter().map(|k| control(ui, k)).collect_view()}
                </fieldset>
            }
        })
        .collect_view()
}

/// "Import CSV": the file is read and parsed in the page (never uploaded); errors name the
/// row and column. The data stays in memory: the URL says `dataset=csv`, not the data.
#[component]
fn CsvImport() -> impl IntoView {
    let ui = use_ui();
    let on_file = move |ev| on_file_chosen(ui, ev, move |name, text| import_csv(ui, name, &text));
    view! {
        <div class="tool csv-import">
            <label class="file-button">{move || ui.tr("ui.csv_import")}
                <input type="file" accept=".csv,.tsv,.txt,text/csv" data-testid="csv-import" on:change=on_file />
            </label>
            <p class="oneline">{move || ui.tr("ui.csv_help")}</p>
        </div>
    }
}
