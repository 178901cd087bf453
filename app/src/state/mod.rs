//! What the page knows: the reactive signals (`Ui`), the runs and their curves (`Lab`), the run
//! status, the backend, the UI texts. No `web_sys`, no components; names only `platform`.

pub mod backend;
pub mod lab;
pub mod status;
pub mod texts;
pub mod ui;

pub use backend::Backend;
pub use lab::{Lab, RunRecord, lab};
pub use status::RunStatus;
pub use texts::Texts;
pub use ui::{Trial, Ui, use_ui};
