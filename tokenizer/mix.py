"""The data mix: from target token weights per source to deterministic per-document copy counts.

A job asks for fractions of tokens per source (and optionally a token budget); the clean
documents offer some tokens per source. `plan_mix` turns that into a rate per source: below 1
the source is sampled down, above 1 it is repeated, never beyond `max_epochs`. A rate r is
realized as floor(r) copies of every document plus one more copy for the documents whose keyed
hash falls under a threshold, chosen (`fraction_threshold`) so that those documents hold
(r - floor(r)) of the source's tokens, exact to one document. Sampling independent coin flips
instead would miss small sources' targets by several percent; this keeps the realized mix
within a document of the target, and it is the same on every runner because it depends only on
ids, token counts and the seed.

Everything here is plain Python; the Beam stage (`pipeline/tokens.py`) applies it.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Iterable, Mapping


@dataclass(frozen=True)
class SourcePlan:
    """How one source enters the mix."""

    target_weight: float
    available_tokens: int
    rate: float  # expected copies per document (tokens out / tokens available)
    note: str | None = None

    @property
    def whole_copies(self) -> int:
        return math.floor(self.rate)

    @property
    def fraction(self) -> float:
        return self.rate - math.floor(self.rate)

    @property
    def planned_tokens(self) -> float:
        return self.rate * self.available_tokens


def plan_mix(available: Mapping[str, int], weights: Mapping[str, float] | None, *,
             token_budget: int | None, max_epochs: float) -> dict[str, SourcePlan]:
    """Rates per source for target `weights` (fractions of tokens; None: as the data comes).

    Without a budget the total is the largest one that needs no repetition: the source with the
    least data for its weight is used once, the others are sampled down to match. With a budget
    every source gets weight x budget tokens, repeated up to `max_epochs`; a source too small
    for that keeps `max_epochs` and says so in its note.
    """
    if max_epochs <= 0:
        raise ValueError("max_epochs must be positive")
    names = sorted(set(available) | set(weights or {}))
    if weights is None:
        total_available = sum(available.values())
        target = {s: (available.get(s, 0) / total_available if total_available else 0.0) for s in names}
    else:
        norm = sum(weights.values())
        if norm <= 0:
            raise ValueError("mix weights must have a positive sum")
        target = {s: weights.get(s, 0.0) / norm for s in names}
    live = [s for s in names if target[s] > 0 and available.get(s, 0) > 0]
    if token_budget is not None:
        total = float(token_budget)
    else:
        total = min((available[s] / target[s] for s in live), default=0.0)
    plans = {}
    for s in names:
        have = available.get(s, 0)
        note = None
        if target[s] == 0:
            rate, note = 0.0, ("not in the mix" if have else None)
        elif have == 0:
            rate, note = 0.0, "no clean documents: its weight is not realized"
        else:
            rate = target[s] * total / have
            if abs(rate - round(rate)) < 1e-9:  # the scarcest source: exactly once, not 1 +- rounding
                rate = float(round(rate))
            if rate > max_epochs:
                note = (f"{have:,} tokens are {have * max_epochs / (target[s] * total):.1%} of its target "
                        f"under max_epochs={max_epochs:g}")
                rate = max_epochs
        plans[s] = SourcePlan(target_weight=target[s], available_tokens=have, rate=rate, note=note)
    return plans


def unit_hash(*parts: object) -> float:
    """A keyed hash in [0, 1): the same on every machine and Python version (not `hash()`)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2.0**64


def order_key(seed: int, doc_id: str, copy: int) -> int:
    """The seeded shuffle's sort key of one copy of a document (a 64-bit integer)."""
    digest = hashlib.blake2b(f"order\x1f{seed}\x1f{doc_id}\x1f{copy}".encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def fraction_threshold(items: Iterable[tuple[float, int]], fraction: float) -> float:
    """The hash below which documents hold `fraction` of the tokens of `items` ((hash, tokens)).

    Documents are taken in hash order until their tokens reach the quota; the returned
    threshold lies just above the last one taken (1.0 takes everything, 0.0 nothing).
    """
    if fraction <= 0:
        return 0.0
    ordered = sorted(items)
    quota = fraction * sum(n for _, n in ordered)
    taken = 0
    for h, n in ordered:
        if taken >= quota:
            return h
        # stop where stopping is closer to the quota than taking one more document
        if taken + n - quota > quota - taken:
            return h
        taken += n
    return 1.0


def copies_of(plan: SourcePlan, threshold: float, doc_hash: float) -> int:
    """How many copies of a document (its source's plan, threshold and keyed hash) go out."""
    return plan.whole_copies + (1 if doc_hash < threshold else 0)


def is_val(seed: int, doc_id: str, val_fraction: float) -> bool:
    """The split of a document: by id, so every copy of it lands in the same split."""
    return unit_hash("split", seed, doc_id) < val_fraction
