"""Code sources of the demo corpus: a real git repository and two GitHub-style archives.

The repository is what a code reader meets in practice: a dozen languages, plus files it must
not index (vendored and node_modules trees, a minified bundle, a generated protobuf module, a
lockfile, a binary, a file over 1 MiB) and an ignored, untracked file holding secrets. Commits
use fixed author/committer names, e-mails and dates, a fresh config (no user or system git
config, no signing, no hooks), so the commit ids are the same on every run.
"""
from __future__ import annotations

import hashlib
import os
import random
import string
import subprocess
from pathlib import Path
from typing import Any

from . import code_samples as s
from .archives import tar_gz_bytes, zip_bytes
from .htmlpage import png_image

AUTHOR = ("Dana Whitfield", "dana.whitfield@example.com")
COMMITS = (
    ("Initial import of the inventory service", "2025-09-01T09:12:00+02:00"),
    ("Add web dashboard, CLI and native helpers", "2025-09-15T16:40:00+02:00"),
    ("Regenerate protobuf bindings, add fixtures and logo", "2025-10-02T11:05:00+02:00"),
)
LARGE_FILE_BYTES = 1_100_000  # over 1 MiB

LANGUAGE_BY_SUFFIX = {
    ".py": "Python", ".js": "JavaScript", ".ts": "TypeScript", ".go": "Go", ".rs": "Rust",
    ".java": "Java", ".c": "C", ".h": "C", ".cpp": "C++", ".rb": "Ruby", ".sh": "Shell",
    ".sql": "SQL", ".html": "HTML", ".css": "CSS", ".md": "Markdown", ".toml": "TOML",
    ".json": "JSON", ".yml": "YAML", ".csv": "CSV", ".png": "PNG", ".txt": "Text",
    ".mod": "Go module", ".log": "Log",
}
LANGUAGE_BY_NAME = {"Makefile": "Makefile", ".gitignore": "gitignore", ".env": "dotenv",
                    "LICENSE": "Text", ".editorconfig": "EditorConfig"}


def language_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name in LANGUAGE_BY_NAME:
        return LANGUAGE_BY_NAME[name]
    return LANGUAGE_BY_SUFFIX.get(Path(name).suffix, "Other")


def _large_sql(rng: random.Random) -> bytes:
    """Over 1 MB of seed INSERTs: a mapped language, so the size rule is what skips it."""
    rows = ["INSERT INTO stock_history (day, sku, warehouse, quantity, unit_cost) VALUES"]
    size = len(rows[0]) + 1
    day = 0
    while size < LARGE_FILE_BYTES:
        row = (f"  ('2024-{1 + (day // 28) % 12:02d}-{1 + day % 28:02d}', 'SKU-{rng.randint(1000, 9999)}', "
               f"'{rng.choice(('HAM', 'BER', 'MUC', 'CGN', 'FRA'))}', {rng.randint(0, 500)}, "
               f"{rng.randint(50, 99999) / 100:.2f}),")
        rows.append(row)
        size += len(row) + 1
        day += 1
    rows[-1] = rows[-1].rstrip(",") + ";"
    return ("\n".join(rows) + "\n").encode()


def _mpeg_ts(rng: random.Random) -> bytes:
    """An MPEG transport stream clip named `.ts`: the classic binary file with a code extension."""
    packets = []
    for i in range(64):
        payload = bytes(rng.randrange(256) for _ in range(180))
        packets.append(b"\x47\x40\x00" + bytes([0x10 | (i & 0x0F)]) + payload.ljust(184, b"\xff"))
    return b"".join(packets)


def _git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(repo),
        "LC_ALL": "C",
        "TZ": "UTC",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": AUTHOR[0], "GIT_AUTHOR_EMAIL": AUTHOR[1],
        "GIT_COMMITTER_NAME": AUTHOR[0], "GIT_COMMITTER_EMAIL": AUTHOR[1],
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    cmd = ["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", "-c", "core.fileMode=true",
           "-c", "core.hooksPath=/dev/null", "-c", "init.defaultBranch=main", *args]
    done = subprocess.run(cmd, cwd=repo, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def _write(root: Path, path: str, data: bytes, mode: int) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    os.chmod(target, mode)


def repo_files(rng: random.Random) -> tuple[list[dict[str, tuple[bytes, int, str]]], dict[str, bytes], dict[str, str]]:
    """Files per commit as {path: (data, mode, expected)}, the ignored files, and secrets."""
    aws_key_id = "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    aws_secret = "".join(rng.choice(string.ascii_letters + string.digits + "/+") for _ in range(40))
    t, x = 0o644, 0o755

    def f(text: str, mode: int = t, expected: str = "keep") -> tuple[bytes, int, str]:
        return text.encode(), mode, expected

    c1 = {
        "README.md": f(s.README, expected="skip_unknown_language"), ".gitignore": f(s.GITIGNORE, expected="skip_unknown_language"), "pyproject.toml": f(s.PYPROJECT, expected="skip_unknown_language"),
        "Makefile": f(s.MAKEFILE), "src/inventory/__init__.py": f(s.INIT_PY),
        "src/inventory/models.py": f(s.MODELS_PY), "src/inventory/store.py": f(s.STORE_PY_V1),
        "src/inventory/settings.py": f(s.SETTINGS_PY), "tests/test_store.py": f(s.TEST_STORE_PY),
        "db/schema.sql": f(s.SCHEMA_SQL),
    }
    c2 = {
        "web/index.html": f(s.INDEX_HTML), "web/static/style.css": f(s.STYLE_CSS),
        "web/src/app.ts": f(s.APP_TS), "web/src/api.js": f(s.API_JS),
        "web/static/app.min.js": f(s.APP_MIN_JS, expected="skip_minified"),
        "web/package.json": f(s.PACKAGE_JSON, expected="skip_unknown_language"),
        "web/package-lock.json": f(s.PACKAGE_LOCK_JSON, expected="skip_generated"),
        "web/node_modules/left-pad/index.js": f(s.LEFT_PAD_JS, expected="skip_vendored"),
        "web/node_modules/left-pad/package.json": f(s.LEFT_PAD_PACKAGE, expected="skip_vendored"),
        "cmd/invctl/main.go": f(s.MAIN_GO), "go.mod": f(s.GO_MOD, expected="skip_unknown_language"),
        "vendor/github.com/demo/uuid/uuid.go": f(s.VENDOR_UUID_GO, expected="skip_vendored"),
        "vendor/modules.txt": f(s.VENDOR_MODULES_TXT, expected="skip_vendored"),
        "native/checksum.h": f(s.CHECKSUM_H), "native/checksum.c": f(s.CHECKSUM_C),
        "native/ring_buffer.cpp": f(s.RING_BUFFER_CPP),
        "tools/report.rb": f(s.REPORT_RB.format(aws_key_id=aws_key_id)),
        "scripts/deploy.sh": f(s.DEPLOY_SH, x),
        "stockcalc/Cargo.toml": f(s.CARGO_TOML, expected="skip_unknown_language"), "stockcalc/src/main.rs": f(s.MAIN_RS),
        "java/src/main/java/com/example/inventory/StockLevel.java": f(s.STOCK_LEVEL_JAVA),
    }
    c3 = {
        "src/inventory/proto/inventory_pb2.py": f(s.PB2_PY, expected="skip_generated"),
        "assets/logo.png": (png_image(64, 64, 7), t, "skip_unknown_language"),
        "assets/intro.ts": (_mpeg_ts(rng), t, "skip_binary"),
        "db/seed_stock_history.sql": (_large_sql(rng), t, "skip_too_large"),
        "src/inventory/store.py": f(s.STORE_PY_V2),
    }
    ignored = {
        ".env": s.ENV_FILE.format(aws_key_id=aws_key_id, aws_secret=aws_secret).encode(),
        "build/debug.log": s.DEBUG_LOG.encode(),
    }
    secrets = {"aws_key_id": aws_key_id, "aws_secret": aws_secret}
    return [c1, c2, c3], ignored, secrets


def build_repo(repo: Path, seed: int) -> dict[str, Any]:
    rng = random.Random(f"{seed}:code")
    commits, ignored, secrets = repo_files(rng)
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "--template=", "-b", "main")
    history = []
    final: dict[str, tuple[bytes, int, str]] = {}
    for (message, date), files in zip(COMMITS, commits):
        for path in sorted(files):
            data, mode, _expected = files[path]
            _write(repo, path, data, mode)
        final.update(files)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "--no-verify", "-m", message, date=date)
        history.append({"sha": _git(repo, "rev-parse", "HEAD"), "message": message, "date": date})
    for path in sorted(ignored):
        _write(repo, path, ignored[path], 0o644)
    files = [{"path": p, "language": language_of(p), "bytes": len(final[p][0]), "tracked": True,
              "expected": final[p][2]} for p in sorted(final)]
    files += [{"path": p, "language": language_of(p), "bytes": len(ignored[p]), "tracked": False,
               "expected": "skip_ignored"} for p in sorted(ignored)]
    pii = [
        {"source": "code", "locator": "code/demo-repo/src/inventory/settings.py", "type": "aws_access_key_id",
         "format": "aws_docs_example", "value": "AKIAIOSFODNN7EXAMPLE"},
        {"source": "code", "locator": "code/demo-repo/src/inventory/settings.py", "type": "aws_secret_access_key",
         "format": "aws_docs_example", "value": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        {"source": "code", "locator": "code/demo-repo/src/inventory/settings.py", "type": "email",
         "format": "email", "value": "ops-alerts@example.com"},
        {"source": "code", "locator": "code/demo-repo/tools/report.rb", "type": "aws_access_key_id",
         "format": "generated", "value": secrets["aws_key_id"]},
        {"source": "code", "locator": "code/demo-repo/tools/report.rb", "type": "email",
         "format": "email", "value": "warehouse-leads@example.org"},
        {"source": "code", "locator": "code/demo-repo/scripts/deploy.sh", "type": "email",
         "format": "email", "value": AUTHOR[1]},
        {"source": "code", "locator": "code/demo-repo/.env", "type": "aws_access_key_id",
         "format": "generated_ignored_file", "value": secrets["aws_key_id"]},
        {"source": "code", "locator": "code/demo-repo/.env", "type": "aws_secret_access_key",
         "format": "generated_ignored_file", "value": secrets["aws_secret"]},
    ]
    return {"head": history[-1]["sha"], "branch": "main", "commits": history, "files": files, "pii": pii}


def _archive_members(entries: dict[str, tuple[str, int, str]]) -> list[tuple[str, bytes, int]]:
    return [(p, entries[p][0].encode(), entries[p][1]) for p in sorted(entries)]


LIB_FILES: dict[str, tuple[str, int, str]] = {
    "README.md": (s.LIB_README, 0o644, "skip_unknown_language"), "LICENSE": (s.LIB_LICENSE, 0o644, "skip_unknown_language"),
    "pyproject.toml": (s.LIB_PYPROJECT, 0o644, "skip_unknown_language"),
    "src/demolib/__init__.py": (s.LIB_INIT, 0o644, "keep"),
    "src/demolib/textstats.py": (s.LIB_TEXTSTATS, 0o644, "keep"),
    "tests/test_textstats.py": (s.LIB_TEST, 0o644, "keep"),
    ".github/workflows/ci.yml": (s.LIB_CI, 0o644, "skip_unknown_language"),
    "docs/index.md": (s.LIB_DOCS, 0o644, "skip_unknown_language"),
}
TOOLS_FILES: dict[str, tuple[str, int, str]] = {
    "README.md": (s.TOOLS_README, 0o644, "skip_unknown_language"), "Makefile": (s.TOOLS_MAKEFILE, 0o644, "keep"),
    "cmd/fmtcheck/main.go": (s.TOOLS_GO, 0o644, "keep"),
    "scripts/lint.sh": (s.TOOLS_LINT_SH, 0o755, "keep"),
    "csvcol/Cargo.toml": (s.TOOLS_CARGO, 0o644, "skip_unknown_language"), "csvcol/src/main.rs": (s.TOOLS_RS, 0o644, "keep"),
    "tools/convert.py": (s.TOOLS_CONVERT_PY, 0o755, "keep"), ".editorconfig": (s.TOOLS_EDITORCONFIG, 0o644, "skip_unknown_language"),
    "vendor/github.com/demo/uuid/uuid.go": (s.VENDOR_UUID_GO, 0o644, "skip_vendored"),
}


def build_code(out_dir: Path, seed: int) -> dict[str, Any]:
    """Write code/demo-repo (git), code/demo-lib.tar.gz and code/demo-tools.zip."""
    code_dir = out_dir / "code"
    code_dir.mkdir(parents=True, exist_ok=True)
    repo = build_repo(code_dir / "demo-repo", seed)
    lib_commit = hashlib.sha1(f"demo-lib:{seed}".encode()).hexdigest()
    tools_commit = hashlib.sha1(f"demo-tools:{seed}".encode()).hexdigest()
    (code_dir / "demo-lib.tar.gz").write_bytes(
        tar_gz_bytes("demo-lib-main", _archive_members(LIB_FILES), comment=lib_commit))
    (code_dir / "demo-tools.zip").write_bytes(
        zip_bytes("demo-tools-main", _archive_members(TOOLS_FILES), comment=tools_commit))

    def listing(top: str, entries: dict[str, tuple[str, int, str]]) -> list[dict[str, Any]]:
        return [{"path": f"{top}/{p}", "language": language_of(p), "bytes": len(entries[p][0].encode()),
                 "expected": entries[p][2]} for p in sorted(entries)]

    files = repo.pop("files")
    expected: dict[str, int] = {}
    for item in files:
        expected[item["expected"]] = expected.get(item["expected"], 0) + 1
    return {
        "repo": {"path": "code/demo-repo", **repo, "files": files,
                 "expected": dict(sorted(expected.items())),
                 "languages": sorted({f["language"] for f in files if f["expected"] == "keep"})},
        "archives": [
            {"path": "code/demo-lib.tar.gz", "format": "tar.gz", "top": "demo-lib-main/",
             "commit": lib_commit, "files": listing("demo-lib-main", LIB_FILES)},
            {"path": "code/demo-tools.zip", "format": "zip", "top": "demo-tools-main/",
             "commit": tools_commit, "files": listing("demo-tools-main", TOOLS_FILES)},
        ],
    }
