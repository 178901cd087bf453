// A small MLP classifier's training steps in one workgroup: per step, gather the batch, forward,
// softmax cross-entropy, backward, optimizer update. The maths is fused.rs's (the CPU path), the
// layout is fused_gpu.rs's: one dispatch runs `steps` updates, so a chunk costs the page a few
// WebGPU calls instead of dozens of kernel launches per step.

// The header slots (H_*), activation (ACT_*) and optimizer (OPT_*) codes and the optimizers'
// constants come from shader_consts.rs, which puts them in front of this file.

const WG: u32 = 256u;

// Offsets into `st` (floats); `act` an ACT_* code.
struct Layer { fan_in: u32, fan_out: u32, act: u32, w: u32, b: u32, a_in: u32, a_out: u32 }

@group(0) @binding(0) var<storage, read> hdr: array<u32>;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> ys: array<u32>;
// Per step: the batch's example indices (`batch` each), then from H_PLAN_F PLAN_FLOATS floats per
// step: learning rate, Adam's two bias corrections, AdamW's decay step.
@group(0) @binding(3) var<storage, read> plan: array<u32>;
// Parameters, gradients, optimizer state, activations, deltas, per-row losses.
@group(0) @binding(4) var<storage, read_write> st: array<f32>;
// Per step its mean loss, then (H_NORMS_AT) per-layer gradient norms and weight norms.
@group(0) @binding(5) var<storage, read_write> res: array<f32>;

fn layer(l: u32) -> Layer {
    let o = H_LAYER0 + l * LAYER_SLOTS;
    return Layer(hdr[o], hdr[o + 1u], hdr[o + 2u], hdr[o + 3u], hdr[o + 4u], hdr[o + 5u], hdr[o + 6u]);
}

fn activate(v: f32, a: u32) -> f32 {
    switch a {
        case ACT_RELU: { return max(v, 0.0); }
        case ACT_LEAKY_RELU: { return select(v, v * LEAKY_SLOPE, v < 0.0); }
        // Clamped: some drivers' tanh gives NaN for large inputs; tanh(±20) is ±1 in f32.
        case ACT_TANH: { return tanh(clamp(v, -20.0, 20.0)); }
        case ACT_SIGMOID: { return 1.0 / (1.0 + exp(-v)); }
        case ACT_LINEAR, default: { return v; }
    }
}

// The activation's derivative, from its output.
fn act_grad(a: f32, k: u32) -> f32 {
    switch k {
        case ACT_RELU: { return select(0.0, 1.0, a > 0.0); }
        case ACT_LEAKY_RELU: { return select(LEAKY_SLOPE, 1.0, a > 0.0); }
        case ACT_TANH: { return 1.0 - a * a; }
        case ACT_SIGMOID: { return a * (1.0 - a); }
        case ACT_LINEAR, default: { return 1.0; }
    }
}

fn sync() {
    storageBarrier();
    workgroupBarrier();
}

// Optimizer::step element by element, on `n` parameters from `off` (fused.rs `update`).
fn update(off: u32, n: u32, decays: bool, t: u32, pf: u32) {
    let opt = hdr[H_OPT];
    let wd = bitcast<f32>(hdr[H_WD]);
    let l1 = bitcast<f32>(hdr[H_L1]);
    let mom = bitcast<f32>(hdr[H_MOM]);
    let lr = bitcast<f32>(plan[pf]);
    let c1 = bitcast<f32>(plan[pf + 1u]);
    let c2 = bitcast<f32>(plan[pf + 2u]);
    let decay_step = bitcast<f32>(plan[pf + 3u]);
    let g0 = hdr[H_GRAD];
    let s1 = hdr[H_S1];
    let s2 = hdr[H_S2];
    let decoupled = opt == OPT_ADAMW;
    for (var j = t; j < n; j += WG) {
        let i = off + j;
        let w = st[i];
        var g = st[g0 + i];
        if decays {
            if wd > 0.0 && !decoupled {
                g += w * wd;
            }
            if l1 > 0.0 {
                g += sign(w) * l1;
            }
        }
        var dir = g;
        if opt == OPT_MOMENTUM || opt == OPT_NESTEROV {
            let v = st[s1 + i] * mom + g;
            st[s1 + i] = v;
            dir = select(v, g + v * mom, opt == OPT_NESTEROV);
        } else if opt == OPT_ADAM || opt == OPT_ADAMW {
            let m = st[s1 + i] * ADAM_B1 + g * (1.0 - ADAM_B1);
            let v = st[s2 + i] * ADAM_B2 + g * g * (1.0 - ADAM_B2);
            st[s1 + i] = m;
            st[s2 + i] = v;
            dir = (m / c1) / (sqrt(v / c2) + EPS);
        } else if opt == OPT_RMSPROP {
            let v = st[s1 + i] * RMS_ALPHA + g * g * (1.0 - RMS_ALPHA);
            st[s1 + i] = v;
            dir = g / (sqrt(v) + EPS);
        }
        var next = w - dir * lr;
        if decoupled && decays && wd > 0.0 {
            next -= w * decay_step;
        }
        st[i] = next;
    }
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) t: u32) {
    let nl = hdr[H_LAYERS];
    let b = hdr[H_BATCH];
    let f = hdr[H_FEATURES];
    let first = hdr[H_FIRST];
    let end = first + hdr[H_STEPS];
    let out = layer(nl - 1u);
    let c = out.fan_out;
    let da = hdr[H_DELTA_A];
    let db = hdr[H_DELTA_B];
    let rl = hdr[H_ROW_LOSS];
    let gr = hdr[H_GRAD];
    let bf = f32(b);
    for (var s = first; s < end; s++) {
        let rows = s * b;
        let a0 = layer(0u).a_in;
        for (var e = t; e < b * f; e += WG) {
            let r = e / f;
            st[a0 + e] = xs[plan[rows + r] * f + (e - r * f)];
        }
        sync();
        for (var l = 0u; l < nl; l++) {
            let ly = layer(l);
            for (var e = t; e < b * ly.fan_out; e += WG) {
                let r = e / ly.fan_out;
                let j = e - r * ly.fan_out;
                let h = ly.a_in + r * ly.fan_in;
                var v = st[ly.b + j];
                for (var k = 0u; k < ly.fan_in; k++) {
                    v += st[h + k] * st[ly.w + k * ly.fan_out + j];
                }
                st[ly.a_out + e] = activate(v, ly.act);
            }
            sync();
        }
        // Softmax cross-entropy per row, stably; d(loss)/d(logits) into delta A.
        for (var r = t; r < b; r += WG) {
            let z = out.a_out + r * c;
            let d = da + r * c;
            var m = st[z];
            for (var j = 1u; j < c; j++) {
                m = max(m, st[z + j]);
            }
            var sum = 0.0;
            for (var j = 0u; j < c; j++) {
                let ex = exp(st[z + j] - m);
                st[d + j] = ex;
                sum += ex;
            }
            let y = ys[plan[rows + r]];
            st[rl + r] = m + log(sum) - st[z + y];
            for (var j = 0u; j < c; j++) {
                st[d + j] = st[d + j] / (sum * bf);
            }
            st[d + y] -= 1.0 / bf;
        }
        sync();
        if t == 0u {
            var total = 0.0;
            for (var r = 0u; r < b; r++) {
                total += st[rl + r];
            }
            res[s] = total / bf;
        }
        // Backward: the deltas alternate between A and B, layer by layer.
        for (var li = nl; li > 0u; li--) {
            let l = li - 1u;
            let ly = layer(l);
            let fi = ly.fan_in;
            let fo = ly.fan_out;
            let odd = ((nl - li) & 1u) == 1u;
            let d = select(da, db, odd);
            let dn = select(db, da, odd);
            for (var e = t; e < fi * fo; e += WG) {
                let k = e / fo;
                let j = e - k * fo;
                var g = 0.0;
                for (var r = 0u; r < b; r++) {
                    g += st[ly.a_in + r * fi + k] * st[d + r * fo + j];
                }
                st[gr + ly.w + e] = g;
            }
            for (var j = t; j < fo; j += WG) {
                var g = 0.0;
                for (var r = 0u; r < b; r++) {
                    g += st[d + r * fo + j];
                }
                st[gr + ly.b + j] = g;
            }
            if l > 0u {
                let pa = layer(l - 1u).act;
                for (var e = t; e < b * fi; e += WG) {
                    let r = e / fi;
                    let k = e - r * fi;
                    var acc = 0.0;
                    for (var j = 0u; j < fo; j++) {
                        acc += st[d + r * fo + j] * st[ly.w + k * fo + j];
                    }
                    st[dn + e] = acc * act_grad(st[ly.a_in + e], pa);
                }
            }
            sync();
        }
        // The network view's norms, before the chunk's last update (as the burn path reads them).
        if hdr[H_NORMS] == 1u && s + 1u == end {
            let at = hdr[H_NORMS_AT];
            for (var l = t; l < nl; l += WG) {
                let ly = layer(l);
                var gn = 0.0;
                var wn = 0.0;
                for (var e = 0u; e < ly.fan_in * ly.fan_out; e++) {
                    let g = st[gr + ly.w + e];
                    let w = st[ly.w + e];
                    gn += g * g;
                    wn += w * w;
                }
                res[at + l] = sqrt(gn);
                res[at + nl + l] = sqrt(wn);
            }
            sync();
        }
        let pf = hdr[H_PLAN_F] + s * PLAN_FLOATS;
        for (var l = 0u; l < nl; l++) {
            let ly = layer(l);
            update(ly.w, ly.fan_in * ly.fan_out, true, t, pf);
            update(ly.b, ly.fan_out, false, t, pf);
        }
        sync();
    }
}
