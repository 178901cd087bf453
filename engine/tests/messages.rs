//! Every message the engine can give a learner has a text in each language the page offers,
//! with the same placeholders as the English one.

use engine::msg::ENGLISH;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn placeholders(s: &str) -> BTreeSet<String> {
    s.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}'))
        .map(|(name, _)| name.to_string())
        .collect()
}

#[test]
fn every_message_is_translated() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/i18n");
    for lang in ["en", "zh"] {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.toml"))).unwrap();
        let table: toml::Table = text.parse().unwrap();
        let msgs = table["msg"]
            .as_table()
            .unwrap_or_else(|| panic!("{lang}.toml has no [msg]"));
        for (id, english) in ENGLISH {
            let t = msgs
                .get(*id)
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("{lang}.toml has no msg.{id}"));
            assert_eq!(
                placeholders(t),
                placeholders(english),
                "{lang}.toml msg.{id}: {t}"
            );
            if lang == "en" {
                assert_eq!(t, *english, "en.toml msg.{id} differs from the engine's English");
            }
        }
        assert_eq!(
            msgs.len(),
            ENGLISH.len(),
            "{lang}.toml has messages the engine never gives"
        );
    }
}

/// Every finding the diagnosis can give has its title and explanation in each language, and the
/// panel's sentence that names a finding's cause has its `{cause}` placeholder.
#[test]
fn every_finding_is_explained() {
    use engine::diagnose::Symptom;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/i18n");
    for lang in ["en", "zh"] {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.toml"))).unwrap();
        let table: toml::Table = text.parse().unwrap();
        let curves = table["curves"].as_table().expect("a [curves] table");
        for s in Symptom::ALL {
            let t = curves
                .get(s.id())
                .and_then(|v| v.as_table())
                .unwrap_or_else(|| panic!("{lang}.toml has no [curves.{}]", s.id()));
            for field in ["title", "explain"] {
                let v = t.get(field).and_then(|v| v.as_str()).unwrap_or_default();
                assert!(!v.is_empty(), "{lang}.toml curves.{}.{field}", s.id());
            }
        }
        let because = table["ui"]["finding_because"]
            .as_str()
            .expect("ui.finding_because");
        assert_eq!(
            placeholders(because),
            BTreeSet::from(["cause".to_string()]),
            "{lang}"
        );
    }
}
