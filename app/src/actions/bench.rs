//! The in-browser benchmark: `?bench=<toy|mlp|digits|cnn>&backend=<webgpu|cpu>`, with
//! `secs=S` (time to train, default 3) or `steps=N` (a fixed number of steps: the soak test;
//! `history=0` leaves the curve unrecorded, to measure the engine's own memory; `fused=0` keeps
//! burn's path where a fused one would run),
//! or `dump=1` (publish the workload's training data instead, for the TensorFlow.js side of
//! `tests/bench/compare.mjs`).
//!
//! `?bench=parity` (gpu.html only, either backend) is not a timing: it holds the fused paths to
//! burn's (`actions::parity`).
//!
//! It trains one of the engine's named workloads one step per chunk, so every step reads its
//! loss back as the live UI must, and publishes a JSON result in `<pre id="bench-result">` and
//! `window.losslab.bench`.

use super::assets::fetch_digits;
use crate::platform::web::{self, now_ms, window};
use crate::platform::{hook, webgpu};
use crate::state::Backend;
use crate::state::backend::HAS_WEBGPU;
use engine::Session;
use engine::config::RunConfig;
use engine::data::Assets;
use engine::workloads::workload;
use serde::Serialize;
use serde_json::{Value, json};

/// Untimed steps first: the first ones compile shaders (WebGPU) and warm caches.
const WARMUP_STEPS: usize = 3;
/// Hand the main thread back this often, so the page stays responsive while it runs.
const YIELD_MS: f64 = 100.0;

#[derive(Serialize, Default)]
struct BenchResult {
    workload: String,
    backend: String,
    steps: u64,
    total_ms: f64,
    steps_per_s: f64,
    first_loss: Option<f32>,
    last_loss: Option<f32>,
    time_to_first_step_ms: Option<f64>,
    error: Option<String>,
    /// Whether the steps ran on a fused path (plain loops on the CPU, one shader on WebGPU)
    /// rather than burn's tensor operations.
    fused: bool,
    /// Soak runs (`steps=N`): wasm memory after two tenths of the steps (warm-up: the workloads
    /// evaluate every 10,000 steps, and the first evaluation allocates its buffers) and at the
    /// end, and steps/s over the third tenth and the last tenth.
    #[serde(skip_serializing_if = "Option::is_none")]
    soak: Option<Soak>,
}

#[derive(Serialize)]
struct Soak {
    heap_bytes_warm: f64,
    heap_bytes_end: f64,
    heap_growth: f64,
    steps_per_s_start: f64,
    steps_per_s_end: f64,
}

pub fn publish(key: &str, v: &Value) {
    hook::publish(key, v);
    if key == "bench"
        && let Some(pre) = window()
            .document()
            .and_then(|d| d.get_element_by_id("bench-result"))
    {
        pre.set_text_content(Some(&v.to_string()));
    }
}

pub fn param<T: std::str::FromStr>(key: &str) -> Option<T> {
    web::param(key).and_then(|v| v.parse().ok())
}

/// Runs the benchmark `?bench=<name>` asks for and publishes its result.
pub async fn run(name: String) {
    #[cfg(feature = "webgpu")]
    if name == "parity" {
        return super::parity::run().await;
    }
    let backend_id = web::param("backend").unwrap_or_else(|| "cpu".into());
    let mut r = BenchResult {
        workload: name.clone(),
        backend: backend_id.clone(),
        ..Default::default()
    };
    let outcome = match setup(&name).await {
        Ok((cfg, assets)) if param::<u8>("dump") == Some(1) => {
            Session::new(cfg.clone(), &assets, engine::backend::cpu())
                .map(|s| publish("bench_data", &dump(&name, &cfg, &s)))
                .map_err(|e| e.to_string())
        }
        Ok((cfg, assets)) => train(cfg, &assets, &backend_id, &mut r).await,
        Err(e) => Err(e),
    };
    r.error = outcome.err();
    publish("bench", &serde_json::to_value(&r).unwrap_or(Value::Null));
}

/// The device `backend=` names.
pub async fn device_for(backend_id: &str) -> Result<engine::Device, String> {
    match Backend::from_id(backend_id) {
        Some(Backend::WebGpu) if !HAS_WEBGPU => {
            Err("this is the CPU build: WebGPU benchmarks run on gpu.html".into())
        }
        Some(Backend::WebGpu) => webgpu::webgpu_device()
            .await
            .map_err(|u| format!("WebGPU unavailable: {u:?}")),
        Some(Backend::Cpu) => Ok(engine::backend::cpu()),
        None => Err(format!("unknown backend {backend_id:?}")),
    }
}

/// The workload's config (no step limit) and the assets it needs.
async fn setup(name: &str) -> Result<(RunConfig, Assets), String> {
    let mut cfg = workload(name).ok_or_else(|| format!("unknown workload {name:?}"))?;
    cfg.train.max_steps = 0;
    let mut assets = Assets::default();
    if cfg.data.dataset.is_image() {
        assets.digits = Some(fetch_digits().await?);
    }
    Ok((cfg, assets))
}

async fn train(cfg: RunConfig, assets: &Assets, backend_id: &str, r: &mut BenchResult) -> Result<(), String> {
    let device = device_for(backend_id).await?;
    let mut s = Session::new(cfg, assets, device).map_err(|e| e.to_string())?;
    // Only the loss is read back each step (the network view's norms are not drawn here).
    s.set_layer_stats(false);
    // `fused=0`: burn's path even where a fused one applies (to measure what fusing gives).
    if param::<u8>("fused") == Some(0) {
        s.set_fused(false);
    }
    // `history=0` (soak runs): measure the engine's memory without the curve it records.
    s.set_keep_history(param::<u8>("history") != Some(0));
    let fixed_steps: Option<u64> = param("steps");
    let secs: f64 = param::<f64>("secs").unwrap_or(3.0).clamp(0.1, 600.0);

    let step = async |s: &mut Session| -> Result<f32, String> {
        let rep = s.run_chunk(1).await.map_err(|e| e.to_string())?;
        rep.train_loss
            .first()
            .copied()
            .ok_or_else(|| "no step ran".to_string())
    };
    let first = step(&mut s).await?;
    r.fused = s.uses_fused();
    r.time_to_first_step_ms = Some(now_ms());
    r.first_loss = Some(first);
    for _ in 1..WARMUP_STEPS {
        step(&mut s).await?;
    }

    let tenth = fixed_steps.map(|n| (n / 10).max(1));
    let (start, mut last_yield) = (now_ms(), now_ms());
    let (mut marks, mut heap_warm) = (Vec::new(), 0.0);
    loop {
        let done = match fixed_steps {
            Some(n) => r.steps >= n,
            None => now_ms() - start >= secs * 1000.0,
        };
        if done {
            break;
        }
        r.last_loss = Some(step(&mut s).await?);
        r.steps += 1;
        if let Some(t) = tenth
            && r.steps.is_multiple_of(t)
        {
            marks.push(now_ms());
            if r.steps == 2 * t {
                heap_warm = web::wasm_heap_bytes();
            }
        }
        if now_ms() - last_yield > YIELD_MS {
            web::next_task().await;
            last_yield = now_ms();
        }
    }
    r.total_ms = now_ms() - start;
    r.steps_per_s = r.steps as f64 * 1000.0 / r.total_ms.max(1e-9);
    if let (Some(t), [_, m2, m3, .., m9, m10]) = (tenth, marks.as_slice()) {
        let end = web::wasm_heap_bytes();
        r.soak = Some(Soak {
            heap_bytes_warm: heap_warm,
            heap_bytes_end: end,
            heap_growth: end / heap_warm.max(1.0) - 1.0,
            steps_per_s_start: t as f64 * 1000.0 / (m3 - m2),
            steps_per_s_end: t as f64 * 1000.0 / (m10 - m9),
        });
    }
    Ok(())
}

/// The exact training split and hyper-parameters, so TensorFlow.js trains on the same data.
fn dump(name: &str, cfg: &RunConfig, s: &Session) -> Value {
    let d = s.dataset();
    json!({
        "workload": name,
        "n": d.train.len(),
        "features": d.num_features,
        "image_side": if cfg.model.arch == engine::config::Arch::Cnn { d.image_side } else { None },
        "classes": d.num_classes,
        "x": d.train.x,
        "labels": d.train.labels,
        "batch_size": cfg.train.batch_size,
        "lr": cfg.train.lr,
        "optimizer": cfg.train.optimizer,
        "hidden": cfg.model.hidden,
        "arch": cfg.model.arch,
        "activation": "relu",
    })
}
