//! One record, however it came (a JSON Lines line, an Arrow row), to a
//! [`RawDoc`]: which fields are the id, text, title, source, address and
//! date, which go to `extra`, and what a wrong one costs (the record
//! skipped, or a warning).
//!
//! Owns [`Field`], [`parse_record`] (a JSON line, parsed without copying its
//! strings) and [`parse_fields`] (the rules every record goes through). It
//! must not read files or know where a record came from beyond the
//! [`Origin`] it is handed.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::{problem, Problem, ProblemKind, Severity};
use crate::article::{Date, DocKind, Extra, Origin, RawContent, RawDoc};

/// One JSON value of a record, as far as reading a record needs it: strings
/// are borrowed from the line when they have no escapes, and arrays and
/// objects are checked but not kept. Equivalent, for [`parse_record`], to
/// `serde_json::Value` (same parser, same errors), without copying the text.
/// `columnar` makes the same fields from Arrow columns.
pub(crate) enum Field<'a> {
    Str(Cow<'a, str>),
    Number(serde_json::Number),
    Bool(bool),
    Null,
    /// An array or an object.
    Nested,
}

/// A record line: an object's fields in input order, or some other value.
enum Record<'a> {
    Object(Vec<(Cow<'a, str>, Field<'a>)>),
    NotObject,
}

/// A string borrowed from the input when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Visits any JSON value the way `serde_json::Value` does.
struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Field<'de>, E> {
        Ok(Field::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Field<'de>, E> {
        Ok(Field::Number(n.into()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Field<'de>, E> {
        Ok(Field::Number(n.into()))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Field<'de>, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Field::Null, Field::Number))
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s)))
    }
    fn visit_none<E: de::Error>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field<'de>, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Field<'de>, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Field::Nested)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Field<'de>, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(Field::Nested)
    }
}

impl<'de> Deserialize<'de> for Field<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
}

impl<'de> Deserialize<'de> for Record<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Record<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Record<'de>, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((Text(key), value)) = map.next_entry::<Text<'de>, Field<'de>>()? {
                    fields.push((key, value));
                }
                Ok(Record::Object(fields))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Record<'de>, A::Error> {
                FieldVisitor.visit_seq(seq).map(|_| Record::NotObject)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses one JSON Lines record. Unknown scalar fields go to `extra`.
/// `origin` makes the record's origin, for the document or a warning.
pub(super) fn parse_record(
    line: &str,
    origin: impl Fn() -> Origin,
    problems: &mut Vec<Problem>,
) -> Result<RawDoc, (ProblemKind, String)> {
    let record: Record<'_> =
        serde_json::from_str(line).map_err(|err| (ProblemKind::BadJson, format!("bad JSON: {err}")))?;
    let Record::Object(fields) = record else {
        return Err((ProblemKind::BadJson, "bad JSON: a record must be an object".to_owned()));
    };
    parse_fields(fields, origin, problems)
}

/// A record from its fields (in input order; a repeated key keeps its last
/// value): the rules shared by JSON Lines and Arrow records. Unknown scalar
/// fields go to `extra`.
pub(crate) fn parse_fields<'a>(
    mut fields: Vec<(Cow<'a, str>, Field<'a>)>,
    origin: impl Fn() -> Origin,
    problems: &mut Vec<Problem>,
) -> Result<RawDoc, (ProblemKind, String)> {
    // Repeated keys: keep only the last occurrence of each (rare; a JSON
    // object map does the same).
    if fields.iter().enumerate().any(|(i, (k, _))| fields[i + 1..].iter().any(|(l, _)| l == k)) {
        let mut last: Vec<(Cow<'a, str>, Field<'a>)> = Vec::with_capacity(fields.len());
        for (k, v) in fields.into_iter().rev() {
            if !last.iter().any(|(l, _)| *l == k) {
                last.push((k, v));
            }
        }
        last.reverse();
        fields = last;
    }
    let mut take = |name: &str| -> Option<Field<'a>> {
        let i = fields.iter().position(|(k, _)| k == name)?;
        Some(std::mem::replace(&mut fields[i].1, Field::Nested))
    };
    let id = match take("id") {
        Some(Field::Str(s)) if !s.trim().is_empty() => trimmed(s),
        Some(Field::Number(n)) => n.to_string(),
        Some(_) => return Err((ProblemKind::MissingId, "the `id` field must be a non-empty string".to_owned())),
        None => return Err((ProblemKind::MissingId, "the record has no `id` field".to_owned())),
    };
    let string_field = |field: Option<Field<'a>>, name: &str| -> Result<Option<Cow<'a, str>>, (ProblemKind, String)> {
        match field {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Str(s)) => Ok(Some(s)),
            Some(_) => Err((ProblemKind::BadField, format!("article {id}: the `{name}` field must be a string"))),
        }
    };
    let content = match (string_field(take("text"), "text")?, string_field(take("html"), "html")?) {
        (Some(text), _) if !text.trim().is_empty() => RawContent::Text(text.into_owned()),
        (_, Some(html)) if !html.trim().is_empty() => RawContent::Html(html.into_owned()),
        (None, None) => {
            return Err((ProblemKind::MissingText, format!("article {id}: the record has neither `text` nor `html`")))
        }
        _ => return Err((ProblemKind::EmptyArticle, format!("article {id}: empty article"))),
    };
    let published = match string_field(take("published"), "published")? {
        Some(s) if !s.trim().is_empty() => {
            let date = Date::parse_iso(&s);
            if date.is_none() {
                problems.push(problem(
                    origin(),
                    Severity::Warning,
                    ProblemKind::BadDate,
                    format!("article {id}: `published` {s:?} is not YYYY-MM-DD or RFC 3339; ignored"),
                ));
            }
            date
        }
        _ => None,
    };
    let non_empty = |s: Option<Cow<'_, str>>| s.filter(|s| !s.trim().is_empty()).map(trimmed);
    let title = non_empty(string_field(take("title"), "title")?);
    let source = non_empty(string_field(take("source"), "source")?);
    let url = non_empty(string_field(take("url"), "url")?);
    let mut extra = Extra::new();
    for (key, value) in fields {
        if matches!(&*key, "id" | "text" | "html" | "title" | "source" | "url" | "published") {
            continue;
        }
        let scalar = match value {
            Field::Str(s) => s.into_owned(),
            Field::Number(n) => n.to_string(),
            Field::Bool(b) => b.to_string(),
            Field::Null | Field::Nested => continue,
        };
        extra.insert(key, scalar);
    }
    Ok(RawDoc { id, origin: origin(), kind: DocKind::Record, content, title, source, url, published, extra })
}

/// `s` without white space at either end, as an owned string: the string
/// itself when it is owned and has none.
fn trimmed(s: Cow<'_, str>) -> String {
    match s {
        Cow::Owned(s) if s.trim().len() == s.len() => s,
        s => s.trim().to_owned(),
    }
}
