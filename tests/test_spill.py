"""Grouping documents through spill files: every document arrives once, and no file is left."""
from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline import spill
from pipeline.document import Document
from pipeline.runners import make_pipeline


def test_records_read_back_and_a_truncated_file_is_refused():
    blobs = [b"", b"x" * 70000, b"\x00\x01"]
    data = spill.pack_records(blobs)
    assert list(spill.unpack_records(data)) == blobs
    for cut in (2, 10, len(data) - 1):
        with pytest.raises(ValueError):
            list(spill.unpack_records(data[:cut]))


@pytest.mark.parametrize("flush_bytes", [1, 64 << 20])
def test_each_group_gets_its_documents_once_and_the_spill_files_are_gone(tmp_path, monkeypatch, flush_bytes):
    monkeypatch.setattr(spill, "FLUSH_BYTES", flush_bytes)  # 1: a file per document
    docs = [Document(id=f"d{i:03d}", source="s", kind="jsonl", text=f"text {i} \u00e9") for i in range(60)]
    out = tmp_path / "groups"
    out.mkdir()

    def write(item):
        group, paths = item
        if flush_bytes == 1:
            assert len(paths) == sum(1 for d in docs if int(d.id[1:]) % 4 == group)
        got = spill.read_spilled(paths)
        (out / str(group)).write_text("\n".join(sorted(f"{d.id}|{d.text}" for d in got)))

    folder = spill.spill_folder(str(tmp_path), "docs")
    with make_pipeline(PipelineOptions()) as p:
        (p | beam.Create(docs) | spill.SpillGroups(folder, lambda d: int(d.id[1:]) % 4) | beam.Map(write))
    for group in range(4):
        assert (out / str(group)).read_text().splitlines() == [
            f"{d.id}|{d.text}" for d in docs if int(d.id[1:]) % 4 == group]
    assert not list((tmp_path / spill.SPILL_DIR / "docs").glob("*"))  # read_spilled deleted what it read
    (tmp_path / spill.SPILL_DIR / "docs" / "00001-orphan.bin").write_bytes(b"")  # a retried bundle's file
    assert spill.delete_spills(str(tmp_path)) == 1
    assert not (tmp_path / spill.SPILL_DIR).exists()
