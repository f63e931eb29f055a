//! Text that reaches a terminal: control characters shown escaped.
//!
//! Owns [`escape_controls`] and [`ControlEscaper`], the writer the terminal
//! formats (`table`, `show`) and the messages on stderr go through, so that
//! a title or id holding terminal escapes (`\u{1b}]0;…\u{7}`, `\u{1b}[2J`)
//! is shown as text and never acted on. It must not change any other
//! character: line feeds and tabs pass as they are.

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether `c` is a control character a terminal could act on: C0 (but line
/// feed and tab), DEL and C1.
fn is_unsafe_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `text` with every control character but line feed and tab written as a
/// Rust-style escape (`\u{1b}`); borrowed when there is none.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that passes text on with [`escape_controls`] applied. Each
/// `write` must hold whole characters, as the `write!` of formatted text
/// gives (a piece that is not UTF-8 is passed on with its control bytes
/// escaped one by one).
pub struct ControlEscaper<W: Write> {
    inner: W,
}

impl<W: Write> ControlEscaper<W> {
    /// Escapes what is written before it reaches `inner`.
    pub fn new(inner: W) -> ControlEscaper<W> {
        ControlEscaper { inner }
    }
}

impl<W: Write> Write for ControlEscaper<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => self.inner.write_all(escape_controls(text).as_bytes())?,
            Err(_) => {
                for &byte in buf {
                    if byte < 0x20 && byte != b'\n' && byte != b'\t' || byte == 0x7F {
                        write!(self.inner, "\\x{byte:02x}")?;
                    } else {
                        self.inner.write_all(&[byte])?;
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_shown_as_text_and_the_rest_is_untouched() {
        let hostile = "Title \u{1b}]0;pwned\u{7}\u{1b}[2J with \u{9b}CSI\tand é\n";
        assert_eq!(escape_controls(hostile), "Title \\u{1b}]0;pwned\\u{7}\\u{1b}[2J with \\u{9b}CSI\tand é\n");
        assert!(matches!(escape_controls("Plain, «quoted» text.\n"), Cow::Borrowed(_)));
        let mut out = Vec::new();
        let id = "a\u{1b}b";
        write!(ControlEscaper::new(&mut out), "id {id}: ok").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "id a\\u{1b}b: ok");
        let mut out = Vec::new();
        ControlEscaper::new(&mut out).write_all(b"\x1b[2J\xff").unwrap();
        assert_eq!(out, b"\\x1b[2J\xff");
    }
}
