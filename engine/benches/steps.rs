//! Training steps per second of the named workloads on the CPU backend (flex).
//!
//! `cargo bench -p engine --bench steps [-- toy mlp ...]`. Each step reads its loss back, as the
//! live UI does at its smallest chunk; a second column reads back once per 50 steps.
//!
//! `cargo bench -p engine --bench steps -- --long 'dataset=digits&hidden=32' [steps]`: one run of
//! that URL query for many steps (200,000 by default), its steps/s per tenth: a run must not get
//! slower the longer it trains (e.g. from float arithmetic on subnormal numbers).

use engine::Device;
use engine::Session;
use engine::data::Assets;
use engine::workloads::{NAMES, workload};
use std::time::{Duration, Instant};

fn steps_per_s(name: &str, chunk: usize, budget: Duration) -> (f64, f32, f32) {
    let cfg = workload(name).expect("known workload");
    let mut s = Session::new(cfg, &Assets::default(), Device::flex()).expect("valid workload");
    let first = pollster::block_on(s.run_chunk(chunk)).expect("runs").train_loss[0];
    let (start, mut steps, mut last) = (Instant::now(), 0usize, first);
    while start.elapsed() < budget {
        let r = pollster::block_on(s.run_chunk(chunk)).expect("runs");
        steps += r.train_loss.len();
        last = *r.train_loss.last().unwrap_or(&last);
    }
    (steps as f64 / start.elapsed().as_secs_f64(), first, last)
}

/// Steps/s of one run of `query`, per tenth of `total` steps, in chunks of 500.
fn long_run(query: &str, total: usize) {
    let cfg = engine::RunConfig::from_query(query).expect("a valid query");
    let mut s = Session::new(cfg, &Assets::default(), Device::flex()).expect("a valid run");
    println!("{query}: steps/s per {} steps", total / 10);
    let mut line = Vec::new();
    for _ in 0..10 {
        let (start, mut steps) = (Instant::now(), 0);
        while steps < total / 10 {
            steps += pollster::block_on(s.run_chunk(500))
                .expect("runs")
                .train_loss
                .len()
                .max(1);
        }
        line.push(format!("{:.0}", steps as f64 / start.elapsed().as_secs_f64()));
    }
    println!("{}", line.join(" "));
}

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = all.iter().position(|a| a == "--long") {
        let query = all.get(i + 1).map_or("", String::as_str);
        let total = all.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(200_000);
        long_run(query, total);
        return;
    }
    let args: Vec<String> = all.into_iter().filter(|a| !a.starts_with('-')).collect();
    let budget = Duration::from_secs(3);
    println!(
        "{:<8} {:>16} {:>18} {:>11} {:>11}",
        "workload", "steps/s (chunk 1)", "steps/s (chunk 50)", "first loss", "last loss"
    );
    for name in NAMES
        .iter()
        .filter(|n| args.is_empty() || args.iter().any(|a| a == *n))
    {
        let (one, first, _) = steps_per_s(name, 1, budget);
        let (fifty, _, last) = steps_per_s(name, 50, budget);
        println!("{name:<8} {one:>16.0} {fifty:>18.0} {first:>11.4} {last:>11.4}");
    }
}
