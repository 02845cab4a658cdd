"""Ingest throughput per source: Quarry's Beam job beside the plain library loop on the same files.

    .venv/bin/python bench/ingest.py --size-mb 100

Generates (or reuses) a demo corpus of the given size, then for each source kind runs
(1) the plain loop a user would write with the same libraries (warcio + resiliparse;
bz2 + iterparse + mwparserfromhell; walking the repository; reading the books),
(2) Quarry's own reader and normalization called in a plain loop, without Beam, and
(3) a one-source Quarry job on Beam's DirectRunner (in-process, one worker) that reads,
normalizes and writes Parquet shards and the manifest.
(3)/(2) is the cost of running in Beam; (2)/(1) is the cost of the work Quarry does that the
plain loop does not (charset resolution, header stripping, file classification, normalization).
MB/s are input bytes per second.
"""
from __future__ import annotations

import argparse
import bz2
import os
import platform
import shutil
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.config import parse_job  # noqa: E402
from pipeline.demo import generate_demo  # noqa: E402
from pipeline.inputs import resolve_inputs  # noqa: E402
from pipeline.job import run_job  # noqa: E402
from manifests.show import load_manifest  # noqa: E402

SOURCES = {
    "warc": {"kind": "warc", "paths": ["web/*.warc.gz"]},
    "wikipedia": {"kind": "wikipedia", "paths": ["wiki/*.xml.bz2"]},
    "code": {"kind": "code", "paths": ["bench-code/site-packages", "bench-code/site-packages.tar.gz"]},
    "books": {"kind": "books", "paths": ["bench-books/*.txt", "bench-books/*.epub"]},
}
BOOK_COPIES = 100


def prepare_bench_inputs(data: Path, sources: list[str]) -> None:
    """Inputs big enough to measure for the sources whose demo part is tiny.

    Code: this virtual environment's site-packages (thousands of real Python, C and JS files),
    as a folder and as a .tar.gz. Books: the demo's books copied BOOK_COPIES times.
    """
    import tarfile

    code = data / "bench-code"
    if "code" in sources and not (code / "site-packages.tar.gz").exists():
        site = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
        shutil.copytree(site, code / "site-packages", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        with tarfile.open(code / "site-packages.tar.gz", "w:gz") as archive:
            archive.add(code / "site-packages", arcname="site-packages")
    books = data / "bench-books"
    if "books" in sources and not books.exists():
        books.mkdir()
        for i in range(BOOK_COPIES):
            for book in sorted((data / "books").iterdir()):
                shutil.copyfile(book, books / f"{i:03d}-{book.name}")


def plain_warc(files: list[str]) -> int:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from warcio.archiveiterator import ArchiveIterator

    docs = 0
    for path in files:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers.get_statuscode() != "200":
                    continue
                if "html" not in (record.http_headers.get_header("Content-Type") or ""):
                    continue
                body = record.content_stream().read()
                html = bytes_to_str(body, detect_encoding(body))
                if extract_plain_text(html, main_content=True, preserve_formatting=True).strip():
                    docs += 1
    return docs


def plain_wikipedia(files: list[str]) -> int:
    import mwparserfromhell

    docs = 0
    for path in files:
        with bz2.open(path, "rb") as handle:
            for _, elem in ET.iterparse(handle, events=("end",)):
                if elem.tag.endswith("}page"):
                    ns = next(c for c in elem if c.tag.endswith("}ns")).text
                    rev = next(c for c in elem if c.tag.endswith("}revision"))
                    text = next(c for c in rev if c.tag.endswith("}text")).text or ""
                    redirect = any(c.tag.endswith("}redirect") for c in elem)
                    if ns == "0" and not redirect:
                        if mwparserfromhell.parse(text).strip_code().strip():
                            docs += 1
                    elem.clear()
    return docs


def plain_code(units: list[str]) -> int:
    import tarfile
    import zipfile

    docs = 0
    for unit in units:
        if os.path.isdir(unit):
            for folder, dirs, files in os.walk(unit):
                dirs[:] = [d for d in dirs if d != ".git"]
                for name in files:
                    try:
                        Path(folder, name).read_bytes().decode("utf-8")
                        docs += 1
                    except (UnicodeDecodeError, OSError):
                        pass
        elif unit.endswith(".zip"):
            with zipfile.ZipFile(unit) as archive:
                for info in archive.infolist():
                    if not info.is_dir():
                        archive.read(info).decode("utf-8", "replace")
                        docs += 1
        else:
            with tarfile.open(unit, "r|*") as archive:
                for member in archive:
                    if member.isfile():
                        archive.extractfile(member).read().decode("utf-8", "replace")
                        docs += 1
    return docs


def plain_books(files: list[str]) -> int:
    import ebooklib
    from ebooklib import epub

    docs = 0
    for path in files:
        if path.endswith(".epub"):
            book = epub.read_epub(path)
            docs += bool(list(book.get_items_of_type(ebooklib.ITEM_DOCUMENT)))
        else:
            Path(path).read_bytes().decode("utf-8", "replace")
            docs += 1
    return docs


PLAIN = {"warc": plain_warc, "wikipedia": plain_wikipedia, "code": plain_code, "books": plain_books}


def run_reader_alone(job) -> int:
    """Quarry's reader + normalization for every input unit, exactly as the Beam DoFn calls them."""
    from pipeline.document import make_document
    from pipeline.readers.base import Record, resolved
    from pipeline.sources import read_unit

    docs = 0
    src = job.sources[0]
    for unit in resolve_inputs(job):
        for event in resolved(read_unit(unit, src)):
            if isinstance(event, Record):
                docs += bool(make_document(event, src.name, src.kind, code=src.kind == "code").text)
    return docs


def run_quarry(name: str, spec: dict, data: Path, workdir: Path) -> tuple[float, int, int]:
    job = parse_job(
        {"name": f"bench-{name}", "sources": [{"name": name, **spec}],
         "stages": {"exact_dedup": {"enabled": False}}, "output": {"path": str(workdir / name)}},
        data,
    )
    t0 = time.perf_counter()
    manifest = load_manifest(run_job(job, ["--direct_num_workers=1"]))
    seconds = time.perf_counter() - t0
    return seconds, manifest.sources[name].documents, manifest.sources[name].input_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument("--data", type=Path, default=None, help="corpus folder (default .bench/ingest-<size>)")
    parser.add_argument("--sources", nargs="*", default=list(SOURCES))
    args = parser.parse_args()
    data = args.data or Path(".bench") / f"ingest-{args.size_mb:g}"
    if not (data / "web").exists():
        t0 = time.perf_counter()
        generate_demo(data, size_mb=args.size_mb, seed=0)
        print(f"generated {data} in {time.perf_counter() - t0:.1f} s")
    prepare_bench_inputs(data, args.sources)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    header = (f"{'source':<10} {'input MB':>9} {'docs':>8} | {'plain s':>8} {'MB/s':>7} | {'reader s':>8} {'MB/s':>7} | "
              f"{'beam s':>8} {'docs/s':>8} {'MB/s':>7} | {'beam/reader':>11} {'beam/plain':>10}")
    print(header)
    print("-" * len(header))
    workdir = Path(tempfile.mkdtemp(prefix="quarry-bench-"))
    try:
        for name in args.sources:
            spec = SOURCES[name]
            job = parse_job({"sources": [{"name": name, **spec}], "output": {"path": str(workdir)}}, data)
            units = [u.uri for u in resolve_inputs(job)]
            t0 = time.perf_counter()
            PLAIN[name](units)
            plain_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            run_reader_alone(job)
            reader_s = time.perf_counter() - t0
            quarry_s, docs, in_bytes = run_quarry(name, spec, data, workdir)
            mb = in_bytes / 1e6
            print(f"{name:<10} {mb:>9.1f} {docs:>8,} | {plain_s:>8.2f} {mb / plain_s:>7.2f} | {reader_s:>8.2f} "
                  f"{mb / reader_s:>7.2f} | {quarry_s:>8.2f} {docs / quarry_s:>8,.0f} {mb / quarry_s:>7.2f} | "
                  f"{quarry_s / reader_s:>10.2f}x {quarry_s / plain_s:>9.2f}x")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
