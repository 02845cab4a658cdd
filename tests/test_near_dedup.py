"""The near-dedup stage on hand-made documents: verification, representatives, capped buckets."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to

from pipeline.config import NearDedupStage
from pipeline.document import Document
from pipeline.fsio import read_json
from pipeline.funnel import REJECTED
from pipeline.near_dedup import NearDedup
from pipeline.runners import make_pipeline

BASE = ("the harbour board met on tuesday to discuss the new ferry timetable and agreed to extend the "
        "evening service through the winter months after complaints from commuters who work late shifts")
OTHER = "completely different words about mountain weather stations recording snowfall in remote valleys each year"


def _check(tmp_path, docs: list[Document], cfg: NearDedupStage, kept, rejected, capped) -> None:
    stats = str(tmp_path / "near_dedup.json")
    with make_pipeline(PipelineOptions()) as p:
        result = p | beam.Create(docs) | NearDedup(cfg, stats)
        assert_that(result["documents"] | "KeptIds" >> beam.Map(
            lambda d: (d.id, d.signals.get("near_dedup.cluster_size"), d.fields.get("near_dedup_cluster"))),
            equal_to(kept), label="kept")
        assert_that(result[REJECTED] | "RejectedIds" >> beam.Map(lambda d: (d.id, d.fields["duplicate_of"])),
                    equal_to(rejected), label="rejected")
    assert read_json(stats) == {"capped_buckets": len(capped), "largest_capped_bucket": max(capped, default=0)}


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
