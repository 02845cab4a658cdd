"""datatrove's MinHash dedup (its four stages) over a JSONL of documents: speed, memory, removals.

Run it with the DATATROVE venv's python (datatrove is not a Quarry dependency; set-up in
bench/datatrove_filters.py). `bench/dedup.py` calls it once per corpus size:

    .bench/datatrove-venv/bin/python bench/datatrove_dedup.py DOCS.jsonl WORKDIR -o OUT.json

Measured, one core each:
- "signatures": `MinhashDedupSignature.get_shingles` + `get_signature` called per document on
  texts already in memory: datatrove's signature work without file I/O or the executor.
- The four pipeline stages with `LocalPipelineExecutor(workers=1)`, each timed with the same
  clock: 1 JsonlReader -> MinhashDedupSignature (tasks=1), 2 MinhashDedupBuckets (one task per
  band, run one after the other), 3 MinhashDedupCluster, 4 JsonlReader -> MinhashDedupFilter
  with an exclusion writer (the removed documents) -> JsonlWriter.
Settings: MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8, seed=1) with
datatrove's default hashing (64-bit xxhash); its English word tokenizer (blank spaCy) and
`simplify_text` normalization. Peak RSS is this process's VmHWM (all stages run in it).

No network: internet sockets are refused (the executor's local Unix socket works).
Needs `orjson` in the venv beside datatrove[processing] (JsonlReader).

Output JSON: {"datatrove_version", "n_docs", "signatures": {"seconds", "docs_per_s"},
"stages": {name: seconds}, "stage_seconds", "peak_rss_mb", "removed": [ids]}.
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import socket
import time
from pathlib import Path


_connect = socket.socket.connect


def _local_only(sock: socket.socket, address) -> None:
    """Unix sockets (the executor's process manager) pass; internet sockets are refused."""
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        raise OSError("network disabled in this benchmark")
    _connect(sock, address)


socket.socket.connect = _local_only  # type: ignore[method-assign]


def _peak_rss_mb() -> float:
    """Peak RSS (VmHWM), which, unlike ru_maxrss, a forked child does not inherit from its parent."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_signatures(texts: list[str], config) -> dict:
    from datatrove.pipeline.dedup.minhash import MinhashDedupSignature

    step = MinhashDedupSignature(output_folder="/tmp/unused-datatrove-sigs", config=config)
    step.get_signature(step.get_shingles(texts[0]))  # warm-up: tokenizer load, not timed
    t0 = time.perf_counter()
    for text in texts:
        shingles = step.get_shingles(text)
        if shingles.size:
            step.get_signature(shingles)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "docs_per_s": len(texts) / seconds}


def _run(pipeline, tasks: int, logs: Path) -> float:
    from datatrove.executor import LocalPipelineExecutor

    t0 = time.perf_counter()
    LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=str(logs),
                          skip_completed=False).run()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("docs", type=Path, help="JSONL with 'id' and 'text'")
    parser.add_argument("workdir", type=Path, help="scratch folder (emptied first)")
    parser.add_argument("-o", "--out", type=Path, required=True)
    parser.add_argument("--skip-signatures", action="store_true", help="only the four stages")
    args = parser.parse_args()

    from importlib.metadata import version
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    config = MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8, seed=1)
    texts = [json.loads(line)["text"] for line in args.docs.open(encoding="utf-8")]
    result: dict = {"datatrove_version": version("datatrove"), "n_docs": len(texts)}
    if not args.skip_signatures:
        result["signatures"] = _time_signatures(texts, config)
    del texts

    work = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    sigs, buckets, clusters = work / "signatures", work / "buckets", work / "remove_ids"
    removed_dir, kept_dir, logs = work / "removed", work / "kept", work / "logs"

    def reader():
        return JsonlReader(str(args.docs.parent), glob_pattern=args.docs.name)

    stages = {
        "1_signatures": _run([reader(), MinhashDedupSignature(output_folder=str(sigs), config=config)],
                             1, logs / "1"),
        "2_buckets": _run([MinhashDedupBuckets(input_folder=str(sigs), output_folder=str(buckets),
                                               config=config)], config.num_buckets, logs / "2"),
        "3_cluster": _run([MinhashDedupCluster(input_folder=str(buckets), output_folder=str(clusters),
                                               config=config)], 1, logs / "3"),
        "4_filter": _run([reader(), MinhashDedupFilter(input_folder=str(clusters),
                                                       exclusion_writer=JsonlWriter(str(removed_dir))),
                          JsonlWriter(str(kept_dir))], 1, logs / "4"),
    }
    removed = []
    for path in sorted(removed_dir.glob("*.jsonl*")):
        with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open() as f:
            removed.extend(json.loads(line)["id"] for line in f)
    result.update(stages=stages, stage_seconds=sum(stages.values()),
                  peak_rss_mb=_peak_rss_mb(), removed=removed)
    args.out.write_text(json.dumps(result))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
