"""Scale on one machine: the demo job at several input sizes with 1 and 2 Beam workers.

    .venv/bin/python bench/scale.py --sizes 20 --workers 1 2          # the speedup on 2 cores
    .venv/bin/python bench/scale.py --sizes 20 100 2000 --workers 2   # cost per document vs size

For each size the demo corpus is generated once (`quarry demo --data-only`, cached under
.bench/scale-<MB>/), then for each worker count the whole demo job runs as a subprocess, one run
after the other:

    quarry run JOB --quiet --direct_num_workers=W --direct_running_mode=multi_processing

That is every stage of the demo: the KenLM model trained from the job's Wikipedia, language ID,
quality rules, perplexity, exact and near dedup, decontamination, PII, Parquet shards, the
tokenizer trained on the clean documents and the token shards. Measured from outside (bench/e2e.py's
subreaper): wall and CPU seconds of the whole process tree and its peak RSS; from the manifest:
the phases (LM reference reading, LM training, document pipeline, tokenizer, token pipeline) and
the documents read. Each manifest is validated first (`quarry manifest validate`: the funnel
chains from stage to stage, the shards hold what it says), so a run that lost documents gives
no figures. Printed: documents/s, wall and CPU microseconds per input document, the speedup of
W workers over 1 at each size, and the cost per document at each size relative to the
smallest (flat = 1.0).

Fixed costs (process and worker start-up, model loading, tokenizer training, which HF tokenizers
already spreads over both cores) weigh on small sizes: compare the speedup at the sizes you run.

`--stages` runs the job through bench/stage_times.py, which logs the FnApiRunner's bundle times,
and prints every fused stage of a second or more with its time at each worker count: the stages
whose time does not halve are where the speedup is lost.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.e2e import measure  # noqa: E402  (the subreaper: CPU and RSS of the whole tree)
from bench.stage_times import short_name, stage_durations, stage_key  # noqa: E402
from manifests.validate import validate_manifest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
QUARRY = [sys.executable, "-m", "pipeline"]


def corpus(size_mb: float, root: Path) -> Path:
    """The demo job file for a corpus of about `size_mb` MB, generated once."""
    out = root / f"scale-{size_mb:g}"
    job = out / "demo-job.yaml"
    if not job.exists():
        subprocess.run([*QUARRY, "demo", "--out", str(out), "--size-mb", f"{size_mb:g}", "--data-only"],
                       cwd=REPO, check=True)
    return job


def read_in(manifest: dict) -> int:
    """Input units the read stage met (every WARC record, page, file): the documents in."""
    return sum(row["in"] for row in manifest["funnel"] if row["stage"] == "read")


def run_once(job: Path, workers: int, logs: Path, stages: bool = False) -> dict:
    quarry, env = QUARRY, None
    stage_log = logs / f"{job.parent.name}-w{workers}.stages.jsonl"
    if stages:
        stage_log.parent.mkdir(parents=True, exist_ok=True)
        stage_log.unlink(missing_ok=True)
        quarry, env = [sys.executable, str(REPO / "bench" / "stage_times.py")], {**os.environ, "STAGE_LOG": str(stage_log)}
    cmd = [*quarry, "run", str(job), "--quiet", f"--direct_num_workers={workers}",
           "--direct_running_mode=multi_processing"]
    result = measure(cmd, logs / f"{job.parent.name}-w{workers}.log", env=env)
    if result["returncode"] != 0:
        raise SystemExit(f"quarry run failed (exit {result['returncode']}); see {result['log']}")
    report = validate_manifest(str(job.parent / "output"))
    if not report.ok:  # a fast run that lost documents is no result
        raise SystemExit("the run's manifest does not check out:\n" + "\n".join(map(str, report.problems)))
    manifest = json.loads((job.parent / "output" / "manifest.json").read_text())
    docs = read_in(manifest)
    input_bytes = sum(i["bytes"] for i in manifest["inputs"])
    return {"size_mb": input_bytes / 1e6, "workers": workers, "docs_in": docs, "wall_s": result["wall_s"],
            "cpu_s": result["cpu_s"], "peak_tree_rss_mb": result["peak_tree_rss_mb"],
            "docs_per_s": docs / result["wall_s"], "wall_us_per_doc": result["wall_s"] / docs * 1e6,
            "cpu_us_per_doc": result["cpu_s"] / docs * 1e6, "phases": manifest["run"].get("phases", {}),
            "stages": list(stage_durations(stage_log).items()) if stages else []}


PHASES = ("lm_reference", "lm_training", "documents", "tokenizer", "tokens")


def report(rows: list[dict]) -> str:
    lines = ["| input MB | workers | docs in | wall s | CPU s | docs/s | wall µs/doc | CPU µs/doc | peak RSS MB | "
             + " | ".join(f"{p} s" for p in PHASES) + " |", "|" + "---|" * (9 + len(PHASES))]
    for r in rows:
        lines.append(f"| {r['size_mb']:,.1f} | {r['workers']} | {r['docs_in']:,} | {r['wall_s']:,.1f} | "
                     f"{r['cpu_s']:,.1f} | {r['docs_per_s']:,.0f} | {r['wall_us_per_doc']:,.0f} | "
                     f"{r['cpu_us_per_doc']:,.0f} | {r['peak_tree_rss_mb']:,.0f} | "
                     + " | ".join(f"{r['phases'].get(p, 0):,.1f}" for p in PHASES) + " |")
    lines.append("")
    sizes = sorted({r["size_mb"] for r in rows})
    for size in sizes:
        by_w = {r["workers"]: r for r in rows if r["size_mb"] == size}
        for w, r in sorted(by_w.items()):
            if w != 1 and 1 in by_w:
                lines.append(f"{size:,.1f} MB: {w} workers are {by_w[1]['wall_s'] / r['wall_s']:.2f}x one worker "
                             f"(documents phase {by_w[1]['phases'].get('documents', 0) / max(r['phases'].get('documents', 0), 1e-9):.2f}x)")
    lines += stage_report(rows)
    for w in sorted({r["workers"] for r in rows}):
        same = sorted((r for r in rows if r["workers"] == w), key=lambda r: r["size_mb"])
        if len(same) > 1:
            base = same[0]
            lines.append(f"{w} worker(s): wall µs/doc relative to {base['size_mb']:,.1f} MB: " + ", ".join(
                f"{r['size_mb']:,.1f} MB {r['wall_us_per_doc'] / base['wall_us_per_doc']:.2f}x" for r in same[1:]))
    return "\n".join(lines)


def stage_report(rows: list[dict], min_seconds: float = 1.0) -> list[str]:
    """Per size: each fused stage of `min_seconds` or more at every worker count, and 1 worker / W."""
    lines = []
    for size in sorted({r["size_mb"] for r in rows}):
        runs = sorted((r for r in rows if r["size_mb"] == size and r["stages"]), key=lambda r: r["workers"])
        if not runs:
            continue
        times, names = [], {}
        for r in runs:
            by_key: dict[str, float] = {}
            for name, seconds in r["stages"]:
                key = stage_key(name)
                by_key[key] = by_key.get(key, 0.0) + seconds
                names.setdefault(key, short_name(name))
            times.append(by_key)
        lines += ["", f"{size:,.1f} MB, fused stages (s): " + " | ".join(f"{r['workers']} worker(s)" for r in runs)]
        for key, name in names.items():
            row = [t.get(key, 0.0) for t in times]
            if max(row) < min_seconds:
                continue
            ratio = f"  ({row[0] / row[-1]:.2f}x)" if runs[0]["workers"] == 1 and len(runs) > 1 and row[-1] else ""
            lines.append(f"  {' | '.join(f'{t:7.1f}' for t in row)}{ratio}  {name}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[20.0], help="demo corpus sizes in MB")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to run")
    ap.add_argument("--root", type=Path, default=REPO / ".bench", help="where the corpora and logs go")
    ap.add_argument("-o", "--output", type=Path, help="write every figure here as JSON")
    ap.add_argument("--stages", action="store_true", help="log and print the time of every fused stage")
    args = ap.parse_args(argv)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}", flush=True)
    rows = []
    for size in args.sizes:
        job = corpus(size, args.root)
        for workers in args.workers:
            row = run_once(job, workers, args.root / "scale-logs", args.stages)
            print(f"{row['size_mb']:,.1f} MB, {workers} worker(s): {row['wall_s']:,.1f} s, "
                  f"{row['docs_per_s']:,.0f} docs/s, phases {row['phases']}", flush=True)
            rows.append(row)
    print(report(rows))
    if args.output:
        args.output.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
