//! What the page's polite live region says: the run's status when it changes (Ready, Training,
//! Paused, Diverged at step N, Finished at step N) and each finding when it appears. Changes are
//! gathered for [`GATHER_MS`] and spoken as one sentence: the status signal is set every frame
//! and a "try this" step passes through several states at once, none of which is news.

use crate::state::{RunStatus, Ui};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

/// How long changes are gathered before they are spoken.
pub const GATHER_MS: u64 = 600;

/// What the region has already said (or what the page showed when it started).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heard {
    /// `None` until the first look: the status the page opens with is not news.
    pub status: Option<RunStatus>,
    /// The findings (symptom ids) announced and still shown.
    pub findings: Vec<&'static str>,
}

/// What is new since `heard`: the status if it changed, and the findings not announced yet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct News {
    pub status: Option<RunStatus>,
    pub findings: Vec<&'static str>,
}

impl News {
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.findings.is_empty()
    }
}

/// Compares the page now with what was heard. A finding that went away is forgotten, so it is
/// announced again if it comes back (a new run starts with none).
pub fn news(heard: &mut Heard, status: RunStatus, findings: &[&'static str]) -> News {
    heard.findings.retain(|f| findings.contains(f));
    let Some(before) = heard.status else {
        heard.status = Some(status);
        return News::default();
    };
    News {
        status: (before != status).then_some(status),
        findings: findings
            .iter()
            .filter(|f| !heard.findings.contains(*f))
            .copied()
            .collect(),
    }
}

/// Records `news` as heard.
pub fn heard(heard: &mut Heard, news: &News) {
    if let Some(s) = news.status {
        heard.status = Some(s);
    }
    heard.findings.extend(news.findings.iter().copied());
}

/// The current findings' symptom ids.
fn finding_ids(ui: Ui) -> Vec<&'static str> {
    ui.findings
        .with_untracked(|fs| fs.iter().map(|f| f.symptom.id()).collect())
}

/// The sentence for `news` in the page's language.
fn sentence(ui: Ui, news: &News) -> String {
    let mut parts = Vec::new();
    if let Some(s) = news.status {
        let (key, args) = s.text();
        let status = ui.texts.with_untracked(|t| t.fmt(&key, &args));
        parts.push(
            ui.texts
                .with_untracked(|t| t.fmt("ui.announce_status", &[("status", status)])),
        );
    }
    for id in &news.findings {
        let title = ui.findings.with_untracked(|fs| {
            fs.iter().find(|f| f.symptom.id() == *id).map(|f| {
                ui.texts
                    .with_untracked(|t| t.get(&format!("{}.title", f.explanation_id)))
            })
        });
        if let Some(title) = title {
            parts.push(
                ui.texts
                    .with_untracked(|t| t.fmt("ui.announce_finding", &[("title", title)])),
            );
        }
    }
    parts.join(" ")
}

/// Watches the run's status and findings and returns what the live region should say now.
pub fn watch(ui: Ui) -> ReadSignal<String> {
    let (said, set_said) = signal(String::new());
    let heard_so_far = Rc::new(RefCell::new(Heard::default()));
    let pending = Rc::new(RefCell::new(false));
    Effect::new(move |_| {
        let status = ui.status.get();
        ui.findings.track();
        let ids = finding_ids(ui);
        let new = news(&mut heard_so_far.borrow_mut(), status, &ids);
        if new.is_empty() || *pending.borrow() {
            return;
        }
        *pending.borrow_mut() = true;
        let (heard_so_far, pending) = (heard_so_far.clone(), pending.clone());
        set_timeout(
            move || {
                *pending.borrow_mut() = false;
                // What holds after the gathering: a status that came back to where it was is
                // not news.
                let status = ui.status.get_untracked();
                let new = news(&mut heard_so_far.borrow_mut(), status, &finding_ids(ui));
                if !new.is_empty() {
                    heard(&mut heard_so_far.borrow_mut(), &new);
                    set_said.try_set(sentence(ui, &new));
                }
            },
            Duration::from_millis(GATHER_MS),
        );
    });
    said
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_are_news() {
        let mut h = Heard::default();
        // The page's first state is what a reader finds on the page, not an announcement.
        assert!(news(&mut h, RunStatus::Idle, &[]).is_empty());
        assert!(news(&mut h, RunStatus::Idle, &[]).is_empty());
        let n = news(&mut h, RunStatus::Running, &[]);
        assert_eq!(n.status, Some(RunStatus::Running));
        heard(&mut h, &n);
        // Every frame sets the status again: the same status is not news.
        assert!(news(&mut h, RunStatus::Running, &[]).is_empty());
        let n = news(&mut h, RunStatus::Running, &["overfitting"]);
        assert_eq!((n.status, n.findings.as_slice()), (None, &["overfitting"][..]));
        heard(&mut h, &n);
        assert!(news(&mut h, RunStatus::Running, &["overfitting"]).is_empty());
        let n = news(&mut h, RunStatus::Finished { step: 300 }, &["overfitting"]);
        assert_eq!(
            (n.status, n.findings.len()),
            (Some(RunStatus::Finished { step: 300 }), 0)
        );
        heard(&mut h, &n);
        // A new run clears the findings: the same finding on it is news again.
        assert!(news(&mut h, RunStatus::Finished { step: 300 }, &[]).is_empty());
        let n = news(&mut h, RunStatus::Finished { step: 300 }, &["overfitting"]);
        assert_eq!(n.findings, ["overfitting"]);
    }
}
