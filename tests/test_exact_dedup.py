"""The exact-dedup stage on hand-made documents: survivors, duplicates, copies and the funnel."""
from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to

from pipeline.document import Document
from pipeline.exact_dedup import ExactDedup
from pipeline.funnel import FUNNEL, REJECTED
from pipeline.runners import make_pipeline


@pytest.mark.parametrize("partitions", [1, 3, 64])
def test_the_lowest_id_of_each_text_survives_with_its_copy_count(tmp_path, partitions):
    docs = [Document(id="c", source="web", kind="warc", text="same words"),
            Document(id="a", source="books", kind="txt", text="same words"),
            Document(id="b", source="web", kind="warc", text="same words"),
            Document(id="d", source="web", kind="warc", text="other words"),
            Document(id="e", source="web", kind="warc", text="Same words")]  # case differs: not a copy
    with make_pipeline(PipelineOptions()) as p:
        result = p | beam.Create(docs) | ExactDedup(str(tmp_path / "spills"), partitions)
        assert_that(result["documents"] | "Kept" >> beam.Map(lambda d: (d.id, d.signals["exact_copies"])),
                    equal_to([("a", 3.0), ("d", 1.0), ("e", 1.0)]), label="kept")
        assert_that(result[REJECTED] | "Dropped" >> beam.Map(
            lambda d: (d.id, d.fields["reason"], d.fields["duplicate_of"])),
            equal_to([("b", "exact_duplicate", "a"), ("c", "exact_duplicate", "a")]), label="rejected")
        assert_that(result[FUNNEL] | "Sum" >> beam.CombinePerKey(sum), equal_to([
            (("exact_dedup", "web", "in"), 4), (("exact_dedup", "web", "kept"), 2),
            (("exact_dedup", "web", "dropped:exact_duplicate"), 2),
            (("exact_dedup", "books", "in"), 1), (("exact_dedup", "books", "kept"), 1)]), label="funnel")
    assert not [p for p in (tmp_path / "spills").rglob("*") if p.is_file()]  # every spill file was read
