"""Perplexity judge throughput on ~2 KB documents, one process (one core).

    .venv/bin/python bench/perplexity.py [LANG ...]      (default: en de fr ru)

Trains a 5-gram on 3,000 generated demo articles of each language, then times `lm_lines`
(normalization) alone and `PerplexityScorer.judge_batch` (normalization + KenLM scoring +
verdicts) on 5,000 other articles cut to 2 KB, best of 3 runs.
"""
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from filters.lm_text import lm_lines  # noqa: E402
from filters.perplexity import PerplexityScorer, train_lm  # noqa: E402
from pipeline.demo.text import generator  # noqa: E402


def docs(lang: str, n: int, seed: int, size: int = 2048) -> list[str]:
    """Demo articles cut to about `size` UTF-8 bytes at a character boundary."""
    gen, rng, out = generator(lang), random.Random(seed), []
    while len(out) < n:
        head, paragraphs = gen.article(rng)
        text = "\n".join([head, *paragraphs]).encode("utf-8")[:size].decode("utf-8", "ignore")
        out.append(text)
    return out


def best_rate(fn, items, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(items)
        best = min(best, time.perf_counter() - start)
    return len(items) / best


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        for lang in sys.argv[1:] or ["en", "de", "fr", "ru"]:
            model = train_lm(docs(lang, 3000, 0), Path(tmp) / f"{lang}.bin", order=5)
            scorer = PerplexityScorer(model, max_perplexity=1000, cutoffs=(10, 20))
            test = docs(lang, 5000, 1)
            kb = sum(len(t.encode()) for t in test) / len(test) / 1024
            norm = best_rate(lambda xs: [lm_lines(x) for x in xs], test)
            judge = best_rate(scorer.judge_batch, test)
            print(f"{lang}: {len(test)} docs of {kb:.2f} KB, model {model.stat().st_size / 1e6:.1f} MB: "
                  f"lm_lines {norm:,.0f} docs/s, judge_batch {judge:,.0f} docs/s")
