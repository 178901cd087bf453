//! `?bench=parity&backend=<webgpu|cpu>[&steps=N][&case=NAME]`: the engine's parity cases
//! (`engine::train::parity`) on this browser's device: each trained on burn's path and on the
//! fused path (chunks of 7 and of 1), compared. Publishes `{ cases: [{ name, chunk, fused,
//! mismatches, spread }], tolerance, error }` as `window.losslab.bench`.

use super::assets::fetch_digits;
use super::bench::{device_for, param, publish};
use crate::platform::web;
use engine::config::DatasetKind;
use engine::data::Assets;
use engine::train::parity::{self, CHUNKS, Tolerance, trace};
use serde_json::{Value, json};

/// Runs the cases and publishes the comparison.
pub async fn run() {
    let backend_id = web::param("backend").unwrap_or_else(|| "cpu".into());
    let result = match cases(&backend_id).await {
        Ok((cases, tol)) => json!({
            "workload": "parity",
            "backend": backend_id,
            "cases": cases,
            "tolerance": { "loss": tol.loss, "eval": tol.eval, "grad_norm": tol.grad_norm, "weight_norm": tol.weight_norm, "param": tol.param },
            "error": null,
        }),
        Err(e) => json!({ "workload": "parity", "backend": backend_id, "cases": [], "error": e }),
    };
    publish("bench", &result);
}

async fn cases(backend_id: &str) -> Result<(Vec<Value>, Tolerance), String> {
    let steps = param::<usize>("steps").unwrap_or(parity::STEPS);
    let only = web::param("case");
    let tol = if backend_id == "webgpu" {
        Tolerance::WEBGPU
    } else {
        Tolerance::CPU
    };
    // One device for every case: WebGPU is set up once per page.
    let device = device_for(backend_id).await?;
    let mut assets = Assets::default();
    let mut out = Vec::new();
    for (name, cfg) in parity::cases() {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        if cfg.data.dataset == DatasetKind::Digits && assets.digits.is_none() {
            assets.digits = Some(fetch_digits().await?);
        }
        let err = |e: engine::EngineError| format!("{name}: {e}");
        let burn = trace(&cfg, &assets, device.clone(), false, CHUNKS[0], steps)
            .await
            .map_err(err)?;
        for chunk in CHUNKS {
            let fused = trace(&cfg, &assets, device.clone(), true, chunk, steps)
                .await
                .map_err(err)?;
            let (mismatches, s) = parity::compare(name, &burn, &fused, tol);
            out.push(json!({
                "name": name,
                "chunk": chunk,
                "fused": fused.fused,
                "burn_fused": burn.fused,
                "steps": fused.step,
                "first_loss": fused.losses.first(),
                "last_loss": fused.losses.last(),
                "mismatches": mismatches.iter().take(5).collect::<Vec<_>>(),
                "spread": { "loss": s.loss, "eval": s.eval, "grad_norm": s.grad_norm, "weight_norm": s.weight_norm, "param": s.param },
            }));
            web::next_task().await;
        }
    }
    Ok((out, tol))
}
