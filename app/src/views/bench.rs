//! The page in bench mode (`?bench=`): only the result block (see `actions::bench`).

use crate::actions::bench::run;
use leptos::prelude::*;

#[component]
pub fn BenchPage(name: String) -> impl IntoView {
    leptos::task::spawn_local(run(name));
    view! { <pre id="bench-result" data-testid="bench-result">"running…"</pre> }
}
