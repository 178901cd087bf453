//! Small helpers over the browser APIs: the window, fetching files, the address bar, canvases.

use super::url;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

/// The wasm module's linear memory, in bytes (it only grows: the high-water mark).
pub fn wasm_heap_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |b| b.byte_length() as f64)
}

pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Fetches a file next to the page (relative path, so the site works under any sub-path).
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let resp = JsFuture::from(window().fetch_with_str(path))
        .await
        .map_err(js_err)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(js_err)?;
    if !resp.ok() {
        return Err(format!("{path}: HTTP {}", resp.status()));
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(js_err)?)
        .await
        .map_err(js_err)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

pub async fn fetch_text(path: &str) -> Result<String, String> {
    let bytes = fetch_bytes(path).await?;
    String::from_utf8(bytes).map_err(|e| format!("{path}: {e}"))
}

pub fn js_err(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| "unknown JavaScript error".into())
}

/// Whether the learner's system asks for less motion (`prefers-reduced-motion: reduce`).
pub fn prefers_reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// The page's query string without the leading `?`.
pub fn query() -> String {
    window()
        .location()
        .search()
        .unwrap_or_default()
        .trim_start_matches('?')
        .to_string()
}

/// The value of `key` in the page's query (see [`url::param`]).
pub fn param(key: &str) -> Option<String> {
    url::param(&query(), key)
}

/// Whether the page is a widget (`?embed=1`).
pub fn is_embed() -> bool {
    url::is_embed(&query())
}

/// The page's query with `key` set to `value` (or removed), other keys kept in order.
pub fn query_with(key: &str, value: Option<&str>) -> String {
    url::with_key(&query(), key, value)
}

/// Writes the query into the address bar; `push` adds a history entry (back/forward).
pub fn set_query(q: &str, push: bool) {
    // A widget keeps its state to itself (and a sandboxed frame may not rewrite its URL);
    // its "open in LossLab" link carries the run instead.
    if is_embed() {
        return;
    }
    let url = if q.is_empty() {
        window().location().pathname().unwrap_or_default()
    } else {
        format!("?{q}")
    };
    if let Ok(h) = window().history() {
        let _ = if push {
            h.push_state_with_url(&JsValue::NULL, "", Some(&url))
        } else {
            h.replace_state_with_url(&JsValue::NULL, "", Some(&url))
        };
    }
}

/// The 2-D drawing context of a canvas.
pub fn context2d(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// An off-screen canvas of `w`×`h` pixels: small images are painted there, then scaled up.
pub fn scratch_canvas(
    w: u32,
    h: u32,
) -> Option<(web_sys::HtmlCanvasElement, web_sys::CanvasRenderingContext2d)> {
    let canvas: web_sys::HtmlCanvasElement = window()
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx = context2d(&canvas)?;
    Some((canvas, ctx))
}

/// Resolves on a fresh macrotask (`setTimeout(0)`): lets the browser paint and handle input
/// during a long async loop.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = JsFuture::from(promise).await;
}
