//! The charts as text: a short summary per chart and a coarse table of the current run, for a
//! screen reader (a canvas is only pixels) and for anyone who wants the numbers. The view words
//! them in the page's language; the numbers and the throttle live here.

use crate::platform::web::now_ms;
use crate::state::{Ui, lab};
use engine::History;
use engine::train::EvalPoint;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// Rows the table shows at most: enough for the curve's shape, few enough to read aloud.
pub const MAX_ROWS: usize = 20;
/// The text follows the charts at most this often: a figure that changes every frame cannot be
/// read, and re-rendering it every frame costs time the training needs.
pub const REFRESH_MS: f64 = 2000.0;

// ---------------------------------------------------------------------------------------------
// The only code here that reads `History`'s fields (bounded curves, see `engine::curves`):
// everything below works on what these four return.
// ---------------------------------------------------------------------------------------------

/// The evaluations, in step order.
fn evals(h: &History) -> impl DoubleEndedIterator<Item = EvalPoint> + '_ {
    h.evals.iter().copied()
}

/// The latest training-batch loss (before the first evaluation there is nothing else).
fn last_batch_loss(h: &History) -> Option<(u64, f32)> {
    h.train_loss.last().map(|p| (p.step, p.value))
}

/// The latest learning rate.
fn last_lr(h: &History) -> Option<(u64, f32)> {
    h.lr.last().map(|p| (p.step, p.value))
}

/// The latest gradient norm of each layer, with the layer's name.
fn last_grads(h: &History) -> Option<(u64, Vec<(String, f32)>)> {
    let l = h.layers.last()?;
    let names = h.layer_names.iter().cloned();
    Some((l.step, names.zip(l.grad_norms.iter().copied()).collect()))
}

// ---------------------------------------------------------------------------------------------

/// One evaluation as the text shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    pub step: u64,
    pub train_loss: f32,
    pub val_loss: f32,
    /// `None` for a regression.
    pub train_acc: Option<f32>,
    pub val_acc: Option<f32>,
}

impl From<EvalPoint> for Row {
    fn from(e: EvalPoint) -> Self {
        Row {
            step: e.step,
            train_loss: e.train_loss,
            val_loss: e.val_loss,
            train_acc: e.train_acc,
            val_acc: e.val_acc,
        }
    }
}

/// What the summaries state, as numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// The latest evaluation (training and validation measured at the same step).
    pub last: Option<Row>,
    /// The lowest finite validation loss and its step.
    pub best_loss: Option<(u64, f32)>,
    /// The highest validation accuracy and its step.
    pub best_acc: Option<(u64, f32)>,
    /// The latest batch loss: all there is before the first evaluation.
    pub batch: Option<(u64, f32)>,
    pub lr: Option<(u64, f32)>,
    pub grads: Option<(u64, Vec<(String, f32)>)>,
}

/// The figures of a run's curves.
pub fn figures(h: &History) -> Figures {
    let mut f = Figures {
        batch: last_batch_loss(h),
        lr: last_lr(h),
        grads: last_grads(h),
        ..Figures::default()
    };
    for e in evals(h) {
        if e.val_loss.is_finite() && f.best_loss.is_none_or(|(_, b)| e.val_loss < b) {
            f.best_loss = Some((e.step, e.val_loss));
        }
        if let Some(a) = e.val_acc.filter(|a| a.is_finite())
            && f.best_acc.is_none_or(|(_, b)| a > b)
        {
            f.best_acc = Some((e.step, a));
        }
        f.last = Some(e.into());
    }
    f
}

/// The run's evaluations at a coarse resolution: at most `max`, evenly spread over the run, the
/// first and the latest always among them. Also returns how many evaluations there are.
pub fn summary_rows(h: &History, max: usize) -> (Vec<Row>, usize) {
    let all: Vec<Row> = evals(h).map(Row::from).collect();
    (spread(&all, max), all.len())
}

/// `max` items of `all` at evenly spaced positions, the first and the last included.
fn spread<T: Copy>(all: &[T], max: usize) -> Vec<T> {
    let n = all.len();
    if n <= max {
        return all.to_vec();
    }
    if max < 2 {
        return all.last().copied().into_iter().collect();
    }
    (0..max).map(|i| all[i * (n - 1) / (max - 1)]).collect()
}

/// The text key and number for an engine layer name ("hidden2", "conv1", "output"), so the
/// name reads in the page's language; `None` for a name the engine did not make.
pub fn layer_label(name: &str) -> Option<(&'static str, String)> {
    if name == "output" {
        return Some(("ui.layer_output", String::new()));
    }
    [("hidden", "ui.layer_hidden"), ("conv", "ui.layer_conv")]
        .into_iter()
        .find_map(|(prefix, key)| {
            let n = name.strip_prefix(prefix)?;
            n.parse::<u32>().ok().map(|_| (key, n.to_string()))
        })
}

/// A step number with thousands separated ("1,200"), as a reader says it.
pub fn step_text(step: u64) -> String {
    let digits = step.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A loss (or rate, or norm) to three significant digits, trailing zeros dropped; very large or
/// small ones in scientific notation; NaN and infinity by name.
pub fn value_text(v: f32) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞" } else { "-∞" }.into();
    }
    let a = v.abs();
    if a == 0.0 {
        return "0".into();
    }
    if !(1e-3..1e5).contains(&a) {
        return format!("{v:.2e}");
    }
    let decimals = (2 - a.log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.decimals$}");
    // "0.01", not "0.0100": trailing zeros are noise when read aloud.
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// An accuracy as a percentage ("87.5%").
pub fn percent_text(v: f32) -> String {
    if v.is_finite() {
        format!("{:.1}%", v * 100.0)
    } else {
        value_text(v)
    }
}

/// The current run's figures (the charts' other runs are pinned ones, named in their legend).
pub fn current_figures() -> Figures {
    figures(&lab().borrow().current.history)
}

/// The current run's table rows (see [`summary_rows`]).
pub fn current_rows() -> (Vec<Row>, usize) {
    summary_rows(&lab().borrow().current.history, MAX_ROWS)
}

/// A signal that follows `ui.tick` (the charts' redraws) at most once per [`REFRESH_MS`], the
/// latest change always included, and at once when the run's status changes: a run that just
/// paused or finished shows its last figures straight away.
pub fn slow_tick(ui: Ui) -> ReadSignal<u64> {
    let (tick, set_tick) = signal(0u64);
    let last = Rc::new(Cell::new(f64::NEG_INFINITY));
    let pending = Rc::new(Cell::new(false));
    let status = Rc::new(Cell::new(None));
    Effect::new(move |_| {
        ui.tick.track();
        let now = Some(ui.status.get());
        if status.replace(now) != now {
            last.set(now_ms());
            set_tick.update(|t| *t += 1);
            return;
        }
        if pending.get() {
            return;
        }
        let wait = last.get() + REFRESH_MS - now_ms();
        if wait <= 0.0 {
            last.set(now_ms());
            set_tick.update(|t| *t += 1);
            return;
        }
        pending.set(true);
        let (last, pending) = (last.clone(), pending.clone());
        set_timeout(
            move || {
                pending.set(false);
                last.set(now_ms());
                set_tick.try_update(|t| *t += 1);
            },
            Duration::from_millis(wait as u64),
        );
    });
    tick
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::ChunkReport;
    use engine::Status;

    fn eval(step: u64, val_loss: f32, val_acc: f32) -> EvalPoint {
        EvalPoint {
            step,
            val_loss,
            val_acc: Some(val_acc),
            train_loss: val_loss * 0.8,
            train_acc: Some(val_acc + 0.02),
        }
    }

    fn history(evals: Vec<EvalPoint>, steps: u64) -> History {
        let mut h = History::default();
        h.push(&ChunkReport {
            first_step: 1,
            train_loss: vec![0.5; steps as usize],
            lr: vec![0.01; steps as usize],
            evals,
            layers: None,
            probes: vec![],
            status: Status::Running,
        });
        h
    }

    #[test]
    fn figures_name_the_latest_and_the_best_evaluation() {
        let h = history(
            vec![
                eval(100, 0.9, 0.5),
                eval(200, 0.4, 0.8),
                eval(300, 0.6, 0.85),
                eval(400, f32::NAN, 0.1),
            ],
            400,
        );
        let f = figures(&h);
        assert_eq!(f.last.map(|r| r.step), Some(400));
        // A diverged evaluation is never the lowest.
        assert_eq!(f.best_loss, Some((200, 0.4)));
        assert_eq!(f.best_acc, Some((300, 0.85)));
        assert_eq!(f.batch, Some((400, 0.5)));
        assert_eq!(f.lr, Some((400, 0.01)));
        assert_eq!(figures(&History::default()), Figures::default());
    }

    #[test]
    fn the_table_is_coarse_and_keeps_both_ends() {
        let evals: Vec<EvalPoint> = (1..=1000).map(|i| eval(i * 10, 1.0 / i as f32, 0.5)).collect();
        let (rows, n) = summary_rows(&history(evals, 10_000), MAX_ROWS);
        assert_eq!((rows.len(), n), (MAX_ROWS, 1000));
        assert_eq!((rows[0].step, rows[MAX_ROWS - 1].step), (10, 10_000));
        assert!(rows.windows(2).all(|w| w[0].step < w[1].step));
        let (few, n) = summary_rows(&history(vec![eval(50, 0.3, 0.9)], 50), MAX_ROWS);
        assert_eq!((few.len(), n), (1, 1));
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(step_text(0), "0");
        assert_eq!(step_text(999), "999");
        assert_eq!(step_text(1200), "1,200");
        assert_eq!(step_text(10_000_000), "10,000,000");
        assert_eq!(value_text(0.31234), "0.312");
        assert_eq!(value_text(2.3026), "2.3");
        assert_eq!(value_text(0.01), "0.01");
        assert_eq!(value_text(100.0), "100");
        assert_eq!(value_text(123.4), "123");
        assert_eq!(value_text(1e36), "1.00e36");
        assert_eq!(value_text(f32::NAN), "NaN");
        assert_eq!(value_text(f32::INFINITY), "∞");
        assert_eq!(percent_text(0.875), "87.5%");
        assert_eq!(layer_label("hidden12"), Some(("ui.layer_hidden", "12".into())));
        assert_eq!(layer_label("conv1"), Some(("ui.layer_conv", "1".into())));
        assert_eq!(layer_label("output").map(|l| l.0), Some("ui.layer_output"));
        assert_eq!(layer_label("hiddenx"), None);
    }
}
