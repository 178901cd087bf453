//! Sharing a run: the playground link, the widget's iframe snippet, copying either.

use crate::platform::url;
use crate::platform::web::{query, window};
use crate::state::Ui;
use engine::RunConfig;
use leptos::prelude::*;

/// The full playground's URL for the current run (same page, without the widget keys).
/// Tracked: a view showing it follows the run.
pub fn full_url(ui: Ui) -> String {
    let loc = window().location();
    let base = format!(
        "{}{}",
        loc.origin().ok().filter(|o| o != "null").unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    );
    let q = ui.cfg.with(RunConfig::to_query);
    url::with_query(&base, &url::full_query(&q, &query()))
}

/// The widget's iframe snippet for the current run.
pub fn snippet(ui: Ui, controls: &[String], explain: bool) -> String {
    let src = url::embed_src(&full_url(ui), controls, explain);
    let title = ui.tr("ui.embed_title");
    format!(
        "<iframe src=\"{}\" width=\"720\" height=\"{}\" sandbox=\"allow-scripts allow-popups\" loading=\"lazy\" title=\"{}\" style=\"border:1px solid #d9dde3;border-radius:8px;max-width:100%\"></iframe>",
        src.replace('&', "&amp;"),
        if explain { 560 } else { 420 },
        title.replace('"', "&quot;")
    )
}

/// Copies `text` to the clipboard; a notice says whether it worked.
pub fn copy(ui: Ui, text: String) {
    // No `navigator.clipboard` outside a secure context (the site from a school server over
    // plain http) or in older browsers: calling it would throw out of the click handler.
    let navigator = window().navigator();
    if !js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| c.is_object()) {
        ui.notice(ui.tr("ui.copy_failed"));
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let key = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => "ui.copied",
            Err(_) => "ui.copy_failed",
        };
        ui.notice(ui.tr(key));
    });
}
