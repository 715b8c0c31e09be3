#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| photospicker_fuzz::pagination(data));
