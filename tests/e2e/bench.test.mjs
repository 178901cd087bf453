// The benchmark mode (`?bench=…`): its JSON result on the CPU build, and on the WebGPU build
// (SwiftShader) the fused WebGPU path against burn's path (`&fused=0`): same data, same steps,
// the same losses up to float rounding. Speed is measured by tests/bench/, not asserted here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, errorReport, gpuPage, withPage } from './helpers.mjs';

const WEBGPU_TIMEOUT = 300_000;

async function bench(page, base, query) {
  await page.goto(`${base}?${query}`);
  await page.waitForFunction(() => window.losslab?.bench, null, { timeout: 180_000, polling: 100 });
  const r = await page.evaluate(() => window.losslab.bench);
  const shown = JSON.parse(await page.textContent('#bench-result'));
  assert.deepEqual(shown, r, 'the <pre> and window.losslab.bench carry the same result');
  return r;
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

describe('benchmark mode, WebGPU build (SwiftShader)', { skip: process.env.LOSSLAB_SKIP_WEBGPU === '1' }, () => {
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
