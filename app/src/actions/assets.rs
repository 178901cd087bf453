//! The files a run may need besides its config: the digits set, fetched once on first use.

use crate::platform::web::fetch_bytes;
use crate::state::{Ui, lab};
use engine::data::{Assets, digits};
use leptos::prelude::*;
use std::sync::Arc;

/// Makes the assets a config needs available (the digits file is fetched on first use).
pub async fn ensure_assets(ui: Ui) -> Result<Assets, String> {
    let needs_digits = ui.cfg.with_untracked(|c| c.data.dataset.is_image());
    let have = lab().borrow().assets.clone();
    if !needs_digits || have.digits.is_some() {
        return Ok(have);
    }
    let parsed = fetch_digits().await?;
    let l = lab();
    l.borrow_mut().assets.digits = Some(parsed);
    let assets = l.borrow().assets.clone();
    Ok(assets)
}

/// The digits data set, fetched from the site and parsed.
pub async fn fetch_digits() -> Result<Arc<digits::Digits>, String> {
    let bytes = fetch_bytes("data/digits.csv.gz").await?;
    Ok(Arc::new(digits::parse(&bytes).map_err(|e| e.to_string())?))
}
