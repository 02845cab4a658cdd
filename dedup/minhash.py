"""MinHash-LSH near-duplicate detection core (Beam-free): shingles, signatures, band keys.

Parameters follow FineWeb (RULES.md §5a): 5-gram word shingles of `simplify_text`, 112
permutations in 14 bands of 8 rows. Pairs whose shingle Jaccard is s share at least one band
key with probability P(s) = 1 - (1 - s^8)^14 (0.565 at 0.7, 0.924 at 0.8, 0.988 at 0.85).

Signatures are bit-identical to `datasketch.MinHash(num_perm, seed, scheme=...)` updated with
the same shingles, so results can be checked against (and mixed with) datasketch sketches.
The speed-up over a datasketch loop comes from doing the permutation arithmetic for a whole
batch of documents in one numpy expression and taking per-document minima with
`np.minimum.reduceat`; only SHA-1 of each shingle stays in Python (hashlib, one call each).

Two permutation schemes are supported, both exactly as datasketch 2.0.0 generates them:

* ``"legacy"`` (default, the family RULES.md §5c describes and RedPajama-V2 uses):
  ``h'(x) = ((a*x + b) mod 2^64 mod (2^61-1)) & (2^32-1)``, values stored as uint64.
  Note the ``mod 2^64``: datasketch multiplies in uint64, and ``a < 2^61`` times a 32-bit
  ``x`` overflows, so its "mod Mersenne prime" is taken of the wrapped product. We reproduce
  the wrap (numpy uint64 arithmetic) rather than the textbook formula, to stay bit-identical.
* ``"affine32"`` (datasketch >= 2.0.0's *default*): x pre-mixed with the MurmurHash3 32-bit
  finalizer, then ``a*x + b mod 2^32`` with odd a; values stored as uint32. A bare
  ``datasketch.MinHash(num_perm, seed)`` uses this scheme, not the one in RULES.md.

Both use ``datasketch.hashfunc.sha1_hash32`` (first 4 bytes of SHA-1, little-endian) as the base
hash and draw a/b from ``np.random.RandomState(seed)`` in datasketch's order.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Sequence

import numpy as np

__all__ = [
    "simplify_text",
    "shingles",
    "MinHasher",
    "band_keys",
    "estimated_jaccard",
    "candidate_probability",
]

_MERSENNE_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH32 = np.uint64((1 << 32) - 1)
_SCHEMES = ("legacy", "affine32")

_NUMBERS = re.compile(r"\d+")
# ASCII fast path: in ASCII, "neither word character nor whitespace" (plus "_") is exactly
# punctuation, symbols and control characters.
_ASCII_NON_WORD = re.compile(r"[^\w\s]|_", re.ASCII)
_WHITESPACE = re.compile(r"\s+")
# Unicode categories kept outside ASCII: letters, numbers, spacing/enclosing marks (Indic vowel
# signs are Mc: dropping them would mangle words), separators. Mn (diacritics) is dropped.
_KEEP_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Mc", "Me", "Zs", "Zl", "Zp"})


def simplify_text(text: str) -> str:
    """Normalize a text for shingling, FineWeb-style, so trivial variants shingle identically.

    Steps, in order: lowercase; Unicode NFD and removal of combining marks (diacritics:
    "café" -> "cafe"); every run of digits -> "0" ("2023-10-04" and "1999-01-01" agree, which
    catches templated pages differing only in dates/counts); punctuation, symbols and control
    characters removed (deleted, not replaced by a space: "don't" -> "dont", as in datatrove
    at FineWeb's release); whitespace collapsed to single spaces and stripped.

    Differences from datatrove's `simplify_text` are deliberate simplifications: we remove every
    Unicode punctuation (P*), symbol (S*) and control/format (C*) character rather than
    datatrove's fixed list, and we replace digit runs after diacritic removal. Spacing marks (Mc,
    e.g. Devanagari vowel signs) are kept: only nonspacing Mn marks count as diacritics.
    ASCII texts take a regex-only fast path with the same result.
    """
    text = text.lower()
    if text.isascii():  # common case, all regex (no per-character Python loop)
        text = _NUMBERS.sub("0", text)
        text = _ASCII_NON_WORD.sub("", text)
    else:
        category = unicodedata.category
        text = _NUMBERS.sub("0", unicodedata.normalize("NFD", text))
        text = "".join(c for c in text if c.isspace() or category(c) in _KEEP_CATEGORIES)
    return _WHITESPACE.sub(" ", text).strip()


def shingles(text: str, n: int = 5) -> list[bytes]:
    """Word n-grams of `simplify_text(text)`, each the UTF-8 of its words joined by one space.

    Order follows the text and repeats are kept (MinHash is a set sketch: repeats do not change
    the signature, and skipping a set() keeps this cheap). A text with at least one but fewer
    than n words yields ONE shingle of all its words, so short documents still get a signature
    and exact short duplicates still collide (RPv2 instead drops them; we leave that policy to
    the caller). An empty (after simplification) text yields no shingles.
    """
    if n < 1:
        raise ValueError("n must be >= 1")
    words = simplify_text(text).split(" ")
    if words == [""]:
        return []
    if len(words) <= n:
        return [" ".join(words).encode("utf-8")]
    return [" ".join(words[i : i + n]).encode("utf-8") for i in range(len(words) - n + 1)]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 32-bit finalizer, as datasketch applies it before affine32 permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _sha1_hash32_many(items: Sequence[bytes]) -> np.ndarray:
    """`datasketch.hashfunc.sha1_hash32` of each item, as a uint64 array (one hashlib call each)."""
    sha1 = hashlib.sha1
    raw = b"".join([sha1(s).digest()[:4] for s in items])
    return np.frombuffer(raw, dtype="<u4").astype(np.uint64)


class MinHasher:
    """Batch MinHash signatures of texts, bit-identical to datasketch's MinHash.

    The permutation parameters are drawn once at construction (datasketch redraws them per
    MinHash object, which is a large part of its per-document cost). `signatures` hashes all
    shingles of a batch, applies all permutations as one (rows x num_perm) numpy operation in
    chunks of at most `chunk_rows` shingles (memory ~chunk_rows*num_perm*8 bytes; the default
    4096 rows = 3.7 MB stays in cache and measured ~20% faster than 32k-row chunks), and reduces per document with `np.minimum.reduceat`.
    """

    def __init__(
        self,
        num_perm: int = 112,
        seed: int = 1,
        n: int = 5,
        scheme: str = "legacy",
        chunk_rows: int = 4096,
    ) -> None:
        if scheme not in _SCHEMES:
            raise ValueError(f"scheme must be one of {_SCHEMES}, got {scheme!r}")
        if num_perm < 1:
            raise ValueError("num_perm must be positive")
        self.num_perm = num_perm
        self.seed = seed
        self.n = n
        self.scheme = scheme
        self.chunk_rows = max(1, chunk_rows)
        gen = np.random.RandomState(seed)
        if scheme == "legacy":
            # Same draw order as datasketch: per permutation, a then b.
            ab = np.array(
                [
                    (
                        gen.randint(1, _MERSENNE_PRIME, dtype=np.uint64),
                        gen.randint(0, _MERSENNE_PRIME, dtype=np.uint64),
                    )
                    for _ in range(num_perm)
                ],
                dtype=np.uint64,
            ).T
            self.dtype = np.dtype(np.uint64)
            self.max_hash = _MAX_HASH32
        else:
            a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
            b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
            ab = np.array([a, b])
            self.dtype = np.dtype(np.uint32)
            self.max_hash = np.uint32((1 << 32) - 1)
        self.a: np.ndarray = np.ascontiguousarray(ab[0])
        self.b: np.ndarray = np.ascontiguousarray(ab[1])

    def _permute(self, hv: np.ndarray) -> np.ndarray:
        """Apply all permutations to base hashes `hv` (shape (k,), uint64): result (k, num_perm)."""
        if self.scheme == "legacy":
            # uint64 wrap-around is intentional: it is what datasketch computes.
            phv = hv[:, None] * self.a[None, :]
            phv += self.b[None, :]
            phv %= _MERSENNE_PRIME
            phv &= _MAX_HASH32
            return phv
        h = _fmix32(hv.astype(np.uint32))
        phv = h[:, None] * self.a[None, :]
        phv += self.b[None, :]
        return phv

    def signature_of_shingles(self, items: Sequence[bytes]) -> np.ndarray:
        """Signature (num_perm,) of one shingle list; all max values if it is empty."""
        return self._signatures_from_lists([items])[0]

    def signatures(self, texts: Sequence[str]) -> np.ndarray:
        """Signatures of `texts`, shape (len(texts), num_perm), dtype uint64 (legacy) / uint32.

        A document with no shingles (empty after simplification) gets all max values
        (2^32-1), datasketch's initial state: it matches every other empty document's bands,
        which callers should treat as "no signature" rather than as duplicates of content.
        """
        return self._signatures_from_lists([shingles(t, self.n) for t in texts])

    def _signatures_from_lists(self, lists: Sequence[Sequence[bytes]]) -> np.ndarray:
        out = np.full((len(lists), self.num_perm), self.max_hash, dtype=self.dtype)
        counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
        total = int(counts.sum())
        if total == 0:
            return out
        hv = _sha1_hash32_many([s for x in lists for s in x])
        # Row -> document index, for documents that have at least one shingle.
        doc_of_row = np.repeat(np.arange(len(lists), dtype=np.int64), counts)
        for lo in range(0, total, self.chunk_rows):
            hi = min(lo + self.chunk_rows, total)
            phv = self._permute(hv[lo:hi])
            docs = doc_of_row[lo:hi]
            # Segment starts: first row of the chunk and every row where the document changes.
            starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
            mins = np.minimum.reduceat(phv, starts, axis=0)
            seg_docs = docs[starts]  # unique within a chunk
            out[seg_docs] = np.minimum(out[seg_docs], mins)
        return out


def band_keys(signature: np.ndarray, bands: int = 14, rows: int = 8) -> list[bytes] | list[list[bytes]]:
    """LSH bucket keys: per document, one key per band = 2-byte band index + the band's values.

    Values are written as big-endian uint32 (every scheme's values fit 32 bits), so keys do not
    depend on the signature dtype or the machine's byte order. Prefixing the band index keeps
    equal values in different bands from colliding in one GroupByKey over all bands.
    A 1-D signature gives a list of `bands` keys; a 2-D matrix gives one such list per row.
    """
    sig = np.asarray(signature)
    if sig.ndim == 1:
        return band_keys(sig[None, :], bands, rows)[0]
    if sig.ndim != 2:
        raise ValueError("signature must be 1-D or 2-D")
    if bands * rows > sig.shape[1]:
        raise ValueError(f"{bands}x{rows} bands need {bands * rows} values, signature has {sig.shape[1]}")
    if sig.size and int(sig.max()) >= 1 << 32:
        raise ValueError("signature values must fit 32 bits")
    be = np.ascontiguousarray(sig[:, : bands * rows].astype(">u4"))
    prefixes = [i.to_bytes(2, "big") for i in range(bands)]
    width = rows * 4
    result = []
    for row in be:
        raw = row.tobytes()
        result.append([prefixes[i] + raw[i * width : (i + 1) * width] for i in range(bands)])
    return result


def estimated_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Fraction of positions where two signatures agree: unbiased estimate of shingle Jaccard.

    Standard error is sqrt(s(1-s)/num_perm), about 0.047 at s=0.5 with 112 permutations.
    """
    a, b = np.asarray(sig_a), np.asarray(sig_b)
    if a.shape != b.shape:
        raise ValueError("signatures must have the same shape")
    return float(np.count_nonzero(a == b)) / a.size


def candidate_probability(s: float, bands: int = 14, rows: int = 8) -> float:
    """S-curve: probability that a pair with Jaccard s shares at least one band, 1-(1-s^r)^b."""
    return 1.0 - (1.0 - s**rows) ** bands
