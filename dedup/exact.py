"""Exact deduplication: documents whose normalized text is identical are one document.

The key is a 128-bit BLAKE2b of the normalized text (normalization in `filters.normalize`
already unified Unicode forms, line breaks and whitespace). Among copies, the one with the
lowest id survives: ids are stable hashes, so the choice is the same on every run and runner.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Protocol, TypeVar


class HasIdAndText(Protocol):
    id: str
    text: str


D = TypeVar("D", bound=HasIdAndText)


def text_key(text: str) -> bytes:
    """16-byte digest of a normalized text; equal texts, equal keys."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def pick_representative(copies: Iterable[D]) -> tuple[D, list[D]]:
    """Split a group of identical documents into the survivor and its duplicates (by id)."""
    ordered = sorted(copies, key=lambda d: d.id)
    return ordered[0], ordered[1:]
