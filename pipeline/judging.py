"""Running judges (language id, quality rules, perplexity) over documents as a Beam stage.

A stage holds, per source, an ordered list of judges to apply. Documents are judged in batches
(so fastText and KenLM are called on lists), every judge's signals are recorded on the
document, and the first judge that drops a document gives the drop reason counted in the
funnel. Judges are built in the worker from plain specs, so models load once per worker (and
stage, see `shared_judge`) and nothing unpicklable travels with the pipeline.
"""
from __future__ import annotations

import threading
import uuid
import weakref
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

import apache_beam as beam
from apache_beam.pvalue import TaggedOutput

from pipeline.document import Document
from pipeline.funnel import FUNNEL, IN, KEPT, REJECTED, FunnelTally, dropped

# A judge's factory: a module-level function, so a spec pickles by reference and the worker
# process imports it itself (an import-time registry would be empty in a fresh worker).
Factory = Callable[..., Any]


@dataclass(frozen=True)
class JudgeSpec:
    """What to build in each worker: a factory and its parameters.

    The factory also receives the documents' language (None before language id ran), so a
    rule that only makes sense for some languages (Gopher's English stop words) can adapt.
    """

    factory: Factory
    params: tuple[tuple[str, Any], ...] = ()

    def build(self, lang: str | None) -> Any:
        return self.factory(**dict(self.params), lang=lang)


def spec(factory: Factory, **params: Any) -> JudgeSpec:
    return JudgeSpec(factory, tuple(sorted(params.items())))


_SHARED: "weakref.WeakValueDictionary[tuple[str, JudgeSpec, str | None], Any]" = weakref.WeakValueDictionary()
_BUILD_LOCK = threading.Lock()


def shared_judge(scope: str, judge_spec: JudgeSpec, lang: str | None) -> Any:
    """The judge for a spec and language, built once per process for one stage (`scope`).

    A stage runs as several DoFn instances in one worker (one per branch of the read, see
    `pipeline.sources.ReadSources`); a fastText or KenLM model loaded by each would multiply
    the worker's memory. Judges hold no state between calls, so the instances share one. The
    scope is the stage's own (another job's stage may name a model file since rewritten), and
    the entry is weak: it goes when the last DoFn holding the judge does (a Dask worker lives
    through many jobs).
    """
    key = (scope, judge_spec, lang)
    with _BUILD_LOCK:
        judge = _SHARED.get(key)
        if judge is None:
            judge = judge_spec.build(lang)
            try:
                _SHARED[key] = judge
            except TypeError:  # not weakly referable: this instance keeps its own
                pass
    return judge


def apply_judges(judges: Sequence[Any], docs: list[Document]) -> list[tuple[Document, str | None]]:
    """Judge `docs` in order; each judge only sees the documents every earlier judge kept.

    Returns every document with its drop reason (None when kept). A judge with
    `judge_batch_fields` also returns string facts (e.g. the language) for the fields.
    """
    results: dict[int, tuple[Document, str | None]] = {}
    alive = list(enumerate(docs))
    for judge in judges:
        if not alive:
            break
        texts = [d.text for _, d in alive]
        if hasattr(judge, "judge_batch_fields"):
            verdicts, facts = judge.judge_batch_fields(texts)
        else:
            verdicts, facts = judge.judge_batch(texts), None
        still = []
        for k, ((i, doc), verdict) in enumerate(zip(alive, verdicts)):
            doc = replace(doc, signals={**doc.signals, **verdict.signals},
                          fields={**doc.fields, **facts[k]} if facts else doc.fields)
            if verdict.reason is None:
                still.append((i, doc))
            else:
                results[i] = (doc, verdict.reason)
        alive = still
    for i, doc in alive:
        results[i] = (doc, None)
    return [results[i] for i in range(len(docs))]


class _JudgeFn(beam.DoFn):
    def __init__(self, stage: str, plan: dict[str, tuple[JudgeSpec, ...]], scope: str):
        self.stage = stage
        self.plan = plan
        self.scope = scope

    def setup(self) -> None:
        self._built: dict[tuple[JudgeSpec, str | None], Any] = {}  # holds the shared judges alive

    def _judges(self, source: str, lang: str | None) -> list[Any]:
        """The judges for one source and language, built on first use (see `shared_judge`)."""
        judges = []
        for s in self.plan.get(source, ()):
            key = (s, lang)
            if key not in self._built:
                self._built[key] = shared_judge(self.scope, s, lang)
            judges.append(self._built[key])
        return judges

    def start_bundle(self) -> None:
        self.tally = FunnelTally(self.stage)

    def process(self, batch: list[Document]):
        groups: dict[tuple[str, str], list[Document]] = {}
        for doc in batch:
            groups.setdefault((doc.source, doc.fields.get("lang", "")), []).append(doc)
        for (source, lang), docs in sorted(groups.items()):
            self.tally.add(source, IN, len(docs))
            for doc, reason in apply_judges(self._judges(source, lang or None), docs):
                if reason is None:
                    self.tally.add(source, KEPT)
                    yield doc
                else:
                    self.tally.add(source, dropped(reason))
                    yield TaggedOutput(REJECTED, replace(doc, fields={**doc.fields, "reason": reason}))

    def finish_bundle(self):
        yield from self.tally.flush()


class JudgeStage(beam.PTransform):
    """Documents in; kept documents out (main), rejected (REJECTED) and tallies (FUNNEL) tagged.

    `plan` maps a source name to the judges its documents go through, in order; a source that
    is not in the plan passes through (counted as kept).
    """

    def __init__(self, stage: str, plan: dict[str, tuple[JudgeSpec, ...]], batch_size: int = 256):
        super().__init__()
        self.stage = stage
        self.plan = plan
        self.batch_size = batch_size
        self.scope = uuid.uuid4().hex  # the applications of this stage share judges (shared_judge)

    def expand(self, docs):
        result = (
            docs
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self.batch_size)
            | "Judge" >> beam.ParDo(_JudgeFn(self.stage, self.plan, self.scope)).with_outputs(FUNNEL, REJECTED, main="documents")
        )
        return {"documents": result.documents, REJECTED: result[REJECTED], FUNNEL: result[FUNNEL]}
