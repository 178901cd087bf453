// The offline (classroom) build in headless Chromium: the built site served under a sub-path
// (/courses/losslab/, by tests/serve.py on its own port) with every non-loopback host blocked
// loads and trains without a single request leaving the machine or failing; and after one visit
// the service worker (sw.js, written by scripts/sw.py) keeps it working with the server gone.
//
// Run through tests/run.sh, or alone against an existing build:
//   cd tests && node --test --test-reporter=spec e2e/offline.test.mjs
// It serves dist/ itself (LOSSLAB_DIST=... to test another build folder, e.g. dist-offline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ROOT,
  consoleErrors,
  describeState,
  errorReport,
  launch,
  open,
  play,
  screenshot,
  state,
  waitForState,
} from './helpers.mjs';

const PREFIX = '/courses/losslab/';
const DIST = path.resolve(ROOT, process.env.LOSSLAB_DIST || 'dist');
const TIMEOUT = 120_000;

/** Starts tests/serve.py on a free port with DIST under PREFIX; `{ url, stop }`. */
async function serve() {
  const child = spawn(
    'python3',
    [path.join(ROOT, 'tests', 'serve.py'), '--root', DIST, '--port', '0', '--prefix', PREFIX, '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`tests/serve.py did not start\n${stderr}`)), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/ at (http:\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tests/serve.py exited (${code})\n${stderr}`));
    });
  });
  child.stdout.resume();
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return { url, stop };
}

/**
 * Records, for the whole browser context (pages and the service worker), requests that failed
 * and responses with an error status; `page.externalRequests` (helpers.mjs) covers the page.
 */
function watchNetwork(context) {
  const net = { failed: [], errors: [], external: [] };
  const local = (u) => /^(data|blob|about|chrome|chrome-error|devtools):/.test(u) || /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(u);
  context.on('request', (r) => {
    if (!local(r.url())) net.external.push(r.url());
  });
  context.on('requestfailed', (r) => net.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  context.on('response', (r) => {
    if (r.status() >= 400) net.errors.push(`${r.url()}: HTTP ${r.status()}`);
  });
  return net;
}

/** Runs `fn(session)` in a fresh browser; on failure adds a screenshot, the state and errors. */
async function withBrowser(t, fn) {
  const session = await launch();
  try {
    await fn(session);
  } catch (e) {
    const name = `fail-offline-${t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 50)}`;
    await screenshot(session.page, name).catch(() => {});
    e.message += `\n--- app state ---\n${await describeState(session.page)}\n--- errors ---\n${errorReport(session.page)}\n(screenshot: tests/out/${name}.png)`;
    throw e;
  } finally {
    await session.close();
  }
}

/** Presses play and waits until the step counter has risen by `by`. */
async function trains(page, by = 20) {
  const before = (await state(page)).step ?? 0;
  await play(page);
  const s = await waitForState(page, (x) => x.step >= before + by, {
    timeoutMs: TIMEOUT,
    what: `step >= ${before + by}`,
    failIf: (x) => (x.status === 'diverged' ? 'the run diverged' : null),
  });
  assert.ok(s.step > before, `the step counter did not rise (${before} → ${s.step})`);
  return s;
}

/** The URLs sw.js precaches (its FILES list), relative to the site folder. */
function precacheList() {
  const sw = readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const m = sw.match(/const FILES = (\[[\s\S]*?\]);/);
  assert.ok(m, `${DIST}/sw.js has no FILES list: is it a trunk serve build? Build with trunk build --release`);
  return JSON.parse(m[1]);
}

/** Waits until the service worker is active and its cache holds every file of the build. */
async function waitForOfflineCache(page, scopeUrl) {
  const files = precacheList();
  const want = files.map((f) => new URL(f, scopeUrl).href);
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const got = await page.evaluate(async (prefix) => {
      const reg = await navigator.serviceWorker.getRegistration();
      const names = (await caches.keys()).filter((k) => k.startsWith(prefix));
      const urls = [];
      for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(r.url);
      return { scope: reg?.scope ?? null, active: reg?.active?.state ?? null, names, urls };
    }, `losslab:${PREFIX}:`);
    const missing = want.filter((u) => !got.urls.includes(u));
    if (got.active === 'activated' && got.names.length === 1 && !missing.length) return got;
    if (Date.now() > deadline) {
      throw new Error(
        `the service worker did not fill its cache within ${TIMEOUT} ms: ${JSON.stringify({ ...got, urls: got.urls.length, missing })}`,
      );
    }
    await sleep(200);
  }
}

test('the build works under a sub-path with no request leaving the machine', { timeout: 240_000 }, async (t) => {
  const server = await serve();
  try {
    await withBrowser(t, async ({ page, context }) => {
      const net = watchNetwork(context);
      const url = await open(page, '', { base: server.url });
      assert.ok(new URL(url).pathname.startsWith(PREFIX), url);
      await trains(page);
      // The service worker registers under the sub-path and caches the build without an error.
      const cache = await waitForOfflineCache(page, server.url);
      assert.equal(cache.scope, server.url, 'the service worker scope');
      await screenshot(page, 'offline-subpath');

      assert.deepEqual([...new Set([...page.externalRequests, ...net.external])], [], 'requests that leave the machine');
      assert.deepEqual(net.failed, [], 'failed requests');
      assert.deepEqual(net.errors, [], 'responses with an error status');
      assert.deepEqual(consoleErrors(page), [], 'console errors');
      assert.deepEqual(page.pageErrors, [], 'page errors');
    });
  } finally {
    await server.stop();
  }
});

test('after one visit the app loads and trains with the server gone', { timeout: 300_000 }, async (t) => {
  const server = await serve();
  let stopped = false;
  try {
    await withBrowser(t, async ({ page, context }) => {
      const net = watchNetwork(context);
      await open(page, '', { base: server.url });
      await waitForOfflineCache(page, server.url);

      await server.stop();
      stopped = true;
      await assert.rejects(fetch(server.url), 'the server still answers');

      // A reload: the page, the app and its files come from the service worker's cache.
      const errorsBefore = consoleErrors(page).length;
      const res = await page.reload({ waitUntil: 'load', timeout: TIMEOUT }).catch((e) => {
        throw new Error(`with the server stopped, the page did not load: ${e.message}`);
      });
      assert.ok(res?.fromServiceWorker(), 'the page came from the service worker');
      await page.waitForFunction(() => window.losslab?.ready === true, null, { timeout: TIMEOUT, polling: 100 });
      await trains(page);
      await screenshot(page, 'offline-reloaded');

      // Another address of the page (a query string) is answered offline too.
      await open(page, '?lang=zh', { base: server.url, timeoutMs: TIMEOUT });
      await trains(page, 5);

      assert.deepEqual([...new Set([...page.externalRequests, ...net.external])], [], 'requests that leave the machine');
      assert.deepEqual(consoleErrors(page).slice(errorsBefore), [], 'console errors while offline');
      assert.deepEqual(page.pageErrors, [], 'page errors');
    });
  } finally {
    if (!stopped) await server.stop();
  }
});
