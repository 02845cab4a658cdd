"""The demo job on a dask.distributed cluster gives the DirectRunner's documents, funnel and tokens."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ddist = pytest.importorskip("dask.distributed")

from pipeline.config import load_job  # noqa: E402
from pipeline.job import run_job  # noqa: E402

from .conftest import copy_job, file_digests  # noqa: E402


@pytest.fixture(scope="module")
def dask_run(demo_dir: Path, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("dask")
    job = copy_job(demo_dir, dest)
    with ddist.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        # the name users give (Beam's DaskRunner); run_job swaps in Quarry's fixed subclass
        manifest = run_job(load_job(job), ["--runner=apache_beam.runners.dask.dask_runner.DaskRunner",
                                           f"--dask_client_address={cluster.scheduler_address}"])
    return Path(manifest).parent


def test_same_document_shards(dask_run: Path, demo_run: Path):
    assert file_digests(dask_run / "documents") == file_digests(demo_run / "documents")


def test_same_funnel(dask_run: Path, demo_run: Path):
    assert json.loads((dask_run / "_quarry/funnel.json").read_text()) == \
        json.loads((demo_run / "_quarry/funnel.json").read_text())


def test_same_token_shards(dask_run: Path, demo_run: Path):
    assert file_digests(dask_run / "tokens") == file_digests(demo_run / "tokens")


def test_same_manifest_tokens(dask_run: Path, demo_run: Path):
    dask_tokens = json.loads((dask_run / "manifest.json").read_text())["tokens"]
    direct_tokens = json.loads((demo_run / "manifest.json").read_text())["tokens"]
    assert dask_tokens == direct_tokens


def test_the_manifest_names_the_runner_that_ran(dask_run: Path):
    run = json.loads((dask_run / "manifest.json").read_text())["run"]
    assert run["runner"] == "apache_beam.runners.dask.dask_runner.DaskRunner"
    assert "--runner=apache_beam.runners.dask.dask_runner.DaskRunner" in run["pipeline_options"]


def test_same_language_model(dask_run: Path, demo_run: Path):
    """The reference corpus is read on the cluster's workers, in hash buckets sorted by id: same model."""
    dask_lm = json.loads((dask_run / "manifest.json").read_text())["language_models"]
    direct_lm = json.loads((demo_run / "manifest.json").read_text())["language_models"]
    assert dask_lm == direct_lm and dask_lm[0]["sha256"]
    assert not list((dask_run / "_quarry/lm/reference").glob("bucket-*"))  # the buckets are removed
