"""A run whose documents go missing between stages fails, naming where, instead of looking fine."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import near_dedup
from pipeline.config import load_job
from pipeline.job import OutputCheckError, run_job

TEXTS = ["alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu",
         "one two three four five six seven eight nine ten eleven twelve",
         "red orange yellow green blue indigo violet black white grey brown pink"]
JOB = """name: t
sources:
  - {name: corpus, kind: jsonl, paths: [a.jsonl]}
stages: {langid: {enabled: false}, quality: {enabled: false}, near_dedup: {enabled: true}}
output: {path: out}
"""


def _job(tmp_path: Path) -> Path:
    (tmp_path / "a.jsonl").write_text("".join(f'{{"text": "{t}"}}\n' for t in TEXTS), encoding="utf-8")
    (tmp_path / "job.yaml").write_text(JOB, encoding="utf-8")
    return tmp_path / "job.yaml"


def test_a_clean_run_passes_its_own_check(tmp_path):
    assert Path(run_job(load_job(_job(tmp_path)), [])).is_file()


def test_documents_lost_between_stages_fail_the_run(tmp_path, monkeypatch):
    # What the FnApiRunner did at 300 MB: near dedup receives fewer documents than exact dedup kept.
    real = near_dedup.read_spilled
    monkeypatch.setattr(near_dedup, "read_spilled", lambda paths: [d for d in real(paths) if not d.text.startswith("red")])
    with pytest.raises(OutputCheckError) as caught:
        run_job(load_job(_job(tmp_path)), [])
    assert any(p.startswith("funnel[near_dedup/corpus].in: exact_dedup's kept: expected 3, found 2")
               for p in caught.value.problems), caught.value.problems
    assert Path(caught.value.manifest_path).is_file()  # kept for inspection


def test_the_cli_exits_non_zero_and_lists_the_problems(tmp_path):
    # A shard changed after the run: validation fails the same way, through `quarry run`'s exit code.
    job = _job(tmp_path)
    run = [sys.executable, "-m", "pipeline", "run", str(job), "--quiet"]
    assert subprocess.run(run, capture_output=True, text=True).returncode == 0
    code = (f"import sys; sys.argv = {run[2:]!r}\n"
            "import pipeline.job as j\n"
            "orig = j.write_json_atomic\n"
            "def bad(path, obj):\n"
            "    if path.endswith('manifest.json'): obj['funnel'][-1]['kept'] += 1\n"
            "    orig(path, obj)\n"
            "j.write_json_atomic = bad\n"
            "from pipeline.cli import main; sys.exit(main(sys.argv[1:]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert done.returncode == 2, done.stderr  # what every failed quarry command exits with
    assert "in = kept + dropped + errored" in done.stderr and "do not check out" in done.stderr
