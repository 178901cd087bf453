// Widgets, sharing and files in headless Chromium (CPU backend): the demo tutorial with three
// sandboxed widgets served from another origin, a widget at 480x360, the share dialog, and
// exporting curves and configs (and opening a saved config again).
//
// Run through tests/run.sh (it builds and serves the site and sets LOSSLAB_URL; its server
// sends Access-Control-Allow-Origin, which sandboxed frames need).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ROOT,
  baseUrl,
  byTestId,
  currentRun,
  open,
  screenshot,
  state,
  values,
  waitForState,
  withPage as sharedWithPage,
} from './helpers.mjs';

const TIMEOUT = 180_000;

const withPage = (t, opts, fn) => sharedWithPage(t, opts, fn, 'embed-');

/** Serves dist/ on another port (the tutorial's own origin); returns its URL and a stopper. */
async function hostServer() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const proc = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', path.join(ROOT, 'dist')], {
    stdio: 'ignore',
  });
  const url = `http://localhost:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      await sleep(100);
    }
  }
  return { url, stop: () => proc.kill() };
}

const frameState = (frame) => frame.evaluate(() => (window.losslab?.ready ? JSON.parse(JSON.stringify(window.losslab.state())) : null));

async function waitFrame(frame, pred, what, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let s;
  for (;;) {
    s = await frameState(frame).catch(() => null);
    if (s && pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s && { step: s.step, status: s.status, visible: s.visible, notices: s.notices })}`);
    await sleep(200);
  }
}

test('the demo tutorial: three sandboxed widgets from another origin train; an off-screen one waits', { timeout: TIMEOUT }, async (t) => {
  const host = await hostServer();
  try {
    // Tall enough for the first two widgets; the third sits below the fold.
    await withPage(t, { viewport: { width: 1280, height: 1100 } }, async ({ page }) => {
      await page.goto(`${host.url}examples/embed-demo.html#base=${encodeURIComponent(baseUrl())}`);
      const frames = {};
      for (const id of ['widget-lr', 'widget-dropout', 'widget-relu']) {
        frames[id] = await (await byTestId(page, id).elementHandle()).contentFrame();
        await waitFrame(frames[id], (s) => s.embed === true, `${id} ready`);
        assert.equal(await frames[id].evaluate(() => window.origin), 'null', `${id} runs sandboxed (opaque origin)`);
      }
      // In an opaque origin the policy names the site beside 'self' (WebKit matches 'self' to
      // nothing there), and it is still enforced: an injected script does not run.
      const site = new URL(baseUrl()).origin;
      const framed = await frames['widget-lr'].evaluate(async () => {
        const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '';
        const s = document.createElement('script');
        s.textContent = 'window.__injected = 1';
        document.head.append(s);
        await new Promise((r) => setTimeout(r, 100));
        return { csp, injected: window.__injected === 1 };
      });
      assert.ok(framed.csp.includes(`script-src 'self' ${site} 'wasm-unsafe-eval'`), `the widget's CSP: ${framed.csp}`);
      assert.equal(framed.injected, false, 'an injected script ran in the widget');
      await waitFrame(frames['widget-lr'], (s) => s.step > 20, 'the first widget autoplays');
      await waitFrame(frames['widget-dropout'], (s) => s.step > 20, 'the second widget autoplays');
      await sleep(1500);
      let relu = await frameState(frames['widget-relu']);
      assert.equal(relu.visible, false, 'the third widget is below the fold');
      assert.equal(relu.step, 0, 'an off-screen widget stays paused');
      await screenshot(page, 'embed-demo');

      await byTestId(page, 'widget-relu').scrollIntoViewIfNeeded();
      relu = await waitFrame(frames['widget-relu'], (s) => s.step > 20, 'the third widget trains once in view');
      const lr = await waitFrame(frames['widget-lr'], (s) => s.visible === false && s.status !== 'running', 'the first widget pauses out of view');
      await sleep(1000);
      assert.equal((await frameState(frames['widget-lr'])).step, lr.step, 'a paused widget does not train');
      // Each widget trains its own run.
      assert.notEqual(currentRun(relu).config_query, currentRun(lr).config_query);
      assert.deepEqual(page.externalRequests, []);
      await screenshot(page, 'embed-demo-scrolled');
    });
  } finally {
    host.stop();
  }
});

test('a widget fits 480x360, shows its chosen controls, and links to the full playground', { timeout: TIMEOUT }, (t) =>
  withPage(t, { viewport: { width: 480, height: 360 } }, async ({ page }) => {
    await open(page, 'embed=1&controls=lr,dropout&dataset=circles&lr=0.03');
    const controls = await page.$$eval('.control', (els) => els.length);
    assert.equal(controls, 2, 'only the chosen controls');
    assert.equal(await byTestId(page, 'chart-loss').isVisible(), true);
    assert.equal(await byTestId(page, 'chart-lr').count(), 0, 'a widget shows loss and accuracy only');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the widget is ${overflow}px wider than 480px`);
    const href = await byTestId(page, 'open-full').getAttribute('href');
    assert.match(href, /dataset=circles/);
    assert.match(href, /lr=0\.03/);
    assert.doesNotMatch(href, /embed=|controls=/);
    await byTestId(page, 'play').click();
    await waitForState(page, (s) => s.step > 20, { what: 'training in the widget' });
    await screenshot(page, 'embed-480x360');
  }));

test('share dialog: the link and the iframe snippet carry the run', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page, context }) => {
    await open(page, 'dataset=xor&dropout=0.2');
    const cfg = currentRun(await state(page)).config_query;
    await byTestId(page, 'share').click();
    const link = await byTestId(page, 'share-link').inputValue();
    assert.ok(link.startsWith(baseUrl()) && link.includes(cfg), `${link} carries ${cfg}`);
    await byTestId(page, 'share-dropout').check();
    const snippet = await byTestId(page, 'share-snippet').inputValue();
    assert.match(snippet, /^<iframe src="[^"]*embed=1/);
    assert.match(snippet, /sandbox="allow-scripts/);
    assert.match(snippet, /controls=[^"&]*dropout/);
    const src = snippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
    const widget = await context.newPage();
    await widget.goto(src);
    await widget.waitForFunction(() => window.losslab?.ready === true);
    assert.equal(currentRun(await state(widget)).config_query, cfg, 'the widget runs the shared run');
    assert.ok((await widget.$$eval('.control', (els) => els.length)) >= 1);
  }));

test('export curves as CSV and the config as TOML; opening the TOML replays the run', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await open(page, 'dataset=moons&hidden=8&seed=7');
    await byTestId(page, 'play').click();
    await waitForState(page, (s) => s.step >= 120, { what: '120 steps' });
    await byTestId(page, 'play').click();
    await byTestId(page, 'pin').click();
    const s = await state(page);
    await page.locator('[data-testid="export"] summary').click();
    const [csvDl] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'export-csv').click()]);
    const csv = readFileSync(await csvDl.path(), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'step,run,metric,value,steps');
    const rows = csv.slice(1).map((l) => l.split(','));
    for (const run of s.runs) {
      const mine = rows.filter((r) => r[1] === run.name && r[2] === 'train_loss');
      assert.equal(mine.length, run.train_loss.length, `train_loss points of ${run.name}`);
      mine.forEach((r, i) => assert.ok(Math.abs(+r[3] - run.train_loss[i][1]) <= 1e-6 * Math.max(1, Math.abs(r[3])), `${run.name} step ${r[0]}`));
      // A short run is exported step by step: each row covers one step.
      assert.ok(mine.every((r) => r[4] === '1'), `${run.name}: rows summarising several steps`);
      const val = rows.filter((r) => r[1] === run.name && r[2] === 'val_acc').map((r) => +r[3]);
      assert.deepEqual(val.map((v) => +v.toFixed(5)), values(run.val_acc).map((v) => +v.toFixed(5)));
    }
    const [pngDl] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'export-png').click()]);
    const png = readFileSync(await pngDl.path());
    assert.equal(png.subarray(1, 4).toString(), 'PNG', 'a PNG file');
    assert.ok(png.readUInt32BE(16) >= 1000 && png.length > 20_000, `a 2x2 chart image (${png.readUInt32BE(16)} px wide, ${png.length} bytes)`);
    const [jsonDl] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'export-json').click()]);
    const json = JSON.parse(readFileSync(await jsonDl.path(), 'utf8'));
    assert.equal(json.seed, 7);
    assert.deepEqual(json.model.hidden, [8]);
    const [presetDl] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'export-preset').click()]);
    assert.match(readFileSync(await presetDl.path(), 'utf8'), /^\[preset\]\nseed = 7\n[\s\S]*\[preset\.data\]\ndataset = "moons"/);
    const [tomlDl] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'export-toml').click()]);
    const tomlPath = await tomlDl.path();
    assert.match(readFileSync(tomlPath, 'utf8'), /dataset = "moons"/);

    // A fresh page opens the saved config: the same run, step for step.
    await open(page, '');
    await byTestId(page, 'open-config').setInputFiles({ name: 'run.toml', mimeType: 'application/toml', buffer: readFileSync(tomlPath) });
    await waitForState(page, (x) => currentRun(x).config_query === currentRun(s).config_query, { what: 'the saved config' });
    await byTestId(page, 'play').click();
    const again = await waitForState(page, (x) => x.step >= 50, { what: '50 steps' });
    const first = (r) => values(r.train_loss).slice(0, 50);
    assert.deepEqual(first(currentRun(again)), first(s.runs.find((r) => r.pinned)));
  }));
