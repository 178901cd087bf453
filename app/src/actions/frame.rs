//! The frame loop: chunks of steps driven by `requestAnimationFrame`, sized so no main-thread
//! task runs long; after a chunk, the decision surface, predictions and diagnosis when due.

use super::remedy;
use super::run::{reset, sync};
use crate::platform::web::{now_ms, window};
use crate::state::{Backend, Ui, lab};
use engine::diagnose::Context;
use engine::pace;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// How often the decision surface is recomputed (its grid pass is the expensive part).
const GRID_EVERY_MS: f64 = 250.0;
/// ... and at least this often, however slow the device: the surface is what learners watch.
const GRID_MAX_EVERY_MS: f64 = 10_000.0;
pub const GRID_RESOLUTION: usize = 48;
/// Steps per frame at each speed setting (the last is limited only by the frame budget).
const SPEED_CAPS: [usize; 5] = [1, 3, 10, 50, pace::MAX_CHUNK];

/// Runs one chunk of `n` steps (or fewer), then refreshes the decision surface if due.
pub fn run_chunk(ui: Ui, n: usize) {
    let l = lab();
    let (mut session, generation) = {
        let mut lab = l.borrow_mut();
        if lab.busy {
            return;
        }
        match lab.session.take() {
            Some(s) => {
                lab.busy = true;
                (s, lab.generation)
            }
            None => return,
        }
    };
    spawn_local(async move {
        let t0 = now_ms();
        let result = session.run_chunk(n).await;
        let elapsed = now_ms() - t0;
        let l = lab();
        let grid_due = {
            let lab = l.borrow();
            // Grid + diagnosis: kept under ~5 % of the time on slow devices (both cost the same
            // at any step: the diagnosis reads bounded curves).
            let every = (20.0 * (lab.timing[1] + lab.timing[2])).clamp(GRID_EVERY_MS, GRID_MAX_EVERY_MS);
            lab.grid_step != session.step() && now_ms() - lab.grid_at > every
        };
        let t1 = now_ms();
        let grid = if grid_due {
            session.plane_grid(GRID_RESOLUTION, true).await.ok().flatten()
        } else {
            None
        };
        let preds = if grid_due {
            session.predictions().await.ok().flatten()
        } else {
            None
        };
        let t2 = now_ms();
        let mut lab = l.borrow_mut();
        if lab.generation != generation {
            // The run was reset while this chunk ran (WebGPU reads back asynchronously):
            // the new run owns the session slot now, so this result is dropped.
            lab.busy = false;
            return;
        }
        match result {
            Ok(report) => {
                lab.current.history.push(&report);
                lab.current.status = report.status;
                lab.timing[0] = elapsed;
                // A session's first grid also compiles its kernels (seconds on a software WebGPU
                // adapter): a one-off that must not space the following grids minutes apart.
                if grid_due && lab.grid_step != u64::MAX {
                    lab.timing[1] = t2 - t1;
                }
                if grid_due || !report.status.is_running() {
                    // At the grid's pace, not every frame: findings need not move faster.
                    let t3 = now_ms();
                    let ctx = Context::of(&session);
                    let lab = &mut *lab;
                    let findings = lab.diagnoser.update(&lab.current.history, &ctx);
                    lab.timing[2] = now_ms() - t3;
                    let ended = !report.status.is_running();
                    remedy::observe(ui, &lab.current.cfg, session.step(), ended, &findings);
                    if ui.findings.with_untracked(|f| *f != findings) {
                        ui.findings.set(findings);
                    }
                }
                // The next chunk: within the frame, or spanning frames where the main thread
                // only waits for the GPU (see `engine::pace`).
                let ran = report.train_loss.len();
                lab.chunk = if lab.backend == Backend::WebGpu && session.uses_fused() {
                    pace::waiting_chunk(ran, elapsed)
                } else {
                    pace::blocking_chunk(ran, elapsed, lab.timing[3])
                };
            }
            Err(e) => {
                ui.notice(e.to_string());
                if matches!(e, engine::EngineError::Device(_)) && lab.backend == Backend::WebGpu {
                    // A lost GPU: keep this run's curves as a pinned run and go on on the CPU.
                    lab.backend = Backend::Cpu;
                    lab.device = Some(engine::backend::cpu());
                    lab.pin();
                    lab.busy = false;
                    drop(lab);
                    ui.backend.set(Backend::Cpu);
                    ui.notice(ui.tr("ui.backend_lost"));
                    reset(ui);
                    return;
                }
            }
        }
        if grid_due {
            lab.grid = grid;
            lab.grid_at = now_ms();
            lab.grid_step = session.step();
            ui.preds.set(preds);
            ui.data_tick.update(|t| *t += 1);
        }
        lab.session = Some(session);
        lab.busy = false;
        drop(lab);
        sync(ui);
    });
}

/// Starts the `requestAnimationFrame` loop that trains while `running` is on.
pub fn start_loop(ui: Ui) {
    type Frame = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;
    let frame: Frame = Rc::new(RefCell::new(None));
    let again = frame.clone();
    *frame.borrow_mut() = Some(Closure::new(move || {
        if ui.running.get_untracked() {
            let cap = SPEED_CAPS[ui.speed.get_untracked().clamp(1, SPEED_CAPS.len()) - 1];
            let n = lab().borrow().chunk.min(cap);
            run_chunk(ui, n);
        }
        update_rate(ui);
        if let Some(cb) = again.borrow().as_ref() {
            let _ = window().request_animation_frame(cb.as_ref().unchecked_ref());
        }
    }));
    if let Some(cb) = frame.borrow().as_ref() {
        let _ = window().request_animation_frame(cb.as_ref().unchecked_ref());
    }
    std::mem::forget(frame);
}

/// Steps per second over the last half second (or longer, see below).
fn update_rate(ui: Ui) {
    let l = lab();
    let mut lab = l.borrow_mut();
    let now = now_ms();
    let step = lab.current.history.last_step();
    let (t, s) = lab.rate;
    let elapsed = now - t;
    // A slow device (SwiftShader, a first WebGPU kernel compile) can take longer than the window
    // for one step: the window then stretches until a step lands (up to 5 s) rather than read 0.
    let running = ui.running.get_untracked();
    if elapsed >= 500.0 && (step != s || elapsed >= 5000.0 || !running) {
        let rate = if step >= s {
            (step - s) as f64 * 1000.0 / elapsed
        } else {
            0.0
        };
        lab.rate = (now, step);
        drop(lab);
        ui.steps_per_s.set(if running { rate } else { 0.0 });
    }
}
