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

/// Every remedy a finding can offer has its label in each language, with placeholders only for
/// the knobs it sets (the page fills them in with the new values); the verdict lines have theirs.
#[test]
fn every_remedy_is_labelled() {
    use engine::RunConfig;
    use engine::diagnose::{Symptom, remedies, remedy};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/i18n");
    let table = |lang: &str| -> toml::Table {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.toml"))).unwrap();
        text.parse().unwrap()
    };
    let (en, zh) = (table("en"), table("zh"));
    let label = |t: &toml::Table, id: &str| -> String {
        t["remedy"]
            .get(id)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no remedy.{id}"))
            .to_string()
    };
    for id in remedy::IDS {
        let (e, z) = (label(&en, id), label(&zh, id));
        assert!(!e.is_empty() && !z.is_empty(), "remedy.{id}");
        assert_eq!(placeholders(&e), placeholders(&z), "remedy.{id}: {e} / {z}");
    }
    assert_eq!(en["remedy"].as_table().unwrap().len(), remedy::IDS.len());
    assert_eq!(zh["remedy"].as_table().unwrap().len(), remedy::IDS.len());
    for query in [
        "",
        "lr=1",
        "optimizer=sgd&lr=0.001",
        "init=normal&init_std=0.001&activation=tanh",
        "hidden=none",
        "hidden=8&dropout=0.5",
        "dataset=digits",
        "no_shuffle=true&val_fraction=0.05&batch_size=4",
        "relu_before_softmax=true&eval_with_dropout=true&dropout=0.3&val_preprocessing_mismatch=true&unnormalized_inputs=true",
    ] {
        let cfg = RunConfig::from_query(query).unwrap();
        for s in Symptom::ALL {
            for r in remedies(s, &cfg) {
                let keys: BTreeSet<String> = r.set.iter().map(|(k, _)| k.clone()).collect();
                let names = placeholders(&label(&en, r.id));
                assert!(
                    names.is_subset(&keys),
                    "remedy.{} names {names:?}, sets {keys:?}",
                    r.id
                );
            }
        }
    }
    for (key, names) in [
        ("remedy_watching", &["remedy", "step"][..]),
        ("remedy_gone", &["remedy", "finding"]),
        ("remedy_still", &["remedy", "finding"]),
    ] {
        let want: BTreeSet<String> = names.iter().map(|s| s.to_string()).collect();
        for (lang, t) in [("en", &en), ("zh", &zh)] {
            let text = t["ui"][key]
                .as_str()
                .unwrap_or_else(|| panic!("{lang}: ui.{key}"));
            assert_eq!(placeholders(text), want, "{lang}: ui.{key}");
        }
    }
}
