// Memory soak: trains the mlp workload for 50,000 steps in headless Chromium (CPU backend, loss
// read back every step) and prints the wasm heap after two tenths (warm-up) and at the end, and steps/s
// over the third tenth and the last tenth, with the run's curve recorded and without. A benchmark, not a test: it prints figures.
//   LOSSLAB_URL=http://127.0.0.1:8765/ node tests/bench/soak.mjs [steps] [workload]
import { baseUrl, launch } from '../e2e/helpers.mjs';

const steps = Number(process.argv[2] ?? 50_000);
const workload = process.argv[3] ?? 'mlp';
const session = await launch({ serviceWorkers: 'block' });
try {
  // Twice: as the page runs it (the curve grows by 32 bytes a step), and the engine alone.
  for (const history of [1, 0]) await soak(session.page, history);
} finally {
  await session.close();
}

async function soak(page, history) {
  await page.goto(`${baseUrl()}?bench=${workload}&backend=cpu&steps=${steps}&history=${history}`);
  await page.waitForFunction(() => window.losslab?.bench, null, { timeout: 30 * 60_000, polling: 500 });
  const r = await page.evaluate(() => window.losslab.bench);
  console.log(JSON.stringify(r));
  if (r.soak) {
    const s = r.soak;
    console.log(
      `${workload}${history ? '' : ' (history off)'}: ${r.steps} steps, heap ${(s.heap_bytes_warm / 1e6).toFixed(1)} MB -> ${(s.heap_bytes_end / 1e6).toFixed(1)} MB ` +
        `(${(100 * s.heap_growth).toFixed(1)} %), steps/s ${s.steps_per_s_start.toFixed(0)} -> ${s.steps_per_s_end.toFixed(0)} ` +
        `(${(100 * (s.steps_per_s_end / s.steps_per_s_start - 1)).toFixed(1)} %)`,
    );
  }
}
