// The cross-browser suite: what a classroom does with LossLab, in one browser (Firefox or WebKit,
// see drivers.mjs), against the built site that tests/browsers.sh serves (LOSSLAB_URL).
//
//   1. the CPU page loads (no "browser too old" message) and trains to step 100 with exactly the
//      losses headless Chromium gives for the same seed (measured in the same run);
//   2. a lesson opens and its "try this" step pins the preset and trains the variation;
//   3. the share dialog's link and widget snippet carry the run; "copy" answers with a notice;
//   4. export: the curves as a CSV download, matching the charts; the config as TOML;
//   5. a CSV file trains; a broken one is named by row and column;
//   6. a widget (?embed=1) shows only its chosen controls and trains;
//   7. the tutorial's sandboxed widgets (opaque origin) train, and one out of view waits;
//   8. gpu.html without WebGPU falls back to the CPU with a notice, and trains.
// One browser serves every test (starting one costs seconds); each test opens its own page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OUT_DIR, baseUrl, currentRun, launch as launchChromium, open as openChromium, waitForStatus } from '../e2e/helpers.mjs';

/** The run whose losses every browser must reproduce (the engine is deterministic per seed). */
export const REFERENCE_QUERY = 'seed=3&max_steps=100';

/** `window.losslab.state()` once the page is ready, else null (runs in the page). */
function pageState() {
  const hook = window.losslab;
  return hook && hook.ready === true ? hook.state() : null;
}

/** The first and the 100th training loss, and the whole curve, of a finished reference run. */
function lossesOf(s) {
  const curve = currentRun(s).train_loss;
  const at = (step) => curve.find(([x]) => x === step);
  return { first: curve[0], hundredth: at(100), curve };
}

/** Chromium's losses for REFERENCE_QUERY (headless, as tests/e2e/ runs it). */
async function chromiumReference() {
  const { page, close } = await launchChromium({ serviceWorkers: 'block' });
  try {
    await openChromium(page, REFERENCE_QUERY);
    await page.locator('[data-testid="play"]').click();
    return lossesOf(await waitForStatus(page, 'finished', 90_000, { failOn: ['diverged'] }));
  } finally {
    await close();
  }
}

/** Two noisy clouds of 2-D points, `;`-separated with CRLF, as a spreadsheet exports them. */
function cloudsCsv(n = 200) {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows = ['x;y;label'];
  for (let i = 0; i < n; i++) {
    const cls = i % 2 ? 'blue' : 'orange';
    const c = cls === 'blue' ? 2 : -2;
    rows.push(`${(c + rnd() * 2 - 1).toFixed(3)};${(c + rnd() * 2 - 1).toFixed(3)};${cls}`);
  }
  return rows.join('\r\n');
}

/**
 * Registers the suite for one browser. `launchBrowser()` starts it (drivers.mjs); `slug` names
 * screenshots (tests/out/<slug>-*.png).
 */
export function browserSuite(label, slug, launchBrowser) {
  describe(`LossLab in ${label}`, () => {
    let drv;
    let chromium;
    const files = mkdtempSync(path.join(os.tmpdir(), `losslab-${slug}-files-`));

    before(async () => {
      // Chromium first: then the two browsers never train at the same time on a small machine.
      chromium = await chromiumReference();
      drv = await launchBrowser();
    });
    after(async () => {
      await drv?.close();
      rmSync(files, { recursive: true, force: true });
    });

    /** Waits until `pred(state)`; fails with `what`, the last state's gist and the errors seen. */
    async function waitState(pred, what, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let s = null;
      for (;;) {
        s = await drv.eval(pageState);
        if (s && pred(s)) return s;
        if (Date.now() > deadline) {
          const gist = s && { step: s.step, status: s.status, backend: s.backend, lesson: s.lesson, notices: s.notices };
          throw new Error(`${drv.name}: timed out after ${timeoutMs} ms waiting for ${what}\nstate: ${JSON.stringify(gist)}\nerrors: ${(await drv.errors()).join('\n') || '(none)'}`);
        }
        await sleep(150);
      }
    }

    /** Opens the CPU page (or `page`) with `query` and waits until the app is ready. */
    async function openApp(query = '', page = '') {
      await drv.goto(`${baseUrl()}${page}${query ? `?${query}` : ''}`);
      return waitState(() => true, `${page || 'index.html'}?${query} ready`, 90_000);
    }

    /** Runs `fn`; on failure saves tests/out/fail-<slug>-<name>.png and adds the errors seen. */
    async function step(t, fn) {
      try {
        await fn();
      } catch (e) {
        const name = `fail-${slug}-${t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 50)}`;
        mkdirSync(OUT_DIR, { recursive: true });
        await drv.screenshot(path.join(OUT_DIR, `${name}.png`)).catch(() => {});
        e.message += `\n--- ${drv.name} errors ---\n${(await drv.errors()).join('\n') || '(none)'}\n(screenshot: tests/out/${name}.png)`;
        throw e;
      }
      assert.deepEqual(await drv.errors(), [], `${drv.name}: console errors, page errors or external requests`);
    }

    const clickTestId = (id) => drv.click(`[data-testid="${id}"]`);

    test('1. the CPU page loads and trains: the first and 100th loss equal Chromium\'s', { timeout: 180_000 }, (t) =>
      step(t, async () => {
        t.diagnostic(`${drv.name} ${drv.version}`);
        const s0 = await openApp(REFERENCE_QUERY);
        assert.equal(s0.backend, 'cpu');
        assert.equal(s0.step, 0);
        const tooOld = await drv.eval(() => document.querySelectorAll('[data-testid="browser-too-old"], [data-testid="error-banner"]').length);
        assert.equal(tooOld, 0, 'neither the "browser too old" message nor the error banner');

        await clickTestId('play');
        const s = await waitState((x) => x.status === 'finished' || x.status === 'diverged', 'the reference run to finish', 120_000);
        assert.equal(s.status, 'finished');
        assert.equal(s.step, 100);
        const mine = lossesOf(s);
        t.diagnostic(`first loss ${JSON.stringify(mine.first)}, 100th ${JSON.stringify(mine.hundredth)}; Chromium ${JSON.stringify(chromium.first)}, ${JSON.stringify(chromium.hundredth)}`);
        assert.ok(chromium.hundredth, `Chromium's curve has step 100: ${JSON.stringify(chromium.curve.slice(-2))}`);
        assert.deepEqual(mine.first, chromium.first, 'the first training loss equals Chromium\'s');
        assert.deepEqual(mine.hundredth, chromium.hundredth, 'the 100th training loss equals Chromium\'s');
        const diff = mine.curve.findIndex((p, i) => JSON.stringify(p) !== JSON.stringify(chromium.curve[i]));
        assert.equal(diff, -1, `the curves part at point ${diff}: ${JSON.stringify(mine.curve[diff])} vs ${JSON.stringify(chromium.curve[diff])}`);
        assert.equal(mine.curve.length, chromium.curve.length);

        // The loss chart has drawn something (not one flat colour).
        const drawn = await drv.eval(() => {
          const c = document.querySelector('[data-testid="chart-loss"]');
          const px = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
          return px.some((p) => p !== px[0]);
        });
        assert.ok(drawn, 'the loss chart is blank');
        mkdirSync(OUT_DIR, { recursive: true });
        await drv.screenshot(path.join(OUT_DIR, `${slug}-trained.png`));
      }));

    test('2. a lesson opens; "try this" pins the preset and trains the variation', { timeout: 120_000 }, (t) =>
      step(t, async () => {
        let s = await openApp('lesson=healthy');
        assert.equal(s.lesson, 'healthy');
        assert.ok(s.lessons.length >= 16, `lessons: ${s.lessons}`);
        const preset = currentRun(s).config_query;
        const title = await drv.eval(() => document.querySelector('[data-testid="lesson"]').innerText);
        assert.match(title, /healthy/i);

        await clickTestId('play');
        await waitState((x) => x.step >= 50, '50 steps of the preset');
        await clickTestId('try-1');
        s = await waitState(
          (x) => x.runs.some((r) => r.pinned) && currentRun(x).config_query !== preset && x.step >= 20,
          'the "try this" run training next to the pinned preset',
        );
        const pinned = s.runs.filter((r) => r.pinned);
        assert.equal(pinned.length, 1);
        assert.equal(pinned[0].config_query, preset);
        assert.match(currentRun(s).config_query, /batch_size=2/);
      }));

    test('3. the share dialog: the link and the widget snippet carry the run; copy answers', { timeout: 60_000 }, (t) =>
      step(t, async () => {
        const s = await openApp('dataset=xor&dropout=0.2');
        const cfg = currentRun(s).config_query;
        await clickTestId('share');
        const link = await drv.eval(() => document.querySelector('[data-testid="share-link"]').value);
        assert.ok(link.startsWith(baseUrl()) && link.includes(cfg), `${link} carries ${cfg}`);
        await clickTestId('share-dropout');
        const snippet = await drv.eval(() => document.querySelector('[data-testid="share-snippet"]').value);
        assert.match(snippet, /^<iframe src="[^"]*embed=1/);
        assert.match(snippet, /sandbox="allow-scripts/);
        assert.match(snippet, /controls=[^"&]*dropout/);
        // Copying works or says it did not (headless browsers may refuse the clipboard).
        const before = s.notices.length;
        await clickTestId('copy-link');
        const after = await waitState((x) => x.notices.length > before, 'a notice after "copy"', 10_000);
        const notice = after.notices[after.notices.length - 1];
        assert.match(notice, /^(Copied|Could not copy)/, `notices: ${after.notices}`);
        t.diagnostic(`copy: "${notice}"`);
      }));

    test('4. export: the curves as a CSV download and the config as TOML', { timeout: 90_000 }, (t) =>
      step(t, async () => {
        await openApp('dataset=moons&hidden=8&seed=7&max_steps=120');
        await clickTestId('play');
        const s = await waitState((x) => x.status === 'finished', 'the run to finish');
        await drv.click('[data-testid="export"] summary');
        await clickTestId('export-csv');
        const csv = (await drv.download('losslab-curves.csv')).toString('utf8').trim().split('\n');
        // Columns by name: the format documents step,run,metric,value first and may grow.
        const header = csv[0].split(',');
        assert.deepEqual(header.slice(0, 4), ['step', 'run', 'metric', 'value'], `header: ${csv[0]}`);
        const run = currentRun(s);
        const rows = csv.slice(1).map((l) => l.split(',')).filter((r) => r[1] === run.name && r[2] === 'train_loss');
        assert.equal(rows.length, run.train_loss.length, 'one CSV row per training loss point');
        rows.forEach((r, i) => {
          const [at, v] = run.train_loss[i];
          assert.equal(Number(r[0]), at);
          assert.ok(Math.abs(Number(r[3]) - v) <= 1e-6 * Math.max(1, Math.abs(v)), `step ${at}: ${r[3]} vs ${v}`);
        });
        if (!(await drv.eval(() => document.querySelector('[data-testid="export"]').open))) {
          await drv.click('[data-testid="export"] summary'); // the menu closed after the first item
        }
        await clickTestId('export-toml');
        const toml = (await drv.download('losslab-run.toml')).toString('utf8');
        assert.match(toml, /dataset = "moons"/);
        assert.match(toml, /seed = 7/);
      }));

    test('5. a CSV file trains; a broken one is named by row and column', { timeout: 90_000 }, (t) =>
      step(t, async () => {
        await openApp('');
        const good = path.join(files, 'clouds.csv');
        writeFileSync(good, cloudsCsv());
        await drv.upload('[data-testid="csv-import"]', good);
        let s = await waitState((x) => currentRun(x).config_query.includes('dataset=csv'), 'dataset=csv');
        assert.ok(s.notices.some((n) => n.includes('clouds.csv') && n.includes('200')), `notices: ${s.notices}`);
        await clickTestId('play');
        s = await waitState((x) => (currentRun(x).val_acc ?? []).some(([, a]) => a > 0.95), 'accuracy > 0.95 on the CSV');

        const broken = path.join(files, 'broken.csv');
        writeFileSync(broken, 'a,b,label\n1,2,x\n3,oops,y\n');
        await drv.upload('[data-testid="csv-import"]', broken);
        s = await waitState((x) => x.notices.some((n) => n.includes('broken.csv')), 'a notice for broken.csv');
        const notice = s.notices.find((n) => n.includes('broken.csv'));
        assert.match(notice, /row 3/);
        assert.match(notice, /"b"/);
        assert.ok(currentRun(s).config_query.includes('dataset=csv'), 'the loaded data stays');
      }));

    test('6. a widget (?embed=1) shows only its chosen controls and trains', { timeout: 60_000 }, (t) =>
      step(t, async () => {
        const s = await openApp('embed=1&controls=lr,dropout&dataset=circles&lr=0.03');
        assert.equal(s.embed, true);
        assert.equal(await drv.eval(() => document.querySelectorAll('.control').length), 2, 'only the chosen controls');
        const href = await drv.eval(() => document.querySelector('[data-testid="open-full"]').getAttribute('href'));
        assert.match(href, /dataset=circles/);
        assert.doesNotMatch(href, /embed=|controls=/);
        await clickTestId('play');
        await waitState((x) => x.step > 20, 'training in the widget');
      }));

    test('7. sandboxed widgets from another origin train; one out of view waits', { timeout: 150_000 }, (t) =>
      step(t, async () => {
        // The tutorial page from localhost, the widgets from 127.0.0.1: two origins, one server.
        const site = new URL(baseUrl());
        const host = `${site.protocol}//localhost:${site.port}${site.pathname}`;
        await drv.goto(`${host}examples/embed-demo.html#base=${encodeURIComponent(site.href)}`);
        const frameState = () => {
          const hook = window.losslab;
          const s = hook && hook.ready === true ? hook.state() : null;
          return s && { step: s.step, status: s.status, visible: s.visible, embed: s.embed, origin: window.origin, notices: s.notices };
        };
        const waitFrame = async (id, pred, what, timeoutMs = 90_000) => {
          const deadline = Date.now() + timeoutMs;
          let s = null;
          for (;;) {
            s = await drv.inFrame(`[data-testid="${id}"]`, frameState).catch(() => null);
            if (s && pred(s)) return s;
            if (Date.now() > deadline) throw new Error(`${drv.name}: timed out waiting for ${what}: ${JSON.stringify(s)}`);
            await sleep(250);
          }
        };
        const lr = await waitFrame('widget-lr', (s) => s.embed, 'the first widget ready');
        assert.equal(lr.origin, 'null', 'the widget runs sandboxed (an opaque origin)');
        // WebKit bug 316847 (WebKitGTK 2.50.6 has it): in an opaque-origin frame CSP 'self'
        // matches nothing, so the page's policy names its own site beside 'self' there
        // (scripts/postbuild.py); without that this widget would stay blank.
        const csp = await drv.inFrame('[data-testid="widget-lr"]', () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '');
        assert.ok(csp.includes(`script-src 'self' ${site.origin} `), `the widget's CSP names its site: ${csp}`);
        await waitFrame('widget-lr', (s) => s.step > 20, 'the first widget to autoplay');
        let relu = await waitFrame('widget-relu', (s) => s.embed, 'the third widget ready');
        assert.equal(relu.visible, false, 'the third widget is below the fold');
        assert.equal(relu.step, 0, 'a widget out of view does not start');
        await drv.scrollTo('[data-testid="widget-relu"]');
        relu = await waitFrame('widget-relu', (s) => s.step > 20, 'the third widget to train once in view');
        assert.equal(relu.visible, true);
        await drv.screenshot(path.join(OUT_DIR, `${slug}-widgets.png`));
      }));

    test('8. gpu.html without WebGPU: the CPU, a notice saying why, and training', { timeout: 120_000 }, (t) =>
      step(t, async () => {
        let s = await openApp('', 'gpu.html');
        const gpu = await drv.eval(() => 'gpu' in navigator);
        t.diagnostic(`navigator.gpu: ${gpu}; backend ${s.backend}; notices: ${JSON.stringify(s.notices)}`);
        if (s.backend === 'cpu') {
          assert.ok(s.notices.some((n) => /WebGPU/.test(n)), `a notice names WebGPU: ${s.notices}`);
        }
        await clickTestId('play');
        s = await waitState((x) => x.step >= 20, '20 steps on gpu.html', 90_000);
        assert.ok(currentRun(s).train_loss.every(([, v]) => Number.isFinite(v)), 'finite losses');
      }));
  });
}
