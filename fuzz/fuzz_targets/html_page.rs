//! libFuzzer target `html_page`: the body is `storyclust_fuzz::html_page`, shared with the stable driver.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| storyclust_fuzz::html_page(data));
