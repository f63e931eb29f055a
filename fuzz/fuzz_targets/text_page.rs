//! libFuzzer target `text_page`: the body is `storyclust_fuzz::text_page`, shared with the stable driver.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| storyclust_fuzz::text_page(data));
