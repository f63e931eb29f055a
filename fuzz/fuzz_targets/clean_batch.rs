//! libFuzzer target `clean_batch`: the body is `storyclust_fuzz::clean_batch`, shared with the stable driver.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| storyclust_fuzz::clean_batch(data));
