"""PII scrubbing with presidio-analyzer, offline and fast enough for web scale.

    scrubber = PiiScrubber()                                   # placeholders, default entities
    result = scrubber.scrub("Mail jane.doe@example.org or call +1 212-555-0142.")
    # result.text == "Mail <EMAIL> or call <PHONE>."; result.counts == {"EMAIL_ADDRESS": 1,
    #   "PHONE_NUMBER": 1}; result.timed_out is False
    PiiScrubber(mode="pseudonym", key=b"...").scrub(text)      # user_3fa9c1d2e4@example.com, ...

What is found. presidio's own recognizers, registered explicitly (never presidio's default
loader, which would download a spaCy model): EMAIL_ADDRESS (TLD checked with tldextract's
bundled suffix list), PHONE_NUMBER (Google's phonenumbers, presidio's eight default regions,
leniency VALID), IP_ADDRESS (v4 and v6), CREDIT_CARD (Luhn; Quarry adds a pattern for the
Mastercard 2221-2720 range, which presidio's misses), IBAN_CODE (mod-97 and country format),
US_SSN; plus the secrets of `filters.pii_recognizers` (AWS_ACCESS_KEY, AWS_SECRET_KEY,
PRIVATE_KEY, API_TOKEN, JWT). `entities=` may name any other presidio predefined pattern entity
(URL, MAC_ADDRESS, UUID, CRYPTO, US_PASSPORT, ...); `phone_regions=` replaces presidio's eight
(DE, for one, reads many decimals such as "0.626965" as phone numbers). PERSON, LOCATION, NRP and ORGANIZATION come
from a spaCy NER model, so they need `ner_model=` naming an *installed* model (package name or
path); asking for them without one is a ValueError that says what to install. Nothing is ever
downloaded: the NLP engine is a blank spaCy "en" pipeline built in memory (a subclass of
presidio's spaCy engine whose `load` never calls `spacy.cli.download`), and tldextract is set
to its bundled Public Suffix List snapshot (`suffix_list_urls=()`, no disk cache).

Threshold. `score_threshold` (default 0.4) is passed to presidio as is. 0.4 is the score
presidio's phone recognizer gives every phone number: presidio raises scores with context
words, but only through lemmas, and a blank pipeline has none, so a higher threshold would drop
every phone number. It also drops what presidio itself calls "very weak": the bare 9-digit and
5-4 / 3-6 digit SSN shapes (0.05) and the lone IPv6 "::" (0.1). Checksummed entities score 1.0,
IPs 0.6, SSN "ddd-dd-dddd" 0.5, secrets 0.9-1.0.

Replacement. Overlapping findings are merged into one replaced span (their union, so no piece of
either survives), typed by the finding with the highest score, then the longest, then the
earliest. mode="placeholder" writes `<EMAIL>`, `<PHONE>`, `<IP>`, `<CREDIT_CARD>`, `<IBAN>`,
`<SSN>`, `<SECRET>` (all secret types), `<PERSON>`, `<LOCATION>`, else `<ENTITY_TYPE>`.
mode="pseudonym" writes a stand-in derived from HMAC-SHA256(key, type + normalized value), so a
value maps to the same stand-in in every document, process and run that uses the same key, and
to an unrelated one under another key: `user_<10 hex>@example.com` for e-mail, an address in the
documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; 2001:db8::/32) for IPs,
`<PHONE_<8 hex>>`-style tokens for the rest. Values are normalized first (e-mail lower-cased,
numbers reduced to their digits, IBANs to upper case without spaces, IPs to their canonical
form), so "(212) 555-0142" and "212-555-0142" get one stand-in. The result carries the new
text and counts per entity type; original values are never logged, returned or put into an
exception (presidio-analyzer's own log records lose their arguments, see `_WithholdArgs`).

Speed: the prefilter. Plain presidio runs every recognizer over the whole text (RULES §6f:
~0.2-0.4 MB/s per core, phone numbers the slowest); most documents hold no PII. A cheap pass
finds *triggers*, each naming the entity presidio may find there:
    e-mail   a local-part character, "@", a domain label and a dot; the whitespace-delimited
             token around it is then run through presidio's EmailRecognizer (exact, as e-mails
             contain no whitespace), so "@app.route" or "user@localhost" cost no more
    IP       IPv4: four dot-separated groups of 1-3 digits; IPv6: "::" or three inner groups
             between colons (every form presidio matches has one); checked per token the same
             way with IpRecognizer ("std::vector" and "12:30:45" drop out)
    numbers  phone numbers, cards, SSNs and IPv4 live in *stretches* (`_NumberStretches`):
             maximal runs of the characters a phonenumbers candidate can contain. Only a
             stretch with four digits separated by at most four punctuation marks is looked at
             (no valid phone number, IPv4 address, SSN or card has fewer). Card and SSN
             triggers: presidio's shapes, in stretches with nine digits or more
    phone    exact (`_PhoneScan`): the candidates of phonenumbers' own matcher, each asked of
             the matcher's own `_extract_match` per region, with the little context it reads;
             cached, so "2024" costs a lookup. ("Runs of >= 7 digits" would be wrong: DE, one of
             presidio's default regions, accepts 4-digit numbers such as "1640".)
    IBAN     two capitals, two digits and two groups of four; secrets: their own patterns
A document without a trigger never reaches presidio. Phone numbers need no more: `_PhoneScan`
walks each triggered stretch region by region exactly as presidio's PhoneRecognizer walks the
whole text, and the spans go through presidio's `remove_duplicates` and the threshold, as in
AnalyzerEngine.analyze. For the other entities presidio reads only *windows*: each trigger
widened by `window_padding` characters and then out to a *safe cut* on each side. A safe cut
is a run of whitespace between two "plain" words: tokens of letters (at least one lower-case)
with at most some quotes, brackets and end punctuation, and no digit. No match can cross one:
e-mails, IPs and tokens contain no whitespace; card, SSN and phone matches need a digit on both
sides of any whitespace they span (phonenumbers allows at most four separator characters
between digit blocks, and its extension words are followed by digits); IBANs are upper-case
only; and matches that may span plain words (private key blocks, the name before an AWS
secret) are triggers in full, which windows contain whole. So every match of the whole text
lies inside one window, each regex scan restarts in the same state at a safe cut, and the one
or two characters a pattern reads around a match are the same in the window. A window is only
searched for the entities triggered in it (a match and its trigger lie between the same two
safe cuts). The windows of a document are joined with "\\n\\n" (itself a safe cut between plain
words) and one call per chunk runs the selected recognizers and then what
AnalyzerEngine.analyze does after them (threshold, `remove_duplicates`); the engine's spaCy
pass and context enhancement are skipped, as with a blank pipeline they change nothing (no
lemmas, so no context word ever matches). Spans are mapped back to document offsets. The
result equals plain `AnalyzerEngine.analyze` on the whole text with the same recognizers
(tests/filters/test_pii_labelled.py compares them), except that phonenumbers gives up on a
text after 65,535 failed candidates and a stretch starts that count afresh: Quarry then finds
more, never less. Entities without a trigger rule (presidio extras such as URL), or a NER
model, make every document a full scan through AnalyzerEngine.analyze: chunked, not skipped.

Bounded work. Chunks are at most `max_chunk_chars` (default 100,000, below spaCy's max_length
of 1,000,000), split at safe cuts outside triggers; so are documents of any length. A window
with no safe cut for that long (CJK text without spaces, a minified blob) is split at fixed
points with `_OVERLAP` characters of overlap on each side, keeping each finding from the chunk
it starts in: exact unless a match is longer than the overlap. The time limit
(`time_limit_s`, default 10 s per document) is checked between chunks and every few dozen phone
candidates, not with signals (which only work in the main thread and not under every Beam
runner). One presidio call cannot be interrupted in-process: a chunk that is slow still
finishes, so a document may overrun by the cost of one chunk; presidio's own regex timeout
(`presidio_analyzer.pattern_recognizer.REGEX_TIMEOUT_SECONDS`, which makes a slow pattern
silently return nothing) is set to the largest `time_limit_s` in the process, so a regex that
hits it has also used up the document's time and the document is reported timed out, not
clean. A timed-out document comes back with `timed_out=True` and `text=None`: never as
scrubbed. The caller drops it or keeps the original, per its configuration, and counts it. A
hard bound needs a process-level timeout around the worker.

The analyzer is built on first use (`analyzer`), so a Beam DoFn can build it in `setup()`;
pickling carries only the configuration.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import hmac
import inspect
import itertools
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import regex

from filters.pii_recognizers import SECRET_ENTITIES, secret_recognizer, secret_triggers

NAME = "pii"
LANGUAGE = "en"
PATTERN_ENTITIES: tuple[str, ...] = ("EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD",
                                     "IBAN_CODE", "US_SSN")
DEFAULT_ENTITIES: tuple[str, ...] = PATTERN_ENTITIES + SECRET_ENTITIES
NER_ENTITIES: frozenset[str] = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION"})
MODES = ("placeholder", "pseudonym")
DEFAULT_SCORE_THRESHOLD = 0.4
DEFAULT_TIME_LIMIT_S = 10.0
DEFAULT_WINDOW_PADDING = 32
DEFAULT_MAX_CHUNK_CHARS = 100_000
SPACY_MAX_LENGTH = 1_000_000
PHONE_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "IL", "IN", "CA", "BR")  # presidio's default
NER_INSTALL_HINT = (
    "install a spaCy NER model and name it with ner_model=, e.g. "
    "`python -m spacy download en_core_web_sm` or `pip install "
    "https://github.com/explosion/spacy-models/releases/download/en_core_web_sm-3.8.0/"
    "en_core_web_sm-3.8.0-py3-none-any.whl`, then ner_model=\"en_core_web_sm\" (or a path)"
)

PLACEHOLDERS: dict[str, str] = {
    "EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE", "IP_ADDRESS": "IP", "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN", "US_SSN": "SSN", "PERSON": "PERSON", "LOCATION": "LOCATION",
    **{entity: "SECRET" for entity in SECRET_ENTITIES},
}

_SEPARATOR = "\n\n"   # between windows in one analyze call: whitespace between two plain words
_OVERLAP = 4096       # context kept on each side of a fixed (non-safe) chunk split
_TIME_CHECK_EVERY = 32  # phone candidates between two looks at the clock

class Span(NamedTuple):
    """A finding: document offsets [start, end), presidio entity type, presidio score."""

    start: int
    end: int
    entity: str
    score: float


class Trigger(NamedTuple):
    """A prefilter hit: presidio may find `entity` in the segment around [start, end)."""

    start: int
    end: int
    entity: str


class _Piece(NamedTuple):
    """Part of a window for one analyze call: read [start, end), keep findings that start in
    [keep_start, keep_end), look for `entities` only."""

    start: int
    end: int
    keep_start: int
    keep_end: int
    entities: frozenset


@dataclass(frozen=True)
class ScrubResult:
    """The scrubbed text (None when the document timed out) and what was replaced, per type.

    `analyzed_chars` is how many characters presidio had to read (0 for a document the
    prefilter cleared). Never holds an original value.
    """

    text: str | None
    counts: dict[str, int] = field(default_factory=dict)
    timed_out: bool = False
    analyzed_chars: int = 0

    @property
    def found(self) -> int:
        return sum(self.counts.values())

    @property
    def outcome(self) -> str:
        """"timed_out", "scrubbed" (something was replaced) or "clean"."""
        if self.timed_out:
            return "timed_out"
        return "scrubbed" if self.counts else "clean"


class PiiTimeout(TimeoutError):
    """The document's time limit ran out before it was fully scanned."""


class _Deadline:
    __slots__ = ("limit", "end")

    def __init__(self, limit_s: float | None):
        self.limit = limit_s
        self.end = None if limit_s is None else time.perf_counter() + limit_s

    def check(self) -> None:
        if self.end is not None and time.perf_counter() > self.end:
            raise PiiTimeout(f"PII scan exceeded its time limit of {self.limit} s")


# -- offline setup ---------------------------------------------------------------------------

class _WithholdArgs(logging.Filter):
    """Strip the arguments from presidio-analyzer's log records: some carry matched text
    (IbanRecognizer logs "Failed to validate text %s"). The message template stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = f"{record.msg} [arguments withheld: may contain PII]"
            record.args = ()
        return True


_OFFLINE_DONE = False


def _offline_setup() -> None:
    """Point tldextract at its bundled suffix list (never fetch), guard presidio's log."""
    global _OFFLINE_DONE
    if _OFFLINE_DONE:
        return
    import tldextract
    import tldextract.tldextract as tld_module

    # tldextract.extract() calls the module-level TLD_EXTRACTOR; with no URLs and no cache
    # directory it reads the snapshot in the wheel and touches neither network nor disk.
    tld_module.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                                     fallback_to_snapshot=True)
    presidio_log = logging.getLogger("presidio-analyzer")
    if not any(isinstance(f, _WithholdArgs) for f in presidio_log.filters):
        presidio_log.addFilter(_WithholdArgs())
    _OFFLINE_DONE = True


_REGEX_TIMEOUT_S = 0


def _raise_presidio_regex_timeout(limit_s: float | None) -> None:
    """Make presidio's per-regex timeout at least this document time limit (see module doc)."""
    global _REGEX_TIMEOUT_S
    from presidio_analyzer import pattern_recognizer
    from presidio_analyzer.predefined_recognizers.generic import iban_recognizer

    seconds = 60 if limit_s is None else max(1, math.ceil(limit_s))
    _REGEX_TIMEOUT_S = max(_REGEX_TIMEOUT_S, seconds)
    pattern_recognizer.REGEX_TIMEOUT_SECONDS = _REGEX_TIMEOUT_S
    iban_recognizer.REGEX_TIMEOUT_SECONDS = _REGEX_TIMEOUT_S


def _blank_engine():
    """presidio's spaCy engine over `spacy.blank("en")`: tokenizer only, nothing to download."""
    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        def load(self) -> None:
            nlp = spacy.blank(LANGUAGE)
            nlp.max_length = SPACY_MAX_LENGTH
            self.nlp = {LANGUAGE: nlp}

    engine = BlankSpacyNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "blank:en"}])
    engine.load()
    return engine


def _ner_engine(ner_model: str):
    """presidio's spaCy engine over an installed NER model; refuses what it would download."""
    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    if not (spacy.util.is_package(ner_model) or Path(ner_model).exists()):
        raise ValueError(f"spaCy model {ner_model!r} is neither an installed package nor a path; "
                         f"nothing is downloaded: {NER_INSTALL_HINT}")
    engine = SpacyNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": ner_model}])
    engine.load()  # spacy.load: the check above means presidio's download branch is not taken
    return engine


@functools.lru_cache(maxsize=None)
def _predefined_classes() -> dict[str, list[type]]:
    """presidio's predefined pattern recognizer classes by the entities they detect."""
    from presidio_analyzer import EntityRecognizer
    from presidio_analyzer import predefined_recognizers as pre

    by_entity: dict[str, list[type]] = {}
    for name in getattr(pre, "__all__", dir(pre)):
        cls = getattr(pre, name, None)
        if not (inspect.isclass(cls) and issubclass(cls, EntityRecognizer)):
            continue
        if "nlp_engine_recognizers" in cls.__module__ or "third_party" in cls.__module__:
            continue
        try:
            recognizer = cls()
        except Exception:  # recognizers that need arguments (keys, endpoints) are not offered
            continue
        for entity in recognizer.supported_entities:
            by_entity.setdefault(entity, []).append(cls)
    return by_entity


def _mastercard_2_series():
    from presidio_analyzer import Pattern

    # presidio's card pattern starts Mastercard at 51-55 and misses the 2221-2720 range that
    # Mastercard has issued since 2017 (its own test card 2223 0031 2200 3222 among them);
    # the Luhn check still decides, as for presidio's pattern.
    return Pattern("Mastercard 2-series (weak)",
                   r"\b(?:222[1-9]|22[3-9]\d|2[3-6]\d{2}|27[01]\d|2720)[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b", 0.3)


def _recognizer_for(entity: str, phone_regions: Sequence[str] = PHONE_REGIONS):
    """A fresh English recognizer instance for a predefined pattern entity."""
    from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, EmailRecognizer,
                                                          IbanRecognizer, IpRecognizer,
                                                          PhoneRecognizer, UsSsnRecognizer)

    fixed = {"EMAIL_ADDRESS": EmailRecognizer, "IP_ADDRESS": IpRecognizer,
             "IBAN_CODE": IbanRecognizer, "US_SSN": UsSsnRecognizer}
    if entity == "PHONE_NUMBER":
        return PhoneRecognizer(supported_regions=tuple(phone_regions))
    if entity == "CREDIT_CARD":
        return CreditCardRecognizer(patterns=[*CreditCardRecognizer.PATTERNS, _mastercard_2_series()])
    if entity in fixed:
        return fixed[entity]()
    if entity in SECRET_ENTITIES:
        return secret_recognizer(entity)
    classes = _predefined_classes().get(entity)
    if not classes:
        raise ValueError(f"no presidio recognizer for entity {entity!r}")
    cls = classes[0]
    recognizer = cls()
    if recognizer.supported_language != LANGUAGE:
        recognizer = cls(supported_language=LANGUAGE)
    return recognizer


def build_analyzer(entities: Sequence[str], ner_model: str | None = None,
                   phone_regions: Sequence[str] = PHONE_REGIONS):
    """An offline `AnalyzerEngine` with an explicit registry for `entities` (English)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    _offline_setup()
    ner = [e for e in entities if e in NER_ENTITIES]
    if ner and not ner_model:
        raise ValueError(f"{', '.join(ner)} need a spaCy NER model: {NER_INSTALL_HINT}")
    engine = _ner_engine(ner_model) if ner_model else _blank_engine()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    seen: set[type] = set()
    for entity in entities:
        if entity in NER_ENTITIES:
            continue
        recognizer = _recognizer_for(entity, phone_regions)
        if entity not in SECRET_ENTITIES and type(recognizer) in seen:
            continue  # one class may cover several requested entities
        seen.add(type(recognizer))
        registry.add_recognizer(recognizer)
    if ner:
        registry.add_recognizer(SpacyRecognizer(supported_language=LANGUAGE, supported_entities=ner))
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=[LANGUAGE])


# -- the prefilter ---------------------------------------------------------------------------

# Segment-level supersets of presidio's patterns (compiled with `regex`, as presidio's are, so
# \w and \d mean the same): every presidio match lies between the same two safe cuts as a
# trigger match.
_EMAIL_TRIGGER = regex.compile(r"[!#$%&'*+\-/=?^_`{|}~\w]@\w+(?:-+\w+)*\.\w")
_IPV4_TRIGGER = regex.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
# every IPv6 form presidio matches has "::" or, written in full, three inner groups
_IPV6_TRIGGER = regex.compile(r":(?::|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:)")
_CARD_TRIGGER = regex.compile(r"(?<!\d)[1-6]\d{3}[- ]?\d{3,4}[- ]?\d{3,4}[- ]?\d{3,5}")
_SSN_TRIGGER = regex.compile(r"(?<!\d)(?:\d{3}[- .]\d{2}[- .]\d{4}|\d{5}-\d{4}|\d{3}-\d{6}|\d{9})")
_IBAN_TRIGGER = regex.compile(r"(?<![A-Z0-9])[A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2}")
_WHITESPACE = regex.compile(r"\s")
_WHITESPACE_BACK = regex.compile(r"(?r)\s")

_TOKEN = regex.compile(r"\S+")
_PLAIN = regex.compile(r"[\"'(\[«“‘„]*[\p{L}\p{M}'’\-]*\p{Ll}[\p{L}\p{M}'’\-]*[.,;:!?\"')\]»”’]*")


def _is_plain(token: str) -> bool:
    return _PLAIN.fullmatch(token) is not None


class _PhoneScan:
    """presidio's PhoneRecognizer, one stretch at a time (see `_NumberStretches`).

    The recognizer runs phonenumbers' `PhoneNumberMatcher` once per region over the whole text.
    Each matcher walks the same candidates (`_PATTERN`, trimmed at a second number), asks
    `_extract_match` about each one, and after a match goes on from its end. This class walks
    the candidates of a stretch the same way and asks the matcher's own `_extract_match`,
    per region, about each candidate with at least `min_digits` digits (no valid number has
    fewer); the answers are cached per region, candidate and the little context the method
    reads. `any_match` is the prefilter; `matches` gives the recognizer's spans. Differences:
    none, except that a matcher gives up after 65,535 failed candidates in one text, and a
    stretch restarts that count (more is found, never less)."""

    def __init__(self, regions: Sequence[str], leniency: int):
        import phonenumbers
        from phonenumbers import phonenumbermatcher as pm
        from phonenumbers.phonenumberutil import (COUNTRY_CODES_FOR_NON_GEO_REGIONS, PhoneMetadata,
                                                  SUPPORTED_REGIONS)

        self.regions = tuple(regions)
        self.leniency = leniency
        self._matcher_cls = phonenumbers.PhoneNumberMatcher
        self._pattern = pm._PATTERN
        self._second_number = pm._SECOND_NUMBER_START_PATTERN
        self._time_stamps = pm._TIME_STAMPS
        # The fewest digits a valid match can have: the shortest national number of a region
        # searched (national format), or country code + shortest number of any region (+ form).
        shortest = []
        metadata = [(r, PhoneMetadata.metadata_for_region(r)) for r in SUPPORTED_REGIONS]
        metadata += [(None, PhoneMetadata.metadata_for_nongeo_region(cc)) for cc in COUNTRY_CODES_FOR_NON_GEO_REGIONS]
        for region, md in metadata:
            lengths = [n for n in (md.general_desc.possible_length or ()) if n > 0] if md else []
            if not lengths:
                continue
            shortest.append(min(lengths) + len(str(md.country_code)))
            if region in self.regions:
                shortest.append(min(lengths))
        self.min_digits = max(1, min(shortest)) if shortest else 1
        self.checked = 0
        matcher_cls = self._matcher_cls
        # `_extract_match` reads the characters around a candidate only through "is it a Latin
        # letter or an invalid punctuation symbol" (one verdict for both), and the text after
        # it only for ":dd" after a time-stamp-like candidate: the cache keys on that.
        self._blocks = functools.lru_cache(maxsize=4096)(
            lambda ch: "%" if (matcher_cls._is_latin_letter(ch) or
                               matcher_cls._is_invalid_punctuation_symbol(ch)) else "")
        self.extract = functools.lru_cache(maxsize=1 << 17)(self._extract)
        self.any_region = functools.lru_cache(maxsize=1 << 16)(self._any_region)

    def _any_region(self, prev: str, candidate: str, following: str) -> bool:
        return any(self.extract(region, prev, candidate, following) is not None for region in self.regions)

    def _extract(self, region: str, prev: str, candidate: str, following: str) -> tuple[int, int] | None:
        """The matcher's verdict on one candidate: the match's span relative to the candidate,
        or None. `prev` and `following` are "" or "%" (a character that vetoes a match touching
        it), or `following` is the three characters after a time-stamp-like candidate."""
        match = self._matcher_cls(prev + candidate + following, region, leniency=self.leniency
                                  )._extract_match(candidate, len(prev))
        return None if match is None else (match.start - len(prev), match.end - len(prev))

    def _candidates(self, text: str, index: int, end: int):
        """The next candidate at or after index: (start, candidate, key) or None; key is None
        for a candidate too short to be a number."""
        m = self._pattern.search(text, index, end)
        if m is None:
            return None
        begin = m.start()
        candidate = text[begin:m.end()]
        if "/" in candidate or "\\" in candidate:
            second = self._second_number.search(candidate)
            if second:
                candidate = candidate[:second.start()]
        if sum(map(str.isdecimal, candidate)) < self.min_digits:
            return begin, candidate, None
        stop = begin + len(candidate)
        prev = self._blocks(text[begin - 1]) if begin else ""
        if self._time_stamps.search(candidate):
            following = text[stop:stop + 3]
        else:
            following = self._blocks(text[stop]) if stop < len(text) else ""
        return begin, candidate, (prev, candidate, following)

    def any_match(self, text: str, start: int, end: int, deadline: _Deadline) -> bool:
        """Does the matcher of some region find a phone number in text[start:end]?"""
        index = start
        while True:
            found = self._candidates(text, index, end)
            if found is None:
                return False
            begin, candidate, key = found
            if key is not None:
                self.checked += 1
                if self.checked % _TIME_CHECK_EVERY == 0:
                    deadline.check()
                if self.any_region(*key):
                    return True
            index = begin + max(1, len(candidate))

    def matches(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The spans the matchers of all regions find in text[start:end] (duplicates kept)."""
        spans = []
        for region in self.regions:
            index = start
            while True:
                found = self._candidates(text, index, end)
                if found is None:
                    break
                begin, candidate, key = found
                match = self.extract(region, *key) if key is not None else None
                if match is not None:
                    spans.append((begin + match[0], begin + match[1]))
                    index = begin + match[1]
                else:
                    index = begin + max(1, len(candidate))
        return spans


@functools.lru_cache(maxsize=None)
def _number_char_class() -> str:
    """A regex class (inside [...]) of every character a phonenumbers candidate can contain:
    digits, its punctuation and leading brackets/plus signs, and every character of its
    extension pattern ("ext", "anexo", "доб", "#", ";ext=" ...), in any case. A superset:
    regex syntax in the extension pattern adds a few harmless characters; planes above the
    BMP count as allowed."""
    from phonenumbers import phonenumbermatcher as pm
    from phonenumbers.phonenumberutil import _EXTN_PATTERNS_FOR_MATCHING, _PLUS_CHARS, _VALID_PUNCTUATION

    flags = re.UNICODE | re.IGNORECASE
    punct = re.compile("[" + _VALID_PUNCTUATION + "]", flags)
    literal = re.compile("[" + "".join(re.escape(c) for c in set(
        pm._OPENING_PARENS + _PLUS_CHARS + _EXTN_PATTERNS_FOR_MATCHING + " \xa0\t")) + "]", flags)
    bmp = "".join(chr(i) for i in range(0x10000) if not 0xD800 <= i <= 0xDFFF)
    chars = sorted(set(punct.findall(bmp)) | set(literal.findall(bmp)))
    return r"\d" + "".join(regex.escape(c) for c in chars) + "\U00010000-\U0010FFFF"


class _NumberStretches:
    """Where in a text phone numbers, cards, SSNs and IPv4 addresses can be.

    A *stretch* is a maximal run of characters a phonenumbers candidate can contain
    (`_number_char_class`); every other character (most letters, newlines, most punctuation)
    ends any candidate, so phonenumbers' scan of a text is the concatenation of its scans of
    the stretches, and so is a card, SSN or IPv4 match (digits with "-", " ", "." or "/").
    Only stretches with a run of `min_digits` digits separated by at most four punctuation
    characters can hold one: the shortest valid phone number, IPv4 address, SSN or card. The
    rest of the text is never looked at again."""

    def __init__(self, min_digits: int):
        from phonenumbers.phonenumberutil import _VALID_PUNCTUATION

        cls = _number_char_class()
        self.run = re.compile(r"\d(?:[%s]{0,4}\d){%d}" % (_VALID_PUNCTUATION, max(0, min_digits - 1)),
                              re.UNICODE | re.IGNORECASE)
        self.forward = regex.compile(f"[{cls}]*")
        self.backward = regex.compile(f"(?r)[{cls}]*")

    def find(self, text: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        pos = 0
        search = self.run.search
        while True:
            m = search(text, pos)
            if m is None:
                return out
            start = self.backward.match(text, 0, m.start()).start()
            end = self.forward.match(text, m.end()).end()
            out.append((start, end))
            pos = end


class PiiScrubber:
    """Finds PII with presidio's recognizers where the prefilter says it can be, and replaces
    it (module docstring). Not thread-safe (caches); build one per worker."""

    name = NAME

    def __init__(
        self,
        entities: Iterable[str] | None = None,
        *,
        mode: str = "placeholder",
        key: bytes | str | None = None,
        score_threshold: float = DEFAULT_SCORE_THRESHOLD,
        ner_model: str | None = None,
        time_limit_s: float | None = DEFAULT_TIME_LIMIT_S,
        window_padding: int = DEFAULT_WINDOW_PADDING,
        max_chunk_chars: int = DEFAULT_MAX_CHUNK_CHARS,
        phone_regions: Sequence[str] = PHONE_REGIONS,
    ):
        if isinstance(entities, str):
            entities = [entities]
        self.entities: tuple[str, ...] = tuple(dict.fromkeys(entities)) if entities is not None else DEFAULT_ENTITIES
        if not self.entities:
            raise ValueError("entities is empty: nothing would be scrubbed")
        ner = [e for e in self.entities if e in NER_ENTITIES]
        if ner and not ner_model:
            raise ValueError(f"{', '.join(ner)} need a spaCy NER model: {NER_INSTALL_HINT}")
        unknown = [e for e in self.entities
                   if e not in NER_ENTITIES and e not in DEFAULT_ENTITIES and e not in _predefined_classes()]
        if unknown:
            raise ValueError(f"unknown entities {unknown}: use presidio predefined entity names "
                             f"(e.g. {', '.join(DEFAULT_ENTITIES)}, URL, MAC_ADDRESS)")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        if mode == "pseudonym":
            if not key:
                raise ValueError("mode='pseudonym' needs a key (bytes or str): the same key gives "
                                 "the same stand-ins across the corpus")
        if not 0.0 <= score_threshold <= 1.0:
            raise ValueError(f"score_threshold must lie in [0, 1], got {score_threshold}")
        if time_limit_s is not None and time_limit_s <= 0:
            raise ValueError(f"time_limit_s must be positive or None, got {time_limit_s}")
        if window_padding < 0:
            raise ValueError(f"window_padding must be >= 0, got {window_padding}")
        if not 1_000 <= max_chunk_chars <= SPACY_MAX_LENGTH - 2 * _OVERLAP - 10_000:
            raise ValueError(f"max_chunk_chars must lie in [1000, {SPACY_MAX_LENGTH - 2 * _OVERLAP - 10_000}]")
        self.mode = mode
        self._key = key.encode("utf-8") if isinstance(key, str) else key
        self.score_threshold = float(score_threshold)
        self.ner_model = ner_model
        self.time_limit_s = time_limit_s
        self.window_padding = int(window_padding)
        self.max_chunk_chars = int(max_chunk_chars)
        self.phone_regions = tuple(phone_regions)
        from phonenumbers import SUPPORTED_REGIONS

        if not self.phone_regions or any(r not in SUPPORTED_REGIONS for r in self.phone_regions):
            raise ValueError(f"phone_regions must be ISO 3166 region codes known to phonenumbers, "
                             f"got {list(self.phone_regions)}")
        # Documents are scanned whole when some entity has no trigger rule, or when a NER model
        # runs (names can be anywhere; its lemmas also make presidio's context words count).
        self.full_scan = bool(ner_model) or any(
            e not in DEFAULT_ENTITIES for e in self.entities)
        self._analyzer = None
        self._recognizers: dict = {}
        self._phone: _PhoneScan | None = None
        self._phone_score = 0.0
        self._stretches: _NumberStretches | None = None
        self._secret_triggers: list = []
        self._token_checks: dict = {}
        self._build_prefilter()

    # -- pickling: settings only; the analyzer is built again where the object lands
    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_analyzer"] = None
        state["_recognizers"] = {}
        state["_phone"] = None
        state["_stretches"] = None
        state["_secret_triggers"] = []
        state["_token_checks"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._build_prefilter()

    def __repr__(self) -> str:
        return (f"PiiScrubber(entities={list(self.entities)}, mode={self.mode!r}, "
                f"score_threshold={self.score_threshold}, ner_model={self.ner_model!r}, "
                f"time_limit_s={self.time_limit_s})")

    def _build_prefilter(self) -> None:
        self._secret_triggers = [(e, literal, t)
                                 for e in self.entities if e in SECRET_ENTITIES for literal, t in secret_triggers(e)]
        if self.full_scan:
            return
        needs = {"IP_ADDRESS": 4, "US_SSN": 9, "CREDIT_CARD": 13}  # digits in the shortest match
        min_digits = [n for entity, n in needs.items() if entity in self.entities]
        if "PHONE_NUMBER" in self.entities:
            recognizer = _recognizer_for("PHONE_NUMBER", self.phone_regions)
            self._phone = _PhoneScan(recognizer.supported_regions, recognizer.leniency)
            self._phone_score = recognizer.SCORE
            min_digits.append(self._phone.min_digits)
        if min_digits:
            self._stretches = _NumberStretches(min(min_digits))
        _offline_setup()
        _raise_presidio_regex_timeout(self.time_limit_s)
        self._token_checks = {entity: _recognizer_for(entity) for entity in ("EMAIL_ADDRESS", "IP_ADDRESS")
                              if entity in self.entities}

    @property
    def analyzer(self):
        """The presidio AnalyzerEngine (built on first use; the same for windows and plain)."""
        if self._analyzer is None:
            _raise_presidio_regex_timeout(self.time_limit_s)
            self._analyzer = build_analyzer(self.entities, self.ner_model, self.phone_regions)
        return self._analyzer

    # -- prefilter and windows -------------------------------------------------------------

    def candidates(self, text: str, _deadline: _Deadline | None = None) -> list[Trigger]:
        """Triggers, sorted (they may overlap): where presidio could find which entity."""
        deadline = _deadline or _Deadline(None)
        spans: list[Trigger] = []
        ents = self.entities

        def add(entity: str, pattern) -> None:
            spans.extend(Trigger(*m.span(), entity) for m in pattern.finditer(text))

        if "EMAIL_ADDRESS" in ents and "@" in text:
            self._add_checked_tokens(text, "EMAIL_ADDRESS", _EMAIL_TRIGGER.finditer(text), spans)
        ip_hits = []
        if self._stretches is not None:
            card, ssn, ip = ("CREDIT_CARD" in ents), ("US_SSN" in ents), ("IP_ADDRESS" in ents)
            phone = self._phone
            for start, end in self._stretches.find(text):
                if (card or ssn) and end - start >= 9 and sum(map(str.isdecimal, text[start:end])) >= 9:
                    if card:
                        spans.extend(Trigger(*m.span(), "CREDIT_CARD")
                                     for m in _CARD_TRIGGER.finditer(text, start, end))
                    if ssn:
                        spans.extend(Trigger(*m.span(), "US_SSN") for m in _SSN_TRIGGER.finditer(text, start, end))
                if ip and end - start >= 7:
                    ip_hits.extend(_IPV4_TRIGGER.finditer(text, start, end))
                if phone is not None and phone.any_match(text, start, end, deadline):
                    spans.append(Trigger(start, end, "PHONE_NUMBER"))
        if "IP_ADDRESS" in ents:
            if ":" in text:
                ip_hits.extend(_IPV6_TRIGGER.finditer(text))
            self._add_checked_tokens(text, "IP_ADDRESS", ip_hits, spans)
        if "IBAN_CODE" in ents:
            add("IBAN_CODE", _IBAN_TRIGGER)
        for entity, literal, trigger in self._secret_triggers:
            if literal is None or literal in text:
                add(entity, trigger)
        spans.sort()
        return spans

    def _add_checked_tokens(self, text: str, entity: str, hits, spans: list[Trigger]) -> None:
        """E-mail and IP matches never contain whitespace and read at most two characters past
        their ends, so presidio's own recognizer run on the whitespace-delimited token around a
        hit says exactly whether the document has a match there (an "@decorator.name" or a "::"
        in C++ does not). Tokens over 2,000 characters are not checked, just kept."""
        recognizer = self._token_checks[entity]
        seen = set()
        n = len(text)
        for hit in hits:
            s, e = hit.span()
            ws = _WHITESPACE_BACK.search(text, max(0, s - 2000), s)
            lo = ws.end() if ws else max(0, s - 2000)
            ws = _WHITESPACE.search(text, e, min(n, e + 2000))
            hi = ws.start() if ws else min(n, e + 2000)
            if (lo, hi) in seen:
                continue
            seen.add((lo, hi))
            if (lo > 0 and not text[lo - 1].isspace()) or (hi < n and not text[hi].isspace()):
                spans.append(Trigger(lo, hi, entity))  # token too long to check
                continue
            results = recognizer.analyze(text[lo:hi], [entity])
            if any(r.score >= self.score_threshold for r in results):
                spans.append(Trigger(lo, hi, entity))

    def _left_cut(self, text: str, p: int, floor: int) -> int:
        """The largest safe window start in [floor, p]; `floor` when there is none."""
        if p <= floor:
            return floor
        back = 512
        while True:
            lo = max(floor, p - back)
            hi = min(len(text), p + 256)
            tokens = [m.span() for m in _TOKEN.finditer(text, lo, hi)]
            # a token cut by the slice cannot be judged
            if tokens and tokens[0][0] == lo and lo > 0 and not text[lo - 1].isspace():
                tokens = tokens[1:]
            if tokens and tokens[-1][1] == hi and hi < len(text) and not text[hi].isspace():
                tokens = tokens[:-1]
            for i in range(len(tokens) - 1, 0, -1):
                b_start, b_end = tokens[i]
                if b_start > p:
                    continue
                a_start, a_end = tokens[i - 1]
                if _is_plain(text[b_start:b_end]) and _is_plain(text[a_start:a_end]):
                    return b_start
            if lo == floor:
                return floor
            back *= 4

    def _right_cut(self, text: str, q: int) -> int:
        """The smallest safe window end >= q; len(text) when there is none."""
        n = len(text)
        if q >= n:
            return n
        ahead = 512
        while True:
            lo = max(0, q - 256)
            hi = min(n, q + ahead)
            tokens = [m.span() for m in _TOKEN.finditer(text, lo, hi)]
            if tokens and tokens[0][0] == lo and lo > 0 and not text[lo - 1].isspace():
                tokens = tokens[1:]
            if tokens and tokens[-1][1] == hi and hi < n and not text[hi].isspace():
                tokens = tokens[:-1]
            for i in range(len(tokens) - 1):
                a_start, a_end = tokens[i]
                if a_end < q:
                    continue
                b_start, b_end = tokens[i + 1]
                if _is_plain(text[a_start:a_end]) and _is_plain(text[b_start:b_end]):
                    return a_end
            if hi == n:
                return n
            ahead *= 4

    def windows(self, text: str, _deadline: _Deadline | None = None) -> list[tuple[int, int]]:
        """Document ranges presidio must read: [] when the prefilter clears the document."""
        if not text:
            return []
        if self.full_scan:
            return [(0, len(text))]
        return [(s, e) for s, e, _ in self._windows_from(text, self.candidates(text, _deadline))]

    def _windows_from(self, text: str, triggers: list[Trigger]) -> list[tuple[int, int, frozenset]]:
        """Each trigger padded and widened to safe cuts; windows that meet are merged. Each
        window carries the entities triggered in it: the only ones presidio can find there,
        since a match and its trigger lie between the same two safe cuts."""
        pad = self.window_padding
        out: list[list] = []
        for start, end, entity in triggers:
            if out and start - pad <= out[-1][1]:
                if end + pad > out[-1][1]:
                    out[-1][1] = self._right_cut(text, end + pad)
                out[-1][2].add(entity)
                continue
            floor = out[-1][1] if out else 0
            left = self._left_cut(text, start - pad, floor)
            if out and left <= floor:  # no safe cut in between
                out[-1][1] = max(out[-1][1], self._right_cut(text, end + pad))
                out[-1][2].add(entity)
                continue
            out.append([left, self._right_cut(text, end + pad), {entity}])
        return [(s, e, frozenset(ents)) for s, e, ents in out]

    # -- chunks ----------------------------------------------------------------------------

    def _safe_split(self, text: str, floor: int, target: int, starts: list[int],
                    ends: list[int], max_end: list[int]) -> tuple[int, int] | None:
        """A safe cut (end of the piece before it, start of the piece after it) in
        (floor, target] that no trigger spans, or None."""
        cut = target
        while True:
            b_start = self._left_cut(text, cut, floor)
            if b_start <= floor:
                return None
            a_end = b_start
            while a_end > floor and text[a_end - 1].isspace():
                a_end -= 1
            i = bisect.bisect_left(starts, b_start) - 1
            lowest = None
            while i >= 0 and max_end[i] > a_end:  # triggers that start before B and end after A
                if ends[i] > a_end:
                    lowest = starts[i]
                i -= 1
            if lowest is None:
                return a_end, b_start
            cut = lowest - 1

    def _split(self, text: str, start: int, end: int, entities: frozenset,
               triggers: list[Trigger]) -> list[_Piece]:
        """A window as pieces of at most max_chunk_chars: at safe cuts outside triggers, else
        at fixed points with overlap (findings are kept from the piece they start in)."""
        limit = self.max_chunk_chars
        if end - start <= limit:
            return [_Piece(start, end, start, end, entities)]
        starts = [t.start for t in triggers]
        ends = [t.end for t in triggers]
        max_end = list(itertools.accumulate(ends, max))
        pieces = []
        pos, fixed_before = start, False
        while end - pos > limit:
            target = pos + limit
            a_start = max(start, pos - _OVERLAP) if fixed_before else pos
            cut = self._safe_split(text, pos + limit // 2, target, starts, ends, max_end)
            if cut is None:
                pieces.append(_Piece(a_start, min(end, target + _OVERLAP), pos, target, entities))
                pos, fixed_before = target, True
            else:
                pieces.append(_Piece(a_start, cut[0], pos, cut[0], entities))
                pos, fixed_before = cut[1], False
        pieces.append(_Piece(max(start, pos - _OVERLAP) if fixed_before else pos, end, pos, end, entities))
        return pieces

    def _chunks(self, text: str, windows: list[tuple[int, int, frozenset]],
                triggers: list[Trigger]) -> list[list[_Piece]]:
        """Window pieces grouped into analyze calls of at most max_chunk_chars; a piece with
        overlap is analysed alone."""
        chunks: list[list[_Piece]] = []
        size = 0
        joinable = False
        for s, e, entities in windows:
            for piece in self._split(text, s, e, entities, triggers):
                exact = piece.start == piece.keep_start and piece.end == piece.keep_end
                length = piece.end - piece.start + len(_SEPARATOR)
                if chunks and joinable and exact and size + length <= self.max_chunk_chars:
                    chunks[-1].append(piece)
                    size += length
                else:
                    chunks.append([piece])
                    size = length
                joinable = exact
        return chunks

    # -- finding ---------------------------------------------------------------------------

    def _analyze(self, text: str, entities: Iterable[str] | None = None):
        """AnalyzerEngine.analyze for `entities` (default: all configured)."""
        wanted = self.entities if entities is None else [e for e in self.entities if e in entities]
        return self.analyzer.analyze(text=text, language=LANGUAGE, entities=list(wanted),
                                     score_threshold=self.score_threshold)

    def _recognize(self, text: str, entities: Iterable[str]):
        """What AnalyzerEngine.analyze returns, computed without it: each selected recognizer's
        `analyze`, the score threshold, `remove_duplicates`. The steps it skips change nothing
        here: the spaCy pass (pattern recognizers do not read its artifacts) and the context
        enhancement (lemma-based, and a blank pipeline has no lemmas). Used for windows only
        when no NER model is configured; tests compare it with the engine."""
        from presidio_analyzer import EntityRecognizer

        wanted = [e for e in self.entities if e in entities]
        key = tuple(wanted)
        recognizers = self._recognizers.get(key)
        if recognizers is None:
            recognizers = self._recognizers[key] = self.analyzer.registry.get_recognizers(
                language=LANGUAGE, entities=wanted)
        results = []
        for recognizer in recognizers:
            results.extend(r for r in recognizer.analyze(text, wanted, None) if r.score >= self.score_threshold)
        return EntityRecognizer.remove_duplicates(results)

    def _find(self, text: str, deadline: _Deadline) -> tuple[list[Span], int]:
        if self.full_scan:
            triggers = sorted(Trigger(*m.span(), e) for e, _, t in self._secret_triggers for m in t.finditer(text))
            windows = [(0, len(text), frozenset(self.entities))] if text else []
            phones = []
        else:
            triggers = self.candidates(text, deadline)
            phones = [t for t in triggers if t.entity == "PHONE_NUMBER"]
            if phones:
                triggers = [t for t in triggers if t.entity != "PHONE_NUMBER"]
            windows = self._windows_from(text, triggers)
        found: set[Span] = set()
        analyzed = 0
        if phones:
            spans, analyzed = self._phones(text, phones, deadline)
            found.update(spans)
        for chunk in self._chunks(text, windows, triggers):
            deadline.check()
            spans, chars = self._analyze_chunk(text, chunk)
            found.update(spans)
            analyzed += chars
        if windows:
            deadline.check()  # a presidio regex timeout also shows up here
        return sorted(found), analyzed

    def _phones(self, text: str, stretches: list[Trigger], deadline: _Deadline) -> tuple[list[Span], int]:
        """What presidio's PhoneRecognizer and then AnalyzerEngine.analyze make of the stretches
        where the prefilter saw a phone number (see `_PhoneScan`): the spans at the recognizer's
        score, the score threshold, then presidio's `remove_duplicates` (drops a result
        contained in another)."""
        from presidio_analyzer import EntityRecognizer, RecognizerResult

        if self._phone_score < self.score_threshold:
            return [], 0
        results = []
        chars = 0
        for start, end, _ in stretches:
            deadline.check()
            chars += end - start
            results.extend(RecognizerResult("PHONE_NUMBER", s, e, self._phone_score)
                           for s, e in set(self._phone.matches(text, start, end)))
        results = EntityRecognizer.remove_duplicates(results)
        return [Span(r.start, r.end, r.entity_type, float(r.score)) for r in results], chars

    def _analyze_chunk(self, text: str, chunk: list[_Piece]) -> tuple[list[Span], int]:
        """Analyze the pieces of a chunk joined by _SEPARATOR, for the entities triggered in
        them; findings in document offsets."""
        parts, local_starts = [], []
        pos = 0
        for piece in chunk:
            if parts:
                parts.append(_SEPARATOR)
                pos += len(_SEPARATOR)
            local_starts.append(pos)
            parts.append(text[piece.start:piece.end])
            pos += piece.end - piece.start
        joined = "".join(parts)
        spans = []
        entities = frozenset().union(*(p.entities for p in chunk))
        found = self._analyze(joined, entities) if self.full_scan else self._recognize(joined, entities)
        for r in found:
            i = bisect.bisect_right(local_starts, r.start) - 1
            piece = chunk[i]
            local = local_starts[i]
            if r.end > local + (piece.end - piece.start):
                # A finding across a separator would mean a safe cut was not safe. Not seen;
                # if it ever happens, analyse the pieces one by one instead of joining them.
                if len(chunk) == 1:
                    raise AssertionError("a finding extends past its piece")
                total = []
                chars = len(joined)
                for one in chunk:
                    more, n = self._analyze_chunk(text, [one])
                    total.extend(more)
                    chars += n
                return total, chars
            s = piece.start + r.start - local
            if piece.keep_start <= s < piece.keep_end:
                spans.append(Span(s, piece.start + r.end - local, r.entity_type, float(r.score)))
        return spans, len(joined)

    def find(self, text: str) -> list[Span]:
        """All findings in document offsets, sorted (no time limit): what plain presidio finds."""
        return self._find(text, _Deadline(None))[0]

    def plain_find(self, text: str) -> list[Span]:
        """Plain `AnalyzerEngine.analyze` on the whole text, same recognizers and threshold:
        the reference the prefilter must equal (slow; for tests and benchmarks)."""
        return sorted({Span(r.start, r.end, r.entity_type, float(r.score)) for r in self._analyze(text)})

    # -- replacing -------------------------------------------------------------------------

    @staticmethod
    def resolve(spans: Sequence[Span]) -> list[Span]:
        """Overlapping findings merged into their union, typed by the best of them (highest
        score, then longest, then earliest)."""
        merged: list[Span] = []
        group: list[Span] = []
        group_end = -1

        def close() -> None:
            if group:
                best = min(group, key=lambda s: (-s.score, -(s.end - s.start), s.start, s.entity))
                merged.append(Span(group[0].start, group_end, best.entity, best.score))

        for span in sorted(spans):
            if group and span.start < group_end:
                group.append(span)
                group_end = max(group_end, span.end)
                continue
            close()
            group, group_end = [span], span.end
        close()
        return merged

    def replacement(self, entity: str, value: str) -> str:
        """The placeholder or pseudonym for one value of one entity type."""
        label = PLACEHOLDERS.get(entity, entity)
        if self.mode == "placeholder":
            return f"<{label}>"
        digest = hmac.new(self._key, f"{entity}\x00{_normalize(entity, value)}".encode("utf-8"),
                          hashlib.sha256).hexdigest()
        if entity == "EMAIL_ADDRESS":
            return f"user_{digest[:10]}@example.com"
        if entity == "IP_ADDRESS":
            return _documentation_ip(value, digest)
        return f"<{label}_{digest[:8]}>"

    def scrub(self, text: str) -> ScrubResult:
        """The text with every finding replaced, and counts per entity type; a document that
        runs out of time comes back with text=None and timed_out=True (never as scrubbed)."""
        deadline = _Deadline(self.time_limit_s)
        try:
            spans, analyzed = self._find(text, deadline)
        except PiiTimeout:
            return ScrubResult(text=None, counts={}, timed_out=True, analyzed_chars=0)
        if not spans:
            return ScrubResult(text=text, counts={}, timed_out=False, analyzed_chars=analyzed)
        out = []
        counts: dict[str, int] = {}
        pos = 0
        for span in self.resolve(spans):
            out.append(text[pos:span.start])
            out.append(self.replacement(span.entity, text[span.start:span.end]))
            counts[span.entity] = counts.get(span.entity, 0) + 1
            pos = span.end
        out.append(text[pos:])
        return ScrubResult(text="".join(out), counts=dict(sorted(counts.items())), timed_out=False,
                           analyzed_chars=analyzed)

    def scrub_batch(self, texts: Sequence[str]) -> list[ScrubResult]:
        return [self.scrub(t) for t in texts]


# -- pseudonym helpers -----------------------------------------------------------------------

def _normalize(entity: str, value: str) -> str:
    """One spelling per value, so its stand-in does not depend on formatting."""
    if entity == "EMAIL_ADDRESS":
        return value.lower()
    if entity in ("PHONE_NUMBER", "CREDIT_CARD", "US_SSN"):
        digits = "".join(c for c in value if c.isdecimal())
        return ("+" + digits) if value.lstrip().startswith(("+", "＋")) else digits
    if entity == "IBAN_CODE":
        return "".join(value.split()).replace("-", "").upper()
    if entity == "IP_ADDRESS":
        try:
            return str(ipaddress.ip_interface(value))
        except ValueError:
            return value.lower()
    return value


_DOC_V4 = ("192.0.2", "198.51.100", "203.0.113")  # RFC 5737


def _documentation_ip(value: str, digest: str) -> str:
    """An address of the same family in the documentation ranges, with the original prefix."""
    address, slash, prefix = value.partition("/")
    suffix = f"/{prefix}" if slash else ""
    if ":" in address:  # IPv6 (also IPv4-mapped): 2001:db8::/32, RFC 3849
        groups = [digest[i:i + 4].lstrip("0") or "0" for i in range(0, 24, 4)]
        return "2001:db8:" + ":".join(groups) + suffix
    net = _DOC_V4[int(digest[:2], 16) % 3]
    return f"{net}.{1 + int(digest[2:6], 16) % 254}{suffix}"
