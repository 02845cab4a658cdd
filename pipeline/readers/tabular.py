"""Readers for already-extracted text corpora: JSON Lines and Parquet.

Both are read incrementally (a line, a record batch at a time) so a multi-GB shard never has
to fit in memory. One line or row is one unit. A document's locator is its id when the corpus
has one, else its URL, else its position in the file (`name:line` / `name:row i`), which is
stable as long as the file is.
"""
from __future__ import annotations

import codecs
import json
import posixpath
from typing import Any, BinaryIO, Iterator, Optional

from pipeline.readers.base import Event, Failure, Record, Skip, describe_error

_PARQUET_BATCH_ROWS = 1024


def _basename(uri: str) -> str:
    """Last path component of a local path or URL (`gs://b/x/part-0.jsonl` → `part-0.jsonl`)."""
    return posixpath.basename(uri.rstrip("/")) or uri


def _locator(doc_id: Any, url: Any, fallback: str) -> str:
    """The id field when present, else the url, else the position in the file."""
    if doc_id is not None and doc_id != "":
        if isinstance(doc_id, str):
            return doc_id
        if isinstance(doc_id, bytes):
            return doc_id.decode("utf-8", errors="backslashreplace")
        if isinstance(doc_id, (dict, list)):
            return json.dumps(doc_id, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return str(doc_id)
    if isinstance(url, str) and url:
        return url
    return fallback


def _fields(url: Any, meta: Any) -> dict[str, str]:
    """`url` when it is a string, `meta` as compact sorted JSON when it is an object."""
    fields: dict[str, str] = {}
    if isinstance(url, str) and url:
        fields["url"] = url
    if isinstance(meta, dict):
        fields["meta"] = json.dumps(
            meta, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
        )
    return fields


# --- JSON Lines ------------------------------------------------------------------------------


def read_jsonl(
    stream: BinaryIO, uri: str, *, text_field: str = "text", id_field: str = "id"
) -> Iterator[Event]:
    """Yield one event per non-blank line of a JSON Lines file.

    A line that is not valid UTF-8, not valid JSON, not an object, or has no string text is
    a Failure at its line (and byte offset for encoding errors); reading goes on with the
    next line. A read error of the stream itself ends the file with one Failure.
    """
    name = _basename(uri)
    offset = 0
    line_no = 0
    lines = iter(stream)
    while True:
        try:
            raw = next(lines)
        except StopIteration:
            return
        except Exception as exc:  # e.g. a truncated gzip stream
            yield Failure(location=f"{uri}:{line_no + 1}@byte {offset}", error=describe_error(exc))
            return
        line_no += 1
        start = offset
        offset += len(raw)
        if line_no == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
            start += len(codecs.BOM_UTF8)
        if not raw.strip():
            continue  # blank lines are not units
        yield _jsonl_event(raw, uri, name, line_no, start, text_field, id_field)


def _jsonl_event(
    raw: bytes, uri: str, name: str, line_no: int, start: int, text_field: str, id_field: str
) -> Event:
    """What one JSON line becomes."""
    location = f"{uri}:{line_no}"
    try:
        line = raw.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError as exc:
        return Failure(
            location=f"{location}@byte {start + exc.start}", error=f"invalid UTF-8: {exc.reason}"
        )
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Failure(location=location, error=f"invalid JSON: {exc.msg} (col {exc.colno})")
    except (ValueError, RecursionError) as exc:
        return Failure(location=location, error=f"invalid JSON: {describe_error(exc)}")
    if not isinstance(obj, dict):
        return Failure(location=location, error=f"expected a JSON object, got {type(obj).__name__}")
    if text_field not in obj:
        return Failure(location=location, error=f"missing text field {text_field!r}")
    text = obj[text_field]
    if not isinstance(text, str):
        return Failure(
            location=location,
            error=f"text field {text_field!r} is {type(text).__name__}, not a string",
        )
    if not text.strip():
        return Skip(reason="empty_text", location=location)
    url = obj.get("url")
    locator = _locator(obj.get(id_field), url, f"{name}:{line_no}")
    return Record(text=text, locator=locator, fields=_fields(url, obj.get("meta")))


# --- Parquet ---------------------------------------------------------------------------------


def read_parquet(
    stream: BinaryIO, uri: str, *, text_field: str = "text", id_field: str = "id"
) -> Iterator[Event]:
    """Yield one event per row of a Parquet file, reading one record batch at a time.

    Only the columns needed (text, id, url, meta) are read. A file that cannot be opened or
    has no usable text column is one Failure; a batch that cannot be decoded ends the file
    with one Failure at the first row not read.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        if callable(getattr(stream, "seekable", None)) and not stream.seekable():
            # Parquet's footer is at the end: a forward-only stream has to be buffered.
            stream = pa.BufferReader(stream.read())
        parquet = pq.ParquetFile(stream)
        schema = parquet.schema_arrow
    except Exception as exc:
        yield Failure(location=uri, error=describe_error(exc))
        return
    problem = _text_column_problem(schema, text_field, pa)
    if problem:
        yield Failure(location=uri, error=problem)
        return

    columns = [c for c in dict.fromkeys((text_field, id_field, "url", "meta")) if c in schema.names]
    name = _basename(uri)
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=columns):
            values = {column: batch.column(column).to_pylist() for column in columns}
            for i in range(batch.num_rows):
                yield _parquet_event(values, i, row, uri, name, text_field, id_field)
                row += 1
    except Exception as exc:
        yield Failure(location=f"{uri}:row {row}", error=describe_error(exc))


def _text_column_problem(schema, text_field: str, pa) -> Optional[str]:
    """Why the text column cannot be read as strings, or None when it can."""
    if text_field not in schema.names:
        return f"no text column {text_field!r} (columns: {', '.join(schema.names)})"
    column_type = schema.field(text_field).type
    if pa.types.is_dictionary(column_type):
        column_type = column_type.value_type
    if pa.types.is_string(column_type) or pa.types.is_large_string(column_type):
        return None
    if hasattr(pa.types, "is_string_view") and pa.types.is_string_view(column_type):
        return None
    return f"text column {text_field!r} has type {column_type}, not string"


def _meta_object(meta: Any) -> Any:
    """A struct column comes back as a dict, a map column as key/value pairs: make both dicts."""
    if isinstance(meta, list) and all(isinstance(p, tuple) and len(p) == 2 for p in meta):
        return dict(meta)
    return meta


def _parquet_event(
    values: dict[str, list], i: int, row: int, uri: str, name: str, text_field: str, id_field: str
) -> Event:
    """What one row becomes."""
    text = values[text_field][i]
    location = f"{uri}:row {row}"
    if text is None or not text.strip():
        return Skip(reason="empty_text", location=location)
    doc_id = values[id_field][i] if id_field in values else None
    url = values["url"][i] if "url" in values else None
    meta = _meta_object(values["meta"][i]) if "meta" in values else None
    locator = _locator(doc_id, url, f"{name}:row {row}")
    return Record(text=text, locator=locator, fields=_fields(url, meta))
