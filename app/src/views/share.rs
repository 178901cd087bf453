//! The "share / embed" dialog: the link to the current run, and an iframe snippet for a
//! widget with the chosen controls, each with a copy button.

use crate::actions::share::{copy, full_url, snippet};
use crate::state::use_ui;
use engine::config::KNOBS;
use leptos::html::{Button, Input};
use leptos::prelude::*;

#[component]
pub fn ShareDialog() -> impl IntoView {
    let ui = use_ui();
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
    // Keyboard: opening moves focus into the dialog; Escape or Close returns it to the button.
    let button: NodeRef<Button> = NodeRef::new();
    let first: NodeRef<Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            close();
        }
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
                let label = ui.tr(&format!("knobs.{}.label", k.key));
                view! {
                    <label class="share-knob"><input type="checkbox" data-testid=format!("share-{}", k.key) prop:checked=checked on:change=on_change />" " {label}</label>
                }
            })
            .collect_view()
    };
    view! {
        <button data-testid="share" node_ref=button aria-expanded=move || open.get().to_string() on:click=toggle>{move || ui.tr("ui.share")}</button>
        <Show when=move || open.get()>
            <div class="panel share" data-testid="share-dialog" role="dialog" aria-label=move || ui.tr("ui.share") on:keydown=on_key>
                <h2>{move || ui.tr("ui.share_link")}</h2>
                <div class="share-row">
                    <input type="text" readonly data-testid="share-link" node_ref=first aria-label=move || ui.tr("ui.share_link") prop:value=link />
                    <button data-testid="copy-link" on:click=move |_| copy(ui, link())>{move || ui.tr("ui.copy")}</button>
                </div>
                <h2>{move || ui.tr("ui.share_embed")}</h2>
                <p class="quiet">{move || ui.tr("ui.share_controls")}</p>
                <div class="share-knobs">{boxes}</div>
                <label><input type="checkbox" data-testid="share-explain" prop:checked=move || explain.get()
                    on:change=move |ev| explain.set(event_target_checked(&ev)) />" " {move || ui.tr("ui.share_explain")}</label>
                <div class="share-row">
                    <textarea readonly rows="4" data-testid="share-snippet" aria-label=move || ui.tr("ui.share_embed") prop:value=code></textarea>
                    <button data-testid="copy-snippet" on:click=move |_| copy(ui, code())>{move || ui.tr("ui.copy")}</button>
                </div>
                <button class="link" data-testid="share-close" on:click=move |_| close()>{move || ui.tr("ui.close")}</button>
            </div>
        </Show>
    }
}
