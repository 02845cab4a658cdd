"""bench/e2e.py's helpers on a real generated WARC: the job it writes, the record scan, the fates,
the agreement and the ground-truth cleanliness. No datatrove, no Beam run."""
from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path

import pytest

from pipeline.config import parse_job
from pipeline.demo.web import WebBuilder

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import e2e  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    """One block of the demo web generator: pages, copies, low-quality pages, 404/301, PNG, PDF."""
    folder = tmp_path_factory.mktemp("e2e")
    info = WebBuilder(folder, seed=0).build(1)
    return folder, info


def test_job_runs_the_stages_datatrove_has(corpus, tmp_path):
    folder, info = corpus
    files = [folder / f for f in info["warc_files"]]
    args = Namespace(languages="en", language_threshold=0.65, extractor="trafilatura", pii="matched", workers=2)
    job = parse_job(e2e.quarry_job(files, tmp_path / "out", tmp_path / "tokenizer.json", args), tmp_path)
    stages = job.stages
    assert not (stages.perplexity.enabled or stages.exact_dedup.enabled or stages.line_dedup.enabled
                or stages.decontaminate.enabled)
    assert (stages.near_dedup.ngram, stages.near_dedup.bands, stages.near_dedup.rows, stages.near_dedup.seed) == (5, 14, 8, 1)
    assert stages.langid.languages == ["en"] and stages.langid.max_chars is None
    assert stages.quality.c4["min_sentences"] == 5 and stages.quality.c4["filter_no_terminal_punct"] is False
    assert stages.pii.entities == ["EMAIL_ADDRESS", "IP_ADDRESS"]
    assert stages.tokens.tokenizer == str(tmp_path / "tokenizer.json") and stages.tokens.special_tokens[0] == "<|endoftext|>"
    assert job.sources[0].extractor == "trafilatura" and job.output.keep_rejected


def test_scan_and_missing_documents_follow_each_reader(corpus, tmp_path):
    folder, info = corpus
    rows = e2e.scan_warcs([folder / f for f in info["warc_files"]], tmp_path)
    assert len(rows) == info["records"]["warc"]["response"]
    assert rows == e2e.scan_warcs([folder / f for f in info["warc_files"]], tmp_path)  # from the cache
    quarry = e2e.outcomes_by_record(rows, {}, {}, e2e.quarry_missing)
    datatrove = e2e.outcomes_by_record(rows, {}, {}, e2e.datatrove_missing)
    skips = info["expected_skips"]
    assert sum(f == ("read", "http_status") for f in quarry.values()) == skips["non_200"]
    assert sum(f == ("read", "not_html") for f in quarry.values()) == skips["non_html"]
    # datatrove's reader keeps 404 and 301 pages (HTML payloads): only PNG and PDF are skipped
    assert sum(f == ("read", "not_html") for f in datatrove.values()) == skips["non_html"]


def test_compare_and_cleanliness_on_ground_truth(corpus):
    folder, info = corpus
    truth = e2e.load_truth(folder)
    pages = list(truth.values())
    ids = [p["record_id"] for p in pages]
    fates_a = {r: ("kept", "") for r in ids}
    fates_b = {**fates_a, ids[0]: ("langid", "language"), ids[1]: ("near_dedup", "minhash")}
    result = e2e.compare(fates_a, fates_b)
    assert (result["kept_both"], result["only_quarry"], result["only_datatrove"]) == (len(ids) - 2, 2, 0)
    assert result["jaccard"] == pytest.approx((len(ids) - 2) / len(ids))
    assert result["only_quarry_datatrove_said"] == {"langid: language": 1, "near_dedup: minhash": 1}

    kept = {p["record_id"]: p["main_text"] for p in pages}  # every page, unscrubbed
    clean = e2e.cleanliness(truth, kept, ["en"])
    planted = sum(len(p["pii"]) for p in pages)
    assert sum(clean["pii_planted_in_kept"].values()) == sum(clean["pii_left_in_kept"].values()) == planted
    copies = sum(1 for p in pages if p["dup_kind"] in ("exact", "near"))
    assert sum(clean["redundant_copies"].values()) == copies
    assert clean["other_language"] == sum(1 for p in pages if p["lang"] != "en")
    assert sum(clean["low_quality"].values()) == sum(1 for p in pages if p["quality"] != "good")
