// What the page does where a browser lacks something, simulated in headless Chromium.
//
// A browser too old for LossLab: browser-check.js (a classic script before Trunk's module loader)
// must replace the blank page with a message, in the page's language, naming the browsers that
// work. An init script takes away what an old browser lacks before any page script runs:
// WebAssembly SIMD (validate says no, and the app's wasm does not compile, as in Safari before
// 16.4), or ES modules (the module loader never runs).
//
// No clipboard (a page served over plain http from another computer is no secure context):
// "copy" in the share dialog says to copy by hand, and the page goes on working.
//
// Run through tests/run.sh (it builds and serves the site and sets LOSSLAB_URL). Firefox and
// WebKit themselves: tests/browsers.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  baseUrl,
  byTestId,
  consoleErrors,
  errorReport,
  gpuPage,
  open,
  screenshot,
  waitForState,
  withPage as sharedWithPage,
} from './helpers.mjs';

const TIMEOUT = 60_000;

const withPage = (t, opts, fn) => sharedWithPage(t, { serviceWorkers: 'block', ...opts }, fn, 'compat-');

/** Runs in the page before its scripts: a WebAssembly without SIMD. */
function withoutSimd() {
  const validate = WebAssembly.validate;
  // Every SIMD opcode is prefixed 0xfd: a browser without SIMD rejects any module holding one.
  WebAssembly.validate = (bytes) => !new Uint8Array(bytes.buffer ?? bytes).includes(0xfd) && validate(bytes);
  const refuse = () => Promise.reject(new WebAssembly.CompileError('simulated: this browser has no WebAssembly SIMD'));
  for (const f of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) WebAssembly[f] = refuse;
}

/** Runs in the page before its scripts: a browser that knows no `<script type="module">`. */
function withoutModules() {
  delete HTMLScriptElement.prototype.noModule;
}

/** Opens `url` and returns the message's text (it must appear) and whether the app started. */
async function message(page, url) {
  const violations = [];
  page.on('console', (m) => /Content.Security.Policy/i.test(m.text()) && violations.push(m.text()));
  await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT });
  const box = byTestId(page, 'browser-too-old');
  await box.waitFor({ state: 'visible', timeout: 10_000 });
  await sleep(1_000); // time for the app, had it started, to become ready
  return {
    text: (await box.innerText()).replace(/\s+/g, ' '),
    lang: await box.getAttribute('lang'),
    role: await box.getAttribute('role'),
    ready: await page.evaluate(() => window.losslab?.ready === true),
    violations,
  };
}

test('no WebAssembly SIMD: the English message names the browsers that work and what is missing', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await page.addInitScript(withoutSimd);
    const m = await message(page, `${baseUrl()}?lang=en`);
    assert.equal(m.lang, 'en');
    assert.equal(m.role, 'alert');
    assert.match(m.text, /LossLab cannot run in this browser/);
    for (const want of ['Chrome or Edge 97', 'Firefox 89', 'Safari 16.4', 'iPadOS']) assert.ok(m.text.includes(want), `"${want}" in: ${m.text}`);
    assert.match(m.text, /Missing in this browser: WebAssembly SIMD\./);
    assert.equal(m.ready, false, 'the app did not start');
    assert.deepEqual(m.violations, [], 'browser-check.js runs under the Content-Security-Policy');
    await screenshot(page, 'old-browser-en');
  }));

test('no WebAssembly SIMD, a Chinese browser: the message in Chinese; lang= wins over the browser', { timeout: TIMEOUT }, (t) =>
  withPage(t, { locale: 'zh-CN' }, async ({ page }) => {
    await page.addInitScript(withoutSimd);
    let m = await message(page, baseUrl());
    assert.equal(m.lang, 'zh-CN');
    assert.match(m.text, /LossLab 无法在此浏览器中运行/);
    assert.ok(m.text.includes('Safari 16.4 及以上'), m.text);
    assert.match(m.text, /此浏览器缺少：WebAssembly SIMD。/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await screenshot(page, 'old-browser-zh');

    m = await message(page, `${baseUrl()}?lang=en`);
    assert.equal(m.lang, 'en');
    m = await message(page, `${baseUrl()}?lang=zh`);
    assert.equal(m.lang, 'zh-CN');
  }));

test('an English browser with ?lang=zh, on gpu.html: the message in Chinese', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await page.addInitScript(withoutSimd);
    const m = await message(page, `${gpuPage()}?lang=zh&backend=webgpu`);
    assert.equal(m.lang, 'zh-CN');
    assert.match(m.text, /无法在此浏览器中运行/);
    assert.equal(m.ready, false);
  }));

test('no ES modules: the message says so (and the module loader never runs)', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await page.addInitScript(withoutModules);
    // Such a browser skips <script type="module">: nothing of the app may load.
    await page.route(/\/app-[^/]*\.(js|wasm)$/, (route) => route.abort());
    const m = await message(page, `${baseUrl()}?lang=en`);
    assert.match(m.text, /Missing in this browser: JavaScript modules\./);
    assert.equal(m.ready, false);
  }));

test('a current browser gets no message', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await open(page, 'lang=zh');
    assert.equal(await byTestId(page, 'browser-too-old').count(), 0);
    assert.deepEqual(consoleErrors(page), []);
  }));

test('no clipboard: "copy" in the share dialog says to copy by hand; the page goes on', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }));
    await open(page, 'lang=en');
    await byTestId(page, 'share').click();
    await byTestId(page, 'copy-link').click();
    await waitForState(page, (s) => s.notices.some((n) => n.startsWith('Could not copy')), { what: 'the "could not copy" notice', timeoutMs: 10_000 });
    await page.keyboard.press('Escape');
    await byTestId(page, 'play').click();
    await waitForState(page, (s) => s.step > 20, { what: 'training after the failed copy' });
    assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
  }));
