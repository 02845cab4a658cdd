"""Assembling manifest v1 from what a run wrote as data (funnel, shards, errors)."""
from __future__ import annotations

from typing import Any, Iterable

from manifests.schema import MANIFEST_VERSION, Manifest

ERRORS_LISTED = 1000


def source_stats(config: dict[str, Any], inputs: list[dict], shards: Iterable[dict]) -> dict[str, dict]:
    """Per-source inputs, input bytes, and the documents/characters that reached the output."""
    stats = {
        s["name"]: {"kind": s["kind"], "inputs": 0, "input_bytes": 0, "documents": 0, "characters": 0}
        for s in config["sources"]
    }
    for unit in inputs:
        stats[unit["source"]]["inputs"] += 1
        stats[unit["source"]]["input_bytes"] += unit["bytes"]
    for shard in shards:
        for name, counts in shard["sources"].items():
            stats[name]["documents"] += counts["documents"]
            stats[name]["characters"] += counts["characters"]
            for key in ("contaminated", "pii_unscrubbed"):
                stats[name][key] = stats[name].get(key, 0) + counts.get(key, 0)
            pii = stats[name].setdefault("pii", {})
            for entity, n in counts.get("pii", {}).items():
                pii[entity] = pii.get(entity, 0) + n
            languages = stats[name].setdefault("languages", {})
            for lang, n in counts.get("languages", {}).items():
                languages[lang] = languages.get(lang, 0) + n
    for entry in stats.values():
        entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
        entry["pii"] = dict(sorted(entry.get("pii", {}).items()))
    return stats


def output_entry(path: str, shards: list[dict]) -> dict:
    shards = sorted(shards, key=lambda s: s["path"])
    return {"path": path, "documents": sum(s["documents"] for s in shards), "shards": shards}


def build_manifest(
    *,
    quarry_version: str,
    job_name: str,
    config: dict[str, Any],
    run: dict[str, Any],
    inputs: list[dict],
    funnel: list[dict],
    outputs: dict[str, tuple[str, list[dict]]],
    errors: list[dict],
    errors_file: str | None,
    language_models: list[dict] | None = None,
    stage_stats: dict[str, dict[str, int]] | None = None,
    tokens: dict | None = None,
) -> dict:
    """The manifest as a plain dict, validated against the v1 schema before it is returned."""
    errors = sorted(errors, key=lambda e: (e["source"], e["location"], e["stage"], e["error"]))
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "quarry_version": quarry_version,
        "job": job_name,
        "config": config,
        "run": run,
        "inputs": inputs,
        "funnel": funnel,
        "sources": source_stats(config, inputs, outputs["documents"][1]),
        "outputs": {name: output_entry(path, shards) for name, (path, shards) in outputs.items()},
        "errors": {"total": len(errors), "listed": errors[:ERRORS_LISTED], "file": errors_file},
        "language_models": language_models or [],
        "stage_stats": stage_stats or {},
        "tokens": tokens,
    }
    Manifest.model_validate(manifest)
    return manifest
