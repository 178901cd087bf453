// Accessibility, checked by axe-core (tests/node_modules, pinned in package.json; evaluated as a
// string: the pages' CSP blocks an injected <script>) against WCAG 2.0/2.1 A and AA, on every
// state of the page a learner reaches: the playground after training, its dialogs and menus, the
// LR finder's result, a lesson, the Chinese page and a widget. Zero violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, byTestId, open, runToFinish, waitForState, withPage as sharedWithPage } from './helpers.mjs';

const AXE = readFileSync(path.join(ROOT, 'tests', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const withPage = (t, fn) => sharedWithPage(t, {}, fn, 'a11y-');

/** The WCAG violations axe finds on the page as it is now, one line each. */
async function violations(page) {
  await page.evaluate(AXE);
  const r = await page.evaluate(async (tags) => {
    const { violations, passes } = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return { violations, passes: passes.length };
  }, TAGS);
  // The check must have run rules: a page axe could not read would pass with nothing found.
  assert.ok(r.passes > 10, `axe ran only ${r.passes} passing rules`);
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function assertClean(page, where) {
  const found = await violations(page);
  assert.deepEqual(found, [], `${where}: WCAG violations`);
}

test('the playground, its dialogs and the LR finder pass axe (WCAG 2.1 AA)', { timeout: 180_000 }, (t) =>
  withPage(t, async ({ page }) => {
    await open(page, 'max_steps=200');
    await runToFinish(page);
    await assertClean(page, 'after training');
    await byTestId(page, 'share').click();
    await byTestId(page, 'share-dialog').waitFor();
    await assertClean(page, 'share dialog open');
    await byTestId(page, 'share').click();
    await page.locator('[data-testid="export"] summary').click();
    await assertClean(page, 'export menu open');
    await byTestId(page, 'lr-finder').click();
    await byTestId(page, 'lr-finder-result').waitFor({ timeout: 30_000 });
    await assertClean(page, 'LR finder result');
  }));

test('a lesson, the Chinese page and a widget pass axe (WCAG 2.1 AA)', { timeout: 180_000 }, (t) =>
  withPage(t, async ({ page }) => {
    await open(page, 'lesson=healthy');
    await byTestId(page, 'lesson').waitFor();
    await assertClean(page, 'lesson');
    await open(page, 'lang=zh');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await assertClean(page, '简体中文');
    await open(page, 'embed=1&controls=lr,dropout&explain=1');
    await byTestId(page, 'embed').waitFor();
    await assertClean(page, 'widget');
  }));

/** Presses Tab until the focused element is `[data-testid=testid]` (or `selector`); fails after `max`. */
async function tabTo(page, { testid, selector, max = 200 }) {
  const sel = selector ?? `[data-testid="${testid}"]`;
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, sel)) return i;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${sel} not reached in ${max} presses of Tab`);
}

test('keyboard alone: skip link, a lesson opened, run, its "try this" pressed, a finding read; Escape closes dialogs', { timeout: 180_000 }, (t) =>
  withPage(t, async ({ page }) => {
    await open(page, '');
    // The first Tab stop is the skip link, shown when focused; it moves focus to the charts.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'skip-to-charts');
    assert.ok((await byTestId(page, 'skip-to-charts').boundingBox()).x >= 0, 'the focused skip link is on screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'charts');
    assert.doesNotMatch(page.url(), /#/, 'the address (the run) is untouched');

    // Share: Enter opens it with focus inside, Escape closes it and focus comes back.
    await tabTo(page, { testid: 'share' });
    await page.keyboard.press('Enter');
    await byTestId(page, 'share-dialog').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share-link');
    await page.keyboard.press('Escape');
    await byTestId(page, 'share-dialog').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share');

    // The lesson picker: Space opens it, the arrow key and Enter choose the first lesson.
    await waitForState(page, (x) => x.lessons.length > 0, { what: 'the lessons loaded' });
    await tabTo(page, { testid: 'lesson-picker' });
    for (const key of ['Space', 'ArrowDown', 'Enter']) await page.keyboard.press(key);
    let s = await waitForState(page, (x) => x.lesson === 'healthy', { what: 'the first lesson open' });
    // Play with Enter on the focused button; Space on a button presses it too.
    await tabTo(page, { testid: 'play' });
    await page.keyboard.press('Enter');
    s = await waitForState(page, (x) => x.status === 'finished', { what: 'the preset run finished', timeoutMs: 90_000 });
    await tabTo(page, { testid: 'try-1' });
    await page.keyboard.press('Space');
    s = await waitForState(page, (x) => x.status === 'finished' && x.findings.length > 0 && x.runs.some((r) => r.pinned), {
      what: 'the "try this" run finished and diagnosed',
      timeoutMs: 90_000,
    });
    await tabTo(page, { selector: '[data-testid="finding"] summary' });
    await page.keyboard.press('Enter');
    const text = await page.evaluate(() => document.activeElement.closest('details').open && document.activeElement.closest('details').innerText);
    assert.ok(text && text.length > 40, `the finding opened and reads: ${text}`);

    // The export menu: Enter opens it, Escape closes it with focus on its summary.
    await tabTo(page, { selector: '[data-testid="export"] summary' });
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid="export"]').open), true);
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid="export"]').open), false);
    assert.ok(await page.evaluate(() => document.activeElement.matches('[data-testid="export"] summary')));
    // Every focusable control shows a visible focus indicator (an outline), not the default
    // that vanishes on these colours.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid');
    await assertClean(page, 'after the keyboard walk');
  }));
