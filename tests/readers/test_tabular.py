"""Tests for the JSON Lines and Parquet readers."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.streams import OneWay

from pipeline.readers.base import Failure, Record, Skip
from pipeline.readers.tabular import read_jsonl, read_parquet

# --- JSON Lines ------------------------------------------------------------------------------


def jsonl_lines() -> list[bytes]:
    return [
        json.dumps({"id": "doc-1", "text": "First document.", "url": "https://a.example/1",
                    "meta": {"source": "crawl", "lang": "en"}}).encode(),
        b"",  # blank line: not a unit
        json.dumps({"id": 2, "text": "Second document."}).encode(),
        b'{"id": "doc-3", "text": "unterminated',
        b'{"id": "doc-4", "text": "caf\xe9"}',
        json.dumps({"id": "doc-5", "body": "no text field"}).encode(),
        json.dumps({"url": "https://a.example/6", "text": "Only a url."}).encode(),
        json.dumps({"text": "Neither id nor url."}).encode(),
        json.dumps({"id": "doc-9", "text": "   "}).encode(),
        json.dumps(["a", "list"]).encode(),
        json.dumps({"id": "doc-11", "text": 42}).encode(),
        json.dumps({"id": "doc-12", "text": "Héllo wörld ✓", "meta": "not an object"}, ensure_ascii=False).encode(),
        b"   ",
    ]


def test_jsonl_every_line_is_one_event(tmp_path: Path) -> None:
    lines = jsonl_lines()
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / "shard-00.jsonl"
    path.write_bytes(data)
    uri = str(path)
    with path.open("rb") as stream:
        events = list(read_jsonl(stream, uri))
    bad_byte = data.index(b"caf\xe9") + 3
    assert events == [
        Record(
            text="First document.",
            locator="doc-1",
            fields={"url": "https://a.example/1", "meta": '{"lang":"en","source":"crawl"}'},
        ),
        Record(text="Second document.", locator="2", fields={}),
        Failure(location=f"{uri}:4", error="invalid JSON: Unterminated string starting at (col 25)"),
        Failure(location=f"{uri}:5@byte {bad_byte}", error="invalid UTF-8: invalid continuation byte"),
        Failure(location=f"{uri}:6", error="missing text field 'text'"),
        Record(text="Only a url.", locator="https://a.example/6", fields={"url": "https://a.example/6"}),
        Record(text="Neither id nor url.", locator="shard-00.jsonl:8", fields={}),
        Skip(reason="empty_text", location=f"{uri}:9"),
        Failure(location=f"{uri}:10", error="expected a JSON object, got list"),
        Failure(location=f"{uri}:11", error="text field 'text' is int, not a string"),
        Record(text="Héllo wörld ✓", locator="doc-12", fields={}),
    ]
    non_blank = sum(1 for line in lines if line.strip())
    assert len(events) == non_blank


def test_jsonl_custom_fields_and_gzip_stream(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"doc_id": "a", "content": "Alpha."}) + "\n")
        out.write(json.dumps({"doc_id": "b", "content": "Beta."}) + "\r\n")
    with gzip.open(path, "rb") as stream:
        events = list(read_jsonl(stream, "gs://bucket/docs.jsonl.gz", text_field="content", id_field="doc_id"))
    assert events == [Record("Alpha.", "a", {}), Record("Beta.", "b", {})]


def test_jsonl_bom_on_first_line() -> None:
    data = b"\xef\xbb\xbf" + json.dumps({"id": "x", "text": "With BOM."}).encode() + b"\n"
    assert list(read_jsonl(io.BytesIO(data), "bom.jsonl")) == [Record("With BOM.", "x", {})]


def test_jsonl_truncated_gzip_is_a_failure_after_good_lines(tmp_path: Path) -> None:
    payload = "".join(json.dumps({"id": i, "text": f"Document {i} " + "x" * 200}) + "\n" for i in range(200))
    compressed = gzip.compress(payload.encode())
    with gzip.open(io.BytesIO(compressed[: len(compressed) // 2]), "rb") as stream:
        events = list(read_jsonl(stream, "cut.jsonl.gz"))
    assert isinstance(events[-1], Failure)
    assert events[-1].location.startswith(f"cut.jsonl.gz:{len(events)}@byte ")
    assert all(isinstance(e, Record) for e in events[:-1])
    assert [e.locator for e in events[:-1]] == [str(i) for i in range(len(events) - 1)]


# --- Parquet ---------------------------------------------------------------------------------


def write_parquet(path: Path, table: pa.Table, row_group_size: int) -> None:
    pq.write_table(table, path, row_group_size=row_group_size)


def test_parquet_rows_across_row_groups(tmp_path: Path) -> None:
    n = 2500
    ids = [f"id-{i}" if i % 7 else None for i in range(n)]
    urls = [f"https://b.example/{i}" if i % 3 == 0 else None for i in range(n)]
    texts = [None if i % 11 == 0 else ("" if i % 13 == 0 else f"Row {i} text.") for i in range(n)]
    metas = [{"score": i, "lang": "en"} if i % 2 == 0 else None for i in range(n)]
    table = pa.table({"id": ids, "url": urls, "text": texts, "meta": metas, "other": list(range(n))})
    path = tmp_path / "part-00000.parquet"
    write_parquet(path, table, row_group_size=400)
    assert pq.ParquetFile(path).num_row_groups == 7

    with path.open("rb") as stream:
        events = list(read_parquet(stream, str(path)))
    assert len(events) == n
    for i, event in enumerate(events):
        if texts[i] is None or texts[i] == "":
            assert event == Skip(reason="empty_text", location=f"{path}:row {i}")
            continue
        expected_locator = ids[i] or urls[i] or f"part-00000.parquet:row {i}"
        expected_fields = {}
        if urls[i]:
            expected_fields["url"] = urls[i]
        if metas[i]:
            expected_fields["meta"] = json.dumps(metas[i], sort_keys=True, separators=(",", ":"))
        assert event == Record(text=f"Row {i} text.", locator=expected_locator, fields=expected_fields)


def test_parquet_integer_ids_and_custom_columns(tmp_path: Path) -> None:
    table = pa.table({"doc": pa.array([10, 11], pa.int64()), "body": ["Ten.", "Eleven."]})
    path = tmp_path / "ints.parquet"
    write_parquet(path, table, row_group_size=1)
    with path.open("rb") as stream:
        events = list(read_parquet(stream, str(path), text_field="body", id_field="doc"))
    assert events == [Record("Ten.", "10", {}), Record("Eleven.", "11", {})]


def test_parquet_missing_text_column_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "notext.parquet"
    write_parquet(path, pa.table({"id": ["a"], "content": ["x"]}), row_group_size=1)
    with path.open("rb") as stream:
        assert list(read_parquet(stream, str(path))) == [
            Failure(location=str(path), error="no text column 'text' (columns: id, content)")
        ]


def test_parquet_non_string_text_column_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "inttext.parquet"
    write_parquet(path, pa.table({"text": [1, 2]}), row_group_size=1)
    with path.open("rb") as stream:
        assert list(read_parquet(stream, str(path))) == [
            Failure(location=str(path), error="text column 'text' has type int64, not string")
        ]


@pytest.mark.parametrize("corruption", ["garbage", "truncated"])
def test_corrupt_parquet_is_one_failure(tmp_path: Path, corruption: str) -> None:
    good = tmp_path / "good.parquet"
    write_parquet(good, pa.table({"text": [f"t{i}" for i in range(100)]}), row_group_size=10)
    data = good.read_bytes()
    bad = b"this is not parquet" * 10 if corruption == "garbage" else data[: len(data) // 2]
    events = list(read_parquet(io.BytesIO(bad), "s3://x/bad.parquet"))
    assert len(events) == 1
    assert isinstance(events[0], Failure) and events[0].location == "s3://x/bad.parquet"
    assert events[0].error


def test_parquet_from_non_seekable_stream(tmp_path: Path) -> None:
    path = tmp_path / "stream.parquet"
    write_parquet(path, pa.table({"id": ["a", "b"], "text": ["A.", "B."]}), row_group_size=1)

    events = list(read_parquet(io.BufferedReader(OneWay(path.read_bytes())), "pipe.parquet"))
    assert events == [Record("A.", "a", {}), Record("B.", "b", {})]
