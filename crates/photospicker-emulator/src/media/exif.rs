//! The Exif block of a downloaded photo (`=d`): what the listing says about the
//! camera and the exposure, the capture time, and no location, since Google strips
//! GPS from what the Picker hands over.

use crate::library::LibraryItem;
use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};

/// A TIFF-structured Exif block (without the JPEG `Exif\0\0` prefix) for `item`
/// served at `size`.
pub fn block(item: &LibraryItem, size: (u32, u32)) -> Vec<u8> {
    // Exif has no time zone in DateTime*; the offset tags say it is UTC, as createTime is.
    let stamp = item.create_time.format("%Y:%m:%d %H:%M:%S").to_string();
    let ascii = |text: &str| Value::Ascii(vec![text.as_bytes().to_vec()]);
    let field = |tag, ifd_num, value| Field { tag, ifd_num, value };
    let mut fields = vec![
        field(Tag::Make, In::PRIMARY, ascii(item.camera_make)),
        field(Tag::Model, In::PRIMARY, ascii(item.camera_model)),
        field(Tag::Orientation, In::PRIMARY, Value::Short(vec![1])),
        field(Tag::XResolution, In::PRIMARY, Value::Rational(vec![Rational { num: 72, denom: 1 }])),
        field(Tag::YResolution, In::PRIMARY, Value::Rational(vec![Rational { num: 72, denom: 1 }])),
        field(Tag::ResolutionUnit, In::PRIMARY, Value::Short(vec![2])),
        field(Tag::DateTime, In::PRIMARY, ascii(&stamp)),
        field(Tag::ExifVersion, In::PRIMARY, Value::Undefined(b"0232".to_vec(), 0)),
        field(Tag::DateTimeOriginal, In::PRIMARY, ascii(&stamp)),
        field(Tag::DateTimeDigitized, In::PRIMARY, ascii(&stamp)),
        field(Tag::OffsetTime, In::PRIMARY, ascii("+00:00")),
        field(Tag::OffsetTimeOriginal, In::PRIMARY, ascii("+00:00")),
        field(Tag::OffsetTimeDigitized, In::PRIMARY, ascii("+00:00")),
        field(Tag::ColorSpace, In::PRIMARY, Value::Short(vec![1])),
        field(Tag::PixelXDimension, In::PRIMARY, Value::Long(vec![size.0])),
        field(Tag::PixelYDimension, In::PRIMARY, Value::Long(vec![size.1])),
    ];
    if let Some(photo) = &item.photo {
        fields.extend([
            field(Tag::ExposureTime, In::PRIMARY, Value::Rational(vec![exposure(photo.exposure_time)])),
            field(Tag::FNumber, In::PRIMARY, Value::Rational(vec![hundredths(photo.aperture_f_number)])),
            field(Tag::FocalLength, In::PRIMARY, Value::Rational(vec![hundredths(photo.focal_length)])),
            field(Tag::PhotographicSensitivity, In::PRIMARY, Value::Short(vec![photo.iso_equivalent.clamp(0, u16::MAX as i32) as u16])),
        ]);
    }
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    writer.write(&mut out, false).expect("these fields are all valid Exif");
    out.into_inner()
}

/// `"0.033333335s"` → 1/30, as cameras write exposure times; at least a second → n/10.
fn exposure(duration: &str) -> Rational {
    let seconds: f64 = duration.trim_end_matches('s').parse().unwrap_or(0.0);
    if seconds > 0.0 && seconds < 1.0 {
        Rational { num: 1, denom: (1.0 / seconds).round() as u32 }
    } else {
        Rational { num: (seconds * 10.0).round() as u32, denom: 10 }
    }
}

fn hundredths(value: f64) -> Rational {
    Rational { num: (value * 100.0).round() as u32, denom: 100 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposure_times_become_camera_style_fractions() {
        let as_pair = |r: Rational| (r.num, r.denom);
        assert_eq!(as_pair(exposure("0.033333335s")), (1, 30));
        assert_eq!(as_pair(exposure("0.008s")), (1, 125));
        assert_eq!(as_pair(exposure("0.5s")), (1, 2));
        assert_eq!(as_pair(exposure("2s")), (20, 10));
    }
}
