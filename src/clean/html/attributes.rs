//! A cap on the attributes of one tag, applied to the page's bytes before
//! html5ever reads it.
//!
//! html5ever's tokenizer checks each new attribute of a tag against every
//! earlier one (duplicates are dropped), so a tag with `k` attributes costs
//! `k²/2` comparisons: one tag of 400,000 attributes (2.7 MB) takes minutes,
//! and both ways of reading a page go through that tokenizer.
//! [`cap_attributes`] finds, in one pass over the bytes, the tags with more
//! than a given number of attributes and drops the rest of each such tag
//! (up to its `>`). It reads tags as the tokenizer does (quoted and
//! unquoted values, `/` between attributes) but does not know raw text
//! elements: a `<` followed by a letter inside a script counts as a tag too,
//! which only matters for a script with that many words before its next
//! `>`.
//!
//! Main function: [`cap_attributes`]. Must not: change a page whose tags all
//! stay within the cap (it returns `None` and the page is read as it is).

/// Most attributes of one tag that are read: the tokenizer's work on a tag
/// is then at most `1024²/2` comparisons, a quarter of a comparison per
/// byte of it. Real tags have a few dozen at most.
pub(crate) const MAX_ATTRIBUTES: usize = 1024;

/// The page without the attributes past the `max`th of each tag, or `None`
/// when no tag has more than `max`.
pub(crate) fn cap_attributes(html: &str, max: usize) -> Option<String> {
    let bytes = html.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + offset;
        let mut name = start + 1;
        if bytes.get(name) == Some(&b'/') {
            name += 1;
        }
        if !bytes.get(name).is_some_and(u8::is_ascii_alphabetic) {
            at = start + 1;
            continue;
        }
        let mut after_name = name;
        while after_name < bytes.len() && !is_space(bytes[after_name]) && !matches!(bytes[after_name], b'/' | b'>') {
            after_name += 1;
        }
        let (end, cut_from) = scan_attributes(bytes, after_name, max);
        if let Some(from) = cut_from {
            cuts.push((from, end));
        }
        at = end.max(start + 1).min(bytes.len());
    }
    if cuts.is_empty() {
        return None;
    }
    let mut capped = String::with_capacity(html.len());
    let mut kept_from = 0;
    for (from, to) in cuts {
        capped.push_str(&html[kept_from..from]);
        kept_from = to;
    }
    capped.push_str(&html[kept_from..]);
    Some(capped)
}

/// White space between attributes, as the tokenizer has it.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Reads a tag's attributes from just after its name: where the tag ends
/// (its `>`, or the end of the page) and where its attribute number
/// `max + 1` starts, if it has that many.
fn scan_attributes(bytes: &[u8], mut at: usize, max: usize) -> (usize, Option<usize>) {
    let len = bytes.len();
    let mut n_attributes = 0;
    let mut cut_from = None;
    loop {
        while at < len && (is_space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        if at >= len || bytes[at] == b'>' {
            return (at, cut_from);
        }
        n_attributes += 1;
        if n_attributes == max + 1 {
            cut_from = Some(at);
        }
        // The name (its first character may be anything, even `=`).
        at += 1;
        while at < len && !is_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>' | b'=') {
            at += 1;
        }
        let mut value = at;
        while value < len && is_space(bytes[value]) {
            value += 1;
        }
        if value < len && bytes[value] == b'=' {
            value += 1;
            while value < len && is_space(bytes[value]) {
                value += 1;
            }
            match bytes.get(value) {
                Some(&quote @ (b'"' | b'\'')) => {
                    value = match bytes[value + 1..].iter().position(|&b| b == quote) {
                        Some(close) => value + 1 + close + 1,
                        None => len,
                    };
                }
                _ => {
                    while value < len && !is_space(bytes[value]) && bytes[value] != b'>' {
                        value += 1;
                    }
                }
            }
            at = value;
        }
    }
}
