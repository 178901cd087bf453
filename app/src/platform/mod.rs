//! The browser and nothing else: window helpers, the address bar's rules, the WebGPU probe, the
//! service worker, the test hook and the panic banner. Names no other layer of the app.

pub mod hook;
pub mod offline;
pub mod url;
pub mod web;
pub mod webgpu;
