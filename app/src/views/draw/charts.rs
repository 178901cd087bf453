//! The curves, drawn with plotters-canvas: loss, accuracy, learning rate and per-layer gradient
//! norms, for the current run and every pinned one.

use super::markers;
use crate::state::RunRecord;
use engine::axis::{step_label, tick_label};
use engine::train::EvalPoint;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Run colours: Okabe and Ito's colour-blind-safe set, darkened where needed so every line has
/// at least 3:1 contrast on white (WCAG 1.4.11); runs also differ by marker (see `markers`).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xb2), // blue 5.2:1
    RGBColor(0xd5, 0x5e, 0x00), // vermillion 3.9:1
    RGBColor(0x00, 0x9e, 0x73), // bluish green 3.4:1
    RGBColor(0xa8, 0x55, 0x9a), // reddish purple 4.7:1
    RGBColor(0x94, 0x6f, 0x00), // ochre (Okabe-Ito's orange, darkened) 4.6:1
    RGBColor(0x22, 0x22, 0x22), // near black 15.9:1
    RGBColor(0x00, 0x6e, 0x8c), // dark teal 5.8:1
    RGBColor(0x8c, 0x56, 0x4b), // brown 5.9:1
];

pub fn css_color(i: usize) -> String {
    let c = PALETTE[i % PALETTE.len()];
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

/// Points drawn per series at most: more than a chart has pixel columns. Series are read
/// already bounded: a run's curves hold a fixed number of points however long it trained (see
/// `engine::curves`), so a frame costs the same at step ten million as at step ten thousand.
const MAX_POINTS: usize = 1200;

fn stride(n: usize) -> usize {
    n.div_ceil(MAX_POINTS).max(1)
}

/// Every `stride`-th point and the last.
fn thinned(points: impl ExactSizeIterator<Item = (f64, f64)>) -> Points {
    let n = points.len();
    let s = stride(n);
    points
        .enumerate()
        .filter(|(i, _)| i % s == 0 || i + 1 == n)
        .map(|(_, p)| p)
        .collect()
}

/// A per-step curve drawn as each column's lowest and highest value (spikes stay visible however
/// long the run), and its smoothed line: the EMA at each column's last step.
fn envelope(curve: &engine::curves::Series) -> (Points, Points) {
    let (mut raw, mut smoothed) = (Vec::with_capacity(2 * MAX_POINTS), Vec::with_capacity(MAX_POINTS));
    for p in curve.envelope(MAX_POINTS) {
        let (first, last) = (p.first_step as f64, p.last_step as f64);
        if p.min == p.max {
            raw.push((last, p.min as f64));
        } else if p.min.is_finite() {
            raw.extend([(first, p.min as f64), (last, p.max as f64)]);
        }
        smoothed.push((last, p.smoothed as f64));
    }
    (raw, smoothed)
}

type Points = Vec<(f64, f64)>;

pub struct Series {
    pub points: Vec<(f64, f64)>,
    pub color: usize,
    /// Training solid, validation dashed (with markers while there are few points), raw faint.
    pub line: Line,
}

/// How a kind of line is drawn: the curves and the chart's line legend use the same.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// A run's training curve (smoothed, when smoothing is on): solid.
    Training,
    /// Its validation curve: dashed.
    Validation,
    /// Each step's batch loss behind the smoothed line: faint.
    Raw,
}

/// Dash and gap lengths (pixels) of validation curves.
const DASH: (u32, u32) = (7, 4);

pub struct ChartSpec<'a> {
    pub title: &'a str,
    pub log_y: bool,
    pub y_floor: Option<f64>,
    pub y_ceiling: Option<f64>,
    /// The last step on the shared step axis (every chart spans 0..=max_step).
    pub max_step: f64,
    /// The line legend drawn in the chart (so the exported PNG and a widget have it too):
    /// each kind of line with its name in the page's language.
    pub legend: Vec<(Line, String)>,
    /// The legend in the lower right (accuracy climbs to the top right), else the upper right.
    pub legend_low: bool,
}

/// A chart's drawing size at full width; narrower on a narrow screen ([`fit`]).
const SIZE: (u32, u32) = (560, 240);

/// Sizes `canvas` for the width it is shown at: where that is narrower than the chart's full
/// size (a phone, a widget), the canvas takes it, so its 11 px labels stay 11 px on screen
/// rather than being scaled down with the picture. Reads the layout, so it is called when the
/// size may have changed, not every frame. `false`: the canvas is not laid out (yet).
pub fn fit(canvas: &HtmlCanvasElement) -> bool {
    let shown = canvas.client_width();
    if shown <= 0 {
        return false;
    }
    let w = (shown as u32).clamp(120, SIZE.0);
    let h = w * SIZE.1 / SIZE.0;
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    true
}

/// Draws `series` on `canvas`, at the canvas's size (see [`fit`]).
pub fn draw(canvas: &HtmlCanvasElement, spec: &ChartSpec, series: &[Series]) {
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let root = backend.into_drawing_area();
    let _ = root.fill(&WHITE);
    let tf = |y: f64| if spec.log_y { y.max(1e-12).log10() } else { y };
    let mut ys = (f64::INFINITY, f64::NEG_INFINITY);
    for s in series {
        for &(_, y) in &s.points {
            if y.is_finite() {
                ys = (ys.0.min(tf(y)), ys.1.max(tf(y)));
            }
        }
    }
    if !ys.0.is_finite() {
        ys = (0.0, 1.0);
    }
    if let Some(f) = spec.y_floor {
        ys.0 = ys.0.min(tf(f));
    }
    if let Some(c) = spec.y_ceiling {
        ys.1 = ys.1.max(tf(c));
    }
    if ys.1 - ys.0 < 1e-9 {
        ys = (ys.0 - 0.5, ys.1 + 0.5);
    }
    let pad = (ys.1 - ys.0) * 0.05;
    let Ok(mut chart) = ChartBuilder::on(&root)
        .caption(spec.title, ("sans-serif", 14))
        .margin(6)
        // Room for the last step label ("10k") at the right edge.
        .margin_right(16)
        .x_label_area_size(22)
        .y_label_area_size(44)
        // At least 0..5: six ticks on a shorter axis would be fractions, printed as "0 0 0 1 1 1".
        .build_cartesian_2d(0.0..spec.max_step.max(5.0), (ys.0 - pad)..(ys.1 + pad))
    else {
        return;
    };
    let log_y = spec.log_y;
    let _ = chart
        .configure_mesh()
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .label_style(("sans-serif", 11))
        .x_labels(6)
        .y_labels(5)
        .y_label_formatter(&|v| {
            if log_y {
                format!("{:.0e}", 10f64.powf(*v))
            } else {
                tick_label(*v, ys.0 - pad, ys.1 + pad, 4)
            }
        })
        .x_label_formatter(&|v| step_label(*v))
        .draw();
    for s in series {
        let color = PALETTE[s.color % PALETTE.len()];
        let kind = s.line;
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .copied()
            .filter(|p| p.1.is_finite())
            .map(|(x, y)| (x, tf(y)))
            .collect();
        if kind == Line::Validation {
            let style = color.stroke_width(2);
            let _ = chart.draw_series(DashedLineSeries::new(pts.clone(), DASH.0, DASH.1, style));
            if pts.len() < 200 {
                let _ = chart.draw_series(pts.iter().map(|&p| Circle::new(p, 2, color.filled())));
            }
        } else {
            let _ = chart.draw_series(LineSeries::new(pts.clone(), line_style(kind, color)));
        }
        if kind != Line::Raw {
            let shape = markers::pixels(s.color);
            let _ = chart.draw_series(
                markers::places(pts.len(), s.color)
                    .into_iter()
                    .map(|i| EmptyElement::at(pts[i]) + Polygon::new(shape.clone(), color.filled())),
            );
        }
    }
    if !spec.legend.is_empty() {
        // Samples in a neutral grey: the legend names the kind of line; run colours are named
        // by the runs' legend above the charts.
        let grey = RGBColor(0x3c, 0x44, 0x50);
        for (kind, name) in &spec.legend {
            let kind = *kind;
            let sample = move |(x, y): (i32, i32)| -> DynElement<'static, CanvasBackend, (i32, i32)> {
                let ends = vec![(x, y), (x + 22, y)];
                if kind == Line::Validation {
                    DashedPathElement::new(ends, 5, 3, grey.stroke_width(2)).into_dyn()
                } else {
                    PathElement::new(ends, line_style(kind, grey)).into_dyn()
                }
            };
            if let Ok(anno) = chart.draw_series(std::iter::empty::<PathElement<(f64, f64)>>()) {
                anno.label(name.as_str()).legend(sample);
            }
        }
        let _ = chart
            .configure_series_labels()
            .position(if spec.legend_low {
                SeriesLabelPosition::LowerRight
            } else {
                SeriesLabelPosition::UpperRight
            })
            .margin(4)
            .legend_area_size(26)
            .label_font(("sans-serif", 11))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(0xc9, 0xce, 0xd6))
            .draw();
    }
    let _ = root.present();
}

fn line_style(kind: Line, color: RGBColor) -> ShapeStyle {
    match kind {
        Line::Raw => color.mix(0.25).stroke_width(1),
        _ => color.stroke_width(2),
    }
}

/// Train and validation series of one metric for every run.
pub fn metric_series(runs: &[&RunRecord], metric: Metric, smoothing: bool) -> Vec<Series> {
    let mut out = Vec::new();
    for r in runs {
        let h = &r.history;
        let evals = |f: fn(&EvalPoint) -> Option<f32>| {
            let points: Points = h
                .evals
                .iter()
                .filter_map(|e| f(e).map(|v| (e.step as f64, v as f64)))
                .collect();
            thinned(points.into_iter())
        };
        let (train, val) = match metric {
            Metric::Loss => {
                let (raw, smoothed) = envelope(&h.train_loss);
                let train = if smoothing && h.train_loss.len() > 10 {
                    out.push(Series {
                        points: raw,
                        color: r.color,
                        line: Line::Raw,
                    });
                    smoothed
                } else {
                    raw
                };
                (train, evals(|e| Some(e.val_loss)))
            }
            Metric::Accuracy => (evals(|e| e.train_acc), evals(|e| e.val_acc)),
        };
        out.push(Series {
            points: train,
            color: r.color,
            line: Line::Training,
        });
        out.push(Series {
            points: val,
            color: r.color,
            line: Line::Validation,
        });
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Loss,
    Accuracy,
}

pub fn lr_series(runs: &[&RunRecord]) -> Vec<Series> {
    runs.iter()
        .map(|r| Series {
            points: envelope(&r.history.lr).0,
            color: r.color,
            line: Line::Training,
        })
        .collect()
}

/// One line per layer (the current run only), coloured by layer.
pub fn grad_series(run: &RunRecord) -> Vec<Series> {
    let layers = run.history.layer_names.len();
    (0..layers)
        .map(|i| Series {
            points: thinned(
                run.history
                    .layers
                    .iter()
                    .filter_map(|l| l.grad_norms.get(i).map(|&g| (l.step as f64, g as f64)))
                    .collect::<Vec<_>>()
                    .into_iter(),
            ),
            color: i,
            line: Line::Training,
        })
        .collect()
}
