//! Lessons in the page: loaded at run time from `lessons/` (index + one file per lesson, plus
//! its translation), the picker, the lesson panel and its "try this" buttons.

use crate::lab::lab;
use crate::runner;
use crate::ui::Ui;
use crate::web::{fetch_text, set_query};
use engine::lesson::{Lesson, parse_index};
use leptos::prelude::*;

/// Loads every lesson in the index, translated to `ui.lang`. A broken file becomes a notice
/// naming it; the others still load. An untranslated lesson stays in English.
pub async fn load(ui: Ui) {
    let lang = ui.lang.get_untracked();
    let index = match fetch_text("lessons/index.toml")
        .await
        .and_then(|s| parse_index(&s))
    {
        Ok(ids) => ids,
        Err(e) => {
            ui.notice(ui.texts.with_untracked(|t| {
                t.fmt(
                    "ui.lesson_broken",
                    &[("error", format!("lessons/index.toml: {e}"))],
                )
            }));
            return;
        }
    };
    let mut lessons = Vec::with_capacity(index.len());
    for id in index {
        match load_one(&id, &lang).await {
            Ok(l) => lessons.push(l),
            Err(e) => ui.notice(
                ui.texts
                    .with_untracked(|t| t.fmt("ui.lesson_broken", &[("error", e)])),
            ),
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
        ui.notice(
            ui.texts
                .with_untracked(|t| t.fmt("ui.lesson_unknown", &[("id", id.to_string())])),
        );
        return;
    };
    ui.lesson.set(Some(lesson.id.clone()));
    ui.last_knob.set(None);
    ui.cfg.set(lesson.preset.clone());
    set_query(&crate::app_query(ui), true);
    lab().borrow_mut().current_label = Some(ui.t("ui.lesson_preset"));
    runner::reset(ui);
}

/// Leaves the lesson; the run and its settings stay.
pub fn close(ui: Ui) {
    ui.lesson.set(None);
    set_query(&crate::app_query(ui), true);
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
    {
        let l = lab();
        let mut lab = l.borrow_mut();
        if lab.current.history.last_step() > 0 {
            lab.pin();
        }
        lab.current_label = Some(step.label.clone());
    }
    ui.last_knob.set(step.set.first().map(|(k, _)| k.clone()));
    ui.cfg.set(cfg);
    set_query(&crate::app_query(ui), true);
    runner::restart_playing(ui);
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

/// A `?lesson=id` link in lesson text opens that lesson in the page (runs and pins stay).
fn follow_lesson_link(ui: Ui, ev: web_sys::MouseEvent) {
    use wasm_bindgen::JsCast;
    let link = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a").ok().flatten())
        .and_then(|a| a.get_attribute("href"));
    if let Some(id) = link.as_deref().and_then(|h| h.strip_prefix("?lesson=")) {
        ev.prevent_default();
        open(ui, id);
    }
}

#[component]
pub fn LessonPicker(ui: Ui) -> impl IntoView {
    let on_change = move |ev| {
        let id = event_target_value(&ev);
        if id.is_empty() {
            close(ui);
        } else {
            open(ui, &id);
        }
    };
    view! {
        <label class="picker">
            <span class="visually-hidden">{move || ui.texts.with(|t| t.get("ui.lessons"))}</span>
            <select data-testid="lesson-picker" on:change=on_change
                aria-label=move || ui.texts.with(|t| t.get("ui.lessons"))
                prop:value=move || ui.lesson.get().unwrap_or_default()>
                <option value="">{move || ui.texts.with(|t| t.get("ui.free_play"))}</option>
                {move || ui.lessons.get().into_iter().enumerate().map(|(i, l)| {
                    let selected = ui.lesson.get_untracked().as_deref() == Some(l.id.as_str());
                    view! { <option value=l.id.clone() selected=selected>{format!("{}. {}", i + 1, l.title)}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn LessonPanel(ui: Ui) -> impl IntoView {
    let current = move || {
        let id = ui.lesson.get()?;
        ui.lessons.with(|ls| {
            ls.iter()
                .position(|l| l.id == id)
                .map(|i| (i + 1, ls.len(), ls[i].clone()))
        })
    };
    view! {
        {move || current().map(|(n, total, lesson)| {
            let level = ui.texts.with(|t| t.get(&format!("levels.{}", lesson.level.id())));
            let heading = ui.texts.with(|t| t.fmt("ui.lesson_of", &[("n", n.to_string()), ("total", total.to_string())]));
            let html = lesson.body_html();
            let steps = lesson.steps.iter().enumerate().map(|(i, s)| {
                let l = lesson.clone();
                view! {
                    <li><button data-testid=format!("try-{}", i + 1) on:click=move |_| try_step(ui, &l, i)>{s.label.clone()}</button></li>
                }
            }).collect_view();
            view! {
                <div class="panel lesson" data-testid="lesson" data-lesson=lesson.id.clone()>
                    <div class="lesson-head">
                        <h2>{heading} " · " {level}</h2>
                        <button class="link" data-testid="lesson-close" on:click=move |_| close(ui)>{ui.texts.with(|t| t.get("ui.lesson_close"))}</button>
                    </div>
                    <h3>{lesson.title.clone()}</h3>
                    <p class="question"><b>{ui.texts.with(|t| t.get("ui.lesson_question"))}</b> " " {lesson.question.clone()}</p>
                    <p><b>{ui.texts.with(|t| t.get("ui.lesson_look_for"))}</b> " " {lesson.look_for.clone()}</p>
                    <h4>{ui.texts.with(|t| t.get("ui.lesson_try"))}</h4>
                    <ol class="try-steps">{steps}</ol>
                    // Rendered by the engine from Markdown with raw HTML escaped: lesson text is data.
                    <div class="lesson-body" data-testid="lesson-body" inner_html=html on:click=move |ev| follow_lesson_link(ui, ev)></div>
                </div>
            }
        })}
    }
}
