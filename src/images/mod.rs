//! Image sizes, read from the first bytes of each file.
//!
//! An `<img>` with `width` and `height` has its box laid out before the
//! image arrives, so the page does not jump as it loads (and the theme's
//! `height: auto` keeps the proportions when the image is scaled down).
//! pamphlet reads the size of every local image a page shows: PNG, JPEG,
//! GIF and WebP from their headers with `imagesize` (a few dozen bytes; a
//! JPEG turned by its Exif orientation gives the size readers see, see
//! [`jpeg`]), SVG from its root tag (see [`svg`]). A file that cannot be
//! read, or whose header is not what its name says, is an error where the
//! page refers to it.
//!
//! [`Sizes`] reads each file once per build, however many pages show it
//! and however many threads ask at once; the others wait for that one
//! reading. A build of ten thousand pages with no images pays one
//! extension check per image reference and nothing else.

mod jpeg;
mod svg;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

pub use svg::SvgError;

/// An image's size in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// What reading an image gave: its size (`None` for an SVG that declares
/// none, or a file that is not an image pamphlet measures), or why it could
/// not be read, in words.
pub type Measured = Result<Option<Size>, String>;

/// The image formats whose size pamphlet reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Raster { jpeg: bool },
    Svg,
}

fn format(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "png" | "gif" | "webp" => Some(Format::Raster { jpeg: false }),
        "jpg" | "jpeg" => Some(Format::Raster { jpeg: true }),
        "svg" => Some(Format::Svg),
        _ => None,
    }
}

/// Whether `path` names an image whose size pamphlet reads.
pub fn is_measured(path: &Path) -> bool {
    format(path).is_some()
}

/// Whether `path` names an SVG image.
pub fn is_svg(path: &Path) -> bool {
    format(path) == Some(Format::Svg)
}

/// Reads the size of the image at `path`.
pub fn measure(path: &Path) -> Measured {
    match format(path) {
        Some(Format::Raster { jpeg }) => raster(path, jpeg),
        Some(Format::Svg) => svg_file(path),
        None => Ok(None),
    }
}

fn raster(path: &Path, jpeg: bool) -> Measured {
    use imagesize::ImageError;
    let size = imagesize::size(path).map_err(|e| match e {
        ImageError::NotSupported => "it is not a PNG, JPEG, GIF or WebP image".to_string(),
        ImageError::CorruptedImage => cut_short(),
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => cut_short(),
        ImageError::IoError(e) => e.to_string(),
    })?;
    let (Ok(width), Ok(height)) = (u32::try_from(size.width), u32::try_from(size.height)) else {
        return Err(format!("its header gives a size of {}×{}", size.width, size.height));
    };
    if width == 0 || height == 0 {
        return Err(format!("its header gives a size of {width}×{height}"));
    }
    // The Exif block is one segment of at most 64 KiB, after a small JFIF one.
    let turned = jpeg && jpeg::turned(&head(path, 72 * 1024).map_err(|e| e.to_string())?);
    Ok(Some(if turned { Size { width: height, height: width } } else { Size { width, height } }))
}

fn cut_short() -> String {
    "it ends before its header gives a size (the file is cut short or damaged)".into()
}

/// Up to `limit` bytes from the start of the file at `path`.
fn head(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// An SVG's size from its first 64 KiB, or from its first 16 MiB when its
/// root tag ends later than that (a long comment or doctype before it).
fn svg_file(path: &Path) -> Measured {
    const HEAD: u64 = 64 * 1024;
    const MOST: u64 = 16 * 1024 * 1024;
    let mut bytes = head(path, HEAD).map_err(|e| e.to_string())?;
    if bytes.len() as u64 == HEAD && svg::size(&bytes) == Err(SvgError::Incomplete) {
        bytes = head(path, MOST).map_err(|e| e.to_string())?;
    }
    svg::size(&bytes).map_err(|e| match e {
        SvgError::Incomplete if bytes.len() as u64 == MOST => "its <svg> tag does not end in its first 16 MiB".into(),
        SvgError::Incomplete => "it ends before its <svg> tag does".into(),
        SvgError::Invalid(reason) => reason,
    })
}

/// The sizes of the images a build reads, each read once.
#[derive(Default)]
pub struct Sizes {
    read: Mutex<HashMap<PathBuf, Arc<OnceLock<Measured>>>>,
}

impl Sizes {
    /// The size of the image at `path`, read now or earlier in this build.
    pub fn get(&self, path: &Path) -> Measured {
        let cell = {
            let mut read = self.read.lock().unwrap_or_else(PoisonError::into_inner);
            match read.get(path) {
                Some(cell) => Arc::clone(cell),
                None => Arc::clone(read.entry(path.to_path_buf()).or_default()),
            }
        };
        // Read outside the lock: other files are read side by side.
        cell.get_or_init(|| measure(path)).clone()
    }

    /// What [`Sizes::get`] gave for `path`, if a page asked for it.
    pub fn known(&self, path: &Path) -> Option<Measured> {
        let read = self.read.lock().unwrap_or_else(PoisonError::into_inner);
        read.get(path).and_then(|cell| cell.get().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG's signature and header chunk for a `width`×`height` image.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        out.extend(width.to_be_bytes());
        out.extend(height.to_be_bytes());
        out.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        out
    }

    #[test]
    fn each_file_is_read_once_and_its_problems_named() {
        let dir = tempfile::tempdir().unwrap();
        let chart = dir.path().join("chart.PNG");
        std::fs::write(&chart, png(640, 360)).unwrap();
        let sizes = Sizes::default();
        assert_eq!(sizes.known(&chart), None);
        assert_eq!(sizes.get(&chart), Ok(Some(Size { width: 640, height: 360 })));
        // A later change is not seen in the same build.
        std::fs::write(&chart, png(1, 1)).unwrap();
        assert_eq!(sizes.get(&chart), Ok(Some(Size { width: 640, height: 360 })));
        assert_eq!(measure(&chart), Ok(Some(Size { width: 1, height: 1 })));

        let cut = dir.path().join("cut.png");
        std::fs::write(&cut, b"\x89PNG\r\n").unwrap();
        assert!(measure(&cut).unwrap_err().contains("cut short"), "{:?}", measure(&cut));
        let text = dir.path().join("text.webp");
        std::fs::write(&text, b"this is not an image at all").unwrap();
        assert_eq!(measure(&text), Err("it is not a PNG, JPEG, GIF or WebP image".into()));
        let svg = dir.path().join("a.svg");
        std::fs::write(&svg, "<svg viewBox='0 0 8 4'/>").unwrap();
        assert_eq!(measure(&svg), Ok(Some(Size { width: 8, height: 4 })));
        assert!(measure(&dir.path().join("gone.gif")).is_err());
        assert_eq!(measure(&dir.path().join("notes.txt")), Ok(None));
    }

    #[test]
    fn an_svg_root_past_the_first_bytes_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let svg = dir.path().join("long.svg");
        let comment = format!("<!-- {} -->", "x".repeat(100_000));
        std::fs::write(&svg, format!("{comment}<svg width='3' height='2'/>")).unwrap();
        assert_eq!(measure(&svg), Ok(Some(Size { width: 3, height: 2 })));
        std::fs::write(&svg, comment).unwrap();
        assert_eq!(measure(&svg), Err("it ends before its <svg> tag does".into()));
    }
}
