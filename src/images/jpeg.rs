//! Whether a JPEG is shown turned a quarter: its Exif orientation.
//!
//! Cameras and phones store a portrait photo as a landscape one with an
//! Exif tag saying "turn me", and browsers obey it, so a 4032×3024 file is
//! shown 3024×4032. Its `width` and `height` must say what readers see.

/// Whether the JPEG whose first bytes are `head` asks to be turned by 90°
/// or 270° (Exif orientations 5 to 8). Anything unreadable says no.
pub fn turned(head: &[u8]) -> bool {
    matches!(orientation(head), Some(5..=8))
}

fn orientation(head: &[u8]) -> Option<u16> {
    let mut rest = head.strip_prefix(&[0xFF, 0xD8])?;
    loop {
        // Markers may be padded with fill bytes (0xFF).
        let at = rest.iter().position(|&b| b != 0xFF)?;
        let marker = *rest.get(at)?;
        if at == 0 || matches!(marker, 0xDA | 0xD9) {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([*rest.get(at + 1)?, *rest.get(at + 2)?]));
        let segment = rest.get(at + 3..at + 1 + len)?;
        if marker == 0xE1
            && let Some(tiff) = segment.strip_prefix(b"Exif\0\0")
        {
            return exif_orientation(tiff);
        }
        rest = &rest[at + 1 + len..];
    }
}

/// The Orientation tag (0x0112) of the first image directory of an Exif
/// block (a TIFF header and what follows it).
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let little = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |i: usize| {
        let b = [*tiff.get(i)?, *tiff.get(i + 1)?];
        Some(if little { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) })
    };
    let u32_at = |i: usize| {
        let b: [u8; 4] = tiff.get(i..i + 4)?.try_into().ok()?;
        Some(if little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    let directory = usize::try_from(u32_at(4)?).ok()?;
    let entries = u16_at(directory)?;
    (0..usize::from(entries))
        .map(|n| directory + 2 + 12 * n)
        .find(|&e| u16_at(e) == Some(0x0112))
        .and_then(|e| u16_at(e + 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG's first segments, with an Exif block holding `orientation`.
    fn head(little: bool, orientation: u16) -> Vec<u8> {
        let u16b = |v: u16| if little { v.to_le_bytes() } else { v.to_be_bytes() };
        let u32b = |v: u32| if little { v.to_le_bytes() } else { v.to_be_bytes() };
        let mut tiff = Vec::from(if little { *b"II" } else { *b"MM" });
        tiff.extend(u16b(42));
        tiff.extend(u32b(8));
        tiff.extend(u16b(2));
        for (tag, value) in [(0x010F_u16, 0_u16), (0x0112, orientation)] {
            tiff.extend(u16b(tag));
            tiff.extend(u16b(3));
            tiff.extend(u32b(1));
            tiff.extend(u16b(value));
            tiff.extend([0, 0]);
        }
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend(tiff);
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, b'J', b'F', 0xFF, 0xFF, 0xE1];
        out.extend(u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
        out.extend(exif);
        out.extend([0xFF, 0xDA, 0, 2]);
        out
    }

    #[test]
    fn portrait_photos_are_turned() {
        for little in [true, false] {
            assert!(!turned(&head(little, 1)));
            assert!(!turned(&head(little, 3)));
            assert!(turned(&head(little, 6)));
            assert!(turned(&head(little, 8)));
        }
    }

    #[test]
    fn anything_unreadable_is_not_turned() {
        let full = head(true, 6);
        // Cut short anywhere before the Exif segment ends.
        for cut in 0..full.len() - 4 {
            assert!(!turned(&full[..cut]), "cut at {cut}");
        }
        assert!(!turned(b"\x89PNG\r\n\x1a\n"));
        assert!(!turned(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]));
    }
}
