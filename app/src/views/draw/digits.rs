//! The digits data view: validation images with the predicted label (misclassified ones framed
//! in red).

use crate::platform::web::{context2d, scratch_canvas};
use engine::data::Dataset;
use engine::train::Predictions;
use wasm_bindgen::Clamped;
use web_sys::{HtmlCanvasElement, ImageData};

/// Validation images shown.
const SHOWN: usize = 48;
const PER_ROW: usize = 8;

pub fn draw_images(canvas: &HtmlCanvasElement, data: &Dataset, preds: Option<&Predictions>) {
    let Some(ctx) = context2d(canvas) else { return };
    let side = data.image_side.unwrap_or(8);
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let cell = w / PER_ROW as f64;
    let img = cell - 14.0;
    let Some((tmp, tctx)) = scratch_canvas(side as u32, side as u32) else {
        return;
    };
    ctx.set_image_smoothing_enabled(false);
    ctx.set_font("12px sans-serif");
    let n = data.val.len().min(SHOWN);
    for i in 0..n {
        let pixels = &data.val.pixels[i * side * side..(i + 1) * side * side];
        let px: Vec<u8> = pixels
            .iter()
            .flat_map(|&v| {
                let g = 255 - (v / 16.0 * 255.0).clamp(0.0, 255.0) as u8;
                [g, g, g, 255]
            })
            .collect();
        if let Ok(data) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px), side as u32, side as u32)
        {
            let _ = tctx.put_image_data(&data, 0.0, 0.0);
        }
        let (x, y) = (
            (i % PER_ROW) as f64 * cell + 7.0,
            (i / PER_ROW) as f64 * (cell + 4.0) + 2.0,
        );
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&tmp, x, y, img, img);
        if let Some(p) = preds {
            let (pred, actual) = (
                p.predicted.get(i).copied().unwrap_or(0),
                data.val.labels.get(i).copied().unwrap_or(0),
            );
            let wrong = pred != actual;
            ctx.set_stroke_style_str(if wrong { "#d62728" } else { "#c9ced6" });
            ctx.set_line_width(if wrong { 2.5 } else { 1.0 });
            ctx.stroke_rect(x, y, img, img);
            ctx.set_fill_style_str(if wrong { "#d62728" } else { "#1b1f24" });
            let label = if wrong {
                format!("{pred} ({actual})")
            } else {
                pred.to_string()
            };
            let _ = ctx.fill_text(&label, x, y + img + 12.0);
        }
    }
}
