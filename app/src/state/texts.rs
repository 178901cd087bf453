//! UI text: the parsed `static/i18n/<lang>.toml` (no text lives in Rust code; `actions::lang`
//! loads the file).

use std::collections::HashMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Texts {
    map: HashMap<String, String>,
}

impl Texts {
    /// Flattens the TOML tables into dotted keys: `knobs.lr.label`, `ui.play`, ...
    pub fn parse(src: &str) -> Result<Self, String> {
        let value: toml::Table = src.parse().map_err(|e| format!("{e}"))?;
        let mut map = HashMap::new();
        flatten("", &toml::Value::Table(value), &mut map);
        Ok(Self { map })
    }

    /// The text for `key`, or the key itself so a missing text is visible, never blank.
    pub fn get(&self, key: &str) -> String {
        self.map.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    pub fn get_opt(&self, key: &str) -> Option<String> {
        self.map.get(key).cloned()
    }

    /// An engine message (`msg.<id>`), nested messages included, in this language.
    pub fn msg(&self, m: &engine::msg::Msg) -> String {
        m.render(&|id| self.get_opt(&format!("msg.{id}")))
    }

    /// The text of an engine error a learner can cause (an invalid config, a missing CSV file).
    pub fn engine_error(&self, e: &engine::EngineError) -> String {
        match e {
            engine::EngineError::Config(errs) => errs
                .iter()
                .map(|e| self.msg(&e.msg))
                .collect::<Vec<_>>()
                .join("; "),
            engine::EngineError::MissingCsv => self.get("ui.csv_missing"),
            engine::EngineError::Device(d) => self.msg(&d.msg()),
            other => other.to_string(),
        }
    }

    /// `get` with `{name}` placeholders filled in.
    pub fn fmt(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut s = self.get(key);
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }
}

fn flatten(prefix: &str, v: &toml::Value, out: &mut HashMap<String, String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// Languages offered, with their own names (not translated: a reader finds their language).
pub const LANGS: [(&str, &str); 2] = [("en", "English"), ("zh", "简体中文")];
