//! The diagnosis on real and synthetic curves: quiet on healthy runs, right on textbook
//! shapes, a pure function, and stable (hysteresis) while a run trains.

mod common;

use engine::diagnose::{Context, Diagnoser, Symptom, diagnose};
use engine::train::EvalPoint;
use engine::{History, RunConfig, Status};

fn ctx(status: Status) -> Context {
    Context {
        regression: false,
        class_prior: vec![0.5, 0.5],
        steps_per_epoch: 12,
        status,
        val_size: 100,
        noise_floor: None,
        input_rms: 1.0,
    }
}

/// A history from a per-step loss curve; evaluations every 10 steps from `val`.
fn history(
    train: impl Fn(usize) -> f32,
    val: impl Fn(usize) -> f32,
    acc: impl Fn(usize) -> f32,
    n: usize,
) -> History {
    let mut h = History::default();
    for i in 1..=n {
        h.train_loss.push(i as u64, train(i));
        h.lr.push(i as u64, 0.01);
        if i % 10 == 0 {
            h.evals.push(EvalPoint {
                step: i as u64,
                val_loss: val(i),
                val_acc: Some(acc(i)),
                train_loss: train(i),
                train_acc: Some(acc(i)),
            });
        }
    }
    h
}

fn ids(h: &History, c: &Context) -> Vec<Symptom> {
    diagnose(h, c).iter().map(|f| f.symptom).collect()
}

#[test]
fn healthy_runs_have_no_finding() {
    for q in [
        "",
        "dataset=moons",
        "dataset=circles",
        "dataset=xor&max_steps=0",
        "dataset=blobs&classes=4",
    ] {
        let cfg = RunConfig::from_query(q).unwrap();
        let s = common::train(&cfg, 1500);
        let found: Vec<&str> = diagnose(s.history(), &Context::of(&s))
            .iter()
            .map(|f| f.symptom.id())
            .collect();
        assert!(found.is_empty(), "{q:?}: {found:?}");
    }
}

#[test]
fn textbook_shapes_are_named() {
    let running = ctx(Status::Running);
    // Exponential decay to a small loss: healthy.
    let healthy = history(
        |i| 0.05 + 0.65 * (-(i as f32) / 150.0).exp(),
        |i| 0.07 + 0.65 * (-(i as f32) / 150.0).exp(),
        |_| 0.97,
        1500,
    );
    assert_eq!(ids(&healthy, &running), vec![]);
    // Validation turns up at step ~500 while training keeps falling.
    let over = history(
        |i| 0.7 * (-(i as f32) / 200.0).exp(),
        |i| 0.2 + ((i as f32 - 500.0) / 1000.0).powi(2),
        |_| 0.9,
        1500,
    );
    assert!(
        ids(&over, &running).contains(&Symptom::Overfitting),
        "{:?}",
        ids(&over, &running)
    );
    // Flat at ln 2, accuracy at chance.
    let stuck = history(|_| 0.693, |_| 0.694, |_| 0.5, 800);
    assert!(ids(&stuck, &running).contains(&Symptom::StuckAtChance));
    // A loss that repeats itself every epoch (12 steps).
    let periodic = history(|i| 0.3 + 0.2 * ((i % 12) as f32 / 12.0), |_| 0.4, |_| 0.9, 600);
    assert!(ids(&periodic, &running).contains(&Symptom::PeriodicTrain));
    // Diverged: the status says so, the finding spans from the lowest loss to the blow-up.
    let d = history(|i| 0.7 - i as f32 * 0.001, |_| 0.6, |_| 0.8, 300);
    let f = diagnose(&d, &ctx(Status::Diverged { step: 301 }));
    assert_eq!(
        (f[0].symptom, f[0].to_step, f[0].from_step),
        (Symptom::Diverged, 301, 300)
    );
    assert_eq!(f[0].explanation_id, "curves.diverged");
}

/// A run of a million steps reads as its short form: the checks read bounded summaries of the
/// curves (constant work per check), and those keep the shapes the findings are about.
#[test]
fn long_runs_read_as_their_short_form() {
    let running = ctx(Status::Running);
    let k = 1000.0; // 1,500 steps stretched to 1,500,000
    let long = |train: fn(f32) -> f32, val: fn(f32) -> f32, acc: f32, n: usize| {
        let h = history(
            move |i| train(i as f32 / k),
            move |i| val(i as f32 / k),
            move |_| acc,
            n,
        );
        assert!(!h.train_loss.is_exact() && h.evals.len() <= engine::curves::SAMPLED_CAP);
        ids(&h, &running)
    };
    fn decay(x: f32) -> f32 {
        0.05 + 0.65 * (-x / 150.0).exp()
    }
    assert_eq!(long(decay, |x| decay(x) + 0.02, 0.97, 1_500_000), vec![]);
    let over = long(
        |x| 0.7 * (-x / 200.0).exp(),
        |x| 0.2 + ((x - 500.0) / 1000.0).powi(2),
        0.9,
        1_500_000,
    );
    assert!(over.contains(&Symptom::Overfitting), "{over:?}");
    let stuck = long(|_| 0.693, |_| 0.694, 0.5, 800_000);
    assert!(stuck.contains(&Symptom::StuckAtChance), "{stuck:?}");
    // The epoch's period is read from the recent steps at full resolution.
    let periodic = history(
        |i| 0.3 + 0.2 * ((i % 12) as f32 / 12.0),
        |_| 0.4,
        |_| 0.9,
        600_000,
    );
    assert!(ids(&periodic, &running).contains(&Symptom::PeriodicTrain));
    // Step-to-step noise too: the summaries' means would hide it.
    let noisy = history(
        |i| 0.4 + if i % 2 == 0 { 0.3 } else { -0.3 },
        |_| 0.4,
        |_| 0.8,
        600_000,
    );
    assert!(ids(&noisy, &running).contains(&Symptom::NoisyTrain));
}

#[test]
fn diagnosis_is_a_pure_function_of_the_curves() {
    let cfg = RunConfig::from_query("samples=100&hidden=64,64&noise=0.3").unwrap();
    let s = common::train(&cfg, 1200);
    let c = Context::of(&s);
    let a = diagnose(s.history(), &c);
    assert_eq!(a, diagnose(&s.history().clone(), &c.clone()));
    assert!(a.iter().any(|f| f.symptom == Symptom::Overfitting), "{a:?}");
}

#[test]
fn hysteresis_keeps_a_finding_near_its_threshold() {
    // Noise whose size swings around the noisy_train threshold from one update to the next.
    let running = ctx(Status::Running);
    let mut d = Diagnoser::default();
    let mut shown = vec![];
    for k in 0..10 {
        let amp = if k % 2 == 0 { 0.30 } else { 0.16 };
        let h = history(
            |i| 0.4 + if i % 2 == 0 { amp } else { -amp },
            |_| 0.4,
            |_| 0.8,
            400 + k * 50,
        );
        shown.push(
            d.update(&h, &running)
                .iter()
                .any(|f| f.symptom == Symptom::NoisyTrain),
        );
    }
    assert!(shown[0], "noisy from the start");
    assert!(shown.iter().all(|&s| s), "no flicker: {shown:?}");
    // Clearly gone: it leaves.
    let calm = history(|_| 0.4, |_| 0.4, |_| 0.8, 900);
    assert!(
        !d.update(&calm, &running)
            .iter()
            .any(|f| f.symptom == Symptom::NoisyTrain)
    );
}

#[test]
fn symptom_ids_are_stable_snake_case() {
    for s in Symptom::ALL {
        assert_eq!(Symptom::from_id(s.id()), Some(s));
        let json = serde_json_like(s);
        assert_eq!(json, s.id());
    }
}

/// The id serde writes (via TOML, the serializer this crate already has).
fn serde_json_like(s: Symptom) -> String {
    #[derive(serde::Serialize)]
    struct W {
        s: Symptom,
    }
    let t = toml::to_string(&W { s }).unwrap();
    t.trim().trim_start_matches("s = ").trim_matches('"').to_string()
}
