//! Tick labels for the curves' value axes, readable at any magnitude: a diverging loss spans
//! 2.3 to 1e36, and a fixed `{:.3}` label of that is too wide for the axis (it showed as a
//! truncated "848.000").

/// The label of tick `v` on an axis spanning `lo..hi` with about `ticks` labels: the fewest
/// digits that still state the tick (ticks are round numbers), in plain decimals while the
/// numbers stay short, otherwise in scientific notation.
pub fn tick_label(v: f64, lo: f64, hi: f64, ticks: usize) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let span = (hi - lo).abs();
    let step = if span > 0.0 {
        span / ticks.max(1) as f64
    } else {
        v.abs().max(1.0)
    };
    // Ticks sit on multiples of a round step: a digit finer than a thousandth of it says nothing.
    let tol = step * 1e-3;
    if v.abs() <= tol {
        return "0".into();
    }
    let states = |s: &String| s.parse::<f64>().is_ok_and(|x| (x - v).abs() <= tol);
    let plain = lo.abs().max(hi.abs()) < 1e5 && step >= 1e-4;
    let fmt = |d: usize| {
        if plain {
            format!("{v:.d$}")
        } else {
            format!("{v:.d$e}")
        }
    };
    let most = if plain { 4 } else { 3 };
    (0..most).map(fmt).find(states).unwrap_or_else(|| fmt(most))
}

/// The label of a tick on the step axis: plain below 10,000, then in thousands ("25k", "100k")
/// and millions ("1.5M"), so the last label of a long run fits at the canvas's right edge (a
/// plain "100000" was cut to "10000" there).
pub fn step_label(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let short = |x: f64, unit: &str| {
        // Ticks are round numbers: one decimal states any of them.
        let s = format!("{x:.1}");
        format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s))
    };
    match v.abs() {
        a if a < 1e4 => format!("{v:.0}"),
        a if a < 1e6 => short(v / 1e3, "k"),
        _ => short(v / 1e6, "M"),
    }
}

#[cfg(test)]
mod tests {
    use super::{step_label, tick_label};

    #[test]
    fn step_axis_labels_stay_short() {
        let cases = [
            (0.0, "0"),
            (2000.0, "2000"),
            (9999.0, "9999"),
            (20_000.0, "20k"),
            (25_000.0, "25k"),
            (100_000.0, "100k"),
            (12_500.0, "12.5k"),
            (1_500_000.0, "1.5M"),
            (2_000_000.0, "2M"),
        ];
        for (v, want) in cases {
            assert_eq!(step_label(v), want);
        }
        assert_eq!(step_label(f64::NAN), "");
    }

    #[test]
    fn ordinary_losses_and_accuracies() {
        assert_eq!(tick_label(0.5, 0.0, 1.0, 4), "0.5");
        assert_eq!(tick_label(0.25, 0.0, 1.0, 4), "0.25");
        assert_eq!(tick_label(1.0, 0.0, 1.0, 4), "1");
        assert_eq!(tick_label(0.30000000000000004, 0.0, 1.0, 4), "0.3");
        assert_eq!(tick_label(2.3, 0.0, 3.0, 4), "2.3");
        assert_eq!(tick_label(0.0, 0.0, 3.0, 4), "0");
        assert_eq!(tick_label(1500.0, 0.0, 4000.0, 4), "1500");
        assert_eq!(tick_label(0.0012, 0.001, 0.003, 4), "0.0012");
    }

    #[test]
    fn a_diverging_loss_stays_short_and_distinct() {
        let (lo, hi) = (0.0, 2.0e15);
        let labels: Vec<String> = (0..=4)
            .map(|i| tick_label(i as f64 * 5.0e14, lo, hi, 4))
            .collect();
        assert_eq!(
            labels,
            ["0", "5e14", "1e15", "1.5e15", "2e15"].map(String::from).to_vec()
        );
        for l in &labels {
            assert!(l.len() <= 7, "{l} is too wide for the axis");
        }
        assert_eq!(tick_label(-3.0e6, -4.0e6, 0.0, 4), "-3e6");
        assert_eq!(tick_label(f64::NAN, 0.0, 1.0, 4), "");
    }

    #[test]
    fn tiny_spacings_use_scientific_notation() {
        assert_eq!(tick_label(1.0e-6, 0.0, 4.0e-6, 4), "1e-6");
        assert_eq!(tick_label(2.5e-6, 0.0, 4.0e-6, 4), "2.5e-6");
    }
}
