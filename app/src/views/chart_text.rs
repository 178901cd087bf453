//! The charts as text, next to them: one sentence per chart with the current run's latest and
//! best figures, and a "Show as table" toggle with the run's curve at a coarse resolution. The
//! canvases are pixels; this is what a screen reader (or anyone wanting the numbers) reads.

use crate::actions::chart_text::{
    Figures, current_figures, current_rows, layer_label, percent_text, slow_tick, step_text, value_text,
};
use crate::state::{Ui, use_ui};
use leptos::prelude::*;

#[component]
pub fn ChartText() -> impl IntoView {
    let ui = use_ui();
    let tick = slow_tick(ui);
    let open = RwSignal::new(false);
    let lines = move || {
        tick.track();
        summaries(ui, &current_figures())
            .into_iter()
            .map(|s| view! { <li>{s}</li> })
            .collect_view()
    };
    let toggle_label = move || {
        ui.tr(if open.get() {
            "ui.table_hide"
        } else {
            "ui.table_show"
        })
    };
    view! {
        <div class="chart-text" data-testid="chart-text">
            // A heading a screen reader can jump to; sighted readers see the charts above.
            <h2 class="visually-hidden">{move || ui.tr("ui.chart_text")}</h2>
            <ul class="chart-summaries" data-testid="chart-summaries">{lines}</ul>
            <button class="small" data-testid="chart-table-toggle" aria-expanded=move || open.get().to_string()
                aria-controls="chart-table" on:click=move |_| open.update(|o| *o = !*o)>{toggle_label}</button>
            // Focusable and named: on a narrow screen the table scrolls sideways in this box, and
            // a keyboard must be able to scroll it.
            <div class="chart-table table-scroll" id="chart-table" class:hidden=move || !open.get()
                tabindex="0" role="region" aria-label=move || ui.tr("ui.chart_text")>
                // Built only while shown: a closed table costs nothing per refresh.
                {move || open.get().then(|| view! { <RunTable tick=tick /> })}
            </div>
        </div>
    }
}

/// One sentence per chart, in the charts' order.
fn summaries(ui: Ui, f: &Figures) -> Vec<String> {
    let loss = match (f.last, f.best_loss, f.batch) {
        (Some(r), Some((bs, b)), _) => ui.tr_fmt(
            "ui.text_loss",
            &[
                ("train", value_text(r.train_loss)),
                ("val", value_text(r.val_loss)),
                ("step", step_text(r.step)),
                ("best", value_text(b)),
                ("best_step", step_text(bs)),
            ],
        ),
        (Some(r), None, _) => ui.tr_fmt(
            "ui.text_loss_now",
            &[
                ("train", value_text(r.train_loss)),
                ("val", value_text(r.val_loss)),
                ("step", step_text(r.step)),
            ],
        ),
        (None, _, Some((s, l))) => ui.tr_fmt(
            "ui.text_loss_batch",
            &[("train", value_text(l)), ("step", step_text(s))],
        ),
        (None, _, None) => ui.tr_fmt("ui.text_empty", &[("chart", ui.tr("ui.chart_loss"))]),
    };
    let accuracy = match (f.last, f.best_acc) {
        (Some(r), Some((bs, b))) => ui.tr_fmt(
            "ui.text_accuracy",
            &[
                ("train", r.train_acc.map(percent_text).unwrap_or_default()),
                ("val", r.val_acc.map(percent_text).unwrap_or_default()),
                ("step", step_text(r.step)),
                ("best", percent_text(b)),
                ("best_step", step_text(bs)),
            ],
        ),
        // A regression has no accuracy; a classifier has one from its first evaluation on.
        (Some(r), None) if r.val_acc.is_none() => ui.tr("ui.text_no_accuracy"),
        _ => ui.tr_fmt("ui.text_empty", &[("chart", ui.tr("ui.chart_accuracy"))]),
    };
    let lr = match f.lr {
        Some((s, v)) => ui.tr_fmt("ui.text_lr", &[("lr", value_text(v)), ("step", step_text(s))]),
        None => ui.tr_fmt("ui.text_empty", &[("chart", ui.tr("ui.chart_lr"))]),
    };
    let grads = match &f.grads {
        Some((s, layers)) => {
            let list = layers
                .iter()
                .map(|(name, g)| {
                    let value = value_text(*g);
                    ui.tr_fmt(
                        "ui.text_layer",
                        &[("layer", layer_name(ui, name)), ("value", value)],
                    )
                })
                .collect::<Vec<_>>()
                .join(&ui.tr("ui.list_sep"));
            ui.tr_fmt("ui.text_grad", &[("layers", list), ("step", step_text(*s))])
        }
        None => ui.tr_fmt("ui.text_empty", &[("chart", ui.tr("ui.chart_grad"))]),
    };
    vec![loss, accuracy, lr, grads]
}

/// An engine layer name in the page's language ("hidden 2", "隐藏层 2").
pub fn layer_name(ui: Ui, name: &str) -> String {
    match layer_label(name) {
        Some((key, n)) => ui.tr_fmt(key, &[("n", n)]),
        None => name.to_string(),
    }
}

/// The current run's evaluations as an HTML table (step, training and validation loss and
/// accuracy), at most `MAX_ROWS` rows.
#[component]
fn RunTable(tick: ReadSignal<u64>) -> impl IntoView {
    let ui = use_ui();
    move || {
        tick.track();
        let (rows, total) = current_rows();
        if rows.is_empty() {
            return view! { <p class="quiet" data-testid="chart-table-empty">{ui.tr("ui.table_empty")}</p> }
                .into_any();
        }
        let acc = rows.iter().any(|r| r.val_acc.is_some());
        let caption = ui.tr_fmt(
            "ui.table_caption",
            &[("rows", rows.len().to_string()), ("total", total.to_string())],
        );
        let head = |k: &str| view! { <th scope="col">{ui.tr(k)}</th> };
        let pct = |v: Option<f32>| v.map(percent_text).unwrap_or_default();
        view! {
            <table class="curve-table" data-testid="chart-table">
                <caption>{caption}</caption>
                <thead><tr>
                    {head("ui.table_step")}{head("ui.table_train_loss")}{head("ui.table_val_loss")}
                    {acc.then(|| view! { {head("ui.table_train_acc")}{head("ui.table_val_acc")} })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{step_text(r.step)}</th>
                            <td>{value_text(r.train_loss)}</td>
                            <td>{value_text(r.val_loss)}</td>
                            {acc.then(|| view! { <td>{pct(r.train_acc)}</td><td>{pct(r.val_acc)}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    }
}
