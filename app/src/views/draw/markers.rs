//! A run's marker: a shape drawn along its lines and beside its name in the legend, so runs
//! differ by more than colour (WCAG 1.4.1) and a pinned run identical to the current one still
//! shows (the markers of different runs sit at different places along the line).

use std::f64::consts::PI;

/// How many shapes there are (as many as run colours: run `i` has colour and shape `i`).
pub const SHAPES: usize = 8;

/// Marker `i`'s outline in pixels around its centre (y down), about 10 px across.
pub fn outline(i: usize) -> Vec<(f64, f64)> {
    let ring = |n: usize, r: f64, turn: f64| -> Vec<(f64, f64)> {
        (0..n)
            .map(|k| {
                let a = turn + 2.0 * PI * k as f64 / n as f64;
                (r * a.cos(), r * a.sin())
            })
            .collect()
    };
    let plus = [
        (-1.8, -5.0),
        (1.8, -5.0),
        (1.8, -1.8),
        (5.0, -1.8),
        (5.0, 1.8),
        (1.8, 1.8),
        (1.8, 5.0),
        (-1.8, 5.0),
        (-1.8, 1.8),
        (-5.0, 1.8),
        (-5.0, -1.8),
        (-1.8, -1.8),
    ];
    match i % SHAPES {
        0 => ring(12, 4.5, 0.0),
        1 => vec![(-4.0, -4.0), (4.0, -4.0), (4.0, 4.0), (-4.0, 4.0)],
        2 => vec![(0.0, -5.0), (5.0, 4.0), (-5.0, 4.0)],
        3 => vec![(0.0, -5.5), (5.0, 0.0), (0.0, 5.5), (-5.0, 0.0)],
        4 => vec![(0.0, 5.0), (5.0, -4.0), (-5.0, -4.0)],
        5 => plus.to_vec(),
        6 => {
            let s = std::f64::consts::FRAC_1_SQRT_2;
            plus.iter().map(|&(x, y)| (s * (x - y), s * (x + y))).collect()
        }
        _ => {
            // A five-pointed star: outer and inner points in turn.
            let (outer, inner) = (ring(5, 5.5, -PI / 2.0), ring(5, 2.3, -PI / 2.0 + PI / 5.0));
            outer.into_iter().zip(inner).flat_map(|(a, b)| [a, b]).collect()
        }
    }
}

/// Marker `i` in whole pixels, for the canvas.
pub fn pixels(i: usize) -> Vec<(i32, i32)> {
    outline(i)
        .into_iter()
        .map(|(x, y)| (x.round() as i32, y.round() as i32))
        .collect()
}

/// Marker `i` as an SVG path (`viewBox="-6 -6 12 12"`), for the legends.
pub fn svg_path(i: usize) -> String {
    let mut d = String::new();
    for (k, (x, y)) in outline(i).into_iter().enumerate() {
        d.push_str(if k == 0 { "M" } else { "L" });
        d.push_str(&format!("{x:.1} {y:.1}"));
    }
    d.push('Z');
    d
}

/// Where along a line of `n` points (in step order) run `i`'s markers go: a few evenly spaced
/// places, shifted by a fraction of the spacing that differs per run.
pub fn places(n: usize, i: usize) -> Vec<usize> {
    const PER_LINE: usize = 5;
    if n == 0 {
        return vec![];
    }
    let phase = ((i % SHAPES) as f64 + 0.5) / SHAPES as f64;
    let mut at: Vec<usize> = (0..PER_LINE)
        .map(|j| (((j as f64 + phase) / PER_LINE as f64) * (n - 1) as f64).round() as usize)
        .collect();
    at.dedup();
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_is_a_closed_outline_of_its_own() {
        let all: Vec<_> = (0..SHAPES).map(pixels).collect();
        for (i, s) in all.iter().enumerate() {
            assert!(s.len() >= 3, "shape {i}");
            assert!(
                s.iter().all(|&(x, y)| x.abs() <= 6 && y.abs() <= 6),
                "shape {i} fits 12 px"
            );
            assert!(
                all[..i].iter().all(|o| o != s),
                "shape {i} repeats an earlier one"
            );
        }
        assert!(svg_path(3).starts_with('M') && svg_path(3).ends_with('Z'));
    }

    #[test]
    fn runs_put_their_markers_in_different_places() {
        let a = places(1000, 0);
        let b = places(1000, 1);
        assert_eq!(a.len(), 5);
        assert!(a.iter().all(|p| !b.contains(p)));
        assert!(a.iter().chain(&b).all(|&p| p < 1000));
        assert_eq!(places(1, 5), vec![0]);
        assert!(places(0, 2).is_empty());
    }
}
