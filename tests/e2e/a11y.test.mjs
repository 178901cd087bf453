// Accessibility, checked by axe-core (tests/node_modules, pinned in package.json; evaluated as a
// string: the pages' CSP blocks an injected <script>) against WCAG 2.0/2.1 A and AA, on every
// state of the page a learner reaches: the playground after training, its dialogs and menus, the
// LR finder's result, a lesson, the Chinese page and a widget. Zero violations. Then what a
// screen reader gets beyond the markup: the live region's announcements, the charts as text,
// the page's language, and no English left on the Chinese page. (Layout, target sizes and
// motion: a11y-layout.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ROOT,
  byTestId,
  currentRun,
  i18n,
  open,
  play,
  pause,
  runToFinish,
  screenshot,
  setControl,
  state,
  values,
  waitForState,
  withPage as sharedWithPage,
} from './helpers.mjs';

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
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans');
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

/** Starts recording every text the live region takes (in `window.__said`). */
async function recordAnnouncements(page) {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="announcer"]');
    window.__said = [];
    new MutationObserver(() => {
      const text = el.textContent.trim();
      if (text && text !== window.__said.at(-1)) window.__said.push(text);
    }).observe(el, { childList: true, characterData: true, subtree: true });
  });
}
const said = (page) => page.evaluate(() => window.__said);
/** `[status] <text>` in the page's English, as the live region says it. */
const spoken = (key, args = {}) => i18n('en', 'ui', 'announce_status').replace('{status}', fill(i18n('en', 'status', key), args));
const fill = (text, args) => Object.entries(args).reduce((t, [k, v]) => t.replaceAll(`{${k}}`, String(v)), text);

test('a polite live region announces the run status when it changes, not every step', { timeout: 180_000 }, (t) =>
  withPage(t, async ({ page }) => {
    await open(page, 'max_steps=600');
    // Changes within GATHER_MS (actions/announce.rs) are spoken once, as they end up: each state
    // below lasts longer than that.
    const region = byTestId(page, 'announcer');
    assert.equal(await region.getAttribute('aria-live'), 'polite');
    assert.equal(await region.getAttribute('role'), 'status');
    // The findings panel re-renders as it updates: it must not be a live region of its own.
    assert.equal(await byTestId(page, 'findings').getAttribute('aria-live'), null);
    await recordAnnouncements(page);
    await sleep(1500);
    assert.equal((await region.textContent()).trim(), '', 'the page opening is not announced');
    // One step per frame: the step counter changes every frame, the status only on Play/Pause.
    await setControl(page, 'speed', 1);
    await play(page);
    await waitForState(page, (s) => s.step >= 60, { what: '60 steps' });
    await pause(page);
    await page.waitForFunction(() => window.__said.length >= 2, null, { timeout: 5000 });
    await play(page);
    await page.waitForFunction(() => window.__said.length >= 3, null, { timeout: 5000 });
    await setControl(page, 'speed', 5);
    await waitForState(page, (x) => x.status === 'finished', { what: 'the run finished' });
    await page.waitForFunction(() => window.__said.length >= 4, null, { timeout: 5000 });
    await sleep(1500);
    const s = await state(page);
    assert.equal(s.step, 600);
    // Findings a healthy run may get are spoken as their own sentences; the statuses are these.
    const finding = i18n('en', 'ui', 'announce_finding').split('{title}')[0];
    const statuses = (await said(page)).map((x) => x.split(finding)[0].trim()).filter(Boolean);
    assert.deepEqual(statuses, [spoken('running'), spoken('paused'), spoken('running'), spoken('finished', { step: 600 })]);
  }));

test('a new finding and a diverged run are announced once each', { timeout: 180_000 }, (t) =>
  withPage(t, async ({ page }) => {
    // The lesson's preset (SGD at learning rate 3) diverges after about a hundred steps.
    await open(page, 'lesson=learning-rate');
    await recordAnnouncements(page);
    await byTestId(page, 'play').click();
    const s = await waitForState(page, (x) => x.status === 'diverged' && x.findings.some((f) => f.symptom === 'diverged'), {
      what: 'the run diverged and diagnosed',
      timeoutMs: 90_000,
    });
    await sleep(1500);
    const all = (await said(page)).join(' ');
    const title = i18n('en', 'curves.diverged', 'title');
    const news = i18n('en', 'ui', 'announce_finding').replace('{title}', title);
    // The engine's status names the step where the loss became NaN.
    const step = currentRun(s).status.step;
    assert.ok(all.includes(spoken('diverged', { step })), `the divergence is announced: ${all}`);
    assert.equal(all.split(news).length - 1, 1, `the finding is announced once: ${all}`);
  }));

test('the charts as text: a summary per chart and a table of the current run', { timeout: 180_000 }, (t) =>
  withPage(t, async ({ page }) => {
    await open(page, 'max_steps=300');
    await runToFinish(page);
    const run = currentRun(await state(page));
    const [step, val] = run.val_loss.at(-1);
    const [, valAcc] = run.val_acc.at(-1);
    const lowest = Math.min(...values(run.val_loss));
    // The text follows the charts at most every two seconds, the last change included.
    await page.waitForFunction(() => document.querySelector('[data-testid="chart-summaries"]')?.innerText.includes('300'), null, { timeout: 5000 });
    const lines = await page.$$eval('[data-testid="chart-summaries"] li', (els) => els.map((e) => e.textContent));
    assert.equal(lines.length, 4, `one sentence per chart: ${lines}`);
    const num = String.raw`([0-9.e+-]+)`;
    const loss = lines[0].match(new RegExp(`^Loss: training ${num}, validation ${num} at step 300; validation lowest \\(${num}\\) at step ([0-9,]+)\\.$`));
    assert.ok(loss, `the loss sentence: ${lines[0]}`);
    assert.ok(Math.abs(Number(loss[2]) - val) <= 0.01 * val + 1e-3, `validation ${loss[2]} vs ${val}`);
    assert.ok(Math.abs(Number(loss[3]) - lowest) <= 0.01 * lowest + 1e-3, `lowest ${loss[3]} vs ${lowest}`);
    assert.equal(step, 300);
    const acc = lines[1].match(/^Accuracy: training ([0-9.]+)%, validation ([0-9.]+)% at step 300; validation highest/);
    assert.ok(acc, `the accuracy sentence: ${lines[1]}`);
    assert.ok(Math.abs(Number(acc[2]) - valAcc * 100) <= 0.051, `validation accuracy ${acc[2]} vs ${valAcc}`);
    assert.match(lines[2], /^Learning rate: /);
    assert.match(lines[3], /^Gradient norm per layer at step /);

    // The table: closed, then opened by its toggle (a button that says whether it is open).
    const toggle = byTestId(page, 'chart-table-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await byTestId(page, 'chart-table').count(), 0);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const table = await byTestId(page, 'chart-table').evaluate((el) => ({
      caption: el.caption?.textContent ?? '',
      cols: [...el.tHead.rows[0].cells].map((c) => [c.tagName, c.getAttribute('scope'), c.textContent]),
      rows: [...el.tBodies[0].rows].map((r) => [...r.cells].map((c) => [c.tagName, c.getAttribute('scope'), c.textContent])),
    }));
    assert.ok(table.caption.length > 10, `a caption: ${table.caption}`);
    assert.deepEqual(
      table.cols.map((c) => c.slice(0, 2)),
      Array(5).fill(['TH', 'col']),
      'step, training and validation loss and accuracy, as column headers',
    );
    assert.ok(table.rows.length >= 2 && table.rows.length <= 20, `a coarse table: ${table.rows.length} rows`);
    assert.ok(table.rows.every((r) => r[0][0] === 'TH' && r[0][1] === 'row'), 'each row is headed by its step');
    const last = table.rows.at(-1).map((c) => c[2]);
    assert.equal(last[0], '300');
    assert.ok(Math.abs(Number(last[2]) - val) <= 0.01 * val + 1e-3, `the last row's validation loss ${last[2]} vs ${val}`);
    await assertClean(page, 'chart table open');
    await byTestId(page, 'chart-text').scrollIntoViewIfNeeded();
    await screenshot(page, 'a11y-chart-table');
    await toggle.click();
    assert.equal(await byTestId(page, 'chart-table').count(), 0, 'the toggle hides it again');

    // While a run trains, the text does not change every frame.
    await open(page, 'max_steps=2000');
    await setControl(page, 'speed', 2);
    await play(page);
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid="chart-summaries"]');
      window.__texts = new Set();
      new MutationObserver(() => window.__texts.add(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    });
    const from = (await state(page)).step;
    await sleep(5000);
    const to = (await state(page)).step;
    const changes = await page.evaluate(() => window.__texts.size);
    assert.ok(to - from >= 60, `the run trained on: ${from} → ${to}`);
    assert.ok(changes <= 4, `${changes} different summaries in 5 s`);

    // In Chinese.
    await open(page, 'lang=zh&max_steps=100');
    await runToFinish(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="chart-summaries"]')?.innerText.includes('100'), null, { timeout: 5000 });
    const zh = await page.$$eval('[data-testid="chart-summaries"] li', (els) => els.map((e) => e.textContent));
    assert.match(zh[0], /^损失：第 100 步时训练/);
    assert.equal(await byTestId(page, 'chart-table-toggle').textContent(), i18n('zh', 'ui', 'table_show'));
  }));

test('<html lang> follows the page language: en, zh-Hans, and back when switched', { timeout: 120_000 }, (t) =>
  withPage(t, async ({ page }) => {
    const lang = () => page.evaluate(() => document.documentElement.lang);
    await open(page, 'lang=en');
    assert.equal(await lang(), 'en');
    await byTestId(page, 'lang').selectOption('zh');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans', null, { timeout: 10_000 });
    await byTestId(page, 'lang').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 10_000 });
    await open(page, 'lang=zh');
    assert.equal(await lang(), 'zh-Hans');
  }));

// Latin words that stay as they are on the Chinese page: names and file formats.
const KEEP_LATIN = new Set(['LossLab', 'WebGPU', 'CPU', 'WebAssembly', 'PNG', 'CSV', 'TOML', 'JSON']);

test('the Chinese page shows no untranslated interface word', { timeout: 180_000 }, (t) =>
  withPage(t, async ({ page }) => {
    await open(page, 'lang=zh&max_steps=200');
    await runToFinish(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="chart-summaries"]')?.innerText.includes('200'), null, { timeout: 5000 });
    await byTestId(page, 'chart-table-toggle').click();
    // The page's own words, as shown: the header with the run bar, the chart options and
    // legends, the charts in words and the findings (not the menus' entries, which name
    // lessons and methods, nor the knob labels' technical names).
    const text = await page.evaluate(() => {
      const shown = [];
      for (const root of document.querySelectorAll(
        'header.top, .chart-options, [data-testid="legend"], [data-testid="chart-text"], [data-testid="findings"]',
      )) {
        const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          const el = n.parentElement;
          if (el.closest('select') || !el.getClientRects().length) continue;
          shown.push(n.textContent.trim());
        }
      }
      return shown.filter(Boolean).join('\n');
    });
    const words = [...new Set(text.match(/[A-Za-z]{3,}/g) ?? [])].filter((w) => !KEEP_LATIN.has(w));
    assert.deepEqual(words, [], `English words on the Chinese page:\n${text}`);
    await screenshot(page, 'a11y-zh');
  }));
