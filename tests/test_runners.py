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
