// Main-thread time per training step (headless Chromium, CDP's ScriptDuration): how much of a
// step the page itself spends (burn's op dispatch, autodiff, kernel launches through the WebGPU
// JavaScript API, the loss readback), whatever the device does meanwhile. 1000 / that is the
// most steps/s the backend can reach on any GPU. Each workload runs twice, `short` and
// `short + extra` steps, and the difference is divided by `extra`, so start-up (wasm compile,
// kernel compilation) cancels out. A benchmark, not a test: it prints figures.
//   LOSSLAB_URL=http://127.0.0.1:8765/ node tests/bench/mainthread.mjs [webgpu|cpu] [workload ...]
import { baseUrl, launch } from '../e2e/helpers.mjs';

const [backend = 'webgpu', ...rest] = process.argv.slice(2);
const workloads = rest.length ? rest : ['toy', 'mlp', 'digits', 'cnn'];
const webgpu = backend === 'webgpu';
const session = await launch({ webgpu, serviceWorkers: 'block' });
try {
  for (const w of workloads) {
    const [short, extra] = w === 'cnn' ? [20, 200] : [50, 1000];
    const a = await run(w, short);
    const b = await run(w, short + extra);
    const ms = (1000 * (b.script - a.script)) / (b.steps - a.steps);
    console.log(
      `${w} (${backend}): ${ms.toFixed(2)} ms of script per step on the main thread -> at most ` +
        `${Math.round(1000 / ms)} steps/s; measured ${b.steps_per_s.toFixed(1)} steps/s over ${b.steps} steps`,
    );
  }
} finally {
  await session.close();
}

async function run(w, steps) {
  const page = await session.context.newPage();
  try {
    const cdp = await session.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const html = webgpu ? 'gpu.html' : '';
    await page.goto(`${baseUrl()}${html}?bench=${w}&backend=${backend}&steps=${steps}`);
    await page.waitForFunction(() => window.losslab?.bench, null, { timeout: 10 * 60_000, polling: 200 });
    const { metrics } = await cdp.send('Performance.getMetrics');
    const r = await page.evaluate(() => window.losslab.bench);
    if (r.error) throw new Error(`${w}: ${r.error}`);
    if (r.backend !== backend) throw new Error(`${w}: ran on ${r.backend}, not ${backend}`);
    return { ...r, script: metrics.find((m) => m.name === 'ScriptDuration').value };
  } finally {
    await page.close();
  }
}
