"""Exact dedup across all sources as a Beam transform around `dedup.exact`.

Only (text key, id) pairs cross the shuffle: a group with several ids names its survivor (the
lowest id, `dedup.exact.pick_representative`), and those decisions, which cover duplicated
documents only, reach every worker as a side input that the documents are filtered against.
Shuffling the documents themselves would hold the whole corpus in the FnApiRunner's driver.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import apache_beam as beam
from apache_beam.pvalue import AsDict, TaggedOutput

from dedup.exact import pick_representative, text_key
from pipeline.document import Document
from pipeline.funnel import FUNNEL, IN, KEPT, REJECTED, FunnelTally, dropped

STAGE = "exact_dedup"
REASON = "exact_duplicate"


@dataclass(frozen=True)
class _Copy:
    id: str


def _decisions(group: tuple[bytes, list[str]]):
    """(id, (survivor id, copies)) for each document of a text that several documents have."""
    _, ids = group
    if len(ids) < 2:
        return
    keep, duplicates = pick_representative(_Copy(i) for i in ids)
    for copy in (keep, *duplicates):
        yield copy.id, (keep.id, len(ids))


class _KeepOne(beam.DoFn):
    def start_bundle(self) -> None:
        self.tally = FunnelTally(STAGE)

    def process(self, doc: Document, decisions: dict):
        self.tally.add(doc.source, IN)
        keep, copies = decisions.get(doc.id, (doc.id, 1))
        if keep == doc.id:
            self.tally.add(doc.source, KEPT)
            yield replace(doc, signals={**doc.signals, "exact_copies": float(copies)})
        else:
            self.tally.add(doc.source, dropped(REASON))
            yield TaggedOutput(REJECTED, replace(doc, fields={**doc.fields, "reason": REASON, "duplicate_of": keep}))

    def finish_bundle(self):
        yield from self.tally.flush()


class ExactDedup(beam.PTransform):
    """Documents in; survivors out (main), duplicates (REJECTED) and tallies (FUNNEL) tagged."""

    def expand(self, docs):
        decisions = (
            docs
            | "KeyByText" >> beam.Map(lambda d: (text_key(d.text), d.id))
            | "GroupCopies" >> beam.GroupByKey()
            | "Decide" >> beam.FlatMap(_decisions)
        )
        result = docs | "KeepOne" >> beam.ParDo(_KeepOne(), AsDict(decisions)).with_outputs(
            FUNNEL, REJECTED, main="documents")
        return {"documents": result.documents, REJECTED: result[REJECTED], FUNNEL: result[FUNNEL]}
