// Accessibility, checked by axe-core (tests/node_modules, pinned in package.json; evaluated as a
// string: the pages' CSP blocks an injected <script>) against WCAG 2.0/2.1 A and AA, on every
// state of the page a learner reaches: the playground after training, its dialogs and menus, the
// LR finder's result, a lesson, the Chinese page and a widget. Zero violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, byTestId, open, runToFinish, withPage as sharedWithPage } from './helpers.mjs';

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
