"""Reproducible archive writers: tar.gz and zip with fixed timestamps, owners and order.

The standard library stamps the current time into gzip headers (`tarfile` "w:gz"), tar
members and zip entries (`ZipFile.writestr` with a bare name); these helpers pin all of them so
the same inputs give the same bytes on every run.
"""
from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from typing import Iterable

FIXED_MTIME = 1767225600              # 2026-01-01T00:00:00Z
ZIP_DATE_TIME = (2026, 1, 1, 0, 0, 0)

Member = tuple[str, bytes, int]       # (path inside the top folder, data, unix mode)


def _with_dirs(top: str, members: Iterable[Member]) -> list[tuple[str, bytes | None, int]]:
    """All entries under `top/`, directories included, sorted by path."""
    files = [(f"{top}/{path}", data, mode) for path, data, mode in members]
    dirs = {f"{top}/"}
    for path, _data, _mode in files:
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]) + "/")
    entries: list[tuple[str, bytes | None, int]] = [(d, None, 0o755) for d in sorted(dirs)]
    entries.extend(files)
    entries.sort(key=lambda e: e[0])
    return entries


def tar_gz_bytes(top: str, members: Iterable[Member], comment: str | None = None) -> bytes:
    """A GitHub-archive-style tar.gz: one top folder, pax global header with the commit id."""
    buf = io.BytesIO()
    pax = {"comment": comment} if comment else None
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT, pax_headers=pax) as tf:
        for name, data, mode in _with_dirs(top, members):
            info = tarfile.TarInfo(name.rstrip("/"))
            info.mtime = FIXED_MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mode = mode
            if data is None:
                info.type = tarfile.DIRTYPE
                tf.addfile(info)
            else:
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    return gzip.compress(buf.getvalue(), compresslevel=9, mtime=0)


def _zip_info(name: str, mode: int, is_dir: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
    info.create_system = 3  # unix, so the mode bits below are meaningful
    info.external_attr = ((0o040000 | mode) << 16) | 0x10 if is_dir else (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_STORED if is_dir else zipfile.ZIP_DEFLATED
    return info


def zip_bytes(top: str, members: Iterable[Member], comment: str | None = None) -> bytes:
    """A GitHub-archive-style zip: one top folder, fixed dates, archive comment = commit id."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data, mode in _with_dirs(top, members):
            zf.writestr(_zip_info(name, mode, data is None), data or b"", compresslevel=9)
        if comment:
            zf.comment = comment.encode()
    return buf.getvalue()


def rezip_fixed(data: bytes) -> bytes:
    """Rewrite a zip (e.g. an EPUB from ebooklib) with fixed dates, keeping entry order and
    storing `mimetype` uncompressed as the EPUB container format requires."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for entry in src.infolist():
            info = _zip_info(entry.filename, 0o644, entry.is_dir())
            if entry.filename == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
            dst.writestr(info, src.read(entry.filename), compresslevel=9)
    return buf.getvalue()
