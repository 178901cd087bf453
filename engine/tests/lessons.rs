//! Every lesson file parses (with its translation), and every preset and "try this" step,
//! trained natively, is diagnosed as the lesson says: the expected symptoms appear, a healthy
//! preset gets no finding, and findings do not flicker while the run trains.

mod common;

use engine::diagnose::{Context, Diagnoser, Finding, Symptom};
use engine::lesson::{Lesson, parse_index};
use engine::{RunConfig, Status};
use std::collections::BTreeMap;
use std::path::PathBuf;

const LANGS: [&str; 1] = ["zh"];
/// Lesson runs must finish; this keeps the suite (and a learner's wait) short.
const MAX_LESSON_STEPS: usize = 6000;

fn lessons_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/lessons")
}

pub fn load_lessons() -> Vec<Lesson> {
    let dir = lessons_dir();
    let index = std::fs::read_to_string(dir.join("index.toml")).expect("index.toml");
    let ids = parse_index(&index).expect("index parses");
    ids.iter()
        .map(|id| {
            let file = format!("{id}.md");
            let src = std::fs::read_to_string(dir.join(&file)).expect(&file);
            let mut lesson = Lesson::parse(&file, &src).unwrap_or_else(|e| panic!("{e}"));
            for lang in LANGS {
                let tfile = format!("{id}.{lang}.md");
                let tsrc =
                    std::fs::read_to_string(dir.join(&tfile)).unwrap_or_else(|_| panic!("{tfile} missing"));
                let mut t = lesson.clone();
                t.translate(&tfile, &tsrc).unwrap_or_else(|e| panic!("{e}"));
            }
            lesson.id = id.clone();
            lesson
        })
        .collect()
}

/// Trains `cfg` to its end in chunks of 25, updating a [`Diagnoser`] after each chunk as the
/// app does; returns the final findings and how often each symptom came back after leaving.
fn diagnose_run(cfg: &RunConfig) -> (Vec<Finding>, BTreeMap<Symptom, usize>) {
    let mut s = common::session(cfg);
    let mut d = Diagnoser::default();
    let mut was: BTreeMap<Symptom, bool> = BTreeMap::new();
    let mut flicker: BTreeMap<Symptom, usize> = BTreeMap::new();
    let mut gone: BTreeMap<Symptom, bool> = BTreeMap::new();
    while s.status() == Status::Running {
        pollster::block_on(s.run_chunk(25)).expect("chunk runs");
        let now: Vec<Symptom> = d
            .update(s.history(), &Context::of(&s))
            .iter()
            .map(|f| f.symptom)
            .collect();
        for sym in Symptom::ALL {
            let on = now.contains(&sym);
            let before = was.get(&sym).copied().unwrap_or(false);
            if before && !on {
                gone.insert(sym, true);
            }
            if on && !before && gone.get(&sym).copied().unwrap_or(false) {
                *flicker.entry(sym).or_default() += 1;
            }
            was.insert(sym, on);
        }
    }
    (d.findings(), flicker)
}

fn check(what: &str, cfg: &RunConfig, expect: &[Symptom], healthy: bool) -> Vec<String> {
    let mut problems = vec![];
    let (found, flicker) = diagnose_run(cfg);
    let ids: Vec<&str> = found.iter().map(|f| f.symptom.id()).collect();
    for e in expect {
        if !found.iter().any(|f| f.symptom == *e) {
            problems.push(format!("{what}: expected {} but found {ids:?}", e.id()));
        }
    }
    if healthy && !found.is_empty() {
        problems.push(format!("{what}: a healthy run, but found {ids:?}"));
    }
    for (sym, n) in flicker {
        problems.push(format!(
            "{what}: {} came back {n} time(s) after leaving",
            sym.id()
        ));
    }
    problems
}

#[test]
fn the_course_has_sixteen_lessons() {
    let lessons = load_lessons();
    assert!(
        lessons.len() >= 16,
        "the course has 16 lessons, found {}",
        lessons.len()
    );
}

#[test]
fn every_lesson_is_diagnosed_as_it_says() {
    let lessons = load_lessons();
    let problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = lessons
            .iter()
            .map(|l| {
                scope.spawn(move || {
                    let steps = l.preset.train.max_steps;
                    let mut p = vec![];
                    if steps == 0 || steps > MAX_LESSON_STEPS {
                        p.push(format!(
                            "{}: preset max_steps must be 1..={MAX_LESSON_STEPS}",
                            l.id
                        ));
                        return p;
                    }
                    p.extend(check(
                        &format!("{} preset", l.id),
                        &l.preset,
                        &l.expect,
                        l.expect.is_empty(),
                    ));
                    for (i, step) in l.steps.iter().enumerate() {
                        let cfg = step.apply(&l.preset).expect("step applies");
                        p.extend(check(
                            &format!("{} try {}", l.id, i + 1),
                            &cfg,
                            &step.expect,
                            false,
                        ));
                    }
                    p
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("lesson thread"))
            .collect()
    });
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The README's complete example is a real lesson: it parses and does what it claims.
#[test]
fn the_readme_example_lesson_works() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let from = readme
        .find("### Writing a lesson")
        .expect("README has the lesson format");
    let block = &readme[from..];
    let start = block.find("```markdown\n").expect("an example block") + "```markdown\n".len();
    let end = start + block[start..].find("\n```\n").expect("the block ends");
    let lesson = Lesson::parse("dropout-demo.md", &block[start..=end]).unwrap_or_else(|e| panic!("{e}"));
    let problems = check("README example", &lesson.preset, &lesson.expect, false);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(lesson.body_html().contains("href=\"?lesson=healthy\""));
}
