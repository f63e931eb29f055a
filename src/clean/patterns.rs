//! Generic boilerplate patterns: a small, fixed set of phrases that any
//! news template uses (sharing buttons, tag lists, post navigation, comment
//! forms, copyright lines, theme search boxes, widget labels), and the
//! copyright holder used to corroborate an outlet name.
//!
//! These are English phrases, not site names: nothing here is specific to one
//! outlet. They work on the normalised line (lower case, white space
//! collapsed, bullet removed).

/// Lines that are boilerplate when they are the whole line (trailing `:`,
/// `.`, `»` and similar ignored).
const EXACT: &[&str] = &[
    "0 comments",
    "about",
    "about us",
    "advertisement",
    "back to top",
    "cancel reply",
    "close",
    "comments",
    "contact",
    "contact us",
    "continue reading",
    "cookie policy",
    "cookies policy",
    "disclaimer",
    "editor picks",
    "editor's picks",
    "editors picks",
    "editors' picks",
    "follow us",
    "home",
    "latest",
    "latest news",
    "latest posts",
    "leave a comment",
    "leave a reply",
    "leave a reply cancel reply",
    "like this",
    "listen to this article",
    "load more",
    "loading...",
    "log in",
    "login",
    "menu",
    "more",
    "more news",
    "more stories",
    "most popular",
    "most read",
    "must read",
    "newsletter",
    "newsletters",
    "next",
    "next article",
    "next post",
    "next story",
    "no comments",
    "no result",
    "no results",
    "popular",
    "popular categories",
    "popular news",
    "popular posts",
    "post a comment",
    "previous",
    "previous article",
    "previous post",
    "previous story",
    "print",
    "privacy",
    "privacy policy",
    "read more",
    "recent posts",
    "recommended",
    "recommended for you",
    "recommended stories",
    "register",
    "related",
    "related articles",
    "related content",
    "related news",
    "related posts",
    "related stories",
    "related topics",
    "scroll to top",
    "search",
    "see more",
    "share",
    "share this",
    "share this article",
    "share this post",
    "share this story",
    "show more",
    "sign in",
    "sign up",
    "skip to content",
    "skip to main content",
    "sponsored",
    "sponsored content",
    "story continues below advertisement",
    "subscribe",
    "subscribe now",
    "terms and conditions",
    "terms of service",
    "terms of use",
    "toggle navigation",
    "top stories",
    "trending",
    "trending now",
    "tweet",
    "view all result",
    "view all results",
    "you may also like",
    "you might also like",
];

/// Prefixes that mark a short line as boilerplate, sorted (lines are
/// matched only against the prefixes that share their first byte).
const PREFIXES: &[&str] = &[
    "also read:",
    "categories:",
    "category:",
    "filed under",
    "follow us on",
    "most read:",
    "posted in ",
    "read also:",
    "read more:",
    "related:",
    "required fields are marked",
    "see also:",
    "share on ",
    "share this",
    "share via ",
    "sign up for ",
    "subscribe to ",
    "tag:",
    "tagged with",
    "tagged:",
    "tags:",
    "topics:",
    "you may also like:",
    "you might also like:",
    "your email address will not be published",
];

/// Words of a line made only of sharing buttons.
const SOCIAL: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "telegram",
    "linkedin",
    "pinterest",
    "reddit",
    "email",
    "e-mail",
    "print",
    "share",
    "tweet",
    "copy",
    "link",
    "messenger",
    "instagram",
    "youtube",
    "tiktok",
    "on",
    "via",
    "by",
    "this",
    "article",
    "story",
    "|",
    "·",
    "•",
    "/",
];

/// Words that make a line of [`SOCIAL`] words a sharing line.
const SOCIAL_CORE: &[&str] =
    &["facebook", "twitter", "whatsapp", "telegram", "linkedin", "pinterest", "reddit", "share", "tweet"];

/// Separators of a one-line navigation menu.
const MENU_SEPARATORS: &[&str] = &[" | ", " · ", " / ", " • "];

/// Whether a normalised line is generic boilerplate.
pub(crate) fn is_generic(norm: &str, words: usize) -> bool {
    let t = norm
        .trim_end_matches([':', '.', '»', '›', '>', '|', '-', '!', ' ', '*'])
        .trim_start_matches(['»', '›', '>', '|', '-', ' ']);
    if t.is_empty() {
        return true;
    }
    if words <= 6 && EXACT.binary_search(&t).is_ok() {
        return true;
    }
    if has_prefix(norm) {
        return true;
    }
    if words <= 8 && t.starts_with("by ") && !super::lines::ends_sentence(norm) {
        // A byline.
        return true;
    }
    // The substring searches below only run on lines holding a rare byte
    // of what they look for.
    let rare = RareBytes::of(t);
    if words <= 15 && (t.ends_with("subscribe now") || (rare.j && t.contains("support independent journalism"))) {
        return true;
    }
    if words <= 20
        && ((rare.w && t.contains("newsletter")) || (rare.x && t.contains("inbox")))
        && (t.contains("sign up") || t.contains("subscribe") || t.contains("your inbox"))
    {
        // A newsletter sign-up line.
        return true;
    }
    if words <= 12 {
        // Every word a sharing word, one of them a core one. (Most lines
        // fail at their first word.)
        let mut toks = t.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty());
        let mut core = false;
        if toks.all(|w| {
            let social = SOCIAL.contains(&w);
            // The core words are sharing words: looked up in sharing lines only.
            core |= social && !core && SOCIAL_CORE.contains(&w);
            social
        }) && core
        {
            return true;
        }
    }
    words >= 4 && rare.separator && is_menu_line(t)
}

/// Whether a line starts with one of the [`PREFIXES`]: only those that
/// start with its first byte are compared.
fn has_prefix(norm: &str) -> bool {
    let Some(&first) = norm.as_bytes().first() else { return false };
    let from = PREFIXES.partition_point(|p| p.as_bytes()[0] < first);
    PREFIXES[from..].iter().take_while(|p| p.as_bytes()[0] == first).any(|p| norm.starts_with(p))
}

/// Which of a few rare bytes a text holds, found in one pass without early
/// exit, sixteen bytes at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct RareBytes {
    /// A byte of a [`MENU_SEPARATORS`] separator other than the spaces:
    /// `|`, `/`, and the last bytes of `·` (C2 B7) and `•` (E2 80 A2).
    separator: bool,
    /// `j` ("journalism").
    j: bool,
    /// `w` ("newsletter").
    w: bool,
    /// `x` ("inbox").
    x: bool,
}

impl RareBytes {
    /// The rare bytes of `t`: compared with SSE2 (part of x86-64) when it
    /// is sixteen bytes or longer.
    #[inline]
    fn of(t: &str) -> Self {
        #[cfg(target_arch = "x86_64")]
        if t.len() >= 16 {
            return Self::of_sse2(t.as_bytes());
        }
        Self::of_scalar(t.as_bytes())
    }

    /// [`RareBytes::of`] with one fold of one `bool` per flag, with `|`
    /// rather than `||`: the reference for [`RareBytes::of_sse2`], and the
    /// version for short texts and other architectures.
    fn of_scalar(bytes: &[u8]) -> Self {
        let any = |f: fn(u8) -> bool| bytes.iter().fold(false, |acc, &b| acc | f(b));
        RareBytes {
            separator: any(|b| (b == b'|') | (b == b'/') | (b == 0xB7) | (b == 0xA2)),
            j: any(|b| b == b'j'),
            w: any(|b| b == b'w'),
            x: any(|b| b == b'x'),
        }
    }

    /// [`RareBytes::of`] of at least sixteen bytes, sixteen at a time (the
    /// last sixteen overlap the block before them when the length is not a
    /// multiple of sixteen).
    #[cfg(target_arch = "x86_64")]
    fn of_sse2(bytes: &[u8]) -> Self {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128,
        };
        assert!(bytes.len() >= 16, "RareBytes::of_sse2 reads whole blocks");
        // SAFETY: SSE2 is always available on x86-64; every load reads the
        // 16 bytes at an offset of at most `bytes.len() - 16`.
        unsafe {
            let eq = |v: __m128i, b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            let mut found = [_mm_setzero_si128(); 4];
            let mut add = |offset: usize| {
                let v = _mm_loadu_si128(bytes.as_ptr().add(offset).cast::<__m128i>());
                let separator =
                    _mm_or_si128(_mm_or_si128(eq(v, b'|'), eq(v, b'/')), _mm_or_si128(eq(v, 0xB7), eq(v, 0xA2)));
                found[0] = _mm_or_si128(found[0], separator);
                found[1] = _mm_or_si128(found[1], eq(v, b'j'));
                found[2] = _mm_or_si128(found[2], eq(v, b'w'));
                found[3] = _mm_or_si128(found[3], eq(v, b'x'));
            };
            let mut offset = 0;
            while offset + 16 <= bytes.len() {
                add(offset);
                offset += 16;
            }
            if offset < bytes.len() {
                add(bytes.len() - 16);
            }
            let [separator, j, w, x] = found.map(|f| _mm_movemask_epi8(f) != 0);
            RareBytes { separator, j, w, x }
        }
    }
}

/// A one-line menu: at least four short items joined by a separator.
/// Every separator holds a [`RareBytes::separator`] byte: callers check
/// that first.
fn is_menu_line(t: &str) -> bool {
    MENU_SEPARATORS.iter().any(|sep| t.contains(sep) && are_menu_items(t.split(sep)))
}

/// Whether the pieces of a line read as a menu: at least four non-empty
/// items, each of at most three words and none ending a sentence.
fn are_menu_items<'a>(items: impl Iterator<Item = &'a str>) -> bool {
    let mut n = 0;
    for item in items {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        if item.split_whitespace().count() > 3 || super::lines::ends_sentence(item) {
            return false;
        }
        n += 1;
    }
    n >= 4
}

/// A one-line menu whose items are separated by runs of two or more spaces
/// (checked on the raw line, as normalisation collapses them).
pub(crate) fn is_spaced_menu(raw: &str) -> bool {
    has_pair(raw, *b"  ") && are_menu_items(raw.split("  "))
}

/// Whether two bytes follow each other somewhere in a text, in one pass
/// that the compiler vectorises (no early exit): cheaper than a substring
/// search for the short lines the patterns read.
#[inline]
fn has_pair(s: &str, [first, second]: [u8; 2]) -> bool {
    let bytes = s.as_bytes();
    let next = bytes.get(1..).unwrap_or_default();
    bytes.iter().zip(next).fold(false, |acc, (&a, &b)| acc | ((a == first) & (b == second)))
}

/// Whether a normalised line is a copyright line.
pub(crate) fn is_copyright(norm: &str, words: usize) -> bool {
    if words > 20 {
        return false;
    }
    // "©" is C2 A9 in UTF-8 (the pair is that character wherever it
    // occurs), and "all rights reserved" holds "rv".
    let sign = || has_pair(norm, [0xC2, 0xA9]);
    norm.starts_with('©')
        || norm.starts_with("(c) ")
        || (has_pair(norm, *b"rv") && norm.contains("all rights reserved"))
        || (norm.starts_with("copyright ") && (sign() || norm.bytes().any(|b| b.is_ascii_digit())))
        || (words <= 10 && sign())
}

/// The holder named by a copyright line ("© 2024 LR" → "LR",
/// "Copyright © 2023 The World Monitor. All rights reserved." → "The World Monitor").
pub(crate) fn copyright_holder(raw: &str) -> Option<String> {
    // Cut "all rights reserved" and what follows (ASCII lower-casing keeps
    // byte offsets).
    let cut = raw.to_ascii_lowercase().find("all rights reserved").unwrap_or(raw.len());
    let mut s = &raw[..cut];
    // Take the part that holds the © sign if the line is split by separators.
    let pieces: Vec<&str> = s.split(['|', '·']).collect();
    if pieces.len() > 1 {
        s = pieces.iter().find(|p| p.contains('©') || p.to_lowercase().contains("copyright")).unwrap_or(&pieces[0]);
    }
    let mut words: Vec<&str> = Vec::new();
    for w in s.split_whitespace() {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        let lw = bare.to_lowercase();
        if bare.is_empty() || lw == "copyright" || (lw == "c" && w.starts_with('(')) || (lw == "by" && words.is_empty())
        {
            continue;
        }
        if bare.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            // A year or a year range.
            if words.is_empty() {
                continue;
            }
            break;
        }
        words.push(w.trim_matches(|c: char| c == '©' || c == ','));
        if w.ends_with('.') && words.len() > 1 {
            break;
        }
    }
    let holder = words.join(" ");
    let holder = holder.trim_matches(|c: char| !c.is_alphanumeric()).trim();
    if holder.chars().any(char::is_alphabetic) {
        Some(holder.to_string())
    } else {
        None
    }
}

fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Initials of a name, counting camel-case humps: "LibyaReview" → "lr",
/// "The World Monitor" → "twm".
fn initials(s: &str) -> (String, String) {
    let mut all = String::new();
    let mut no_the = String::new();
    for w in s.split_whitespace() {
        let mut prev_lower = false;
        for (i, c) in w.chars().enumerate() {
            if !c.is_alphanumeric() {
                continue;
            }
            if i == 0 || (c.is_uppercase() && prev_lower) {
                all.extend(c.to_lowercase());
                if !w.eq_ignore_ascii_case("the") {
                    no_the.extend(c.to_lowercase());
                }
            }
            prev_lower = c.is_lowercase();
        }
    }
    (all, no_the)
}

/// Whether a copyright holder names the same outlet as a candidate line:
/// equal letters, one containing the other, or the holder being the
/// candidate's initials.
pub(crate) fn corroborates(candidate: &str, holder: &str) -> bool {
    let c = letters(candidate);
    let h = letters(holder);
    if c.is_empty() || h.is_empty() {
        return false;
    }
    if c == h {
        return true;
    }
    if c.len().min(h.len()) >= 4 && (c.contains(&h) || h.contains(&c)) {
        return true;
    }
    let (all, no_the) = initials(candidate);
    h.len() >= 2 && (h == all || h == no_the)
}

/// Whether a copyright holder reads as a name by itself (not just initials).
pub(crate) fn holder_is_name(holder: &str) -> bool {
    let words: Vec<&str> = holder.split_whitespace().collect();
    words.len() >= 2 || words.iter().any(|w| w.chars().filter(|c| c.is_lowercase()).count() >= 2)
}

#[cfg(test)]
mod tests;
