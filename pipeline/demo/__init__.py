"""Deterministic multi-source demo corpus for Quarry: web crawl, wiki dump, code, books.

`generate_demo(out_dir, size_mb=3.0, seed=0)` writes the corpus and its ground truth and
returns a summary. The same arguments always produce byte-identical files (the git metadata
directory aside, whose index records file stat data; commit ids are identical), so tests and
benchmarks can rely on exact counts, and the ground truth (languages, main texts, duplicate
pairs with their Jaccard similarity, planted PII, expected skips) is known by construction.

Layout under `out_dir`:

    web/CC-MAIN-demo-NNNNN.warc.gz     WARC files, rotated at 32 MiB
    web/CC-MAIN-demo-00000.warc.wet.gz  WET (text conversion) records of other pages
    web/warc.paths[.gz], web/wet.paths[.gz]  absolute paths, one per line
    wiki/demowiki-20260101-pages-articles.xml.bz2
    code/demo-repo/                     git repository (3 commits)
    code/demo-lib.tar.gz, code/demo-tools.zip
    books/pg*.txt, books/demo-book.epub
    ground_truth.json                   summary, duplicate pairs, PII, languages, counts
    ground_truth/web_pages.jsonl        one line per web page (incl. exact main text)
    ground_truth/wiki_pages.jsonl       one line per wiki page (kind, expected handling)

`size_mb` is the target size of the corpus proper (web + wiki + code + books, on disk, in
units of 10**6 bytes). Code and books have a fixed size (about 1.7 MB, the repository
includes a file over 1 MiB); the rest goes 75 % to the web crawl and 25 % to the wiki dump.
Below about 2.5 MB the minimum content (one block of web pages, 40 wiki articles) dominates.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from .bad_inputs import write_bad_inputs
from .books import build_books
from .code import build_code
from .lexicon import LANGUAGES
from .truth import SHINGLE_DEFINITION, write_json
from .web import WebBuilder
from .wiki import WikiBuilder

__all__ = ["generate_demo", "write_bad_inputs"]

SCHEMA_VERSION = 1
WEB_SHARE = 0.75
_MANAGED = ("web", "wiki", "code", "books", "ground_truth", "ground_truth.json")


def _tree_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def generate_demo(out_dir: Path, *, size_mb: float = 3.0, seed: int = 0) -> dict[str, Any]:
    """Write the demo corpus under `out_dir` and return a description of it.

    Only the paths this generator owns (web/, wiki/, code/, books/, ground_truth/,
    ground_truth.json) are replaced; anything else in `out_dir` is left alone.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in _MANAGED:
        target = out_dir / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()

    code = build_code(out_dir, seed)
    books = build_books(out_dir, seed)
    fixed = _tree_bytes(out_dir / "code") + _tree_bytes(out_dir / "books")
    remaining = max(0.0, size_mb * 1_000_000 - fixed)
    web_builder = WebBuilder(out_dir, seed)
    web = web_builder.build(int(remaining * WEB_SHARE))
    wiki = WikiBuilder(out_dir, seed).build(int(remaining * (1 - WEB_SHARE)))

    pii = web_builder.pii + code["repo"].pop("pii")
    truth = {
        "schema_version": SCHEMA_VERSION,
        "generator": "pipeline.demo",
        "seed": seed,
        "size_mb": size_mb,
        "languages_available": sorted(LANGUAGES),
        "web": {k: v for k, v in web.items() if k != "bytes"},
        "wiki": {k: v for k, v in wiki.items() if k not in ("bytes", "uncompressed_bytes")},
        "code": code,
        "books": books,
        "duplicates": {
            "shingles": SHINGLE_DEFINITION,
            "groups": web_builder.group_no,
            "pairs": web_builder.pairs,
        },
        "low_quality": web_builder.low_quality,
        "pii": pii,
        "languages": web_builder.languages,
    }
    write_json(out_dir / "ground_truth.json", truth)

    sizes = {
        "web": _tree_bytes(out_dir / "web"),
        "wiki": _tree_bytes(out_dir / "wiki"),
        "code": _tree_bytes(out_dir / "code"),
        "books": _tree_bytes(out_dir / "books"),
    }
    truth_bytes = _tree_bytes(out_dir / "ground_truth") + _tree_bytes(out_dir / "ground_truth.json")
    abs_ = lambda rel: str(out_dir / rel)  # noqa: E731
    return {
        "out_dir": str(out_dir),
        "seed": seed,
        "size_mb": size_mb,
        "paths": {
            "web": {"warc": [abs_(p) for p in web["warc_files"]], "wet": [abs_(p) for p in web["wet_files"]],
                    "path_lists": [abs_(p) for p in web["path_lists"]]},
            "wiki": [abs_(wiki["file"])],
            "code": {"repos": [abs_("code/demo-repo")],
                     "archives": [abs_(a["path"]) for a in code["archives"]]},
            "books": {"text": [abs_(b["path"]) for b in books["texts"]], "epub": [abs_(books["epub"]["path"])]},
            "ground_truth": abs_("ground_truth.json"),
            "web_pages": abs_("ground_truth/web_pages.jsonl"),
            "wiki_pages": abs_("ground_truth/wiki_pages.jsonl"),
        },
        "counts": {
            "web_pages": web["pages"],
            "wet_pages": web["records"]["wet"]["conversion"],
            "warc_records": web["records"]["warc"],
            "web_responses": web["responses"],
            "wiki_pages": wiki["pages_by_kind"],
            "code_repo_files": len(code["repo"]["files"]),
            "code_archive_files": sum(len(a["files"]) for a in code["archives"]),
            "books": len(books["texts"]) + 1,
            "duplicate_pairs": len(web_builder.pairs),
            "pii": len(pii),
            "low_quality_pages": len(web_builder.low_quality),
        },
        "bytes": sizes,
        "total_bytes": sum(sizes.values()),
        "ground_truth_bytes": truth_bytes,
    }
