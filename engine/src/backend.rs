//! Devices: burn's pure-Rust CPU backend (flex) everywhere, WebGPU in the browser.
//!
//! A training session only sees a `Device`; which backend it is changes nothing else.

use crate::msg::Msg;
use burn::tensor::Device;
use std::fmt;

/// The CPU backend: native tests and benchmarks, and the browser's fallback.
pub fn cpu() -> Device {
    Device::flex()
}

/// Sets WebGPU up asynchronously (the only way in a browser) and returns its device.
///
/// The caller checks first that `navigator.gpu` exists and `requestAdapter()` resolves to an
/// adapter: without one, set-up fails here with an error, never a panic.
#[cfg(feature = "webgpu")]
pub async fn webgpu() -> Result<Device, DeviceError> {
    use burn::backend::wgpu::{RuntimeOptions, WgpuBackend, WgpuDevice, graphics, try_init_setup_async};
    let device = WgpuDevice::default().on(WgpuBackend::WebGpu);
    let setup = try_init_setup_async::<graphics::WebGpu>(&device, RuntimeOptions::default())
        .await
        .map_err(|e| DeviceError::Setup(e.to_string()))?;
    *WGPU.lock().unwrap_or_else(|e| e.into_inner()) = Some((setup.device, setup.queue));
    Ok(Device::new(device))
}

/// The wgpu device and queue behind the WebGPU `Device`, for the fused path's own shader
/// (`train::fused_gpu`): it shares burn's device, so both see the same adapter and device loss.
#[cfg(feature = "webgpu")]
pub(crate) static WGPU: std::sync::Mutex<Option<(wgpu::Device, wgpu::Queue)>> = std::sync::Mutex::new(None);

/// A device that failed; the `String`s are the driver's or burn's own text. A learner sees
/// these (the page then falls back to the CPU), so each has a [`Msg`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceError {
    /// WebGPU could not be set up.
    Setup(String),
    /// Results could not be read back (e.g. a lost WebGPU device).
    ReadBack(String),
    /// The device refused the fused WebGPU path's shader or buffers.
    Refused(String),
    /// The fused WebGPU path ran before [`webgpu`] set a device up.
    NoWebGpu,
    /// The fused WebGPU path was asked to run while off (a bug, reported rather than a panic).
    FusedOff,
}

impl DeviceError {
    pub fn msg(&self) -> Msg {
        match self {
            Self::Setup(e) => Msg::new("device_setup").arg("error", e),
            Self::ReadBack(e) => Msg::new("device_read_back").arg("error", e),
            Self::Refused(e) => Msg::new("device_refused").arg("error", e),
            Self::NoWebGpu => Msg::new("device_no_webgpu"),
            Self::FusedOff => Msg::new("device_fused_off"),
        }
    }
}

impl fmt::Display for DeviceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.msg().fmt(f)
    }
}

impl std::error::Error for DeviceError {}
