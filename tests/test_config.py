"""Job files: valid ones load with resolved paths; every mistake is one line naming its key."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ConfigError, load_job, parse_job

GOOD = {
    "name": "t",
    "sources": [
        {"name": "web", "kind": "warc", "paths": ["web/*.warc.gz", "gs://bucket/x.warc.gz"], "extractor": "trafilatura"},
        {"name": "wiki", "kind": "wikipedia", "paths": ["wiki.xml.bz2"]},
        {"name": "code", "kind": "code", "paths": ["repo"], "max_file_bytes": 5000},
        {"name": "books", "kind": "books", "paths": ["books/*.txt"]},
        {"name": "corpus", "kind": "jsonl", "paths": ["@lists/files.txt"], "text_field": "content"},
    ],
    "output": {"path": "out", "keep_rejected": True},
}


def test_a_valid_job_resolves_local_paths_against_its_folder_and_keeps_uris(tmp_path: Path):
    job = parse_job(GOOD, tmp_path)
    assert job.source("web").paths == [str(tmp_path / "web/*.warc.gz"), "gs://bucket/x.warc.gz"]
    assert job.source("corpus").paths == ["@" + str(tmp_path / "lists/files.txt")]
    assert job.source("web").extractor == "trafilatura"
    assert job.source("code").max_file_bytes == 5000
    assert job.output.path == str(tmp_path / "out")
    assert job.stages.exact_dedup.enabled is True


def _with(path: list, value) -> dict:
    import copy

    data = copy.deepcopy(GOOD)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    "data,expected",
    [
        (_with(["sources", 0, "extracter"], "x"), "sources[0].extracter: unknown key"),
        (_with(["sources", 0, "extractor"], "magic"), "sources[0].extractor: Input should be 'resiliparse' or 'trafilatura'"),
        (_with(["sources", 1, "kind"], "wikipediaa"), "sources[1].kind: unknown kind 'wikipediaa'"),
        (_with(["sources", 2, "max_file_bytes"], 0), "sources[2].max_file_bytes: Input should be greater than 0"),
        (_with(["sources", 3, "name"], "web"), "sources: source name 'web' is used twice"),
        (_with(["output", "colour"], "red"), "output.colour: unknown key"),
        ({**GOOD, "stages": {"exact_dedup": {"enabled": "perhaps"}}}, "stages.exact_dedup.enabled: Input should be a valid boolean"),
        (_with(["sources"], []), "sources: List should have at least 1 item"),
        ({"sources": GOOD["sources"]}, "output: Field required"),
        (["not", "a", "mapping"], "the job file must be a mapping"),
    ],
)
def test_bad_jobs_fail_with_one_line_naming_the_key(tmp_path: Path, data, expected):
    with pytest.raises(ConfigError) as info:
        parse_job(data, tmp_path)
    message = str(info.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_load_job_reports_missing_files_and_bad_yaml(tmp_path: Path):
    with pytest.raises(ConfigError, match="job file not found"):
        load_job(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [\n  - name: a\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_job(bad)
