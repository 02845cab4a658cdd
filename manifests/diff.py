"""`quarry manifest diff`: what changed between two runs, section by section.

Every section compares the two manifests as data: the config as flattened key paths, inputs by
(source, uri), the funnel and per-source figures field by field with deltas, outputs by shard
path and checksum, the token section (tokenizer, splits, mix) when either run has one. The run's
timestamps and duration always differ: they are shown, never counted as a difference.
"""
from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from manifests.schema import Manifest

# Run fields that differ between any two runs; reported, not counted.
RUN_INFORMATIONAL = ("started", "finished", "seconds", "phases")


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts and lists as {"a.b[name].c": leaf}.

    Lists of dicts that all carry a distinct "name" are keyed by it (`sources[web].paths`), other
    lists of dicts by index, and lists of plain values are one leaf (compared whole).
    """
    if isinstance(value, dict):
        if not value:
            return {prefix: {}} if prefix else {}
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        names = [v.get("name") for v in value]
        if all(isinstance(n, str) for n in names) and len(set(names)) == len(names):
            keys = [f"[{n}]" for n in names]
        else:
            keys = [f"[{i}]" for i in range(len(value))]
        out = {}
        for key, item in zip(keys, value):
            out.update(flatten(item, f"{prefix}{key}"))
        return out
    return {prefix: value}


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Key-level changes between two flat dicts; an absent side has no "old"/"new" entry."""
    keys = list(old) + [k for k in new if k not in old]
    out = []
    for key in keys:
        if key in old and key in new and old[key] == new[key]:
            continue
        entry: dict[str, Any] = {"key": key}
        if key in old:
            entry["old"] = old[key]
        if key in new:
            entry["new"] = new[key]
        out.append(entry)
    return out


def _numeric_rows(old: dict[tuple, dict[str, Any]], new: dict[tuple, dict[str, Any]], labels: tuple[str, ...],
                  order: list[tuple]) -> list[dict[str, Any]]:
    """Field-level changes of keyed rows of numbers; a missing row reads as null, its delta as from 0."""
    out = []
    for key in order:
        a, b = old.get(key), new.get(key)
        fields = list(a or {}) + [f for f in (b or {}) if f not in (a or {})]
        for field in fields:
            va = None if a is None else a.get(field, 0)
            vb = None if b is None else b.get(field, 0)
            if va == vb:
                continue
            entry = dict(zip(labels, key))
            entry.update(field=field, old=va, new=vb)
            if all(isinstance(v, (int, float)) or v is None for v in (va, vb)):
                entry["delta"] = (vb or 0) - (va or 0)
            out.append(entry)
    return out


def _funnel_fields(row) -> dict[str, int]:
    fields = {"in": row.in_, "kept": row.kept, "dropped": row.dropped_total, "errored": row.errored}
    fields.update({f"dropped.{reason}": n for reason, n in row.dropped.items()})
    return fields


def _funnel(a: Manifest, b: Manifest) -> list[dict[str, Any]]:
    stages: list[str] = []
    for row in [*a.funnel, *b.funnel]:
        if row.stage not in stages:
            stages.append(row.stage)
    old = {(r.stage, r.source): _funnel_fields(r) for r in a.funnel}
    new = {(r.stage, r.source): _funnel_fields(r) for r in b.funnel}
    order = sorted(set(old) | set(new), key=lambda k: (stages.index(k[0]), k[1]))
    return _numeric_rows(old, new, ("stage", "source"), order)


def _source_fields(stats) -> dict[str, Any]:
    fields = {"kind": stats.kind, "inputs": stats.inputs, "input_bytes": stats.input_bytes,
              "documents": stats.documents, "characters": stats.characters,
              "contaminated": stats.contaminated, "pii_unscrubbed": stats.pii_unscrubbed}
    fields.update({f"languages.{lang}": n for lang, n in stats.languages.items()})
    fields.update({f"pii.{entity}": n for entity, n in stats.pii.items()})
    return fields


def _sources(a: Manifest, b: Manifest) -> list[dict[str, Any]]:
    old = {(name,): _source_fields(s) for name, s in a.sources.items()}
    new = {(name,): _source_fields(s) for name, s in b.sources.items()}
    order = list(old) + [k for k in new if k not in old]
    return _numeric_rows(old, new, ("source",), order)


def _inputs(a: Manifest, b: Manifest) -> dict[str, list]:
    old = {(i.source, i.uri): i for i in a.inputs}
    new = {(i.source, i.uri): i for i in b.inputs}
    changed = []
    for key in old:
        if key in new and old[key] != new[key]:
            changed.append({"source": key[0], "uri": key[1],
                            "old": old[key].model_dump(), "new": new[key].model_dump()})
    return {
        "added": [new[k].model_dump() for k in new if k not in old],
        "removed": [old[k].model_dump() for k in old if k not in new],
        "changed": changed,
    }


def _shard_changes(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    """Shard paths -> sha256 on each side: added, removed, and paths whose checksum changed."""
    return {
        "added": [p for p in new if p not in old],
        "removed": [p for p in old if p not in new],
        "changed": [p for p in old if p in new and old[p] != new[p]],
    }


def _outputs(a: Manifest, b: Manifest) -> list[dict[str, Any]]:
    out = []
    for name in list(a.outputs) + [n for n in b.outputs if n not in a.outputs]:
        oa, ob = a.outputs.get(name), b.outputs.get(name)

        def summary(o):
            if o is None:
                return None
            return {"path": o.path, "shards": len(o.shards), "documents": o.documents,
                    "bytes": sum(s.bytes for s in o.shards)}

        shards = _shard_changes({s.path: s.sha256 for s in (oa.shards if oa else [])},
                                {s.path: s.sha256 for s in (ob.shards if ob else [])})
        entry = {"output": name, "old": summary(oa), "new": summary(ob), **shards}
        if entry["old"] != entry["new"] or any(shards.values()):
            out.append(entry)
    return out


def _tokens(a: Manifest, b: Manifest) -> dict[str, Any] | None:
    ta, tb = a.tokens, b.tokens
    if ta is None and tb is None:
        return None

    def settings(t):
        if t is None:
            return {}
        return flatten(t.model_dump(mode="json", exclude={"shards"}))

    return {
        "present": {"old": ta is not None, "new": tb is not None},
        "changes": _changes(settings(ta), settings(tb)),
        "shards": _shard_changes({s.path: s.sha256 for s in (ta.shards if ta else [])},
                                 {s.path: s.sha256 for s in (tb.shards if tb else [])}),
    }


def _errors(m: Manifest) -> dict[str, Any]:
    return {"total": m.errors.total, "file": m.errors.file, "listed": [e.model_dump() for e in m.errors.listed]}


def _run_info(m: Manifest) -> dict[str, Any]:
    return {k: getattr(m.run, k) for k in RUN_INFORMATIONAL}


def diff_manifests(a: Manifest, b: Manifest, old_path: str = "A", new_path: str = "B") -> dict[str, Any]:
    """What changed from run `a` (old) to run `b` (new), as a JSON-ready dict.

    `identical` ignores the run's timestamps and duration (under "run", for information).
    """
    result: dict[str, Any] = {
        "old": old_path,
        "new": new_path,
        "run": {"old": _run_info(a), "new": _run_info(b)},
        "version": _changes(
            {"quarry_version": a.quarry_version, "job": a.job, "run.runner": a.run.runner,
             "run.pipeline_options": a.run.pipeline_options},
            {"quarry_version": b.quarry_version, "job": b.job, "run.runner": b.run.runner,
             "run.pipeline_options": b.run.pipeline_options}),
        "config": _changes(flatten(a.config), flatten(b.config)),
        "inputs": _inputs(a, b),
        "funnel": _funnel(a, b),
        "sources": _sources(a, b),
        "outputs": _outputs(a, b),
        "errors": _changes(_errors(a), _errors(b)),
        "language_models": _changes(
            flatten({f"{m.language}/{m.source}": m.model_dump(mode="json") for m in a.language_models}),
            flatten({f"{m.language}/{m.source}": m.model_dump(mode="json") for m in b.language_models})),
        "stage_stats": _changes(flatten(a.stage_stats), flatten(b.stage_stats)),
        "tokens": _tokens(a, b),
    }
    result["differences"] = count_differences(result)
    result["identical"] = result["differences"] == 0
    return result


def count_differences(result: dict[str, Any]) -> int:
    n = 0
    for section in ("version", "config", "funnel", "sources", "outputs", "errors", "language_models", "stage_stats"):
        n += len(result[section])
    n += sum(len(v) for v in result["inputs"].values())
    tokens = result["tokens"]
    if tokens is not None:
        n += len(tokens["changes"]) + sum(len(v) for v in tokens["shards"].values())
        if tokens["present"]["old"] != tokens["present"]["new"]:
            n += 1
    return n


# -- rendering ----------------------------------------------------------------------------------

_ABSENT = "[dim](absent)[/dim]"


def _value(entry: dict, side: str) -> str:
    if side not in entry or entry[side] is None:
        return _ABSENT
    v = entry[side]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return v if isinstance(v, str) else json.dumps(v, sort_keys=True)
    return f"{v:,}" if isinstance(v, int) else f"{v:,.6g}"


def _delta(entry: dict) -> str:
    d = entry.get("delta")
    if d is None:
        return ""
    if isinstance(d, float):
        text = f"{d:+,.6g}"
    else:
        text = f"{d:+,}"
    colour = "green" if d > 0 else "red"
    return f"[{colour}]{text}[/{colour}]"


def _key_table(title: str, changes: list[dict]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("key", overflow="fold")
    table.add_column("old", overflow="fold")
    table.add_column("new", overflow="fold")
    for c in changes:
        table.add_row(c["key"], _value(c, "old"), _value(c, "new"))
    return table


def _row_table(title: str, rows: list[dict], labels: tuple[str, ...]) -> Table:
    table = Table(title=title, title_justify="left")
    for label in (*labels, "field"):
        table.add_column(label, no_wrap=True)
    for col in ("old", "new", "delta"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(*(str(r[label]) for label in labels), r["field"], _value(r, "old"), _value(r, "new"), _delta(r))
    return table


def _shard_lines(console: Console, label: str, shards: dict[str, list[str]]) -> None:
    for kind in ("added", "removed", "changed"):
        for path in shards[kind]:
            what = "checksum changed" if kind == "changed" else kind
            console.print(f"  {label} {path}: {what}")


def _fmt_seconds(run: dict) -> str:
    return f"started {run['started']}, {run['seconds']:,.1f} s"


def render_diff(result: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]old[/bold] {result['old']}  ({_fmt_seconds(result['run']['old'])})")
    console.print(f"[bold]new[/bold] {result['new']}  ({_fmt_seconds(result['run']['new'])})")
    if result["identical"]:
        console.print("no differences")
        return
    console.print(f"{result['differences']:,} differences")
    if result["version"]:
        console.print(_key_table("Version, job and runner", result["version"]))
    if result["config"]:
        console.print(_key_table("Config", result["config"]))
    inputs = result["inputs"]
    if any(inputs.values()):
        table = Table(title="Inputs", title_justify="left")
        for col in ("change", "source", "uri", "bytes"):
            table.add_column(col, overflow="fold", justify="right" if col == "bytes" else "left")
        for i in inputs["added"]:
            table.add_row("[green]added[/green]", i["source"], i["uri"], f"{i['bytes']:,}")
        for i in inputs["removed"]:
            table.add_row("[red]removed[/red]", i["source"], i["uri"], f"{i['bytes']:,}")
        for c in inputs["changed"]:
            table.add_row("changed", c["source"], c["uri"], f"{c['old']['bytes']:,} -> {c['new']['bytes']:,}")
        console.print(table)
    if result["funnel"]:
        console.print(_row_table("Funnel", result["funnel"], ("stage", "source")))
    if result["sources"]:
        console.print(_row_table("Sources (documents out)", result["sources"], ("source",)))
    if result["outputs"]:
        table = Table(title="Outputs", title_justify="left")
        for col in ("output", "shards", "documents", "bytes", "added", "removed", "checksum changed"):
            table.add_column(col, justify="left" if col == "output" else "right")

        def pair(entry, field):
            old = entry["old"][field] if entry["old"] else None
            new = entry["new"][field] if entry["new"] else None
            return f"{old:,}" if old == new else f"{'-' if old is None else f'{old:,}'} -> {'-' if new is None else f'{new:,}'}"

        for o in result["outputs"]:
            table.add_row(o["output"], pair(o, "shards"), pair(o, "documents"), pair(o, "bytes"),
                          str(len(o["added"])), str(len(o["removed"])), str(len(o["changed"])))
        console.print(table)
        for o in result["outputs"]:
            _shard_lines(console, o["output"], o)
    if result["errors"]:
        rows = []
        for c in result["errors"]:
            if c["key"] == "listed":  # the rows themselves are in --json; here, how many
                c = {k: (f"{len(v):,} rows" if k in ("old", "new") else v) for k, v in c.items()}
            rows.append(c)
        console.print(_key_table("Errors", rows))
    if result["language_models"]:
        console.print(_key_table("Language models", result["language_models"]))
    if result["stage_stats"]:
        console.print(_key_table("Stage stats", result["stage_stats"]))
    tokens = result["tokens"]
    if tokens is not None:
        present = tokens["present"]
        if present["old"] != present["new"]:
            console.print(f"tokens section: {'present' if present['old'] else 'absent'} -> "
                          f"{'present' if present['new'] else 'absent'}")
        if tokens["changes"]:
            console.print(_key_table("Tokens (tokenizer, splits, mix)", tokens["changes"]))
        _shard_lines(console, "token shard", tokens["shards"])
