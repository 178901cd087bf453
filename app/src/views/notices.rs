//! The notices panel: what went wrong loading the link, texts, lessons or data.

use crate::state::use_ui;
use leptos::prelude::*;

#[component]
pub fn Notices() -> impl IntoView {
    let ui = use_ui();
    view! {
        <Show when=move || !ui.notices.with(Vec::is_empty)>
            <div class="panel notices" data-testid="notices" role="status">
                <button
                    class="dismiss"
                    data-testid="notices-dismiss"
                    title=move || ui.tr("ui.notices_dismiss")
                    aria-label=move || ui.tr("ui.notices_dismiss")
                    on:click=move |_| ui.notices.set(Vec::new())
                >
                    "×"
                </button>
                <h2>{move || ui.tr("ui.notices")}</h2>
                <ul>
                    {move || {
                        ui.notices.get().into_iter().map(|n| view! { <li>{n.text}</li> }).collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}
