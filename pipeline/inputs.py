"""Expanding a source's `paths` into the input units a job reads.

An entry is a file, a folder, a glob, or a path-list file (CommonCrawl's `warc.paths.gz`: one
path per line, named `*.paths` / `*.paths.gz`, or any file named with a leading `@`). Listing
goes through Beam's FileSystems, so `gs://` and `s3://` work wherever Beam's extras are
installed. A code folder is one unit (a repository); other folders expand to their files.
"""
from __future__ import annotations

import glob
import os
import posixpath
from dataclasses import dataclass

from apache_beam.io.filesystems import FileSystems

from pipeline.config import JobConfig
from pipeline.fsio import open_input

_GLOB_CHARS = set("*?[")
_VCS_DIRS = {".git", ".hg", ".svn"}


class InputError(ValueError):
    """An input path that does not exist or matches nothing; one line for the user."""


@dataclass(frozen=True, order=True)
class InputUnit:
    source: str
    uri: str
    size: int
    tree: bool = False  # a folder read as one repository (code sources)
    start: int = 0  # a part of a file: the bytes [start, end) (see pipeline.sources.split_units)
    end: int | None = None


def _is_path_list(entry: str) -> bool:
    return entry.startswith("@") or entry.endswith((".paths", ".paths.gz"))


def _read_path_list(entry: str, prefix: str | None) -> list[str]:
    list_uri = entry[1:] if entry.startswith("@") else entry
    if not FileSystems.exists(list_uri):
        raise InputError(f"path-list file not found: {list_uri}")
    with open_input(list_uri, decompress=True) as raw:
        lines = raw.read().decode("utf-8").splitlines()
    base = posixpath.dirname(list_uri) if "://" in list_uri else os.path.dirname(list_uri)
    paths = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "://" in line or os.path.isabs(line):
            paths.append(line)
        elif prefix:
            paths.append(prefix.rstrip("/") + "/" + line.lstrip("/"))
        else:
            paths.append(posixpath.join(base, line) if "://" in base else os.path.join(base, line))
    return paths


def _tree_size(root: str) -> int:
    total = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _VCS_DIRS]
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                total += os.path.getsize(path)
    return total


def _files_matching(pattern: str) -> list[tuple[str, int]]:
    result = FileSystems.match([pattern])[0]
    return [(m.path, m.size_in_bytes) for m in result.metadata_list]


def _expand(entry: str, source: str, code: bool) -> list[InputUnit]:
    is_local = "://" not in entry
    if is_local and os.path.isdir(entry):
        if code:
            return [InputUnit(source, os.path.abspath(entry), _tree_size(entry), tree=True)]
        return [InputUnit(source, p, s) for p, s in _files_matching(os.path.join(entry, "**")) if not os.path.isdir(p)]
    if any(c in entry for c in _GLOB_CHARS):
        if is_local:
            units = []
            for path in sorted(glob.glob(entry, recursive=True)):
                units.extend(_expand(path, source, code))
            return units
        return [InputUnit(source, p, s) for p, s in _files_matching(entry)]
    matches = _files_matching(entry) if FileSystems.exists(entry) else []
    if not matches:
        raise InputError(f"input not found: {entry} (source {source})")
    return [InputUnit(source, p, s) for p, s in matches]


def resolve_inputs(job: JobConfig) -> list[InputUnit]:
    """Every input unit of every source, sorted and without repeats; raises `InputError`."""
    units: set[InputUnit] = set()
    for src in job.sources:
        found: list[InputUnit] = []
        for entry in src.paths:
            targets = _read_path_list(entry, src.paths_prefix) if _is_path_list(entry) else [entry]
            for target in targets:
                found.extend(_expand(target, src.name, src.kind == "code"))
        if not found:
            raise InputError(f"no input matches the paths of source {src.name}: {', '.join(src.paths)}")
        units.update(found)
    return sorted(units)
