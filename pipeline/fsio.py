"""Atomic writes through Beam's FileSystems: write a temp name beside the target, then rename.

A reader never sees a half-written shard or manifest, and a retried worker overwrites a
finished file with identical bytes. Works for local paths and object stores alike.
"""
from __future__ import annotations

import hashlib
import json
import posixpath
import uuid
from typing import Any, BinaryIO

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems


def join(base: str, *parts: str) -> str:
    return FileSystems.join(base, *parts)


def write_bytes_atomic(path: str, data: bytes) -> None:
    """Write `data` to a temp name in the target's folder, then rename it over the target.

    On a local disk the rename replaces the target in one step (POSIX rename); object stores
    have no partial objects, so a reader sees the old bytes or the new, never a mix.
    """
    folder, name = FileSystems.split(path)
    tmp = FileSystems.join(folder, f".{name}.{uuid.uuid4().hex}.tmp")
    with FileSystems.create(tmp, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        handle.write(data)
    FileSystems.rename([tmp], [path])


def write_json_atomic(path: str, obj: Any) -> None:
    """Deterministic JSON (sorted keys, fixed indent, trailing newline), written atomically."""
    write_bytes_atomic(path, (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))


def sha256_file(path: str, chunk: int = 8 << 20) -> str:
    """The sha256 of a file's bytes, read in chunks (models and shards can be large)."""
    digest = hashlib.sha256()
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def read_bytes(path: str) -> bytes:
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
        return handle.read()


def read_json(path: str) -> Any:
    return json.loads(read_bytes(path).decode("utf-8"))


def delete_matching(pattern: str) -> int:
    """Delete every file matching `pattern`; returns how many there were."""
    found = [m.path for m in FileSystems.match([pattern])[0].metadata_list]
    if found:
        FileSystems.delete(found)
    return len(found)


_DECOMPRESSORS = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}


def open_input(path: str, *, decompress: bool) -> BinaryIO:
    """Open an input through FileSystems, undoing .gz/.bz2/.xz compression when asked.

    Decompression is Python's own rather than Beam's: Beam's CompressedFile ends quietly at a
    truncated stream, which would lose the tail of a file without a trace, while gzip, bz2
    and lzma raise EOFError there, so the reader reports it.
    """
    raw = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
    codec = _DECOMPRESSORS.get(posixpath.splitext(path)[1].lower()) if decompress else None
    if codec == "gzip":
        import gzip

        return gzip.GzipFile(fileobj=raw, mode="rb")
    if codec == "bz2":
        import bz2

        return bz2.BZ2File(raw, mode="rb")
    if codec == "lzma":
        import lzma

        return lzma.LZMAFile(raw, mode="rb")
    return raw
