// Lessons and live diagnosis in headless Chromium (CPU backend): the picker and lesson URLs,
// presets whose curves the diagnosis names, "try this" steps that pin the previous run,
// broken and hostile lesson files, and the language switch.
//
// Run through tests/run.sh (it builds and serves the site and sets LOSSLAB_URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  baseUrl,
  byTestId,
  currentRun,
  launch,
  open,
  runToFinish,
  screenshot,
  state,
  waitForState,
  waitForStatus,
  withPage as sharedWithPage,
} from './helpers.mjs';

const TIMEOUT = 180_000;

const withPage = (t, opts, fn) => sharedWithPage(t, opts, fn, 'lessons-');

const symptoms = (s) => (s.findings ?? []).map((f) => f.symptom);

test('a lesson URL opens its preset; the healthy run gets no finding; a try step pins it and is diagnosed', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await open(page, 'lesson=healthy');
    let s = await state(page);
    assert.equal(s.lesson, 'healthy');
    assert.ok(s.lessons.length >= 16, `lessons loaded: ${s.lessons}`);
    const preset = currentRun(s).config_query;
    assert.ok(preset.length > 0, 'the preset differs from the defaults');
    assert.match(await byTestId(page, 'lesson').innerText(), /healthy/i);
    assert.match(await byTestId(page, 'findings').innerText(), /watching|healthy/i);

    await runToFinish(page, TIMEOUT / 2);
    s = await waitForState(page, (x) => x.status === 'finished', { what: 'finished' });
    const presetSteps = s.step;
    assert.deepEqual(symptoms(s), [], 'a healthy preset has no finding');
    assert.match(await byTestId(page, 'findings-none').innerText(), /healthy/i);
    await screenshot(page, 'lesson-healthy');

    await byTestId(page, 'try-1').click();
    s = await waitForStatus(page, 'finished', TIMEOUT / 2, { failOn: ['diverged'] });
    s = await waitForState(page, (x) => x.findings.length > 0, { what: 'a finding', timeoutMs: 10_000 });
    assert.ok(symptoms(s).includes('noisy_train'), `findings: ${symptoms(s)}`);
    const pinned = s.runs.filter((r) => r.pinned);
    assert.equal(pinned.length, 1, 'the preset run is pinned');
    assert.equal(pinned[0].config_query, preset);
    assert.equal(pinned[0].train_loss.length, presetSteps, 'the pinned run keeps its whole curve');
    assert.equal(pinned[0].name, 'Lesson preset');
    assert.notEqual(currentRun(s).config_query, preset);
    const finding = byTestId(page, 'finding').first();
    assert.equal(await finding.getAttribute('data-symptom'), 'noisy_train');
    await screenshot(page, 'lesson-healthy-try');
  }));

test('Play pressed while a lesson link is still loading is kept: the lesson run starts playing', { timeout: TIMEOUT }, (t) =>
  withPage(t, { serviceWorkers: 'block' }, async ({ page }) => {
    // Lesson files answer slowly, so the press lands before the lessons are parsed.
    await page.route('**/lessons/*.md', async (route) => {
      await new Promise((r) => setTimeout(r, 150));
      await route.continue();
    });
    await page.goto(`${baseUrl()}?lesson=healthy`, { waitUntil: 'commit' });
    await byTestId(page, 'play').click();
    const readyAtClick = await page.evaluate(() => window.losslab?.ready === true);
    assert.equal(readyAtClick, false, 'Play was pressed before the page was ready');
    await page.waitForFunction(() => window.losslab?.ready === true, null, { timeout: 90_000, polling: 100 });
    const s = await waitForState(page, (x) => x.step > 0, { what: 'the lesson run training', timeoutMs: 30_000 });
    assert.equal(s.lesson, 'healthy');
    assert.ok(['running', 'finished'].includes(s.status), `status ${s.status}`);
    assert.match(await byTestId(page, 'play').innerText(), /pause/i);
  }));

test('picking a lesson applies its preset; the diagnosis names divergence and links lessons', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await open(page, '');
    await waitForState(page, (x) => x.lessons.length >= 16, { what: 'lessons loaded' });
    await byTestId(page, 'lesson-picker').selectOption('learning-rate');
    let s = await waitForState(page, (x) => x.lesson === 'learning-rate', { what: 'lesson open' });
    assert.match(s.url, /lesson=learning-rate/);
    await byTestId(page, 'play').click();
    s = await waitForStatus(page, 'diverged', TIMEOUT / 2);
    s = await waitForState(page, (x) => symptoms(x).includes('diverged'), { what: 'diverged finding', timeoutMs: 10_000 });
    const f = s.findings.find((x) => x.symptom === 'diverged');
    assert.ok(f.to_step > 0 && f.from_step <= f.to_step && f.confidence > 0.5, JSON.stringify(f));
    assert.equal(f.explanation_id, 'curves.diverged');
    const text = await byTestId(page, 'findings').innerText();
    assert.match(text, /Diverged/);

    // Same lesson, opened from its URL: the same preset.
    const again = await launch({});
    try {
      await open(again.page, 'lesson=learning-rate');
      assert.equal(currentRun(await state(again.page)).config_query, currentRun(s).config_query);
    } finally {
      await again.close();
    }

    // Back to free play keeps the run; a finding links to the lesson that teaches it.
    await byTestId(page, 'lesson-close').click();
    s = await waitForState(page, (x) => x.lesson === null, { what: 'lesson closed' });
    assert.doesNotMatch(s.url, /lesson=/);
    const link = byTestId(page, 'finding-lesson').first();
    await page.locator('[data-testid="finding"] summary').first().click();
    await link.click();
    s = await waitForState(page, (x) => x.lesson !== null, { what: 'lesson opened from a finding' });
    assert.equal(s.lesson, 'learning-rate');
  }));

test('a broken lesson file names itself; the others load; lesson text cannot inject markup', { timeout: TIMEOUT }, (t) =>
  withPage(t, { serviceWorkers: 'block' }, async ({ page }) => {
    await page.route('**/lessons/overfitting.md', (r) => r.fulfill({ status: 200, body: 'no front matter here' }));
    await page.route('**/lessons/healthy.md', async (r) => {
      const orig = await (await r.fetch()).text();
      const evil = orig.replace(
        '## What you see',
        '<script>window.pwned = 1</script>\n\n<img src=x onerror="window.pwned = 2">\n\n[click](javascript:window.pwned=3)\n\n## What you see',
      );
      await r.fulfill({ status: 200, body: evil, contentType: 'text/markdown' });
    });
    await open(page, 'lesson=healthy');
    const s = await state(page);
    assert.ok(!s.lessons.includes('overfitting') && s.lessons.length >= 15, `lessons: ${s.lessons}`);
    assert.ok(s.notices.some((n) => n.includes('lessons/overfitting.md') && /front matter/.test(n)), `notices: ${s.notices}`);
    const body = byTestId(page, 'lesson-body');
    assert.match(await body.innerText(), /<script>window\.pwned = 1<\/script>/);
    assert.equal(await body.locator('script, img').count(), 0);
    const href = await body.locator('a').first().getAttribute('href');
    assert.ok(!/javascript:/i.test(href), `href ${href}`);
    await body.locator('a').first().click();
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    // The page still trains.
    await byTestId(page, 'play').click();
    await waitForState(page, (x) => x.step > 20, { what: 'training' });
  }));

test('language: zh from the browser, a switch that keeps the run, lang= in the URL', { timeout: TIMEOUT }, (t) =>
  withPage(t, { locale: 'zh-CN' }, async ({ page }) => {
    await open(page, 'lesson=unshuffled');
    let s = await state(page);
    assert.equal(s.lang, 'zh');
    const title = await byTestId(page, 'lesson').locator('h3').innerText();
    assert.match(title, /[\u4e00-\u9fff]/, `zh lesson title: ${title}`);
    assert.match(await byTestId(page, 'findings').innerText(), /[\u4e00-\u9fff]/);
    await byTestId(page, 'play').click();
    s = await waitForState(page, (x) => symptoms(x).includes('periodic_train'), { what: 'periodic_train', timeoutMs: TIMEOUT / 2 });
    const step = s.step;
    await byTestId(page, 'lang').selectOption('en');
    s = await waitForState(page, (x) => x.lang === 'en', { what: 'English' });
    assert.match(s.url, /lang=en/);
    assert.ok(s.step >= step, 'switching language keeps the run');
    // Texts first, then the lessons reload in the new language.
    await page.waitForFunction(() => {
      const h = document.querySelector('[data-testid="lesson"] h3');
      return h && !/[\u4e00-\u9fff]/.test(h.textContent);
    }, null, { timeout: 30_000 });
    assert.match(await byTestId(page, 'findings').innerText(), /Periodic/);
    await screenshot(page, 'lesson-unshuffled');
  }));
