"""The DirectRunner a job gets never reaches the network (Beam 2.77's own fetches Prism first)."""
from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability import prism_runner
from apache_beam.runners.portability.fn_api_runner.fn_runner import FnApiRunner
from apache_beam.testing.util import assert_that, equal_to

from pipeline.runners import make_pipeline, runner_name


@pytest.fixture
def prism_fetches(monkeypatch) -> list[str]:
    """Every attempt to fetch the Prism binary (refused, as offline)."""
    fetched: list[str] = []

    def refuse(url, *args, **kwargs):
        fetched.append(url)
        raise RuntimeError(f"no network in this test: {url}")

    monkeypatch.setattr(prism_runner.PrismJobServer, "_download_to_local_path", staticmethod(refuse))
    return fetched


def test_the_default_runner_runs_without_fetching_anything(prism_fetches):
    for argv in ([], ["--runner=DirectRunner"]):
        options = PipelineOptions(argv)
        with make_pipeline(options) as p:
            assert isinstance(p.runner, FnApiRunner)
            assert_that(p | beam.Create([1, 2, 3]) | beam.Map(lambda x: x * x), equal_to([1, 4, 9]))
        assert runner_name(options) == "DirectRunner"
    assert prism_fetches == []


def test_plain_beam_direct_runner_would_have_tried_the_network(prism_fetches):
    """Why make_pipeline exists: Beam's own DirectRunner reaches for Prism's download first."""
    with beam.Pipeline(options=PipelineOptions(["--runner=DirectRunner"])) as p:
        assert_that(p | beam.Create([1]), equal_to([1]))
    assert len(prism_fetches) == 1 and "prism" in prism_fetches[0]


def _arrivals(tmp_path, elements: int, size: int) -> int:
    """Elements that reach a ParDo whose input the runner ships to one of 2 gRPC workers: its
    side input derives from its own main input, so it cannot fuse with the stage making them."""
    from apache_beam.pvalue import AsDict

    def make(seed: int):
        for i in range(elements // 16):
            yield f"{seed:02d}-{i:06d}", f"{seed}-{i}".ljust(size, "x")

    target = tmp_path / "count"
    options = PipelineOptions(["--direct_num_workers=2", "--direct_running_mode=multi_threading"])
    with make_pipeline(options) as p:
        docs = p | beam.Create(range(16)) | beam.Reshuffle() | "Make" >> beam.FlatMap(make)
        few = docs | beam.Filter(lambda kv: kv[0].endswith("00")) | beam.Map(lambda kv: (kv[0], 1))
        (docs | "WithSide" >> beam.Map(lambda kv, _: kv, AsDict(few))
         | beam.combiners.Count.Globally() | beam.Map(lambda n: target.write_text(str(n))))
    return int(target.read_text())


def test_stage_inputs_reach_the_workers_whole_through_full_queues(tmp_path, monkeypatch):
    """`fix_input_race`: a bundle's input is streamed to its worker in ~10 MB messages from a
    thread of its own. With the data plane's queues cut (64 kB to send, one message received)
    the sends wait on the worker reading, which only starts once the runner has asked it to
    process the bundle: all 96,000 elements (200 MB) still arrive, and nothing deadlocks
    (sent from the runner's own thread, this input deadlocks; as shipped, Beam loses part of
    inputs this large at random, see `bench/runner_loss.py`)."""
    from apache_beam.runners.portability.fn_api_runner import worker_handlers
    from apache_beam.runners.worker import data_plane

    monkeypatch.setattr(data_plane, "_DEFAULT_SEND_QUEUE_MAX_BYTES", 64 << 10)
    monkeypatch.setattr(data_plane, "_DEFAULT_RECEIVE_QUEUE_MAX_ELEMENTS", 1)
    assert _arrivals(tmp_path, 96_000, 2_100) == 96_000
    assert worker_handlers.DATA_BUFFER_TIME_LIMIT_MS == 0  # no time-based flush thread left to race
