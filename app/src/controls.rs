//! The control panel, generated from the engine's knob registry: one control per knob, with
//! `data-testid` = the knob's key, its label and hover help from the translation files.

use crate::runner;
use crate::ui::Ui;
use crate::web::set_query;
use engine::config::{Group, KNOBS, Knob, KnobKind, Value};
use leptos::prelude::*;

/// Applies a new text value for `knob`: parse, check bounds, update the URL, restart the run.
pub fn apply(ui: Ui, knob: &'static Knob, text: &str) {
    let mut cfg = ui.cfg.get_untracked();
    let result = knob
        .kind
        .parse(text.trim())
        .and_then(|v| knob.set_checked(&mut cfg, v));
    match result {
        Ok(()) => {
            if let Err(errs) = cfg.validate() {
                for e in errs {
                    ui.notice(ui.texts.with_untracked(|t| t.msg(&e.msg)));
                }
                return;
            }
            ui.last_knob.set(Some(knob.key.to_string()));
            crate::lab::lab().borrow_mut().current_label = None;
            ui.cfg.set(cfg.clone());
            set_query(&crate::app_query(ui), true);
            runner::reset(ui);
        }
        Err(e) => {
            ui.notice(ui.texts.with_untracked(|t| {
                format!("{}: {}", t.get(&format!("knobs.{}.label", knob.key)), t.msg(&e))
            }))
        }
    }
}

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

pub fn control(ui: Ui, knob: &'static Knob) -> impl IntoView {
    let key = knob.key;
    let value = move || ui.cfg.with(|c| knob.text(c));
    let label = move || ui.texts.with(|t| t.get(&format!("knobs.{key}.label")));
    let help = move || ui.texts.with(|t| t.get(&format!("knobs.{key}.help")));
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
    let oneline = move || ui.texts.with(|t| t.get(&format!("bugs.{key}.oneline")));
    view! {
        <div class="control" class:bug=bug class:hidden=move || !ui.cfg.with(|c| knob.applies(c)) title=help>
            <label for=id>{label}</label>
            {input}
            {bug.then(|| view! { <p class="oneline">{oneline}</p> })}
        </div>
    }
}

#[component]
pub fn ControlPanel(ui: Ui) -> impl IntoView {
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
                    <legend>{move || ui.texts.with(|t| t.get(title))}</legend>
                    {(g == Group::Data).then(|| view! { <CsvImport ui=ui /> })}
                    {(g == Group::Training).then(|| view! { <crate::lrfinder::LrFinder ui=ui /> })}
                    {knobs.into_iter().map(|k| control(ui, k)).collect_view()}
                </fieldset>
            }
        })
        .collect_view()
}

/// "Import CSV": the file is read and parsed in the page (never uploaded); errors name the
/// row and column. The data stays in memory: the URL says `dataset=csv`, not the data.
#[component]
fn CsvImport(ui: Ui) -> impl IntoView {
    let on_file =
        move |ev| crate::files::on_file_chosen(ui, ev, move |name, text| import_csv(ui, name, &text));
    view! {
        <div class="tool csv-import">
            <label class="file-button">{move || ui.texts.with(|t| t.get("ui.csv_import"))}
                <input type="file" accept=".csv,.tsv,.txt,text/csv" data-testid="csv-import" on:change=on_file />
            </label>
            <p class="oneline">{move || ui.texts.with(|t| t.get("ui.csv_help"))}</p>
        </div>
    }
}

fn import_csv(ui: Ui, name: String, text: &str) {
    match engine::data::parse_csv(text) {
        Ok(data) => {
            let summary = ui.texts.with_untracked(|t| {
                t.fmt(
                    "ui.csv_loaded",
                    &[
                        ("file", name.clone()),
                        ("rows", data.len().to_string()),
                        ("features", data.num_features().to_string()),
                    ],
                )
            });
            {
                let l = crate::lab::lab();
                let mut lab = l.borrow_mut();
                lab.assets.csv = Some(std::sync::Arc::new(data));
                lab.current_label = Some(name);
            }
            ui.notice(summary);
            let mut cfg = ui.cfg.get_untracked();
            cfg.data.dataset = engine::config::DatasetKind::Csv;
            ui.last_knob.set(Some("dataset".into()));
            ui.cfg.set(cfg);
            set_query(&crate::app_query(ui), true);
            runner::reset(ui);
        }
        Err(e) => ui.notice(
            ui.texts
                .with_untracked(|t| t.fmt("ui.csv_broken", &[("file", name), ("error", t.msg(&e.msg()))])),
        ),
    }
}
