//! Files in and out: the charts as one PNG, every run's curves as CSV, the run's config as
//! TOML, JSON or a lesson preset; and opening a saved config. Everything happens in the page;
//! nothing is uploaded anywhere.

use super::run::{NewRun, start_run};
use crate::platform::web::{js_err, scratch_canvas, window};
use crate::state::{Ui, lab};
use engine::config::DatasetKind;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Offers `text` as a file download.
fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(js_err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_err)?;
    let r = click_link(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    r
}

fn click_link(name: &str, href: &str) -> Result<(), String> {
    let doc = window().document().ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(href);
    a.set_download(name);
    a.click();
    Ok(())
}

/// The four charts stacked in one image (2 x 2, as on the page).
fn charts_png() -> Result<String, String> {
    let doc = window().document().ok_or("no document")?;
    let ids = ["chart-loss", "chart-accuracy", "chart-lr", "chart-grad"];
    let canvases: Vec<web_sys::HtmlCanvasElement> = ids
        .iter()
        .filter_map(|id| {
            doc.query_selector(&format!("[data-testid=\"{id}\"]"))
                .ok()
                .flatten()
        })
        .filter_map(|e| e.dyn_into().ok())
        .collect();
    let (w, h) = canvases.first().map_or((0, 0), |c| (c.width(), c.height()));
    if w == 0 {
        return Err("no chart to export".into());
    }
    let (out, ctx) = scratch_canvas(w * 2, h * 2).ok_or("no canvas")?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, (w * 2) as f64, (h * 2) as f64);
    for (i, c) in canvases.iter().enumerate() {
        let (x, y) = ((i % 2) as u32 * w, (i / 2) as u32 * h);
        ctx.draw_image_with_html_canvas_element(c, x as f64, y as f64)
            .map_err(js_err)?;
    }
    out.to_data_url_with_type("image/png").map_err(js_err)
}

/// The curves of every run on the charts, named as the legend names them.
pub fn curves_csv(ui: Ui) -> String {
    let l = lab();
    let lab = l.borrow();
    let current = ui.tr("ui.current_run");
    let runs: Vec<(&str, &engine::History)> = lab
        .pinned
        .iter()
        .map(|r| (r.name.as_str(), &r.history))
        .chain(std::iter::once((current.as_str(), &lab.current.history)))
        .collect();
    engine::export::curves_csv(&runs)
}

/// Downloads one export: `png`, `csv`, `toml`, `json` or `preset`.
pub fn export(ui: Ui, what: &str) {
    let cfg = ui.cfg.get_untracked();
    let result = match what {
        "png" => charts_png().and_then(|url| click_link("losslab-charts.png", &url)),
        "csv" => download_text("losslab-curves.csv", "text/csv", &curves_csv(ui)),
        "toml" => download_text("losslab-run.toml", "application/toml", &cfg.to_toml()),
        "json" => serde_json::to_string_pretty(&cfg)
            .map_err(|e| e.to_string())
            .and_then(|j| download_text("losslab-run.json", "application/json", &j)),
        _ => download_text("lesson-preset.toml", "application/toml", &cfg.to_lesson_preset()),
    };
    if let Err(e) = result {
        ui.notice(ui.tr_fmt("ui.export_failed", &[("error", e)]));
    }
}

/// The text of the file chosen in a file input (read in the page).
async fn read_file(input: &web_sys::HtmlInputElement) -> Result<Option<(String, String)>, String> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(None);
    };
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(js_err)?
        .as_string()
        .unwrap_or_default();
    // The same file can be chosen again later.
    input.set_value("");
    Ok(Some((file.name(), text)))
}

/// The handler of a file input: reads the chosen file in the page, then calls `then(name,
/// text)`; a file that cannot be read becomes a notice.
pub fn on_file_chosen(ui: Ui, ev: web_sys::Event, then: impl FnOnce(String, String) + 'static) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    leptos::task::spawn_local(async move {
        match read_file(&input).await {
            Ok(Some((name, text))) => then(name, text),
            Ok(None) => {}
            Err(e) => ui.notice(e),
        }
    });
}

/// A saved run config (TOML or JSON, as exported) becomes the run.
pub fn open_config(ui: Ui, name: &str, text: &str) {
    let parsed = if text.trim_start().starts_with('{') {
        serde_json::from_str::<engine::RunConfig>(text)
            .map_err(|e| e.to_string())
            .and_then(|c| {
                c.validate()
                    .map(|_| c)
                    .map_err(|es| es.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
            })
    } else {
        engine::RunConfig::from_toml(text).map_err(|e| e.to_string())
    };
    match parsed {
        Ok(cfg) => start_run(
            ui,
            NewRun {
                cfg,
                label: Some(name.to_string()),
                push_url: true,
                play: false,
            },
        ),
        Err(e) => ui.notice(ui.tr_fmt("ui.config_broken", &[("file", name.to_string()), ("error", e)])),
    }
}

/// A learner's CSV file (read in the page, never uploaded) becomes the run's data set; errors
/// name the row and column. The URL says `dataset=csv`, not the data.
pub fn import_csv(ui: Ui, name: String, text: &str) {
    match engine::data::parse_csv(text) {
        Ok(data) => {
            let summary = ui.tr_fmt(
                "ui.csv_loaded",
                &[
                    ("file", name.clone()),
                    ("rows", data.len().to_string()),
                    ("features", data.num_features().to_string()),
                ],
            );
            // How the file was read, when it was not the plain form (no header row, a
            // scikit-learn size line): the learner sees which columns became what.
            let notes: Vec<String> = data.notes.iter().map(|n| ui.tr_msg(n)).collect();
            lab().borrow_mut().assets.csv = Some(Arc::new(data));
            ui.notice(summary);
            notes.into_iter().for_each(|n| ui.notice(n));
            let mut cfg = ui.cfg.get_untracked();
            cfg.data.dataset = DatasetKind::Csv;
            ui.last_knob.set(Some("dataset".into()));
            start_run(
                ui,
                NewRun {
                    cfg,
                    label: Some(name),
                    push_url: true,
                    play: false,
                },
            );
        }
        Err(e) => {
            let error = ui.tr_msg(&e.msg());
            ui.notice(ui.tr_fmt("ui.csv_broken", &[("file", name), ("error", error)]));
        }
    }
}
