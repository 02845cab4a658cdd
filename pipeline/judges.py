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


def langid_judge(model: str | None, languages: tuple[str, ...] | None, min_score: float, max_chars: int | None,
                 lang: str | None = None):
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


QUALITY = "quality"


def plan_quality(job: JobConfig) -> dict[str, tuple[JudgeSpec, ...]]:
    """The heuristic rule sets each source runs (kind defaults, then stage and source settings)."""
    from pipeline.rules import rule_judge, rules_for

    stage = job.stages.quality.rule_settings()
    plan = {}
    for src in job.sources:
        chosen = rules_for(src.kind, stage, src.quality)
        plan[src.name] = tuple(spec(rule_judge, rule=rule, settings=tuple(sorted(settings.items())))
                               for rule, settings in chosen)
    return plan


PERPLEXITY = "perplexity"


class _Unscored:
    """Stands in for a perplexity judge where no model exists for the documents' language."""

    name = PERPLEXITY

    def judge_batch(self, texts):
        from filters.verdict import Verdict

        return [Verdict() for _ in texts]


def _local_model(uri: str) -> str:
    """KenLM reads local files: a model on an object store is copied to a temp file once."""
    if "://" not in uri:
        return uri
    import os
    import tempfile

    from pipeline.fsio import read_bytes

    local = os.path.join(tempfile.gettempdir(), "quarry-lm-" + uri.replace("/", "_").replace(":", "_"))
    if not os.path.exists(local):
        with open(local + ".part", "wb") as handle:
            handle.write(read_bytes(uri))
        os.replace(local + ".part", local)
    return local


def perplexity_judge(models: tuple[tuple[str, str], ...], cutoffs: tuple[tuple[str, tuple[float, float]], ...],
                     max_perplexity: float | None, lang: str | None = None):
    from filters.perplexity import PerplexityScorer

    by_lang = dict(models)
    if lang is None and len(by_lang) == 1:  # language id is off: the only model scores everything
        lang = next(iter(by_lang))
    if lang not in by_lang:
        return _Unscored()
    return PerplexityScorer(_local_model(by_lang[lang]), max_perplexity=max_perplexity,
                            cutoffs=dict(cutoffs).get(lang))


def plan_perplexity(job: JobConfig, trained: dict | None) -> dict[str, tuple[JudgeSpec, ...]]:
    """Perplexity for every prose source, with the configured and the freshly trained models."""
    stage = job.stages.perplexity
    models = dict(stage.models)
    cutoffs = {lang: tuple(c) for lang, c in stage.cutoffs.items()}
    if trained:
        models[trained["language"]] = trained["uri"]
        cutoffs[trained["language"]] = tuple(trained["cutoffs"])
    judge = spec(perplexity_judge, models=tuple(sorted(models.items())), cutoffs=tuple(sorted(cutoffs.items())),
                 max_perplexity=stage.max_perplexity)
    return {src.name: (judge,) for src in job.sources if src.kind not in CODE_KINDS}


DECONTAMINATE = "decontaminate"


class _Decontaminator:
    """A judge: overlaps with the evaluation sets; drops, or flags in `meta`, the contaminated."""

    name = DECONTAMINATE

    def __init__(self, index, min_overlaps: int, action: str):
        self.index = index
        self.min_overlaps = min_overlaps
        self.action = action

    def judge_batch_fields(self, texts):
        from filters.verdict import Verdict

        verdicts, facts = [], []
        for text in texts:
            overlaps = self.index.overlaps(text)
            hit = overlaps >= self.min_overlaps
            verdicts.append(Verdict({"decontaminate.overlaps": float(overlaps)},
                                    "decontaminate.eval_overlap" if hit and self.action == "drop" else None))
            facts.append({"contaminated": "true"} if hit and self.action == "flag" else {})
        return verdicts, facts


def decontaminate_judge(eval_sets: tuple[str, ...], fields: tuple[str, ...], n: int, min_overlaps: int,
                        min_item_words: int, action: str, lang: str | None = None):
    from dedup.decontaminate import EvalIndex

    index = EvalIndex.load(eval_sets, n, fields=fields, min_item_words=min_item_words)
    return _Decontaminator(index, min_overlaps, action)


def plan_decontaminate(job: JobConfig) -> dict[str, tuple[JudgeSpec, ...]]:
    """The same evaluation sets checked against every source."""
    stage = job.stages.decontaminate
    judge = spec(decontaminate_judge, eval_sets=tuple(stage.eval_sets), fields=tuple(stage.fields), n=stage.n,
                 min_overlaps=stage.min_overlaps, min_item_words=stage.min_item_words, action=stage.action)
    return {src.name: (judge,) for src in job.sources}
