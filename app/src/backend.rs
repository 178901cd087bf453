//! Backend choice: WebGPU when the browser really has it, otherwise the CPU backend.

use crate::web::{js_err, window};
use engine::Device;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    WebGpu,
    Cpu,
}

impl Backend {
    pub fn id(self) -> &'static str {
        match self {
            Backend::WebGpu => "webgpu",
            Backend::Cpu => "cpu",
        }
    }
    pub fn from_id(s: &str) -> Option<Self> {
        match s {
            "webgpu" => Some(Backend::WebGpu),
            "cpu" => Some(Backend::Cpu),
            _ => None,
        }
    }
}

/// Whether this build has the WebGPU backend. The default page (index.html) is the CPU build:
/// a fraction of the size, so it loads and trains at once (and tiny networks train faster on the
/// CPU anyway); gpu.html is the same app with WebGPU.
pub const HAS_WEBGPU: bool = cfg!(feature = "webgpu");

/// The page of the build that runs `backend` (relative: the site works under any sub-path).
pub fn page_for(backend: Backend) -> &'static str {
    match backend {
        Backend::WebGpu => "gpu.html",
        Backend::Cpu => "./",
    }
}

/// Why WebGPU cannot be used: the common cases have a text in each language (`ui.<key>`),
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

impl Unavailable {
    pub fn text(&self, t: &crate::i18n::Texts) -> String {
        match self {
            Unavailable::Known(key) => t.get(key),
            Unavailable::Other(s) => s.clone(),
        }
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
        Ok(engine::backend::webgpu().await?)
    }
    #[cfg(not(all(target_arch = "wasm32", feature = "webgpu")))]
    {
        Err(Unavailable::Known("ui.webgpu_missing"))
    }
}
