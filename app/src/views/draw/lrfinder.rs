//! The LR finder's chart: loss (smoothed, up to the blow-up) against log10 of the learning rate,
//! the suggested rate marked.

use crate::platform::web::context2d;
use engine::train::LrFinderResult;

/// Loss (smoothed, up to the blow-up) against log10 of the learning rate, suggestion marked.
pub fn draw(canvas: &web_sys::HtmlCanvasElement, r: &LrFinderResult) {
    let Some(ctx) = context2d(canvas) else { return };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let n = r.smoothed.len().min(r.lrs.len());
    if n < 2 {
        return;
    }
    let xs: Vec<f64> = r.lrs[..n].iter().map(|l| l.log10()).collect();
    let ys: Vec<f64> = r.smoothed[..n].iter().map(|&v| v as f64).collect();
    let (x0, x1) = (xs[0], xs[n - 1].max(xs[0] + 1e-9));
    let (y0, y1) = ys
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &y| (a.min(y), b.max(y)));
    let pad = 8.0;
    let px = |x: f64| pad + (x - x0) / (x1 - x0) * (w - 2.0 * pad);
    let py = |y: f64| h - pad - (y - y0) / (y1 - y0).max(1e-9) * (h - 2.0 * pad);
    ctx.set_stroke_style_str("#1f6feb");
    ctx.set_line_width(2.0);
    ctx.begin_path();
    for (i, (&x, &y)) in xs.iter().zip(&ys).enumerate() {
        if i == 0 {
            ctx.move_to(px(x), py(y));
        } else {
            ctx.line_to(px(x), py(y));
        }
    }
    ctx.stroke();
    if let Some(s) = r.suggested {
        ctx.set_stroke_style_str("#b42318");
        ctx.set_line_width(1.0);
        ctx.begin_path();
        ctx.move_to(px(s.log10()), pad);
        ctx.line_to(px(s.log10()), h - pad);
        ctx.stroke();
    }
}
