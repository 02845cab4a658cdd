"""Bad input never kills a job and never vanishes: each break is counted with its location."""
from __future__ import annotations

import json
from pathlib import Path

from manifests.show import load_manifest
from pipeline.config import load_job
from pipeline.demo.bad_inputs import write_bad_inputs
from pipeline.job import run_job

JOB = """\
sources:
  - {name: web, kind: warc, paths: [truncated.warc.gz, corrupt-member.warc.gz, invalid-utf8.warc.gz]}
  - {name: corpus, kind: jsonl, paths: [bad.jsonl]}
  - {name: wiki, kind: wikipedia, paths: [malformed-wiki.xml, truncated-wiki.xml.bz2]}
  - {name: code, kind: code, paths: [bad-crc.zip, truncated.tar.gz]}
stages: {langid: {enabled: false}, quality: {enabled: false}}   # this test is about reading
output: {path: out}
"""


def test_every_bad_input_is_an_error_with_file_and_offset_and_the_good_units_survive(tmp_path: Path):
    write_bad_inputs(tmp_path)
    facts = json.loads((tmp_path / "bad_inputs.json").read_text(encoding="utf-8"))
    (tmp_path / "job.yaml").write_text(JOB, encoding="utf-8")
    manifest = load_manifest(run_job(load_job(tmp_path / "job.yaml"), []))

    errors = {e.location.removeprefix(f"{tmp_path}/"): e.error for e in manifest.errors.listed}
    assert manifest.errors.total == len(errors) == 11
    t = facts["truncated_warc"]["truncated_member_offset"]
    assert errors[f"truncated.warc.gz@{t}"].startswith("truncated record:")
    c = facts["corrupt_member_warc"]["damaged_member_offset"]
    assert errors[f"corrupt-member.warc.gz@{c}"].startswith("damaged record:")
    [utf8] = [loc for loc in errors if loc.startswith("invalid-utf8.warc.gz@")]
    assert "+" in utf8 and errors[utf8].startswith("invalid utf-8 at byte")
    jsonl = sorted(loc for loc in errors if loc.startswith("bad.jsonl:"))
    assert [loc.split(":")[1].split("@")[0] for loc in jsonl] == ["2", "3", "5", "7"]
    assert any(loc.startswith("malformed-wiki.xml:line ") for loc in errors)
    assert errors["truncated-wiki.xml.bz2@byte 0"].startswith("EOFError")
    assert errors["bad-crc.zip!damaged.py"].startswith("BadZipFile")
    assert [loc for loc in errors if loc.startswith("truncated.tar.gz")]

    read = {r.source: r for r in manifest.funnel if r.stage == "read"}
    for row in manifest.funnel:
        assert row.in_ == row.kept + row.dropped_total + row.errored
    web = facts["truncated_warc"]["complete_records"] + facts["corrupt_member_warc"]["records_before"] \
        + facts["corrupt_member_warc"]["records_after"] + facts["invalid_utf8_warc"]["records"] - 1
    assert (read["web"].kept, read["web"].errored) == (web, 3)
    assert (read["corpus"].kept, read["corpus"].errored) == (len(facts["bad_jsonl"]["valid_object_lines"]), 4)
    assert (read["wiki"].kept, read["wiki"].errored) == (facts["malformed_wiki_xml"]["good_pages"], 2)
    assert read["code"].kept >= len(facts["bad_crc_zip"]["good_members"]) and read["code"].errored == 2
    lines = (tmp_path / "out" / manifest.errors.file).read_text(encoding="utf-8").splitlines()
    assert len(lines) == manifest.errors.total
