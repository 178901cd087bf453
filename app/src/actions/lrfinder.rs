//! "Find LR": the engine's LR range test on a fresh copy of the current run (the run itself is
//! untouched).

use crate::platform::web::window;
use crate::state::{Ui, lab};
use engine::Session;
use engine::train::{LrFinderConfig, LrFinderResult};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Runs the range test into `result`; `busy` is on meanwhile.
pub fn run(ui: Ui, result: RwSignal<Option<LrFinderResult>>, busy: RwSignal<bool>) {
    let (data, device) = {
        let l = lab();
        let lab = l.borrow();
        match (lab.session.as_ref(), lab.device.clone()) {
            (Some(s), Some(d)) => (s.dataset().clone(), d),
            _ => {
                // The session is out running a chunk: pause, and try again next frame.
                ui.running.set(false);
                let again = wasm_bindgen::closure::Closure::once_into_js(move || run(ui, result, busy));
                let _ = window().request_animation_frame(again.unchecked_ref());
                return;
            }
        }
    };
    let cfg = ui.cfg.get_untracked();
    busy.set(true);
    leptos::task::spawn_local(async move {
        match Session::lr_range_test(&cfg, data, device, LrFinderConfig::default()).await {
            Ok(r) => result.set(Some(r)),
            Err(e) => ui.notice(ui.tr_error(&e)),
        }
        busy.set(false);
    });
}
