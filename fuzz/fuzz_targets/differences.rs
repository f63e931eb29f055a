//! libFuzzer target `differences`: the body is `storyclust_fuzz::differences`, shared with the stable driver.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| storyclust_fuzz::differences(data));
