//! A run's curves in bounded memory, so that a run left playing for hours costs what a short
//! one costs, in memory and in work per frame.
//!
//! - [`Series`]: a per-step curve (the training loss, the learning rate): the recent points at
//!   full resolution, older ones merged into min/max/mean buckets, the charts' EMA kept
//!   incrementally. Charts draw its [`Series::envelope`].
//! - [`Sampled`]: a log of whole records (evaluations, per-layer norms) evenly thinned as it
//!   grows, every kept record exact; it reads as a slice.

mod sampled;
mod series;

pub use sampled::{CAP as SAMPLED_CAP, Sampled};
pub use series::{BUCKETS, EnvelopePoint, Point, RECENT, SMOOTHING, Series};
