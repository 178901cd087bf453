// Accessibility of the layout: a 320 CSS px wide screen (WCAG 1.4.10, what 400 % zoom gives a
// 1280 px window) and 640 px (200 % zoom) without sideways scrolling of the page or a control cut
// off; targets of at least 24x24 CSS px; no text under 11 px; and with
// `prefers-reduced-motion: reduce` nothing plays or animates until the learner asks.
// (axe-core, the live region and the charts as text: a11y.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OUT_DIR, baseUrl, byTestId, open, runToFinish, state, withPage as sharedWithPage } from './helpers.mjs';

const TIMEOUT = 180_000;
const withPage = (t, opts, fn) => sharedWithPage(t, opts, fn, 'a11y-layout-');

/** A full-page screenshot in tests/out/<name>.png (the narrow page is long). */
async function fullShot(page, name) {
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(OUT_DIR, `${name}.png`), fullPage: true });
}

/** What the page has that does not fit `width`: its own sideways scroll, and each control that
 * sticks out of the window or out of an ancestor that clips it. */
async function overflow(page, width) {
  return page.evaluate((width) => {
    const out = [];
    const doc = document.scrollingElement;
    if (doc.scrollWidth > width + 1) out.push(`the page scrolls sideways: ${doc.scrollWidth} px wide`);
    const name = (el) =>
      `<${el.tagName.toLowerCase()}${el.dataset.testid ? ` data-testid=${el.dataset.testid}` : ''}> "${(el.innerText || el.value || '').trim().slice(0, 30)}"`;
    for (const el of document.querySelectorAll('button, input, select, textarea, summary, a[href], label.file-button')) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (!r.width || !r.height || style.visibility === 'hidden' || style.opacity === '0') continue;
      if (el.closest('.visually-hidden, .skip-link')) continue;
      let [lo, hi] = [0, width];
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') {
          const ar = a.getBoundingClientRect();
          [lo, hi] = [Math.max(lo, ar.left), Math.min(hi, ar.right)];
        }
      }
      if (r.left < lo - 1 || r.right > hi + 1) out.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}, visible ${Math.round(lo)}..${Math.round(hi)}`);
    }
    return out;
  }, width);
}

/** Buttons and form fields smaller than 24x24 CSS px; a checkbox (or a hidden file input)
 * counts by its label, which is what a finger or a pointer hits. */
function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('button, input, select, textarea')) {
      const style = getComputedStyle(el);
      if (!el.getBoundingClientRect().width || style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      const type = (el.getAttribute('type') || '').toLowerCase();
      const byLabel = ['checkbox', 'radio', 'file'].includes(type);
      const target = byLabel ? (el.closest('label') ?? (el.id && document.querySelector(`label[for="${el.id}"]`)) ?? el) : el;
      const r = target.getBoundingClientRect();
      if (r.width < 23.5 || r.height < 23.5) {
        out.push(`<${target.tagName.toLowerCase()}> ${el.dataset.testid ?? el.id ?? ''} "${(target.innerText || el.value || '').trim().slice(0, 30)}": ${r.width.toFixed(1)}x${r.height.toFixed(1)}`);
      }
    }
    return out;
  });
}

/** Visible text set under 11 CSS px. */
function smallText(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el || el.closest('.visually-hidden, script, style')) continue;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 11) out.push(`${size}px "${n.textContent.trim().slice(0, 40)}"`);
    }
    return out;
  });
}

/** Every check of this file on the page as it is now. */
async function assertFits(page, width, where) {
  assert.deepEqual(await overflow(page, width), [], `${where} at ${width} px: sticks out`);
  assert.deepEqual(await smallTargets(page), [], `${where} at ${width} px: targets under 24x24 px`);
  assert.deepEqual(await smallText(page), [], `${where} at ${width} px: text under 11 px`);
}

/** The playground in each state a learner reaches, checked at `width`. */
async function walkThePage(page, width) {
  await open(page, 'max_steps=200');
  await runToFinish(page);
  // A pinned run adds its legend row with Rename and Remove.
  await byTestId(page, 'pin').click();
  await byTestId(page, 'chart-table-toggle').click();
  await byTestId(page, 'chart-table').waitFor();
  await assertFits(page, width, 'the trained playground, a run pinned, the chart table open');
  await fullShot(page, `a11y-${width}px`);
  await byTestId(page, 'share').click();
  await byTestId(page, 'share-dialog').waitFor();
  await assertFits(page, width, 'the share dialog');
  if (width === 320) await fullShot(page, 'a11y-320px-share');
  await byTestId(page, 'share').click();
  await page.locator('[data-testid="export"] summary').click();
  await assertFits(page, width, 'the export menu');
  await open(page, 'lesson=overfitting');
  await byTestId(page, 'lesson').waitFor();
  await assertFits(page, width, 'a lesson');
  // Ten classes: the confusion matrix is wider than a phone.
  await open(page, 'dataset=digits&max_steps=60');
  await runToFinish(page);
  await byTestId(page, 'confusion').waitFor({ timeout: 30_000 });
  await assertFits(page, width, 'the digits with their confusion matrix');
  await open(page, 'lang=zh');
  await assertFits(page, width, 'the Chinese page');
  if (width === 320) await fullShot(page, 'a11y-320px-zh');
  await open(page, 'embed=1&controls=lr,dropout&explain=1');
  await byTestId(page, 'embed').waitFor();
  await assertFits(page, width, 'a widget');
}

test('320 CSS px wide (400 % zoom): no sideways scrolling, nothing cut off, targets ≥ 24 px, text ≥ 11 px', { timeout: TIMEOUT }, (t) =>
  withPage(t, { viewport: { width: 320, height: 640 } }, ({ page }) => walkThePage(page, 320)));

test('640 CSS px wide (200 % zoom of a 1280 px window): the same', { timeout: TIMEOUT }, (t) =>
  withPage(t, { viewport: { width: 640, height: 400 } }, ({ page }) => walkThePage(page, 640)));

test('1280 CSS px wide: targets ≥ 24 px and text ≥ 11 px', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, ({ page }) => walkThePage(page, 1280)));

/** Whether anything on the page animates or transitions. */
const moving = (page) =>
  page.evaluate(() => {
    const out = document.getAnimations().map((a) => `animation ${a.animationName ?? a.id ?? ''}`);
    for (const el of document.querySelectorAll('*')) {
      const s = getComputedStyle(el);
      if (s.transitionDuration.split(',').some((d) => parseFloat(d) > 0)) out.push(`transition on <${el.tagName.toLowerCase()} class=${el.className}>`);
      if (s.animationName !== 'none') out.push(`animation on <${el.tagName.toLowerCase()} class=${el.className}>`);
    }
    return out;
  });

test('reduced motion: a widget with autoplay=1 waits for Play, the demo tutorial too; nothing animates', { timeout: TIMEOUT }, async (t) => {
  const WIDGET = 'embed=1&autoplay=1&controls=lr&max_steps=300';
  // Without the preference the widget starts by itself (the check below means something).
  await withPage(t, {}, async ({ page }) => {
    await open(page, WIDGET);
    await page.waitForFunction(() => window.losslab.state().step > 0, null, { timeout: 30_000 });
  });
  await withPage(t, { reducedMotion: 'reduce' }, async ({ page }) => {
    await open(page, WIDGET);
    assert.equal(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), true);
    await sleep(3000);
    let s = await state(page);
    assert.equal(s.step, 0, 'the widget did not start by itself');
    assert.equal(s.status, 'idle');
    assert.deepEqual(await moving(page), []);
    // The learner's Play starts it.
    await byTestId(page, 'play').click();
    await page.waitForFunction(() => window.losslab.state().step > 0, null, { timeout: 30_000 });

    // The playground starts nothing by itself either.
    await open(page, 'max_steps=300');
    await sleep(2000);
    s = await state(page);
    assert.equal(s.step, 0);
    assert.deepEqual(await moving(page), []);

    // The tutorial's widgets (autoplay=1 in sandboxed frames) wait for their Play.
    await page.goto(`${baseUrl()}examples/embed-demo.html`);
    const frame = await (await byTestId(page, 'widget-lr').elementHandle()).contentFrame();
    await frame.waitForFunction(() => window.losslab?.ready === true, null, { timeout: 60_000 });
    await sleep(3000);
    const w = await frame.evaluate(() => JSON.parse(JSON.stringify(window.losslab.state())));
    assert.equal(w.visible, true, 'the first widget is in view');
    assert.equal(w.step, 0, 'a widget in view waits for Play under reduced motion');
  });
});
