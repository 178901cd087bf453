//! A learner's CSV file as a dataset: parsed, prepared like the built-in sets, and trained on.

mod common;
use std::sync::Arc;

use common::*;
use engine::config::{DatasetKind, Feature};
use engine::data::{Assets, DataError, Dataset, PLANE_EXTENT, Split, parse_csv};
use engine::rng::Rng;
use engine::{Device, EngineError, RunConfig, Session};

/// A CSV with a header and `n` rows from `row(rng)`.
fn csv(header: &str, n: usize, mut row: impl FnMut(&mut Rng) -> String) -> Assets {
    let mut rng = Rng::new(11);
    let mut text = format!("{header}\n");
    for _ in 0..n {
        text += &row(&mut rng);
        text.push('\n');
    }
    Assets {
        csv: Some(Arc::new(parse_csv(&text).expect("the test file parses"))),
        ..Default::default()
    }
}

/// Two Gaussian clouds in very different units per axis (standardisation has work to do).
fn two_clouds() -> Assets {
    let mut k = 0;
    csv("height_cm;weight_g;species", 400, move |r| {
        k += 1;
        let (c, name) = if k % 2 == 0 { (1.0, "cat") } else { (-1.0, "dog") };
        let x = 170.0 + 10.0 * (c + 0.6 * r.normal());
        let y = 5000.0 + 1000.0 * (c + 0.6 * r.normal());
        format!("{x};{y};{name}")
    })
}

/// Five features, three classes from a linear score; x4 and x5 are noise.
fn five_features() -> Assets {
    csv("x1,x2,x3,x4,x5,label", 600, |r| {
        let x: Vec<f32> = (0..5).map(|_| r.normal()).collect();
        let score = x[0] + 0.8 * x[1] - 0.6 * x[2];
        let label = if score < -0.5 {
            0
        } else if score < 0.5 {
            1
        } else {
            2
        };
        format!(
            "{},{},{},{},{},{label}",
            x[0],
            x[1],
            x[2],
            100.0 * x[3],
            x[4] - 7.0
        )
    })
}

/// A smooth target in its own units (thousands), with a little noise.
fn regression() -> Assets {
    csv("a,b,c,price", 500, |r| {
        let (a, b, c) = (r.range(-2.0, 2.0), r.range(-2.0, 2.0), r.range(0.0, 10.0));
        let y = 1000.0 + 300.0 * a - 200.0 * b + 20.0 * c + 50.0 * (a * b) + 10.0 * r.normal();
        format!("{a},{b},{c},{y}")
    })
}

fn config() -> RunConfig {
    let mut c = RunConfig::default();
    c.data.dataset = DatasetKind::Csv;
    c.train.eval_every = 50;
    c
}

fn build(c: &RunConfig, assets: &Assets) -> Dataset {
    Dataset::build(c, assets).expect("the CSV builds")
}

fn mean_std(v: impl Iterator<Item = f32>) -> (f32, f32) {
    let v: Vec<f64> = v.map(f64::from).collect();
    let m = v.iter().sum::<f64>() / v.len() as f64;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64;
    (m as f32, var.sqrt() as f32)
}

fn column(s: &Split, f: usize) -> (f32, f32) {
    mean_std((0..s.len()).map(|i| s.row(i)[f]))
}

#[test]
fn two_clouds_train_with_a_decision_surface() {
    let assets = two_clouds();
    let c = config();
    let d = build(&c, &assets);
    assert_eq!((d.num_features, d.num_classes, d.regression), (2, 2, false));
    assert_eq!((d.train.len(), d.val.len()), (320, 80));
    assert!(d.is_plane() && d.train.pixels.is_empty());
    for f in 0..2 {
        let (m, s) = column(&d.train, f);
        assert!(m.abs() < 1e-4 && (s - 1.0).abs() < 1e-3, "feature {f}: {m} {s}");
    }
    // The points fill the plane and map back onto the model's inputs.
    let pts: Vec<[f32; 2]> = d.train.points.iter().chain(&d.val.points).copied().collect();
    let far = pts.iter().flatten().fold(0f32, |m, v| m.max(v.abs()));
    assert!((far - 0.9 * PLANE_EXTENT).abs() < 1e-3, "{far}");
    let mut out = Vec::new();
    for i in 0..d.train.len() {
        let [x, y] = d.train.points[i];
        d.features_of_point(&c.data.features, x, y, &mut out);
        let row = d.train.row(i);
        assert!((out[0] - row[0]).abs() < 1e-4 && (out[1] - row[1]).abs() < 1e-4);
    }

    let mut s = train_with(&c, &assets, 300);
    let l = losses(&s);
    assert!(
        tail_loss(&s, 20) < 0.5 * l[0],
        "{} -> {}",
        l[0],
        tail_loss(&s, 20)
    );
    let acc = last_eval(&s).val_acc.unwrap();
    assert!(acc > 0.9, "validation accuracy {acc}");
    let g = pollster::block_on(s.plane_grid(16, true))
        .unwrap()
        .expect("a surface");
    assert_eq!((g.outputs, g.values.len()), (2, 16 * 16 * 2));
    assert!(g.values.iter().all(|v| v.is_finite()));
    // `features` does not apply to CSV: the grid ignores it too.
    let mut c2 = c.clone();
    c2.data.features = Feature::ALL.to_vec();
    assert_eq!(
        build(&c2, &assets).plane_grid(&c2.data, 4),
        d.plane_grid(&c.data, 4)
    );
}

#[test]
fn a_five_feature_table_learns_above_chance() {
    let assets = five_features();
    let mut c = config();
    c.model.hidden = vec![16];
    let d = build(&c, &assets);
    assert_eq!((d.num_features, d.num_classes), (5, 3));
    assert!(!d.is_plane() && d.train.points.is_empty() && d.plane_grid(&c.data, 4).is_empty());
    let (train_counts, _) = d.class_counts();
    let chance = *train_counts.iter().max().unwrap() as f32 / d.train.len() as f32;

    let mut s = train_with(&c, &assets, 400);
    assert!(tail_loss(&s, 20) < 0.6 * losses(&s)[0]);
    let acc = last_eval(&s).val_acc.unwrap();
    assert!(acc > chance + 0.3, "validation accuracy {acc}, chance {chance}");
    assert!(pollster::block_on(s.plane_grid(16, false)).unwrap().is_none());
    let p = pollster::block_on(s.predictions())
        .unwrap()
        .expect("classification");
    assert_eq!(p.confusion.counts.len(), 3);
}

#[test]
fn a_regression_table_fits_with_mse() {
    let assets = regression();
    let c = config();
    let d = build(&c, &assets);
    assert!(d.regression && d.num_classes == 1 && d.train.labels.is_empty());
    // Targets in units of the training std: an MSE of 1 is predicting the mean.
    let (m, s) = mean_std(d.train.targets.iter().copied());
    assert!(m.abs() < 1e-4 && (s - 1.0).abs() < 1e-3, "{m} {s}");
    assert!(
        (d.target_mean - 1100.0).abs() < 60.0 && d.target_std > 300.0,
        "{}",
        d.target_mean
    );

    let mut s = train_with(&c, &assets, 600);
    let first = s.history().evals[0].val_loss;
    let last = last_eval(&s);
    assert!(last.val_acc.is_none());
    assert!(
        last.val_loss < 0.1 && last.val_loss < 0.3 * first,
        "{first} -> {}",
        last.val_loss
    );
    assert!(pollster::block_on(s.predictions()).unwrap().is_none());
}

#[test]
fn csv_without_a_file_is_a_clear_error() {
    let c = RunConfig::from_query("dataset=csv").unwrap();
    assert_eq!(c.data.dataset, DatasetKind::Csv);
    assert_eq!(Dataset::build(&c, &Assets::default()), Err(DataError::MissingCsv));
    let Err(e) = Session::new(c, &Assets::default(), Device::flex()) else {
        panic!("a session without a CSV");
    };
    assert_eq!(e, EngineError::MissingCsv);
    assert!(e.to_string().contains("import one first"));
}

#[test]
fn same_seed_and_file_same_run() {
    let assets = two_clouds();
    let mut c = config();
    c.model.dropout = 0.1;
    let a = losses(&train_with(&c, &assets, 100));
    assert_eq!(a, losses(&train_with(&c, &assets, 100)));
    c.seed = 2;
    assert_ne!(a, losses(&train_with(&c, &assets, 100)));
}

#[test]
fn preparation_and_bugs_act_on_csv_files() {
    let assets = two_clouds();
    let file = assets.csv.clone().unwrap();
    let mut c = config();
    c.data.label_noise = 0.25;
    c.data.imbalance = 0.5;
    let d = build(&c, &assets);
    let changed = d
        .train
        .labels
        .iter()
        .zip(&d.train.clean_labels)
        .filter(|(a, b)| a != b);
    assert_eq!(changed.count(), (0.25 * d.train.len() as f32).round() as usize);
    let mut n = [0; 2];
    d.train
        .clean_labels
        .iter()
        .chain(&d.val.labels)
        .for_each(|&l| n[l as usize] += 1);
    assert_eq!(n, [200, 100]);

    // The file's own units reach the model with `unnormalized_inputs`; the raw-unit knobs
    // do not apply to CSV.
    let mut c = config();
    c.bugs.unnormalized_inputs = true;
    c.data.input_scale = 1000.0;
    let d = build(&c, &assets);
    assert!(!d.standardize && (d.input_scale, d.input_offset) == (1.0, 0.0));
    let rows: Vec<&[f32]> = (0..d.train.len()).map(|i| d.train.row(i)).collect();
    assert!(rows.iter().all(|r| file.rows.iter().any(|f| f[..] == r[..])));
    assert!(column(&d.train, 1).0 > 4000.0);

    let mut c = config();
    c.bugs.val_preprocessing_mismatch = true;
    let d = build(&c, &assets);
    assert!(d.standardize && !d.val_standardized && column(&d.val, 0).0 > 100.0);
}

// Files as pandas, UCI and scikit-learn write them (excerpts in `tests/data/`).
const IRIS_SKLEARN: &str = include_str!("data/iris_sklearn.csv");
const WINE_SKLEARN: &str = include_str!("data/wine_sklearn.csv");
/// UCI's `iris.data`: no header, the class as text in the last column.
const IRIS_UCI: &str = include_str!("data/iris.data");
/// UCI's banknote authentication file: no header, four measurements and a 0/1 class.
const BANKNOTE_UCI: &str = include_str!("data/banknote.txt");

fn names(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("x{i}")).collect()
}

/// The notes' English texts.
fn notes(d: &engine::data::CsvData) -> Vec<String> {
    d.notes.iter().map(ToString::to_string).collect()
}

fn assets_of(d: engine::data::CsvData) -> Assets {
    Assets {
        csv: Some(Arc::new(d)),
        ..Default::default()
    }
}

#[test]
fn scikit_learns_size_line_names_the_classes() {
    let d = parse_csv(IRIS_SKLEARN).unwrap();
    assert_eq!((d.len(), d.feature_names.clone()), (30, names(4)));
    assert_eq!(d.label_name, "y");
    assert_eq!(d.class_names(), ["setosa", "versicolor", "virginica"]);
    assert_eq!(d.rows[0], [5.1, 3.5, 1.4, 0.2]);
    let engine::data::CsvTarget::Classes { labels, .. } = &d.target else {
        panic!("{:?}", d.target)
    };
    assert_eq!((labels[0], labels[10], labels[29]), (0, 1, 2));
    assert_eq!(d.notes.len(), 1);
    assert_eq!(d.notes[0].id, "csv_sklearn");
    assert_eq!(
        notes(&d)[0],
        "the first row is scikit-learn's size line (150 rows, 4 features, classes setosa, \
         versicolor, virginica): the labels 0, 1, … are those classes and the features are \
         named x1 to x4"
    );

    // The same rows with a header of their own read the same, without a note.
    let mut headed = String::from("sepal length,sepal width,petal length,petal width,species\n");
    for (i, line) in IRIS_SKLEARN.lines().skip(1).enumerate() {
        let (values, _) = line.rsplit_once(',').unwrap();
        headed += &format!("{values},{}\n", ["setosa", "versicolor", "virginica"][i / 10]);
    }
    let h = parse_csv(&headed).unwrap();
    assert_eq!((&h.rows, &h.target), (&d.rows, &d.target));
    assert!(h.notes.is_empty() && h.feature_names[0] == "sepal length");

    let wine = parse_csv(WINE_SKLEARN).unwrap();
    assert_eq!((wine.len(), wine.feature_names.clone()), (36, names(13)));
    assert_eq!(wine.class_names(), ["class_0", "class_1", "class_2"]);
    assert_eq!(wine.rows[0][12], 967.0);
    assert!(notes(&wine)[0].contains("(178 rows, 13 features, classes class_0, class_1, class_2)"));
    // Before: "row 2: 14 fields, but the header has 5 columns".

    // It trains like any other table.
    let assets = assets_of(wine);
    let c = config();
    let ds = build(&c, &assets);
    assert_eq!((ds.num_features, ds.num_classes, ds.regression), (13, 3, false));
    let mut s = train_with(&c, &assets, 200);
    assert!(tail_loss(&s, 20) < 0.5 * losses(&s)[0]);
    assert!(last_eval(&s).val_acc.unwrap() > 0.8);
    assert!(pollster::block_on(s.predictions()).unwrap().is_some());
}

#[test]
fn a_file_without_a_header_is_all_data() {
    let d = parse_csv(BANKNOTE_UCI).unwrap();
    // The first line is a data row: 40 rows, none lost to a header.
    assert_eq!((d.len(), d.feature_names.clone()), (40, names(4)));
    assert_eq!(d.rows[0], [5.3053, 10.122, -3.398, -2.1614]);
    assert_eq!(
        (d.label_name.as_str(), d.class_names().join(",")),
        ("y", "0,1".into())
    );
    assert_eq!(d.notes.len(), 1);
    assert_eq!(
        notes(&d)[0],
        "the first row holds values, not column names: every row is read as data, the \
         features are named x1 to x4 and the last column, y, is the label or target"
    );
    assert_eq!(build(&config(), &assets_of(d)).num_classes, 2);

    // UCI's iris.data: text classes; its first row's class appears again below.
    let d = parse_csv(IRIS_UCI).unwrap();
    assert_eq!((d.len(), d.num_features()), (30, 4));
    assert_eq!(d.rows[0], [5.1, 3.5, 1.4, 0.2]);
    assert_eq!(
        d.class_names(),
        ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    );
    assert_eq!(d.notes[0].id, "csv_no_header");

    // The rows are the same as scikit-learn's copy of them.
    assert_eq!(d.rows, parse_csv(IRIS_SKLEARN).unwrap().rows);
}

#[test]
fn a_file_with_a_header_reads_as_before() {
    let text = "x1,x2,label\n".to_string()
        + &(0..12)
            .map(|i| format!("{i}.5,-{i},{}\n", ["a", "b"][i % 2]))
            .collect::<String>();
    let d = parse_csv(&text).unwrap();
    assert_eq!(d.feature_names, ["x1", "x2"]);
    assert_eq!((d.len(), d.label_name.as_str()), (12, "label"));
    assert_eq!(d.rows[0], [0.5, 0.0]);
    assert!(d.notes.is_empty());
    // Numbers as names with a text label name: still a header.
    let d = parse_csv(&text.replacen("x1,x2,label", "1990,2000,label", 1)).unwrap();
    assert_eq!(
        (d.feature_names.clone(), d.len()),
        (vec!["1990".into(), "2000".into()], 12)
    );
    // pandas' header for unnamed columns (`DataFrame(X).to_csv(index=False)`): a header.
    let d = parse_csv(&text.replacen("x1,x2,label", "0,1,2", 1)).unwrap();
    assert_eq!(
        (d.feature_names.clone(), d.label_name.as_str()),
        (vec!["0".into(), "1".into()], "2")
    );
    assert!(d.notes.is_empty() && d.len() == 12);
}
