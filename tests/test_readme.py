"""The README's job-file example is a valid job: documentation that cannot drift from the code."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from pipeline.config import parse_job

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_job_example_validates():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Job files", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    job = parse_job(yaml.safe_load(example), Path("/jobs"))
    assert [s.kind for s in job.sources] == ["warc", "wikipedia", "code", "books", "jsonl"]
    assert job.stages.perplexity.train.source == "wiki"
    assert job.sources[0].quality == {"c4": {"min_sentences": 5}}
