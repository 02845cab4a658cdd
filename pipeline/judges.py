"""Which judges a job runs on which source, built from the job's config.

`plan_*` functions turn the `stages` section (with each source's overrides) into per-source
judge lists for `pipeline.judging.JudgeStage`. The factories here are the only place that knows
how a config section becomes a judge object.
"""
from __future__ import annotations

from pipeline.config import JobConfig
from pipeline.judging import JudgeSpec, spec

LANGID = "langid"
CODE_KINDS = ("code",)


def langid_judge(model: str | None, languages: tuple[str, ...] | None, min_score: float, max_chars: int | None):
    from filters.langid import LanguageId

    return LanguageId(model, languages=set(languages) if languages else None, min_score=min_score,
                      max_chars=max_chars)



def plan_langid(job: JobConfig) -> dict[str, tuple[JudgeSpec, ...]]:
    """Language id for every prose source (code is not language-filtered this way)."""
    stage = job.stages.langid
    plan = {}
    for src in job.sources:
        if src.kind in CODE_KINDS:
            continue
        languages = tuple(sorted(stage.languages)) if stage.languages else None
        plan[src.name] = (spec(langid_judge, model=stage.model, languages=languages, min_score=stage.min_score,
                               max_chars=stage.max_chars),)
    return plan
