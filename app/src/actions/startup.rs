//! The page's start: texts, lessons, the run the address bar describes, the backend, the frame
//! loop and the keyboard shortcuts; and the address bar's back/forward.

use super::run::{NewRun, reset, single_step, start_run, toggle_play};
use super::{frame, lang, lessons};
use crate::platform::web::{self, param, query};
use crate::platform::{url, webgpu};
use crate::state::backend::{HAS_WEBGPU, page_for};
use crate::state::{Backend, Ui, lab};
use engine::config::{APP_KEYS, RunConfig};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The run a link describes: its settings (malformed parts become notices), or with
/// `?lesson=id` alone the lesson's preset. Returns the run and the lesson it opens.
fn link_run(ui: Ui) -> (NewRun, Option<String>) {
    let q = query();
    let (cfg, notices) = RunConfig::from_query_lenient_with(&q, APP_KEYS);
    let mut link: Vec<String> = notices.iter().map(|n| ui.tr_msg(&n.msg)).collect();
    let lesson = url::param(&q, "lesson").filter(|l| !l.is_empty());
    let preset = lesson.as_ref().and_then(|id| {
        ui.lessons
            .with_untracked(|ls| ls.iter().find(|l| &l.id == id).map(|l| l.preset.clone()))
    });
    if let (Some(id), None) = (&lesson, &preset)
        && !ui.lessons.with_untracked(Vec::is_empty)
    {
        link.push(ui.tr_fmt("ui.lesson_unknown", &[("id", id.clone())]));
    }
    // Replacing the previous link's notices only: those from loading texts and lessons stay.
    ui.link_notices(link);
    let lesson = lesson.filter(|_| preset.is_some());
    let run = match preset {
        Some(p) if !url::has_settings(&q) => NewRun {
            cfg: p,
            label: Some(ui.tr("ui.lesson_preset")),
            push_url: false,
            play: false,
        },
        _ => NewRun {
            cfg,
            label: None,
            push_url: false,
            play: false,
        },
    };
    (run, lesson)
}

/// Starts the run the address bar describes; `play` if Play was pressed meanwhile.
fn start_link_run(ui: Ui, play: bool) {
    let (mut run, lesson) = link_run(ui);
    run.play = play;
    ui.lesson.set(lesson);
    start_run(ui, run);
}

/// Picks the backend (in the WebGPU build: WebGPU if usable, unless `backend=cpu`), then
/// starts the first run.
pub async fn init(ui: Ui) {
    // This is the CPU build: WebGPU lives in gpu.html's build (see `page_for`). Go there
    // before loading anything else.
    if !HAS_WEBGPU && param("backend").as_deref() == Some(Backend::WebGpu.id()) {
        let _ = web::window()
            .location()
            .replace(&format!("{}?{}", page_for(Backend::WebGpu), query()));
        return;
    }
    lang::load(ui).await;
    // A lesson URL needs the lessons before its first run; otherwise they load meanwhile.
    if param("lesson").is_some() {
        lessons::load(ui).await;
    } else {
        spawn_local(lessons::load(ui));
    }
    let wanted = param("backend").and_then(|b| Backend::from_id(&b));
    let (backend, device) = if wanted == Some(Backend::Cpu) || !HAS_WEBGPU {
        (Backend::Cpu, engine::backend::cpu())
    } else {
        match webgpu::webgpu_device().await {
            Ok(d) => (Backend::WebGpu, d),
            // A widget has no room for the notice: its run simply uses the CPU.
            Err(_) if web::is_embed() => (Backend::Cpu, engine::backend::cpu()),
            Err(reason) => {
                let reason = match reason {
                    webgpu::Unavailable::Known(key) => ui.tr(key),
                    webgpu::Unavailable::Other(text) => text,
                };
                ui.notice(ui.tr_fmt("ui.backend_fallback", &[("reason", reason)]));
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
    // Play pressed while the page was loading is not lost: the first run starts playing.
    start_link_run(ui, ui.running.get_untracked());
    frame::start_loop(ui);
    install_keys(ui);
    install_popstate(ui);
    ui.ready.set(true);
}

fn install_keys(ui: Ui) {
    let cb = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
        let tag = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.tag_name())
            .unwrap_or_default();
        let typing = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
        // Space on a focused button, link or summary presses it (keyboard users), not Play.
        let pressing = ev.key() == " " && matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY");
        if typing || pressing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            " " => {
                ev.prevent_default();
                toggle_play(ui);
            }
            "s" | "S" => single_step(ui),
            "r" | "R" => reset(ui),
            _ => {}
        }
    });
    let _ = web::window().add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
    cb.forget();
}

fn install_popstate(ui: Ui) {
    let cb = Closure::<dyn FnMut()>::new(move || start_link_run(ui, false));
    let _ = web::window().add_event_listener_with_callback("popstate", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Choosing a backend loads the page of the build that has it (`backend=` in the query for
/// CPU in the WebGPU build); the run replays from its URL.
pub fn choose_backend(value: &str) {
    let q = web::query_with("backend", None);
    let target = match Backend::from_id(value) {
        Some(Backend::WebGpu) => format!("{}?{q}", page_for(Backend::WebGpu)),
        Some(Backend::Cpu) if HAS_WEBGPU => {
            format!(
                "{}?{}",
                page_for(Backend::Cpu),
                web::query_with("backend", Some("cpu"))
            )
        }
        // "auto": this page's own default.
        _ => format!("?{q}"),
    };
    let _ = web::window().location().set_href(&target);
}
