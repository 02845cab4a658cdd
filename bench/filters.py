"""Quarry's judges beside datatrove's filters on the same documents: speed and agreement.

    .venv/bin/python bench/filters.py --size-mb 20

1. Writes (or reuses) a demo corpus and takes the true main text of every web page as the
   documents (`ground_truth/web_pages.jsonl`: 9 languages, planted spam, lorem ipsum, short
   pages and link lists among ordinary articles).
2. Runs `bench/datatrove_filters.py` with the datatrove venv's python (see that script for the
   venv's set-up; no network): datatrove's LanguageFilter, GopherRepetitionFilter,
   GopherQualityFilter, C4QualityFilter and FineWebQualityFilter, each over all documents, then
   the chain in FineWeb's order.
3. Runs Quarry's judges the same way in this process: each over all documents, then the chain,
   timed with the same clock, one core each.
4. Prints docs/s per filter and for the chain, and the keep/drop agreement per filter.

Quarry runs with datatrove's settings here wherever a setting exists on both sides (C4 with 5
sentences, 3 words per line, "'" as an end mark and no terminal-punctuation rule, as FineWeb
used it), so disagreements show definitions, not thresholds; they are explained in
BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from filters.c4 import C4Quality  # noqa: E402
from filters.fineweb import FineWebQuality  # noqa: E402
from filters.gopher import GopherQuality, GopherRepetition  # noqa: E402
from filters.langid import LanguageId  # noqa: E402
from filters.text_stats import C4_END_MARKS  # noqa: E402

DATATROVE_PYTHON = Path(".bench/datatrove-venv/bin/python")
ORDER = ["language", "gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"]
BATCH = 256


def quarry_judges() -> dict:
    return {
        "language": LanguageId(languages={"en"}, min_score=0.65),
        "gopher_repetition": GopherRepetition(),
        "gopher_quality": GopherQuality(),
        "c4_quality": C4Quality(min_sentences=5, min_words_per_line=3, end_marks=C4_END_MARKS + ("'",),
                                filter_no_terminal_punct=False),
        "fineweb_quality": FineWebQuality(),
    }


def _judge_all(judge, texts: list[str]) -> list:
    verdicts = []
    for i in range(0, len(texts), BATCH):
        verdicts.extend(judge.judge_batch(texts[i:i + BATCH]))
    return verdicts


def run_quarry(texts: list[str], repeat: int) -> dict:
    judges = quarry_judges()
    for judge in judges.values():
        judge.judge_batch(texts[:1])  # warm-up: model load, not timed
    results = {}
    for name, judge in judges.items():
        best = None
        for _ in range(repeat):
            t0 = time.perf_counter()
            verdicts = _judge_all(judge, texts)
            seconds = time.perf_counter() - t0
            best = seconds if best is None else min(best, seconds)
        results[name] = {"seconds": best, "keep": [v.reason is None for v in verdicts],
                         "reasons": [v.reason for v in verdicts]}
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        alive = list(range(len(texts)))
        for name in ORDER:
            verdicts = _judge_all(judges[name], [texts[i] for i in alive])
            alive = [i for i, v in zip(alive, verdicts) if v.reason is None]
        seconds = time.perf_counter() - t0
        best = seconds if best is None else min(best, seconds)
    results["chain"] = {"seconds": best, "kept": len(alive)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = Path(".bench") / f"ingest-{args.size_mb:g}"
    if not (data / "ground_truth" / "web_pages.jsonl").exists():
        from pipeline.demo import generate_demo

        generate_demo(data, size_mb=args.size_mb, seed=0)
    docs_path = data / "ground_truth" / "web_pages.jsonl"
    docs = [json.loads(line) for line in docs_path.read_text(encoding="utf-8").splitlines()]
    texts = [d["main_text"] for d in docs]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    if not DATATROVE_PYTHON.exists():
        sys.exit(f"no datatrove venv at {DATATROVE_PYTHON}: see bench/datatrove_filters.py for its set-up")
    out = Path(".bench") / "datatrove-filters.json"
    subprocess.run([str(DATATROVE_PYTHON), "bench/datatrove_filters.py", str(docs_path), "--id-field", "url",
                    "--text-field", "main_text", "--repeat", str(args.repeat), "-o", str(out)], check=True)
    dt = json.loads(out.read_text(encoding="utf-8"))
    dt_docs = {d["id"]: d for d in dt["documents"]}
    quarry = run_quarry(texts, args.repeat)

    print(f"{len(texts):,} documents, {mb:.1f} MB; one core each; best of {args.repeat}")
    print(f"{'filter':<18} {'datatrove docs/s':>16} {'quarry docs/s':>14} {'speed-up':>9} {'agreement':>10} {'disagree':>9}")
    for name in ORDER + ["chain"]:
        dt_s = dt["chain"]["seconds"] if name == "chain" else dt["filters"][name]["seconds"]
        q_s = quarry[name]["seconds"]
        if name == "chain":
            agree, differ = "", ""
        else:
            same = [quarry[name]["keep"][i] == dt_docs[d["url"]]["filters"][name]["keep"] for i, d in enumerate(docs)]
            agree, differ = f"{sum(same) / len(same):.4f}", f"{same.count(False):,}"
        print(f"{name:<18} {len(texts) / dt_s:>16,.0f} {len(texts) / q_s:>14,.0f} {dt_s / q_s:>8.2f}x {agree:>10} {differ:>9}")
    print(f"chain kept: datatrove {dt['chain']['kept']:,}, quarry {quarry['chain']['kept']:,}")
    for name in ORDER:
        pairs: dict[tuple, int] = {}
        for i, d in enumerate(docs):
            theirs = dt_docs[d["url"]]["filters"][name]
            if quarry[name]["keep"][i] != theirs["keep"]:
                key = (quarry[name]["reasons"][i], theirs.get("reason"))
                pairs[key] = pairs.get(key, 0) + 1
        for (ours, theirs), n in sorted(pairs.items(), key=lambda kv: -kv[1])[:5]:
            print(f"  {name}: quarry {ours or 'keep'} / datatrove {theirs or 'keep'}: {n}")


if __name__ == "__main__":
    main()
