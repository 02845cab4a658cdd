"""Readers for books: Project Gutenberg plain-text e-books and EPUB files.

A book is one unit: each file yields exactly one event. Gutenberg texts carry a header and a
licence around the book proper; both are boilerplate repeated across tens of thousands of
files, so they are cut off and only the title, author and e-book number are kept as fields.
EPUBs are zip containers of XHTML documents; their spine gives the reading order.
"""
from __future__ import annotations

import codecs
import io
import re
import warnings
from typing import BinaryIO, Iterator, Optional

import ebooklib
from ebooklib import epub
from lxml import etree

from pipeline.readers.base import Event, Failure, Record, Skip, describe_error

# --- Project Gutenberg -----------------------------------------------------------------------

# The declared encoding is looked for in the first bytes only: the header is short.
_HEADER_SCAN_BYTES = 64 * 1024
_DECLARED_ENCODING = re.compile(rb"^[ \t]*Character set encoding:[ \t]*([^\r\n]*)", re.MULTILINE | re.IGNORECASE)
_ENCODING_ALIASES = {
    "iso latin-1": "latin-1",
    "iso-latin-1": "latin-1",
    "latin1": "latin-1",
    "unicode utf-8": "utf-8",
    "unicode": "utf-8",
    "utf8": "utf-8",
    "us-ascii": "ascii",
}

# Where the book starts: after the START line of modern files, or after the "small print"
# licence that older (pre-2000s) files put in front of the text.
_START_MARKERS = (
    re.compile(r"^[ \t]*\*+[ \t]*START OF (?:THE|THIS) PROJECT GUTENBERG\b.*$", re.MULTILINE | re.IGNORECASE),
    re.compile(r"^[ \t]*\*+[ \t]*END\*?[ \t]*THE SMALL PRINT\b.*$", re.MULTILINE | re.IGNORECASE),
)
# Where the book ends: the END line, or the older "End of (the) Project Gutenberg('s) ..." line.
_END_MARKERS = (
    re.compile(r"^[ \t]*\*+[ \t]*END OF (?:THE|THIS) PROJECT GUTENBERG\b", re.MULTILINE | re.IGNORECASE),
    re.compile(r"^[ \t]*\**[ \t]*End of (?:the |this )?Project Gutenberg(?:'s)?\b", re.MULTILINE | re.IGNORECASE),
)
_EBOOK_NUMBER = re.compile(r"\bE-?(?:Book|Text)[ \t]*#[ \t]*(\d+)", re.IGNORECASE)
# Transcriber credits that open many books right after the START line.
_CREDIT_PARAGRAPH = re.compile(
    r"^(?:Produced by|E-?text prepared by|Transcribed (?:from|by)|This e-?text was (?:prepared|produced) by)",
    re.IGNORECASE,
)


def read_gutenberg(stream: BinaryIO, uri: str) -> Iterator[Event]:
    """Yield one event for a Project Gutenberg plain-text e-book (or any plain text).

    The text is decoded with the encoding the header declares, else as strict UTF-8: bytes that
    do not decode are a Failure at their offset, never silently replaced. Header, licence and
    footer are cut off; a text without Gutenberg markers is kept whole.
    """
    try:
        data = stream.read()
    except Exception as exc:
        yield Failure(location=uri, error=describe_error(exc))
        return

    declared = _declared_encoding(data)
    codec = _resolve_codec(declared) if declared else "utf-8"
    if codec is None:
        yield Failure(location=uri, error=f"unknown declared encoding {declared!r}")
        return
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        bom = len(codecs.BOM_UTF8)
    else:
        bom = 0
    try:
        text = _decode(data, codec)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if codec == "utf-8" else codec
        yield Failure(
            location=f"{uri}@byte {bom + exc.start}",
            error=f"invalid {name} at byte {bom + exc.start}: {exc.reason}",
        )
        return

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header, body = _split_gutenberg(text)
    fields = _header_fields(header) if header is not None else {}
    locator = f"gutenberg:{fields['ebook_no']}" if "ebook_no" in fields else uri
    if header is not None:
        body = _drop_credit_paragraph(body)
    body = _tidy_book(body)
    if not body:
        yield Skip(reason="empty_text", location=uri)
        return
    yield Record(text=body, locator=locator, fields=fields)


def _declared_encoding(data: bytes) -> Optional[str]:
    """The `Character set encoding:` value of the header, read from the raw bytes."""
    match = _DECLARED_ENCODING.search(data[:_HEADER_SCAN_BYTES])
    if not match:
        return None
    value = match.group(1).decode("ascii", errors="replace").strip()
    return value or None


def _resolve_codec(declared: str) -> Optional[str]:
    """Python's codec for a declared encoding such as `ISO-8859-1`, `ISO Latin-1`, `UTF-8`."""
    candidates = [declared, re.sub(r"\s*\(.*\)\s*$", "", declared)]
    for candidate in candidates:
        name = _ENCODING_ALIASES.get(candidate.strip().casefold(), candidate.strip())
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        # A declared UTF-8 may still carry a BOM; utf-8-sig is handled by stripping it.
        return "utf-8" if codec in ("utf-8", "utf-8-sig") else codec
    return None


def _decode(data: bytes, codec: str) -> str:
    """Decode strictly; a declared ISO-8859-1 is read as windows-1252 when that works.

    Files labelled Latin-1 often carry windows-1252 quotes and dashes in 0x80-0x9F, which
    Latin-1 would turn into invisible C1 control characters (browsers, following the WHATWG
    encoding standard, read the label as windows-1252 for the same reason).
    """
    if codec == "iso8859-1":
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return data.decode(codec)


def _split_gutenberg(text: str) -> tuple[Optional[str], str]:
    """(header, book) — header None when the text has no Gutenberg start marker.

    The book starts after the last start marker (older files put the small-print licence after
    a START line) and ends at the first end marker after the first start marker. The footer is
    cut whether or not a start marker was found: some files lose their header but keep the
    licence at the end.
    """
    first_start = min((m.start() for p in _START_MARKERS for m in [p.search(text)] if m), default=0)
    end = min(
        (m.start() for p in _END_MARKERS for m in [p.search(text, first_start)] if m),
        default=len(text),
    )
    starts = [m.end() for p in _START_MARKERS for m in p.finditer(text, 0, end)]
    if not starts:
        return None, text[:end]
    start = max(starts)
    return text[:start], text[start:end]


def _header_value(header: str, key: str) -> Optional[str]:
    """A `Key: value` header line, with its indented continuation lines joined."""
    match = re.search(rf"^{key}:[ \t]*(.*(?:\n[ \t]+\S.*)*)", header, re.MULTILINE | re.IGNORECASE)
    if not match:
        return None
    value = " ".join(match.group(1).split())
    return value or None


def _header_fields(header: str) -> dict[str, str]:
    """Title, author and e-book number found in the Gutenberg header."""
    fields: dict[str, str] = {}
    for key, name in (("Title", "title"), ("Author", "author")):
        value = _header_value(header, key)
        if value:
            fields[name] = value
    number = _EBOOK_NUMBER.search(header)
    if number:
        fields["ebook_no"] = number.group(1)
    return fields


def _drop_credit_paragraph(body: str) -> str:
    """Drop the transcriber credit ("Produced by ...") that opens many Gutenberg books."""
    stripped = body.lstrip("\n")
    if _CREDIT_PARAGRAPH.match(stripped.lstrip()):
        _, _, rest = stripped.partition("\n\n")
        return rest
    return body


def _tidy_book(body: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank ends."""
    lines = [line.rstrip() for line in body.split("\n")]
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


# --- EPUB ------------------------------------------------------------------------------------

# Elements whose text is never part of the book's prose.
_HTML_DROPPED = frozenset({"head", "title", "script", "style", "noscript", "template", "rt", "rp", "svg", "math"})
# Elements that end the current paragraph; their text starts a new one.
_HTML_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div",
        "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
        "thead", "tfoot", "tr", "ul",
    }
)
_HTML_CELLS = frozenset({"td", "th"})


def read_epub(stream: BinaryIO, uri: str) -> Iterator[Event]:
    """Yield one event for an EPUB: the text of its spine documents in reading order.

    The container is opened from memory (nothing is written to disk). A file that is not a
    readable EPUB is a Failure of the whole book; so is a spine document that cannot be parsed,
    located at its member path, since a book with a hole in it is not worth keeping.
    """
    try:
        data = stream.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about its own future defaults
            book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
    except Exception as exc:
        yield Failure(location=uri, error=describe_error(exc))
        return

    chapters: list[str] = []
    for item in _spine_documents(book):
        try:
            chapter = html_to_text(item.get_content())
        except Exception as exc:
            yield Failure(location=f"{uri}!{item.get_name()}", error=describe_error(exc))
            return
        if chapter:
            chapters.append(chapter)

    fields = _epub_fields(book)
    identifier = _first_metadata(book, "identifier")
    locator = identifier or uri
    text = "\n\n".join(chapters)
    if not text:
        yield Skip(reason="empty_text", location=uri)
        return
    yield Record(text=text, locator=locator, fields=fields)


def _spine_documents(book: epub.EpubBook) -> Iterator[epub.EpubItem]:
    """The spine's XHTML documents in reading order, without the navigation document."""
    for entry in book.spine:
        idref = entry[0] if isinstance(entry, (tuple, list)) else entry
        item = book.get_item_with_id(idref)
        if item is None or isinstance(item, epub.EpubNav):
            continue
        if item.get_type() != ebooklib.ITEM_DOCUMENT or "nav" in getattr(item, "properties", []):
            continue
        yield item


def _first_metadata(book: epub.EpubBook, name: str) -> Optional[str]:
    """First non-empty Dublin Core value of this name."""
    for value, _ in book.get_metadata("DC", name):
        if value and value.strip():
            return " ".join(value.split())
    return None


def _epub_fields(book: epub.EpubBook) -> dict[str, str]:
    """Title, author(s) and language from the Dublin Core metadata."""
    fields: dict[str, str] = {}
    title = _first_metadata(book, "title")
    if title:
        fields["title"] = title
    creators = [" ".join(v.split()) for v, _ in book.get_metadata("DC", "creator") if v and v.strip()]
    if creators:
        fields["author"] = "; ".join(creators)
    language = _first_metadata(book, "language")
    if language:
        fields["language"] = language
    return fields


def html_to_text(content: bytes) -> str:
    """Text of an (X)HTML document: block elements become paragraphs separated by a blank
    line, headings stay lines of their own, `<br>` a line break, scripts and styles dropped."""
    if not content or not content.strip():
        return ""
    root = _parse_document(content)
    if root is None:
        return ""
    collector = _ParagraphCollector()
    collector.walk(root)
    collector.end_paragraph()
    return "\n\n".join(collector.paragraphs)


_XML_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _parse_document(content: bytes) -> Optional[etree._Element]:
    """Parse as XHTML (what EPUB requires), else leniently as HTML.

    libxml2's HTML parser ignores the XML declaration and would read UTF-8 as Latin-1, so
    the HTML fallback is told the encoding: the declared one, else UTF-8 (EPUB's default).
    """
    try:
        xml_parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True
        )
        return etree.fromstring(content, xml_parser)
    except etree.XMLSyntaxError:
        pass
    declared = _XML_DECLARED_ENCODING.match(content)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    html_parser = etree.HTMLParser(
        encoding=encoding, remove_comments=True, remove_pis=True, no_network=True
    )
    return etree.fromstring(content, html_parser)


class _ParagraphCollector:
    """Accumulates inline text into paragraphs as the HTML tree is walked."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._inline: list[str] = []

    def end_paragraph(self) -> None:
        raw = "".join(self._inline)
        self._inline.clear()
        lines = (" ".join(line.split()) for line in raw.split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            self.paragraphs.append(paragraph)

    def _add(self, text: Optional[str], preformatted: bool = False) -> None:
        if not text:
            return
        # Outside <pre>, newlines in the source are just whitespace.
        self._inline.append(text if preformatted else re.sub(r"\s+", " ", text))

    def walk(self, element: etree._Element, preformatted: bool = False) -> None:
        tag = element.tag.rsplit("}", 1)[-1].casefold() if isinstance(element.tag, str) else None
        if tag is None or tag in _HTML_DROPPED:
            return
        if tag == "br":
            self._inline.append("\n")
            return
        block = tag in _HTML_BLOCKS
        preformatted = preformatted or tag == "pre"
        if block:
            self.end_paragraph()
        elif tag in _HTML_CELLS:
            self._inline.append(" ")
        self._add(element.text, preformatted)
        for child in element:
            self.walk(child, preformatted)
            self._add(child.tail, preformatted)
        if block:
            self.end_paragraph()
