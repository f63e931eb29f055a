//! The hashing floor of near-duplicate detection: read a JSON Lines corpus,
//! take each record's `text`, and hash every `k`-word shingle once with xxh3.
//! Nothing else: no cleaning, no normalisation, no sketch, no index.
//!
//! No near-duplicate finder that reads the same text and hashes its shingles
//! can be faster than this, so `benches/peers/run.sh` runs it beside
//! `storyclust dedup` and the peers and reports how far each is from it.
//!
//! ```text
//! cargo run --release --example hash_floor -- [--shingle-words K] FILE.jsonl...
//! ```
//!
//! Prints `articles bytes shingles checksum` on one line; the checksum (a
//! wrapping sum of all shingle hashes) keeps the hashing from being optimised
//! away and makes two runs comparable.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::ExitCode;

use serde::Deserialize;
use xxhash_rust::xxh3::xxh3_64;

#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    text: std::borrow::Cow<'a, str>,
}

#[derive(Default)]
struct Totals {
    articles: u64,
    bytes: u64,
    shingles: u64,
    checksum: u64,
}

impl Totals {
    /// Hashes every `k`-word window of `text` (words split on white space),
    /// each as the text from its first word's start to its last word's end.
    fn add(&mut self, text: &str, k: usize, starts: &mut Vec<(usize, usize)>) {
        starts.clear();
        let base = text.as_ptr() as usize;
        starts.extend(text.split_ascii_whitespace().map(|w| {
            let start = w.as_ptr() as usize - base;
            (start, start + w.len())
        }));
        if starts.len() >= k {
            for window in starts.windows(k) {
                let hash = xxh3_64(&text.as_bytes()[window[0].0..window[k - 1].1]);
                self.checksum = self.checksum.wrapping_add(hash);
                self.shingles += 1;
            }
        } else if !starts.is_empty() {
            // A text shorter than one shingle is one shingle.
            self.checksum = self.checksum.wrapping_add(xxh3_64(text.trim().as_bytes()));
            self.shingles += 1;
        }
        self.articles += 1;
        self.bytes += text.len() as u64;
    }
}

fn run(args: &[String]) -> Result<Totals, String> {
    let mut k = 4;
    let mut files = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--shingle-words" {
            let value = args.next().ok_or("--shingle-words needs a value")?;
            k = value.parse().map_err(|_| format!("--shingle-words: not a positive integer: {value}"))?;
            if k == 0 {
                return Err("--shingle-words must be at least 1".into());
            }
        } else {
            files.push(arg);
        }
    }
    if files.is_empty() {
        return Err("usage: hash_floor [--shingle-words K] FILE.jsonl...".into());
    }
    let mut totals = Totals::default();
    let mut starts = Vec::new();
    let mut line = String::new();
    for path in files {
        let mut reader = BufReader::with_capacity(1 << 20, File::open(path).map_err(|e| format!("{path}: {e}"))?);
        let mut number = 0u64;
        loop {
            line.clear();
            number += 1;
            if reader.read_line(&mut line).map_err(|e| format!("{path}:{number}: {e}"))? == 0 {
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let record: Record<'_> =
                serde_json::from_str(&line).map_err(|e| format!("{path}:{number}: bad JSON line: {e}"))?;
            totals.add(&record.text, k, &mut starts);
        }
    }
    Ok(totals)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(t) => {
            println!("{} {} {} {:016x}", t.articles, t.bytes, t.shingles, t.checksum);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("hash_floor: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Totals;

    #[test]
    fn every_window_is_hashed_once() {
        let mut t = Totals::default();
        let mut starts = Vec::new();
        t.add("a b  c\nd e", 4, &mut starts);
        assert_eq!(t.shingles, 2);
        let expected = xxhash_rust::xxh3::xxh3_64(b"a b  c\nd").wrapping_add(xxhash_rust::xxh3::xxh3_64(b"b  c\nd e"));
        assert_eq!(t.checksum, expected);
        t.add("  short one ", 4, &mut starts);
        assert_eq!((t.articles, t.shingles), (2, 3));
        t.add("   ", 4, &mut starts);
        assert_eq!((t.articles, t.shingles), (3, 3));
    }
}
