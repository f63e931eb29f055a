//! A near-duplicate run in parts, for a distributed engine that holds the
//! input across machines (the Python package's `storyclust.spark`).
//!
//! Owns the core's side of each step that needs more than one part's
//! articles: what a part's documents tell template learning
//! ([`template_evidence`]), the templates of every part's evidence
//! ([`learn_templates`]), and a part's articles cleaned with those
//! templates and fingerprinted ([`fingerprint_part`]). With the band keys
//! and bucket rule of `fingerprint` ([`fingerprint::band_keys`],
//! [`fingerprint::bucket_candidates`]) and the full-signature check
//! ([`fingerprint::Fingerprint::resemblance`]), an engine that groups by
//! band key and joins the verified pairs into connected components gets the
//! duplicate groups of [`super::dedup`] over all the parts at once.
//!
//! It must not schedule, shuffle or hold more than one part's articles:
//! that is the engine's work.

use rayon::prelude::*;

use super::Config;
use crate::article::{Article, RawDoc};
use crate::clean::{self, TemplateLearner, Templates};
use crate::fingerprint::{self, Fingerprint};
use crate::ingest::Problem;

/// What template learning keeps of a part's documents (their line keys),
/// as bytes for [`learn_templates`].
pub fn template_evidence(docs: Vec<RawDoc>, config: &Config) -> Vec<u8> {
    let mut learner = TemplateLearner::new(&config.clean);
    // The prepared documents are not kept: the part is prepared again, with
    // the templates of all parts, by `fingerprint_part`.
    drop(learner.add(docs));
    learner.evidence()
}

/// The templates a run over all the parts learns, from each part's
/// [`template_evidence`]; `None` if one of them is not such evidence.
pub fn learn_templates<'a>(parts: impl IntoIterator<Item = &'a [u8]>, config: &Config) -> Option<Templates> {
    let mut learner = TemplateLearner::new(&config.clean);
    for part in parts {
        if !learner.absorb(part) {
            return None;
        }
    }
    Some(learner.finish())
}

/// A part's articles, cleaned and fingerprinted.
#[derive(Debug)]
pub struct FingerprintedPart {
    /// The articles kept, sorted by id, their bodies dropped.
    pub articles: Vec<Article>,
    /// The fingerprint of each article's cleaned body, in the same order.
    pub fingerprints: Vec<Fingerprint>,
    /// Documents cleaning dropped, with the reason.
    pub skipped: Vec<clean::Skipped>,
    /// Warnings about articles that were kept (pages read by their tags
    /// alone).
    pub warnings: Vec<Problem>,
}

/// Cleans a part's documents with `templates` (those of all the parts,
/// from [`learn_templates`]) and fingerprints their bodies: each article
/// gets the fingerprint [`super::dedup`] of all the parts gives it.
pub fn fingerprint_part(docs: Vec<RawDoc>, templates: &Templates, config: &Config) -> FingerprintedPart {
    let mut learner = TemplateLearner::new(&config.clean);
    let prepared = learner.add(docs);
    let warnings = learner.take_problems();
    let mut articles = Vec::with_capacity(prepared.len());
    let mut skipped = Vec::new();
    for cleaned in clean::clean_prepared(prepared, templates, &config.clean) {
        match cleaned {
            Ok(article) => articles.push(article),
            Err(reason) => skipped.push(reason),
        }
    }
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    let fingerprints = articles
        .par_iter_mut()
        .map(|article| fingerprint::fingerprint(&std::mem::take(&mut article.body), &config.fingerprint))
        .collect();
    FingerprintedPart { articles, fingerprints, skipped, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, GenerateConfig};

    /// Generated articles (outlets with templates, copies) as documents.
    fn pages(articles: usize) -> Vec<RawDoc> {
        let mut lines = Vec::new();
        let config = GenerateConfig { articles, seed: 5, ..GenerateConfig::default() };
        generate::write_jsonl(generate::generate(&config), &mut lines).unwrap();
        crate::ingest::read_records(std::path::Path::new("feed.jsonl"), &lines).docs
    }

    #[test]
    fn parts_give_the_duplicate_groups_of_one_run() {
        let docs = pages(600);
        let config = Config::default();
        let whole = super::super::dedup(docs.clone(), &config, &super::super::NoProgress);
        assert!(whole.groups.len() >= 20, "{} groups: the corpus has too few copies to test", whole.groups.len());

        // Three parts of every third document: each part alone learns
        // other templates than the whole, the parts together the same.
        let parts: Vec<Vec<RawDoc>> = (0..3).map(|k| docs.iter().skip(k).step_by(3).cloned().collect()).collect();
        let evidence: Vec<Vec<u8>> = parts.iter().map(|p| template_evidence(p.clone(), &config)).collect();
        let templates = learn_templates(evidence.iter().map(Vec::as_slice), &config).unwrap();
        let mut ids = Vec::new();
        let mut fps = Vec::new();
        for part in parts {
            let done = fingerprint_part(part, &templates, &config);
            ids.extend(done.articles.into_iter().map(|a| a.id));
            fps.extend(done.fingerprints);
        }
        // The engine's work, here in one place: buckets by band key, their
        // candidates verified, the links' connected components.
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by(|&a, &b| ids[a].cmp(&ids[b]));
        let mut buckets: std::collections::BTreeMap<(usize, u64), Vec<usize>> = Default::default();
        for &i in &order {
            for (band, key) in fingerprint::band_keys(&fps[i], &config.fingerprint).into_iter().enumerate() {
                buckets.entry((band, key)).or_default().push(i);
            }
        }
        let mut sets = crate::union_find::UnionFind::new(ids.len());
        for members in buckets.values().filter(|m| m.len() >= 2) {
            let bucket: Vec<Fingerprint> = members.iter().map(|&i| fps[i].clone()).collect();
            for (a, b) in fingerprint::bucket_candidates(&bucket) {
                if bucket[a].resemblance(&bucket[b]) >= config.fingerprint.threshold {
                    sets.union(members[a], members[b]);
                }
            }
        }
        let roots = sets.roots();
        let mut groups: Vec<Vec<&str>> = Vec::new();
        let mut by_root: std::collections::BTreeMap<usize, Vec<&str>> = Default::default();
        for &i in &order {
            by_root.entry(roots[i]).or_default().push(ids[i].as_str());
        }
        groups.extend(by_root.into_values().filter(|g| g.len() >= 2));
        groups.sort();
        let mut expected: Vec<Vec<&str>> =
            whole.groups.iter().map(|g| g.members.iter().map(|&m| whole.articles[m].id.as_str()).collect()).collect();
        expected.iter_mut().for_each(|g| g.sort());
        expected.sort();
        assert_eq!(groups, expected);

        // A part's own templates are not the whole's: without the shared
        // evidence, some fingerprint differs.
        let alone = learn_templates([evidence[0].as_slice()], &config).unwrap();
        let first: Vec<RawDoc> = docs.iter().step_by(3).cloned().collect();
        let with_all = fingerprint_part(first.clone(), &templates, &config).fingerprints;
        let with_own = fingerprint_part(first, &alone, &config).fingerprints;
        assert_ne!(with_all, with_own);
    }

    #[test]
    fn evidence_and_templates_that_are_not_such_bytes_are_refused() {
        let config = Config::default();
        let docs = pages(40);
        let evidence = template_evidence(docs, &config);
        assert!(learn_templates([&evidence[..evidence.len() - 3]], &config).is_none());
        assert!(learn_templates([&b"\x02\x00\x00\x00\x00\x00\x00\x00\x07"[..]], &config).is_none());
        let templates = learn_templates([evidence.as_slice()], &config).unwrap();
        let bytes = templates.to_bytes();
        assert_eq!(Templates::from_bytes(&bytes).unwrap().to_bytes(), bytes);
        assert!(Templates::from_bytes(&bytes[..bytes.len() - 1]).is_none());
        assert!(Templates::from_bytes(&[bytes.as_slice(), &[0]].concat()).is_none());
    }
}
