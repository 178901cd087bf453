//! The fused path on WebGPU: a small MLP's training steps in one compute shader
//! (`fused_gpu.wgsl`), on the wgpu device burn's WebGPU backend set up.
//!
//! Through burn, one step of a small MLP is dozens of kernel launches, each a few WebGPU calls
//! from wasm: 1.7–4 ms of the page's main thread per step whatever the GPU (see
//! `tests/bench/mainthread.mjs`). Here a chunk is a handful of calls and one read-back of its
//! losses and parameters. The maths is the CPU fused path's (`fused.rs`), so runs agree up to
//! float rounding; everything else (evaluation, inspection) reads the parameters back into the
//! model's tensors, as with the CPU fused path.

use super::Session;
use super::fused;
use super::path::{Host, Path};
use super::session::Ran;
use super::shader_consts::*;
use crate::backend::DeviceError;
use crate::config::RunConfig;
use crate::data::{Dataset, Split};
use crate::error::EngineError;
use crate::model::ModelSpec;
use burn::tensor::Device;
use wgpu::util::DeviceExt;

/// Forward multiply-adds per step (batch × weights) above which burn's many-workgroup kernels
/// win over one workgroup doing everything (the digits workload is 0.6 M).
const MAX_WORK: usize = 2_000_000;
/// Steps planned and read back at once (a chunk longer than this is several read-backs).
const CAP: usize = 1024;
/// Forward multiply-adds per dispatch: a slow device (a software adapter) must not spend seconds
/// in one dispatch, where the browser may declare the GPU hung.
const DISPATCH_WORK: usize = 4_000_000;

/// Whether a run can use the fused WebGPU path: burn's WebGPU device, and a network small enough
/// for one workgroup.
pub fn qualifies(cfg: &RunConfig, data: &Dataset, spec: &ModelSpec, batch: usize, device: &Device) -> bool {
    *device != Device::flex()
        && handles().is_some()
        && fused::mlp_qualifies(cfg, data, spec)
        && batch * fused::weights(spec) <= MAX_WORK
}

fn handles() -> Option<(wgpu::Device, wgpu::Queue)> {
    crate::backend::WGPU.lock().ok().and_then(|g| g.clone())
}

/// The session's fused WebGPU path: wanted (set up on the first chunk: set-up is asynchronous)
/// or ready. If set-up fails the session takes burn's path instead.
pub(super) enum GpuState {
    Pending,
    Ready(Box<GpuFused>),
}

impl GpuState {
    pub fn host(&mut self) -> Option<Host<'_>> {
        match self {
            GpuState::Pending => None,
            GpuState::Ready(g) => Some(Host {
                params: &g.params,
                shapes: &g.shapes,
                dirty: &mut g.dirty,
            }),
        }
    }
}

pub(super) struct GpuFused {
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipeline: wgpu::ComputePipeline,
    bind: wgpu::BindGroup,
    hdr: Vec<u32>,
    hdr_buf: wgpu::Buffer,
    plan_buf: wgpu::Buffer,
    state: wgpu::Buffer,
    res: wgpu::Buffer,
    staging: wgpu::Buffer,
    batch: usize,
    layers: usize,
    /// Forward multiply-adds per step.
    work: usize,
    t: i32,
    /// Host copies of `Model::params` after the last chunk (same order and layout).
    pub params: Vec<Vec<f32>>,
    pub shapes: Vec<[usize; 2]>,
    /// The current epoch's order (empty before the first batch).
    pub order: Vec<u32>,
    /// Whether `params` changed since the session's tensors were last written.
    pub dirty: bool,
}

fn bytes<T: Copy>(v: &[T], to: impl Fn(T) -> [u8; 4]) -> Vec<u8> {
    v.iter().flat_map(|&x| to(x)).collect()
}

impl GpuFused {
    /// Uploads the data and the initial parameters and compiles the shader; `Err` (never a panic)
    /// if the device refuses any of it, so the session keeps burn's path.
    pub async fn new(
        spec: &ModelSpec,
        values: Vec<Vec<f32>>,
        batch: usize,
        cfg: &RunConfig,
        train: &Split,
    ) -> Result<Self, DeviceError> {
        let (device, queue) = handles().ok_or(DeviceError::NoWebGpu)?;
        let sizes: Vec<usize> = values.iter().map(Vec::len).collect();
        let offsets: Vec<usize> = sizes
            .iter()
            .scan(0, |o, &n| Some(std::mem::replace(o, *o + n)))
            .collect();
        let p: usize = sizes.iter().sum();
        let widest = spec
            .layers
            .iter()
            .map(|l| l.fan_in.max(l.fan_out))
            .max()
            .unwrap_or(0);
        let nl = spec.layers.len();
        let u = |n: usize| n as u32;

        // `st`: parameters, gradients, two optimizer states, the activations, two deltas, row losses.
        let mut hdr = vec![0u32; H_LAYER0 + LAYER_SLOTS * nl];
        let mut a = 4 * p;
        let mut a_in = a;
        a += batch * spec.inputs;
        for (l, ly) in spec.layers.iter().enumerate() {
            let at = H_LAYER0 + LAYER_SLOTS * l;
            hdr[at..at + 7].copy_from_slice(&[
                u(ly.fan_in),
                u(ly.fan_out),
                act_code(ly.activation),
                u(offsets[ly.weight]),
                u(offsets[ly.bias]),
                u(a_in),
                u(a),
            ]);
            a_in = a;
            a += batch * ly.fan_out;
        }
        let tc = &cfg.train;
        hdr[H_LAYERS] = u(nl);
        hdr[H_BATCH] = u(batch);
        hdr[H_FEATURES] = u(spec.inputs);
        hdr[H_OPT] = opt_code(tc.optimizer);
        hdr[H_NORMS_AT] = u(CAP);
        hdr[H_GRAD] = u(p);
        hdr[H_S1] = u(2 * p);
        hdr[H_S2] = u(3 * p);
        hdr[H_DELTA_A] = u(a);
        hdr[H_DELTA_B] = u(a + batch * widest);
        hdr[H_ROW_LOSS] = u(a + 2 * batch * widest);
        hdr[H_PLAN_F] = u(CAP * batch);
        hdr[H_WD] = tc.weight_decay.to_bits();
        hdr[H_L1] = tc.l1.to_bits();
        hdr[H_MOM] = tc.momentum.to_bits();
        let state_len = a + 2 * batch * widest + batch;

        let mut init = values.concat();
        init.resize(state_len, 0.0);
        let usage = wgpu::BufferUsages::STORAGE;
        let with = |label: &str, data: Vec<u8>, usage| {
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: &data,
                usage,
            })
        };
        let empty = |label: &str, floats: usize, usage| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: (4 * floats) as u64,
                usage,
                mapped_at_creation: false,
            })
        };
        let copy_dst = wgpu::BufferUsages::COPY_DST;
        let copy_src = wgpu::BufferUsages::COPY_SRC;
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let hdr_buf = with("fused hdr", bytes(&hdr, u32::to_le_bytes), usage | copy_dst);
        let xs = with("fused xs", bytes(&train.x, f32::to_le_bytes), usage);
        let ys = with("fused ys", bytes(&train.labels, u32::to_le_bytes), usage);
        let plan_buf = empty("fused plan", CAP * batch + PLAN_FLOATS * CAP, usage | copy_dst);
        let state = with("fused state", bytes(&init, f32::to_le_bytes), usage | copy_src);
        let res = empty("fused res", CAP + 2 * nl, usage | copy_src);
        let staging = empty(
            "fused staging",
            CAP + 2 * nl + p,
            wgpu::BufferUsages::MAP_READ | copy_dst,
        );
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("fused mlp"),
            source: wgpu::ShaderSource::Wgsl(fused_shader().into()),
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("fused mlp"),
            layout: None,
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        let entries: Vec<wgpu::BindGroupEntry> = [&hdr_buf, &xs, &ys, &plan_buf, &state, &res]
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry {
                binding: i as u32,
                resource: b.as_entire_binding(),
            })
            .collect();
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("fused mlp"),
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        });
        if let Some(e) = scope.pop().await {
            return Err(DeviceError::Refused(e.to_string()));
        }
        Ok(Self {
            device,
            queue,
            pipeline,
            bind,
            hdr,
            hdr_buf,
            plan_buf,
            state,
            res,
            staging,
            batch,
            layers: nl,
            work: batch * fused::weights(spec),
            t: 0,
            params: values,
            shapes: spec.param_shapes.clone(),
            order: Vec::new(),
            dirty: false,
        })
    }

    /// Runs one update per entry of `lrs` on the examples `idx` (`batch` per step) and reads the
    /// losses, the norms (`want_norms`: before the last update) and the parameters back.
    async fn run(
        &mut self,
        idx: &[u32],
        lrs: &[f64],
        cfg: &RunConfig,
        want_norms: bool,
    ) -> Result<(Vec<f32>, Option<Vec<f32>>), DeviceError> {
        let n = lrs.len();
        debug_assert!(n <= CAP && idx.len() == n * self.batch);
        let wd = cfg.train.weight_decay as f64;
        let mut floats = Vec::with_capacity(PLAN_FLOATS * n);
        for &lr in lrs {
            self.t = self.t.saturating_add(1);
            floats.extend([
                lr as f32,
                (1.0 - ADAM_B1.powi(self.t)) as f32,
                (1.0 - ADAM_B2.powi(self.t)) as f32,
                (lr * wd) as f32,
            ]);
        }
        self.queue
            .write_buffer(&self.plan_buf, 0, &bytes(idx, u32::to_le_bytes));
        let plan_f = (4 * CAP * self.batch) as u64;
        self.queue
            .write_buffer(&self.plan_buf, plan_f, &bytes(&floats, f32::to_le_bytes));
        let per_dispatch = (DISPATCH_WORK / self.work.max(1)).clamp(1, CAP);
        let mut first = 0;
        while first < n {
            let steps = per_dispatch.min(n - first);
            self.hdr[H_FIRST] = first as u32;
            self.hdr[H_STEPS] = steps as u32;
            self.hdr[H_NORMS] = (want_norms && first + steps == n) as u32;
            self.queue
                .write_buffer(&self.hdr_buf, 0, &bytes(&self.hdr[..H_LAYER0], u32::to_le_bytes));
            let mut enc = self.device.create_command_encoder(&Default::default());
            {
                let mut pass = enc.begin_compute_pass(&Default::default());
                pass.set_pipeline(&self.pipeline);
                pass.set_bind_group(0, &self.bind, &[]);
                pass.dispatch_workgroups(1, 1, 1);
            }
            self.queue.submit([enc.finish()]);
            first += steps;
        }
        let (nl, p) = (self.layers, self.params.iter().map(Vec::len).sum::<usize>());
        let mut enc = self.device.create_command_encoder(&Default::default());
        enc.copy_buffer_to_buffer(&self.res, 0, &self.staging, 0, (4 * n) as u64);
        enc.copy_buffer_to_buffer(
            &self.res,
            (4 * CAP) as u64,
            &self.staging,
            (4 * CAP) as u64,
            (8 * nl) as u64,
        );
        enc.copy_buffer_to_buffer(
            &self.state,
            0,
            &self.staging,
            (4 * (CAP + 2 * nl)) as u64,
            (4 * p) as u64,
        );
        self.queue.submit([enc.finish()]);

        let (tx, rx) = async_channel::bounded(1);
        self.staging.map_async(wgpu::MapMode::Read, .., move |r| {
            let _ = tx.try_send(r);
        });
        rx.recv()
            .await
            .map_err(|e| DeviceError::ReadBack(e.to_string()))?
            .map_err(|e| DeviceError::ReadBack(e.to_string()))?;
        // Unmapped whatever happens: a buffer left mapped would fail every later chunk.
        let all: Result<Vec<f32>, _> = self.staging.get_mapped_range(..).map(|view| {
            view.chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        });
        self.staging.unmap();
        let all = all.map_err(|e| DeviceError::ReadBack(e.to_string()))?;
        let mut rest = &all[CAP + 2 * nl..];
        for v in &mut self.params {
            let (head, tail) = rest.split_at(v.len());
            v.copy_from_slice(head);
            rest = tail;
        }
        self.dirty = true;
        let norms = want_norms.then(|| all[CAP..CAP + 2 * nl].to_vec());
        Ok((all[..n].to_vec(), norms))
    }
}

impl Session {
    /// Turns a wanted fused WebGPU path on (or off, if the device refuses it): before the first
    /// chunk, because set-up is asynchronous.
    pub(super) async fn start_gpu(&mut self) {
        if !matches!(self.path, Path::Gpu(GpuState::Pending)) {
            return;
        }
        let values = crate::model::init_values(&self.model.spec, &self.cfg.model, self.cfg.seed);
        self.path =
            match GpuFused::new(&self.model.spec, values, self.batch, &self.cfg, &self.data.train).await {
                Ok(g) => Path::Gpu(GpuState::Ready(Box::new(g))),
                Err(_) => Path::Burn,
            };
    }

    /// Runs `n` steps on the fused WebGPU path, in as few read-backs as evaluations allow.
    pub(super) async fn gpu_steps(&mut self, n: usize, ran: &mut Ran) -> Result<(), EngineError> {
        let every = self.cfg.train.eval_every.max(1) as u64;
        let b = self.batch;
        let mut done = 0;
        while done < n {
            let Path::Gpu(GpuState::Ready(mut g)) = self.path.take() else {
                return Err(DeviceError::FusedOff.into());
            };
            let seg = (n - done).min((every - self.step % every) as usize).min(CAP);
            let mut idx = Vec::with_capacity(seg * b);
            let mut lrs = Vec::with_capacity(seg);
            for k in 0..seg as u64 {
                let start = self.batch_start(&mut g.order, self.step + k);
                idx.extend_from_slice(&g.order[start..start + b]);
                lrs.push(self.lr_of(self.step + k));
            }
            let want_norms = self.layer_stats && done + seg == n;
            let out = g.run(&idx, &lrs, &self.cfg, want_norms).await;
            self.path = Path::Gpu(GpuState::Ready(g));
            let (losses, norms) = out?;
            ran.host_losses.extend(losses);
            ran.host_norms = norms.or(ran.host_norms.take());
            ran.lrs.extend(lrs.iter().map(|&l| l as f32));
            self.step += seg as u64;
            done += seg;
            self.eval_if_due(ran);
        }
        Ok(())
    }
}
