//! Benchmarks of the near-duplicate stage: `fingerprint` throughput (MB/s of
//! 10^6 bytes, one thread and all threads) and `near_duplicates` over 10,000
//! and 100,000 fingerprints, on deterministic synthetic corpora of news-like
//! texts (~3 KB; ~600 bytes for the 100,000) with near-duplicate variants.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use storyclust::fingerprint::{fingerprint, fingerprint_all, near_duplicates, FingerprintConfig};

/// A small deterministic generator (64-bit LCG, high bits).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` texts of about `bytes` bytes: sentences of 8–25 words drawn from a
/// 3,000-word vocabulary with a Zipf-like skew, capitalised, with commas,
/// occasional curly-apostrophe possessives and "quotes", paragraphs. One text
/// in five is a variant of an earlier one with ~5% of its words replaced.
fn corpus(n: usize, bytes: usize, seed: u64) -> Vec<String> {
    const SYLLABLES: [&str; 20] = [
        "ka", "lo", "ri", "ben", "tar", "mi", "so", "gal", "dra", "pe", "nu", "vos", "lin", "ex", "qua", "ter", "mon",
        "sa", "ho", "fi",
    ];
    let mut rng = Lcg(seed);
    let vocab: Vec<String> = (0..3000)
        .map(|i| (0..1 + i % 3 + rng.below(2) as usize).map(|_| SYLLABLES[rng.below(20) as usize]).collect())
        .collect();
    let mut texts: Vec<String> = Vec::with_capacity(n);
    while texts.len() < n {
        if texts.len() >= 10 && rng.below(5) == 0 {
            let original = &texts[rng.below(texts.len() as u64) as usize];
            let variant: Vec<String> = original
                .split(' ')
                .map(|w| if rng.below(20) == 0 { vocab[rng.below(3000) as usize].clone() } else { w.to_string() })
                .collect();
            texts.push(variant.join(" "));
            continue;
        }
        let mut t = String::with_capacity(bytes + 200);
        while t.len() < bytes {
            for s in 0..3 + rng.below(4) {
                let len = 8 + rng.below(18);
                for i in 0..len {
                    let u = rng.below(1 << 20) as f64 / (1u64 << 20) as f64;
                    let w = &vocab[(u * u * u * 3000.0) as usize];
                    if i == 0 {
                        t.push_str(&w[..1].to_ascii_uppercase());
                        t.push_str(&w[1..]);
                    } else if rng.below(100) == 0 {
                        t.push('“');
                        t.push_str(w);
                        t.push('”');
                    } else {
                        t.push_str(w);
                    }
                    if rng.below(60) == 0 {
                        t.push_str("’s");
                    }
                    if i + 1 < len {
                        t.push_str(if rng.below(12) == 0 { ", " } else { " " });
                    }
                }
                t.push_str(if s % 5 == 4 { ".\n\n" } else { ". " });
            }
            t.push_str("\n\n");
        }
        texts.push(t);
    }
    texts
}

fn bench_fingerprint(c: &mut Criterion) {
    let config = FingerprintConfig::default();
    let texts = corpus(1000, 3000, 1);
    let bytes: usize = texts.iter().map(String::len).sum();

    let mut group = c.benchmark_group("fingerprint");
    group.throughput(Throughput::BytesDecimal(bytes as u64));
    group.bench_function("one_thread", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(fingerprint(black_box(text), &config));
            }
        })
    });
    group
        .bench_function("fingerprint_all_rayon", |b| b.iter(|| black_box(fingerprint_all(black_box(&texts), &config))));
    group.finish();
}

fn bench_near_duplicates(c: &mut Criterion) {
    let config = FingerprintConfig::default();
    let fingerprints = fingerprint_all(&corpus(10_000, 3000, 2), &config);

    let mut group = c.benchmark_group("near_duplicates");
    group.sample_size(10);
    group.throughput(Throughput::Elements(fingerprints.len() as u64));
    group.bench_function("10k", |b| b.iter(|| black_box(near_duplicates(black_box(&fingerprints), &config))));
    // Signatures of 100,000 shorter texts (51 MB of them): more than the
    // processor caches hold, as in a real run.
    let fingerprints = fingerprint_all(&corpus(100_000, 600, 3), &config);
    group.throughput(Throughput::Elements(fingerprints.len() as u64));
    group.bench_function("100k", |b| b.iter(|| black_box(near_duplicates(black_box(&fingerprints), &config))));
    group.finish();
}

criterion_group!(benches, bench_fingerprint, bench_near_duplicates);
criterion_main!(benches);
