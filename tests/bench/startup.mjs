// Start-up: time from navigation to the first curve point on a cold browser (fresh profile, empty
// cache), and what was downloaded before it (each file with its gzip size, as a server that
// compresses would send it). A benchmark, not a test: it prints figures.
//   LOSSLAB_DIST=dist LOSSLAB_URL=http://127.0.0.1:8765/ node tests/bench/startup.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { baseUrl, byTestId, launch } from '../e2e/helpers.mjs';

const DIST = path.resolve(process.env.LOSSLAB_DIST ?? 'dist');

/** [path, raw bytes, gzip bytes] of the page's files fetched before `beforeMs` (since navigation). */
async function downloads(page, beforeMs) {
  const names = await page.evaluate(
    (t) => performance.getEntriesByType('resource').filter((e) => e.startTime < t).map((e) => e.name),
    beforeMs,
  );
  const files = [new URL(page.url()).pathname.replace(/^\/$/, '/index.html'), ...names.map((n) => new URL(n).pathname)];
  return [...new Set(files)].map((p) => {
    const raw = readFileSync(path.join(DIST, decodeURIComponent(p)));
    return [p, raw.length, gzipSync(raw, { level: 9 }).length];
  });
}

async function cold(name, fn) {
  const session = await launch({ serviceWorkers: 'block' });
  try {
    const { page } = session;
    const ms = await fn(page);
    const files = await downloads(page, ms);
    const gz = files.reduce((a, f) => a + f[2], 0);
    console.log(`${name}: first curve point ${ms.toFixed(0)} ms after navigation; ${(gz / 1e6).toFixed(3)} MB gzip before it`);
    for (const [p, raw, g] of files) console.log(`   ${p.padEnd(36)} ${(raw / 1e6).toFixed(3)} MB  ${(g / 1e6).toFixed(3)} MB gzip`);
  } finally {
    await session.close();
  }
}

// The benchmark page: its first training step, timed by the page itself.
await cold('?bench=toy (CPU)', async (page) => {
  await page.goto(`${baseUrl()}?bench=toy&backend=cpu&secs=0.2`);
  await page.waitForFunction(() => window.losslab?.bench, null, { timeout: 60_000 });
  return page.evaluate(() => window.losslab.bench.time_to_first_step_ms);
});
// The playground as a learner opens it: Play pressed as soon as the page is ready.
await cold('playground (CPU), Play at once', async (page) => {
  await page.goto(baseUrl());
  await page.waitForFunction(() => window.losslab?.ready, null, { timeout: 60_000, polling: 10 });
  await byTestId(page, 'play').click();
  await page.waitForFunction(() => window.losslab.state().runs.at(-1).train_loss.length > 0, null, { timeout: 60_000, polling: 10 });
  return page.evaluate(() => performance.now());
});
