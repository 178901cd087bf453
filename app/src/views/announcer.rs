//! The page's polite live region: a screen reader hears the run's status when it changes and
//! each new finding once (`actions::announce` decides what is news), never the step counter.

use crate::actions::announce::watch;
use crate::state::use_ui;
use leptos::prelude::*;

#[component]
pub fn Announcer() -> impl IntoView {
    let said = watch(use_ui());
    view! {
        <div class="visually-hidden" data-testid="announcer" role="status" aria-live="polite" aria-atomic="true">
            {move || said.get()}
        </div>
    }
}
