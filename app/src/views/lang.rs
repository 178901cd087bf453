//! The language menu.

use crate::actions::lang::switch;
use crate::state::texts::LANGS;
use crate::state::use_ui;
use leptos::prelude::*;

/// Switching language keeps the run: texts and lessons reload, `lang=` goes into the URL.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let ui = use_ui();
    let on_change = move |ev| switch(ui, &event_target_value(&ev));
    view! {
        <select data-testid="lang" class="lang" on:change=on_change aria-label=move || ui.tr("ui.language")>
            {LANGS.into_iter().map(|(id, name)| view! {
                <option value=id selected=move || ui.lang.get() == id>{name}</option>
            }).collect_view()}
        </select>
    }
}
