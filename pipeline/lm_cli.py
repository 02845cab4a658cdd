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


def texts_from(paths: list[str], text_field: str = "text") -> Iterator[str]:
    """Documents of the inputs: a .txt file is one document; JSONL and Parquet give one per row.

    Unreadable rows are reported on stderr with their location and skipped, as a job would.
    """
    for path in _expand(paths):
        name = path.lower()
        if name.endswith((".jsonl", ".jsonl.gz", ".json.gz", ".jsonl.bz2")):
            events = read_jsonl(open_input(path, decompress=True), path, text_field=text_field)
        elif name.endswith(".parquet"):
            events = read_parquet(open_input(path, decompress=False), path, text_field=text_field)
        else:
            with open_input(path, decompress=True) as handle:
                yield normalize_text(handle.read().decode("utf-8", "replace"))
            continue
        for event in events:
            if isinstance(event, Record):
                yield normalize_text(event.text)
            elif isinstance(event, Failure):
                print(f"quarry lm train: skipped {event.location}: {event.error}", file=sys.stderr)
