"""Tests for the MediaWiki export reader and the wikitext renderer."""
from __future__ import annotations

import bz2
import io
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

import pickle

from pipeline.readers.base import Failure, Pending, Record, Skip, decode_pending, encode_pending, resolved
from pipeline.readers.wikipedia import WikiPage, read_mediawiki, wikitext_to_text

EXPORT_NS = "http://www.mediawiki.org/xml/export-0.11/"

SITEINFO = """  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>enwiki</dbname>
    <base>https://en.wikipedia.org/wiki/Main_Page</base>
    <generator>MediaWiki 1.41.0-wmf.1</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="-2" case="first-letter">Media</namespace>
      <namespace key="-1" case="first-letter">Special</namespace>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Talk</namespace>
      <namespace key="6" case="first-letter">File</namespace>
      <namespace key="10" case="first-letter">Template</namespace>
      <namespace key="14" case="first-letter">Category</namespace>
    </namespaces>
  </siteinfo>
"""

ARTICLE = """{{Short description|Capital city of France}}
{{Infobox settlement
| name       = Paris
| population = 2,102,650
| leader     = [[Anne Hidalgo]]
}}
'''Paris''' is the [[Capital city|capital]] and largest city of [[France]].<ref name="insee">{{cite web |url=https://www.insee.fr/ |title=Populations légales}}</ref> It lies on the [[Seine]].<ref name="insee" />

== History ==
[[File:Lutetia.jpg|thumb|Map of [[Lutetia]]]]
The [[Parisii (Gaul)|Parisii]] lived here from the 3rd century BC.<!-- hidden note -->

{| class="wikitable"
! Year !! Population
|-
| 1801 || 548,190
|}

=== Landmarks ===
* The [[Eiffel Tower]]
* The [[Louvre|Louvre Museum]]

== References ==
{{Reflist}}

[[Category:Capitals in Europe]]
[[Category:Paris| ]]
[[de:Paris]]
[[fr:Paris]]
"""

ARTICLE_TEXT = (
    "Paris is the capital and largest city of France. It lies on the Seine.\n\n"
    "History\n\n"
    "The Parisii lived here from the 3rd century BC.\n\n"
    "Landmarks\n\n"
    "The Eiffel Tower\n"
    "The Louvre Museum"
)


def page_xml(
    title: str,
    page_id: int,
    text: str,
    *,
    ns: int = 0,
    redirect: str | None = None,
    revision_id: int | None = None,
    timestamp: str = "2024-01-02T03:04:05Z",
) -> str:
    """One <page> element as MediaWiki's export writes it."""
    redirect_xml = f'    <redirect title="{escape(redirect)}" />\n' if redirect else ""
    rev = revision_id if revision_id is not None else page_id * 10
    return (
        "  <page>\n"
        f"    <title>{escape(title)}</title>\n"
        f"    <ns>{ns}</ns>\n"
        f"    <id>{page_id}</id>\n"
        f"{redirect_xml}"
        "    <revision>\n"
        f"      <id>{rev}</id>\n"
        f"      <parentid>{rev - 1}</parentid>\n"
        f"      <timestamp>{timestamp}</timestamp>\n"
        "      <contributor><username>Editor</username><id>42</id></contributor>\n"
        "      <model>wikitext</model>\n"
        "      <format>text/x-wiki</format>\n"
        f'      <text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>\n'
        "      <sha1>0123456789abcdefghijklmnopqrstu</sha1>\n"
        "    </revision>\n"
        "  </page>\n"
    )


def export_xml(pages: list[str], *, closed: bool = True) -> str:
    head = (
        f'<mediawiki xmlns="{EXPORT_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{EXPORT_NS} http://www.mediawiki.org/xml/export-0.11.xsd" '
        'version="0.11" xml:lang="en">\n'
    )
    return head + SITEINFO + "".join(pages) + ("</mediawiki>\n" if closed else "")


def standard_pages() -> list[str]:
    return [
        page_xml("Paris", 22989, ARTICLE, revision_id=1187654321),
        page_xml("Talk:Paris", 22990, "Discussion about [[Paris]].", ns=1),
        page_xml("Template:Infobox settlement", 22991, "{{{name}}} infobox code", ns=10),
        page_xml("Paname", 22992, "#REDIRECT [[Paris]]", redirect="Paris"),
        page_xml("Lutece", 22993, "#redirect [[Paris#History]]"),
        page_xml(
            "Mercury",
            22994,
            "'''Mercury''' may refer to:\n* [[Mercury (planet)]]\n* [[Mercury (element)]]\n\n{{Disambiguation|surname}}",
        ),
        page_xml("Seine (disambiguation)", 22995, "'''Seine''' may mean:\n* [[Seine]]"),
        page_xml("Empty stub", 22996, "{{Stub}}\n[[Category:Stubs]]"),
        page_xml("Louvre", 22997, "The '''Louvre''' is a [[museum]] in [[Paris]]."),
    ]


@pytest.fixture
def dump_bz2(tmp_path: Path) -> Path:
    path = tmp_path / "enwiki-20240101-pages-articles.xml.bz2"
    with bz2.open(path, "wt", encoding="utf-8") as out:
        out.write(export_xml(standard_pages()))
    return path


def read_dump(path: Path, **kwargs) -> list:
    with bz2.open(path, "rb") as stream:
        return list(read_mediawiki(stream, str(path), **kwargs))


def test_every_page_yields_exactly_one_event(dump_bz2: Path) -> None:
    events = read_dump(dump_bz2)
    uri = str(dump_bz2)
    assert [type(e) for e in events] == [Record, Skip, Skip, Skip, Skip, Skip, Skip, Skip, Record]
    assert events[1:8] == [
        Skip(reason="namespace", location=f"{uri}#page 22990"),
        Skip(reason="namespace", location=f"{uri}#page 22991"),
        Skip(reason="redirect", location=f"{uri}#page 22992"),
        Skip(reason="redirect", location=f"{uri}#page 22993"),
        Skip(reason="disambiguation", location=f"{uri}#page 22994"),
        Skip(reason="disambiguation", location=f"{uri}#page 22995"),
        Skip(reason="empty_text", location=f"{uri}#page 22996"),
    ]


def test_deferred_pages_resolve_to_the_same_events(dump_bz2: Path) -> None:
    """With defer, pages to render come out pending; resolved anywhere, they are the same events."""
    deferred = read_dump(dump_bz2, defer=True)
    assert len(deferred) == 9
    pending = [e for e in deferred if isinstance(e, Pending)]
    # the cheap decisions (namespace, redirect) are made while reading; rendering is deferred
    assert [type(e) for e in deferred[1:5]] == [Skip] * 4
    assert all(isinstance(e, WikiPage) for e in pending) and len(pending) == 5
    shipped = [pickle.loads(pickle.dumps(e)) for e in deferred]  # as a shuffle carries them to a worker
    assert list(resolved(shipped)) == read_dump(dump_bz2)
    # as the pipeline's spill files carry them (JSON, never pickle): the same pages, the same events
    spilled = [decode_pending(encode_pending("wiki", e)) if isinstance(e, Pending) else ("wiki", e) for e in deferred]
    assert [e for _, e in spilled] == deferred and {name for name, _ in spilled} == {"wiki"}
    assert list(resolved(e for _, e in spilled)) == read_dump(dump_bz2)
    odd = WikiPage(location="x#page 1", title="T \ud800", wikitext="a\n\"b\" \u00e9", fields=(("page_id", "1"),),
                   skip_disambiguation=False)
    assert decode_pending(encode_pending("w", odd)) == ("w", odd)  # a lone surrogate, quotes, newlines


def test_article_record_text_and_fields(dump_bz2: Path) -> None:
    paris = read_dump(dump_bz2)[0]
    assert paris == Record(
        text=ARTICLE_TEXT,
        locator="22989",
        fields={
            "title": "Paris",
            "page_id": "22989",
            "revision_id": "1187654321",
            "timestamp": "2024-01-02T03:04:05Z",
        },
    )
    for gone in ("Infobox", "Hidalgo", "insee", "cite", "548,190", "Lutetia", "Category",
                 "Capitals in Europe", "de:", "hidden note", "References", "Reflist", "{", "[", "'''"):
        assert gone not in paris.text


def test_namespace_and_disambiguation_options(dump_bz2: Path) -> None:
    events = read_dump(dump_bz2, namespaces=(0, 1), skip_disambiguation=False)
    by_id = {getattr(e, "locator", None): e for e in events if isinstance(e, Record)}
    assert by_id["22990"].text == "Discussion about Paris."
    assert by_id["22994"].text == "Mercury may refer to:\nMercury (planet)\nMercury (element)"
    assert by_id["22995"].text == "Seine may mean:\nSeine"
    assert sum(isinstance(e, Skip) and e.reason == "namespace" for e in events) == 1


def test_other_export_schema_versions_are_read(tmp_path: Path) -> None:
    xml = export_xml([page_xml("Louvre", 7, "The '''Louvre''' is a museum.")])
    xml = xml.replace("export-0.11", "export-0.10").replace('version="0.11"', 'version="0.10"')
    events = list(read_mediawiki(io.BytesIO(xml.encode()), "old.xml"))
    assert events == [
        Record(
            text="The Louvre is a museum.",
            locator="7",
            fields={"title": "Louvre", "page_id": "7", "revision_id": "70", "timestamp": "2024-01-02T03:04:05Z"},
        )
    ]
    no_namespace = xml.replace(f' xmlns="{EXPORT_NS.replace("0.11", "0.10")}"', "")
    assert list(read_mediawiki(io.BytesIO(no_namespace.encode()), "old.xml")) == events


def test_malformed_xml_fails_with_line_and_column_after_earlier_pages(tmp_path: Path) -> None:
    good = [page_xml("Louvre", 1, "The Louvre is a museum."), page_xml("Seine", 2, "The Seine is a river.")]
    broken = "  <page>\n    <title>Broken</title>\n    <ns>0</ns>\n    <id>3</id>\n    <revision><text>oops</revison>\n"
    xml = export_xml(good, closed=False) + broken + page_xml("Never", 4, "Not reached.")
    path = tmp_path / "broken.xml.bz2"
    path.write_bytes(bz2.compress(xml.encode()))
    events = read_dump(path)
    assert [e.locator for e in events[:2]] == ["1", "2"]
    assert len(events) == 3
    failure = events[2]
    assert isinstance(failure, Failure)
    bad_line = xml.splitlines().index("    <revision><text>oops</revison>") + 1
    assert failure.location.startswith(f"{path}:line {bad_line} col ")
    assert "XMLSyntaxError" in failure.error


def test_truncated_dump_fails_after_earlier_pages(tmp_path: Path) -> None:
    xml = export_xml([page_xml("Louvre", 1, "The Louvre is a museum."), page_xml("Seine", 2, "A river.")])
    cut = xml[: xml.index("<title>Seine")]
    events = list(read_mediawiki(io.BytesIO(cut.encode()), "cut.xml"))
    assert [type(e) for e in events] == [Record, Failure]
    assert events[0].text == "The Louvre is a museum."
    assert events[1].location.startswith("cut.xml:line ")


def test_truncated_bz2_stream_is_a_failure(tmp_path: Path) -> None:
    data = bz2.compress(export_xml(standard_pages()).encode())
    path = tmp_path / "cut.xml.bz2"
    path.write_bytes(data[: len(data) // 2])
    events = read_dump(path)
    assert events and isinstance(events[-1], Failure)
    assert all(not isinstance(e, Failure) for e in events[:-1])


def test_page_whose_conversion_fails_is_a_failure_and_reading_goes_on(monkeypatch) -> None:
    import pipeline.readers.wikipedia as wikipedia

    real_render = wikipedia._render

    def render(wikicode):
        if "EXPLODE" in str(wikicode):
            raise RecursionError("maximum recursion depth exceeded")
        return real_render(wikicode)

    monkeypatch.setattr(wikipedia, "_render", render)
    xml = export_xml([page_xml("A", 1, "EXPLODE"), page_xml("B", 2, "Fine text.")])
    events = list(read_mediawiki(io.BytesIO(xml.encode()), "x.xml"))
    assert events[0] == Failure(location="x.xml#page 1", error="RecursionError: maximum recursion depth exceeded")
    assert events[1].text == "Fine text."


def test_page_with_another_content_model_is_skipped() -> None:
    page = page_xml("Q42", 138, '{"type":"item","id":"Q42"}').replace(
        "<model>wikitext</model>", "<model>wikibase-item</model>"
    )
    assert list(read_mediawiki(io.BytesIO(export_xml([page]).encode()), "x.xml")) == [
        Skip(reason="not_wikitext", location="x.xml#page 138")
    ]


def test_page_without_id_is_a_failure() -> None:
    xml = export_xml([page_xml("A", 1, "Text.").replace("    <id>1</id>\n", "", 1)])
    events = list(read_mediawiki(io.BytesIO(xml.encode()), "x.xml"))
    assert events == [Failure(location="x.xml#title A", error="page has no <id>")]


@pytest.mark.parametrize(
    "template",
    [
        "{{disambiguation}}", "{{Disambig}}", "{{DAB}}", "{{disamb}}", "{{Dbig}}", "{{hndis|Smith, John}}",
        "{{Geodis}}", "{{numberdis}}", "{{Letter-number combination disambiguation}}",
        "{{Disambiguation|geo|surname}}", "{{Human name disambiguation}}", "{{ disambiguation\n}}",
        "__DISAMBIG__",
    ],
)
def test_disambiguation_templates(template: str) -> None:
    xml = export_xml([page_xml("X", 1, f"'''X''' may refer to:\n* [[X (band)]]\n{template}")])
    assert list(read_mediawiki(io.BytesIO(xml.encode()), "x.xml")) == [
        Skip(reason="disambiguation", location="x.xml#page 1")
    ]


def test_disambiguation_needed_is_not_a_disambiguation_page() -> None:
    xml = export_xml([page_xml("X", 1, "X is in [[Georgia]].{{Disambiguation needed|date=May 2020}}")])
    [event] = read_mediawiki(io.BytesIO(xml.encode()), "x.xml")
    assert event.text == "X is in Georgia."


def test_large_generated_dump_streams_quickly() -> None:
    """20k pages go through as a stream; the generator is consumed without building a list."""

    def generate():
        yield export_xml([], closed=False).encode()
        for i in range(1, 20_001):
            yield page_xml(f"Page {i}", i, f"'''Page {i}''' is about [[topic {i % 97}]].{{{{stub}}}}").encode()
        yield b"</mediawiki>\n"

    class Chunks(io.RawIOBase):
        def __init__(self) -> None:
            self._chunks = generate()
            self._buffer = b""

        def readable(self) -> bool:
            return True

        def readinto(self, target) -> int:
            while len(self._buffer) < len(target):
                chunk = next(self._chunks, None)
                if chunk is None:
                    break
                self._buffer += chunk
            n = min(len(target), len(self._buffer))
            target[:n] = self._buffer[:n]
            self._buffer = self._buffer[n:]
            return n

    started = time.perf_counter()
    count = 0
    last = None
    for event in read_mediawiki(io.BufferedReader(Chunks()), "big.xml"):
        assert isinstance(event, Record)
        count += 1
        last = event
    assert count == 20_000
    assert last.text == "Page 20000 is about topic 18."
    assert time.perf_counter() - started < 60


# --- wikitext_to_text ------------------------------------------------------------------------


def test_article_conversion() -> None:
    assert wikitext_to_text(ARTICLE) == ARTICLE_TEXT


@pytest.mark.parametrize(
    ("wikitext", "expected"),
    [
        ("A [[link]] and [[target|shown text]] and [[apple]]s.", "A link and shown text and apples."),
        ("See [[Paris (band)|]].", "See Paris."),
        ("[[:Category:Cities]] are listed.", "Category:Cities are listed."),
        ("X[[Category:Cities]][[Kategorie:Städte]][[Catégorie:Villes]][[Категория:Города]]", "X"),
        ("Y [[Image:a.png|thumb|cap]][[Datei:b.png]][[Fichier:c.png|alt]][[Файл:d.png]][[Media:e.ogg]]", "Y"),
        ("Z\n[[de:Z]]\n[[zh-min-nan:Z]]\n[[simple:Z]]", "Z"),
        ("The [https://example.org official site] and [https://example.org/x].", "The official site and."),
        ("'''Bold''' and ''italic'' and '''''both'''''.", "Bold and italic and both."),
        ("One<br>two<br />three", "One\ntwo\nthree"),
        ("__NOTOC__\nText __TOC__ here.", "Text here."),
        ("Energy <math>E=mc^2</math> is conserved.", "Energy is conserved."),
        ("Pic<gallery>\nFile:a.jpg|A\n</gallery> and <score>{ c' }</score> end.", "Pic and end."),
        ("Code <syntaxhighlight lang=python>x = 1</syntaxhighlight> here.", "Code here."),
        ("Said<ref>Source, p. 3</ref> so<ref name=a/>.", "Said so."),
        ("a   b\t\tc", "a b c"),
        ("Para one\ncontinues.\n\n\n\nPara two.", "Para one continues.\n\nPara two."),
        ("* one\n** two\n# three\n: four", "one\ntwo\nthree\nfour"),
        ("; Term : Definition", "Term\nDefinition"),
        ("Paris ({{IPA-fr|paʁi}}) is big.", "Paris is big."),
        ("It is {{convert|105|km2|sqmi}} wide, {{nowrap|very wide}}.", "It is 105 km2 wide, very wide."),
        ("&lt;b&gt; &amp; &eacute;", "<b> & é"),
        ("10{{nbsp}}km{{snd}}far", "10 km – far"),
        ("Note : voir {{lang|en|this}} ; ici .", "Note : voir this ; ici."),
        ("== Heading ==\nText.", "Heading\n\nText."),
        ("Intro.\n== Empty ==\n{{Reflist}}\n== Full ==\nBody.", "Intro.\n\nFull\n\nBody."),
        ("{{Infobox person\n| name = A\n| birth = {{birth date|1900|1|1}}\n}}\nA was born.", "A was born."),
        ("{| class=\"wikitable\"\n|-\n| a || b\n|}\nAfter.", "After."),
        ("<!-- a\nmulti-line comment -->Visible.", "Visible."),
        ("", ""),
    ],
)
def test_wikitext_to_text(wikitext: str, expected: str) -> None:
    assert wikitext_to_text(wikitext) == expected


# --- multistream dumps read in parts ---------------------------------------------------------


def multistream(pages: list[str], per_stream: int, *, cut_mid_page: bool = False) -> bytes:
    """A multistream dump as Wikimedia writes it: the header, then `per_stream` pages per bz2
    stream, then the closing tag; `cut_mid_page` cuts streams anywhere instead, as pbzip2 does."""
    xml = export_xml(pages)
    if cut_mid_page:
        size = max(1, len(xml) // 5)
        chunks = [xml[i:i + size] for i in range(0, len(xml), size)]
    else:
        head_end = xml.index("  <page>")
        body_end = xml.rindex("</mediawiki>")
        chunks = [xml[:head_end]] + ["".join(pages[i:i + per_stream]) for i in range(0, len(pages), per_stream)]
        chunks.append(xml[body_end:])
    return b"".join(bz2.compress(c.encode("utf-8")) for c in chunks)


def many_pages(n: int) -> list[str]:
    return [page_xml(f"Town {i}", 1000 + i, f"'''Town {i}''' is a town on the [[river]] number {i}.\n\n" * 3,
                     ns=1 if i % 7 == 0 else 0, redirect="Town 1" if i % 11 == 0 else None) for i in range(n)]


def _signature(events: list) -> list[tuple]:
    return [(type(e).__name__, getattr(e, "location", None), getattr(e, "reason", None)) for e in events]


def test_multistream_parts_cut_anywhere_read_every_page_once() -> None:
    from pipeline.readers.wikipedia import read_multistream_part

    data = multistream(many_pages(60), per_stream=7)
    whole = _signature(list(read_mediawiki(io.BytesIO(bz2.decompress(data)), "d.xml.bz2", defer=True)))
    assert len(whole) == 60
    for cut in range(1, len(data), 97):
        got = [*read_multistream_part(io.BytesIO(data), "d.xml.bz2", 0, cut, defer=True),
               *read_multistream_part(io.BytesIO(data), "d.xml.bz2", cut, None, defer=True)]
        assert _signature(got) == whole, cut
    thirds = [0, len(data) // 3, 2 * len(data) // 3, None]
    got = [e for a, b in zip(thirds, thirds[1:]) for e in read_multistream_part(io.BytesIO(data), "d.xml.bz2", a, b)]
    assert [e.text for e in got if isinstance(e, Record)] == [
        e.text for e in read_mediawiki(io.BytesIO(bz2.decompress(data)), "d.xml.bz2") if isinstance(e, Record)]


def test_only_streams_that_start_with_a_page_are_places_to_start() -> None:
    from pipeline.readers.wikipedia import page_stream_at_or_after

    pages = many_pages(30)
    assert page_stream_at_or_after(io.BytesIO(multistream(pages, per_stream=10)), 1) is not None
    assert page_stream_at_or_after(io.BytesIO(multistream(pages, per_stream=10, cut_mid_page=True)), 1) is None
    assert page_stream_at_or_after(io.BytesIO(bz2.compress(export_xml(pages).encode())), 1) is None


def test_malformed_xml_in_a_part_names_the_part() -> None:
    from pipeline.readers.wikipedia import read_multistream_part

    pages = many_pages(20)
    pages[15] = pages[15].replace("</title>", "</titel>")
    data = multistream(pages, per_stream=5)
    half = len(data) // 2
    second = list(read_multistream_part(io.BytesIO(data), "d.xml.bz2", half, None, defer=True))
    assert isinstance(second[-1], Failure) and second[-1].location.startswith("d.xml.bz2@")
    assert int(second[-1].location.split("@")[1].split(":")[0]) >= half
    first = list(read_multistream_part(io.BytesIO(data), "d.xml.bz2", 0, half, defer=True))
    assert not any(isinstance(e, Failure) for e in first) and len(first) + len(second) == 16  # 15 pages, 1 failure
