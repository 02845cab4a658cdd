"""Beam's portable path: PortableRunner with the embedded job service gives the DirectRunner's outputs.

The portable runner translates the pipeline to the Runner API and runs it through a job
service, as Flink and Spark do; with `--job_endpoint=embed --environment_type=LOOPBACK` both
live in this process, so the test needs no cluster.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.config import load_job
from pipeline.job import run_job
from tests.conftest import copy_job, file_digests


def test_portable_runner_gives_the_direct_runners_shards_tokens_and_funnel(demo_dir: Path, demo_run: Path,
                                                                            tmp_path: Path):
    job = copy_job(demo_dir, tmp_path)
    manifest = run_job(load_job(job), ["--runner=PortableRunner", "--job_endpoint=embed",
                                       "--environment_type=LOOPBACK"])
    out = Path(manifest).parent
    for folder in ("documents", "rejected", "tokens"):
        assert file_digests(out / folder) == file_digests(demo_run / folder), folder
    assert json.loads((out / "_quarry/funnel.json").read_text()) == json.loads(
        (demo_run / "_quarry/funnel.json").read_text())
    assert json.loads(Path(manifest).read_text())["run"]["runner"] == "PortableRunner"
