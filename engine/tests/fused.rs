//! The fused CPU path gives the burn path's results (up to float rounding; the cases and the
//! comparison are `engine::train::parity`'s, which the browser suite runs on WebGPU), and is
//! used only where it applies.

mod common;
use common::*;
use engine::config::{Arch, DatasetKind, OptimizerKind};
use engine::data::Assets;
use engine::train::parity::{CHUNKS, STEPS, Tolerance, cases, compare, trace};
use engine::workloads::workload;
use engine::{Device, RunConfig, Session, Status};

/// Runs `steps` in chunks of `chunk`, fused or not; returns the session.
fn run(cfg: &RunConfig, fused: bool, chunk: usize, steps: usize) -> Session {
    let mut s = session(cfg);
    s.set_fused(fused);
    assert_eq!(s.uses_fused(), fused, "fused path availability");
    let mut left = steps;
    while left > 0 && s.status().is_running() {
        let r = pollster::block_on(s.run_chunk(left.min(chunk))).expect("chunk runs");
        if r.train_loss.is_empty() {
            break;
        }
        left -= r.train_loss.len().min(left);
    }
    s
}

#[test]
fn fused_matches_burn() {
    let assets = Assets::default();
    for (name, cfg) in cases() {
        let device = Device::flex;
        let burn = pollster::block_on(trace(&cfg, &assets, device(), false, CHUNKS[0], STEPS)).unwrap();
        assert!(!burn.fused, "{name}");
        for chunk in CHUNKS {
            let f = pollster::block_on(trace(&cfg, &assets, device(), true, chunk, STEPS)).unwrap();
            assert!(f.fused, "{name}: the fused path applies");
            let (bad, _) = compare(&format!("{name} chunk {chunk}"), &burn, &f, Tolerance::CPU);
            assert!(bad.is_empty(), "{}", bad.join("\n"));
        }
    }
}

#[test]
fn fused_replays_exactly_whatever_the_chunks() {
    for (name, cfg) in cases() {
        let a = losses(&run(&cfg, true, 7, STEPS));
        let b = losses(&run(&cfg, true, 1, STEPS));
        let c = losses(&run(&cfg, true, 50, STEPS));
        assert_eq!(a, b, "{name}");
        assert_eq!(a, c, "{name}");
    }
}

#[test]
fn divergence_is_caught_at_the_same_step() {
    let mut diverged = 0;
    for lr in [100.0, 1000.0] {
        for opt in [OptimizerKind::Sgd, OptimizerKind::Momentum] {
            for init in engine::config::Init::ALL {
                let mut cfg = RunConfig::default();
                cfg.train.lr = lr;
                cfg.train.optimizer = opt;
                cfg.model.init = init;
                let (b, f) = (run(&cfg, false, 7, 300), run(&cfg, true, 7, 300));
                assert_eq!(b.status(), f.status(), "{lr} {opt:?} {init:?}");
                assert_eq!(losses(&b).len(), losses(&f).len());
                diverged += matches!(f.status(), Status::Diverged { .. }) as usize;
            }
        }
    }
    assert!(diverged >= 4, "{diverged} runs diverged");
}

#[test]
fn non_qualifying_configs_keep_burn() {
    let mut cases: Vec<(&str, RunConfig)> = Vec::new();
    let mut c = RunConfig::default();
    c.model.dropout = 0.2;
    cases.push(("dropout", c));
    let mut c = RunConfig::default();
    c.model.batch_norm = true;
    cases.push(("batch norm", c));
    let mut c = RunConfig::default();
    c.data.dataset = DatasetKind::Digits;
    c.data.image_size = 28;
    c.model.arch = Arch::Cnn;
    c.model.hidden = vec![];
    cases.push(("cnn", c));
    let mut c = RunConfig::default();
    c.data.dataset = DatasetKind::Plane;
    cases.push(("regression", c));
    let mut c = RunConfig::default();
    c.bugs.relu_before_softmax = true;
    cases.push(("relu_before_softmax", c));
    let mut c = RunConfig::default();
    c.bugs.double_softmax = true;
    cases.push(("double_softmax", c));
    let mut c = RunConfig::default();
    c.train.clip_norm = 1.0;
    cases.push(("clip", c));
    let mut c = RunConfig::default();
    c.model.hidden = vec![256, 256];
    c.train.batch_size = 256;
    cases.push(("large", c));
    for (name, cfg) in cases {
        assert!(!session(&cfg).uses_fused(), "{name} must not use the fused path");
    }
    assert!(session(&workload("toy").unwrap()).uses_fused());
}
