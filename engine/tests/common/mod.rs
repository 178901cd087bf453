//! Helpers for the engine's integration tests: run a config for a number of steps natively.
#![allow(dead_code)]

use engine::data::Assets;
use engine::{Device, RunConfig, Session};

pub fn session(cfg: &RunConfig) -> Session {
    session_with(cfg, &Assets::default())
}

pub fn session_with(cfg: &RunConfig, assets: &Assets) -> Session {
    Session::new(cfg.clone(), assets, Device::flex()).expect("valid config")
}

/// Trains `steps` steps in chunks of 50 and returns the session.
pub fn train(cfg: &RunConfig, steps: usize) -> Session {
    train_with(cfg, &Assets::default(), steps)
}

/// [`train`] with files (a CSV) in the assets.
pub fn train_with(cfg: &RunConfig, assets: &Assets, steps: usize) -> Session {
    let mut s = session_with(cfg, assets);
    let mut left = steps;
    while left > 0 && s.status().is_running() {
        let r = pollster::block_on(s.run_chunk(left.min(50))).expect("chunk runs");
        left -= r.train_loss.len().min(left);
        if r.train_loss.is_empty() {
            break;
        }
    }
    s
}

/// Every step's training loss (the tests' runs are short enough to be held exactly).
pub fn losses(s: &Session) -> Vec<f32> {
    let h = &s.history().train_loss;
    assert!(
        h.is_exact(),
        "a test run longer than the curves' full-resolution window"
    );
    h.recent().map(|p| p.value).collect()
}

/// Mean of the last `n` training losses.
pub fn tail_loss(s: &Session, n: usize) -> f32 {
    let l = losses(s);
    let t = &l[l.len().saturating_sub(n)..];
    t.iter().sum::<f32>() / t.len().max(1) as f32
}

pub fn last_eval(s: &Session) -> engine::train::EvalPoint {
    *s.history().evals.last().expect("at least one evaluation")
}
