"""`quarry` with the FnApiRunner's bundle times logged: where a job's wall time goes, stage by stage.

    STAGE_LOG=times.jsonl .venv/bin/python bench/stage_times.py run JOB.yaml \\
        --direct_num_workers=2 --direct_running_mode=multi_processing

The DirectRunner (Quarry runs it on the FnApiRunner) executes a pipeline as fused stages, one
after the other; with N workers a stage's input is dealt into N bundles that run at once. This
wraps the runner's `_execute_bundle` (a private method of apache-beam 2.77, pinned) and appends
one JSON line per bundle to $STAGE_LOG: the fused stage's name and its start and end in seconds
since the process started. `bench/scale.py --stages` runs the job through this and prints the
slowest stages beside each other for 1 and N workers: a stage whose time does not fall with more
workers is where the speedup is lost. Profiling only: the job's outputs are the same.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

_LABEL = re.compile(r"ref_AppliedPTransform_(.+?)_\d+\)")  # a transform's label, "/" written "-"
_READ = re.compile(r"\(+([^()+]+?)/Read\)")


def _parts(stage: str) -> tuple[str | None, list[str]]:
    """What a fused stage reads, and the top-level transforms fused into it, in name order."""
    reads = [r.removeprefix("ref_PCollection_") for r in _READ.findall(stage)]
    return (reads[0] if reads else None), list(dict.fromkeys(label.split("-")[0] for label in _LABEL.findall(stage)))


def short_name(stage: str) -> str:
    """A fused stage's name cut to what it reads and the top-level transforms fused into it."""
    read, transforms = _parts(stage)
    return ": ".join([read, ", ".join(transforms)] if read else [", ".join(transforms)]) or stage[:80]


def stage_key(stage: str) -> str:
    """The same fused stage in another run of the job: the runner may list its transforms in
    another order (it fuses them from sets), so they are sorted here."""
    read, transforms = _parts(stage)
    return f"{read}: {', '.join(sorted(transforms))}"


def stage_durations(path: Path) -> dict[str, float]:
    """Wall seconds per fused stage (first bundle start to last bundle end), in run order."""
    spans: dict[str, list[float]] = {}
    for line in path.read_text().splitlines():
        name, start, end = json.loads(line)
        span = spans.setdefault(name, [start, end])
        span[0], span[1] = min(span[0], start), max(span[1], end)
    return {name: end - start for name, (start, end) in sorted(spans.items(), key=lambda kv: kv[1][0])}


def _patch(log_path: str) -> None:
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    original = fn_runner.FnApiRunner._execute_bundle
    log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
    t0 = time.monotonic()

    def timed(self, runner_execution_context, bundle_context_manager, bundle_input):
        started = time.monotonic() - t0
        try:
            return original(self, runner_execution_context, bundle_context_manager, bundle_input)
        finally:
            log.write(json.dumps([bundle_context_manager.stage.name, started, time.monotonic() - t0]) + "\n")
            log.flush()

    fn_runner.FnApiRunner._execute_bundle = timed


def main() -> int:
    log_path = os.environ.get("STAGE_LOG")
    if not log_path:
        raise SystemExit("set STAGE_LOG to the file the bundle times go to")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    _patch(log_path)
    from pipeline.cli import main as quarry

    return quarry(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
