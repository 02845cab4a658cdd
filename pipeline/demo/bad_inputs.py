"""Small, real-format, deliberately broken inputs for reader error-handling tests.

Each file is broken the way files break in practice (a download cut short, one damaged gzip
member, mislabelled bytes, a bad line in a JSONL dump, a damaged archive) and contains good
units before (and, where the format allows, after) the damage, so a test can check that a
reader keeps what it can, reports a failure with a location, and goes on. `bad_inputs.json`
next to the files records, per file, how many good units come before the damage.
"""
from __future__ import annotations

import bz2
import io
import json
import uuid
import zipfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .archives import tar_gz_bytes
from .wiki import _header

_NS = uuid.UUID("0b7c5f3e-93c4-4c1e-8d47-6261642d696e")


def _warc_members(bodies: list[bytes], content_type: str = "text/html; charset=utf-8") -> tuple[bytes, list[int]]:
    """Gzipped WARC with one response record per body; returns the bytes and member offsets."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    offsets = []
    for i, body in enumerate(bodies):
        offsets.append(buf.tell())
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                                protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            f"https://bad-inputs.example.org/page-{i}.html", "response", payload=io.BytesIO(body),
            length=len(body), http_headers=http,
            warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(_NS, str(i))}>",
                               "WARC-Date": f"2025-12-01T00:00:{i:02d}Z"})
        writer.write_record(rec)
    offsets.append(buf.tell())
    return buf.getvalue(), offsets


def _page(i: int, filler: str = "") -> bytes:
    words = " ".join(f"word{(i * 7919 + k * 104729) % 100003}" for k in range(400)) if filler else ""
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Page {i}</title></head>"
            f"<body><p>This is good page number {i}.</p><p>{words}</p></body></html>").encode()


def _wiki_page(page_id: int, title: str, text: str) -> str:
    return (f"  <page>\n    <title>{title}</title>\n    <ns>0</ns>\n    <id>{page_id}</id>\n"
            f"    <revision>\n      <id>{page_id * 10}</id>\n      <timestamp>2025-06-01T00:00:00Z</timestamp>\n"
            f"      <contributor><username>Fenwick</username><id>2230</id></contributor>\n"
            f"      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
            f"      <text bytes=\"{len(text)}\" xml:space=\"preserve\">{text}</text>\n    </revision>\n  </page>\n")


def write_bad_inputs(out_dir: Path) -> dict[str, Path]:
    """Write the broken inputs under `out_dir` and return {name: path}."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    facts: dict[str, dict[str, object]] = {}

    # 1. A download cut short: three complete members, then the fourth cut in the middle of
    #    its payload. Note: warcio 1.8 does not raise here; it yields the fourth record with a
    #    short body, so a reader must compare the bytes it got with Content-Length (or notice
    #    the gzip member never ends).
    data, offsets = _warc_members([_page(0), _page(1), _page(2), _page(3, filler="x")])
    cut = (offsets[3] + offsets[4]) // 2
    paths["truncated_warc"] = out_dir / "truncated.warc.gz"
    paths["truncated_warc"].write_bytes(data[:cut])
    facts["truncated_warc"] = {"complete_records": 3, "truncated_member_offset": offsets[3],
                               "damage": f"file ends at byte {cut}, in the middle of member 4"}

    # 2. One damaged gzip member between good ones: the deflate data of member 3 is garbled.
    data, offsets = _warc_members([_page(i) for i in range(5)])
    damaged = bytearray(data)
    start, end = offsets[2], offsets[3]
    middle = start + 10 + (end - start - 18) // 2
    for k in range(middle, middle + 12):
        damaged[k] ^= 0xA5
    paths["corrupt_member_warc"] = out_dir / "corrupt-member.warc.gz"
    paths["corrupt_member_warc"].write_bytes(bytes(damaged))
    facts["corrupt_member_warc"] = {"records_before": 2, "records_after": 2,
                                    "damaged_member_offset": start, "next_member_offset": end}

    # 3. HTML that declares UTF-8 (HTTP header and meta) but contains invalid UTF-8 bytes.
    bad_html = (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Caf\xe9 menu</title></head><body>"
                b"<p>Valid UTF-8: caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9e.</p>"
                b"<p>Latin-1 byte: caf\xe9. Lone continuation: \x80. Truncated sequence: \xe2\x82. "
                b"Invalid lead bytes: \xff\xfe. Overlong: \xc0\xaf.</p></body></html>")
    data, _ = _warc_members([_page(0), bad_html, _page(2)])
    paths["invalid_utf8_warc"] = out_dir / "invalid-utf8.warc.gz"
    paths["invalid_utf8_warc"].write_bytes(data)
    facts["invalid_utf8_warc"] = {"records": 3, "bad_record_index": 1}

    # 4. JSONL with an invalid UTF-8 line and invalid JSON lines among good ones.
    lines = [
        b'{"id": 1, "text": "A valid first line."}',
        b'{"id": 2, "text": "caf\xe9 au lait"}',
        b'{"id": 3, "text": "unterminated string',
        b'{"id": 4, "text": "Valid again after two bad lines."}',
        b'{"id": 5, "text": "trailing comma",}',
        b"",
        b'[1, 2, 3]',
        b'{"id": 8, "text": "The last valid line."}',
    ]
    paths["bad_jsonl"] = out_dir / "bad.jsonl"
    paths["bad_jsonl"].write_bytes(b"\n".join(lines) + b"\n")
    facts["bad_jsonl"] = {"valid_object_lines": [1, 4, 8], "invalid_utf8_lines": [2],
                          "invalid_json_lines": [3, 5], "blank_lines": [6], "non_object_lines": [7]}

    # 5. MediaWiki XML: two good pages, then a mismatched closing tag and no </mediawiki>.
    xml = (_header() + _wiki_page(1, "Good page one", "'''Good page one''' is fine.")
           + _wiki_page(2, "Good page two", "Also fine, with a [[link]].")
           + "  <page>\n    <title>Broken page</title>\n    <ns>0</ns>\n    <id>3</id>\n    <revision>\n"
           "      <text xml:space=\"preserve\">This text is never closed properly.</revison>\n  </page>\n")
    paths["malformed_wiki_xml"] = out_dir / "malformed-wiki.xml"
    paths["malformed_wiki_xml"].write_text(xml, encoding="utf-8")
    facts["malformed_wiki_xml"] = {"good_pages": 2, "damage": "mismatched </revison> tag in page 3"}

    # 6. A wiki dump whose bz2 stream is cut in half.
    full = (_header() + "".join(_wiki_page(i, f"Page {i}", f"Text of page {i}. " * 50) for i in range(1, 40))
            + "</mediawiki>\n").encode()
    packed = bz2.compress(full, 9)
    paths["truncated_wiki_bz2"] = out_dir / "truncated-wiki.xml.bz2"
    paths["truncated_wiki_bz2"].write_bytes(packed[: len(packed) // 2])
    facts["truncated_wiki_bz2"] = {"damage": "bz2 stream cut at half its length"}

    # 7. A zip whose second member has a wrong CRC (a data byte flipped; stored, so it still
    #    "decompresses").
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in (("good_1.py", "FIRST = 'first good member'\n"), ("damaged.py", "DAMAGED = 'this member is damaged'\n"),
                           ("good_2.py", "SECOND = 'second good member'\n")):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, text)
    raw = bytearray(buf.getvalue())
    pos = raw.index(b"this member is damaged")
    raw[pos] ^= 0x20
    paths["bad_crc_zip"] = out_dir / "bad-crc.zip"
    paths["bad_crc_zip"].write_bytes(bytes(raw))
    facts["bad_crc_zip"] = {"good_members": ["good_1.py", "good_2.py"], "bad_member": "damaged.py"}

    # 8. A tar.gz cut short in the middle of its members.
    members = [(f"src/module_{i}.py", (f'"""Module {i}."""\n' + f"VALUE_{i} = {i}\n" * 200).encode(), 0o644)
               for i in range(8)]
    packed = tar_gz_bytes("truncated-main", members)
    paths["truncated_tar_gz"] = out_dir / "truncated.tar.gz"
    paths["truncated_tar_gz"].write_bytes(packed[: int(len(packed) * 0.6)])
    facts["truncated_tar_gz"] = {"damage": "gzip stream cut at 60% of its length"}

    manifest = {name: {"path": path.name, **facts[name]} for name, path in paths.items()}
    (out_dir / "bad_inputs.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return paths
