"""Text normalization, in one place: every source's text passes through here before any judge.

Prose and code differ only in whitespace: prose collapses runs of spaces and blank lines, code
keeps indentation (it is meaning) and only trims line ends. Both get Unicode NFC, unified line
breaks, and control characters removed, so two copies of a text that differ only in encoding
accidents hash the same in exact dedup.
"""
from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newline, plus zero-width and bidi marks that carry no text.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_HSPACE = re.compile(r"[^\S\n]+")  # whitespace other than newline (tabs, NBSP, ideographic space)
_TRAILING = re.compile(r"[ \t]+\n")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(text: str, *, code: bool = False) -> str:
    """Return `text` in NFC with control characters removed and whitespace normalized.

    Prose: every run of horizontal whitespace becomes one space, lines are stripped, and at most
    one blank line separates paragraphs. Code: indentation is kept; trailing spaces are removed
    and runs of blank lines are capped at two.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if code:
        text = _TRAILING.sub("\n", text + "\n")
        text = re.sub(r"\n{4,}", "\n\n\n", text)
        return text.strip("\n")
    text = _HSPACE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()
