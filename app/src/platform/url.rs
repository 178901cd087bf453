//! The page's query rules as pure functions of strings (no browser), so they are tested natively.
//!
//! A query is given without its leading `?`. The run's settings are the engine's
//! (`RunConfig::to_query`); the app adds its own keys (`engine::config::APP_KEYS`).

use engine::config::APP_KEYS;

/// The value of `key` in `query` (the first one; `None` when absent).
pub fn param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key && kv.contains('=')).then(|| v.to_string())
    })
}

/// Whether `key` is on: `1` or `true`.
pub fn flag(query: &str, key: &str) -> bool {
    param(query, key).is_some_and(|v| v == "1" || v == "true")
}

/// A widget (`?embed=1`) keeps its state to itself: it never rewrites its address.
pub fn is_embed(query: &str) -> bool {
    flag(query, "embed")
}

/// `query` with `key` set to `value` (or removed), the other keys kept in order.
pub fn with_key(query: &str, key: &str, value: Option<&str>) -> String {
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && kv.split('=').next() != Some(key))
        .map(str::to_string)
        .collect();
    if let Some(v) = value {
        parts.push(format!("{key}={v}"));
    }
    parts.join("&")
}

/// Whether `query` holds any run setting (a key that is not one of the app's own).
pub fn has_settings(query: &str) -> bool {
    query
        .split('&')
        .any(|kv| !kv.is_empty() && !APP_KEYS.contains(&kv.split('=').next().unwrap_or("")))
}

/// The query that reproduces a run: its settings (`config_query`), then the app's keys in
/// `APP_KEYS` order: the open `lesson` (it lives in the page, not the address bar), the others
/// as the current address has them.
pub fn app_query(config_query: &str, page_query: &str, lesson: Option<&str>) -> String {
    let mut q = config_query.to_string();
    for key in APP_KEYS {
        let value = if *key == "lesson" {
            lesson.map(str::to_string)
        } else {
            param(page_query, key)
        };
        push(&mut q, key, value);
    }
    q
}

/// Appends `key=value` to a query when there is a value.
fn push(q: &mut String, key: &str, value: Option<String>) {
    if let Some(v) = value {
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str(&format!("{key}={v}"));
    }
}

/// The full playground's query for a widget's run: its settings plus the language and lesson,
/// without the widget's own keys.
pub fn full_query(config_query: &str, page_query: &str) -> String {
    let mut q = config_query.to_string();
    for key in ["lang", "lesson"] {
        push(&mut q, key, param(page_query, key));
    }
    q
}

/// A URL from a base (origin + path) and a query (none when empty).
pub fn with_query(base: &str, query: &str) -> String {
    if query.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{query}")
    }
}

/// The knob keys a widget lists in `controls=` (comma-separated, `%2C` too), in order.
pub fn embed_controls(query: &str) -> Vec<String> {
    param(query, "controls")
        .unwrap_or_default()
        .replace("%2C", ",")
        .replace("%2c", ",")
        .split(',')
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

/// A widget's `src`: the playground URL for the run plus the widget keys.
pub fn embed_src(full_url: &str, controls: &[String], explain: bool) -> String {
    let sep = if full_url.contains('?') { '&' } else { '?' };
    let mut src = format!("{full_url}{sep}embed=1");
    if !controls.is_empty() {
        src.push_str(&format!("&controls={}", controls.join(",")));
    }
    if explain {
        src.push_str("&explain=1");
    }
    src
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_finds_exact_keys_only() {
        let q = "lr=0.1&lesson=relu&lang=zh&embed";
        assert_eq!(param(q, "lesson").as_deref(), Some("relu"));
        assert_eq!(param(q, "lang").as_deref(), Some("zh"));
        assert_eq!(param(q, "les"), None);
        // A bare key has no value.
        assert_eq!(param(q, "embed"), None);
        assert_eq!(param("", "lr"), None);
        assert_eq!(param("a=", "a").as_deref(), Some(""));
    }

    #[test]
    fn flags() {
        assert!(is_embed("embed=1"));
        assert!(is_embed("lr=0.1&embed=true"));
        assert!(!is_embed("embed=0"));
        assert!(!is_embed("embedded=1"));
    }

    #[test]
    fn with_key_replaces_or_removes() {
        assert_eq!(
            with_key("lr=0.1&lang=en&seed=2", "lang", Some("zh")),
            "lr=0.1&seed=2&lang=zh"
        );
        assert_eq!(with_key("lr=0.1&backend=cpu", "backend", None), "lr=0.1");
        assert_eq!(with_key("", "lang", Some("en")), "lang=en");
    }

    #[test]
    fn settings_are_keys_the_app_does_not_own() {
        assert!(!has_settings("lesson=relu&lang=zh"));
        assert!(has_settings("lesson=relu&lr=0.5"));
        assert!(!has_settings(""));
    }

    #[test]
    fn app_query_adds_the_lesson_and_keeps_app_keys() {
        let q = app_query("lr=0.1", "lr=0.3&lang=zh&backend=cpu&lesson=old", Some("relu"));
        assert!(q.starts_with("lr=0.1&"), "{q}");
        assert!(q.contains("lesson=relu") && !q.contains("lesson=old"), "{q}");
        assert!(q.contains("lang=zh") && q.contains("backend=cpu"), "{q}");
        assert!(!q.contains("lr=0.3"), "{q}");
        assert_eq!(app_query("", "", None), "");
        assert_eq!(app_query("", "lang=en", None), "lang=en");
    }

    #[test]
    fn widget_urls() {
        assert_eq!(
            full_query("lr=0.1", "embed=1&controls=lr&lang=zh"),
            "lr=0.1&lang=zh"
        );
        assert_eq!(with_query("http://x/", ""), "http://x/");
        assert_eq!(with_query("http://x/", "a=1"), "http://x/?a=1");
        assert_eq!(
            embed_controls("embed=1&controls=lr%2Cdropout,,seed"),
            ["lr", "dropout", "seed"]
        );
        assert!(embed_controls("embed=1").is_empty());
        assert_eq!(
            embed_src("http://x/?lr=1", &["lr".into(), "seed".into()], true),
            "http://x/?lr=1&embed=1&controls=lr,seed&explain=1"
        );
        assert_eq!(embed_src("http://x/", &[], false), "http://x/?embed=1");
    }
}
