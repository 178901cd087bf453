//! Preparation steps, applied by [`super::Dataset::build`] in this order: class imbalance,
//! train/validation split, label noise, features, raw units, standardisation.

use crate::config::Feature;
use crate::rng::Rng;

/// Examples before features are computed: 2-D points, or raw values (digit pixels, CSV
/// columns), with labels or targets.
#[derive(Clone, Debug, Default)]
pub(crate) struct Examples {
    pub points: Vec<[f32; 2]>,
    pub labels: Vec<u32>,
    pub targets: Vec<f32>,
    /// `raw_len` values per example (digits and CSV files; empty for generated points).
    pub raw: Vec<f32>,
    pub raw_len: usize,
}

impl Examples {
    pub fn len(&self) -> usize {
        self.labels.len().max(self.targets.len())
    }

    /// The examples at `idx`, in that order.
    pub fn select(&self, idx: &[usize]) -> Examples {
        fn pick<T: Copy>(v: &[T], idx: &[usize]) -> Vec<T> {
            if v.is_empty() {
                Vec::new()
            } else {
                idx.iter().map(|&i| v[i]).collect()
            }
        }
        let w = self.raw_len;
        Examples {
            points: pick(&self.points, idx),
            labels: pick(&self.labels, idx),
            targets: pick(&self.targets, idx),
            raw: idx
                .iter()
                .flat_map(|&i| &self.raw[i * w..(i + 1) * w])
                .copied()
                .collect(),
            raw_len: w,
        }
    }
}

/// Indices kept (ascending) when class `k` keeps a fraction `r^(k / (C-1))` of its examples
/// (class 0 keeps all; the last class keeps `r` of its own; at least one each), chosen at random.
pub(crate) fn imbalance(labels: &[u32], num_classes: usize, r: f32, rng: &mut Rng) -> Vec<usize> {
    let r = r.clamp(1e-6, 1.0) as f64;
    let mut keep = Vec::with_capacity(labels.len());
    for k in 0..num_classes {
        let mut members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] as usize == k).collect();
        if r < 1.0 && num_classes > 1 && !members.is_empty() {
            let frac = r.powf(k as f64 / (num_classes - 1) as f64);
            let n = ((members.len() as f64 * frac).round() as usize).clamp(1, members.len());
            rng.shuffle(&mut members);
            members.truncate(n);
        }
        keep.extend(members);
    }
    keep.sort_unstable();
    keep
}

/// Shuffled (train, validation) indices: the first `round(val_fraction * n)` go to
/// validation, clamped so each split has at least one example (`n >= 2`).
pub(crate) fn split(n: usize, val_fraction: f32, rng: &mut Rng) -> (Vec<usize>, Vec<usize>) {
    debug_assert!(n >= 2);
    let mut idx: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut idx);
    let n_val = ((val_fraction as f64 * n as f64).round() as usize).clamp(1, n - 1);
    let train = idx.split_off(n_val);
    (train, idx)
}

/// `count` distinct indices in `0..n`, chosen at random.
fn choose(n: usize, count: usize, rng: &mut Rng) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..count.min(n) {
        let j = i + rng.below(n - i);
        idx.swap(i, j);
    }
    idx.truncate(count.min(n));
    idx
}

fn noisy_count(p: f32, n: usize) -> usize {
    ((p.clamp(0.0, 1.0) as f64 * n as f64).round() as usize).min(n)
}

/// Replaces exactly `round(p * n)` labels by a different class, drawn uniformly.
pub(crate) fn label_noise(labels: &mut [u32], num_classes: usize, p: f32, rng: &mut Rng) {
    if num_classes < 2 {
        return;
    }
    let c = num_classes as u32;
    for i in choose(labels.len(), noisy_count(p, labels.len()), rng) {
        labels[i] = (labels[i] + 1 + rng.below(num_classes - 1) as u32) % c;
    }
}

/// Regression label noise: `round(p * n)` targets replaced by uniform values in the
/// targets' range.
pub(crate) fn target_noise(targets: &mut [f32], p: f32, rng: &mut Rng) {
    let lo = targets.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = targets.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    for i in choose(targets.len(), noisy_count(p, targets.len()), rng) {
        targets[i] = rng.range(lo, hi);
    }
}

/// Standardises regression targets with the training split's mean and std, returned. For
/// CSV files, whose targets can be in any units: an MSE of 1 is then predicting the mean.
pub(crate) fn standardize_targets(train: &mut [f32], val: &mut [f32]) -> (f32, f32) {
    let s = Standardizer::fit(train, 1);
    s.apply(train);
    s.apply(val);
    (s.mean[0], s.std[0])
}

/// Row-major features of 2-D points.
pub(crate) fn plane_features(points: &[[f32; 2]], features: &[Feature]) -> Vec<f32> {
    points
        .iter()
        .flat_map(|&[x, y]| features.iter().map(move |f| f.eval(x, y)))
        .collect()
}

/// One value in raw units.
pub(crate) fn raw_unit(v: f32, scale: f32, offset: f32) -> f32 {
    v * scale + offset
}

pub(crate) fn raw_units(x: &mut [f32], scale: f32, offset: f32) {
    for v in x {
        *v = raw_unit(*v, scale, offset);
    }
}

/// Standardises one row in place with training statistics.
pub(crate) fn standardize_row(row: &mut [f32], mean: &[f32], std: &[f32]) {
    for ((v, m), s) in row.iter_mut().zip(mean).zip(std) {
        *v = (*v - m) / s;
    }
}

/// Below this a feature counts as constant.
const STD_FLOOR: f64 = 1e-6;

/// Per-feature mean and std (population) of the training split.
pub(crate) struct Standardizer {
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
}

impl Standardizer {
    /// Constant features (std below 1e-6) get std 1, as in scikit-learn: they become 0 on
    /// the training split, and a value the training split never had stays moderate instead
    /// of being divided by ~0.
    pub fn fit(x: &[f32], num_features: usize) -> Self {
        let n = (x.len() / num_features.max(1)).max(1) as f64;
        let mut mean = vec![0f64; num_features];
        let mut var = vec![0f64; num_features];
        for row in x.chunks_exact(num_features) {
            for (m, &v) in mean.iter_mut().zip(row) {
                *m += v as f64;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        for row in x.chunks_exact(num_features) {
            for ((s, m), &v) in var.iter_mut().zip(&mean).zip(row) {
                *s += (v as f64 - m).powi(2);
            }
        }
        let std = var
            .iter()
            .map(|&s| {
                let sd = (s / n).sqrt();
                if sd < STD_FLOOR { 1.0 } else { sd as f32 }
            })
            .collect();
        Self {
            mean: mean.into_iter().map(|m| m as f32).collect(),
            std,
        }
    }

    pub fn apply(&self, x: &mut [f32]) {
        for row in x.chunks_exact_mut(self.mean.len()) {
            standardize_row(row, &self.mean, &self.std);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(labels: &[u32], c: usize) -> Vec<usize> {
        let mut n = vec![0; c];
        labels.iter().for_each(|&l| n[l as usize] += 1);
        n
    }

    #[test]
    fn imbalance_follows_the_ratio() {
        let labels: Vec<u32> = (0..1000).map(|i| i % 2).collect();
        let keep = imbalance(&labels, 2, 0.1, &mut Rng::new(1));
        let kept: Vec<u32> = keep.iter().map(|&i| labels[i]).collect();
        assert_eq!(counts(&kept, 2), vec![500, 50]);

        let labels: Vec<u32> = (0..500).map(|i| i % 5).collect();
        let keep = imbalance(&labels, 5, 0.0625, &mut Rng::new(1));
        let kept: Vec<u32> = keep.iter().map(|&i| labels[i]).collect();
        assert_eq!(counts(&kept, 5), vec![100, 50, 25, 13, 6]);
        assert!(keep.windows(2).all(|w| w[0] < w[1]));
        // r = 1 keeps everything; a tiny ratio still keeps one example per class.
        assert_eq!(imbalance(&labels, 5, 1.0, &mut Rng::new(1)).len(), 500);
        let kept: Vec<u32> = imbalance(&labels, 5, 1e-4, &mut Rng::new(1))
            .iter()
            .map(|&i| labels[i])
            .collect();
        assert_eq!(counts(&kept, 5)[4], 1);
    }

    #[test]
    fn split_sizes_and_never_empty() {
        let (tr, va) = split(500, 0.01, &mut Rng::new(2));
        assert_eq!((tr.len(), va.len()), (495, 5));
        let (tr, va) = split(500, 0.2, &mut Rng::new(2));
        assert_eq!((tr.len(), va.len()), (400, 100));
        let mut all: Vec<usize> = tr.iter().chain(&va).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..500).collect::<Vec<_>>());
        assert_eq!(split(20, 0.01, &mut Rng::new(2)).1.len(), 1);
        assert_eq!(split(20, 0.99, &mut Rng::new(2)).0.len(), 1);
        assert_eq!(split(2, 0.5, &mut Rng::new(2)).0.len(), 1);
    }

    #[test]
    fn label_noise_is_exact_and_changes_each_label() {
        for (c, p) in [(2usize, 0.3f32), (3, 0.25), (10, 0.9)] {
            let clean: Vec<u32> = (0..401).map(|i| i % c as u32).collect();
            let mut noisy = clean.clone();
            label_noise(&mut noisy, c, p, &mut Rng::new(3));
            let changed = clean.iter().zip(&noisy).filter(|(a, b)| a != b).count();
            assert_eq!(changed, (p as f64 * 401.0).round() as usize);
            assert!(noisy.iter().all(|&l| (l as usize) < c));
        }
    }

    #[test]
    fn target_noise_stays_in_range() {
        let clean: Vec<f32> = (0..200).map(|i| i as f32 / 100.0 - 1.0).collect();
        let mut noisy = clean.clone();
        target_noise(&mut noisy, 0.5, &mut Rng::new(4));
        let changed = clean.iter().zip(&noisy).filter(|(a, b)| a != b).count();
        assert!((95..=100).contains(&changed), "{changed}");
        assert!(noisy.iter().all(|&t| (-1.0..=1.0).contains(&t)));
    }

    #[test]
    fn standardizer_gives_zero_mean_unit_std_and_zeroes_constants() {
        let x: Vec<f32> = (0..300)
            .flat_map(|i| [i as f32 * 3.0 + 7.0, 5.0, (i % 7) as f32])
            .collect();
        let s = Standardizer::fit(&x, 3);
        let mut z = x.clone();
        s.apply(&mut z);
        for f in 0..3 {
            let col: Vec<f32> = z.iter().skip(f).step_by(3).copied().collect();
            let m = col.iter().sum::<f32>() / 300.0;
            let sd = (col.iter().map(|v| (v - m) * (v - m)).sum::<f32>() / 300.0).sqrt();
            assert!(m.abs() < 1e-4, "{m}");
            assert!(
                if f == 1 {
                    sd == 0.0
                } else {
                    (sd - 1.0).abs() < 1e-4
                },
                "{sd}"
            );
        }
        assert_eq!(s.std[1], 1.0);
    }
}
