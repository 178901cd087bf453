//! The fused CPU path gives the burn path's results (up to float rounding), and is used only
//! where it applies.

mod common;
use common::*;
use engine::config::{Activation, Arch, DatasetKind, OptimizerKind};
use engine::workloads::workload;
use engine::{RunConfig, Session, Status};

const STEPS: usize = 100;

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

fn params(s: &mut Session) -> Vec<Vec<f32>> {
    s.model()
        .params
        .iter()
        .map(|p| p.clone().into_data().try_to_vec::<f32>().expect("f32 params"))
        .collect()
}

fn close(a: f32, b: f32, rel: f32) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-3) || (a.is_nan() && b.is_nan())
}

fn qualifying() -> Vec<(&'static str, RunConfig)> {
    let mut v = vec![
        ("toy", workload("toy").unwrap()),
        ("defaults", RunConfig::default()),
    ];
    let base = || {
        let mut c = RunConfig::default();
        c.train.eval_every = 10;
        c
    };
    for (name, opt) in [
        ("sgd", OptimizerKind::Sgd),
        ("momentum", OptimizerKind::Momentum),
        ("nesterov", OptimizerKind::Nesterov),
        ("adam", OptimizerKind::Adam),
        ("adamw", OptimizerKind::AdamW),
        ("rmsprop", OptimizerKind::RmsProp),
    ] {
        let mut c = base();
        c.train.optimizer = opt;
        c.train.lr = if opt == OptimizerKind::Sgd { 0.1 } else { 0.01 };
        v.push((name, c));
    }
    for (name, act) in [
        ("tanh", Activation::Tanh),
        ("sigmoid", Activation::Sigmoid),
        ("leaky", Activation::LeakyRelu),
    ] {
        let mut c = base();
        c.model.activation = vec![act, Activation::Relu];
        v.push((name, c));
    }
    let mut c = base();
    c.train.weight_decay = 0.01;
    c.train.l1 = 0.001;
    c.train.optimizer = OptimizerKind::Momentum;
    v.push(("decay", c));
    let mut c = base();
    c.bugs.no_shuffle = true;
    c.data.dataset = DatasetKind::Blobs;
    c.data.classes = 3;
    c.train.batch_size = 7;
    v.push(("no_shuffle", c));
    let mut c = base();
    c.data.dataset = DatasetKind::Digits;
    c.model.hidden = vec![16];
    c.train.patience = 2;
    v.push(("digits", c));
    v
}

#[test]
fn fused_matches_burn() {
    for (name, cfg) in qualifying() {
        let mut burn = run(&cfg, false, 7, STEPS);
        for chunk in [7, 1] {
            let mut f = run(&cfg, true, chunk, STEPS);
            assert_eq!(f.step(), burn.step(), "{name}: steps");
            assert_eq!(f.status(), burn.status(), "{name}: status");
            let (a, b) = (losses(&burn), losses(&f));
            assert_eq!(a.len(), b.len(), "{name}");
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                assert!(close(*x, *y, 1e-3), "{name} chunk {chunk}: loss {i}: {x} vs {y}");
            }
            let (ea, eb) = (&burn.history().evals, &f.history().evals);
            assert_eq!(ea.len(), eb.len(), "{name}: evals");
            for (x, y) in ea.iter().zip(eb) {
                assert_eq!(x.step, y.step);
                assert!(close(x.val_loss, y.val_loss, 1e-3), "{name}: {x:?} vs {y:?}");
            }
            let (la, lb) = (burn.history().layers.last(), f.history().layers.last());
            let (la, lb) = (la.expect("layer stats"), lb.expect("layer stats"));
            assert_eq!(la.step, lb.step);
            for (x, y) in la.grad_norms.iter().zip(&lb.grad_norms) {
                assert!(close(*x, *y, 1e-2), "{name}: grad norms {la:?} vs {lb:?}");
            }
            for (x, y) in la.weight_norms.iter().zip(&lb.weight_norms) {
                assert!(close(*x, *y, 1e-3), "{name}: weight norms {la:?} vs {lb:?}");
            }
            for (pa, pb) in params(&mut burn).iter().zip(params(&mut f)) {
                for (x, y) in pa.iter().zip(&pb) {
                    assert!(
                        (x - y).abs() <= 1e-3 * (1.0 + x.abs()),
                        "{name}: param {x} vs {y}"
                    );
                }
            }
        }
    }
}

#[test]
fn fused_replays_exactly_whatever_the_chunks() {
    for (name, cfg) in qualifying() {
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
