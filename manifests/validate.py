"""`quarry manifest validate`: re-check everything a manifest claims against the files it names.

Files: every documents/rejected Parquet shard exists with the bytes, sha256, row count, schema,
sorted ids, shard membership and per-source figures the manifest gives; language models and the
tokenizer match their sha256; every token shard (Arrow IPC) matches its bytes, sha256, rows,
token total, tokens per source and schema metadata. Accounting: per-source totals are the sums
of the shards, every funnel row balances (in = kept + dropped + errored), each document stage's
`in` is the previous stage's `kept` for every source, the last stage's `kept` is what the
documents output holds, the rejected output holds what the document stages dropped, and the
error count is the funnel's errored count; the token splits and mix add up to the shards.

Each problem is one line: `path: what: expected X, found Y`.
"""
from __future__ import annotations

import glob
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from manifests.schema import Manifest, Shard, TokenShard
from manifests.show import load_manifest, manifest_path

_SHARD_NAME = re.compile(r"part-(\d+)-of-(\d+)\.parquet$")
_WEIGHT_TOLERANCE = 1e-3  # mix weights are floats the token stage may round
_NOT_DOCUMENT_STAGES = {"tokens"}  # a stage that may repeat or sample documents: not chained


def _fmt(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class Problem:
    path: str  # a file relative to the output folder, or a manifest key
    what: str
    expected: Any
    found: Any

    def __str__(self) -> str:
        return f"{self.path}: {self.what}: expected {_fmt(self.expected)}, found {_fmt(self.found)}"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "what": self.what, "expected": self.expected, "found": self.found,
                "message": str(self)}


@dataclass
class ValidationReport:
    manifest: str
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"manifest": self.manifest, "ok": self.ok, "checked": self.checked,
                "problems": [p.to_json() for p in self.problems]}


class _Checker:
    def __init__(self, root: str, report: ValidationReport):
        self.root = root
        self.report = report

    def add(self, path: str, what: str, expected: Any, found: Any) -> None:
        self.report.problems.append(Problem(path, what, expected, found))

    def expect(self, path: str, what: str, expected: Any, found: Any) -> bool:
        if expected != found:
            self.add(path, what, expected, found)
            return False
        return True

    def count(self, key: str, n: int = 1) -> None:
        self.report.checked[key] = self.report.checked.get(key, 0) + n

    def read(self, rel: str, size: int | None, sha256: str, what: str = "file") -> bytes | None:
        """The file's bytes, after checking its size and sha256; None (and a problem) when missing."""
        full = os.path.join(self.root, rel)
        if not os.path.isfile(full):
            self.add(rel, f"missing {what}", "a file" if size is None else f"a file of {size} bytes", "no file")
            return None
        try:
            with open(full, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            self.add(rel, f"unreadable {what}", "a readable file", exc.strerror or type(exc).__name__)
            return None
        if size is not None:
            self.expect(rel, "bytes", size, len(data))
        self.expect(rel, "sha256", sha256, hashlib.sha256(data).hexdigest())
        return data


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


# -- Parquet shards ------------------------------------------------------------------------------

def _schema_difference(expected: pa.Schema, found: pa.Schema) -> tuple[str, str]:
    """The differing columns of two schemas, each side as 'name: type, ...'."""
    exp = {f.name: f for f in expected}
    got = {f.name: f for f in found}
    names = [n for n in expected.names if n not in got or not got[n].equals(exp[n])]
    names += [n for n in found.names if n not in exp]
    if not names:  # same columns, another order
        return ", ".join(expected.names), ", ".join(found.names)

    def side(fields: dict[str, pa.Field]) -> str:
        return ", ".join(f"{n}: {fields[n].type}" if n in fields else f"{n}: (none)" for n in names)

    return side(exp), side(got)


def map_entries(column: pa.ChunkedArray, keep) -> list[tuple[int, str, Any]]:
    """(row, key, value) of a map column's entries whose key passes `keep` (a pyarrow mask function)."""
    arr = column.combine_chunks()
    if len(arr) == 0:
        return []
    offsets = arr.offsets.to_numpy(zero_copy_only=False)
    keys, items = arr.values.slice(offsets[0], offsets[-1] - offsets[0]).flatten()
    parents = pa.array(np.repeat(np.arange(len(arr)), np.diff(offsets)))
    mask = keep(keys)
    rows = pc.filter(parents, mask).to_pylist()
    return list(zip(rows, pc.filter(keys, mask).to_pylist(), pc.filter(items, mask).to_pylist()))


def shard_source_stats(table: pa.Table) -> dict[str, dict[str, Any]]:
    """Per-source figures of a shard's rows, computed as `pipeline.sinks` computes them when writing."""
    sources = table["source"].to_pylist()
    chars = pc.utf8_length(table["text"]).to_pylist()
    stats: dict[str, dict[str, Any]] = {}
    for source, n in zip(sources, chars):
        s = stats.setdefault(source, {"documents": 0, "characters": 0, "languages": {}, "contaminated": 0,
                                      "pii": {}, "pii_unscrubbed": 0})
        s["documents"] += 1
        s["characters"] += n or 0
    meta_keys = pa.array(["lang", "contaminated", "pii_unscrubbed"])
    for row, key, value in map_entries(table["meta"], lambda k: pc.is_in(k, value_set=meta_keys)):
        s = stats[sources[row]]
        if key == "lang":
            s["languages"][value] = s["languages"].get(value, 0) + 1
        elif value:
            s[key] += 1
    for row, key, value in map_entries(table["signals"], lambda k: pc.starts_with(k, "pii.")):
        entity = key[len("pii."):]
        pii = stats[sources[row]]["pii"]
        pii[entity] = pii.get(entity, 0) + int(value)
    return stats


def _check_shard_stats(c: _Checker, shard: Shard, actual: dict[str, dict[str, Any]]) -> None:
    for source in list(shard.sources) + [s for s in actual if s not in shard.sources]:
        claimed = shard.sources.get(source)
        found = actual.get(source)
        if claimed is None:
            c.add(shard.path, f"sources.{source}", "no documents of this source", f"{found['documents']} documents")
            continue
        if found is None:
            c.add(shard.path, f"sources.{source}.documents", claimed.documents, 0)
            continue
        for key in ("documents", "characters", "contaminated", "pii_unscrubbed"):
            c.expect(shard.path, f"sources.{source}.{key}", getattr(claimed, key), found[key])
        c.expect(shard.path, f"sources.{source}.languages", dict(sorted(claimed.languages.items())),
                 dict(sorted(found["languages"].items())))
        c.expect(shard.path, f"sources.{source}.pii", dict(sorted(claimed.pii.items())),
                 dict(sorted(found["pii"].items())))


def _check_parquet_shard(c: _Checker, shard: Shard, schema: pa.Schema | None) -> None:
    from pipeline.sinks import shard_of

    data = c.read(shard.path, shard.bytes, shard.sha256, "shard")
    if data is None:
        return
    try:
        pf = pq.ParquetFile(pa.BufferReader(data))
        found_schema = pf.schema_arrow
        rows = pf.metadata.num_rows
    except Exception as exc:  # noqa: BLE001 - a damaged file is a finding, not a crash
        c.add(shard.path, "unreadable Parquet", "a Parquet file", _one_line(exc))
        return
    if schema is not None and not found_schema.equals(schema, check_metadata=False):
        expected, found = _schema_difference(schema, found_schema)
        c.add(shard.path, "schema", expected, found)
    c.expect(shard.path, "rows", shard.documents, rows)
    wanted = ["id", "source", "text", "meta", "signals"]
    if any(name not in found_schema.names for name in wanted):
        return  # the schema problem is reported; nothing more can be recomputed
    try:
        table = pf.read(columns=wanted)
    except Exception as exc:  # noqa: BLE001
        c.add(shard.path, "unreadable Parquet", "readable row groups", _one_line(exc))
        return
    ids = table["id"].to_pylist()
    for i in range(1, len(ids)):
        if ids[i] < ids[i - 1]:
            c.add(shard.path, "ids not sorted", "ids in ascending order", f"{ids[i - 1]} before {ids[i]} (row {i})")
            break
    match = _SHARD_NAME.search(shard.path)
    if match:
        index, num = int(match.group(1)), int(match.group(2))
        try:
            strays = sum(1 for d in ids if shard_of(d, num) != index)
        except (TypeError, ValueError):
            strays = len(ids)
        c.expect(shard.path, "documents whose id hashes to another shard", 0, strays)
    _check_shard_stats(c, shard, shard_source_stats(table))


def _check_outputs(c: _Checker, m: Manifest) -> None:
    from pipeline.sinks import DOCUMENT_SCHEMA, REJECTED_SCHEMA

    schemas = {"documents": DOCUMENT_SCHEMA, "rejected": REJECTED_SCHEMA}
    if "documents" not in m.outputs:
        c.add("outputs", "outputs", "a documents output", ", ".join(m.outputs) or "none")
    for name, out in m.outputs.items():
        c.expect(f"outputs.{name}.documents", "sum of the shards' documents", sum(s.documents for s in out.shards),
                 out.documents)
        prefix = out.path.rstrip("/") + "/"
        seen = set()
        for shard in out.shards:
            if shard.path in seen:
                c.add(shard.path, "listed twice", "one entry", "two or more")
                continue
            seen.add(shard.path)
            if not shard.path.startswith(prefix):
                c.add(shard.path, "shard outside its output folder", f"a path under {prefix}", shard.path)
            c.expect(shard.path, "sum of sources' documents", shard.documents,
                     sum(s.documents for s in shard.sources.values()))
            _check_parquet_shard(c, shard, schemas.get(name))
            c.count("shards")
        for full in sorted(glob.glob(os.path.join(c.root, glob.escape(out.path), "part-*.parquet"))):
            rel = os.path.relpath(full, c.root).replace(os.sep, "/")
            if rel not in seen:
                c.add(rel, "shard not in the manifest", "no such file", f"a file of {os.path.getsize(full)} bytes")


# -- accounting -----------------------------------------------------------------------------------

def _check_sources(c: _Checker, m: Manifest) -> None:
    summed: dict[str, dict[str, Any]] = {}
    for shard in (m.outputs["documents"].shards if "documents" in m.outputs else []):
        for source, s in shard.sources.items():
            t = summed.setdefault(source, {"documents": 0, "characters": 0, "contaminated": 0, "pii_unscrubbed": 0,
                                           "languages": {}, "pii": {}})
            for key in ("documents", "characters", "contaminated", "pii_unscrubbed"):
                t[key] += getattr(s, key)
            for key in ("languages", "pii"):
                for k, n in getattr(s, key).items():
                    t[key][k] = t[key].get(k, 0) + n
    inputs: dict[str, list[int]] = {}
    for unit in m.inputs:
        inputs.setdefault(unit.source, [0, 0])
        inputs[unit.source][0] += 1
        inputs[unit.source][1] += unit.bytes
    for source in sorted(set(summed) - set(m.sources)):
        c.add(f"sources.{source}", "source of documents in the shards", "a sources entry", "none")
    for source in sorted(set(inputs) - set(m.sources)):
        c.add(f"sources.{source}", "source of inputs", "a sources entry", "none")
    kinds = {}
    if isinstance(m.config.get("sources"), list):
        kinds = {s.get("name"): s.get("kind") for s in m.config["sources"] if isinstance(s, dict)}
    for source, stats in m.sources.items():
        key = f"sources.{source}"
        if source in kinds:
            c.expect(f"{key}.kind", "kind in the config", kinds[source], stats.kind)
        n_inputs, n_bytes = inputs.get(source, [0, 0])
        c.expect(f"{key}.inputs", "inputs listed", n_inputs, stats.inputs)
        c.expect(f"{key}.input_bytes", "sum of the inputs' bytes", n_bytes, stats.input_bytes)
        t = summed.get(source, {"documents": 0, "characters": 0, "contaminated": 0, "pii_unscrubbed": 0,
                                "languages": {}, "pii": {}})
        for field_name in ("documents", "characters", "contaminated", "pii_unscrubbed"):
            c.expect(f"{key}.{field_name}", "sum over the documents shards", t[field_name], getattr(stats, field_name))
        for field_name in ("languages", "pii"):
            c.expect(f"{key}.{field_name}", "sum over the documents shards", dict(sorted(t[field_name].items())),
                     dict(sorted(getattr(stats, field_name).items())))


def _check_funnel(c: _Checker, m: Manifest) -> None:
    from pipeline.job import STAGE_ORDER
    from pipeline.sources import NORMALIZE, READ

    rows: dict[tuple[str, str], Any] = {}
    for row in m.funnel:
        key = f"funnel[{row.stage}/{row.source}]"
        c.count("funnel_rows")
        if (row.stage, row.source) in rows:
            c.add(key, "row listed twice", "one row", "two or more")
        rows[(row.stage, row.source)] = row
        c.expect(key, "in = kept + dropped + errored", row.in_, row.kept + row.dropped_total + row.errored)
        if row.source not in m.sources:
            c.add(key, "source", f"one of {', '.join(m.sources)}", row.source)

    def kept(stage: str, source: str) -> int:
        return rows[(stage, source)].kept if (stage, source) in rows else 0

    def came_in(stage: str, source: str) -> int:
        return rows[(stage, source)].in_ if (stage, source) in rows else 0

    # Every document stage tallies every document it sees, of every source, so a stage with no row
    # for a source saw none of it; stages the job did not run have no rows at all.
    present = {r.stage for r in m.funnel}
    chain = [s for s in STAGE_ORDER if s in present and s not in _NOT_DOCUMENT_STAGES]
    sources = list(m.sources) + sorted({r.source for r in m.funnel} - set(m.sources))
    for before, after in zip(chain, chain[1:]):
        for source in sources:
            c.expect(f"funnel[{after}/{source}].in", f"{before}'s kept", kept(before, source), came_in(after, source))
    if chain:
        last = chain[-1]
        for source, stats in m.sources.items():
            c.expect(f"sources.{source}.documents", f"{last}'s kept (the last stage)", kept(last, source),
                     stats.documents)
    if "rejected" in m.outputs:  # what the document stages dropped; read skips and empty texts are no documents
        dropped = sum(r.dropped_total for r in m.funnel
                      if r.stage in STAGE_ORDER and r.stage not in (READ, NORMALIZE, *_NOT_DOCUMENT_STAGES))
        c.expect("outputs.rejected.documents", "documents dropped after normalize", dropped,
                 m.outputs["rejected"].documents)


def _check_errors(c: _Checker, m: Manifest) -> None:
    from manifests.build import ERRORS_LISTED

    errors = m.errors
    c.expect("errors.total", "sum of the funnel's errored", sum(r.errored for r in m.funnel), errors.total)
    c.expect("errors.listed", "rows listed", min(errors.total, ERRORS_LISTED), len(errors.listed))
    if errors.file:
        full = os.path.join(c.root, errors.file)
        if not os.path.isfile(full):
            c.add(errors.file, "missing errors file", "a file", "no file")
        else:
            with open(full, "rb") as handle:
                lines = sum(1 for line in handle if line.strip())
            c.expect(errors.file, "error rows", errors.total, lines)
    elif errors.total:
        c.add("errors.file", "errors file", f"a file of {errors.total} rows", "none")


def _check_language_models(c: _Checker, m: Manifest) -> None:
    for lm in m.language_models:
        c.read(lm.path, None, lm.sha256, "language model")
        c.count("language_models")


# -- tokens ---------------------------------------------------------------------------------------

def _check_token_shard(c: _Checker, m: Manifest, shard: TokenShard) -> None:
    tokens = m.tokens
    assert tokens is not None
    data = c.read(shard.path, shard.bytes, shard.sha256, "token shard")
    if data is None:
        return
    try:
        reader = pa.ipc.open_file(pa.BufferReader(data))
        schema = reader.schema
        table = reader.read_all()
    except Exception as exc:  # noqa: BLE001
        c.add(shard.path, "unreadable Arrow IPC file", "an Arrow IPC file", _one_line(exc))
        return
    meta = {k.decode("utf-8", "replace"): v.decode("utf-8", "replace") for k, v in (schema.metadata or {}).items()}
    tok = tokens.tokenizer
    for key, expected in (("quarry.tokenizer_sha256", tok.sha256), ("quarry.vocab_size", str(tok.vocab_size)),
                          ("quarry.eos_id", str(tok.eos_id)), ("quarry.split", shard.split)):
        c.expect(shard.path, f"schema metadata {key}", expected, meta.get(key, "(no such key)"))
    c.expect(shard.path, "rows", shard.documents, table.num_rows)
    missing = [n for n in ("id", "source", "tokens") if n not in schema.names]
    if missing:
        c.add(shard.path, "columns", "id, source, tokens", ", ".join(schema.names))
        return
    ttype = schema.field("tokens").type
    try:
        value_type = pa.type_for_alias(tokens.dtype)
    except (ValueError, KeyError):
        value_type = None
        c.add("tokens.dtype", "a token type", "uint16 or uint32", tokens.dtype)
    if not (pa.types.is_list(ttype) or pa.types.is_large_list(ttype)):
        c.add(shard.path, "tokens column type", f"list<{tokens.dtype}>", str(ttype))
        return
    if value_type is not None and not ttype.value_type.equals(value_type):
        c.add(shard.path, "tokens column type", f"list<{tokens.dtype}>", str(ttype))
    col = table["tokens"].combine_chunks()
    lengths = pc.list_value_length(col).fill_null(0)
    c.expect(shard.path, "tokens", shard.tokens, int(pc.sum(lengths).as_py() or 0))
    if shard.sources:
        per_source = pa.table({"source": table["source"], "n": lengths}).group_by("source").aggregate([("n", "sum")])
        found = dict(sorted(zip(per_source["source"].to_pylist(), per_source["n_sum"].to_pylist())))
        c.expect(shard.path, "tokens per source", dict(sorted(shard.sources.items())), found)
    if len(col):
        values = col.values.to_numpy(zero_copy_only=False)
        offsets = col.offsets.to_numpy(zero_copy_only=False)
        lens = offsets[1:] - offsets[:-1]
        used = values[offsets[0]:offsets[-1]]
        if used.size and int(used.max()) >= tok.vocab_size:
            c.add(shard.path, "token id out of the vocabulary", f"ids below {tok.vocab_size}", f"id {int(used.max())}")
        ends = values[offsets[1:][lens > 0] - 1]
        not_eos = int((lens == 0).sum() + (ends != tok.eos_id).sum())
        c.expect(shard.path, f"documents not ending with eos ({tok.eos_id})", 0, not_eos)


def _check_tokens(c: _Checker, m: Manifest) -> None:
    tokens = m.tokens
    if tokens is None:
        return
    tok = tokens.tokenizer
    c.read(tok.path, None, tok.sha256, "tokenizer")
    seen: set[str] = set()
    for shard in tokens.shards:
        if shard.path in seen:
            c.add(shard.path, "listed twice", "one entry", "two or more")
            continue
        seen.add(shard.path)
        if shard.sources:
            c.expect(shard.path, "sum of tokens per source", shard.tokens, sum(shard.sources.values()))
        _check_token_shard(c, m, shard)
        c.count("token_shards")
    for folder, suffix in sorted({(os.path.dirname(s.path), os.path.splitext(s.path)[1]) for s in tokens.shards}):
        for full in sorted(glob.glob(os.path.join(c.root, glob.escape(folder), f"*{suffix}"))):
            rel = os.path.relpath(full, c.root).replace(os.sep, "/")
            if rel not in seen:
                c.add(rel, "token shard not in the manifest", "no such file", f"a file of {os.path.getsize(full)} bytes")

    splits: dict[str, dict[str, int]] = {}
    for shard in tokens.shards:
        s = splits.setdefault(shard.split, {"documents": 0, "tokens": 0, "shards": 0})
        s["documents"] += shard.documents
        s["tokens"] += shard.tokens
        s["shards"] += 1
    for name in list(tokens.splits) + sorted(set(splits) - set(tokens.splits)):
        claimed = tokens.splits.get(name)
        found = splits.get(name, {"documents": 0, "tokens": 0, "shards": 0})
        if claimed is None:
            c.add(f"tokens.splits.{name}", "split of token shards", "a splits entry", f"{found['shards']} shards")
            continue
        for key in ("documents", "tokens", "shards"):
            c.expect(f"tokens.splits.{name}.{key}", "sum over its shards", found[key], getattr(claimed, key))

    total = sum(s.tokens for s in tokens.shards)
    if not tokens.mix:
        return
    c.expect("tokens.mix", "sum of realized_tokens (all shards' tokens)", total,
             sum(x.realized_tokens for x in tokens.mix.values()))
    targets = sum(x.target_weight for x in tokens.mix.values())
    if not math.isclose(targets, 1.0, abs_tol=_WEIGHT_TOLERANCE):
        c.add("tokens.mix", "sum of target_weight", 1.0, targets)
    by_source: dict[str, int] | None = {}
    for shard in tokens.shards:
        if not shard.sources and shard.tokens:
            by_source = None  # not recorded per source: nothing to add up
            break
        for source, n in shard.sources.items():
            by_source[source] = by_source.get(source, 0) + n
    for source, mix in tokens.mix.items():
        key = f"tokens.mix.{source}"
        if by_source is not None:
            c.expect(f"{key}.realized_tokens", "sum over the token shards", by_source.get(source, 0),
                     mix.realized_tokens)
        if total:
            share = mix.realized_tokens / total
            if not math.isclose(share, mix.realized_weight, abs_tol=_WEIGHT_TOLERANCE):
                c.add(f"{key}.realized_weight", "realized_tokens / all tokens", round(share, 6), mix.realized_weight)
    for source in sorted(set(by_source or {}) - set(tokens.mix)):
        c.add(f"tokens.mix.{source}", "source of tokens in the shards", "a mix entry", "none")


# -- entry point ----------------------------------------------------------------------------------

def validate_manifest(path: str) -> ValidationReport:
    """Re-check a manifest (file or output folder) against the files beside it.

    Raises `manifests.schema.ManifestError` when the manifest itself cannot be read.
    """
    manifest = load_manifest(path)
    mpath = manifest_path(path)
    report = ValidationReport(manifest=mpath)
    c = _Checker(os.path.dirname(os.path.abspath(mpath)), report)
    for key in ("shards", "token_shards", "funnel_rows", "language_models"):
        report.checked[key] = 0
    _check_outputs(c, manifest)
    _check_sources(c, manifest)
    _check_funnel(c, manifest)
    _check_errors(c, manifest)
    _check_language_models(c, manifest)
    _check_tokens(c, manifest)
    return report
