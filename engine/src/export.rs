//! Exports a learner can download: every run's curves as one long CSV table, and a run's
//! config as a lesson preset.

use crate::RunConfig;
use crate::curves::Series;
use crate::train::History;
use std::fmt::Write;

/// `step,run,metric,value,steps` rows for every run (metrics: train_loss, val_loss, train_acc,
/// val_acc, lr; accuracy only for classification), in run order then step order.
///
/// `steps` says each row's resolution: a long run's older training losses and learning rates
/// are kept as means (see [`crate::curves`]), and such a row is the mean of the `steps` steps
/// that end at `step`; 1 is one step's own value. Evaluation rows are always single
/// evaluations (on a long run, evenly thinned ones).
pub fn curves_csv(runs: &[(&str, &History)]) -> String {
    let mut out = String::from("step,run,metric,value,steps\n");
    for (name, h) in runs {
        let name = csv_field(name);
        let mut row = |step: u64, metric: &str, v: f32, steps: u64| {
            let _ = writeln!(out, "{step},{name},{metric},{v},{steps}");
        };
        // A summary's value is its mean (NaN where all its steps were NaN or infinite).
        let series = |s: &Series| {
            s.envelope(usize::MAX)
                .into_iter()
                .map(|p| (p.last_step, p.mean, p.points))
        };
        for (step, v, n) in series(&h.train_loss) {
            row(step, "train_loss", v, n);
        }
        for e in h.evals.iter() {
            row(e.step, "val_loss", e.val_loss, 1);
        }
        for e in h.evals.iter() {
            if let Some(a) = e.train_acc {
                row(e.step, "train_acc", a, 1);
            }
        }
        for e in h.evals.iter() {
            if let Some(a) = e.val_acc {
                row(e.step, "val_acc", a, 1);
            }
        }
        for (step, v, n) in series(&h.lr) {
            row(step, "lr", v, n);
        }
    }
    out
}

/// Quotes a field when it holds a separator, a quote or a line break (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl RunConfig {
    /// The config as a lesson's `[preset]` (paste it into a lesson file's front matter).
    pub fn to_lesson_preset(&self) -> String {
        let mut out = String::from("[preset]\n");
        for line in self.to_toml().lines() {
            match line.strip_prefix('[') {
                Some(rest) => out.push_str(&format!("[preset.{rest}")),
                None => out.push_str(line),
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::{ChunkReport, EvalPoint, Status};

    #[test]
    fn curves_csv_has_every_point() {
        let mut h = History::default();
        h.push(&ChunkReport {
            first_step: 1,
            train_loss: vec![0.7, 0.6],
            lr: vec![0.01, 0.01],
            evals: vec![EvalPoint {
                step: 2,
                val_loss: 0.65,
                val_acc: Some(0.5),
                train_loss: 0.6,
                train_acc: Some(0.55),
            }],
            layers: None,
            probes: vec![],
            status: Status::Running,
        });
        let csv = curves_csv(&[("a, \"b\"", &h), ("#2", &History::default())]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "step,run,metric,value,steps");
        assert_eq!(lines[1], "1,\"a, \"\"b\"\"\",train_loss,0.7,1");
        assert!(lines.contains(&"2,\"a, \"\"b\"\"\",val_acc,0.5,1"));
        assert_eq!(lines.len(), 1 + 2 + 1 + 1 + 1 + 2);
    }

    #[test]
    fn a_long_run_exports_summaries_that_say_their_resolution() {
        let n = 100_000u64;
        let mut h = History::default();
        h.push(&ChunkReport {
            first_step: 1,
            train_loss: (1..=n).map(|i| 1.0 / i as f32).collect(),
            lr: vec![0.1; n as usize],
            evals: vec![],
            layers: None,
            probes: vec![],
            status: Status::Running,
        });
        let csv = curves_csv(&[("long", &h)]);
        let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
        let loss: Vec<&Vec<&str>> = rows.iter().filter(|r| r[2] == "train_loss").collect();
        assert!(loss.len() < 8_000, "{} rows", loss.len());
        // Every step is covered once, the recent ones one by one.
        let covered: u64 = loss.iter().map(|r| r[4].parse::<u64>().unwrap()).sum();
        assert_eq!(covered, n);
        assert!(loss[0][4].parse::<u64>().unwrap() > 1);
        assert_eq!(
            (loss[loss.len() - 1][0], loss[loss.len() - 1][4]),
            ("100000", "1")
        );
    }

    #[test]
    fn preset_is_a_lesson_preset() {
        let mut cfg = RunConfig::default();
        cfg.model.hidden = vec![8];
        cfg.train.lr = 0.5;
        let front = format!(
            "+++\nid = \"x\"\nlevel = \"beginner\"\ntitle = \"t\"\nquestion = \"q\"\nlook_for = \"l\"\n{}+++\nbody\n",
            cfg.to_lesson_preset()
        );
        let lesson = crate::lesson::Lesson::parse("x.md", &front).unwrap();
        assert_eq!(lesson.preset, cfg);
    }
}
