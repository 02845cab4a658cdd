"""Main-text extractors compared on the demo corpus's ground truth: quality and speed.

    .venv/bin/python bench/extractors.py --size-mb 20

For every HTML page of the demo WARCs whose true main text is known, each extractor runs on the
same decoded HTML. Quality is word-level precision / recall / F1 against the true main text
(multiset of lowercased words: precision falls when boilerplate leaks in, recall when article
text is lost). Speed is pages/s and MB/s of HTML, extraction alone.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from warcio.archiveiterator import ArchiveIterator  # noqa: E402

from pipeline.demo import generate_demo  # noqa: E402
from pipeline.readers.html import decode_html, extract_main_text  # noqa: E402

WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in WORD.findall(text))


def load_pages(data: Path, limit: int) -> list[tuple[str, str, str]]:
    """(html, true main text, page layout) for pages the ground truth describes."""
    truth = {}
    with open(data / "ground_truth" / "web_pages.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            truth[row["url"]] = (row["main_text"], row["layout"])
    pages = []
    for warc in sorted((data / "web").glob("*.warc.gz")):
        with open(warc, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers.get_statuscode() != "200":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                ctype = record.http_headers.get_header("Content-Type") or ""
                if url not in truth or "html" not in ctype:
                    continue
                html = decode_html(record.content_stream().read(), ctype, errors="replace").text
                pages.append((html, *truth[url]))
                if len(pages) >= limit:
                    return pages
    return pages


def score(extractor: str, pages: list[tuple[str, str, str]]) -> dict:
    t0 = time.perf_counter()
    outputs = [extract_main_text(html, extractor).text for html, _, _ in pages]
    seconds = time.perf_counter() - t0
    result = _quality(outputs, pages)
    mb = sum(len(html.encode("utf-8")) for html, _, _ in pages) / 1e6
    result.update(extractor=extractor, pages=len(pages), pages_per_s=len(pages) / seconds, mb_per_s=mb / seconds)
    result["by_layout"] = {
        layout: _quality([o for o, p in zip(outputs, pages) if p[2] == layout], [p for p in pages if p[2] == layout])
        for layout in sorted({p[2] for p in pages})
    }
    return result


def _quality(outputs: list[str], pages: list[tuple[str, str, str]]) -> dict:
    tp = fp = fn = 0
    for out, (_, truth, _) in zip(outputs, pages):
        got, want = words(out), words(truth)
        overlap = sum((got & want).values())
        tp += overlap
        fp += sum(got.values()) - overlap
        fn += sum(want.values()) - overlap
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / max(precision + recall, 1e-9)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=20.0)
    parser.add_argument("--pages", type=int, default=2000, help="at most this many pages")
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    data = args.data or Path(".bench") / f"ingest-{args.size_mb:g}"
    if not (data / "web").exists():
        generate_demo(data, size_mb=args.size_mb, seed=0)
    pages = load_pages(data, args.pages)
    print(f"{'extractor':<12} {'pages':>6} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8} {'MB/s':>6}")
    results = [score(extractor, pages) for extractor in ("resiliparse", "trafilatura")]
    for r in results:
        print(f"{r['extractor']:<12} {r['pages']:>6} {r['precision']:>9.3f} {r['recall']:>7.3f} {r['f1']:>6.3f} "
              f"{r['pages_per_s']:>8.0f} {r['mb_per_s']:>6.2f}")
    print("\nF1 (precision / recall) by page layout:")
    for layout in results[0]["by_layout"]:
        cells = [f"{r['by_layout'][layout]['f1']:.3f} ({r['by_layout'][layout]['precision']:.3f} / "
                 f"{r['by_layout'][layout]['recall']:.3f})" for r in results]
        print(f"  {layout:<14} " + "   ".join(f"{r['extractor']}: {c}" for r, c in zip(results, cells)))


if __name__ == "__main__":
    main()
