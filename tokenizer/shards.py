"""Token shards: one uncompressed Arrow IPC file of (id, source, tokens) rows per shard.

The format (`quarry-tokens/1`) is a contract between the `tokens` stage, the reader
(tokenizer/reader.py) and any trainer, so it is spelled out here once:

- `<output>/tokens/<split>/part-<i:05d>-of-<n:05d>.arrow`, split in {train, val};
- the Arrow IPC *file* format (random access, a footer), uncompressed, so that a memory map of
  the file is the data: a reader gets numpy views without copying or decoding;
- schema `id: string, source: string, tokens: list<uint16>` (vocabularies up to 65,536 ids)
  or `list<uint32>`; every token list ends with the EOS id, so a shard's flat values buffer
  is the packed training stream with EOS separators between documents;
- exactly ONE record batch per shard: the values buffer is then one contiguous run of tokens,
  which is what lets `flat()` and `windows()` hand out plain slices of the map;
- schema metadata (bytes) FORMAT_KEY, SHA_KEY, VOCAB_KEY, EOS_KEY, SPLIT_KEY, so a shard
  carries the identity of its tokenizer even without its manifest;
- rows in the order the caller gives (the caller shuffles); the file's bytes depend on the
  rows and metadata only, so a retried worker rewrites the identical file.

List offsets are int32 (Arrow's `list`, not `large_list`): a shard holds fewer than 2**31
tokens, far above any useful shard size.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from pipeline.fsio import write_bytes_atomic

FORMAT = "quarry-tokens/1"
FORMAT_KEY = b"quarry.format"
SHA_KEY = b"quarry.tokenizer_sha256"
VOCAB_KEY = b"quarry.vocab_size"
EOS_KEY = b"quarry.eos_id"
SPLIT_KEY = b"quarry.split"
SPLITS = ("train", "val")
TOKENS_DIR = "tokens"
SUFFIX = ".arrow"
MAX_SHARD_TOKENS = 2**31 - 1  # int32 list offsets
_UINT16_VOCAB = 2**16
_UINT32_VOCAB = 2**32


def token_dtype(vocab_size: int) -> np.dtype:
    """uint16 while every id fits (vocab_size <= 65,536), else uint32: half the bytes for most vocabularies."""
    if not 1 <= vocab_size <= _UINT32_VOCAB:
        raise ValueError(f"vocab_size {vocab_size} is outside 1..{_UINT32_VOCAB}")
    return np.dtype(np.uint16) if vocab_size <= _UINT16_VOCAB else np.dtype(np.uint32)


def shard_name(index: int, count: int) -> str:
    """`part-00003-of-00008.arrow`: the file name of shard `index` (0-based) of `count`."""
    if not 0 <= index < count:
        raise ValueError(f"shard index {index} is outside 0..{count - 1}")
    return f"part-{index:05d}-of-{count:05d}{SUFFIX}"


def shard_relpath(split: str, index: int, count: int) -> str:
    """`tokens/<split>/part-…`: a shard's path relative to the output folder, as the manifest lists it."""
    _check_split(split)
    return f"{TOKENS_DIR}/{split}/{shard_name(index, count)}"


def shard_metadata(*, vocab_size: int, eos_id: int, tokenizer_sha256: str, split: str) -> dict[bytes, bytes]:
    """The schema metadata of a shard, in a fixed key order (the file's bytes depend on it)."""
    return {
        FORMAT_KEY: FORMAT.encode(),
        SHA_KEY: tokenizer_sha256.encode(),
        VOCAB_KEY: str(vocab_size).encode(),
        EOS_KEY: str(eos_id).encode(),
        SPLIT_KEY: split.encode(),
    }


def token_schema(vocab_size: int, metadata: dict[bytes, bytes] | None = None) -> pa.Schema:
    """`id: string, source: string, tokens: list<uint16|uint32>` with the given metadata."""
    value_type = pa.from_numpy_dtype(token_dtype(vocab_size))
    fields = [pa.field("id", pa.string()), pa.field("source", pa.string()), pa.field("tokens", pa.list_(value_type))]
    return pa.schema(fields, metadata=metadata)


def encode_token_shard(rows: Sequence[tuple[str, str, np.ndarray]], *, vocab_size: int, eos_id: int,
                       tokenizer_sha256: str, split: str) -> tuple[pa.Buffer, dict]:
    """The shard file's bytes and its counts, without writing: `write_token_shard` minus the write.

    Validation is vectorized over the concatenated tokens (one pass each for range and EOS),
    so a shard of millions of documents costs a few numpy passes, not a Python loop per token.
    """
    _check_split(split)
    dtype = token_dtype(vocab_size)
    if not 0 <= eos_id < vocab_size:
        raise ValueError(f"eos_id {eos_id} is outside the vocabulary 0..{vocab_size - 1}")
    ids, sources, arrays = [], [], []
    for doc_id, source, tokens in rows:
        if not isinstance(doc_id, str) or not isinstance(source, str):
            raise ValueError(f"row {doc_id!r}: id and source must be strings")
        arr = np.asarray(tokens)
        if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
            raise ValueError(f"row {doc_id!r}: tokens must be a 1-D integer array, got {arr.dtype} {arr.shape}")
        ids.append(doc_id)
        sources.append(source)
        arrays.append(arr)
    lengths = np.fromiter((a.size for a in arrays), dtype=np.int64, count=len(arrays))
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    if total > MAX_SHARD_TOKENS:
        raise ValueError(f"{total:,} tokens in one shard exceed {MAX_SHARD_TOKENS:,} (int32 offsets): use more shards")
    empty = np.flatnonzero(lengths == 0)
    if empty.size:
        raise ValueError(f"row {ids[empty[0]]!r} has no tokens: every document must end with eos_id {eos_id}")
    kinds = {a.dtype for a in arrays}
    common = kinds.pop() if len(kinds) == 1 else np.dtype(np.int64)  # mixed int dtypes: no float promotion
    flat = np.concatenate(arrays, dtype=common, casting="same_kind") if arrays else np.empty(0, dtype=dtype)
    if flat.size and (flat.dtype != dtype or vocab_size <= np.iinfo(dtype).max):
        low = int(flat.min()) if flat.dtype.kind == "i" else 0
        high = int(flat.max())
        if low < 0 or high >= vocab_size:
            raise ValueError(f"token id {low if low < 0 else high} is outside the vocabulary 0..{vocab_size - 1}")
    flat = flat.astype(dtype, copy=False)
    bad = np.flatnonzero(flat[offsets[1:] - 1] != eos_id) if arrays else np.empty(0, dtype=np.int64)
    if bad.size:
        raise ValueError(f"row {ids[bad[0]]!r} does not end with eos_id {eos_id} "
                         f"({bad.size} of {len(ids)} rows in this shard do not)")

    metadata = shard_metadata(vocab_size=vocab_size, eos_id=eos_id, tokenizer_sha256=tokenizer_sha256, split=split)
    schema = token_schema(vocab_size, metadata)
    tokens = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), pa.array(flat),
                                      type=schema.field("tokens").type)
    batch = pa.RecordBatch.from_arrays([pa.array(ids, pa.string()), pa.array(sources, pa.string()), tokens],
                                       schema=schema)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, schema, options=pa.ipc.IpcWriteOptions(compression=None)) as writer:
        writer.write_batch(batch)
    data = sink.getvalue()

    per_source: dict[str, int] = {}
    for source, n in zip(sources, lengths.tolist()):
        per_source[source] = per_source.get(source, 0) + n
    info = {
        "split": split,
        "bytes": data.size,
        "sha256": hashlib.sha256(memoryview(data)).hexdigest(),
        "documents": len(ids),
        "tokens": total,
        "sources": dict(sorted(per_source.items())),
    }
    return data, info


def write_token_shard(path: str, rows: Sequence[tuple[str, str, np.ndarray]], *, vocab_size: int, eos_id: int,
                      tokenizer_sha256: str, split: str) -> dict:
    """Write one token shard atomically; returns the manifest's TokenShard fields for it.

    `rows` are (id, source, tokens) in the order they go in the file; each token array must
    end with `eos_id` (ValueError otherwise: a missing separator would silently glue two
    documents together in the training stream). `path` is returned as given; the caller makes
    it relative to the output folder. Returns {"path", "split", "bytes", "sha256",
    "documents", "tokens", "sources": {source: tokens}}.
    """
    data, info = encode_token_shard(rows, vocab_size=vocab_size, eos_id=eos_id,
                                    tokenizer_sha256=tokenizer_sha256, split=split)
    write_bytes_atomic(path, memoryview(data))  # type: ignore[arg-type]  # any bytes-like object writes
    return {"path": path, **info}


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"split {split!r} is not one of {', '.join(SPLITS)}")
