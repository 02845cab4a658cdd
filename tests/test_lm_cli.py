"""`quarry lm train` on a Quarry job's own Parquet shards, and its one-line errors."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from filters.perplexity import PerplexityScorer


def _quarry(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_lm_train_on_job_shards_gives_a_model_that_prefers_real_word_order(demo_run: Path, tmp_path: Path):
    shards = sorted((demo_run / "documents").glob("*.parquet"))
    held_out = pq.read_table(shards[0]).to_pylist()[:5]
    result = _quarry("lm", "train", "--input", *map(str, shards[1:]), "--order", "3",
                     "--out", str(tmp_path / "m.binary"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "trained a 3-gram model on" in result.stdout
    scorer = PerplexityScorer(tmp_path / "m.binary")
    rng = random.Random(0)
    for row in held_out:
        words = row["text"].split()
        shuffled = " ".join(rng.sample(words, len(words)))
        assert scorer.perplexity(row["text"]) < scorer.perplexity(shuffled)


def test_lm_train_reports_bad_input_in_one_line(tmp_path: Path):
    result = _quarry("lm", "train", "--input", "missing/*.jsonl", "--out", "m.binary", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "quarry: error: input not found: missing/*.jsonl"
    (tmp_path / "tiny.jsonl").write_text('{"text": "too small"}\n', encoding="utf-8")
    small = _quarry("lm", "train", "--input", "tiny.jsonl", "--out", "m.binary", cwd=tmp_path)
    assert small.returncode == 2 and small.stderr.startswith("quarry: error:") and "Traceback" not in small.stderr
    assert not (tmp_path / "m.binary").exists()
