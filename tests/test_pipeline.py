"""The demo job end to end on Beam's DirectRunner: funnel, shards, dedup, determinism."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from manifests.show import load_manifest
from pipeline.config import load_job
from pipeline.job import STAGE_ORDER, run_job
from tests.conftest import copy_job

SOURCES = ("web", "web-wet", "wikipedia", "code", "books")


def _rows(manifest):
    return {(r.stage, r.source): r for r in manifest.funnel}


def test_funnel_balances_at_every_stage_and_chains_from_stage_to_stage(demo_run: Path):
    manifest = load_manifest(str(demo_run))
    rows = _rows(manifest)
    present = [s for s in STAGE_ORDER if any(r.stage == s for r in manifest.funnel)]
    assert present == [s for s in STAGE_ORDER if s != "line_dedup"]  # the demo runs every stage but that one
    for row in manifest.funnel:
        assert row.in_ == row.kept + row.dropped_total + row.errored, row
    for source in SOURCES:
        assert rows[("read", source)].kept > 0
        for before, after in zip(present, present[1:]):
            assert rows[(after, source)].in_ == rows[(before, source)].kept, (source, after)
        assert manifest.sources[source].documents == rows[(present[-1], source)].kept
    assert manifest.outputs["documents"].documents == sum(rows[(present[-1], s)].kept for s in SOURCES)
    assert manifest.errors.total == 0
    assert len(manifest.outputs["documents"].shards) > 1


def test_readers_skip_what_the_demo_planted_with_reasons(demo_dir: Path, demo_run: Path):
    truth = json.loads((demo_dir / "data" / "ground_truth.json").read_text(encoding="utf-8"))
    rows = _rows(load_manifest(str(demo_run)))
    web = rows[("read", "web")]
    assert web.in_ == sum(truth["web"]["responses"].values())
    assert web.dropped["http_status"] == truth["web"]["expected_skips"]["non_200"]
    assert web.dropped["not_html"] == truth["web"]["expected_skips"]["non_html"]
    assert rows[("read", "web-wet")].kept == truth["web"]["records"]["wet"]["conversion"]
    wiki_kinds = truth["wiki"]["pages_by_kind"]
    wiki = rows[("read", "wikipedia")]
    assert wiki.kept == wiki_kinds["article"]
    assert wiki.dropped == {
        "redirect": wiki_kinds["redirect"],
        "disambiguation": wiki_kinds["disambiguation"],
        "namespace": sum(n for kind, n in wiki_kinds.items() if kind not in ("article", "redirect", "disambiguation")),
    }
    code = rows[("read", "code")]
    expected = Counter(f["expected"].removeprefix("skip_") for f in truth["code"]["repo"]["files"]
                       if f["expected"] != "skip_ignored")
    for archive in truth["code"]["archives"]:
        expected.update(f["expected"].removeprefix("skip_") for f in archive["files"])
    assert code.kept == expected.pop("keep")
    assert code.dropped == dict(expected)
    assert rows[("read", "books")].kept == len(truth["books"]["texts"]) + 1
    assert rows[("exact_dedup", "web")].dropped["exact_duplicate"] >= 1


def _jsonl_job(tmp_path: Path, docs: list[dict], stages: str, *, source: str = "c", output: str = "{path: out}") -> Path:
    """A job over one JSONL source holding `docs`, with the given `stages:` block (YAML lines)."""
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    job = tmp_path / "job.yaml"
    job.write_text(f"sources:\n  - {{name: {source}, kind: jsonl, paths: [c.jsonl]}}\nstages:\n{stages}"
                   f"output: {output}\n", encoding="utf-8")
    return job


def _read_shards(root: Path, manifest, name: str):
    table_rows = []
    for shard in manifest.outputs[name].shards:
        data = (root / shard.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == shard.sha256
        assert len(data) == shard.bytes
        rows = pq.read_table(root / shard.path).to_pylist()
        assert len(rows) == shard.documents
        ids = [r["id"] for r in rows]
        assert ids == sorted(ids)
        table_rows.extend(rows)
    return table_rows


def test_clean_shards_hold_unique_normalized_documents_with_locator_fields(demo_run: Path):
    manifest = load_manifest(str(demo_run))
    rows = _read_shards(demo_run, manifest, "documents")
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows), "exact duplicates survived"
    by_source = {}
    for r in rows:
        by_source.setdefault(r["source"], []).append(r)
        assert r["text"] and r["text"] == r["text"].strip()
    assert all(r["url"].startswith("http") for r in by_source["web"])
    assert all(dict(r["meta"])["record_id"].startswith("<urn:uuid:") for r in by_source["web"])
    assert all(r["title"] and dict(r["meta"])["page_id"] for r in by_source["wikipedia"])
    assert all(r["path"] and dict(r["meta"])["repo"] and dict(r["meta"])["language"] for r in by_source["code"])
    assert all(r["title"] for r in by_source["books"])
    assert "node_modules" not in " ".join(r["path"] for r in by_source["code"])


def test_rejected_duplicates_name_their_reason_and_survivor(demo_run: Path):
    manifest = load_manifest(str(demo_run))
    kept = {r["id"]: r["text"] for r in _read_shards(demo_run, manifest, "documents")}
    rejected = _read_shards(demo_run, manifest, "rejected")
    reasons = Counter(r["reason"] for r in rejected)
    dropped = Counter()
    for row in manifest.funnel:
        dropped.update({reason: n for reason, n in row.dropped.items()} if row.stage not in ("read", "normalize") else {})
    assert reasons == dropped
    for r in rejected:
        if r["reason"] == "exact_duplicate":
            survivor = dict(r["meta"])["duplicate_of"]
            assert kept[survivor] == r["text"]
            assert survivor < r["id"]


def test_multi_processing_runner_gives_byte_identical_outputs(demo_dir: Path, demo_run: Path, tmp_path: Path):
    job = copy_job(demo_dir, tmp_path)
    run_job(load_job(job), ["--direct_num_workers=2", "--direct_running_mode=multi_processing"])
    first, second = load_manifest(str(demo_run)), load_manifest(str(tmp_path / "output"))
    assert [s.model_dump() for s in second.outputs["documents"].shards] == [
        s.model_dump() for s in first.outputs["documents"].shards]
    assert [s.sha256 for s in second.outputs["rejected"].shards] == [s.sha256 for s in first.outputs["rejected"].shards]
    assert [r.model_dump() for r in second.funnel] == [r.model_dump() for r in first.funnel]
    for shard in first.outputs["documents"].shards:
        assert (tmp_path / "output" / shard.path).read_bytes() == (demo_run / shard.path).read_bytes()
    assert first.tokens is not None and second.tokens.model_dump() == first.tokens.model_dump()
    for shard in first.tokens.shards:  # tokenizer, mix, shuffle and token shards: the same bytes
        assert (tmp_path / "output" / shard.path).read_bytes() == (demo_run / shard.path).read_bytes()
    # the LM's reference corpus is read by both workers and put in id order: the same model
    assert [m.model_dump() for m in second.language_models] == [m.model_dump() for m in first.language_models]
    assert set(second.run.phases) == {"lm_reference", "lm_training", "documents", "tokenizer", "tokens"}


def test_exact_dedup_works_across_sources_and_keeps_the_lowest_id(tmp_path: Path):
    texts = ["The same sentence in two corpora.", "Only in the first corpus.", "Only in the second."]
    (tmp_path / "a.jsonl").write_text(
        "\n".join(json.dumps({"id": f"a{i}", "text": t}) for i, t in enumerate(texts[:2])) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        "\n".join(json.dumps({"id": f"b{i}", "text": t}) for i, t in enumerate([texts[0], texts[2]])) + "\n",
        encoding="utf-8")
    (tmp_path / "job.yaml").write_text(
        "sources:\n  - {name: a, kind: jsonl, paths: [a.jsonl]}\n  - {name: b, kind: jsonl, paths: [b.jsonl]}\n"
        "stages: {langid: {enabled: false}, quality: {enabled: false}}\n"
        "output: {path: out, keep_rejected: true}\n", encoding="utf-8")
    manifest = load_manifest(run_job(load_job(tmp_path / "job.yaml"), []))
    rows = pq.read_table(tmp_path / "out" / manifest.outputs["documents"].shards[0].path).to_pylist()
    assert sorted(r["text"] for r in rows) == sorted(texts)
    dup = [r for r in rows if r["text"] == texts[0]][0]
    assert dict(dup["signals"])["exact_copies"] == 2.0
    from pipeline.document import document_id

    assert dup["id"] == min(document_id("a", "a0"), document_id("b", "b0"))
    dropped = {r.source: r.dropped.get("exact_duplicate", 0) for r in manifest.funnel if r.stage == "exact_dedup"}
    assert sum(dropped.values()) == 1


def _quarry(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_cli_reports_a_missing_input_in_one_line_without_traceback(tmp_path: Path):
    (tmp_path / "job.yaml").write_text(
        "sources:\n  - {name: web, kind: warc, paths: [nowhere/crawl.warc.gz]}\noutput: {path: out}\n", encoding="utf-8")
    result = _quarry("run", "job.yaml", cwd=tmp_path)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("quarry:")]
    assert errors == [f"quarry: error: input not found: {tmp_path / 'nowhere/crawl.warc.gz'} (source web)"]
    assert "Traceback" not in result.stderr


def test_cli_reports_a_bad_config_key_in_one_line(tmp_path: Path):
    (tmp_path / "job.yaml").write_text(
        "sources:\n  - {name: web, kind: warc, paths: [x.warc.gz], extractor: magic}\noutput: {path: out}\n",
        encoding="utf-8")
    result = _quarry("run", "job.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("quarry: error: sources[0].extractor:")
    assert "Traceback" not in result.stderr


def test_cli_manifest_show_prints_tables_and_json(demo_run: Path):
    result = _quarry("manifest", "show", str(demo_run), cwd=demo_run)
    assert result.returncode == 0, result.stderr
    assert "Funnel" in result.stdout and "exact_duplicate" in result.stdout and "wikipedia" in result.stdout
    as_json = _quarry("manifest", "show", str(demo_run / "manifest.json"), "--json", cwd=demo_run)
    assert json.loads(as_json.stdout)["manifest_version"] == 1
    missing = _quarry("manifest", "show", str(demo_run / "nope.json"), cwd=demo_run)
    assert missing.returncode == 2 and "no manifest at" in missing.stderr


def test_cli_passes_unknown_arguments_to_beam_unchanged(tmp_path: Path, monkeypatch):
    import pipeline.job
    from pipeline.cli import main

    seen = {}

    def fake_run_job(job, beam_args):
        seen["args"] = beam_args
        seen["job"] = job.name
        return str(tmp_path / "manifest.json")

    monkeypatch.setattr(pipeline.job, "run_job", fake_run_job)
    monkeypatch.setattr("pipeline.cli._show_after_run", lambda path, quiet: 0)
    (tmp_path / "job.yaml").write_text(
        "name: passthrough\nsources:\n  - {name: web, kind: warc, paths: [x.warc.gz]}\noutput: {path: out}\n",
        encoding="utf-8")
    flags = ["--runner", "DataflowRunner", "--project", "my-proj", "--temp_location", "gs://bucket/tmp",
             "--flink_master=localhost:8081", "--direct_num_workers", "2"]
    assert main(["run", str(tmp_path / "job.yaml"), *flags]) == 0
    assert seen == {"args": flags, "job": "passthrough"}


def test_language_id_records_language_and_score_on_every_prose_document(demo_dir: Path, demo_run: Path):
    manifest = load_manifest(str(demo_run))
    rows = _read_shards(demo_run, manifest, "documents")
    with open(demo_dir / "data" / "ground_truth" / "web_pages.jsonl", encoding="utf-8") as handle:
        truth = {r["url"]: r["lang"] for r in map(json.loads, handle)}
    web = [r for r in rows if r["source"] in ("web", "web-wet")]
    agree = sum(dict(r["meta"])["lang"] == truth[r["url"]] for r in web)
    assert agree / len(web) >= 0.99
    for r in rows:
        meta, signals = dict(r["meta"]), dict(r["signals"])
        if r["source"] == "code":
            assert "lang" not in meta
        else:
            assert meta["lang"] in ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl")
            assert signals["langid.score"] >= 0.65
    assert sum(manifest.sources["web"].languages.values()) == manifest.sources["web"].documents
    assert len(manifest.sources["web"].languages) >= 6


def test_quality_rules_drop_every_planted_low_quality_page_and_keep_most_good_ones(demo_dir: Path, demo_run: Path):
    manifest = load_manifest(str(demo_run))
    with open(demo_dir / "data" / "ground_truth" / "web_pages.jsonl", encoding="utf-8") as handle:
        truth = {r["url"]: r for r in map(json.loads, handle) if r["source"] == "warc"}
    kept = {r["url"] for r in _read_shards(demo_run, manifest, "documents") if r["source"] == "web"}
    rejected = {r["url"]: r["reason"] for r in _read_shards(demo_run, manifest, "rejected") if r["source"] == "web"}
    planted = [url for url, t in truth.items() if t["quality"] != "good"]
    assert planted and not [url for url in planted if url in kept]
    good = [url for url, t in truth.items() if t["quality"] == "good" and t["dup_kind"] != "exact"]
    judged = ("langid", "gopher_repetition", "gopher_quality", "c4", "fineweb")
    dropped_by_judges = [u for u in good if rejected.get(u, "").split(".")[0] in judged]
    assert 1 - len(dropped_by_judges) / len(good) >= 0.85
    quality = {r.source: r for r in manifest.funnel if r.stage == "quality"}
    assert all(reason.split(".")[0] in ("gopher_repetition", "gopher_quality", "c4", "fineweb")
               for reason in quality["web"].dropped)
    assert not quality["code"].dropped or all(r.startswith("code.") for r in quality["code"].dropped)
    assert {rejected[u].split(".")[0] for u in planted if u in rejected} <= {"langid", "gopher_quality", "gopher_repetition", "c4", "fineweb"}


def test_perplexity_model_is_trained_from_the_wikipedia_source_and_scores_english_documents(demo_run: Path):
    manifest = load_manifest(str(demo_run))
    [lm] = manifest.language_models
    assert (lm.language, lm.source, lm.order) == ("en", "wikipedia", 5)
    assert hashlib.sha256((demo_run / lm.path).read_bytes()).hexdigest() == lm.sha256
    assert lm.held_out_documents > 0 and lm.cutoffs[0] <= lm.cutoffs[1]
    buckets = Counter()
    for r in _read_shards(demo_run, manifest, "documents"):
        meta, signals = dict(r["meta"]), dict(r["signals"])
        if meta.get("lang") == "en":
            assert signals["perplexity.value"] > 0
            bucket = meta["perplexity_bucket"]
            assert signals["perplexity.bucket"] == ("head", "middle", "tail").index(bucket)
            assert (bucket == "head") == (signals["perplexity.value"] < lm.cutoffs[0])
            buckets[r["source"], bucket] += 1
        else:
            assert "perplexity.value" not in signals and "perplexity_bucket" not in meta
    # held-out Wikipedia sets the cutoffs, so Wikipedia is mostly head and web pages score worse
    wiki = sum(n for (s, _), n in buckets.items() if s == "wikipedia")
    assert buckets["wikipedia", "head"] / wiki > 0.5
    assert buckets["web", "head"] <= buckets["web", "tail"]


def test_near_dedup_merges_close_copies_and_leaves_distant_ones(demo_dir: Path, demo_run: Path):
    from dedup.minhash import shingles

    manifest = load_manifest(str(demo_run))
    rows = _read_shards(demo_run, manifest, "documents") + _read_shards(demo_run, manifest, "rejected")
    by_url = {r["url"]: r for r in rows if r["source"] == "web"}
    truth = json.loads((demo_dir / "data" / "ground_truth.json").read_text(encoding="utf-8"))
    checked = 0
    for pair in truth["duplicates"]["pairs"]:
        a, b = by_url.get(pair["url_a"]), by_url.get(pair["url_b"])
        if a is None or b is None or any(r.get("reason") not in (None, "near_duplicate") for r in (a, b)):
            continue  # one of the two left the corpus before near dedup
        sa, sb = set(shingles(a["text"])), set(shingles(b["text"]))
        jaccard = len(sa & sb) / len(sa | sb)
        cluster = (dict(a["meta"]).get("near_dedup_cluster"), dict(b["meta"]).get("near_dedup_cluster"))
        if jaccard >= 0.85:
            assert cluster[0] is not None and cluster[0] == cluster[1], (pair, jaccard)
            checked += 1
        elif jaccard < 0.5:
            assert cluster[0] is None or cluster[0] != cluster[1], (pair, jaccard)
            checked += 1
    assert checked >= 2
    assert manifest.stage_stats["near_dedup"] == {"capped_buckets": 0, "largest_capped_bucket": 0}
    near = [r for r in rows if r.get("reason") == "near_duplicate"]
    kept = {r["id"]: dict(r["meta"]) for r in rows if r.get("reason") is None}
    assert near
    for r in near:
        survivor = dict(r["meta"])["duplicate_of"]
        assert kept[survivor]["near_dedup_cluster"] == dict(r["meta"])["near_dedup_cluster"]


def test_decontamination_drops_the_pages_the_eval_set_quotes(demo_dir: Path, demo_run: Path):
    manifest = load_manifest(str(demo_run))
    quoted = set(json.loads((demo_dir / "data" / "ground_truth" / "eval_quoted.json").read_text(encoding="utf-8")))
    rejected = {r["url"]: r for r in _read_shards(demo_run, manifest, "rejected") if r["source"] == "web"}
    kept = {r["url"] for r in _read_shards(demo_run, manifest, "documents")}
    assert quoted and not quoted & kept
    for url in quoted:
        if rejected[url]["reason"] == "decontaminate.eval_overlap":
            assert dict(rejected[url]["signals"])["decontaminate.overlaps"] >= 1
    stage = {r.source: r for r in manifest.funnel if r.stage == "decontaminate"}
    assert stage["web"].dropped["decontaminate.eval_overlap"] == sum(
        r["reason"] == "decontaminate.eval_overlap" for r in rejected.values())


def test_decontamination_can_flag_instead_of_drop(tmp_path: Path):
    passage = ("the quick brown fox jumps over the lazy dog while the farmer watches from the old wooden gate "
               "at the end of the long summer day")
    (tmp_path / "eval.txt").write_text(passage + "\n", encoding="utf-8")
    docs = [{"id": "hit", "text": "Intro. " + passage.capitalize() + ". Outro."},
            {"id": "miss", "text": "An unrelated text about ships and harbours and the sea."}]
    job = _jsonl_job(tmp_path, docs, "  langid: {enabled: false}\n  quality: {enabled: false}\n"
                     "  decontaminate: {enabled: true, eval_sets: [eval.txt], action: flag}\n")
    manifest = load_manifest(run_job(load_job(job), []))
    rows = {r["id"]: r for r in _read_shards(tmp_path / "out", manifest, "documents")}
    from pipeline.document import document_id

    hit, miss = rows[document_id("c", "hit")], rows[document_id("c", "miss")]
    assert dict(hit["meta"])["contaminated"] == "true" and "contaminated" not in dict(miss["meta"])
    assert dict(hit["signals"])["decontaminate.overlaps"] >= 1
    assert manifest.sources["c"].contaminated == 1 and manifest.sources["c"].documents == 2


def test_a_missing_eval_set_or_model_stops_the_job_before_it_runs(tmp_path: Path):
    _jsonl_job(tmp_path, [{"id": 1, "text": "hello"}],
               "  decontaminate: {enabled: true, eval_sets: [missing.jsonl]}\n")
    result = _quarry("run", "job.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"quarry: error: stages.decontaminate.eval_sets: file not found: {tmp_path / 'missing.jsonl'}")
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_line_dedup_keeps_each_shared_line_in_the_lowest_id_document(tmp_path: Path):
    shared = "Subscribe to our newsletter for the latest news from the region."
    docs = [{"id": "a", "text": f"First story about the harbour.\n{shared}"},
            {"id": "b", "text": f"Second story about the market.\n{shared}"},
            {"id": "c", "text": shared}]
    job = _jsonl_job(tmp_path, docs, "  langid: {enabled: false}\n  quality: {enabled: false}\n"
                     "  line_dedup: {enabled: true, kinds: [jsonl]}\n",
                     source="web", output="{path: out, keep_rejected: true}")
    manifest = load_manifest(run_job(load_job(job), []))
    from pipeline.document import document_id

    ids = {document_id("web", d["id"]): d["id"] for d in docs}
    owner = ids[min(ids)]  # the document with the lowest id keeps the shared line
    original = {d["id"]: d["text"] for d in docs}
    expected = {k: t if k == owner else t.replace(shared, "").strip() for k, t in original.items()}
    kept = {ids[r["id"]]: r["text"] for r in _read_shards(tmp_path / "out", manifest, "documents")}
    rejected = {ids[r["id"]]: r["reason"] for r in _read_shards(tmp_path / "out", manifest, "rejected")}
    assert kept == {k: t for k, t in expected.items() if t}
    assert rejected == {k: "line_dedup.empty" for k, t in expected.items() if not t}
    line = {r.source: r for r in manifest.funnel if r.stage == "line_dedup"}["web"]
    assert (line.in_, line.kept, line.dropped) == (3, len(kept), {"line_dedup.empty": len(rejected)} if rejected else {})

