//! A page read by its tags alone: html5ever's tokenizer without its tree
//! builder, for pages whose element tree would cost more than linear time
//! or memory (`tree::Budget`).
//!
//! The tags are matched on a plain stack: a start tag opens an element
//! (not a void one), an end tag closes the innermost open element of its
//! name and everything opened inside it, an end tag with no open element of
//! its name is ignored. The text is written by the same rules as the tree
//! walk of `html.rs` (its `Walk`): block elements end a line, list items
//! are bullets, suppressed and skipped elements drop their text, and
//! `<meta>`, `<title>`, `<h1>`, `<time>` and JSON-LD are read. Without the
//! tree builder's repairs (misnested formatting elements, implied end
//! tags, tables), a broken page's lines may break differently.
//!
//! Main function: [`tokens_to_text`]. Must not: look back over what it has
//! read; every token costs constant time, amortised (an element is opened
//! and closed once), whatever the nesting.

use std::cell::RefCell;
use std::collections::HashMap;

use html5ever::buffer_queue::BufferQueue;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use html5ever::{Attribute, LocalName};
use serde_json::Value;

use super::{collapse, date, is_skipped, json_ld, meta, HtmlMeta, Walk};

/// How much work [`tokens_to_text`] did: what tests check is linear.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TokenWork {
    /// Tokens read (tags, text runs, comments).
    pub tokens: usize,
    /// Elements closed (each opened element is closed once).
    pub closed: usize,
}

/// The text lines and metadata of a page read by its tags alone, and the
/// work it took.
pub(crate) fn tokens_to_text(html: &str) -> ((String, HtmlMeta), TokenWork) {
    let reader = Reader(RefCell::new(State {
        walk: Walk::new(html.len()),
        open: Vec::new(),
        n_open: HashMap::new(),
        skipped: 0,
        capture: None,
        work: TokenWork::default(),
    }));
    let tokenizer = Tokenizer::new(reader, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The reader never asks the tokenizer to pause for a script.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut state = tokenizer.sink.0.into_inner();
    while !state.open.is_empty() {
        state.close_innermost();
    }
    let work = state.work;
    (state.walk.finish(), work)
}

/// What an open element did when it was opened, to be undone when it is
/// closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opened {
    /// It was entered ([`Walk::open`]): its children are walked.
    Entered,
    /// It is hidden or skipped: the text inside is dropped.
    Skipped,
    /// It is inside a skipped element: nothing was done.
    Inert,
}

/// An element open as the tags say.
struct Open {
    name: LocalName,
    opened: Opened,
}

/// Text gathered from inside one element.
struct Capture {
    /// What the text is for.
    kind: CaptureKind,
    /// How many elements were open when it started: it ends when the
    /// element that started it closes.
    depth: usize,
    /// The text so far.
    text: String,
}

/// What a [`Capture`] is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CaptureKind {
    /// An `<h1>`: the headline of the article (`main`) or of site chrome.
    H1 { main: bool },
    /// The `<title>`.
    Title,
    /// A JSON-LD `<script>`.
    JsonLd,
}

/// The reader's state, behind the `RefCell` that html5ever's `&self` token
/// sink needs.
struct State {
    walk: Walk,
    /// The open elements, innermost last.
    open: Vec<Open>,
    /// How many elements of each name are open.
    n_open: HashMap<LocalName, usize>,
    /// Depth in hidden and skipped elements.
    skipped: usize,
    /// The text being gathered, if any (one at a time).
    capture: Option<Capture>,
    work: TokenWork,
}

/// The token sink of [`tokens_to_text`].
struct Reader(RefCell<State>);

impl TokenSink for Reader {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        state.work.tokens += 1;
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => return state.start(tag),
            Token::TagToken(tag) => state.end(&tag.name),
            Token::CharacterTokens(text) => state.text(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Elements without content or end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// How the tokenizer reads the content of an element, as the tree builder
/// would tell it: `None` for markup.
fn raw_kind(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "title" | "textarea" => Some(RawKind::Rcdata),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(RawKind::Rawtext),
        _ => None,
    }
}

/// The value of an attribute of a tag.
fn attr<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a str> {
    attrs.iter().find(|a| &*a.name.local == name).map(|a| &*a.value)
}

impl State {
    /// A start tag: opens its element (unless void) and enters it as the
    /// tree walk would; tells the tokenizer how to read its content.
    fn start(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let result = match raw_kind(name) {
            Some(kind) => TokenSinkResult::RawData(kind),
            None if name == "plaintext" => TokenSinkResult::Plaintext,
            None => TokenSinkResult::Continue,
        };
        if is_void(name) {
            if self.skipped == 0 {
                self.void(name, &tag.attrs);
            }
            return result;
        }
        let opened = if self.skipped > 0 {
            Opened::Inert
        } else if attr(&tag.attrs, "hidden").is_some() || is_skipped(name) {
            Opened::Skipped
        } else {
            self.enter(name, &tag.attrs)
        };
        if opened == Opened::Skipped {
            self.skipped += 1;
        }
        *self.n_open.entry(tag.name.clone()).or_default() += 1;
        self.open.push(Open { name: tag.name, opened });
        result
    }

    /// A void element outside skipped ones.
    fn void(&mut self, name: &str, attrs: &[Attribute]) {
        let walk = &mut self.walk;
        match name {
            "br" => walk.writer.flush(),
            "meta" => meta(|key| attr(attrs, key), &mut walk.collected),
            "hr" => {
                walk.open(name);
                walk.leave(name);
            }
            _ => {}
        }
    }

    /// Enters an element outside skipped ones: reads what it declares,
    /// starts gathering its text if needed.
    fn enter(&mut self, name: &str, attrs: &[Attribute]) -> Opened {
        let walk = &mut self.walk;
        let c = &mut walk.collected;
        let kind = match name {
            "script" if attr(attrs, "type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) => {
                Some(CaptureKind::JsonLd)
            }
            "title" if c.title_el.is_none() => Some(CaptureKind::Title),
            "h1" => {
                let main = walk.chrome == 0 || walk.article > 0;
                let slot = if main { &c.h1_main } else { &c.h1_any };
                slot.is_none().then_some(CaptureKind::H1 { main })
            }
            "time" => {
                if c.time.is_none() {
                    c.time = attr(attrs, "datetime").and_then(date::parse_value);
                }
                None
            }
            _ => None,
        };
        if self.capture.is_none() {
            if let Some(kind) = kind {
                self.capture = Some(Capture { kind, depth: self.open.len(), text: String::new() });
            }
        }
        if matches!(name, "script" | "title") {
            return Opened::Skipped;
        }
        walk.open(name);
        Opened::Entered
    }

    /// An end tag: closes the innermost open element of its name and the
    /// elements open inside it; ignored when none of its name is open.
    fn end(&mut self, name: &LocalName) {
        if self.n_open.get(name).copied().unwrap_or(0) == 0 {
            return;
        }
        while let Some(closed) = self.close_innermost() {
            if closed == *name {
                break;
            }
        }
    }

    /// Closes the innermost open element: undoes what opening it did,
    /// finishes the text gathered from it. Its name.
    fn close_innermost(&mut self) -> Option<LocalName> {
        let Open { name, opened } = self.open.pop()?;
        self.work.closed += 1;
        if let Some(n) = self.n_open.get_mut(&name) {
            *n -= 1;
        }
        match opened {
            Opened::Entered => self.walk.leave(&name),
            Opened::Skipped => self.skipped -= 1,
            Opened::Inert => {}
        }
        if self.capture.as_ref().is_some_and(|capture| capture.depth == self.open.len()) {
            if let Some(capture) = self.capture.take() {
                self.finish_capture(capture);
            }
        }
        Some(name)
    }

    /// Keeps the text gathered from an element where it belongs.
    fn finish_capture(&mut self, capture: Capture) {
        let c = &mut self.walk.collected;
        match capture.kind {
            CaptureKind::H1 { main } => {
                let slot = if main { &mut c.h1_main } else { &mut c.h1_any };
                if slot.is_none() {
                    *slot = collapse(&capture.text);
                }
            }
            CaptureKind::Title => c.title_el = collapse(&capture.text),
            CaptureKind::JsonLd => {
                if let Ok(v) = serde_json::from_str::<Value>(&capture.text) {
                    json_ld(&v, c, 0);
                }
            }
        }
    }

    /// A run of text: gathered, and written outside skipped and suppressed
    /// elements.
    fn text(&mut self, text: &str) {
        if let Some(capture) = &mut self.capture {
            capture.text.push_str(text);
        }
        if self.skipped == 0 && self.walk.suppressed == 0 {
            self.walk.writer.text(text);
        }
    }
}
