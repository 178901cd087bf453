//! The compact URL form of a config: only the knobs that differ from the defaults, in
//! registry order, e.g. `lr=0.3&hidden=32,32&no_shuffle=true`.
//!
//! `from_query` is strict (tests, tools); `from_query_lenient` is for the web page, where a
//! hand-edited or outdated link should still open, with notices saying what was changed.

use crate::msg::Msg;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::collections::HashMap;
use std::fmt;

use super::knobs::{KNOBS, Knob, KnobKind, Value, knob};
use super::types::{Arch, DatasetKind, RunConfig};

/// Query keys that belong to the app, not to the config: skipped silently when parsing.
pub const APP_KEYS: &[&str] = &[
    "lesson", "lang", "embed", "controls", "explain", "autoplay", "bench", "backend", "run",
];

/// Why a strict parse failed, for one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub key: String,
    /// A complete sentence, e.g. `lr=5000 is out of range: lr must be between 1e-6 and 1000`.
    pub message: String,
}

/// What a lenient parse ignored or changed, for one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryNotice {
    pub key: String,
    /// A complete sentence, e.g. `lr=5000 is above the maximum 1000; using 1000`.
    pub message: String,
    /// The same, for the page to show in its language.
    pub msg: Msg,
}

impl QueryNotice {
    fn new(key: &str, msg: Msg) -> QueryNotice {
        QueryNotice {
            key: key.to_string(),
            message: msg.to_string(),
            msg,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for QueryNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

/// What [`encode`] escapes: all but unreserved characters; `,` stays literal so lists stay
/// readable.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b',');

/// Percent-encodes UTF-8 (`é` is `%C3%A9`).
fn encode(s: &str) -> String {
    utf8_percent_encode(s, ESCAPED).to_string()
}

/// Percent-decodes, `+` as a space. A `%` not followed by two hex digits stays literal, and
/// invalid UTF-8 becomes U+FFFD: garbage yields a malformed value, never a panic.
fn decode(s: &str) -> String {
    percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// Decoded `(key, value)` pairs; the value is `None` for a bare key (`?no_shuffle`).
fn pairs(q: &str) -> Vec<(String, Option<String>)> {
    let q = q.strip_prefix('?').unwrap_or(q);
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), Some(decode(v))),
            None => (decode(p), None),
        })
        .collect()
}

/// User input echoed in a message, bounded in length.
fn shown(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// `key=value` (or the bare key) as the user wrote it.
fn given(key: &str, value: &Option<String>) -> String {
    match value {
        Some(v) => format!("{}={}", shown(key), shown(v)),
        None => shown(key),
    }
}

/// A bare key switches a bool on; any other knob needs a value.
fn parse_value(k: &Knob, value: &Option<String>) -> Result<Value, Msg> {
    match value {
        Some(text) => k.kind.parse(text),
        None if k.kind == KnobKind::Bool => Ok(Value::Bool(true)),
        None => Err(Msg::new("value_needed")),
    }
}

/// "lr=5000 is above the maximum 1000; using 1000", or a general message for lists.
fn clamp_message(k: &Knob, given: &str, v: &Value, fixed: &Value) -> Msg {
    let above = match (v, k.kind) {
        (Value::Int(i), KnobKind::Int { max, .. }) => *i > max,
        (Value::Float(x), KnobKind::Float { max, .. }) => *x > max,
        _ => {
            return Msg::new("clamped")
                .arg("given", given)
                .arg("key", k.key)
                .sub("range", k.kind.describe())
                .arg("used", fixed);
        }
    };
    Msg::new(if above { "clamped_above" } else { "clamped_below" })
        .arg("given", given)
        .arg("used", fixed)
}

impl RunConfig {
    /// The knobs that differ from `RunConfig::default()`, as `key=value&...` (no leading `?`).
    pub fn to_query(&self) -> String {
        KNOBS
            .iter()
            .filter(|k| !k.is_default(self))
            .map(|k| format!("{}={}", k.key, encode(&k.text(self))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Parses a query strictly: unknown keys, repeated keys, malformed or out-of-range values
    /// and cross-field conflicts are all errors. Missing knobs keep their defaults; app keys
    /// ([`APP_KEYS`]) are skipped.
    pub fn from_query(q: &str) -> Result<RunConfig, Vec<QueryError>> {
        let mut cfg = RunConfig::default();
        let mut errors = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in pairs(q) {
            let mut error = |message: String| {
                errors.push(QueryError {
                    key: key.clone(),
                    message,
                })
            };
            if APP_KEYS.contains(&key.as_str()) {
                continue;
            }
            let Some(k) = knob(&key) else {
                error(format!("unknown setting {:?}", shown(&key)));
                continue;
            };
            if seen.contains(&k.key) {
                error(format!("{key} is given more than once"));
                continue;
            }
            seen.push(k.key);
            match parse_value(k, &value) {
                Err(msg) => error(format!("{} is not valid: {msg}", given(&key, &value))),
                Ok(v) if !k.kind.allows(&v) => {
                    let must = k.kind.describe();
                    error(format!(
                        "{} is out of range: {key} must be {must}",
                        given(&key, &value)
                    ));
                }
                Ok(v) => (k.set)(&mut cfg, v),
            }
        }
        if let (true, Err(es)) = (errors.is_empty(), cfg.validate()) {
            let key = |field: &str| field.rsplit('.').next().unwrap_or(field).to_string();
            errors.extend(es.into_iter().map(|e| QueryError {
                key: key(&e.field),
                message: e.message,
            }));
        }
        if errors.is_empty() { Ok(cfg) } else { Err(errors) }
    }

    /// Parses a query for the web page: never fails and always returns a valid config.
    /// Out-of-range numbers are clamped, long lists truncated, malformed values and unknown
    /// keys ignored, a repeated key's last value used; each with a notice. [`APP_KEYS`] are
    /// skipped silently.
    pub fn from_query_lenient(q: &str) -> (RunConfig, Vec<QueryNotice>) {
        Self::from_query_lenient_with(q, APP_KEYS)
    }

    /// [`RunConfig::from_query_lenient`] with the app's own list of keys to skip silently.
    pub fn from_query_lenient_with(q: &str, app_keys: &[&str]) -> (RunConfig, Vec<QueryNotice>) {
        let pairs = pairs(q);
        let mut remaining: HashMap<&str, usize> = HashMap::new();
        for (key, _) in &pairs {
            *remaining.entry(key).or_default() += 1;
        }
        let mut cfg = RunConfig::default();
        let mut notices = Vec::new();
        for (key, value) in &pairs {
            let mut note = |msg: Msg| notices.push(QueryNotice::new(key, msg));
            if app_keys.contains(&key.as_str()) {
                continue;
            }
            let Some(k) = knob(key) else {
                note(Msg::new("unknown_setting").arg("key", shown(key)));
                continue;
            };
            let left = remaining.entry(key).or_insert(1);
            *left -= 1;
            if *left > 0 {
                note(
                    Msg::new("overridden")
                        .arg("given", given(key, value))
                        .arg("key", key),
                );
                continue;
            }
            let v = match parse_value(k, value) {
                Ok(v) => v,
                Err(msg) => {
                    note(
                        Msg::new("invalid_ignored")
                            .arg("given", given(key, value))
                            .sub("reason", msg),
                    );
                    continue;
                }
            };
            if k.kind.allows(&v) {
                (k.set)(&mut cfg, v);
            } else if let Some(fixed) = k.kind.nearest(&v) {
                note(clamp_message(k, &given(key, value), &v, &fixed));
                (k.set)(&mut cfg, fixed);
            } else {
                note(
                    Msg::new("out_of_range_ignored")
                        .arg("given", given(key, value))
                        .arg("key", key)
                        .sub("range", k.kind.describe()),
                );
            }
        }
        // Cross-field rules (see `validate`): fix the knob the link most likely got wrong.
        if cfg.model.arch == Arch::Cnn && cfg.data.dataset != DatasetKind::Digits {
            cfg.model.arch = Arch::Mlp;
            let msg = Msg::new("cnn_needs_digits_fixed").arg("dataset", cfg.data.dataset.name());
            notices.push(QueryNotice::new("arch", msg));
        }
        (cfg, notices)
    }
}

#[cfg(test)]
mod tests {
    use super::super::knobs::{MAX_SEED, all_changed, fmt_num};
    use super::*;

    fn lenient(q: &str) -> (RunConfig, Vec<QueryNotice>) {
        RunConfig::from_query_lenient(q)
    }

    #[test]
    fn round_trips() {
        let d = RunConfig::default();
        assert_eq!(d.to_query(), "");
        assert_eq!(RunConfig::from_query("").unwrap(), d);
        assert_eq!(RunConfig::from_query("?").unwrap(), d);
        let all = all_changed();
        let q = all.to_query();
        assert_eq!(q.split('&').count(), KNOBS.len());
        for part in [
            "hidden=64,3,128",
            "lr=0.003",
            "l1=1e-5",
            "optimizer=rms_prop",
            "no_shuffle=true",
        ] {
            assert!(q.contains(part), "{part} missing from {q}");
        }
        assert_eq!(RunConfig::from_query(&q).unwrap(), all);
        assert_eq!(RunConfig::from_query(&format!("?{q}")).unwrap(), all);
        assert_eq!(lenient(&q), (all, vec![]));
        let mut empty = d.clone();
        empty.model.hidden.clear();
        empty.train.lr = 0.3;
        assert_eq!(empty.to_query(), "hidden=none&lr=0.3");
        assert_eq!(RunConfig::from_query("hidden=none&lr=0.3").unwrap(), empty);
    }

    #[test]
    fn decoding_and_app_keys() {
        let cfg =
            RunConfig::from_query("?features=x%2Cy%2csin_x&dataset=%73piral&lesson=3&lang=fr&embed").unwrap();
        assert_eq!(knob("features").unwrap().text(&cfg), "x,y,sin_x");
        assert_eq!(lenient("lesson=intro&run=2&no_shuffle&lr=+0.5").1, vec![]);
        assert!(lenient("no_shuffle").0.bugs.no_shuffle);
        assert_eq!(encode("a b/é,1.5-2_"), "a%20b%2F%C3%A9,1.5-2_");
        assert_eq!(decode("%E2%82%AC+%zz%4%"), "€ %zz%4%");
    }

    #[test]
    fn lenient_messages() {
        let (cfg, n) = lenient("lr=5000");
        assert_eq!(
            (cfg.train.lr, n[0].to_string()),
            (1000.0, "lr=5000 is above the maximum 1000; using 1000".into())
        );
        let (cfg, n) = lenient("lr=1e400&seed=99999999999999999999&hidden=1000000000&samples=-3");
        assert_eq!(
            (cfg.train.lr, cfg.seed, cfg.model.hidden, cfg.data.samples),
            (1000.0, MAX_SEED as u64, vec![256], 20)
        );
        assert_eq!(n.len(), 4);
        let (cfg, n) = lenient("lr=NaN&noise=inf&bogus=1&dropout=0.2");
        assert_eq!(
            (cfg.train.lr, cfg.data.noise, cfg.model.dropout),
            (0.01, 0.1, 0.2)
        );
        assert_eq!(
            n.iter().map(|n| n.key.as_str()).collect::<Vec<_>>(),
            ["lr", "noise", "bogus"]
        );
        let (cfg, n) = lenient("lr=0.1&lr=oops&lr=0.2");
        assert_eq!((cfg.train.lr, n.len()), (0.2, 2));
        assert!(RunConfig::from_query("lr=0.1&lr=0.2").is_err());
        let (cfg, n) = lenient("arch=cnn");
        assert_eq!((cfg.model.arch, n[0].key.as_str()), (Arch::Mlp, "arch"));
        assert_eq!(lenient("arch=cnn&dataset=digits").0.model.arch, Arch::Cnn);
        assert_eq!(RunConfig::from_query("arch=cnn").unwrap_err()[0].key, "arch");
        let (cfg, n) = lenient("features=x,x,y&features_x=1");
        assert_eq!((cfg.data.features.len(), n.len()), (2, 2));
        assert_eq!(
            lenient("features=none").0.data.features,
            RunConfig::default().data.features
        );
    }

    /// A value beyond the knob's bounds (numbers: above and below), if the kind has bounds.
    fn out_of_range(k: &Knob) -> Vec<String> {
        match k.kind {
            KnobKind::Int { min, max } => vec![(max + 1).to_string(), (min - 1).to_string()],
            KnobKind::Float { min, max, .. } => vec![fmt_num(max * 2.0 + 1.0), fmt_num(min - 1.0)],
            KnobKind::IntList { max_len, max, .. } => {
                vec![vec!["1"; max_len + 1].join(","), format!("{}", max + 1)]
            }
            KnobKind::ChoiceList { options, max_len, .. } => {
                vec![
                    options
                        .iter()
                        .cycle()
                        .take(max_len + 1)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(","),
                ]
            }
            KnobKind::Bool | KnobKind::Choice { .. } => vec![],
        }
    }

    #[test]
    fn every_knob_rejects_or_clamps_out_of_range() {
        for k in KNOBS {
            for text in out_of_range(k) {
                let q = format!("{}={text}", k.key);
                let errors = RunConfig::from_query(&q).unwrap_err();
                assert_eq!(errors.len(), 1, "{q}: {errors:?}");
                assert_eq!(errors[0].key, k.key);
                let (cfg, notices) = lenient(&q);
                assert_eq!(notices.len(), 1, "{q}: {notices:?}");
                assert_eq!(notices[0].key, k.key);
                assert!(notices[0].message.contains("using"), "{}", notices[0]);
                let nearest = k.kind.nearest(&k.kind.parse(&text).unwrap()).unwrap();
                assert_eq!(k.value(&cfg), nearest, "{q}");
                assert!(cfg.validate().is_ok());
            }
            // Malformed for every kind: an error, or a notice and the default kept.
            let q = format!("{}=bogus!", k.key);
            assert_eq!(RunConfig::from_query(&q).unwrap_err()[0].key, k.key);
            let (cfg, notices) = lenient(&q);
            assert_eq!((cfg, notices.len()), (RunConfig::default(), 1));
        }
    }

    const KEYS: &[&str] = &[
        "lr",
        "hidden",
        "features",
        "activation",
        "seed",
        "samples",
        "dataset",
        "arch",
        "image_size",
        "noise",
        "no_shuffle",
        "classes",
        "lesson",
        "",
        "lr;",
        "LR",
        "é",
        "💥",
        "<script>",
        "%",
        "?lr",
    ];
    const VALUES: &[&str] = &[
        "",
        "=",
        "1e400",
        "-1e400",
        "99999999999999999999",
        "-99999999999999999999",
        "NaN",
        "inf",
        "-inf",
        "-5",
        "0",
        "0.5",
        "1000000000",
        "none",
        "x,x,y",
        "relu,relu,relu,relu,relu,relu,relu,relu",
        "1,2,3,4,5,6,7,8,9",
        ",,",
        "%",
        "%4",
        "%zz",
        "%F0%9F%92%A5",
        "<script>alert(1)</script>",
        "digits",
        "cnn",
        "28",
        "16",
        "true",
        "é",
        "+",
        ";",
        "&&&",
        "1e-400",
        "0x10",
        "1_000",
        "%FF%FE",
        "\u{0}",
    ];

    fn random_query(rng: &mut crate::rng::Rng) -> String {
        let mut q = String::from(if rng.below(4) == 0 { "?" } else { "" });
        for _ in 0..rng.below(8) {
            let pick = |rng: &mut crate::rng::Rng, xs: &[&str]| xs[rng.below(xs.len())].to_string();
            let piece = match rng.below(10) {
                0..4 => format!("{}={}", pick(rng, KEYS), pick(rng, VALUES)),
                4 | 5 => {
                    let k = KNOBS[rng.below(KNOBS.len())].key;
                    let n = rng.next_u64() as i64 >> rng.below(64);
                    format!(
                        "{k}={}",
                        if rng.below(2) == 0 {
                            n.to_string()
                        } else {
                            fmt_num(n as f64 * 1e-9)
                        }
                    )
                }
                6 | 7 => {
                    let bytes: Vec<u8> = (0..rng.below(12)).map(|_| rng.next_u64() as u8).collect();
                    String::from_utf8_lossy(&bytes).into_owned()
                }
                _ => pick(rng, &["&&&", "=", ";", "==", "&=&", "%", "+"]),
            };
            q.push_str(&piece);
            q.push_str(if rng.below(5) == 0 { "" } else { "&" });
        }
        q
    }

    #[test]
    fn fuzzed_queries_never_panic_and_stay_valid() {
        let mut rng = crate::rng::Rng::new(2024);
        for _ in 0..600 {
            let q = random_query(&mut rng);
            let _ = RunConfig::from_query(&q);
            let (cfg, _) = lenient(&q);
            assert!(cfg.validate().is_ok(), "{q:?} gave {:?}", cfg.validate());
            assert_eq!(RunConfig::from_query(&cfg.to_query()).as_ref(), Ok(&cfg), "{q:?}");
        }
    }
}
