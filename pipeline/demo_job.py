"""`quarry demo`: write the demo corpus, a job file for it, and run that job."""
from __future__ import annotations

import json
import time
from pathlib import Path

DEMO_JOB = """\
# The demo job: every source kind Quarry reads, through exact dedup into Parquet.
# Paths are relative to this file. Run it again with: quarry run {job_name}
name: quarry-demo
sources:
  - name: web
    kind: warc
    paths: [data/web/warc.paths]        # a CommonCrawl-style path list
  - name: web-wet
    kind: wet
    paths: ["data/web/*.wet.gz"]
  - name: wikipedia
    kind: wikipedia
    paths: ["data/wiki/*.xml.bz2"]
  - name: code
    kind: code
    paths: [data/code/demo-repo, "data/code/*.tar.gz", "data/code/*.zip"]
  - name: books
    kind: books
    paths: ["data/books/*.txt", "data/books/*.epub"]
    quality:                           # the demo's generated books reuse sentence templates, which
      gopher_repetition:               # Gopher's repetition rules rightly catch; real books pass
        enabled: false
stages:
  langid:                              # fastText lid.176 on prose; code is not language-filtered
    languages: [en, de, fr, es, it, pt, nl, ru, pl]
    min_score: 0.65
  quality: {{}}                        # Gopher, C4 and FineWeb rules on web text; Gopher on wiki and
                                       # books; code rules on code (defaults: pipeline/rules.py)
  perplexity:                          # CCNet: a KenLM 5-gram trained on this job's Wikipedia
    enabled: true
    train: {{source: wikipedia, language: en, order: 5}}
  exact_dedup:
    enabled: true
  decontaminate:                       # 13-gram overlap with evaluation sets (GPT-3's rule); the demo's
    enabled: true                      # eval set quotes three of its own web pages, which are dropped
    eval_sets: [data/eval/demo-eval.jsonl]
    fields: [question, answer]
  near_dedup:                          # MinHash LSH across sources: 5-grams, 14 bands x 8 rows
    enabled: true
    representative_signal: langid.score
    verify_threshold: 0.7              # accept a candidate pair only at estimated Jaccard >= 0.7
  pii:                                 # presidio's recognizers (e-mail, phone, IP, card, IBAN, SSN)
    enabled: true                      # and secrets, replaced by <EMAIL>, <PHONE>, ...; counts per
                                       # source in the manifest
  tokens:                              # a byte-level BPE trained on the clean documents, then Arrow
    enabled: true                      # token shards mixed to these token fractions (the scarcest
    train: {{vocab_size: 4096}}          # source for its weight is used once, the others sampled)
    mix: {{web: 0.3, web-wet: 0.05, wikipedia: 0.4, code: 0.02, books: 0.23}}
    val_fraction: 0.05
    tokens_per_shard: 200000
output:
  path: output
  input_bytes_per_shard: 1000000   # small, so even the demo shows several shards
  keep_rejected: true
"""
JOB_NAME = "demo-job.yaml"


EVAL_QUOTED_PAGES = 3


def write_eval_set(data: Path) -> Path:
    """A tiny evaluation set that quotes the first paragraph of a few demo web pages.

    It makes decontamination visible in the demo: those pages are dropped as overlapping an
    evaluation set, and `ground_truth/eval_quoted.json` names them for the tests.
    """
    pages = [json.loads(line) for line in (data / "ground_truth" / "web_pages.jsonl").read_text(encoding="utf-8").splitlines()]
    good = [p for p in pages if p["source"] == "warc" and p["quality"] == "good" and p["dup_kind"] is None
            and p["lang"] == "en"][:EVAL_QUOTED_PAGES]
    items = [{"question": "Which event does this passage describe?", "answer": p["main_text"].split("\n\n")[1]}
             for p in good]
    path = data / "eval" / "demo-eval.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    (data / "ground_truth" / "eval_quoted.json").write_text(json.dumps([p["url"] for p in good]), encoding="utf-8")
    return path


def write_demo(out: Path, *, size_mb: float, seed: int) -> Path:
    """Write the corpus under `out/data` and the job file; returns the job file's path."""
    from pipeline.demo import generate_demo

    if size_mb <= 0:
        raise ValueError("--size-mb must be positive")
    out.mkdir(parents=True, exist_ok=True)
    print(f"writing the demo corpus (about {size_mb:g} MB) to {out / 'data'} ...", flush=True)
    started = time.monotonic()
    info = generate_demo(out / "data", size_mb=size_mb, seed=seed)
    print(f"wrote {info['total_bytes'] / 1e6:,.1f} MB in {time.monotonic() - started:,.1f} s", flush=True)
    write_eval_set(out / "data")
    job_path = out / JOB_NAME
    job_path.write_text(DEMO_JOB.format(job_name=job_path), encoding="utf-8")
    return job_path


def run_demo(out: Path, *, size_mb: float, seed: int, data_only: bool, beam_args: list[str]) -> str | None:
    from pipeline.config import load_job
    from pipeline.job import run_job

    job_path = write_demo(out, size_mb=size_mb, seed=seed)
    print(f"job file: {job_path}")
    if data_only:
        return None
    return run_job(load_job(job_path), beam_args)
