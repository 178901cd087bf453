// Hardening in headless Chromium (CPU backend): 200+ malformed URLs through one page (as the
// back button would bring them), malformed lesson files, the highest learning rate with every
// initialiser, a deliberate panic, and the Content-Security-Policy the site runs under.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  byTestId,
  currentRun,
  errorReport,
  gpuPage,
  open,
  state,
  textOf,
  values,
  waitForState,
  waitForStatus,
  withPage,
} from './helpers.mjs';

const TIMEOUT = 240_000;
const NASTY = ['', 'NaN', '-1', '1e309', '1e-400', 'inf', '1e9', '99999999999999999999', '0x10', 'abc', '%00', '%ZZ',
  '<script>alert(1)</script>', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', '😀', '中文', '1,2,,3', ',,,', '  5', '-0', '=', '"'];

/** At least 200 malformed queries: every config key with nasty values, plus mixtures. */
function malformedQueries(keys) {
  const qs = ['hidden=' + Array(1000).fill('8').join(','), 'hidden=1000000000', 'layers=1000000000', 'lr=' + '9'.repeat(5000),
    '&&&&', '=&=', 'k'.repeat(3000) + '=1', 'dataset=../../etc/passwd', 'seed=-1&seed=18446744073709551616'];
  let x = 12345;
  const rnd = (n) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
  for (const [i, k] of keys.entries()) {
    qs.push(`${k}=${NASTY[i % NASTY.length]}`, `${k}=${NASTY[rnd(NASTY.length)]}`);
  }
  while (qs.length < 220) {
    const n = 1 + rnd(4);
    qs.push(Array.from({ length: n }, () => `${rnd(2) ? keys[rnd(keys.length)] : NASTY[rnd(NASTY.length)]}=${NASTY[rnd(NASTY.length)]}`).join('&'));
  }
  return qs;
}

/** The page is alive: no panic banner, no uncaught error, the app's parts on screen. */
async function assertAlive(page, what) {
  assert.equal(await byTestId(page, 'error-banner').count(), 0, `${what}: the panic banner is showing\n${errorReport(page)}`);
  assert.deepEqual(page.pageErrors, [], `${what}: page errors\n${errorReport(page)}`);
  assert.ok(await byTestId(page, 'play').isVisible(), `${what}: the play button is gone`);
}

test('220 malformed URLs: never a panic or a blank page; notices name the key; training still works', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await open(page);
    // Every control's key is a URL key (the controls are generated from the engine's knobs).
    const keys = await page.evaluate(() =>
      [...document.querySelectorAll('aside.controls input[data-testid], aside.controls select[data-testid]')].map((e) => e.dataset.testid),
    );
    assert.ok(keys.length >= 15, `config keys: ${keys}`);
    const qs = malformedQueries(keys);
    assert.ok(qs.length >= 200);
    // What the back button does: a new address, then popstate; the app re-reads its URL (in the
    // listener, synchronously). Each address's notices replace the previous address's.
    const go = (q) =>
      page.evaluate((q) => {
        history.pushState(null, '', `?${q}`);
        dispatchEvent(new PopStateEvent('popstate'));
        return window.losslab.state().notices;
      }, q);
    const seen = new Set();
    for (const [i, q] of qs.entries()) {
      for (const n of await go(q)) seen.add(n);
      if (i % 20 === 0) await assertAlive(page, `after ?${q.slice(0, 80)}`);
    }
    await sleep(500);
    await assertAlive(page, 'after all URLs');
    for (const k of ['lr', 'hidden', 'dropout', 'dataset']) {
      assert.ok([...seen].some((n) => n.includes(k)), `no notice named ${k}: ${[...seen].slice(0, 5)}`);
    }
    // The notices describe the current address: a clean one has none, a bad one only its own.
    assert.deepEqual(await go('dataset=circles'), [], 'notices about earlier addresses stayed');
    const own = await go('lr=banana');
    assert.ok(own.length === 1 && own[0].includes('lr'), `notices for ?lr=banana: ${own}`);
    // A link with 40 unknown keys: the first five named, then one line counting the rest.
    const many = await go(Array.from({ length: 40 }, (_, i) => `zz${i}=1`).join('&'));
    assert.equal(many.length, 6, `notices for 40 bad keys: ${many}`);
    for (let i = 0; i < 5; i++) assert.ok(many[i].includes(`zz${i}`), `notice ${i}: ${many[i]}`);
    assert.ok(many[5].includes('35'), `the counting line: ${many[5]}`);
    await byTestId(page, 'notices-dismiss').click();
    await byTestId(page, 'notices').waitFor({ state: 'detached', timeout: 5_000 });
    assert.deepEqual((await state(page)).notices, [], 'dismiss left notices');
    assert.equal(await page.evaluate(() => document.querySelectorAll('body script:not([type])').length), 0);
    // Back to a sane address: it trains.
    await page.evaluate(() => {
      history.pushState(null, '', '?dataset=circles');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await byTestId(page, 'play').click();
    const after = await waitForState(page, (x) => x.step > 30, { what: 'training after the fuzz' });
    assert.ok(values(currentRun(after).train_loss).every(Number.isFinite));
    await assertAlive(page, 'training after the fuzz');
  }));

test('malformed lesson files: each is named in a notice; the other lessons open', { timeout: TIMEOUT }, (t) =>
  withPage(t, { serviceWorkers: 'block' }, async ({ page }) => {
    const broken = {
      'empty': '',
      'binary': '\u0000\u0001\u0002\uFFFD'.repeat(100),
      'unclosed': '---\nid = "unclosed"\ntitle = "x"\n',
      'badpreset': '---\nid = "badpreset"\nlevel = "basics"\ntitle = "x"\nquestion = "q"\nlook_for = "l"\n[preset]\nhidden = [1000000000]\nlr = -1\n---\nbody\n',
      'huge': '---\n' + 'x'.repeat(200_000),
    };
    await page.route('**/lessons/index.toml', async (r) => {
      const orig = await (await r.fetch()).text();
      const ids = Object.keys(broken).map((id) => `"${id}"`).join(', ');
      await r.fulfill({ status: 200, body: orig.replace(/lessons\s*=\s*\[/, `lessons = [${ids}, `), contentType: 'text/plain' });
    });
    for (const [id, body] of Object.entries(broken)) {
      await page.route(`**/lessons/${id}.md`, (r) => r.fulfill({ status: 200, body, contentType: 'text/markdown' }));
    }
    await open(page, 'lesson=overfitting');
    const s = await state(page);
    for (const id of Object.keys(broken)) {
      assert.ok(s.notices.some((n) => n.includes(`lessons/${id}.md`)), `no notice names lessons/${id}.md: ${s.notices}`);
      assert.ok(!s.lessons.includes(id), `the broken lesson ${id} is listed`);
    }
    assert.equal(s.lesson, 'overfitting');
    assert.ok(s.lessons.length >= 15, `lessons: ${s.lessons}`);
    await byTestId(page, 'play').click();
    await waitForState(page, (x) => x.step > 20, { what: 'training the lesson preset' });
    await assertAlive(page, 'with broken lessons');
  }));

test('lr=1000 (SGD) with every initialiser ends "diverged at step N" or trains; a pinned run is untouched', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await open(page, 'max_steps=200&seed=3');
    await byTestId(page, 'play').click();
    await waitForStatus(page, 'finished', 60_000);
    await byTestId(page, 'pin').click();
    const pinned = (await state(page)).runs.find((r) => r.pinned);
    assert.ok(pinned, 'a pinned run');
    let diverged = 0;
    for (const init of ['he_normal', 'he_uniform', 'glorot_normal', 'glorot_uniform', 'normal', 'zeros']) {
      await page.evaluate((init) => {
        history.pushState(null, '', `?max_steps=200&seed=3&optimizer=sgd&lr=1000&init=${init}`);
        dispatchEvent(new PopStateEvent('popstate'));
      }, init);
      await waitForState(page, (x) => currentRun(x).config_query.includes('lr=1000') && x.step === 0 && x.status !== 'finished', {
        what: `reset to init=${init}`,
      });
      await byTestId(page, 'play').click();
      const s = await waitForStatus(page, ['diverged', 'finished'], 60_000);
      const losses = values(currentRun(s).train_loss);
      assert.ok(losses.every(Number.isFinite), `${init}: a non-finite loss is drawn`);
      if (s.status === 'diverged') {
        diverged += 1;
        const text = await textOf(page, 'status');
        assert.match(text, new RegExp(`\\b${losses.length + 1}\\b`), `${init}: the status "${text}" names the step`);
      }
      const still = (await state(page)).runs.find((r) => r.pinned);
      assert.deepEqual(still.train_loss, pinned.train_loss, `${init}: the pinned run changed`);
      await assertAlive(page, `lr=1000 init=${init}`);
    }
    assert.ok(diverged > 0, 'nothing diverged at lr=1000 with SGD');
  }));

test('a panic shows the error banner with reload and the text to report, not a blank page', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await open(page);
    const threw = await page.evaluate(() => {
      try {
        window.losslab.crash();
        return false;
      } catch {
        return true;
      }
    });
    assert.ok(threw, 'crash() did not panic');
    const banner = byTestId(page, 'error-banner');
    await banner.waitFor({ state: 'visible', timeout: 5_000 });
    const text = await banner.innerText();
    assert.match(text, /went wrong/i);
    assert.match(text, /report/i);
    assert.match(text, /crash requested/);
    assert.ok(await byTestId(page, 'reload').isVisible(), 'no reload button');
    assert.ok(await byTestId(page, 'play').isVisible(), 'the page under the banner is gone');
    await byTestId(page, 'reload').click();
    await page.waitForFunction(() => window.losslab?.ready === true, null, { timeout: 60_000 });
    assert.equal(await byTestId(page, 'error-banner').count(), 0, 'the banner survived the reload');
  }));

test('Content-Security-Policy: both pages run under it with no violation; an injected script is blocked', { timeout: TIMEOUT }, (t) =>
  withPage(t, {}, async ({ page }) => {
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    for (const base of [undefined, gpuPage()]) {
      await open(page, 'lesson=healthy', base ? { base } : {});
      const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '');
      const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
      assert.match(scriptSrc, /^\s*script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+$/, `CSP: ${csp}`);
      assert.doesNotMatch(csp, /default-src[^;]*\*|connect-src[^;]*\*/, `CSP: ${csp}`);
      await byTestId(page, 'play').click();
      await waitForState(page, (x) => x.step > 20 && x.draws > 2, { what: 'training under the CSP' });
      assert.deepEqual(await page.evaluate(() => window.__csp), [], 'CSP violations while training');
    }
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = 1';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 100));
      return window.__injected === 1;
    });
    assert.equal(ran, false, 'an injected inline script ran');
    assert.ok((await page.evaluate(() => window.__csp)).some((v) => v.startsWith('script-src')), 'no violation reported');
  }));
