//! Healthy runs learn, and runs replay exactly.

mod common;
use common::*;
use engine::RunConfig;
use engine::config::{Arch, DatasetKind, OptimizerKind};

fn healthy(dataset: DatasetKind) -> RunConfig {
    let mut c = RunConfig::default();
    c.data.dataset = dataset;
    c.model.hidden = vec![16, 16];
    c.train.lr = 0.01;
    c.train.eval_every = 50;
    c
}

#[test]
fn healthy_mlps_learn_the_toy_sets() {
    for (ds, steps, target) in [
        (DatasetKind::Circles, 300, 0.95),
        (DatasetKind::Xor, 300, 0.93),
        (DatasetKind::Spiral, 1500, 0.9),
        (DatasetKind::Moons, 300, 0.93),
        (DatasetKind::Blobs, 200, 0.9),
    ] {
        let s = train(&healthy(ds), steps);
        let acc = last_eval(&s).val_acc.unwrap();
        assert!(
            acc >= target,
            "{ds:?}: validation accuracy {acc} after {steps} steps"
        );
    }
}

#[test]
fn three_arm_spiral_learns() {
    let mut c = healthy(DatasetKind::Spiral);
    c.data.classes = 3;
    c.data.samples = 600;
    c.model.hidden = vec![32, 32];
    let s = train(&c, 2000);
    assert!(last_eval(&s).val_acc.unwrap() > 0.85, "{:?}", last_eval(&s));
}

#[test]
fn regression_sets_fit_with_mse() {
    for ds in [DatasetKind::Plane, DatasetKind::Gaussians] {
        let mut c = healthy(ds);
        c.data.noise = 0.0;
        let s = train(&c, 1500);
        let first = s.history().evals[0].val_loss;
        let last = last_eval(&s);
        assert!(last.val_acc.is_none());
        assert!(
            last.val_loss < 0.3 * first && last.val_loss < 0.05,
            "{ds:?}: {first} -> {}",
            last.val_loss
        );
    }
}

#[test]
fn digits_mlp_and_cnn_beat_chance() {
    let mut c = healthy(DatasetKind::Digits);
    c.model.hidden = vec![64];
    c.train.lr = 0.003;
    c.train.batch_size = 64;
    let s = train(&c, 300);
    assert!(last_eval(&s).val_acc.unwrap() > 0.85, "mlp {:?}", last_eval(&s));

    c.model.arch = Arch::Cnn;
    c.model.hidden = vec![];
    let s = train(&c, 200);
    assert!(last_eval(&s).val_acc.unwrap() > 0.5, "cnn {:?}", last_eval(&s));
}

#[test]
fn same_seed_same_curve_different_seed_different_curve() {
    let mut c = healthy(DatasetKind::Spiral);
    c.model.dropout = 0.2;
    c.model.batch_norm = true;
    let a = losses(&train(&c, 120));
    let b = losses(&train(&c, 120));
    assert_eq!(a, b);
    c.seed = 2;
    assert_ne!(a, losses(&train(&c, 120)));
}

#[test]
fn chunk_sizes_do_not_change_the_run() {
    let mut c = healthy(DatasetKind::Circles);
    c.train.optimizer = OptimizerKind::Momentum;
    c.train.patience = 3;
    let whole = train(&c, 200);
    let mut s = session(&c);
    let mut done = 0;
    for chunk in [1, 7, 13, 2, 50, 3].iter().cycle() {
        if done >= 200 || !s.status().is_running() {
            break;
        }
        done += pollster::block_on(s.run_chunk(*chunk)).unwrap().train_loss.len();
    }
    assert_eq!(losses(&whole)[..done.min(200)], losses(&s)[..done.min(200)]);
    assert_eq!(whole.history().evals[..3], s.history().evals[..3]);
}

#[test]
fn every_optimizer_and_schedule_trains() {
    use engine::config::ScheduleKind::*;
    for (opt, lr) in [
        (OptimizerKind::Sgd, 0.3),
        (OptimizerKind::Momentum, 0.05),
        (OptimizerKind::Nesterov, 0.05),
        (OptimizerKind::Adam, 0.01),
        (OptimizerKind::AdamW, 0.01),
        (OptimizerKind::RmsProp, 0.01),
    ] {
        for sched in [Constant, Step, Cosine, CosineRestarts] {
            let mut c = healthy(DatasetKind::Circles);
            c.train.optimizer = opt;
            c.train.lr = lr;
            c.train.schedule = sched;
            c.train.lr_period = 100;
            c.train.warmup = 20;
            c.train.weight_decay = 1e-4;
            c.train.clip_norm = 5.0;
            let s = train(&c, 300);
            assert!(
                last_eval(&s).val_acc.unwrap() > 0.9,
                "{opt:?} {sched:?}: {:?}",
                last_eval(&s)
            );
        }
    }
}

#[test]
fn chunk_report_carries_lr_and_layer_norms() {
    let mut c = healthy(DatasetKind::Xor);
    c.train.warmup = 10;
    c.train.eval_every = 10;
    let mut s = session(&c);
    let r = pollster::block_on(s.run_chunk(10)).unwrap();
    assert_eq!(r.first_step, 1);
    assert_eq!(r.train_loss.len(), 10);
    assert!((r.lr[0] as f64 - 0.001).abs() < 1e-9 && (r.lr[9] as f64 - 0.01).abs() < 1e-9);
    let layers = r.layers.expect("norms once per chunk");
    assert_eq!(layers.grad_norms.len(), 3);
    assert!(
        layers
            .grad_norms
            .iter()
            .chain(&layers.weight_norms)
            .all(|v| v.is_finite() && *v > 0.0)
    );
    assert_eq!(s.history().layer_names, ["hidden1", "hidden2", "output"]);
    assert_eq!(r.evals.len(), 1);
}

#[test]
fn early_stopping_and_max_steps_end_the_run() {
    let mut c = healthy(DatasetKind::Spiral);
    c.data.samples = 80;
    c.data.noise = 0.5;
    c.model.hidden = vec![128, 128];
    c.train.patience = 3;
    c.train.eval_every = 20;
    let s = train(&c, 5000);
    match s.status() {
        engine::Status::EarlyStopped { step, best_step } => {
            assert!(
                step < 5000 && best_step < step && step % 20 == 0,
                "{step} {best_step}"
            );
            assert_eq!(s.step(), step);
        }
        other => panic!("expected early stop, got {other:?}"),
    }
    let mut c = healthy(DatasetKind::Xor);
    c.train.max_steps = 77;
    let s = train(&c, 500);
    assert_eq!(s.status(), engine::Status::Finished { step: 77 });
    assert_eq!(losses(&s).len(), 77);
}

#[test]
fn decision_surface_and_predictions() {
    let mut s = train(&healthy(DatasetKind::Circles), 300);
    let g = pollster::block_on(s.plane_grid(20, true)).unwrap().unwrap();
    assert_eq!(g.values.len(), 400 * 2);
    assert!(g.values.chunks(2).all(|p| (p[0] + p[1] - 1.0).abs() < 1e-4));
    // The centre is one class, the corners the other.
    let centre = g.values[(10 * 20 + 10) * 2];
    let corner = g.values[0];
    assert!((centre - 0.5).abs() > 0.3 && (corner - 0.5).abs() > 0.3 && (centre > 0.5) != (corner > 0.5));
    assert_eq!(g.neurons.len(), 2);
    assert_eq!(g.neurons[0].len(), 400 * 16);
    assert_eq!(
        g.weights.iter().map(Vec::len).collect::<Vec<_>>(),
        [2 * 16, 16 * 16, 16 * 2]
    );

    let mut c = healthy(DatasetKind::Digits);
    c.model.hidden = vec![32];
    c.train.lr = 0.003;
    let mut s = train(&c, 200);
    let p = pollster::block_on(s.predictions()).unwrap().unwrap();
    assert_eq!(p.predicted.len(), s.dataset().val.len());
    assert_eq!(p.confusion.total(), p.predicted.len());
    assert_eq!(p.per_class.len(), 10);
    assert!((p.confusion.accuracy() - last_eval(&s).val_acc.unwrap()).abs() < 1e-4);
}
