"""The readers against the demo corpus's ground truth: what they keep and skip, and text quality."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.readers.base import Failure, Record, Skip
from pipeline.readers.code import LocalTree, read_code_archive, read_code_tree
from pipeline.readers.warc import WarcOptions, read_warc

WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def truth(demo_dir: Path) -> dict:
    return json.loads((demo_dir / "data" / "ground_truth.json").read_text(encoding="utf-8"))


def _web_truth(demo_dir: Path) -> dict[str, dict]:
    with open(demo_dir / "data" / "ground_truth" / "web_pages.jsonl", encoding="utf-8") as handle:
        return {row["url"]: row for row in map(json.loads, handle) if row["source"] == "warc"}


def _expected_outcome(expected: str) -> str:
    return "keep" if expected == "keep" else expected.removeprefix("skip_")


def test_code_reader_decides_every_demo_file_as_the_ground_truth_says(demo_dir: Path, truth: dict):
    repo = truth["code"]["repo"]
    want = {f["path"]: _expected_outcome(f["expected"]) for f in repo["files"] if f["expected"] != "skip_ignored"}
    got = {}
    for event in read_code_tree(LocalTree(str(demo_dir / "data" / repo["path"]))):
        assert not isinstance(event, Failure), event
        if isinstance(event, Record):
            got[event.fields["path"]] = "keep"
            assert event.fields["commit"] == repo["head"]
        else:
            got[event.location.split("/demo-repo/", 1)[1]] = event.reason
    assert got == want
    for archive in truth["code"]["archives"]:
        top = archive["top"]
        want = {f["path"].removeprefix(top): _expected_outcome(f["expected"]) for f in archive["files"]}
        path = demo_dir / "data" / archive["path"]
        with open(path, "rb") as handle:
            events = list(read_code_archive(handle, str(path)))
        got = {}
        for event in events:
            if isinstance(event, Record):
                got[event.fields["path"]] = "keep"
                assert event.fields["commit"] == archive["commit"]
            else:
                got[event.location.split(top, 1)[1]] = event.reason
        assert got == want


def test_warc_reader_keeps_every_html_page_and_skips_the_other_responses(demo_dir: Path, truth: dict):
    web = truth["web"]
    events = []
    for name in web["warc_files"]:
        with open(demo_dir / "data" / name, "rb") as handle:
            events.extend(read_warc(handle, name))
    reasons = Counter(e.reason for e in events if isinstance(e, Skip))
    records = [e for e in events if isinstance(e, Record)]
    assert not [e for e in events if isinstance(e, Failure)]
    assert reasons["http_status"] == web["expected_skips"]["non_200"]
    assert reasons["not_html"] == web["expected_skips"]["non_html"]
    assert len(records) + reasons["no_text"] == web["responses"]["html_200"]
    assert reasons["no_text"] <= web["pages_by_quality"].get("link_list", 0)


def _recall(extracted: str, truth_text: str) -> float:
    got, want = Counter(WORD.findall(extracted.lower())), Counter(WORD.findall(truth_text.lower()))
    return sum((got & want).values()) / max(sum(want.values()), 1)


def test_every_charset_variant_decodes_to_the_true_main_text(demo_dir: Path, truth: dict):
    pages = _web_truth(demo_dir)
    recalls: dict[tuple[str, str], list[float]] = {}
    for name in truth["web"]["warc_files"]:
        with open(demo_dir / "data" / name, "rb") as handle:
            for event in read_warc(handle, name, WarcOptions()):
                if isinstance(event, Record) and event.fields["url"] in pages:
                    page = pages[event.fields["url"]]
                    if page["quality"] != "good":
                        continue
                    key = (page["charset"], page["charset_declared"])
                    recalls.setdefault(key, []).append(_recall(event.text, page["main_text"]))
                    assert "\ufffd" not in event.text
    assert {charset for charset, _ in recalls} >= {"utf-8", "iso-8859-1", "windows-1252", "windows-1251"}
    assert {declared for _, declared in recalls} >= {"header", "meta", "none"}
    for key, values in recalls.items():
        assert min(values) >= 0.9, (key, min(values))
