"""The WARC/WET reader on files written by warcio, including damaged ones."""
from __future__ import annotations

import io

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.readers.base import Failure, Record
from pipeline.readers.warc import WarcOptions, read_warc

ARTICLE = "The committee met on Tuesday and agreed on a new budget for the library."
PAGE = (
    "<!doctype html><html><head>{meta}<title>Budget news</title></head><body>"
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/about'>About us</a></li></ul></nav>"
    "<article><h1>Library budget</h1><p>{body}</p>"
    "<p>Members of the public may read the full minutes at the town hall next week.</p></article>"
    "<footer>Copyright 2026 Example Town. Privacy policy. Terms of use.</footer></body></html>"
)


def _response(writer: WARCWriter, url: str, body: bytes, content_type: str | None, status: str = "200 OK"):
    headers = [("Content-Type", content_type)] if content_type else []
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)


def write_warc(records: list[tuple], gzip: bool = True) -> tuple[bytes, list[int]]:
    """Write (url, body, content_type, status) responses, each preceded by a request record."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "pytest"}))
    offsets = []
    for url, body, ctype, status in records:
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
        offsets.append(buf.tell())
        writer.write_record(_response(writer, url, body, ctype, status))
    return buf.getvalue(), offsets


def page(body: str = ARTICLE, meta: str = "") -> str:
    return PAGE.format(body=body, meta=meta)


def events(data: bytes, uri: str = "t.warc.gz", **opts):
    return list(read_warc(io.BytesIO(data), uri, WarcOptions(**opts)))


def test_html_responses_become_records_with_main_text_and_locator_fields():
    data, _ = write_warc([("http://example.org/a", page().encode(), "text/html; charset=utf-8", "200 OK")])
    assert len(list(ArchiveIterator(io.BytesIO(data)))) == 3  # warcinfo, request, response
    [rec] = events(data)
    assert isinstance(rec, Record)
    assert ARTICLE in rec.text
    assert "About us" not in rec.text and "Privacy policy" not in rec.text
    assert rec.fields["url"] == "http://example.org/a"
    assert rec.fields["record_id"].startswith("<urn:uuid:")
    assert rec.fields["date"] and rec.fields["title"] == "Budget news"
    assert rec.locator == rec.fields["record_id"]


def test_non_200_non_html_and_empty_pages_are_skipped_with_reasons():
    data, _ = write_warc([
        ("http://example.org/missing", b"not found", "text/html", "404 Not Found"),
        ("http://example.org/moved", b"", "text/html", "301 Moved Permanently"),
        ("http://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(50), "image/png", "200 OK"),
        ("http://example.org/empty", b"<html><body></body></html>", "text/html", "200 OK"),
        ("http://example.org/ok", page().encode(), "text/html", "200 OK"),
    ])
    got = [(type(e).__name__, getattr(e, "reason", None)) for e in events(data)]
    assert got == [("Skip", "http_status"), ("Skip", "http_status"), ("Skip", "not_html"),
                   ("Skip", "no_text"), ("Record", None)]


@pytest.mark.parametrize(
    "text,encoded,ctype,meta",
    [
        ("Grüße aus München über die Straße.", "iso-8859-1", "text/html; charset=ISO-8859-1", ""),
        ("Привет, это новости библиотеки города.", "cp1251", "text/html", '<meta charset="windows-1251">'),
        ("Crème brûlée à la française, déjà vu.", "utf-8", "text/html", ""),
    ],
)
def test_charset_from_header_meta_or_detection(text, encoded, ctype, meta):
    body = page(body=text * 3, meta=meta).encode(encoded)
    data, _ = write_warc([("http://example.org/x", body, ctype, "200 OK")])
    [rec] = events(data)
    assert text in rec.text


def test_invalid_bytes_in_declared_charset_are_an_error_with_offset_or_replaced_on_request():
    body = page(body="Caf\u00e9 " + ARTICLE).encode("utf-8").replace("é".encode(), b"\xff")
    data, offsets = write_warc([("http://example.org/bad", body, "text/html; charset=utf-8", "200 OK")])
    [err] = events(data)
    assert isinstance(err, Failure)
    assert err.location.startswith(f"t.warc.gz@{offsets[0]}+")
    assert "invalid utf-8" in err.error
    [rec] = events(data, decode_errors="replace")
    assert isinstance(rec, Record) and "\ufffd" in rec.text


def test_a_corrupt_gzip_member_is_one_failure_and_reading_resumes_after_it():
    pages = [(f"http://example.org/{i}", page(body=f"Page {i}. {ARTICLE}").encode(), "text/html", "200 OK")
             for i in range(6)]
    data, offsets = write_warc(pages)
    damaged = bytearray(data)
    damaged[offsets[2] + 30: offsets[2] + 60] = bytes(30)
    got = events(bytes(damaged))
    kinds = [type(e).__name__ for e in got]
    assert kinds == ["Record", "Record", "Failure", "Record", "Record", "Record"]
    assert got[2].location == f"t.warc.gz@{offsets[2]}"
    assert [e.fields["url"] for e in got if isinstance(e, Record)] == [
        "http://example.org/0", "http://example.org/1", "http://example.org/3",
        "http://example.org/4", "http://example.org/5"]


def test_a_truncated_file_keeps_every_complete_record_and_reports_the_cut():
    pages = [(f"http://example.org/{i}", page().encode(), "text/html", "200 OK") for i in range(4)]
    data, offsets = write_warc(pages)
    got = events(data[: offsets[3] + 100])
    assert [type(e).__name__ for e in got] == ["Record", "Record", "Record", "Failure"]
    assert got[-1].location == f"t.warc.gz@{offsets[3]}"
    assert "truncated" in got[-1].error


def test_uncompressed_warc_with_a_mangled_header_resyncs_on_the_next_record():
    pages = [(f"http://example.org/{i}", page().encode(), "text/html", "200 OK") for i in range(4)]
    data, offsets = write_warc(pages, gzip=False)
    damaged = bytearray(data)
    damaged[offsets[1]: offsets[1] + 8] = b"GARBAGE!"
    kinds = [type(e).__name__ for e in events(bytes(damaged), uri="t.warc")]
    assert kinds == ["Record", "Failure", "Record", "Record"]


def test_wet_conversion_records_are_read_as_text():
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(3):
        text = f"Plain text of page {i}.\nSecond line.".encode()
        rec = writer.create_warc_record(f"http://example.org/{i}", "conversion", payload=io.BytesIO(text),
                                        warc_content_type="text/plain")
        writer.write_record(rec)
    got = events(buf.getvalue(), uri="t.warc.wet.gz", kind="wet")
    assert [e.text for e in got] == [f"Plain text of page {i}.\nSecond line." for i in range(3)]
    assert all(isinstance(e, Record) and e.fields["url"].startswith("http://example.org/") for e in got)


def test_trafilatura_extractor_gives_the_main_text_too():
    data, _ = write_warc([("http://example.org/a", page().encode(), "text/html", "200 OK")])
    [rec] = events(data, extractor="trafilatura")
    assert ARTICLE in rec.text and "About us" not in rec.text


def _signature(got) -> list[tuple[str, str]]:
    return [(type(e).__name__, getattr(e, "locator", None) or getattr(e, "location", None) or e.reason) for e in got]


def _in_two_parts(data: bytes, cut: int, uri: str = "t.warc.gz") -> list:
    first = read_warc(io.BytesIO(data), uri, start=0, end=cut)
    return [*first, *read_warc(io.BytesIO(data), uri, start=cut, end=None)]


@pytest.mark.parametrize("damage", ["none", "corrupt member", "truncated"])
def test_two_parts_cut_anywhere_read_every_record_exactly_once(damage):
    pages = [(f"http://example.org/{i}", page(body=f"Page {i}. {ARTICLE}").encode(), "text/html", "200 OK")
             for i in range(6)] + [("http://example.org/gone", b"", "text/html", "404 Not Found")]
    data, offsets = write_warc(pages)
    if damage == "corrupt member":
        damaged = bytearray(data)
        damaged[offsets[2] + 30: offsets[2] + 60] = bytes(30)
        data = bytes(damaged)
    elif damage == "truncated":
        data = data[: offsets[5] + 100]
    whole = _signature(events(data))
    assert len(whole) >= 6
    for cut in range(1, len(data), 41):
        assert _signature(_in_two_parts(data, cut)) == whole, cut


def test_an_uncompressed_warc_is_read_whole_by_its_first_part_only():
    pages = [(f"http://example.org/{i}", page().encode(), "text/html", "200 OK") for i in range(3)]
    data, offsets = write_warc(pages, gzip=False)
    assert len(list(read_warc(io.BytesIO(data), "t.warc", start=0, end=offsets[1]))) == 3
    assert list(read_warc(io.BytesIO(data), "t.warc", start=offsets[1], end=None)) == []


def test_a_part_starts_at_a_member_that_holds_a_record_not_at_any_gzip_header():
    import gzip

    from pipeline.readers.warc import _first_record_member

    data, _ = write_warc([("http://example.org/a", page().encode(), "text/html", "200 OK")])
    decoy = gzip.compress(b"not a WARC record, just a gzip member")
    assert _first_record_member(io.BytesIO(decoy + data), 0) == len(decoy)
    assert _first_record_member(io.BytesIO(decoy + data), len(decoy) + len(data)) is None
