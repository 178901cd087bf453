//! The playground's state outside the reactive graph: the device, the training session, the
//! current and pinned runs. The UI reads it through small reactive signals (`Ui`).
//!
//! A run's curves live here once, in its `RunRecord::history`: the session keeps none (its
//! `keep_history` is off), and the charts, the diagnosis, the test hook and exports read these.

use super::backend::Backend;
use engine::config::RunConfig;
use engine::data::Assets;
use engine::diagnose::Diagnoser;
use engine::train::PlaneGrid;
use engine::{Device, History, Session, Status};
use std::cell::RefCell;
use std::rc::Rc;

/// One run as the charts draw it: the current one or a pinned one.
#[derive(Clone, Debug)]
pub struct RunRecord {
    pub name: String,
    pub cfg: RunConfig,
    pub history: History,
    pub status: Status,
    pub color: usize,
    pub pinned: bool,
}

impl RunRecord {
    pub fn new(cfg: RunConfig, color: usize) -> Self {
        Self {
            name: String::new(),
            cfg,
            history: History::default(),
            status: Status::Running,
            color,
            pinned: false,
        }
    }
}

/// Runs that can be pinned at once (plus the current one): each keeps a colour.
pub const MAX_PINNED: usize = 7;

pub struct Lab {
    pub backend: Backend,
    pub device: Option<Device>,
    pub assets: Assets,
    pub session: Option<Session>,
    pub current: RunRecord,
    pub pinned: Vec<RunRecord>,
    /// A chunk (or a grid read) is in flight: the session is borrowed by it.
    pub busy: bool,
    /// Steps per chunk, adapted so a chunk stays within the frame budget.
    pub chunk: usize,
    pub grid: Option<PlaneGrid>,
    pub grid_at: f64,
    pub grid_step: u64,
    /// (time, step) samples for the steps/s readout.
    pub rate: (f64, u64),
    pub pins_made: usize,
    /// Bumped by every reset: a chunk that started under an older run drops its result.
    pub generation: u64,
    /// What the current run is (a lesson preset, a "try this" step): its name once pinned.
    pub current_label: Option<String>,
    /// The current run's findings, with hysteresis (reset with the run).
    pub diagnoser: Diagnoser,
    /// Chart redraws so far (the frame-rate benchmark reads it through the test hook).
    pub draws: u64,
    /// Milliseconds spent in the last chunk, grid read, diagnosis and chart redraw (benchmark).
    pub timing: [f64; 4],
    /// The current run's steps per epoch (its epoch counter while a chunk holds the session).
    pub steps_per_epoch: usize,
}

impl Default for Lab {
    fn default() -> Self {
        Self {
            backend: Backend::Cpu,
            device: None,
            assets: Assets::default(),
            session: None,
            current: RunRecord::new(RunConfig::default(), 0),
            pinned: Vec::new(),
            busy: false,
            chunk: 1,
            grid: None,
            grid_at: 0.0,
            grid_step: u64::MAX,
            rate: (0.0, 0),
            pins_made: 0,
            generation: 0,
            current_label: None,
            diagnoser: Diagnoser::default(),
            draws: 0,
            timing: [0.0; 4],
            steps_per_epoch: 1,
        }
    }
}

thread_local! {
    static LAB: Rc<RefCell<Lab>> = Rc::new(RefCell::new(Lab::default()));
}

pub fn lab() -> Rc<RefCell<Lab>> {
    LAB.with(Rc::clone)
}

impl Lab {
    /// A colour not used by a pinned run.
    pub fn free_color(&self) -> usize {
        (0..=MAX_PINNED)
            .find(|c| self.pinned.iter().all(|p| p.color != *c))
            .unwrap_or(0)
    }

    /// Copies the current run into the pinned list (oldest dropped past the limit).
    pub fn pin(&mut self) {
        if self.pinned.len() >= MAX_PINNED {
            self.pinned.remove(0);
        }
        self.pins_made += 1;
        let mut rec = self.current.clone();
        rec.pinned = true;
        rec.name = self
            .current_label
            .take()
            .unwrap_or_else(|| format!("#{}", self.pins_made));
        self.pinned.push(rec);
        self.current.color = self.free_color();
    }
}
