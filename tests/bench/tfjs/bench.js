// The TensorFlow.js and plain-JavaScript halves of LossLab's benchmark (driven by ../compare.mjs).
// `runBench(data, backend, secs)` trains the network that LossLab's `?bench=<w>&dump=1` data
// describes, with the same batches (an epoch = a shuffled pass in full batches; the last partial
// batch is dropped, as LossLab does), optimiser and learning rate, reading the loss back every step.
'use strict';

tf.wasm.setWasmPaths(new URL('vendor/', location.href).href);

const WARMUP = 2; // untimed steps first: kernel/shader compilation and first allocations
const ADAM = { b1: 0.9, b2: 0.999, eps: 1e-8 }; // LossLab's constants (tfjs's default eps is 1e-7)

// mulberry32: a seeded generator, so every backend sees the same batch order.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Yields [order, start, batch]: `order` is a fresh permutation each epoch.
function batcher(n, batch, seed = 7) {
  const rand = rng(seed);
  const perEpoch = Math.max(1, Math.floor(n / batch));
  let order = null;
  let pos = 0;
  return () => {
    if (order === null || pos === perEpoch) {
      order = new Int32Array(n).map((_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      pos = 0;
    }
    return [order, batch * pos++, batch];
  };
}

// Raw ops on tf.variables rather than tf.layers: the least per-step overhead tfjs offers.
async function tfTrainer(d, backend) {
  const name = backend.replace(/^tfjs-/, '');
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  const cnn = d.arch === 'cnn';
  const side = d.image_side;
  const X = tf.tensor(d.x, cnn ? [d.n, side, side, 1] : [d.n, d.features], 'float32');
  const Y = tf.tidy(() => tf.oneHot(tf.tensor1d(d.labels, 'int32'), d.classes).toFloat());
  let seed = 1; // seeded He-normal init: the same start on every tfjs backend
  const he = (shape, fanIn) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed++));
  const zeros = (n) => tf.variable(tf.zeros([n]));
  let params;
  let forward;
  if (cnn) {
    const flat = (side / 4) * (side / 4) * 16;
    const [k1, b1, k2, b2] = [he([3, 3, 1, 8], 9), zeros(8), he([3, 3, 8, 16], 72), zeros(16)];
    const [w, b] = [he([flat, d.classes], flat), zeros(d.classes)];
    params = [k1, b1, k2, b2, w, b];
    const block = (x, k, bias) => tf.maxPool(tf.relu(tf.add(tf.conv2d(x, k, 1, 'same'), bias)), 2, 2, 'valid');
    forward = (x) => tf.add(tf.matMul(tf.reshape(block(block(x, k1, b1), k2, b2), [-1, flat]), w), b);
  } else {
    const widths = [d.features, ...d.hidden, d.classes];
    const layers = widths.slice(1).map((w, i) => [he([widths[i], w], widths[i]), zeros(w)]);
    params = layers.flat();
    forward = (x) =>
      layers.reduce((h, [w, b], i) => {
        const z = tf.add(tf.matMul(h, w), b);
        return i < layers.length - 1 ? tf.relu(z) : z;
      }, x);
  }
  const opt = d.optimizer === 'adam' ? tf.train.adam(d.lr, ADAM.b1, ADAM.b2, ADAM.eps) : tf.train.sgd(d.lr);
  let order = null;
  let orderT = null;
  return {
    async step(o, start, batch) {
      // The data stays on the device: one index upload per epoch, batches sliced and gathered there.
      if (o !== order) {
        orderT?.dispose();
        order = o;
        orderT = tf.tensor1d(o, 'int32');
      }
      const loss = opt.minimize(
        () => {
          const idx = tf.slice(orderT, start, batch);
          return tf.losses.softmaxCrossEntropy(tf.gather(Y, idx), forward(tf.gather(X, idx)));
        },
        true,
        params,
      );
      const v = (await loss.data())[0]; // per-step readback, as a live loss chart needs
      loss.dispose();
      return v;
    },
    tensors: () => tf.memory().numTensors,
    dispose() {
      tf.dispose([X, Y, orderT, ...params]);
      opt.dispose();
    },
  };
}

// A hand-written MLP (like TensorFlow Playground's): row-major Float32Array matrices, ReLU
// hidden layers, softmax cross-entropy on logits, SGD or Adam.
function plainTrainer(d) {
  if (d.arch !== 'mlp') throw new Error('plain-js: MLP workloads only');
  const widths = [d.features, ...d.hidden, d.classes];
  const L = widths.length - 1;
  const B = Math.min(d.batch_size, d.n);
  const rand = rng(1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const W = [], b = [], gW = [], gb = [];
  for (let l = 0; l < L; l++) {
    const [fi, fo] = [widths[l], widths[l + 1]];
    W.push(new Float32Array(fi * fo).map(() => gauss() * Math.sqrt(2 / fi)));
    b.push(new Float32Array(fo));
    gW.push(new Float32Array(fi * fo));
    gb.push(new Float32Array(fo));
  }
  const params = [...W, ...b];
  const grads = [...gW, ...gb];
  const m = params.map((p) => new Float32Array(p.length));
  const v = params.map((p) => new Float32Array(p.length));
  // a[l]: layer l's output (a[0] the batch inputs, a[L] the logits); g[l]: dLoss/d(pre-activation).
  const a = widths.map((w) => new Float32Array(B * w));
  const g = widths.map((w) => new Float32Array(B * w));
  const x = Float32Array.from(d.x);
  let t = 0;

  function step(order, start, n) {
    const F = d.features;
    for (let r = 0; r < n; r++) a[0].set(x.subarray(order[start + r] * F, order[start + r] * F + F), r * F);
    for (let l = 0; l < L; l++) {
      const [fi, fo, inp, out, w, bias] = [widths[l], widths[l + 1], a[l], a[l + 1], W[l], b[l]];
      for (let r = 0; r < n; r++) {
        const o = r * fo;
        out.set(bias, o);
        for (let i = 0; i < fi; i++) {
          const xi = inp[r * fi + i];
          if (xi === 0) continue;
          const wi = i * fo;
          for (let j = 0; j < fo; j++) out[o + j] += xi * w[wi + j];
        }
        if (l < L - 1) for (let j = 0; j < fo; j++) if (out[o + j] < 0) out[o + j] = 0;
      }
    }
    const C = d.classes;
    const z = a[L];
    const dz = g[L];
    let loss = 0;
    for (let r = 0; r < n; r++) {
      const o = r * C;
      let max = -Infinity;
      for (let c = 0; c < C; c++) max = Math.max(max, z[o + c]);
      let sum = 0;
      for (let c = 0; c < C; c++) sum += Math.exp(z[o + c] - max);
      const y = d.labels[order[start + r]];
      loss += Math.log(sum) - (z[o + y] - max);
      for (let c = 0; c < C; c++) dz[o + c] = (Math.exp(z[o + c] - max) / sum - (c === y ? 1 : 0)) / n;
    }
    for (let l = L - 1; l >= 0; l--) {
      const [fi, fo, inp, w, dw, db, go, gi] = [widths[l], widths[l + 1], a[l], W[l], gW[l], gb[l], g[l + 1], g[l]];
      dw.fill(0);
      db.fill(0);
      for (let r = 0; r < n; r++) {
        for (let j = 0; j < fo; j++) db[j] += go[r * fo + j];
        for (let i = 0; i < fi; i++) {
          const xi = inp[r * fi + i];
          if (xi === 0) continue;
          const wi = i * fo;
          for (let j = 0; j < fo; j++) dw[wi + j] += xi * go[r * fo + j];
        }
        if (l === 0) continue; // no gradient needed for the inputs
        for (let i = 0; i < fi; i++) {
          if (inp[r * fi + i] <= 0) { gi[r * fi + i] = 0; continue; } // ReLU'
          let s = 0;
          const wi = i * fo;
          for (let j = 0; j < fo; j++) s += go[r * fo + j] * w[wi + j];
          gi[r * fi + i] = s;
        }
      }
    }
    t++;
    const lr = d.lr;
    const [c1, c2] = [1 - ADAM.b1 ** t, 1 - ADAM.b2 ** t];
    for (let k = 0; k < params.length; k++) {
      const [p, gr, mk, vk] = [params[k], grads[k], m[k], v[k]];
      if (d.optimizer === 'adam') {
        for (let i = 0; i < p.length; i++) {
          mk[i] = ADAM.b1 * mk[i] + (1 - ADAM.b1) * gr[i];
          vk[i] = ADAM.b2 * vk[i] + (1 - ADAM.b2) * gr[i] * gr[i];
          p[i] -= (lr * (mk[i] / c1)) / (Math.sqrt(vk[i] / c2) + ADAM.eps);
        }
      } else {
        for (let i = 0; i < p.length; i++) p[i] -= lr * gr[i];
      }
    }
    return loss / n;
  }
  return { step: async (o, s, n) => step(o, s, n) };
}

window.runBench = async (data, backend, secs = 3) => {
  const out = { workload: data.workload, backend, steps: 0, total_ms: 0, steps_per_s: 0, first_loss: null, last_loss: null, error: null };
  let trainer;
  try {
    // Enum names as LossLab serialises them may be capitalised: compare in lower case.
    data = { ...data, optimizer: String(data.optimizer).toLowerCase(), arch: String(data.arch).toLowerCase() };
    if (!['sgd', 'adam'].includes(data.optimizer)) throw new Error(`optimizer ${data.optimizer} not supported`);
    if (!['mlp', 'cnn'].includes(data.arch)) throw new Error(`arch ${data.arch} not supported`);
    if (String(data.activation ?? 'relu').toLowerCase() !== 'relu') throw new Error(`activation ${data.activation} not supported`);
    trainer = backend === 'plain-js' ? plainTrainer(data) : await tfTrainer(data, backend);
    const next = batcher(data.n, Math.min(data.batch_size, data.n));
    // first_loss: the very first step (warm-up included), i.e. the loss at initialisation.
    out.first_loss = await trainer.step(...next());
    for (let i = 1; i < WARMUP; i++) await trainer.step(...next());
    const tensors = trainer.tensors?.();
    const t0 = performance.now();
    let steps = 0;
    let last;
    do {
      last = await trainer.step(...next());
      steps++;
    } while (performance.now() - t0 < secs * 1000);
    out.total_ms = +(performance.now() - t0).toFixed(1);
    Object.assign(out, { steps, steps_per_s: +((steps * 1000) / out.total_ms).toFixed(1), last_loss: last });
    // Tensors left over per run (0 when every step disposes what it makes).
    if (tensors !== undefined) out.tensor_growth = trainer.tensors() - tensors;
    if (!Number.isFinite(last)) throw new Error(`loss is ${last}`);
  } catch (e) {
    Object.assign(out, { steps: 0, steps_per_s: 0, error: String(e?.message ?? e) });
  } finally {
    try { trainer?.dispose?.(); } catch { /* the page is thrown away after each run anyway */ }
  }
  return out;
};
