//! Constants and codes the training paths share with the WebGPU shader, written once: the
//! `shared!` macro makes both the Rust items and the WGSL header (`WGSL_HEADER`) that
//! [`fused_shader`] puts in front of `fused_gpu.wgsl`, so the shader cannot drift from Rust.
//! Compiled in every build, so native tests check the header without a GPU.

// Without the `webgpu` feature only the optimizers and the activations use some of these.
#![cfg_attr(not(feature = "webgpu"), allow(dead_code))]

use crate::config::{Activation, OptimizerKind};

macro_rules! shared {
    (
        layout { $($(#[doc = $ld:literal])* $l:ident = $lv:literal,)* }
        floats { $($(#[doc = $fd:literal])* $f:ident = $fv:literal,)* }
        $(codes $ty:ident => $code:ident { $($v:ident => $c:ident = $cv:literal,)* })*
    ) => {
        $($(#[doc = $ld])* pub const $l: usize = $lv;)*
        $($(#[doc = $fd])* pub const $f: f64 = $fv;)*
        $(
            $(pub const $c: u32 = $cv;)*
            /// The shader's code for a variant.
            pub fn $code(x: $ty) -> u32 {
                match x {
                    $($ty::$v => $c,)*
                }
            }
        )*
        /// The same items in WGSL (`u32` and `f32`).
        pub const WGSL_HEADER: &str = concat!(
            "// Generated from engine/src/train/shader_consts.rs.\n",
            $("const ", stringify!($l), ": u32 = ", stringify!($lv), "u;\n",)*
            $("const ", stringify!($f), ": f32 = ", stringify!($fv), ";\n",)*
            $($("const ", stringify!($c), ": u32 = ", stringify!($cv), "u;\n",)*)*
            "\n",
        );
        /// Every item's name and value, for the tests.
        #[cfg(test)]
        const VALUES: &[(&str, f64)] = &[
            $((stringify!($l), $l as f64),)*
            $((stringify!($f), $f),)*
            $($((stringify!($c), $c as f64),)*)*
        ];
    };
}

shared! {
    layout {
        /// Header slots (`hdr`, written by `fused_gpu.rs`).
        H_LAYERS = 0,
        H_BATCH = 1,
        H_FEATURES = 2,
        H_STEPS = 3,
        H_FIRST = 4,
        H_OPT = 5,
        H_NORMS = 6,
        H_NORMS_AT = 7,
        H_GRAD = 8,
        H_S1 = 9,
        H_S2 = 10,
        H_DELTA_A = 11,
        H_DELTA_B = 12,
        H_ROW_LOSS = 13,
        H_PLAN_F = 14,
        H_WD = 15,
        H_L1 = 16,
        H_MOM = 17,
        /// The first layer's slots; each layer has `LAYER_SLOTS`.
        H_LAYER0 = 32,
        LAYER_SLOTS = 8,
        /// Floats per step in the plan: learning rate, Adam's two bias corrections, AdamW's decay.
        PLAN_FLOATS = 4,
    }
    floats {
        /// Adam's decay rates of the first and second moments.
        ADAM_B1 = 0.9,
        ADAM_B2 = 0.999,
        /// RMSprop's decay rate of the mean square.
        RMS_ALPHA = 0.99,
        /// Added to Adam's and RMSprop's denominators.
        EPS = 1e-8,
        /// Leaky ReLU's slope below zero.
        LEAKY_SLOPE = 0.01,
    }
    codes Activation => act_code {
        Relu => ACT_RELU = 0,
        LeakyRelu => ACT_LEAKY_RELU = 1,
        Tanh => ACT_TANH = 2,
        Sigmoid => ACT_SIGMOID = 3,
        Linear => ACT_LINEAR = 4,
    }
    codes OptimizerKind => opt_code {
        Sgd => OPT_SGD = 0,
        Momentum => OPT_MOMENTUM = 1,
        Nesterov => OPT_NESTEROV = 2,
        Adam => OPT_ADAM = 3,
        AdamW => OPT_ADAMW = 4,
        RmsProp => OPT_RMSPROP = 5,
    }
}

/// The fused WebGPU path's whole shader: the header, then `fused_gpu.wgsl`.
pub fn fused_shader() -> String {
    [WGSL_HEADER, include_str!("fused_gpu.wgsl")].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names declared by `const` in WGSL text, in order.
    fn consts(text: &str) -> Vec<&str> {
        text.lines()
            .filter_map(|l| l.trim_start().strip_prefix("const "))
            .filter_map(|l| l.split(':').next())
            .map(str::trim)
            .collect()
    }

    #[test]
    fn header_names_every_constant_with_its_value() {
        for &(name, value) in VALUES {
            let line = WGSL_HEADER
                .lines()
                .find(|l| l.starts_with(&format!("const {name}: ")))
                .unwrap_or_else(|| panic!("{name} missing from the header"));
            let text = line.split('=').nth(1).expect("a value").trim();
            let text = text.trim_end_matches(';').trim_end_matches('u');
            assert_eq!(text.parse::<f64>(), Ok(value), "{line}");
        }
        assert_eq!(consts(WGSL_HEADER).len(), VALUES.len());
    }

    #[test]
    fn shader_declares_each_constant_once_and_uses_only_declared_ones() {
        let src = fused_shader();
        let names = consts(&src);
        for (i, a) in names.iter().enumerate() {
            assert!(!names[i + 1..].contains(a), "const {a} declared twice");
        }
        let body = include_str!("fused_gpu.wgsl");
        let words = body.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        let named = |w: &&str| {
            ["H_", "ACT_", "OPT_"]
                .iter()
                .any(|p| w.len() > p.len() && w.starts_with(p))
        };
        for w in words.filter(named) {
            assert!(
                names.contains(&w),
                "{w} is used in fused_gpu.wgsl but not declared"
            );
        }
    }

    #[test]
    fn codes_are_distinct() {
        let acts: Vec<u32> = Activation::ALL.iter().map(|&a| act_code(a)).collect();
        let opts: Vec<u32> = OptimizerKind::ALL.iter().map(|&o| opt_code(o)).collect();
        for codes in [acts, opts] {
            for (i, c) in codes.iter().enumerate() {
                assert!(!codes[i + 1..].contains(c), "code {c} twice");
            }
        }
    }
}
