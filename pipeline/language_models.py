"""Training a job's KenLM models before the pipeline scores with them (CCNet's recipe).

A job can name one of its sources as the reference corpus (CCNet used Wikipedia): before the
main pipeline runs, the driver reads that source with the same readers and normalization,
streams every document but each `holdout_every`-th into lmplz, and scores the held-out ones to
measure the head/middle/tail cutoffs at the configured percentiles. The model is then copied
beside the job's output, where every worker can read it.

This pre-step runs in the driver process: lmplz is a single-machine program anyway, and the
reference corpus is capped at `max_documents` (CCNet's 1M Wikipedia documents).
"""
from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

from filters.perplexity import PerplexityScorer, cutoffs_from_sample, train_lm
from pipeline.config import JobConfig
from pipeline.document import make_document
from pipeline.fsio import join, write_bytes_atomic
from pipeline.inputs import resolve_inputs
from pipeline.readers.base import Record
from pipeline.sources import read_unit

LM_DIR = "_quarry/lm"
MAX_HOLDOUT = 20_000


def _reference_texts(job: JobConfig, source: str, limit: int) -> Iterator[str]:
    src = job.source(source)
    single = job.model_copy(update={"sources": [src]})
    count = 0
    for unit in resolve_inputs(single):
        for event in read_unit(unit, src):
            if isinstance(event, Record):
                text = make_document(event, src.name, src.kind, code=False).text
                if text:
                    yield text
                    count += 1
                    if count >= limit:
                        return


def train_job_model(job: JobConfig) -> dict:
    """Train the job's model; returns what the manifest records and the pipeline needs."""
    train = job.stages.perplexity.train
    holdout: list[str] = []
    started = time.monotonic()
    print(f"quarry: training the {train.language} perplexity model ({train.order}-gram) on source "
          f"{train.source} ...", file=sys.stderr, flush=True)

    def training_texts() -> Iterator[str]:
        for i, text in enumerate(_reference_texts(job, train.source, train.max_documents)):
            if i % train.holdout_every == train.holdout_every - 1 and len(holdout) < MAX_HOLDOUT:
                holdout.append(text)
            else:
                yield text

    with tempfile.TemporaryDirectory(prefix="quarry-lm-") as tmp:
        local = train_lm(training_texts(), Path(tmp) / f"{train.language}.binary", order=train.order,
                         tmp_dir=Path(tmp))
        data = local.read_bytes()
        scorer = PerplexityScorer(local)
        stage = job.stages.perplexity
        cutoffs = stage.cutoffs.get(train.language)
        if cutoffs is None:
            cutoffs = tuple(cutoffs_from_sample((scorer.perplexity(t) for t in holdout),
                                                stage.head_percentile, stage.tail_percentile))
    path = join(job.output.path, LM_DIR, f"{train.language}.binary")
    write_bytes_atomic(path, data)
    print(f"quarry: trained {path} ({len(data) / 1e6:,.1f} MB) in {time.monotonic() - started:,.1f} s; "
          f"cutoffs {cutoffs[0]:,.1f} / {cutoffs[1]:,.1f} from {len(holdout):,} held-out documents",
          file=sys.stderr, flush=True)
    return {
        "language": train.language,
        "source": train.source,
        "path": f"{LM_DIR}/{train.language}.binary",
        "uri": path,
        "sha256": hashlib.sha256(data).hexdigest(),
        "order": train.order,
        "held_out_documents": len(holdout),
        "cutoffs": [round(c, 4) for c in cutoffs],
    }
