"""Benchmark decontamination: flag training documents that share word 13-grams with eval sets.

Convention (GPT-3, Brown et al. 2020, App. C): text is lowercased, punctuation is dropped,
words are whitespace-separated tokens, and a training document overlaps an evaluation item
when they share a 13-gram. Evaluation items shorter than 13 words cannot contain a 13-gram;
GPT-3 counted such an item as leaked when the *whole item* appeared. We do the same: a short
item is indexed as one "n-gram" made of all its words (length k < n), and `overlaps` also
scans each document's k-grams for every such short length k present in the index. Short
items therefore cost extra hashing per document (one pass per distinct short length), and a
very short item (say the answer "yes") matches almost everything: pass `min_item_words` to
drop items that are too short to be evidence of leakage.

N-grams are stored as 8-byte BLAKE2b digests (ints): a set of ints is far smaller than a
set of word tuples, and 64 bits keep accidental collisions negligible for eval-set sizes
(~1e7 n-grams -> collision chance per document n-gram ~1e-12).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

DEFAULT_N = 13

_PUNCT_TABLE: dict[int, None] | None = None


def _punct_table() -> dict[int, None]:
    """str.translate table deleting every Unicode punctuation code point (categories P*).

    Built once, lazily: scanning all code points takes a fraction of a second.
    """
    global _PUNCT_TABLE
    if _PUNCT_TABLE is None:
        _PUNCT_TABLE = {
            cp: None
            for cp in range(sys.maxunicode + 1)
            if unicodedata.category(chr(cp)).startswith("P")
        }
    return _PUNCT_TABLE


def match_words(text: str) -> list[str]:
    """Words used for contamination matching: lowercase, punctuation deleted, whitespace split.

    Punctuation is deleted rather than turned into a space so that "don't" and "dont", or
    "state-of-the-art" and "stateoftheart", match; the same function is applied to both sides,
    so only the consistency matters. `casefold` (not `lower`) so that e.g. "Straße" matches
    "STRASSE". Symbols ($, +, =) are kept: in math items they carry meaning.
    """
    return text.casefold().translate(_punct_table()).split()


def _hash_gram(words: Sequence[str]) -> int:
    """64-bit BLAKE2b of the words joined by single spaces (words contain no whitespace)."""
    digest = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _gram_hashes(words: Sequence[str], n: int) -> Iterator[int]:
    """Hashes of every contiguous n-word window of `words` (none if fewer than n words)."""
    for i in range(len(words) - n + 1):
        yield _hash_gram(words[i : i + n])


@dataclass
class EvalIndex:
    """Hashed word n-grams of evaluation sets, queried with training documents.

    `hashes` holds n-gram hashes and the whole-item hashes of short items; `short_lengths`
    the word counts (< n) of those short items, i.e. the extra window sizes to scan.
    """

    n: int = DEFAULT_N
    hashes: set[int] = field(default_factory=set)
    short_lengths: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.n < 1:
            raise ValueError(f"n must be >= 1, got {self.n}")

    def __len__(self) -> int:
        return len(self.hashes)

    def add(self, text: str, *, min_item_words: int = 1) -> None:
        """Index one evaluation item (items with fewer than `min_item_words` words are skipped)."""
        words = match_words(text)
        if not words or len(words) < min_item_words:
            return
        if len(words) < self.n:
            self.hashes.add(_hash_gram(words))
            self.short_lengths.add(len(words))
        else:
            self.hashes.update(_gram_hashes(words, self.n))

    @classmethod
    def from_texts(
        cls, texts: Iterable[str], n: int = DEFAULT_N, *, min_item_words: int = 1
    ) -> EvalIndex:
        """Index evaluation items given as strings."""
        index = cls(n=n)
        for text in texts:
            index.add(text, min_item_words=min_item_words)
        return index

    @classmethod
    def load(
        cls,
        paths: Iterable[str | Path],
        n: int = DEFAULT_N,
        *,
        fields: Sequence[str] = ("text",),
        min_item_words: int = 1,
    ) -> EvalIndex:
        """Index evaluation sets from files.

        `.jsonl` / `.json` files (optionally `.gz`): one JSON object per line; an item is the
        values of `fields` that are present, joined by a space (e.g. fields=("question",
        "answer")); lines with none of the fields are skipped. Any other file: plain text,
        one item per non-blank line.
        """
        return cls.from_texts(
            (t for p in paths for t in read_eval_items(p, fields=fields)),
            n=n,
            min_item_words=min_item_words,
        )

    def _doc_hashes(self, text: str) -> Iterator[int]:
        """Hashes of the document's n-grams and of its windows matching short-item lengths."""
        words = match_words(text)
        yield from _gram_hashes(words, self.n)
        for k in sorted(self.short_lengths):
            yield from _gram_hashes(words, k)

    def overlaps(self, text: str) -> int:
        """Number of *distinct* document n-grams (and short-item windows) found in the index.

        Distinct, so a document repeating one leaked sentence ten times still counts it once.
        """
        if not self.hashes:
            return 0
        return len(self.hashes.intersection(self._doc_hashes(text)))

    def contaminated(self, text: str, min_overlaps: int = 1) -> bool:
        """True when the document shares at least `min_overlaps` distinct n-grams with the index.

        Stops at the threshold instead of hashing the whole document.
        """
        if min_overlaps < 1:
            raise ValueError(f"min_overlaps must be >= 1, got {min_overlaps}")
        if not self.hashes:
            return False
        found: set[int] = set()
        for h in self._doc_hashes(text):
            if h in self.hashes:
                found.add(h)
                if len(found) >= min_overlaps:
                    return True
        return False


def _open_text(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def read_eval_items(path: str | Path, *, fields: Sequence[str] = ("text",)) -> Iterator[str]:
    """Evaluation items of one file (see `EvalIndex.load` for the formats)."""
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    is_json = bool(suffixes) and suffixes[-1] in (".jsonl", ".json", ".ndjson")
    with _open_text(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            if not is_json:
                yield line.strip()
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{lineno}: invalid JSON ({e.msg})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{lineno}: expected a JSON object per line")
            parts = [_as_text(record[k]) for k in fields if record.get(k) is not None]
            parts = [p for p in parts if p]
            if parts:
                yield " ".join(parts)


def _as_text(value: object) -> str:
    """Field value as text: strings as is, lists (e.g. answer aliases, choices) joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return " ".join(_as_text(v) for v in value)
    return str(value)
