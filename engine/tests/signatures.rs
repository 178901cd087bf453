//! The curve signatures the lessons rely on are real.

mod common;
use common::*;
use engine::config::{Activation, DatasetKind, Init, OptimizerKind};
use engine::{RunConfig, Status};

fn base() -> RunConfig {
    let mut c = RunConfig::default();
    c.data.dataset = DatasetKind::Circles;
    c.train.eval_every = 25;
    c
}

#[test]
fn too_high_lr_diverges_or_rises() {
    let mut c = base();
    c.train.optimizer = OptimizerKind::Sgd;
    c.train.lr = 200.0;
    let s = train(&c, 300);
    let l = losses(&s);
    match s.status() {
        Status::Diverged { step } => {
            assert!(l.iter().all(|v| v.is_finite()), "kept curve is finite");
            assert_eq!(l.len() as u64, step - 1);
        }
        _ => assert!(
            tail_loss(&s, 20) > l[0],
            "loss should rise: {} -> {}",
            l[0],
            tail_loss(&s, 20)
        ),
    }
    // A squared-error loss grows geometrically once the LR passes 2/curvature: NaN for sure.
    c.data.dataset = DatasetKind::Plane;
    c.train.lr = 10.0;
    let s = train(&c, 300);
    assert!(
        matches!(s.status(), Status::Diverged { step } if step < 300),
        "{:?}",
        s.status()
    );
}

#[test]
fn relu_before_softmax_ends_clearly_worse() {
    let mut c = base();
    c.data.dataset = DatasetKind::Spiral;
    c.data.classes = 3;
    c.data.samples = 600;
    c.model.hidden = vec![32, 32];
    let good = train(&c, 800);
    c.bugs.relu_before_softmax = true;
    let bad = train(&c, 800);
    assert!(
        tail_loss(&bad, 50) > 1.5 * tail_loss(&good, 50),
        "{} vs {}",
        tail_loss(&bad, 50),
        tail_loss(&good, 50)
    );
}

#[test]
fn double_softmax_cannot_reach_a_low_loss() {
    let mut c = base();
    let good = train(&c, 400);
    c.bugs.double_softmax = true;
    let bad = train(&c, 400);
    // Two classes: softmax of probabilities is at best e/(e+1), a loss floor of ~0.313.
    assert!(
        tail_loss(&bad, 50) > 0.31 && tail_loss(&good, 50) < 0.2,
        "{} {}",
        tail_loss(&bad, 50),
        tail_loss(&good, 50)
    );
}

/// Steps until the training loss first falls below `frac` of its initial value.
fn steps_to_drop(c: &RunConfig, frac: f32, max: usize) -> usize {
    let l = losses(&train(c, max));
    let window = 10;
    (window..l.len())
        .find(|&i| l[i - window..i].iter().sum::<f32>() / (window as f32) < frac * l[0])
        .unwrap_or(max)
}

#[test]
fn tiny_init_plateaus_longer_than_he() {
    let mut c = base();
    c.data.dataset = DatasetKind::Xor;
    c.model.hidden = vec![16, 16, 16];
    c.train.optimizer = OptimizerKind::Sgd;
    c.train.lr = 0.1;
    let he = steps_to_drop(&c, 0.5, 3000);
    c.model.init = Init::Normal;
    c.model.init_std = 0.01;
    let tiny = steps_to_drop(&c, 0.5, 3000);
    assert!(tiny > 2 * he + 100, "tiny-init plateau {tiny} vs He {he}");
    c.model.init = Init::Zeros;
    let l = losses(&train(&c, 500));
    assert!(
        l.iter().all(|v| (v - l[0]).abs() < 0.05),
        "zeros: symmetric units never learn"
    );
}

fn gap(c: &RunConfig, steps: usize) -> f32 {
    let s = train(c, steps);
    let e: Vec<_> = s.history().evals.iter().rev().take(5).collect();
    e.iter().map(|e| e.val_loss - e.train_loss).sum::<f32>() / e.len() as f32
}

#[test]
fn dropout_and_l2_shrink_the_overfitting_gap() {
    let mut c = base();
    c.data.dataset = DatasetKind::Spiral;
    c.data.samples = 100;
    c.data.noise = 0.4;
    c.data.val_fraction = 0.5;
    c.model.hidden = vec![64, 64];
    c.train.batch_size = 50;
    let overfit = gap(&c, 1500);
    assert!(overfit > 0.5, "the preset over-fits: gap {overfit}");
    let mut d = c.clone();
    d.model.dropout = 0.5;
    let with_dropout = gap(&d, 1500);
    let mut w = c.clone();
    w.train.weight_decay = 0.01;
    w.train.optimizer = OptimizerKind::AdamW;
    let mut l2 = c.clone();
    l2.train.weight_decay = 0.003;
    let with_l2 = gap(&l2, 1500).min(gap(&w, 1500));
    assert!(
        with_dropout < 0.6 * overfit && with_l2 < 0.6 * overfit,
        "gap {overfit} → dropout {with_dropout}, L2 {with_l2}"
    );
}

/// Correlation between the loss and the loss one epoch later.
fn periodicity(c: &RunConfig) -> f32 {
    let s = train(c, 600);
    let p = s.steps_per_epoch();
    let l = &losses(&s)[100..];
    let (a, b) = (&l[..l.len() - p], &l[p..]);
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    let (ma, mb) = (mean(a), mean(b));
    let cov: f32 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f32 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f32 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn no_shuffle_gives_a_periodic_training_loss() {
    let mut c = base();
    c.data.dataset = DatasetKind::Spiral;
    c.data.classes = 3;
    c.data.samples = 300;
    c.train.batch_size = 16;
    c.train.optimizer = OptimizerKind::Sgd;
    c.train.lr = 0.05;
    let shuffled = periodicity(&c);
    c.bugs.no_shuffle = true;
    let ordered = periodicity(&c);
    assert!(
        ordered > 0.5 && shuffled < 0.3,
        "ordered {ordered}, shuffled {shuffled}"
    );
}

#[test]
fn unnormalized_inputs_train_worse() {
    let mut c = base();
    c.data.dataset = DatasetKind::Spiral;
    let good = train(&c, 1000);
    c.bugs.unnormalized_inputs = true;
    let bad = train(&c, 1000);
    let (g, b) = (last_eval(&good), last_eval(&bad));
    assert!(
        matches!(bad.status(), Status::Diverged { .. }) || b.val_loss > g.val_loss + 0.2,
        "{g:?} vs {b:?}"
    );
}

#[test]
fn validation_preprocessing_mismatch_and_eval_with_dropout_show_on_validation() {
    let mut c = base();
    let good = last_eval(&train(&c, 300));
    c.bugs.val_preprocessing_mismatch = true;
    let bad = last_eval(&train(&c, 300));
    assert!(
        bad.val_acc.unwrap() < good.val_acc.unwrap() - 0.2,
        "{good:?} vs {bad:?}"
    );
    assert!(
        (bad.train_acc.unwrap() - good.train_acc.unwrap()).abs() < 0.05,
        "training is unaffected"
    );

    let mut c = base();
    c.model.hidden = vec![32, 32];
    c.model.dropout = 0.5;
    c.train.eval_every = 5;
    let clean = train(&c, 400);
    c.bugs.eval_with_dropout = true;
    let noisy = train(&c, 400);
    let jitter = |s: &engine::Session| {
        let v: Vec<f32> = s
            .history()
            .evals
            .iter()
            .rev()
            .take(30)
            .map(|e| e.val_loss)
            .collect();
        v.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f32>() / (v.len() - 1) as f32
    };
    assert!(
        jitter(&noisy) > 2.0 * jitter(&clean),
        "{} vs {}",
        jitter(&noisy),
        jitter(&clean)
    );
}

#[test]
fn label_noise_caps_training_accuracy() {
    let mut c = base();
    c.data.label_noise = 0.3;
    c.model.hidden = vec![8];
    c.model.activation = vec![Activation::Tanh];
    let s = train(&c, 400);
    let e = last_eval(&s);
    assert!(e.train_acc.unwrap() < 0.85 && e.val_acc.unwrap() > 0.85, "{e:?}");
}

#[test]
fn lr_finder_suggests_a_rate_that_trains() {
    let mut c = base();
    c.model.hidden = vec![32, 32];
    c.train.optimizer = OptimizerKind::Sgd;
    let s = session(&c);
    let r = pollster::block_on(engine::Session::lr_range_test(
        &c,
        s.dataset().clone(),
        engine::Device::flex(),
        Default::default(),
    ))
    .unwrap();
    let lr = r.suggested.expect("a suggestion");
    let trains_well = |lr: f64| {
        let mut t = c.clone();
        t.train.lr = lr;
        last_eval(&train(&t, 400)).val_acc.unwrap() >= 0.95
    };
    let good: Vec<f64> = [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
        .into_iter()
        .filter(|&l| trains_well(l))
        .collect();
    assert!(
        good.iter().any(|&g| lr > g / 10.0 && lr < g * 10.0),
        "suggested {lr}, rates that train well: {good:?}"
    );
    assert!(trains_well(lr), "the suggested {lr} itself trains");
}
