"""Manifest v1: what a run read, what it did to every document, and what it wrote.

The manifest is versioned JSON. Later versions add fields (tokenizer, token shards, mix); a
reader accepts any version it knows and rejects unknown ones with a clear message.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MANIFEST_VERSION = 1
MANIFEST_NAME = "manifest.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InputFile(_Model):
    source: str
    uri: str
    bytes: int
    tree: bool = False


class FunnelRow(_Model):
    stage: str
    source: str
    in_: int = Field(alias="in")
    kept: int
    dropped: dict[str, int]
    errored: int

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())


class SourceStats(_Model):
    kind: str
    inputs: int
    input_bytes: int
    documents: int
    characters: int
    languages: dict[str, int] = {}  # documents out per language, where language id ran
    contaminated: int = 0  # documents out flagged by decontamination (action: flag)
    pii: dict[str, int] = {}  # values replaced per entity type in the documents out
    pii_unscrubbed: int = 0  # documents out kept unscrubbed after the PII time limit (on_timeout: keep)


class ShardSourceStats(_Model):
    documents: int
    characters: int
    languages: dict[str, int] = {}
    contaminated: int = 0
    pii: dict[str, int] = {}
    pii_unscrubbed: int = 0


class Shard(_Model):
    path: str
    documents: int
    bytes: int
    sha256: str
    sources: dict[str, ShardSourceStats]


class Output(_Model):
    path: str
    documents: int
    shards: list[Shard]


class ErrorRow(_Model):
    stage: str
    source: str
    location: str
    error: str


class Errors(_Model):
    total: int
    listed: list[ErrorRow]
    file: str | None = None


class LanguageModel(_Model):
    """A KenLM model the job trained before scoring (path relative to the output folder)."""

    language: str
    source: str
    path: str
    sha256: str
    order: int
    held_out_documents: int
    cutoffs: list[float]


class TokenizerInfo(_Model):
    """The tokenizer the token shards were encoded with (path relative to the output folder)."""

    path: str
    sha256: str  # of tokenizer.json's bytes
    vocab_size: int
    eos_id: int
    pad_id: int | None = None
    trained: bool  # trained by this job (else loaded from the job's path)


class TokenShard(_Model):
    """One Arrow IPC file of token rows (id, source, tokens)."""

    path: str
    split: str  # train | val
    bytes: int
    sha256: str
    documents: int
    tokens: int
    sources: dict[str, int] = {}  # tokens per source in this shard


class SplitInfo(_Model):
    documents: int
    tokens: int
    shards: int


class MixSource(_Model):
    """One source's share of the token mix: what was asked, what was there, what was written."""

    target_weight: float  # fraction of tokens asked for (normalized over sources)
    available_tokens: int  # tokens of the clean documents of this source
    rate: float  # expected copies per document: < 1 sampled down, > 1 repeated
    realized_tokens: int  # tokens written (train + val)
    realized_weight: float
    note: str | None = None  # why realized differs from target (e.g. the epochs cap)


class TokensInfo(_Model):
    tokenizer: TokenizerInfo
    dtype: str  # uint16 | uint32
    seed: int
    val_fraction: float
    token_budget: int | None
    max_epochs: float
    shards: list[TokenShard]
    splits: dict[str, SplitInfo]
    mix: dict[str, MixSource]


class RunInfo(_Model):
    runner: str
    pipeline_options: list[str]
    started: str
    finished: str
    seconds: float
    phases: dict[str, float] = {}  # wall seconds per phase (pipeline.phases); {} in older manifests


class Manifest(_Model):
    manifest_version: int
    quarry_version: str
    job: str
    config: dict[str, Any]
    run: RunInfo
    inputs: list[InputFile]
    funnel: list[FunnelRow]
    sources: dict[str, SourceStats]
    outputs: dict[str, Output]
    errors: Errors
    language_models: list[LanguageModel] = []
    stage_stats: dict[str, dict[str, int]] = {}  # e.g. near_dedup: capped_buckets, largest_capped_bucket
    tokens: TokensInfo | None = None  # token shards, when the job's `tokens` stage ran


class ManifestError(ValueError):
    """A manifest that cannot be read; one line for the user."""
