"""Big WARC files are read in parts by several workers: the same documents and funnel as whole."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to

from pipeline.config import load_job
from pipeline.document import make_document
from pipeline.funnel import FUNNEL
from pipeline.inputs import resolve_inputs
from pipeline.readers.base import Record, Skip
from pipeline.runners import make_pipeline
from pipeline.sources import BRANCHES, ReadSources, read_unit, split_units


def test_parts_cover_each_big_warc_exactly_and_come_largest_first(demo_dir: Path):
    job = load_job(demo_dir / "demo-job.yaml")
    sources = {s.name: s.model_copy(update={"split_bytes": 100_000}) if s.kind == "warc" else s for s in job.sources}
    units = resolve_inputs(job)
    parts = split_units(units, sources)
    assert [p.size for p in parts] == sorted((p.size for p in parts), reverse=True)
    for unit in units:
        mine = sorted((p for p in parts if p.uri == unit.uri), key=lambda p: p.start)
        if sources[unit.source].kind == "warc" and unit.size > 100_000:
            assert len(mine) == -(-unit.size // 100_000)
            assert mine[0].start == 0 and mine[-1].end is None
            assert [p.end for p in mine[:-1]] == [p.start for p in mine[1:]]
            assert sum(p.size for p in mine) == unit.size
        else:
            assert mine == [unit]  # other kinds, small files and repositories stay whole
    unsplit = {n: s.model_copy(update={"split_bytes": None}) if s.kind == "warc" else s for n, s in sources.items()}
    assert sorted(split_units(units, unsplit)) == sorted(units)


def test_a_warc_read_in_parts_on_workers_gives_the_documents_and_funnel_read_whole(demo_dir: Path):
    job = load_job(demo_dir / "demo-job.yaml")
    web = job.source("web").model_copy(update={"split_bytes": 30_000})
    job = job.model_copy(update={"sources": [web]})
    units = [u for u in resolve_inputs(job) if u.source == "web"]
    assert len(split_units(units, {"web": web})) >= 8 * len(units)

    whole = [e for u in units for e in read_unit(u, web)]  # serial, each file whole
    docs = [make_document(e, web.name, web.kind, code=False) for e in whole if isinstance(e, Record)]
    expected_ids = sorted(d.id for d in docs if d.text)
    expected_read = Counter("kept" if isinstance(e, Record) else f"dropped:{e.reason}" if isinstance(e, Skip)
                            else "errored" for e in whole)
    assert expected_read["kept"] > 50

    with make_pipeline(PipelineOptions(["--direct_num_workers=2", "--direct_running_mode=multi_threading"])) as p:
        read = p | ReadSources(job, units)
        docs = tuple(read[BRANCHES].values()) | beam.Flatten()
        assert_that(docs | beam.Map(lambda d: d.id), equal_to(expected_ids), label="SameDocuments")
        tallies = (read[FUNNEL] | beam.Filter(lambda kv: kv[0][0] == "read") | beam.CombinePerKey(sum)
                   | beam.Map(lambda kv: (kv[0][2], kv[1])))
        assert_that(tallies, equal_to([("in", sum(expected_read.values()))] + list(expected_read.items())),
                    label="SameFunnel")
