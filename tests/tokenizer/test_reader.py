"""The token reader: zero-copy views of written shards, rank-disjoint windows, exact resume, clear errors."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from manifests.schema import (MANIFEST_NAME, Errors, Manifest, RunInfo, SplitInfo, TokenizerInfo, TokenShard,
                              TokensInfo)
from tokenizer.reader import TokenDataError, TokenDataset
from tokenizer.shards import shard_relpath, write_token_shard

SHA = "5e" * 32
VOCAB, EOS = 1000, 0
T = 8
SHARD_DOCS = {"train": [30, 1, 12, 25], "val": [5]}  # train shard 1 holds less than a window at T=8


def _manifest(shards: list[dict], *, tokens: bool = True, sha: str = SHA) -> dict:
    splits = {}
    for s in shards:
        split = splits.setdefault(s["split"], {"documents": 0, "tokens": 0, "shards": 0})
        split["documents"] += s["documents"]
        split["tokens"] += s["tokens"]
        split["shards"] += 1
    info = TokensInfo(
        tokenizer=TokenizerInfo(path="tokenizer/tokenizer.json", sha256=sha, vocab_size=VOCAB, eos_id=EOS, trained=True),
        dtype="uint16", seed=0, val_fraction=0.1, token_budget=None, max_epochs=1.0,
        shards=[TokenShard(**s) for s in shards], splits={k: SplitInfo(**v) for k, v in splits.items()}, mix={})
    manifest = Manifest(
        manifest_version=1, quarry_version="0.1.0", job="t", config={},
        run=RunInfo(runner="DirectRunner", pipeline_options=[], started="x", finished="y", seconds=0.0),
        inputs=[], funnel=[], sources={}, outputs={}, errors=Errors(total=0, listed=[]),
        tokens=info if tokens else None)
    return manifest.model_dump(mode="json", by_alias=True)


def _write_output(root: Path, *, seed: int = 0) -> tuple[dict, dict[str, list]]:
    """Shards per SHARD_DOCS (documents of 1-20 tokens ending with EOS) and their manifest; returns both."""
    rng = np.random.default_rng(seed)
    rows_by_split, shards = {}, []
    for split, per_shard in SHARD_DOCS.items():
        for index, n in enumerate(per_shard):
            rows = []
            for d in range(n):
                tokens = rng.integers(1, VOCAB, size=int(rng.integers(1, 20)))
                tokens[-1] = EOS
                rows.append((f"{split}-{index}-{d}", ("web", "code")[d % 2], tokens))
            rel = shard_relpath(split, index, len(per_shard))
            info = write_token_shard(str(root / rel), rows, vocab_size=VOCAB, eos_id=EOS, tokenizer_sha256=SHA,
                                     split=split)
            shards.append({**info, "path": rel})
            rows_by_split.setdefault(split, []).extend(rows)
    written = _manifest(shards)
    (root / MANIFEST_NAME).write_text(json.dumps(written), encoding="utf-8")
    return written, rows_by_split


@pytest.fixture
def output(tmp_path: Path):
    manifest, rows = _write_output(tmp_path)
    return tmp_path, manifest, rows


def _addr(view: np.ndarray) -> int:
    return view.__array_interface__["data"][0]


def test_documents_read_back_equal_what_was_written(output):
    root, manifest, rows = output
    ds = TokenDataset.open(str(root))
    assert (ds.vocab_size, ds.eos_id, ds.tokenizer_sha256, ds.dtype) == (VOCAB, EOS, SHA, np.uint16)
    assert ds.num_documents == len(rows["train"]) and len(ds.shards) == 4
    assert ds.num_tokens == manifest["tokens"]["splits"]["train"]["tokens"]
    got = list(ds.documents())
    assert [(i, s) for i, s, _ in got] == [(i, s) for i, s, _ in rows["train"]]
    assert all(np.array_equal(a, b) and a.dtype == np.uint16 for (_, _, a), (_, _, b) in zip(got, rows["train"]))
    val = TokenDataset.open(str(root / MANIFEST_NAME), "val")
    assert [i for i, _, _ in val.documents()] == [i for i, _, _ in rows["val"]]


def test_flat_windows_documents_and_batches_are_read_only_views_of_the_map(output):
    ds = TokenDataset.open(str(output[0]))
    flat = ds.flat(0)
    assert not flat.flags.owndata and not flat.flags.writeable
    assert np.array_equal(flat, np.concatenate([t for i, _, t in output[2]["train"] if i.startswith("train-0-")]))
    assert flat[-1] == EOS
    _, _, doc = next(ds.documents())
    window = next(ds.windows(T))
    batch = next(ds.batches(2, T))
    for view in (doc, window, batch):
        assert np.shares_memory(view, flat) and not view.flags.writeable
    assert _addr(doc) == _addr(window) == _addr(batch) == _addr(flat)
    assert ds.flat(0) is flat  # mapped once


def test_windows_of_any_world_size_are_disjoint_and_cover_world_size_one(output):
    ds = TokenDataset.open(str(output[0]))
    single = list(ds.windows(T))
    expected = []
    for k in range(len(ds.shards)):  # stride T, width T+1, per shard, short tails skipped
        flat = ds.flat(k)
        expected += [flat[j:j + T + 1] for j in range(0, len(flat) - T, T)]
    assert [_addr(w) for w in single] == [_addr(w) for w in expected]
    assert all(len(w) == T + 1 for w in single)
    assert len(single) == ds.total_windows(T) == ds.window_count(T)
    assert ds.skipped_tokens(T) == ds.num_tokens - sum(len(w) - 1 for w in single) - sum(
        1 for k in range(len(ds.shards)) if len(ds.flat(k)) > T)
    for world in (2, 3):
        per_rank = [[_addr(w) for w in ds.windows(T, rank=r, world_size=world)] for r in range(world)]
        assert [len(p) for p in per_rank] == [ds.window_count(T, r, world) for r in range(world)]
        assert sum(len(p) for p in per_rank) == len(single)
        assert sorted(a for p in per_rank for a in p) == sorted(_addr(w) for w in single)
        for r in range(world):
            assert per_rank[r] == [_addr(w) for w in single[r::world]]


def test_start_and_start_batch_resume_exactly(output):
    ds = TokenDataset.open(str(output[0]))
    for world in (1, 3):
        for rank in range(world):
            every = [_addr(w) for w in ds.windows(T, rank=rank, world_size=world)]
            for start in (0, 1, 5, len(every), len(every) + 3):
                assert [_addr(w) for w in ds.windows(T, rank=rank, world_size=world, start=start)] == every[start:]
            batches = list(ds.batches(3, T, rank=rank, world_size=world))
            assert len(batches) == ds.batch_count(3, T, world)
            for k in (1, 4):
                resumed = list(ds.batches(3, T, rank=rank, world_size=world, start_batch=k))
                assert len(resumed) == len(batches) - k
                assert all(np.array_equal(a, b) for a, b in zip(resumed, batches[k:]))


def test_batches_stack_the_rank_windows_and_view_them_without_copy_inside_a_shard(output):
    ds = TokenDataset.open(str(output[0]))
    for world in (1, 2):
        windows = list(ds.windows(T, rank=1 % world, world_size=world))
        batches = list(ds.batches(4, T, rank=1 % world, world_size=world))
        assert len(batches) == ds.batch_count(4, T, world) == ds.total_windows(T) // world // 4
        copies = 0
        for b, batch in enumerate(batches):
            assert batch.shape == (4, T + 1) and batch.dtype == np.uint16
            assert np.array_equal(batch, np.stack(windows[b * 4:b * 4 + 4]))
            inside = any(np.shares_memory(batch, ds.flat(k)) for k in range(len(ds.shards)))
            copies += not inside
        assert copies <= len(ds.shards) - 1  # only batches straddling a shard boundary are stacked


def test_token_ranges_name_the_consumed_tokens_merged(output):
    ds = TokenDataset.open(str(output[0]))
    n = ds.batch_count(2, T, 1)
    whole = ds.token_ranges(0, 2, T, num_batches=n)
    assert [p for p, _, _ in whole] == [s.path for s in ds.shards if s.tokens > T]  # one range per shard
    assert whole[0][1] == 0
    first = ds.token_ranges(0, 2, T)
    assert first == [(ds.shards[0].path, 0, 2 * T + 1)]
    one_rank = ds.token_ranges(1, 2, T, rank=1, world_size=2)  # windows 5 and 7: not touching, two ranges
    assert one_rank == [(ds.shards[0].path, 5 * T, T + 1), (ds.shards[0].path, 7 * T, T + 1)]
    step = ds.token_ranges(1, 2, T, rank=None, world_size=2)  # both ranks' batch 1: windows 4..7
    assert step == [(ds.shards[0].path, 4 * T, 4 * T + 1)]
    covered = set()
    for path, begin, count in ds.token_ranges(0, 3, T, rank=None, world_size=2, num_batches=2):
        covered |= {(path, t) for t in range(begin, begin + count)}
    want = set()
    for rank in (0, 1):
        for batch in list(ds.batches(3, T, rank=rank, world_size=2))[:2]:
            for row in batch:
                k = next(k for k in range(len(ds.shards)) if np.shares_memory(row, ds.flat(k)))
                start = (_addr(row) - _addr(ds.flat(k))) // 2
                want |= {(ds.shards[k].path, t) for t in range(start, start + T + 1)}
    assert covered == want


def test_a_manifest_without_tokens_or_the_split_is_a_clear_error(tmp_path: Path):
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(_manifest([], tokens=False)), encoding="utf-8")
    with pytest.raises(TokenDataError, match="no tokens section"):
        TokenDataset.open(str(tmp_path))
    _write_output(tmp_path)
    with pytest.raises(TokenDataError, match=r"no 'test' split .*splits: train, val"):
        TokenDataset.open(str(tmp_path), "test")


def test_shards_of_another_tokenizer_are_refused(output):
    root, manifest, _ = output
    other = _manifest(manifest["tokens"]["shards"], sha="0f" * 32)
    (root / MANIFEST_NAME).write_text(json.dumps(other), encoding="utf-8")
    ds = TokenDataset.open(str(root))  # shards are mapped lazily ...
    with pytest.raises(TokenDataError, match=r"part-00000-of-00004.arrow: quarry.tokenizer_sha256 is '5e5e"):
        next(ds.windows(T))  # ... and checked when first used
    with pytest.raises(TokenDataError, match="was not written with the manifest's tokenizer"):
        TokenDataset.open(str(root), verify=True)


def test_verify_catches_a_flipped_byte(output):
    root, manifest, _ = output
    path = root / manifest["tokens"]["shards"][2]["path"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    TokenDataset.open(str(root))  # without verify, nothing reads the bytes yet
    with pytest.raises(TokenDataError, match=r"tokens/train/part-00002-of-00004.arrow: sha256 .* does not match"):
        TokenDataset.open(str(root), verify=True)
