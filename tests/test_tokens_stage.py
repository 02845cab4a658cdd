"""The tokens stage on the demo job: shards decode to the clean documents, the mix is realized."""
from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from manifests.show import load_manifest
from pipeline.config import ConfigError, load_job
from tokenizer.bpe import load_tokenizer, tokenizer_sha256
from tokenizer.reader import TokenDataset
from tests.test_pipeline import _jsonl_job


def test_token_shards_decode_byte_exactly_to_the_clean_documents(demo_run: Path):
    manifest = load_manifest(str(demo_run))
    tokens = manifest.tokens
    assert tokens is not None and tokens.tokenizer.trained
    tok_path = demo_run / tokens.tokenizer.path
    assert tokenizer_sha256(str(tok_path)) == tokens.tokenizer.sha256
    tok = load_tokenizer(str(tok_path))
    clean = {r["id"]: r["text"] for shard in manifest.outputs["documents"].shards
             for r in pq.read_table(demo_run / shard.path, columns=["id", "text"]).to_pylist()}
    seen = 0
    for split in tokens.splits:
        data = TokenDataset.open(str(demo_run), split, verify=True)
        assert data.eos_id == tokens.tokenizer.eos_id and data.vocab_size == tokens.tokenizer.vocab_size
        for doc_id, _source, ids in data.documents():
            assert ids[-1] == data.eos_id
            assert tok.decode(ids[:-1].tolist(), skip_special_tokens=False) == clean[doc_id]
            seen += 1
    assert seen == sum(s.documents for s in tokens.splits.values()) > 100


def test_the_realized_mix_is_within_one_percent_of_the_target_or_says_why(demo_run: Path):
    tokens = load_manifest(str(demo_run)).tokens
    written = sum(s.tokens for s in tokens.splits.values())
    assert sum(m.realized_tokens for m in tokens.mix.values()) == written
    for source, mix in tokens.mix.items():
        assert abs(mix.realized_weight - mix.target_weight) <= 0.01 or mix.note, source
    assert sum(1 for m in tokens.mix.values() if m.rate == 1.0) >= 1  # the scarcest source is used once


def test_train_and_val_never_share_a_document_and_shards_are_shuffled_across_sources(demo_run: Path):
    ids = {}
    for split in ("train", "val"):
        ids[split] = {doc_id for doc_id, _, _ in TokenDataset.open(str(demo_run), split).documents()}
    assert ids["train"] and ids["val"] and not ids["train"] & ids["val"]
    sources = [s for _, s, _ in TokenDataset.open(str(demo_run), "train").documents()]
    runs = sum(1 for a, b in zip(sources, sources[1:]) if a != b)
    assert runs > len(sources) / 4  # interleaved, not grouped by source


def test_a_budget_repeats_a_small_source_up_to_max_epochs_and_the_manifest_says_so(tmp_path: Path):
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
    docs = [{"id": f"big{i}", "text": " ".join(words[(i + k) % 12] for k in range(40))} for i in range(60)]
    (tmp_path / "small.jsonl").write_text("".join(
        f'{{"id": "s{i}", "text": "{" ".join(words[::-1][:20])} {i}"}}\n' for i in range(3)), encoding="utf-8")
    job = _jsonl_job(tmp_path, docs, "  langid: {enabled: false}\n  quality: {enabled: false}\n"
                     "  near_dedup: {enabled: false}\n"
                     "  tokens: {enabled: true, train: {vocab_size: 300, sample_chars: 100000}, "
                     "mix: {c: 0.5, small: 0.5}, token_budget: 4000, max_epochs: 2, val_fraction: 0.0}\n")
    text = job.read_text(encoding="utf-8").replace(
        "sources:\n", "sources:\n  - {name: small, kind: jsonl, paths: [small.jsonl]}\n")
    job.write_text(text, encoding="utf-8")
    from pipeline.job import run_job

    tokens = load_manifest(run_job(load_job(job), [])).tokens
    small = tokens.mix["small"]
    assert small.rate == 2 and "max_epochs=2" in small.note
    assert small.realized_tokens == 2 * small.available_tokens
    assert tokens.mix["c"].realized_weight > 0.5 and list(tokens.splits) == ["train"]


def test_mix_weights_must_name_sources_of_the_job(tmp_path: Path):
    job = _jsonl_job(tmp_path, [{"id": "1", "text": "x"}], "  tokens: {enabled: true, mix: {nowhere: 1.0}}\n")
    with pytest.raises(ConfigError, match="stages.tokens.mix: no source named 'nowhere'"):
        load_job(job)


def test_manifest_show_prints_the_splits_and_the_mix_as_tables(demo_run: Path):
    from rich.console import Console

    from manifests.show import render

    console = Console(record=True, width=200)
    render(load_manifest(str(demo_run)), console)
    text = console.export_text()
    assert "Token shards" in text and "Mix (no budget" in text
    tokens = load_manifest(str(demo_run)).tokens
    for source, mix in tokens.mix.items():
        assert f"{mix.realized_tokens:,}" in text, source
