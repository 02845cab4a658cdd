"""Near-duplicate removal at 10k, 100k and 1M documents: Quarry beside datasketch and datatrove.

    .venv/bin/python bench/dedup.py --sizes 10000 100000 1000000

1. Writes (or reuses) `.bench/dedup/docs-N.jsonl`: N short generated documents (40-120 words
   from a 30,000-word Zipf vocabulary; ids in order). One document in ten is a planted copy of
   an earlier document with a fraction of its words substituted (0 to 15 %); its true Jaccard
   on word 5-gram shingles is stored beside it, so every tool's removals can be checked.
2. Each measurement runs in a fresh process (peak RSS is that process's VmHWM):
   - quarry-signatures: `MinHasher.signatures` on batches of 1,024 texts in memory.
   - datasketch-signatures: `MinHash.bulk` (datasketch's batch API, one permutation draw) over
     the same shingles; the signatures are checked bit-identical to Quarry's.
   - datasketch-lsh: datasketch's in-memory `MinHashLSH` (14 bands x 8 rows): insert every
     signature, query every document, clusters by union-find, lowest id kept. Signature time
     included, as it is in the other whole-stage figures.
   - quarry-stage: the `NearDedup` Beam transform on the DirectRunner (one worker), reading the
     JSONL with `ReadFromText`; `quarry-read` is the same pipeline without the stage. The
     stage's cost is the difference, so Beam's start-up and JSON parsing are not charged to it.
   - datatrove: `bench/datatrove_dedup.py` in datatrove's venv: its signature work alone, then
     its four MinHash stages with one worker (above 100k documents only the stages: its
     signature rate is flat in corpus size and the separate pass would add 20 minutes at 1M).
   All use 5-gram shingles, 112 permutations in 14 bands of 8, seed 1, no verification.
3. Prints docs/s, peak RSS and, per tool, the share of planted pairs at true Jaccard >= 0.85 it
   merged (recall), how many pairs at < 0.7 it merged, and how many documents outside any planted
   pair it removed (false merges; the generated texts share no passages otherwise).

--datasketch-max and --datatrove-max skip those tools above a corpus size (datatrove needs about
45 minutes for 1M documents here). Peak RSS is VmHWM, which a forked child does not inherit.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedup.clusters import UnionFind  # noqa: E402
from dedup.minhash import MinHasher, shingles  # noqa: E402

DATATROVE_PYTHON = ROOT / ".bench/datatrove-venv/bin/python"
WORK = ROOT / ".bench/dedup"
NUM_PERM, BANDS, ROWS, NGRAM, SEED = 112, 14, 8, 5, 1
BATCH = 1024
COPY_EVERY = 10
EDIT_RATES = (0.0, 0.01, 0.02, 0.04, 0.08, 0.15)


# --- corpus ---------------------------------------------------------------------------------

def _vocabulary(rng: np.random.Generator, size: int = 30_000) -> np.ndarray:
    syllables = np.array([c + v for c in "bcdfghklmnprstvz" for v in "aeiou"])
    words = {"".join(rng.choice(syllables, rng.integers(1, 4))) for _ in range(size * 2)}
    return np.array(sorted(words)[:size])


def _jaccard(a: list[str], b: list[str], n: int = NGRAM) -> float:
    sa = {tuple(a[i:i + n]) for i in range(len(a) - n + 1)}
    sb = {tuple(b[i:i + n]) for i in range(len(b) - n + 1)}
    return len(sa & sb) / len(sa | sb)


def write_corpus(path: Path, n_docs: int, seed: int = 7) -> None:
    """N documents, every COPY_EVERY-th a planted edited copy of an earlier one (true Jaccard kept)."""
    rng = np.random.default_rng(seed)
    vocab = _vocabulary(rng)
    ranks = np.arange(1, len(vocab) + 1)
    probs = (1 / ranks) / (1 / ranks).sum()
    lengths = rng.integers(40, 121, n_docs)
    words = vocab[rng.choice(len(vocab), int(lengths.sum()), p=probs)]
    starts = np.r_[0, np.cumsum(lengths)]
    docs: list[list[str]] = []
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for i in range(n_docs):
            copy_of, jaccard = None, None
            if i % COPY_EVERY == COPY_EVERY - 1:
                copy_of = int(rng.integers(0, i))
                doc = list(docs[copy_of])
                rate = EDIT_RATES[(i // COPY_EVERY) % len(EDIT_RATES)]
                for pos in rng.choice(len(doc), int(round(rate * len(doc))), replace=False):
                    doc[pos] = str(vocab[rng.integers(len(vocab))])
                jaccard = round(_jaccard(docs[copy_of], doc), 4)
            else:
                doc = words[starts[i]:starts[i + 1]].tolist()
            docs.append(doc)
            f.write(json.dumps({"id": f"{i:08d}", "text": " ".join(doc) + ".",
                                "copy_of": None if copy_of is None else f"{copy_of:08d}",
                                "jaccard": jaccard}) + "\n")
    tmp.rename(path)


def corpus(n_docs: int) -> Path:
    path = WORK / f"docs-{n_docs}.jsonl"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        write_corpus(path, n_docs)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def _load(path: Path) -> tuple[list[str], list[str]]:
    ids, texts = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            ids.append(row["id"])
            texts.append(row["text"])
    return ids, texts


# --- measurements, each in its own process ---------------------------------------------------

def _peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM): unlike ru_maxrss it is not inherited from the forking parent."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_quarry_signatures(path: Path) -> dict:
    _, texts = _load(path)
    hasher = MinHasher(num_perm=NUM_PERM, seed=SEED, n=NGRAM)
    t0 = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        hasher.signatures(texts[i:i + BATCH])
    return {"seconds": time.perf_counter() - t0}


def _datasketch_signatures(texts: list[str]):
    from datasketch import MinHash

    return MinHash.bulk((shingles(t, NGRAM) for t in texts), num_perm=NUM_PERM, seed=SEED,
                          scheme="legacy")  # Quarry's default scheme


def measure_datasketch_signatures(path: Path) -> dict:
    _, texts = _load(path)
    t0 = time.perf_counter()
    sigs = _datasketch_signatures(texts)
    seconds = time.perf_counter() - t0
    sample = slice(0, min(len(texts), 2000))
    ours = MinHasher(num_perm=NUM_PERM, seed=SEED, n=NGRAM).signatures(texts[sample])
    identical = bool(np.array_equal(ours, np.array([m.hashvalues for m in sigs[sample]])))
    return {"seconds": seconds, "identical_to_quarry": identical}


def measure_datasketch_lsh(path: Path) -> dict:
    from datasketch import MinHashLSH

    ids, texts = _load(path)
    t0 = time.perf_counter()
    sigs = _datasketch_signatures(texts)
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    for doc_id, sig in zip(ids, sigs):
        lsh.insert(doc_id, sig)
    uf = UnionFind()
    for doc_id, sig in zip(ids, sigs):
        for other in lsh.query(sig):
            if other != doc_id:
                uf.union(doc_id, other)
    removed = [m for label, members in uf.components().items() for m in members if m != min(members)]
    return {"seconds": time.perf_counter() - t0, "removed": removed}


def _beam_pipeline(path: Path, with_stage: bool, out: Path) -> None:
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipeline.config import NearDedupStage
    from pipeline.document import Document
    from pipeline.funnel import REJECTED
    from pipeline.near_dedup import NearDedup
    from pipeline.runners import make_pipeline

    def parse(line: str) -> Document:
        row = json.loads(line)
        return Document(id=row["id"], source="bench", kind="jsonl", text=row["text"])

    with make_pipeline(PipelineOptions()) as p:
        docs = p | beam.io.ReadFromText(str(path)) | "Parse" >> beam.Map(parse)
        if with_stage:
            result = docs | NearDedup(NearDedupStage(enabled=True, num_perm=NUM_PERM, bands=BANDS, rows=ROWS,
                                                     ngram=NGRAM, seed=SEED), str(out / "stats.json"),
                                  str(out / "spills"))
            (result[REJECTED] | "RemovedIds" >> beam.Map(lambda d: d.id)
             | "WriteRemoved" >> beam.io.WriteToText(str(out / "removed"), num_shards=1))
            docs = result["documents"]
        docs | beam.combiners.Count.Globally() | beam.Map(lambda n: (out / "count").write_text(str(n)))


def _measure_beam(path: Path, with_stage: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        _beam_pipeline(path, with_stage, out)
        seconds = time.perf_counter() - t0
        result = {"seconds": seconds, "kept": int((out / "count").read_text())}
        if with_stage:
            result["removed"] = (out / "removed-00000-of-00001").read_text().split()
        return result


MEASURES = {
    "quarry-signatures": measure_quarry_signatures,
    "datasketch-signatures": measure_datasketch_signatures,
    "datasketch-lsh": measure_datasketch_lsh,
    "quarry-read": lambda path: _measure_beam(path, with_stage=False),
    "quarry-stage": lambda path: _measure_beam(path, with_stage=True),
}


def run_measure(name: str, path: Path) -> dict:
    """Run one measurement in a fresh interpreter so its peak RSS is its own."""
    proc = subprocess.run([sys.executable, __file__, "--measure", name, str(path)], capture_output=True,
                          text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"{name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_datatrove(path: Path, n_docs: int) -> dict | None:
    if not DATATROVE_PYTHON.exists():
        print(f"(datatrove skipped: {DATATROVE_PYTHON} missing; see bench/datatrove_filters.py)")
        return None
    out = WORK / f"datatrove-{path.stem}.json"
    cmd = [str(DATATROVE_PYTHON), str(ROOT / "bench/datatrove_dedup.py"), str(path),
           str(WORK / "datatrove-work"), "-o", str(out)]
    if n_docs > 100_000:
        cmd.append("--skip-signatures")
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"datatrove failed:\n{proc.stderr[-3000:]}")
    return json.loads(out.read_text())


# --- report ----------------------------------------------------------------------------------

def _truth(path: Path) -> dict[str, tuple[str, float]]:
    """Planted copies: copy id -> (id of the document it copies, true 5-gram Jaccard)."""
    copies = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["copy_of"] is not None:
                copies[row["id"]] = (row["copy_of"], row["jaccard"])
    return copies


def _quality(removed: list[str], copies: dict[str, tuple[str, float]]) -> str:
    """A planted pair is found when either side is removed: tools differ in which one they keep
    (Quarry and the datasketch loop keep the lowest id; datatrove keeps its union-find root)."""
    gone = set(removed)
    high = [(c, o) for c, (o, j) in copies.items() if j >= 0.85]
    low = [(c, o) for c, (o, j) in copies.items() if j < 0.7]
    found_high = sum(c in gone or o in gone for c, o in high) / max(1, len(high))
    found_low = sum(c in gone or o in gone for c, o in low)
    in_pairs = set(copies) | {o for o, _ in copies.values()}
    outside = len(gone - in_pairs)
    return (f"recall@J>=0.85 {found_high:.3f}  merged@J<0.7 {found_low}/{len(low)}  "
            f"removed outside planted pairs {outside}")


def bench_size(n_docs: int, datasketch_max: int, datatrove_max: int) -> list[str]:
    path = corpus(n_docs)
    copies = _truth(path)
    rows = []
    results = {"quarry-signatures": run_measure("quarry-signatures", path)}
    if n_docs <= datasketch_max:
        results["datasketch-signatures"] = run_measure("datasketch-signatures", path)
    dt = run_datatrove(path, n_docs) if n_docs <= datatrove_max else None
    results["quarry-read"] = run_measure("quarry-read", path)
    results["quarry-stage"] = run_measure("quarry-stage", path)
    if n_docs <= datasketch_max:
        results["datasketch-lsh"] = run_measure("datasketch-lsh", path)

    def line(label: str, seconds: float, rss: float | None, extra: str = "") -> str:
        us = seconds / n_docs * 1e6
        rss_s = f"{rss:8.0f}" if rss is not None else "       -"
        return f"{n_docs:>9,} {label:<34} {n_docs / seconds:>10,.0f} {us:>9.1f} {rss_s}  {extra}"

    q = results["quarry-signatures"]
    rows.append(line("signatures  quarry (numpy batch)", q["seconds"], q["peak_rss_mb"]))
    if "datasketch-signatures" in results:
        d = results["datasketch-signatures"]
        rows.append(line("signatures  datasketch MinHash.bulk", d["seconds"], d["peak_rss_mb"],
                         f"bit-identical: {d['identical_to_quarry']}"))
    if dt and "signatures" in dt:
        rows.append(line("signatures  datatrove", dt["signatures"]["seconds"], None,
                         f"quarry/datatrove {dt['signatures']['seconds'] / q['seconds']:.2f}x"))
    read, stage = results["quarry-read"], results["quarry-stage"]
    rows.append(line("pipeline    quarry read only (beam)", read["seconds"], read["peak_rss_mb"]))
    rows.append(line("pipeline    quarry read + near_dedup", stage["seconds"], stage["peak_rss_mb"],
                     _quality(stage["removed"], copies)))
    rows.append(line("stage       quarry near_dedup (diff)", stage["seconds"] - read["seconds"], None))
    if "datasketch-lsh" in results:
        lsh = results["datasketch-lsh"]
        rows.append(line("stage       datasketch MinHashLSH", lsh["seconds"], lsh["peak_rss_mb"],
                         _quality(lsh["removed"], copies)))
    if dt:
        stages = " ".join(f"{k[2:]} {v:.1f}s" for k, v in dt["stages"].items())
        rows.append(line("stage       datatrove 4 stages", dt["stage_seconds"], dt["peak_rss_mb"],
                         _quality(dt["removed"], copies) + f"  [{stages}]"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description="Near-dedup benchmark: Quarry vs datasketch vs datatrove.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--datasketch-max", type=int, default=10**9,
                        help="skip datasketch (signatures and in-memory LSH) above this many documents")
    parser.add_argument("--datatrove-max", type=int, default=10**9,
                        help="skip datatrove above this many documents")
    parser.add_argument("--measure", nargs=2, metavar=("NAME", "DOCS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        name, path = args.measure
        result = MEASURES[name](Path(path))
        result["peak_rss_mb"] = _peak_rss_mb()
        print(json.dumps(result))
        return
    print(f"{'docs':>9} {'measure':<34} {'docs/s':>10} {'us/doc':>9} {'RSS MB':>8}")
    for n_docs in args.sizes:
        for row in bench_size(n_docs, args.datasketch_max, args.datatrove_max):
            print(row, flush=True)


if __name__ == "__main__":
    main()
