//! Whether a name mention of one article is present in another: the same
//! canonical words, a shorter form with the same head ("Haftar" for
//! "Khalifa Haftar"), or an acronym ("LNA" for "Libyan National Army").
//!
//! Owns [`NameIndex`] (canonical word ids on every mention, and postings
//! word → mentions per article) and [`forms_acronym`]. It also decides the
//! [`FactKind`] of a name. It must not find mentions (that is `names.rs`)
//! or decide spellings (that is [`super::Variants`]).

use std::collections::{HashMap, HashSet};

use super::lexicon::{ORG_WORDS, PLACE_ACRONYMS, TITLE_WORDS};
use super::spelling::ascii_fold;
use super::{Mention, Scan, Variants};
use crate::diff::FactKind;

/// Mentions of all articles with canonical word ids, indexed by word.
pub(crate) struct NameIndex {
    ids: HashMap<String, u32>,
    /// (word id, article) → indices of the article's mentions containing it.
    postings: HashMap<(u32, usize), Vec<usize>>,
    /// Article → indices of its mentions that contain an acronym.
    acronyms: Vec<Vec<usize>>,
    /// Head ids of mentions seen after a locative preposition.
    place_heads: HashSet<u32>,
}

impl NameIndex {
    /// Sets `canon`/`head` on every mention and indexes them.
    pub(crate) fn build(scans: &mut [Scan], variants: &Variants) -> NameIndex {
        let mut index = NameIndex {
            ids: HashMap::new(),
            postings: HashMap::new(),
            acronyms: vec![Vec::new(); scans.len()],
            place_heads: HashSet::new(),
        };
        for (a, scan) in scans.iter_mut().enumerate() {
            for (mi, m) in scan.mentions.iter_mut().enumerate() {
                let ids: Vec<u32> = m.words.iter().map(|w| index.id(variants.canon(w))).collect();
                m.head = *ids.last().unwrap_or(&0);
                m.word_ids = ids.clone();
                let mut canon = ids;
                canon.sort_unstable();
                canon.dedup();
                for &id in &canon {
                    index.postings.entry((id, a)).or_default().push(mi);
                }
                m.canon = canon;
                if !m.acronyms.is_empty() {
                    index.acronyms[a].push(mi);
                }
                if m.place_hint {
                    index.place_heads.insert(m.head);
                }
            }
        }
        index
    }

    fn id(&mut self, word: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(word.to_string()).or_insert(next)
    }

    /// Whether mention `f` names the same thing as mention `m`: `m`'s
    /// canonical words contain `f`'s; or `f`'s contain `m`'s, `m` has `f`'s
    /// head word ("Brennan" for "Lt. Gen. John Brennan"), and when that head
    /// is an institution word ("Army") only title words are missing from `m`
    /// ("Libyan Army" is not "Libyan National Army"); or one is an acronym
    /// of the other, or `m` contains an acronym of `f` ("LNA", "GNU",
    /// "AFRICOM" in "Deputy Commander of AFRICOM").
    pub(crate) fn same(f: &Mention, m: &Mention) -> bool {
        if is_subset(&f.canon, &m.canon) {
            return true;
        }
        if is_subset(&m.canon, &f.canon) && m.canon.binary_search(&f.head).is_ok() {
            let org_head = f.words.last().is_some_and(|w| ORG_WORDS.binary_search(&w.as_str()).is_ok());
            if !org_head {
                return true;
            }
            let missing_only_titles =
                f.words.iter().zip(f.canon_words()).all(|(w, id)| {
                    m.canon.binary_search(&id).is_ok() || TITLE_WORDS.binary_search(&w.as_str()).is_ok()
                });
            if missing_only_titles {
                return true;
            }
        }
        match (&f.acronym, &m.acronym) {
            (Some(a), None) => forms_acronym(a, &m.words),
            (None, Some(a)) => forms_acronym(a, &f.words),
            (None, None) => m.acronyms.iter().any(|a| forms_acronym(a, &f.words)),
            _ => false,
        }
    }

    /// Whether mention `f` is matched by some mention of article `other`.
    pub(crate) fn present_in(&self, f: &Mention, other: usize, scans: &[Scan]) -> bool {
        let direct = self
            .postings
            .get(&(f.head, other))
            .is_some_and(|list| list.iter().any(|&mi| Self::same(f, &scans[other].mentions[mi])));
        if direct {
            return true;
        }
        if let Some(acr) = &f.acronym {
            return scans[other].mentions.iter().any(|m| m.acronym.is_none() && forms_acronym(acr, &m.words));
        }
        self.acronyms[other].iter().any(|&mi| Self::same(f, &scans[other].mentions[mi]))
    }

    /// The kind of a name fact: organisation (an institution word, or an
    /// acronym that is not a country's), place (seen after "in", "from", …
    /// somewhere in the story, or a country acronym), else name.
    pub(crate) fn kind(&self, f: &Mention) -> FactKind {
        if let Some(a) = &f.acronym {
            return if PLACE_ACRONYMS.contains(&a.as_str()) { FactKind::Place } else { FactKind::Organisation };
        }
        if f.words.iter().any(|w| ORG_WORDS.binary_search(&w.as_str()).is_ok()) {
            return FactKind::Organisation;
        }
        if self.place_heads.contains(&f.head) {
            return FactKind::Place;
        }
        FactKind::Name
    }
}

fn is_subset(small: &[u32], big: &[u32]) -> bool {
    !small.is_empty() && small.len() <= big.len() && small.iter().all(|x| big.binary_search(x).is_ok())
}

/// Whether `acronym` (lower case) is spelled by prefixes of some of `words`
/// in order, at least two of them: initials ("lna" = Libyan National Army)
/// or syllables ("africom" = Africa Command).
pub(super) fn forms_acronym(acronym: &str, words: &[String]) -> bool {
    fn go(acr: &[char], words: &[Vec<char>], used: usize) -> bool {
        if acr.is_empty() {
            return used >= 2;
        }
        for (i, w) in words.iter().enumerate() {
            if w.first() != Some(&acr[0]) {
                continue;
            }
            let max = w.len().min(acr.len());
            for take in (1..=max).rev() {
                if w[..take] == acr[..take] && go(&acr[take..], &words[i + 1..], used + 1) {
                    return true;
                }
            }
        }
        false
    }
    let acr: Vec<char> = acronym.chars().collect();
    if acr.len() < 2 || acr.len() > 8 || words.len() < 2 {
        return false;
    }
    let words: Vec<Vec<char>> = words.iter().map(|w| ascii_fold(w).chars().collect()).collect();
    go(&acr, &words, 0)
}
