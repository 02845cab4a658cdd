"""Expanding `paths`: files, folders, globs and CommonCrawl-style path lists."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from pipeline.config import parse_job
from pipeline.funnel import Progress
from pipeline.inputs import InputError, resolve_inputs


def _job(tmp_path: Path, *sources: dict):
    return parse_job({"sources": list(sources), "output": {"path": "out"}}, tmp_path)


def _touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_globs_folders_and_path_lists_expand_to_sorted_unique_files(tmp_path: Path):
    for name in ("a.warc.gz", "b.warc.gz", "sub/c.warc.gz"):
        _touch(tmp_path / "crawl" / name, b"12345")
    (tmp_path / "warc.paths").write_text("# one path per line\ncrawl/b.warc.gz\n\ncrawl/sub/c.warc.gz\n", encoding="utf-8")
    with gzip.open(tmp_path / "more.paths.gz", "wt", encoding="utf-8") as handle:
        handle.write(f"{tmp_path}/crawl/a.warc.gz\n")
    job = _job(tmp_path, {"name": "web", "kind": "warc",
                          "paths": ["crawl/*.warc.gz", "warc.paths", "more.paths.gz", "crawl/sub"]})
    units = resolve_inputs(job)
    assert [Path(u.uri).relative_to(tmp_path).as_posix() for u in units] == [
        "crawl/a.warc.gz", "crawl/b.warc.gz", "crawl/sub/c.warc.gz"]
    assert all(u.size == 5 and u.source == "web" and not u.tree for u in units)


def test_path_list_entries_take_the_configured_prefix(tmp_path: Path):
    _touch(tmp_path / "bucket" / "crawl-data" / "x.warc.gz")
    (tmp_path / "list.txt").write_text("crawl-data/x.warc.gz\n", encoding="utf-8")
    job = _job(tmp_path, {"name": "web", "kind": "warc", "paths": ["@list.txt"], "paths_prefix": f"{tmp_path}/bucket/"})
    [unit] = resolve_inputs(job)
    assert unit.uri == f"{tmp_path}/bucket/crawl-data/x.warc.gz"


def test_a_code_folder_is_one_tree_unit_sized_without_vcs_internals(tmp_path: Path):
    _touch(tmp_path / "repo" / "src" / "main.py", b"print(1)\n")
    _touch(tmp_path / "repo" / ".git" / "objects" / "blob", b"0" * 1000)
    [unit] = resolve_inputs(_job(tmp_path, {"name": "code", "kind": "code", "paths": ["repo"]}))
    assert unit.tree and unit.uri == str(tmp_path / "repo") and unit.size == 9


@pytest.mark.parametrize(
    "paths,message",
    [
        (["missing.warc.gz"], "input not found: {tmp}/missing.warc.gz (source web)"),
        (["nothing/*.warc.gz"], "no input matches the paths of source web"),
        (["@absent.txt"], "path-list file not found: {tmp}/absent.txt"),
    ],
)
def test_missing_inputs_are_one_clear_error(tmp_path: Path, paths, message):
    with pytest.raises(InputError) as info:
        resolve_inputs(_job(tmp_path, {"name": "web", "kind": "warc", "paths": paths}))
    assert str(info.value).startswith(message.format(tmp=tmp_path))


def test_progress_reports_records_and_throughput(capsys):
    progress = Progress("read", every_s=0.0)
    progress.add(1200, 3_400_000)
    line = capsys.readouterr().err.strip()
    assert line.startswith("quarry read: 1,200 records, 3.4 M chars in ")
    assert "records/s" in line and "M chars/s" in line
