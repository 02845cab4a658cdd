"""Shared fixtures: the demo corpus (generated once per test session) and a run of its job."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from pipeline.config import load_job
from pipeline.demo_job import write_demo
from pipeline.job import run_job

DEMO_SIZE_MB = 1.0


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A small demo corpus and its job file (read-only for tests: copy before changing)."""
    out = tmp_path_factory.mktemp("demo")
    write_demo(out, size_mb=DEMO_SIZE_MB, seed=0)
    return out


@pytest.fixture(scope="session")
def demo_run(demo_dir: Path) -> Path:
    """The demo job run in-process on the DirectRunner; returns its output folder."""
    manifest = run_job(load_job(demo_dir / "demo-job.yaml"), [])
    return Path(manifest).parent


def file_digests(folder: Path) -> list[tuple[str, str]]:
    """(relative path, sha256) of every file under `folder`, sorted: two outputs compared byte for byte."""
    return [(str(p.relative_to(folder)), hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()]


def copy_job(demo_dir: Path, dest: Path, output: str = "output") -> Path:
    """A copy of the demo job file that writes elsewhere, reading the same data."""
    text = (demo_dir / "demo-job.yaml").read_text(encoding="utf-8")
    text = text.replace("data/", f"{demo_dir}/data/").replace("path: output", f"path: {dest / output}")
    job = dest / "job.yaml"
    job.write_text(text, encoding="utf-8")
    return job


@pytest.fixture
def clean_copy(tmp_path: Path):
    def _copy(src: Path) -> Path:
        dst = tmp_path / src.name
        shutil.copytree(src, dst)
        return dst

    return _copy
