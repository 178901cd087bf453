//! The test hook `window.losslab` (`state()`, read-only; `crash()`, a deliberate panic;
//! `ready`), and the panic banner. What `state()` returns is the caller's (see
//! `actions::snapshot`): this module only publishes it.

use super::web::window;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

/// Installs `window.losslab` with `state()` answering `state` (serialised JSON).
pub fn install(state: impl Fn() -> serde_json::Value + 'static) {
    let hook = Object::new();
    let state = Closure::<dyn Fn() -> JsValue>::new(move || {
        js_sys::JSON::parse(&state().to_string()).unwrap_or(JsValue::NULL)
    });
    let _ = Reflect::set(&hook, &"state".into(), state.as_ref());
    state.forget();
    // For the tests: a real panic inside the wasm, to check the page shows the error banner
    // (reload + report) instead of going blank. Nothing a learner can reach calls it.
    let crash = Closure::<dyn Fn()>::new(|| panic!("crash requested through window.losslab.crash()"));
    let _ = Reflect::set(&hook, &"crash".into(), crash.as_ref());
    crash.forget();
    let _ = Reflect::set(&hook, &"ready".into(), &JsValue::FALSE);
    let _ = Reflect::set(&window(), &"losslab".into(), &hook);
}

/// `window.losslab.ready`: the first run exists and the controls work.
pub fn set_ready(ready: bool) {
    if let Ok(hook) = Reflect::get(&window(), &"losslab".into())
        && hook.is_object()
    {
        let _ = Reflect::set(&hook, &"ready".into(), &JsValue::from_bool(ready));
    }
}

/// Publishes `value` as `window.losslab.<key>` (the benchmark's results).
pub fn publish(key: &str, value: &serde_json::Value) {
    let js = js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL);
    if let Ok(hook) = Reflect::get(&window(), &"losslab".into()) {
        let _ = Reflect::set(&hook, &key.into(), &js);
    }
}

thread_local! {
    /// The banner's texts in the page's language, kept outside the reactive graph: a panic
    /// may happen while that graph is borrowed.
    static PANIC_TEXTS: std::cell::RefCell<[String; 3]> = std::cell::RefCell::new([
        "Something went wrong inside LossLab. The rest of the page still works.".into(),
        "Reload".into(),
        "To report it, copy this message into an issue:".into(),
    ]);
}

/// Remembers the banner's texts (what happened, the reload button, how to report) for the
/// current language: called when texts load.
pub fn set_panic_texts(texts: [String; 3]) {
    PANIC_TEXTS.with(|p| *p.borrow_mut() = texts);
}

/// A visible banner instead of a blank page when Rust panics: what happened, a reload
/// button, and the message to copy into a report.
pub fn show_panic(message: &str) {
    let Some(doc) = window().document() else { return };
    let Some(body) = doc.body() else { return };
    let [banner, reload, report] = PANIC_TEXTS.with(|p| p.borrow().clone());
    let Ok(div) = doc.create_element("div") else {
        return;
    };
    div.set_class_name("panic-banner");
    let _ = div.set_attribute("role", "alert");
    let _ = div.set_attribute("data-testid", "error-banner");
    let text = doc.create_element("p").ok();
    if let Some(p) = &text {
        p.set_text_content(Some(&format!("{banner} {report}")));
        let _ = div.append_child(p);
    }
    if let Ok(pre) = doc.create_element("pre") {
        pre.set_text_content(Some(message));
        let _ = div.append_child(&pre);
    }
    if let Ok(button) = doc.create_element("button") {
        button.set_text_content(Some(&reload));
        let _ = button.set_attribute("data-testid", "reload");
        let cb = Closure::<dyn FnMut()>::new(|| {
            let _ = window().location().reload();
        });
        let _ = button.add_event_listener_with_callback("click", cb.as_ref().unchecked_ref());
        cb.forget();
        let _ = div.append_child(&button);
    }
    let _ = body.prepend_with_node_1(&div);
}
