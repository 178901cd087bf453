//! Diagnose, try, verify: on runs with a known mistake (plain URLs, as in
//! `diagnosis_untuned.rs`), the first remedy the page offers for the first finding, applied
//! and trained as long as the run it came from, makes that finding go away. Each run is read
//! as the app reads it: a `Diagnoser` updated after every chunk.

mod common;

use engine::RunConfig;
use engine::diagnose::{Context, Diagnoser, Finding, Symptom, remedies};

/// Steps per chunk, as the app's diagnosis sees the curves (roughly).
const CHUNK: usize = 25;

/// The findings shown at the end of `cfg`'s run (it must set `max_steps`).
fn findings(cfg: &RunConfig) -> Vec<Finding> {
    let mut s = common::session(cfg);
    let mut d = Diagnoser::default();
    while s.status().is_running() {
        pollster::block_on(s.run_chunk(CHUNK)).expect("chunk runs");
        d.update(s.history(), &Context::of(&s));
    }
    d.findings()
}

/// A run, and the findings it may lead with (the untuned set's accepted ones).
const CASES: [(&str, &[Symptom]); 6] = {
    use Symptom::*;
    [
        ("lr=1&max_steps=800", &[DeadUnits, Diverged, LossRising]),
        ("optimizer=sgd&lr=0.001&max_steps=800", &[LrTooLow, Underfitting]),
        (
            "dataset=circles&samples=150&noise=0.35&hidden=64,64&max_steps=1500",
            &[Overfitting],
        ),
        (
            "dataset=blobs&classes=3&no_shuffle=true&batch_size=16&max_steps=600",
            &[PeriodicTrain],
        ),
        (
            "unnormalized_inputs=true&max_steps=800",
            &[DeadUnits, ExplodingGradients],
        ),
        ("hidden=none&max_steps=800", &[Underfitting, StuckAtChance]),
    ]
};

/// What happened to one case: the lines to print, and a problem if any.
fn try_case(query: &str, expect: &[Symptom]) -> (String, Option<String>) {
    let cfg = RunConfig::from_query(query).expect("a valid query");
    let before = findings(&cfg);
    let Some(top) = before.first() else {
        return (
            format!("{query}: no finding"),
            Some(format!("{query}: no finding")),
        );
    };
    let ids = |fs: &[Finding]| fs.iter().map(|f| f.symptom.id()).collect::<Vec<_>>();
    let Some(remedy) = remedies(top.symptom, &cfg).into_iter().next() else {
        let line = format!("{query}: {} has no remedy", top.symptom.id());
        return (line.clone(), Some(line));
    };
    let next = remedy.apply(&cfg).expect("a remedy applies");
    let after = findings(&next);
    let gone = after.iter().all(|f| f.symptom != top.symptom);
    let line = format!(
        "{query}\n  before {:?}\n  try {} {:?}\n  after {:?}",
        ids(&before),
        remedy.id,
        remedy.set,
        ids(&after)
    );
    let problem = if !expect.contains(&top.symptom) {
        let led = top.symptom.id();
        Some(format!("{query}: led with {led}, expected one of {expect:?}"))
    } else if !gone {
        Some(format!(
            "{query}: {} is still there after {}",
            top.symptom.id(),
            remedy.id
        ))
    } else {
        None
    };
    (line, problem)
}

#[test]
fn the_first_remedy_removes_the_first_finding() {
    let results: Vec<(String, Option<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = CASES
            .iter()
            .map(|&(q, s)| scope.spawn(move || try_case(q, s)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("case thread"))
            .collect()
    });
    for (line, _) in &results {
        println!("{line}");
    }
    let problems: Vec<&String> = results.iter().filter_map(|(_, p)| p.as_ref()).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}
