"""The near-dedup stage on hand-made documents: verification, representatives, capped buckets."""
from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to

from pipeline.config import NearDedupStage
from pipeline.document import Document
from pipeline.fsio import read_json
from pipeline.funnel import REJECTED
from pipeline import near_dedup
from pipeline.near_dedup import NearDedup, band_partitions
from pipeline.runners import make_pipeline

BASE = ("the harbour board met on tuesday to discuss the new ferry timetable and agreed to extend the "
        "evening service through the winter months after complaints from commuters who work late shifts")
OTHER = "completely different words about mountain weather stations recording snowfall in remote valleys each year"


def _check(tmp_path, docs: list[Document], cfg: NearDedupStage, kept, rejected, capped, partitions: int = 64) -> None:
    stats = str(tmp_path / "near_dedup.json")
    with make_pipeline(PipelineOptions()) as p:
        result = p | beam.Create(docs) | NearDedup(cfg, stats, str(tmp_path / "spills"), partitions)
        assert_that(result["documents"] | "KeptIds" >> beam.Map(
            lambda d: (d.id, d.signals.get("near_dedup.cluster_size"), d.fields.get("near_dedup_cluster"))),
            equal_to(kept), label="kept")
        assert_that(result[REJECTED] | "RejectedIds" >> beam.Map(lambda d: (d.id, d.fields["duplicate_of"])),
                    equal_to(rejected), label="rejected")
    assert read_json(stats) == {"capped_buckets": len(capped), "largest_capped_bucket": max(capped, default=0)}
    spilled = sorted(tmp_path.glob("spills*"))  # documents, band entries, signatures: each read once, then deleted
    assert [f.name for f in spilled] == (["spills", "spills-bands", "spills-signatures"] if cfg.verify_threshold
                                         else ["spills", "spills-bands"])
    assert not [f for folder in spilled for f in folder.iterdir()]


def test_copies_cluster_the_best_scored_survives_and_an_unrelated_text_is_untouched(tmp_path):
    docs = [Document(id=f"d{i}", source="s", kind="jsonl", text=BASE + (" indeed" if i else ""),
                     signals={"q": float(i)}) for i in range(3)]
    docs.append(Document(id="d9", source="s", kind="jsonl", text=OTHER))
    _check(tmp_path, docs, NearDedupStage(enabled=True, verify_threshold=0.7, representative_signal="q"),
           kept=[("d2", 3.0, "d0"), ("d9", None, None)], rejected=[("d0", "d2"), ("d1", "d2")], capped=[])


def test_giant_buckets_are_cut_to_their_lowest_ids_and_counted(tmp_path):
    docs = [Document(id=f"d{i}", source="s", kind="jsonl", text=BASE) for i in range(5)]
    _check(tmp_path, docs, NearDedupStage(enabled=True, max_bucket=3),
           kept=[("d0", 3.0, "d0"), ("d3", None, None), ("d4", None, None)],
           rejected=[("d1", "d0"), ("d2", "d0")], capped=[5] * 14)


@pytest.mark.parametrize("partitions, max_buffered", [(1, 1 << 16), (7, 3), (64, 1)])
def test_band_entries_sent_in_partition_lists_find_the_same_clusters(tmp_path, monkeypatch, partitions, max_buffered):
    # One partition holding every bucket, or entries flushed every few so that one bucket's
    # members arrive in lists from several flushes: the clusters are the same.
    monkeypatch.setattr(near_dedup, "MAX_BUFFERED", max_buffered)
    docs = [Document(id=f"a{i}", source="s", kind="jsonl", text=BASE + " again" * i, signals={"q": float(i)})
            for i in range(3)]
    docs += [Document(id=f"b{i}", source="s", kind="jsonl", text=OTHER + " too" * i, signals={"q": -float(i)})
             for i in range(2)]
    docs.append(Document(id="c0", source="s", kind="jsonl", text="a short unrelated note on tides and moons"))
    _check(tmp_path, docs, NearDedupStage(enabled=True, verify_threshold=0.5, representative_signal="q"),
           kept=[("a2", 3.0, "a0"), ("b0", 2.0, "b0"), ("c0", None, None)],
           rejected=[("a0", "a2"), ("a1", "a2"), ("b1", "b0")], capped=[], partitions=partitions)


def test_band_partitions_grow_with_the_input():
    assert band_partitions(0) == band_partitions(100 << 20) == 64
    assert band_partitions(1 << 30) == 256 and band_partitions((1 << 30) + 1) == 257


def test_candidate_pairs_below_the_verify_threshold_are_not_edges(tmp_path):
    # The two texts share buckets (one word apart), so they are a candidate pair either way;
    # their signatures agree on less than 99% of positions, so verification at 0.99 drops it.
    docs = [Document(id="x0", source="s", kind="jsonl", text=BASE),
            Document(id="x1", source="s", kind="jsonl", text=BASE + " indeed and again")]
    _check(tmp_path, docs, NearDedupStage(enabled=True, verify_threshold=None),
           kept=[("x0", 2.0, "x0")], rejected=[("x1", "x0")], capped=[])
    _check(tmp_path, docs, NearDedupStage(enabled=True, verify_threshold=0.99),
           kept=[("x0", None, None), ("x1", None, None)], rejected=[], capped=[])


def test_packed_band_entries_and_signatures_read_back_exactly():
    keys = [b"\x00\x01" + bytes(32), b"\x00\x02" + b"\xff" * 31 + b"\x00"]  # zero bytes at either end
    members = [("d\u00e9j\u00e0-vu", None), ("x" * 300, -0.0), ("", 1e300)]
    blob = b"".join(k + near_dedup.pack_member(i, s) for k in keys for i, s in members)
    assert list(near_dedup.unpack_entries(blob, 34)) == [(k, m) for k in keys for m in members]
    sigs = [("a", bytes(range(8))), ("\u00fc" * 5, b"\x00" * 8)]
    blob = b"".join(near_dedup.pack_signature(i, s) for i, s in sigs)
    assert list(near_dedup.unpack_signatures(blob, 8)) == sigs
