//! The UCI 8x8 handwritten digits (`static/data/digits.csv.gz`, see its CREDIT file):
//! parsing from bytes (the app fetches the file; wasm has no file system) and upsampling.

use std::io::Read;

use super::DataError;

/// Pixels per image (8x8).
pub const PIXELS: usize = 64;
/// Largest pixel value.
pub const MAX_PIXEL: u8 = 16;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Digits {
    /// 8x8 images, row-major, values 0..=16.
    pub images: Vec<[u8; PIXELS]>,
    /// Labels 0..=9.
    pub labels: Vec<u8>,
}

impl Digits {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// Parses the digits file: gzip-compressed CSV (or already decompressed, as a browser
/// may hand it over), one image per line: 64 pixel values 0..=16, then the label 0..=9.
pub fn parse(bytes: &[u8]) -> Result<Digits, DataError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .map_err(|e| DataError::Format(format!("cannot decompress: {e}")))?;
        parse_csv(&text)
    } else {
        let text =
            std::str::from_utf8(bytes).map_err(|_| DataError::Format("neither gzip nor text".into()))?;
        parse_csv(text)
    }
}

/// Parses the CSV text; rows are numbered from 1 in errors, blank lines are skipped.
pub fn parse_csv(text: &str) -> Result<Digits, DataError> {
    let mut d = Digits::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let err = |message: String| DataError::Parse { row: i + 1, message };
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != PIXELS + 1 {
            return Err(err(format!(
                "expected {} values, found {}",
                PIXELS + 1,
                fields.len()
            )));
        }
        let mut image = [0u8; PIXELS];
        for (j, f) in fields.iter().enumerate() {
            let what = if j == PIXELS {
                "label".to_string()
            } else {
                format!("pixel {}", j + 1)
            };
            let max = if j == PIXELS { 9 } else { MAX_PIXEL };
            let v = integer(f.trim())
                .filter(|&v| v <= max as u32)
                .ok_or_else(|| err(format!("{what} is {f:?}, expected an integer 0..={max}")))?;
            if j == PIXELS {
                d.labels.push(v as u8);
            } else {
                image[j] = v as u8;
            }
        }
        d.images.push(image);
    }
    if d.is_empty() {
        return Err(DataError::Empty);
    }
    Ok(d)
}

/// A non-negative integer, also written as a float ("5.0").
fn integer(s: &str) -> Option<u32> {
    s.parse::<u32>().ok().or_else(|| {
        let v: f64 = s.parse().ok()?;
        (v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64).then_some(v as u32)
    })
}

/// Bilinear resampling of an 8x8 image to `side × side` (pixel centres aligned, edges
/// clamped), row-major. Values stay within the source range. `side == 8` copies.
pub fn upsample(image: &[u8; PIXELS], side: usize) -> Vec<f32> {
    let scale = 8.0 / side as f32;
    let src = |i: usize| ((i as f32 + 0.5) * scale - 0.5).clamp(0.0, 7.0);
    let px = |r: usize, c: usize| image[r * 8 + c] as f32;
    let mut out = Vec::with_capacity(side * side);
    for r in 0..side {
        let sy = src(r);
        let (y0, fy) = (sy.floor() as usize, sy.fract());
        let y1 = (y0 + 1).min(7);
        for c in 0..side {
            let sx = src(c);
            let (x0, fx) = (sx.floor() as usize, sx.fract());
            let x1 = (x0 + 1).min(7);
            let top = px(y0, x0) * (1.0 - fx) + px(y0, x1) * fx;
            let bottom = px(y1, x0) * (1.0 - fx) + px(y1, x1) * fx;
            out.push(top * (1.0 - fy) + bottom * fy);
        }
    }
    out
}

/// The bundled file, parsed once (native builds only: tests and benchmarks).
#[cfg(not(target_arch = "wasm32"))]
pub fn bundled_digits() -> std::sync::Arc<Digits> {
    use std::sync::Arc;
    static DIGITS: std::sync::OnceLock<Arc<Digits>> = std::sync::OnceLock::new();
    DIGITS
        .get_or_init(|| {
            let bytes = include_bytes!("../../../static/data/digits.csv.gz");
            Arc::new(parse(bytes).expect("the bundled digits file parses"))
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn bundled_file_has_1797_images_of_10_classes() {
        let d = bundled_digits();
        assert_eq!(d.len(), 1797);
        assert_eq!(d.images.len(), 1797);
        let mut counts = [0usize; 10];
        d.labels.iter().for_each(|&l| counts[l as usize] += 1);
        assert!(counts.iter().all(|&c| (170..=190).contains(&c)), "{counts:?}");
        assert_eq!(d.images.iter().flatten().max(), Some(&16));
        assert_eq!(d.images.iter().flatten().min(), Some(&0));
        // The first image of the file is a zero.
        assert_eq!(d.labels[0], 0);
        assert_eq!(&d.images[0][..8], &[0, 0, 5, 13, 9, 1, 0, 0]);
    }

    fn row(label: u8) -> String {
        let mut v: Vec<String> = (0..64).map(|i| (i % 17).to_string()).collect();
        v.push(label.to_string());
        v.join(",")
    }

    fn gzip(text: &str) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn parses_gzip_and_plain_text() {
        let text = format!("{}\n{}\n\n", row(3), row(7));
        let d = parse(&gzip(&text)).unwrap();
        assert_eq!(d.labels, vec![3, 7]);
        assert_eq!(d.images[1][16], 16);
        assert_eq!(parse(text.as_bytes()).unwrap(), d);
        assert_eq!(parse_csv(&text.replace(",16,", ",16.0,")).unwrap(), d);
    }

    #[test]
    fn malformed_rows_name_the_row() {
        let short = format!("{}\n{}\n1,2,3\n", row(1), row(2));
        let e = parse(&gzip(&short)).unwrap_err();
        assert!(matches!(e, DataError::Parse { row: 3, .. }), "{e:?}");
        assert!(
            e.to_string().contains("row 3") && e.to_string().contains("expected 65"),
            "{e}"
        );

        let bad_pixel = format!("{}\n{}\n", row(1), row(2).replacen("16", "17", 1));
        let e = parse_csv(&bad_pixel).unwrap_err();
        assert!(
            e.to_string().contains("row 2") && e.to_string().contains("pixel 17"),
            "{e}"
        );
        let bad_label = format!("{},x", &row(1)[..row(1).len() - 2]);
        assert!(matches!(
            parse_csv(&bad_label),
            Err(DataError::Parse { row: 1, .. })
        ));
        assert_eq!(parse_csv("\n\n"), Err(DataError::Empty));
        assert!(matches!(parse(&[0x1f, 0x8b, 1, 2, 3]), Err(DataError::Format(_))));
    }

    #[test]
    fn upsample_keeps_shape_and_range() {
        let d = bundled_digits();
        for img in d.images.iter().take(50) {
            let big = upsample(img, 28);
            assert_eq!(big.len(), 28 * 28);
            let (lo, hi) = (
                *img.iter().min().unwrap() as f32,
                *img.iter().max().unwrap() as f32,
            );
            assert!(big.iter().all(|&v| v >= lo - 1e-4 && v <= hi + 1e-4));
            assert!((big.iter().cloned().fold(0.0, f32::max) - hi).abs() < 4.0);
            let same = upsample(img, 8);
            assert!(same.iter().zip(img).all(|(&a, &b)| a == b as f32));
        }
        // Corners map onto corners.
        let mut img = [0u8; 64];
        img[0] = 16;
        img[63] = 8;
        let big = upsample(&img, 28);
        assert_eq!((big[0], big[28 * 28 - 1]), (16.0, 8.0));
    }
}
