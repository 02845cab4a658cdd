"""`quarry manifest diff | validate | report` on copies of the demo run, hand-edited manifests and
a synthesized token section (tiny Arrow IPC shards written here)."""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pytest

from manifests.commands import add_manifest_commands
from manifests.diff import diff_manifests, flatten
from manifests.report import render_report
from manifests.show import load_manifest
from manifests.validate import validate_manifest

EOS, VOCAB = 2, 1000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quarry")
    sub = parser.add_subparsers(dest="command", required=True)
    msub = sub.add_parser("manifest").add_subparsers(dest="manifest_command", required=True)
    add_manifest_commands(msub)
    return parser


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    args = _parser().parse_args(["manifest", *argv])
    rc = args.handler(args, [])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def run_copy(demo_run: Path, tmp_path: Path) -> Path:
    """A writable copy of the demo run's output folder."""
    return Path(shutil.copytree(demo_run, tmp_path / "run"))


def _edit(root: Path, change) -> None:
    path = root / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _shard(root: Path, output: str = "documents", index: int = 0) -> str:
    data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return data["outputs"][output]["shards"][index]["path"]


# -- a synthesized token section ------------------------------------------------------------------

def _token_shard(path: Path, rows: list[tuple[str, str, list[int]]], split: str, *, tokenizer_sha: str,
                 vocab: int = VOCAB, eos: int = EOS) -> dict:
    schema = pa.schema([("id", pa.string()), ("source", pa.string()), ("tokens", pa.list_(pa.uint16()))],
                       metadata={"quarry.tokenizer_sha256": tokenizer_sha, "quarry.vocab_size": str(vocab),
                                 "quarry.eos_id": str(eos), "quarry.split": split})
    table = pa.table({"id": [r[0] for r in rows], "source": [r[1] for r in rows], "tokens": [r[2] for r in rows]},
                     schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        writer.write_table(table)
    data = path.read_bytes()
    per_source: dict[str, int] = {}
    for _, source, tokens in rows:
        per_source[source] = per_source.get(source, 0) + len(tokens)
    return {"split": split, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "documents": len(rows),
            "tokens": sum(len(r[2]) for r in rows), "sources": dict(sorted(per_source.items()))}


def _add_tokens(root: Path, target: dict[str, float] | None = None) -> None:
    """A tokenizer file, a train and a val token shard, and the matching `tokens` manifest section."""
    tok = root / "tokens" / "tokenizer.json"
    tok.parent.mkdir(parents=True, exist_ok=True)
    tok.write_bytes(b'{"version": "1.0", "model": {"type": "BPE", "vocab": {}}}')
    sha = hashlib.sha256(tok.read_bytes()).hexdigest()
    train = [("a1", "web", [5, 6, 7, EOS]), ("a2", "web", [8, 9, EOS]), ("a3", "wikipedia", [10, 11, 12, 13, 14, EOS])]
    val = [("b1", "code", [15, 999, EOS])]
    shards = [
        {"path": "tokens/train-00000-of-00001.arrow",
         **_token_shard(root / "tokens" / "train-00000-of-00001.arrow", train, "train", tokenizer_sha=sha)},
        {"path": "tokens/val-00000-of-00001.arrow",
         **_token_shard(root / "tokens" / "val-00000-of-00001.arrow", val, "val", tokenizer_sha=sha)},
    ]
    total = sum(s["tokens"] for s in shards)
    realized = {"web": 7, "wikipedia": 6, "code": 3}
    target = target or {"web": 0.5, "wikipedia": 0.3, "code": 0.2}
    section = {
        "tokenizer": {"path": "tokens/tokenizer.json", "sha256": sha, "vocab_size": VOCAB, "eos_id": EOS,
                      "pad_id": None, "trained": True},
        "dtype": "uint16", "seed": 0, "val_fraction": 0.25, "token_budget": None, "max_epochs": 4.0,
        "shards": shards,
        "splits": {"train": {"documents": 3, "tokens": 13, "shards": 1}, "val": {"documents": 1, "tokens": 3, "shards": 1}},
        "mix": {s: {"target_weight": target[s], "available_tokens": realized[s], "rate": 1.0,
                    "realized_tokens": realized[s], "realized_weight": realized[s] / total,
                    "note": "capped by max_epochs" if s == "code" else None} for s in realized},
    }
    _edit(root, lambda m: m.update(tokens=section))


# -- validate -------------------------------------------------------------------------------------

def test_validate_finds_nothing_wrong_with_the_demo_run(demo_run: Path, capsys):
    rc, out, _ = _cli(capsys, "validate", str(demo_run))
    assert rc == 0, out
    assert out.startswith("ok: ") and out.count("\n") == 1
    report = validate_manifest(str(demo_run))
    assert report.ok and report.checked["shards"] >= 3 and report.checked["funnel_rows"] > 0


def test_validate_catches_a_flipped_byte_a_truncated_and_a_deleted_shard(run_copy: Path, capsys):
    flipped, truncated = _shard(run_copy, index=0), _shard(run_copy, index=1)
    deleted = _shard(run_copy, "rejected")
    data = bytearray((run_copy / flipped).read_bytes())
    data[len(data) // 2] ^= 0x01
    (run_copy / flipped).write_bytes(bytes(data))
    size = (run_copy / truncated).stat().st_size
    with open(run_copy / truncated, "r+b") as handle:
        handle.truncate(size // 2)
    (run_copy / deleted).unlink()
    shutil.copy(run_copy / flipped, run_copy / "documents" / "part-00099-of-00099.parquet")

    rc, out, _ = _cli(capsys, "validate", str(run_copy))
    assert rc == 1
    lines = out.splitlines()
    assert any(line.startswith(f"{flipped}: sha256: expected ") for line in lines), out
    assert f"{truncated}: bytes: expected {size}, found {size // 2}" in lines
    assert any(line.startswith(f"{truncated}: unreadable Parquet: ") for line in lines), out
    assert any(line.startswith(f"{deleted}: missing shard: ") and line.endswith("found no file") for line in lines)
    assert any(line.startswith("documents/part-00099-of-00099.parquet: shard not in the manifest") for line in lines)
    assert lines[-1].split()[1] == "problems:"
    rc, out, _ = _cli(capsys, "validate", str(run_copy), "--json")
    result = json.loads(out)
    assert rc == 1 and result["ok"] is False
    assert {flipped, truncated, deleted} <= {p["path"] for p in result["problems"]}


def test_validate_rechecks_the_accounting_a_manifest_claims(run_copy: Path, capsys):
    def tamper(m):
        for row in m["funnel"]:
            if (row["stage"], row["source"]) == ("quality", "web"):
                row["kept"] += 1  # unbalanced, and perplexity's `in` no longer follows
        m["sources"]["wikipedia"]["characters"] += 5
        m["outputs"]["documents"]["shards"][0]["sources"]["wikipedia"]["documents"] += 1
        m["outputs"]["rejected"]["documents"] += 1

    _edit(run_copy, tamper)
    rc, out, _ = _cli(capsys, "validate", str(run_copy))
    assert rc == 1
    shard = _shard(run_copy)
    for expected in (
        "funnel[quality/web]: in = kept + dropped + errored: expected",
        "funnel[perplexity/web].in: quality's kept: expected",
        "sources.wikipedia.characters: sum over the documents shards: expected",
        f"{shard}: sources.wikipedia.documents: expected",
        "outputs.rejected.documents: ",
    ):
        assert expected in out, (expected, out)


def test_validate_checks_language_models_and_exits_2_on_an_unreadable_manifest(run_copy: Path, tmp_path: Path, capsys):
    lm = load_manifest(str(run_copy)).language_models
    assert lm, "the demo trains a language model"
    with open(run_copy / lm[0].path, "ab") as handle:
        handle.write(b"\0")
    rc, out, _ = _cli(capsys, "validate", str(run_copy))
    assert rc == 1 and f"{lm[0].path}: sha256: expected {lm[0].sha256}" in out
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    for path in (tmp_path / "bad.json", tmp_path / "nowhere"):
        rc, out, err = _cli(capsys, "validate", str(path))
        assert rc == 2 and out == ""
        assert err.startswith("quarry: error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_validate_checks_token_shards_splits_and_mix(run_copy: Path, capsys):
    _add_tokens(run_copy)
    report = validate_manifest(str(run_copy))
    assert report.ok, [str(p) for p in report.problems]
    assert report.checked["token_shards"] == 2

    train = "tokens/train-00000-of-00001.arrow"

    def tamper(m):
        t = m["tokens"]
        t["tokenizer"]["vocab_size"] = 999  # the shards say 1000, and token 999 no longer fits
        t["splits"]["train"]["tokens"] += 1
        t["shards"][0]["sources"]["web"] += 1
        t["mix"]["web"]["realized_weight"] = 0.9

    _edit(run_copy, tamper)
    rc, out, _ = _cli(capsys, "validate", str(run_copy))
    assert rc == 1
    for expected in (
        f"{train}: schema metadata quarry.vocab_size: expected 999, found 1000",
        "tokens/val-00000-of-00001.arrow: token id out of the vocabulary: expected ids below 999, found id 999",
        "tokens.splits.train.tokens: sum over its shards: expected 13, found 14",
        f"{train}: sum of tokens per source: expected 13, found 14",
        f"{train}: tokens per source: expected",
        "tokens.mix.web.realized_weight: ",
    ):
        assert expected in out, (expected, out)

    # a shard rewritten behind the manifest's back: checksum, rows, totals and the missing eos
    sha = json.loads((run_copy / "manifest.json").read_text())["tokens"]["tokenizer"]["sha256"]
    _token_shard(run_copy / train, [("a1", "web", [5, 6, 7])], "val", tokenizer_sha=sha)
    (run_copy / "tokens" / "tokenizer.json").write_bytes(b"{}")
    rc, out, _ = _cli(capsys, "validate", str(run_copy), "--json")
    problems = {(p["path"], p["what"]) for p in json.loads(out)["problems"]}
    assert rc == 1
    assert {(train, "sha256"), (train, "rows"), (train, "tokens"), (train, "schema metadata quarry.split"),
            (train, f"documents not ending with eos ({EOS})"), ("tokens/tokenizer.json", "sha256")} <= problems


# -- diff -----------------------------------------------------------------------------------------

def test_diff_of_a_run_with_itself_or_a_rerun_shows_no_differences(demo_run: Path, run_copy: Path, capsys):
    _edit(run_copy, lambda m: m["run"].update(started="2030-01-01T00:00:00+00:00", seconds=99.5))
    rc, out, _ = _cli(capsys, "diff", str(demo_run), str(run_copy))
    assert rc == 0 and out.rstrip().endswith("no differences")
    assert "2030-01-01T00:00:00+00:00" in out and "99.5 s" in out  # shown, not counted
    rc, out, _ = _cli(capsys, "diff", str(demo_run), str(run_copy), "--json")
    result = json.loads(out)
    assert rc == 0 and result["identical"] is True and result["differences"] == 0
    assert result["run"]["new"]["seconds"] == 99.5


def test_diff_reports_config_inputs_funnel_sources_outputs_and_version(demo_run: Path, run_copy: Path, capsys):
    removed = _shard(run_copy, index=1)

    def change(m):
        m["quarry_version"] = "0.2.0"
        m["config"]["stages"]["near_dedup"]["num_perm"] = 128
        m["config"]["stages"]["quality"]["new_knob"] = True
        m["inputs"][0]["bytes"] += 10
        m["inputs"].append({"source": "books", "uri": "/data/extra.txt", "bytes": 5, "tree": False})
        for row in m["funnel"]:
            if (row["stage"], row["source"]) == ("exact_dedup", "web"):
                row["dropped"]["exact_duplicate"] += 2
                row["kept"] -= 2
        m["sources"]["web"]["languages"]["en"] += 1
        docs = m["outputs"]["documents"]
        gone = docs["shards"].pop(1)
        docs["documents"] -= gone["documents"]
        docs["shards"][0]["sha256"] = "0" * 64

    _edit(run_copy, change)
    a, b = load_manifest(str(demo_run)), load_manifest(str(run_copy))
    result = diff_manifests(a, b)
    assert not result["identical"]
    assert {"key": "quarry_version", "old": a.quarry_version, "new": "0.2.0"} in result["version"]
    config = {c["key"]: c for c in result["config"]}
    assert config["stages.near_dedup.num_perm"] == {"key": "stages.near_dedup.num_perm", "old": 112, "new": 128}
    assert config["stages.quality.new_knob"] == {"key": "stages.quality.new_knob", "new": True}
    assert [i["uri"] for i in result["inputs"]["added"]] == ["/data/extra.txt"]
    assert [c["uri"] for c in result["inputs"]["changed"]] == [a.inputs[0].uri]
    funnel = {(r["stage"], r["source"], r["field"]): r for r in result["funnel"]}
    assert funnel[("exact_dedup", "web", "kept")]["delta"] == -2
    assert funnel[("exact_dedup", "web", "dropped.exact_duplicate")]["delta"] == 2
    sources = {(r["source"], r["field"]): r for r in result["sources"]}
    assert sources[("web", "languages.en")]["delta"] == 1
    (docs,) = [o for o in result["outputs"] if o["output"] == "documents"]
    assert docs["removed"] == [removed] and docs["changed"] == [_shard(run_copy, index=0)]
    assert docs["old"]["shards"] - docs["new"]["shards"] == 1
    assert result["tokens"] is None or not result["tokens"]["changes"]  # the same tokens on both sides

    rc, out, _ = _cli(capsys, "diff", str(demo_run), str(run_copy))
    assert rc == 0
    for text in ("stages.near_dedup.num_perm", "/data/extra.txt", "exact_dedup", "languages.en", removed,
                 "checksum changed", "0.2.0"):
        assert text in out, (text, out)
    rc, out, _ = _cli(capsys, "diff", str(demo_run), str(run_copy), "--json")
    assert json.loads(out)["differences"] == result["differences"]


def test_diff_compares_token_sections(demo_run: Path, run_copy: Path, tmp_path: Path, capsys):
    _add_tokens(run_copy)
    other = Path(shutil.copytree(run_copy, tmp_path / "other"))
    _add_tokens(other, target={"web": 0.4, "wikipedia": 0.4, "code": 0.2})
    result = diff_manifests(load_manifest(str(demo_run)), load_manifest(str(run_copy)))
    assert result["tokens"]["present"] == {"old": True, "new": True}  # the demo job writes token shards
    assert "tokens/train-00000-of-00001.arrow" in result["tokens"]["shards"]["added"]
    rc, out, _ = _cli(capsys, "diff", str(run_copy), str(other), "--json")
    tokens = json.loads(out)["tokens"]
    assert rc == 0 and tokens["present"] == {"old": True, "new": True}
    assert {c["key"]: (c["old"], c["new"]) for c in tokens["changes"]} == {
        "mix.web.target_weight": (0.5, 0.4), "mix.wikipedia.target_weight": (0.3, 0.4)}
    rc, out, _ = _cli(capsys, "diff", str(run_copy), str(other))
    assert "mix.web.target_weight" in out


def test_flatten_keys_named_lists_by_name():
    flat = flatten({"sources": [{"name": "web", "paths": ["a", "b"]}], "x": {"y": [{"k": 1}], "z": {}}})
    assert flat == {"sources[web].name": "web", "sources[web].paths": ["a", "b"], "x.y[0].k": 1, "x.z": {}}


def test_diff_exits_2_on_an_unreadable_manifest(demo_run: Path, tmp_path: Path, capsys):
    rc, out, err = _cli(capsys, "diff", str(demo_run), str(tmp_path / "missing"))
    assert rc == 2 and out == "" and err.startswith("quarry: error: no manifest at ")


# -- report ---------------------------------------------------------------------------------------

class _TagBalance(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()


def _check_html(page: str) -> set[str]:
    parser = _TagBalance()
    parser.feed(page)
    parser.close()
    assert not parser.errors, parser.errors[:5]
    assert not parser.stack, parser.stack
    lowered = page.lower()
    for external in ("<script", "<link", "<img", "http://", "https://", "url(", "@import", "src="):
        assert external not in lowered, external
    return parser.tags


def test_report_is_one_deterministic_self_contained_page(run_copy: Path, tmp_path: Path, capsys):
    _edit(run_copy, lambda m: m.update(job='demo <script>alert("x")</script> & co'))
    out = tmp_path / "report.html"
    rc, stdout, _ = _cli(capsys, "report", str(run_copy), "--html", str(out))
    assert rc == 0 and stdout.strip() == f"report: {out}"
    page = out.read_text(encoding="utf-8")
    tags = _check_html(page)
    assert {"svg", "rect", "table"} <= tags
    assert "demo &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page
    for section in ("Summary", "Funnel", "Drop reasons", "Sources", "Languages", "Perplexity", "Errors: 0",
                    "Token mix"):
        assert f"<h2>{section}" in page, section
    assert "no perplexity signal" not in page
    assert render_report(load_manifest(str(run_copy)), str(run_copy)) == page

    rc, _, err = _cli(capsys, "report", str(run_copy), "--html", str(tmp_path / "no" / "such" / "dir.html"))
    assert rc == 2 and err.startswith("quarry: error: cannot write ")


def test_report_shows_the_token_mix_and_lengths(run_copy: Path):
    _add_tokens(run_copy)
    page = render_report(load_manifest(str(run_copy)), str(run_copy))
    _check_html(page)
    assert "<h2>Token mix: target vs realized</h2>" in page and "capped by max_epochs" in page
    assert "<h2>Token lengths</h2>" in page and "(4 documents)" in page


# -- the report in a headless Chromium --------------------------------------------------------------

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
CHROMIUM_INSTALL = "apt-get update && apt-get install -y --no-install-recommends chromium"


def _chromium() -> str | None:
    if os.environ.get("QUARRY_CHROMIUM"):
        return os.environ["QUARRY_CHROMIUM"]
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _png_facts(data: bytes) -> tuple[int, int, int]:
    """(width, height, distinct byte values in the decompressed scanlines) of a PNG.

    A single-colour image filters to a handful of byte values; rendered text and charts to many.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    assert len(raw) == height * (1 + width * channels)
    return width, height, len(set(raw))


def test_report_renders_in_headless_chromium(run_copy: Path, tmp_path: Path):
    binary = _chromium()
    if binary is None:
        message = f"no Chromium binary found ({', '.join(CHROMIUM_NAMES)}); install it with: {CHROMIUM_INSTALL}"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message)
        pytest.skip(message)
    _add_tokens(run_copy)
    page = tmp_path / "report.html"
    page.write_text(render_report(load_manifest(str(run_copy)), str(run_copy)), encoding="utf-8")
    png = tmp_path / "report.png"
    result = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         f"--screenshot={png}", "--window-size=1280,2000", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    data = png.read_bytes()
    assert len(data) > 50_000, len(data)
    width, height, distinct = _png_facts(data)
    assert (width, height) == (1280, 2000)
    assert distinct > 64, distinct
