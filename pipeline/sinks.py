"""Sharded, deterministic Parquet sinks for clean and rejected documents.

Shard membership is a function of the document id and the shard count, and the shard count a
function of the total text size, so the same input and config give the same shards, byte for
byte, on any runner and with any number of workers: each shard's rows are sorted by id before
writing, and the file is written atomically.
"""
from __future__ import annotations

import hashlib
import math

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.document import COLUMN_FIELDS, Document
from pipeline.fsio import join, write_bytes_atomic
from pipeline.pii_scrub import UNSCRUBBED, pii_counts
from pipeline.spill import SpillGroups, read_spilled, spill_folder

DOCUMENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("kind", pa.string()),
        ("text", pa.large_string()),
        *[(name, pa.string()) for name in COLUMN_FIELDS],
        ("meta", pa.map_(pa.string(), pa.string())),
        ("signals", pa.map_(pa.string(), pa.float64())),
    ]
)
REJECTED_SCHEMA = DOCUMENT_SCHEMA.insert(4, pa.field("reason", pa.string()))
_ROW_GROUP_ROWS = 10_000


def shard_of(doc_id: str, num_shards: int) -> int:
    return int(doc_id[:15], 16) % num_shards


def shard_name(index: int, num_shards: int) -> str:
    return f"part-{index:05d}-of-{num_shards:05d}.parquet"


def parquet_bytes(rows: list[dict], schema: pa.Schema) -> bytes:
    table = pa.Table.from_pylist(rows, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", row_group_size=_ROW_GROUP_ROWS, write_statistics=True)
    return sink.getvalue().to_pybytes()


def _row(doc: Document, rejected: bool) -> dict:
    row = doc.to_row()
    if rejected:
        row["reason"] = doc.fields.get("reason", "")
    return row


class _WriteShard(beam.DoFn):
    def __init__(self, root: str, folder: str, rejected: bool):
        self.root = root
        self.folder = folder
        self.rejected = rejected

    def process(self, shard: tuple[int, list[str]], num_shards: int):
        index, spills = shard
        docs = sorted(read_spilled(spills), key=lambda d: d.id)
        schema = REJECTED_SCHEMA if self.rejected else DOCUMENT_SCHEMA
        data = parquet_bytes([_row(d, self.rejected) for d in docs], schema)
        name = shard_name(index, num_shards)
        write_bytes_atomic(join(self.root, self.folder, name), data)
        per_source: dict[str, dict] = {}
        for d in docs:
            stats = per_source.setdefault(d.source, {"documents": 0, "characters": 0, "languages": {}})
            stats["documents"] += 1
            stats["characters"] += len(d.text)
            if "lang" in d.fields:
                stats["languages"][d.fields["lang"]] = stats["languages"].get(d.fields["lang"], 0) + 1
            if d.fields.get("contaminated"):
                stats["contaminated"] = stats.get("contaminated", 0) + 1
            if d.fields.get(UNSCRUBBED):
                stats[UNSCRUBBED] = stats.get(UNSCRUBBED, 0) + 1
            pii = stats.setdefault("pii", {})
            for entity, n in pii_counts(d).items():
                pii[entity] = pii.get(entity, 0) + n
        yield {
            "path": f"{self.folder}/{name}",
            "documents": len(docs),
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "sources": per_source,
        }


def shard_count(input_bytes: int, input_bytes_per_shard: int) -> int:
    """Shards for a job: fixed from the input size before anything runs.

    Deciding the count up front (as datatrove and Dolma do, one output per input slice) keeps
    shard assignment fused with the stage that makes the documents; counting the output first
    would need a side input, which breaks fusion and copies every document once more.
    """
    return max(1, math.ceil(input_bytes / input_bytes_per_shard))


class WriteShards(beam.PTransform):
    """Documents -> `num_shards` Parquet shards under `root/folder`; one info dict per shard written.

    A shard that no document hashes to is not written; the manifest lists the shards that exist.
    Documents reach their shard's writer through spill files (`pipeline.spill`), not the shuffle;
    a tuple of PCollections is spilled branch by branch (`SpillGroups`).
    """

    def __init__(self, root: str, folder: str, num_shards: int, *, rejected: bool = False):
        super().__init__()
        self.root = root
        self.folder = folder
        self.num_shards = num_shards
        self.rejected = rejected

    def expand(self, docs):
        n = self.num_shards
        return (
            docs
            | "GroupShard" >> SpillGroups(spill_folder(self.root, self.folder), lambda d: shard_of(d.id, n))
            | "WriteShard" >> beam.ParDo(_WriteShard(self.root, self.folder, self.rejected), n)
        )
