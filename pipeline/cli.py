"""The `quarry` command line: run jobs, make the demo, inspect manifests.

Every expected failure (a bad job file, a missing input, an unreadable manifest) ends with one
line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

from pipeline.cli_common import fail as _fail

import argparse
import json
import logging
import sys
from pathlib import Path

from pipeline import __version__



def _run(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipeline.config import ConfigError, load_job
    from pipeline.inputs import InputError
    from pipeline.job import OutputCheckError, run_job

    try:
        job = load_job(args.job)
        manifest_path = run_job(job, beam_args)
    except (ConfigError, InputError) as exc:
        return _fail(str(exc))
    except OutputCheckError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return _fail(f"the run's outputs do not check out ({len(exc.problems)} problems above; manifest kept "
                     f"for inspection: {exc.manifest_path})")
    return _show_after_run(manifest_path, args.quiet)


def _show_after_run(manifest_path: str, quiet: bool) -> int:
    from manifests.show import load_manifest, render

    if not quiet:
        render(load_manifest(manifest_path))
    print(f"manifest: {manifest_path}")
    return 0


def _demo(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipeline.demo_job import run_demo

    try:
        manifest_path = run_demo(Path(args.out), size_mb=args.size_mb, seed=args.seed,
                                 data_only=args.data_only, beam_args=beam_args)
    except ValueError as exc:
        return _fail(str(exc))
    if manifest_path is None:
        return 0
    return _show_after_run(manifest_path, args.quiet)


def _manifest_show(args: argparse.Namespace, extra: list[str]) -> int:
    from manifests.schema import ManifestError
    from manifests.show import load_manifest, render

    try:
        manifest = load_manifest(args.path)
    except ManifestError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(manifest.model_dump(mode="json", by_alias=True), indent=2, sort_keys=True))
    else:
        render(manifest)
    if args.train_run:
        from manifests.show import manifest_path, render_training
        from manifests.training import load_train_run

        try:
            run = load_train_run(args.train_run)
        except ManifestError as exc:
            return _fail(str(exc))
        render_training(manifest, run, manifest_path(args.path))
    return 0


def _lm_train(args: argparse.Namespace, extra: list[str]) -> int:
    import time

    from filters.kenlm_build import KenLMBuildError
    from filters.perplexity import CorpusTooSmallError, LMTrainingError, train_lm
    from pipeline.lm_cli import LmInputError, texts_from

    started = time.monotonic()
    count = 0

    def counted():
        nonlocal count
        for text in texts_from(args.input, args.text_field):
            count += 1
            if count % 10_000 == 0:
                print(f"quarry lm train: {count:,} documents read", file=sys.stderr, flush=True)
            yield text

    try:
        out = train_lm(counted(), Path(args.out), order=args.order, memory=args.memory)
    except (LmInputError, CorpusTooSmallError, LMTrainingError, KenLMBuildError, ValueError) as exc:
        return _fail(str(exc).strip().splitlines()[0])
    print(f"trained a {args.order}-gram model on {count:,} documents in {time.monotonic() - started:,.1f} s: {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quarry",
        description="Quarry: a pretraining-data pipeline on Apache Beam. Raw WARC/WET, Wikipedia dumps, "
        "code repositories, books and JSONL/Parquet corpora in; clean sharded Parquet and a manifest out.",
    )
    parser.add_argument("--version", action="version", version=f"quarry {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run", help="run a job file on a Beam runner",
        description="Run JOB.yaml. Every argument after the job file that quarry does not know is passed "
        "to Beam unchanged: DirectRunner by default; '--direct_num_workers 2 --direct_running_mode "
        "multi_processing' uses two cores; '--runner DataflowRunner --project ...' and the Flink/Spark "
        "runners' flags pass through untouched.",
        epilog="example: quarry run job.yaml --direct_num_workers 2 --direct_running_mode multi_processing",
    )
    run.add_argument("job", help="the job file (YAML)")
    run.add_argument("--quiet", action="store_true", help="print only the manifest path at the end")
    run.set_defaults(handler=_run)

    demo = sub.add_parser(
        "demo", help="write the demo corpus and run the demo job on it",
        description="Write a deterministic multi-source demo corpus (WARC, WET, a MediaWiki dump, a git "
        "repository and code archives, Gutenberg books and an EPUB, plus ground truth) and run the demo "
        "job on it. Unknown arguments go to Beam, as for 'quarry run'.",
        epilog="example: quarry demo --out demo-out --size-mb 3",
    )
    demo.add_argument("--out", default="demo-out", help="folder for the corpus and the job output (default: demo-out)")
    demo.add_argument("--size-mb", type=float, default=3.0, help="approximate corpus size in MB (default: 3)")
    demo.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    demo.add_argument("--data-only", action="store_true", help="only write the corpus and the job file")
    demo.add_argument("--quiet", action="store_true", help="print only the manifest path at the end")
    demo.set_defaults(handler=_demo)

    lm = sub.add_parser("lm", help="KenLM language models for perplexity filtering")
    lmsub = lm.add_subparsers(dest="lm_command", required=True, metavar="SUBCOMMAND")
    train = lmsub.add_parser(
        "train", help="train a KenLM model with lmplz and build_binary",
        description="Train a KenLM n-gram model on documents, normalized the way the perplexity stage "
        "scores them (CCNet's normalization, one function for both). Inputs: .txt files (one document "
        "each), JSONL (a text field per line) or Parquet, including a Quarry job's documents/ shards.",
        epilog="example: quarry lm train --input 'demo-out/output/documents/*.parquet' --order 5 --out en.binary",
    )
    train.add_argument("--input", nargs="+", required=True, help="files or globs")
    train.add_argument("--order", type=int, default=5, help="n-gram order, 1-6 (default: 5, as CCNet)")
    train.add_argument("--out", required=True, help="the binary model to write")
    train.add_argument("--text-field", default="text", help="JSONL/Parquet text field (default: text)")
    train.add_argument("--memory", default="20%", help="lmplz sort memory, e.g. 2G or 20%% (default: 20%%)")
    train.set_defaults(handler=_lm_train)

    manifest = sub.add_parser("manifest", help="inspect a run's manifest")
    msub = manifest.add_subparsers(dest="manifest_command", required=True, metavar="SUBCOMMAND")
    show = msub.add_parser(
        "show", help="print a manifest as tables",
        description="Print a manifest's sources, funnel (per stage and source: in, kept, dropped by reason, "
        "errored), outputs and errors.",
        epilog="example: quarry manifest show demo-out/output/manifest.json",
    )
    show.add_argument("path", help="manifest.json or the job's output folder")
    show.add_argument("--json", action="store_true", help="print the manifest as JSON")
    show.add_argument("--train-run", metavar="DIR", help="also show a `quarry train` run on this manifest: "
                      "its realized training mix vs the manifest's target, and its loss")
    show.set_defaults(handler=_manifest_show)
    from manifests.commands import add_manifest_commands
    from pipeline.tokenizer_cli import add_tokenizer_commands

    add_manifest_commands(msub)
    add_tokenizer_commands(sub)
    from trainer.cli import add_train_command

    add_train_command(sub)
    return parser


class _DropBeamNoise(logging.Filter):
    """Beam's warnings that say nothing to a Quarry user (optional GCP libraries, worker set-up)."""

    NOISE = ("apitools not found", "semi_persistent_directory", "Discarding unparseable args")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(noise in message for noise in self.NOISE)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_DropBeamNoise())
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("run", "demo"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args.handler(args, extra)


if __name__ == "__main__":
    sys.exit(main())
