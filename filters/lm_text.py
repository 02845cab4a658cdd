"""The one text normalization for the KenLM perplexity model: training and scoring both use it.

A language model only means something on text prepared exactly like the text it was trained on,
so `filters.perplexity` calls `lm_lines` both when it writes the training corpus for `lmplz` and
when it scores a document. Nothing else may prepare LM text.

What it does to each line (CCNet's `text_normalizer.normalize` with its defaults accent=True,
case=True, numbers=True, punct=1; RULES.md §1b), in CCNet's order:
  1. lowercase;
  2. strip accents: NFD, then drop the combining marks (Unicode category Mn) — like CCNet, the
     result stays decomposed (Hangul becomes jamo);
  3. every decimal digit, in any script, becomes "0" (CCNet's `\\d`); this runs before step 4, so
     the full-width "１" that CCNet's punctuation table lists becomes "0" there too;
  4. CCNet's table of ~35 CJK/typographic punctuation marks mapped to ASCII ("，"→",", "«"→'"',
     "’"→"'", "—"→" - ", "…"→"...", ...); other punctuation is left alone, as in CCNet;
  5. non-printing characters (code points 0-31 and 127-159) removed, and stray surrogates
     too (KenLM reads UTF-8, which cannot hold them);
and then the line is cut into whitespace-separated word tokens, joined by one space.

Lines are kept, which CCNet does not do. CCNet normalizes the *whole document* before scoring
it, and its non-printing step removes "\\n" along with the other control characters, so the
lines are glued together without a space ("...in 2019!second line...") and its `DocLM`, which
splits on "\\n" to score each line as a sentence, sees one long line (RULES.md §1b quirk, §10.6).
The result is a single-sequence perplexity with a spurious out-of-vocabulary word at every line
break. Here each line (a paragraph, in extracted web text) is normalized on its own and scored
as its own sentence with `<s>` ... `</s>` — what `DocLM` was written to do — and the training
corpus is written line by line the same way, so model and scorer agree. Two consequences of that
choice: tab, vertical tab, form feed and carriage return become a space instead of gluing the
words on either side together (the other control characters are removed as in CCNet), and
empty lines are dropped rather than scored as an empty sentence.

Tokens are whitespace words, not SentencePiece pieces: CCNet scores SentencePiece unigram pieces
(a 65k vocabulary trained per language on Wikipedia), and Quarry has no SentencePiece model
offline. Words are a coarser unit: unknown words fall back on `<unk>`, perplexities are higher
than piece-level ones, and CCNet's published cutoffs (cutoff.csv, e.g. en p30 = 340) do not apply
— buckets must come from cutoffs measured on our own scores. Languages written without spaces
(Chinese, Japanese, Thai) get one "word" per line, so a word-level model says little about them.
KenLM's reserved tokens `<s>`, `</s>` and `<unk>` are dropped from the text (lmplz refuses them).

Speed: every document passes through here once per scoring, so steps 2-5 are one mapping of
characters built at import (digits, punctuation, combining marks, control characters), applied
to the whole document before it is cut into lines: `str.translate` for ASCII text, and for
other text, NFD (only when the text is not already NFD) and one `str.replace` per distinct
character that needs changing. The tables are read-only after import, so this is safe to call
from any thread.
"""
from __future__ import annotations

import sys
import unicodedata

import numpy as np

# CCNet's punct=1 table (cc_net text_normalizer.UNICODE_PUNCT), restated.
UNICODE_PUNCT: dict[str, str] = {
    "，": ",", "。": ".", "、": ",", "„": '"', "”": '"', "“": '"', "«": '"', "»": '"', "１": '"',
    "」": '"', "「": '"', "《": '"', "》": '"', "´": "'", "∶": ":", "：": ":", "？": "?", "！": "!",
    "（": "(", "）": ")", "；": ";", "–": "-", "—": " - ", "．": ". ", "～": "~", "’": "'",
    "…": "...", "━": "-", "〈": "<", "〉": ">", "【": "[", "】": "]", "％": "%", "►": "-",
}

# Control characters that separate words: kept here, so that `str.split` treats them as the
# whitespace they are, instead of gluing the words on either side together as CCNet does.
_SEPARATING_CONTROLS = "\t\x0b\x0c\r"
_RESERVED_TOKENS = frozenset(("<s>", "</s>", "<unk>"))


def _build_mapping() -> dict[str, str]:
    """Every character steps 2-5 change, and what it becomes ("" to delete it)."""
    mapping: dict[str, str] = {}
    category = unicodedata.category
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        kind = category(char)
        if kind == "Mn":
            mapping[char] = ""
        elif kind == "Nd" and char != "0":  # Nd is what `\d` matches in a str regex
            mapping[char] = "0"
    for char, ascii_ in UNICODE_PUNCT.items():
        mapping.setdefault(char, ascii_)  # digits first: the full-width "１" stays "0"
    for code in [*range(0, 32), *range(127, 160)]:
        if chr(code) != "\n" and chr(code) not in _SEPARATING_CONTROLS:
            mapping[chr(code)] = ""
    for code in range(0xD800, 0xE000):
        mapping[chr(code)] = ""  # a stray surrogate cannot be encoded to UTF-8 for KenLM
    return mapping


_MAPPING = _build_mapping()
# ASCII text (most of it) takes `str.translate`, which has a fast path for ASCII input and table.
_ASCII_TABLE = str.maketrans({c: m for c, m in _MAPPING.items() if c.isascii()})
# Other text: `str.translate` looks every character up in a dict (~70 ns each), so instead the
# distinct characters to change are found with a lookup table in numpy and replaced one by one.
_CHANGES = np.zeros(sys.maxunicode + 1, dtype=bool)
_CHANGES[[ord(c) for c in _MAPPING]] = True


def lm_lines(text: str) -> list[str]:
    """The normalized, non-empty lines of `text`, each a string of word tokens joined by spaces.

    This is what `lmplz` is trained on (one line per sentence) and what the scorer sums
    `Model.score` over; see the module docstring for the rules and how they differ from CCNet.
    """
    text = text.lower()
    if text.isascii():
        text = text.translate(_ASCII_TABLE)
    else:
        if not unicodedata.is_normalized("NFD", text):
            text = unicodedata.normalize("NFD", text)
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        for code in set(codes[_CHANGES[codes]].tolist()):
            char = chr(code)
            text = text.replace(char, _MAPPING[char])
    out = []
    for line in text.split("\n"):
        words = line.split()
        if not words:
            continue
        if "<" in line:
            words = [w for w in words if w not in _RESERVED_TOKENS]
            if not words:
                continue
        out.append(" ".join(words))
    return out
