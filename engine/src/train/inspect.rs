//! Read-only views of a run for the pictures: the decision surface, each neuron's output over
//! the plane, the dense weights, and per-example validation predictions.

use super::loss;
use super::session::Session;
use crate::backend::DeviceError;
use crate::error::EngineError;
use crate::metrics::{ClassMetrics, Confusion};
use crate::model::{ForwardMode, LayerKind};
use burn::tensor::activation::softmax;
use burn::tensor::{Tensor, TensorData, Transaction};
use serde::{Deserialize, Serialize};

/// The model over the 2-D input plane, `resolution²` cells, rows from the top.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaneGrid {
    pub resolution: usize,
    /// Values per cell: class probabilities, or the predicted value (regression).
    pub outputs: usize,
    /// `resolution² × outputs`, row-major.
    pub values: Vec<f32>,
    /// Per hidden layer, `resolution² × width` unit outputs (empty unless asked for).
    pub neurons: Vec<Vec<f32>>,
    /// Per dense layer (hidden and output), the `[in × out]` weights, row-major.
    pub weights: Vec<Vec<f32>>,
    /// Per dense hidden layer, which units the latest evaluation found dead
    /// ([`Session::dead_units`]); empty before the first evaluation.
    #[serde(default)]
    pub dead: Vec<Vec<bool>>,
}

/// The model's answers on the validation set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Predictions {
    pub predicted: Vec<u32>,
    /// The predicted class's probability.
    pub confidence: Vec<f32>,
    pub actual: Vec<u32>,
    pub confusion: Confusion,
    pub per_class: Vec<ClassMetrics>,
}

fn read_err(e: impl std::fmt::Debug) -> EngineError {
    DeviceError::ReadBack(format!("{e:?}")).into()
}

impl Session {
    /// The decision surface (and optionally every hidden unit's output) over the plane.
    /// `None` unless the examples are 2-D points ([`crate::data::Dataset::is_plane`]).
    pub async fn plane_grid(
        &mut self,
        resolution: usize,
        neurons: bool,
    ) -> Result<Option<PlaneGrid>, EngineError> {
        if !self.data.is_plane() || resolution == 0 {
            return Ok(None);
        }
        self.sync_params();
        let feats = self.data.plane_grid(&self.cfg.data, resolution);
        let cells = resolution * resolution;
        let x = Tensor::from_data(
            TensorData::new(feats, [cells, self.data.num_features]),
            &self.device,
        );
        let out = self.model.forward(
            x,
            ForwardMode {
                keep_hidden: neurons,
                ..Default::default()
            },
        );
        let values = if self.data.regression {
            out.output
        } else {
            softmax(loss::scores(out.output, &self.cfg.bugs), 1)
        };
        let outputs = values.dims()[1];
        let dense: Vec<usize> = self
            .model
            .spec
            .layers
            .iter()
            .filter(|l| l.kind != LayerKind::Conv)
            .map(|l| l.weight)
            .collect();
        let mut tx = Transaction::default().register(values);
        for h in &out.hidden {
            tx = tx.register(h.clone());
        }
        for &w in &dense {
            tx = tx.register(self.model.params[w].clone());
        }
        let mut data = tx.execute_async().await.map_err(read_err)?.into_iter();
        let mut next = || data.next().map(super::floats).unwrap_or_default();
        let values = next();
        let neurons = out.hidden.iter().map(|_| next()).collect();
        let weights = dense.iter().map(|_| next()).collect();
        Ok(Some(PlaneGrid {
            resolution,
            outputs,
            values,
            neurons,
            weights,
            dead: self.dead_units().to_vec(),
        }))
    }

    /// Predicted class and confidence for every validation example, with the confusion matrix
    /// and per-class precision/recall/F1. `None` for regression.
    pub async fn predictions(&mut self) -> Result<Option<Predictions>, EngineError> {
        self.sync_params();
        if self.data.regression {
            return Ok(None);
        }
        let out = self
            .model
            .forward(self.dev.val.x.clone(), ForwardMode::default())
            .output;
        let probs = softmax(loss::scores(out, &self.cfg.bugs), 1);
        let (conf, idx) = probs.max_dim_with_indices(1);
        let data = Transaction::default()
            .register(conf)
            .register(idx)
            .execute_async()
            .await
            .map_err(read_err)?;
        let mut it = data.into_iter();
        let confidence = it.next().map(super::floats).unwrap_or_default();
        let predicted: Vec<u32> = it
            .next()
            .map(super::ints)
            .unwrap_or_default()
            .into_iter()
            .map(|v| v as u32)
            .collect();
        let actual = self.data.val.labels.clone();
        let confusion = Confusion::new(self.data.num_classes, &actual, &predicted);
        let per_class = confusion.per_class();
        Ok(Some(Predictions {
            predicted,
            confidence,
            actual,
            confusion,
            per_class,
        }))
    }
}
