//! LossLab's playground: a Leptos (CSR) page that trains with the engine in the browser.
//!
//! Four layers, each naming only those below it (see ARCHITECTURE.md; `scripts/layers.py`
//! checks it): `views` → `actions` → `state` → `platform`. Configs, validation, training,
//! metrics and diagnosis are the engine's.

pub mod actions;
pub mod platform;
pub mod state;
pub mod views;

use leptos::prelude::*;

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
        platform::hook::show_panic(&info.to_string());
    }));
    mount_to_body(views::app::App);
    platform::offline::register_service_worker();
}
