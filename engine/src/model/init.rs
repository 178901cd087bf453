//! Initial weights, drawn from the engine's own RNG so every backend starts identically.

use super::{LayerKind, ModelSpec};
use crate::config::{Init, ModelConfig};
use crate::rng::{Rng, purpose};

/// Initial values for every parameter of `spec`, in parameter order.
pub fn init_values(spec: &ModelSpec, cfg: &ModelConfig, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = Rng::stream(seed, purpose::INIT);
    let mut values: Vec<Vec<f32>> = spec.param_shapes.iter().map(|s| vec![0.0; s[0] * s[1]]).collect();
    for layer in &spec.layers {
        // Conv fans count the 3x3 window on both sides, as PyTorch's do.
        let (fan_in, fan_out) = match layer.kind {
            LayerKind::Conv => (layer.fan_in, layer.fan_out * 9),
            _ => (layer.fan_in, layer.fan_out),
        };
        let (fi, fo) = (fan_in as f32, fan_out as f32);
        let w = &mut values[layer.weight];
        match cfg.init {
            Init::HeNormal => fill_normal(&mut rng, w, (2.0 / fi).sqrt()),
            Init::HeUniform => fill_uniform(&mut rng, w, (6.0 / fi).sqrt()),
            Init::GlorotNormal => fill_normal(&mut rng, w, (2.0 / (fi + fo)).sqrt()),
            Init::GlorotUniform => fill_uniform(&mut rng, w, (6.0 / (fi + fo)).sqrt()),
            Init::Normal => fill_normal(&mut rng, w, cfg.init_std),
            Init::Zeros => {}
        }
        if let Some((gamma, _beta, _)) = layer.norm {
            values[gamma].iter_mut().for_each(|g| *g = 1.0);
        }
    }
    values
}

fn fill_normal(rng: &mut Rng, w: &mut [f32], std: f32) {
    w.iter_mut().for_each(|v| *v = rng.normal() * std);
}

fn fill_uniform(rng: &mut Rng, w: &mut [f32], limit: f32) {
    w.iter_mut().for_each(|v| *v = rng.range(-limit, limit));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelSpec;

    fn std_of(v: &[f32]) -> f32 {
        let m = v.iter().sum::<f32>() / v.len() as f32;
        (v.iter().map(|x| (x - m) * (x - m)).sum::<f32>() / v.len() as f32).sqrt()
    }

    #[test]
    fn schemes_have_their_scale() {
        let mut cfg = ModelConfig {
            hidden: vec![256],
            ..Default::default()
        };
        let spec = ModelSpec::new(&cfg, 128, 10, None);
        let w = spec.layers[0].weight;
        let he = init_values(&spec, &cfg, 1);
        assert!((std_of(&he[w]) - (2.0f32 / 128.0).sqrt()).abs() < 0.01);
        cfg.init = Init::GlorotUniform;
        let gu = init_values(&spec, &cfg, 1);
        let limit = (6.0f32 / 384.0).sqrt();
        assert!(gu[w].iter().all(|v| v.abs() <= limit));
        cfg.init = Init::Normal;
        cfg.init_std = 0.001;
        assert!((std_of(&init_values(&spec, &cfg, 1)[w]) - 0.001).abs() < 1e-4);
        cfg.init = Init::Zeros;
        assert!(init_values(&spec, &cfg, 1)[w].iter().all(|&v| v == 0.0));
        // Biases start at zero whatever the scheme.
        assert!(he[spec.layers[0].bias].iter().all(|&v| v == 0.0));
    }
}
