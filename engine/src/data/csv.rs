//! Learners' own data: the text of a CSV file parsed into feature columns and a label or
//! target column. The file never leaves the browser: the app reads it and calls [`parse_csv`].
//!
//! Forgiving about how spreadsheets, pandas, UCI and scikit-learn write CSV, strict about the
//! values:
//! - the separator is whichever of `,` `;` tab the first line (not blank, not a `#` comment)
//!   uses most (ties: that order); with `;` or tab, a decimal comma (`1,5`) is read as a
//!   decimal point, as European Excel writes;
//! - fields may be quoted (`"a,b"`, `""` for a quote; spaces before the opening quote are
//!   allowed) but may not span lines; a UTF-8 BOM, CRLF line ends, blank lines, `#` comment
//!   lines and all-empty rows (`,,,`) after the first line are ignored;
//! - the first line is a header naming the columns, unless it reads as data: when all its
//!   fields are numbers (except `0,1,…,n−1`, the header pandas writes for unnamed columns), or
//!   all but the last are and the last is text that appears again in the last column below
//!   (UCI's `iris.data`). A file without a header is all data: the feature columns are named
//!   `x1`…`xn`, the last column ([`HEADERLESS_LABEL`]) is the label or target, and
//!   [`CsvData::notes`] says so;
//! - scikit-learn's bundled files start with a size line, e.g. `150,4,setosa,versicolor,virginica`:
//!   the number of rows, of features, then the class names. It is recognised when the second
//!   number is the data rows' width − 1, there are at least two class names (text), and every
//!   label is a whole number below their count: labels 0, 1, … take those names, the rows
//!   below are data as in a file without a header, and a note says so;
//! - with a header, the label column is the first one named `label`, `class` or `target`
//!   (tried in that order, case-insensitive), else the last column; every other column is a
//!   numeric feature;
//! - the label column holds classes when any value is not a number, or when every value is a
//!   whole number and there are at most [`MAX_CLASSES`] distinct ones; otherwise it is a
//!   regression target. Class names are sorted (numerically for whole numbers).
//!
//! Errors name the row as a spreadsheet or text editor numbers it (the file's line, so a
//! header on the first line is row 1) and the column.

use crate::msg::Msg;
use csv_core::{ReadFieldResult, Reader, ReaderBuilder, Terminator};
use std::fmt;

pub const MIN_ROWS: usize = 10;
pub const MAX_ROWS: usize = 20_000;
pub const MAX_FEATURES: usize = 64;
/// Most classes: also the most distinct whole numbers for a label column to count as classes.
pub const MAX_CLASSES: usize = 20;
/// Header names that mark the label column, in order of preference.
const LABEL_NAMES: [&str; 3] = ["label", "class", "target"];
/// The label or target column's name in a file without a header (features: `x1`…`xn`).
pub const HEADERLESS_LABEL: &str = "y";

/// A parsed CSV file: one row of features per example and its label or target.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvData {
    pub feature_names: Vec<String>,
    /// One entry per data row, `num_features()` values each, in file order.
    pub rows: Vec<Vec<f32>>,
    pub target: CsvTarget,
    /// The header name of the label or target column ([`HEADERLESS_LABEL`] without a header).
    pub label_name: String,
    /// How the file was read when that is not what it says plainly (no header row, a
    /// scikit-learn size line), for the page to show beside the import; empty for a file
    /// with a header.
    pub notes: Vec<Msg>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CsvTarget {
    /// Classification: sorted class names, and each row's index into them.
    Classes { names: Vec<String>, labels: Vec<usize> },
    /// Regression: each row's target value.
    Values(Vec<f32>),
}

impl CsvData {
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    pub fn num_features(&self) -> usize {
        self.feature_names.len()
    }
    /// Number of classes; 1 for regression (one output).
    pub fn num_classes(&self) -> usize {
        match &self.target {
            CsvTarget::Classes { names, .. } => names.len(),
            CsvTarget::Values(_) => 1,
        }
    }
    pub fn is_regression(&self) -> bool {
        matches!(self.target, CsvTarget::Values(_))
    }
    /// Two features: points on a plane, so the app can draw a decision surface.
    pub fn is_points(&self) -> bool {
        self.num_features() == 2
    }
    /// Class names (classification), empty for regression.
    pub fn class_names(&self) -> &[String] {
        match &self.target {
            CsvTarget::Classes { names, .. } => names,
            CsvTarget::Values(_) => &[],
        }
    }
}

/// Why a file cannot be used, with the row (the file's line, header = row 1 when it is the
/// first line) and the column involved, when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    pub row: Option<usize>,
    pub column: Option<String>,
    /// The problem, in English.
    pub message: String,
    /// The problem, for the page to show in its language.
    pub problem: Msg,
}

impl CsvError {
    fn new(row: Option<usize>, column: Option<&str>, problem: Msg) -> Self {
        Self {
            row,
            column: column.map(str::to_string),
            message: problem.to_string(),
            problem,
        }
    }

    /// The whole message, with the row and column it is about.
    pub fn msg(&self) -> Msg {
        let m = match (self.row, &self.column) {
            (Some(r), Some(c)) => Msg::new("csv_at_row_column").arg("row", r).arg("column", c),
            (Some(r), None) => Msg::new("csv_at_row").arg("row", r),
            (None, Some(c)) => Msg::new("csv_at_column").arg("column", c),
            (None, None) => return self.problem.clone(),
        };
        m.sub("problem", self.problem.clone())
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.msg().fmt(f)
    }
}

impl std::error::Error for CsvError {}

/// One line's fields (or why it cannot be split) and its row number.
struct Record {
    row: usize,
    fields: Result<Vec<String>, Msg>,
}

pub fn parse_csv(text: &str) -> Result<CsvData, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // `lines` also strips the `\r` of CRLF; the enumerate index gives spreadsheet row numbers.
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        });
    let Some((first_row, first_line)) = lines.next() else {
        return Err(CsvError::new(None, None, Msg::new("csv_empty")));
    };
    let sep = separator(first_line);
    let mut reader = ReaderBuilder::new()
        .delimiter(sep as u8)
        .terminator(Terminator::Any(b'\n'))
        .build();
    let first =
        split_fields(&mut reader, first_line, sep).map_err(|m| CsvError::new(Some(first_row), None, m))?;
    // The rest, split up front (deciding on the header looks below it), up to the first line
    // that cannot be split and just past the most rows: errors still come in file order.
    let mut records: Vec<Record> = Vec::new();
    for (row, line) in lines {
        let fields = split_fields(&mut reader, line, sep);
        let stop = fields.is_err() || records.len() > MAX_ROWS;
        if fields.as_ref().is_ok_and(|f| f.iter().all(String::is_empty)) {
            continue; // an empty spreadsheet row
        }
        records.push(Record { row, fields });
        if stop {
            break;
        }
    }

    let mut notes = Vec::new();
    let (names, label, class_names, data) = if let Some(classes) = sklearn_classes(&first, &records, sep) {
        let width = first_width(&records);
        notes.push(
            Msg::new("csv_sklearn")
                .arg("rows", &first[0])
                .arg("features", width - 1)
                .arg("classes", classes.join(", ")),
        );
        (headerless_names(width), width - 1, Some(classes), &records[..])
    } else if reads_as_data(&first, &records, sep) {
        let width = first.len();
        if width < 2 {
            return Err(CsvError::new(Some(first_row), None, Msg::new("csv_one_column")));
        }
        notes.push(Msg::new("csv_no_header").arg("n", width - 1));
        records.insert(
            0,
            Record {
                row: first_row,
                fields: Ok(first),
            },
        );
        (headerless_names(width), width - 1, None, &records[..])
    } else {
        let names = header_names(first_row, first)?;
        let label = label_column(&names);
        (names, label, None, &records[..])
    };
    let features: Vec<usize> = (0..names.len()).filter(|&c| c != label).collect();
    if features.len() > MAX_FEATURES {
        return Err(CsvError::new(
            Some(first_row),
            None,
            Msg::new("csv_too_many_features")
                .arg("n", features.len())
                .arg("max", MAX_FEATURES),
        ));
    }

    let mut rows = Vec::new();
    let mut label_text = Vec::new(); // (row, text)
    for &Record { row, ref fields } in data {
        let fields = fields
            .as_ref()
            .map_err(|m| CsvError::new(Some(row), None, m.clone()))?;
        if fields.len() != names.len() {
            return Err(CsvError::new(
                Some(row),
                None,
                Msg::new("csv_ragged")
                    .arg("fields", fields.len())
                    .arg("columns", names.len()),
            ));
        }
        if rows.len() == MAX_ROWS {
            return Err(CsvError::new(
                Some(row),
                None,
                Msg::new("csv_too_many_rows").arg("max", MAX_ROWS),
            ));
        }
        let values = features
            .iter()
            .map(|&c| number(&fields[c], sep).map_err(|m| CsvError::new(Some(row), Some(&names[c]), m)))
            .collect::<Result<Vec<f32>, _>>()?;
        if fields[label].is_empty() {
            return Err(CsvError::new(
                Some(row),
                Some(&names[label]),
                Msg::new("csv_label_empty"),
            ));
        }
        rows.push(values);
        label_text.push((row, fields[label].clone()));
    }
    if rows.len() < MIN_ROWS {
        return Err(CsvError::new(
            None,
            None,
            Msg::new("csv_too_few_rows")
                .arg("n", rows.len())
                .arg("min", MIN_ROWS),
        ));
    }
    let target = target(&label_text, &names[label], sep, class_names.as_deref())?;
    Ok(CsvData {
        feature_names: features.iter().map(|&c| names[c].clone()).collect(),
        rows,
        target,
        label_name: names[label].clone(),
        notes,
    })
}

/// The candidate the header uses most, outside quotes; ties go to the earlier candidate.
fn separator(header: &str) -> char {
    let count = |sep: char| {
        let mut quoted = false;
        header
            .chars()
            .filter(|&c| {
                quoted ^= c == '"';
                c == sep && !quoted
            })
            .count()
    };
    [',', ';', '\t']
        .into_iter()
        .rev()
        .max_by_key(|&s| count(s))
        .unwrap_or(',')
}

/// Fields of one line, trimmed and unquoted, by csv-core's RFC 4180 tokeniser. The line gets
/// its `\n` back: a quoted field that swallows it was opened and never closed.
fn split_fields(reader: &mut Reader, line: &str, sep: char) -> Result<Vec<String>, Msg> {
    let input = format!("{line}\n");
    let mut rest = input.as_str();
    let mut out = vec![0; input.len()];
    let mut fields = Vec::new();
    loop {
        // Spreadsheets write `a, "b"`: a quote after spaces still opens a quoted field.
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() && c != sep && c != '\n');
        let (result, read, written) = reader.read_field(rest.as_bytes(), &mut out);
        rest = rest.get(read..).unwrap_or_default();
        match result {
            ReadFieldResult::Field { record_end } => {
                fields.push(String::from_utf8_lossy(&out[..written]).trim().to_string());
                if record_end {
                    return Ok(fields);
                }
            }
            _ => {
                reader.reset();
                return Err(Msg::new("csv_open_quote"));
            }
        }
    }
}

/// The number of fields of the first data row, 0 without one.
fn first_width(records: &[Record]) -> usize {
    records
        .first()
        .and_then(|r| r.fields.as_ref().ok())
        .map_or(0, Vec::len)
}

/// `x1`…`x(n-1)` and the label: the names of a file without a header, `n` columns wide.
fn headerless_names(n: usize) -> Vec<String> {
    (1..n)
        .map(|i| format!("x{i}"))
        .chain([HEADERLESS_LABEL.to_string()])
        .collect()
}

/// Whether the first line is data rather than a header (see the module docs).
fn reads_as_data(first: &[String], below: &[Record], sep: char) -> bool {
    let numbers = |fields: &[String]| fields.iter().all(|f| number(f, sep).is_ok());
    if numbers(first) {
        let pandas_header = first.iter().enumerate().all(|(i, f)| *f == i.to_string());
        return !pandas_header || first.len() < 2;
    }
    let Some((last, init)) = first.split_last() else {
        return false;
    };
    !init.is_empty()
        && numbers(init)
        && !last.is_empty()
        && below.iter().any(|r| {
            r.fields
                .as_ref()
                .is_ok_and(|f| f.len() == first.len() && f.last() == Some(last))
        })
}

/// The class names of scikit-learn's size line (`rows,features,class names…`), when the first
/// line is one (see the module docs).
fn sklearn_classes(first: &[String], below: &[Record], sep: char) -> Option<Vec<String>> {
    let whole = |t: &str| {
        number(t, sep)
            .ok()
            .filter(|v| v.fract() == 0.0 && *v >= 0.0)
            .map(|v| v as usize)
    };
    let [rows, features, classes @ ..] = first else {
        return None;
    };
    let width = first_width(below);
    let k = classes.len();
    let names_ok = (2..=MAX_CLASSES).contains(&k)
        && classes
            .iter()
            .enumerate()
            .all(|(i, c)| !c.is_empty() && number(c, sep).is_err() && !classes[..i].contains(c));
    let fits = whole(rows).is_some() && whole(features).is_some_and(|f| f >= 1 && f + 1 == width);
    let labels_ok = below.iter().all(|r| match &r.fields {
        Ok(f) if f.len() == width && !f[width - 1].is_empty() => whole(&f[width - 1]).is_some_and(|l| l < k),
        _ => true, // refused later, with its row
    });
    (names_ok && fits && labels_ok).then(|| classes.to_vec())
}

fn header_names(row: usize, names: Vec<String>) -> Result<Vec<String>, CsvError> {
    let err = |column: Option<&str>, m: Msg| CsvError::new(Some(row), column, m);
    if names.len() < 2 {
        return Err(err(None, Msg::new("csv_one_column")));
    }
    for (i, n) in names.iter().enumerate() {
        if n.is_empty() {
            return Err(err(None, Msg::new("csv_unnamed_column").arg("n", i + 1)));
        }
        if let Some(j) = names[..i].iter().position(|m| m == n) {
            return Err(err(
                Some(n),
                Msg::new("csv_duplicate_name").arg("a", j + 1).arg("b", i + 1),
            ));
        }
    }
    Ok(names)
}

fn label_column(names: &[String]) -> usize {
    LABEL_NAMES
        .iter()
        .find_map(|want| names.iter().position(|n| n.eq_ignore_ascii_case(want)))
        .unwrap_or(names.len() - 1)
}

/// A finite number; with `;` or tab separators a lone decimal comma counts as a point.
fn number(text: &str, sep: char) -> Result<f32, Msg> {
    if text.is_empty() {
        return Err(Msg::new("csv_value_empty"));
    }
    let decimal_comma = sep != ',' && text.matches(',').count() == 1 && !text.contains('.');
    let t = if decimal_comma {
        text.replace(',', ".")
    } else {
        text.to_string()
    };
    match t.parse::<f32>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(Msg::new("csv_not_finite").arg("text", text)),
        Err(_) => Err(Msg::new("csv_not_a_number").arg("text", text)),
    }
}

/// Classes or regression values from the label column's texts (see the module docs);
/// `names`: scikit-learn's class names for the labels 0, 1, …
fn target(
    texts: &[(usize, String)],
    column: &str,
    sep: char,
    names: Option<&[String]>,
) -> Result<CsvTarget, CsvError> {
    let err = |row: Option<usize>, m: Msg| CsvError::new(row, Some(column), m);
    let numbers: Result<Vec<f32>, (usize, &str)> = texts
        .iter()
        .map(|(r, t)| number(t, sep).map_err(|_| (*r, t.as_str())))
        .collect();
    // Each row's class as (sort key, name): whole numbers sort numerically, text alphabetically.
    let keys: Vec<(f64, String)> = match numbers {
        // `sklearn_classes` checked that every label indexes the names.
        Ok(v) if let Some(names) = names => v
            .iter()
            .map(|&x| (f64::from(x), names[x as usize].clone()))
            .collect(),
        Ok(v) if v.iter().all(|x| x.fract() == 0.0 && x.abs() < 1e9) => {
            let keys: Vec<_> = v
                .iter()
                .map(|&x| (x as i64 as f64, (x as i64).to_string()))
                .collect();
            if distinct(&keys).len() > MAX_CLASSES {
                return Ok(CsvTarget::Values(v)); // counts, years, prices...
            }
            keys
        }
        Ok(v) if v.iter().all(|&x| x == v[0]) => {
            let value = &texts[0].1;
            return Err(err(None, Msg::new("csv_constant_target").arg("value", value)));
        }
        Ok(v) => return Ok(CsvTarget::Values(v)),
        Err((row, text)) => {
            let keys: Vec<_> = texts.iter().map(|(_, t)| (0.0, t.clone())).collect();
            let n = distinct(&keys).len();
            if n > MAX_CLASSES {
                return Err(err(
                    Some(row),
                    Msg::new("csv_too_many_classes")
                        .arg("text", text)
                        .arg("n", n)
                        .arg("max", MAX_CLASSES),
                ));
            }
            keys
        }
    };
    let classes = distinct(&keys);
    let labels: Vec<usize> = keys
        .iter()
        .map(|k| classes.partition_point(|c| order(c, k).is_lt()))
        .collect();
    let names: Vec<String> = classes.into_iter().map(|c| c.1).collect();
    if names.len() < 2 {
        return Err(err(None, Msg::new("csv_one_class").arg("class", &names[0])));
    }
    let mut count = vec![0; names.len()];
    labels.iter().for_each(|&l| count[l] += 1);
    if let Some(k) = count.iter().position(|&c| c < 2) {
        let only = labels.iter().position(|&l| l == k).unwrap_or_default();
        return Err(err(
            Some(texts[only].0),
            Msg::new("csv_lonely_class").arg("class", &names[k]),
        ));
    }
    Ok(CsvTarget::Classes { names, labels })
}

fn order(a: &(f64, String), b: &(f64, String)) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1))
}

/// The distinct classes, sorted.
fn distinct(keys: &[(f64, String)]) -> Vec<(f64, String)> {
    let mut v = keys.to_vec();
    v.sort_by(order);
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header and `n` rows made by `row(i)`, joined with `\n`.
    fn file(header: &str, n: usize, row: impl Fn(usize) -> String) -> String {
        let mut lines = vec![header.to_string()];
        lines.extend((0..n).map(row));
        lines.join("\n")
    }

    /// Two features and a two-class text label, `n` rows, separated by `sep`.
    fn points(sep: &str, n: usize) -> String {
        file(&["x1", "x2", "label"].join(sep), n, |i| {
            let class = if i % 2 == 0 { "a" } else { "b" };
            [format!("{i}.5"), format!("-{i}"), class.into()].join(sep)
        })
    }

    fn error(text: &str) -> CsvError {
        parse_csv(text).expect_err("should not parse")
    }

    #[test]
    fn comma_semicolon_and_tab_separated() {
        for sep in [",", ";", "\t"] {
            let d = parse_csv(&points(sep, 12)).unwrap();
            assert_eq!(d.feature_names, ["x1", "x2"], "{sep:?}");
            assert_eq!((d.len(), d.num_features(), d.num_classes()), (12, 2, 2));
            assert_eq!(d.rows[3], [3.5, -3.0]);
            assert!(d.is_points() && !d.is_regression());
            assert_eq!(d.label_name, "label");
        }
        // European Excel: semicolons, decimal commas.
        let d = parse_csv(&file("a;b;y", 10, |i| format!("{i},25;1e3;{i},5"))).unwrap();
        assert_eq!(d.rows[2], [2.25, 1000.0]);
        assert_eq!(
            d.target,
            CsvTarget::Values((0..10).map(|i| i as f32 + 0.5).collect())
        );
    }

    #[test]
    fn quotes_bom_crlf_blank_comment_and_empty_rows() {
        let body = points(",", 10).replace('\n', "\r\n");
        let text = format!("\u{feff}# exported from a spreadsheet\r\n\r\n{body}\r\n,,\r\n\r\n");
        let d = parse_csv(&text).unwrap();
        assert_eq!((d.len(), d.feature_names[0].as_str()), (10, "x1"));
        assert_eq!(d.class_names(), ["a", "b"]);
        let text = file("\"width, cm\",\"say \"\"hi\"\"\",\"kind\"", 10, |i| {
            format!("\"{i}\", \"1.5\" ,\"k{}, ok\"", i % 2)
        });
        let d = parse_csv(&text).unwrap();
        assert_eq!(d.feature_names, ["width, cm", "say \"hi\""]);
        assert_eq!(d.rows[4], [4.0, 1.5]);
        assert_eq!(d.class_names(), ["k0, ok", "k1, ok"]);
    }

    #[test]
    fn the_label_column_is_named_or_last() {
        let d = parse_csv(&file("Target,a,CLASS,b", 10, |i| format!("{i},1,{},2", i % 2))).unwrap();
        assert_eq!((d.label_name.as_str(), d.num_classes()), ("CLASS", 2));
        assert_eq!(d.feature_names, ["Target", "a", "b"]);
        assert_eq!(d.rows[1], [1.0, 1.0, 2.0]);
        let d = parse_csv(&file("y,x", 10, |i| format!("{i},{}", i % 3))).unwrap();
        assert_eq!((d.label_name.as_str(), d.feature_names[0].as_str()), ("x", "y"));
        assert!(!d.is_points() && d.num_features() == 1);
    }

    #[test]
    fn whole_numbers_are_classes_sorted_numerically() {
        let d = parse_csv(&file("a,b,label", 30, |i| {
            format!("{i},0,{}", [10, 9, -1][i % 3])
        }))
        .unwrap();
        let CsvTarget::Classes { names, labels } = &d.target else {
            panic!("{:?}", d.target)
        };
        assert_eq!(names, &["-1", "9", "10"]);
        assert_eq!(labels[..4], [2, 1, 0, 2]);
        // Text wins over numbers: "1.0" and "n/a" are both class names.
        let d = parse_csv(&file("a,b", 10, |i| format!("{i},{}", ["1.0", "n/a"][i % 2]))).unwrap();
        assert_eq!(d.class_names(), ["1.0", "n/a"]);
    }

    #[test]
    fn fractions_or_many_whole_numbers_are_regression() {
        let d = parse_csv(&file("a,price", 10, |i| format!("{i},{}.5", i % 2))).unwrap();
        assert!(d.is_regression() && d.num_classes() == 1 && d.class_names().is_empty());
        let d = parse_csv(&file("a,year", 30, |i| format!("{i},{}", 1990 + i))).unwrap();
        assert_eq!(
            d.target,
            CsvTarget::Values((0..30).map(|i| 1990.0 + i as f32).collect())
        );
        let d = parse_csv(&file("a,n", 40, |i| format!("{i},{}", i % 20))).unwrap();
        assert_eq!(d.num_classes(), 20);
    }

    /// Each case: a file, and the row, column and message fragment of its error.
    #[test]
    fn every_error_names_its_row_and_column() {
        let ok = |i: usize| format!("{i},{},{}", i * 2, i % 2);
        let with = |bad_row: usize, line: &str| {
            file("x1,x2,label", 12, |i| {
                if i + 2 == bad_row { line.to_string() } else { ok(i) }
            })
        };
        let cases: Vec<(String, Option<usize>, Option<&str>, &str)> = vec![
            ("".into(), None, None, "empty"),
            ("\u{feff}\n# only a comment\n\n".into(), None, None, "empty"),
            // A first row of numbers is data now (no header): here its class "3" is alone.
            (
                file("1,2,3", 12, ok),
                Some(1),
                Some("y"),
                "the class \"3\" has only this one row",
            ),
            (
                file("x1", 12, |i| i.to_string()),
                Some(1),
                None,
                "only one column",
            ),
            (file("x1,,label", 12, ok), Some(1), None, "column 2 has no name"),
            (
                file("x,y,x", 12, ok),
                Some(1),
                Some("x"),
                "twice (columns 1 and 3)",
            ),
            (
                with(7, "1,2"),
                Some(7),
                None,
                "2 fields, but the header has 3 columns",
            ),
            (with(7, "1,2,3,4"), Some(7), None, "4 fields"),
            (with(7, "1,abc,0"), Some(7), Some("x2"), "\"abc\" is not a number"),
            (
                with(5, "NaN,1,0"),
                Some(5),
                Some("x1"),
                "\"NaN\" is not a finite number",
            ),
            (with(5, "1,-inf,0"), Some(5), Some("x2"), "not a finite number"),
            (with(5, "1,1e39,0"), Some(5), Some("x2"), "not a finite number"),
            (with(6, "1,,0"), Some(6), Some("x2"), "empty"),
            (with(6, "1,2,"), Some(6), Some("label"), "label is empty"),
            (with(4, "1,\"2,0"), Some(4), None, "not closed"),
            (
                file("x1,x2,label", 9, ok),
                None,
                None,
                "only 9 data rows: need at least 10",
            ),
            (
                file("x1,x2,label", 20_001, ok),
                Some(20_002),
                None,
                "more than 20000",
            ),
            (
                file("x1,x2,label", 12, |i| format!("{i},1,7")),
                None,
                Some("label"),
                "need at least 2",
            ),
            (
                file("x1,x2,y", 12, |i| format!("{i},1,0.5")),
                None,
                Some("y"),
                "target 0.5: nothing to learn",
            ),
            (
                with(9, "1,2,5"),
                Some(9),
                Some("label"),
                "class \"5\" has only this one row",
            ),
            (
                file("x,label", 30, |i| format!("{i},c{i}")),
                Some(2),
                Some("label"),
                "\"c0\" is not a number, so the column holds classes, but it has 30",
            ),
        ];
        for (text, row, column, fragment) in cases {
            let e = error(&text);
            assert_eq!((e.row, e.column.as_deref()), (row, column), "{e}");
            assert!(e.to_string().contains(fragment), "{e}");
        }
        let wide = (0..66).map(|i| format!("f{i}")).collect::<Vec<_>>().join(",");
        let e = error(&file(&wide, 12, |_| vec!["1"; 66].join(",")));
        assert_eq!(
            (e.row, e.to_string().contains("65 feature columns: at most 64")),
            (Some(1), true),
            "{e}"
        );
    }

    #[test]
    fn a_header_is_optional() {
        let ok = |i: usize| format!("{i},{},{}", i * 2, i % 2);
        // A first row of numbers is data: its row numbers stay the file's lines.
        let d = parse_csv(&file("7,8,1", 12, ok)).unwrap();
        assert_eq!((d.len(), d.rows[0].as_slice()), (13, &[7.0, 8.0][..]));
        assert_eq!(
            (d.feature_names.join(","), d.label_name.as_str()),
            ("x1,x2".into(), "y")
        );
        assert_eq!(d.notes, [Msg::new("csv_no_header").arg("n", 2)]);
        let e = error(&file(
            "7,8,1",
            12,
            |i| if i == 1 { "1,x,0".into() } else { ok(i) },
        ));
        assert_eq!(e.to_string(), "row 3, column \"x2\": \"x\" is not a number");
        assert_eq!(error(&file("7", 12, |i| i.to_string())).row, Some(1));
        // A text last field is data only when it appears again in the last column.
        let text = |first: &str| file(first, 12, |i| format!("{i},1,{}", ["a", "b"][i % 2]));
        assert_eq!(parse_csv(&text("5,6,b")).unwrap().len(), 13);
        let d = parse_csv(&text("5,6,kind")).unwrap();
        assert_eq!((d.len(), d.label_name.as_str(), d.notes.len()), (12, "kind", 0));

        // scikit-learn's size line: the class names must fit the labels, else it is a header.
        let d = parse_csv(&file("99,2,no,yes", 12, ok)).unwrap();
        assert_eq!(
            (d.len(), d.class_names()),
            (12, &["no".to_string(), "yes".into()][..])
        );
        assert_eq!(d.notes[0].id, "csv_sklearn");
        let labels = |i: usize| format!("{i},{},{}", i * 2, i % 3);
        let e = error(&file("99,2,no,yes", 12, labels));
        assert_eq!(
            (e.row, e.to_string().contains("3 fields, but the header has 4")),
            (Some(2), true)
        );
        let d = parse_csv(&file("99,2,no,yes,maybe", 12, labels)).unwrap();
        assert_eq!(d.class_names(), ["no", "yes", "maybe"]);
        // Classes without rows are left out, as in a file that names them.
        let d = parse_csv(&file("99,2,no,yes,maybe", 12, |i| {
            format!("{i},0,{}", 2 * (i % 2))
        }))
        .unwrap();
        assert_eq!(d.class_names(), ["no", "maybe"]);
        // Not a size line: the second number is not the width − 1, or a class name is a number.
        assert_eq!(parse_csv(&file("99,3,no,yes", 12, ok)).unwrap_err().row, Some(2));
        assert_eq!(parse_csv(&file("99,2,1,yes", 12, ok)).unwrap_err().row, Some(2));
    }

    #[test]
    fn errors_read_like_a_spreadsheet() {
        let text = file("x1,x2,label", 12, |i| {
            if i == 5 {
                "1,abc,0".into()
            } else {
                format!("{i},1,{}", i % 2)
            }
        });
        assert_eq!(
            error(&text).to_string(),
            "row 7, column \"x2\": \"abc\" is not a number"
        );
        // Leading comments and blank lines count: rows are the file's lines.
        let e = error(&format!("# note\n\n{text}"));
        assert_eq!(e.row, Some(9));
        assert_eq!(
            CsvError::new(None, Some("y"), Msg::new("m")).to_string(),
            "column \"y\": m"
        );
        assert_eq!(
            CsvError::new(Some(3), None, Msg::new("m")).to_string(),
            "row 3: m"
        );
    }
}
