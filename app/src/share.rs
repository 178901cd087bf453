//! The "share / embed" dialog: the link to the current run, and an iframe snippet for a
//! widget with the chosen controls, each with a copy button.

use crate::embed::full_url;
use crate::ui::Ui;
use crate::web::window;
use engine::config::KNOBS;
use leptos::prelude::*;

/// The widget's iframe snippet for the current run.
fn snippet(ui: Ui, controls: &[String], explain: bool) -> String {
    let url = full_url(ui);
    let sep = if url.contains('?') { '&' } else { '?' };
    let mut src = format!("{url}{sep}embed=1");
    if !controls.is_empty() {
        src.push_str(&format!("&controls={}", controls.join(",")));
    }
    if explain {
        src.push_str("&explain=1");
    }
    let title = ui.t("ui.embed_title");
    format!(
        "<iframe src=\"{}\" width=\"720\" height=\"{}\" sandbox=\"allow-scripts allow-popups\" loading=\"lazy\" title=\"{}\" style=\"border:1px solid #d9dde3;border-radius:8px;max-width:100%\"></iframe>",
        src.replace('&', "&amp;"),
        if explain { 560 } else { 420 },
        title.replace('"', "&quot;")
    )
}

fn copy(ui: Ui, text: String) {
    let clipboard = window().navigator().clipboard();
    let promise = clipboard.write_text(&text);
    leptos::task::spawn_local(async move {
        let key = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => "ui.copied",
            Err(_) => "ui.copy_failed",
        };
        ui.notice(ui.t(key));
    });
}

#[component]
pub fn ShareDialog(ui: Ui) -> impl IntoView {
    let open = RwSignal::new(false);
    let chosen = RwSignal::new(Vec::<String>::new());
    let explain = RwSignal::new(true);
    // Start from the knob the learner touched last: usually the one the widget is about.
    let toggle = move |_| {
        if !open.get_untracked() && chosen.with_untracked(Vec::is_empty) {
            chosen.set(vec![ui.last_knob.get_untracked().unwrap_or_else(|| "lr".into())]);
        }
        open.update(|o| *o = !*o);
    };
    let link = move || full_url(ui);
    let code = move || snippet(ui, &chosen.get(), explain.get());
    let boxes = move || {
        KNOBS
            .iter()
            .map(|k| {
                let key = k.key.to_string();
                let k2 = key.clone();
                let checked = move || chosen.with(|c| c.contains(&k2));
                let on_change = move |ev| {
                    let on = event_target_checked(&ev);
                    chosen.update(|c| {
                        c.retain(|x| x != &key);
                        if on {
                            c.push(key.clone());
                        }
                    });
                };
                let label = ui.texts.with(|t| t.get(&format!("knobs.{}.label", k.key)));
                view! {
                    <label class="share-knob"><input type="checkbox" data-testid=format!("share-{}", k.key) prop:checked=checked on:change=on_change />" " {label}</label>
                }
            })
            .collect_view()
    };
    view! {
        <button data-testid="share" on:click=toggle>{move || ui.texts.with(|t| t.get("ui.share"))}</button>
        <Show when=move || open.get()>
            <div class="panel share" data-testid="share-dialog" role="dialog" aria-label=move || ui.texts.with(|t| t.get("ui.share"))>
                <h2>{move || ui.texts.with(|t| t.get("ui.share_link"))}</h2>
                <div class="share-row">
                    <input type="text" readonly data-testid="share-link" prop:value=link />
                    <button data-testid="copy-link" on:click=move |_| copy(ui, link())>{move || ui.texts.with(|t| t.get("ui.copy"))}</button>
                </div>
                <h2>{move || ui.texts.with(|t| t.get("ui.share_embed"))}</h2>
                <p class="quiet">{move || ui.texts.with(|t| t.get("ui.share_controls"))}</p>
                <div class="share-knobs">{boxes}</div>
                <label><input type="checkbox" data-testid="share-explain" prop:checked=move || explain.get()
                    on:change=move |ev| explain.set(event_target_checked(&ev)) />" " {move || ui.texts.with(|t| t.get("ui.share_explain"))}</label>
                <div class="share-row">
                    <textarea readonly rows="4" data-testid="share-snippet" prop:value=code></textarea>
                    <button data-testid="copy-snippet" on:click=move |_| copy(ui, code())>{move || ui.texts.with(|t| t.get("ui.copy"))}</button>
                </div>
                <button class="link" on:click=move |_| open.set(false)>{move || ui.texts.with(|t| t.get("ui.close"))}</button>
            </div>
        </Show>
    }
}
