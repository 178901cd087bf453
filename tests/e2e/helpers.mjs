// Shared helpers for LossLab's browser tests: launching headless Chromium (Debian's, through
// playwright-core), opening the app, reading `window.losslab.state()`, waiting on training,
// setting controls, checking canvases and saving screenshots.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (tests/e2e/../..). */
export const ROOT = path.resolve(HERE, '..', '..');
/** Where screenshots go (ignored by git). */
export const OUT_DIR = path.join(ROOT, 'tests', 'out');

export const CHROMIUM = process.env.LOSSLAB_CHROMIUM || '/usr/bin/chromium';

/** Statuses after which a run does not go on by itself. */
export const STOPPED = ['diverged', 'finished', 'early_stopped'];

/** The served site, e.g. http://127.0.0.1:8123/ (set by tests/run.sh). */
export function baseUrl() {
  const url = process.env.LOSSLAB_URL;
  if (!url) {
    throw new Error('LOSSLAB_URL is not set: run the browser tests with tests/run.sh');
  }
  return url.endsWith('/') ? url : `${url}/`;
}

/** The WebGPU build of the app (the default page, index.html, is the CPU build). */
export function gpuPage() {
  return `${baseUrl()}gpu.html`;
}

function isLocal(url) {
  if (/^(data|blob|about|chrome|chrome-error|devtools):/.test(url)) return true;
  try {
    const { hostname } = new URL(url);
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
}

/**
 * Starts headless Chromium with a fresh profile and returns `{ context, page, close }`.
 * `webgpu: true` adds `--enable-unsafe-webgpu` (a SwiftShader adapter); without it
 * `navigator.gpu.requestAdapter()` resolves to null and the app must use its CPU backend.
 * `reducedMotion: 'reduce'` emulates a system that asks for less motion.
 * The page collects `page.consoleMessages` ({ type, text, location }), `page.pageErrors`
 * (uncaught exceptions, wasm panics) and `page.externalRequests` (anything not on loopback,
 * which the resolver rules below also make fail).
 */
export async function launch({
  webgpu = false,
  viewport = { width: 1280, height: 800 },
  locale = 'en-US',
  serviceWorkers = 'allow',
  reducedMotion = 'no-preference',
} = {}) {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'losslab-chromium-'));
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Nothing may reach the internet: every host name but loopback fails to resolve.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
  ];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args,
      viewport,
      locale,
      // 'block' when a test routes requests itself: a service worker would answer them first.
      serviceWorkers,
      // 'reduce': the page (and its frames) see `prefers-reduced-motion: reduce`.
      reducedMotion,
      deviceScaleFactor: 1,
      timeout: 60_000,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  instrument(page);
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** Starts collecting console messages, page errors and external requests on `page`. */
export function instrument(page) {
  page.consoleMessages = [];
  page.pageErrors = [];
  page.externalRequests = [];
  page.on('console', (msg) => {
    const loc = msg.location();
    page.consoleMessages.push({
      type: msg.type(),
      text: msg.text(),
      location: loc?.url ? `${loc.url}:${loc.lineNumber}` : '',
    });
  });
  page.on('pageerror', (err) => page.pageErrors.push(String(err?.stack || err)));
  page.on('request', (req) => {
    if (!isLocal(req.url())) page.externalRequests.push(req.url());
  });
  return page;
}

/** Console messages of type 'error', as printable lines. */
export function consoleErrors(page) {
  return page.consoleMessages
    .filter((m) => m.type === 'error')
    .map((m) => (m.location ? `${m.text} (${m.location})` : m.text));
}

/** The errors collected so far, for assertion messages. */
export function errorReport(page) {
  const lines = [];
  for (const e of consoleErrors(page)) lines.push(`console.error: ${e}`);
  for (const e of page.pageErrors) lines.push(`page error: ${e}`);
  for (const u of page.externalRequests) lines.push(`external request: ${u}`);
  return lines.length ? lines.join('\n') : '(no console errors, page errors or external requests)';
}

/**
 * Opens the app with `query` ('' , 'a=1&b=2' or '?a=1&b=2'; appended verbatim, so malformed
 * escapes stay malformed) and waits until `window.losslab.ready` is true. `base` serves the app
 * from another address than LOSSLAB_URL (e.g. a sub-path).
 */
export async function open(page, query = '', { timeoutMs = 90_000, base = baseUrl() } = {}) {
  const q = !query ? '' : query.startsWith('?') ? query : `?${query}`;
  const url = base + q;
  await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
  try {
    await page.waitForFunction(() => window.losslab?.ready === true, null, {
      timeout: timeoutMs,
      polling: 100,
    });
  } catch (e) {
    throw new Error(
      `the app did not become ready (window.losslab.ready) within ${timeoutMs} ms at ${url}\n` +
        errorReport(page),
      { cause: e },
    );
  }
  // Nothing focused, so that keyboard shortcuts reach the page.
  await page.evaluate(() => document.activeElement?.blur?.());
  return url;
}

/** `window.losslab.state()` (parsed if the app hands back JSON text). */
export async function state(page) {
  const s = await page.evaluate(() => {
    const v = window.losslab.state();
    // Maps (from serde-wasm-bindgen) do not cross evaluate(); make them plain objects.
    const plain = (x) =>
      x instanceof Map
        ? Object.fromEntries([...x].map(([k, y]) => [k, plain(y)]))
        : Array.isArray(x)
          ? x.map(plain)
          : x && typeof x === 'object'
            ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, plain(y)]))
            : x;
    return typeof v === 'string' ? v : plain(v);
  });
  return typeof s === 'string' ? JSON.parse(s) : s;
}

/** The current (unpinned) run: the last of `state.runs`. */
export function currentRun(s) {
  return s.runs?.[s.runs.length - 1];
}

/** The values of a `[[step, v], ...]` series. */
export function values(series) {
  return (series ?? []).map((p) => (Array.isArray(p) ? p[1] : p));
}

function seriesSummary(series) {
  const v = values(series);
  if (!v.length) return '0 pts';
  const tail = v.slice(-3).map((x) => (typeof x === 'number' ? +x.toPrecision(4) : x));
  return `${v.length} pts, last ${JSON.stringify(tail)}`;
}

/** A short printable form of a state (series shortened to their length and last values). */
export function summary(s) {
  if (!s || typeof s !== 'object') return String(s);
  const runs = (s.runs ?? []).map((r) => ({
    name: r.name,
    pinned: r.pinned,
    seed: r.seed,
    config_query: r.config_query,
    train_loss: seriesSummary(r.train_loss),
    val_loss: seriesSummary(r.val_loss),
    train_acc: seriesSummary(r.train_acc),
    val_acc: seriesSummary(r.val_acc),
  }));
  return JSON.stringify({ ...s, runs }, null, 1);
}

/** `state(page)` summarised, or the error that reading it gave. */
export async function describeState(page) {
  try {
    return summary(await state(page));
  } catch (e) {
    return `(state() failed: ${e.message})`;
  }
}

/**
 * Polls `state()` until `pred(state)` is true; throws with `what`, the last state and the
 * collected errors after `timeoutMs`, or at once when `failIf(state)` returns a reason.
 */
export async function waitForState(page, pred, { timeoutMs = 60_000, what = 'condition', failIf } = {}) {
  const deadline = Date.now() + timeoutMs;
  let s;
  for (;;) {
    s = await state(page);
    if (pred(s)) return s;
    const reason = failIf?.(s);
    if (reason) {
      throw new Error(`while waiting for ${what}: ${reason}\nstate: ${summary(s)}\n${errorReport(page)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nstate: ${summary(s)}\n${errorReport(page)}`);
    }
    await sleep(100);
  }
}

/** Waits until `state().step >= n`; fails at once if the run stops (finishes, diverges) first. */
export function waitForStep(page, n, timeoutMs = 60_000) {
  return waitForState(page, (s) => s.step >= n, {
    timeoutMs,
    what: `step >= ${n}`,
    failIf: (s) => (STOPPED.includes(s.status) ? `the run stopped with status "${s.status}"` : null),
  });
}

/** Waits until `state().status` is one of `statuses` (a string or an array). */
export function waitForStatus(page, statuses, timeoutMs = 60_000, { failOn = [] } = {}) {
  const want = [statuses].flat();
  return waitForState(page, (s) => want.includes(s.status), {
    timeoutMs,
    what: `status ${want.map((x) => `"${x}"`).join(' or ')}`,
    failIf: (s) => (failOn.includes(s.status) ? `status became "${s.status}"` : null),
  });
}

/** The element with `data-testid=testid`. */
export function byTestId(page, testid) {
  return page.locator(`[data-testid="${testid}"]`);
}

/** Clicks the `play` button and waits for status "running". */
export async function play(page, timeoutMs = 30_000) {
  await byTestId(page, 'play').click();
  const s = await waitForStatus(page, ['running', ...STOPPED], timeoutMs);
  await page.evaluate(() => document.activeElement?.blur?.());
  return s;
}

/** Clicks the `play` button while running and waits for status "paused". */
export async function pause(page, timeoutMs = 30_000) {
  await byTestId(page, 'play').click();
  const s = await waitForStatus(page, 'paused', timeoutMs);
  await page.evaluate(() => document.activeElement?.blur?.());
  return s;
}

/** Presses play and waits until the run stops by itself with status "finished". */
export async function runToFinish(page, timeoutMs = 120_000) {
  await byTestId(page, 'play').click();
  const s = await waitForStatus(page, 'finished', timeoutMs, { failOn: ['diverged', 'early_stopped'] });
  await page.evaluate(() => document.activeElement?.blur?.());
  return s;
}

/** Describes a control: tag, type, value, min/max/step, checked. */
export function controlInfo(page, key) {
  return byTestId(page, key).evaluate((el) => ({
    tag: el.tagName.toLowerCase(),
    type: (el.getAttribute('type') || '').toLowerCase(),
    value: el.value,
    min: el.min ?? '',
    max: el.max ?? '',
    step: el.step ?? '',
    checked: !!el.checked,
    options: el.tagName === 'SELECT' ? [...el.options].map((o) => o.value) : [],
  }));
}

/**
 * Sets the control `[data-testid=key]` to `value` the way a user would, and returns the value
 * it then holds: `<select>` (option value), checkbox (truthy/falsy), range (value set through
 * the native setter, then `input` and `change`; log sliders get log10 of it), number and text
 * (typed, then `change`).
 */
export async function setControl(page, key, value) {
  const el = byTestId(page, key);
  await el.waitFor({ state: 'attached', timeout: 10_000 });
  const info = await controlInfo(page, key);
  if (info.tag === 'select') {
    await el.selectOption(String(value));
  } else if (info.tag === 'input' && (info.type === 'checkbox' || info.type === 'radio')) {
    const want = value === true || value === 1 || value === '1' || value === 'true' || value === 'on';
    await el.setChecked(want);
  } else if (info.tag === 'input' && info.type === 'range') {
    await el.evaluate((node, v) => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      // Log sliders hold log10 of the value (data-scale="log10"); callers pass the value itself.
      setter.call(node, node.dataset.scale === 'log10' ? String(Math.log10(Number(v))) : v);
      node.dispatchEvent(new Event('input', { bubbles: true }));
      node.dispatchEvent(new Event('change', { bubbles: true }));
    }, String(value));
  } else if (info.tag === 'input' || info.tag === 'textarea') {
    await el.fill(String(value)); // fires `input`
    await el.evaluate((node) => node.dispatchEvent(new Event('change', { bubbles: true })));
  } else {
    throw new Error(`setControl: [data-testid=${key}] is a <${info.tag}>, not a form control`);
  }
  await page.evaluate(() => document.activeElement?.blur?.());
  const after = await controlInfo(page, key);
  return after.type === 'checkbox' ? after.checked : after.value;
}

/**
 * Whether the canvas `[data-testid=testid]` is blank: zero-sized, or every pixel the same.
 * The canvas is copied onto a 2D canvas first, so WebGL/WebGPU canvases work too.
 */
export async function canvasIsBlank(page, testid) {
  const el = byTestId(page, testid);
  await el.waitFor({ state: 'attached', timeout: 10_000 });
  return el.evaluate((canvas) => {
    if (!(canvas instanceof HTMLCanvasElement)) throw new Error(`not a <canvas>: <${canvas.tagName}>`);
    const { width, height } = canvas;
    if (!width || !height) return true;
    const copy = document.createElement('canvas');
    copy.width = width;
    copy.height = height;
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(canvas, 0, 0);
    const px = new Uint32Array(ctx.getImageData(0, 0, width, height).data.buffer);
    const first = px[0];
    for (let i = 1; i < px.length; i++) if (px[i] !== first) return false;
    return true;
  });
}

/** Saves a full-viewport screenshot to tests/out/<name>.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Normalised text of an element (whitespace collapsed, no-break spaces as spaces). */
export async function textOf(page, testid) {
  const t = await byTestId(page, testid).innerText({ timeout: 10_000 });
  return t.replace(/\s+/g, ' ').trim();
}

/**
 * A minimal TOML reader for the i18n files: `[table.path]` headers and `key = "basic"` or
 * `key = 'literal'` strings on one line (enough to look up a label). Returns
 * { "table.path": { key: value } }.
 */
const STRING = /"(?:[^"\\]|\\.)*"|'[^']*'/;
const unquote = (q) => (q.startsWith('"') ? JSON.parse(q) : q.slice(1, -1));

export function parseTomlStrings(text) {
  const tables = { '': {} };
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = line.match(/^\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$/);
    if (header) {
      current = header[1].split('.').map((p) => p.trim().replace(/^"(.*)"$/, '$1')).join('.');
      tables[current] ??= {};
      continue;
    }
    // `key = "v"`, dotted `lr.label = "v"`, or an inline table `lr = { label = "v", … }`.
    const kv = line.match(/^([A-Za-z0-9_\-.]+)\s*=\s*(.*)$/);
    if (!kv) continue;
    const parts = kv[1].split('.');
    const key = parts.pop();
    const table = [current, ...parts].filter(Boolean).join('.');
    const str = kv[2].match(STRING);
    if (str && str.index === 0) {
      (tables[table] ??= {})[key] = unquote(str[0]);
    } else if (kv[2].startsWith('{')) {
      const inner = [table, key].filter(Boolean).join('.');
      for (const m of kv[2].matchAll(new RegExp(`([A-Za-z0-9_\\-]+)\\s*=\\s*(${STRING.source})`, 'g'))) {
        (tables[inner] ??= {})[m[1]] = unquote(m[2]);
      }
    }
  }
  return tables;
}

/** `static/i18n/<lang>.toml`, `[table]`, `key`. */
export function i18n(lang, table, key) {
  const file = path.join(ROOT, 'static', 'i18n', `${lang}.toml`);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e.message}`);
  }
  const value = parseTomlStrings(text)[table]?.[key];
  if (typeof value !== 'string') throw new Error(`${file} has no string ${key} in [${table}]`);
  return value;
}

/**
 * Runs `fn({ page, context })` in a fresh browser (`launch(opts)`); on failure saves
 * tests/out/fail-<prefix><test>.png and adds the app state and collected errors to the message.
 */
export async function withPage(t, opts, fn, prefix = '') {
  const session = await launch(opts);
  try {
    await fn(session);
  } catch (e) {
    const name = `fail-${prefix}${opts?.webgpu ? 'webgpu-' : ''}${t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}`;
    await screenshot(session.page, name).catch(() => {});
    const st = await describeState(session.page);
    e.message += `\n--- app state ---\n${st}\n--- errors ---\n${errorReport(session.page)}\n(screenshot: tests/out/${name}.png)`;
    throw e;
  } finally {
    await session.close();
  }
}
