"""The funnel as data: every stage tags each document's outcome, and the counts flow as a PCollection.

Beam metrics are best-effort (attempted counts double on retries, some runners report none), so
the manifest's figures come from here instead: each stage tallies `in`, `kept`,
`dropped:<reason>` and `errored` per source within a bundle and emits the tallies as elements
when the bundle finishes; a CombinePerKey adds them up exactly on any runner. The same counts
are mirrored to Beam counters for live monitoring only.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from typing import Iterable, Iterator

from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from pipeline.runners import in_global_window

FUNNEL = "funnel"
ERRORS = "errors"
REJECTED = "rejected"

IN = "in"
KEPT = "kept"
ERRORED = "errored"
DROPPED_PREFIX = "dropped:"

FunnelKey = tuple[str, str, str]  # (stage, source, outcome)


def dropped(reason: str) -> str:
    return DROPPED_PREFIX + reason


class FunnelTally:
    """Per-bundle outcome counts for one stage; flushed as tagged elements in finish_bundle."""

    def __init__(self, stage: str):
        self.stage = stage
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, source: str, outcome: str, n: int = 1) -> None:
        self.counts[(source, outcome)] += n

    def flush(self) -> Iterator[TaggedOutput]:
        for (source, outcome), n in sorted(self.counts.items()):
            Metrics.counter(f"quarry.{self.stage}", f"{source}.{outcome}").inc(n)
            yield in_global_window(TaggedOutput(FUNNEL, ((self.stage, source, outcome), n)))
        self.counts.clear()


def error_row(stage: str, source: str, location: str, error: str) -> TaggedOutput:
    return TaggedOutput(ERRORS, {"stage": stage, "source": source, "location": location, "error": error})


def funnel_table(rows: Iterable[tuple[FunnelKey, int]], stage_order: list[str]) -> list[dict]:
    """Turn summed tallies into one row per (stage, source): in / kept / dropped / errored."""
    table: dict[tuple[str, str], dict] = {}
    for (stage, source, outcome), n in rows:
        row = table.setdefault((stage, source), {"stage": stage, "source": source, "in": 0, "kept": 0, "dropped": {}, "errored": 0})
        if outcome.startswith(DROPPED_PREFIX):
            reason = outcome[len(DROPPED_PREFIX):]
            row["dropped"][reason] = row["dropped"].get(reason, 0) + n
        else:
            row[outcome] += n
    order = {stage: i for i, stage in enumerate(stage_order)}
    ordered = sorted(table.values(), key=lambda r: (order.get(r["stage"], len(order)), r["stage"], r["source"]))
    for row in ordered:
        row["dropped"] = dict(sorted(row["dropped"].items()))
    return ordered


class Progress:
    """Throttled progress lines on stderr: records read and throughput, per worker process.

    Runs inside DoFns, so it works the same in-process, in multi-processing workers and on a
    cluster (where the lines land in the worker logs).
    """

    def __init__(self, label: str, every_s: float = 5.0):
        self.label = label
        self.every_s = every_s
        self.started = time.monotonic()
        self.last = self.started
        self.records = 0
        self.chars = 0

    def add(self, records: int, chars: int) -> None:
        self.records += records
        self.chars += chars
        now = time.monotonic()
        if now - self.last >= self.every_s:
            self.last = now
            self.report(now)

    def report(self, now: float | None = None) -> None:
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        print(
            f"quarry {self.label}: {self.records:,} records, {self.chars / 1e6:,.1f} M chars in "
            f"{elapsed:,.0f} s ({self.records / elapsed:,.0f} records/s, {self.chars / 1e6 / elapsed:,.2f} M chars/s)",
            file=sys.stderr, flush=True,
        )
