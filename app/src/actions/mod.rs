//! What a learner's action does, written once: starting a run (`run::start_run`), Play/Pause/
//! Step/Reset (`run`), the frame loop (`frame`), the page's start and back/forward (`startup`),
//! lessons and their "try this" steps, a finding's remedies and their verdict, files in and out, language, sharing, the LR finder, a
//! widget's visibility, the benchmark mode, the test hook's snapshot, and what the live region
//! announces and the charts say as text.
//! Names `state` and `platform`, never `views`.

pub mod announce;
pub mod assets;
pub mod bench;
pub mod chart_text;
pub mod embed;
pub mod files;
pub mod frame;
pub mod lang;
pub mod lessons;
pub mod lrfinder;
// The parity check is for tests: only in the WebGPU build, so the default page stays small.
#[cfg(feature = "webgpu")]
pub mod parity;
pub mod pins;
pub mod remedy;
pub mod run;
pub mod share;
pub mod snapshot;
pub mod startup;
