//! The page's language: which one, loading its texts, switching (the run stays).

use super::{lessons, run};
use crate::platform::{hook, web};
use crate::state::Ui;
use crate::state::texts::{LANGS, Texts};
use leptos::prelude::*;

/// The language from `lang=` in the URL, else from the browser (Chinese or English).
pub fn page_lang() -> String {
    web::param("lang")
        .filter(|l| LANGS.iter().any(|(id, _)| id == l))
        .unwrap_or_else(|| {
            let nav = web::window().navigator().language().unwrap_or_default();
            if nav.starts_with("zh") { "zh" } else { "en" }.to_string()
        })
}

/// Loads the UI texts for the page's language (a broken file is a notice, not a blank page).
pub async fn load(ui: Ui) {
    let lang = page_lang();
    let texts = match web::fetch_text(&format!("i18n/{lang}.toml"))
        .await
        .and_then(|s| Texts::parse(&s))
    {
        Ok(t) => t,
        Err(e) => {
            ui.notice(format!("i18n/{lang}.toml: {e}"));
            Texts::default()
        }
    };
    if let Some(root) = web::window().document().and_then(|d| d.document_element()) {
        // BCP 47: the script (Simplified), not a region, is what a screen reader's voice needs.
        let _ = root.set_attribute("lang", if lang == "zh" { "zh-Hans" } else { "en" });
    }
    hook::set_panic_texts([
        texts.get("ui.error_banner"),
        texts.get("ui.reload"),
        texts.get("ui.report"),
    ]);
    ui.lang.set(lang);
    ui.texts.set(texts);
}

/// Switching language keeps the run: texts and lessons reload, `lang=` goes into the URL.
pub fn switch(ui: Ui, lang: &str) {
    web::set_query(&web::query_with("lang", Some(lang)), false);
    leptos::task::spawn_local(async move {
        load(ui).await;
        lessons::load(ui).await;
        run::sync(ui);
    });
}
