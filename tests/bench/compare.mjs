// LossLab vs TensorFlow.js 4.22 (wasm, webgpu, webgl, cpu) and a plain-JS MLP on the named
// workloads, in headless Chromium. A benchmark, not a test: JSON lines as runs finish, then a
// table (--json: the JSON lines only; progress goes to stderr).
//   LOSSLAB_DIST=/work/main/dist node tests/bench/compare.mjs [--secs 3] [--json] [--backends cpu,...] [workload ...]
// --fake-data: train tfjs/plain-js on data made here (spiral / class blobs with the contract's
//   shapes and hyper-parameters) instead of LossLab's `?bench=<w>&dump=1`; for development.
// --timeout S: per run (default 60 + 10 x secs); --budget S: per workload (default 600).
import { cpSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { instrument, launch, ROOT } from '../e2e/helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORKLOADS = ['toy', 'mlp', 'digits', 'cnn'];
const ALL_LL = ['cpu', 'webgpu'];
const ALL_TF = ['tfjs-wasm', 'tfjs-webgpu', 'tfjs-webgl', 'tfjs-cpu', 'plain-js'];

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i < 0 ? def : Number(argv.splice(i, 2)[1]);
};
const flag = (name) => argv.includes(name) && !!argv.splice(argv.indexOf(name), 1);
const SECS = opt('--secs', 3);
const RUN_TIMEOUT = opt('--timeout', 60 + 10 * SECS) * 1000;
const BUDGET = opt('--budget', 600) * 1000;
const JSON_ONLY = flag('--json');
// --backends cpu,tfjs-wasm: only these (LossLab's `cpu`/`webgpu`, tfjs's and plain-js by name).
const picked = (() => {
  const i = argv.indexOf('--backends');
  return i < 0 ? null : argv.splice(i, 2)[1].split(',');
})();
const LL_BACKENDS = ALL_LL.filter((b) => !picked || picked.includes(b));
const TF_BACKENDS = ALL_TF.filter((b) => !picked || picked.includes(b));
const FAKE = flag('--fake-data');
const workloads = argv.length ? argv : WORKLOADS;
for (const w of workloads) if (!WORKLOADS.includes(w)) throw new Error(`unknown workload ${w} (${WORKLOADS.join(', ')})`);
const DIST = process.env.LOSSLAB_DIST;
if (!DIST && !FAKE) {
  console.error('set LOSSLAB_DIST to the built site (e.g. dist/), or pass --fake-data');
  process.exit(2);
}
const log = (...a) => console.error('[bench]', ...a);

// tfjs from tests/node_modules into tfjs/vendor/ (git-ignored): the page loads nothing remotely.
const VENDOR = path.join(HERE, 'tfjs', 'vendor');
mkdirSync(VENDOR, { recursive: true });
const TF = path.join(ROOT, 'tests', 'node_modules', '@tensorflow');
for (const f of [
  'tfjs/dist/tf.min.js',
  'tfjs-backend-wasm/dist/tf-backend-wasm.min.js',
  'tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
  'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js',
]) {
  cpSync(path.join(TF, f), path.join(VENDOR, path.basename(f)));
}

// One origin: LossLab at /, the tfjs page at /tfjs/, the workload data at /bench-data/<w>.json.
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.toml': 'application/toml; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
  '.gz': 'application/gzip', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};
const benchData = new Map(); // workload -> JSON text
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const send = (code, body, type = 'text/plain; charset=utf-8') => {
    res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(body);
  };
  const data = url.match(/^\/bench-data\/(\w+)\.json$/);
  if (data) return benchData.has(data[1]) ? send(200, benchData.get(data[1]), MIME['.json']) : send(404, 'no data');
  const [root, rest] = url.startsWith('/tfjs/') ? [path.join(HERE, 'tfjs'), url.slice(6)] : [DIST, url.slice(1)];
  if (!root) return send(404, 'LOSSLAB_DIST not set');
  let file = path.join(root, path.normalize(`/${rest}`));
  try {
    if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
    // By the last suffix only: `digits.csv.gz` goes as application/gzip, no Content-Encoding.
    send(200, readFileSync(file), MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
  } catch {
    send(404, 'not found');
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const BASE = `http://127.0.0.1:${server.address().port}/`;
log(`serving at ${BASE} (LossLab: ${DIST ?? 'none'})`);

// Two browsers: WebGPU (SwiftShader here) only where it is measured. No service worker, so no
// background precaching competes with the runs.
const browsers = {};
const browser = async (webgpu) => (browsers[webgpu] ??= await launch({ webgpu, serviceWorkers: 'block' }));

// Runs `fn(page)` in a fresh page, giving up after `ms` (a hung step must not block the rest).
async function inPage(webgpu, ms, fn) {
  const { context } = await browser(webgpu);
  const page = instrument(await context.newPage());
  let timer;
  try {
    return await Promise.race([
      fn(page),
      new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`timeout after ${Math.round(ms / 1000)} s`)), ms))),
    ]);
  } catch (e) {
    const extra = page.pageErrors[0] ? ` (page error: ${page.pageErrors[0].split('\n')[0]})` : '';
    throw new Error(`${e.message.split('\n')[0]}${extra}`);
  } finally {
    clearTimeout(timer);
    await Promise.race([page.close().catch(() => {}), sleep(5000)]);
  }
}

async function losslab(page, query, ready, ms, html = '') {
  await page.goto(`${BASE}${html}?${query}`, { waitUntil: 'load', timeout: ms });
  await page.waitForFunction(ready, null, { timeout: ms, polling: 100 });
}

async function dumpData(w, ms) {
  if (FAKE) return fakeData(w);
  if (!DIST) throw new Error('LOSSLAB_DIST not set');
  return inPage(false, ms, async (page) => {
    // `bench` is set last (also on failure, with `error`); `bench_data` before it on success.
    await losslab(page, `bench=${w}&dump=1`, () => !!window.losslab?.bench, ms);
    const [data, bench] = await page.evaluate(() => [JSON.stringify(window.losslab.bench_data ?? null), window.losslab.bench]);
    if (data === 'null') throw new Error(bench?.error ?? 'bench_data not set');
    return JSON.parse(data);
  });
}

async function losslabRun(w, backend, ms) {
  if (!DIST) throw new Error('LOSSLAB_DIST not set');
  return inPage(backend === 'webgpu', ms, async (page) => {
    // index.html is the CPU build; gpu.html the WebGPU one.
    const html = backend === 'webgpu' ? 'gpu.html' : '';
    await losslab(page, `bench=${w}&backend=${backend}&secs=${SECS}`, () => !!window.losslab?.bench, ms, html);
    return page.evaluate(() => window.losslab.bench);
  });
}

function tfjsRun(w, backend, ms) {
  return inPage(backend === 'tfjs-webgpu', ms, async (page) => {
    await page.goto(`${BASE}tfjs/`, { waitUntil: 'load', timeout: ms });
    await page.waitForFunction(() => typeof window.runBench === 'function', null, { timeout: ms });
    return page.evaluate(
      async ([w, b, s]) => window.runBench(await (await fetch(`/bench-data/${w}.json`)).json(), b, s),
      [w, backend, SECS],
    );
  });
}

const results = [];
for (const w of workloads) {
  const deadline = Date.now() + BUDGET;
  const left = () => Math.min(RUN_TIMEOUT, deadline - Date.now());
  const run = async (backend, fn) => {
    log(`${w} ${backend}`);
    let r;
    try {
      if (left() <= 0) throw new Error('skipped: workload budget spent');
      r = { ...(await fn(left())), workload: w, backend };
    } catch (e) {
      r = { workload: w, backend, steps: 0, steps_per_s: 0, error: e.message };
    }
    results.push(r);
    console.log(JSON.stringify(r));
    return r;
  };
  let dataError = null;
  try {
    const data = await dumpData(w, left());
    if (data.x.length !== data.n * data.features || data.labels.length !== data.n) throw new Error('bench_data: x/labels do not match n, features');
    benchData.set(w, JSON.stringify(data));
  } catch (e) {
    dataError = `no bench_data: ${e.message}`;
  }
  for (const b of LL_BACKENDS) await run(`losslab-${b}`, (ms) => losslabRun(w, b, ms));
  for (const b of TF_BACKENDS) {
    await run(b, (ms) => {
      if (dataError) throw new Error(dataError);
      return tfjsRun(w, b, ms);
    });
  }
}
for (const b of Object.values(browsers)) await b.close();
server.close();

if (!JSON_ONLY) {
  const get = (w, b) => results.find((r) => r.workload === w && r.backend === b);
  const sps = (r) => (r && !r.error && r.steps > 0 ? r.steps_per_s : null);
  const best = (w, bs) => Math.max(0, ...bs.map((b) => sps(get(w, b)) ?? 0)) || null;
  const fmt = (x) => (x === null ? 'err' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : '-');
  const head = ['workload', ...LL_BACKENDS.map((b) => `LL-${b}`), ...TF_BACKENDS.map((b) => b.replace('tfjs-', 'tf-')), 'LL 1st step ms', 'LL/tfjs', 'LL/plain'];
  const rows = workloads.map((w) => {
    const ll = best(w, LL_BACKENDS.map((b) => `losslab-${b}`));
    const ttfs = LL_BACKENDS.map((b) => get(w, `losslab-${b}`)?.time_to_first_step_ms).map((t) => (t == null ? '-' : Math.round(t)));
    return [
      w,
      ...LL_BACKENDS.map((b) => fmt(sps(get(w, `losslab-${b}`)))),
      ...TF_BACKENDS.map((b) => fmt(sps(get(w, b)))),
      ttfs.join('/'),
      ratio(ll, best(w, TF_BACKENDS.filter((b) => b !== 'plain-js'))),
      ratio(ll, sps(get(w, 'plain-js'))),
    ];
  });
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => String(c).padStart(width[i])).join('  ');
  console.log(`\nsteps/s over ~${SECS} s, loss read back every step (LL = LossLab; 1st step ms = cpu/webgpu)`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

// Development data with the contract's shape: spiral for toy/mlp, noisy class prototypes for
// digits (64 features) and cnn (28x28); hyper-parameters as LossLab's workloads.
function fakeData(w) {
  let s = 42;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const spiral = w === 'toy' || w === 'mlp';
  const [n, features, classes] = spiral ? [500, 2, 2] : [1797, w === 'cnn' ? 784 : 64, 10];
  const x = [];
  const labels = [];
  const protos = Array.from({ length: classes }, () => Array.from({ length: features }, gauss));
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels.push(c);
    if (spiral) {
      const k = Math.floor(i / 2) / (n / 2);
      const [r, t] = [k * 5, 1.75 * k * 2 * Math.PI + c * Math.PI];
      x.push(r * Math.sin(t) + gauss() * 0.1, r * Math.cos(t) + gauss() * 0.1);
    } else {
      for (let f = 0; f < features; f++) x.push(protos[c][f] + 1.5 * gauss());
    }
  }
  // Standardise each feature, as LossLab does before training.
  for (let f = 0; f < features; f++) {
    let [s, s2] = [0, 0];
    for (let i = 0; i < n; i++) (s += x[i * features + f]), (s2 += x[i * features + f] ** 2);
    const mean = s / n;
    const sd = Math.sqrt(Math.max(s2 / n - mean ** 2, 1e-12));
    for (let i = 0; i < n; i++) x[i * features + f] = (x[i * features + f] - mean) / sd;
  }
  const hp = {
    toy: [[8, 8], 10, 'sgd', 0.03],
    mlp: [[64, 64], 64, 'adam', 0.01],
    digits: [[128], 64, 'adam', 0.001],
    cnn: [[], 32, 'adam', 0.001],
  }[w];
  const [hidden, batch_size, optimizer, lr] = hp;
  return {
    workload: w, n, features, image_side: w === 'cnn' ? 28 : null, classes, x, labels,
    batch_size, lr, optimizer, hidden, arch: w === 'cnn' ? 'cnn' : 'mlp', activation: 'relu', fake: true,
  };
}
