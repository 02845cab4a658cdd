"""HTML bytes to main text: charset resolution, then main-content extraction.

Charset order follows what a browser would trust: the HTTP header, then a `<meta>` charset in the
first bytes of the page, then statistical detection (uchardet via resiliparse). Labels are mapped
the WHATWG way (ISO-8859-1 and ASCII mean windows-1252 on the web).

Two extractors are offered. `resiliparse` (the default) is a C++ DOM walk with main-content
heuristics; `trafilatura` is a slower, more elaborate Python extractor. `bench/extractors.py`
measures both on the demo corpus's ground truth; the figures are in BENCHMARKS.md.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import detect_encoding, map_encoding_to_html5
from resiliparse.parse.html import HTMLTree

Extractor = Literal["resiliparse", "trafilatura"]

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.I)
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.I
)
_META_SCAN_BYTES = 4096


class UndecodableError(ValueError):
    """The page's bytes are invalid in the charset it declares; `offset` is the first bad byte."""

    def __init__(self, charset: str, offset: int, reason: str):
        super().__init__(f"invalid {charset} at byte {offset}: {reason}")
        self.charset = charset
        self.offset = offset


@dataclass(frozen=True)
class DecodedPage:
    text: str
    charset: str
    charset_from: str  # "header", "meta" or "detected"


def _python_codec(label: str) -> str | None:
    """The Python codec for a web charset label, or None when Python has no such codec."""
    mapped = map_encoding_to_html5(label.strip().lower()) or label
    try:
        return codecs.lookup(mapped).name
    except LookupError:
        return None


def charset_from_header(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _python_codec(match.group(1)) if match else None


def charset_from_meta(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_META_SCAN_BYTES])
    return _python_codec(match.group(1).decode("ascii", "replace")) if match else None


def decode_html(body: bytes, content_type: str | None, *, errors: str = "strict") -> DecodedPage:
    """Decode a page with the charset it declares, else the one detected.

    With `errors="strict"` a page whose bytes break its declared charset raises
    `UndecodableError` (the caller counts it with its location); `errors="replace"` keeps it
    with U+FFFD in place of the bad bytes. A page with no declaration that decodes in no
    detected charset falls back to windows-1252, which accepts almost any byte.
    """
    for charset, origin in ((charset_from_header(content_type), "header"), (charset_from_meta(body), "meta")):
        if charset is None:
            continue
        try:
            return DecodedPage(body.decode(charset, errors), charset, origin)
        except UnicodeDecodeError as exc:
            raise UndecodableError(charset, exc.start, exc.reason) from None
    detected = _python_codec(detect_encoding(body, from_html_meta=False)) or "utf-8"
    for charset in (detected, "utf-8", "cp1252"):
        try:
            return DecodedPage(body.decode(charset), charset, "detected")
        except UnicodeDecodeError:
            continue
    return DecodedPage(body.decode("cp1252", "replace"), "cp1252", "detected")


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str


def extract_main_text(html: str, extractor: Extractor = "resiliparse") -> Extracted:
    """Main text of an HTML page, without navigation, footers and other boilerplate."""
    if extractor == "resiliparse":
        tree = HTMLTree.parse(html)
        title = tree.title or ""
        text = extract_plain_text(
            tree, preserve_formatting=True, main_content=True, list_bullets=False,
            alt_texts=False, links=False, form_fields=False, noscript=False,
        )
        return Extracted(text, title.strip())
    if extractor == "trafilatura":
        import trafilatura  # imported lazily: it is slow to import and optional at run time

        text = trafilatura.extract(
            html, include_comments=False, include_tables=False, favor_precision=True,
            deduplicate=False, with_metadata=False,
        ) or ""
        title = ""
        match = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
        if match:
            title = re.sub(r"\s+", " ", match.group(1)).strip()
        return Extracted(text, title)
    raise ValueError(f"unknown extractor {extractor!r}")
