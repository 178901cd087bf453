//! The charts panel: chart options, the runs' legend, the four charts, the layers' legend.

use super::chart_text::layer_name;
use super::draw::charts::{self as draw, ChartSpec, Line, Metric, css_color};
use super::draw::markers;
use super::export::ExportMenu;
use crate::actions::pins::{rename, unpin};
use crate::platform::web::now_ms;
use crate::state::lab::MAX_PINNED;
use crate::state::{RunRecord, Ui, lab, use_ui};
use leptos::html::Canvas;
use leptos::prelude::*;

/// Draws every chart from the `Lab` (called when `tick` or a chart option changes).
fn draw_all(ui: Ui, refs: &[NodeRef<Canvas>; 4]) {
    let l = lab();
    l.borrow_mut().draws += 1;
    let t0 = now_ms();
    let lab = l.borrow();
    let runs: Vec<&RunRecord> = lab.pinned.iter().chain(std::iter::once(&lab.current)).collect();
    let log = ui.log_scale.get_untracked();
    let smooth = ui.smoothing.get_untracked();
    let title = |k: &str| ui.tr(k);
    // One step axis for all charts, so a point at step N lines up across them.
    let max_step = runs.iter().map(|r| r.history.last_step()).max().unwrap_or(0) as f64;
    // Which line is training and which validation, on the charts that have both.
    let lines = |raw: bool| {
        let mut v = vec![
            (Line::Training, ui.tr("ui.line_training")),
            (Line::Validation, ui.tr("ui.line_validation")),
        ];
        if raw {
            v.push((Line::Raw, ui.tr("ui.line_raw")));
        }
        v
    };
    let specs = [
        (
            ChartSpec {
                title: &title("ui.chart_loss"),
                log_y: log,
                y_floor: None,
                y_ceiling: None,
                max_step,
                legend: lines(smooth),
                legend_low: false,
            },
            draw::metric_series(&runs, Metric::Loss, smooth),
        ),
        (
            ChartSpec {
                title: &title("ui.chart_accuracy"),
                log_y: false,
                y_floor: Some(0.0),
                y_ceiling: Some(1.0),
                max_step,
                legend: lines(false),
                legend_low: true,
            },
            draw::metric_series(&runs, Metric::Accuracy, false),
        ),
        (
            ChartSpec {
                title: &title("ui.chart_lr"),
                log_y: false,
                y_floor: Some(0.0),
                y_ceiling: None,
                max_step,
                legend: vec![],
                legend_low: false,
            },
            draw::lr_series(&runs),
        ),
        (
            ChartSpec {
                title: &title("ui.chart_grad"),
                log_y: true,
                y_floor: None,
                y_ceiling: None,
                max_step,
                legend: vec![],
                legend_low: false,
            },
            draw::grad_series(&lab.current),
        ),
    ];
    for (r, (spec, series)) in refs.iter().zip(specs.iter()) {
        if let Some(c) = r.get_untracked() {
            draw::draw(&c, spec, series);
        }
    }
    drop(lab);
    l.borrow_mut().timing[3] = now_ms() - t0;
}

/// Each chart's title key, and whether it has training and validation lines.
const TITLES: [(&str, bool); 4] = [
    ("ui.chart_loss", true),
    ("ui.chart_accuracy", true),
    ("ui.chart_lr", false),
    ("ui.chart_grad", false),
];

#[component]
pub fn Charts(
    /// A widget shows only the loss and accuracy charts, without chart options.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let ui = use_ui();
    let refs: [NodeRef<Canvas>; 4] = [NodeRef::new(), NodeRef::new(), NodeRef::new(), NodeRef::new()];
    // Whether the canvases must be sized for their shown width again (it reads the layout:
    // at first, and after the window is resized, not every frame).
    let unfitted = StoredValue::new(true);
    let redraw = move || {
        if unfitted.get_value() {
            let all = refs
                .iter()
                .all(|r| r.get_untracked().is_none_or(|c| draw::fit(&c)));
            unfitted.set_value(!all);
        }
        draw_all(ui, &refs);
    };
    Effect::new(move |_| {
        ui.tick.track();
        ui.log_scale.track();
        ui.smoothing.track();
        ui.texts.track();
        redraw();
    });
    // A resized window (a phone turned, a zoom) redraws the charts at their new size.
    let _resize = window_event_listener(leptos::ev::resize, move |_| {
        unfitted.set_value(true);
        redraw();
    });
    // Memos: the legends' elements are rebuilt when what they say changes, not every frame.
    let layer_names = Memo::new(move |_| {
        ui.tick.track();
        lab().borrow().current.history.layer_names.clone()
    });
    let ids = ["chart-loss", "chart-accuracy", "chart-lr", "chart-grad"];
    view! {
        <div class="chart-options" class:hidden=compact>
            <label><input type="checkbox" data-testid="log_scale" prop:checked=move || ui.log_scale.get()
                on:change=move |ev| ui.log_scale.set(event_target_checked(&ev)) />
                " " {move || ui.tr("ui.log_scale")}</label>
            <label><input type="checkbox" data-testid="smoothing" prop:checked=move || ui.smoothing.get()
                on:change=move |ev| ui.smoothing.set(event_target_checked(&ev)) />
                " " {move || ui.tr("ui.smoothing")}</label>
            <ExportMenu />
        </div>
        <Legend />
        <div class="chart-grid">
            {ids.into_iter().zip(refs).zip(TITLES).take(if compact { 2 } else { 4 }).map(|((id, r), (title, lines))| {
                // What the chart shows, for a screen reader (the canvas itself is pixels).
                let label = move || {
                    let chart = ui.tr(title);
                    if lines { ui.tr_fmt("ui.chart_lines", &[("chart", chart)]) } else { chart }
                };
                view! { <canvas node_ref=r data-testid=id role="img" aria-label=label width="560" height="240"></canvas> }
            }).collect_view()}
        </div>
        <ul class="legend layers" data-testid="layer-legend" class:hidden=compact>
            {move || layer_names.get().into_iter().enumerate().map(|(i, n)| view! {
                <li><Swatch i=i />{layer_name(ui, &n)}</li>
            }).collect_view()}
        </ul>
    }
}

/// Runs on the charts: colour, name, and how each pinned run differs from the current one.
#[component]
fn Legend() -> impl IntoView {
    let ui = use_ui();
    let rows = Memo::new(move |_| {
        ui.tick.track();
        let l = lab();
        let lab = l.borrow();
        let current = lab.current.cfg.clone();
        let mut rows: Vec<(usize, String, String, Option<usize>)> = lab
            .pinned
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let diff = engine::config::diff(&p.cfg, &current)
                    .into_iter()
                    .map(|(k, a, b)| format!("{k} {a} → {b}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                (p.color, p.name.clone(), diff, Some(i))
            })
            .collect();
        rows.push((lab.current.color, ui.tr("ui.current_run"), String::new(), None));
        rows
    });
    view! {
        <ul class="legend" data-testid="legend">
            {move || rows.get().into_iter().map(|(color, name, diff, idx)| {
                let remove = move |_| {
                    if let Some(i) = idx {
                        unpin(ui, i);
                    }
                };
                view! {
                    <li>
                        <Swatch i=color />
                        <b>{name}</b> " " <span class="diff">{diff}</span>
                        {idx.map(|i| {
                            let on_rename = move |_| rename(ui, i);
                            view! { <button class="small" on:click=on_rename>{ui.tr("ui.rename")}</button> }
                        })}
                        {idx.map(|_| view! { <button class="small" on:click=remove>{ui.tr("ui.remove")}</button> })}
                    </li>
                }
            }).collect_view()}
            <li class="hint">{move || ui.tr_fmt("ui.pinned_max", &[("n", MAX_PINNED.to_string())])}</li>
        </ul>
    }
}

/// A run's (or layer's) colour and marker, as on the charts.
#[component]
fn Swatch(i: usize) -> impl IntoView {
    view! {
        <svg class="swatch" viewBox="-6 -6 12 12" aria-hidden="true">
            <path d=markers::svg_path(i) fill=css_color(i) />
        </svg>
    }
}
