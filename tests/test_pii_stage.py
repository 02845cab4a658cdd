"""The PII stage in jobs: nothing planted survives, counts reach the manifest, time-outs never leak."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from manifests.show import load_manifest
from pipeline.config import ConfigError, load_job
from pipeline.document import document_id
from pipeline.job import run_job
from tests.test_pipeline import _jsonl_job, _read_shards

EMAIL = "jane.roe@example.org"
CARD = "4111 1111 1111 1111"
NO_FILTERS = "  langid: {enabled: false}\n  quality: {enabled: false}\n"  # short test texts would be dropped


def _all_texts(root: Path) -> list[str]:
    return [r["text"] for f in sorted(root.glob("*/part-*.parquet"))
            for r in pq.read_table(f, columns=["text"]).to_pylist()]


def test_no_planted_pii_value_survives_in_clean_or_rejected_shards(demo_dir: Path, demo_run: Path):
    planted = json.loads((demo_dir / "data" / "ground_truth.json").read_text(encoding="utf-8"))["pii"]
    assert len(planted) > 20
    blob = "\n".join(_all_texts(demo_run))
    assert "<EMAIL>" in blob and "<PHONE>" in blob
    assert [p["value"] for p in planted if p["value"] in blob] == []


def test_the_manifest_counts_replacements_per_source_and_the_funnel_has_the_stage(demo_run: Path):
    manifest = load_manifest(str(demo_run))
    web = manifest.sources["web"].pii
    for entity in ("EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD", "IBAN_CODE"):
        assert web.get(entity, 0) > 0, entity
    assert manifest.sources["code"].pii.get("AWS_ACCESS_KEY", 0) > 0
    rows = [r for r in manifest.funnel if r.stage == "pii"]
    assert rows and all(r.in_ == r.kept for r in rows)
    # the counts are the documents' own signals, summed
    docs = _read_shards(demo_run, manifest, "documents")
    summed = sum(int(v) for d in docs if d["source"] == "web" for k, v in d["signals"] if k == "pii.EMAIL_ADDRESS")
    assert summed == web["EMAIL_ADDRESS"]


def test_pseudonyms_are_consistent_across_documents_and_runs_and_keyed(tmp_path: Path, monkeypatch):
    docs = [{"id": str(i), "text": f"Document {i} of the archive. Write to {EMAIL} about card {CARD}."}
            for i in range(3)]

    def stand_ins(key: str, where: str) -> list[str]:
        monkeypatch.setenv("QUARRY_PII_KEY", key)
        (tmp_path / where).mkdir()
        job = _jsonl_job(tmp_path / where, docs, NO_FILTERS + "  pii: {enabled: true, mode: pseudonym}\n")
        manifest = load_manifest(run_job(load_job(job), []))
        texts = [r["text"] for r in _read_shards(tmp_path / where / "out", manifest, "documents")]
        assert not any(EMAIL in t or CARD in t for t in texts)
        return [t.split("Write to ")[1].split(" about")[0] for t in texts]

    first, again, other = stand_ins("k1", "a"), stand_ins("k1", "b"), stand_ins("k2", "c")
    assert len(set(first)) == 1 and first[0].endswith("@example.com")
    assert again == first and set(other).isdisjoint(first)


def test_pseudonym_mode_without_a_key_is_a_clear_error(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("QUARRY_PII_KEY", raising=False)
    job = _jsonl_job(tmp_path, [{"id": "1", "text": f"mail {EMAIL}"}], "  pii: {enabled: true, mode: pseudonym}\n")
    with pytest.raises(ValueError, match="QUARRY_PII_KEY"):
        run_job(load_job(job), [])


def test_asking_for_person_without_a_ner_model_says_what_to_install(tmp_path: Path):
    job = _jsonl_job(tmp_path, [{"id": "1", "text": "x"}], "  pii: {enabled: true, entities: [PERSON]}\n")
    with pytest.raises(ConfigError, match="stages.pii.*spacy"):
        load_job(job)


def _phone_heavy(n_numbers: int) -> str:
    return " ".join(f"Call 212-555-01{i % 100:02d} or visit office {i}." for i in range(n_numbers))


@pytest.mark.parametrize("policy", ["drop", "keep"])
def test_a_document_out_of_time_is_dropped_withheld_or_kept_flagged_never_silent(tmp_path: Path, policy: str):
    docs = [{"id": "slow", "text": _phone_heavy(3000)}]
    # the limit is per document and checked as the scan goes: the long one cannot finish in 1 us
    job = _jsonl_job(tmp_path, docs, NO_FILTERS + f"  pii: {{enabled: true, time_limit_s: 0.000001, on_timeout: {policy}}}\n",
                     output="{path: out, keep_rejected: true}")
    manifest = load_manifest(run_job(load_job(job), []))
    slow = document_id("c", "slow")
    kept = {r["id"]: r for r in _read_shards(tmp_path / "out", manifest, "documents")}
    rejected = {r["id"]: r for r in _read_shards(tmp_path / "out", manifest, "rejected")}
    pii_rows = {r.source: r for r in manifest.funnel if r.stage == "pii"}
    if policy == "drop":
        assert slow not in kept
        assert rejected[slow]["reason"] == "pii_timeout" and rejected[slow]["text"] == ""
        assert pii_rows["c"].dropped == {"pii_timeout": 1}
    else:
        assert dict(kept[slow]["meta"])["pii_unscrubbed"] == "true"
        assert manifest.sources["c"].pii_unscrubbed == 1 and pii_rows["c"].kept == 1


def test_rejected_documents_of_earlier_stages_are_scrubbed_too(tmp_path: Path):
    text = f"Contact {EMAIL} for the minutes of the harbour board meeting about the new ferry timetable."
    docs = [{"id": "a", "text": text}, {"id": "b", "text": text}]  # b is an exact duplicate of a
    job = _jsonl_job(tmp_path, docs, NO_FILTERS + "  pii: {enabled: true}\n", output="{path: out, keep_rejected: true}")
    run_job(load_job(job), [])
    texts = _all_texts(tmp_path / "out")
    assert len(texts) == 2 and all("<EMAIL>" in t and EMAIL not in t for t in texts)
