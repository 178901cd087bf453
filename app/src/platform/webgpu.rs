//! The WebGPU probe: whether this browser really has a usable adapter, and burn's device on it.

use super::web::{js_err, window};
use engine::Device;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why WebGPU cannot be used: the common cases are a text key (`ui.<key>`, in each language),
/// anything else is the browser's own message.
#[derive(Debug)]
pub enum Unavailable {
    Known(&'static str),
    Other(String),
}

impl From<String> for Unavailable {
    fn from(s: String) -> Self {
        Unavailable::Other(s)
    }
}

/// Checks the browser the way WebGPU can fail: no secure context, no `navigator.gpu`, or
/// `requestAdapter()` resolving to null (what headless Chromium does without a GPU flag).
async fn adapter_available() -> Result<(), Unavailable> {
    let w = window();
    if !w.is_secure_context() {
        return Err(Unavailable::Known("ui.webgpu_insecure"));
    }
    let gpu = Reflect::get(&w.navigator(), &JsValue::from_str("gpu")).map_err(js_err)?;
    if gpu.is_undefined() || gpu.is_null() {
        return Err(Unavailable::Known("ui.webgpu_missing"));
    }
    let request: Function = Reflect::get(&gpu, &JsValue::from_str("requestAdapter"))
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "requestAdapter is not a function".to_string())?;
    let promise: Promise = request.call0(&gpu).map_err(js_err)?.dyn_into().map_err(js_err)?;
    let adapter = JsFuture::from(promise).await.map_err(js_err)?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err(Unavailable::Known("ui.webgpu_no_adapter"));
    }
    Ok(())
}

/// The device to train on. `Err(reason)` means WebGPU was wanted but is not usable here.
pub async fn webgpu_device() -> Result<Device, Unavailable> {
    adapter_available().await?;
    #[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
    {
        engine::backend::webgpu()
            .await
            .map_err(|e| Unavailable::Other(e.to_string()))
    }
    #[cfg(not(all(target_arch = "wasm32", feature = "webgpu")))]
    {
        Err(Unavailable::Known("ui.webgpu_missing"))
    }
}
