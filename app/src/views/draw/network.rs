//! The network view (2-D sets): each layer as a column of units, each unit drawn as a small
//! thumbnail of its output over the input plane, edges coloured by weight sign and drawn as
//! thick as the weight is large, as TensorFlow Playground does. Dead units (ReLU units the last
//! evaluation found never active on the training batch, `PlaneGrid::dead`) are greyed and
//! crossed out, with a legend entry.

use super::charts::PALETTE;
use crate::platform::web::{context2d, scratch_canvas};
use crate::state::Ui;
use engine::config::Feature;
use engine::data::grid_coord;
use engine::train::PlaneGrid;
use leptos::prelude::use_context;
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Units drawn per layer at most; wider layers show their first units and a count.
const MAX_UNITS: usize = 10;
const THUMB: f64 = 26.0;

/// Values (`res²`) to an image: blue for negative, orange for positive, scaled per unit.
fn thumb_image(values: &[f32], res: usize) -> Option<ImageData> {
    let max = values.iter().fold(1e-6f32, |m, v| m.max(v.abs()));
    let (neg, pos) = (PALETTE[0], PALETTE[4]);
    let mut px = vec![255u8; res * res * 4];
    for (i, &v) in values.iter().enumerate().take(res * res) {
        let t = (v / max).clamp(-1.0, 1.0);
        let (c, w) = if t < 0.0 { (neg, -t) } else { (pos, t) };
        let mix = |a: u8| (255.0 * (1.0 - w) + a as f32 * w) as u8;
        px[i * 4] = mix(c.0);
        px[i * 4 + 1] = mix(c.1);
        px[i * 4 + 2] = mix(c.2);
    }
    ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px), res as u32, res as u32).ok()
}

pub fn draw(canvas: &HtmlCanvasElement, grid: &PlaneGrid, features: &[Feature]) {
    let Some(ctx) = context2d(canvas) else { return };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let res = grid.resolution;
    // Column contents: the input features, each hidden layer, the output.
    let inputs: Vec<Vec<f32>> = features
        .iter()
        .map(|f| {
            (0..res * res)
                .map(|i| f.eval(grid_coord(i % res, res), -grid_coord(i / res, res)))
                .collect()
        })
        .collect();
    let mut columns: Vec<Vec<Vec<f32>>> = vec![inputs];
    for layer in &grid.neurons {
        let width = layer.len() / (res * res).max(1);
        columns.push(
            (0..width)
                .map(|u| (0..res * res).map(|c| layer[c * width + u]).collect())
                .collect(),
        );
    }
    let out: Vec<f32> = if grid.outputs == 2 {
        grid.values.chunks(2).map(|p| p[1] - p[0]).collect()
    } else {
        grid.values.chunks(grid.outputs.max(1)).map(|p| p[0]).collect()
    };
    columns.push(vec![out]);
    let n = columns.len();
    let x_of = |c: usize| 14.0 + (w - 28.0 - THUMB) * c as f64 / (n - 1).max(1) as f64;
    let y_of = |u: usize, count: usize| {
        let shown = count.min(MAX_UNITS) as f64;
        h / 2.0 - shown * (THUMB + 6.0) / 2.0 + u as f64 * (THUMB + 6.0)
    };
    // Edges first, under the thumbnails: weights[k] connects column k (or k+1 for none) to k+1.
    for (k, wts) in grid.weights.iter().enumerate() {
        let (from, to) = (&columns[k], &columns[k + 1]);
        let fan_out = wts.len() / from.len().max(1);
        let max = wts.iter().fold(1e-6f32, |m, v| m.max(v.abs()));
        for i in 0..from.len().min(MAX_UNITS) {
            for j in 0..to.len().min(MAX_UNITS).min(fan_out) {
                let v = wts[i * fan_out + j];
                let c = if v < 0.0 { PALETTE[0] } else { PALETTE[4] };
                ctx.set_stroke_style_str(&format!("rgba({},{},{},0.7)", c.0, c.1, c.2));
                ctx.set_line_width((3.0 * (v.abs() / max)) as f64 + 0.2);
                ctx.begin_path();
                ctx.move_to(x_of(k) + THUMB, y_of(i, from.len()) + THUMB / 2.0);
                ctx.line_to(x_of(k + 1), y_of(j, to.len()) + THUMB / 2.0);
                ctx.stroke();
            }
        }
    }
    let Some((tmp, tctx)) = scratch_canvas(res as u32, res as u32) else {
        return;
    };
    // Columns 1..=hidden layers are the hidden layers, in `grid.dead`'s order.
    let dead = |c: usize, u: usize| {
        c >= 1
            && grid
                .dead
                .get(c - 1)
                .and_then(|l| l.get(u))
                .copied()
                .unwrap_or(false)
    };
    let mut any_dead = false;
    for (c, units) in columns.iter().enumerate() {
        for (u, values) in units.iter().enumerate().take(MAX_UNITS) {
            if let Some(img) = thumb_image(values, res) {
                let _ = tctx.put_image_data(&img, 0.0, 0.0);
                let (x, y) = (x_of(c), y_of(u, units.len()));
                let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&tmp, x, y, THUMB, THUMB);
                ctx.set_stroke_style_str("#9aa3af");
                ctx.set_line_width(1.0);
                ctx.stroke_rect(x, y, THUMB, THUMB);
                if dead(c, u) {
                    cross_out(&ctx, x, y, THUMB);
                    any_dead = true;
                }
            }
        }
        if units.len() > MAX_UNITS {
            ctx.set_fill_style_str("#5a6270");
            ctx.set_font("11px sans-serif");
            let _ = ctx.fill_text(
                &format!("+{}", units.len() - MAX_UNITS),
                x_of(c),
                y_of(MAX_UNITS, units.len()) + 10.0,
            );
        }
    }
    if any_dead {
        legend_dead(&ctx, h);
    }
}

/// Greys a unit's thumbnail and crosses it out: a dead unit.
fn cross_out(ctx: &CanvasRenderingContext2d, x: f64, y: f64, size: f64) {
    ctx.set_fill_style_str("rgba(255,255,255,0.7)");
    ctx.fill_rect(x, y, size, size);
    ctx.set_stroke_style_str("#5a6270");
    ctx.set_line_width(1.5);
    ctx.begin_path();
    ctx.move_to(x + 3.0, y + 3.0);
    ctx.line_to(x + size - 3.0, y + size - 3.0);
    ctx.move_to(x + size - 3.0, y + 3.0);
    ctx.line_to(x + 3.0, y + size - 3.0);
    ctx.stroke();
}

/// The legend entry for dead units, bottom left (on white, over whatever is there).
fn legend_dead(ctx: &CanvasRenderingContext2d, h: f64) {
    // The page's texts: drawing runs inside the data view's effect, under the app's context.
    let Some(label) = use_context::<Ui>().map(|ui| ui.tr("ui.network_dead")) else {
        return;
    };
    let (x, y, size) = (4.0, h - 17.0, 13.0);
    ctx.set_font("11px sans-serif");
    // About the width of the text at 11px (CJK characters are about twice a Latin one).
    let width: f64 = label.chars().map(|c| if c.is_ascii() { 6.0 } else { 11.0 }).sum();
    ctx.set_fill_style_str("rgba(255,255,255,0.9)");
    ctx.fill_rect(x - 2.0, y - 2.0, size + width + 10.0, size + 4.0);
    ctx.set_stroke_style_str("#9aa3af");
    ctx.set_line_width(1.0);
    ctx.stroke_rect(x, y, size, size);
    cross_out(ctx, x, y, size);
    ctx.set_fill_style_str("#5a6270");
    let _ = ctx.fill_text(&label, x + size + 5.0, y + size - 2.0);
}
