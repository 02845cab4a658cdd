"""`quarry lm train`: a KenLM model from text files, JSONL/Parquet corpora or Quarry's own shards."""
from __future__ import annotations

import glob
import sys
from pathlib import Path
from typing import Iterator

from filters.normalize import normalize_text
from pipeline.fsio import open_input
from pipeline.readers.base import Failure, Record
from pipeline.readers.tabular import read_jsonl, read_parquet


class LmInputError(ValueError):
    """An input that does not exist or that no reader understands; one line for the user."""


def _expand(patterns: list[str]) -> list[str]:
    paths: list[str] = []
    for pattern in patterns:
        found = sorted(glob.glob(pattern, recursive=True)) if any(c in pattern for c in "*?[") else [pattern]
        if not found or not all(Path(p).is_file() for p in found):
            raise LmInputError(f"input not found: {pattern}")
        paths.extend(found)
    return paths


def file_documents(path: str, text_field: str = "text", label: str = "quarry") -> Iterator[tuple[str, str]]:
    """(locator, raw text) of one input file: a .txt file is one document (its path as locator);
    JSONL and Parquet give one per row. Rows the readers cannot use are reported on stderr with
    their location (prefixed by `label`) and skipped, as a job would."""
    name = path.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".json.gz", ".jsonl.bz2")):
        events = read_jsonl(open_input(path, decompress=True), path, text_field=text_field)
    elif name.endswith(".parquet"):
        events = read_parquet(open_input(path, decompress=False), path, text_field=text_field)
    else:
        with open_input(path, decompress=True) as handle:
            yield path, handle.read().decode("utf-8", "replace")
        return
    for event in events:
        if isinstance(event, Record):
            yield event.locator, event.text
        elif isinstance(event, Failure):
            print(f"{label}: skipped {event.location}: {event.error}", file=sys.stderr)


def texts_from(paths: list[str], text_field: str = "text") -> Iterator[str]:
    """Documents of the inputs, normalized as the perplexity stage scores them (`file_documents`)."""
    for path in _expand(paths):
        for _, text in file_documents(path, text_field, label="quarry lm train"):
            yield normalize_text(text)
