//! Messages a learner reads (bad settings in a URL or a control, a CSV file that cannot be
//! used): a stable id plus named arguments, so the app can show them in the page's language
//! (`msg.<id>` in `static/i18n/<lang>.toml`). `Display` gives the English text, for tests,
//! native tools and as a fallback.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// An argument: plain text (a key, a number, a value as typed) or a message of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Msg(Box<Msg>),
}

impl Msg {
    pub fn new(id: &'static str) -> Msg {
        Msg { id, args: Vec::new() }
    }

    /// Adds a text argument.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Msg {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Adds a message argument (rendered in the same language).
    pub fn sub(mut self, name: &'static str, m: Msg) -> Msg {
        self.args.push((name, Arg::Msg(Box::new(m))));
        self
    }

    /// The text, with `template(id)` giving the template for an id (`{name}` placeholders);
    /// ids it does not know fall back to English.
    pub fn render(&self, template: &dyn Fn(&str) -> Option<String>) -> String {
        let mut s = template(self.id).unwrap_or_else(|| english(self.id).to_string());
        for (name, a) in &self.args {
            let value = match a {
                Arg::Text(t) => t.clone(),
                Arg::Msg(m) => m.render(template),
            };
            s = s.replace(&format!("{{{name}}}"), &value);
        }
        s
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&|_| None))
    }
}

impl From<Msg> for String {
    fn from(m: Msg) -> String {
        m.to_string()
    }
}

/// The English template of an id (the id itself when unknown, so a gap is visible).
pub fn english(id: &str) -> &str {
    ENGLISH.iter().find(|(k, _)| *k == id).map_or(id, |(_, v)| v)
}

/// Every message id with its English template. The app's `msg.<id>` texts must cover them all
/// (tested in `engine/tests/messages.rs`).
pub const ENGLISH: &[(&str, &str)] = &[
    // Parsing a value (knobs).
    ("expected_int", "expected a whole number"),
    ("expected_number", "expected a number"),
    ("expected_finite", "expected a finite number"),
    ("expected_bool", "expected true or false"),
    ("expected_one_of", "expected one of {options}"),
    ("expected_int_list", "expected whole numbers separated by commas"),
    // What a knob accepts, following "must be".
    ("range_bool", "true or false"),
    ("range_between", "between {min} and {max}"),
    ("range_one_of", "one of {options}"),
    (
        "range_int_list",
        "{min_len} to {max_len} comma-separated whole numbers from {min} to {max}",
    ),
    (
        "range_names",
        "{min_len} to {max_len} comma-separated names from {options}",
    ),
    (
        "range_distinct_names",
        "{min_len} to {max_len} comma-separated distinct names from {options}",
    ),
    // Settings.
    ("must_be", "{key} must be {range} (got {value})"),
    ("unknown_setting", "unknown setting \"{key}\"; ignored"),
    ("overridden", "{given} is overridden by a later {key}; ignored"),
    ("invalid_ignored", "{given} is not valid ({reason}); ignored"),
    (
        "out_of_range_ignored",
        "{given} is out of range ({key} must be {range}); ignored",
    ),
    (
        "clamped",
        "{given} is out of range ({key} must be {range}); using {used}",
    ),
    ("value_needed", "a value is needed"),
    (
        "clamped_above",
        "{given} is above the maximum {used}; using {used}",
    ),
    (
        "clamped_below",
        "{given} is below the minimum {used}; using {used}",
    ),
    (
        "cnn_needs_digits",
        "{field} = cnn needs data.dataset = digits (got {dataset})",
    ),
    // CSV files.
    ("csv_at_row_column", "row {row}, column \"{column}\": {problem}"),
    ("csv_at_row", "row {row}: {problem}"),
    ("csv_at_column", "column \"{column}\": {problem}"),
    (
        "csv_empty",
        "the file is empty: it needs rows of numbers, best with a header row naming the columns first",
    ),
    (
        "csv_too_many_features",
        "{n} feature columns: at most {max} (drop some columns)",
    ),
    (
        "csv_ragged",
        "{fields} fields, but the header has {columns} columns",
    ),
    (
        "csv_too_many_rows",
        "more than {max} data rows: use a sample of the file",
    ),
    ("csv_label_empty", "the label is empty"),
    ("csv_too_few_rows", "only {n} data rows: need at least {min}"),
    // How a file was read (`CsvData::notes`).
    (
        "csv_no_header",
        "the first row holds values, not column names: every row is read as data, the features are named x1 to x{n} and the last column, y, is the label or target",
    ),
    (
        "csv_sklearn",
        "the first row is scikit-learn's size line ({rows} rows, {features} features, classes {classes}): the labels 0, 1, … are those classes and the features are named x1 to x{features}",
    ),
    (
        "csv_one_column",
        "only one column (separate columns with commas, semicolons or tabs): need at least one feature column and a label or target column",
    ),
    (
        "csv_unnamed_column",
        "column {n} has no name (if it is the row index pandas writes, save with index=False or delete the column)",
    ),
    (
        "csv_duplicate_name",
        "the name appears twice (columns {a} and {b})",
    ),
    (
        "csv_open_quote",
        "a quote (\") is opened but not closed (fields cannot span lines)",
    ),
    (
        "csv_value_empty",
        "the value is empty: fill in or remove rows with missing values",
    ),
    ("csv_not_finite", "\"{text}\" is not a finite number"),
    ("csv_not_a_number", "\"{text}\" is not a number"),
    (
        "csv_constant_target",
        "every row has the target {value}: nothing to learn",
    ),
    (
        "csv_too_many_classes",
        "\"{text}\" is not a number, so the column holds classes, but it has {n} different values (at most {max} classes)",
    ),
    (
        "csv_one_class",
        "every row has the class \"{class}\": need at least 2 classes",
    ),
    (
        "csv_lonely_class",
        "the class \"{class}\" has only this one row: every class needs at least 2",
    ),
    (
        "cnn_needs_digits_fixed",
        "arch=cnn needs dataset=digits (got {dataset}); using mlp",
    ),
    // Devices (`backend::DeviceError`).
    ("device_setup", "WebGPU set-up failed: {error}"),
    (
        "device_read_back",
        "reading results back from the device failed: {error}",
    ),
    ("device_refused", "fused WebGPU path refused: {error}"),
    ("device_no_webgpu", "no WebGPU device"),
    ("device_fused_off", "the fused WebGPU path is off"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_english_and_with_templates() {
        let m = Msg::new("invalid_ignored")
            .arg("given", "lr=abc")
            .sub("reason", Msg::new("expected_number"));
        assert_eq!(m.to_string(), "lr=abc is not valid (expected a number); ignored");
        let zh = |id: &str| match id {
            "invalid_ignored" => Some("{given} 无效（{reason}），已忽略".to_string()),
            "expected_number" => Some("应为数字".to_string()),
            _ => None,
        };
        assert_eq!(m.render(&zh), "lr=abc 无效（应为数字），已忽略");
        assert_eq!(Msg::new("nope").to_string(), "nope");
    }

    #[test]
    fn ids_are_unique() {
        for (i, (a, _)) in ENGLISH.iter().enumerate() {
            assert!(ENGLISH[i + 1..].iter().all(|(b, _)| a != b), "{a} twice");
        }
    }
}
