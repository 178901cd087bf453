//! The page: the playground's layout, or a widget (`?embed=1`), or the benchmark (`?bench=`).

use super::announcer::Announcer;
use super::bench::BenchPage;
use super::chart_text::ChartText;
use super::charts::Charts;
use super::controls::ControlPanel;
use super::data_view::DataView;
use super::embed::EmbedApp;
use super::explanation::Explanation;
use super::findings::FindingsPanel;
use super::lang::LangSwitch;
use super::lessons::{LessonPanel, LessonPicker};
use super::notices::Notices;
use super::runbar::RunBar;
use super::share::ShareDialog;
use crate::actions::{snapshot, startup};
use crate::platform::{hook, web};
use crate::state::Ui;
use leptos::html::Section;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn App() -> impl IntoView {
    let ui = Ui::new();
    provide_context(ui);
    hook::install(move || snapshot::state_json(ui));
    Effect::new(move |_| hook::set_ready(ui.ready.get()));
    if let Some(name) = web::param("bench") {
        return view! { <BenchPage name=name /> }.into_any();
    }
    spawn_local(startup::init(ui));
    let charts: NodeRef<Section> = NodeRef::new();
    if web::is_embed() {
        return view! { <EmbedApp /> }.into_any();
    }
    // "Skip to the charts": focus moves there without touching the address bar (a fragment
    // would count as a navigation and restart the run from the link).
    let skip = move |ev: web_sys::MouseEvent| {
        ev.prevent_default();
        if let Some(c) = charts.get_untracked() {
            let _ = c.focus();
        }
    };
    view! {
        <a class="skip-link" href="#charts" data-testid="skip-to-charts" on:click=skip>{move || ui.tr("ui.skip_to_charts")}</a>
        <header class="top">
            <div class="brand">
                <h1>"LossLab"</h1>
                <p class="tagline">{move || ui.tr("ui.tagline")}</p>
                <LessonPicker />
                <ShareDialog />
                <LangSwitch />
            </div>
            <RunBar />
        </header>
        <main class="layout">
            <aside class="controls"><ControlPanel /></aside>
            <section class="charts" id="charts" tabindex="-1" node_ref=charts><Charts /><ChartText /></section>
            <aside class="side">
                // First in its column: a learner who opened a broken link sees what was wrong
                // without scrolling (it was last, below the fold).
                <Notices />
                <FindingsPanel />
                <LessonPanel />
                <DataView />
                <Explanation />
            </aside>
        </main>
        <Announcer />
    }
    .into_any()
}
