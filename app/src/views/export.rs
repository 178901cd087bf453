//! The export menu: the charts as PNG, the curves as CSV, the config as TOML, JSON or a lesson
//! preset, and opening a saved config.

use crate::actions::files::{export, on_file_chosen, open_config};
use crate::state::use_ui;
use leptos::html::Details;
use leptos::prelude::*;

#[component]
pub fn ExportMenu() -> impl IntoView {
    let ui = use_ui();
    let on_file = move |ev| on_file_chosen(ui, ev, move |name, text| open_config(ui, &name, &text));
    // Escape closes the menu and leaves focus on its summary.
    let menu: NodeRef<Details> = NodeRef::new();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if let (true, Some(d)) = (ev.key() == "Escape", menu.get_untracked()) {
            d.set_open(false);
            if let Ok(Some(s)) = d.query_selector("summary")
                && let Ok(s) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(s)
            {
                let _ = s.focus();
            }
        }
    };
    let items = [
        ("png", "ui.export_png"),
        ("csv", "ui.export_csv"),
        ("toml", "ui.export_toml"),
        ("json", "ui.export_json"),
        ("preset", "ui.export_preset"),
    ];
    view! {
        <details class="export" data-testid="export" node_ref=menu on:keydown=on_key>
            <summary>{move || ui.tr("ui.export")}</summary>
            <div class="export-items">
                {items.into_iter().map(|(what, key)| view! {
                    <button data-testid=format!("export-{what}") on:click=move |_| export(ui, what)>
                        {move || ui.tr(key)}
                    </button>
                }).collect_view()}
                <label class="file-button">{move || ui.tr("ui.open_config")}
                    <input type="file" accept=".toml,.json,application/json,application/toml,text/plain" data-testid="open-config" on:change=on_file />
                </label>
            </div>
        </details>
    }
}
