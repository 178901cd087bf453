//! UI text, loaded at run time from `static/i18n/<lang>.toml` (no text lives in Rust code).

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
