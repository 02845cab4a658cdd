"""Assembling and running a job: sources -> exact dedup -> Parquet, then the manifest.

The pipeline writes its accounting as data beside the output (`_quarry/`): the summed funnel,
the shard lists and the error rows. When the runner is done, the driver reads those small files
and writes `manifest.json` atomically. Nothing here depends on Beam metrics, so the figures are
exact on every runner.
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from manifests.build import build_manifest
from manifests.schema import MANIFEST_NAME
from pipeline import __version__
from pipeline.config import JobConfig
from pipeline.exact_dedup import STAGE as EXACT_DEDUP, ExactDedup
from pipeline.line_dedup import STAGE as LINE_DEDUP, LineDedup
from pipeline.near_dedup import STAGE as NEAR_DEDUP, NearDedup, band_partitions
from pipeline.pii_scrub import STAGE as PII, PiiScrub, ScrubRejected, pii_key
from pipeline.fsio import delete_matching, join, read_bytes, read_json, write_bytes_atomic, write_json_atomic
from pipeline.funnel import ERRORS, FUNNEL, REJECTED, funnel_table
from pipeline.inputs import InputError, InputUnit, resolve_inputs
from pipeline.judges import (DECONTAMINATE, LANGID, PERPLEXITY, QUALITY, plan_decontaminate, plan_langid,
                             plan_perplexity, plan_quality)
from pipeline.language_models import ReusedReference, release_reference, train_job_model
from pipeline.phases import Phases
from pipeline.runners import make_pipeline, runner_name
from pipeline.judging import JudgeStage
from pipeline.sinks import WriteShards, shard_count, shard_of
from pipeline.spill import SpillGroups, delete_spills, partitions_for, read_spilled, spill_folder
from pipeline.sources import BRANCHES, NORMALIZE, READ, ReadSources, each_branch
from pipeline.tokens import build_token_pipeline, prepare_tokenizer, tokens_section
from tokenizer.shards import TOKENS_DIR

STATS = "_quarry"
DOCUMENTS = "documents"
REJECTED_DIR = "rejected"
STAGE_ORDER = [READ, NORMALIZE, LANGID, QUALITY, PERPLEXITY, LINE_DEDUP, EXACT_DEDUP, NEAR_DEDUP, DECONTAMINATE, PII]
REJECTED_SHARD_RATIO = 8  # rejected documents are few: one rejected shard per 8 clean ones


class OutputCheckError(RuntimeError):
    """The run finished but its manifest does not check out against its outputs and funnel."""

    def __init__(self, manifest_path: str, problems: list[str]):
        self.manifest_path = manifest_path
        self.problems = problems
        super().__init__(f"{manifest_path}: {len(problems)} problems; the first: {problems[0]}")


def _write_list(pcoll, path: str, label: str, key=None):
    """Collect a small PCollection and write it as one sorted JSON document."""
    return (
        pcoll
        | f"Collect{label}" >> beam.combiners.ToList()
        | f"Write{label}" >> beam.Map(lambda rows: write_json_atomic(path, sorted(rows, key=key)))
    )


def _write_errors(errors, path: str):
    def write(rows):
        lines = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)
        write_bytes_atomic(path, "".join(line + "\n" for line in lines).encode("utf-8"))

    return errors | "CollectErrors" >> beam.combiners.ToList() | "WriteErrors" >> beam.Map(write)


def _near_dedup_stats(job: JobConfig) -> str:
    return join(job.output.path, STATS, "near_dedup.json")


def _document_stages(job: JobConfig, trained: dict | None, input_bytes: int) -> list[tuple[str, beam.PTransform]]:
    """The stages after reading, in pipeline order (STAGE_ORDER), as (label, transform).

    Each transform returns a dict with "documents", FUNNEL and REJECTED outputs.
    """
    stages: list[tuple[str, beam.PTransform]] = []
    if job.stages.langid.enabled:
        stages.append((f"Judge-{LANGID}", JudgeStage(LANGID, plan_langid(job))))
    if job.stages.quality.enabled:
        stages.append((f"Judge-{QUALITY}", JudgeStage(QUALITY, plan_quality(job))))
    if job.stages.perplexity.enabled:
        stages.append((f"Judge-{PERPLEXITY}", JudgeStage(PERPLEXITY, plan_perplexity(job, trained))))
    if job.stages.line_dedup.enabled:
        kinds = set(job.stages.line_dedup.kinds)
        sources = frozenset(s.name for s in job.sources if s.kind in kinds)
        stages.append(("LineDedup", LineDedup(job.stages.line_dedup, sources)))
    if job.stages.exact_dedup.enabled:
        stages.append(("ExactDedup", ExactDedup(spill_folder(job.output.path, EXACT_DEDUP),
                                                partitions_for(input_bytes))))
    if job.stages.near_dedup.enabled:
        stages.append(("NearDedup", NearDedup(job.stages.near_dedup, _near_dedup_stats(job),
                                              spill_folder(job.output.path, NEAR_DEDUP),
                                              band_partitions(input_bytes))))
    if job.stages.decontaminate.enabled:
        stages.append((f"Judge-{DECONTAMINATE}", JudgeStage(DECONTAMINATE, plan_decontaminate(job))))
    if job.stages.pii.enabled:
        stages.append(("PiiScrub", PiiScrub(job.stages.pii, pii_key(job.stages.pii), _pii_sources(job))))
    return stages


def _pii_sources(job: JobConfig) -> frozenset[str]:
    return frozenset(s.name for s in job.sources if s.kind in job.stages.pii.kinds)


def build_pipeline(p: beam.Pipeline, job: JobConfig, units: list[InputUnit], trained: dict | None = None) -> None:
    """Add the job's transforms to `p` (`trained`: the model `train_job_model` made, if any)."""
    root = job.output.path
    reference = trained["reference"] if trained else None  # the LM's reference read, taken whole
    to_read = [u for u in units if not reference or u.source != trained["source"]]
    read = p | "ReadSources" >> ReadSources(job, to_read)
    branches, funnel, errors = dict(read[BRANCHES]), [read[FUNNEL]], [read[ERRORS]]
    if reference:
        reused = p | "ReusedReference" >> ReusedReference(reference)
        branches.update(reused[BRANCHES])
        funnel.append(reused[FUNNEL])
        errors.append(reused[ERRORS])
    input_bytes = sum(u.size for u in units)
    stages = _document_stages(job, trained, input_bytes)
    rejected = []
    # The leading per-document judges run on each branch of the read, fused with reading.
    while stages and isinstance(stages[0][1], JudgeStage):
        label, stage = stages.pop(0)
        results = each_branch(branches, label, stage)
        branches = {name: result["documents"] for name, result in results.items()}
        funnel += [result[FUNNEL] for result in results.values()]
        rejected += [result[REJECTED] for result in results.values()]
    # The branches stay apart until a stage needs one collection: stages that spill documents
    # (`takes_branches`) spill each branch where it is made, as a Flatten of documents would make
    # the FnApiRunner's driver hold every document between the stages.
    docs = tuple(branches.values())
    for label, stage in stages:
        if isinstance(docs, tuple) and not getattr(stage, "takes_branches", False):
            docs = docs | "MergeDocuments" >> beam.Flatten()
        result = docs | label >> stage
        docs = result["documents"]
        funnel.append(result[FUNNEL])
        rejected.append(result[REJECTED])

    num_shards = shard_count(input_bytes, job.output.input_bytes_per_shard)
    shards = docs | "WriteDocuments" >> WriteShards(root, DOCUMENTS, num_shards)
    _write_list(shards, join(root, STATS, "shards-documents.json"), "DocumentShards", key=lambda s: s["path"])
    if job.output.keep_rejected:
        rejected_shards = max(1, num_shards // REJECTED_SHARD_RATIO)
        all_rejected = tuple(rejected) if rejected else p | "NoRejected" >> beam.Create([])
        if rejected and job.stages.pii.enabled:  # what earlier stages dropped still holds PII: scrub it too
            # Gathered through spill files (as WriteShards gathers), so that one scrubber per
            # worker sees them all and the driver never holds them.
            all_rejected = (all_rejected
                            | "GatherRejected" >> SpillGroups(spill_folder(root, "rejected-unscrubbed"),
                                                              lambda d: shard_of(d.id, rejected_shards))
                            | "ReadRejected" >> beam.FlatMap(lambda group: read_spilled(group[1]))
                            | "ScrubRejected" >> ScrubRejected(job.stages.pii, pii_key(job.stages.pii),
                                                               _pii_sources(job)))
        rshards = all_rejected | "WriteRejected" >> WriteShards(root, REJECTED_DIR, rejected_shards, rejected=True)
        _write_list(rshards, join(root, STATS, "shards-rejected.json"), "RejectedShards", key=lambda s: s["path"])

    summed = tuple(funnel) | "FlattenFunnel" >> beam.Flatten() | "SumFunnel" >> beam.CombinePerKey(sum)
    _write_list(summed, join(root, STATS, "funnel.json"), "Funnel")
    _write_errors(tuple(errors) | "FlattenErrors" >> beam.Flatten(), join(root, STATS, "errors.jsonl"))


def _clear_previous_outputs(root: str) -> None:
    """Remove what an earlier run of this job wrote, so no stale shard survives beside new ones."""
    for pattern in (f"{DOCUMENTS}/part-*.parquet", f"{REJECTED_DIR}/part-*.parquet", f"{TOKENS_DIR}/*/part-*.arrow",
                    f"{STATS}/*", MANIFEST_NAME):
        try:
            delete_matching(join(root, pattern))
        except Exception:  # noqa: BLE001 - nothing to clear on a first run
            pass
    delete_spills(root)


def _with_default_options(beam_args: list[str]) -> list[str]:
    """Beam options as given, plus quieter SDK workers unless the user chose a log level."""
    if any(a.startswith("--default_sdk_harness_log_level") for a in beam_args):
        return list(beam_args)
    return [*beam_args, "--default_sdk_harness_log_level=WARNING"]


def _check_model_files(job: JobConfig) -> None:
    """Files the stages load in every worker must exist before the job starts, not fail there."""
    wanted = []
    if job.stages.decontaminate.enabled:
        wanted += [("stages.decontaminate.eval_sets", p) for p in job.stages.decontaminate.eval_sets]
    if job.stages.perplexity.enabled:
        wanted += [(f"stages.perplexity.models.{lang}", p) for lang, p in job.stages.perplexity.models.items()]
    if job.stages.langid.enabled and job.stages.langid.model:
        wanted.append(("stages.langid.model", job.stages.langid.model))
    for key, path in wanted:
        if not FileSystems.exists(path):
            raise InputError(f"{key}: file not found: {path}")


def run_job(job: JobConfig, beam_args: list[str]) -> str:
    """Run the job on the runner the Beam options name (DirectRunner by default).

    Returns the manifest's path. Raises `pipeline.inputs.InputError` before anything runs when
    an input is missing.
    """
    units = resolve_inputs(job)
    _check_model_files(job)
    root = job.output.path
    _clear_previous_outputs(root)
    options = PipelineOptions(_with_default_options(beam_args))
    started, t0 = datetime.now(timezone.utc), time.monotonic()
    phase = Phases()
    stage = job.stages.perplexity
    trained = train_job_model(job, options, phase) if stage.enabled and stage.train else None
    with phase("documents"), make_pipeline(options) as p:
        build_pipeline(p, job, units, trained)
    delete_spills(root)  # what retried bundles spilled and nothing read
    if trained and trained["reference"]:
        release_reference(trained["reference"])
    documents = read_json(join(root, STATS, "shards-documents.json"))
    tokens = None
    if job.stages.tokens.enabled:
        shard_paths = [join(root, shard["path"]) for shard in documents]
        with phase("tokenizer"):
            tokenizer = prepare_tokenizer(job, shard_paths)
        with phase("tokens"), make_pipeline(options) as p:
            build_token_pipeline(p, job, shard_paths, tokenizer, join(root, STATS))
        tokens = tokens_section(job, tokenizer, join(root, STATS))
    seconds = time.monotonic() - t0

    rejected_path = join(root, STATS, "shards-rejected.json")
    outputs = {"documents": (DOCUMENTS, documents)}
    if job.output.keep_rejected:
        outputs["rejected"] = (REJECTED_DIR, read_json(rejected_path))
    errors_path = join(root, STATS, "errors.jsonl")
    errors = [json.loads(line) for line in read_bytes(errors_path).decode("utf-8").splitlines() if line]
    funnel_rows = [(tuple(key), n) for key, n in read_json(join(root, STATS, "funnel.json"))]
    manifest = build_manifest(
        quarry_version=__version__,
        job_name=job.name,
        config=job.model_dump(mode="json"),
        run={
            "runner": runner_name(options),
            "pipeline_options": list(beam_args),
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "seconds": round(seconds, 3),
            "phases": phase.seconds,
        },
        inputs=[{"source": u.source, "uri": u.uri, "bytes": u.size, "tree": u.tree} for u in units],
        funnel=funnel_table(funnel_rows, STAGE_ORDER),
        outputs=outputs,
        errors=errors,
        errors_file=f"{STATS}/errors.jsonl" if errors else None,
        language_models=[{k: v for k, v in trained.items() if k not in ("uri", "reference")}] if trained else [],
        stage_stats={NEAR_DEDUP: read_json(_near_dedup_stats(job))} if job.stages.near_dedup.enabled else {},
        tokens=tokens,
    )
    path = join(root, MANIFEST_NAME)
    write_json_atomic(path, manifest)
    _check_outputs(path)
    return path


def _check_outputs(manifest_path: str) -> None:
    """Validate the manifest just written (`quarry manifest validate`), so a run whose funnel does
    not chain from stage to stage, or whose shards differ from what it lists, fails instead of
    looking fine: every document must be kept, dropped with a reason or errored. It is how
    Quarry caught Beam's FnApiRunner losing elements (`pipeline.runners.fix_input_race`)."""
    from manifests.validate import validate_manifest

    report = validate_manifest(manifest_path)
    if not report.ok:
        raise OutputCheckError(manifest_path, [str(problem) for problem in report.problems])
