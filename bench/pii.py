"""PII scrubbing throughput: Quarry's stage core beside plain presidio on the same documents.

    .venv/bin/python bench/pii.py --size-mb 20

1. Writes (or reuses) a demo corpus and takes the true main text of every web page
   (`ground_truth/web_pages.jsonl`: nine languages, PII planted in some pages the way the demo
   plants it: e-mails, phones, IPs, cards, IBANs, SSNs), and the text files of the demo's git repository.
2. Times, one core, best of --repeat:
   - plain presidio: `AnalyzerEngine.analyze(text, language="en", entities, score_threshold)` on
     every whole document, with the recognizers and settings of Quarry's stage (built offline
     the same way; `PiiScrubber.plain_find`). Finding only, no replacement.
   - Quarry: `PiiScrubber.scrub` (prefilter, presidio on the windows that need it, replacement)
     with the pipeline's default settings (`stages.pii` defaults).
3. Prints documents/s and MB/s for both, the speed-up, the share of documents the prefilter let
   through to presidio, and parity: the share of plain presidio's spans that Quarry also finds.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from filters.pii import SPACY_MAX_LENGTH  # noqa: E402
from pipeline.config import PiiStage  # noqa: E402
from pipeline.demo import generate_demo  # noqa: E402


def load_docs(size_mb: float) -> dict[str, list[str]]:
    demo = ROOT / f".bench/demo-pii-{size_mb:g}"
    if not (demo / "ground_truth.json").exists():
        generate_demo(demo, size_mb=size_mb)
    pages = [json.loads(line) for line in (demo / "ground_truth/web_pages.jsonl").open(encoding="utf-8")]
    web = [p["main_text"] for p in pages if p.get("main_text")]
    code = []
    for path in sorted((demo / "code" / "demo-repo").rglob("*")):
        if path.is_file() and ".git" not in path.parts:
            data = path.read_bytes()
            if b"\0" not in data:
                code.append(data.decode("utf-8", errors="replace"))
    return {"web": web, "code": code}


def timed(fn, docs: list[str], repeat: int) -> tuple[float, list]:
    best, out = float("inf"), []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = [fn(d) for d in docs]
        best = min(best, time.perf_counter() - t0)
    return best, out


def bench(name: str, docs: list[str], repeat: int) -> None:
    scrubber = PiiStage(enabled=True).scrubber(None)
    too_long = [d for d in docs if len(d) >= SPACY_MAX_LENGTH]
    if too_long:  # plain presidio refuses them (spaCy E088); Quarry windows them
        results = [scrubber.scrub(d) for d in too_long]
        print(f"{name}: {len(too_long)} document(s) over spaCy's max_length left out of the comparison "
              f"(plain presidio raises E088); quarry scrubbed them: {[r.outcome for r in results]}")
        docs = [d for d in docs if len(d) < SPACY_MAX_LENGTH]
    warm = docs[: min(20, len(docs))]
    for d in warm:  # recognizers, phonenumbers metadata, caches: not timed
        scrubber.scrub(d)
        scrubber.plain_find(d)
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    plain_s, plain = timed(scrubber.plain_find, docs, repeat)
    quarry_s, results = timed(scrubber.scrub, docs, repeat)
    found = [scrubber.find(d) for d in docs]
    plain_spans = sum(len(p) for p in plain)
    matched = sum(len(set(p) & set(f)) for p, f in zip(plain, found))
    analyzed = sum(r.analyzed_chars > 0 for r in results)
    with_pii = sum(bool(p) for p in plain)
    print(f"{name}: {len(docs):,} documents, {mb:.1f} MB; {with_pii:,} with a plain-presidio finding; "
          f"{analyzed:,} ({analyzed / len(docs):.0%}) reached presidio through the prefilter")
    print(f"  plain presidio   {len(docs) / plain_s:>9,.0f} docs/s {mb / plain_s:>7.2f} MB/s")
    print(f"  quarry           {len(docs) / quarry_s:>9,.0f} docs/s {mb / quarry_s:>7.2f} MB/s   "
          f"speed-up {plain_s / quarry_s:.1f}x")
    print(f"  parity: {matched:,}/{plain_spans:,} plain spans found by quarry "
          f"({matched / max(1, plain_spans):.4f}); timed out: {sum(r.timed_out for r in results)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=20, help="demo corpus size")
    parser.add_argument("--repeat", type=int, default=1, help="best of this many timed passes")
    args = parser.parse_args()
    for name, docs in load_docs(args.size_mb).items():
        if docs:
            bench(name, docs, args.repeat)


if __name__ == "__main__":
    main()
