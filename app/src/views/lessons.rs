//! Lessons in the page: the picker, the lesson panel and its "try this" buttons.

use crate::actions::lessons::{close, open, try_step};
use crate::state::{Ui, use_ui};
use leptos::prelude::*;

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
pub fn LessonPicker() -> impl IntoView {
    let ui = use_ui();
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
            <span class="visually-hidden">{move || ui.tr("ui.lessons")}</span>
            <select data-testid="lesson-picker" on:change=on_change
                aria-label=move || ui.tr("ui.lessons")
                prop:value=move || ui.lesson.get().unwrap_or_default()>
                <option value="">{move || ui.tr("ui.free_play")}</option>
                {move || ui.lessons.get().into_iter().enumerate().map(|(i, l)| {
                    let selected = ui.lesson.get_untracked().as_deref() == Some(l.id.as_str());
                    view! { <option value=l.id.clone() selected=selected>{format!("{}. {}", i + 1, l.title)}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn LessonPanel() -> impl IntoView {
    let ui = use_ui();
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
            let level = ui.tr(&format!("levels.{}", lesson.level.id()));
            let heading = ui.tr_fmt("ui.lesson_of", &[("n", n.to_string()), ("total", total.to_string())]);
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
                        <button class="link" data-testid="lesson-close" on:click=move |_| close(ui)>{ui.tr("ui.lesson_close")}</button>
                    </div>
                    <h3>{lesson.title.clone()}</h3>
                    <p class="question"><b>{ui.tr("ui.lesson_question")}</b> " " {lesson.question.clone()}</p>
                    <p><b>{ui.tr("ui.lesson_look_for")}</b> " " {lesson.look_for.clone()}</p>
                    <h4>{ui.tr("ui.lesson_try")}</h4>
                    <ol class="try-steps">{steps}</ol>
                    // Rendered by the engine from Markdown with raw HTML escaped: lesson text is data.
                    <div class="lesson-body" data-testid="lesson-body" inner_html=html on:click=move |ev| follow_lesson_link(ui, ev)></div>
                </div>
            }
        })}
    }
}
