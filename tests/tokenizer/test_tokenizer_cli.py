"""`quarry tokenizer train|inspect|encode` through a parser built with add_tokenizer_commands."""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

from manifests.schema import MANIFEST_NAME, Errors, Manifest, Output, RunInfo, Shard
from pipeline.sinks import DOCUMENT_SCHEMA, parquet_bytes
from pipeline.tokenizer_cli import add_tokenizer_commands, config_mix_weights, parse_weights
from tests.tokenizer.test_bpe import TRICKY, corpus
from tokenizer.bpe import load_tokenizer

VOCAB = "500"
CODE = "import os\r\n\nclass A:\n\tdef run(self):\n\t\treturn os.sep  # 🎉 done\n"


def quarry(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="quarry")
    add_tokenizer_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.handler(args, [])


def _error(capsys) -> str:
    """The one line an expected failure prints (Beam may log a warning of its own before it)."""
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines and lines[-1].startswith("quarry: error: "), lines
    return lines[-1]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """web.jsonl (en, de, fr, ru), wiki.jsonl.gz (es, it, pl) and code.txt."""
    root = tmp_path_factory.mktemp("inputs")
    with open(root / "web.jsonl", "w", encoding="utf-8") as handle:
        for i, text in enumerate(corpus(120, seed=1, langs=["en", "de", "fr", "ru"]) + TRICKY):
            handle.write(json.dumps({"id": f"web-{i}", "text": text}, ensure_ascii=False) + "\n")
    with gzip.open(root / "wiki.jsonl.gz", "wt", encoding="utf-8") as handle:
        for i, text in enumerate(corpus(60, seed=2, langs=["es", "it", "pl"])):
            handle.write(json.dumps({"id": f"wiki-{i}", "text": text}, ensure_ascii=False) + "\n")
    (root / "code.txt").write_bytes(CODE.encode("utf-8"))
    return root


@pytest.fixture(scope="module")
def run_output(tmp_path_factory) -> Path:
    """A Quarry output folder: two documents shards of sources web and books, and a manifest whose
    job config asks for a 50/50 token mix."""
    root = tmp_path_factory.mktemp("run")
    (root / "documents").mkdir()
    web = corpus(150, seed=3, langs=["en", "de"])
    books = corpus(50, seed=4, langs=["fr", "nl"])
    rows = [{"id": f"{s}-{i:04d}", "source": s, "kind": "jsonl", "text": t, "meta": {}, "signals": {}}
            for s, texts in (("web", web), ("books", books)) for i, t in enumerate(texts)]
    shards = []
    for index in range(2):
        data = parquet_bytes(rows[index::2], DOCUMENT_SCHEMA)
        path = f"documents/part-{index:05d}-of-00002.parquet"
        (root / path).write_bytes(data)
        shards.append(Shard(path=path, documents=len(rows[index::2]), bytes=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), sources={}))
    config = {"sources": [{"name": "web"}, {"name": "books"}], "stages": {"tokens": {"mix": {"web": 1, "books": 1}}}}
    manifest = Manifest(
        manifest_version=1, quarry_version="0.1.0", job="t", config=config,
        run=RunInfo(runner="DirectRunner", pipeline_options=[], started="x", finished="y", seconds=0.0),
        inputs=[], funnel=[], sources={}, errors=Errors(total=0, listed=[]),
        outputs={"documents": Output(path="documents", documents=len(rows), shards=shards)})
    (root / MANIFEST_NAME).write_text(json.dumps(manifest.model_dump(mode="json", by_alias=True)), encoding="utf-8")
    return root


def _shares(out: str) -> dict[str, float]:
    """source -> share (%) from the training-sample table."""
    return {m[1]: float(m[2]) for m in re.finditer(r"│ (\w+)\s+│[^\n]*?│\s+([\d.]+)% │", out)}


def test_train_from_files_round_trips_every_text(inputs, tmp_path, capsys):
    files = [str(inputs / "web.jsonl"), str(inputs / "wiki.jsonl.gz"), str(inputs / "code.txt")]
    assert quarry("tokenizer", "train", "--input", *files, "--vocab-size", VOCAB, "--out", str(tmp_path / "tok")) == 0
    out = capsys.readouterr().out
    sha = hashlib.sha256((tmp_path / "tok" / "tokenizer.json").read_bytes()).hexdigest()
    assert f"sha256: {sha}" in out and "vocab size: 500" in out and "eos id: 0  pad id: 1" in out
    assert set(_shares(out)) == {"web", "wiki", "input"}
    tok = load_tokenizer(tmp_path / "tok")
    for text in [*TRICKY, CODE, *corpus(5, seed=9)]:
        assert tok.decode(tok.encode(text).ids, skip_special_tokens=False) == text
    # Same inputs (in another order) and options: the same bytes.
    assert quarry("tokenizer", "train", "--input", *reversed(files), "--vocab-size", VOCAB,
                  "--out", str(tmp_path / "again")) == 0
    assert (tmp_path / "again" / "tokenizer.json").read_bytes() == (tmp_path / "tok" / "tokenizer.json").read_bytes()


def test_train_from_a_manifest_follows_the_job_mix_or_the_weights(run_output, tmp_path, capsys):
    assert quarry("tokenizer", "train", "--manifest", str(run_output), "--vocab-size", VOCAB,
                  "--out", str(tmp_path / "a"), "--sample-chars", "100_000") == 0
    shares = _shares(capsys.readouterr().out)
    assert shares["web"] == pytest.approx(50, abs=2) and shares["books"] == pytest.approx(50, abs=2)
    assert quarry("tokenizer", "train", "--manifest", str(run_output / MANIFEST_NAME), "--vocab-size", VOCAB,
                  "--out", str(tmp_path / "b"), "--sample-chars", "100000", "--weights", "web=0.8,books=0.2") == 0
    shares = _shares(capsys.readouterr().out)
    assert shares["web"] == pytest.approx(80, abs=2) and shares["books"] == pytest.approx(20, abs=2)
    fast = pytest.importorskip("transformers").PreTrainedTokenizerFast.from_pretrained(str(tmp_path / "b"))
    assert (fast.eos_token_id, fast.pad_token_id) == (0, 1)


def test_inspect_and_encode(inputs, run_output, tmp_path, capsys):
    assert quarry("tokenizer", "train", "--manifest", str(run_output), "--vocab-size", VOCAB,
                  "--out", str(tmp_path), "--sample-chars", "50000") == 0
    capsys.readouterr()
    assert quarry("tokenizer", "inspect", str(tmp_path), "--manifest", str(run_output)) == 0
    out = capsys.readouterr().out
    assert "vocab size: 500" in out and "<|endoftext|>" in out and "bytes/token" in out
    assert "sample encoding (books)" in out and "round trip: ok (byte-exact)" in out
    assert quarry("tokenizer", "inspect", str(tmp_path / "tokenizer.json"), "--input", str(inputs / "*.jsonl*"),
                  "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["sources"]) == {"web", "wiki"}
    assert all(s["round_trip_failures"] == 0 and s["bytes_per_token"] > 1.2 for s in report["sources"].values())

    text = "Grüße\r\n\tdef 🎉 日本語"
    assert quarry("tokenizer", "encode", text, "--tokenizer", str(tmp_path), "--json") == 0
    encoded = json.loads(capsys.readouterr().out)
    assert encoded["round_trip"] and load_tokenizer(tmp_path).decode(encoded["ids"]) == text
    assert quarry("tokenizer", "encode", "hello world", "--tokenizer", str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "ids:" in out and "round trip: ok (byte-exact)" in out


def test_expected_failures_are_one_line(inputs, run_output, tmp_path, capsys):
    base = ("tokenizer", "train", "--out", str(tmp_path / "t"))
    assert quarry(*base, "--input", str(tmp_path / "nope.jsonl"), "--vocab-size", VOCAB) == 2
    assert "input not found" in _error(capsys)
    assert quarry(*base, "--input", str(inputs / "code.txt"), "--vocab-size", "257") == 2
    assert "too small" in _error(capsys)
    assert quarry(*base, "--input", str(inputs / "web.jsonl"), "--vocab-size", VOCAB, "--weights", "web") == 2
    assert "SOURCE=WEIGHT" in _error(capsys)
    assert quarry(*base, "--input", str(inputs / "web.jsonl"), "--vocab-size", VOCAB, "--weights", "wbe=1") == 2
    assert "no documents: wbe" in _error(capsys)
    assert quarry(*base, "--manifest", str(tmp_path), "--vocab-size", VOCAB) == 2
    assert "no manifest" in _error(capsys)
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    assert quarry(*base, "--input", str(tmp_path / "empty.jsonl"), "--vocab-size", VOCAB) == 2
    assert "no text to train on" in _error(capsys)
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert quarry("tokenizer", "encode", "x", "--tokenizer", str(tmp_path / "bad.json")) == 2
    assert "not a tokenizer" in _error(capsys)
    assert quarry("tokenizer", "inspect", str(tmp_path / "missing")) == 2
    assert "no tokenizer" in _error(capsys)


def test_weights_parsing():
    assert parse_weights("web=0.5, wiki=1.5") == {"web": 0.5, "wiki": 1.5}
    assert config_mix_weights({"stages": {"tokens": {"mix": {"a": 2}}}}) == {"a": 2.0}
    assert config_mix_weights({"stages": {"tokens": {"mix": None}}}) is None
    assert config_mix_weights({"sources": []}) is None
