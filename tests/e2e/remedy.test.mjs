// From finding to experiment in headless Chromium (CPU backend): a finding's remedy button,
// pressed with the keyboard, pins the run, starts the changed one, and once it has as much
// curve the panel says the finding went away.
//
// Run through tests/run.sh (it builds and serves the site and sets LOSSLAB_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  STOPPED,
  byTestId,
  currentRun,
  i18n,
  open,
  play,
  screenshot,
  waitForState,
  waitForStatus,
  withPage as sharedWithPage,
} from './helpers.mjs';

const TIMEOUT = 180_000;

const withPage = (t, opts, fn) => sharedWithPage(t, opts, fn, 'remedy-');

test('a too-high learning rate: its remedy, pressed with the keyboard, is tried and verified', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await open(page, 'lr=1&max_steps=800');
    await play(page);
    let s = await waitForStatus(page, STOPPED, TIMEOUT / 3);
    const before = s.step;
    const lead = s.findings.find((f) => !f.caused_by);
    assert.ok(lead, `a finding: ${JSON.stringify(s.findings)}`);
    assert.equal(lead.symptom, 'dead_units', `findings: ${s.findings.map((f) => f.symptom)}`);

    // Its row offers the remedies; a symptom's row (under its cause) offers none.
    const row = page.locator(`[data-testid="finding"][data-symptom="${lead.symptom}"]`);
    const button = row.locator('[data-testid="finding-remedy"]').first();
    const want = i18n('en', 'remedy', 'lr_down').replace('{lr}', '0.01');
    assert.equal((await button.innerText()).trim(), want);
    assert.equal(await button.evaluate((b) => b.tagName), 'BUTTON');
    assert.equal(await page.locator('[data-testid="finding"][data-caused-by] [data-testid="finding-remedy"]').count(), 0);
    await screenshot(page, 'remedy-offered');

    await button.focus();
    await page.keyboard.press('Enter');
    s = await waitForState(page, (x) => x.trial && x.runs.some((r) => r.pinned), { what: 'the remedy tried', timeoutMs: 20_000 });
    const pinned = s.runs.filter((r) => r.pinned);
    assert.equal(pinned.length, 1, 'the run before the change is pinned');
    assert.match(pinned[0].config_query, /(^|&)lr=1(&|$)/);
    assert.equal(pinned[0].train_loss.length, before, 'the pinned run keeps its whole curve');
    // 0.01 is the default rate: the new run's query no longer names it, and nothing else changed.
    assert.equal(currentRun(s).config_query, pinned[0].config_query.replace(/(^|&)lr=1(?=&|$)/, '').replace(/^&/, ''));
    assert.deepEqual(s.trial.set, [['lr', '0.01']]);
    assert.deepEqual([s.trial.symptom, s.trial.remedy], ['dead_units', 'lr_down']);

    // Watching first, then the verdict once the new run has as much curve.
    const verdict = byTestId(page, 'remedy-verdict');
    assert.match(await verdict.getAttribute('data-verdict'), /watching|gone/);
    s = await waitForState(page, (x) => x.trial?.gone !== null && x.trial?.gone !== undefined, {
      what: 'the verdict',
      timeoutMs: TIMEOUT / 3,
    });
    assert.equal(s.trial.gone, true, `still there: ${s.findings.map((f) => f.symptom)}`);
    assert.ok(!s.findings.some((f) => f.symptom === 'dead_units'));
    assert.ok(s.step >= Math.min(s.trial.until, 800), `judged at step ${s.step}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="remedy-verdict"]')?.dataset.verdict === 'gone');
    const title = i18n('en', 'curves.dead_units', 'title');
    const line = (await verdict.innerText()).trim();
    assert.ok(line.includes(title) && line.includes(want), line);
    assert.equal(await verdict.evaluate((el) => el.closest('[role="status"]') !== null), true, 'spoken politely');
    await screenshot(page, 'remedy-verdict');
  }));

test('remedies and the verdict speak the page language (zh)', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await open(page, 'lang=zh&lr=1&max_steps=800');
    await play(page);
    await waitForStatus(page, STOPPED, TIMEOUT / 3);
    const button = page.locator('[data-testid="finding"][data-symptom="dead_units"] [data-testid="finding-remedy"]').first();
    const want = i18n('zh', 'remedy', 'lr_down').replace('{lr}', '0.01');
    assert.equal((await button.innerText()).trim(), want);
    await button.click();
    const s = await waitForState(page, (x) => x.trial && x.trial.gone !== null, { what: 'the verdict', timeoutMs: TIMEOUT / 3 });
    assert.equal(s.trial.gone, true);
    await page.waitForFunction(() => document.querySelector('[data-testid="remedy-verdict"]')?.dataset.verdict === 'gone');
    const line = (await byTestId(page, 'remedy-verdict').innerText()).trim();
    assert.ok(line.includes(want) && line.includes(i18n('zh', 'curves.dead_units', 'title')), line);
  }));
