// The benchmark mode (`?bench=…`): its JSON result on the CPU build, and on the WebGPU build
// (SwiftShader) the fused WebGPU path against burn's path (`&fused=0`): same data, same steps,
// the same losses up to float rounding. Speed is measured by tests/bench/, not asserted here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, errorReport, gpuPage, withPage } from './helpers.mjs';

const WEBGPU_TIMEOUT = 300_000;

async function bench(page, base, query, timeout = 180_000) {
  await page.goto(`${base}?${query}`);
  await page.waitForFunction(() => window.losslab?.bench, null, { timeout, polling: 100 });
  const r = await page.evaluate(() => window.losslab.bench);
  const shown = JSON.parse(await page.textContent('#bench-result'));
  assert.deepEqual(shown, r, 'the <pre> and window.losslab.bench carry the same result');
  return r;
}

/** `?bench=parity`: every case of `engine::train::parity` ran fused and matched burn's path. */
function assertParity(r, backend) {
  assert.equal(r.error, null, JSON.stringify(r));
  assert.equal(r.backend, backend);
  // 14 cases (every optimizer and activation, L1/L2, no_shuffle, digits with patience), each
  // fused in chunks of 7 and of 1.
  assert.equal(r.cases.length, 28, r.cases.map((c) => c.name).join(' '));
  for (const c of r.cases) {
    const what = `${c.name} (chunks of ${c.chunk})`;
    assert.equal(c.fused, true, `${what} runs on the fused path`);
    assert.equal(c.burn_fused, false, `${what}: the reference is burn's path`);
    assert.deepEqual(c.mismatches, [], `${what} differs from burn's path beyond ${JSON.stringify(r.tolerance)}: spread ${JSON.stringify(c.spread)}`);
    assert.ok(Number.isFinite(c.last_loss), `${what}: last loss ${c.last_loss}`);
  }
}

function close(a, b, rel, what) {
  assert.ok(Number.isFinite(a) && Number.isFinite(b), `${what}: ${a} vs ${b}`);
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b} (rel. tol. ${rel})`);
}

describe('benchmark mode, CPU build', () => {
  test('toy: fused and burn paths train the same steps to the same loss', { timeout: 120_000 }, (t) =>
    withPage(t, {}, async ({ page }) => {
      const fused = await bench(page, baseUrl(), 'bench=toy&backend=cpu&steps=200');
      assert.equal(fused.error, null);
      assert.equal(fused.backend, 'cpu');
      assert.equal(fused.steps, 200);
      assert.equal(fused.fused, true, 'the toy workload runs on the fused CPU path');
      assert.ok(fused.steps_per_s > 0 && fused.total_ms > 0 && fused.time_to_first_step_ms > 0, JSON.stringify(fused));
      assert.ok(fused.last_loss < fused.first_loss, `toy did not learn: ${JSON.stringify(fused)}`);
      const burn = await bench(page, baseUrl(), 'bench=toy&backend=cpu&steps=200&fused=0');
      assert.equal(burn.fused, false);
      close(fused.first_loss, burn.first_loss, 1e-5, 'first loss');
      close(fused.last_loss, burn.last_loss, 1e-3, 'loss after 203 steps');
      const bad = await bench(page, baseUrl(), 'bench=nope&backend=cpu');
      assert.match(bad.error, /unknown workload "nope"/);
      const gpu = await bench(page, baseUrl(), 'bench=toy&backend=webgpu');
      assert.match(gpu.error, /gpu\.html/, 'the CPU build points WebGPU benchmarks to gpu.html');
      assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
    }),
  );
});

describe('parity: the fused CPU path in the browser', () => {
  // On gpu.html (the check is not in the default page's build), with its CPU backend.
  test('every parity case trains as burn\'s CPU path does (wasm)', { timeout: 180_000 }, (t) =>
    withPage(t, {}, async ({ page }) => {
      assertParity(await bench(page, gpuPage(), 'bench=parity&backend=cpu&steps=40'), 'cpu');
      assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
    }),
  );
});

describe('benchmark mode, WebGPU build (SwiftShader)', { skip: process.env.LOSSLAB_SKIP_WEBGPU === '1' }, () => {
  // The fused WebGPU shader held to the fused CPU path's tests: the same config matrix, losses,
  // evaluations, norms and final parameters against burn's WebGPU kernels.
  test('parity: every case trains on the fused WebGPU path as on burn\'s WebGPU path', { timeout: 600_000 }, (t) =>
    withPage(t, { webgpu: true }, async ({ page }) => {
      const r = await bench(page, gpuPage(), 'bench=parity&backend=webgpu', 540_000);
      t.diagnostic(`largest differences: ${JSON.stringify(r.cases.map((c) => [c.name, c.chunk, c.spread]))}`);
      assertParity(r, 'webgpu');
      assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
    }),
  );

  // toy: SGD, two hidden layers; mlp: Adam, 64 wide; digits: 64 features, 10 classes.
  for (const [w, steps] of [['toy', 60], ['mlp', 40], ['digits', 30]]) {
    test(`${w}: the fused WebGPU path gives burn's WebGPU losses`, { timeout: WEBGPU_TIMEOUT }, (t) =>
      withPage(t, { webgpu: true }, async ({ page }) => {
        const q = `bench=${w}&backend=webgpu&steps=${steps}`;
        const fused = await bench(page, gpuPage(), q);
        assert.equal(fused.error, null);
        assert.equal(fused.backend, 'webgpu');
        assert.equal(fused.fused, true, `${w} runs on the fused WebGPU path`);
        const burn = await bench(page, gpuPage(), `${q}&fused=0`);
        assert.equal(burn.error, null);
        assert.equal(burn.fused, false);
        close(fused.first_loss, burn.first_loss, 1e-5, 'first loss');
        close(fused.last_loss, burn.last_loss, 1e-4, `loss after ${steps + 3} steps`);
        assert.ok(fused.last_loss < fused.first_loss, `${w} did not learn: ${JSON.stringify(fused)}`);
        assert.deepEqual(page.pageErrors, [], `page errors:\n${errorReport(page)}`);
      }),
    );
  }
});
