"""Big WARC files and multistream dumps are read in parts by several workers: the same documents
and funnel as read whole."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to

from pipeline.config import load_job
from pipeline.document import make_document
from pipeline.funnel import FUNNEL
from pipeline.inputs import resolve_inputs
from pipeline.readers.base import Record, Skip, resolved
from pipeline.runners import make_pipeline
from pipeline.sources import BRANCHES, ReadSources, read_unit, split_units


SPLIT = ("warc", "wikipedia")


def test_parts_cover_each_big_file_exactly_and_come_largest_first(demo_dir: Path):
    job = load_job(demo_dir / "demo-job.yaml")
    sources = {s.name: s.model_copy(update={"split_bytes": 100_000}) if s.kind in SPLIT else s for s in job.sources}
    units = resolve_inputs(job)
    parts = split_units(units, sources)
    assert [p.size for p in parts] == sorted((p.size for p in parts), reverse=True)
    split = 0
    for unit in units:
        mine = sorted((p for p in parts if p.uri == unit.uri), key=lambda p: p.start)
        if sources[unit.source].kind in SPLIT and unit.size > 100_000:
            split += 1
            assert len(mine) == -(-unit.size // 100_000)
            assert mine[0].start == 0 and mine[-1].end is None
            assert [p.end for p in mine[:-1]] == [p.start for p in mine[1:]]
            assert sum(p.size for p in mine) == unit.size
        else:
            assert mine == [unit]  # other kinds, small files and repositories stay whole
    assert split == 2  # the WARC and the (multistream) wiki dump
    unsplit = {n: s.model_copy(update={"split_bytes": None}) if s.kind in SPLIT else s for n, s in sources.items()}
    assert sorted(split_units(units, unsplit)) == sorted(units)


def test_a_single_stream_dump_is_read_whole(tmp_path: Path):
    import bz2

    from pipeline.config import WikipediaSource
    from pipeline.inputs import InputUnit

    dump = tmp_path / "wiki.xml.bz2"
    dump.write_bytes(bz2.compress(b"<mediawiki>" + b"<page><title>A</title><ns>0</ns><id>1</id></page>" * 5000
                                  + b"</mediawiki>"))
    unit = InputUnit("wiki", str(dump), dump.stat().st_size)
    src = WikipediaSource(name="wiki", kind="wikipedia", paths=[str(dump)], split_bytes=100)
    assert split_units([unit], {"wiki": src}) == [unit]


def test_an_uncompressed_warc_is_read_whole():
    from pipeline.config import WarcSource
    from pipeline.inputs import InputUnit

    src = WarcSource(name="web", kind="warc", paths=["x.warc"], split_bytes=100)
    plain, gzipped = InputUnit("web", "/d/x.warc", 1000), InputUnit("web", "/d/x.warc.gz", 1000)
    assert split_units([plain], {"web": src}) == [plain]
    assert len(split_units([gzipped], {"web": src})) == 10


@pytest.mark.parametrize("source", ["web", "wikipedia"])
def test_a_file_read_in_parts_on_workers_gives_the_documents_and_funnel_read_whole(demo_dir: Path, source: str):
    job = load_job(demo_dir / "demo-job.yaml")
    [unit] = [u for u in resolve_inputs(job) if u.source == source]
    src = job.source(source).model_copy(update={"split_bytes": unit.size // 8 + 1})
    job = job.model_copy(update={"sources": [src]})
    assert len(split_units([unit], {source: src})) == 8

    whole = list(resolved(read_unit(unit, src)))  # serial, the file whole
    docs = [make_document(e, src.name, src.kind, code=False) for e in whole if isinstance(e, Record)]
    expected_ids = sorted(d.id for d in docs if d.text)
    expected_read = Counter("kept" if isinstance(e, Record) else f"dropped:{e.reason}" if isinstance(e, Skip)
                            else "errored" for e in whole)
    assert expected_read["kept"] > 50

    with make_pipeline(PipelineOptions(["--direct_num_workers=2", "--direct_running_mode=multi_threading"])) as p:
        read = p | ReadSources(job, [unit])
        docs = tuple(read[BRANCHES].values()) | beam.Flatten()
        assert_that(docs | beam.Map(lambda d: d.id), equal_to(expected_ids), label="SameDocuments")
        tallies = (read[FUNNEL] | beam.Filter(lambda kv: kv[0][0] == "read") | beam.CombinePerKey(sum)
                   | beam.Map(lambda kv: (kv[0][2], kv[1])))
        assert_that(tallies, equal_to([("in", sum(expected_read.values()))] + list(expected_read.items())),
                    label="SameFunnel")
