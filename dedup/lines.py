"""Line and paragraph dedup across a corpus (C4's line dedup, CCNet's paragraph hashes), Beam-free parts.

A line (or paragraph) seen in several documents is kept in one of them — the lowest id, so the
choice is the same on every run — and removed from the others, as C4 did (TFDS keeps one URL per
line). Lines are compared after `strip()` and lowercasing (C4: MD5 of `line.strip().lower()`);
here the key is an 8-byte BLAKE2b of that form. Repeats inside one document are left to Gopher's
repetition rules.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Literal

Unit = Literal["line", "paragraph"]


def split_units(text: str, unit: Unit) -> list[str]:
    return text.split("\n\n") if unit == "paragraph" else text.split("\n")


def unit_key(piece: str) -> bytes:
    return hashlib.blake2b(piece.strip().lower().encode("utf-8"), digest_size=8).digest()


def unit_keys(text: str, unit: Unit, min_chars: int = 1) -> set[bytes]:
    """Keys of the units of `text` long enough to count (short ones like "Home" are kept as is)."""
    return {unit_key(p) for p in split_units(text, unit) if len(p.strip()) >= min_chars}


def remove_units(text: str, unit: Unit, drop: Iterable[bytes]) -> tuple[str, int]:
    """`text` without the units whose key is in `drop`; returns the text and how many went."""
    drop = set(drop)
    pieces = split_units(text, unit)
    kept = [p for p in pieces if unit_key(p) not in drop or not p.strip()]
    joiner = "\n\n" if unit == "paragraph" else "\n"
    return joiner.join(kept).strip(), len(pieces) - len(kept)
