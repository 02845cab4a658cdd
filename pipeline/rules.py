"""The heuristic quality rules a job can run, and which source kinds run which by default.

Each rule set is a Beam-free judge in `filters/` with a frozen dataclass of thresholds. A job
tunes them under `stages.quality.<rule>` and per source under `sources[i].quality.<rule>`;
`enabled` forces a rule on or off, otherwise the source kind's default below applies.

Defaults by kind: web text (warc, wet) and unknown corpora (jsonl, parquet) get all four prose
rule sets in FineWeb's order; Wikipedia and books get Gopher's rules only, since C4's and
FineWeb's line rules assume web pages (a hard-wrapped Gutenberg book has few lines ending in
punctuation and would lose most of its lines); code gets the code rules.
"""
from __future__ import annotations

import dataclasses
import typing
from typing import Any

from pydantic import TypeAdapter, ValidationError

from filters.c4 import C4Quality, C4QualityConfig
from filters.code_quality import CodeQuality, CodeQualityConfig
from filters.fineweb import FineWebQuality, FineWebQualityConfig
from filters.gopher import GopherQuality, GopherQualityConfig, GopherRepetition, GopherRepetitionConfig

# rule-set name -> (judge class, thresholds dataclass), in the order the rules run (FineWeb's).
RULE_SETS: dict[str, tuple[type, type]] = {
    "gopher_repetition": (GopherRepetition, GopherRepetitionConfig),
    "gopher_quality": (GopherQuality, GopherQualityConfig),
    "c4": (C4Quality, C4QualityConfig),
    "fineweb": (FineWebQuality, FineWebQualityConfig),
    "code": (CodeQuality, CodeQualityConfig),
}
PROSE_WEB = ("gopher_repetition", "gopher_quality", "c4", "fineweb")
DEFAULT_RULES_BY_KIND: dict[str, tuple[str, ...]] = {
    "warc": PROSE_WEB,
    "wet": PROSE_WEB,
    "jsonl": PROSE_WEB,
    "parquet": PROSE_WEB,
    "wikipedia": ("gopher_repetition", "gopher_quality"),
    "books": ("gopher_repetition", "gopher_quality"),
    "code": ("code",),
}
ENABLED = "enabled"


class RuleSettingsError(ValueError):
    """Bad rule settings; `path` is the key path under the rule set, for the one-line message."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set):
        return frozenset(value)
    return value


def validate_rule_settings(settings: Any) -> dict[str, dict[str, Any]]:
    """Check a `quality` mapping: known rule sets, known thresholds, values of the right type.

    Returns the settings with values converted to the dataclass's types (lists to tuples or
    frozensets), so they can go into hashable judge specs.
    """
    if not isinstance(settings, dict):
        raise RuleSettingsError("", "must be a mapping of rule set to settings")
    clean: dict[str, dict[str, Any]] = {}
    for rule, values in settings.items():
        if rule not in RULE_SETS:
            raise RuleSettingsError(str(rule), f"unknown rule set; expected one of {', '.join(RULE_SETS)}")
        if values is None:
            values = {}
        if not isinstance(values, dict):
            raise RuleSettingsError(rule, "must be a mapping of threshold to value")
        config_type = RULE_SETS[rule][1]
        hints = typing.get_type_hints(config_type)
        names = {f.name for f in dataclasses.fields(config_type)}
        clean[rule] = {}
        for key, value in values.items():
            if key == ENABLED:
                hint: Any = bool
            elif key in names:
                hint = hints[key]
            else:
                raise RuleSettingsError(f"{rule}.{key}", "unknown key")
            try:
                clean[rule][key] = _hashable(TypeAdapter(hint).validate_python(value))
            except ValidationError as exc:
                raise RuleSettingsError(f"{rule}.{key}", exc.errors()[0]["msg"]) from None
    return clean


def rules_for(kind: str, stage: dict[str, dict[str, Any]], source: dict[str, dict[str, Any]]) -> list[tuple[str, dict]]:
    """The rule sets a source runs, in order, with their merged thresholds (stage, then source)."""
    defaults = DEFAULT_RULES_BY_KIND.get(kind, ())
    chosen = []
    for rule in RULE_SETS:
        merged = {**stage.get(rule, {}), **source.get(rule, {})}
        enabled = merged.pop(ENABLED, rule in defaults)
        if enabled:
            chosen.append((rule, merged))
    return chosen


def rule_judge(rule: str, settings: tuple[tuple[str, Any], ...], lang: str | None = None) -> Any:
    """Build one rule-set judge for documents in `lang` (a factory for `JudgeSpec`).

    Gopher's stop-word rule counts English words, so it would drop every page in another
    language; for documents identified as another language it is off unless the job gives
    its own `stop_words`.
    """
    judge_type, config_type = RULE_SETS[rule]
    values = dict(settings)
    if rule == "gopher_quality" and lang not in (None, "en") and "stop_words" not in values:
        values["min_stop_words"] = None
    return judge_type(config_type(**values))
