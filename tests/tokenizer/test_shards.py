"""The token shard writer: the quarry-tokens/1 contract, byte for byte."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from tokenizer.shards import FORMAT, shard_name, shard_relpath, token_dtype, write_token_shard

SHA = "ab" * 32


def _rows(rng: np.random.Generator, n: int, *, vocab: int = 1000, eos: int = 0) -> list[tuple[str, str, np.ndarray]]:
    rows = []
    for i in range(n):
        tokens = rng.integers(1, vocab, size=int(rng.integers(1, 40)))
        tokens[-1] = eos
        rows.append((f"doc-{i:03d}", ("web", "code")[i % 2], tokens))
    return rows


def _write(path: Path, rows, *, vocab: int = 1000, eos: int = 0, split: str = "train") -> dict:
    return write_token_shard(str(path), rows, vocab_size=vocab, eos_id=eos, tokenizer_sha256=SHA, split=split)


def test_rows_read_back_equal_what_was_written_with_counts_and_metadata(tmp_path: Path):
    rows = _rows(np.random.default_rng(0), 50)
    path = tmp_path / "tokens" / "train" / shard_name(0, 1)
    info = _write(path, rows)
    data = path.read_bytes()
    assert info == {
        "path": str(path), "split": "train", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
        "documents": 50, "tokens": sum(len(r[2]) for r in rows),
        "sources": {"code": sum(len(r[2]) for r in rows[1::2]), "web": sum(len(r[2]) for r in rows[::2])},
    }
    reader = pa.ipc.open_file(pa.memory_map(str(path)))  # the file format, not the stream format
    assert reader.num_record_batches == 1
    table = reader.read_all()
    assert table.column("id").to_pylist() == [r[0] for r in rows]
    assert table.column("source").to_pylist() == [r[1] for r in rows]
    for got, (_, _, want) in zip(table.column("tokens").to_pylist(), rows):
        assert got == want.tolist()
    assert table.schema.metadata == {
        b"quarry.format": FORMAT.encode(), b"quarry.tokenizer_sha256": SHA.encode(), b"quarry.vocab_size": b"1000",
        b"quarry.eos_id": b"0", b"quarry.split": b"train"}
    assert [f.name for f in table.schema] == ["id", "source", "tokens"]
    assert not list(path.parent.glob(".*.tmp"))  # the temp file was renamed away


def test_token_type_is_uint16_up_to_65536_ids_then_uint32(tmp_path: Path):
    assert token_dtype(50_257) == np.uint16 and token_dtype(65_536) == np.uint16
    assert token_dtype(65_537) == np.uint32
    rows = [("a", "web", np.array([65_535, 3], dtype=np.int64))]
    _write(tmp_path / "small.arrow", rows, vocab=65_536, eos=3)
    big = [("a", "web", np.array([70_000, 3], dtype=np.int64))]
    _write(tmp_path / "big.arrow", big, vocab=100_000, eos=3)
    small_type = pa.ipc.open_file(str(tmp_path / "small.arrow")).schema.field("tokens").type
    big_table = pa.ipc.open_file(str(tmp_path / "big.arrow")).read_all()
    assert small_type == pa.list_(pa.uint16())
    assert big_table.schema.field("tokens").type == pa.list_(pa.uint32())
    assert big_table.column("tokens").to_pylist() == [[70_000, 3]]


def test_same_rows_and_metadata_give_identical_bytes(tmp_path: Path):
    rows = _rows(np.random.default_rng(1), 30)
    first = _write(tmp_path / "a.arrow", rows)
    second = _write(tmp_path / "b.arrow", [(i, s, t.astype(np.uint16)) for i, s, t in rows])  # dtype in: irrelevant
    assert (tmp_path / "a.arrow").read_bytes() == (tmp_path / "b.arrow").read_bytes()
    assert first["sha256"] == second["sha256"]
    other = _write(tmp_path / "c.arrow", rows, split="val")
    assert other["sha256"] != first["sha256"]  # the split is in the header


def test_rows_must_end_with_eos_and_stay_in_the_vocabulary(tmp_path: Path):
    good = ("a", "web", np.array([5, 0]))
    with pytest.raises(ValueError, match=r"'b' does not end with eos_id 0"):
        _write(tmp_path / "x.arrow", [good, ("b", "web", np.array([5, 6]))])
    with pytest.raises(ValueError, match=r"'b' has no tokens"):
        _write(tmp_path / "x.arrow", [good, ("b", "web", np.array([], dtype=np.int64))])
    with pytest.raises(ValueError, match="outside the vocabulary"):
        _write(tmp_path / "x.arrow", [("a", "web", np.array([1000, 0]))])
    with pytest.raises(ValueError, match="outside the vocabulary"):
        _write(tmp_path / "x.arrow", [("a", "web", np.array([-1, 0]))])
    with pytest.raises(ValueError, match="split 'test'"):
        _write(tmp_path / "x.arrow", [good], split="test")
    assert not (tmp_path / "x.arrow").exists()


def test_empty_shard_and_names(tmp_path: Path):
    info = _write(tmp_path / "empty.arrow", [])
    assert (info["documents"], info["tokens"], info["sources"]) == (0, 0, {})
    assert pa.ipc.open_file(str(tmp_path / "empty.arrow")).read_all().num_rows == 0
    assert shard_name(3, 8) == "part-00003-of-00008.arrow"
    assert shard_relpath("val", 0, 2) == "tokens/val/part-00000-of-00002.arrow"
    with pytest.raises(ValueError):
        shard_name(8, 8)
