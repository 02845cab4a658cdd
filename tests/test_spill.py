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


def test_branches_are_spilled_apart_and_grouped_together(tmp_path):
    """A tuple of PCollections: each branch spills on its own (no Flatten of documents), and a
    group holds the documents of every branch that went to it."""
    branches = {name: [Document(id=f"{name}{i:02d}", source=name, kind="jsonl", text=f"{name} {i}") for i in range(20)]
                for name in ("web", "wiki", "code")}
    out = tmp_path / "groups"
    out.mkdir()

    def write(item):
        group, paths = item
        (out / str(group)).write_text("\n".join(sorted(d.id for d in spill.read_spilled(paths))))

    folder = spill.spill_folder(str(tmp_path), "docs")
    with make_pipeline(PipelineOptions(["--direct_num_workers=2", "--direct_running_mode=multi_threading"])) as p:
        pcolls = tuple(p | f"Create{name}" >> beam.Create(docs) for name, docs in branches.items())
        grouped = pcolls | spill.SpillGroups(folder, lambda d: int(d.id[-2:]) % 3)
        grouped | beam.Map(write)
    for group in range(3):
        assert (out / str(group)).read_text().splitlines() == sorted(
            d.id for docs in branches.values() for d in docs if int(d.id[-2:]) % 3 == group)
    components = p.to_runner_api().components
    producer = {pc: t.unique_name for t in components.transforms.values() for pc in t.outputs.values()}
    flattens = [t for t in components.transforms.values() if t.spec.urn == "beam:transform:flatten:v1"]
    assert len(flattens) == 1  # what is flattened is the spill step's (group, path) pairs
    assert sorted(producer[pc] for pc in flattens[0].inputs.values()) == [
        f"SpillGroups/Spill{i}" for i in ("", "1", "2")]
