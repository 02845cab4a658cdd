"""Grouping whole documents through files, with only their paths in the runner's shuffle.

The FnApiRunner (the DirectRunner Quarry runs on) shuffles in one driver process that holds
every element of a GroupByKey until it is read, then encodes a second copy to deal it out: a
shuffle of every clean document costs that process about five times the corpus in memory at
once, which is what capped a 2-core, 24 GB machine at a few hundred MB of input. Grouping
documents by shard the way datatrove and Dolma do it keeps that memory flat: each worker
appends its documents to one spill file per group (a new file every `FLUSH_BYTES`), and only
(group, spill path) pairs cross the shuffle. The step that reads a group's spill files reads
exactly the files the shuffle delivered, so what a retried bundle left behind is never read
twice; `delete_spills` clears those leftovers when the job ends.

Spill files live under the job's output through Beam's FileSystems, so every worker of a
distributed runner can read what another wrote. The format is length-prefixed
`pipeline.document.encode_document` records (or another encoder's bytes), never pickle.
"""
from __future__ import annotations

import struct
import uuid
from collections import defaultdict
from typing import Any, Callable, Iterator

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from pipeline.document import decode_document, encode_document
from pipeline.fsio import delete_matching, join, read_bytes, write_bytes_atomic
from pipeline.runners import in_global_window

SPILL_DIR = "_spill"
FLUSH_BYTES = 64 << 20  # document bytes a worker buffers before writing its spill files
_LENGTH = struct.Struct("<I")
MIN_PARTITIONS = 64  # enough partitions for the workers to share a grouped stage evenly
PARTITION_INPUT_BYTES = 4 << 20  # ... and one more per this many input bytes, so each stays small


def partitions_for(input_bytes: int) -> int:
    """How many hash partitions a job with `input_bytes` of input groups a corpus-wide stage into."""
    return max(MIN_PARTITIONS, -(-input_bytes // PARTITION_INPUT_BYTES))


def pack_records(blobs: list[bytes]) -> bytes:
    """Byte strings as one, each after its 4-byte length."""
    return b"".join(_LENGTH.pack(len(b)) + b for b in blobs)


def unpack_records(data: bytes) -> Iterator[bytes]:
    """The byte strings `pack_records` joined; a truncated file raises ValueError."""
    offset, end = 0, len(data)
    while offset < end:
        if offset + _LENGTH.size > end:
            raise ValueError("spill file ends inside a record length")
        (size,) = _LENGTH.unpack_from(data, offset)
        offset += _LENGTH.size
        if offset + size > end:
            raise ValueError("spill file ends inside a record")
        yield data[offset: offset + size]
        offset += size


class _Spill(beam.DoFn):
    """Documents (or other items, with `encode`) -> (group, spill path): one file per group per
    flush of this worker's buffer."""

    def __init__(self, folder: str, group_of: Callable[[Any], int], encode: Callable[[Any], bytes]):
        self.folder = folder
        self.group_of = group_of
        self.encode = encode

    def start_bundle(self) -> None:
        self.buffers: dict[int, list[bytes]] = defaultdict(list)
        self.buffered = 0

    def process(self, item):
        blob = self.encode(item)
        self.buffers[self.group_of(item)].append(blob)
        self.buffered += len(blob)
        if self.buffered >= FLUSH_BYTES:
            yield from self._flush()

    def finish_bundle(self):
        yield from map(in_global_window, self._flush())

    def _flush(self):
        for group in sorted(self.buffers):
            yield group, spill_blob(self.folder, group, pack_records(self.buffers[group]))
        self.start_bundle()


def spill_blob(folder: str, group: int, blob: bytes) -> str:
    """Write `blob` as a new spill file of `group` under `folder`; its path. For steps that pack
    their own records (near dedup's band entries) and shuffle only the path."""
    path = join(folder, f"{group:05d}-{uuid.uuid4().hex}.bin")
    write_bytes_atomic(path, blob)
    return path


def read_blobs(paths: list[str]) -> list[bytes]:
    """The spill files at `paths` (in path order), then delete them."""
    blobs = [read_bytes(path) for path in sorted(paths)]
    if paths:
        FileSystems.delete(list(paths))  # exact names: one call, no glob matching per file
    return blobs


class SpillGroups(beam.PTransform):
    """Documents -> (group, [spill paths]) per group some document went to, via files under `folder`.

    Read a group with `read_spilled`; it deletes the files it has read. Other items than
    documents spill with their own `encode` (read them back with the matching `decode`).
    `docs` may be a tuple of PCollections (a job's read branches): each is spilled where it is
    made, and only the (group, path) pairs are flattened. Flattening the documents first would
    make the FnApiRunner hold all of them in its driver between the producing stages and the
    spilling one.
    """

    def __init__(self, folder: str, group_of: Callable[[Any], int],
                 encode: Callable[[Any], bytes] = encode_document):
        super().__init__()
        self.folder = folder
        self.group_of = group_of
        self.encode = encode

    def expand(self, docs):
        if not isinstance(docs, tuple):
            docs = (docs,)
        spilled = [branch | f"Spill{i or ''}" >> beam.ParDo(_Spill(self.folder, self.group_of, self.encode))
                   for i, branch in enumerate(docs)]
        if len(spilled) > 1:
            spilled = [tuple(spilled) | "MergeSpills" >> beam.Flatten()]
        return spilled[0] | "GroupSpills" >> beam.GroupByKey()


def read_spilled(paths: list[str], decode: Callable[[bytes], object] = decode_document) -> list:
    """Every document (or item, with `decode`) in a group's spill files, then delete the files."""
    return [decode(record) for blob in read_blobs(paths) for record in unpack_records(blob)]


def spill_folder(root: str, name: str) -> str:
    return join(root, SPILL_DIR, name)


def delete_spills(root: str) -> int:
    """Delete every spill file under `root` (what an interrupted run or a retried bundle left),
    then the spill folder itself where the file system has folders; returns the files deleted."""
    found = delete_matching(join(root, SPILL_DIR, "*", "*.bin")) + delete_matching(join(root, SPILL_DIR, "*", ".*.tmp"))
    folder = join(root, SPILL_DIR)
    if FileSystems.exists(folder):
        FileSystems.delete([folder])  # empty by now: the local file system removes the tree
    return found
