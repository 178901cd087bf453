//! The LR range test ("LR finder"): train briefly with an exponentially growing learning rate,
//! record the loss, and suggest a rate a decade below where the (smoothed) loss bottoms out.

use super::session::Session;
use super::step::LrPlan;
use crate::config::{RunConfig, ScheduleKind};
use crate::data::Dataset;
use crate::error::EngineError;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LrFinderConfig {
    pub min_lr: f64,
    pub max_lr: f64,
    pub steps: usize,
}

impl Default for LrFinderConfig {
    fn default() -> Self {
        Self {
            min_lr: 1e-6,
            max_lr: 10.0,
            steps: 120,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LrFinderResult {
    pub lrs: Vec<f64>,
    pub losses: Vec<f32>,
    /// Losses up to the blow-up, smoothed by a centred moving average: what the suggestion reads.
    pub smoothed: Vec<f32>,
    pub suggested: Option<f64>,
}

/// Smoothing of the noisy per-batch losses before looking for the minimum.
const BETA: f32 = 0.9;
/// The test stops reading once the smoothed loss is this many times its best: it has blown up.
const BLOW_UP: f32 = 4.0;
/// Half-width of the centred moving average that the minimum is read from.
const WINDOW: usize = 3;

impl Session {
    /// Runs the LR range test on a fresh copy of the run `cfg` describes.
    pub async fn lr_range_test(
        cfg: &RunConfig,
        data: Arc<Dataset>,
        device: Device,
        finder: LrFinderConfig,
    ) -> Result<LrFinderResult, EngineError> {
        let mut cfg = cfg.clone();
        cfg.train.schedule = ScheduleKind::Constant;
        cfg.train.warmup = 0;
        cfg.train.patience = 0;
        cfg.train.max_steps = 0;
        cfg.train.eval_every = 10_000;
        let steps = finder.steps.clamp(2, 5000);
        let mut session = Session::with_data(cfg, data, device)?;
        session.lr_plan = LrPlan::Exponential {
            min: finder.min_lr,
            max: finder.max_lr,
            steps,
        };
        let report = session.run_chunk(steps).await?;
        let lrs: Vec<f64> = (0..report.train_loss.len() as u64)
            .map(|s| session.lr_of(s))
            .collect();
        Ok(analyse(lrs, report.train_loss))
    }
}

/// Smooths the losses, cuts them where they blow up and suggests an LR.
pub fn analyse(lrs: Vec<f64>, losses: Vec<f32>) -> LrFinderResult {
    // Where the run blew up, judged on a running (causal) average so one noisy batch can't end it.
    let (mut avg, mut best, mut end) = (0.0f32, f32::INFINITY, losses.len());
    for (i, &l) in losses.iter().enumerate() {
        avg = BETA * avg + (1.0 - BETA) * l;
        let s = avg / (1.0 - BETA.powi(i as i32 + 1));
        if !s.is_finite() || s > BLOW_UP * best {
            end = i;
            break;
        }
        best = best.min(s);
    }
    // A centred average has no lag, so its minimum sits at the LR where it really happened.
    let kept = &losses[..end];
    let smoothed: Vec<f32> = (0..kept.len())
        .map(|i| {
            let w = &kept[i.saturating_sub(WINDOW)..(i + WINDOW + 1).min(kept.len())];
            w.iter().sum::<f32>() / w.len() as f32
        })
        .collect();
    let min_at = smoothed
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i);
    // At the minimum the LR is already about to destabilise training; a decade below is the
    // usual safe pick (the rule of thumb of Smith's LR range test).
    let suggested = min_at.filter(|&i| i > 0).map(|i| lrs[i] / 10.0);
    LrFinderResult {
        lrs,
        losses,
        smoothed,
        suggested,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_a_decade_below_the_minimum_and_stops_at_blow_up() {
        let lrs: Vec<f64> = (0..50).map(|i| 1e-5 * 10f64.powf(i as f64 / 10.0)).collect();
        // A valley at index 30 (lr 1e-2), exploding after 40.
        let losses: Vec<f32> = (0..50)
            .map(|i| {
                if i < 40 {
                    1.0 + ((i as f32 - 30.0) / 10.0).powi(2)
                } else {
                    1e3
                }
            })
            .collect();
        let r = analyse(lrs, losses);
        let s = r.suggested.expect("a suggestion");
        assert!(s > 5e-4 && s < 3e-3, "{s}");
        assert!(r.smoothed.len() <= 41);
    }
}
