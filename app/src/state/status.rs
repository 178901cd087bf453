//! Where the current run stands, as the run bar, the explanation panel and the test hook show it.

use engine::Status;

/// The current run's state: the engine's [`Status`] plus whether the page is playing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// At step 0, not playing.
    Idle,
    Running,
    Paused,
    Diverged {
        step: u64,
    },
    EarlyStopped {
        step: u64,
        best_step: u64,
    },
    Finished {
        step: u64,
    },
}

impl RunStatus {
    /// The page's state for an engine status, whether it plays, and the step reached.
    pub fn of(status: Status, playing: bool, step: u64) -> Self {
        match status {
            Status::Diverged { step } => RunStatus::Diverged { step },
            Status::EarlyStopped { step, best_step } => RunStatus::EarlyStopped { step, best_step },
            Status::Finished { step } => RunStatus::Finished { step },
            Status::Running if playing => RunStatus::Running,
            Status::Running if step > 0 => RunStatus::Paused,
            Status::Running => RunStatus::Idle,
        }
    }

    /// The stable id the test hook reports (`status` in `window.losslab.state()`).
    pub fn id(self) -> &'static str {
        match self {
            RunStatus::Idle => "idle",
            RunStatus::Running => "running",
            RunStatus::Paused => "paused",
            RunStatus::Diverged { .. } => "diverged",
            RunStatus::EarlyStopped { .. } => "early_stopped",
            RunStatus::Finished { .. } => "finished",
        }
    }

    /// The text key (`status.<id>`) and its arguments.
    pub fn text(self) -> (String, Vec<(&'static str, String)>) {
        let args = match self {
            RunStatus::Diverged { step } | RunStatus::Finished { step } => {
                vec![("step", step.to_string())]
            }
            RunStatus::EarlyStopped { step, best_step } => {
                vec![("step", step.to_string()), ("best", best_step.to_string())]
            }
            _ => vec![],
        };
        (format!("status.{}", self.id()), args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pausing_keeps_the_step() {
        assert_eq!(RunStatus::of(Status::Running, false, 2500), RunStatus::Paused);
        assert_eq!(RunStatus::of(Status::Running, true, 0), RunStatus::Running);
        assert_eq!(RunStatus::of(Status::Running, false, 0), RunStatus::Idle);
        // An ended run is ended whether or not Play is still pressed.
        let d = RunStatus::of(Status::Diverged { step: 7 }, true, 7);
        assert_eq!((d.id(), d.text().0.as_str()), ("diverged", "status.diverged"));
        assert_eq!(d.text().1, [("step", "7".to_string())]);
    }
}
