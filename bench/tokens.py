"""Token shards: writing throughput and the reader's tokens/s from the page cache, on one core.

    .venv/bin/python bench/tokens.py --tokens-millions 200

1. Writes `--tokens-millions` of synthetic pre-encoded tokens (uniform ids below 50,257, documents
   of 16-2,047 tokens ending with EOS; uint16) as `--shards` shards with `write_token_shard`,
   plus a manifest, under .bench/tokens/. Timed: the writer alone (validation, Arrow encoding,
   sha256, the atomic write), not the generation of the arrays. tokens/s and MB/s of file.
2. Reads every shard once to put it in the page cache, then times, each on a freshly opened
   TokenDataset (so the memory map's page faults are paid, as a trainer pays them once):
   - windows(T): iterate the (T+1)-token views and read one element of each;
   - windows(T) + np.array(window): a copy of every window, touching all its memory;
   - batches(B, T): the (B, T+1) batches (strided views inside a shard), one element each;
   - batches(B, T) + np.array(batch): a copy of every batch.
   tokens/s counts T tokens per window (each token is a target once). Best of `--repeats`.
3. Tokenizer (`--texts-mb` of generated articles in the demo's nine languages, `--vocab-size`):
   - training: Quarry's `train_bpe` vs the plain library call (`Tokenizer(BPE)` with the same
     byte-level pre-tokenizer, decoder and `BpeTrainer`, `train_from_iterator`), alternating,
     median of `--repeats`; goal: Quarry at most 1.2x the plain time;
   - encoding: Quarry's path (`encode_documents`: `encode_batch_fast` + EOS into arrays of the
     shard dtype, then `write_token_shard`) vs `Tokenizer.encode_batch` alone, batches of 512;
     goal: Quarry at least 0.8x the plain throughput.
The process is pinned to one core where the OS allows it (the tokenizers library's threads
too). Goal: >= 50M tokens/s reading.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from manifests.schema import (MANIFEST_NAME, Errors, Manifest, RunInfo, SplitInfo, TokenizerInfo,  # noqa: E402
                              TokenShard, TokensInfo)
from tokenizer.reader import TokenDataset  # noqa: E402
from tokenizer.shards import shard_relpath, token_dtype, write_token_shard  # noqa: E402

VOCAB, EOS = 50_257, 50_256
SHA = "0" * 64  # no real tokenizer: the shards only have to agree with their manifest
MIN_DOC, MAX_DOC = 16, 2_048


def synthetic_rows(tokens: int, rng: np.random.Generator, prefix: str) -> list[tuple[str, str, np.ndarray]]:
    """~`tokens` tokens of documents as (id, source, uint16 view) rows, each ending with EOS."""
    lengths = rng.integers(MIN_DOC, MAX_DOC, size=tokens // ((MIN_DOC + MAX_DOC) // 2) + 1)
    bounds = np.cumsum(lengths)
    bounds = bounds[bounds <= tokens]
    flat = rng.integers(0, EOS, size=int(bounds[-1]), dtype=np.uint16)
    flat[bounds - 1] = EOS
    docs = np.split(flat, bounds[:-1])
    return [(f"{prefix}-{i:07d}", ("web", "code", "books")[i % 3], doc) for i, doc in enumerate(docs)]


def bench_write(out: Path, tokens_millions: float, shards: int, seed: int = 0) -> tuple[list[dict], float]:
    """Write the shards (timed: write_token_shard only); returns their manifest entries and seconds."""
    rng = np.random.default_rng(seed)
    per_shard = int(tokens_millions * 1e6) // shards
    entries, seconds = [], 0.0
    for index in range(shards):
        rows = synthetic_rows(per_shard, rng, f"s{index}")
        rel = shard_relpath("train", index, shards)
        t0 = time.perf_counter()
        info = write_token_shard(str(out / rel), rows, vocab_size=VOCAB, eos_id=EOS, tokenizer_sha256=SHA,
                                 split="train")
        seconds += time.perf_counter() - t0
        entries.append({**info, "path": rel})
    return entries, seconds


def write_manifest(out: Path, entries: list[dict]) -> Path:
    """A minimal valid manifest whose tokens section lists the bench shards."""
    info = TokensInfo(
        tokenizer=TokenizerInfo(path="tokenizer/tokenizer.json", sha256=SHA, vocab_size=VOCAB, eos_id=EOS, trained=False),
        dtype=str(token_dtype(VOCAB)), seed=0, val_fraction=0.0, token_budget=None, max_epochs=1.0,
        shards=[TokenShard(**e) for e in entries],
        splits={"train": SplitInfo(documents=sum(e["documents"] for e in entries),
                                   tokens=sum(e["tokens"] for e in entries), shards=len(entries))},
        mix={})
    manifest = Manifest(
        manifest_version=1, quarry_version="0.1.0", job="bench-tokens", config={},
        run=RunInfo(runner="bench", pipeline_options=[], started="", finished="", seconds=0.0),
        inputs=[], funnel=[], sources={}, outputs={}, errors=Errors(total=0, listed=[]), tokens=info)
    path = out / MANIFEST_NAME
    path.write_text(json.dumps(manifest.model_dump(mode="json", by_alias=True)), encoding="utf-8")
    return path


def warm_page_cache(ds: TokenDataset) -> None:
    """Read every shard once so the timed passes read from memory, not disk."""
    for index in range(len(ds.shards)):
        with open(ds.shard_path(index), "rb") as handle:
            while handle.read(16 << 20):
                pass


def read_windows(manifest: Path, seq_len: int) -> int:
    total = 0
    for window in TokenDataset.open(str(manifest)).windows(seq_len):
        total += int(window[0])
    return total


def read_window_copies(manifest: Path, seq_len: int) -> int:
    total = 0
    for window in TokenDataset.open(str(manifest)).windows(seq_len):
        total += int(np.array(window)[-1])
    return total


def read_batches(manifest: Path, batch_size: int, seq_len: int) -> int:
    total = 0
    for batch in TokenDataset.open(str(manifest)).batches(batch_size, seq_len):
        total += int(batch[-1, 0])
    return total


def read_batch_copies(manifest: Path, batch_size: int, seq_len: int) -> int:
    total = 0
    for batch in TokenDataset.open(str(manifest)).batches(batch_size, seq_len):
        total += int(np.array(batch)[-1, -1])
    return total


def best_seconds(fn: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity)"


def demo_texts(megabytes: float, seed: int = 0) -> list[str]:
    """Generated articles in the demo's nine languages, about `megabytes` of UTF-8."""
    import random

    from pipeline.demo.lexicon import LANGUAGES
    from pipeline.demo.text import generator

    rng, gens, texts, size = random.Random(seed), [generator(code) for code in LANGUAGES], [], 0
    while size < megabytes * 1e6:
        head, paragraphs = gens[len(texts) % len(gens)].article(rng)
        text = "\n\n".join([head, *paragraphs])
        texts.append(text)
        size += len(text.encode("utf-8"))
    return texts


def plain_training(texts: list[str], vocab_size: int):
    """The plain library call Quarry's `train_bpe` wraps: byte-level BPE from an iterator."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, show_progress=False,
                                  special_tokens=["<|endoftext|>", "<|pad|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator((texts[i:i + 1000] for i in range(0, len(texts), 1000)), trainer=trainer,
                            length=len(texts))
    return tok


def bench_tokenizer(texts: list[str], vocab_size: int, repeats: int, out: Path) -> None:
    from tokenizer.bpe import encode_documents, train_bpe

    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"tokenizer: {len(texts):,} generated articles, {mb:.1f} MB, vocab {vocab_size:,}")
    plain_s, quarry_s = [], []
    for _ in range(repeats):  # alternating, so drift on a noisy machine hits both
        t0 = time.perf_counter()
        plain_training(texts, vocab_size)
        plain_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        tok = train_bpe(texts, vocab_size=vocab_size)
        quarry_s.append(time.perf_counter() - t0)
    p, q = float(np.median(plain_s)), float(np.median(quarry_s))
    print(f"  training: plain train_from_iterator {p:.2f} s, quarry train_bpe {q:.2f} s -> {q / p:.2f}x the time")

    eos = tok.token_to_id("<|endoftext|>")
    batches = [texts[i:i + 512] for i in range(0, len(texts), 512)]
    plain_s, quarry_s, tokens = [], [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        for batch in batches:
            tok.encode_batch(batch, add_special_tokens=False)
        plain_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        rows = []
        for b, batch in enumerate(batches):
            arrays = encode_documents(tok, batch, eos, token_dtype(vocab_size))
            rows.extend((f"{b}-{i}", "bench", a) for i, a in enumerate(arrays))
        info = write_token_shard(str(out / "encoded.arrow"), rows, vocab_size=vocab_size, eos_id=eos,
                                 tokenizer_sha256=SHA, split="train")
        quarry_s.append(time.perf_counter() - t0)
        tokens = info["tokens"]
    p, q = float(np.median(plain_s)), float(np.median(quarry_s))
    print(f"  encoding: plain encode_batch {tokens / p / 1e6:.2f}M tokens/s ({mb / p:.1f} MB/s); quarry encode + "
          f"shard {tokens / q / 1e6:.2f}M tokens/s ({mb / q:.1f} MB/s) -> {p / q:.2f}x the plain throughput")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens-millions", type=float, default=200.0)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--seq-len", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(".bench/tokens"))
    parser.add_argument("--texts-mb", type=float, default=20.0, help="generated text for the tokenizer part")
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--skip-reader", action="store_true")
    parser.add_argument("--skip-tokenizer", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, numpy {np.__version__}; {pin_one_core()}")
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.skip_tokenizer:
        bench_tokenizer(demo_texts(args.texts_mb), args.vocab_size, args.repeats, args.out)
    if args.skip_reader:
        return

    entries, write_s = bench_write(args.out, args.tokens_millions, args.shards)
    manifest = write_manifest(args.out, entries)
    tokens = sum(e["tokens"] for e in entries)
    size = sum(e["bytes"] for e in entries)
    print(f"shards: {len(entries)}, documents: {sum(e['documents'] for e in entries):,}, tokens: {tokens:,}, "
          f"bytes: {size:,} ({size / tokens:.3f} bytes/token, dtype {token_dtype(VOCAB)})")
    print(f"write_token_shard: {write_s:.2f} s, {tokens / write_s / 1e6:,.1f}M tokens/s, {size / write_s / 1e6:,.0f} MB/s")

    ds = TokenDataset.open(str(manifest))
    warm_page_cache(ds)
    T, B = args.seq_len, args.batch_size
    windows = ds.total_windows(T)
    print(f"T={T}: {windows:,} windows, {ds.skipped_tokens(T):,} tokens skipped (shard tails); "
          f"B={B}: {ds.batch_count(B, T):,} batches")
    runs = {
        f"windows({T}), one element each": (lambda: read_windows(manifest, T), windows),
        f"windows({T}) + np.array copy": (lambda: read_window_copies(manifest, T), windows),
        f"batches({B}, {T}), one element each": (lambda: read_batches(manifest, B, T), ds.batch_count(B, T) * B),
        f"batches({B}, {T}) + np.array copy": (lambda: read_batch_copies(manifest, B, T), ds.batch_count(B, T) * B),
    }
    for name, (fn, count) in runs.items():
        seconds = best_seconds(fn, args.repeats)
        print(f"{name:<38} {seconds:7.3f} s  {count * T / seconds / 1e6:9,.0f}M tokens/s  "
              f"{count / seconds:12,.0f} windows/s")


if __name__ == "__main__":
    main()
