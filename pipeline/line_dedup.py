"""Line/paragraph dedup across the corpus as Beam transforms around `dedup.lines` (off by default).

Each document emits the keys of its lines; a GroupByKey per key finds lines shared by several
documents and keeps each in the lowest-id document; the removals are grouped per document and
joined back with a CoGroupByKey, which rewrites the text. A document left empty is dropped as
`line_dedup.empty`; the others record `line_dedup.removed` in their signals.
"""
from __future__ import annotations

from dataclasses import replace

import apache_beam as beam
from apache_beam.pvalue import TaggedOutput

from dedup.lines import remove_units, unit_keys
from pipeline.document import Document, decode_document, encode_document
from pipeline.funnel import FUNNEL, IN, KEPT, REJECTED, FunnelTally, dropped

STAGE = "line_dedup"


class _Rewrite(beam.DoFn):
    def __init__(self, unit: str):
        self.unit = unit

    def start_bundle(self) -> None:
        self.tally = FunnelTally(STAGE)

    def process(self, joined):
        _, groups = joined
        for blob in groups["doc"]:
            doc = decode_document(blob)
            self.tally.add(doc.source, IN)
            drop = set(groups["drop"])
            text, removed = remove_units(doc.text, self.unit, drop) if drop else (doc.text, 0)
            doc = replace(doc, text=text, signals={**doc.signals, "line_dedup.removed": float(removed)})
            if text:
                self.tally.add(doc.source, KEPT)
                yield doc
            else:
                self.tally.add(doc.source, dropped("line_dedup.empty"))
                yield TaggedOutput(REJECTED, replace(doc, fields={**doc.fields, "reason": "line_dedup.empty"}))

    def finish_bundle(self):
        yield from self.tally.flush()


class LineDedup(beam.PTransform):
    def __init__(self, cfg, sources: frozenset[str]):
        super().__init__()
        self.cfg = cfg
        self.sources = sources

    def expand(self, docs):
        cfg, sources = self.cfg, self.sources

        def keys(doc: Document):
            if doc.source in sources:
                for key in unit_keys(doc.text, cfg.unit, cfg.min_chars):
                    yield key, doc.id

        def losers(group):
            _, ids = group
            ids = sorted(set(ids))
            for doc_id in ids[1:]:
                yield doc_id, group[0]

        drops = (docs | "UnitKeys" >> beam.FlatMap(keys) | "GroupUnits" >> beam.GroupByKey()
                 | "Losers" >> beam.FlatMap(losers))
        by_id = docs | "KeyById" >> beam.Map(lambda d: (d.id, encode_document(d)))
        result = ({"doc": by_id, "drop": drops} | "JoinDrops" >> beam.CoGroupByKey()
                  | "Rewrite" >> beam.ParDo(_Rewrite(cfg.unit)).with_outputs(FUNNEL, REJECTED, main="documents"))
        return {"documents": result.documents, REJECTED: result[REJECTED], FUNNEL: result[FUNNEL]}
