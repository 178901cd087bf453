//! The page's panels: run bar, charts with legend, data view, explanations and notices.

use crate::charts::{self, ChartSpec, Metric, css_color};
use crate::lab::{MAX_PINNED, RunRecord, lab};
use crate::runner;
use crate::surface;
use crate::ui::Ui;
use crate::{digitsview, netview};
use leptos::html::Canvas;
use leptos::prelude::*;

#[component]
pub fn RunBar(ui: Ui) -> impl IntoView {
    let play_label = move || {
        if ui.running.get() {
            ui.texts.with(|t| t.get("ui.pause"))
        } else {
            ui.texts.with(|t| t.get("ui.play"))
        }
    };
    let backend = move || {
        let key = if ui.backend.get() == crate::backend::Backend::WebGpu {
            "ui.backend_webgpu"
        } else {
            "ui.backend_cpu"
        };
        ui.texts.with(|t| t.get(key))
    };
    let pin = move |_| {
        lab().borrow_mut().pin();
        ui.tick.update(|t| *t += 1);
    };
    view! {
        <div class="runbar">
            <button data-testid="play" class="primary" on:click=move |_| crate::toggle_play(ui)>{play_label}</button>
            <button data-testid="step" on:click=move |_| runner::single_step(ui)>{move || ui.texts.with(|t| t.get("ui.step"))}</button>
            <button data-testid="reset" on:click=move |_| runner::reset(ui)>{move || ui.texts.with(|t| t.get("ui.reset"))}</button>
            <button data-testid="pin" on:click=pin>{move || ui.texts.with(|t| t.get("ui.pin"))}</button>
            <label class="stat">{move || ui.texts.with(|t| t.get("ui.speed"))} " "
                <input type="range" min="1" max="5" step="1" data-testid="speed" prop:value=move || ui.speed.get().to_string()
                    on:input=move |ev| ui.speed.set(event_target_value(&ev).parse().unwrap_or(5)) /></label>
            <span class="stat" data-testid="status">{move || ui.status_text.get()}</span>
            <span class="stat">{move || ui.texts.with(|t| t.get("ui.step_counter"))} " " <b data-testid="step-count">{move || ui.step.get()}</b></span>
            <span class="stat">{move || ui.texts.with(|t| t.get("ui.epoch"))} " " <b>{move || format!("{:.1}", ui.epoch.get())}</b></span>
            <span class="stat"><b>{move || {
                let r = ui.steps_per_s.get();
                if r > 0.0 && r < 10.0 { format!("{r:.1}") } else { format!("{r:.0}") }
            }}</b> " " {move || ui.texts.with(|t| t.get("ui.steps_per_s"))}</span>
            <span class="badge" data-testid="backend">{backend}</span>
            <select data-testid="backend-choice" aria-label=move || ui.texts.with(|t| t.get("ui.backend"))
                on:change=move |ev| choose_backend(&event_target_value(&ev))>
                {[("auto", "ui.backend_auto"), ("webgpu", "ui.backend_webgpu"), ("cpu", "ui.backend_cpu")].into_iter().map(|(v, k)| {
                    let selected = crate::app_param("backend").as_deref().unwrap_or("auto") == v;
                    view! { <option value=v selected=selected>{move || ui.texts.with(|t| t.get(k))}</option> }
                }).collect_view()}
            </select>
            <span class="shortcuts">{move || ui.texts.with(|t| t.get("ui.shortcuts"))}</span>
        </div>
    }
}

/// Choosing a backend loads the page of the build that has it (`backend=` in the query for
/// CPU in the WebGPU build); the run replays from its URL.
fn choose_backend(value: &str) {
    use crate::backend::{Backend, HAS_WEBGPU, page_for};
    let q = crate::web::query_with("backend", None);
    let target = match Backend::from_id(value) {
        Some(Backend::WebGpu) => format!("{}?{q}", page_for(Backend::WebGpu)),
        Some(Backend::Cpu) if HAS_WEBGPU => {
            format!(
                "{}?{}",
                page_for(Backend::Cpu),
                crate::web::query_with("backend", Some("cpu"))
            )
        }
        // "auto": this page's own default.
        _ => format!("?{q}"),
    };
    let _ = crate::web::window().location().set_href(&target);
}

/// Draws every chart from the `Lab` (called when `tick` or a chart option changes).
fn draw_all(ui: Ui, refs: &[NodeRef<Canvas>; 4]) {
    let l = lab();
    l.borrow_mut().draws += 1;
    let t0 = crate::web::now_ms();
    let lab = l.borrow();
    let runs: Vec<&RunRecord> = lab.pinned.iter().chain(std::iter::once(&lab.current)).collect();
    let log = ui.log_scale.get_untracked();
    let smooth = ui.smoothing.get_untracked();
    let title = |k: &str| ui.t(k);
    // One step axis for all charts, so a point at step N lines up across them.
    let max_step = runs.iter().map(|r| r.history.last_step()).max().unwrap_or(0) as f64;
    let specs = [
        (
            ChartSpec {
                title: &title("ui.chart_loss"),
                log_y: log,
                y_floor: None,
                y_ceiling: None,
                max_step,
            },
            charts::metric_series(&runs, Metric::Loss, smooth),
        ),
        (
            ChartSpec {
                title: &title("ui.chart_accuracy"),
                log_y: false,
                y_floor: Some(0.0),
                y_ceiling: Some(1.0),
                max_step,
            },
            charts::metric_series(&runs, Metric::Accuracy, false),
        ),
        (
            ChartSpec {
                title: &title("ui.chart_lr"),
                log_y: false,
                y_floor: Some(0.0),
                y_ceiling: None,
                max_step,
            },
            charts::lr_series(&runs),
        ),
        (
            ChartSpec {
                title: &title("ui.chart_grad"),
                log_y: true,
                y_floor: None,
                y_ceiling: None,
                max_step,
            },
            charts::grad_series(&lab.current),
        ),
    ];
    for (r, (spec, series)) in refs.iter().zip(specs.iter()) {
        if let Some(c) = r.get_untracked() {
            charts::draw(&c, spec, series);
        }
    }
    drop(lab);
    l.borrow_mut().timing[3] = crate::web::now_ms() - t0;
}

#[component]
pub fn Charts(
    ui: Ui,
    /// A widget shows only the loss and accuracy charts, without chart options.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let refs: [NodeRef<Canvas>; 4] = [NodeRef::new(), NodeRef::new(), NodeRef::new(), NodeRef::new()];
    Effect::new(move |_| {
        ui.tick.track();
        ui.log_scale.track();
        ui.smoothing.track();
        ui.texts.track();
        draw_all(ui, &refs);
    });
    let ids = ["chart-loss", "chart-accuracy", "chart-lr", "chart-grad"];
    view! {
        <div class="chart-options" class:hidden=compact>
            <label><input type="checkbox" data-testid="log_scale" prop:checked=move || ui.log_scale.get()
                on:change=move |ev| ui.log_scale.set(event_target_checked(&ev)) />
                " " {move || ui.texts.with(|t| t.get("ui.log_scale"))}</label>
            <label><input type="checkbox" data-testid="smoothing" prop:checked=move || ui.smoothing.get()
                on:change=move |ev| ui.smoothing.set(event_target_checked(&ev)) />
                " " {move || ui.texts.with(|t| t.get("ui.smoothing"))}</label>
            <crate::files::ExportMenu ui=ui />
        </div>
        <Legend ui=ui />
        <div class="chart-grid">
            {ids.into_iter().zip(refs).take(if compact { 2 } else { 4 }).map(|(id, r)| view! { <canvas node_ref=r data-testid=id width="560" height="240"></canvas> }).collect_view()}
        </div>
        <ul class="legend layers" data-testid="layer-legend" class:hidden=compact>
            {move || {
                ui.tick.track();
                let names = lab().borrow().current.history.layer_names.clone();
                names.into_iter().enumerate().map(|(i, n)| view! {
                    <li><span class="swatch" style:background=css_color(i)></span>{n}</li>
                }).collect_view()
            }}
        </ul>
    }
}

/// Runs on the charts: colour, name, and how each pinned run differs from the current one.
#[component]
fn Legend(ui: Ui) -> impl IntoView {
    let rows = move || {
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
        rows.push((lab.current.color, ui.t("ui.current_run"), String::new(), None));
        rows
    };
    view! {
        <ul class="legend" data-testid="legend">
            {move || rows().into_iter().map(|(color, name, diff, idx)| {
                let remove = move |_| {
                    if let Some(i) = idx {
                        let l = lab();
                        let mut lab = l.borrow_mut();
                        if i < lab.pinned.len() { lab.pinned.remove(i); }
                    }
                    ui.tick.update(|t| *t += 1);
                };
                view! {
                    <li>
                        <span class="swatch" style:background=css_color(color)></span>
                        <b>{name}</b> " " <span class="diff">{diff}</span>
                        {idx.map(|i| {
                            let rename = move |_| {
                                let w = crate::web::window();
                                if let Ok(Some(new)) = w.prompt_with_message(&ui.t("ui.rename")) {
                                    let new = new.trim().chars().take(40).collect::<String>();
                                    if !new.is_empty() {
                                        if let Some(p) = lab().borrow_mut().pinned.get_mut(i) { p.name = new; }
                                        ui.tick.update(|t| *t += 1);
                                    }
                                }
                            };
                            view! { <button class="small" on:click=rename>{ui.t("ui.rename")}</button> }
                        })}
                        {idx.map(|_| view! { <button class="small" on:click=remove>{ui.t("ui.remove")}</button> })}
                    </li>
                }
            }).collect_view()}
            <li class="hint">{move || ui.texts.with(|t| t.fmt("ui.pinned_max", &[("n", MAX_PINNED.to_string())]))}</li>
        </ul>
    }
}

#[component]
pub fn DataView(ui: Ui) -> impl IntoView {
    let canvas: NodeRef<Canvas> = NodeRef::new();
    let net: NodeRef<Canvas> = NodeRef::new();
    let image = move || ui.cfg.with(|c| c.data.dataset.is_image());
    // A CSV feature table has no input plane: no surface and no network thumbnails.
    let table = move || {
        ui.data_tick.track();
        ui.cfg
            .with(|c| c.data.dataset == engine::config::DatasetKind::Csv)
            && !lab().borrow().assets.csv.as_ref().is_some_and(|d| d.is_points())
    };
    // Not on every frame: the surface and the network only change when a new grid is read.
    Effect::new(move |_| {
        ui.data_tick.track();
        let l = lab();
        let lab = l.borrow();
        let data = lab.session.as_ref().map(|s| s.dataset().clone());
        if let Some(c) = canvas.get_untracked() {
            match data.as_deref() {
                Some(d) if d.image_side.is_some() => {
                    digitsview::draw_images(&c, d, ui.preds.get_untracked().as_ref())
                }
                d => surface::draw(&c, lab.grid.as_ref(), d),
            }
        }
        if let (Some(c), Some(g), Some(d)) = (net.get_untracked(), lab.grid.as_ref(), data.as_deref()) {
            netview::draw(&c, g, d.input_features(&lab.current.cfg.data.features));
        }
    });
    view! {
        <div class="panel">
            <h2>{move || ui.texts.with(|t| t.get("ui.data_view"))}</h2>
            <canvas node_ref=canvas data-testid="surface" class:hidden=table width="320" height=move || if image() { "330" } else { "320" }></canvas>
            <digitsview::MetricsTables ui=ui preds=ui.preds.into() />
        </div>
        <div class="panel" class:hidden=move || image() || table()>
            <h2>{move || ui.texts.with(|t| t.get("ui.network_view"))}</h2>
            <canvas node_ref=net data-testid="network" width="320" height="300"></canvas>
        </div>
    }
}

#[component]
pub fn Explanation(ui: Ui) -> impl IntoView {
    let body = move || {
        let status = ui.status.get();
        ui.texts.with(|t| {
            if status == "diverged" {
                return (t.get("curves.diverged.title"), t.get("curves.diverged.explain"));
            }
            match ui.last_knob.get() {
                Some(k) => (
                    t.get(&format!("knobs.{k}.label")),
                    t.get(&format!("knobs.{k}.explain")),
                ),
                None => (t.get("curves.reading.title"), t.get("curves.reading.explain")),
            }
        })
    };
    view! {
        <div class="panel explanation" data-testid="explanation">
            <h2>{move || ui.texts.with(|t| t.get("ui.explanations"))}</h2>
            <h3>{move || body().0}</h3>
            <p>{move || body().1}</p>
        </div>
    }
}

#[component]
pub fn Notices(ui: Ui) -> impl IntoView {
    view! {
        <Show when=move || !ui.notices.with(Vec::is_empty)>
            <div class="panel notices" data-testid="notices" role="status">
                <button
                    class="dismiss"
                    data-testid="notices-dismiss"
                    title=move || ui.texts.with(|t| t.get("ui.notices_dismiss"))
                    aria-label=move || ui.texts.with(|t| t.get("ui.notices_dismiss"))
                    on:click=move |_| ui.notices.set(Vec::new())
                >
                    "×"
                </button>
                <h2>{move || ui.texts.with(|t| t.get("ui.notices"))}</h2>
                <ul>
                    {move || {
                        ui.notices.get().into_iter().map(|n| view! { <li>{n.text}</li> }).collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}
