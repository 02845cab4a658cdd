"""KenLM's training tools, `lmplz` and `build_binary`: find them, or build them once from source.

The `kenlm` wheel on PyPI only scores; the trainer and the binary-model converter are C++
programs in the same source distribution, and Debian has no kenlm package. So Quarry builds the
two targets itself, once, at set-up time (`python -m filters.kenlm_build`), and from then on only
looks them up: nothing here touches the network while a job runs.

Where the binaries are looked for, in order:
  1. `$QUARRY_KENLM_BIN` (a folder), when set;
  2. the running interpreter's environment (`<venv>/bin`), where a build puts them by default;
  3. `PATH`.

A build needs the kenlm sdist: `$QUARRY_KENLM_SDIST` (a local `kenlm-0.3.0.tar.gz`), else
`pip download --no-binary kenlm --no-deps kenlm==0.3.0` (the package index, or pip's own cache
and find-links). It checks the compilers, cmake and the library headers first, so a missing one
gives the `apt-get install` line to run instead of a cmake error half-way through.
"""
from __future__ import annotations

import argparse
import fcntl
import glob
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

KENLM_VERSION = "0.3.0"
TOOLS = ("lmplz", "build_binary")
BIN_ENV = "QUARRY_KENLM_BIN"
SDIST_ENV = "QUARRY_KENLM_SDIST"
BUILD_JOBS = 2

# Every Debian package a build needs; `apt-get install` this list on a fresh machine.
APT_PACKAGES = (
    "cmake", "make", "g++",
    "libboost-program-options-dev", "libboost-system-dev", "libboost-thread-dev", "libboost-test-dev",
    "zlib1g-dev", "libbz2-dev", "liblzma-dev",
)

# (what is checked, Debian package). kenlm's CMakeLists asks for these Boost components
# (unit_test_framework included, even for the two targets we build) and links zlib, bz2, lzma.
_PROGRAMS = (("cmake", "cmake"), ("make", "make"), ("g++", "g++"))
_HEADERS = (
    ("boost/program_options.hpp", "libboost-program-options-dev"),
    ("boost/system/error_code.hpp", "libboost-system-dev"),
    ("boost/thread/thread.hpp", "libboost-thread-dev"),
    ("boost/test/unit_test.hpp", "libboost-test-dev"),
    ("zlib.h", "zlib1g-dev"),
    ("bzlib.h", "libbz2-dev"),
    ("lzma.h", "liblzma-dev"),
)
_LIBRARIES = (
    ("boost_program_options", "libboost-program-options-dev"),
    ("boost_system", "libboost-system-dev"),
    ("boost_thread", "libboost-thread-dev"),
    ("boost_unit_test_framework", "libboost-test-dev"),
)


class KenLMBuildError(RuntimeError):
    """The KenLM tools are missing and could not be built (the message says what to do)."""


@dataclass(frozen=True)
class KenLMTools:
    lmplz: Path
    build_binary: Path


def default_bin_dir() -> Path:
    """Where a build puts the tools: `$QUARRY_KENLM_BIN`, else the environment's `bin`."""
    env = os.environ.get(BIN_ENV)
    return Path(env) if env else Path(sys.prefix) / "bin"


def _candidate_dirs() -> list[Path]:
    dirs = []
    if os.environ.get(BIN_ENV):
        dirs.append(Path(os.environ[BIN_ENV]))
    dirs.append(Path(sys.prefix) / "bin")
    dirs.append(Path(sys.executable).parent)
    return dirs


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_tools() -> KenLMTools | None:
    """The KenLM tools if both are installed (see the module docstring for where), else None."""
    for folder in _candidate_dirs():
        paths = [folder / tool for tool in TOOLS]
        if all(_executable(p) for p in paths):
            return KenLMTools(*paths)
    found = [shutil.which(tool) for tool in TOOLS]
    if all(found):
        return KenLMTools(*(Path(p) for p in found))  # type: ignore[arg-type]
    return None


def missing_build_dependencies() -> list[str]:
    """Debian packages a build needs that this machine seems to lack (empty: all present)."""
    include_dirs = [Path(p) for p in os.environ.get("CPATH", "").split(":") if p]
    include_dirs += [Path("/usr/include"), Path("/usr/local/include")]
    lib_dirs = ["/usr/lib", "/usr/lib64", "/usr/local/lib", *glob.glob("/usr/lib/*-linux-gnu*")]
    lib_dirs += [p for p in os.environ.get("LIBRARY_PATH", "").split(":") if p]
    missing: list[str] = []
    for program, package in _PROGRAMS:
        if shutil.which(program) is None:
            missing.append(package)
    for header, package in _HEADERS:
        if not any((d / header).is_file() for d in include_dirs):
            missing.append(package)
    for lib, package in _LIBRARIES:
        if not any(glob.glob(f"{d}/lib{lib}.so") or glob.glob(f"{d}/lib{lib}.a") for d in lib_dirs):
            missing.append(package)
    return sorted(set(missing), key=missing.index)


def _sdist(work: Path) -> Path:
    """The kenlm source tarball: `$QUARRY_KENLM_SDIST`, or one pip downloads (set-up time only)."""
    env = os.environ.get(SDIST_ENV)
    if env:
        if not Path(env).is_file():
            raise KenLMBuildError(f"${SDIST_ENV} is {env!r}, which is not a file")
        return Path(env)
    # `--no-binary kenlm`, not `:all:`: pip prepares the sdist's metadata in an isolated build
    # environment, and with `:all:` it would compile that environment's cmake from source too.
    cmd = [sys.executable, "-m", "pip", "download", "--no-binary", "kenlm", "--no-deps",
           "--dest", str(work), f"kenlm=={KENLM_VERSION}"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    tarballs = sorted(work.glob("kenlm-*.tar.gz"))
    if proc.returncode != 0 or not tarballs:
        raise KenLMBuildError(
            f"could not get the kenlm {KENLM_VERSION} source distribution with `{' '.join(cmd)}`; "
            f"without a package index, point ${SDIST_ENV} at a copy of kenlm-{KENLM_VERSION}.tar.gz.\n"
            + proc.stderr[-2000:]
        )
    return tarballs[0]


def _run(cmd: list[str], cwd: Path, log: Path) -> None:
    with log.open("a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        proc = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise KenLMBuildError(f"`{' '.join(cmd)}` failed (exit {proc.returncode}); end of its output:\n{tail}")


def build_tools(dest: Path | None = None, *, jobs: int = BUILD_JOBS, verbose: bool = False) -> KenLMTools:
    """Build `lmplz` and `build_binary` from the kenlm sdist into `dest` (default_bin_dir()).

    Only the two targets are compiled (about a minute on two cores). Concurrent callers (pytest
    workers) wait on a lock file and reuse the first one's result.
    """
    dest = dest or default_bin_dir()
    missing = missing_build_dependencies()
    if missing:
        raise KenLMBuildError(
            "building KenLM's lmplz and build_binary needs Debian packages that are missing: "
            f"{' '.join(missing)}.\nInstall them with:\n"
            f"  apt-get update && apt-get install -y --no-install-recommends {' '.join(APT_PACKAGES)}"
        )
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KenLMBuildError(f"cannot create {dest} ({err}); set ${BIN_ENV} to a writable folder") from None
    if not os.access(dest, os.W_OK):
        raise KenLMBuildError(f"cannot write to {dest}; set ${BIN_ENV} to a writable folder")
    with open(dest / ".kenlm-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        paths = [dest / tool for tool in TOOLS]
        if all(_executable(p) for p in paths):
            return KenLMTools(*paths)
        with tempfile.TemporaryDirectory(prefix="kenlm-build-") as tmp:
            work = Path(tmp)
            log = work / "build.log"
            tarball = _sdist(work)
            with tarfile.open(tarball) as tar:
                tar.extractall(work / "src", filter="data")
            (source,) = [p for p in (work / "src").iterdir() if (p / "CMakeLists.txt").is_file()]
            build = work / "build"
            started = time.monotonic()
            _run(["cmake", "-S", str(source), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release"], work, log)
            _run(["cmake", "--build", str(build), "--target", *TOOLS, "-j", str(jobs)], work, log)
            if verbose:
                print(f"built {', '.join(TOOLS)} in {time.monotonic() - started:.0f} s", file=sys.stderr)
            for tool, path in zip(TOOLS, paths):
                staged = dest / f".{tool}.tmp{os.getpid()}"
                shutil.copy2(build / "bin" / tool, staged)
                os.chmod(staged, 0o755)
                os.replace(staged, path)
    return KenLMTools(*paths)


def ensure_tools(*, build: bool = True) -> KenLMTools:
    """The KenLM tools, building them first if they are missing and `build` is true."""
    tools = find_tools()
    if tools is not None:
        return tools
    if not build:
        raise KenLMBuildError(
            f"lmplz and build_binary not found (looked in ${BIN_ENV}, {Path(sys.prefix) / 'bin'} and PATH); "
            f"build them with `{Path(sys.executable).name} -m filters.kenlm_build`"
        )
    return build_tools(verbose=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m filters.kenlm_build",
        description="Find KenLM's lmplz and build_binary, building them from the kenlm sdist if missing.",
    )
    parser.add_argument("--check", action="store_true",
                        help="only look for the tools (and report missing build packages); build nothing")
    parser.add_argument("--dest", type=Path, default=None,
                        help=f"folder to build into (default ${BIN_ENV}, else {Path(sys.prefix) / 'bin'})")
    parser.add_argument("--force", action="store_true", help="rebuild even if the tools are found")
    parser.add_argument("--apt-packages", action="store_true",
                        help="print the Debian packages a build needs and exit")
    args = parser.parse_args(argv)
    if args.apt_packages:
        print(" ".join(APT_PACKAGES))
        return 0
    try:
        if args.dest is not None:
            paths = [args.dest / tool for tool in TOOLS]
            tools = KenLMTools(*paths) if all(_executable(p) for p in paths) else None
        else:
            tools = find_tools()
        if tools is not None and args.force:
            for path in (tools.lmplz, tools.build_binary):
                path.unlink()
            tools = None
        if tools is None and args.check:
            missing = missing_build_dependencies()
            print("lmplz/build_binary: not found", file=sys.stderr)
            if missing:
                print(f"missing build packages: {' '.join(missing)}", file=sys.stderr)
            return 1
        if tools is None:
            tools = build_tools(args.dest, verbose=True)
    except KenLMBuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"lmplz: {tools.lmplz}")
    print(f"build_binary: {tools.build_binary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
