// Frame-rate benchmark: trains in headless Chromium (CPU backend; `LOSSLAB_WEBGPU=1`: gpu.html on
// SwiftShader's WebGPU) and reports chart redraws per second, steps per second and main-thread
// long tasks (> 50 ms) while training at full speed.
// A benchmark, not a test: it prints figures. Usage (site served, e.g. by tests/run.sh's server):
//   LOSSLAB_URL=http://127.0.0.1:8765/ node tests/bench/frames.mjs ['dataset=spiral' ...]
import { setTimeout as sleep } from 'node:timers/promises';
import { byTestId, gpuPage, launch, open, state, waitForState } from '../e2e/helpers.mjs';

const webgpu = process.env.LOSSLAB_WEBGPU === '1';

const queries = process.argv.slice(2).length ? process.argv.slice(2) : ['', 'dataset=circles&hidden=8', 'dataset=digits&hidden=32'];
const SECONDS = 5;

const session = await launch({ webgpu });
const { page } = session;
try {
  for (const q of queries) {
    await open(page, q, webgpu ? { timeoutMs: 150_000, base: gpuPage() } : {});
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    await byTestId(page, 'play').click();
    await sleep(1500); // warm-up: first chunks, chunk-size adaptation
    // WebGPU on SwiftShader compiles its kernels (training, evaluation, the decision surface)
    // for seconds first.
    if (webgpu) await waitForState(page, (x) => x.step >= 100, { timeoutMs: 180_000, what: 'WebGPU warm-up' }).then(() => sleep(2000));
    const a = await state(page);
    const t0 = Date.now();
    await page.evaluate(() => (window.__longTasks = []));
    await sleep(SECONDS * 1000);
    const b = await state(page);
    const dt = (Date.now() - t0) / 1000;
    const long = await page.evaluate(() => window.__longTasks);
    console.log(
      JSON.stringify({
        query: q || '(defaults)',
        backend: b.backend,
        fused: b.fused,
        redraws_per_s: +((b.draws - a.draws) / dt).toFixed(1),
        steps_per_s: +((b.step - a.step) / dt).toFixed(0),
        long_tasks: long.length,
        longest_task_ms: long.length ? Math.max(...long) : 0,
        last_ms: b.timing_ms,
      }),
    );
    await byTestId(page, 'play').click();
  }
} finally {
  await session.close();
}
