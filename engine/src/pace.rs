//! How many steps the next chunk of a live run takes: enough to keep training fast, few enough
//! that the page stays responsive and its curves update at 30 frames a second or more.
//!
//! Two kinds of chunk. On the CPU (and burn's WebGPU path, which records its kernels on the main
//! thread) a chunk blocks the main thread, so it must fit the frame beside the redraw. On the
//! fused WebGPU path the main thread only waits while the GPU works: a chunk may span frames, and
//! its wall time is mostly the read-back's round trip, the same for 1 step as for 100.

/// The most steps in one chunk.
pub const MAX_CHUNK: usize = 2000;
/// Main-thread time one blocking chunk may take.
const CHUNK_BUDGET_MS: f64 = 10.0;
/// A blocking chunk plus the redraw should fit one 60 Hz frame: the chunk gets what the last
/// redraw left.
const FRAME_WORK_MS: f64 = 11.0;
/// A waiting chunk grows while it takes less than this: under a 60 Hz frame, so a round trip
/// that lands on frame boundaries still lets chunks grow ...
const WAIT_GROW_MS: f64 = 14.0;
/// ... and shrinks only once it takes more than this, so the curves still update more than 30
/// times a second. In between it keeps its size: a round trip's time does not scale with steps.
const WAIT_SHRINK_MS: f64 = 24.0;

/// The next blocking chunk after `ran` steps took `elapsed_ms` and the last redraw `draw_ms`:
/// proportional to the measured time per step, at most twice the last chunk.
pub fn blocking_chunk(ran: usize, elapsed_ms: f64, draw_ms: f64) -> usize {
    let ran = ran.max(1);
    let per_step = elapsed_ms / ran as f64;
    let budget = (FRAME_WORK_MS - draw_ms).clamp(2.0, CHUNK_BUDGET_MS);
    let ideal = (budget / per_step.max(1e-3)) as usize;
    ideal.clamp(1, MAX_CHUNK).min(ran * 2)
}

/// The next waiting chunk (fused WebGPU path) after `ran` steps took `elapsed_ms` of wall time.
pub fn waiting_chunk(ran: usize, elapsed_ms: f64) -> usize {
    let ran = ran.max(1);
    if elapsed_ms < WAIT_GROW_MS {
        (ran + ran / 2 + 1).min(MAX_CHUNK)
    } else if elapsed_ms > WAIT_SHRINK_MS {
        ((ran as f64 * WAIT_GROW_MS / elapsed_ms) as usize).max(1)
    } else {
        ran
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `rounds` chunks on a device where `n` steps take `time(n)` ms.
    fn settle(next: impl Fn(usize, f64) -> usize, time: impl Fn(usize) -> f64, rounds: usize) -> usize {
        (0..rounds).fold(1, |n, _| next(n, time(n)))
    }

    #[test]
    fn blocking_chunks_fit_the_frame_beside_the_redraw() {
        // 0.01 ms a step, 3 ms of redraw: 8 ms left, 800 steps (reached by doubling).
        let n = settle(|n, t| blocking_chunk(n, t, 3.0), |n| 0.01 * n as f64, 20);
        assert_eq!(n, 800);
        // Slow steps: one at a time, never none.
        assert_eq!(
            settle(|n, t| blocking_chunk(n, t, 3.0), |n| 40.0 * n as f64, 5),
            1
        );
        // Fast steps are capped.
        assert_eq!(
            settle(|n, t| blocking_chunk(n, t, 0.0), |n| 1e-6 * n as f64, 40),
            MAX_CHUNK
        );
        // At most twice the last chunk, however fast that one was.
        assert_eq!(blocking_chunk(10, 0.0, 0.0), 20);
    }

    #[test]
    fn waiting_chunks_grow_past_a_fixed_round_trip() {
        // A GPU that does a step in 0.02 ms behind an 8 ms read-back: the per-step rule would
        // see ~8 ms a step at first and stay at one step; the waiting rule grows until the
        // GPU's own work fills the frame.
        let time = |n: usize| 8.0 + 0.02 * n as f64;
        let n = settle(waiting_chunk, time, 40);
        assert!((300..=MAX_CHUNK).contains(&n), "{n} steps a chunk");
        assert!(time(n) <= WAIT_SHRINK_MS, "{} ms a chunk", time(n));
        assert_eq!(settle(|n, t| blocking_chunk(n, t, 0.0), time, 40), 1);
        // Read-backs landing on frame boundaries (16.7 ms whatever the steps): the size holds.
        assert_eq!(waiting_chunk(50, 16.7), 50);
    }

    #[test]
    fn waiting_chunks_shrink_when_the_gpu_is_slow() {
        // 5 ms a step (a software adapter on a large network): back to a few steps a chunk.
        let n = settle(waiting_chunk, |n| 2.0 + 5.0 * n as f64, 40);
        assert!((1..=4).contains(&n), "{n} steps a chunk");
        assert_eq!(waiting_chunk(0, 1000.0), 1);
        assert_eq!(waiting_chunk(MAX_CHUNK, 1.0), MAX_CHUNK);
    }
}
