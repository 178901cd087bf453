//! Lessons: loading them (index + one file per lesson, plus its translation), opening one,
//! leaving it, and its "try this" steps.

use super::pins::pin_and_start;
use super::run::{NewRun, start_run};
use crate::platform::url;
use crate::platform::web::{fetch_text, query, set_query};
use crate::state::Ui;
use engine::lesson::{Lesson, parse_index};
use leptos::prelude::*;

/// Loads every lesson in the index, translated to `ui.lang`. A broken file becomes a notice
/// naming it; the others still load. An untranslated lesson stays in English.
pub async fn load(ui: Ui) {
    let lang = ui.lang.get_untracked();
    let index = match fetch_text("lessons/index.toml")
        .await
        .and_then(|s| parse_index(&s).map_err(|e| e.to_string()))
    {
        Ok(ids) => ids,
        Err(e) => {
            let error = format!("lessons/index.toml: {e}");
            ui.notice(ui.tr_fmt("ui.lesson_broken", &[("error", error)]));
            return;
        }
    };
    let mut lessons = Vec::with_capacity(index.len());
    for id in index {
        match load_one(&id, &lang).await {
            Ok(l) => lessons.push(l),
            Err(e) => ui.notice(ui.tr_fmt("ui.lesson_broken", &[("error", e)])),
        }
    }
    ui.lessons.set(lessons);
}

async fn load_one(id: &str, lang: &str) -> Result<Lesson, String> {
    let file = format!("lessons/{id}.md");
    let src = fetch_text(&file).await?;
    let mut lesson = Lesson::parse(&file, &src).map_err(|e| e.to_string())?;
    if lang != "en" {
        let tfile = format!("lessons/{id}.{lang}.md");
        let translated = match fetch_text(&tfile).await {
            Ok(tsrc) => lesson.translate(&tfile, &tsrc).map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        // A missing or broken translation leaves the lesson readable in English.
        if let Err(e) = translated {
            web_sys::console::warn_1(&e.into());
        }
    }
    Ok(lesson)
}

/// Opens a lesson: its preset becomes the run (restarted, not yet playing), its text shows.
pub fn open(ui: Ui, id: &str) {
    let Some(lesson) = ui
        .lessons
        .with_untracked(|ls| ls.iter().find(|l| l.id == id).cloned())
    else {
        ui.notice(ui.tr_fmt("ui.lesson_unknown", &[("id", id.to_string())]));
        return;
    };
    ui.lesson.set(Some(lesson.id.clone()));
    ui.last_knob.set(None);
    start_run(
        ui,
        NewRun {
            cfg: lesson.preset,
            label: Some(ui.tr("ui.lesson_preset")),
            push_url: true,
            play: false,
        },
    );
}

/// Leaves the lesson; the run and its settings stay.
pub fn close(ui: Ui) {
    ui.lesson.set(None);
    let q = ui.cfg.with_untracked(engine::RunConfig::to_query);
    set_query(&url::app_query(&q, &query(), None), true);
}

/// A "try this" step: the run so far is pinned (so both curves stay), the step's changes are
/// applied to the lesson's preset, and the new run starts at once.
pub fn try_step(ui: Ui, lesson: &Lesson, i: usize) {
    let Some(step) = lesson.steps.get(i) else { return };
    let cfg = match step.apply(&lesson.preset) {
        Ok(c) => c,
        Err(e) => {
            ui.notice(format!("lessons/{}.md: {e}", lesson.id));
            return;
        }
    };
    let knob = step.set.first().map(|(k, _)| k.clone());
    pin_and_start(ui, cfg, step.label.clone(), knob);
}

/// The id of the first lesson that teaches a symptom (its preset or a step expects it).
pub fn lesson_for(ui: Ui, symptom: engine::diagnose::Symptom) -> Option<(String, String)> {
    ui.lessons.with(|ls| {
        ls.iter()
            .find(|l| l.expect.contains(&symptom))
            .or_else(|| {
                ls.iter()
                    .find(|l| l.steps.iter().any(|s| s.expect.contains(&symptom)))
            })
            .map(|l| (l.id.clone(), l.title.clone()))
    })
}
