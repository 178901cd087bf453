//! 2-D toy sets in TensorFlow-Playground-like coordinates: points within [-6, 6]².
//!
//! `noise` in 0..=1 scales each generator's noise: 0 gives the clean shape, 0.1-0.2 is
//! noisy but clearly learnable, 1 is very noisy. Classification samples are split evenly
//! across classes (class `k` first, in order); imbalance is applied afterwards.

use std::f32::consts::{FRAC_PI_4, PI, TAU};

use crate::config::DatasetKind;
use crate::rng::Rng;

/// Half the side of the plane: every generated point lies in [-extent, extent]².
pub const PLANE_EXTENT: f32 = 6.0;

/// Generated points with class labels (classification) or targets (regression).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Points {
    pub points: Vec<[f32; 2]>,
    pub labels: Vec<u32>,
    pub targets: Vec<f32>,
}

/// `n` points of a 2-D set; `classes` is used by spiral and blobs (circles, xor and moons
/// have 2). Panics on `DatasetKind::Digits` and `DatasetKind::Csv`, which are not generated.
pub fn generate(kind: DatasetKind, n: usize, classes: usize, noise: f32, rng: &mut Rng) -> Points {
    let noise = noise.clamp(0.0, 1.0);
    let mut out = Points::default();
    let mut classify = |c: usize, shape: &mut dyn FnMut(usize, &mut Rng) -> [f32; 2], sd: f32| {
        for (k, &count) in per_class(n, c).iter().enumerate() {
            for _ in 0..count {
                let p = shape(k, rng);
                out.points.push(jitter(p, sd, rng));
                out.labels.push(k as u32);
            }
        }
    };
    match kind {
        DatasetKind::Spiral => classify(classes, &mut |k, r| spiral(k, classes, r), 0.7 * noise),
        DatasetKind::Circles => classify(2, &mut circles, 1.5 * noise),
        DatasetKind::Xor => classify(2, &mut xor, 1.5 * noise),
        // Blobs are Gaussian by nature: noise widens them (0 still leaves a small spread).
        DatasetKind::Blobs => classify(classes, &mut |k, _| blob(k, classes), 0.3 + 2.7 * noise),
        DatasetKind::Moons => classify(2, &mut moons, 1.5 * noise),
        DatasetKind::Plane | DatasetKind::Gaussians => {
            for _ in 0..n {
                let (x, y) = (rng.range(-5.5, 5.5), rng.range(-5.5, 5.5));
                let t = if kind == DatasetKind::Plane {
                    plane(x, y)
                } else {
                    gaussians(x, y)
                };
                out.points.push([x, y]);
                out.targets.push(t + 0.5 * noise * rng.normal());
            }
        }
        DatasetKind::Digits | DatasetKind::Csv => panic!("{kind:?} is not a generated set"),
    }
    out
}

/// Counts per class for `n` samples split evenly (the first `n % c` classes get one more).
fn per_class(n: usize, c: usize) -> Vec<usize> {
    (0..c).map(|k| n / c + usize::from(k < n % c)).collect()
}

/// Adds Gaussian noise, redrawing it (up to 16 times) if the point would leave the plane.
fn jitter(p: [f32; 2], sd: f32, rng: &mut Rng) -> [f32; 2] {
    let e = PLANE_EXTENT;
    for _ in 0..16 {
        let q = [p[0] + sd * rng.normal(), p[1] + sd * rng.normal()];
        if q[0].abs() <= e && q[1].abs() <= e {
            return q;
        }
    }
    [p[0].clamp(-e, e), p[1].clamp(-e, e)]
}

/// Arm `k` of `c`, 1.5 turns from radius 0.5 to 5.5; arms are rotated by `TAU / c`.
fn spiral(k: usize, c: usize, rng: &mut Rng) -> [f32; 2] {
    let u = rng.uniform() as f32;
    let r = 0.5 + 5.0 * u;
    let t = 1.5 * TAU * u + TAU * k as f32 / c as f32;
    [r * t.cos(), r * t.sin()]
}

/// Class 0: a disc of radius 2.5; class 1: a ring from 3.5 to 5.5.
fn circles(k: usize, rng: &mut Rng) -> [f32; 2] {
    let u = rng.uniform() as f32;
    let r = if k == 0 { 2.5 * u } else { 3.5 + 2.0 * u };
    let t = rng.range(0.0, TAU);
    [r * t.cos(), r * t.sin()]
}

/// Class 0: x*y > 0 (quadrants 1 and 3); class 1: x*y < 0. At least 0.3 from the axes.
fn xor(k: usize, rng: &mut Rng) -> [f32; 2] {
    let sx = if rng.uniform() < 0.5 { -1.0 } else { 1.0 };
    let sy = if k == 0 { sx } else { -sx };
    [sx * rng.range(0.3, 5.5), sy * rng.range(0.3, 5.5)]
}

/// Centre of blob `k` of `c`, on a circle of radius 3.5 (the spread is added by `generate`).
fn blob(k: usize, c: usize) -> [f32; 2] {
    let t = TAU * k as f32 / c as f32 + FRAC_PI_4;
    [3.5 * t.cos(), 3.5 * t.sin()]
}

/// scikit-learn's two moons, centred and scaled by 2.4 (x within ±3.6, y within ±1.8).
fn moons(k: usize, rng: &mut Rng) -> [f32; 2] {
    let t = rng.range(0.0, PI);
    let (x, y) = if k == 0 {
        (t.cos(), t.sin())
    } else {
        (1.0 - t.cos(), 0.5 - t.sin())
    };
    [2.4 * (x - 0.5), 2.4 * (y - 0.25)]
}

/// A tilted plane, exactly [-1, 1] over [-5.5, 5.5]².
fn plane(x: f32, y: f32) -> f32 {
    (x + 0.5 * y) / (1.5 * 5.5)
}

/// Six signed Gaussian bumps (alternating signs on a 3×2 grid), within about [-1, 1].
fn gaussians(x: f32, y: f32) -> f32 {
    const BUMPS: [(f32, f32, f32); 6] = [
        (-4.0, 2.5, 1.0),
        (0.0, 2.5, -1.0),
        (4.0, 2.5, 1.0),
        (-4.0, -2.5, -1.0),
        (0.0, -2.5, 1.0),
        (4.0, -2.5, -1.0),
    ];
    BUMPS
        .iter()
        .map(|&(cx, cy, s)| s * (-((x - cx).powi(2) + (y - cy).powi(2)) / (2.0 * 1.6 * 1.6)).exp())
        .sum()
}
