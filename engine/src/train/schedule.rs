//! Learning-rate schedules, computed on the CPU: the LR of step `s` depends only on the config.

use crate::config::{ScheduleKind, TrainConfig};
use std::f64::consts::PI;

/// The learning rate of update number `step` (0-based).
pub fn lr_at(cfg: &TrainConfig, step: u64) -> f64 {
    let period = cfg.lr_period.max(1) as u64;
    let floor = cfg.lr_min as f64;
    let cosine = |t: f64| floor + (1.0 - floor) * 0.5 * (1.0 + (PI * t).cos());
    let factor = match cfg.schedule {
        ScheduleKind::Constant => 1.0,
        ScheduleKind::Step => (cfg.lr_gamma as f64).powi((step / period).min(i32::MAX as u64) as i32),
        ScheduleKind::Cosine => cosine(step.min(period) as f64 / period as f64),
        ScheduleKind::CosineRestarts => cosine((step % period) as f64 / period as f64),
    };
    let warm = if (step as usize) < cfg.warmup {
        (step + 1) as f64 / cfg.warmup as f64
    } else {
        1.0
    };
    cfg.lr * factor * warm
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(schedule: ScheduleKind) -> TrainConfig {
        TrainConfig {
            lr: 0.1,
            schedule,
            lr_period: 100,
            lr_gamma: 0.5,
            ..Default::default()
        }
    }

    #[test]
    fn schedules_follow_their_shape() {
        let c = cfg(ScheduleKind::Constant);
        assert_eq!(lr_at(&c, 0), 0.1);
        assert_eq!(lr_at(&c, 12345), 0.1);
        let s = cfg(ScheduleKind::Step);
        assert_eq!(lr_at(&s, 99), 0.1);
        assert!((lr_at(&s, 100) - 0.05).abs() < 1e-12);
        assert!((lr_at(&s, 250) - 0.025).abs() < 1e-12);
        let k = cfg(ScheduleKind::Cosine);
        assert!((lr_at(&k, 50) - 0.05).abs() < 1e-9);
        assert!(lr_at(&k, 100) < 1e-12 && lr_at(&k, 500) < 1e-12);
        let r = cfg(ScheduleKind::CosineRestarts);
        assert!(lr_at(&r, 99) < 0.001);
        assert_eq!(lr_at(&r, 100), 0.1, "warm restart");
    }

    #[test]
    fn warmup_ramps_linearly() {
        let w = TrainConfig {
            lr: 1.0,
            warmup: 10,
            ..Default::default()
        };
        assert!((lr_at(&w, 0) - 0.1).abs() < 1e-12);
        assert!((lr_at(&w, 4) - 0.5).abs() < 1e-12);
        assert_eq!(lr_at(&w, 10), 1.0);
    }
}
