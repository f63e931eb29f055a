//! libFuzzer target `ingest_jsonl`: the body is `storyclust_fuzz::ingest_jsonl`, shared with the stable driver.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| storyclust_fuzz::ingest_jsonl(data));
