"""`quarry manifest diff | validate | report`: registered under the `quarry manifest` subcommand.

`pipeline.cli.build_parser` calls `add_manifest_commands(msub)`; each handler takes
`(args, extra)` and returns the exit status. Expected failures (an unreadable manifest, an
unwritable report) are one `quarry: error: ...` line on stderr and exit 2.
"""
from __future__ import annotations

from pipeline.cli_common import fail as _fail

import argparse
import json

EXIT_INVALID = 1


def _diff(args: argparse.Namespace, extra: list[str]) -> int:
    from manifests.diff import diff_manifests, render_diff
    from manifests.schema import ManifestError
    from manifests.show import load_manifest, manifest_path

    try:
        old, new = load_manifest(args.old), load_manifest(args.new)
    except ManifestError as exc:
        return _fail(str(exc))
    result = diff_manifests(old, new, manifest_path(args.old), manifest_path(args.new))
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        render_diff(result)
    return 0


def _validate(args: argparse.Namespace, extra: list[str]) -> int:
    from manifests.schema import ManifestError
    from manifests.validate import validate_manifest

    try:
        report = validate_manifest(args.path)
    except ManifestError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(report.to_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for problem in report.problems:
            print(problem)
        checked = report.checked
        what = (f"{checked.get('shards', 0):,} shards, {checked.get('token_shards', 0):,} token shards, "
                f"{checked.get('funnel_rows', 0):,} funnel rows, {checked.get('language_models', 0):,} language models")
        if report.ok:
            print(f"ok: {report.manifest}: {what} checked")
        else:
            print(f"{len(report.problems):,} problems: {report.manifest} ({what} checked)")
    return 0 if report.ok else EXIT_INVALID


def _report(args: argparse.Namespace, extra: list[str]) -> int:
    from manifests.report import write_report
    from manifests.schema import ManifestError

    try:
        out = write_report(args.path, args.html, args.train_run)
    except ManifestError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {args.html}: {exc.strerror or exc}")
    print(f"report: {out}")
    return 0


def add_manifest_commands(msub: argparse._SubParsersAction) -> None:
    """Register `diff`, `validate` and `report` under `quarry manifest`."""
    diff = msub.add_parser(
        "diff", help="what changed between two runs",
        description="Compare two runs' manifests: config (flattened keys, old -> new), inputs added/removed/"
        "changed, the funnel per stage and source with deltas, per-source documents/characters/languages/PII, "
        "outputs (shards, documents, changed checksums), the token section when present, and the quarry "
        "version. Run timestamps and durations are shown but not counted as differences.",
        epilog="example: quarry manifest diff run-a/output run-b/output --json",
    )
    diff.add_argument("old", help="the first (old) manifest.json or output folder")
    diff.add_argument("new", help="the second (new) manifest.json or output folder")
    diff.add_argument("--json", action="store_true", help="print the differences as JSON")
    diff.set_defaults(handler=_diff)

    validate = msub.add_parser(
        "validate", help="re-check every file and figure a manifest claims",
        description="Check each shard the manifest lists (exists, bytes, sha256, rows, schema, sorted ids, "
        "per-source figures), the per-source totals, the funnel's accounting, the language models and, when "
        "present, the tokenizer and token shards (bytes, sha256, rows, tokens, schema metadata) and the "
        "split and mix totals. One line per problem; exit 1 on any, 0 when all is as claimed, 2 when the "
        "manifest cannot be read.",
        epilog="example: quarry manifest validate demo-out/output",
    )
    validate.add_argument("path", help="manifest.json or the job's output folder")
    validate.add_argument("--json", action="store_true", help="print the result as JSON")
    validate.set_defaults(handler=_validate)

    report = msub.add_parser(
        "report", help="write a self-contained HTML report of a run",
        description="Write one HTML page (inline SVG charts, no scripts or external files): summary, funnel "
        "per stage, top drop reasons, per-source table, languages, token mix and token-length histogram "
        "(when the run made tokens), perplexity histogram, shards, errors and config.",
        epilog="example: quarry manifest report demo-out/output --html report.html",
    )
    report.add_argument("path", help="manifest.json or the job's output folder")
    report.add_argument("--html", required=True, metavar="OUT.html", help="the page to write")
    report.add_argument("--train-run", metavar="DIR", help="a `quarry train` run folder on this manifest: adds "
                        "its loss curve and the realized training mix vs the manifest's target")
    report.set_defaults(handler=_report)
