//! libFuzzer target `pipeline`: the body is `storyclust_fuzz::pipeline`, shared with the stable driver.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| storyclust_fuzz::pipeline(data));
