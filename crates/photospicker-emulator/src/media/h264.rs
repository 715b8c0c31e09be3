//! A tiny H.264 (Constrained Baseline, CAVLC) writer for the emulator's videos.
//!
//! The first frame is an IDR picture whose top row and left column of macroblocks
//! carry raw samples (I_PCM) and whose other macroblocks are intra-predicted from
//! them without residual, so a 4K frame costs ~150 KB instead of 12 MB. Every later
//! frame is a P picture of skipped macroblocks (a few bytes), an exact copy of the
//! frame before. Decoders need nothing but the standard: no encoder library, no
//! compression work, and the same bytes for the same item every time.

/// Samples of one picture in 4:2:0 (limited range, like a camera's video).
pub trait Picture {
    fn luma(&self, x: u32, y: u32) -> u8;
    /// Cb and Cr at chroma position (x, y), i.e. luma position (2x, 2y).
    fn chroma(&self, x: u32, y: u32) -> (u8, u8);
}

/// Parameter sets and coded frames as NAL units without start codes or lengths.
pub struct Stream {
    pub sps: Vec<u8>,
    pub pps: Vec<u8>,
    pub frames: Vec<Vec<u8>>,
}

/// Intra 16×16 prediction modes, numbered as in mb_type.
const VERTICAL: u32 = 0;
const HORIZONTAL: u32 = 1;
const DC: u32 = 2;
const PLANE: u32 = 3;

/// Encodes `frame_count` frames of `picture` at `width`×`height` (even sizes).
pub fn encode(picture: &impl Picture, width: u32, height: u32, fps: f64, frame_count: u32, mode_seed: u64) -> Stream {
    let (mbs_wide, mbs_high) = (width.div_ceil(16), height.div_ceil(16));
    let sps = nal(3, 7, &sequence_parameter_set(width, height, level(mbs_wide * mbs_high, fps)));
    let pps = nal(3, 8, &picture_parameter_set());
    let mut frames = Vec::with_capacity(frame_count as usize);
    frames.push(nal(3, 5, &idr_slice(picture, mbs_wide, mbs_high, mode_seed)));
    for index in 1..frame_count {
        frames.push(nal(2, 1, &skipped_slice(index, mbs_wide * mbs_high)));
    }
    Stream { sps, pps, frames }
}

/// The lowest level (Table A-1) whose frame size and macroblock rate allow the video.
fn level(frame_mbs: u32, fps: f64) -> u8 {
    const LEVELS: &[(u8, f64, u32)] = &[
        (30, 40_500.0, 1_620),
        (31, 108_000.0, 3_600),
        (32, 216_000.0, 5_120),
        (40, 245_760.0, 8_192),
        (42, 522_240.0, 8_704),
        (50, 589_824.0, 22_080),
        (51, 983_040.0, 36_864),
    ];
    let rate = frame_mbs as f64 * fps;
    LEVELS.iter().find(|(_, max_rate, max_frame)| frame_mbs <= *max_frame && rate <= *max_rate).map_or(52, |l| l.0)
}

fn sequence_parameter_set(width: u32, height: u32, level_idc: u8) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.put(66, 8); // profile_idc: Baseline
    bits.put(0b1100_0000, 8); // constraint_set0 and set1: Constrained Baseline
    bits.put(level_idc as u32, 8);
    bits.ue(0); // seq_parameter_set_id
    bits.ue(0); // log2_max_frame_num_minus4: frame_num wraps at 16
    bits.ue(2); // pic_order_cnt_type 2: output order is decoding order
    bits.ue(1); // max_num_ref_frames
    bits.put(0, 1); // gaps_in_frame_num_value_allowed_flag
    bits.ue(width.div_ceil(16) - 1);
    bits.ue(height.div_ceil(16) - 1);
    bits.put(1, 1); // frame_mbs_only_flag
    bits.put(1, 1); // direct_8x8_inference_flag
    let (crop_right, crop_bottom) = ((width.div_ceil(16) * 16 - width) / 2, (height.div_ceil(16) * 16 - height) / 2);
    if crop_right > 0 || crop_bottom > 0 {
        bits.put(1, 1);
        for offset in [0, crop_right, 0, crop_bottom] {
            bits.ue(offset); // in units of two samples for 4:2:0 frames
        }
    } else {
        bits.put(0, 1);
    }
    bits.put(0, 1); // vui_parameters_present_flag: the MP4 carries the timing
    bits.finish()
}

fn picture_parameter_set() -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.ue(0); // pic_parameter_set_id
    bits.ue(0); // seq_parameter_set_id
    bits.put(0, 1); // entropy_coding_mode_flag: CAVLC
    bits.put(0, 1); // bottom_field_pic_order_in_frame_present_flag
    bits.ue(0); // num_slice_groups_minus1
    bits.ue(0); // num_ref_idx_l0_default_active_minus1
    bits.ue(0); // num_ref_idx_l1_default_active_minus1
    bits.put(0, 1); // weighted_pred_flag
    bits.put(0, 2); // weighted_bipred_idc
    bits.se(0); // pic_init_qp_minus26
    bits.se(0); // pic_init_qs_minus26
    bits.se(0); // chroma_qp_index_offset
    bits.put(1, 1); // deblocking_filter_control_present_flag: slices turn it off
    bits.put(0, 1); // constrained_intra_pred_flag
    bits.put(0, 1); // redundant_pic_cnt_present_flag
    bits.finish()
}

fn idr_slice(picture: &impl Picture, mbs_wide: u32, mbs_high: u32, mode_seed: u64) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.ue(0); // first_mb_in_slice
    bits.ue(7); // slice_type: I (every slice of the picture)
    bits.ue(0); // pic_parameter_set_id
    bits.put(0, 4); // frame_num
    bits.ue(0); // idr_pic_id
    bits.put(0, 1); // no_output_of_prior_pics_flag
    bits.put(0, 1); // long_term_reference_flag
    bits.se(0); // slice_qp_delta
    bits.ue(1); // disable_deblocking_filter_idc: the picture is exactly its prediction
    let mut modes = crate::library::Rng::new(mode_seed);
    for row in 0..mbs_high {
        for column in 0..mbs_wide {
            if row == 0 || column == 0 {
                pcm_macroblock(&mut bits, picture, column * 16, row * 16);
            } else {
                let mode = [VERTICAL, HORIZONTAL, DC, PLANE, VERTICAL, HORIZONTAL][modes.below(6)];
                bits.ue(1 + mode); // mb_type I_16x16_<mode>_0_0: no coded luma or chroma residual
                bits.ue(match mode {
                    VERTICAL => 2,
                    HORIZONTAL => 1,
                    DC => 0,
                    _ => 3,
                }); // intra_chroma_pred_mode, the same direction as luma
                bits.se(0); // mb_qp_delta
                // The Intra16x16 DC block is always coded: coeff_token for no coefficient,
                // whose code depends on nC, the neighbours' coefficient counts (I_PCM counts 16).
                let left = if column == 1 { 16 } else { 0 };
                let above = if row == 1 { 16 } else { 0 };
                if (left + above + 1) >> 1 >= 8 {
                    bits.put(0b000011, 6);
                } else {
                    bits.put(1, 1);
                }
            }
        }
    }
    bits.finish()
}

fn pcm_macroblock(bits: &mut BitWriter, picture: &impl Picture, x0: u32, y0: u32) {
    bits.ue(25); // mb_type I_PCM
    bits.align_with_zeros();
    // Avoid 0: old decoders reject it in PCM samples.
    let sample = |v: u8| v.max(1);
    for y in y0..y0 + 16 {
        for x in x0..x0 + 16 {
            bits.byte(sample(picture.luma(x, y)));
        }
    }
    let chroma: Vec<(u8, u8)> = (y0 / 2..y0 / 2 + 8).flat_map(|y| (x0 / 2..x0 / 2 + 8).map(move |x| (x, y))).map(|(x, y)| picture.chroma(x, y)).collect();
    for &(cb, _) in &chroma {
        bits.byte(sample(cb));
    }
    for &(_, cr) in &chroma {
        bits.byte(sample(cr));
    }
}

fn skipped_slice(index: u32, macroblocks: u32) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.ue(0); // first_mb_in_slice
    bits.ue(5); // slice_type: P (every slice of the picture)
    bits.ue(0); // pic_parameter_set_id
    bits.put(index % 16, 4); // frame_num
    bits.put(0, 1); // num_ref_idx_active_override_flag
    bits.put(0, 1); // ref_pic_list_modification_flag_l0
    bits.put(0, 1); // adaptive_ref_pic_marking_mode_flag: sliding window
    bits.se(0); // slice_qp_delta
    bits.ue(1); // disable_deblocking_filter_idc
    bits.ue(macroblocks); // mb_skip_run: every macroblock copies the previous frame
    bits.finish()
}

/// A NAL unit: header byte, then the payload with emulation prevention bytes.
fn nal(ref_idc: u8, unit_type: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + payload.len() / 64 + 1);
    out.push(ref_idc << 5 | unit_type);
    let mut zeros = 0;
    for &byte in payload {
        if zeros >= 2 && byte <= 3 {
            out.push(3);
            zeros = 0;
        }
        out.push(byte);
        zeros = if byte == 0 { zeros + 1 } else { 0 };
    }
    out
}

/// Writes bits most significant first, with the Exp-Golomb codes of the standard.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    current: u8,
    used: u8,
}

impl BitWriter {
    fn put(&mut self, value: u32, count: u8) {
        for shift in (0..count).rev() {
            self.current = self.current << 1 | ((value >> shift) & 1) as u8;
            self.used += 1;
            if self.used == 8 {
                self.bytes.push(self.current);
                (self.current, self.used) = (0, 0);
            }
        }
    }

    fn ue(&mut self, value: u32) {
        let coded = value as u64 + 1;
        let length = 64 - coded.leading_zeros() as u8;
        self.put(0, length - 1);
        for shift in (0..length).rev() {
            self.put(((coded >> shift) & 1) as u32, 1);
        }
    }

    fn se(&mut self, value: i32) {
        let mapped = if value > 0 { 2 * value as u32 - 1 } else { 2 * value.unsigned_abs() };
        self.ue(mapped);
    }

    fn align_with_zeros(&mut self) {
        while self.used != 0 {
            self.put(0, 1);
        }
    }

    /// A whole byte; fast when aligned (PCM samples always are).
    fn byte(&mut self, value: u8) {
        if self.used == 0 {
            self.bytes.push(value);
        } else {
            self.put(value as u32, 8);
        }
    }

    /// rbsp_trailing_bits: a stop bit, then zeros to the byte boundary.
    fn finish(mut self) -> Vec<u8> {
        self.put(1, 1);
        self.align_with_zeros();
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_golomb_codes_match_the_standard_table() {
        let mut bits = BitWriter::default();
        for v in [0, 1, 2, 3, 7] {
            bits.ue(v);
        }
        // 1 010 011 00100 0001000, then the stop bit.
        assert_eq!(bits.finish(), [0b1010_0110, 0b0100_0001, 0b0001_0000]);
    }

    #[test]
    fn three_zero_bytes_get_an_emulation_prevention_byte() {
        assert_eq!(nal(0, 1, &[0, 0, 0, 0, 1]), [1, 0, 0, 3, 0, 0, 3, 1]);
    }

    #[test]
    fn levels_follow_frame_size_and_rate() {
        assert_eq!(level(120 * 68, 30.0), 40);
        assert_eq!(level(120 * 68, 60.0), 42);
        assert_eq!(level(240 * 135, 60.0), 52);
    }
}
