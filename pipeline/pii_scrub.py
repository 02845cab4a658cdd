"""PII scrubbing as a Beam stage around `filters.pii.PiiScrubber`.

Documents are scrubbed in batches by one scrubber per worker (built in `DoFn.setup`, so the
presidio recognizers load once). A scrubbed document carries `pii.<ENTITY>` signals with the
number of values replaced; the shard writer sums them per source into the manifest, so the
counts are data on every runner. No original value is kept anywhere: the scrubbed text
replaces the document's text, and counts are all that is recorded.

A document the scrubber could not finish within `time_limit_s` is never passed on as if it had
been scrubbed: `on_timeout: drop` rejects it (reason `pii_timeout`, its text withheld from the
rejected shards), `on_timeout: keep` passes it on unscrubbed with meta `pii_unscrubbed=true`,
counted per source in the manifest. A document whose scrubbing raises is dropped
(`pii_error`), never passed through.

`ScrubRejected` applies the same scrubbing to the rejected documents of earlier stages before
they are written (with `keep_rejected`), so the rejected shards hold no PII either.
"""
from __future__ import annotations

import os
from dataclasses import replace

import apache_beam as beam
from apache_beam.pvalue import TaggedOutput

from pipeline.config import PiiStage
from pipeline.document import Document
from pipeline.funnel import FUNNEL, IN, KEPT, REJECTED, FunnelTally, dropped

STAGE = "pii"
TIMEOUT = "pii_timeout"
ERROR = "pii_error"
UNSCRUBBED = "pii_unscrubbed"
SIGNAL_PREFIX = "pii."
BATCH = 256


def pii_key(cfg: PiiStage) -> bytes | None:
    """The pseudonym key, read in the driver from `key_env` (a clear error when it is missing)."""
    if cfg.mode != "pseudonym":
        return None
    key = os.environ.get(cfg.key_env, "")
    if not key:
        raise ValueError(f"stages.pii.mode is pseudonym but the environment variable {cfg.key_env} "
                         "(stages.pii.key_env) is empty: set it to a secret key, the same for every run "
                         "whose stand-ins must agree")
    return key.encode("utf-8")


def pii_counts(doc: Document) -> dict[str, int]:
    """Entity type -> values replaced in `doc`, from its `pii.*` signals."""
    return {k[len(SIGNAL_PREFIX):]: int(v) for k, v in doc.signals.items() if k.startswith(SIGNAL_PREFIX)}


class _ScrubFn(beam.DoFn):
    def __init__(self, cfg: PiiStage, key: bytes | None, sources: frozenset[str], *, tally: bool = True):
        self.cfg = cfg
        self.key = key
        self.sources = sources
        self.tally_outcomes = tally

    def setup(self) -> None:
        self.scrubber = self.cfg.scrubber(self.key)

    def start_bundle(self) -> None:
        self.tally = FunnelTally(STAGE)

    def _scrub(self, doc: Document):
        """(document out, drop reason or None)."""
        try:
            result = self.scrubber.scrub(doc.text)
        except Exception:  # noqa: BLE001 - the message could quote the text; the reason is enough
            return replace(doc, text="", fields={**doc.fields, "text_withheld": ERROR}), ERROR
        if result.timed_out:
            if self.cfg.on_timeout == "keep" and self.tally_outcomes:  # rejected ones are withheld
                return replace(doc, fields={**doc.fields, UNSCRUBBED: "true"}), None
            return replace(doc, text="", fields={**doc.fields, "text_withheld": TIMEOUT}), TIMEOUT
        signals = {**doc.signals, **{SIGNAL_PREFIX + k: float(n) for k, n in result.counts.items()}}
        return replace(doc, text=result.text, signals=signals), None

    def process(self, batch: list[Document]):
        for doc in batch:
            if doc.source not in self.sources:
                if self.tally_outcomes:
                    self.tally.add(doc.source, IN)
                    self.tally.add(doc.source, KEPT)
                yield doc
                continue
            out, reason = self._scrub(doc)
            if not self.tally_outcomes:  # rejected documents: scrubbed, already counted elsewhere
                yield out
                continue
            self.tally.add(doc.source, IN)
            if reason is None:
                self.tally.add(doc.source, KEPT)
                yield out
            else:
                self.tally.add(doc.source, dropped(reason))
                yield TaggedOutput(REJECTED, replace(out, fields={**out.fields, "reason": reason}))

    def finish_bundle(self):
        if self.tally_outcomes:
            yield from self.tally.flush()


class PiiScrub(beam.PTransform):
    """Documents in; scrubbed documents (main), dropped ones (REJECTED), tallies (FUNNEL) out."""

    def __init__(self, cfg: PiiStage, key: bytes | None, sources: frozenset[str]):
        super().__init__()
        self.cfg, self.key, self.sources = cfg, key, sources

    def expand(self, docs):
        result = (docs
                  | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=BATCH)
                  | "Scrub" >> beam.ParDo(_ScrubFn(self.cfg, self.key, self.sources)).with_outputs(
                      FUNNEL, REJECTED, main="documents"))
        return {"documents": result.documents, REJECTED: result[REJECTED], FUNNEL: result[FUNNEL]}


class ScrubRejected(beam.PTransform):
    """Rejected documents of earlier stages, scrubbed the same way before they are written."""

    def __init__(self, cfg: PiiStage, key: bytes | None, sources: frozenset[str]):
        super().__init__()
        self.cfg, self.key, self.sources = cfg, key, sources

    def expand(self, docs):
        return (docs
                | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=BATCH)
                | "Scrub" >> beam.ParDo(_ScrubFn(self.cfg, self.key, self.sources, tally=False)))
