//! The `dedup` command's output: one row per article with its
//! near-duplicate group.
//!
//! Owns [`DedupFormat`], [`DedupRow`] and [`write_dedup`]. Like the rest of
//! `report`, it lays out what `fingerprint` found and computes nothing.

use std::io::{self, Write};

use serde::Serialize;

use crate::article::Article;
use crate::cluster::DupGroup;

/// An output format of `dedup`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DedupFormat {
    /// A header line, then one comma-separated row per article.
    Csv,
    /// One JSON object per line and article.
    Jsonl,
    /// One row per article in a Parquet file (`columnar::dedup_batch`).
    #[cfg(feature = "parquet")]
    Parquet,
}

/// An article and its near-duplicate group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DedupRow<'a> {
    /// The article id.
    pub id: &'a str,
    /// The group id (`d1`, `d2`, …), empty for an article without copies.
    pub duplicate_group: &'a str,
    /// The number of articles in the group, 1 for an article without copies.
    pub group_size: usize,
}

/// One row per article, in article order: `groups` hold article indices.
pub fn dedup_rows<'a>(articles: &'a [Article], groups: &'a [DupGroup]) -> Vec<DedupRow<'a>> {
    let mut rows: Vec<DedupRow<'a>> =
        articles.iter().map(|a| DedupRow { id: &a.id, duplicate_group: "", group_size: 1 }).collect();
    for group in groups {
        for &member in &group.members {
            rows[member].duplicate_group = &group.id;
            rows[member].group_size = group.members.len();
        }
    }
    rows
}

/// Writes the rows of [`dedup_rows`] in `format`.
///
/// # Errors
/// An error of `out`.
pub fn write_dedup(
    articles: &[Article],
    groups: &[DupGroup],
    format: DedupFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rows = dedup_rows(articles, groups);
    match format {
        DedupFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for row in &rows {
                writer.serialize(row).map_err(super::csv_error)?;
            }
            writer.flush()?;
        }
        DedupFormat::Jsonl => {
            for row in &rows {
                serde_json::to_writer(&mut *out, row)?;
                writeln!(out)?;
            }
        }
        #[cfg(feature = "parquet")]
        DedupFormat::Parquet => crate::columnar::write_dedup_parquet(&rows, out)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str) -> Article {
        Article {
            id: id.to_owned(),
            source: String::new(),
            title: String::new(),
            url: String::new(),
            published: None,
            body: String::new(),
            origin: crate::article::Origin::file("feed.jsonl"),
            extra: crate::article::Extra::default(),
        }
    }

    #[test]
    fn each_article_gets_its_group_or_none_in_every_format() {
        let articles = [article("a"), article("b"), article("c")];
        let groups = [DupGroup { id: "d1".into(), members: vec![0, 2], links: Vec::new() }];
        let mut csv = Vec::new();
        write_dedup(&articles, &groups, DedupFormat::Csv, &mut csv).unwrap();
        assert_eq!(String::from_utf8(csv).unwrap(), "id,duplicate_group,group_size\na,d1,2\nb,,1\nc,d1,2\n");
        let mut jsonl = Vec::new();
        write_dedup(&articles, &groups, DedupFormat::Jsonl, &mut jsonl).unwrap();
        let lines: Vec<&str> = std::str::from_utf8(&jsonl).unwrap().lines().collect();
        assert_eq!(lines[1], r#"{"id":"b","duplicate_group":"","group_size":1}"#);
        assert_eq!(lines.len(), 3);
    }
}
