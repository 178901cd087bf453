//! Small numeric helpers over curves: window means, centred smoothing, roughness.

/// Mean of `v`, 0 when empty.
pub fn mean(v: &[f32]) -> f32 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f32>() / v.len() as f32
    }
}

/// Centred moving average with half-width `half` (shrinking at the ends), in O(n).
pub fn smooth(v: &[f32], half: usize) -> Vec<f32> {
    let mut prefix = Vec::with_capacity(v.len() + 1);
    prefix.push(0.0f64);
    for &x in v {
        prefix.push(prefix.last().unwrap() + x as f64);
    }
    (0..v.len())
        .map(|i| {
            let a = i.saturating_sub(half);
            let b = (i + half + 1).min(v.len());
            ((prefix[b] - prefix[a]) / (b - a) as f64) as f32
        })
        .collect()
}

/// Mean of the window of `v` covering the fractions `[from, to)` of its length (at least one value).
pub fn window(v: &[f32], from: f64, to: f64) -> f32 {
    let n = v.len();
    let a = ((from * n as f64) as usize).min(n.saturating_sub(1));
    let b = ((to * n as f64).ceil() as usize).clamp(a + 1, n.max(a + 1));
    mean(&v[a..b.min(n)])
}

/// Root mean square of `v - trend`.
pub fn residual_rms(v: &[f32], trend: &[f32]) -> f32 {
    let n = v.len().min(trend.len()).max(1);
    let ss: f32 = v.iter().zip(trend).map(|(a, b)| (a - b) * (a - b)).sum();
    (ss / n as f32).sqrt()
}

/// Mean absolute second difference: how much a curve zig-zags between neighbouring points.
pub fn roughness(v: &[f32]) -> f32 {
    if v.len() < 3 {
        return 0.0;
    }
    let d: Vec<f32> = v.windows(3).map(|w| (w[1] - (w[0] + w[2]) / 2.0).abs()).collect();
    mean(&d)
}

/// Autocorrelation of `v` (assumed centred) at `lag`.
pub fn autocorrelation(v: &[f32], lag: usize) -> f32 {
    if lag == 0 || v.len() <= lag {
        return 0.0;
    }
    let energy: f32 = v.iter().map(|x| x * x).sum();
    if energy <= f32::EPSILON {
        return 0.0;
    }
    let cross: f32 = v[lag..].iter().zip(v).map(|(a, b)| a * b).sum();
    cross / energy * v.len() as f32 / (v.len() - lag) as f32
}

/// Median of a copy of `v` (0 when empty).
pub fn median(v: &[f32]) -> f32 {
    let mut s: Vec<f32> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if s.is_empty() {
        return 0.0;
    }
    s.sort_by(f32::total_cmp);
    s[s.len() / 2]
}

/// Linear ramp: 0 at `lo`, 1 at `hi` (either order), clamped.
pub fn ramp(x: f32, lo: f32, hi: f32) -> f32 {
    ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_behave() {
        assert_eq!(smooth(&[1.0, 2.0, 3.0], 1), vec![1.5, 2.0, 2.5]);
        assert_eq!(window(&[1.0, 2.0, 3.0, 4.0], 0.5, 1.0), 3.5);
        assert_eq!(roughness(&[0.0, 1.0, 0.0, 1.0]), 1.0);
        let wave: Vec<f32> = (0..100).map(|i| if i % 10 < 5 { 1.0 } else { -1.0 }).collect();
        assert!(autocorrelation(&wave, 10) > 0.99);
        assert!(autocorrelation(&wave, 5) < -0.99);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(ramp(5.0, 0.0, 10.0), 0.5);
        assert_eq!(ramp(0.001, 0.01, 0.001), 1.0);
    }
}
