"""bench/stage_times.py: the FnApiRunner's bundle times per fused stage, for bench/scale.py --stages."""
from __future__ import annotations

import sys
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import fn_runner

from pipeline.runners import make_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import stage_times  # noqa: E402


def test_every_fused_stage_of_a_run_is_timed_and_named(tmp_path, monkeypatch):
    monkeypatch.setattr(fn_runner.FnApiRunner, "_execute_bundle", fn_runner.FnApiRunner._execute_bundle)  # restored after
    log = tmp_path / "stages.jsonl"
    stage_times._patch(str(log))
    out = tmp_path / "sums.txt"
    with make_pipeline(PipelineOptions()) as p:
        (p | "Numbers" >> beam.Create(range(100))
         | "KeyByParity" >> beam.Map(lambda n: (n % 2, n))
         | "GroupParity" >> beam.GroupByKey()
         | "Sum" >> beam.MapTuple(lambda k, ns: (k, sum(ns)))
         | "Write" >> beam.Map(lambda kv: out.open("a").write(f"{kv}\n")))
    durations = stage_times.stage_durations(log)
    names = [stage_times.short_name(name) for name in durations]
    assert all(seconds >= 0 for seconds in durations.values())
    # the GroupByKey splits the job in two fused stages: what writes the groups, what reads them
    assert any(n.startswith("Numbers") or "KeyByParity" in n for n in names)
    assert any(n.startswith("GroupParity: ") and "Sum" in n and "Write" in n for n in names)
    assert sorted(out.read_text().splitlines()) == ["(0, 2450)", "(1, 2500)"]
