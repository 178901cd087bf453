//! The components, thin: each reads `Ui` from context (`state::use_ui`) and calls `actions` for
//! whatever a learner's input does; `draw/` paints the canvases. The top layer: names
//! `actions`, `state` and `platform`; nothing names it but the crate root.

pub mod announcer;
pub mod app;
pub mod bench;
pub mod chart_text;
pub mod charts;
pub mod controls;
pub mod data_view;
pub mod draw;
pub mod embed;
pub mod explanation;
pub mod export;
pub mod findings;
pub mod lang;
pub mod lessons;
pub mod lrfinder;
pub mod metrics;
pub mod notices;
pub mod runbar;
pub mod share;
