// LossLab's playground in headless Chromium: loading, training, keyboard shortcuts, a bug knob
// that must hurt, pinning a run, URL reproducibility, garbage URLs, the explanation panel,
// screenshots, and the WebGPU backend (SwiftShader) next to the CPU fallback.
//
// Run through tests/run.sh (it builds and serves the site and sets LOSSLAB_URL).
// LOSSLAB_SKIP_WEBGPU=1 skips the WebGPU suite.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  gpuPage,
  byTestId,
  canvasIsBlank,
  consoleErrors,
  controlInfo,
  currentRun,
  errorReport,
  i18n,
  open,
  pause,
  play,
  runToFinish,
  screenshot,
  setControl,
  state,
  summary,
  values,
  waitForState,
  waitForStatus,
  waitForStep,
  withPage as sharedWithPage,
} from './helpers.mjs';

const CPU_TIMEOUT = 60_000;
const WEBGPU_TIMEOUT = 180_000;

const withPage = (t, opts, fn) => sharedWithPage(t, opts, fn, '');

/** Text of `[data-testid=testid]`: rendered (innerText) and raw (textContent), normalised. */
async function texts(page, testid) {
  const el = byTestId(page, testid);
  const [inner, raw] = await Promise.all([
    el.innerText({ timeout: 10_000 }),
    el.evaluate((n) => n.textContent ?? ''),
  ]);
  const norm = (s) => s.replace(/\s+/g, ' ').trim();
  return { inner: norm(inner), raw: norm(raw) };
}

function containsText({ inner, raw }, needle, { ci = false } = {}) {
  const n = needle.replace(/\s+/g, ' ').trim();
  const f = ci ? (s) => s.toLowerCase() : (s) => s;
  return f(inner).includes(f(n)) || f(raw).includes(f(n));
}

function mean(xs) {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Mean of the last `n` train losses of the current run. */
function finalLoss(s, n = 50) {
  const v = values(currentRun(s)?.train_loss);
  assert.ok(v.length > 0, `the current run has no train_loss points\nstate: ${summary(s)}`);
  const tail = v.slice(-n);
  assert.ok(tail.every(Number.isFinite), `non-finite train losses: ${JSON.stringify(tail)}`);
  return mean(tail);
}

/** Polls until the canvas has drawn something (charts may redraw on the next frame). */
async function waitCanvasDrawn(page, testid, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (await canvasIsBlank(page, testid)) {
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
  return true;
}

/** Test 1: loads cleanly and picks the expected backend. */
async function loadsCleanly(t, webgpu) {
  await withPage(t, { webgpu }, async ({ page }) => {
    await open(page, '', webgpu ? { timeoutMs: 150_000, base: gpuPage() } : {});
    await sleep(1_000); // let late async errors (backend probing, first render) arrive
    const s = await state(page);
    const badge = await texts(page, 'backend');
    const [wantBadge, wantBackend] = webgpu ? ['WebGPU', 'webgpu'] : ['CPU', 'cpu'];
    assert.equal(s.backend, wantBackend, `state().backend\nstate: ${summary(s)}`);
    assert.ok(
      containsText(badge, wantBadge),
      `the backend badge should say "${wantBadge}", it says "${badge.inner}"`,
    );
    assert.ok(!webgpu || !containsText(badge, 'CPU'), `the WebGPU badge also says CPU: "${badge.inner}"`);
    assert.deepEqual(consoleErrors(page), [], `console errors:\n${errorReport(page)}`);
    assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
    assert.deepEqual(page.externalRequests, [], 'the page tried to reach the internet');
  });
}

/** A value for a control different from its current one (for "change the control"). */
function differentValue(info) {
  if (info.tag === 'select') {
    const other = info.options.find((o) => o !== info.value);
    assert.ok(other !== undefined, `the select has no other option: ${JSON.stringify(info)}`);
    return other;
  }
  if (info.type === 'range') {
    const min = Number(info.min || 0);
    const max = Number(info.max || 100);
    const cur = Number(info.value);
    // The middle of the far half: away from the current position, never an extreme.
    return String(cur > (min + max) / 2 ? min + (max - min) / 4 : min + (3 * (max - min)) / 4);
  }
  return info.value === '0.03' ? '0.1' : '0.03';
}

describe('LossLab playground, CPU backend (no WebGPU adapter)', () => {
  test('1. loads with no errors and falls back to the CPU backend', { timeout: 120_000 }, (t) =>
    loadsCleanly(t, false),
  );

  test('2. play trains, draws the loss chart, and pause stops it', { timeout: 2 * CPU_TIMEOUT }, (t) =>
    withPage(t, {}, async ({ page }) => {
      await open(page);
      const before = await state(page);
      assert.equal(before.step, 0, `a fresh page starts at step 0\nstate: ${summary(before)}`);

      await play(page);
      const early = await waitForStep(page, 5, CPU_TIMEOUT);
      const earlyLoss = JSON.stringify(currentRun(early)?.train_loss ?? []);
      const s = await waitForStep(page, Math.max(51, early.step + 20), CPU_TIMEOUT);
      assert.equal(s.status, 'running', `status while training\nstate: ${summary(s)}`);
      const loss = values(currentRun(s)?.train_loss);
      assert.ok(loss.length > 0, `train_loss is empty after ${s.step} steps\nstate: ${summary(s)}`);
      assert.ok(
        JSON.stringify(currentRun(s).train_loss) !== earlyLoss,
        `train_loss did not change between step ${early.step} and step ${s.step} (${values(currentRun(s).train_loss).length} points)`,
      );
      assert.ok(loss.every(Number.isFinite), `non-finite train losses: ${JSON.stringify(loss.slice(-5))}`);
      assert.ok(await waitCanvasDrawn(page, 'chart-loss'), 'the loss chart [data-testid=chart-loss] is blank');

      await pause(page);
      const p1 = await state(page);
      await sleep(300);
      const p2 = await state(page);
      await sleep(300);
      const p3 = await state(page);
      assert.equal(p3.status, 'paused', `status after pause\nstate: ${summary(p3)}`);
      assert.ok(
        p1.step === p2.step && p2.step === p3.step,
        `the step kept rising after pause: ${p1.step} → ${p2.step} → ${p3.step}`,
      );
    }),
  );

  test('3. keyboard: Space toggles play, "s" steps once, "r" resets', { timeout: 2 * CPU_TIMEOUT }, (t) =>
    withPage(t, {}, async ({ page }) => {
      await open(page);
      await page.keyboard.press('Space');
      await waitForStatus(page, 'running', 10_000);
      await waitForStep(page, 3, CPU_TIMEOUT);
      await page.keyboard.press('Space');
      const paused = await waitForStatus(page, 'paused', 10_000);
      await sleep(300);
      const s0 = (await state(page)).step;
      assert.equal(s0, paused.step, `the step moved after Space paused: ${paused.step} → ${s0}`);

      await page.keyboard.press('s');
      await waitForState(page, (s) => s.step !== s0, { timeoutMs: 20_000, what: `a step after "s" (from ${s0})` });
      await sleep(500);
      const s1 = await state(page);
      assert.equal(s1.step, s0 + 1, `"s" should advance exactly one step: ${s0} → ${s1.step}`);
      assert.notEqual(s1.status, 'running', `"s" should not start playing\nstate: ${summary(s1)}`);

      await page.keyboard.press('r');
      const r = await waitForState(page, (s) => s.step === 0, { timeoutMs: 10_000, what: 'step 0 after "r"' });
      assert.notEqual(r.status, 'running', `"r" should not start playing\nstate: ${summary(r)}`);
    }),
  );

  test('4. relu_before_softmax ends clearly worse than the correct network', { timeout: 330_000 }, (t) =>
    withPage(t, {}, async ({ page }) => {
      const base = 'dataset=spiral&classes=3&samples=600&hidden=32,32&max_steps=600';

      await open(page, base);
      const good = await runToFinish(page, 150_000);
      assert.equal(good.step, 600, `the run should stop at max_steps=600\nstate: ${summary(good)}`);
      const goodLoss = finalLoss(good);

      await open(page, `${base}&relu_before_softmax=1`);
      const pre = await state(page);
      assert.equal(pre.step, 0, `the bugged run should start fresh\nstate: ${summary(pre)}`);
      const bad = await runToFinish(page, 150_000);
      assert.equal(bad.step, 600, `the bugged run should stop at max_steps=600\nstate: ${summary(bad)}`);
      const badLoss = finalLoss(bad);

      t.diagnostic(`final train loss (mean of last 50): correct ${goodLoss.toFixed(4)}, relu_before_softmax ${badLoss.toFixed(4)}`);
      assert.ok(
        badLoss > 1.5 * goodLoss,
        `relu_before_softmax should end > 1.5× worse: ${badLoss.toFixed(4)} vs ${goodLoss.toFixed(4)}`,
      );
    }),
  );

  test('5. pin a run, change dropout, and compare both in the legend', { timeout: 2 * CPU_TIMEOUT }, (t) =>
    withPage(t, {}, async ({ page }) => {
      await open(page);
      await play(page);
      await waitForStep(page, 100, CPU_TIMEOUT);
      await pause(page);

      await byTestId(page, 'pin').click();
      const pinned = await waitForState(page, (s) => s.runs.some((r) => r.pinned), {
        timeoutMs: 10_000,
        what: 'a pinned run after clicking pin',
      });
      const pinnedCount = values(pinned.runs.find((r) => r.pinned).train_loss).length;

      const info = await controlInfo(page, 'dropout');
      assert.equal(Number(info.value), 0, `dropout should start at 0: ${JSON.stringify(info)}`);
      const set = await setControl(page, 'dropout', 0.5);
      assert.equal(Number(set), 0.5, `the dropout control holds ${set} after setting 0.5`);

      await play(page);
      const s = await waitForState(
        page,
        (x) => x.runs.length === 2 && !currentRun(x).pinned && values(currentRun(x).train_loss).length > 0 && x.step >= 20,
        { timeoutMs: CPU_TIMEOUT, what: 'the new run training next to the pinned one' },
      );
      assert.equal(s.runs.length, 2, `two runs\nstate: ${summary(s)}`);
      assert.equal(s.runs.filter((r) => r.pinned).length, 1, `one pinned run\nstate: ${summary(s)}`);
      assert.equal(currentRun(s).pinned, false, 'the current (last) run is not pinned');
      const pinnedRun = s.runs.find((r) => r.pinned);
      assert.ok(
        values(pinnedRun.train_loss).length >= pinnedCount && pinnedCount > 0,
        `the pinned run should keep its curve (${pinnedCount} points when pinned)\nstate: ${summary(s)}`,
      );
      if (currentRun(s).config_query !== undefined) {
        assert.match(currentRun(s).config_query, /(^|&)dropout=0\.5(&|$)/, 'the new run has dropout=0.5');
      }

      const legend = await texts(page, 'legend');
      for (const r of s.runs) {
        assert.ok(r.name && containsText(legend, r.name), `the legend lacks run "${r.name}": "${legend.inner}"`);
      }
      if (s.runs[0].name === s.runs[1].name) {
        const n = legend.inner.split(s.runs[0].name).length - 1;
        assert.ok(n >= 2, `both runs are named "${s.runs[0].name}" but the legend shows it ${n}×`);
      }
      assert.ok(containsText(legend, 'dropout 0 → 0.5'), `the legend should say "dropout 0 → 0.5": "${legend.inner}"`);
    }),
  );

  test('6. a URL reproduces its run exactly', { timeout: 3 * CPU_TIMEOUT }, async (t) => {
    const query = 'seed=7&lr=0.03&hidden=8,8&max_steps=50';
    const losses = [];
    for (let i = 0; i < 2; i++) {
      // A fresh browser (and profile) each time: nothing but the URL is shared.
      await withPage(t, {}, async ({ page }) => {
        await open(page, query);
        const s = await runToFinish(page, CPU_TIMEOUT);
        assert.equal(s.step, 50, `the run should stop at max_steps=50\nstate: ${summary(s)}`);
        const run = currentRun(s);
        assert.equal(Number(run.seed), 7, `the run's seed\nstate: ${summary(s)}`);
        const first = run.train_loss.slice(0, 50);
        assert.ok(first.length > 0, `no train_loss points\nstate: ${summary(s)}`);
        assert.ok(values(first).every(Number.isFinite), `non-finite losses: ${JSON.stringify(first.slice(0, 5))}`);
        losses.push(first);
      });
    }
    assert.deepEqual(losses[1], losses[0], 'the same URL gave different train losses');
  });

  test('7. a garbage URL gives notices, not a crash', { timeout: 2 * CPU_TIMEOUT }, (t) =>
    withPage(t, {}, async ({ page }) => {
      await open(page, '?lr=banana&hidden=-3&zzz=1&dropout=NaN&%ZZ');
      const notices = byTestId(page, 'notices');
      await notices.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
      assert.ok(await notices.isVisible(), '[data-testid=notices] is not visible');
      // On the first screen, without scrolling (1280x800).
      const box = await notices.boundingBox();
      assert.ok(box && box.y + 40 < 800, `the notices start at y=${box?.y}, below the first screen`);
      const text = await texts(page, 'notices');
      for (const key of ['lr', 'hidden', 'zzz']) {
        assert.ok(containsText(text, key), `the notices do not mention "${key}": "${text.inner}"`);
      }
      const s0 = await state(page);
      assert.ok(Array.isArray(s0.notices) && s0.notices.length > 0, `state().notices is empty\nstate: ${summary(s0)}`);

      await play(page);
      const s = await waitForStep(page, 21, CPU_TIMEOUT);
      assert.ok(s.step > 20, `step ${s.step}`);
      assert.ok(values(currentRun(s).train_loss).every(Number.isFinite), 'non-finite losses with the defaults');
      assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
    }),
  );

  test('8. changing lr explains the lr knob', { timeout: CPU_TIMEOUT }, (t) => {
    const label = i18n('en', 'knobs.lr', 'label');
    return withPage(t, {}, async ({ page }) => {
      await open(page);
      const info = await controlInfo(page, 'lr');
      const want = differentValue(info);
      const got = await setControl(page, 'lr', want);
      assert.notEqual(got, info.value, `the lr control did not change (${info.value} → ${got})`);
      const panel = byTestId(page, 'explanation');
      const deadline = Date.now() + 10_000;
      let text = { inner: '', raw: '' };
      while (Date.now() < deadline) {
        if ((await panel.count()) > 0) {
          text = await texts(page, 'explanation');
          if (containsText(text, label, { ci: true })) break;
        }
        await sleep(200);
      }
      assert.ok(
        containsText(text, label, { ci: true }),
        `[data-testid=explanation] should show the lr label "${label}", it shows: "${text.inner}"`,
      );
    });
  });

  test('14. the charts say which line is training and which validation (drawn, and for screen readers)', { timeout: CPU_TIMEOUT }, (t) =>
    withPage(t, {}, async ({ page }) => {
      await open(page, 'max_steps=300');
      await runToFinish(page, CPU_TIMEOUT / 2);
      for (const id of ['chart-loss', 'chart-accuracy']) {
        const chart = byTestId(page, id);
        assert.equal(await chart.getAttribute('role'), 'img');
        assert.match(await chart.getAttribute('aria-label'), /solid lines are training, dashed lines validation/, id);
      }
      assert.doesNotMatch(await byTestId(page, 'chart-lr').getAttribute('aria-label'), /validation/);
      // The line legend is drawn in the chart, so the exported PNG carries it: its box sits in
      // the upper right of the loss chart, where an unlabelled chart is white.
      const legendInk = await page.evaluate(() => {
        const c = document.querySelector('[data-testid="chart-loss"]');
        const { data } = c.getContext('2d').getImageData(c.width - 140, 28, 120, 50);
        let ink = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 1] < 128 && data[i + 2] < 128) ink++;
        return ink;
      });
      assert.ok(legendInk > 40, `dark legend text and samples in the loss chart's corner: ${legendInk} px`);
      await screenshot(page, 'line-legend');
      await open(page, 'lang=zh&max_steps=50');
      assert.match(await byTestId(page, 'chart-loss').getAttribute('aria-label'), /实线为训练，虚线为验证/);
    }),
  );

  test('10. screenshots: trained (1280x800) and phone (390x844)', { timeout: 2 * CPU_TIMEOUT }, (t) =>
    withPage(t, { viewport: { width: 1280, height: 800 } }, async ({ page }) => {
      await open(page);
      await play(page);
      await waitForStep(page, 300, CPU_TIMEOUT);
      await pause(page);
      await sleep(300); // the charts' last frame
      const trained = await screenshot(page, 'trained');
      t.diagnostic(`saved ${trained}`);

      await page.setViewportSize({ width: 390, height: 844 });
      await sleep(500);
      const phone = await screenshot(page, 'phone');
      t.diagnostic(`saved ${phone}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) t.diagnostic(`warning: the page is ${overflow}px wider than the 390px phone viewport`);
      assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
    }),
  );
});

describe('LossLab playground, WebGPU backend (SwiftShader)', { skip: process.env.LOSSLAB_SKIP_WEBGPU === '1' }, () => {
  test('1. loads with no errors on the WebGPU backend', { timeout: WEBGPU_TIMEOUT }, (t) => loadsCleanly(t, true));

  test('9. "s" three times gives step 3 with finite losses on WebGPU', { timeout: WEBGPU_TIMEOUT }, (t) =>
    withPage(t, { webgpu: true }, async ({ page }) => {
      await open(page, '', { timeoutMs: 150_000, base: gpuPage() });
      const s0 = await state(page);
      assert.equal(s0.backend, 'webgpu', `state().backend\nstate: ${summary(s0)}`);
      assert.equal(s0.step, 0, `a fresh page starts at step 0\nstate: ${summary(s0)}`);
      const deadline = Date.now() + 150_000;
      for (let i = 1; i <= 3; i++) {
        await page.keyboard.press('s');
        // SwiftShader is slow (seconds per step, more for the first: shader compilation).
        await waitForState(page, (s) => s.step >= i, {
          timeoutMs: Math.max(1_000, deadline - Date.now()),
          what: `step ${i} after pressing "s" ${i}×`,
          failIf: (s) => (s.status === 'diverged' ? 'the run diverged' : null),
        });
      }
      await sleep(1_000);
      const s = await state(page);
      assert.equal(s.step, 3, `three "s" presses should give step 3\nstate: ${summary(s)}`);
      assert.equal(s.backend, 'webgpu', 'still on WebGPU after stepping');
      const loss = values(currentRun(s)?.train_loss);
      assert.ok(loss.length > 0, `no train losses after 3 steps\nstate: ${summary(s)}`);
      assert.ok(loss.every(Number.isFinite), `non-finite WebGPU losses: ${JSON.stringify(loss)}`);
      assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
    }),
  );

  test('12. playing on the fused WebGPU path trains many steps per read-back', { timeout: WEBGPU_TIMEOUT }, (t) =>
    withPage(t, { webgpu: true }, async ({ page }) => {
      await open(page, '', { timeoutMs: 150_000, base: gpuPage() });
      await byTestId(page, 'play').click();
      // The first chunks compile the kernels (seconds on SwiftShader), then chunks grow: the main
      // thread is free while the GPU works, so one chunk may span frames.
      const s = await waitForState(page, (x) => x.step >= 300 && x.fused !== false, { timeoutMs: 150_000, what: '300 WebGPU steps' });
      const big = await waitForState(page, (x) => x.chunk > 4, { timeoutMs: 30_000, what: 'chunks of more than 4 steps' });
      assert.equal(big.backend, 'webgpu');
      assert.ok(values(currentRun(s).train_loss).every(Number.isFinite), 'non-finite losses');
      assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
    }),
  );

  test('13. pausing while a WebGPU chunk is in flight shows the paused run, never a reset one', { timeout: WEBGPU_TIMEOUT }, (t) =>
    withPage(t, { webgpu: true }, async ({ page }) => {
      await open(page, '', { timeoutMs: 150_000, base: gpuPage() });
      await byTestId(page, 'play').click();
      await waitForState(page, (x) => x.step >= 300 && x.chunk > 4, { timeoutMs: 150_000, what: '300 WebGPU steps in long chunks' });
      let inFlight = 0;
      for (let i = 0; i < 4; i++) {
        const before = await state(page);
        // Pause, and read what the page shows at once (the chunk is often still on the GPU).
        const seen = await page.evaluate(() => {
          document.querySelector('[data-testid="play"]').click();
          const s = window.losslab.state();
          return { s, status: document.querySelector('[data-testid="status"]').textContent };
        });
        inFlight += seen.s.fused === null ? 1 : 0;
        assert.equal(seen.s.status, 'paused', `pause ${i + 1}: status ${seen.s.status} at step ${seen.s.step}`);
        assert.ok(seen.s.step >= before.step && seen.s.step > 0, `pause ${i + 1}: step ${before.step} -> ${seen.s.step}`);
        assert.doesNotMatch(seen.status, /ready/i, `pause ${i + 1}: the status reads "${seen.status}"`);
        const after = await waitForState(page, (x) => x.fused !== null, { what: 'the chunk landing' });
        assert.equal(after.status, 'paused');
        assert.ok(after.step >= seen.s.step, `the landed chunk keeps counting: ${seen.s.step} -> ${after.step}`);
        await byTestId(page, 'play').click();
        await sleep(400);
      }
      t.diagnostic(`${inFlight} of 4 pauses landed while a chunk was in flight`);
      assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
    }),
  );

  // The default network takes the fused WebGPU path (one shader per chunk); with dropout it is
  // burn's WebGPU kernels: device loss must be survived on both.
  for (const [query, fused] of [['', true], ['dropout=0.1', false]]) {
    const path = fused ? 'fused path' : "burn's path";
    test(`11. a lost WebGPU device falls back to the CPU and keeps the curves (${path})`, { timeout: WEBGPU_TIMEOUT }, (t) =>
      withPage(t, { webgpu: true }, async ({ page }) => {
        // Keep a handle on every GPUDevice the page creates, so the test can destroy it
        // (what a driver reset or a lost GPU does to a real page).
        await page.addInitScript(() => {
          const orig = GPUAdapter.prototype.requestDevice;
          GPUAdapter.prototype.requestDevice = async function (...args) {
            const device = await orig.apply(this, args);
            (window.__gpuDevices ??= []).push(device);
            return device;
          };
        });
        await open(page, query, { timeoutMs: 150_000, base: gpuPage() });
        assert.equal((await state(page)).backend, 'webgpu');
        for (let i = 1; i <= 2; i++) {
          await page.keyboard.press('s');
          await waitForState(page, (s) => s.step >= i, { timeoutMs: 120_000, what: `WebGPU step ${i}` });
        }
        const s0 = await waitForState(page, (s) => s.fused !== null, { what: 'the session back from its chunk' });
        assert.equal(s0.fused, fused, `the run takes the ${path}`);
        const before = values(currentRun(s0).train_loss);
        const n = await page.evaluate(() => (window.__gpuDevices ?? []).map((d) => d.destroy()).length);
        assert.ok(n >= 1, 'the page created a GPUDevice');
        await page.keyboard.press('s');
        const s = await waitForState(page, (x) => x.backend === 'cpu' && x.runs.some((r) => r.pinned), {
          timeoutMs: 120_000,
          what: 'the CPU fallback with the WebGPU run pinned',
        });
        const pinned = s.runs.find((r) => r.pinned);
        assert.deepEqual(values(pinned.train_loss).slice(0, before.length), before, 'the WebGPU curve is kept');
        assert.ok(s.notices.some((x) => /lost|CPU/i.test(x)), `notices: ${s.notices}`);
        await byTestId(page, 'play').click();
        await waitForState(page, (x) => x.step > 50, { timeoutMs: 60_000, what: 'training on the CPU' });
        assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
      }),
    );
  }
});
