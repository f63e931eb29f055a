"""Fixtures of the Python package's tests: the command to compare with, and the inputs."""

import csv
import io
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(__file__).resolve().parent / "data"


def binary() -> pathlib.Path:
    """The storyclust command: $STORYCLUST_BIN, else the release build of the workspace."""
    if os.environ.get("STORYCLUST_BIN"):
        return pathlib.Path(os.environ["STORYCLUST_BIN"])
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "storyclust"


@pytest.fixture(scope="session")
def cli():
    """Runs the command; returns (stdout, stderr) as text."""
    path = binary()
    if not path.exists():
        pytest.fail(f"no storyclust command at {path}: run `cargo build --release` or set STORYCLUST_BIN")

    def run(*args, check=True):
        done = subprocess.run([str(path), *map(str, args)], capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"storyclust {' '.join(map(str, args))} failed: {done.stderr}")
        return done.stdout, done.stderr

    return run


def write_jsonl(path: pathlib.Path, records) -> pathlib.Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def csv_rows(text: str):
    """The rows of a CSV document, as dicts of strings."""
    return list(csv.DictReader(io.StringIO(text)))


def table_rows(result):
    """A result's rows through pyarrow, every value as the CSV writes it."""
    import pyarrow

    table = pyarrow.table(result)
    return [
        {k: "" if v is None else str(v) for k, v in row.items()} for row in table.to_pylist()
    ], table.column_names


@pytest.fixture(scope="session")
def seed_records():
    """The five seed pages as JSON Lines records (id: the file's stem)."""
    return [
        {"id": p.stem, "text": p.read_text(encoding="utf-8")}
        for p in sorted((ROOT / "seeds").glob("*.txt"))
    ]


@pytest.fixture(scope="session")
def dev_records():
    """The WikiNews French development set (100 articles, ten storylines)."""
    with open(DATA / "wikinews_fr.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]
