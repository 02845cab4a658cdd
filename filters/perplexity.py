"""KenLM perplexity, CCNet style: train a word n-gram model here, score documents, bucket them.

CCNet (RULES.md §1c-1e) scores each document with a 5-gram KenLM model of a reference corpus
(Wikipedia, for them): the lower the perplexity, the more the page reads like the reference.
It then splits the documents of each language into head / middle / tail at the 30th and 60th
percentiles of the perplexities. Quarry does the same with a model trained from a reference
source of the job (`train_lm`), on text prepared by `filters.lm_text.lm_lines`, the one
normalization shared by training and scoring.

Perplexity of a document (RULES.md §1d): over its non-empty normalized lines,
    pp = 10 ** ( -sum(log10 P(line)) / sum(words(line) + 1) )
where log10 P(line) is KenLM's `Model.score(line)` with `<s>` and `</s>` and the +1 counts the
`</s>`. For a one-line document this is exactly `Model.perplexity(line)`. CCNet rounds to one
decimal; the value here is left unrounded. A document with no words has no perplexity: `nan`
from `perplexity`, and no `perplexity.value` signal from the judge (it keeps the document;
emptiness is the other judges' business).

Signals: `perplexity.value`, and `perplexity.bucket` when cutoffs are set, as a float code in
`BUCKETS` order (0 head, 1 middle, 2 tail), so "bucket <= 1" selects what RedPajama-V2 kept.
Drop reason: `perplexity.max` when a maximum is configured and the perplexity is above it.
"""
from __future__ import annotations

import errno
import math
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from filters.kenlm_build import ensure_tools
from filters.lm_text import lm_lines
from filters.verdict import Verdict

NAME = "perplexity"
VALUE = f"{NAME}.value"
BUCKET = f"{NAME}.bucket"
REASON_MAX = f"{NAME}.max"
BUCKET_FIELD = "perplexity_bucket"  # the bucket's name, for `judge_batch_fields`
BUCKETS = ("head", "middle", "tail")

MAX_ORDER = 6  # lmplz and the kenlm module are compiled with KENLM_MAX_ORDER=6
MIN_TRAINING_WORDS = 1000


class ModelLoadError(OSError):
    """The model file exists but KenLM cannot read it (not ARPA or KenLM binary, or damaged)."""


class CorpusTooSmallError(ValueError):
    """Too little text after normalization to train a language model on."""


class LMTrainingError(RuntimeError):
    """lmplz or build_binary failed; the message carries the end of its log."""


# -- training ------------------------------------------------------------------------------

def _tail(path: Path, chars: int = 2000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def train_lm(texts: Iterable[str], out: Path, *, order: int = 5, prune: Sequence[int] | None = None,
             memory: str = "20%", tmp_dir: Path | None = None,
             min_words: int = MIN_TRAINING_WORDS) -> Path:
    """Train a KenLM `order`-gram model on `texts` and write it to `out` as a KenLM binary.

    The texts are normalized with `lm_lines` and streamed to lmplz's stdin one line at a time,
    so memory stays flat however large the corpus; lmplz itself sorts on disk in `tmp_dir`
    within `memory` (`-S`: a size like "2G" or a share of RAM like "20%"). `--discount_fallback`
    lets small or repetitive corpora train (CCNet's setting too). `prune` is lmplz's `--prune`
    (count thresholds per order, the first 0: e.g. (0, 0, 1)). `out` appears only when complete
    (written beside it, then renamed). Raises CorpusTooSmallError when the corpus has fewer
    than `min_words` words, LMTrainingError when lmplz or build_binary fails.
    """
    if not 1 <= order <= MAX_ORDER:
        raise ValueError(f"order must be between 1 and {MAX_ORDER} (KenLM's compiled maximum), got {order}")
    if prune is not None and len(prune) > order:
        raise ValueError(f"prune has {len(prune)} thresholds for an order-{order} model")
    tools = ensure_tools(build=False)  # never build (or download) at run time
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="quarry-lm-", dir=tmp_dir) as tmp:
        work = Path(tmp)
        arpa, log = work / "model.arpa", work / "lmplz.log"
        cmd = [str(tools.lmplz), "-o", str(order), "--discount_fallback", "--skip_symbols",
               "-S", memory, "-T", f"{work}/"]
        if prune:
            cmd += ["--prune", *map(str, prune)]
        n_lines = n_words = 0
        with arpa.open("wb") as arpa_out, log.open("wb") as log_out:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=arpa_out, stderr=log_out)
            assert proc.stdin is not None
            streamed = False
            try:
                try:
                    for text in texts:
                        lines = lm_lines(text)
                        if not lines:
                            continue
                        n_lines += len(lines)
                        n_words += sum(line.count(" ") + 1 for line in lines)
                        proc.stdin.write(("\n".join(lines) + "\n").encode("utf-8"))
                except BrokenPipeError:
                    pass  # lmplz died; its exit status and log say why
                streamed = True
            finally:
                if not streamed or n_words < min_words:
                    proc.kill()  # no model will come of it: do not wait for lmplz to finish
                try:
                    proc.stdin.close()
                except OSError:
                    pass
                returncode = proc.wait()
        if n_words < min_words:
            raise CorpusTooSmallError(
                f"the training corpus has {n_words} words in {n_lines} lines after normalization; "
                f"at least {min_words} are needed for an order-{order} model (min_words)"
            )
        if returncode != 0:
            raise LMTrainingError(f"`{' '.join(cmd)}` failed (exit {returncode}):\n{_tail(log)}")
        staged = out.parent / f".{out.name}.tmp{os.getpid()}"
        try:
            proc2 = subprocess.run([str(tools.build_binary), str(arpa), str(staged)], capture_output=True, text=True)
            if proc2.returncode != 0:
                raise LMTrainingError(f"build_binary failed (exit {proc2.returncode}):\n{(proc2.stdout + proc2.stderr)[-2000:]}")
            os.replace(staged, out)
        finally:
            staged.unlink(missing_ok=True)
    return out


# -- buckets -------------------------------------------------------------------------------

class BucketCutoffs(NamedTuple):
    """Perplexity cutoffs: below `head` is head, below `tail` is middle, the rest is tail."""

    head: float
    tail: float


def cutoffs_from_sample(scores: Iterable[float], head: float = 30, tail: float = 60) -> BucketCutoffs:
    """The `head`th and `tail`th percentiles (linear interpolation) of a sample of perplexities.

    CCNet's defaults: 30 and 60, measured per language (cutoff.csv). Non-finite scores (documents
    without words) are ignored.
    """
    if not 0 <= head <= tail <= 100:
        raise ValueError(f"need 0 <= head <= tail <= 100, got head={head}, tail={tail}")
    values = sorted(s for s in scores if math.isfinite(s))
    if not values:
        raise ValueError("no finite perplexity in the sample")

    def percentile(q: float) -> float:
        pos = (len(values) - 1) * q / 100
        lo = math.floor(pos)
        hi = min(lo + 1, len(values) - 1)
        return values[lo] + (values[hi] - values[lo]) * (pos - lo)

    return BucketCutoffs(percentile(head), percentile(tail))


def bucket_of(perplexity: float, cutoffs: BucketCutoffs) -> str:
    """CCNet's rule: head if pp < head cutoff, middle if pp < tail cutoff, else tail."""
    if perplexity < cutoffs.head:
        return "head"
    if perplexity < cutoffs.tail:
        return "middle"
    return "tail"


# -- scoring -------------------------------------------------------------------------------

def load_model(model_path: Path):
    """A `kenlm.Model` from an ARPA or KenLM binary file, with errors that name the file."""
    import kenlm  # the compiled module is only needed once a model is used

    path = Path(model_path)
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, "KenLM model not found", str(path))
    if not path.is_file():
        raise ModelLoadError(f"KenLM model {path} is not a file")
    try:
        return kenlm.Model(str(path))
    except OSError as err:
        raise ModelLoadError(
            f"cannot load KenLM model {path}: not an ARPA or KenLM binary file, or damaged ({err})"
        ) from None


@dataclass
class PerplexityScorer:
    """A judge: CCNet document perplexity under a KenLM model, its bucket, a maximum.

    `cutoffs` (head, tail) set the buckets (see `cutoffs_from_sample`); without them no bucket
    is recorded (CCNet's "all"). `max_perplexity` drops documents above it. The model is loaded
    once, in the constructor; pickling carries only the settings and reloads the model.
    """

    model_path: Path
    max_perplexity: float | None = None
    cutoffs: BucketCutoffs | Sequence[float] | None = None
    name: str = NAME

    def __post_init__(self) -> None:
        self.model_path = Path(self.model_path)
        if self.cutoffs is not None:
            self.cutoffs = BucketCutoffs(*map(float, self.cutoffs))
            if self.cutoffs.head > self.cutoffs.tail:
                raise ValueError(f"head cutoff {self.cutoffs.head} is above tail cutoff {self.cutoffs.tail}")
        self._model = load_model(self.model_path)
        self._score = self._model.score

    def __getstate__(self) -> dict:
        return {"model_path": self.model_path, "max_perplexity": self.max_perplexity,
                "cutoffs": self.cutoffs, "name": self.name}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @property
    def order(self) -> int:
        return self._model.order

    def perplexity(self, text: str) -> float:
        """CCNet's document perplexity of `text` (nan when it has no words)."""
        score = self._score
        log_prob = 0.0
        length = 0
        for line in lm_lines(text):
            log_prob += score(line)
            length += line.count(" ") + 2  # words + </s>
        if not length:
            return math.nan
        return 10.0 ** (-log_prob / length)

    def _verdict(self, pp: float) -> tuple[Verdict, dict[str, str]]:
        if math.isnan(pp):
            return Verdict(), {}
        signals = {VALUE: pp}
        facts = {}
        if self.cutoffs is not None:
            bucket = bucket_of(pp, self.cutoffs)  # type: ignore[arg-type]
            signals[BUCKET] = float(BUCKETS.index(bucket))
            facts[BUCKET_FIELD] = bucket
        reason = REASON_MAX if self.max_perplexity is not None and pp > self.max_perplexity else None
        return Verdict(signals, reason), facts

    def judge_batch_fields(self, texts: Sequence[str]) -> tuple[list[Verdict], list[dict[str, str]]]:
        """Verdicts, and the bucket's name as a document field (`perplexity_bucket`)."""
        pairs = [self._verdict(self.perplexity(t)) for t in texts]
        return [v for v, _ in pairs], [f for _, f in pairs]

    def judge_batch(self, texts: Sequence[str]) -> list[Verdict]:
        return [self._verdict(self.perplexity(t))[0] for t in texts]

    def judge(self, text: str) -> Verdict:
        return self._verdict(self.perplexity(text))[0]
