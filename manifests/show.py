"""`quarry manifest show`: a manifest as tables a person can read in a terminal."""
from __future__ import annotations

import json
import os

from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from manifests.schema import MANIFEST_NAME, MANIFEST_VERSION, Manifest, ManifestError

_ERRORS_SHOWN = 10


def manifest_path(path: str) -> str:
    """Accept either a manifest file or the output folder that holds one."""
    return os.path.join(path, MANIFEST_NAME) if os.path.isdir(path) else path


def load_manifest(path: str) -> Manifest:
    path = manifest_path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise ManifestError(f"no manifest at {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid JSON: {exc}") from None
    version = data.get("manifest_version") if isinstance(data, dict) else None
    if version != MANIFEST_VERSION:
        raise ManifestError(f"{path}: manifest version {version!r} is not one this Quarry reads ({MANIFEST_VERSION})")
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ManifestError(f"{path}: {where}: {err['msg']}") from None


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f}"


def render(manifest: Manifest, console: Console | None = None) -> None:
    console = console or Console()
    run = manifest.run
    console.print(f"[bold]{manifest.job}[/bold]  (quarry {manifest.quarry_version})")
    console.print(f"ran on {run.runner} in {run.seconds:,.1f} s, finished {run.finished}")
    if run.phases:
        console.print("phases: " + ", ".join(f"{name} {s:,.1f} s" for name, s in run.phases.items()))

    sources = Table(title="Sources", title_justify="left")
    for col in ("source", "kind", "inputs", "input MB", "documents out", "characters out"):
        sources.add_column(col, justify="left" if col in ("source", "kind") else "right")
    for name, s in manifest.sources.items():
        sources.add_row(name, s.kind, f"{s.inputs:,}", _mb(s.input_bytes), f"{s.documents:,}", f"{s.characters:,}")
    console.print(sources)
    languages = Table(title="Documents out per language", title_justify="left")
    for col in ("source", "language", "documents"):
        languages.add_column(col, justify="right" if col == "documents" else "left")
    for name, s in manifest.sources.items():
        for lang, n in sorted(s.languages.items(), key=lambda kv: (-kv[1], kv[0])):
            languages.add_row(name, lang, f"{n:,}")
    if languages.row_count:
        console.print(languages)
    pii = Table(title="PII replaced in documents out", title_justify="left")
    for col in ("source", "entity", "values"):
        pii.add_column(col, justify="right" if col == "values" else "left")
    for name, s in manifest.sources.items():
        for entity, n in sorted(s.pii.items()):
            pii.add_row(name, entity, f"{n:,}")
        if s.pii_unscrubbed:
            pii.add_row(name, "[bold red]kept unscrubbed (time limit)[/bold red]", f"{s.pii_unscrubbed:,} docs")
    if pii.row_count:
        console.print(pii)

    funnel = Table(title="Funnel (in = kept + dropped + errored)", title_justify="left")
    for col in ("stage", "source"):
        funnel.add_column(col, no_wrap=True)
    for col in ("in", "kept", "dropped", "errored"):
        funnel.add_column(col, justify="right")
    reasons = Table(title="Drop reasons", title_justify="left")
    for col in ("stage", "source", "reason"):
        reasons.add_column(col, no_wrap=True)
    reasons.add_column("documents", justify="right")
    for row in manifest.funnel:
        funnel.add_row(row.stage, row.source, f"{row.in_:,}", f"{row.kept:,}", f"{row.dropped_total:,}",
                       f"{row.errored:,}")
        for reason, n in sorted(row.dropped.items(), key=lambda kv: (-kv[1], kv[0])):
            reasons.add_row(row.stage, row.source, reason, f"{n:,}")
    console.print(funnel)
    if reasons.row_count:
        console.print(reasons)

    if manifest.language_models:
        models = Table(title="Language models trained by the job", title_justify="left")
        for col in ("language", "source", "order", "path", "head / tail cutoffs"):
            models.add_column(col)
        for lm in manifest.language_models:
            models.add_row(lm.language, lm.source, str(lm.order), lm.path,
                           f"{lm.cutoffs[0]:,.1f} / {lm.cutoffs[1]:,.1f}")
        console.print(models)

    for stage, stats in manifest.stage_stats.items():
        console.print(f"{stage}: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in sorted(stats.items())))

    outputs = Table(title="Outputs", title_justify="left")
    for col in ("output", "path", "shards", "documents", "MB"):
        outputs.add_column(col, justify="right" if col in ("shards", "documents", "MB") else "left")
    for name, out in manifest.outputs.items():
        outputs.add_row(name, out.path, f"{len(out.shards):,}", f"{out.documents:,}", _mb(sum(s.bytes for s in out.shards)))
    console.print(outputs)
    if manifest.tokens is not None:
        _render_tokens(manifest.tokens, console)

    errors = manifest.errors
    if errors.total:
        table = Table(title=f"Errors: {errors.total:,} (first {min(errors.total, _ERRORS_SHOWN)})", title_justify="left")
        for col in ("stage", "source", "location", "error"):
            table.add_column(col, overflow="fold")
        for e in errors.listed[:_ERRORS_SHOWN]:
            table.add_row(e.stage, e.source, e.location, e.error)
        console.print(table)
        if errors.file:
            console.print(f"all errors: {errors.file}")
    else:
        console.print("Errors: none")


def _render_tokens(tokens, console: Console) -> None:
    """The tokenizer, the splits and the mix (target vs realized) of a run's token shards."""
    tok = tokens.tokenizer
    console.print(f"Tokenizer: {tok.path} ({'trained by the job' if tok.trained else 'loaded'}), vocab "
                  f"{tok.vocab_size:,}, eos id {tok.eos_id}, sha256 {tok.sha256[:16]}..., tokens as {tokens.dtype}")
    splits = Table(title="Token shards", title_justify="left")
    for col in ("split", "shards", "documents", "tokens"):
        splits.add_column(col, justify="left" if col == "split" else "right")
    for name, split in tokens.splits.items():
        splits.add_row(name, f"{split.shards:,}", f"{split.documents:,}", f"{split.tokens:,}")
    console.print(splits)
    budget = f"budget {tokens.token_budget:,} tokens" if tokens.token_budget else "no budget"
    mix = Table(title=f"Mix ({budget}, max {tokens.max_epochs:g} epochs, seed {tokens.seed})", title_justify="left")
    for col in ("source", "target", "realized", "available tokens", "rate", "tokens out", "note"):
        mix.add_column(col, justify="left" if col in ("source", "note") else "right", overflow="fold")
    for name, m in tokens.mix.items():
        mix.add_row(name, f"{m.target_weight:.1%}", f"{m.realized_weight:.1%}", f"{m.available_tokens:,}",
                    f"{m.rate:.3f}", f"{m.realized_tokens:,}", m.note or "")
    console.print(mix)


def render_training(manifest: Manifest, run, manifest_file: str, console: Console | None = None) -> None:
    """A training run on this manifest: steps, tokens, and the trained-on mix vs the target."""
    from manifests.training import training_mix

    console = console or Console()
    rows, notes = training_mix(manifest, run, manifest_file)
    t = run.trained_on
    table = Table(title=f"Training run {run.path}: {t.get('steps', 0):,} steps, {t.get('tokens', 0):,} tokens "
                  f"({t.get('split', '?')} split)", title_justify="left")
    for col in ("source", "target", "token shards", "trained tokens", "trained"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for r in rows:
        table.add_row(r["source"], "" if r["target_weight"] is None else f"{r['target_weight']:.1%}",
                      "" if r["shard_weight"] is None else f"{r['shard_weight']:.1%}", f"{r['trained_tokens']:,}",
                      f"{r['trained_weight']:.1%}")
    console.print(table)
    for note in notes:
        console.print(f"[bold red]{note}[/bold red]")
    if run.losses:
        (first_step, first), (last_step, last) = run.losses[0], run.losses[-1]
        console.print(f"loss {first:.3f} at step {first_step:,} -> {last:.3f} at step {last_step:,}")
