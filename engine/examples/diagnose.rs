//! Trains configs natively and prints what the diagnosis says of their curves, every
//! confidence included, with the signals it reads beside them (the validation set's size, the
//! labels' noise floor, the first and last probes: dead units, drift, evaluation-mode loss): the
//! tool for calibrating checks and tuning lesson presets.
//!
//! `cargo run -p engine --example diagnose -- 'lr=3&max_steps=800' static/lessons/healthy.md`
//! An argument is a URL query (`steps=N` caps runs without `max_steps`, default 1500) or a
//! lesson file (its preset, then each "try this" step applied to the preset).

use engine::data::Assets;
use engine::diagnose::{Context, Diagnoser, diagnose_all};
use engine::lesson::Lesson;
use engine::{Device, RunConfig, Session};

fn main() {
    for arg in std::env::args().skip(1) {
        if arg.ends_with(".md") {
            let src = std::fs::read_to_string(&arg).expect("lesson file reads");
            let name = arg.rsplit('/').next().unwrap_or(&arg);
            match Lesson::parse(name, &src) {
                Ok(l) => {
                    let expect: Vec<_> = l.expect.iter().map(|s| s.id()).collect();
                    report(
                        &format!("{} preset, expect {expect:?}", l.id),
                        l.preset.clone(),
                        0,
                    );
                    for (i, step) in l.steps.iter().enumerate() {
                        let expect: Vec<_> = step.expect.iter().map(|s| s.id()).collect();
                        let cfg = step.apply(&l.preset).expect("step applies");
                        report(
                            &format!("{} try {} ({}), expect {expect:?}", l.id, i + 1, step.label),
                            cfg,
                            0,
                        );
                    }
                }
                Err(e) => println!("{e}"),
            }
            continue;
        }
        let steps: usize = arg
            .split('&')
            .find_map(|kv| kv.strip_prefix("steps="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(1500);
        let query: Vec<&str> = arg.split('&').filter(|kv| !kv.starts_with("steps=")).collect();
        match RunConfig::from_query(&query.join("&")) {
            Ok(cfg) => report(&arg, cfg, steps),
            Err(e) => println!("{arg}: {e:?}"),
        }
    }
}

/// Trains in chunks of 25 (to `max_steps`, or `steps` when that is 0) and prints the shown
/// findings (with hysteresis, as the app shows them) and every raw confidence.
fn report(title: &str, cfg: RunConfig, steps: usize) {
    let limit = if cfg.train.max_steps > 0 {
        cfg.train.max_steps
    } else {
        steps
    };
    let mut s = Session::new(cfg, &Assets::default(), Device::flex()).expect("valid config");
    let mut d = Diagnoser::default();
    while s.status().is_running() && (s.step() as usize) < limit {
        let want = (limit - s.step() as usize).min(25);
        pollster::block_on(s.run_chunk(want)).expect("chunk runs");
        d.update(s.history(), &Context::of(&s));
    }
    let h = s.history();
    let e = h.evals.last();
    println!(
        "\n{title}\n  step {} {:?} | eval train loss {:.3} val loss {:.3} | acc {:?} / {:?}",
        s.step(),
        s.status(),
        e.map_or(f32::NAN, |e| e.train_loss),
        e.map_or(f32::NAN, |e| e.val_loss),
        e.and_then(|e| e.train_acc),
        e.and_then(|e| e.val_acc),
    );
    let ctx = Context::of(&s);
    let probes = &h.probes;
    let first = probes.first();
    let last = probes.last();
    println!(
        "  val {} | noise floor {:?} (chance {:.3}) | first probe {:?}\n  last probe {:?}",
        ctx.val_size,
        ctx.noise_floor,
        ctx.chance_loss(),
        first.map(|p| (p.step, &p.dead, &p.drift)),
        last,
    );
    let shown: Vec<_> = d
        .findings()
        .iter()
        .map(|f| match f.caused_by {
            Some(c) => format!("{} (from {})", f.symptom.id(), c.id()),
            None => f.symptom.id().to_string(),
        })
        .collect();
    println!("  SHOWN: {shown:?}");
    for f in diagnose_all(h, &Context::of(&s), 0.01) {
        println!(
            "  {:>5.2} {:<20} {}..{}",
            f.confidence,
            f.symptom.id(),
            f.from_step,
            f.to_step
        );
    }
}
