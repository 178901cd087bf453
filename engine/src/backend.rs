//! Devices: burn's pure-Rust CPU backend (flex) everywhere, WebGPU in the browser.
//!
//! A training session only sees a `Device`; which backend it is changes nothing else.

use burn::tensor::Device;

/// The CPU backend: native tests and benchmarks, and the browser's fallback.
pub fn cpu() -> Device {
    Device::flex()
}

/// Sets WebGPU up asynchronously (the only way in a browser) and returns its device.
///
/// The caller checks first that `navigator.gpu` exists and `requestAdapter()` resolves to an
/// adapter: without one, set-up fails here with an error, never a panic.
#[cfg(feature = "webgpu")]
pub async fn webgpu() -> Result<Device, String> {
    use burn::backend::wgpu::{RuntimeOptions, WgpuBackend, WgpuDevice, graphics, try_init_setup_async};
    let device = WgpuDevice::default().on(WgpuBackend::WebGpu);
    let setup = try_init_setup_async::<graphics::WebGpu>(&device, RuntimeOptions::default())
        .await
        .map_err(|e| format!("WebGPU set-up failed: {e}"))?;
    *WGPU.lock().unwrap_or_else(|e| e.into_inner()) = Some((setup.device, setup.queue));
    Ok(Device::new(device))
}

/// The wgpu device and queue behind the WebGPU `Device`, for the fused path's own shader
/// (`train::fused_gpu`): it shares burn's device, so both see the same adapter and device loss.
#[cfg(feature = "webgpu")]
pub(crate) static WGPU: std::sync::Mutex<Option<(wgpu::Device, wgpu::Queue)>> = std::sync::Mutex::new(None);
