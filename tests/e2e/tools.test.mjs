// The learner's own data and the LR finder in headless Chromium (CPU backend): importing a CSV
// (trains; a broken file is named by row and column, and the page keeps working) and "Find LR"
// (draws the range test and applies its suggestion).
//
// Run through tests/run.sh (it builds and serves the site and sets LOSSLAB_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ROOT,
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

test('CSV files as learners find them: scikit-learn\'s size line names the classes; a file without a header is all data', { timeout: TIMEOUT }, (t) =>
  withPage(t, async ({ page }) => {
    await open(page, '');
    const input = byTestId(page, 'csv-import');
    const iris = readFileSync(path.join(ROOT, 'engine', 'tests', 'data', 'iris_sklearn.csv'));
    await input.setInputFiles({ name: 'iris.csv', mimeType: 'text/csv', buffer: iris });
    let s = await waitForState(page, (x) => x.notices.some((n) => n.includes('iris.csv')), { what: 'iris.csv loaded' });
    assert.ok(currentRun(s).config_query.includes('dataset=csv'), `notices: ${s.notices}`);
    assert.ok(s.notices.some((n) => /scikit-learn/.test(n) && /setosa/.test(n)), `notices: ${s.notices}`);
    await byTestId(page, 'play').click();
    s = await waitForState(page, (x) => values(currentRun(x).val_acc).some((a) => a > 0.6), { what: 'iris learning' });
    await byTestId(page, 'confusion').waitFor({ timeout: 10_000 });
    assert.match(await byTestId(page, 'confusion').innerText(), /setosa[\s\S]*versicolor[\s\S]*virginica/, 'the size line names the classes');
    await byTestId(page, 'play').click();

    // UCI-style: numbers from the first line on, the label last.
    const rows = [];
    for (let i = 0; i < 40; i++) rows.push(`${(i % 2 ? 1 : -1) + (i % 7) / 10},${(i % 3) / 5},${i % 2}`);
    await input.setInputFiles({ name: 'plain.data', mimeType: 'text/plain', buffer: Buffer.from(rows.join('\n')) });
    s = await waitForState(page, (x) => x.notices.some((n) => n.includes('plain.data') && n.includes('40')), { what: 'plain.data loaded' });
    assert.ok(s.notices.some((n) => /x1/.test(n) && /x2/.test(n)), `the notice names the columns: ${s.notices}`);
    assert.ok(!s.notices.some((n) => /should name the columns/.test(n)), `refused: ${s.notices}`);
    await byTestId(page, 'play').click();
    s = await waitForState(page, (x) => x.step >= 50, { what: '50 steps on the headerless file' });
    assert.ok(values(currentRun(s).train_loss).every(Number.isFinite));
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
