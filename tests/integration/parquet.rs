//! Parquet inputs and `--format parquet`: the same records as JSON Lines give
//! the same output, bad rows are reported by row, damaged files by name, and
//! the Parquet output holds the CSV rows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::UInt64Type;
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, GzipLevel};
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

use crate::quality::dev_set;
use crate::util::{run, seeds_dir, temp_dir_with};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// Writes JSON Lines records as a Parquet file: a column per key (in the
/// order first met), integers as `Int64`, anything else as text, a missing
/// key null; `rows_per_group` rows a row group.
fn write_parquet(jsonl: &str, path: &Path, compression: Compression, rows_per_group: usize) {
    let records: Vec<Map<String, Value>> =
        jsonl.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut keys: Vec<&String> = Vec::new();
    for key in records.iter().flat_map(|r| r.keys()) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let columns = keys.iter().map(|key| {
        let values: Vec<Option<&Value>> = records.iter().map(|r| r.get(*key).filter(|v| !v.is_null())).collect();
        let array: ArrayRef = if values.iter().flatten().all(|v| v.is_i64()) {
            Arc::new(values.iter().map(|v| v.and_then(Value::as_i64)).collect::<Int64Array>())
        } else {
            let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            Arc::new(values.iter().map(|v| v.map(text)).collect::<StringArray>())
        };
        (key.as_str(), array)
    });
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let properties = WriterProperties::builder()
        .set_compression(compression)
        .set_max_row_group_row_count(Some(rows_per_group))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

/// Runs `storyclust` and returns its standard output, checking that it
/// succeeded.
fn output_of(args: &[&str]) -> String {
    let (stdout, stderr, ok) = run(args);
    assert!(ok, "storyclust {args:?} failed: {stderr}");
    stdout
}

/// The cells of a Parquet file as text (nulls empty), header first.
fn parquet_cells(path: &Path) -> Vec<Vec<String>> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap();
    let mut rows = vec![builder.schema().fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>()];
    for batch in builder.build().unwrap() {
        let batch = batch.unwrap();
        for row in 0..batch.num_rows() {
            let cell = |column: &ArrayRef| match column.data_type() {
                DataType::UInt64 => column.as_primitive::<UInt64Type>().value(row).to_string(),
                _ if column.is_null(row) => String::new(),
                _ => column.as_string::<i32>().value(row).to_owned(),
            };
            rows.push(batch.columns().iter().map(cell).collect());
        }
    }
    rows
}

fn csv_cells(csv: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

#[test]
fn a_dev_set_as_parquet_clusters_and_scores_as_its_json_lines() {
    let Some(jsonl) = dev_set("duc2003_events.jsonl") else { return };
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("duc2003_events.parquet");
    write_parquet(&std::fs::read_to_string(&jsonl).unwrap(), &parquet, Compression::SNAPPY, 50);
    let (jsonl, parquet) = (jsonl.to_str().unwrap(), parquet.to_str().unwrap());
    for args in
        [&["cluster", "--quiet", "--format", "jsonl"][..], &["dedup", "--quiet"], &["eval", "--gold-field", "story"]]
    {
        let from_jsonl = output_of(&[args, &[jsonl]].concat());
        assert!(!from_jsonl.is_empty());
        assert_eq!(output_of(&[args, &[parquet]].concat()), from_jsonl, "{args:?}");
    }
}

/// The seeds as records: their id the file stem, their text the page.
fn seeds_as_jsonl() -> String {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some())
        .collect();
    paths.sort();
    let records = paths.iter().map(|path| {
        let id = path.file_stem().unwrap().to_str().unwrap();
        serde_json::json!({"id": id, "text": std::fs::read_to_string(path).unwrap()}).to_string()
    });
    records.collect::<Vec<_>>().join("\n")
}

#[test]
fn the_seeds_as_records_give_the_same_stories_in_every_codec() {
    let jsonl = seeds_as_jsonl();
    let dir = temp_dir_with(&[("seeds.jsonl", jsonl.as_bytes())]);
    let expected =
        output_of(&["cluster", "--quiet", "--format", "jsonl", dir.path().join("seeds.jsonl").to_str().unwrap()]);
    let codecs = [
        ("snappy", Compression::SNAPPY),
        ("zstd", Compression::ZSTD(Default::default())),
        ("gzip", Compression::GZIP(GzipLevel::default())),
        ("lz4", Compression::LZ4_RAW),
        ("hadoop-lz4", Compression::LZ4),
        ("plain", Compression::UNCOMPRESSED),
    ];
    for (name, codec) in codecs {
        let path = dir.path().join(format!("seeds-{name}.parquet"));
        write_parquet(&jsonl, &path, codec, 7);
        let got = output_of(&["cluster", "--quiet", "--format", "jsonl", path.to_str().unwrap()]);
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn files_written_by_pyarrow_and_polars_read_as_their_json_lines() {
    let expected = output_of(&["cluster", "--quiet", "--format", "jsonl", data("storylines.jsonl").to_str().unwrap()]);
    // pyarrow: snappy, `published` a date32 column; polars: zstd, large strings.
    for fixture in ["storylines.pyarrow-snappy.parquet", "storylines.polars-zstd.parquet"] {
        let got = output_of(&["cluster", "--quiet", "--format", "jsonl", data(fixture).to_str().unwrap()]);
        assert_eq!(got, expected, "{fixture}");
    }
}

#[test]
fn bad_rows_are_reported_by_row_and_the_others_kept() {
    let jsonl = [
        r#"{"id": "a1", "text": "The harbour bridge collapsed in the storm on Monday night.", "published": "2024-09-23"}"#,
        r#"{"text": "A row without an id."}"#,
        r#"{"id": "a3", "title": "A row without text"}"#,
        r#"{"id": "a4", "text": "The mayor opened the new library on Tuesday morning.", "published": "soon"}"#,
        r#"{"id": "a1", "text": "A second row with the first row's id."}"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.parquet");
    write_parquet(&jsonl.join("\n"), &path, Compression::SNAPPY, 2);
    let (stdout, stderr, ok) = run(&["cluster", "--format", "jsonl", path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let ids: Vec<String> =
        stdout.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"a1".to_owned()) && ids.contains(&"a4".to_owned()), "{ids:?}");
    let shown = path.display();
    for expected in [
        format!("{shown}:2: skipped: the record has no `id` field"),
        format!("{shown}:3: skipped: article a3: the record has neither `text` nor `html`"),
        format!("{shown}:4: warning: article a4: `published` \"soon\" is not YYYY-MM-DD or RFC 3339; ignored"),
        format!("{shown}:5: skipped: duplicate id \"a1\": first read at {shown}:1"),
    ] {
        assert!(stderr.contains(&expected), "{expected}\nnot in:\n{stderr}");
    }
}

#[test]
fn a_damaged_parquet_file_is_reported_and_the_other_inputs_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.parquet");
    write_parquet(&seeds_as_jsonl(), &good, Compression::SNAPPY, 10);
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(dir.path().join("cut.parquet"), &bytes[..bytes.len() * 2 / 3]).unwrap();
    std::fs::write(dir.path().join("text.parquet"), "id,text\n1,not parquet\n").unwrap();
    let (stdout, stderr, ok) = run(&["dedup", dir.path().to_str().unwrap()]);
    // As for any unreadable input, the run goes on and succeeds.
    assert!(ok, "{stderr}");
    assert_eq!(stdout.lines().count(), 1 + 5, "{stdout}");
    for name in ["cut.parquet", "text.parquet"] {
        let expected = format!("{}: skipped: not a readable Parquet file", dir.path().join(name).display());
        assert!(stderr.contains(&expected), "{expected}\nnot in:\n{stderr}");
    }
}

#[test]
fn parquet_output_holds_the_csv_rows() {
    let seeds = seeds_dir();
    let seeds = seeds.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let (cluster, dedup) = (out("cluster.parquet"), out("dedup.parquet"));
    let csv = output_of(&["cluster", "--quiet", "--format", "csv", seeds]);
    output_of(&["cluster", "--quiet", "--format", "parquet", "--output", &cluster, seeds]);
    assert_eq!(parquet_cells(Path::new(&cluster)), csv_cells(&csv));
    let csv = output_of(&["dedup", "--quiet", seeds]);
    output_of(&["dedup", "--quiet", "--format", "parquet", "-o", &dedup, seeds]);
    assert_eq!(parquet_cells(Path::new(&dedup)), csv_cells(&csv));
    // `add` to two stores the same way: the rows of the articles added.
    let add = |store: &str, format: &str, output: Option<&str>| {
        let mut args = vec!["add", "--quiet", "--store", store, "--now", "2026-12-05", "--format", format];
        args.extend(output.map(|o| ["--output", o]).into_iter().flatten());
        args.push(seeds);
        output_of(&args)
    };
    let csv = add(&out("a.sqlite"), "csv", None);
    add(&out("b.sqlite"), "parquet", Some(&out("add.parquet")));
    assert_eq!(parquet_cells(Path::new(&out("add.parquet"))), csv_cells(&csv));
    // The stored stories, with the times the store saw them.
    let csv = output_of(&["stories", "--store", &out("a.sqlite"), "--format", "csv"]);
    output_of(&["stories", "--store", &out("a.sqlite"), "--format", "parquet", "-o", &out("stories.parquet")]);
    let cells = parquet_cells(Path::new(&out("stories.parquet")));
    assert!(cells[0].contains(&"story_first_seen".to_owned()), "{:?}", cells[0]);
    assert_eq!(cells, csv_cells(&csv));
}

#[test]
fn parquet_output_needs_an_output_file() {
    let seeds = seeds_dir();
    for command in ["cluster", "dedup"] {
        let (stdout, stderr, ok) = run(&[command, "--format", "parquet", seeds.to_str().unwrap()]);
        assert!(!ok);
        assert!(stdout.is_empty());
        assert!(stderr.contains("--format parquet needs --output FILE"), "{stderr}");
    }
}
