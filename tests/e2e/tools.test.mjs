// The learner's own data and the LR finder in headless Chromium (CPU backend): importing a CSV
// (trains; a broken file is named by row and column, and the page keeps working) and "Find LR"
// (draws the range test and applies its suggestion).
//
// Run through tests/run.sh (it builds and serves the site and sets LOSSLAB_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  byTestId,
  currentRun,
  open,
  screenshot,
  values,
  waitForState,
  withPage as sharedWithPage,
} from './helpers.mjs';

const TIMEOUT = 120_000;

const withPage = (t, fn) => sharedWithPage(t, {}, fn, 'tools-');

/** Two noisy clouds of 2-D points, as a learner's spreadsheet would export them. */
function cloudsCsv(n = 200) {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows = ['x;y;label'];
  for (let i = 0; i < n; i++) {
    const cls = i % 2 ? 'blue' : 'orange';
    const c = cls === 'blue' ? 2 : -2;
    rows.push(`${(c + rnd() * 2 - 1).toFixed(3)};${(c + rnd() * 2 - 1).toFixed(3)};${cls}`);
  }
  return rows.join('\r\n');
}

test('import a CSV of 2-D points: it trains on it; a broken file names row and column', { timeout: TIMEOUT }, (t) =>
  withPage(t, async ({ page }) => {
    await open(page, '');
    const input = byTestId(page, 'csv-import');
    await input.setInputFiles({ name: 'clouds.csv', mimeType: 'text/csv', buffer: Buffer.from(cloudsCsv()) });
    let s = await waitForState(page, (x) => currentRun(x).config_query.includes('dataset=csv'), { what: 'dataset=csv' });
    assert.ok(s.notices.some((n) => n.includes('clouds.csv') && n.includes('200')), `notices: ${s.notices}`);
    await byTestId(page, 'play').click();
    s = await waitForState(page, (x) => values(currentRun(x).val_acc).some((a) => a > 0.95), { what: 'accuracy > 0.95 on the CSV' });
    assert.equal(await byTestId(page, 'surface').isVisible(), true, 'points get a decision surface');
    await byTestId(page, 'confusion').waitFor({ timeout: 10_000 });
    assert.match(await byTestId(page, 'confusion').innerText(), /blue[\s\S]*orange/, 'classes keep their names');
    await screenshot(page, 'csv-points');

    await input.setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,label\n1,2,x\n3,oops,y\n') });
    s = await waitForState(page, (x) => x.notices.some((n) => n.includes('broken.csv')), { what: 'a notice for broken.csv' });
    const notice = s.notices.find((n) => n.includes('broken.csv'));
    assert.match(notice, /row 3/);
    assert.match(notice, /"b"/);
    assert.ok(s.step > 0 && currentRun(s).config_query.includes('dataset=csv'), 'the loaded data and run stay');
  }));

test('Find LR draws the range test and applies its suggestion', { timeout: TIMEOUT }, (t) =>
  withPage(t, async ({ page }) => {
    await open(page, 'dataset=moons&optimizer=sgd&lr=0.0001');
    await byTestId(page, 'lr-finder').click();
    const result = byTestId(page, 'lr-finder-result');
    await result.waitFor({ timeout: 30_000 });
    assert.match(await result.innerText(), /\d\.\d+e-?\d+/);
    assert.equal(await byTestId(page, 'lr-finder-chart').isVisible(), true);
    await byTestId(page, 'lr-finder-use').click();
    const s = await waitForState(page, (x) => !currentRun(x).config_query.includes('lr=0.0001'), { what: 'the suggested lr' });
    const lr = Number(/(?:^|&)lr=([^&]+)/.exec(currentRun(s).config_query)[1]);
    assert.ok(lr > 1e-4 && lr < 10, `suggested lr ${lr}`);
    assert.match(await byTestId(page, 'explanation').innerText(), /learning rate/i);
    // The suggestion trains: the loss falls.
    await byTestId(page, 'play').click();
    const after = await waitForState(page, (x) => x.step >= 300, { what: '300 steps' });
    const loss = values(currentRun(after).train_loss);
    const mean = (a) => a.reduce((p, q) => p + q, 0) / a.length;
    assert.ok(mean(loss.slice(-50)) < 0.6 * mean(loss.slice(0, 10)), 'the loss falls with the suggested rate');
  }));
