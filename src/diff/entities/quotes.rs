//! Quotations of an article: text between straight or curly double quotes.
//!
//! Owns [`quotes`]. Quotes are found in the body, not in sentences, because
//! a quotation may run over several sentences (and, unclosed, to the end of
//! its paragraph). Each quote is placed at the first sentence that holds its
//! opening words, for ordering. It must not compare quotes between articles.

use super::QuoteText;
use crate::text;

/// Quotations in straight or curly double quotes, paired within a
/// paragraph (an unclosed quote runs to the paragraph end, as in
/// multi-paragraph quotes), of at least `min_words` words.
pub(super) fn quotes(body: &str, sentences: &[String], min_words: usize) -> Vec<QuoteText> {
    let mut out = Vec::new();
    for para in body.split("\n\n") {
        let mut open: Option<usize> = None;
        let mut spans = Vec::new();
        for (i, c) in para.char_indices() {
            if text::fold_char(c) == '"' {
                match open.take() {
                    Some(start) => spans.push((start, i)),
                    None => open = Some(i + c.len_utf8()),
                }
            }
        }
        if let Some(start) = open {
            spans.push((start, para.len()));
        }
        for (a, b) in spans {
            let q = para[a..b].split_whitespace().collect::<Vec<_>>().join(" ");
            let q = q.trim_matches(|c: char| c.is_whitespace() || c == ',').to_string();
            if text::words(&q).count() < min_words {
                continue;
            }
            let probe: String = q.chars().take(30).collect();
            let si = sentences.iter().position(|s| s.contains(&probe)).unwrap_or(sentences.len());
            out.push(QuoteText { pos: (si, 0), text: q });
        }
    }
    out
}
