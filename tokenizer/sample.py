"""The tokenizer's training sample: documents of several sources, in proportion to mix weights.

A tokenizer should be trained on the mix the model will see, not on whichever source is
biggest, or the vocabulary spends its merges on that source. The sample is chosen by a keyed
hash of (seed, source, id): within a source, the documents with the smallest hashes are taken
until the source's share of characters is reached. So the choice

- needs one pass and holds only the chosen texts (a bounded heap per source),
- does not depend on the order in which documents arrive (the output is sorted by hash),
- changes with the seed, and is the same on every machine (blake2b, not Python's hash()).

Without weights, each source's share is in proportion to its size: one heap over all sources
keeps the smallest hashes overall (with some slack), and each source's part is then cut to its
exact share, since sizes are only known at the end of the pass. A source smaller than its share
is taken whole and repeated (whole copies, then a hash-chosen part) up to `max_repeat` times:
repeating a document is exactly how a mix weight raises its words' counts in BPE training, and
the cap keeps a tiny source from filling the vocabulary with its own names.
"""
from __future__ import annotations

import hashlib
import heapq
import math
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping

Doc = tuple[str, str, str]  # (source, id, text)
_ALL = "\x00all"  # the one heap's key when sampling in proportion to size


def doc_key(seed: int, source: str, doc_id: str) -> int:
    """A 64-bit keyed hash of a document: its place in the sampling order for this seed."""
    digest = hashlib.blake2b(
        f"{source}\x00{doc_id}".encode("utf-8", "surrogatepass"),
        digest_size=8,
        key=seed.to_bytes(16, "little", signed=True),
    ).digest()
    return int.from_bytes(digest, "big")


def normalize_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1; negative or all-zero weights are refused (ValueError)."""
    bad = {s: w for s, w in weights.items() if not (isinstance(w, (int, float)) and math.isfinite(w) and w >= 0)}
    if bad:
        raise ValueError(f"mix weights must be non-negative numbers: {bad}")
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("mix weights sum to zero")
    return {s: w / total for s, w in weights.items()}


@dataclass
class SourceSample:
    """What one source gave the sample."""

    available_documents: int = 0
    available_chars: int = 0
    documents: int = 0  # chosen documents, counting repeats
    chars: int = 0  # chosen characters, counting repeats
    target_chars: int | None = None  # weight x max_chars, when sampled by weight


@dataclass
class TrainingSample:
    texts: list[str]
    sources: dict[str, SourceSample] = field(default_factory=dict)

    @property
    def chars(self) -> int:
        return sum(s.chars for s in self.sources.values())


class HashReservoir:
    """The smallest-hash documents whose characters first reach `quota` (a max-heap on hash)."""

    def __init__(self, quota: int) -> None:
        self.quota = quota
        self.heap: list[tuple[int, str, str, str]] = []  # (-key, source, id, text)
        self.chars = 0

    def offer(self, key: int, source: str, doc_id: str, text: str) -> None:
        if self.chars >= self.quota and self.heap and key > -self.heap[0][0]:
            return  # after every kept document: cannot be chosen
        heapq.heappush(self.heap, (-key, source, doc_id, text))
        self.chars += len(text)
        while self.heap and self.chars - len(self.heap[0][3]) >= self.quota:
            self.chars -= len(heapq.heappop(self.heap)[3])

    def sorted(self) -> list[tuple[int, str, str, str]]:
        return sorted((-k, s, i, t) for k, s, i, t in self.heap)


def iter_docs(docs: Mapping[str, Iterable[tuple[str, str]]] | Iterable[Doc]) -> Iterator[Doc]:
    """(source, id, text) triples from {source: [(id, text), ...]} or from such triples."""
    if isinstance(docs, Mapping):
        for source, items in docs.items():
            for doc_id, text in items:
                yield source, doc_id, text
    else:
        yield from docs


def sample_for_training(
    docs: Mapping[str, Iterable[tuple[str, str]]] | Iterable[Doc],
    weights: Mapping[str, float] | None,
    max_chars: int,
    seed: int = 0,
    *,
    max_repeat: float = 4.0,
) -> TrainingSample:
    """About `max_chars` characters of documents, each source's share set by `weights`.

    `docs` is {source: [(id, text), ...]} or a stream of (source, id, text). Sources missing
    from `weights` get weight 0 (left out); without weights each source's share follows its size.
    """
    if max_chars <= 0:
        raise ValueError(f"the sample needs a positive number of characters, not {max_chars}")
    if max_repeat < 1:
        raise ValueError(f"max_repeat must be at least 1, not {max_repeat}")
    shares = normalize_weights(weights) if weights is not None else None
    stats: dict[str, SourceSample] = {}
    reservoirs: dict[str, HashReservoir] = {}
    if shares is None:
        reservoirs[_ALL] = HashReservoir(max_chars + max_chars // 2)  # slack for _by_size's cut
    else:
        for source, share in shares.items():
            stats[source] = SourceSample(target_chars=round(share * max_chars))
            if share > 0:
                reservoirs[source] = HashReservoir(round(share * max_chars))
    for source, doc_id, text in iter_docs(docs):
        stat = stats.setdefault(source, SourceSample(target_chars=0 if shares is not None else None))
        stat.available_documents += 1
        stat.available_chars += len(text)
        reservoir = reservoirs.get(_ALL if shares is None else source)
        if reservoir is not None and text:
            reservoir.offer(doc_key(seed, source, doc_id), source, doc_id, text)

    chosen: list[tuple[int, str, str, str]] = []
    if shares is None:
        chosen = _by_size(reservoirs[_ALL].sorted(), stats, max_chars)
    else:
        for reservoir in reservoirs.values():
            picked = reservoir.sorted()
            if reservoir.chars < reservoir.quota:  # the whole source, short of its share
                picked = _repeat(picked, reservoir.quota / max(reservoir.chars, 1), max_repeat, seed)
            chosen.extend(picked)
    chosen.sort(key=lambda item: (item[0], item[1], item[2]))
    for _key, source, _id, text in chosen:
        stats[source].documents += 1
        stats[source].chars += len(text)
    return TrainingSample(texts=[text for *_, text in chosen], sources=dict(sorted(stats.items())))


def _by_size(
    picked: list[tuple[int, str, str, str]], stats: dict[str, SourceSample], max_chars: int
) -> list[tuple[int, str, str, str]]:
    """Each source's exact share by size, cut from the global smallest-hash documents.

    The global reservoir alone gives each source its share only on average (a few thousand
    documents leave a few percent of noise). It kept 50% more than needed, so each source's
    smallest-hash prefix can now be cut to its exact share, to one document. Only a source that
    contributes a handful of documents can be drawn more than 50% short; it keeps all it drew.
    """
    total = sum(s.available_chars for s in stats.values())
    for stat in stats.values():
        stat.target_chars = min(stat.available_chars, round(max_chars * stat.available_chars / max(total, 1)))
    out: list[tuple[int, str, str, str]] = []
    taken: dict[str, int] = {}
    for item in picked:  # in hash order: a prefix per source
        source = item[1]
        if taken.get(source, 0) < (stats[source].target_chars or 0):
            out.append(item)
            taken[source] = taken.get(source, 0) + len(item[3])
    return out


def _repeat(
    docs: list[tuple[int, str, str, str]], rate: float, max_repeat: float, seed: int
) -> list[tuple[int, str, str, str]]:
    """`rate` (capped) copies of a whole source: whole passes, then the smallest-hash part."""
    rate = min(rate, max_repeat)
    whole = int(rate)
    out = [d for _ in range(whole) for d in docs]
    rest = (rate - whole) * sum(len(d[3]) for d in docs)
    if rest > 0:
        # The partial pass re-ranks by another key so it does not favour the first pass's order.
        extra = sorted(docs, key=lambda d: doc_key(seed + whole, d[1], d[2]))
        taken = 0
        for d in extra:
            if taken >= rest:
                break
            out.append(d)
            taken += len(d[3])
    return out
