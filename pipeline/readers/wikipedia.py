"""Reader for MediaWiki XML exports (Wikipedia `pages-articles` dumps and the like).

`read_mediawiki` streams the XML through lxml's pull parser and clears every page once it has been
turned into an event, so a multi-GB dump is read in constant memory. The export schema's XML
namespace changes with each MediaWiki version (export-0.10, 0.11, ...), so elements are matched
by local name only. `wikitext_to_text` renders wikitext to plain prose with mwparserfromhell:
what a reader of the rendered page sees as running text stays, everything else (templates,
references, tables, files, categories, markup) goes.
"""
from __future__ import annotations

import bz2
import io
import re
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Optional

import mwparserfromhell
from lxml import etree
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from pipeline.readers.base import Event, Failure, Pending, Record, Skip, describe_error, pattern_offsets

# --- what is not prose -----------------------------------------------------------------------

# Tags whose content is markup, data or citations rather than running text.
_DROPPED_TAGS = frozenset(
    {
        "ref", "references", "math", "chem", "ce", "gallery", "timeline", "score",
        "syntaxhighlight", "source", "templatedata", "templatestyles", "imagemap", "graph",
        "mapframe", "maplink", "categorytree", "inputbox", "hiero", "includeonly", "section",
        "indicator", "charinsert", "table", "tr", "td", "th", "caption", "style", "script",
    }
)
# HTML tags that render as blocks: their content becomes its own line(s).
_BLOCK_TAGS = frozenset({"div", "p", "blockquote", "center", "ul", "ol", "dl", "li", "dt", "dd", "pre"})
# Wiki list markup (`*`, `#`, `;`, `:`) parses as these tags with no content.
_LIST_MARKERS = frozenset({"li", "dt", "dd"})

# Namespace prefixes (case-folded) of links that embed media or file a page in a category.
_FILE_NAMESPACES = frozenset(
    {
        "file", "image", "media", "datei", "bild", "fichier", "archivo", "imagen", "immagine",
        "файл", "plik", "bestand", "afbeelding", "arquivo", "ficheiro", "fil", "tiedosto",
        "soubor", "dosya", "fájl", "ファイル", "画像", "文件", "圖像", "图像", "파일",
    }
)
_CATEGORY_NAMESPACES = frozenset(
    {
        "category", "kategorie", "catégorie", "categoría", "categoria", "категория",
        "kategoria", "categorie", "kategori", "luokka", "kategória", "kategorija", "カテゴリ",
        "分类", "分類", "분류",
    }
)
# Interlanguage prefixes: `de`, `als`, `zh-min-nan`, `be-tarask`, plus the odd long ones.
_LANGUAGE_PREFIX = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,8})*$")
_LONG_LANGUAGE_PREFIXES = frozenset({"simple", "zh-classical", "zh-yue", "nds-nl"})

# Disambiguation templates, normalized (case-folded, underscores as spaces, no `Template:`).
_DISAMBIGUATION_TEMPLATES = frozenset(
    {
        "disambiguation", "disambig", "dab", "disamb", "dbig", "hndis", "geodis", "numberdis",
        "letter-number combination disambiguation", "disambiguation cleanup", "set index",
        "begriffsklärung", "homonymie", "desambiguación", "disambigua", "неоднозначность",
        "ujednoznacznienie",
    }
)
_DISAMBIGUATION_EXCLUDED = frozenset({"disambiguation needed"})

_REDIRECT = re.compile(r"^\s*#\s*redirect\b", re.IGNORECASE)
_MAGIC_WORD = re.compile(r"__[^\W\d_](?:\w*[^\W_])?__")
_APOSTROPHE_MARKUP = re.compile(r"'{2,}")
_STRAY_TAG = re.compile(
    r"</?(?:" + "|".join(sorted(_DROPPED_TAGS)) + r")\b[^>]*>", re.IGNORECASE
)
_EMPTY_PARENS = re.compile(r"[(\[]\s*(?:[,;:–—-]\s*)*[)\]]")
_LEADING_PUNCT_IN_PARENS = re.compile(r"\(\s*[,;:]\s*")
# Only `,` and `.`: French typography puts a space before `;`, `:`, `!` and `?`.
_SPACE_BEFORE_PUNCT = re.compile(r"[^\S\n]+([,.])(?=\s|$)")
_SPACES = re.compile(r"[^\S\n]+")

# Sentinels used between rendering and layout. They cannot occur in page text: XML 1.0
# forbids these control characters.
_HEADING = "\x00"  # starts a heading line; followed by the level digit
_ITEM = "\x01"  # starts a list-item line
_BREAK = "\x02"  # a hard line break (<br>, poem lines)


# --- reading the dump ------------------------------------------------------------------------


class _CountingReader:
    """Wraps the stream to know how many bytes were consumed, for read-error locations."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.consumed += len(data)
        return data


def read_mediawiki(
    stream: BinaryIO,
    uri: str,
    *,
    namespaces: tuple[int, ...] = (0,),
    skip_disambiguation: bool = True,
    defer: bool = False,
    part: str = "",
) -> Iterator[Event | Pending]:
    """Yield one event per `<page>` of an (already decompressed) MediaWiki XML export.

    Malformed XML ends the file with one Failure at the line and column the parser stopped at;
    the pages before it have already been yielded. A page whose wikitext cannot be converted is
    a Failure of that page alone, and reading goes on.

    With `defer`, a page that needs rendering comes out as a `WikiPage` (a `Pending`) instead
    of its record: parsing the XML runs at tens of MB/s, rendering at a few hundred pages/s, so
    a pipeline resolves pages on all its workers rather than on the one reading the dump.
    `part` (such as `@1234`) follows `uri` in the location of an error in the XML itself, whose
    line and column count from the start of that part (`read_multistream_part`).
    """
    reader = _CountingReader(stream)
    try:
        for page in _parsed_pages(reader):
            event = _page_event(page, uri, namespaces, skip_disambiguation)
            yield event if defer or not isinstance(event, WikiPage) else event.resolve()
            _release(page)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position
        yield Failure(location=f"{uri}{part}:line {line} col {col}", error=describe_error(exc))
    except Exception as exc:  # a broken stream (truncated .bz2, I/O error) ends the file
        yield Failure(location=f"{uri}{part}@byte {reader.consumed}", error=describe_error(exc))


_FEED_BYTES = 1 << 16


def _parsed_pages(reader: _CountingReader) -> Iterator[etree._Element]:
    """Each `<page>` element as the parser completes it; XMLSyntaxError after the pages before it.

    A pull parser fed in chunks, not `etree.iterparse`: since lxml 6.2, iterparse raises a
    syntax error as soon as the chunk holding it is parsed and drops the pages it completed
    earlier in that chunk; the pull parser keeps them, and they are read out before the error
    is raised.
    """
    parser = etree.XMLPullParser(
        events=("end",),
        tag="{*}page",
        huge_tree=True,  # article texts can exceed libxml2's 10 MB text-node limit
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
    )
    while chunk := reader.read(_FEED_BYTES):
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError:
            yield from (page for _, page in parser.read_events())
            raise
        yield from (page for _, page in parser.read_events())
    parser.close()  # a document cut short raises here; its open page is not a page (not read out)


# --- multistream dumps in parts --------------------------------------------------------------

# A bz2 stream's header ("BZh" and the block size digit) followed by its first block's magic.
_BZ2_STREAM = re.compile(rb"BZh[1-9]\x31\x41\x59\x26\x53\x59")
_BZ2_STREAM_BYTES = 10
_PAGE_STARTS = (b"<page", b"</mediawiki")


def page_stream_at_or_after(raw: BinaryIO, position: int, limit: int | None = None) -> int | None:
    """Offset of the first bz2 stream at or after `position` that starts with a `<page>`.

    Wikimedia's multistream dumps hold 100 whole pages per stream, so such a stream is a place
    to start reading. Any other concatenated bz2 (pbzip2 cuts anywhere) has streams that start
    mid-page, and they do not count. Adjacent parts of a dump call this with the same offset
    and agree where one ends and the next begins. `limit`: give up after that many bytes.
    """
    for at in pattern_offsets(raw, position, _BZ2_STREAM, _BZ2_STREAM_BYTES - 1, limit=limit):
        if _opens_pages(raw, at):
            return at
    return None


def _opens_pages(raw: BinaryIO, at: int) -> bool:
    """Whether the bz2 stream at `at` decompresses to a `<page>` (or the closing tag) first."""
    raw.seek(at)
    decompressor = bz2.BZ2Decompressor()
    out = b""
    try:
        while not out.strip() and not decompressor.eof:
            chunk = raw.read(1 << 16)
            if not chunk:
                break
            out += decompressor.decompress(chunk)  # a whole block (<= 900 kB) comes out at once
    except (OSError, ValueError):
        return False
    return out.lstrip().startswith(_PAGE_STARTS)


class _Window:
    """The bytes [start, stop) of a seekable stream (stop None: to its end), as a stream."""

    def __init__(self, raw: BinaryIO, start: int, stop: int | None) -> None:
        raw.seek(start)
        self._raw, self._left = raw, None if stop is None else stop - start

    def read(self, size: int = -1) -> bytes:
        if self._left is not None:
            size = self._left if size < 0 else min(size, self._left)
        data = self._raw.read(size)
        if self._left is not None:
            self._left -= len(data)
        return data


class _Framed:
    """`head`, then a stream, then `tail`: a part's pages inside a `<mediawiki>` root."""

    def __init__(self, head: bytes, body: BinaryIO, tail: bytes) -> None:
        self._pieces = [io.BytesIO(head), body, io.BytesIO(tail)]

    def read(self, size: int = -1) -> bytes:
        out = b""
        while self._pieces and (size < 0 or len(out) < size):
            data = self._pieces[0].read(-1 if size < 0 else size - len(out))
            if data:
                out += data
            else:
                self._pieces.pop(0)
        return out


def read_multistream_part(raw: BinaryIO, uri: str, start: int, end: int | None, **options) -> Iterator[Event | Pending]:
    """The pages of a multistream .bz2 dump whose streams start in [start, end), cut at page streams.

    `raw` is the compressed file. The part runs from the first page stream at or after `start`
    (the dump's beginning when start is 0) to the first at or after `end`, so the parts of a
    dump cut anywhere read every page once. Its pages are framed in a `<mediawiki>` root (the
    first part has the dump's own) and read by `read_mediawiki` with `options`.
    """
    first = 0 if start == 0 else page_stream_at_or_after(raw, start)
    stop = None if end is None else page_stream_at_or_after(raw, end)
    if first is None or (stop is not None and first >= stop):
        return
    body = bz2.BZ2File(_Window(raw, first, stop))
    xml = _Framed(b"" if first == 0 else b"<mediawiki>", body, b"" if stop is None else b"</mediawiki>")
    yield from read_mediawiki(xml, uri, part=f"@{first}", **options)


def _release(page: etree._Element) -> None:
    """Free a processed page and the already-processed siblings still hanging off the root."""
    page.clear(keep_tail=False)
    parent = page.getparent()
    if parent is None:
        return
    while page.getprevious() is not None:
        del parent[0]


@dataclass(frozen=True)
class WikiPage(Pending):
    """A page found in the dump whose wikitext still has to be rendered (see `read_mediawiki`)."""

    location: str
    title: str
    wikitext: str
    fields: tuple[tuple[str, str], ...]
    skip_disambiguation: bool

    def resolve(self) -> Event:
        """The page's record, or a skip (disambiguation, nothing left) or failure."""
        try:
            wikicode = mwparserfromhell.parse(self.wikitext)
            if self.skip_disambiguation and _is_disambiguation(self.title, self.wikitext, wikicode):
                return Skip(reason="disambiguation", location=self.location)
            text = _render(wikicode)
        except Exception as exc:  # one unparsable page must not stop the dump
            return Failure(location=self.location, error=describe_error(exc))
        if not text:
            return Skip(reason="empty_text", location=self.location)
        fields = dict(self.fields)
        return Record(text=text, locator=fields["page_id"], fields=fields)


def _page_event(
    page: etree._Element, uri: str, namespaces: tuple[int, ...], skip_disambiguation: bool
) -> Event | WikiPage:
    """Decide what one page is: a page to render, a skip with its reason, or a failure.

    Everything decided here is cheap (XML fields, the redirect pattern); rendering is left to
    `WikiPage.resolve`.
    """
    title = _child_text(page, "title") or ""
    page_id = _child_text(page, "id")
    location = f"{uri}#page {page_id}" if page_id else f"{uri}#title {title}"
    if not page_id:
        return Failure(location=location, error="page has no <id>")
    ns_text = _child_text(page, "ns")
    try:
        ns = int(ns_text) if ns_text is not None else 0
    except ValueError:
        return Failure(location=location, error=f"invalid <ns> {ns_text!r}")
    if ns not in namespaces:
        return Skip(reason="namespace", location=location)

    revision = _last_child(page, "revision")
    model = _child_text(revision, "model") if revision is not None else None
    if model and model != "wikitext":  # JSON, Lua, CSS pages (Wikidata items, modules, ...)
        return Skip(reason="not_wikitext", location=location)
    wikitext = (_child_text(revision, "text") if revision is not None else None) or ""
    if _child(page, "redirect") is not None or _REDIRECT.match(wikitext):
        return Skip(reason="redirect", location=location)

    fields = [("page_id", page_id)]
    if title:
        fields.append(("title", title))
    if revision is not None:
        for name, key in (("id", "revision_id"), ("timestamp", "timestamp")):
            value = _child_text(revision, name)
            if value:
                fields.append((key, value))
    return WikiPage(location=location, title=title, wikitext=wikitext, fields=tuple(fields),
                    skip_disambiguation=skip_disambiguation)


def _local_name(element: etree._Element) -> Optional[str]:
    """The tag without its namespace; None for comments and processing instructions."""
    tag = element.tag
    if not isinstance(tag, str):
        return None
    return tag.rsplit("}", 1)[-1]


def _child(element: etree._Element, name: str) -> Optional[etree._Element]:
    """First child with this local name, whatever the export schema's namespace."""
    for child in element:
        if _local_name(child) == name:
            return child
    return None


def _last_child(element: etree._Element, name: str) -> Optional[etree._Element]:
    """Last child with this local name: the newest revision in a full-history export."""
    found = None
    for child in element:
        if _local_name(child) == name:
            found = child
    return found


def _child_text(element: etree._Element, name: str) -> Optional[str]:
    """Stripped text of the first child with this local name, None when absent."""
    child = _child(element, name)
    if child is None or child.text is None:
        return None
    return child.text.strip() if name != "text" else child.text


def _normalize_template_name(name: str) -> str:
    """`Template:Disambig_cleanup ` → `disambig cleanup`, for comparing template names."""
    name = " ".join(name.replace("_", " ").split()).casefold()
    return name.removeprefix("template:").strip()


def _is_disambiguation(title: str, wikitext: str, wikicode: Wikicode) -> bool:
    """A disambiguation page by title, by `__DISAMBIG__`, or by one of its templates."""
    if title.rstrip().casefold().endswith("(disambiguation)"):
        return True
    for template in wikicode.filter_templates(recursive=False):
        name = _normalize_template_name(str(template.name))
        if name in _DISAMBIGUATION_EXCLUDED:
            continue
        if name in _DISAMBIGUATION_TEMPLATES or name.endswith(" disambiguation"):
            return True
    return "__DISAMBIG__" in wikitext


# --- wikitext to text ------------------------------------------------------------------------


def wikitext_to_text(wikitext: str) -> str:
    """Render wikitext as plain prose: paragraphs separated by one blank line.

    Headings are kept as lines of their own (a heading whose section turned out empty, such
    as "References", is dropped), list items as lines without their markers, link text in
    place of links; templates, references, tables, files, categories, interlanguage links,
    comments, magic words and non-prose tags are removed.
    """
    return _render(mwparserfromhell.parse(wikitext))


def _render(wikicode: Wikicode) -> str:
    """Render parsed wikitext to the final layout."""
    renderer = _Renderer()
    renderer.render(wikicode)
    return _layout(renderer.text())


class _Renderer:
    """Walks the node tree and writes visible text, with sentinels for lines that matter."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def text(self) -> str:
        return "".join(self._parts)

    def _at_line_start(self) -> bool:
        for part in reversed(self._parts):
            if part:
                return part.endswith("\n")
        return True

    def _newline(self) -> None:
        if not self._at_line_start():
            self._parts.append("\n")

    def render(self, wikicode: Optional[Wikicode]) -> None:
        if wikicode is None:
            return
        for node in wikicode.nodes:
            self._node(node)

    def _node(self, node: Node) -> None:
        if isinstance(node, Text):
            self._parts.append(node.value)
        elif isinstance(node, Wikilink):
            self._wikilink(node)
        elif isinstance(node, ExternalLink):
            self._external_link(node)
        elif isinstance(node, Tag):
            self._tag(node)
        elif isinstance(node, Heading):
            self._heading(node)
        elif isinstance(node, HTMLEntity):
            self._parts.append(node.normalize())
        elif isinstance(node, Template):
            self._parts.append(_inline_template_text(node))
        elif isinstance(node, Argument):
            self.render(node.default)
        elif isinstance(node, Comment):
            pass

    def _wikilink(self, link: Wikilink) -> None:
        title = str(link.title).strip()
        if title.startswith(":"):  # [[:Category:X]] is a visible link, not a categorization
            title = title[1:].lstrip()
        elif ":" in title:
            prefix = title.split(":", 1)[0].strip()
            folded = prefix.replace("_", " ").casefold()
            if folded in _FILE_NAMESPACES or folded in _CATEGORY_NAMESPACES:
                return
            is_language = _LANGUAGE_PREFIX.match(prefix) or prefix in _LONG_LANGUAGE_PREFIXES
            if is_language and link.text is None:
                return
        if link.text is None:
            self._parts.append(title.lstrip("#").replace("_", " "))
        elif not str(link.text).strip():
            self._parts.append(_pipe_trick(title))
        else:
            self.render(link.text)

    def _external_link(self, link: ExternalLink) -> None:
        if link.title is not None and str(link.title).strip():
            self.render(link.title)
        elif not link.brackets:  # a bare URL shows as itself; [http://x] as a footnote number
            self._parts.append(str(link.url))

    def _heading(self, heading: Heading) -> None:
        inner = _Renderer()
        inner.render(heading.title)
        title = " ".join(inner.text().replace(_BREAK, " ").split())
        self._newline()
        if title:
            self._parts.append(f"{_HEADING}{heading.level}{title}\n")

    def _tag(self, tag: Tag) -> None:
        name = str(tag.tag).strip().casefold()
        if name in _DROPPED_TAGS:
            return
        if name == "br":
            self._parts.append(_BREAK)
            return
        if tag.wiki_markup and name in _LIST_MARKERS:
            # `;term : definition` puts the definition on a line of its own.
            self._newline()
            self._parts.append(_ITEM)
            return
        if name == "hr":
            self._newline()
            return
        if name == "poem":
            inner = _Renderer()
            inner.render(tag.contents)
            self._newline()
            self._parts.append(inner.text().strip("\n").replace("\n", _BREAK))
            self._parts.append("\n")
            return
        block = name in _BLOCK_TAGS
        if block:
            self._newline()
        self.render(tag.contents)
        if block:
            self._newline()


def _pipe_trick(title: str) -> str:
    """`[[Paris (band)|]]` shows `Paris`, `[[Seattle, Washington|]]` shows `Seattle`."""
    if ":" in title:
        title = title.split(":", 1)[1]
    stripped = re.sub(r"\s*\([^()]*\)\s*$", "", title)
    if stripped == title and ", " in title:
        stripped = title.split(", ", 1)[0]
    return stripped.replace("_", " ").strip()


# Templates that only stand for a character or a spaced dash.
_PUNCTUATION_TEMPLATES = {
    "nbsp": " ", "ndash": "–", "mdash": "—", "snd": " – ", "spaced ndash": " – ",
    "spnd": " – ", "sndash": " – ", "spaced en dash": " – ", "dot": " · ", "middot": "·",
}


def _positional(template: Template) -> list[str]:
    """Positional parameter values of a template, as stripped text."""
    return [str(p.value).strip() for p in template.params if not p.showkey]


def _inline_template_text(template: Template) -> str:
    """Text of the few inline templates whose output is part of the sentence; '' otherwise.

    Infoboxes, citations, navboxes and maintenance templates are dropped, but dropping
    `{{convert|10|km}}` or `{{lang|fr|Paris}}` would leave holes in the prose.
    """
    name = _normalize_template_name(str(template.name))
    if name in _PUNCTUATION_TEMPLATES:
        return _PUNCTUATION_TEMPLATES[name]
    args = _positional(template)
    if name in ("nowrap", "nobr", "nobreak", "small", "smaller", "big", "ill", "interlanguage link") and args:
        return _plain(args[0])
    if name == "lang" and len(args) >= 2:
        return _plain(args[1])
    if name in ("convert", "cvt") and len(args) >= 2:
        if len(args) >= 4 and args[1] in ("-", "–", "to", "and", "or", "by", "x", "×", "+"):
            return f"{args[0]} {args[1]} {args[2]} {args[3]}"
        return f"{args[0]} {args[1]}"
    return ""


def _plain(wikitext: str) -> str:
    """Render a template argument (which may hold links or markup) to plain text."""
    renderer = _Renderer()
    renderer.render(mwparserfromhell.parse(wikitext))
    return renderer.text().replace(_BREAK, " ").replace("\n", " ")


# --- layout ----------------------------------------------------------------------------------


def _strip_residual_markup(text: str) -> str:
    """Remove markup the parser left as text: unbalanced tables, quotes, tags, magic words."""
    text = _MAGIC_WORD.sub(lambda m: "" if m.group(0).isupper() else m.group(0), text)
    text = _STRAY_TAG.sub("", text)
    text = _APOSTROPHE_MARKUP.sub("", text)
    kept: list[str] = []
    depth = 0
    for line in text.split("\n"):
        stripped = line.lstrip(_ITEM + " \t")
        if stripped.startswith("{|"):
            depth += 1
        elif depth and stripped.startswith("|}"):
            depth -= 1
        elif not depth:
            kept.append(line)
    return "\n".join(kept)


def _tidy_line(line: str) -> str:
    """Collapse spaces and clean the holes left by removed templates and references."""
    line = _SPACES.sub(" ", line)
    line = _EMPTY_PARENS.sub("", line)
    line = _LEADING_PUNCT_IN_PARENS.sub("(", line)
    line = _SPACE_BEFORE_PUNCT.sub(r"\1", line)
    return _SPACES.sub(" ", line).strip()


def _layout(rendered: str) -> str:
    """Turn rendered lines into paragraphs: prose lines of one paragraph join with a space
    (as MediaWiki renders them), list items and hard breaks stay on their own lines, headings
    become their own paragraph, and headings of sections that ended up empty are dropped."""
    blocks: list[tuple[int, str]] = []  # (heading level or 0 for text, content)
    current: list[str] = []
    previous_was_prose = False

    def flush() -> None:
        nonlocal previous_was_prose
        if current:
            blocks.append((0, "\n".join(current)))
            current.clear()
        previous_was_prose = False

    for raw in _strip_residual_markup(rendered).split("\n"):
        if raw.startswith(_HEADING):
            flush()
            title = _tidy_line(raw[2:])
            if title:
                blocks.append((int(raw[1]), title))
            continue
        is_item = raw.lstrip().startswith(_ITEM)
        line = _tidy_line(raw.replace(_ITEM, " "))
        if not line:
            if not is_item:  # a blank line ends the paragraph; an emptied list item does not
                flush()
            continue
        if not is_item and previous_was_prose:
            current[-1] = f"{current[-1]} {line}"
        else:
            current.append(line)
        previous_was_prose = not is_item
    flush()

    kept: list[str] = []
    for index, (level, content) in enumerate(blocks):
        if level and not _section_has_text(blocks, index):
            continue
        lines = (_tidy_line(line) for line in content.replace(_BREAK, "\n").split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            kept.append(paragraph)
    return "\n\n".join(kept)


def _section_has_text(blocks: list[tuple[int, str]], index: int) -> bool:
    """Whether the heading at `index` is followed by text before a heading of its rank."""
    level = blocks[index][0]
    for next_level, _ in blocks[index + 1 :]:
        if next_level == 0:
            return True
        if next_level <= level:
            return False
    return False
