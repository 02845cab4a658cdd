"""The tokens stage: clean documents -> a tokenizer -> mixed, shuffled Arrow token shards.

It runs after the document pipeline, as a second Beam pipeline over the clean Parquet shards
(the tokenizer must exist before anything is encoded, and training it needs the clean text):

1. Tokenizer: loaded from `stages.tokens.tokenizer`, or trained in the driver on a sample of the
   clean documents drawn per the mix (`tokenizer.sample`), saved under `<output>/tokenizer/`.
2. Encode: documents are encoded in batches (`Tokenizer.encode_batch_fast`) with the end-of-document
   token appended; tokens travel as bytes of the shard dtype.
3. Mix: tokens per source are summed; `tokenizer.mix.plan_mix` turns the target weights into a
   rate per source; per source, the (keyed hash, tokens) pairs give the threshold that realizes
   the rate's fractional part exactly (one worker per source holds 16 bytes per document: the
   scaling limit of this step; an approximate weighted quantile would lift it).
4. Shards: every copy of a document gets a seeded shuffle key; the split comes from the id
   (copies never straddle train and val); the shard from the key; each shard is sorted by key
   and written atomically as Arrow IPC (`tokenizer.shards`). The shard counts follow from the
   planned tokens, fixed before any shard is written.
The driver then assembles the manifest's `tokens` section: tokenizer, shards, splits, and the
mix with target and realized weights.
"""
from __future__ import annotations

import math
from collections import defaultdict

import apache_beam as beam
import numpy as np
from apache_beam.pvalue import AsDict, AsSingleton

from pipeline.config import JobConfig, TokensStage
from pipeline.fsio import join, read_json, write_json_atomic
from tokenizer.mix import SourcePlan, copies_of, fraction_threshold, is_val, order_key, plan_mix, unit_hash
from tokenizer.shards import SPLITS, shard_relpath, token_dtype, write_token_shard

TOKENIZER_DIR = "tokenizer"
ENCODE_BATCH = 512


# -- tokenizer ------------------------------------------------------------------------------

def prepare_tokenizer(job: JobConfig, shard_paths: list[str]) -> dict:
    """Load or train the job's tokenizer; returns its manifest entry plus `uri` (absolute)."""
    from pipeline.tokenizer_cli import quarry_shard_docs
    from tokenizer.bpe import (TOKENIZER_FILE, load_tokenizer, save_tokenizer, special_ids, tokenizer_file,
                               tokenizer_sha256, train_bpe)
    from tokenizer.sample import sample_for_training

    cfg = job.stages.tokens
    root = job.output.path
    if cfg.tokenizer:
        uri, trained = str(tokenizer_file(cfg.tokenizer)), False
        tok = load_tokenizer(uri)
    else:
        docs = (doc for path in shard_paths for doc in quarry_shard_docs(path))
        sample = sample_for_training(docs, cfg.mix, max_chars=cfg.train.sample_chars, seed=cfg.seed,
                                     max_repeat=cfg.max_epochs)
        tok = train_bpe(sample.texts, vocab_size=cfg.train.vocab_size, min_frequency=cfg.train.min_frequency,
                        special_tokens=tuple(cfg.special_tokens), normalization=cfg.train.normalization)
        uri, trained = str(save_tokenizer(tok, join(root, TOKENIZER_DIR))), True
    eos = tok.token_to_id(cfg.special_tokens[0])
    if eos is None:
        raise ValueError(f"stages.tokens: the tokenizer has no {cfg.special_tokens[0]!r} token for end of document")
    ids = special_ids(tok)
    return {"uri": uri, "path": f"{TOKENIZER_DIR}/{TOKENIZER_FILE}" if trained else uri,
            "sha256": tokenizer_sha256(uri), "vocab_size": tok.get_vocab_size(), "eos_id": eos,
            "pad_id": ids.get("pad_id"), "trained": trained}


# -- the Beam pipeline -----------------------------------------------------------------------

class _Encode(beam.DoFn):
    """(id, source, text) batches -> (id, source, token bytes) with EOS appended."""

    def __init__(self, tokenizer_uri: str, eos_id: int, dtype: str):
        self.tokenizer_uri, self.eos_id, self.dtype = tokenizer_uri, eos_id, dtype

    def setup(self) -> None:
        from tokenizer.bpe import load_tokenizer

        self.tok = load_tokenizer(self.tokenizer_uri)

    def process(self, batch: list[dict]):
        from tokenizer.bpe import encode_documents

        arrays = encode_documents(self.tok, [r["text"] for r in batch], self.eos_id, self.dtype)
        for row, tokens in zip(batch, arrays):
            yield row["id"], row["source"], tokens.tobytes()


def _plan(counts: list[tuple[str, int]], cfg: TokensStage) -> dict:
    """The mix plan and the shard count per split, from the tokens available per source."""
    plans = plan_mix(dict(counts), cfg.mix, token_budget=cfg.token_budget, max_epochs=cfg.max_epochs)
    planned = sum(p.planned_tokens for p in plans.values())
    val = cfg.val_fraction
    shards = {"train": max(1, math.ceil(planned * (1 - val) / cfg.tokens_per_shard)),
              "val": max(1, math.ceil(planned * val / cfg.tokens_per_shard)) if val > 0 else 0}
    return {"sources": plans, "shards": shards}


def _threshold(group: tuple[str, list[tuple[float, int]]], plan: dict) -> tuple[str, float]:
    source, items = group
    return source, fraction_threshold(items, plan["sources"][source].fraction)


def _copies(doc: tuple[str, str, bytes], plan: dict, thresholds: dict, cfg: TokensStage):
    doc_id, source, data = doc
    src: SourcePlan = plan["sources"][source]
    n = copies_of(src, thresholds.get(source, 0.0), unit_hash("sample", cfg.seed, doc_id))
    split = "val" if is_val(cfg.seed, doc_id, cfg.val_fraction) else "train"
    for copy in range(n):
        key = order_key(cfg.seed, doc_id, copy)
        yield (split, key % plan["shards"][split]), (key, doc_id, copy, source, data)


class _WriteTokenShard(beam.DoFn):
    def __init__(self, root: str, tokenizer: dict, dtype: str):
        self.root, self.tokenizer, self.dtype = root, tokenizer, dtype

    def process(self, group, plan: dict):
        (split, index), rows = group
        rel = shard_relpath(split, index, plan["shards"][split])
        info = write_token_shard(
            join(self.root, rel),
            [(doc_id, source, np.frombuffer(data, dtype=self.dtype)) for _, doc_id, _, source, data in sorted(rows)],
            vocab_size=self.tokenizer["vocab_size"], eos_id=self.tokenizer["eos_id"],
            tokenizer_sha256=self.tokenizer["sha256"], split=split)
        yield {**info, "path": rel}


def build_token_pipeline(p: beam.Pipeline, job: JobConfig, shard_paths: list[str], tokenizer: dict,
                         stats_dir: str) -> None:
    cfg = job.stages.tokens
    dtype = np.dtype(token_dtype(tokenizer["vocab_size"])).str
    itemsize = np.dtype(dtype).itemsize
    docs = (p
            | "DocumentShards" >> beam.Create(shard_paths)
            | "ReadDocuments" >> beam.io.ReadAllFromParquet(columns=["id", "source", "text"])
            | "BatchToEncode" >> beam.BatchElements(min_batch_size=1, max_batch_size=ENCODE_BATCH)
            | "Encode" >> beam.ParDo(_Encode(tokenizer["uri"], tokenizer["eos_id"], dtype)))
    sizes = docs | "Sizes" >> beam.Map(lambda d: (d[1], (unit_hash("sample", cfg.seed, d[0]), len(d[2]) // itemsize)))
    counts = sizes | "TokensOnly" >> beam.Map(lambda kv: (kv[0], kv[1][1])) | "TokensPerSource" >> beam.CombinePerKey(sum)
    plan = (counts | "CollectCounts" >> beam.combiners.ToList()
            | "PlanMix" >> beam.Map(_plan, cfg))
    thresholds = (sizes | "BySource" >> beam.GroupByKey()
                  | "Thresholds" >> beam.Map(_threshold, AsSingleton(plan)))
    shards = (docs
              | "Copies" >> beam.FlatMap(_copies, AsSingleton(plan), AsDict(thresholds), cfg)
              | "GroupShards" >> beam.GroupByKey()
              | "WriteTokenShards" >> beam.ParDo(_WriteTokenShard(job.output.path, tokenizer, dtype), AsSingleton(plan)))
    (shards | "CollectTokenShards" >> beam.combiners.ToList()
     | "WriteTokenShardList" >> beam.Map(lambda rows: write_json_atomic(
         join(stats_dir, "shards-tokens.json"), sorted(rows, key=lambda r: r["path"]))))
    doc_counts = docs | "SourceOf" >> beam.Map(lambda d: d[1]) | "DocsPerSource" >> beam.combiners.Count.PerElement()
    available = ({"tokens": counts, "documents": doc_counts} | "JoinAvailable" >> beam.CoGroupByKey()
                 | "AvailablePair" >> beam.Map(lambda kv: (kv[0], (sum(kv[1]["tokens"]), sum(kv[1]["documents"])))))
    (available | "CollectAvailable" >> beam.combiners.ToList()
     | "WriteAvailable" >> beam.Map(lambda rows: write_json_atomic(join(stats_dir, "tokens-available.json"),
                                                                    dict(sorted(rows)))))


def tokens_section(job: JobConfig, tokenizer: dict, stats_dir: str) -> dict:
    """The manifest's `tokens` entry, from what the token pipeline wrote as data."""
    cfg = job.stages.tokens
    shards = read_json(join(stats_dir, "shards-tokens.json"))
    per_source = read_json(join(stats_dir, "tokens-available.json"))  # source -> [tokens, documents]
    available = {s: tokens for s, (tokens, _) in per_source.items()}
    documents = {s: docs for s, (_, docs) in per_source.items()}
    plans = plan_mix(available, cfg.mix, token_budget=cfg.token_budget, max_epochs=cfg.max_epochs)
    realized: dict[str, int] = defaultdict(int)
    for shard in shards:
        for source, n in shard["sources"].items():
            realized[source] += n
    total = sum(realized.values())
    splits = {}
    for split in SPLITS:
        mine = [s for s in shards if s["split"] == split]
        if mine:
            splits[split] = {"documents": sum(s["documents"] for s in mine), "tokens": sum(s["tokens"] for s in mine),
                             "shards": len(mine)}
    return {
        "tokenizer": {k: v for k, v in tokenizer.items() if k != "uri"},
        "dtype": np.dtype(token_dtype(tokenizer["vocab_size"])).name,
        "seed": cfg.seed,
        "val_fraction": cfg.val_fraction,
        "token_budget": cfg.token_budget,
        "max_epochs": cfg.max_epochs,
        "shards": shards,
        "splits": splits,
        "mix": {s: _mix_entry(p, realized.get(s, 0), total, documents.get(s, 0)) for s, p in plans.items()},
    }


MIX_TOLERANCE = 0.01  # realized weights further than this from the target get a note saying why


def _mix_entry(plan: SourcePlan, realized: int, total: int, documents: int) -> dict:
    weight = realized / total if total else 0.0
    note = plan.note
    if note is None and abs(weight - plan.target_weight) > MIX_TOLERANCE and documents:
        note = (f"{documents:,} documents of {plan.available_tokens / documents:,.0f} tokens on average can only "
                f"be taken whole: {weight:.1%} realized for {plan.target_weight:.1%}")
    return {"target_weight": round(plan.target_weight, 6), "available_tokens": plan.available_tokens,
            "rate": round(plan.rate, 6), "realized_tokens": realized, "realized_weight": round(weight, 6),
            "note": note}
