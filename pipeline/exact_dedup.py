"""Exact dedup across all sources as a Beam transform around `dedup.exact`.

Documents are grouped by a partition of their text key through spill files (`pipeline.spill`:
only file paths cross the runner's shuffle, so the FnApiRunner's driver never holds the
corpus); a worker reads one partition at a time, groups it by text key and keeps the lowest id
of each text (`dedup.exact.pick_representative`). There are 64 partitions, and one more per
4 MB of input, so a partition stays a few MB.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import apache_beam as beam
from apache_beam.pvalue import TaggedOutput

from dedup.exact import pick_representative, text_key
from pipeline.document import Document
from pipeline.funnel import FUNNEL, IN, KEPT, REJECTED, FunnelTally, dropped
from pipeline.spill import MIN_PARTITIONS, SpillGroups, read_spilled

STAGE = "exact_dedup"
REASON = "exact_duplicate"


class _KeepOne(beam.DoFn):
    def start_bundle(self) -> None:
        self.tally = FunnelTally(STAGE)

    def process(self, partition: tuple[int, list[str]]):
        by_text: dict[bytes, list[Document]] = defaultdict(list)
        for doc in read_spilled(partition[1]):
            self.tally.add(doc.source, IN)
            by_text[text_key(doc.text)].append(doc)
        for copies in by_text.values():
            keep, duplicates = pick_representative(copies)
            self.tally.add(keep.source, KEPT)
            yield replace(keep, signals={**keep.signals, "exact_copies": float(len(copies))})
            for dup in duplicates:
                self.tally.add(dup.source, dropped(REASON))
                yield TaggedOutput(REJECTED, replace(dup, fields={**dup.fields, "reason": REASON,
                                                                  "duplicate_of": keep.id}))

    def finish_bundle(self):
        yield from self.tally.flush()


class ExactDedup(beam.PTransform):
    """Documents in; survivors out (main), duplicates (REJECTED) and tallies (FUNNEL) tagged.

    `spills`: a folder for the spill files (under the job's output); `partitions`: see
    `pipeline.spill.partitions_for`.
    """

    takes_branches = True  # a tuple of PCollections is spilled branch by branch (`SpillGroups`)

    def __init__(self, spills: str, partitions: int = MIN_PARTITIONS):
        super().__init__()
        self.spills = spills
        self.partitions = partitions

    def expand(self, docs):
        n = self.partitions
        result = (
            docs
            | "GroupCopies" >> SpillGroups(self.spills, lambda d: int.from_bytes(text_key(d.text)[:4], "big") % n)
            | "KeepOne" >> beam.ParDo(_KeepOne()).with_outputs(FUNNEL, REJECTED, main="documents")
        )
        return {"documents": result.documents, REJECTED: result[REJECTED], FUNNEL: result[FUNNEL]}
