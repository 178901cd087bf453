//! The offline service worker (`sw.js`, written into the build by `scripts/sw.py`): registered
//! once the page has loaded, so that it never delays the first run. Skipped silently where a
//! service worker cannot work: no `navigator.serviceWorker` (old or private browsers), an insecure
//! context (plain http on a host other than loopback) or a sandboxed, opaque-origin frame.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    // Checked first: in an opaque-origin frame even reading navigator.serviceWorker throws.
    if !window.is_secure_context() || window.origin() == "null" {
        return;
    }
    let has_worker = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("serviceWorker"))
        .is_ok_and(|sw| !sw.is_undefined() && !sw.is_null());
    if !has_worker {
        return;
    }
    let loaded = window.document().is_some_and(|d| d.ready_state() == "complete");
    if loaded {
        register(&window);
    } else {
        let on_load = Closure::once_into_js(register_now);
        let _ = window.add_event_listener_with_callback("load", on_load.unchecked_ref());
    }
}

fn register_now() {
    if let Some(window) = web_sys::window() {
        register(&window);
    }
}

fn register(window: &web_sys::Window) {
    // Relative: the worker sits next to index.html, whatever the sub-path.
    let promise = window.navigator().service_worker().register("sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = JsFuture::from(promise).await {
            // The site works without it (online only); a warning, never an error.
            web_sys::console::warn_2(
                &JsValue::from_str("LossLab: no offline mode (service worker not registered):"),
                &e,
            );
        }
    });
}
