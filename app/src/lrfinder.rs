//! "Find LR": the engine's LR range test on a fresh copy of the current run (the run itself is
//! untouched), drawn as loss against learning rate, with the suggested rate one click away.

use crate::lab::lab;
use crate::ui::Ui;
use crate::web::context2d;
use engine::Session;
use engine::config::knob;
use engine::train::{LrFinderConfig, LrFinderResult};
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn run(ui: Ui, result: RwSignal<Option<LrFinderResult>>, busy: RwSignal<bool>) {
    let (data, device) = {
        let l = lab();
        let lab = l.borrow();
        match (lab.session.as_ref(), lab.device.clone()) {
            (Some(s), Some(d)) => (s.dataset().clone(), d),
            _ => {
                // The session is out running a chunk: pause, and try again next frame.
                ui.running.set(false);
                let again = wasm_bindgen::closure::Closure::once_into_js(move || run(ui, result, busy));
                let _ = crate::web::window().request_animation_frame(again.unchecked_ref());
                return;
            }
        }
    };
    let cfg = ui.cfg.get_untracked();
    busy.set(true);
    leptos::task::spawn_local(async move {
        match Session::lr_range_test(&cfg, data, device, LrFinderConfig::default()).await {
            Ok(r) => result.set(Some(r)),
            Err(e) => ui.notice(ui.texts.with_untracked(|t| t.engine_error(&e))),
        }
        busy.set(false);
    });
}

/// Loss (smoothed, up to the blow-up) against log10 of the learning rate, suggestion marked.
fn draw(canvas: &web_sys::HtmlCanvasElement, r: &LrFinderResult) {
    let Some(ctx) = context2d(canvas) else { return };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let n = r.smoothed.len().min(r.lrs.len());
    if n < 2 {
        return;
    }
    let xs: Vec<f64> = r.lrs[..n].iter().map(|l| l.log10()).collect();
    let ys: Vec<f64> = r.smoothed[..n].iter().map(|&v| v as f64).collect();
    let (x0, x1) = (xs[0], xs[n - 1].max(xs[0] + 1e-9));
    let (y0, y1) = ys
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &y| (a.min(y), b.max(y)));
    let pad = 8.0;
    let px = |x: f64| pad + (x - x0) / (x1 - x0) * (w - 2.0 * pad);
    let py = |y: f64| h - pad - (y - y0) / (y1 - y0).max(1e-9) * (h - 2.0 * pad);
    ctx.set_stroke_style_str("#1f6feb");
    ctx.set_line_width(2.0);
    ctx.begin_path();
    for (i, (&x, &y)) in xs.iter().zip(&ys).enumerate() {
        if i == 0 {
            ctx.move_to(px(x), py(y));
        } else {
            ctx.line_to(px(x), py(y));
        }
    }
    ctx.stroke();
    if let Some(s) = r.suggested {
        ctx.set_stroke_style_str("#b42318");
        ctx.set_line_width(1.0);
        ctx.begin_path();
        ctx.move_to(px(s.log10()), pad);
        ctx.line_to(px(s.log10()), h - pad);
        ctx.stroke();
    }
}

#[component]
pub fn LrFinder(ui: Ui) -> impl IntoView {
    let result = RwSignal::new(None::<LrFinderResult>);
    let busy = RwSignal::new(false);
    let canvas: NodeRef<Canvas> = NodeRef::new();
    Effect::new(move |_| {
        if let (Some(c), Some(r)) = (canvas.get(), result.get().as_ref()) {
            draw(&c, r);
        }
    });
    // A new run (other data or model) makes an old suggestion meaningless.
    Effect::new(move |_| {
        ui.cfg.track();
        result.set(None);
    });
    let suggestion = move || result.with(|r| r.as_ref().and_then(|r| r.suggested));
    let use_it = move |_| {
        if let (Some(lr), Some(k)) = (suggestion(), knob("lr")) {
            crate::controls::apply(ui, k, &format!("{lr:.2e}"));
        }
    };
    view! {
        <div class="tool lr-finder">
            <button data-testid="lr-finder" disabled=move || busy.get() on:click=move |_| run(ui, result, busy)>
                {move || ui.texts.with(|t| t.get("ui.lr_finder"))}
            </button>
            <Show when=move || result.with(Option::is_some)>
                <canvas node_ref=canvas data-testid="lr-finder-chart" width="260" height="110"></canvas>
                <p class="oneline" data-testid="lr-finder-result">{move || match suggestion() {
                    Some(lr) => ui.texts.with(|t| t.fmt("ui.lr_finder_result", &[("lr", format!("{lr:.2e}"))])),
                    None => ui.t("ui.lr_finder_none"),
                }}</p>
                <Show when=move || suggestion().is_some()>
                    <button data-testid="lr-finder-use" on:click=use_it>{move || ui.texts.with(|t| t.get("ui.lr_finder_use"))}</button>
                </Show>
            </Show>
        </div>
    }
}
