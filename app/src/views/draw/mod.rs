//! Canvas drawing: the curves (plotters), the decision surface, the network view, the digits,
//! the LR finder's chart. Plain functions of the data they draw.

pub mod charts;
pub mod digits;
pub mod lrfinder;
pub mod markers;
pub mod network;
pub mod surface;
