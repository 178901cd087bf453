// Long-run benchmark: a run left playing (a teacher's projector, a tab over lunch) must stay as
// fast and as small as at its start. Plays the default run at full speed for 10 minutes and a
// digits run for 3, in headless Chromium (CPU build), and prints after 10 s, then every 30 s:
// the step, steps/s and chart redraws/s over the last interval, each part's ms in the last
// frame (training chunk, decision surface, diagnosis, chart redraw), the wasm heap, and what
// the runs' curves hold (stored points and bytes).
// A benchmark, not a test: it prints figures. Usage (site served, e.g. by tests/run.sh's server):
//   LOSSLAB_URL=http://127.0.0.1:8765/ node tests/bench/longrun.mjs
//   LONGRUN_MINUTES=1 LONGRUN_DIGITS_MINUTES=0.5 ... (shorter runs)
import { setTimeout as sleep } from 'node:timers/promises';
import { byTestId, launch, open, state, waitForState } from '../e2e/helpers.mjs';

const minutes = (name, dflt) => Number(process.env[name] ?? dflt);
const runs = [
  { name: 'default', query: '', minutes: minutes('LONGRUN_MINUTES', 10) },
  { name: 'digits', query: 'dataset=digits&hidden=32', minutes: minutes('LONGRUN_DIGITS_MINUTES', 3) },
];
const EVERY_S = Number(process.env.LONGRUN_EVERY_S ?? 30);

const session = await launch({});
const { page } = session;
const mb = (b) => +(b / 1e6).toFixed(2);
try {
  for (const run of runs) {
    if (!(run.minutes > 0)) continue;
    await open(page, run.query);
    await byTestId(page, 'play').click();
    await waitForState(page, (s) => s.step > 0, { what: 'the first step' });
    const t0 = Date.now();
    let last = { t: t0, s: await state(page) };
    const rows = [];
    while (Date.now() - t0 < run.minutes * 60_000) {
      // The first figures after 10 s (the baseline a long run is compared with), then every 30 s.
      await sleep(rows.length ? EVERY_S * 1000 : 10_000);
      const s = await state(page);
      const t = Date.now();
      const dt = (t - last.t) / 1000;
      const row = {
        run: run.name,
        after_s: Math.round((t - t0) / 1000),
        step: s.step,
        steps_per_s: Math.round((s.step - last.s.step) / dt),
        redraws_per_s: +((s.draws - last.s.draws) / dt).toFixed(1),
        ms: Object.fromEntries(Object.entries(s.timing_ms).map(([k, v]) => [k, +v.toFixed(2)])),
        wasm_heap_mb: mb(s.memory.wasm_heap),
        curve_kb: Math.round(s.memory.curve_bytes / 1024),
        stored_points: s.memory.stored_points,
        status: s.status,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
      last = { t, s };
      if (s.status !== 'running') break;
    }
    if (rows.length >= 2) {
      const [a, z] = [rows[0], rows[rows.length - 1]];
      console.log(
        `${run.name}: ${z.step.toLocaleString('en')} steps in ${z.after_s} s; steps/s ${a.steps_per_s} -> ${z.steps_per_s}, ` +
          `redraws/s ${a.redraws_per_s} -> ${z.redraws_per_s}, heap ${a.wasm_heap_mb} -> ${z.wasm_heap_mb} MB, ` +
          `curves ${a.curve_kb} -> ${z.curve_kb} KiB`,
      );
    }
    await byTestId(page, 'play').click();
  }
} finally {
  await session.close();
}
