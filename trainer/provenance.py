"""OUT/trained_on.json: exactly which tokens of which manifest a run trained on.

    {"manifest_sha256", "tokenizer_sha256", "split", "seq_len", "global_batch_tokens",
     "steps", "tokens", "sources": {source: tokens}, "shards": {path: tokens},
     "ranges": [{"steps": [first, last], "shard": path, "first": t0, "count": n}, ...]}

A step trains on windows of T+1 tokens; a window counts as its T input positions (its targets
are those shifted by one), so `tokens` = steps x global_batch_tokens exactly. A range entry is
the reader's `token_ranges` triple for the whole data-parallel step (all ranks): tokens
[first, first+count) of a shard were read, of which the first count-1 were inputs; entries of
consecutive steps that continue each other are merged, so an epoch is one entry per shard.
Tokens per source come from the shard's document offsets: each input position belongs to the
document whose [offset, next offset) holds it (numpy searchsorted).
The record travels inside each checkpoint too, so a resumed run continues it exactly.
"""
from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from tokenizer.reader import TokenDataset


class Provenance:
    def __init__(self, dataset: TokenDataset, seq_len: int, micro_batch: int, world_size: int, accumulation: int,
                 manifest_sha256: str, record: dict[str, Any] | None = None):
        self.dataset = dataset
        self.seq_len, self.micro_batch, self.world_size, self.accumulation = seq_len, micro_batch, world_size, accumulation
        self.batches_per_epoch = dataset.batch_count(micro_batch, seq_len, world_size)
        self._shard_index = {s.path: i for i, s in enumerate(dataset.shards)}
        self._doc_cache: dict[int, tuple[np.ndarray, np.ndarray, list[str]]] = {}
        self.record = record or {
            "manifest_sha256": manifest_sha256,
            "tokenizer_sha256": dataset.tokenizer_sha256,
            "split": dataset.split,
            "seq_len": seq_len,
            "global_batch_tokens": micro_batch * seq_len * world_size * accumulation,
            "steps": 0, "tokens": 0, "sources": {}, "shards": {}, "ranges": [],
        }

    def _documents(self, shard: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Row offsets, source code per row and source names of one shard."""
        cached = self._doc_cache.get(shard)
        if cached is None:
            mapped = self.dataset._map(shard)
            names = mapped.batch.column("source").to_pylist()
            uniq = sorted(set(names))
            codes = np.array([uniq.index(n) for n in names], dtype=np.int64) if names else np.zeros(0, np.int64)
            cached = self._doc_cache[shard] = (np.asarray(mapped.offsets, dtype=np.int64), codes, uniq)
        return cached

    def _source_tokens(self, path: str, begin: int, end: int) -> dict[str, int]:
        """Tokens per source among positions [begin, end) of a shard."""
        offsets, codes, names = self._documents(self._shard_index[path])
        lo = int(np.searchsorted(offsets, begin, side="right")) - 1
        hi = int(np.searchsorted(offsets, end, side="left"))
        starts = np.maximum(offsets[lo:hi], begin)
        ends = np.minimum(offsets[lo + 1:hi + 1], end)
        counts = np.bincount(codes[lo:hi], weights=np.maximum(ends - starts, 0), minlength=len(names))
        return {names[i]: int(c) for i, c in enumerate(counts) if c}

    def add_step(self, step: int) -> None:
        """Record optimizer step `step` (1-based): its micro-batches (step-1)*A .. step*A-1, all ranks."""
        rec = self.record
        first = (step - 1) * self.accumulation
        k = first
        while k < first + self.accumulation:  # split where an epoch ends
            batch = k % self.batches_per_epoch
            n = min(first + self.accumulation - k, self.batches_per_epoch - batch)
            ranges = self.dataset.token_ranges(batch, self.micro_batch, self.seq_len, rank=None,
                                               world_size=self.world_size, num_batches=n)
            for path, begin, count in ranges:
                inputs = count - 1
                rec["tokens"] += inputs
                rec["shards"][path] = rec["shards"].get(path, 0) + inputs
                for source, n_src in self._source_tokens(path, begin, begin + inputs).items():
                    rec["sources"][source] = rec["sources"].get(source, 0) + n_src
                last = rec["ranges"][-1] if rec["ranges"] else None
                if (last is not None and last["shard"] == path and last["steps"][1] >= step - 1
                        and last["first"] + last["count"] - 1 == begin):
                    last["count"] = begin + count - last["first"]
                    last["steps"][1] = step
                else:
                    rec["ranges"].append({"steps": [step, step], "shard": path, "first": begin, "count": count})
            k += n
        rec["steps"] = step

    def to_json(self) -> str:
        return json.dumps(self.record, sort_keys=True)

    def write(self, out_dir: str) -> None:
        write_json_atomic(os.path.join(out_dir, "trained_on.json"), self.record)


def write_json_atomic(path: str, obj: Any) -> None:
    """A local file written to a temp name, fsynced and renamed over the target."""
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(obj, indent=2, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
