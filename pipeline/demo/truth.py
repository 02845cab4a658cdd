"""Ground truth bookkeeping: the shingle definition behind the recorded Jaccard values, and
writing `ground_truth.json` deterministically.

The recorded Jaccard is defined here, once, so tests and evaluations can recompute it:
lowercase the text, take the Unicode word tokens `re.findall(r"\\w+", text)`, form the set of
consecutive 5-token tuples (a text shorter than 5 tokens has one shingle: all its tokens),
and divide the intersection size by the union size.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SHINGLE_SIZE = 5
_WORD = re.compile(r"\w+")


def word_shingles(text: str, n: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """Word n-gram set of a text, after lowercasing (see the module docstring)."""
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: str, b: str, n: int = SHINGLE_SIZE) -> float:
    """Jaccard similarity of the word n-gram shingle sets of two texts (1.0 for two empties)."""
    sa, sb = word_shingles(a, n), word_shingles(b, n)
    union = len(sa | sb)
    return len(sa & sb) / union if union else 1.0


SHINGLE_DEFINITION = {
    "n": SHINGLE_SIZE,
    "tokens": "re.findall(r'\\w+', text.lower())",
    "short_text": "fewer than n tokens: one shingle of all tokens",
    "similarity": "len(A & B) / len(A | B)",
    "text": "main_text as in ground_truth/web_pages.jsonl (headline and paragraphs joined by blank lines)",
}


def write_json(path: Path, data: Any) -> None:
    """Stable JSON: insertion order kept (all inputs are built deterministically), UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
