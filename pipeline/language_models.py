"""Training a job's KenLM models before the pipeline scores with them (CCNet's recipe).

A job can name one of its sources as the reference corpus (CCNet used Wikipedia). Before the
main pipeline runs, a first Beam pipeline reads that source with the same readers and
normalization on all workers (wiki pages are rendered wherever the shuffle sends them) and
writes the documents into hash buckets, each sorted by document id, so the training corpus
and its order are the same whatever the runner and worker count. The driver then streams the
buckets in order into lmplz, every `holdout_every`-th document held out to measure the
head/middle/tail cutoffs at the configured percentiles, and copies the model beside the job's
output, where every worker can read it. When the read took the whole source, the main
pipeline takes its documents from the buckets (`ReusedReference`): a Wikipedia is rendered
once per job, not twice.

Only lmplz itself is serial: it is a single-machine program. The corpus is capped at
`max_documents` (CCNet's 1M Wikipedia documents): each input file (or part of a big one, see
`pipeline.sources.split_units`) contributes at most that many pages, and the driver stops after
that many documents in bucket order.
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from filters.perplexity import PerplexityScorer, cutoffs_from_sample, train_lm
from pipeline.config import JobConfig
from pipeline.document import Document
from pipeline.fsio import delete_matching, join, read_bytes, write_bytes_atomic
from pipeline.funnel import ERRORS, FUNNEL
from pipeline.inputs import resolve_inputs
from pipeline.phases import Phases
from pipeline.runners import make_pipeline
from pipeline.sources import BRANCHES, CAPPED, ReadSources
from pipeline.spill import SpillGroups, delete_spills, read_spilled, spill_folder

LM_DIR = "_quarry/lm"
REFERENCE_DIR = f"{LM_DIR}/reference"
MAX_HOLDOUT = 20_000
BUCKET_INPUT_BYTES = 8 << 20  # input bytes per reference bucket (one bucket is sorted in memory)
MIN_BUCKETS = 16  # so that reading the buckets back (see ReusedReference) spreads over workers
SUMMARY = "read.json"  # the reference read's funnel tallies, error rows and capped units


def _bucket_of(doc_id: str, buckets: int) -> int:
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big") % buckets


BUCKET_FILES = "bucket-*.jsonl"  # the pattern of `_bucket_path`'s names


def _bucket_path(folder: str, bucket: int) -> str:
    return join(folder, f"bucket-{bucket:05d}.jsonl")


def _write_bucket(item: tuple[int, list[str]], folder: str) -> None:
    """One bucket: its documents (from their spill files) as JSON lines, in id order (the training order)."""
    bucket, spills = item
    docs = read_spilled(spills)
    lines = (json.dumps({"id": d.id, "source": d.source, "kind": d.kind, "text": d.text, "fields": d.fields},
                        ensure_ascii=False, sort_keys=True) for d in sorted(docs, key=lambda d: d.id))
    write_bytes_atomic(_bucket_path(folder, bucket), ("\n".join(lines) + "\n").encode("utf-8"))


def _load_bucket(path: str) -> Iterator[Document]:
    for line in read_bytes(path).decode("utf-8").splitlines():
        yield Document(**json.loads(line))


def _write_summary(folder: str, tallies: list, errors: list, capped: int) -> None:
    write_bytes_atomic(join(folder, SUMMARY), json.dumps(
        {"funnel": sorted(tallies), "errors": sorted(errors, key=lambda e: json.dumps(e, sort_keys=True)),
         "capped": capped}, sort_keys=True).encode("utf-8"))


def write_reference(job: JobConfig, source: str, folder: str, options: PipelineOptions) -> int:
    """Read `source` on the job's runner into sorted document buckets under `folder`; their count.

    Beside the buckets goes the read's SUMMARY: its funnel tallies and error rows, and how
    many input files `max_documents` cut short. When none was, the buckets hold the source
    exactly as the document pipeline would read it, and it takes them (`ReusedReference`)
    instead of reading and rendering the source a second time.
    """
    src = job.source(source)
    single = job.model_copy(update={"sources": [src]})
    units = resolve_inputs(single)
    buckets = max(MIN_BUCKETS, -(-sum(u.size for u in units) // BUCKET_INPUT_BYTES))
    limit = job.stages.perplexity.train.max_documents
    release_reference(folder)  # what an interrupted run left is not ours
    with make_pipeline(options) as p:
        read = p | "ReadReference" >> ReadSources(single, units, max_records_per_unit=limit)
        (
            tuple(read[BRANCHES].values())
            | "GroupBuckets" >> SpillGroups(spill_folder(folder, "reference"), lambda d: _bucket_of(d.id, buckets))
            | "WriteBuckets" >> beam.Map(_write_bucket, folder)
        )
        tallies = read[FUNNEL] | "SumTallies" >> beam.CombinePerKey(sum)
        capped = read[CAPPED] | "CountCapped" >> beam.combiners.Count.Globally()
        (
            p
            | "Folder" >> beam.Create([folder])
            | "WriteSummary" >> beam.Map(_write_summary, beam.pvalue.AsList(tallies), beam.pvalue.AsList(read[ERRORS]),
                                         beam.pvalue.AsSingleton(capped))
        )
    return buckets


def release_reference(folder: str) -> None:
    """Delete the reference buckets and summary under `folder` (nothing there is fine)."""
    delete_matching(join(folder, BUCKET_FILES))
    delete_matching(join(folder, SUMMARY))
    delete_spills(folder)


def reusable_reference(folder: str) -> bool:
    """Whether the buckets hold the whole reference source (no input file was cut short)."""
    return json.loads(read_bytes(join(folder, SUMMARY)))["capped"] == 0


class ReusedReference(beam.PTransform):
    """The reference source's documents, funnel tallies and error rows, as its read left them.

    The document pipeline applies this instead of reading the source again: the same
    documents (read, normalized and rendered once), the same read and normalize tallies and
    the same errors, so the job's outputs are byte-identical to reading the source twice.
    The buckets are spread over the workers like input files.
    """

    def __init__(self, folder: str):
        super().__init__()
        self.folder = folder

    def expand(self, pbegin):
        summary = json.loads(read_bytes(join(self.folder, SUMMARY)))
        paths = sorted(m.path for m in FileSystems.match([join(self.folder, BUCKET_FILES)])[0].metadata_list)
        docs = (
            pbegin
            | "Buckets" >> beam.Create(paths)
            | "SpreadBuckets" >> beam.Reshuffle()
            | "Load" >> beam.FlatMap(_load_bucket)
        )
        tallies = pbegin | "Tallies" >> beam.Create([(tuple(key), n) for key, n in summary["funnel"]])
        errors = pbegin | "Errors" >> beam.Create(summary["errors"])
        return {BRANCHES: {"reference": docs}, FUNNEL: tallies, ERRORS: errors}


def _reference_texts(folder: str, buckets: int, limit: int) -> Iterator[str]:
    """The reference texts, bucket by bucket in id order, at most `limit` of them."""
    count = 0
    for bucket in range(buckets):
        try:
            data = read_bytes(_bucket_path(folder, bucket))
        except OSError:  # a bucket no document hashed into was never written
            continue
        for line in data.decode("utf-8").splitlines():
            yield json.loads(line)["text"]
            count += 1
            if count >= limit:
                return


def train_job_model(job: JobConfig, options: PipelineOptions, phase: Phases | None = None) -> dict:
    """Train the job's model; returns what the manifest records and the pipeline needs.

    `options` are the job's Beam options: the reference corpus is read on the same runner.
    `phase` times the reading and the training separately.
    """
    phase = phase or Phases()
    train = job.stages.perplexity.train
    holdout: list[str] = []
    started = time.monotonic()
    print(f"quarry: training the {train.language} perplexity model ({train.order}-gram) on source "
          f"{train.source} ...", file=sys.stderr, flush=True)

    folder = join(job.output.path, REFERENCE_DIR)
    with phase("lm_reference"):
        buckets = write_reference(job, train.source, folder, options)

    def training_texts() -> Iterator[str]:
        for i, text in enumerate(_reference_texts(folder, buckets, train.max_documents)):
            if i % train.holdout_every == train.holdout_every - 1 and len(holdout) < MAX_HOLDOUT:
                holdout.append(text)
            else:
                yield text

    with phase("lm_training"), tempfile.TemporaryDirectory(prefix="quarry-lm-") as tmp:
        local = train_lm(training_texts(), Path(tmp) / f"{train.language}.binary", order=train.order,
                         tmp_dir=Path(tmp))
        data = local.read_bytes()
        scorer = PerplexityScorer(local)
        stage = job.stages.perplexity
        cutoffs = stage.cutoffs.get(train.language)
        if cutoffs is None:
            cutoffs = tuple(cutoffs_from_sample((scorer.perplexity(t) for t in holdout),
                                                stage.head_percentile, stage.tail_percentile))
    reuse = reusable_reference(folder)
    if not reuse:
        release_reference(folder)
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
        "reference": folder if reuse else None,  # the buckets the document pipeline takes (ReusedReference)
    }
