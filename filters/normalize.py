"""Text normalization, in one place: every source's text passes through here before any judge.

Prose and code differ only in whitespace: prose collapses runs of spaces and blank lines, code
keeps indentation (it is meaning) and only trims line ends. Both get Unicode NFC, unified line
breaks, and control characters removed, so two copies of a text that differ only in encoding
accidents hash the same in exact dedup.

Speed matters here (every document passes once): each regex runs only when a substring test,
which is a fast C scan, shows it has something to change. Clean text, the common case, is
scanned a few times and never rebuilt.
"""
from __future__ import annotations

import re
import unicodedata

_CONTROL_CHARS = (
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
    "\x1b\x1c\x1d\x1e\x1f\x7f" + "".join(chr(c) for c in range(0x80, 0xA0)) +
    "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_LINE_BREAK_CHARS = "\r\u2028\u2029\x85"
# Horizontal whitespace other than the plain space (tabs, NBSP, ideographic space...). After
# line breaks and controls are gone, these are the only whitespace characters left but \n and " ".
_ODD_SPACE_CHARS = "".join(c for c in map(chr, range(0x110000)) if c.isspace() and c not in " \n" + _LINE_BREAK_CHARS + _CONTROL_CHARS)

_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_ODD_HSPACE = re.compile(f"[ {re.escape(_ODD_SPACE_CHARS)}]{{2,}}|[{re.escape(_ODD_SPACE_CHARS)}]")
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_RUNS = re.compile(r"\n{3,}")
_CODE_BLANK_RUNS = re.compile(r"\n{4,}")


def _has_any(text: str, chars: str) -> bool:
    return any(c in text for c in chars)


def normalize_text(text: str, *, code: bool = False) -> str:
    """Return `text` in NFC with control characters removed and whitespace normalized.

    Prose: every run of horizontal whitespace becomes one space, lines are stripped, and at most
    one blank line separates paragraphs. Code: indentation is kept; trailing spaces are removed
    and runs of blank lines are capped at two.
    """
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")  # Windows line ends: far faster than the regex
    if _has_any(text, _LINE_BREAK_CHARS):
        text = _LINE_BREAKS.sub("\n", text)
    if not text.isascii() or _has_any(text, _CONTROL_CHARS[:31]):
        text = _CONTROL.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if code:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        if "\n\n\n\n" in text:
            text = _CODE_BLANK_RUNS.sub("\n\n\n", text)
        return text.strip("\n")
    if "  " in text or _has_any(text, _ODD_SPACE_CHARS):
        text = _ODD_HSPACE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip(" \n")
