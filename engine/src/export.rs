//! Exports a learner can download: every run's curves as one long CSV table, and a run's
//! config as a lesson preset.

use crate::RunConfig;
use crate::train::History;
use std::fmt::Write;

/// `step,run,metric,value` rows for every run (metrics: train_loss, val_loss, train_acc,
/// val_acc, lr; accuracy only for classification), in run order then step order.
pub fn curves_csv(runs: &[(&str, &History)]) -> String {
    let mut out = String::from("step,run,metric,value\n");
    for (name, h) in runs {
        let name = csv_field(name);
        let mut row = |step: u64, metric: &str, v: f32| {
            let _ = writeln!(out, "{step},{name},{metric},{v}");
        };
        for &(s, v) in &h.train_loss {
            row(s, "train_loss", v);
        }
        for e in &h.evals {
            row(e.step, "val_loss", e.val_loss);
        }
        for e in &h.evals {
            if let Some(a) = e.train_acc {
                row(e.step, "train_acc", a);
            }
        }
        for e in &h.evals {
            if let Some(a) = e.val_acc {
                row(e.step, "val_acc", a);
            }
        }
        for &(s, v) in &h.lr {
            row(s, "lr", v);
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
    use crate::train::EvalPoint;

    #[test]
    fn curves_csv_has_every_point() {
        let h = History {
            train_loss: vec![(1, 0.7), (2, 0.6)],
            lr: vec![(1, 0.01), (2, 0.01)],
            evals: vec![EvalPoint {
                step: 2,
                val_loss: 0.65,
                val_acc: Some(0.5),
                train_loss: 0.6,
                train_acc: Some(0.55),
            }],
            ..Default::default()
        };
        let csv = curves_csv(&[("a, \"b\"", &h), ("#2", &History::default())]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "step,run,metric,value");
        assert_eq!(lines[1], "1,\"a, \"\"b\"\"\",train_loss,0.7");
        assert!(lines.contains(&"2,\"a, \"\"b\"\"\",val_acc,0.5"));
        assert_eq!(lines.len(), 1 + 2 + 1 + 1 + 1 + 2);
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
