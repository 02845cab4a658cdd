"""Exact dedup across all sources as a Beam transform around `dedup.exact`."""
from __future__ import annotations

from dataclasses import replace

import apache_beam as beam
from apache_beam.pvalue import TaggedOutput

from dedup.exact import pick_representative, text_key
from pipeline.document import Document, decode_document, encode_document
from pipeline.funnel import FUNNEL, IN, KEPT, REJECTED, FunnelTally, dropped

STAGE = "exact_dedup"
REASON = "exact_duplicate"


class _KeyByText(beam.DoFn):
    def start_bundle(self) -> None:
        self.tally = FunnelTally(STAGE)

    def process(self, doc: Document):
        self.tally.add(doc.source, IN)
        yield text_key(doc.text), encode_document(doc)

    def finish_bundle(self):
        yield from self.tally.flush()


class _KeepOne(beam.DoFn):
    def start_bundle(self) -> None:
        self.tally = FunnelTally(STAGE)

    def process(self, group: tuple[bytes, list[bytes]]):
        _, copies = group
        keep, duplicates = pick_representative([decode_document(c) for c in copies])
        self.tally.add(keep.source, KEPT)
        yield replace(keep, signals={**keep.signals, "exact_copies": float(len(duplicates) + 1)})
        for dup in duplicates:
            self.tally.add(dup.source, dropped(REASON))
            yield TaggedOutput(REJECTED, replace(dup, fields={**dup.fields, "reason": REASON, "duplicate_of": keep.id}))

    def finish_bundle(self):
        yield from self.tally.flush()


class ExactDedup(beam.PTransform):
    """Documents in; survivors out (main), duplicates (REJECTED) and tallies (FUNNEL) tagged."""

    def expand(self, docs):
        keyed = docs | "KeyByText" >> beam.ParDo(_KeyByText()).with_outputs(FUNNEL, main="keyed")
        result = (
            keyed.keyed
            | "GroupCopies" >> beam.GroupByKey()
            | "KeepOne" >> beam.ParDo(_KeepOne()).with_outputs(FUNNEL, REJECTED, main="documents")
        )
        return {
            "documents": result.documents,
            REJECTED: result[REJECTED],
            FUNNEL: (keyed[FUNNEL], result[FUNNEL]) | "FlattenDedupFunnel" >> beam.Flatten(),
        }
