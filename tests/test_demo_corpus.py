"""The demo corpus is well-formed, matches its ground truth, and is reproducible."""
from __future__ import annotations

import bz2
import gzip
import hashlib
import html
import json
import random
import re
import subprocess
import tarfile
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

import pytest
from warcio.archiveiterator import ArchiveIterator

from pipeline.demo import generate_demo, write_bad_inputs
from pipeline.demo.pii import iban_valid, luhn_valid
from pipeline.demo.truth import jaccard
from pipeline.demo.web import WebBuilder
from pipeline.demo.wiki import EXPORT_NS, sha1_base36

NS = "{" + EXPORT_NS + "}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo_a")
    return out, generate_demo(out)


@pytest.fixture(scope="module")
def truth(corpus: tuple[Path, dict]) -> dict:
    return json.loads((corpus[0] / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages(corpus: tuple[Path, dict]) -> list[dict]:
    lines = (corpus[0] / "ground_truth" / "web_pages.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _records(path: Path) -> list[tuple[object, bytes]]:
    with open(path, "rb") as fh:
        return [(rec, rec.content_stream().read()) for rec in ArchiveIterator(fh)]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def test_layout_and_summary(corpus: tuple[Path, dict]) -> None:
    out, summary = corpus
    for rel in ("web/CC-MAIN-demo-00000.warc.gz", "web/CC-MAIN-demo-00000.warc.wet.gz", "web/warc.paths",
                "web/warc.paths.gz", "wiki/demowiki-20260101-pages-articles.xml.bz2", "code/demo-repo/.git",
                "code/demo-lib.tar.gz", "code/demo-tools.zip", "books/demo-book.epub", "ground_truth.json",
                "ground_truth/web_pages.jsonl", "ground_truth/wiki_pages.jsonl"):
        assert (out / rel).exists(), rel
    assert len(list((out / "books").glob("pg*.txt"))) == 3
    assert 2_000_000 < summary["total_bytes"] < 5_000_000
    paths = (out / "web" / "warc.paths").read_text().splitlines()
    assert paths == summary["paths"]["web"]["warc"] and all(Path(p).is_absolute() and Path(p).exists() for p in paths)
    assert gzip.decompress((out / "web" / "warc.paths.gz").read_bytes()).decode().splitlines() == paths


def test_warc_files_read_fully(corpus: tuple[Path, dict], truth: dict, pages: list[dict]) -> None:
    out, _ = corpus
    counts: dict[str, int] = {}
    statuses: dict[str, int] = {}
    undeclared_not_utf8 = 0
    by_id = {p["record_id"]: p for p in pages if p["source"] == "warc"}
    seen_pages = 0
    for rel in truth["web"]["warc_files"]:
        records = _records(out / rel)
        assert records[0][0].rec_type == "warcinfo"
        for rec, body in records:
            counts[rec.rec_type] = counts.get(rec.rec_type, 0) + 1
            for header in ("WARC-Record-ID", "WARC-Date"):
                assert rec.rec_headers.get_header(header)
            if rec.rec_type != "warcinfo":
                assert rec.rec_headers.get_header("WARC-Target-URI").startswith("http")
            if rec.rec_type != "response":
                continue
            status = rec.http_headers.get_statuscode()
            ctype = rec.http_headers.get_header("Content-Type")
            statuses[f"{status} {ctype.split(';')[0]}"] = statuses.get(f"{status} {ctype.split(';')[0]}", 0) + 1
            assert int(rec.http_headers.get_header("Content-Length")) == len(body)
            if status == "301":
                assert rec.http_headers.get_header("Location").startswith("https://")
            if status == "200" and ctype.startswith("text/html"):
                page = by_id[rec.rec_headers.get_header("WARC-Record-ID")]
                seen_pages += 1
                _check_page(page, ctype, body)
                if page["charset_declared"] == "none":
                    try:
                        body.decode("utf-8")
                    except UnicodeDecodeError:
                        undeclared_not_utf8 += 1
    assert counts == truth["web"]["records"]["warc"]
    assert seen_pages == len(by_id) == truth["web"]["pages"]
    assert statuses.get("404 text/html") and statuses.get("301 text/html")
    assert statuses.get("200 image/png") and statuses.get("200 application/pdf")
    assert undeclared_not_utf8 > 0  # undeclared windows-1252 pages need charset detection


def _check_page(page: dict, ctype: str, body: bytes) -> None:
    codec = {"utf-8": "utf-8", "windows-1252": "cp1252", "iso-8859-1": "iso-8859-1",
             "windows-1251": "cp1251"}[page["charset"]]
    text = body.decode(codec)  # strict
    declared = page["charset_declared"]
    assert ("charset=" in ctype) == ("header" in declared)
    has_meta = bool(re.search(r"<meta[^>]+charset=", text[:600], re.I))
    assert has_meta == ("meta" in declared)
    for para in page["main_text"].split("\n\n"):
        assert html.escape(para, quote=False) in text
    assert f'<link rel="canonical" href="{html.escape(page["canonical_url"])}">' in text


def test_charsets_and_languages(pages: list[dict], truth: dict) -> None:
    warc_pages = [p for p in pages if p["source"] == "warc"]
    assert len({p["lang"] for p in warc_pages}) >= 8
    assert {p["charset"] for p in warc_pages} == {"utf-8", "windows-1252", "iso-8859-1", "windows-1251"}
    assert {p["charset_declared"] for p in warc_pages} >= {"header", "meta", "none"}
    ru = [p for p in warc_pages if p["charset"] == "windows-1251"]
    assert ru and all(p["charset_declared"] == "meta" for p in ru)
    assert truth["languages"] == {p["url"]: p["lang"] for p in pages}
    urls = [p["url"] for p in pages] + [d["url"] for d in truth["web"]["non_document_responses"]]
    assert len(urls) == len(set(urls))
    assert {p["quality"] for p in warc_pages} == {"good", "short", "link_list", "lorem_ipsum", "spam_repeated"}


def test_lexicon_is_rich_and_fits_site_charsets() -> None:
    from pipeline.demo.lexicon import LANGUAGES
    from pipeline.demo.sites import SITES

    assert len(LANGUAGES) >= 8
    for lang in LANGUAGES.values():
        assert 15 <= len(lang.templates) <= 25
        assert all(20 <= len(items) <= 40 for items in lang.slots.values()), lang.code
    for site in SITES:
        lang = LANGUAGES[site.lang]
        texts = [*lang.templates, *lang.headlines, *lang.first_names, *lang.last_names, lang.money, lang.spam,
                 site.name, *(t for items in lang.slots.values() for t in items),
                 *(t for items in lang.pii.values() for t in items),
                 *(v if isinstance(v, str) else " ".join(v) for v in lang.chrome.values())]
        for text in texts:
            text.encode(site.codec)  # strict: raises if a character does not exist in the charset


def test_wet_file(corpus: tuple[Path, dict], truth: dict, pages: list[dict]) -> None:
    out, _ = corpus
    records = _records(out / truth["web"]["wet_files"][0])
    assert records[0][0].rec_type == "warcinfo"
    conversions = [(r, b) for r, b in records if r.rec_type == "conversion"]
    assert len(conversions) == truth["web"]["records"]["wet"]["conversion"] >= 24
    wet = {p["record_id"]: p for p in pages if p["source"] == "wet"}
    for rec, body in conversions:
        assert rec.rec_headers.get_header("Content-Type") == "text/plain"
        text = body.decode("utf-8")
        for para in wet[rec.rec_headers.get_header("WARC-Record-ID")]["main_text"].split("\n\n"):
            assert para in text


def test_duplicate_truth_is_consistent(pages: list[dict], truth: dict) -> None:
    text = {p["url"]: p["main_text"] for p in pages}
    pairs = truth["duplicates"]["pairs"]
    assert {p["kind"] for p in pairs} == {"exact", "near"}
    by_rate: dict[float, list[float]] = {}
    for pair in pairs:
        j = jaccard(text[pair["url_a"]], text[pair["url_b"]])
        assert abs(j - pair["jaccard"]) < 1e-12
        if pair["kind"] == "exact":
            assert text[pair["url_a"]] == text[pair["url_b"]] and pair["url_a"] != pair["url_b"]
        else:
            by_rate.setdefault(pair["edit_rate"], []).append(j)
    means = [sum(v) / len(v) for _, v in sorted(by_rate.items())]
    assert sorted(by_rate) == [0.02, 0.05, 0.10, 0.20, 0.40]
    assert means == sorted(means, reverse=True) and means[0] > 0.75 and means[-1] < 0.3
    # Independently generated pages of one language share few word 5-grams.
    rng = random.Random(0)
    singles = [p for p in pages if p["dup_group"] is None and p["quality"] == "good"]
    for _ in range(60):
        a = rng.choice(singles)
        b = rng.choice([p for p in singles if p["lang"] == a["lang"] and p["url"] != a["url"]])
        assert jaccard(a["main_text"], b["main_text"]) < 0.15


def test_pii_truth(pages: list[dict], truth: dict) -> None:
    text = {p["url"]: p["main_text"] for p in pages}
    web_pii = [p for p in truth["pii"] if p["source"] == "web"]
    assert {p["type"] for p in web_pii} >= {"email", "phone", "ipv4", "ipv6", "credit_card", "iban"}
    for item in web_pii:
        assert text[item["url"]][item["offset"]:item["offset"] + len(item["value"])] == item["value"]
        if item["type"] == "credit_card":
            assert luhn_valid(item["value"])
        if item["type"] == "iban":
            assert iban_valid(item["value"])
    phone_formats = {p["format"] for p in web_pii if p["type"] == "phone"}
    assert len(phone_formats) >= 6


def test_wiki_dump(corpus: tuple[Path, dict], truth: dict) -> None:
    out, _ = corpus
    wiki = truth["wiki"]
    root_tag = None
    ids, revs, kinds = [], [], {"redirect": 0, "disambiguation": 0}
    with bz2.open(out / wiki["file"]) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            if root_tag is None:
                root_tag = el.tag
            if event == "end" and el.tag == NS + "page":
                ids.append(int(el.findtext(NS + "id")))
                rev = el.find(NS + "revision")
                revs.append(int(rev.findtext(NS + "id")))
                text_el = rev.find(NS + "text")
                body = text_el.text or ""
                assert int(text_el.get("bytes")) == len(body.encode("utf-8"))
                assert rev.findtext(NS + "sha1") == sha1_base36(body)
                if el.find(NS + "redirect") is not None:
                    assert body.startswith("#REDIRECT [[")
                    kinds["redirect"] += 1
                if "{{disambiguation}}" in body:
                    kinds["disambiguation"] += 1
                el.clear()
    assert root_tag == NS + "mediawiki"
    assert len(ids) == wiki["pages"] and ids == sorted(set(ids)) and revs == sorted(set(revs))
    assert kinds["redirect"] == wiki["pages_by_kind"]["redirect"] > 0
    assert kinds["disambiguation"] == wiki["pages_by_kind"]["disambiguation"] > 0
    assert wiki["pages_by_ns"]["1"] > 0 and wiki["pages_by_ns"]["10"] > 0
    assert wiki["pages_by_kind"]["article"] >= 40


def test_code_repo(corpus: tuple[Path, dict], truth: dict) -> None:
    out, _ = corpus
    repo = out / "code" / "demo-repo"
    info = truth["code"]["repo"]
    assert len(_git(repo, "log", "--format=%H").split()) == 3
    assert _git(repo, "rev-parse", "HEAD").strip() == info["head"]
    assert _git(repo, "status", "--porcelain") == ""
    tracked = sorted(_git(repo, "ls-files").split())
    assert tracked == sorted(f["path"] for f in info["files"] if f["tracked"])
    assert all((repo / f["path"]).exists() for f in info["files"])
    assert (repo / "db/seed_stock_history.sql").stat().st_size > 1024 * 1024
    assert len(info["languages"]) >= 12
    assert {f["expected"] for f in info["files"]} >= {"keep", "skip_vendored", "skip_minified", "skip_generated",
                                                        "skip_unknown_language", "skip_binary", "skip_too_large", "skip_ignored"}
    assert "DO NOT EDIT" in (repo / "src/inventory/proto/inventory_pb2.py").read_text()
    assert "AKIA" in (repo / "src/inventory/settings.py").read_text()


def test_archives(corpus: tuple[Path, dict]) -> None:
    out, _ = corpus
    with tarfile.open(out / "code" / "demo-lib.tar.gz") as tf:
        names = tf.getnames()
        assert all(n == "demo-lib-main" or n.startswith("demo-lib-main/") for n in names)
        for member in tf.getmembers():
            assert member.mtime == 1767225600 and member.uname == "root"
            if member.isfile():
                assert tf.extractfile(member).read()
    with zipfile.ZipFile(out / "code" / "demo-tools.zip") as zf:
        assert zf.testzip() is None
        assert all(n.startswith("demo-tools-main/") for n in zf.namelist())


def test_books(corpus: tuple[Path, dict], truth: dict) -> None:
    out, _ = corpus
    for book in truth["books"]["texts"]:
        raw = (out / book["path"]).read_bytes()
        text = raw.decode("utf-8-sig" if book["bom"] else book["encoding"])
        assert raw.startswith(b"\xef\xbb\xbf") == book["bom"] and "\r\n" in text
        text = text.replace("\r\n", "\n")
        upper = book["title"].upper()
        assert text.startswith(f"The Project Gutenberg eBook of {book['title']}")
        start = f"*** START OF THE PROJECT GUTENBERG EBOOK {upper} ***"
        end = f"*** END OF THE PROJECT GUTENBERG EBOOK {upper} ***"
        body = text[text.index("\n", text.index(start)) + 1:text.index(end)].strip()
        assert hashlib.sha256(body.encode()).hexdigest() == book["body_sha256"]
        assert len(text[text.index(end):]) > 2000  # licence footer
        if book["encoding"] == "iso-8859-1":
            assert "Character set encoding: ISO-8859-1" in text
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
    from ebooklib import ITEM_DOCUMENT, epub

    book = epub.read_epub(str(out / truth["books"]["epub"]["path"]), {"ignore_ncx": True})
    assert book.get_metadata("DC", "title")[0][0] == truth["books"]["epub"]["title"]
    assert book.get_metadata("DC", "language")[0][0] == "en"
    chapters = [i for i in book.get_items_of_type(ITEM_DOCUMENT) if i.get_name().startswith("chap_")]
    assert len(chapters) == 3


def test_same_seed_is_byte_identical(corpus: tuple[Path, dict], tmp_path: Path) -> None:
    out_a, _ = corpus
    out_b = tmp_path / "demo_b"
    generate_demo(out_b)

    def digests(root: Path) -> dict[str, str]:
        result = {}
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if not path.is_file() or "/.git/" in f"/{rel}":
                continue
            data = path.read_bytes()
            if path.name.startswith(("warc.paths", "wet.paths")):  # absolute paths by design
                data = (gzip.decompress(data) if path.suffix == ".gz" else data).replace(str(root).encode(), b"ROOT")
            result[rel] = hashlib.sha256(data).hexdigest()
        return result

    a, b = digests(out_a), digests(out_b)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    head = lambda root: _git(root / "code" / "demo-repo", "rev-parse", "HEAD")  # noqa: E731
    assert head(out_a) == head(out_b)


def test_other_seed_differs(corpus: tuple[Path, dict], tmp_path: Path) -> None:
    builder = WebBuilder(tmp_path, seed=1)
    builder.build(0)
    first = json.loads((tmp_path / "ground_truth" / "web_pages.jsonl").read_text(encoding="utf-8").splitlines()[0])
    original = json.loads((corpus[0] / "ground_truth" / "web_pages.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["main_text"] != original["main_text"]


def test_warc_rotation(tmp_path: Path) -> None:
    summary = WebBuilder(tmp_path, seed=3, warc_max_bytes=150_000).build(400_000)
    files = summary["warc_files"]
    assert len(files) >= 3
    listed = (tmp_path / "web" / "warc.paths").read_text().splitlines()
    assert [Path(p).name for p in listed] == [Path(f).name for f in files]
    total = 0
    for rel in files:
        records = _records(tmp_path / rel)
        assert records[0][0].rec_type == "warcinfo"
        total += sum(1 for r, _ in records if r.rec_type == "response")
    assert total == summary["records"]["warc"]["response"]


def test_bad_inputs_are_bad(tmp_path: Path) -> None:
    bad = write_bad_inputs(tmp_path)
    assert set(bad) >= {"truncated_warc", "corrupt_member_warc", "invalid_utf8_warc", "bad_jsonl",
                        "malformed_wiki_xml", "bad_crc_zip", "truncated_tar_gz"}

    # Truncated WARC: warcio 1.8 does not raise; it yields the cut record with a short body.
    records = _records(bad["truncated_warc"])
    assert len(records) == 4
    assert all(len(b) == int(r.http_headers.get_header("Content-Length")) for r, b in records[:3])
    last, body = records[-1]
    assert len(body) < int(last.http_headers.get_header("Content-Length"))
    with pytest.raises(EOFError):
        gzip.decompress(bad["truncated_warc"].read_bytes())

    # Corrupt member in the middle: warcio raises after the good records before it.
    got = 0
    with pytest.raises(Exception):
        with open(bad["corrupt_member_warc"], "rb") as fh:
            for rec in ArchiveIterator(fh):
                rec.content_stream().read()
                got += 1
    assert got == 2

    bodies = [b for r, b in _records(bad["invalid_utf8_warc"]) if r.rec_type == "response"]
    assert b'charset="utf-8"' in bodies[1]
    with pytest.raises(UnicodeDecodeError):
        bodies[1].decode("utf-8")
    bodies[0].decode("utf-8")

    good, bad_lines = 0, 0
    for line in bad["bad_jsonl"].read_bytes().splitlines():
        try:
            obj = json.loads(line.decode("utf-8"))
            good += isinstance(obj, dict)
        except (UnicodeDecodeError, ValueError):
            bad_lines += 1
    assert good == 3 and bad_lines == 4  # 1 invalid UTF-8, 2 invalid JSON, 1 blank

    pages_seen = 0
    with pytest.raises(ParseError):
        for _event, el in iterparse(str(bad["malformed_wiki_xml"])):
            if el.tag == NS + "page":
                pages_seen += 1
    assert pages_seen == 2

    with pytest.raises(EOFError):
        with bz2.open(bad["truncated_wiki_bz2"]) as fh:
            fh.read()

    with zipfile.ZipFile(bad["bad_crc_zip"]) as zf:
        assert zf.testzip() == "damaged.py"
        assert zf.read("good_1.py") and zf.read("good_2.py")
        with pytest.raises(zipfile.BadZipFile):
            zf.read("damaged.py")

    with pytest.raises((tarfile.ReadError, EOFError)):
        with tarfile.open(bad["truncated_tar_gz"]) as tf:
            for member in tf:
                if member.isfile():
                    tf.extractfile(member).read()
