// Screenshots of the charts after a short, a medium and a very long run (100, 10,000 and
// 10,000,000 steps), to look at: a long run must draw as a long run, spikes and all, not as
// a thinned smear. The 10 M run is the small toy network (fast: a minute or two at full speed).
// Usage (site served): LOSSLAB_URL=http://127.0.0.1:8765/ node tests/bench/longshots.mjs
// Writes tests/out/longrun-<steps>.png.
import { byTestId, launch, open, screenshot, state, waitForState } from '../e2e/helpers.mjs';

const toy = 'hidden=8,8&batch_size=10&optimizer=sgd&lr=0.03&eval_every=500';
const runs = [
  [100, `max_steps=100`],
  [10_000, `max_steps=10000`],
  [10_000_000, `${toy}&max_steps=10000000`],
];
const session = await launch({ viewport: { width: 1280, height: 1400 } });
const { page } = session;
try {
  for (const [steps, q] of runs) {
    await open(page, q);
    await byTestId(page, 'play').click();
    const t0 = Date.now();
    await waitForState(page, (s) => s.status === 'finished', { timeoutMs: 30 * 60_000, what: `${steps} steps` });
    const s = await state(page);
    await byTestId(page, 'chart-loss').scrollIntoViewIfNeeded();
    console.log(
      JSON.stringify({ steps: s.step, seconds: (Date.now() - t0) / 1000, memory: s.memory, file: await screenshot(page, `longrun-${steps}`) }),
    );
  }
} finally {
  await session.close();
}
