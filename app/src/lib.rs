//! LossLab's playground: a Leptos (CSR) page that trains with the engine in the browser.
//!
//! The page owns signals, the frame loop, canvas drawing and URL state; everything else
//! (configs, validation, training, metrics) is the engine's.

mod backend;
mod bench;
mod charts;
mod controls;
mod digitsview;
mod embed;
mod files;
mod findings;
mod hook;
mod i18n;
mod lab;
mod lessons;
mod lrfinder;
mod netview;
mod offline;
mod panels;
mod runner;
mod share;
mod surface;
mod ui;
mod web;

use backend::Backend;
use engine::config::{APP_KEYS, RunConfig};
use lab::lab;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ui::Ui;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

#[cfg(target_arch = "wasm32")]
unsafe extern "C" {
    /// Synthesised by wasm-ld: runs the static constructors (cubecl registers its kernels
    /// through `inventory`).
    fn __wasm_call_ctors();
}

pub fn start() {
    // Called once, explicitly: without an explicit call wasm-ld wraps *every* export so that it
    // runs all constructors first, and each call from JavaScript into the page (every frame,
    // every canvas call taking a JS value) paid for it: hundreds of milliseconds per frame.
    #[cfg(target_arch = "wasm32")]
    unsafe {
        __wasm_call_ctors();
    }
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        hook::show_panic(&info.to_string());
    }));
    mount_to_body(App);
    offline::register_service_worker();
}

/// The value of an app (non-config) key in the page's query.
pub fn app_param(key: &str) -> Option<String> {
    web::query()
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")).map(str::to_string))
}

/// The query that reproduces the current state: the config plus the app's own keys.
pub fn app_query(ui: Ui) -> String {
    let mut q = ui.cfg.with_untracked(RunConfig::to_query);
    for key in APP_KEYS {
        // The open lesson lives in a signal; the other app keys only in the address bar.
        let value = if *key == "lesson" {
            ui.lesson.get_untracked()
        } else {
            app_param(key)
        };
        if let Some(v) = value {
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str(&format!("{key}={v}"));
        }
    }
    q
}

/// Reads the config from the address bar; malformed parts become notices. `?lesson=id`
/// alone opens the lesson's preset; with settings beside it, the settings are the run.
fn load_url(ui: Ui) {
    let (cfg, notices) = RunConfig::from_query_lenient_with(&web::query(), APP_KEYS);
    // Replacing the previous link's notices only: those from loading texts and lessons stay.
    let mut link: Vec<String> = notices
        .iter()
        .map(|n| ui.texts.with_untracked(|t| t.msg(&n.msg)))
        .collect();
    let lesson = app_param("lesson").filter(|l| !l.is_empty());
    let has_settings = web::query()
        .split('&')
        .any(|kv| !kv.is_empty() && !APP_KEYS.contains(&kv.split('=').next().unwrap_or("")));
    let preset = lesson.as_ref().and_then(|id| {
        ui.lessons
            .with_untracked(|ls| ls.iter().find(|l| &l.id == id).map(|l| l.preset.clone()))
    });
    if let (Some(id), None) = (&lesson, &preset)
        && !ui.lessons.with_untracked(Vec::is_empty)
    {
        link.push(
            ui.texts
                .with_untracked(|t| t.fmt("ui.lesson_unknown", &[("id", id.clone())])),
        );
    }
    ui.link_notices(link);
    ui.lesson.set(lesson.filter(|_| preset.is_some()));
    match preset {
        Some(p) if !has_settings => {
            lab().borrow_mut().current_label = Some(ui.t("ui.lesson_preset"));
            ui.cfg.set(p);
        }
        _ => ui.cfg.set(cfg),
    }
}

/// Picks the backend (in the WebGPU build: WebGPU if usable, unless `backend=cpu`), then
/// starts the first run.
async fn init(ui: Ui) {
    // This is the CPU build: WebGPU lives in gpu.html's build (see backend::page_for). Go
    // there before loading anything else.
    if !backend::HAS_WEBGPU && app_param("backend").as_deref() == Some(Backend::WebGpu.id()) {
        let _ = web::window().location().replace(&format!(
            "{}?{}",
            backend::page_for(Backend::WebGpu),
            web::query()
        ));
        return;
    }
    i18n::load(ui).await;
    // A lesson URL needs the lessons before its first run; otherwise they load meanwhile.
    if app_param("lesson").is_some() {
        lessons::load(ui).await;
    } else {
        spawn_local(lessons::load(ui));
    }
    load_url(ui);
    let wanted = app_param("backend").and_then(|b| Backend::from_id(&b));
    let (backend, device) = if wanted == Some(Backend::Cpu) || !backend::HAS_WEBGPU {
        (Backend::Cpu, engine::backend::cpu())
    } else {
        match backend::webgpu_device().await {
            Ok(d) => (Backend::WebGpu, d),
            // A widget has no room for the notice: its run simply uses the CPU.
            Err(_) if embed::is_embed() => (Backend::Cpu, engine::backend::cpu()),
            Err(reason) => {
                ui.notice(
                    ui.texts
                        .with_untracked(|t| t.fmt("ui.backend_fallback", &[("reason", reason.text(t))])),
                );
                (Backend::Cpu, engine::backend::cpu())
            }
        }
    };
    {
        let l = lab();
        let mut lab = l.borrow_mut();
        lab.backend = backend;
        lab.device = Some(device);
    }
    ui.backend.set(backend);
    runner::reset(ui);
    runner::start_loop(ui);
    install_keys(ui);
    install_popstate(ui);
    ui.ready.set(true);
}

fn install_keys(ui: Ui) {
    let cb = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            " " => {
                ev.prevent_default();
                toggle_play(ui);
            }
            "s" | "S" => runner::single_step(ui),
            "r" | "R" => runner::reset(ui),
            _ => {}
        }
    });
    let _ = web::window().add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
    cb.forget();
}

fn install_popstate(ui: Ui) {
    let cb = Closure::<dyn FnMut()>::new(move || {
        load_url(ui);
        runner::reset(ui);
    });
    let _ = web::window().add_event_listener_with_callback("popstate", cb.as_ref().unchecked_ref());
    cb.forget();
}

pub fn toggle_play(ui: Ui) {
    let can_run = lab()
        .borrow()
        .session
        .as_ref()
        .is_none_or(|s| s.status().is_running());
    if ui.running.get_untracked() || !can_run {
        ui.running.set(false);
    } else {
        ui.running.set(true);
    }
    runner::sync(ui);
}

#[component]
fn App() -> impl IntoView {
    let ui = Ui::new();
    hook::install(ui);
    if let Some(name) = app_param("bench") {
        return view! { <bench::BenchPage name=name /> }.into_any();
    }
    spawn_local(init(ui));
    if embed::is_embed() {
        return view! { <embed::EmbedApp ui=ui /> }.into_any();
    }
    view! {
        <header class="top">
            <div class="brand">
                <h1>"LossLab"</h1>
                <p class="tagline">{move || ui.texts.with(|t| t.get("ui.tagline"))}</p>
                <lessons::LessonPicker ui=ui />
                <share::ShareDialog ui=ui />
                <i18n::LangSwitch ui=ui />
            </div>
            <panels::RunBar ui=ui />
        </header>
        <main class="layout">
            <aside class="controls"><controls::ControlPanel ui=ui /></aside>
            <section class="charts"><panels::Charts ui=ui /></section>
            <aside class="side">
                // First in its column: a learner who opened a broken link sees what was wrong
                // without scrolling (it was last, below the fold).
                <panels::Notices ui=ui />
                <findings::FindingsPanel ui=ui />
                <lessons::LessonPanel ui=ui />
                <panels::DataView ui=ui />
                <panels::Explanation ui=ui />
            </aside>
        </main>
    }
    .into_any()
}
