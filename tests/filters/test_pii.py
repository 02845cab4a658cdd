"""PII scrubbing (filters/pii.py): what is found and replaced, pseudonyms, configuration errors,
no network, long documents and the time limit."""
from __future__ import annotations

import ipaddress
import logging
import pickle
import re
import socket

import pytest

from filters import pii as pii_module
from filters.pii import PiiScrubber, ScrubResult, Span

AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"  # the AWS documentation's example pair
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
SLACK = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
GOOGLE = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0"
       ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
PEM = ("-----BEGIN RSA PRIVATE KEY-----\n"
       "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
       "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
       "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo\n"
       "-----END RSA PRIVATE KEY-----")

# (entity, value, sentence with {v}, placeholder)
CASES = [
    ("EMAIL_ADDRESS", "jane.doe@example.org", "Questions can be sent to {v} before Friday.", "<EMAIL>"),
    ("PHONE_NUMBER", "(212) 555-0142", "Anyone with information is asked to call {v} tonight.", "<PHONE>"),
    ("PHONE_NUMBER", "+44 20 7946 0018", "The London desk answers on {v} during office hours.", "<PHONE>"),
    ("PHONE_NUMBER", "+49 30 12345678", "Die Redaktion ist unter {v} erreichbar.", "<PHONE>"),
    ("IP_ADDRESS", "198.51.100.23", "Log files show repeated login attempts from the address {v} last night.", "<IP>"),
    ("IP_ADDRESS", "2001:db8::8a2e:370:7334", "The attack was traced to the IPv6 address {v} in March.", "<IP>"),
    ("CREDIT_CARD", "4111 1111 1111 1111", "A reader reported that the card number {v} had been charged twice.",
     "<CREDIT_CARD>"),
    ("CREDIT_CARD", "2223-0031-2200-3222", "Scammers asked victims to confirm card details such as {v} by phone.",
     "<CREDIT_CARD>"),
    ("IBAN_CODE", "GB29 NWBK 6016 1331 9268 19", "Donations can be made to the account {v} until May.", "<IBAN>"),
    ("US_SSN", "219-09-9999", "The leaked file contained social security numbers, including {v}.", "<SSN>"),
    ("AWS_ACCESS_KEY", AWS_KEY_ID, 'AWS_ACCESS_KEY_ID = "{v}"\nREGION = "eu-west-1"\n', "<SECRET>"),
    ("AWS_SECRET_KEY", AWS_SECRET, 'aws_secret_access_key = {v}\nregion = eu-west-1\n', "<SECRET>"),
    ("PRIVATE_KEY", PEM, 'KEY = """{v}"""\n\ndef sign(data):\n    return rsa.sign(data, KEY)\n', "<SECRET>"),
    ("API_TOKEN", GITHUB, "headers = {{'Authorization': 'token {v}'}}", "<SECRET>"),
    ("API_TOKEN", SLACK, 'SLACK_BOT_TOKEN="{v}"', "<SECRET>"),
    ("API_TOKEN", GOOGLE, '<script src="https://maps.googleapis.com/maps/api/js?key={v}"></script>', "<SECRET>"),
    ("API_TOKEN", STRIPE, "stripe.api_key = '{v}'", "<SECRET>"),
    ("JWT", JWT, 'curl -H "Authorization: Bearer {v}" https://api.example.com/v1/me', "<SECRET>"),
]


@pytest.fixture(scope="module")
def scrubber() -> PiiScrubber:
    return PiiScrubber()


@pytest.mark.parametrize("entity,value,sentence,placeholder", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_entity_is_found_and_replaced(scrubber, entity, value, sentence, placeholder):
    text = sentence.format(v=value)
    result = scrubber.scrub(text)
    assert result.text == sentence.format(v=placeholder)
    assert result.counts == {entity: 1}
    assert result.outcome == "scrubbed" and not result.timed_out
    start = text.index(value)
    assert [(s.start, s.end, s.entity) for s in scrubber.find(text)] == [(start, start + len(value), entity)]


def test_a_card_number_failing_the_luhn_check_is_kept(scrubber):
    text = "Order 4111 1111 1111 1112 was shipped; card 4111 1111 1111 1111 was charged."
    result = scrubber.scrub(text)
    assert result.text == "Order 4111 1111 1111 1112 was shipped; card <CREDIT_CARD> was charged."
    assert result.counts == {"CREDIT_CARD": 1}


@pytest.mark.parametrize("text", [
    "Upgrade to version 2.14.3 before the 2024-03-01 release.",
    "commit 3fa9c1d2e4b5a6978812aabbccddeeff00112233 (HEAD -> main)",
    'digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
    "request id 123e4567-e89b-12d3-a456-426614174000 at 10:30:45",
    "Published 12 March 2023, updated 15/06/2021, 3 min read, 1,299 views, 45.7% up",
    "std::vector<int> v; a::b::c(); x :: Int -> Int",
    "@dataclass\nclass A:\n    @property\n    def b(self): return self.c @ self.d",
])
def test_no_findings_in_ordinary_text_and_code(scrubber, text):
    assert scrubber.find(text) == []
    assert scrubber.scrub(text).text == text


def test_four_part_versions_are_ip_addresses_to_presidio(scrubber):
    # presidio's IPv4 pattern cannot tell "1.2.3.4" the version from an address: kept as found
    text = "Requires libfoo 1.2.3.4 or later."
    assert [(text[s.start:s.end], s.entity) for s in scrubber.find(text)] == [("1.2.3.4", "IP_ADDRESS")]


def test_counts_per_entity_type(scrubber):
    text = ("Write to a@example.com or b@example.org, call (212) 555-0142, "
            "servers 192.0.2.1 and 192.0.2.2 and 2001:db8::1.")
    result = scrubber.scrub(text)
    assert result.counts == {"EMAIL_ADDRESS": 2, "IP_ADDRESS": 3, "PHONE_NUMBER": 1}
    assert result.found == 6


def test_no_original_value_in_the_result(scrubber):
    values = [c[1] for c in CASES]
    text = "\n".join(c[2].format(v=c[1]) for c in CASES)
    result = scrubber.scrub(text)
    assert result.found >= len(CASES)
    dumped = repr(result) + repr(result.counts) + str(result)
    for value in values:
        assert value not in dumped
    pseudo = PiiScrubber(mode="pseudonym", key=b"k").scrub(text)
    for value in values:
        assert value not in repr(pseudo)


def test_pseudonyms_are_consistent_across_instances_and_differ_across_keys():
    text = ("Mail jane.doe@example.org or JANE.DOE@example.org, call (212) 555-0142 or 212-555-0142; "
            "server 198.51.100.23, then 2001:db8::8a2e:370:7334, card 4111 1111 1111 1111.")
    one = PiiScrubber(mode="pseudonym", key="corpus-key").scrub(text)
    two = PiiScrubber(mode="pseudonym", key=b"corpus-key").scrub(text)
    other = PiiScrubber(mode="pseudonym", key="another-key").scrub(text)
    assert one.text == two.text
    assert one.text != other.text
    assert one.counts == other.counts == {"CREDIT_CARD": 1, "EMAIL_ADDRESS": 2, "IP_ADDRESS": 2, "PHONE_NUMBER": 2}
    emails = re.findall(r"user_[0-9a-f]{10}@example\.com", one.text)
    assert len(emails) == 2 and emails[0] == emails[1]  # case does not make another person
    phones = re.findall(r"<PHONE_[0-9a-f]{8}>", one.text)
    assert len(phones) == 2 and phones[0] == phones[1]  # nor does formatting
    assert re.search(r"<CREDIT_CARD_[0-9a-f]{8}>", one.text)
    v4 = re.search(r"server (\S+),", one.text).group(1)
    v6 = re.search(r"then (\S+),", one.text).group(1)
    docs = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
    assert any(ipaddress.ip_address(v4) in net for net in docs)
    assert ipaddress.ip_address(v6) in ipaddress.ip_network("2001:db8::/32")


def test_a_token_in_a_url_is_replaced_with_what_overlaps_it(scrubber):
    # "ghp_...@github.com" is also an e-mail address to presidio: the union of both goes
    text = f"git clone https://{GITHUB}@github.com/acme/app.git"
    assert {s.entity for s in scrubber.find(text)} == {"API_TOKEN", "EMAIL_ADDRESS"}
    assert scrubber.scrub(text).text == "git clone https://<EMAIL>/acme/app.git"


def test_overlapping_findings_become_one_replacement():
    spans = [Span(10, 30, "EMAIL_ADDRESS", 1.0), Span(15, 30, "URL", 0.5), Span(28, 40, "PHONE_NUMBER", 0.4),
             Span(50, 55, "US_SSN", 0.5), Span(50, 60, "PHONE_NUMBER", 0.5)]
    assert PiiScrubber.resolve(spans) == [Span(10, 40, "EMAIL_ADDRESS", 1.0), Span(50, 60, "PHONE_NUMBER", 0.5)]


def test_configuration_errors_say_what_to_do():
    with pytest.raises(ValueError, match="en_core_web_sm") as err:
        PiiScrubber(entities=["EMAIL_ADDRESS", "PERSON"])
    assert "spacy download" in str(err.value) and "ner_model" in str(err.value)
    with pytest.raises(ValueError, match="LOCATION"):
        PiiScrubber(entities=["LOCATION"])
    with pytest.raises(ValueError, match="unknown entities"):
        PiiScrubber(entities=["EMAIL", "SHOE_SIZE"])
    with pytest.raises(ValueError, match="needs a key"):
        PiiScrubber(mode="pseudonym")
    with pytest.raises(ValueError, match="mode"):
        PiiScrubber(mode="redact")
    with pytest.raises(ValueError, match="phone_regions"):
        PiiScrubber(phone_regions=("XX",))


def test_a_missing_ner_model_is_refused_without_a_download(monkeypatch):
    import spacy.cli

    def no_download(*args, **kwargs):
        raise AssertionError("tried to download a spaCy model")

    monkeypatch.setattr(spacy.cli, "download", no_download)
    scrubber = PiiScrubber(entities=["PERSON"], ner_model="en_core_web_nonexistent")
    with pytest.raises(ValueError, match="neither an installed package nor a path"):
        scrubber.scrub("Jane Doe wrote this.")


def test_a_ner_model_given_as_a_path_scans_whole_documents(tmp_path):
    import spacy

    nlp = spacy.blank("en")  # an untrained NER: exercises the path, its names mean nothing
    ner = nlp.add_pipe("ner")
    for label in ("PERSON", "GPE", "LOC"):
        ner.add_label(label)
    nlp.initialize()
    nlp.to_disk(tmp_path / "ner")
    scrubber = PiiScrubber(entities=["EMAIL_ADDRESS", "PERSON", "LOCATION"], ner_model=str(tmp_path / "ner"))
    assert scrubber.full_scan
    text = "Jane Doe lives in Leeds and writes to jane@example.org every day."
    result = scrubber.scrub(text)
    assert "<EMAIL>" in result.text and "jane@example.org" not in result.text
    assert result.analyzed_chars == len(text)


def test_extra_presidio_entities_by_configuration():
    scrubber = PiiScrubber(entities=["EMAIL_ADDRESS", "MAC_ADDRESS"])
    assert scrubber.full_scan  # no prefilter rule for MAC addresses: documents are read whole
    result = scrubber.scrub("The device 00:1A:2B:3C:4D:5E mailed ops@example.com.")
    assert result.counts == {"EMAIL_ADDRESS": 1, "MAC_ADDRESS": 1}


def test_no_network_while_building_and_scrubbing(monkeypatch):
    import spacy.cli
    import tldextract
    import tldextract.tldextract as tld_module

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[1:2] or args[:1])
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(spacy.cli, "download", refuse)
    # start from tldextract's own default extractor, which fetches the suffix list when used
    monkeypatch.setattr(tld_module, "TLD_EXTRACTOR", tldextract.TLDExtract())
    monkeypatch.setattr(pii_module, "_OFFLINE_DONE", False)
    scrubber = PiiScrubber()
    text = "Write to jane.doe@mail.example.co.uk or ops@example.com, or call +44 20 7946 0018."
    result = scrubber.scrub(text)
    assert result.text == "Write to <EMAIL> or <EMAIL>, or call <PHONE>."
    assert scrubber.plain_find(text)  # building the full presidio engine is offline too
    assert attempts == []


def test_a_long_document_with_pii_near_the_end(scrubber):
    filler = "The committee met again on Tuesday and discussed the budget for the coming year. "
    text = filler * 13_000 + "Contact the treasurer at treasurer@example.org or 198.51.100.7. " + filler * 10
    assert len(text) > 1_000_000
    result = scrubber.scrub(text)
    assert result.counts == {"EMAIL_ADDRESS": 1, "IP_ADDRESS": 1}
    assert "treasurer@example.org" not in result.text and "<EMAIL> or <IP>." in result.text
    assert result.analyzed_chars < 2_000  # presidio read one window, not the megabyte


def test_a_window_longer_than_spacy_max_length_is_split(scrubber):
    # tokens with digits are never "plain words", so there is no safe cut: one window of 1.1
    # million characters, analysed in fixed pieces with overlap (spaCy would refuse it whole)
    filler = "q7 " * 370_000
    emails = [f"writer{i}@example.org" for i in range(5)]
    text = emails[0] + " " + filler[:400_000] + emails[1] + " " + emails[2] + " " + filler[400_000:] \
        + emails[3] + " " + filler[:99_990] + emails[4]
    assert scrubber.windows(text) == [(0, len(text))] and len(text) > 1_000_000
    result = scrubber.scrub(text)
    assert result.counts == {"EMAIL_ADDRESS": 5}
    assert result.analyzed_chars >= len(text)
    assert not any(e in result.text for e in emails)


def test_dense_pii_in_small_chunks_keeps_every_finding():
    small = PiiScrubber(max_chunk_chars=1_000)
    text = "".join(f"a{i}@example.com 192.0.2.{i % 250 + 1} +44 20 7946 0{i % 1000:03d}, " for i in range(300))
    spans = small.find(text)
    assert {s[:3] for s in spans} == {s[:3] for s in small.plain_find(text)}
    assert [sum(s.entity == e for s in spans) for e in ("EMAIL_ADDRESS", "IP_ADDRESS", "PHONE_NUMBER")] == [300] * 3


def test_chunk_splits_at_safe_cuts_keep_every_finding():
    small = PiiScrubber(max_chunk_chars=2_000)
    words = "and the report says that the weather was fine "
    text = "".join(f"{words}mail u{i}@example.org or call (212) 555-01{i % 100:02d} " for i in range(150))
    assert {s[:3] for s in small.find(text)} == {s[:3] for s in small.plain_find(text)}
    assert len(small.find(text)) == 300


def test_time_limit_reports_the_document_instead_of_passing_it_through():
    text = " ".join(f"user{i}@example.org" for i in range(2_000))
    result = PiiScrubber(time_limit_s=1e-9).scrub(text)
    assert result == ScrubResult(text=None, counts={}, timed_out=True, analyzed_chars=0)
    assert result.outcome == "timed_out"
    ok = PiiScrubber(time_limit_s=30).scrub(text)
    assert not ok.timed_out and ok.counts == {"EMAIL_ADDRESS": 2_000}


def test_a_document_without_triggers_never_reaches_presidio(scrubber):
    text = "A quiet page about gardening in 2024: roses, tulips and 12 kinds of fern. " * 40
    assert scrubber.windows(text) == []
    result = scrubber.scrub(text)
    assert result.text == text and result.outcome == "clean" and result.analyzed_chars == 0


def test_pickling_carries_the_configuration_not_the_engine(scrubber):
    text = "Mail jane@example.org or call (212) 555-0142."
    scrubber.scrub(text)
    data = pickle.dumps(scrubber)
    assert len(data) < 5_000
    clone = pickle.loads(data)
    assert clone._analyzer is None
    assert clone.scrub(text) == scrubber.scrub(text)
    assert [r.text for r in clone.scrub_batch([text, "nothing here"])] == [
        "Mail <EMAIL> or call <PHONE>.", "nothing here"]


def test_presidio_log_records_lose_their_arguments(caplog):
    PiiScrubber()  # installs the filter
    with caplog.at_level(logging.WARNING, logger="presidio-analyzer"):
        logging.getLogger("presidio-analyzer").error("Failed to validate text %s", "GB29NWBK60161331926819")
    assert "GB29NWBK60161331926819" not in caplog.text
    assert "Failed to validate text" in caplog.text
