"""Fake but well-formed personal data to plant in texts, so PII filters can be measured.

Values are chosen to be harmless: documentation IP ranges (RFC 5737, RFC 3849), the card
numbers card networks publish for testing (they pass the Luhn check), the social security
numbers the SSA itself used in advertising, the example IBANs of national banking
associations (valid check digits), fiction-reserved phone ranges where a country has one
(US 555-01xx, UK Ofcom drama numbers, French 01 99 00), and e-mail domains under example.*.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

TEST_CARDS: dict[str, tuple[str, ...]] = {
    "visa": ("4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556"),
    "mastercard": ("5555555555554444", "5105105105105100", "2223003122003222", "5200828282828210"),
    "amex": ("378282246310005", "371449635398431", "378734493671000"),
}

# 987-65-4320..4329 is the SSA's range reserved for advertisements; 219-09-9999 appeared in an
# SSA pamphlet. (The Woolworth wallet number 078-05-1120 is not used: it is so well known that
# presidio deliberately refuses it, so it is not PII a scrubber should be measured on.)
EXAMPLE_SSNS: tuple[str, ...] = ("987-65-4321", "219-09-9999")

EXAMPLE_IBANS: dict[str, str] = {
    "en": "GB29NWBK60161331926819",
    "de": "DE89370400440532013000",
    "fr": "FR1420041010050500013M02606",
    "es": "ES9121000418450200051332",
    "it": "IT60X0542811101000000123456",
    "nl": "NL91ABNA0417164300",
    "pl": "PL61109010140000071219812874",
    "pt": "PT50000201231234567890154",
}

EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com",
                 "news.example.org")

PHONE_FORMATS: dict[str, tuple[str, ...]] = {
    "en": ("us_national", "us_intl", "uk_national", "uk_intl"),
    "de": ("de_national", "de_intl"),
    "fr": ("fr_national", "fr_intl"),
    "es": ("es_intl",), "it": ("it_intl",), "pt": ("br_intl", "pt_intl"), "nl": ("nl_intl",),
    "ru": ("ru_intl", "ru_national"), "pl": ("pl_intl",),
}

_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                      "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
                      "", "e", "yu", "ya"]))


@dataclass(frozen=True)
class Pii:
    """One planted value: its entity type, a finer format label and the exact text."""

    type: str
    format: str
    value: str


def luhn_valid(number: str) -> bool:
    """True when the digits of `number` (spaces and dashes ignored) pass the Luhn check."""
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return bool(digits) and total % 10 == 0


def iban_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN (spaces ignored)."""
    compact = iban.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _ascii(name: str) -> str:
    out = []
    for ch in name.lower():
        if ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        else:
            out.append(ch)
    text = unicodedata.normalize("NFKD", "".join(out)).encode("ascii", "ignore").decode()
    return "".join(c for c in text if c.isalnum() or c in ". ").strip()


def email(rng: random.Random, person: str) -> Pii:
    first, _, last = person.partition(" ")
    first, last = _ascii(first).replace(" ", ""), _ascii(last).replace(" ", "")
    style = rng.randrange(4)
    if style == 0:
        local = f"{first}.{last}"
    elif style == 1:
        local = f"{first[:1]}.{last}"
    elif style == 2:
        local = f"{first}{last}{rng.randint(1, 99)}"
    else:
        local = rng.choice(("info", "redaktion", "press", "contact", "leserservice", "tips"))
    return Pii("email", "email", f"{local}@{rng.choice(EMAIL_DOMAINS)}")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def phone(rng: random.Random, lang: str) -> Pii:
    fmt = rng.choice(PHONE_FORMATS[lang])
    area = rng.choice(("212", "312", "415", "617", "202", "305", "503", "512"))
    if fmt == "us_national":
        value = f"({area}) 555-01{_digits(rng, 2)}"
    elif fmt == "us_intl":
        value = f"+1 {area}-555-01{_digits(rng, 2)}"
    elif fmt == "uk_national":
        value = rng.choice((f"020 7946 0{_digits(rng, 3)}", f"0161 496 0{_digits(rng, 3)}"))
    elif fmt == "uk_intl":
        value = f"+44 20 7946 0{_digits(rng, 3)}"
    elif fmt == "de_national":
        value = f"0{rng.choice(('30', '40', '89', '221', '69'))} {_digits(rng, 7)}"
    elif fmt == "de_intl":
        value = rng.choice((f"+49 30 {_digits(rng, 8)}", f"+49 (0)89 {_digits(rng, 4)} {_digits(rng, 3)}"))
    elif fmt == "fr_national":
        value = f"01 99 00 {_digits(rng, 2)} {_digits(rng, 2)}"
    elif fmt == "fr_intl":
        value = f"+33 1 99 00 {_digits(rng, 2)} {_digits(rng, 2)}"
    elif fmt == "es_intl":
        value = f"+34 91{_digits(rng, 1)} {_digits(rng, 3)} {_digits(rng, 3)}"
    elif fmt == "it_intl":
        value = f"+39 06 {_digits(rng, 4)} {_digits(rng, 4)}"
    elif fmt == "br_intl":
        # a Sao Paulo landline (3xxx-xxxx): 8-digit numbers starting with 9 are not valid there
        value = f"+55 11 3{_digits(rng, 4)[1:]}-{_digits(rng, 4)}"
    elif fmt == "pt_intl":
        value = f"+351 21 {_digits(rng, 3)} {_digits(rng, 4)}"
    elif fmt == "nl_intl":
        value = f"+31 20 {_digits(rng, 3)} {_digits(rng, 4)}"
    elif fmt == "ru_intl":
        value = f"+7 495 {_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 2)}"
    elif fmt == "ru_national":
        value = f"8 (495) {_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 2)}"
    else:  # pl_intl
        value = f"+48 22 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}"
    return Pii("phone", f"phone_{fmt}", value)


def ipv4(rng: random.Random) -> Pii:
    net = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
    if rng.random() < 0.25:
        return Pii("ipv4", "ipv4_private", f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}")
    return Pii("ipv4", "ipv4", f"{net}.{rng.randint(1, 254)}")


def ipv6(rng: random.Random) -> Pii:
    groups = [f"{rng.randrange(1, 0x10000):x}" for _ in range(4)]
    if rng.random() < 0.5:
        return Pii("ipv6", "ipv6_compressed", "2001:db8::" + ":".join(groups))
    return Pii("ipv6", "ipv6_full", "2001:db8:" + ":".join(groups) + ":0:" + f"{rng.randrange(1, 0x10000):x}")


def credit_card(rng: random.Random) -> Pii:
    network = rng.choice(("visa", "mastercard", "amex"))
    number = rng.choice(TEST_CARDS[network])
    style = rng.choice(("plain", "spaces", "dashes"))
    if style != "plain":
        sep = " " if style == "spaces" else "-"
        if network == "amex":
            number = sep.join((number[:4], number[4:10], number[10:]))
        else:
            number = sep.join(number[i:i + 4] for i in range(0, 16, 4))
    return Pii("credit_card", f"card_{network}_{style}", number)


def ssn(rng: random.Random) -> Pii:
    return Pii("ssn", "ssn_us", rng.choice(EXAMPLE_SSNS))


def iban(rng: random.Random, lang: str) -> Pii:
    compact = EXAMPLE_IBANS[lang]
    if rng.random() < 0.5:
        return Pii("iban", f"iban_{compact[:2].lower()}_compact", compact)
    grouped = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return Pii("iban", f"iban_{compact[:2].lower()}_grouped", grouped)


def make(rng: random.Random, kind: str, lang: str, person: str) -> Pii:
    """A value of entity type `kind` suited to a page in language `lang`."""
    if kind == "email":
        return email(rng, person)
    if kind == "phone":
        return phone(rng, lang)
    if kind == "ipv4":
        return ipv4(rng)
    if kind == "ipv6":
        return ipv6(rng)
    if kind == "credit_card":
        return credit_card(rng)
    if kind == "ssn":
        return ssn(rng)
    if kind == "iban":
        return iban(rng, lang)
    raise ValueError(f"unknown PII kind {kind!r}")
