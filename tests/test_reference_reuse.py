"""A job that trains its KenLM model on one of its sources reads and renders that source once.

The reference read leaves the source's documents in buckets, with its funnel tallies and
errors; the document pipeline takes them instead of reading the dump again. The outputs must
be the same bytes as reading the source twice, and a capped read must not be taken.
"""
from __future__ import annotations

from pathlib import Path

from apache_beam.options.pipeline_options import PipelineOptions

from manifests.show import load_manifest
from pipeline import language_models
from pipeline.config import load_job
from pipeline.fsio import open_input
from pipeline.inputs import resolve_inputs
from pipeline.job import run_job
from pipeline.readers.wikipedia import WikiPage, read_mediawiki
from tests.conftest import copy_job, file_digests


def _pages_to_render(job) -> int:
    src = job.source("wikipedia")
    count = 0
    for unit in resolve_inputs(job):
        if unit.source == src.name:
            with open_input(unit.uri, decompress=True) as stream:
                count += sum(isinstance(e, WikiPage) for e in read_mediawiki(
                    stream, unit.uri, namespaces=tuple(src.namespaces), defer=True))
    return count


def _run_counting_renders(job_file: Path, monkeypatch) -> tuple[Path, int]:
    # small shards: their count comes from every input's bytes, the reused source's included
    job_file.write_text(job_file.read_text(encoding="utf-8").replace(
        "input_bytes_per_shard: 1000000", f"input_bytes_per_shard: {SHARD_BYTES}"), encoding="utf-8")
    renders = []
    resolve = WikiPage.resolve
    monkeypatch.setattr(WikiPage, "resolve", lambda self: (renders.append(1), resolve(self))[1])
    manifest = run_job(load_job(job_file), [])  # in-process DirectRunner: the patch is seen
    monkeypatch.setattr(WikiPage, "resolve", resolve)
    return Path(manifest).parent, len(renders)


SHARD_BYTES = 100_000


def _outputs(root: Path) -> list[tuple[str, str]]:
    """Every output file but the manifest (which holds timings) and the stats written per run."""
    return [(p, d) for p, d in file_digests(root) if p != "manifest.json"]


def test_the_reference_source_is_rendered_once_with_the_outputs_of_reading_it_twice(demo_dir, tmp_path, monkeypatch):
    job = load_job(demo_dir / "demo-job.yaml")
    assert job.stages.perplexity.train and job.stages.perplexity.train.source == "wikipedia"
    pages = _pages_to_render(job)
    assert pages > 50

    (tmp_path / "once").mkdir(), (tmp_path / "twice").mkdir()
    once, renders_once = _run_counting_renders(copy_job(demo_dir, tmp_path / "once"), monkeypatch)
    with monkeypatch.context() as m:
        m.setattr(language_models, "reusable_reference", lambda folder: False)
        twice, renders_twice = _run_counting_renders(copy_job(demo_dir, tmp_path / "twice"), monkeypatch)
    assert (renders_once, renders_twice) == (pages, 2 * pages)

    assert _outputs(once) == _outputs(twice)  # shards, stats, funnel, errors, LM, tokens: the same bytes
    first, second = load_manifest(str(once)), load_manifest(str(twice))
    assert len(first.outputs["documents"].shards) == -(-sum(i.bytes for i in first.inputs) // SHARD_BYTES)
    assert [r.model_dump() for r in first.funnel] == [r.model_dump() for r in second.funnel]
    assert first.errors == second.errors
    assert [m.model_dump() for m in first.language_models] == [m.model_dump() for m in second.language_models]
    for root in (once, twice):  # the buckets and the read's summary are gone after the job
        assert not list((root / language_models.REFERENCE_DIR).glob("*"))


def test_a_read_cut_short_by_max_documents_is_not_taken(demo_dir, tmp_path):
    job = load_job(copy_job(demo_dir, tmp_path))
    pages = _pages_to_render(job)
    train = job.stages.perplexity.train.model_copy(update={"max_documents": pages // 2})
    stages = job.stages.model_copy(update={"perplexity": job.stages.perplexity.model_copy(update={"train": train})})
    job = job.model_copy(update={"stages": stages})

    trained = language_models.train_job_model(job, PipelineOptions([]))
    assert trained["reference"] is None  # the document pipeline reads the source itself
    assert not list((Path(job.output.path) / language_models.REFERENCE_DIR).glob("*"))
