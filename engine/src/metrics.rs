//! Classification metrics beyond accuracy: confusion matrix, precision, recall, F1.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    pub precision: f32,
    pub recall: f32,
    pub f1: f32,
    /// How many examples truly belong to the class.
    pub support: usize,
}

/// `counts[actual][predicted]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    pub classes: usize,
    pub counts: Vec<Vec<usize>>,
}

impl Confusion {
    pub fn new(classes: usize, actual: &[u32], predicted: &[u32]) -> Self {
        let mut counts = vec![vec![0; classes]; classes];
        for (&a, &p) in actual.iter().zip(predicted) {
            if (a as usize) < classes && (p as usize) < classes {
                counts[a as usize][p as usize] += 1;
            }
        }
        Self { classes, counts }
    }

    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> f32 {
        let right: usize = (0..self.classes).map(|c| self.counts[c][c]).sum();
        right as f32 / self.total().max(1) as f32
    }

    /// Per-class precision, recall and F1 (0 where undefined, e.g. a class never predicted).
    pub fn per_class(&self) -> Vec<ClassMetrics> {
        (0..self.classes)
            .map(|c| {
                let tp = self.counts[c][c] as f32;
                let predicted: usize = (0..self.classes).map(|a| self.counts[a][c]).sum();
                let support: usize = self.counts[c].iter().sum();
                let precision = if predicted > 0 { tp / predicted as f32 } else { 0.0 };
                let recall = if support > 0 { tp / support as f32 } else { 0.0 };
                let f1 = if precision + recall > 0.0 {
                    2.0 * precision * recall / (precision + recall)
                } else {
                    0.0
                };
                ClassMetrics {
                    precision,
                    recall,
                    f1,
                    support,
                }
            })
            .collect()
    }

    /// Unweighted mean F1 over classes: low when a minority class is ignored.
    pub fn macro_f1(&self) -> f32 {
        let m = self.per_class();
        m.iter().map(|c| c.f1).sum::<f32>() / m.len().max(1) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_guesser_has_high_accuracy_but_zero_minority_recall() {
        let actual = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        let predicted = [0; 10];
        let c = Confusion::new(2, &actual, &predicted);
        assert_eq!(c.accuracy(), 0.9);
        let m = c.per_class();
        assert_eq!(m[1].recall, 0.0);
        assert_eq!(m[1].precision, 0.0);
        assert_eq!(m[1].support, 1);
        assert!((m[0].precision - 0.9).abs() < 1e-6);
        assert!(c.macro_f1() < 0.5);
    }

    #[test]
    fn precision_recall_f1_by_hand() {
        // class 1: tp=2, fp=1, fn=1
        let actual = [1, 1, 1, 0, 0];
        let predicted = [1, 1, 0, 1, 0];
        let m = Confusion::new(2, &actual, &predicted).per_class();
        assert!((m[1].precision - 2.0 / 3.0).abs() < 1e-6);
        assert!((m[1].recall - 2.0 / 3.0).abs() < 1e-6);
        assert!((m[1].f1 - 2.0 / 3.0).abs() < 1e-6);
    }
}
