//! How noisy the training labels are, read from the data alone: near neighbours with different
//! labels. Where the labels of neighbouring points disagree, no model can be sure, and the
//! training loss has a floor that more capacity or a higher learning rate cannot lower.

use super::Dataset;

/// Inputs up to this many dimensions count as low-dimensional: neighbours are meaningful there
/// (the 2-D sets are read on their plane, whatever features the model gets).
const MAX_DIMS: usize = 8;
/// Neighbours read around each point.
const K: usize = 16;
/// Points whose neighbourhoods are read, at most (evenly spread over the training set): the
/// estimate costs at most this many times the set's size in distances, once per run (about
/// 15 ms natively for 5,000 points).
const QUERIES: usize = 256;
/// Fewer training examples than this give no estimate.
const MIN_EXAMPLES: usize = 40;

/// The training labels' noise, estimated from neighbourhoods.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoiseFloor {
    /// Share of a point's nearest neighbours whose label differs from its own.
    pub disagreement: f32,
    /// The training loss (cross-entropy, nats) that the mix of labels around each point
    /// implies: the loss of a model that predicts every neighbourhood's label frequencies exactly.
    pub loss: f32,
}

impl Dataset {
    /// The training labels' noise floor, for classification sets with at most a few input
    /// dimensions (`None` otherwise). Deterministic, and bounded work: at most 256 points'
    /// neighbourhoods, each among all training examples.
    pub fn noise_floor(&self) -> Option<NoiseFloor> {
        let train = &self.train;
        let n = train.len();
        if self.regression || self.num_classes < 2 || n < MIN_EXAMPLES {
            return None;
        }
        // Coordinates: the plane for the 2-D sets, else the model's inputs, each standardised
        // here so that no column dominates the distances.
        let (dims, coords): (usize, Vec<f32>) = if train.points.len() == n {
            (2, train.points.iter().flatten().copied().collect())
        } else if self.num_features <= MAX_DIMS {
            (self.num_features, train.x.clone())
        } else {
            return None;
        };
        let coords = standardised(&coords, dims);
        let k = K.min(n - 1);
        let queries = QUERIES.min(n);
        let c = self.num_classes;
        let mut nearest: Vec<(f32, u32)> = Vec::with_capacity(k + 1);
        let mut counts = vec![0usize; c];
        let (mut disagree, mut entropy) = (0.0f64, 0.0f64);
        for q in 0..queries {
            let i = q * n / queries;
            let p = &coords[i * dims..(i + 1) * dims];
            nearest.clear();
            for j in 0..n {
                if j == i {
                    continue;
                }
                let d: f32 = p
                    .iter()
                    .zip(&coords[j * dims..(j + 1) * dims])
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum();
                if nearest.len() < k || d < nearest[k - 1].0 {
                    let at = nearest.partition_point(|e| e.0 <= d);
                    nearest.insert(at, (d, train.labels[j]));
                    nearest.truncate(k);
                }
            }
            let own = train.labels[i];
            counts.fill(0);
            counts[own as usize] += 1;
            for &(_, l) in &nearest {
                counts[l as usize] += 1;
                disagree += (l != own) as u8 as f64 / k as f64;
            }
            entropy += entropy_of(&counts);
        }
        Some(NoiseFloor {
            disagreement: (disagree / queries as f64) as f32,
            loss: (entropy / queries as f64) as f32,
        })
    }
}

/// Entropy (nats) of label counts, with the Miller–Madow correction for the few samples a
/// neighbourhood has (the plain estimate is biased low by about (bins − 1) / 2N).
fn entropy_of(counts: &[usize]) -> f64 {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let t = total as f64;
    let mut h = 0.0;
    let mut bins = 0;
    for &c in counts.iter().filter(|&&c| c > 0) {
        let p = c as f64 / t;
        h -= p * p.ln();
        bins += 1;
    }
    h + (bins - 1) as f64 / (2.0 * t)
}

/// Columns scaled to zero mean and unit standard deviation (constant columns left at 0).
fn standardised(x: &[f32], dims: usize) -> Vec<f32> {
    let n = (x.len() / dims.max(1)).max(1) as f64;
    let mut out = x.to_vec();
    for d in 0..dims {
        let col = || x.iter().skip(d).step_by(dims).map(|&v| v as f64);
        let mean = col().sum::<f64>() / n;
        let sd = (col().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        let sd = if sd > 1e-12 { sd } else { 1.0 };
        for v in out.iter_mut().skip(d).step_by(dims) {
            *v = ((*v as f64 - mean) / sd) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RunConfig;
    use crate::data::Assets;

    fn floor(q: &str) -> NoiseFloor {
        let cfg = RunConfig::from_query(q).unwrap();
        Dataset::build(&cfg, &Assets::default())
            .unwrap()
            .noise_floor()
            .expect("a 2-D classification set has a floor")
    }

    #[test]
    fn entropy_is_corrected_for_few_samples() {
        assert_eq!(entropy_of(&[5, 0]), 0.0);
        let h = entropy_of(&[1, 1]);
        assert!((h - (2f64.ln() + 0.25)).abs() < 1e-9, "{h}");
    }

    #[test]
    fn clean_sets_have_a_low_floor_and_label_noise_raises_it() {
        let clean = floor("dataset=blobs&noise=0.1");
        assert!(clean.loss < 0.05 && clean.disagreement < 0.02, "{clean:?}");
        // 40 % of two classes' labels flipped: about H(0.4) = 0.67 nats, 48 % disagreement.
        let noisy = floor("dataset=blobs&noise=0.1&label_noise=0.4");
        assert!((noisy.loss - 0.67).abs() < 0.06, "{noisy:?}");
        assert!((noisy.disagreement - 0.48).abs() < 0.05, "{noisy:?}");
    }

    #[test]
    fn features_and_raw_units_do_not_change_the_floor() {
        let a = floor("dataset=moons&label_noise=0.2");
        let b = floor("dataset=moons&label_noise=0.2&features=x,y,x_squared&unnormalized_inputs=true");
        assert_eq!(a, b);
    }

    #[test]
    fn digits_are_not_low_dimensional() {
        let cfg = RunConfig::from_query("dataset=digits").unwrap();
        let d = Dataset::build(&cfg, &Assets::default()).unwrap();
        assert!(d.noise_floor().is_none());
    }
}
