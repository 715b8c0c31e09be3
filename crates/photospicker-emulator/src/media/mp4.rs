//! A minimal MP4 (ISO/IEC 14496-12 and -15) muxer for one H.264 track, `moov`
//! before `mdat` ("fast start") so that players can begin before the end arrives.

use super::h264::Stream;

pub struct Track<'a> {
    pub stream: &'a Stream,
    pub width: u32,
    pub height: u32,
    /// Media ticks per second; every frame lasts `frame_ticks`.
    pub timescale: u32,
    pub frame_ticks: u32,
    /// Seconds since 1970 for the creation and modification times.
    pub created_unix: i64,
}

/// The movie's bytes: `ftyp`, `moov`, `mdat`.
pub fn mux(track: &Track) -> Vec<u8> {
    let ftyp = boxed(b"ftyp", &[b"isom".as_slice(), &0x200u32.to_be_bytes(), b"isom", b"iso2", b"avc1", b"mp41"].concat());
    // Each sample is its NAL unit with a 4-byte length in front.
    let sample_sizes: Vec<u32> = track.stream.frames.iter().map(|f| f.len() as u32 + 4).collect();
    let moov_len = moov(track, &sample_sizes, 0).len();
    let first_sample = (ftyp.len() + moov_len + 8) as u32;
    let moov = moov(track, &sample_sizes, first_sample);
    let payload: usize = sample_sizes.iter().map(|&s| s as usize).sum();
    let mut out = Vec::with_capacity(first_sample as usize + payload);
    out.extend_from_slice(&ftyp);
    out.extend_from_slice(&moov);
    out.extend_from_slice(&(payload as u32 + 8).to_be_bytes());
    out.extend_from_slice(b"mdat");
    for frame in &track.stream.frames {
        out.extend_from_slice(&(frame.len() as u32).to_be_bytes());
        out.extend_from_slice(frame);
    }
    out
}

/// A `free` box of exactly `len` bytes (at least 8), which every reader skips.
pub fn free_box_header(len: u64) -> Vec<u8> {
    if len <= u32::MAX as u64 {
        [&(len as u32).to_be_bytes()[..], b"free"].concat()
    } else {
        // A 64-bit size; the header is then 16 bytes.
        [&1u32.to_be_bytes()[..], b"free", &len.to_be_bytes()].concat()
    }
}

fn moov(track: &Track, sample_sizes: &[u32], first_sample: u32) -> Vec<u8> {
    const MOVIE_TIMESCALE: u32 = 1000;
    let frames = sample_sizes.len() as u64;
    let media_duration = frames * track.frame_ticks as u64;
    let movie_duration = (media_duration * MOVIE_TIMESCALE as u64).div_ceil(track.timescale as u64) as u32;
    // Seconds since 1904, as MP4 counts.
    let time = (track.created_unix + 2_082_844_800).clamp(0, u32::MAX as i64) as u32;
    let matrix: Vec<u8> = [0x0001_0000u32, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000].iter().flat_map(|v| v.to_be_bytes()).collect();

    let mvhd = full_box(b"mvhd", 0, 0, &[
        &time.to_be_bytes()[..],
        &time.to_be_bytes(),
        &MOVIE_TIMESCALE.to_be_bytes(),
        &movie_duration.to_be_bytes(),
        &0x0001_0000u32.to_be_bytes(), // rate 1.0
        &0x0100u16.to_be_bytes(),      // volume 1.0
        &[0; 10],
        &matrix,
        &[0; 24], // pre_defined
        &2u32.to_be_bytes(), // next_track_ID
    ]
    .concat());
    let tkhd = full_box(b"tkhd", 0, 3, &[
        &time.to_be_bytes()[..],
        &time.to_be_bytes(),
        &1u32.to_be_bytes(), // track_ID
        &[0; 4],
        &movie_duration.to_be_bytes(),
        &[0; 8],
        &[0; 4], // layer, alternate_group
        &[0; 4], // volume (none for video), reserved
        &matrix,
        &(track.width << 16).to_be_bytes(),
        &(track.height << 16).to_be_bytes(),
    ]
    .concat());
    let mdhd = full_box(b"mdhd", 0, 0, &[
        &time.to_be_bytes()[..],
        &time.to_be_bytes(),
        &track.timescale.to_be_bytes(),
        &(media_duration.min(u32::MAX as u64) as u32).to_be_bytes(),
        &0x55C4u16.to_be_bytes(), // language "und"
        &[0; 2],
    ]
    .concat());
    let hdlr = full_box(b"hdlr", 0, 0, &[&[0; 4][..], b"vide", &[0; 12], b"VideoHandler\0"].concat());
    let vmhd = full_box(b"vmhd", 0, 1, &[0; 8]);
    let dinf = boxed(b"dinf", &full_box(b"dref", 0, 0, &[&1u32.to_be_bytes()[..], &full_box(b"url ", 0, 1, &[])].concat()));
    let stbl = boxed(b"stbl", &[stsd(track), stts(frames as u32, track.frame_ticks), stss(), stsc(frames as u32), stsz(sample_sizes), stco(first_sample)].concat());
    let minf = boxed(b"minf", &[vmhd, dinf, stbl].concat());
    let mdia = boxed(b"mdia", &[mdhd, hdlr, minf].concat());
    let trak = boxed(b"trak", &[tkhd, mdia].concat());
    boxed(b"moov", &[mvhd, trak].concat())
}

fn stsd(track: &Track) -> Vec<u8> {
    let (sps, pps) = (&track.stream.sps, &track.stream.pps);
    let avcc = boxed(b"avcC", &[
        &[1, sps[1], sps[2], sps[3], 0xFF, 0xE1][..], // version, profile, compatibility, level, 4-byte lengths, one SPS
        &(sps.len() as u16).to_be_bytes(),
        sps,
        &[1],
        &(pps.len() as u16).to_be_bytes(),
        pps,
    ]
    .concat());
    let mut compressor = [0u8; 32];
    let name = b"photospicker-emulator";
    compressor[0] = name.len() as u8;
    compressor[1..=name.len()].copy_from_slice(name);
    let avc1 = boxed(b"avc1", &[
        &[0; 6][..],
        &1u16.to_be_bytes(), // data_reference_index
        &[0; 16],
        &(track.width as u16).to_be_bytes(),
        &(track.height as u16).to_be_bytes(),
        &0x0048_0000u32.to_be_bytes(), // 72 dpi
        &0x0048_0000u32.to_be_bytes(),
        &[0; 4],
        &1u16.to_be_bytes(), // frames per sample
        &compressor,
        &0x0018u16.to_be_bytes(), // depth
        &(-1i16).to_be_bytes(),
        &avcc,
    ]
    .concat());
    full_box(b"stsd", 0, 0, &[&1u32.to_be_bytes()[..], &avc1].concat())
}

fn stts(frames: u32, ticks: u32) -> Vec<u8> {
    full_box(b"stts", 0, 0, &[1u32, frames, ticks].iter().flat_map(|v| v.to_be_bytes()).collect::<Vec<_>>())
}

/// Only the first frame is a sync sample.
fn stss() -> Vec<u8> {
    full_box(b"stss", 0, 0, &[1u32, 1].iter().flat_map(|v| v.to_be_bytes()).collect::<Vec<_>>())
}

/// All samples in one chunk.
fn stsc(frames: u32) -> Vec<u8> {
    full_box(b"stsc", 0, 0, &[1u32, 1, frames, 1].iter().flat_map(|v| v.to_be_bytes()).collect::<Vec<_>>())
}

fn stsz(sizes: &[u32]) -> Vec<u8> {
    let head = [0u32, sizes.len() as u32];
    full_box(b"stsz", 0, 0, &head.iter().chain(sizes).flat_map(|v| v.to_be_bytes()).collect::<Vec<_>>())
}

fn stco(offset: u32) -> Vec<u8> {
    full_box(b"stco", 0, 0, &[1u32, offset].iter().flat_map(|v| v.to_be_bytes()).collect::<Vec<_>>())
}

fn boxed(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    [&(payload.len() as u32 + 8).to_be_bytes()[..], kind, payload].concat()
}

fn full_box(kind: &[u8; 4], version: u8, flags: u32, payload: &[u8]) -> Vec<u8> {
    let head = (version as u32) << 24 | (flags & 0x00FF_FFFF);
    boxed(kind, &[&head.to_be_bytes()[..], payload].concat())
}
