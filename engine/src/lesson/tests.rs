use super::*;

const GOOD: &str = r#"+++
id = "demo"
level = "beginner"
title = "A demo"
question = "What happens?"
look_for = "The loss."
expect = ["diverged"]

[preset]
seed = 3
[preset.train]
lr = 5.0
max_steps = 200

[[try]]
label = "Lower the learning rate"
set = { lr = 0.01, hidden = [8, 8] }
expect = []
+++
# Why

Because *reasons*.
"#;

#[test]
fn parses_a_lesson() {
    let l = Lesson::parse("demo.md", GOOD).unwrap();
    assert_eq!(
        (l.id.as_str(), l.level, l.preset.seed),
        ("demo", Level::Beginner, 3)
    );
    assert_eq!((l.preset.train.lr, l.preset.train.max_steps), (5.0, 200));
    assert_eq!(l.expect, vec![Symptom::Diverged]);
    let cfg = l.steps[0].apply(&l.preset).unwrap();
    assert_eq!((cfg.train.lr, cfg.model.hidden.clone()), (0.01, vec![8, 8]));
    assert!(l.body_html().contains("<em>reasons</em>"));
}

#[test]
fn translation_replaces_text_only() {
    let mut l = Lesson::parse("demo.md", GOOD).unwrap();
    let zh = "+++\ntitle = \"演示\"\nquestion = \"？\"\nlook_for = \"损失\"\n[[try]]\nlabel = \"降低学习率\"\n+++\n正文\n";
    l.translate("demo.zh.md", zh).unwrap();
    assert_eq!(
        (l.title.as_str(), l.steps[0].label.as_str()),
        ("演示", "降低学习率")
    );
    assert_eq!((l.body.trim(), l.preset.train.lr), ("正文", 5.0));
    let short = "+++\ntitle = \"a\"\nquestion = \"b\"\nlook_for = \"c\"\n+++\n";
    let e = l.translate("demo.zh.md", short).unwrap_err();
    assert!(
        e.to_string().contains("demo.zh.md") && e.problem.to_string().contains("0 try steps"),
        "{e}"
    );
}

#[test]
fn errors_name_the_file_and_the_problem() {
    let cases = [
        (GOOD.replace("+++\nid", "id"), "must start with"),
        (GOOD.replace("\n+++\n# Why", "\n# Why"), "no closing"),
        (GOOD.replace("lr = 5.0", "lr = -5.0"), "[preset]"),
        (
            GOOD.replace("lr = 0.01", "learning_rate = 0.01"),
            "unknown setting `learning_rate`",
        ),
        (
            GOOD.replace("[\"diverged\"]", "[\"sad\"]"),
            "unknown symptom \"sad\"",
        ),
        (
            GOOD.replace("level = \"beginner\"", "level = \"expert\""),
            "expert",
        ),
        (GOOD.replace("look_for", "look_at"), "look_at"),
        (GOOD.replace("id = \"demo\"", "id = \"other\""), "does not match"),
        (GOOD.replace("lr = 0.01", "lr = 1e9"), "try step 1"),
    ];
    for (src, want) in cases {
        let e = Lesson::parse("demo.md", &src).unwrap_err();
        assert_eq!(e.file, "demo.md");
        assert!(e.to_string().contains(want), "wanted {want:?} in {e}");
    }
}

#[test]
fn index_lists_ids() {
    assert_eq!(
        parse_index("lessons = [\"a\", \"b-2\"]").unwrap(),
        vec!["a", "b-2"]
    );
    assert!(parse_index("lessons = [\"../x\"]").is_err());
    assert!(parse_index("lesson = []").is_err());
}
