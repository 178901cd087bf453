//! Datasets, built deterministically from a [`RunConfig`] and its seed.
//!
//! [`Dataset::build`] generates (or loads) the examples, then prepares them in a fixed
//! order: class imbalance, train/validation split, label noise, features, raw units and
//! standardisation (see [`prepare`]). Every random draw comes from [`crate::rng::Rng`]
//! streams of the run's seed, so the same config (and the same CSV file) always gives the
//! same dataset.

pub mod csv;
pub mod digits;
mod neighbours;
mod prepare;
pub mod toy;

use std::fmt;
use std::sync::Arc;

use crate::config::{DataConfig, DatasetKind, Feature, RunConfig};
use crate::rng::{Rng, purpose};

pub use csv::{CsvData, CsvError, CsvTarget, parse_csv};
pub use digits::Digits;
pub use neighbours::NoiseFloor;
pub use toy::PLANE_EXTENT;

use prepare::{Examples, Standardizer};

/// One split (training or validation) of a dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    /// Row-major `len() × num_features`, model-ready (after all preprocessing).
    pub x: Vec<f32>,
    pub num_features: usize,
    /// Class ids (classification); empty for regression.
    pub labels: Vec<u32>,
    /// Labels before label noise (equal to `labels` for validation).
    pub clean_labels: Vec<u32>,
    /// Regression targets; empty for classification. Standardised for CSV files (see
    /// [`Dataset::target_mean`]).
    pub targets: Vec<f32>,
    /// Coordinates on the plane (2-D sets, see [`Dataset::plane`]; empty otherwise).
    pub points: Vec<[f32; 2]>,
    /// Digits only: raw pixels 0..=16, `side²` per example (for drawing); empty otherwise.
    pub pixels: Vec<f32>,
}

impl Split {
    pub fn len(&self) -> usize {
        self.x.len().checked_div(self.num_features).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The model-ready features of example `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.x[i * self.num_features..(i + 1) * self.num_features]
    }

    /// Example indices sorted by label (stable), or by target for regression: the batch
    /// order of the `no_shuffle` bug.
    pub fn class_order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        if self.targets.is_empty() {
            order.sort_by_key(|&i| self.labels[i as usize]);
        } else {
            order.sort_by(|&a, &b| self.targets[a as usize].total_cmp(&self.targets[b as usize]));
        }
        order
    }
}

/// A prepared dataset: both splits plus the training statistics used to standardise them.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub kind: DatasetKind,
    pub num_features: usize,
    /// Number of classes; 1 for regression.
    pub num_classes: usize,
    pub regression: bool,
    /// Side of the (square) images for digits; `None` for the 2-D sets.
    pub image_side: Option<usize>,
    pub train: Split,
    pub val: Split,
    /// Per-feature mean and std of the training split, in raw units.
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
    /// Whether the training split is standardised (false with `unnormalized_inputs`).
    pub standardize: bool,
    /// Whether the validation split is standardised (false with `unnormalized_inputs`
    /// or `val_preprocessing_mismatch`).
    pub val_standardized: bool,
    /// The raw-unit transform applied before standardisation (`v * scale + offset`;
    /// identity for CSV files, which come in their own units).
    pub input_scale: f32,
    pub input_offset: f32,
    /// How plane coordinates map to raw inputs (2-D sets).
    pub plane: PlaneMap,
    /// CSV regression: targets are `(value - target_mean) / target_std`, with the training
    /// split's statistics, so a prediction `p` means `p * target_std + target_mean`.
    /// 0 and 1 otherwise.
    pub target_mean: f32,
    pub target_std: f32,
}

/// How plane coordinates (`Split::points`, the decision-surface grid, both within
/// [`PLANE_EXTENT`]) map to raw inputs, per axis: `raw = plane * scale + offset`.
///
/// The toy sets are generated on the plane: identity. A CSV file's 2-D points are shown
/// standardised (training statistics, as the model sees them), scaled by one factor for both
/// axes so that the farthest point lies at [`CSV_FILL`] of the extent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlaneMap {
    pub scale: [f32; 2],
    pub offset: [f32; 2],
}

/// The fraction of the plane's half-width a CSV file's farthest point reaches.
pub const CSV_FILL: f32 = 0.9;

impl PlaneMap {
    pub const IDENTITY: PlaneMap = PlaneMap {
        scale: [1.0, 1.0],
        offset: [0.0, 0.0],
    };

    pub fn to_raw(&self, p: [f32; 2]) -> [f32; 2] {
        [0, 1].map(|a| p[a] * self.scale[a] + self.offset[a])
    }

    pub fn to_plane(&self, raw: [f32; 2]) -> [f32; 2] {
        [0, 1].map(|a| (raw[a] - self.offset[a]) / self.scale[a])
    }

    /// The map for raw 2-column rows (`xs`, row-major) standardised with `mean` and `std`.
    fn fit(mean: &[f32], std: &[f32], xs: &[&[f32]]) -> PlaneMap {
        let far = xs
            .iter()
            .flat_map(|x| x.chunks_exact(2))
            .flat_map(|r| [0, 1].map(|a| ((r[a] - mean[a]) / std[a]).abs()))
            .fold(0f32, f32::max);
        let per_unit = if far > 1e-6 {
            far / (CSV_FILL * PLANE_EXTENT)
        } else {
            1.0
        };
        PlaneMap {
            scale: [std[0] * per_unit, std[1] * per_unit],
            offset: [mean[0], mean[1]],
        }
    }
}

/// Files the engine cannot read itself (no file system in wasm): the app fetches them, or
/// the learner imports them.
#[derive(Clone, Debug, Default)]
pub struct Assets {
    pub digits: Option<Arc<Digits>>,
    /// The learner's CSV file ([`parse_csv`]), used by `dataset = csv`.
    pub csv: Option<Arc<CsvData>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DataError {
    /// The digits dataset was requested but `Assets::digits` is not set.
    MissingDigits,
    /// `dataset = csv` but `Assets::csv` is not set.
    MissingCsv,
    /// The digits file could not be decompressed or is not text.
    Format(String),
    /// A row of the digits CSV is malformed (`row` counts lines from 1).
    Parse { row: usize, message: String },
    /// The digits file has no rows.
    Empty,
    /// The data settings cannot produce a dataset.
    Config(String),
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingDigits => write!(
                f,
                "the digits dataset is not loaded (fetch data/digits.csv.gz and pass it in Assets)"
            ),
            Self::MissingCsv => write!(f, "no CSV file loaded: import one first"),
            Self::Format(m) => write!(f, "digits file: {m}"),
            Self::Parse { row, message } => write!(f, "digits file, row {row}: {message}"),
            Self::Empty => write!(f, "digits file: no rows"),
            Self::Config(m) => write!(f, "data settings: {m}"),
        }
    }
}

impl std::error::Error for DataError {}

impl Dataset {
    pub fn build(cfg: &RunConfig, assets: &Assets) -> Result<Dataset, DataError> {
        let d = &cfg.data;
        let kind = d.dataset;
        let mut rng = Rng::stream(cfg.seed, purpose::DATA);
        let csv = match kind {
            DatasetKind::Csv => Some(assets.csv.clone().ok_or(DataError::MissingCsv)?),
            _ => None,
        };
        // A CSV file decides its own shape; the config decides every other set's.
        let (regression, num_classes, num_features) = match &csv {
            Some(c) => (c.is_regression(), c.num_classes(), c.num_features()),
            None => (
                kind.is_regression(),
                d.num_classes().unwrap_or(1),
                d.num_inputs().unwrap_or(0),
            ),
        };

        let mut ex = match &csv {
            Some(c) => csv_examples(c),
            None if kind.is_image() => digit_examples(d, assets)?,
            None => {
                if d.features.is_empty() {
                    return Err(DataError::Config("choose at least one input feature".into()));
                }
                if !regression && num_classes < 2 {
                    return Err(DataError::Config(format!(
                        "{num_classes} classes: need at least 2"
                    )));
                }
                let pts = toy::generate(kind, d.samples, num_classes, d.noise, &mut rng);
                Examples {
                    points: pts.points,
                    labels: pts.labels,
                    targets: pts.targets,
                    ..Default::default()
                }
            }
        };

        if !regression {
            let keep = prepare::imbalance(&ex.labels, num_classes, d.imbalance, &mut rng);
            ex = ex.select(&keep);
        }
        if ex.len() < 2 {
            return Err(DataError::Config(format!(
                "only {} examples: need at least 2",
                ex.len()
            )));
        }

        let (train_idx, val_idx) = prepare::split(
            ex.len(),
            d.val_fraction,
            &mut Rng::stream(cfg.seed, purpose::SPLIT),
        );
        let mut train = ex.select(&train_idx);
        let mut val = ex.select(&val_idx);

        let (target_mean, target_std) = if csv.is_some() && regression {
            prepare::standardize_targets(&mut train.targets, &mut val.targets)
        } else {
            (0.0, 1.0)
        };
        let clean_labels = train.labels.clone();
        let mut noise_rng = Rng::stream(cfg.seed, purpose::LABEL_NOISE);
        if regression {
            prepare::target_noise(&mut train.targets, d.label_noise, &mut noise_rng);
        } else {
            prepare::label_noise(&mut train.labels, num_classes, d.label_noise, &mut noise_rng);
        }

        let (input_scale, input_offset) = match csv {
            Some(_) => (1.0, 0.0),
            None => (d.input_scale, d.input_offset),
        };
        let features = |e: &Examples| -> Vec<f32> {
            let mut x = if e.raw_len > 0 {
                e.raw.clone()
            } else {
                prepare::plane_features(&e.points, &d.features)
            };
            prepare::raw_units(&mut x, input_scale, input_offset);
            x
        };
        let mut train_x = features(&train);
        let mut val_x = features(&val);

        let stats = Standardizer::fit(&train_x, num_features);
        let plane = if kind == DatasetKind::Csv && num_features == 2 {
            let map = PlaneMap::fit(&stats.mean, &stats.std, &[&train_x, &val_x]);
            let points = |x: &[f32]| x.chunks_exact(2).map(|r| map.to_plane([r[0], r[1]])).collect();
            train.points = points(&train_x);
            val.points = points(&val_x);
            map
        } else {
            PlaneMap::IDENTITY
        };
        let standardize = !cfg.bugs.unnormalized_inputs;
        let val_standardized = standardize && !cfg.bugs.val_preprocessing_mismatch;
        if standardize {
            stats.apply(&mut train_x);
        }
        if val_standardized {
            stats.apply(&mut val_x);
        }

        let into_split = |e: Examples, x: Vec<f32>, clean: Vec<u32>| Split {
            x,
            num_features,
            labels: e.labels,
            clean_labels: clean,
            targets: e.targets,
            points: e.points,
            pixels: if kind.is_image() { e.raw } else { Vec::new() },
        };
        let val_clean = val.labels.clone();
        Ok(Dataset {
            kind,
            num_features,
            num_classes,
            regression,
            image_side: kind.is_image().then_some(d.image_size),
            train: into_split(train, train_x, clean_labels),
            val: into_split(val, val_x, val_clean),
            mean: stats.mean,
            std: stats.std,
            standardize,
            val_standardized,
            input_scale,
            input_offset,
            plane,
            target_mean,
            target_std,
        })
    }

    /// Whether the examples are points on the plane (the toy sets, CSV files with two
    /// features): `Split::points`, [`Dataset::plane_grid`] and the decision surface exist.
    pub fn is_plane(&self) -> bool {
        self.image_side.is_none() && (self.kind != DatasetKind::Csv || self.num_features == 2)
    }

    /// The features computed from a plane point: the config's for the toy sets; a CSV
    /// file's two columns as they are (`features` does not apply to CSV).
    pub fn input_features<'a>(&self, features: &'a [Feature]) -> &'a [Feature] {
        match self.kind {
            DatasetKind::Csv => &[Feature::X, Feature::Y],
            _ => features,
        }
    }

    /// Model-ready features of an arbitrary plane point, preprocessed exactly like the
    /// training split (for the decision-surface grid). Plane sets only ([`Dataset::is_plane`]).
    /// Clears `out` first.
    pub fn features_of_point(&self, features: &[Feature], x: f32, y: f32, out: &mut Vec<f32>) {
        debug_assert!(self.is_plane(), "features_of_point: plane sets only");
        out.clear();
        self.push_point(features, x, y, out);
    }

    /// The decision-surface grid: `resolution²` rows of model-ready features, row-major,
    /// rows from the top (y = +extent) down, columns from the left (x = -extent); each
    /// cell is sampled at its centre, [`grid_coord`].
    /// Empty unless [`Dataset::is_plane`].
    pub fn plane_grid(&self, cfg: &DataConfig, resolution: usize) -> Vec<f32> {
        if !self.is_plane() {
            return Vec::new();
        }
        let width = self.input_features(&cfg.features).len();
        let mut out = Vec::with_capacity(resolution * resolution * width);
        for r in 0..resolution {
            let y = -grid_coord(r, resolution);
            for c in 0..resolution {
                self.push_point(&cfg.features, grid_coord(c, resolution), y, &mut out);
            }
        }
        out
    }

    fn push_point(&self, features: &[Feature], x: f32, y: f32, out: &mut Vec<f32>) {
        let [x, y] = self.plane.to_raw([x, y]);
        let start = out.len();
        out.extend(
            self.input_features(features)
                .iter()
                .map(|f| prepare::raw_unit(f.eval(x, y), self.input_scale, self.input_offset)),
        );
        if self.standardize {
            prepare::standardize_row(&mut out[start..], &self.mean, &self.std);
        }
    }

    /// Examples per class (training labels as the model sees them, i.e. after label noise;
    /// validation). Regression: one "class" holding every example.
    pub fn class_counts(&self) -> (Vec<usize>, Vec<usize>) {
        let count = |s: &Split| {
            if self.regression {
                return vec![s.len()];
            }
            let mut c = vec![0; self.num_classes];
            for &l in &s.labels {
                c[l as usize] += 1;
            }
            c
        };
        (count(&self.train), count(&self.val))
    }
}

/// Centre of cell `i` of `resolution` cells spanning [-extent, extent] (left to right).
pub fn grid_coord(i: usize, resolution: usize) -> f32 {
    -PLANE_EXTENT + (i as f32 + 0.5) * (2.0 * PLANE_EXTENT / resolution as f32)
}

fn digit_examples(d: &DataConfig, assets: &Assets) -> Result<Examples, DataError> {
    let side = d.image_size;
    if !(1..=64).contains(&side) {
        return Err(DataError::Config(format!("image size {side} (use 8 or 28)")));
    }
    let digits = match &assets.digits {
        Some(d) => d.clone(),
        #[cfg(not(target_arch = "wasm32"))]
        None => digits::bundled_digits(),
        #[cfg(target_arch = "wasm32")]
        None => return Err(DataError::MissingDigits),
    };
    let mut pixels = Vec::with_capacity(digits.len() * side * side);
    for img in &digits.images {
        if side == 8 {
            pixels.extend(img.iter().map(|&p| p as f32));
        } else {
            pixels.extend(digits::upsample(img, side));
        }
    }
    Ok(Examples {
        labels: digits.labels.iter().map(|&l| l as u32).collect(),
        raw: pixels,
        raw_len: side * side,
        ..Default::default()
    })
}

/// The file's rows as raw values, in file order (the split shuffles them).
fn csv_examples(c: &CsvData) -> Examples {
    let (labels, targets) = match &c.target {
        CsvTarget::Classes { labels, .. } => (labels.iter().map(|&l| l as u32).collect(), Vec::new()),
        CsvTarget::Values(v) => (Vec::new(), v.clone()),
    };
    Examples {
        labels,
        targets,
        raw: c.rows.concat(),
        raw_len: c.num_features(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BugsConfig;

    const PLANE_SETS: [DatasetKind; 7] = [
        DatasetKind::Spiral,
        DatasetKind::Circles,
        DatasetKind::Xor,
        DatasetKind::Blobs,
        DatasetKind::Moons,
        DatasetKind::Plane,
        DatasetKind::Gaussians,
    ];

    fn cfg(kind: DatasetKind, f: impl FnOnce(&mut RunConfig)) -> RunConfig {
        let mut c = RunConfig::default();
        c.data.dataset = kind;
        f(&mut c);
        c
    }

    fn build(c: &RunConfig) -> Dataset {
        Dataset::build(c, &Assets::default()).unwrap()
    }

    fn all_clean_counts(d: &Dataset) -> Vec<usize> {
        let mut n = vec![0; d.num_classes];
        d.train
            .clean_labels
            .iter()
            .chain(&d.val.labels)
            .for_each(|&l| n[l as usize] += 1);
        n
    }

    fn column(s: &Split, f: usize) -> (f32, f32) {
        let col: Vec<f64> = (0..s.len()).map(|i| s.row(i)[f] as f64).collect();
        let m = col.iter().sum::<f64>() / col.len() as f64;
        let v = col.iter().map(|x| (x - m).powi(2)).sum::<f64>() / col.len() as f64;
        (m as f32, v.sqrt() as f32)
    }

    #[test]
    fn plane_sets_have_the_right_shape_balance_and_extent() {
        for kind in PLANE_SETS {
            for classes in [2, 3, 5] {
                let c = cfg(kind, |c| {
                    c.data.classes = classes;
                    c.data.samples = 301;
                    c.data.features = Feature::ALL.to_vec();
                });
                let d = build(&c);
                let n = d.train.len() + d.val.len();
                assert_eq!(n, 301, "{kind:?}");
                assert_eq!((d.num_features, d.train.x.len()), (7, d.train.len() * 7));
                assert_eq!(d.val.x.len(), d.val.len() * 7);
                assert_eq!(d.image_side, None);
                assert_eq!(d.train.points.len(), d.train.len());
                assert!(d.train.pixels.is_empty());
                let pts = d.train.points.iter().chain(&d.val.points);
                assert!(pts.flatten().all(|v| v.abs() <= PLANE_EXTENT), "{kind:?}");
                if d.regression {
                    assert_eq!((d.num_classes, d.train.targets.len()), (1, d.train.len()));
                    assert!(d.train.labels.is_empty() && d.val.clean_labels.is_empty());
                    let t = d.train.targets.iter().chain(&d.val.targets);
                    assert!(t.clone().all(|t| t.abs() < 1.5), "{kind:?}");
                    assert!(
                        t.clone().any(|&t| t > 0.6) && t.clone().any(|&t| t < -0.6),
                        "{kind:?}"
                    );
                } else {
                    assert_eq!(Some(d.num_classes), c.data.num_classes());
                    assert!(d.train.targets.is_empty());
                    let counts = all_clean_counts(&d);
                    let (lo, hi) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
                    assert!(hi - lo <= 1, "{kind:?} {counts:?}");
                }
            }
        }
    }

    #[test]
    fn same_seed_same_dataset_different_seed_different() {
        // CSV files: tests/csv.rs.
        for kind in DatasetKind::ALL.into_iter().filter(|&k| k != DatasetKind::Csv) {
            let a = build(&cfg(kind, |_| {}));
            assert_eq!(a, build(&cfg(kind, |_| {})), "{kind:?}");
            let b = build(&cfg(kind, |c| c.seed = 2));
            assert_ne!(a.train.x, b.train.x, "{kind:?}");
        }
    }

    /// 1-nearest-neighbour validation accuracy on the raw points: the shapes are learnable.
    fn nn_accuracy(d: &Dataset) -> f32 {
        let dist = |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2);
        let hits = (0..d.val.len())
            .filter(|&i| {
                let p = d.val.points[i];
                let j = (0..d.train.len())
                    .min_by(|&a, &b| dist(d.train.points[a], p).total_cmp(&dist(d.train.points[b], p)))
                    .unwrap();
                d.train.labels[j] == d.val.labels[i]
            })
            .count();
        hits as f32 / d.val.len() as f32
    }

    #[test]
    fn shapes_are_clean_learnable_or_noisy_with_noise() {
        let kinds = [
            DatasetKind::Circles,
            DatasetKind::Xor,
            DatasetKind::Blobs,
            DatasetKind::Moons,
        ];
        let sets = kinds
            .iter()
            .map(|&k| (k, 2))
            .chain([3, 5, 6].map(|c| (DatasetKind::Spiral, c)));
        for (kind, classes) in sets.chain([(DatasetKind::Spiral, 2), (DatasetKind::Blobs, 6)]) {
            let acc = |noise: f32| {
                nn_accuracy(&build(&cfg(kind, |c| {
                    c.data.classes = classes;
                    c.data.noise = noise;
                    c.data.samples = 1000;
                })))
            };
            let (clean, usual, noisy) = (acc(0.0), acc(0.15), acc(1.0));
            assert!(clean >= 0.95, "{kind:?} {classes}: {clean}");
            assert!(usual >= 0.85, "{kind:?} {classes}: {usual}");
            assert!(noisy < usual - 0.05, "{kind:?} {classes}: {noisy} vs {usual}");
        }
    }

    #[test]
    fn imbalance_subsamples_classes() {
        let d = build(&cfg(DatasetKind::Circles, |c| c.data.imbalance = 0.1));
        assert_eq!(all_clean_counts(&d), vec![250, 25]);
        let d = build(&cfg(DatasetKind::Spiral, |c| {
            c.data.classes = 3;
            c.data.samples = 600;
            c.data.imbalance = 0.25;
        }));
        assert_eq!(all_clean_counts(&d), vec![200, 100, 50]);
        let full = build(&cfg(DatasetKind::Digits, |_| {}));
        let d = build(&cfg(DatasetKind::Digits, |c| c.data.imbalance = 0.5));
        let (a, b) = (all_clean_counts(&full), all_clean_counts(&d));
        assert_eq!(a.iter().sum::<usize>(), 1797);
        assert_eq!(a[0], b[0]);
        for k in 1..10 {
            let want = a[k] as f32 * 0.5f32.powf(k as f32 / 9.0);
            assert!((b[k] as f32 - want).abs() <= 0.5, "class {k}: {} vs {want}", b[k]);
        }
        // Regression ignores it.
        let d = build(&cfg(DatasetKind::Plane, |c| c.data.imbalance = 0.1));
        assert_eq!(d.train.len() + d.val.len(), 500);
    }

    #[test]
    fn label_noise_is_exact_on_train_and_absent_on_val() {
        for (kind, p) in [
            (DatasetKind::Spiral, 0.3),
            (DatasetKind::Digits, 0.25),
            (DatasetKind::Xor, 0.0),
        ] {
            let d = build(&cfg(kind, |c| c.data.label_noise = p));
            let changed = d
                .train
                .labels
                .iter()
                .zip(&d.train.clean_labels)
                .filter(|(a, b)| a != b)
                .count();
            assert_eq!(
                changed,
                (p as f64 * d.train.len() as f64).round() as usize,
                "{kind:?}"
            );
            assert_eq!(d.val.labels, d.val.clean_labels);
            assert!(d.train.labels.iter().all(|&l| (l as usize) < d.num_classes));
        }
        let clean = build(&cfg(DatasetKind::Gaussians, |_| {}));
        let d = build(&cfg(DatasetKind::Gaussians, |c| c.data.label_noise = 0.2));
        let changed = d
            .train
            .targets
            .iter()
            .zip(&clean.train.targets)
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(changed, 80);
        assert_eq!(d.val.targets, clean.val.targets);
    }

    #[test]
    fn split_ratio_and_never_empty() {
        let d = build(&cfg(DatasetKind::Moons, |c| c.data.val_fraction = 0.01));
        assert_eq!((d.train.len(), d.val.len()), (495, 5));
        let d = build(&cfg(DatasetKind::Moons, |c| c.data.val_fraction = 0.2));
        assert_eq!((d.train.len(), d.val.len()), (400, 100));
        let d = build(&cfg(DatasetKind::Blobs, |c| {
            c.data.samples = 20;
            c.data.val_fraction = 0.01;
        }));
        assert_eq!((d.train.len(), d.val.len()), (19, 1));
        let d = build(&cfg(DatasetKind::Blobs, |c| {
            c.data.samples = 20;
            c.data.val_fraction = 0.99;
        }));
        assert_eq!((d.train.len(), d.val.len()), (1, 19));
    }

    #[test]
    fn standardisation_and_its_bugs() {
        let features = vec![Feature::X, Feature::Y, Feature::XSquared];
        let base = |bugs: BugsConfig| {
            build(&cfg(DatasetKind::Circles, |c| {
                c.data.features = features.clone();
                c.data.input_scale = 10.0;
                c.data.input_offset = 20.0;
                c.bugs = bugs;
            }))
        };
        let d = base(BugsConfig::default());
        assert!(d.standardize && d.val_standardized);
        for f in 0..3 {
            let (m, s) = column(&d.train, f);
            assert!(m.abs() < 1e-4 && (s - 1.0).abs() < 1e-3, "feature {f}: {m} {s}");
            let (m, s) = column(&d.val, f);
            assert!(m.abs() < 0.3 && (s - 1.0).abs() < 0.3, "val feature {f}: {m} {s}");
        }

        let raw = |s: &Split| {
            (0..s.len()).all(|i| {
                let [x, y] = s.points[i];
                s.row(i) == [x * 10.0 + 20.0, y * 10.0 + 20.0, x * x * 10.0 + 20.0]
            })
        };
        let d = base(BugsConfig {
            unnormalized_inputs: true,
            ..Default::default()
        });
        assert!(!d.standardize && raw(&d.train) && raw(&d.val));
        let (m, s) = column(&d.train, 0);
        assert!((m - 20.0).abs() < 5.0 && s > 20.0, "{m} {s}");

        let d = base(BugsConfig {
            val_preprocessing_mismatch: true,
            ..Default::default()
        });
        assert!(d.standardize && !d.val_standardized && raw(&d.val) && !raw(&d.train));
        assert!(column(&d.train, 0).0.abs() < 1e-4);

        // Digits: constant pixels (the corners) become 0, not NaN.
        let d = build(&cfg(DatasetKind::Digits, |c| c.data.image_size = 28));
        assert_eq!((d.num_features, d.image_side), (784, Some(28)));
        assert_eq!(d.train.pixels.len(), d.train.len() * 784);
        assert!(
            d.train
                .x
                .iter()
                .chain(&d.val.x)
                .all(|v| v.is_finite() && v.abs() < 100.0)
        );
        assert!(d.train.x.iter().step_by(784).all(|&v| v == 0.0));
    }

    #[test]
    fn features_of_point_match_training_rows_and_grid() {
        for bugs in [
            BugsConfig::default(),
            BugsConfig {
                unnormalized_inputs: true,
                ..Default::default()
            },
        ] {
            let c = cfg(DatasetKind::Spiral, |c| {
                c.data.features = Feature::ALL.to_vec();
                c.bugs = bugs.clone();
            });
            let d = build(&c);
            let mut out = vec![1.0; 3];
            for i in 0..d.train.len() {
                let [x, y] = d.train.points[i];
                d.features_of_point(&c.data.features, x, y, &mut out);
                assert_eq!(out, d.train.row(i));
            }
            let grid = d.plane_grid(&c.data, 4);
            assert_eq!(grid.len(), 16 * 7);
            let (x, y) = (grid_coord(1, 4), -grid_coord(2, 4));
            assert_eq!((x, y), (-1.5, -1.5));
            d.features_of_point(&c.data.features, x, y, &mut out);
            assert_eq!(&grid[(2 * 4 + 1) * 7..][..7], &out[..]);
        }
    }

    #[test]
    fn class_order_and_counts() {
        let d = build(&cfg(DatasetKind::Blobs, |c| c.data.classes = 4));
        let order = d.train.class_order();
        assert_eq!(order.len(), d.train.len());
        assert!(order.windows(2).all(|w| {
            let (a, b) = (d.train.labels[w[0] as usize], d.train.labels[w[1] as usize]);
            a < b || (a == b && w[0] < w[1])
        }));
        let (tr, va) = d.class_counts();
        assert_eq!((tr.iter().sum::<usize>(), va.iter().sum::<usize>()), (400, 100));
        let d = build(&cfg(DatasetKind::Plane, |_| {}));
        let t: Vec<f32> = d
            .train
            .class_order()
            .iter()
            .map(|&i| d.train.targets[i as usize])
            .collect();
        assert!(t.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(d.class_counts(), (vec![400], vec![100]));
    }

    #[test]
    fn digits_from_assets_and_errors() {
        let mut tiny = Digits::default();
        for i in 0..30u8 {
            tiny.images.push([i % 17; 64]);
            tiny.labels.push(i % 10);
        }
        let assets = Assets {
            digits: Some(Arc::new(tiny)),
            ..Default::default()
        };
        let d = Dataset::build(&cfg(DatasetKind::Digits, |_| {}), &assets).unwrap();
        assert_eq!(
            (d.train.len() + d.val.len(), d.num_classes, d.num_features),
            (30, 10, 64)
        );
        assert!(d.train.points.is_empty());
        let msg = DataError::MissingDigits.to_string();
        assert!(msg.contains("digits"), "{msg}");
        let e = Dataset::build(&cfg(DatasetKind::Xor, |c| c.data.features.clear()), &assets);
        assert!(matches!(e, Err(DataError::Config(_))));
    }
}
