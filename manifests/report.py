"""`quarry manifest report`: one self-contained HTML page about a run.

No JavaScript, no external CSS, fonts or images: the charts are inline SVG written here. The
page is a function of the manifest and the shards beside it (token lengths and perplexities
are read from them), so the same run gives the same bytes: no generation time is written.
"""
from __future__ import annotations

import html
import json
import os
from typing import Any, Callable, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from manifests.schema import Manifest
from manifests.show import load_manifest, manifest_path

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
TOP_REASONS = 15
TOP_LANGUAGES = 25
HISTOGRAM_BINS = 30
PERPLEXITY_SIGNAL = "perplexity.value"

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0;
       color: #222; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.sub, p.note { color: #666; margin: 4px 0; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.9em; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #f6f6f6; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.legend { margin: 4px 0 8px; font-size: 0.85em; }
.legend span { margin-right: 14px; white-space: nowrap; }
.legend i { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; }
svg { display: block; margin: 4px 0; }
svg text { font-size: 11px; fill: #333; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 0.8em; }
details { margin: 8px 0; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _int(n: int) -> str:
    return f"{n:,}"


def _mb(n: int) -> str:
    return f"{n / 1e6:,.2f}"


def _num(x: float) -> str:
    """A short, stable label for an axis value."""
    if x == 0:
        return "0"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _colours(names: Iterable[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _legend(colours: dict[str, str]) -> str:
    items = "".join(f'<span><i style="background:{c}"></i>{_e(name)}</span>' for name, c in colours.items())
    return f'<div class="legend">{items}</div>'


def _table(headers: list[str] | None, rows: list[list[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()

    def cell(tag: str, i: int, v: Any) -> str:
        cls = ' class="n"' if i in numeric else ""
        return f"<{tag}{cls}>{_e(v)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers)) if headers else ""
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return (f"<table><thead><tr>{head}</tr></thead>" if head else "<table>") + f"<tbody>{body}</tbody></table>"


_LABEL_CHARS = 62


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[:_LABEL_CHARS - 1] + "…"


# -- charts ---------------------------------------------------------------------------------------

def hbar_chart(rows: list[tuple[str, list[tuple[str, float]]]], colours: dict[str, str], *,
               fmt: Callable[[float], str] = lambda v: _int(int(v)), width: int = 1000, title: str = "") -> str:
    """Horizontal bars, each stacked from (series, value) parts; the total is written after it.

    Labels longer than `_LABEL_CHARS` are cut with an ellipsis (the full label is the bar's tooltip).
    """
    bar, gap, value_width = 16, 6, 90
    longest = max((len(_short(label)) for label, _ in rows), default=0)
    label_width = min(430, max(100, int(longest * 6.6) + 14))
    plot = width - label_width - value_width
    height = len(rows) * (bar + gap) + gap
    top = max((sum(v for _, v in parts) for _, parts in rows), default=0) or 1
    out = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{_e(title)}">']
    for i, (label, parts) in enumerate(rows):
        y = gap + i * (bar + gap)
        out.append(f'<text x="{label_width - 8}" y="{y + bar - 4}" text-anchor="end">{_e(_short(label))}'
                   f'<title>{_e(label)}</title></text>')
        x = float(label_width)
        for series, value in parts:
            if value <= 0:
                continue
            w = plot * value / top
            out.append(f'<rect x="{x:.2f}" y="{y}" width="{max(w, 0.5):.2f}" height="{bar}" '
                       f'fill="{colours.get(series, "#888")}"><title>{_e(f"{label} · {series}: {fmt(value)}")}'
                       f'</title></rect>')
            x += w
        total = sum(v for _, v in parts)
        out.append(f'<text x="{x + 6:.2f}" y="{y + bar - 4}">{_e(fmt(total))}</text>')
    out.append("</svg>")
    return "".join(out)


def histogram_edges(values: np.ndarray, bins: int = HISTOGRAM_BINS, log: bool | None = None) -> tuple[np.ndarray, bool]:
    """Bin edges over the values' range; log-spaced when the values are positive and span 50x or more."""
    lo, hi = float(values.min()), float(values.max())
    if lo == hi:
        return np.array([lo - 0.5, hi + 0.5]), False
    if log is None:
        log = lo > 0 and hi / lo >= 50
    if log and lo > 0:
        return np.geomspace(lo, hi, bins + 1), True
    return np.linspace(lo, hi, bins + 1), False


def histogram_chart(series: dict[str, list[float]], colours: dict[str, str], *, x_label: str,
                    width: int = 1000, height: int = 260, log: bool | None = None) -> str:
    """Vertical bars of counts per bin, stacked by series; x ticks at every fifth edge."""
    every = [v for vals in series.values() for v in vals]
    if not every:
        return '<p class="note">no values</p>'
    edges, is_log = histogram_edges(np.asarray(every, dtype=float), log=log)
    counts = {name: np.histogram(np.asarray(vals, dtype=float), bins=edges)[0] for name, vals in series.items()}
    totals = sum(counts.values())
    top = int(totals.max()) or 1
    left, right, bottom, top_pad = 60, 20, 44, 10
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    n = len(edges) - 1
    bw = plot_w / n
    out = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{_e(x_label)}">',
           f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" stroke="#999"/>',
           f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" stroke="#999"/>',
           f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end">{_int(top)}</text>',
           f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end">0</text>']
    for i in range(n):
        y = float(top_pad + plot_h)
        for name in series:
            c = int(counts[name][i])
            if not c:
                continue
            h = plot_h * c / top
            y -= h
            label = f"{name}: {_int(c)} in [{_num(edges[i])}, {_num(edges[i + 1])}]"
            out.append(f'<rect x="{left + i * bw + 0.5:.2f}" y="{y:.2f}" width="{max(bw - 1, 0.5):.2f}" '
                       f'height="{h:.2f}" fill="{colours.get(name, "#888")}"><title>{_e(label)}</title></rect>')
    step = max(1, n // 6)
    for i in range(0, n + 1, step):
        x = left + i * bw
        out.append(f'<line x1="{x:.2f}" y1="{top_pad + plot_h}" x2="{x:.2f}" y2="{top_pad + plot_h + 4}" stroke="#999"/>')
        out.append(f'<text x="{x:.2f}" y="{top_pad + plot_h + 16}" text-anchor="middle">{_e(_num(edges[i]))}</text>')
    scale = " (log scale)" if is_log else ""
    out.append(f'<text x="{left + plot_w / 2:.2f}" y="{height - 6}" text-anchor="middle">{_e(x_label + scale)}</text>')
    out.append("</svg>")
    return "".join(out)


# -- data from the shards -------------------------------------------------------------------------

def token_lengths(m: Manifest, root: str) -> tuple[dict[str, list[int]], list[str]]:
    """Tokens per document, per source, from the token shards; and a note per unreadable shard."""
    lengths: dict[str, list[int]] = {}
    notes: list[str] = []
    for shard in (m.tokens.shards if m.tokens else []):
        try:
            with pa.memory_map(os.path.join(root, shard.path)) as source:
                table = pa.ipc.open_file(source).read_all()
            n = pc.list_value_length(table["tokens"]).fill_null(0).to_pylist()
            for src, k in zip(table["source"].to_pylist(), n):
                lengths.setdefault(src, []).append(k)
        except Exception as exc:  # noqa: BLE001 - the page still renders, saying what it could not read
            notes.append(f"{shard.path}: not read ({type(exc).__name__})")
    return lengths, notes


def perplexities(m: Manifest, root: str) -> tuple[dict[str, list[float]], list[str]]:
    """The `perplexity.value` signal of the clean documents, per source."""
    from manifests.validate import map_entries

    values: dict[str, list[float]] = {}
    notes: list[str] = []
    out = m.outputs.get("documents")
    for shard in (out.shards if out else []):
        try:
            table = pq.read_table(os.path.join(root, shard.path), columns=["source", "signals"])
            sources = table["source"].to_pylist()
            for row, _, value in map_entries(table["signals"], lambda k: pc.equal(k, PERPLEXITY_SIGNAL)):
                if value is not None:
                    values.setdefault(sources[row], []).append(value)
        except Exception as exc:  # noqa: BLE001
            notes.append(f"{shard.path}: not read ({type(exc).__name__})")
    return values, notes


# -- sections -------------------------------------------------------------------------------------

def _summary(m: Manifest) -> str:
    run = m.run
    rows = [
        ["job", m.job], ["quarry version", m.quarry_version], ["manifest version", m.manifest_version],
        ["runner", run.runner], ["pipeline options", " ".join(run.pipeline_options) or "(none)"],
        ["started", run.started], ["finished", run.finished], ["seconds", f"{run.seconds:,.1f}"],
        ["inputs", f"{_int(len(m.inputs))} files, {_mb(sum(i.bytes for i in m.inputs))} MB"],
    ]
    for name, out in m.outputs.items():
        rows.append([f"output: {name}", f"{out.path}: {_int(len(out.shards))} shards, {_int(out.documents)} documents, "
                                        f"{_mb(sum(s.bytes for s in out.shards))} MB"])
    if m.tokens:
        t = m.tokens
        splits = ", ".join(f"{name} {_int(s.tokens)} tokens / {_int(s.documents)} docs / {s.shards} shards"
                           for name, s in t.splits.items())
        rows.append(["tokens", f"{t.dtype}, vocab {_int(t.tokenizer.vocab_size)}, {splits}"])
    rows.append(["errors", _int(m.errors.total)])
    return "<h2>Summary</h2>" + _table(None, rows)


def _funnel(m: Manifest, colours: dict[str, str]) -> str:
    stages: list[str] = []
    for row in m.funnel:
        if row.stage not in stages:
            stages.append(row.stage)
    bars = []
    for stage in stages:
        rows = [r for r in m.funnel if r.stage == stage]
        bars.append((f"{stage} · in", [(r.source, r.in_) for r in rows]))
        bars.append((f"{stage} · kept", [(r.source, r.kept) for r in rows]))
    table = _table(["stage", "source", "in", "kept", "dropped", "errored", "drop reasons"],
                   [[r.stage, r.source, _int(r.in_), _int(r.kept), _int(r.dropped_total), _int(r.errored),
                     ", ".join(f"{k} {_int(v)}" for k, v in sorted(r.dropped.items(), key=lambda kv: (-kv[1], kv[0])))]
                    for r in m.funnel], numeric={2, 3, 4, 5})
    return ("<h2>Funnel</h2><p class=\"sub\">Documents in and kept at each stage, stacked by source "
            "(in = kept + dropped + errored).</p>" + _legend(colours) + hbar_chart(bars, colours, title="funnel")
            + "<details><summary>funnel table</summary>" + table + "</details>")


def _reasons(m: Manifest, colours: dict[str, str]) -> str:
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for row in m.funnel:
        for reason, n in row.dropped.items():
            per = totals.setdefault((row.stage, reason), {})
            per[row.source] = per.get(row.source, 0) + n
    if not totals:
        return "<h2>Drop reasons</h2><p class=\"note\">nothing was dropped</p>"
    ranked = sorted(totals.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    shown = ranked[:TOP_REASONS]
    bars = [(f"{stage}: {reason}", [(s, per.get(s, 0)) for s in colours]) for (stage, reason), per in shown]
    more = f" (top {TOP_REASONS} of {len(ranked)})" if len(ranked) > TOP_REASONS else ""
    return (f"<h2>Drop reasons{_e(more)}</h2>" + _legend(colours) + hbar_chart(bars, colours, title="drop reasons"))


def _sources(m: Manifest, colours: dict[str, str]) -> str:
    read = {r.source: r.in_ for r in m.funnel if r.stage == "read"}
    rows = []
    for name, s in m.sources.items():
        rows.append([name, s.kind, _int(s.inputs), _mb(s.input_bytes), _int(read.get(name, 0)), _int(s.documents),
                     _int(s.characters), _int(s.contaminated), _int(sum(s.pii.values())), _int(s.pii_unscrubbed)])
    table = _table(["source", "kind", "inputs", "input MB", "records read", "documents out", "characters out",
                    "contaminated", "PII replaced", "unscrubbed"], rows, numeric=set(range(2, 10)))
    pii_rows = [[name, entity, _int(n)] for name, s in m.sources.items() for entity, n in sorted(s.pii.items())]
    pii = "<h3>PII replaced per entity</h3>" + _table(["source", "entity", "values"], pii_rows, {2}) if pii_rows else ""
    return "<h2>Sources</h2>" + table + pii


def _languages(m: Manifest, colours: dict[str, str]) -> str:
    per: dict[str, dict[str, int]] = {}
    for name, s in m.sources.items():
        for lang, n in s.languages.items():
            per.setdefault(lang, {})[name] = n
    if not per:
        return "<h2>Languages</h2><p class=\"note\">no language id in this run</p>"
    ranked = sorted(per.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    bars = [(lang, [(s, counts.get(s, 0)) for s in colours]) for lang, counts in ranked[:TOP_LANGUAGES]]
    more = f" (top {TOP_LANGUAGES} of {len(ranked)})" if len(ranked) > TOP_LANGUAGES else ""
    return (f"<h2>Languages{_e(more)}</h2><p class=\"sub\">Documents out per language, stacked by source.</p>"
            + _legend(colours) + hbar_chart(bars, colours, title="languages"))


def _mix(m: Manifest) -> str:
    if not m.tokens or not m.tokens.mix:
        return ""
    kinds = {"target": "#9c755f", "realized": "#4e79a7"}
    bars = []
    for source, x in m.tokens.mix.items():
        bars.append((f"{source} · target", [("target", x.target_weight * 100)]))
        bars.append((f"{source} · realized", [("realized", x.realized_weight * 100)]))
    rows = [[source, f"{x.target_weight:.4f}", f"{x.realized_weight:.4f}", _int(x.available_tokens), f"{x.rate:.3f}",
             _int(x.realized_tokens), x.note or ""] for source, x in m.tokens.mix.items()]
    table = _table(["source", "target weight", "realized weight", "available tokens", "rate", "realized tokens", "note"],
                   rows, numeric={1, 2, 3, 4, 5})
    return ("<h2>Token mix: target vs realized</h2>" + _legend(kinds)
            + hbar_chart(bars, kinds, fmt=lambda v: f"{v:.1f}%", title="token mix") + table)


def _histogram_section(title: str, blurb: str, data: dict[str, list[float]], notes: list[str],
                       colours: dict[str, str], x_label: str, empty: str) -> str:
    parts = [f"<h2>{_e(title)}</h2>"]
    if any(data.values()):
        n = sum(len(v) for v in data.values())
        parts.append(f'<p class="sub">{_e(blurb)} ({_int(n)} documents), stacked by source.</p>')
        ordered = {s: data[s] for s in list(colours) + sorted(set(data) - set(colours)) if s in data}
        parts.append(_legend({s: colours.get(s, "#888") for s in ordered}))
        parts.append(histogram_chart(ordered, colours, x_label=x_label))
    else:
        parts.append(f'<p class="note">{_e(empty)}</p>')
    parts.extend(f'<p class="note">{_e(n)}</p>' for n in notes)
    return "".join(parts)


def _outputs(m: Manifest) -> str:
    rows = [[name, s.path, _int(s.documents), _int(s.bytes), s.sha256[:16]]
            for name, out in m.outputs.items() for s in out.shards]
    if m.tokens:
        rows += [[f"tokens ({s.split})", s.path, _int(s.documents), _int(s.bytes), s.sha256[:16]] for s in m.tokens.shards]
    return ("<h2>Shards</h2><details><summary>" + _e(f"{len(rows)} files") + "</summary>"
            + _table(["output", "path", "documents", "bytes", "sha256 (prefix)"], rows, {2, 3}) + "</details>")


def _extras(m: Manifest) -> str:
    parts = []
    if m.language_models:
        parts.append("<h2>Language models</h2>" + _table(
            ["language", "source", "order", "held-out documents", "cutoffs", "path"],
            [[lm.language, lm.source, lm.order, _int(lm.held_out_documents), " / ".join(f"{c:.4g}" for c in lm.cutoffs),
              lm.path] for lm in m.language_models], {2, 3}))
    if m.stage_stats:
        parts.append("<h2>Stage stats</h2>" + _table(
            ["stage", "stat", "value"],
            [[stage, k, _int(v)] for stage, stats in m.stage_stats.items() for k, v in sorted(stats.items())], {2}))
    errors = m.errors
    parts.append(f"<h2>Errors: {_int(errors.total)}</h2>")
    if errors.total:
        parts.append(_table(["stage", "source", "location", "error"],
                            [[e.stage, e.source, e.location, e.error] for e in errors.listed[:20]]))
        if errors.file:
            parts.append(f'<p class="note">all errors: {_e(errors.file)}</p>')
    parts.append("<h2>Config</h2><details><summary>job config as run</summary><pre>"
                 + _e(json.dumps(m.config, indent=2, sort_keys=True, ensure_ascii=False)) + "</pre></details>")
    return "".join(parts)


def line_chart(series: dict[str, list[tuple[float, float]]], colours: dict[str, str], *, x_label: str,
               y_label: str, width: int = 760, height: int = 260) -> str:
    """An inline SVG of (x, y) series as polylines, with the axes' ranges labelled."""
    points = [p for values in series.values() for p in values]
    if not points:
        return ""
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y0, y1 = min(p[1] for p in points), max(p[1] for p in points)
    x1, y1 = (x1 if x1 > x0 else x0 + 1), (y1 if y1 > y0 else y0 + 1)
    left, bottom, top, right = 56, 30, 10, 10

    def xy(x: float, y: float) -> str:
        px = left + (x - x0) / (x1 - x0) * (width - left - right)
        py = top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom)
        return f"{px:.1f},{py:.1f}"

    lines = [f'<polyline fill="none" stroke="{colours.get(name, "#888")}" stroke-width="1.5" '
             f'points="{" ".join(xy(x, y) for x, y in values)}"/>' for name, values in series.items() if values]
    axes = (f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#999"/>'
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#999"/>'
            f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" font-size="11">{_num(y1)}</text>'
            f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" font-size="11">{_num(y0)}</text>'
            f'<text x="{left}" y="{height - 8}" font-size="11">{_num(x0)}</text>'
            f'<text x="{width - right}" y="{height - 8}" text-anchor="end" font-size="11">{_num(x1)}</text>'
            f'<text x="{(left + width) / 2}" y="{height - 8}" text-anchor="middle" font-size="11">{_e(x_label)}</text>'
            f'<text x="12" y="{(top + height - bottom) / 2}" font-size="11" transform="rotate(-90 12 '
            f'{(top + height - bottom) / 2})" text-anchor="middle">{_e(y_label)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="{_e(y_label)} by {_e(x_label)}">{axes}{"".join(lines)}</svg>')


def _training(m: Manifest, run, manifest_file: str) -> str:
    from manifests.training import training_mix

    rows, notes = training_mix(m, run, manifest_file)
    kinds = {"train loss": "#4e79a7", "val loss": "#e15759"}
    t = run.trained_on
    parts = [f"<h2>Training run: {_e(run.path)}</h2>",
             f'<p class="sub">{_int(t.get("steps", 0))} steps, {_int(t.get("tokens", 0))} tokens of the '
             f'{_e(t.get("split", "?"))} split, {_int(t.get("global_batch_tokens", 0))} tokens per step.</p>']
    parts.extend(f'<p class="note">{_e(n)}</p>' for n in notes)
    if run.losses:
        parts.append(_legend(kinds) + line_chart({"train loss": run.losses, "val loss": run.val_losses}, kinds,
                                                 x_label="step", y_label="loss"))
    parts.append(_table(["source", "target weight", "token-shard weight", "trained tokens", "trained weight"],
                        [[r["source"], "" if r["target_weight"] is None else f"{r['target_weight']:.4f}",
                          "" if r["shard_weight"] is None else f"{r['shard_weight']:.4f}",
                          _int(r["trained_tokens"]), f"{r['trained_weight']:.4f}"] for r in rows], {1, 2, 3, 4}))
    return "".join(parts)


def render_report(m: Manifest, root: str, train_run=None, manifest_file: str | None = None) -> str:
    """The page for manifest `m` whose output folder is `root` (and a training run on it, if given)."""
    colours = _colours(list(m.sources) + sorted({r.source for r in m.funnel} - set(m.sources)))
    lengths, length_notes = token_lengths(m, root)
    ppl, ppl_notes = perplexities(m, root)
    body = [
        f"<h1>{_e(m.job)}</h1>",
        f'<p class="sub">Quarry {_e(m.quarry_version)} · {_e(m.run.runner)} · finished {_e(m.run.finished)}</p>',
        _summary(m),
        _funnel(m, colours),
        _reasons(m, colours),
        _sources(m, colours),
        _languages(m, colours),
        _mix(m),
    ]
    if m.tokens:
        body.append(_histogram_section("Token lengths", "Tokens per document in the token shards", lengths,
                                       length_notes, colours, "tokens per document", "no token rows"))
    body.append(_histogram_section("Perplexity", f"The {PERPLEXITY_SIGNAL} signal of the clean documents", ppl,
                                   ppl_notes, colours, PERPLEXITY_SIGNAL, "no perplexity signal in the documents"))
    if train_run is not None:
        body.append(_training(m, train_run, manifest_file or os.path.join(root, "manifest.json")))
    body.append(_outputs(m))
    body.append(_extras(m))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(m.job)}: Quarry run report</title><style>{_CSS}</style></head>"
            "<body><main>" + "\n".join(b for b in body if b) + "</main></body></html>\n")


def write_report(path: str, out: str, train_run: str | None = None) -> str:
    """Render the manifest at `path` (file or output folder) into `out`; returns `out`.

    Raises `manifests.schema.ManifestError` for an unreadable manifest, OSError when `out` cannot
    be written.
    """
    from manifests.training import load_train_run

    manifest = load_manifest(path)
    root = os.path.dirname(os.path.abspath(manifest_path(path)))
    run = load_train_run(train_run) if train_run else None
    page = render_report(manifest, root, run, manifest_path(path))
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(page)
    return out
