//! The decision surface: class probabilities over the input plane as a heat map, with the
//! training points (filled) and validation points (white ring) on top.

use super::charts::PALETTE;
use crate::platform::web::{context2d, scratch_canvas};
use engine::data::Dataset;
use engine::data::toy::PLANE_EXTENT;
use engine::train::PlaneGrid;
use wasm_bindgen::Clamped;
use web_sys::{HtmlCanvasElement, ImageData};

/// Blend of the class colours weighted by probability (white = undecided).
fn cell_color(p: &[f32]) -> [u8; 3] {
    if p.len() == 1 {
        // Regression: blue (negative) to orange (positive).
        let v = p[0].clamp(-1.0, 1.0);
        let (c, w) = if v < 0.0 {
            (PALETTE[0], -v)
        } else {
            (PALETTE[4], v)
        };
        return [mix(255, c.0, w), mix(255, c.1, w), mix(255, c.2, w)];
    }
    let mut rgb = [0.0f32; 3];
    for (k, &pk) in p.iter().enumerate() {
        let c = PALETTE[k % PALETTE.len()];
        rgb[0] += pk * c.0 as f32;
        rgb[1] += pk * c.1 as f32;
        rgb[2] += pk * c.2 as f32;
    }
    let conf = p.iter().cloned().fold(0.0, f32::max);
    let w = ((conf - 1.0 / p.len() as f32) / (1.0 - 1.0 / p.len() as f32)).clamp(0.0, 1.0) * 0.75;
    [
        mix(255, rgb[0] as u8, w),
        mix(255, rgb[1] as u8, w),
        mix(255, rgb[2] as u8, w),
    ]
}

fn mix(a: u8, b: u8, w: f32) -> u8 {
    (a as f32 * (1.0 - w) + b as f32 * w) as u8
}

pub fn draw(canvas: &HtmlCanvasElement, grid: Option<&PlaneGrid>, data: Option<&Dataset>) {
    let Some(ctx) = context2d(canvas) else { return };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, w, h);
    if let Some(g) = grid {
        let res = g.resolution;
        let mut px = vec![255u8; res * res * 4];
        for (i, cell) in g.values.chunks(g.outputs.max(1)).enumerate().take(res * res) {
            let c = cell_color(cell);
            px[i * 4..i * 4 + 3].copy_from_slice(&c);
        }
        if let Ok(img) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px), res as u32, res as u32) {
            // Paint the small grid, then scale it up smoothly to the canvas.
            if let Some((tmp, tctx)) = scratch_canvas(res as u32, res as u32) {
                let _ = tctx.put_image_data(&img, 0.0, 0.0);
                let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&tmp, 0.0, 0.0, w, h);
            }
        }
    }
    let Some(d) = data else { return };
    let to_px = |x: f32, y: f32| {
        (
            ((x + PLANE_EXTENT) / (2.0 * PLANE_EXTENT)) as f64 * w,
            ((PLANE_EXTENT - y) / (2.0 * PLANE_EXTENT)) as f64 * h,
        )
    };
    let point_color = |split: &engine::data::Split, i: usize| {
        if d.regression {
            let v = split.targets.get(i).copied().unwrap_or(0.0);
            if v < 0.0 { 0 } else { 4 }
        } else {
            split.labels.get(i).copied().unwrap_or(0) as usize
        }
    };
    for (val, split) in [(false, &d.train), (true, &d.val)] {
        for (i, p) in split.points.iter().enumerate() {
            let (x, y) = to_px(p[0], p[1]);
            let c = PALETTE[point_color(split, i) % PALETTE.len()];
            ctx.begin_path();
            let _ = ctx.arc(x, y, if val { 3.5 } else { 3.0 }, 0.0, std::f64::consts::TAU);
            ctx.set_fill_style_str(&format!("rgb({},{},{})", c.0, c.1, c.2));
            ctx.fill();
            ctx.set_line_width(if val { 1.5 } else { 0.5 });
            ctx.set_stroke_style_str(if val { "#fff" } else { "rgba(0,0,0,0.4)" });
            ctx.stroke();
        }
    }
}
