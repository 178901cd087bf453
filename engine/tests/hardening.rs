//! Hardening: malformed URLs and lesson files never panic and are named in a notice; every
//! learning rate up to the maximum with every initialiser ends trained or diverged at a step.

mod common;

use engine::config::{APP_KEYS, Init, KNOBS, OptimizerKind};
use engine::lesson::Lesson;
use engine::{RunConfig, Status};

/// Values that break naive parsers.
const NASTY: &[&str] = &[
    "",
    "NaN",
    "nan",
    "-1",
    "-0",
    "0",
    "1e309",
    "-1e309",
    "1e-400",
    "inf",
    "-inf",
    "1e9",
    "1000000000",
    "99999999999999999999999",
    "0x10",
    "abc",
    "%00",
    "%ZZ",
    "%",
    "<script>alert(1)</script>",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "😀",
    "中文",
    "1,2,,3",
    ",",
    ",,,,",
    "1;2",
    "  5",
    "5 ",
    "+3",
    "3.",
    ".5",
    "1e3",
    "true",
    "null",
    "[]",
    "{}",
    "'",
    "\"",
    "\\",
    "..",
    "-",
    "=",
    "==",
];

/// A deterministic generator (xorshift), so a failing case can be replayed.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

/// At least 300 malformed queries: every knob with every nasty value, a thousand layers,
/// unknown and repeated keys, and random mixtures.
fn malformed_queries() -> Vec<String> {
    let mut qs = vec![
        "hidden=".into(),
        format!("hidden={}", vec!["8"; 1000].join(",")),
        format!("hidden={}", "1000000000"),
        "hidden=-4,-4".into(),
        "layers=1000000000".into(),
        "&&&&".into(),
        "=&=&=".into(),
        "lr".into(),
        "lr=0.1&lr=abc&lr=1e99".into(),
        format!("lr={}", "9".repeat(10_000)),
        format!("{}=1", "k".repeat(10_000)),
        "%E4%B8%AD=1&dataset=%F0%9F%98%80".into(),
        "dataset=../../etc/passwd".into(),
        "seed=-1&seed=18446744073709551616".into(),
    ];
    let keys: Vec<&str> = KNOBS.iter().map(|k| k.key).collect();
    let mut g = Gen(0x5eed);
    for (i, key) in keys.iter().enumerate() {
        qs.push(format!("{key}={}", NASTY[i % NASTY.len()]));
        qs.push(format!("{key}={}", g.pick(NASTY)));
    }
    while qs.len() < 320 {
        let n = 1 + g.next() % 5;
        let parts: Vec<String> = (0..n)
            .map(|_| match g.next() % 4 {
                0 => format!("{}={}", g.pick(&keys), g.pick(NASTY)),
                1 => format!("{}={}", g.pick(NASTY), g.pick(NASTY)),
                2 => g.pick(NASTY).to_string(),
                _ => format!("{}={}", g.pick(APP_KEYS), g.pick(NASTY)),
            })
            .collect();
        qs.push(parts.join("&"));
    }
    qs
}

#[test]
fn malformed_urls_give_a_valid_config_and_name_the_bad_key() {
    let qs = malformed_queries();
    assert!(qs.len() >= 300);
    for q in &qs {
        let (cfg, notices) = RunConfig::from_query_lenient(q);
        assert!(
            cfg.validate().is_ok(),
            "{q:?} gave an invalid config: {:?}",
            cfg.validate()
        );
        for n in &notices {
            assert!(!n.message.trim().is_empty(), "{q:?}: empty notice");
            // The notice names what was wrong: its key, as given (shortened if huge).
            let shown: String = n.key.chars().take(20).collect();
            assert!(
                n.message.contains(&shown),
                "{q:?}: notice {:?} does not name {:?}",
                n.message,
                n.key
            );
        }
        // A value that is not a number at all, for a numeric knob, is always reported.
        for kv in q.split('&') {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let numeric = matches!(k, "lr" | "batch_size" | "dropout" | "samples" | "noise");
            if numeric && matches!(v, "abc" | "NaN" | "nan" | "<script>alert(1)</script>") {
                assert!(notices.iter().any(|n| n.key == k), "{q:?}: no notice for {k}={v}");
            }
        }
    }
}

#[test]
fn a_config_from_any_malformed_url_trains() {
    // Training every one is slow-ish (digits, CNNs): every 8th, plus the huge-layer cases.
    for q in malformed_queries()
        .iter()
        .step_by(8)
        .chain(malformed_queries()[..5].iter())
    {
        let (cfg, _) = RunConfig::from_query_lenient(q);
        let s = common::train(&cfg, 3);
        assert!(s.step() > 0, "{q:?}: no step ran");
        let losses = common::losses(&s);
        assert!(losses.iter().all(|l| l.is_finite()), "{q:?}: {losses:?}");
    }
}

#[test]
fn malformed_lesson_files_are_errors_that_name_the_file() {
    let good = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../static/lessons/healthy.md"
    ))
    .expect("the healthy lesson exists");
    assert!(Lesson::parse("healthy.md", &good).is_ok());
    let mut bad: Vec<String> = vec![
        String::new(),
        "---".into(),
        "---\n---\n".into(),
        "no front matter at all".into(),
        "---\nid = \n---\n".into(),
        "---\nid = \"x\"\nlevel = \"expert\"\n---\n".into(),
        good.replace("[preset]", "[preset]\nlr = -5"),
        good.replace("[preset]", "[preset]\nhidden = [1000000000]"),
        good.replace("[preset]", "[preset]\nno_such_knob = 1"),
        good.replace("\nid = ", "\nid = 3 #"),
        good.replacen("---", "+++", 1),
        format!("{good}\n[[try]]\nset = {{ lr = \"fast\" }}\n"),
        good.replace("---", "---\u{0}"),
    ];
    // Every truncation of the front matter.
    let end = good.find("\n---").map_or(good.len(), |i| i + 4);
    bad.extend((0..end).step_by(7).map(|n| good.chars().take(n).collect()));
    for (i, src) in bad.iter().enumerate() {
        match Lesson::parse("broken.md", src) {
            Ok(_) => {} // a truncation can still be a complete lesson
            Err(e) => {
                assert_eq!(e.file, "broken.md", "case {i}");
                assert!(
                    !e.problem.to_string().trim().is_empty(),
                    "case {i}: no problem named"
                );
                assert!(e.to_string().contains("broken.md"), "case {i}: {e}");
            }
        }
    }
    // The obviously broken ones are errors.
    for src in &bad[..9] {
        assert!(Lesson::parse("broken.md", src).is_err(), "accepted:\n{src}");
    }
}

#[test]
fn every_learning_rate_and_init_ends_trained_or_diverged_at_a_step() {
    let lrs = [1e-4, 1e-2, 1.0, 10.0, 100.0, 1000.0];
    let mut diverged = Vec::new();
    for (lr, opt) in lrs
        .iter()
        .flat_map(|&lr| [(lr, OptimizerKind::Adam), (lr, OptimizerKind::Sgd)])
    {
        for init in Init::ALL {
            let mut cfg = RunConfig::default();
            cfg.train.lr = lr;
            cfg.train.optimizer = opt;
            cfg.model.init = init;
            let s = common::train(&cfg, 200);
            let losses = common::losses(&s);
            // The curve keeps only finite losses, up to the step where it blew up.
            assert!(
                losses.iter().all(|l| l.is_finite()),
                "lr {lr} {opt:?} {init:?}: a non-finite loss is drawn"
            );
            match s.status() {
                Status::Diverged { step } => {
                    diverged.push((lr, init));
                    assert_eq!(
                        losses.len() as u64,
                        step - 1,
                        "lr {lr} {opt:?} {init:?}: curve ends before step {step}"
                    )
                }
                Status::Running => assert_eq!(losses.len(), 200, "lr {lr} {opt:?} {init:?}"),
                st => panic!("lr {lr} {opt:?} {init:?}: status {st:?}"),
            }
        }
    }
    // Not vacuous: the highest rate blows up, the lowest never does.
    assert!(
        diverged.iter().any(|&(lr, _)| lr == 1000.0),
        "nothing diverged at lr 1000"
    );
    assert!(
        !diverged.iter().any(|&(lr, _)| lr < 1.0),
        "diverged at a small rate: {diverged:?}"
    );
}
