"""WARC and WET files (CommonCrawl's formats) read with warcio, resilient to corruption.

A WARC's documents are its HTTP response records: status 200 with an HTML body becomes a record
with the page's main text; other responses are skipped with a reason (`http_status`,
`not_html`, `no_text`). A WET's documents are its `conversion` records, already plain text.
Request, metadata and warcinfo records are not documents and are not counted.

Corruption does not end the file. When a record cannot be parsed (a damaged gzip member, a
mangled header) the reader reports one failure at that record's byte offset, then scans forward
for the next gzip member (or, uncompressed, the next `WARC/1.x` line) and carries on. A
truncated file ends with one failure after everything before the cut has been read.
"""
from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Literal

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from pipeline.readers.base import SCAN_CHUNK, Event, Failure, Record, Skip, describe_error, pattern_offsets
from pipeline.readers.html import Extractor, UndecodableError, decode_html, extract_main_text

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_GZIP_MEMBER = re.compile(re.escape(_GZIP_MAGIC))
_WARC_LINE = re.compile(rb"(?<=\n)" + re.escape(_WARC_MAGIC))  # a version line, after a newline
_MEMBER_PROBE = 1 << 12  # compressed bytes read to check that a member starts a record


@dataclass(frozen=True)
class WarcOptions:
    kind: Literal["warc", "wet"] = "warc"
    extractor: Extractor = "resiliparse"
    decode_errors: Literal["strict", "replace"] = "strict"


def read_warc(stream: BinaryIO, uri: str, opts: WarcOptions = WarcOptions(),
              start: int = 0, end: int | None = None) -> Iterator[Event]:
    """Yield one event per document record of a WARC/WET stream (gzipped or not).

    `start`/`end` read one part of a gzipped file: from the first record member at or after
    `start` to the first at or after `end` (`_first_record_member`). Adjacent parts compute the
    same boundary, so byte ranges cut anywhere split the file's records, failures and
    truncation exactly, each to one part (see `pipeline.sources.split_units`). An uncompressed
    file is not split: its first part reads it whole and the others read nothing, because a
    `WARC/1.` line inside a payload would look like a record start.
    """
    if start or end is not None:
        if not _is_gzipped(stream):
            if start:
                return
            end = None
        else:
            if end is not None:
                end = _first_record_member(stream, end)  # None: this part reads to the end
            if start:
                first = _first_record_member(stream, start)
                if first is None or (end is not None and first >= end):
                    return
                start = first
    while True:
        try:
            stream.seek(start)
        except (OSError, io.UnsupportedOperation):
            if start:
                return
        iterator = ArchiveIterator(stream, check_digests=False)
        last_failure = -1
        try:
            for record in iterator:
                offset = iterator.offset  # start of this record until warcio reads past it
                if end is not None and offset >= end:
                    return  # the next part's record
                try:
                    event = _record_event(record, uri, offset, opts)
                except Exception as exc:  # noqa: BLE001 - a bad record is counted, not fatal
                    last_failure = offset
                    event = Failure(f"{uri}@{offset}", describe_error(exc))
                if event is not None:
                    yield event
        except Exception as exc:  # noqa: BLE001 - a damaged stream: report once, then resync
            failed_at = iterator.offset
            if end is not None and failed_at >= end:
                return  # the next part reports it
            resume = _next_sync_point(stream, failed_at + 1)
            if failed_at != last_failure:
                what = "damaged record" if resume is not None else "truncated or damaged record at the end"
                yield Failure(f"{uri}@{failed_at}", f"{what}: {describe_error(exc)}")
            if resume is None or (end is not None and resume >= end):
                return
            start = resume
            continue
        if end is None:  # only the last part sees the end of the file
            trailing = _unread_tail(stream, iterator.offset)
            if trailing:
                yield Failure(f"{uri}@{iterator.offset}", f"truncated: {trailing} bytes at the end are no complete record")
        return


def _record_event(record: ArcWarcRecord, uri: str, offset: int, opts: WarcOptions) -> Event | None:
    """The event for one record; None for records that are not documents.

    A record whose block ends before its Content-Length (a file cut inside it) is a failure:
    warcio hands such a record out as if it were whole.
    """
    event = _document_event(record, uri, offset, opts)
    if event is None:
        return None
    record.raw_stream.read()  # consume the rest, so a short block shows in the limit left
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        return Failure(f"{uri}@{offset}", f"truncated record: {missing} of {record.length} bytes missing")
    return event


def _document_event(record: ArcWarcRecord, uri: str, offset: int, opts: WarcOptions) -> Event | None:
    rtype = record.rec_type
    location = f"{uri}@{offset}"
    if opts.kind == "wet":
        if rtype != "conversion":
            return None
        text = record.content_stream().read().decode("utf-8", "replace")
        return _make_record(text, record, title="")
    if rtype != "response":
        return None
    if record.http_headers is None:
        return Skip("not_http", location)
    status = record.http_headers.get_statuscode()
    if status != "200":
        record.content_stream().read()
        return Skip("http_status", location)
    content_type = record.http_headers.get_header("Content-Type") or ""
    body = record.content_stream().read()
    if not _is_html(content_type, body):
        return Skip("not_html", location)
    try:
        page = decode_html(body, content_type, errors=opts.decode_errors)
    except UndecodableError as exc:
        return Failure(f"{location}+{exc.offset}", str(exc))
    extracted = extract_main_text(page.text, opts.extractor)
    if not extracted.text.strip():
        return Skip("no_text", location)
    return _make_record(extracted.text, record, title=extracted.title, charset=page.charset)


def _is_html(content_type: str, body: bytes) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime:
        return mime in _HTML_TYPES
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _make_record(text: str, record: ArcWarcRecord, *, title: str, charset: str = "") -> Record:
    headers = record.rec_headers
    record_id = headers.get_header("WARC-Record-ID") or ""
    refers_to = headers.get_header("WARC-Refers-To") or ""
    fields = {
        "url": headers.get_header("WARC-Target-URI") or "",
        "date": headers.get_header("WARC-Date") or "",
        "record_id": record_id,
    }
    if title:
        fields["title"] = title
    if charset:
        fields["charset"] = charset
    if refers_to:
        fields["refers_to"] = refers_to
    locator = record_id or f"{fields['url']}@{fields['date']}"
    return Record(text=text, locator=locator, fields=fields)


def _unread_tail(stream: BinaryIO, end: int) -> int:
    """Bytes after the last complete record that warcio silently ignored (a truncated member).

    warcio treats a gzip member cut short as the end of the file; comparing where its last
    record ended with the stream's size is what reveals the truncation. Whitespace padding
    is not data. Unseekable streams cannot be checked and report 0.
    """
    try:
        stream.seek(end)
        tail = stream.read(SCAN_CHUNK)
        more = len(stream.read()) if len(tail) == SCAN_CHUNK else 0
    except (OSError, io.UnsupportedOperation):
        return 0
    return 0 if not tail.strip() else len(tail) + more


def _is_gzipped(stream: BinaryIO) -> bool:
    """Whether the stream starts with a gzip header (leaves the position at 2)."""
    try:
        stream.seek(0)
    except (OSError, io.UnsupportedOperation):
        return False
    return stream.read(2) == _GZIP_MAGIC[:2]


def _first_record_member(stream: BinaryIO, position: int) -> int | None:
    """Offset of the first gzip member at or after `position` that holds a WARC record.

    The gzip magic can occur inside compressed data, so a candidate counts only when it
    inflates to a `WARC/1.` version line: adjacent parts then agree on where one ends and
    the next begins.
    """
    while (at := _next_sync_point(stream, position)) is not None:
        stream.seek(at)
        try:
            head = zlib.decompressobj(wbits=31).decompress(stream.read(_MEMBER_PROBE), len(_WARC_MAGIC))
        except zlib.error:
            head = b""
        if head == _WARC_MAGIC:
            return at
        position = at + 1
    return None


def _next_sync_point(stream: BinaryIO, position: int) -> int | None:
    """Offset of the next plausible record start at or after `position`, or None at the end.

    Gzipped WARCs hold one record per gzip member, so the next member header is the next
    record; an uncompressed WARC's records start with a `WARC/1.x` version line.
    """
    try:
        gzipped = _is_gzipped(stream)
        stream.seek(position)
        head = stream.read(len(_WARC_MAGIC))
    except (OSError, io.UnsupportedOperation):
        return None
    if gzipped:
        return next(pattern_offsets(stream, position, _GZIP_MEMBER, len(_GZIP_MAGIC) - 1), None)
    if head == _WARC_MAGIC:  # at `position` itself no newline is needed
        return position
    return next(pattern_offsets(stream, position, _WARC_LINE, len(_WARC_MAGIC)), None)
