"""presidio pattern recognizers for the secrets that source code leaks, and their prefilter regexes.

presidio-analyzer has no recognizer for credentials, so Quarry adds these (formats from the
vendors' documentation and from detect-secrets, which BigCode used for StarCoder, RULES §6b):

    AWS_ACCESS_KEY   AKIA/ASIA/ABIA/ACCA/A3T* access key ids (20 upper-case letters and digits)
    AWS_SECRET_KEY   a 40-character secret key, only right after a name such as
                     `aws_secret_access_key =` / `"awsSecretKey":` (alone it looks like any base64)
    PRIVATE_KEY      a PEM/OpenSSH/PGP private key block, BEGIN to END; also a block whose END
                     is missing (a truncated paste), as far as its base64 lines go
    API_TOKEN        GitHub (ghp_/gho_/ghu_/ghs_/ghr_, github_pat_), Slack (xoxb-/xoxp-/...),
                     Google API keys (AIza...), Stripe live keys (sk_live_/rk_live_), npm tokens,
                     OpenAI keys (sk-...T3BlbkFJ...)
    JWT              three base64url parts whose first two decode to JSON ("eyJ..."): bearer
                     tokens, which end up in logs, curl examples and configuration

Patterns are case-sensitive (the vendors' prefixes are), unlike presidio's default flags. Each
recognizer comes with *triggers*: regexes (most with a literal that a cheap `in` test looks for
first) that `filters.pii` uses to decide which parts of a document presidio must see. Every
match of a recognizer overlaps a trigger match in the same whitespace-delimited token; the
triggers of the two entities whose matches may span plain words cover their whole extent
instead: PRIVATE_KEY's is its own pattern, AWS_SECRET_KEY's is its pattern with the look-behind
turned into matched text (the `aws_secret_access_key =` before the key).
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from filters.presidio_import import import_presidio

import_presidio()  # before any `from presidio_analyzer import`: see filters.presidio_import
from presidio_analyzer import Pattern, PatternRecognizer  # noqa: E402

SECRET_FLAGS = regex.DOTALL | regex.MULTILINE  # no IGNORECASE: prefixes such as AKIA are case-sensitive

_AWS_KEY_NAME = r"(?i:aws_?secret_?(?:access_?)?key|secret_?access_?key)"
_AWS_ASSIGN = r"[\"']?[ \t]{0,8}(?:=|:|=>|:=)[ \t]{0,8}[\"']?"
_PEM_LABEL = r"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"
_PEM_END = r"-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"


@dataclass(frozen=True)
class SecretSpec:
    """One secret entity: its presidio patterns (name, regex, score) and its triggers."""

    entity: str
    patterns: tuple[tuple[str, str, float], ...]
    triggers: tuple[tuple[str | None, str], ...]  # (text every match contains, or None; regex)


SECRET_SPECS: tuple[SecretSpec, ...] = (
    SecretSpec(
        "AWS_ACCESS_KEY",
        (("aws access key id",
          r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])", 0.9),),
        ((None, r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}"),),
    ),
    SecretSpec(
        "AWS_SECRET_KEY",
        (("aws secret access key after its name",
          rf"(?<={_AWS_KEY_NAME}{_AWS_ASSIGN})[A-Za-z0-9/+]{{40}}(?![A-Za-z0-9/+=])", 0.9),),
        # starts at "aws" when present (leftmost match), so it covers what the look-behind reads
        ((None, rf"(?i:(?:aws_?)?secret_?(?:access_?)?key){_AWS_ASSIGN}[A-Za-z0-9/+]{{40}}"),),
    ),
    SecretSpec(
        "PRIVATE_KEY",
        (("private key block", rf"{_PEM_LABEL}[\s\S]{{0,16000}}?{_PEM_END}", 1.0),
         # a block cut before its END line: the header and the base64 lines that follow it
         # (lines separated by newlines or by literal "\n" inside a string)
         ("private key block, truncated",
          rf"{_PEM_LABEL}(?:(?:\s|\\[nr])+[A-Za-z0-9+/]{{40,}}={{0,2}}){{1,400}}", 0.9)),
        (("-----BEGIN", rf"{_PEM_LABEL}[\s\S]{{0,16000}}?{_PEM_END}"
                        rf"|{_PEM_LABEL}(?:(?:\s|\\[nr])+[A-Za-z0-9+/]{{40,}}={{0,2}}){{0,400}}"),),
    ),
    SecretSpec(
        "API_TOKEN",
        (("github token", r"(?<![A-Za-z0-9_])(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])", 0.9),
         ("github fine-grained token", r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])", 0.9),
         ("slack token", r"(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])", 0.9),
         ("google api key", r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", 0.9),
         ("stripe live key", r"(?<![A-Za-z0-9_])(?:sk|rk)_live_[0-9A-Za-z]{24,247}(?![0-9A-Za-z])", 0.9),
         ("npm token", r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])", 0.9),
         ("openai key",
          r"(?<![A-Za-z0-9_-])sk-(?:proj-)?[A-Za-z0-9_-]{8,200}T3BlbkFJ[A-Za-z0-9_-]{8,200}(?![A-Za-z0-9_-])", 0.9)),
        ((None, r"gh[pousr]_[A-Za-z0-9]{36}"), ("github_pat_", r"github_pat_"), ("xox", r"xox[baprs]-"),
         ("AIza", r"AIza[0-9A-Za-z_-]{35}"), ("_live_", r"_live_"), ("npm_", r"npm_[A-Za-z0-9]{36}"),
         ("T3BlbkFJ", r"T3BlbkFJ")),
    ),
    SecretSpec(
        "JWT",
        (("json web token",
          r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?![A-Za-z0-9_-])", 0.9),),
        (("eyJ", r"eyJ[A-Za-z0-9_-]{8,}\.eyJ"),),
    ),
)
SECRET_ENTITIES: tuple[str, ...] = tuple(spec.entity for spec in SECRET_SPECS)
_SPECS = {spec.entity: spec for spec in SECRET_SPECS}


def secret_recognizer(entity: str) -> PatternRecognizer:
    """A fresh presidio PatternRecognizer for one secret entity (case-sensitive patterns)."""
    spec = _SPECS[entity]
    return PatternRecognizer(
        supported_entity=entity,
        name=f"Quarry{entity.title().replace('_', '')}Recognizer",
        supported_language="en",
        patterns=[Pattern(name, rx, score) for name, rx, score in spec.patterns],
        global_regex_flags=SECRET_FLAGS,
    )


def secret_triggers(entity: str) -> list[tuple[str | None, "regex.Pattern[str]"]]:
    """The triggers of a secret entity (see the module docstring), compiled, each with a text
    all its matches contain (a cheap `in` test skips the scan), or None."""
    return [(literal, regex.compile(rx, SECRET_FLAGS)) for literal, rx in _SPECS[entity].triggers]
