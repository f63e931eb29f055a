//! Unit tests of the Arrow conversion: every column type, nulls, bad rows,
//! extras, the same articles as JSON Lines, and the output batches equal
//! to the CSV rows.

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder, StringDictionaryBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{
    BooleanArray, Date32Array, Date64Array, Float32Array, Float64Array, Int32Array, Int64Array, LargeStringArray,
    TimestampMillisecondArray, TimestampSecondArray, UInt64Array,
};

use super::*;
use crate::article::{DocKind, Extra};
use crate::ingest::ProblemKind;
use crate::represent::{DocFreqCounter, Language};

/// A batch of the named columns (all nullable).
fn batch_of(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter_with_nullable(columns.into_iter().map(|(name, array)| (name, array, true))).unwrap()
}

fn strings(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(values.iter().copied().collect::<StringArray>())
}

fn read(batch: &RecordBatch) -> (Vec<RawDoc>, Vec<Problem>) {
    let mut problems = Vec::new();
    let docs = raw_docs_from_batch(batch, "feed.parquet", 1, &mut problems);
    (docs, problems)
}

fn kinds(problems: &[Problem]) -> Vec<(ProblemKind, Option<usize>)> {
    problems.iter().map(|p| (p.kind, p.origin.line)).collect()
}

#[test]
fn the_same_records_as_json_lines_give_the_same_documents_and_problems() {
    // A null is a missing field: the JSON Lines records leave those out.
    let jsonl = [
        r#"{"id": "a1", "title": " T1 ", "text": "Body one.", "source": "Wire", "published": "2024-09-23", "url": "http://x/1", "story": "s1", "rank": 3, "flag": true}"#,
        r#"{"id": 42, "html": "<p>Html body</p>", "published": "2024-09-23T08:00:00+02:00", "story": "s2", "rank": 4, "flag": false}"#,
        r#"{"title": "no id", "text": "Orphan.", "story": "s3", "rank": 5, "flag": true}"#,
        r#"{"id": "a4", "title": "no text", "story": "s4", "rank": 6, "flag": true}"#,
        r#"{"id": "a5", "text": "   ", "story": "s5", "rank": 7, "flag": true}"#,
        r#"{"id": "a6", "text": "Bad date.", "published": "yesterday", "story": "s6", "rank": 8, "flag": true}"#,
        r#"{"id": " ", "text": "Blank id.", "story": "s7", "rank": 9, "flag": true}"#,
    ];
    let from_jsonl = crate::ingest::read_bytes(Path::new("feed.parquet.jsonl"), jsonl.join("\n").as_bytes());
    let batch = batch_of(vec![
        ("id", strings(&[Some("a1"), Some("42"), None, Some("a4"), Some("a5"), Some("a6"), Some(" ")])),
        ("title", strings(&[Some(" T1 "), None, Some("no id"), Some("no text"), None, None, None])),
        (
            "text",
            strings(&[
                Some("Body one."),
                None,
                Some("Orphan."),
                None,
                Some("   "),
                Some("Bad date."),
                Some("Blank id."),
            ]),
        ),
        ("html", strings(&[None, Some("<p>Html body</p>"), None, None, None, None, None])),
        ("source", strings(&[Some("Wire"), None, None, None, None, None, None])),
        (
            "published",
            strings(&[
                Some("2024-09-23"),
                Some("2024-09-23T08:00:00+02:00"),
                None,
                None,
                None,
                Some("yesterday"),
                None,
            ]),
        ),
        ("url", strings(&[Some("http://x/1"), None, None, None, None, None, None])),
        ("story", strings(&[Some("s1"), Some("s2"), Some("s3"), Some("s4"), Some("s5"), Some("s6"), Some("s7")])),
        ("rank", Arc::new(Int64Array::from(vec![3, 4, 5, 6, 7, 8, 9]))),
        ("flag", Arc::new(BooleanArray::from(vec![true, false, true, true, true, true, true]))),
    ]);
    let mut problems = Vec::new();
    let docs = raw_docs_from_batch(&batch, "feed.parquet.jsonl", 1, &mut problems);
    assert_eq!(format!("{docs:?}"), format!("{:?}", from_jsonl.docs));
    assert_eq!(problems, from_jsonl.problems);
    assert_eq!(docs.len(), 3);
    assert_eq!(
        kinds(&problems),
        vec![
            (ProblemKind::MissingId, Some(3)),
            (ProblemKind::MissingText, Some(4)),
            (ProblemKind::EmptyArticle, Some(5)),
            (ProblemKind::BadDate, Some(6)),
            (ProblemKind::MissingId, Some(7)),
        ]
    );
}

#[test]
fn every_text_type_is_read_and_nulls_are_missing() {
    let mut dictionary = StringDictionaryBuilder::<Int32Type>::new();
    dictionary.append_value("Wire");
    dictionary.append_null();
    dictionary.append_value("Wire");
    let batch = batch_of(vec![
        ("id", Arc::new(StringViewArray::from(vec![Some("v1"), Some("v2"), Some("v3")])) as ArrayRef),
        ("text", Arc::new(LargeStringArray::from(vec![Some("Large one."), Some("Large two."), None]))),
        ("html", Arc::new(StringViewArray::from(vec![None, None, Some("<p>View html.</p>")]))),
        ("source", Arc::new(dictionary.finish())),
    ]);
    let (docs, problems) = read(&batch);
    assert!(problems.is_empty(), "{problems:?}");
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["v1", "v2", "v3"]);
    assert_eq!(docs[0].content, RawContent::Text("Large one.".into()));
    assert_eq!(docs[2].content, RawContent::Html("<p>View html.</p>".into()));
    assert_eq!(docs[0].source.as_deref(), Some("Wire"));
    assert_eq!(docs[1].source, None);
    assert_eq!(docs[2].source.as_deref(), Some("Wire"));
    assert_eq!(docs[0].kind, DocKind::Record);
    assert_eq!(docs[1].origin, Origin::line("feed.parquet", 2));
}

#[test]
fn integer_ids_read_as_their_decimal_text() {
    let batch = batch_of(vec![
        ("id", Arc::new(Int32Array::from(vec![Some(7), None, Some(-3)])) as ArrayRef),
        ("text", strings(&[Some("One."), Some("Two."), Some("Three.")])),
    ]);
    let (docs, problems) = read(&batch);
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["7", "-3"]);
    assert_eq!(kinds(&problems), vec![(ProblemKind::MissingId, Some(2))]);
    let unsigned = batch_of(vec![
        ("id", Arc::new(UInt64Array::from(vec![u64::MAX])) as ArrayRef),
        ("text", strings(&[Some("One.")])),
    ]);
    assert_eq!(read(&unsigned).0[0].id, u64::MAX.to_string());
}

#[test]
fn dates_and_timestamps_give_the_publication_date() {
    let day = Date::new(2024, 9, 23).unwrap().days_since_epoch();
    let noon = day * 86_400 + 12 * 3600;
    let late = day * 86_400 + 22 * 3600;
    let ids = || strings(&[Some("a"), Some("b")]);
    let texts = || strings(&[Some("One."), Some("Two.")]);
    let cases: Vec<(ArrayRef, [Option<Date>; 2])> = vec![
        (Arc::new(Date32Array::from(vec![Some(day as i32), None])), [Date::new(2024, 9, 23), None]),
        (
            Arc::new(Date64Array::from(vec![Some(day * 86_400_000), Some(-1)])),
            [Date::new(2024, 9, 23), Date::new(1969, 12, 31)],
        ),
        (Arc::new(TimestampSecondArray::from(vec![noon, late])), [Date::new(2024, 9, 23), Date::new(2024, 9, 23)]),
        (
            Arc::new(TimestampMillisecondArray::from(vec![noon * 1000, late * 1000]).with_timezone("UTC")),
            [Date::new(2024, 9, 23), Date::new(2024, 9, 23)],
        ),
        // The local date: 22:00 UTC is the next day five hours east.
        (
            Arc::new(TimestampSecondArray::from(vec![noon, late]).with_timezone("+05:00")),
            [Date::new(2024, 9, 23), Date::new(2024, 9, 24)],
        ),
    ];
    for (published, expected) in cases {
        let batch = batch_of(vec![("id", ids()), ("text", texts()), ("published", published.clone())]);
        let (docs, problems) = read(&batch);
        assert!(problems.is_empty(), "{:?}: {problems:?}", published.data_type());
        let dates: Vec<Option<Date>> = docs.iter().map(|d| d.published).collect();
        assert_eq!(dates, expected, "{:?}", published.data_type());
    }
}

#[test]
fn a_number_as_publication_date_is_a_bad_field_as_in_json_lines() {
    let batch = batch_of(vec![
        ("id", strings(&[Some("a"), Some("b")])),
        ("text", strings(&[Some("One."), Some("Two.")])),
        ("published", Arc::new(Int64Array::from(vec![Some(20240923), None]))),
    ]);
    let (docs, problems) = read(&batch);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, "b");
    assert_eq!(kinds(&problems), vec![(ProblemKind::BadField, Some(1))]);
    assert_eq!(problems[0].to_string(), "feed.parquet:1: skipped: article a: the `published` field must be a string");
}

#[test]
fn extras_keep_every_scalar_column_as_text_and_drop_the_rest() {
    let mut list = ListBuilder::new(StringBuilder::new());
    list.values().append_value("x");
    list.append(true);
    list.append(true);
    let batch = batch_of(vec![
        ("id", strings(&[Some("a"), Some("b")])),
        ("text", strings(&[Some("One."), Some("Two.")])),
        ("story", strings(&[Some("s1"), None])),
        ("score", Arc::new(Float64Array::from(vec![Some(0.5), Some(f64::NAN)]))),
        ("weight", Arc::new(Float32Array::from(vec![0.1, 2.0]))),
        ("seen", Arc::new(TimestampSecondArray::from(vec![0, 1]).with_timezone("+01:00"))),
        ("tags", Arc::new(list.finish())),
    ]);
    let (docs, problems) = read(&batch);
    assert!(problems.is_empty(), "{problems:?}");
    let extras = |doc: &RawDoc| doc.extra.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
    assert_eq!(extras(&docs[0]), "score=0.5 seen=1970-01-01T01:00:00+01:00 story=s1 weight=0.1");
    assert_eq!(extras(&docs[1]), "seen=1970-01-01T01:00:01+01:00 weight=2.0");
    let mut expected = Extra::new();
    expected.insert("story", "s1");
    assert_eq!(docs[0].extra.get("story"), expected.get("story"));
}

#[test]
fn a_batch_without_an_id_column_skips_every_row_by_number() {
    let batch = batch_of(vec![("text", strings(&[Some("One."), Some("Two.")]))]);
    let mut problems = Vec::new();
    let docs = raw_docs_from_batch(&batch, "feed.parquet", 101, &mut problems);
    assert!(docs.is_empty());
    assert_eq!(kinds(&problems), vec![(ProblemKind::MissingId, Some(101)), (ProblemKind::MissingId, Some(102))]);
    assert_eq!(problems[0].to_string(), "feed.parquet:101: skipped: the record has no `id` field");
}

#[test]
fn read_batches_numbers_rows_across_batches_and_skips_duplicate_ids() {
    let first = batch_of(vec![("id", strings(&[Some("a"), Some("b")])), ("text", strings(&[Some("1"), Some("2")]))]);
    let second = batch_of(vec![("id", strings(&[Some("c"), Some("a")])), ("text", strings(&[Some("3"), Some("4")]))]);
    let error = ArrowError::ComputeError("broken page".into());
    let out = read_batches("table", [Ok(first.clone()), Ok(second), Err(error), Ok(first)]);
    let ids: Vec<&str> = out.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(out.docs[2].origin, Origin::line("table", 3));
    assert_eq!(kinds(&out.problems), vec![(ProblemKind::Unreadable, Some(5)), (ProblemKind::DuplicateId, Some(4))]);
    assert_eq!(out.problems[1].to_string(), "table:4: skipped: duplicate id \"a\": first read at table:1");
}

fn membership_row<'a>(id: &'a str, storyline: Option<&'a str>, seen: Option<&'a str>) -> MembershipRow<'a> {
    MembershipRow {
        id,
        story: "s1",
        storyline,
        duplicate_group: "",
        source: "Wire, Inc.",
        title: "A \"quoted\" title",
        published: String::new(),
        story_headline: "Headline",
        story_articles: 2,
        story_sources: 1,
        story_first_published: "2024-09-23".into(),
        story_last_published: "2024-09-24".into(),
        story_first_seen: seen,
        story_last_seen: seen,
    }
}

/// The cells of a batch as text (nulls empty), header first.
fn cells(batch: &RecordBatch) -> Vec<Vec<String>> {
    let mut rows = vec![batch.schema().fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>()];
    for row in 0..batch.num_rows() {
        let cell = |column: &ArrayRef| match column.data_type() {
            DataType::UInt64 => column.as_primitive::<UInt64Type>().value(row).to_string(),
            _ if column.is_null(row) => String::new(),
            _ => column.as_string::<i32>().value(row).to_owned(),
        };
        rows.push(batch.columns().iter().map(cell).collect());
    }
    rows
}

fn csv_cells<T: serde::Serialize>(rows: &[T]) -> Vec<Vec<String>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    rows.iter().for_each(|row| writer.serialize(row).unwrap());
    let bytes = writer.into_inner().unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

#[test]
fn membership_batch_holds_the_csv_columns_and_cells() {
    for (storyline, seen) in [(None, None), (Some("l1"), None), (None, Some("2024-09-23T10:00:00Z"))] {
        let rows = [membership_row("a", storyline, seen), membership_row("b", storyline, seen)];
        let batch = membership_batch(&rows).unwrap();
        assert_eq!(cells(&batch), csv_cells(&rows), "{storyline:?} {seen:?}");
        assert_eq!(batch.schema().field_with_name("story_articles").unwrap().data_type(), &DataType::UInt64);
    }
    let empty = membership_batch(&[]).unwrap();
    assert_eq!(empty.num_rows(), 0);
    assert_eq!(empty.num_columns(), 11);
}

#[test]
fn dedup_batch_holds_the_csv_columns_and_cells() {
    let rows = [
        DedupRow { id: "a", duplicate_group: "d1", group_size: 2 },
        DedupRow { id: "b", duplicate_group: "", group_size: 1 },
        DedupRow { id: "c", duplicate_group: "d1", group_size: 2 },
    ];
    let batch = dedup_batch(&rows).unwrap();
    assert_eq!(cells(&batch), csv_cells(&rows));
}

#[cfg(feature = "parquet")]
mod parquet_files {
    use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    use super::*;

    /// The batches of a Parquet file held in memory, and its row groups.
    fn read_back(bytes: Vec<u8>) -> (Vec<RecordBatch>, usize) {
        let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
        let row_groups = builder.metadata().num_row_groups();
        (builder.build().unwrap().map(Result::unwrap).collect(), row_groups)
    }

    #[test]
    fn membership_rows_written_in_row_groups_read_back_as_their_batch() {
        let ids: Vec<String> = (0..70_000).map(|k| format!("a{k}")).collect();
        // Only the last row has a storyline: every row group has the column.
        let rows: Vec<MembershipRow<'_>> = ids
            .iter()
            .enumerate()
            .map(|(k, id)| membership_row(id, (k == ids.len() - 1).then_some("l1"), None))
            .collect();
        let mut bytes = Vec::new();
        write_membership_parquet(&rows, &mut bytes).unwrap();
        let (batches, row_groups) = read_back(bytes);
        assert_eq!(row_groups, 2);
        let expected = cells(&membership_batch(&rows).unwrap());
        let mut read: Vec<Vec<String>> = Vec::new();
        for (k, batch) in batches.iter().enumerate() {
            let mut batch_cells = cells(batch);
            assert_eq!(batch_cells[0], expected[0]);
            read.extend(batch_cells.drain(usize::from(k > 0)..));
        }
        assert_eq!(read, expected);
    }

    #[test]
    fn no_rows_make_a_file_with_the_columns() {
        let mut bytes = Vec::new();
        write_dedup_parquet(&[], &mut bytes).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
        let names: Vec<String> = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(names, ["id", "duplicate_group", "group_size"]);
    }

    #[test]
    fn a_parquet_file_in_memory_is_read_by_its_name_and_bad_bytes_are_reported() {
        let batch = batch_of(vec![
            ("id", strings(&[Some("a"), None, Some("a")])),
            ("text", strings(&[Some("One."), Some("Two."), Some("Three.")])),
        ]);
        let mut bytes = Vec::new();
        let mut writer = ::parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), None).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        let out = crate::ingest::read_bytes(Path::new("feed.parquet"), &bytes);
        assert_eq!(out.docs.len(), 1);
        assert_eq!(kinds(&out.problems), vec![(ProblemKind::MissingId, Some(2)), (ProblemKind::DuplicateId, Some(3))]);
        let broken = crate::ingest::read_bytes(Path::new("feed.parquet"), &bytes[..bytes.len() / 2]);
        assert!(broken.docs.is_empty());
        assert_eq!(kinds(&broken.problems), vec![(ProblemKind::Unreadable, None)]);
        assert!(broken.problems[0].message.starts_with("not a readable Parquet file"), "{}", broken.problems[0]);
    }
}

/// A counter's documents by language, and its entries.
type DfParts = (Vec<(Language, u32)>, Vec<(u64, u32, u32, u32)>);

/// A counter's counts in a comparable order.
fn df_parts(counter: &DocFreqCounter) -> DfParts {
    let mut entries: Vec<_> = counter.entries().collect();
    entries.sort_unstable();
    (counter.documents().collect(), entries)
}

fn df_counter(documents: &[(Language, u32)], entries: &[(u64, u32, u32, u32)]) -> DocFreqCounter {
    DocFreqCounter::from_parts(documents.iter().copied(), entries.iter().copied())
}

#[test]
fn document_frequencies_go_through_a_table_and_add_up_by_key() {
    let other_language = Language::all().nth(1).unwrap();
    let a =
        df_counter(&[(Language::ENGLISH, 3), (other_language, 2)], &[(1, 3, 1, 0), (u64::MAX, 2, 0, 2), (7, 1, 0, 0)]);
    let b = df_counter(&[(Language::ENGLISH, 4), (Language::OTHER, 1)], &[(1, 2, 0, 1), (9, 4, 4, 0)]);
    let batch_a = doc_freq_batch(&a).unwrap();
    // Language rows first, then keys in order.
    assert_eq!(batch_a.num_rows(), 5);
    assert_eq!(batch_a.column(1).as_string::<i32>().value(1), other_language.code());
    assert_eq!(batch_a.column(0).as_primitive::<UInt64Type>().values()[2..], [1, 7, u64::MAX]);
    let read_a = doc_freq_from_batches([Ok(batch_a.clone())]).unwrap();
    assert_eq!(df_parts(&read_a), df_parts(&a));
    // The tables of two parts, handed over together, are the counts of both.
    let both = doc_freq_from_batches([Ok(batch_a), doc_freq_batch(&b)]).unwrap();
    assert_eq!(df_parts(&both), df_parts(&a.merge(b)));
}

#[test]
fn document_frequencies_summed_by_an_engine_without_unsigned_types_are_read() {
    let counter = df_counter(&[(Language::ENGLISH, 5)], &[(u64::MAX, 2, 1, 1), (3, 5, 0, 0)]);
    // As Spark gives them back: signed keys of the same bits, 64-bit sums.
    let batch = batch_of(vec![
        ("key", Arc::new(Int64Array::from(vec![None, Some(-1), Some(3)]))),
        ("language", strings(&[Some("eng"), None, None])),
        ("df", Arc::new(Int64Array::from(vec![5, 2, 5]))),
        ("capitalised", Arc::new(Int64Array::from(vec![0, 1, 0]))),
        ("lower", Arc::new(Int32Array::from(vec![0, 1, 0]))),
    ]);
    assert_eq!(df_parts(&doc_freq_from_batches([Ok(batch)]).unwrap()), df_parts(&counter));
}

#[test]
fn bad_document_frequency_tables_are_refused_with_the_row() {
    let table = |key: Option<i64>, language: Option<&str>, df: Option<i64>| {
        batch_of(vec![
            ("key", Arc::new(Int64Array::from(vec![None, key]))),
            ("language", strings(&[Some("eng"), language])),
            ("df", Arc::new(Int64Array::from(vec![Some(1), df]))),
            ("capitalised", Arc::new(Int64Array::from(vec![0, 0]))),
            ("lower", Arc::new(Int64Array::from(vec![0, 0]))),
        ])
    };
    let error =
        |batch: RecordBatch| doc_freq_from_batches([Ok(batch)]).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(doc_freq_from_batches([Ok(table(Some(4), None, Some(1)))]).is_ok());
    assert!(error(table(Some(4), Some("eng"), Some(1))).contains("row 2: a row holds either"));
    assert!(error(table(None, None, Some(1))).contains("row 2: a row holds either"));
    assert!(error(table(None, Some("xx"), Some(1))).contains("unknown language 'xx'"));
    assert!(error(table(Some(4), None, Some(-1))).contains("negative 'df'"));
    assert!(error(table(Some(4), None, None)).contains("row 2: a null count"));
    assert!(error(table(Some(4), None, Some(1i64 << 32))).contains("more than"));
    let no_lower = table(Some(4), None, Some(1)).project(&[0, 1, 2, 3]).unwrap();
    assert!(error(no_lower).contains("no column 'lower'"));
}
