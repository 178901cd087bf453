//! The metrics tables: the confusion matrix and precision/recall/F1 per class.

use crate::state::{lab, use_ui};
use engine::train::Predictions;
use leptos::prelude::*;

/// Confusion matrix (rows: actual, columns: predicted) and per-class metrics.
#[component]
pub fn MetricsTables(preds: Signal<Option<Predictions>>) -> impl IntoView {
    let ui = use_ui();
    move || {
        let Some(p) = preds.get() else {
            return ().into_any();
        };
        let max = p
            .confusion
            .counts
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(1)
            .max(1);
        // A CSV file's classes have names ("cat", "dog"); the built-in sets are numbered.
        let csv_names = (ui.cfg.with(|c| c.data.dataset) == engine::config::DatasetKind::Csv)
            .then(|| {
                lab()
                    .borrow()
                    .assets
                    .csv
                    .as_ref()
                    .map(|d| d.class_names().to_vec())
            })
            .flatten()
            .unwrap_or_default();
        let name = move |c: usize| csv_names.get(c).cloned().unwrap_or_else(|| c.to_string());
        let header: Vec<String> = (0..p.confusion.classes).map(&name).collect();
        view! {
            <h3>{ui.tr("ui.confusion")}</h3>
            // Ten classes are wider than a phone: the tables scroll in this box, not the page
            // (focusable, so a keyboard can scroll it).
            <div class="table-scroll" tabindex="0" role="region" aria-label=ui.tr("ui.confusion")>
            <table class="confusion" data-testid="confusion">
                <tr><th>{format!("{} \\ {}", ui.tr("ui.actual"), ui.tr("ui.predicted"))}</th>
                    {header.iter().map(|c| view! { <th>{c.clone()}</th> }).collect_view()}</tr>
                {p.confusion.counts.iter().enumerate().map(|(a, row)| view! {
                    <tr><th>{header.get(a).cloned()}</th>{row.iter().enumerate().map(|(pr, &n)| {
                        // At most 0.7: the count stays readable on the darkest cell (5:1, WCAG AA).
                        let alpha = 0.7 * n as f32 / max as f32;
                        let bg = if pr == a { format!("rgba(44,160,44,{alpha:.2})") } else { format!("rgba(214,39,40,{alpha:.2})") };
                        view! { <td style:background=bg.clone()>{n}</td> }
                    }).collect_view()}</tr>
                }).collect_view()}
            </table>
            <table class="prf" data-testid="per-class">
                <tr><th></th><th>{ui.tr("ui.precision")}</th><th>{ui.tr("ui.recall")}</th><th>{ui.tr("ui.f1")}</th></tr>
                {p.per_class.iter().enumerate().map(|(c, m)| view! {
                    <tr><th>{header.get(c).cloned()}</th><td>{format!("{:.2}", m.precision)}</td><td>{format!("{:.2}", m.recall)}</td><td>{format!("{:.2}", m.f1)}</td></tr>
                }).collect_view()}
            </table>
            </div>
        }
        .into_any()
    }
}
