//! A training run that advances in small chunks, so a UI stays responsive.
//!
//! Each chunk queues its steps on the device and reads everything back once at the end, in one
//! transaction (never per step, never synchronously: WebGPU in wasm can only read asynchronously).

use super::optim::Optimizer;
use super::path::{Path, sync_params};
use super::report::{ChunkReport, EvalPoint, History, LayerStats, Probe, Status};
use super::schedule::lr_at;
use super::step::{DeviceData, LrPlan};
use crate::backend::DeviceError;
use crate::config::Activation;
use crate::config::RunConfig;
use crate::data::{Assets, Dataset, NoiseFloor};
use crate::error::EngineError;
use crate::model::{LayerKind, Model, ModelSpec};
use crate::rng::{Rng, purpose};
use burn::tensor::{Device, Int, Tensor, Transaction};
use std::cell::OnceCell;
use std::sync::Arc;

/// A chunk's steps before the read-back: device tensors (burn's path) or host values (fused).
#[derive(Default)]
pub(super) struct Ran {
    pub losses: Vec<Tensor<1>>,
    pub host_losses: Vec<f32>,
    pub lrs: Vec<f32>,
    pub evals: Vec<(u64, Tensor<1>)>,
    pub norms: Option<Tensor<1>>,
    pub host_norms: Option<Vec<f32>>,
}

pub struct Session {
    pub(super) cfg: RunConfig,
    pub(super) data: Arc<Dataset>,
    pub(super) device: Device,
    pub(super) model: Model,
    pub(super) opt: Optimizer,
    pub(super) dev: DeviceData,
    pub(super) decays: Vec<bool>,
    pub(super) order_rng: Rng,
    pub(super) dropout_rng: Rng,
    pub(super) eval_rng: Rng,
    /// The probe's training-mode dropout masks.
    pub(super) probe_rng: Rng,
    /// Every layer's weights as initialised, for the probe's drift.
    pub(super) init_weights: Vec<Tensor<2>>,
    /// Per dense hidden layer, which units the last probe found dead.
    dead: Vec<Vec<bool>>,
    /// The training labels' noise floor, estimated on first use (see [`Session::noise_floor`]).
    noise_floor: OnceCell<Option<NoiseFloor>>,
    input_rms: OnceCell<f32>,
    pub(super) batch: usize,
    pub(super) steps_per_epoch: usize,
    /// The current epoch's examples, permuted (or in class order for `no_shuffle`).
    pub(super) epoch: Option<(Tensor<2>, Tensor<2>)>,
    pub(super) lr_plan: LrPlan,
    /// Which code runs the steps; see [`Session::set_fused`].
    pub(super) path: Path,
    pub(super) step: u64,
    status: Status,
    /// Whether each chunk ends with layer norms (the network view's); see [`Session::set_layer_stats`].
    pub(super) layer_stats: bool,
    /// Whether chunks are appended to `history`; see [`Session::set_keep_history`].
    keep_history: bool,
    history: History,
    best_val: (f32, u64),
    evals_since_best: usize,
}

impl Session {
    /// Builds the dataset and the model for `cfg` on `device` (a plain device: the session adds
    /// autodiff itself where it needs gradients).
    pub fn new(cfg: RunConfig, assets: &Assets, device: Device) -> Result<Self, EngineError> {
        cfg.validate().map_err(EngineError::Config)?;
        let data = Arc::new(Dataset::build(&cfg, assets)?);
        Self::with_data(cfg, data, device)
    }

    /// Like [`Session::new`] with an already built dataset (it must come from the same config).
    pub fn with_data(cfg: RunConfig, data: Arc<Dataset>, device: Device) -> Result<Self, EngineError> {
        cfg.validate().map_err(EngineError::Config)?;
        let device = device.inner();
        let spec = ModelSpec::new(&cfg.model, data.num_features, data.num_classes, data.image_side);
        let model = Model::new(spec, &cfg.model, cfg.seed, &device);
        let decays = (0..model.params.len())
            .map(|i| model.spec.layers.iter().any(|l| l.weight == i))
            .collect();
        let n_train = data.train.len();
        let batch = cfg.train.batch_size.clamp(1, n_train);
        let history = History {
            layer_names: model.spec.layers.iter().map(|l| l.name.clone()).collect(),
            ..Default::default()
        };
        let init_weights = model
            .spec
            .layers
            .iter()
            .map(|l| model.params[l.weight].clone())
            .collect();
        let mut s = Self {
            opt: Optimizer::new(&cfg.train, model.params.len()),
            dev: DeviceData::upload(&data, &device),
            decays,
            order_rng: Rng::stream(cfg.seed, purpose::ORDER),
            dropout_rng: Rng::stream(cfg.seed, purpose::DROPOUT),
            eval_rng: Rng::stream(cfg.seed, purpose::EVAL_DROPOUT),
            probe_rng: Rng::stream(cfg.seed, purpose::PROBE),
            init_weights,
            dead: Vec::new(),
            noise_floor: OnceCell::new(),
            input_rms: OnceCell::new(),
            batch,
            steps_per_epoch: (n_train / batch).max(1),
            epoch: None,
            lr_plan: LrPlan::Config,
            path: Path::Burn,
            step: 0,
            status: Status::Running,
            layer_stats: true,
            keep_history: true,
            history,
            best_val: (f32::INFINITY, 0),
            evals_since_best: 0,
            cfg,
            data,
            device,
            model,
        };
        s.set_fused(true);
        Ok(s)
    }

    /// Whether steps may run on a fused path (on by default): the CPU one where
    /// `fused::qualifies`, the WebGPU one where `fused_gpu::qualifies`. Only before the first
    /// step: the optimizer state lives on one side.
    pub fn set_fused(&mut self, on: bool) {
        if self.step > 0 {
            return;
        }
        self.path = Path::choose(
            on,
            &self.cfg,
            &self.data,
            &self.model.spec,
            self.batch,
            &self.device,
        );
    }

    /// Whether this session's steps run on a fused path (the WebGPU one once set up: after the
    /// first chunk, which falls back to burn's path if the device refuses the shader).
    pub fn uses_fused(&self) -> bool {
        self.path.is_fused()
    }

    /// One fused CPU step: the same batch as `next_batch` would take, then the update on the host.
    fn fused_step(&mut self, lr: f64, want_norms: bool) -> (f32, Option<Vec<f32>>) {
        let Path::Fused(mut f) = self.path.take() else {
            unreachable!("fused path on")
        };
        let start = self.batch_start(&mut f.order, self.step);
        let out = f.step(
            &self.data.train,
            start,
            self.batch,
            &self.cfg,
            lr,
            &self.decays,
            want_norms,
        );
        self.path = Path::Fused(f);
        out
    }

    /// Where update `step`'s batch starts in a fused path's epoch `order`, drawing a new order
    /// at each epoch's start: the examples `next_batch` would take on burn's path.
    pub(super) fn batch_start(&mut self, order: &mut Vec<u32>, step: u64) -> usize {
        let pos = (step as usize) % self.steps_per_epoch;
        if pos == 0 || order.is_empty() {
            *order = self.epoch_order();
        }
        pos * self.batch
    }

    /// See [`sync_params`].
    pub(super) fn sync_params(&mut self) {
        sync_params(&mut self.path, &mut self.model, &self.device);
    }

    pub fn config(&self) -> &RunConfig {
        &self.cfg
    }
    pub fn dataset(&self) -> &Arc<Dataset> {
        &self.data
    }
    pub fn device(&self) -> &Device {
        &self.device
    }
    pub fn model(&mut self) -> &Model {
        self.sync_params();
        &self.model
    }
    /// Updates done so far.
    pub fn step(&self) -> u64 {
        self.step
    }
    /// Epochs done so far (fractional).
    pub fn epoch(&self) -> f64 {
        self.step as f64 / self.steps_per_epoch as f64
    }
    pub fn steps_per_epoch(&self) -> usize {
        self.steps_per_epoch
    }
    pub fn status(&self) -> Status {
        self.status
    }
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The learning rate of update `step` (0-based) in this run.
    pub fn lr_of(&self, step: u64) -> f64 {
        match self.lr_plan {
            LrPlan::Config => lr_at(&self.cfg.train, step),
            LrPlan::Exponential { min, max, steps } => {
                let t = step as f64 / (steps.max(2) - 1) as f64;
                min * (max / min).powf(t.min(1.0))
            }
        }
    }

    /// How many steps the next chunk may run: it never passes `max_steps`, and with early
    /// stopping it ends on an evaluation, so the run is the same whatever the chunk sizes.
    fn chunk_len(&self, requested: usize) -> usize {
        let mut n = requested.max(1) as u64;
        if self.cfg.train.max_steps > 0 {
            n = n.min((self.cfg.train.max_steps as u64).saturating_sub(self.step));
        }
        if self.cfg.train.patience > 0 {
            let every = self.cfg.train.eval_every.max(1) as u64;
            n = n.min(every - self.step % every);
        }
        n as usize
    }

    /// Whether chunks read back per-layer gradient and weight norms (on by default). The
    /// benchmark turns them off: one step per chunk would pay for them every step.
    pub fn set_layer_stats(&mut self, on: bool) {
        self.layer_stats = on;
    }

    /// Whether chunks are appended to [`Session::history`] (on by default: the curves). The
    /// memory soak benchmark turns it off to measure the engine alone: the history itself
    /// grows by 32 bytes a step.
    pub fn set_keep_history(&mut self, on: bool) {
        self.keep_history = on;
    }

    /// Runs up to `requested` steps and reads their results back once.
    pub async fn run_chunk(&mut self, requested: usize) -> Result<ChunkReport, EngineError> {
        let n = if self.status.is_running() {
            self.chunk_len(requested)
        } else {
            0
        };
        let first_step = self.step + 1;
        let mut ran = Ran::default();
        self.run_steps(n, &mut ran).await?;
        let Ran {
            losses,
            host_losses,
            lrs,
            evals,
            norms,
            host_norms,
        } = ran;
        let mut report = ChunkReport {
            first_step,
            train_loss: vec![],
            lr: lrs,
            evals: vec![],
            layers: None,
            probes: vec![],
            status: self.status,
        };
        if n == 0 {
            return Ok(report);
        }
        // One read-back of whatever is still on the device (the fused path's losses and norms
        // are on the host already).
        let fused = self.path.is_fused();
        let eval_steps: Vec<u64> = evals.iter().map(|e| e.0).collect();
        let mut reads: Vec<Tensor<1>> = Vec::new();
        if !fused {
            reads.push(Tensor::cat(losses, 0));
        }
        if !evals.is_empty() {
            reads.push(Tensor::cat(evals.into_iter().map(|e| e.1).collect(), 0));
        }
        reads.extend(norms);
        let mut it = if reads.is_empty() {
            vec![]
        } else {
            let tx = reads
                .into_iter()
                .fold(Transaction::default(), |tx, t| tx.register(t));
            let data = tx
                .execute_async()
                .await
                .map_err(|e| DeviceError::ReadBack(format!("{e:?}")))?;
            data.into_iter().map(super::floats).collect()
        }
        .into_iter();
        report.train_loss = if fused {
            host_losses
        } else {
            it.next().unwrap_or_default()
        };
        let eval_values = if eval_steps.is_empty() {
            vec![]
        } else {
            it.next().unwrap_or_default()
        };
        if let Some(nm) = host_norms.or_else(|| it.next()) {
            let half = nm.len() / 2;
            report.layers = Some(LayerStats {
                step: self.step,
                grad_norms: nm[..half].to_vec(),
                weight_norms: nm[half..].to_vec(),
            });
        }
        let regression = self.data.regression;
        for (&step, v) in eval_steps
            .iter()
            .zip(eval_values.chunks_exact(4 + self.probe_len()))
        {
            report.evals.push(EvalPoint {
                step,
                val_loss: v[0],
                val_acc: (!regression).then_some(v[1]),
                train_loss: v[2],
                train_acc: (!regression).then_some(v[3]),
            });
            report.probes.push(self.read_probe(step, &v[4..]));
        }
        self.settle(&mut report);
        if self.keep_history {
            self.history.push(&report);
        }
        Ok(report)
    }

    /// Queues `n` steps (burn's path) or runs them (the fused CPU path), evaluating on the way.
    pub(super) fn steps(&mut self, n: usize, ran: &mut Ran) {
        for i in 0..n {
            let lr = self.lr_of(self.step);
            let want_norms = self.layer_stats && i + 1 == n;
            if matches!(self.path, Path::Fused(_)) {
                let (loss, nm) = self.fused_step(lr, want_norms);
                ran.host_losses.push(loss);
                ran.host_norms = nm.or(ran.host_norms.take());
            } else {
                let out = self.train_step(lr, want_norms);
                ran.losses.push(out.loss);
                ran.norms = out.norms.or(ran.norms.take());
            }
            self.step += 1;
            ran.lrs.push(lr as f32);
            self.eval_if_due(ran);
        }
    }

    /// Evaluates after the current step if it is an evaluation step (every path's loop calls it).
    pub(super) fn eval_if_due(&mut self, ran: &mut Ran) {
        if self.step.is_multiple_of(self.cfg.train.eval_every.max(1) as u64) {
            self.sync_params();
            ran.evals.push((self.step, self.eval_tensor()));
        }
    }

    /// Applies divergence, early stopping and the step limit to a read-back chunk.
    fn settle(&mut self, r: &mut ChunkReport) {
        let bad_step = r
            .train_loss
            .iter()
            .position(|l| !l.is_finite())
            .map(|i| r.first_step + i as u64);
        let bad_eval = r
            .evals
            .iter()
            .find(|e| !e.val_loss.is_finite() || !e.train_loss.is_finite())
            .map(|e| e.step);
        if let Some(step) = bad_step.into_iter().chain(bad_eval).min() {
            // Keep the finite part of the curve; the run ends where it blew up.
            let keep = (step - r.first_step) as usize;
            r.train_loss.truncate(keep);
            r.lr.truncate(keep);
            r.evals.retain(|e| e.step < step);
            r.probes.retain(|p| p.step < step);
            r.layers = None;
            self.step = step;
            self.status = Status::Diverged { step };
        }
        if self.status.is_running() && self.cfg.train.patience > 0 {
            for e in &r.evals {
                if e.val_loss < self.best_val.0 {
                    self.best_val = (e.val_loss, e.step);
                    self.evals_since_best = 0;
                } else {
                    self.evals_since_best += 1;
                    if self.evals_since_best >= self.cfg.train.patience {
                        self.status = Status::EarlyStopped {
                            step: e.step,
                            best_step: self.best_val.1,
                        };
                        break;
                    }
                }
            }
        }
        let max = self.cfg.train.max_steps as u64;
        if self.status.is_running() && max > 0 && self.step >= max {
            self.status = Status::Finished { step: self.step };
        }
        r.status = self.status;
    }

    /// Per-layer L2 norms of the given tensors (weights only), as one `[layers]` tensor.
    pub(super) fn layer_norms(&self, tensors: &[Tensor<2>]) -> Tensor<1> {
        let norms = self
            .model
            .spec
            .layers
            .iter()
            .map(|l| tensors[l.weight].clone().square().sum().sqrt())
            .collect();
        Tensor::cat(norms, 0)
    }

    /// A probe's read-back values (see `probe_tensor`) as a [`Probe`]; keeps the dead units'
    /// flags for [`Session::dead_units`].
    fn read_probe(&mut self, step: u64, v: &[f32]) -> Probe {
        let layers = self.model.spec.layers.len();
        let rows = self.dev.subset.x.dims()[0] as f32;
        let mut active = &v[3 + layers..];
        let mut dead = Vec::new();
        let mut flags = Vec::new();
        for l in self.model.spec.hidden_layers() {
            let (counts, rest) = active.split_at(l.fan_out.min(active.len()));
            active = rest;
            // Only a ReLU unit that is never active is dead: other activations pass a gradient.
            let f: Vec<bool> = counts
                .iter()
                .map(|&c| l.activation == Activation::Relu && c < 0.5 && rows > 0.0)
                .collect();
            dead.push(f.iter().filter(|&&d| d).count() as f32 / f.len().max(1) as f32);
            flags.push(f);
        }
        self.dead = flags;
        Probe {
            step,
            dead,
            drift: v[3..3 + layers].to_vec(),
            eval_mode_loss: v[0],
            train_mode_loss: v[1],
            clamped: v[2],
        }
    }

    /// Per dense hidden layer, which units the latest evaluation found dead (never active on
    /// the fixed training batch); empty before the first evaluation.
    pub fn dead_units(&self) -> &[Vec<bool>] {
        &self.dead
    }

    /// Per dense hidden layer, the share of its units the latest evaluation found dead.
    pub fn dead_share(&self) -> Vec<f32> {
        self.dead
            .iter()
            .map(|l| l.iter().filter(|&&d| d).count() as f32 / l.len().max(1) as f32)
            .collect()
    }

    /// The lowest training loss these labels allow, estimated once from how often near
    /// neighbours disagree ([`Dataset::noise_floor`]); `None` where it cannot be estimated.
    pub fn noise_floor(&self) -> Option<NoiseFloor> {
        *self.noise_floor.get_or_init(|| self.data.noise_floor())
    }

    /// Root mean square of the training inputs as the model gets them (1 when standardised).
    pub fn input_rms(&self) -> f32 {
        *self.input_rms.get_or_init(|| {
            let x = &self.data.train.x;
            let ss: f64 = x.iter().map(|&v| (v as f64) * (v as f64)).sum();
            (ss / x.len().max(1) as f64).sqrt() as f32
        })
    }

    /// Dense hidden layers in order, for the network view.
    pub fn hidden_widths(&self) -> Vec<usize> {
        self.model
            .spec
            .layers
            .iter()
            .filter(|l| l.kind == LayerKind::Hidden)
            .map(|l| l.fan_out)
            .collect()
    }

    pub(super) fn int_tensor(&self, v: &[u32]) -> Tensor<1, Int> {
        let data: Vec<i64> = v.iter().map(|&x| x as i64).collect();
        Tensor::from_data(burn::tensor::TensorData::new(data, [v.len()]), &self.device)
    }
}
