"""Prose from the lexicon: sentences, paragraphs, articles, and word-level edits.

Everything takes an explicit `random.Random`, never the global one, and never iterates over a
set or a dict built at run time, so output depends only on the seed (not on PYTHONHASHSEED).
"""
from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from typing import Sequence

from .lexicon import LANGUAGES, LOREM, Language

_FIELD = re.compile(r"([A-Za-z_]+?)(\d?)$")
_NUMBER_SLOTS = ("pct", "count", "money", "year")


@dataclass(frozen=True)
class _Template:
    """A template split once into literal text and slot references, for fast rendering."""

    parts: tuple[str, ...]
    fields: tuple[str, ...]  # fields[i] follows parts[i]; parts has one more item


def _compile(template: str) -> _Template:
    parts: list[str] = []
    fields: list[str] = []
    for literal, field_name, _spec, _conv in string.Formatter().parse(template):
        parts.append(literal)
        if field_name is not None:
            fields.append(field_name)
    if len(parts) == len(fields):
        parts.append("")
    return _Template(tuple(parts), tuple(fields))


def _split_tag(item: str) -> tuple[str, str]:
    """'мэрия:f' -> ('мэрия', 'f'); untagged items are masculine for agreement purposes."""
    text, sep, tag = item.rpartition(":")
    if sep and tag in ("m", "f", "n"):
        return text, tag
    return item, "m"


class TextGenerator:
    """Renders sentences, headlines and articles in one language from its lexicon."""

    def __init__(self, lang: Language) -> None:
        self.lang = lang
        self._templates = tuple(_compile(t) for t in lang.templates)
        self._headlines = tuple(_compile(t) for t in lang.headlines)
        self._slots: dict[str, tuple[tuple[str, str], ...]] = {
            name: tuple(_split_tag(item) for item in items) for name, items in lang.slots.items()
        }
        self._first = tuple(_split_tag(item) for item in lang.first_names)
        self._pii = {kind: tuple(_compile(t) for t in temps) for kind, temps in lang.pii.items()}
        words: list[str] = []
        for name in sorted(lang.slots):
            for text, _tag in self._slots[name]:
                words.extend(w for w in re.findall(r"\w+", text) if len(w) > 2)
        self.vocabulary: tuple[str, ...] = tuple(sorted(set(words)))

    # -- small pieces ---------------------------------------------------------------------

    def person(self, rng: random.Random) -> str:
        """A plausible full name; in ru/pl the surname agrees with the first name's gender."""
        first, gender = rng.choice(self._first)
        last = rng.choice(self.lang.last_names)
        if gender == "f" and self.lang.fem_surname == "ru":
            last += "а"
        elif gender == "f" and self.lang.fem_surname == "pl":
            for ending in ("ski", "cki", "dzki"):
                if last.endswith(ending):
                    last = last[:-1] + "a"
                    break
        return f"{first} {last}"

    def number(self, rng: random.Random, kind: str) -> str:
        dec = self.lang.decimal_sep
        if kind == "pct":
            return f"{rng.randint(2, 389) / 10:.1f}".replace(".", dec)
        if kind == "count":
            return str(rng.randrange(20, 1000, 10))
        if kind == "money":
            return self.lang.money.format(amount=f"{rng.randint(15, 99) / 10:.1f}".replace(".", dec))
        return str(rng.randint(1995, 2024))

    def _render(self, tpl: _Template, rng: random.Random, extra: dict[str, str] | None = None) -> str:
        values: dict[str, str] = {}
        genders: dict[str, str] = {}
        # Draw every non-verb slot first: in German and Dutch the verb precedes its subject.
        for name in tpl.fields:
            if name in values:
                continue
            if extra and name in extra:
                values[name] = extra[name]
                continue
            base, index = _FIELD.match(name).groups()  # type: ignore[union-attr]
            capital = base[:1].isupper()
            base = base.lower()
            if base == "verb":
                continue
            if base == "person":
                value = self.person(rng)
            elif base in _NUMBER_SLOTS:
                value = self.number(rng, base)
            else:
                # A second subject/object in one sentence must differ from the first.
                taken = [v for k, v in values.items() if k.lower().rstrip("0123456789") == base]
                text, tag = rng.choice(self._slots[base])
                while text in taken or (text[:1].upper() + text[1:]) in taken:
                    text, tag = rng.choice(self._slots[base])
                value = text
                if base == "subj":
                    genders[index] = tag
            values[name] = value[:1].upper() + value[1:] if capital else value
        for name in tpl.fields:
            if name in values:
                continue
            _base, index = _FIELD.match(name).groups()  # type: ignore[union-attr]
            verb, _tag = rng.choice(self._slots["verb"])
            if self.lang.gendered:
                verb += self.lang.verb_suffix[genders.get(index, "m")]
            values[name] = verb
        out = [tpl.parts[0]]
        for i, name in enumerate(tpl.fields):
            out.append(values[name])
            out.append(tpl.parts[i + 1])
        text = "".join(out)
        for old, new in self.lang.elisions:
            text = text.replace(old, new)
        return text[:1].upper() + text[1:]

    # -- public API -----------------------------------------------------------------------

    def sentence(self, rng: random.Random) -> str:
        return self._render(rng.choice(self._templates), rng)

    def headline(self, rng: random.Random) -> str:
        return self._render(rng.choice(self._headlines), rng)

    def paragraph(self, rng: random.Random, n_sentences: int) -> str:
        return " ".join(self.sentence(rng) for _ in range(n_sentences))

    def article(self, rng: random.Random, n_paragraphs: int | None = None) -> tuple[str, list[str]]:
        """A headline and its body paragraphs (3-6 sentences each)."""
        if n_paragraphs is None:
            n_paragraphs = rng.randint(4, 8)
        head = self.headline(rng)
        paras = [self.paragraph(rng, rng.randint(3, 6)) for _ in range(n_paragraphs)]
        return head, paras

    def pii_kinds(self) -> tuple[str, ...]:
        return tuple(self._pii)

    def pii_sentence(self, rng: random.Random, kind: str, value: str, person: str) -> str:
        """A sentence that carries `value` (an e-mail, phone number, ...) in a natural context;
        `person` is the name the value belongs to, where the context mentions one."""
        return self._render(rng.choice(self._pii[kind]), rng, extra={"value": value, "person": person})


_GENERATORS: dict[str, TextGenerator] = {}


def generator(lang_code: str) -> TextGenerator:
    """The (cached) generator for a language code such as 'de'."""
    gen = _GENERATORS.get(lang_code)
    if gen is None:
        gen = _GENERATORS[lang_code] = TextGenerator(LANGUAGES[lang_code])
    return gen


def lorem_paragraphs(rng: random.Random, n: int) -> list[str]:
    """Classic filler text, for the low-quality 'lorem_ipsum' pages."""
    paras = []
    for i in range(n):
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(LOREM) for _ in range(rng.randint(6, 14))]
            sentences.append(" ".join(words).capitalize() + ".")
        if i == 0:
            sentences[0] = "Lorem ipsum dolor sit amet, consectetur adipiscing elit."
        paras.append(" ".join(sentences))
    return paras


_TRAILING_PUNCT = re.compile(r"^(.*?)([.,;:!?»”“\"')]*)$", re.S)


def apply_edits(rng: random.Random, paragraphs: Sequence[str], rate: float,
                vocabulary: Sequence[str]) -> tuple[list[str], int]:
    """Replace, insert or delete about `rate` of the words, keeping paragraph boundaries.

    Returns the edited paragraphs and the number of edit operations applied. Punctuation glued
    to a replaced word is kept, so sentence boundaries stay where they were.
    """
    words: list[tuple[int, str]] = []
    for p_index, para in enumerate(paragraphs):
        words.extend((p_index, w) for w in para.split(" "))
    n_edits = max(1, round(rate * len(words)))
    for _ in range(n_edits):
        op = rng.choice(("replace", "insert", "delete"))
        pos = rng.randrange(len(words))
        p_index, old = words[pos]
        new = rng.choice(vocabulary)
        if op == "replace":
            m = _TRAILING_PUNCT.match(old)
            tail = m.group(2) if m else ""
            words[pos] = (p_index, new + tail)
        elif op == "insert":
            words.insert(pos, (p_index, new))
        else:
            if sum(1 for p, _ in words if p == p_index) > 1:
                del words[pos]
            else:
                words[pos] = (p_index, new)
    out: list[list[str]] = [[] for _ in paragraphs]
    for p_index, w in words:
        out[p_index].append(w)
    return [" ".join(ws) for ws in out], n_edits
