//! A held-out evaluation of the diagnosis: twenty runs as a new user would try them, each a
//! plain URL of today's knobs (not a lesson preset), with the findings a teacher would accept
//! for it. The set was written before the checks it exercises were calibrated, and they were
//! calibrated on principles (what a measurement means, the lessons, the healthy runs of
//! `diagnosis.rs`), not on these runs: it measures how the diagnosis does on runs nobody tuned
//! it for. Each run is trained natively and read as the app reads it (a `Diagnoser` updated
//! after every chunk); the test prints the score table.
//!
//! What it requires: at least 18 of the 20 name an acceptable finding, the five healthy runs
//! get no finding at all, and a run read again later in its plateau does not swap the cause it
//! named for another.

mod common;

use engine::RunConfig;
use engine::diagnose::{Context, Diagnoser, Finding, KEEP, Symptom, checks};
use std::collections::BTreeSet;

/// A run and the findings that name what is wrong with it (empty: a healthy run, which must
/// get no finding).
struct Case {
    what: &'static str,
    query: &'static str,
    accept: &'static [&'static str],
}

const fn case(what: &'static str, query: &'static str, accept: &'static [&'static str]) -> Case {
    Case { what, query, accept }
}

const CASES: [Case; 20] = [
    case("healthy spiral", "max_steps=1500", &[]),
    case("healthy moons", "dataset=moons&noise=0.2&max_steps=1500", &[]),
    case(
        "healthy circles",
        "dataset=circles&samples=1000&max_steps=1200",
        &[],
    ),
    case("healthy blobs", "dataset=blobs&classes=4&max_steps=1000", &[]),
    case("healthy digits", "dataset=digits&hidden=32&max_steps=800", &[]),
    case(
        "learning rate too high",
        "lr=1&max_steps=1500",
        &[
            "dead_units",
            "diverged",
            "loss_rising",
            "exploding_gradients",
            "noisy_train",
        ],
    ),
    case(
        "learning rate too low",
        "optimizer=sgd&lr=0.001&max_steps=1500",
        &["lr_too_low", "underfitting", "init_plateau"],
    ),
    case(
        "tiny initialisation",
        "init=normal&init_std=0.001&optimizer=momentum&lr=0.05&max_steps=1500",
        &["init_plateau", "stuck_at_chance", "vanishing_gradients"],
    ),
    case(
        "deep sigmoid net",
        "hidden=32,32,32,32,32&activation=sigmoid&max_steps=1500",
        &["vanishing_gradients", "init_plateau", "underfitting"],
    ),
    case(
        "over-fitting",
        "dataset=circles&samples=150&noise=0.35&hidden=128,128&max_steps=2000",
        &["overfitting"],
    ),
    case(
        "no hidden layer",
        "hidden=none&max_steps=1500",
        &["underfitting", "stuck_at_chance"],
    ),
    case(
        "unshuffled batches",
        "dataset=blobs&classes=3&no_shuffle=true&batch_size=16&max_steps=1000",
        &["periodic_train"],
    ),
    case(
        "tiny validation set",
        "noise=0.3&val_fraction=0.02&max_steps=1500",
        &["small_val", "noisy_val"],
    ),
    case(
        "relu_before_softmax",
        "relu_before_softmax=true&dataset=blobs&classes=4&max_steps=1500",
        &["loss_floor", "underfitting", "stuck_at_chance", "dead_units"],
    ),
    case(
        "double_softmax",
        "double_softmax=true&max_steps=1500",
        &["loss_floor", "underfitting"],
    ),
    case(
        "eval_with_dropout",
        "eval_with_dropout=true&dropout=0.3&max_steps=1500",
        &["val_mismatch", "noisy_val"],
    ),
    case(
        "val_preprocessing_mismatch",
        "dataset=moons&val_preprocessing_mismatch=true&max_steps=1000",
        &["val_mismatch"],
    ),
    case(
        "unnormalized_inputs",
        "unnormalized_inputs=true&max_steps=1500",
        &["dead_units", "exploding_gradients"],
    ),
    case(
        "batch size 1",
        "batch_size=1&max_steps=1500",
        &["noisy_train", "loss_rising"],
    ),
    case(
        "40 % label noise",
        "dataset=moons&label_noise=0.4&max_steps=2000",
        &["noise_floor", "loss_floor"],
    ),
];

/// Steps per chunk, and how often the app's diagnosis reads the curves (in steps, roughly).
const CHUNK: usize = 25;

/// What one run ended with.
struct Outcome {
    shown: Vec<Finding>,
    /// Reads in the run's second half where a cause named before was replaced by another while
    /// its own evidence still held.
    swaps: Vec<String>,
}

/// The causes shown: findings nothing shown explains.
fn causes(found: &[Finding]) -> BTreeSet<Symptom> {
    found
        .iter()
        .filter(|f| f.caused_by.is_none())
        .map(|f| f.symptom)
        .collect()
}

/// Trains `query` to its end, reading the curves after every chunk as the app does; from step
/// `settled` on, compares reads a few hundred steps apart.
fn run(query: &str, settled: u64) -> Outcome {
    let cfg = RunConfig::from_query(query).expect("a valid query");
    let mut s = common::session(&cfg);
    let mut d = Diagnoser::default();
    let mut swaps = Vec::new();
    let mut before: Option<(u64, Vec<Finding>)> = None;
    while s.status().is_running() {
        pollster::block_on(s.run_chunk(CHUNK)).expect("chunk runs");
        let ctx = Context::of(&s);
        let now = d.update(s.history(), &ctx);
        if s.step() < settled || !s.step().is_multiple_of(250) {
            continue;
        }
        if let Some((step, was)) = &before {
            // A cause that left while its check still finds it likely was pushed out by
            // another: a swap on the same curve (one whose evidence faded left on its own).
            let raw = checks(s.history(), &ctx);
            let likely = |x: &Symptom| raw.iter().any(|f| f.symptom == *x && f.confidence >= KEEP);
            let shown: BTreeSet<Symptom> = now.iter().map(|f| f.symptom).collect();
            let pushed = causes(was).into_iter().any(|c| !shown.contains(&c) && likely(&c));
            let new = causes(&now).difference(&causes(was)).count() > 0;
            if pushed && new {
                swaps.push(format!(
                    "step {step} {:?} → step {} {:?}",
                    ids(was),
                    s.step(),
                    ids(&now)
                ));
            }
        }
        before = Some((s.step(), now));
    }
    Outcome {
        shown: d.findings(),
        swaps,
    }
}

fn ids(found: &[Finding]) -> Vec<String> {
    found
        .iter()
        .map(|f| match f.caused_by {
            Some(c) => format!("{} ({})", f.symptom.id(), c.id()),
            None => f.symptom.id().to_string(),
        })
        .collect()
}

#[test]
fn untuned_runs_are_diagnosed() {
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = CASES
            .iter()
            .map(|c| {
                scope.spawn(move || {
                    let max = RunConfig::from_query(c.query).unwrap().train.max_steps as u64;
                    assert!(max > 0 && max <= 2000, "{}: keep the runs short", c.what);
                    run(c.query, max / 2)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("run thread"))
            .collect()
    });
    let mut hits = 0;
    let mut problems = Vec::new();
    println!(
        "\n{:<28} {:<4} {:<5} shown (cause first; a symptom names its cause)",
        "run", "hit", "first"
    );
    for (c, o) in CASES.iter().zip(&outcomes) {
        let found = ids(&o.shown);
        let healthy = c.accept.is_empty();
        let named = |f: &Finding| c.accept.contains(&f.symptom.id());
        let hit = if healthy {
            o.shown.is_empty()
        } else {
            o.shown.iter().any(named)
        };
        let first = o.shown.first().is_some_and(named) || (healthy && hit);
        hits += hit as usize;
        println!(
            "{:<28} {:<4} {:<5} {}",
            c.what,
            if hit { "yes" } else { "NO" },
            if first { "yes" } else { "no" },
            if found.is_empty() {
                "(none)".to_string()
            } else {
                found.join(", ")
            }
        );
        if healthy && !hit {
            problems.push(format!("{}: a healthy run, but found {found:?}", c.what));
        }
        for sw in &o.swaps {
            problems.push(format!("{}: the cause changed on a settled curve: {sw}", c.what));
        }
    }
    println!("score: {hits}/{}", CASES.len());
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    assert!(
        hits >= 18,
        "only {hits} of {} runs named an acceptable finding",
        CASES.len()
    );
}

/// The example: a label-noise run read at step 3,470 and again at 3,812 named
/// "underfitting", then "lr_too_low". Read every 25 steps over its long plateau, the run must
/// keep one cause (the labels' noise floor) and never swap it.
#[test]
fn a_label_noise_run_keeps_its_cause() {
    let cfg = RunConfig::from_query("dataset=moons&label_noise=0.4&max_steps=4000").unwrap();
    let mut s = common::session(&cfg);
    let mut d = Diagnoser::default();
    let mut seen = BTreeSet::new();
    while s.status().is_running() {
        pollster::block_on(s.run_chunk(CHUNK)).expect("chunk runs");
        let now = d.update(s.history(), &Context::of(&s));
        if s.step() >= 1000 {
            seen.insert(causes(&now).into_iter().map(Symptom::id).collect::<Vec<_>>());
        }
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        vec![vec!["noise_floor"]],
        "the causes named from step 1,000 on"
    );
}

/// The signals behind the new findings come from the engine, not from the config: dead units
/// (also in the network view's grid), the evaluation-mode loss, the labels' noise floor; and
/// they do not depend on how the run was cut into chunks.
#[test]
fn the_engine_measures_what_the_curves_cannot_show() {
    let train = |q: &str, chunk: usize| {
        let cfg = RunConfig::from_query(q).unwrap();
        let mut s = common::session(&cfg);
        while s.status().is_running() {
            pollster::block_on(s.run_chunk(chunk)).expect("chunk runs");
        }
        s
    };
    // A learning rate of 1 kills most units of the second layer in the first steps.
    let mut s = train("lr=1&max_steps=300", 50);
    let share = s.dead_share();
    assert!(share.iter().any(|&d| d >= 0.5), "{share:?}");
    let first = &s.history().probes[0];
    assert!(
        first.step == 10 && first.drift.iter().any(|&d| d >= 0.6),
        "{first:?}"
    );
    let dead = s.dead_units().to_vec();
    let grid = pollster::block_on(s.plane_grid(8, true)).unwrap().unwrap();
    assert_eq!(grid.dead, dead, "the network view draws what the probe found");
    // A healthy run keeps most of its units, and its evaluation is in evaluation mode.
    let a = train("max_steps=300", 7);
    let b = train("max_steps=300", 50);
    assert_eq!(a.history().probes, b.history().probes, "whatever the chunks");
    for (e, p) in a.history().evals.iter().zip(a.history().probes.iter()) {
        assert_eq!((e.step, e.train_loss), (p.step, p.eval_mode_loss));
        assert!(p.dead.iter().all(|&d| d < 0.4) && p.clamped == 0.0, "{p:?}");
    }
    // Dropout left on at evaluation: once the model has learnt something, the evaluation's
    // figure is above evaluation mode's.
    let s = train("eval_with_dropout=true&dropout=0.3&max_steps=600", 50);
    let h = s.history();
    let later = h.evals.len() / 2;
    let above = h.evals[later..]
        .iter()
        .zip(&h.probes[later..])
        .filter(|(e, p)| e.train_loss > p.eval_mode_loss * 1.05)
        .count();
    assert!(
        above * 10 >= (h.evals.len() - later) * 8,
        "{above} of {}",
        h.evals.len() - later
    );
    // 40 % of two classes' labels flipped: a floor near H(0.4) = 0.67 nats, near chance.
    let floor = common::session(&RunConfig::from_query("dataset=moons&label_noise=0.4").unwrap())
        .noise_floor()
        .expect("a 2-D set has a floor");
    assert!((floor.loss - 0.67).abs() < 0.05, "{floor:?}");
    assert!(common::session(&RunConfig::default()).noise_floor().unwrap().loss < 0.2);
}
