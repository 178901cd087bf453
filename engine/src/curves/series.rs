//! Bounded curves: one metric's `(step, value)` points, kept so that a run left playing for
//! hours (ten million steps and more) costs the same memory, and the same work per frame to draw
//! and diagnose, as a short one.
//!
//! How: the last `recent` points at full resolution; everything older in at most `max_buckets`
//! summaries (min, max, sum, count, smoothed value) of `width` points each. When the buckets are
//! all full, neighbours merge in pairs and `width` doubles. A push is amortised O(1), memory is
//! O(recent + max_buckets), and [`Series::envelope`] reads that much whatever the run's length.
//! The smoothed curve is the charts' bias-corrected EMA, updated at push time, so nothing
//! re-smooths the whole history.
//!
//! Non-finite values (a diverging run's last losses) stay as they are in the recent window, are
//! counted (`non_finite`) in buckets and envelopes, and are left out of min, max, mean and the EMA:
//! one NaN neither hides the curve before it nor poisons the summaries.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The charts' smoothing: `beta` of a bias-corrected EMA.
pub const SMOOTHING: f64 = 0.9;
/// Default full-resolution window: a few seconds of a fast run, and what the diagnosis reads.
pub const RECENT: usize = 4096;
/// Default bucket cap: more than a wide chart has pixel columns.
pub const BUCKETS: usize = 2048;

/// One pushed point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub step: u64,
    /// As pushed, NaN or infinite included.
    pub value: f32,
    /// The EMA of every finite value up to this one (NaN before the first finite value).
    pub smoothed: f32,
}

/// A stretch of the curve, as a chart draws it in one pixel column.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnvelopePoint {
    pub first_step: u64,
    pub last_step: u64,
    /// Min, max and mean of the finite values; NaN when there are none.
    pub min: f32,
    pub max: f32,
    pub mean: f32,
    /// The EMA at `last_step`: a sample of the exact smoothed curve, not an average of it.
    pub smoothed: f32,
    /// Points covered, and how many of them were NaN or infinite.
    pub points: u64,
    pub non_finite: u64,
}

/// A summary of consecutive points; also the accumulator `envelope` merges with.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct Bucket {
    first_step: u64,
    last_step: u64,
    /// Of the finite values; f64 because millions of f32 losses are added.
    sum: f64,
    points: u64,
    non_finite: u64,
    /// Meaningless while no value is finite; never infinite, so any serde format holds them.
    min: f32,
    max: f32,
    smoothed: f32,
}

impl Bucket {
    fn of(p: Point) -> Self {
        let finite = p.value.is_finite();
        let v = if finite { p.value } else { 0.0 };
        Bucket {
            first_step: p.step,
            last_step: p.step,
            sum: f64::from(v),
            points: 1,
            non_finite: u64::from(!finite),
            min: v,
            max: v,
            smoothed: p.smoothed,
        }
    }

    fn finite(&self) -> u64 {
        self.points - self.non_finite
    }

    /// Appends `o`, which follows `self` on the curve.
    fn absorb(&mut self, o: &Bucket) {
        if o.finite() > 0 {
            let empty = self.finite() == 0;
            self.min = if empty { o.min } else { self.min.min(o.min) };
            self.max = if empty { o.max } else { self.max.max(o.max) };
        }
        self.sum += o.sum;
        self.points += o.points;
        self.non_finite += o.non_finite;
        self.last_step = o.last_step;
        self.smoothed = o.smoothed;
    }

    fn envelope(&self) -> EnvelopePoint {
        let n = self.finite();
        let known = |x: f32| if n == 0 { f32::NAN } else { x };
        EnvelopePoint {
            first_step: self.first_step,
            last_step: self.last_step,
            min: known(self.min),
            max: known(self.max),
            // The clamp only absorbs rounding (f64 sum, f32 mean).
            mean: known(((self.sum / n.max(1) as f64) as f32).clamp(self.min, self.max)),
            smoothed: self.smoothed,
            points: self.points,
            non_finite: self.non_finite,
        }
    }
}

/// One curve, pushed in step order (steps may have gaps), in bounded memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    recent: VecDeque<Point>,
    recent_cap: usize,
    buckets: Vec<Bucket>,
    max_buckets: usize,
    /// Points per bucket; every bucket but the last holds exactly this many.
    width: u64,
    pushed: u64,
    non_finite: u64,
    beta: f64,
    /// The EMA's state as the charts compute it: running average and `beta^n` (bias correction).
    avg: f64,
    correction: f64,
}

impl Default for Series {
    fn default() -> Self {
        Series::new(RECENT, BUCKETS, SMOOTHING)
    }
}

impl Series {
    /// `recent` points at full resolution, at most `max_buckets` summaries, EMA with `beta`.
    /// Nothing is allocated until points arrive: a run has many short curves.
    pub fn new(recent: usize, max_buckets: usize, beta: f64) -> Self {
        assert!(recent >= 1 && max_buckets >= 2 && (0.0..1.0).contains(&beta));
        Series {
            recent: VecDeque::new(),
            recent_cap: recent,
            buckets: Vec::new(),
            max_buckets,
            width: 1,
            pushed: 0,
            non_finite: 0,
            beta,
            avg: 0.0,
            correction: 1.0,
        }
    }

    pub fn push(&mut self, step: u64, value: f32) {
        // The same operations, in the same order, as the charts' `smooth`: identical values.
        if value.is_finite() {
            self.avg = self.beta * self.avg + (1.0 - self.beta) * f64::from(value);
            self.correction *= self.beta;
        } else {
            self.non_finite += 1;
        }
        let smoothed = (self.avg / (1.0 - self.correction)) as f32;
        if self.recent.len() >= self.recent_cap
            && let Some(old) = self.recent.pop_front()
        {
            self.retire(old);
        }
        if let Some(extra) = room(self.recent.len(), self.recent.capacity(), self.recent_cap) {
            self.recent.reserve_exact(extra);
        }
        self.recent.push_back(Point {
            step,
            value,
            smoothed,
        });
        self.pushed += 1;
    }

    /// Moves a point that left the window into the buckets.
    fn retire(&mut self, p: Point) {
        let last_full = self.buckets.last().is_some_and(|b| b.points >= self.width);
        if last_full && self.buckets.len() >= self.max_buckets {
            // Halve the old part's resolution: merge neighbours in place, double the width.
            let n = self.buckets.len();
            for i in 0..n.div_ceil(2) {
                let mut b = self.buckets[2 * i];
                if let Some(&o) = self.buckets.get(2 * i + 1) {
                    b.absorb(&o);
                }
                self.buckets[i] = b;
            }
            self.buckets.truncate(n.div_ceil(2));
            self.width *= 2;
        }
        match self.buckets.last_mut() {
            Some(b) if b.points < self.width => b.absorb(&Bucket::of(p)),
            _ => {
                if let Some(extra) = room(self.buckets.len(), self.buckets.capacity(), self.max_buckets) {
                    self.buckets.reserve_exact(extra);
                }
                self.buckets.push(Bucket::of(p));
            }
        }
    }

    /// Points pushed so far.
    pub fn len(&self) -> u64 {
        self.pushed
    }

    pub fn is_empty(&self) -> bool {
        self.pushed == 0
    }

    /// Every point is still held at full resolution (none summarised yet).
    pub fn is_exact(&self) -> bool {
        self.buckets.is_empty()
    }

    /// NaN or infinite values pushed so far.
    pub fn non_finite(&self) -> u64 {
        self.non_finite
    }

    pub fn last(&self) -> Option<Point> {
        self.recent.back().copied()
    }

    /// The full-resolution window, oldest first.
    pub fn recent(&self) -> impl DoubleEndedIterator<Item = Point> + ExactSizeIterator + '_ {
        self.recent.iter().copied()
    }

    /// The last `n` points at full resolution (the whole window if `n` is larger).
    pub fn tail(&self, n: usize) -> impl DoubleEndedIterator<Item = Point> + ExactSizeIterator + '_ {
        self.recent.range(self.recent.len().saturating_sub(n)..).copied()
    }

    /// The whole curve in at most `columns` points, each the merge of the points whose steps
    /// fall in one of `columns` equal step ranges (min/max keep spikes). Exact, one point per
    /// stored point, when that many fit. Costs O(stored points), never O(len).
    pub fn envelope(&self, columns: usize) -> Vec<EnvelopePoint> {
        let items = || {
            self.buckets
                .iter()
                .copied()
                .chain(self.recent.iter().map(|&p| Bucket::of(p)))
        };
        if self.stored_points() <= columns {
            return items().map(|b| b.envelope()).collect();
        }
        let (Some(first), Some(last), 1..) = (items().next(), self.recent.back(), columns) else {
            return Vec::new();
        };
        let first = first.first_step;
        let span = u128::from(last.step.saturating_sub(first)) + 1;
        let column = |b: &Bucket| u128::from(b.last_step.saturating_sub(first)) * columns as u128 / span;
        let mut out = Vec::with_capacity(columns);
        let mut acc: Option<(u128, Bucket)> = None;
        for b in items() {
            let c = column(&b);
            match &mut acc {
                Some((ac, a)) if *ac == c => a.absorb(&b),
                _ => out.extend(acc.replace((c, b)).map(|(_, a)| a.envelope())),
            }
        }
        out.extend(acc.map(|(_, a)| a.envelope()));
        out
    }

    /// Points and buckets held: at most `recent + max_buckets`.
    pub fn stored_points(&self) -> usize {
        self.recent.len() + self.buckets.len()
    }

    /// Heap memory held, in bytes (allocated capacity, not just what is used).
    pub fn heap_bytes(&self) -> usize {
        self.recent.capacity() * size_of::<Point>() + self.buckets.capacity() * size_of::<Bucket>()
    }
}

/// How much to reserve before pushing into a buffer at `len` of `capacity`: doubling, but never
/// past `cap` (plain doubling could reserve nearly twice the bound).
fn room(len: usize, capacity: usize, cap: usize) -> Option<usize> {
    (len == capacity).then(|| (2 * len).max(16).min(cap).saturating_sub(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The charts' `smooth` (app/src/views/draw/charts.rs), written out over every value.
    fn full_ema(values: &[f32]) -> Vec<f32> {
        let (mut avg, mut correction) = (0.0, 1.0);
        let ema = |&y: &f32| {
            avg = SMOOTHING * avg + (1.0 - SMOOTHING) * f64::from(y);
            correction *= SMOOTHING;
            (avg / (1.0 - correction)) as f32
        };
        values.iter().map(ema).collect()
    }

    fn noisy(i: u64) -> f32 {
        1.0 / (1.0 + i as f32 * 1e-3) + (i.wrapping_mul(2_654_435_761) % 1000) as f32 * 1e-4
    }

    /// `n` noisy points at steps `gap`, `2 * gap`, ...
    fn filled(mut s: Series, n: u64, gap: u64) -> Series {
        (1..=n).for_each(|i| s.push(i * gap, noisy(i)));
        s
    }

    /// Checks every point's order and that together they cover `points` points once.
    fn check(env: &[EnvelopePoint], points: u64) {
        assert!(env.iter().all(|p| p.min <= p.mean && p.mean <= p.max));
        assert!(env.iter().all(|p| p.first_step <= p.last_step));
        assert!(env.windows(2).all(|w| w[0].last_step < w[1].first_step));
        assert_eq!(env.iter().map(|p| p.points).sum::<u64>(), points);
    }

    #[test]
    fn ten_million_points_stay_bounded_and_keep_the_spike() {
        let (n, spike) = (10_000_000, 5_000_000);
        let decaying = |step: u64| 2.0 / (1.0 + step as f32 * 1e-6);
        let mut s = Series::default();
        (1..=n).for_each(|i| s.push(i, if i == spike { 1e6 } else { decaying(i) }));
        assert_eq!((s.len(), s.last().map(|p| p.step)), (n, Some(n)));
        assert!(s.stored_points() <= RECENT + BUCKETS);
        // 4,096 points of 16 bytes + 2,048 buckets of 56 bytes = 176 KiB, whatever the length.
        assert!(s.heap_bytes() <= 176 * 1024, "{} bytes", s.heap_bytes());
        for columns in [1, 300, 1200, 5000] {
            let env = s.envelope(columns);
            assert!(!env.is_empty() && env.len() <= columns, "{}", env.len());
            assert_eq!((env[0].first_step, env[env.len() - 1].last_step), (1, n));
            check(&env, n);
            let top = env.iter().max_by(|a, b| a.max.total_cmp(&b.max)).unwrap();
            assert_eq!(top.max, 1e6);
            assert!(top.first_step <= spike && spike <= top.last_step && top.min < 2.0);
        }
        // The columns are steps, not stored points: a chart-sized envelope uses most of them.
        assert!(s.envelope(1200).len() > 1000);
    }

    #[test]
    fn small_runs_are_exact() {
        let s = filled(Series::default(), 100, 1);
        let values: Vec<f32> = (1..=100).map(noisy).collect();
        let ema = full_ema(&values);
        let env = s.envelope(1200);
        assert_eq!(env.len(), 100);
        for (i, p) in env.iter().enumerate() {
            let (v, step) = (values[i], i as u64 + 1);
            assert_eq!((p.first_step, p.last_step, p.points), (step, step, 1));
            assert_eq!((p.min, p.max, p.mean, p.smoothed), (v, v, v, ema[i]));
        }
        assert_eq!(s.recent().map(|p| p.value).collect::<Vec<_>>(), values);
        assert_eq!(s.tail(3).map(|p| p.step).collect::<Vec<_>>(), [98, 99, 100]);
        assert_eq!(s.tail(1000).len(), 100);
        assert!(s.envelope(0).is_empty() && Series::default().envelope(10).is_empty());
    }

    #[test]
    fn merges_count_every_point_once() {
        for max_buckets in [2, 4, 5] {
            let s = filled(Series::new(8, max_buckets, SMOOTHING), 10_000, 1);
            assert!(s.stored_points() <= 8 + max_buckets);
            let env = s.envelope(usize::MAX);
            assert_eq!(env.len(), s.stored_points());
            check(&env, 10_000);
            assert!(env.windows(2).all(|w| w[0].last_step + 1 == w[1].first_step));
        }
    }

    #[test]
    fn steps_with_gaps() {
        let s = filled(Series::default(), 100_000, 50);
        let env = s.envelope(500);
        assert!(env.len() <= 500);
        assert_eq!((env[0].first_step, env[env.len() - 1].last_step), (50, 5_000_000));
        assert!(
            env.iter()
                .all(|p| p.first_step % 50 == 0 && p.last_step % 50 == 0)
        );
        check(&env, 100_000);
        let tail: Vec<u64> = s.tail(2).map(|p| p.step).collect();
        assert_eq!(tail, [4_999_950, 5_000_000]);
    }

    #[test]
    fn smoothing_matches_a_full_ema() {
        let s = filled(Series::new(256, 16, SMOOTHING), 20_000, 1);
        let ema = full_ema(&(1..=20_000).map(noisy).collect::<Vec<_>>());
        assert!(s.recent().all(|p| p.smoothed == ema[p.step as usize - 1]));
        // A bucket's smoothed value is the EMA at its last step, not an average of it.
        let env = [s.envelope(usize::MAX), s.envelope(7)].concat();
        assert!(env.iter().all(|p| p.smoothed == ema[p.last_step as usize - 1]));
    }

    #[test]
    fn non_finite_values_are_counted_not_averaged() {
        let mut s = Series::new(4, 4, SMOOTHING);
        s.push(1, f32::NAN);
        assert!(s.last().unwrap().smoothed.is_nan(), "no finite value yet");
        (2..=20).for_each(|step| s.push(step, step as f32));
        let before = s.last().unwrap().smoothed;
        s.push(21, f32::INFINITY);
        s.push(22, f32::NAN);
        let last = s.last().unwrap();
        assert!(last.value.is_nan(), "the divergence stays visible");
        assert_eq!(last.smoothed, before, "the EMA skips non-finite values");
        assert_eq!(s.non_finite(), 3);
        let all = s.envelope(1)[0];
        assert_eq!((all.min, all.max, all.mean), (2.0, 20.0, 11.0));
        assert_eq!((all.points, all.non_finite), (22, 3));
        let first = s.envelope(usize::MAX)[0];
        assert_eq!((first.first_step, first.non_finite, first.min), (1, 1, 2.0));
        let mut nans = Series::default();
        nans.push(1, f32::NAN);
        nans.push(2, f32::NEG_INFINITY);
        let p = nans.envelope(1)[0];
        assert_eq!((p.points, p.non_finite), (2, 2));
        assert!(p.min.is_nan() && p.max.is_nan() && p.mean.is_nan() && p.smoothed.is_nan());
    }

    #[test]
    fn serde_round_trip() {
        let mut s = filled(Series::new(4, 4, SMOOTHING), 100, 1);
        s.push(101, f32::NAN);
        let mut back: Series = toml::from_str(&toml::to_string(&s).unwrap()).unwrap();
        assert_eq!(format!("{back:?}"), format!("{s:?}"));
        // And it carries on as the original would.
        for step in 102..=200 {
            s.push(step, noisy(step));
            back.push(step, noisy(step));
        }
        assert_eq!(back, s);
    }
}
