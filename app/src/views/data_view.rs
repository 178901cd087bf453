//! The data view: the decision surface (or the digits with their predictions), the metrics
//! tables, and the network view.

use super::draw::{digits, network, surface};
use super::metrics::MetricsTables;
use crate::state::{lab, use_ui};
use leptos::html::Canvas;
use leptos::prelude::*;

#[component]
pub fn DataView() -> impl IntoView {
    let ui = use_ui();
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
                    digits::draw_images(&c, d, ui.preds.get_untracked().as_ref())
                }
                d => surface::draw(&c, lab.grid.as_ref(), d),
            }
        }
        if let (Some(c), Some(g), Some(d)) = (net.get_untracked(), lab.grid.as_ref(), data.as_deref()) {
            network::draw(&c, g, d.input_features(&lab.current.cfg.data.features));
        }
    });
    view! {
        <div class="panel">
            <h2>{move || ui.tr("ui.data_view")}</h2>
            <canvas node_ref=canvas data-testid="surface" class:hidden=table width="320" height=move || if image() { "330" } else { "320" }></canvas>
            <MetricsTables preds=ui.preds.into() />
        </div>
        <div class="panel" class:hidden=move || image() || table()>
            <h2>{move || ui.tr("ui.network_view")}</h2>
            <canvas node_ref=net data-testid="network" width="320" height="300"></canvas>
        </div>
    }
}
