"""A MediaWiki "pages-articles" dump of a fictional English wiki (export format 0.11, bz2).

The dump is multistream, as Wikimedia publishes `pages-articles-multistream`: the header
(`<mediawiki>`, `<siteinfo>`) is one bz2 stream, then every PAGES_PER_STREAM pages are one
more, so a reader can start at any stream (Quarry's workers share one dump that way).

Articles about invented towns, rivers, people and companies carry the markup a wikitext
cleaner has to cope with: infobox and cite templates, named and reused `<ref>`s, headings,
bullet lists, a wikitable, File links with captions, categories, interlanguage links and
piped internal links. Beside them sit the pages a reader must recognise and skip: talk pages,
templates, categories, user/project/file pages, redirects (`#REDIRECT` plus `<redirect/>`) and
disambiguation pages. Ids and revision ids strictly increase; timestamps are derived from the
seed, never from the clock.
"""
from __future__ import annotations

import bz2
import hashlib
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from .lexicon import (WIKI_COMPANY_KINDS, WIKI_COUNTRIES, WIKI_FIRST, WIKI_INDUSTRIES,
                      WIKI_LANDMARKS, WIKI_LAST, WIKI_NAME_PREFIXES, WIKI_NAME_SUFFIXES,
                      WIKI_OCCUPATIONS, WIKI_REGIONS)

DUMP_NAME = "demowiki-20260101-pages-articles.xml.bz2"
EXPORT_NS = "http://www.mediawiki.org/xml/export-0.11/"
MIN_DISAMBIGUATION = 3  # even the smallest dump has disambiguation pages to skip
MIN_ARTICLES = 40
PAGES_PER_STREAM = 100  # as in Wikimedia's multistream dumps
_BASE_TIME = datetime(2025, 1, 1, tzinfo=timezone.utc)

NAMESPACES: tuple[tuple[int, str], ...] = (
    (-2, "Media"), (-1, "Special"), (0, ""), (1, "Talk"), (2, "User"), (3, "User talk"),
    (4, "DemoWiki"), (5, "DemoWiki talk"), (6, "File"), (7, "File talk"), (8, "MediaWiki"),
    (9, "MediaWiki talk"), (10, "Template"), (11, "Template talk"), (12, "Help"),
    (13, "Help talk"), (14, "Category"), (15, "Category talk"), (100, "Portal"),
    (101, "Portal talk"), (828, "Module"), (829, "Module talk"))

USERS: tuple[tuple[str, int], ...] = (
    ("Marlowe84", 1021), ("Fenwick", 2230), ("Greywater Gazetteer", 3391), ("TalliesBot", 4410),
    ("Penhaligon", 5127), ("Cartographer of Corrin", 6203), ("RiverRat", 7319), ("Ashdown.j", 8042),
    ("Lindqvist", 9155), ("Quayle Archive", 10288))

COUNTRY_ADJ = {"Arvenia": "Arvenian", "Caldria": "Caldrian", "Ostland": "Ostlandic",
               "Meridia": "Meridian", "Valdoran": "Valdoranian"}
SETTLEMENT_TYPES = ("market town", "village", "small city", "port town", "spa town", "town")
DIRECTIONS = ("north", "south", "east", "west", "north-east", "south-west", "north-west", "south-east")
CENTURIES = ("12th", "13th", "14th", "15th", "16th", "17th", "18th", "19th")
LANDSCAPES = ("gently rolling farmland", "upland pasture", "heath and pine forest",
              "marshland drained in the 18th century", "limestone hills", "mixed woodland")
CLIMATES = (("temperate oceanic", "cool, wet"), ("humid continental", "cold"),
            ("mild maritime", "damp"), ("subalpine", "snowy"))
MEANINGS = ("ford by the alders", "farm of the elder", "hill of the ravens", "salt spring",
            "enclosure by the marsh", "bend in the river", "meadow of the oaks", "stone crossing")
WARS = ("Succession War", "Great War", "Northern War", "Seven Years' Conflict")
SUBJECTS = ("engineering", "botany", "law", "medicine", "architecture", "music", "mathematics",
            "natural philosophy")
SOCIETIES = ("Royal Academy of Arvenia", "Caldrian Society of Engineers", "Ostland Geographical Society",
             "Meridian Academy of Sciences", "Valdoran Institute of Arts")
WORK_NOUNS = ("Studies", "Sketches", "Letters", "Survey", "Variations", "Notes", "Observations", "Views")
WORK_TOPICS = ("the Greywater Basin", "a Northern Harbour", "the Salt Coast", "Winter Light",
               "the Iron Hills", "Old Bridges", "Kestrel Bay", "the Fells", "Market Towns")
PRODUCTS = ("steam engines", "railway carriages", "bottled ale", "fine porcelain", "printing presses",
            "optical instruments", "woollen cloth", "agricultural machinery", "pocket watches",
            "marine chronometers")
OCCUPATION_ARTICLES = {"painter": "Painting", "engineer": "Engineering", "politician": "Politics",
                       "composer": "Musical composition", "architect": "Architecture", "botanist": "Botany",
                       "novelist": "Novel", "physician": "Medicine", "cartographer": "Cartography",
                       "astronomer": "Astronomy", "sculptor": "Sculpture", "industrialist": "Industry"}
QUALITIES = ("clarity", "originality", "technical precision", "restraint", "boldness", "careful observation")
STYLES = ("plain", "ornate", "rustic", "classical")


def sha1_base36(text: str) -> str:
    """MediaWiki's revision sha1: SHA-1 of the UTF-8 text in base 36, zero-padded to 31."""
    n = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(31, "0")


def _fmt_int(n: int) -> str:
    return f"{n:,}"


def _an(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


class WikiBuilder:
    """Streams pages into the bz2-compressed XML dump and records what was written."""

    def __init__(self, out_dir: Path, seed: int) -> None:
        self.out_dir = out_dir
        self.seed = seed
        self.rng = random.Random(f"{seed}:wiki")
        self.page_id = 0
        self.rev_id = 100000
        self.clock = 0
        self.titles: set[str] = set()          # membership only, never iterated
        self.places: list[str] = []
        self.people: list[str] = []
        self.rivers: list[str] = []
        self.companies: list[str] = []
        self.base_uses: dict[str, list[tuple[str, str]]] = {}
        self.counts: dict[str, int] = {}
        self.by_ns: dict[str, int] = {}
        self.examples: dict[str, list[Any]] = {"articles": [], "redirects": [], "disambiguation": []}
        self._fh: BinaryIO | None = None
        self._comp: bz2.BZ2Compressor | None = None
        self._index: Any = None
        self.raw_bytes = 0
        self.compressed_bytes = 0
        self._raw_at_output = 0
        self.pages_written = 0
        self._stream_start = 0  # raw bytes written when the current bz2 stream began

    # -- low-level output -----------------------------------------------------------------

    def _write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.raw_bytes += len(data)
        assert self._comp is not None and self._fh is not None
        out = self._comp.compress(data)
        if out:
            self._fh.write(out)
            self.compressed_bytes += len(out)
            self._raw_at_output = self.raw_bytes

    def _end_stream(self) -> None:
        """Close the current bz2 stream and start the next (see the module docstring)."""
        assert self._comp is not None and self._fh is not None
        if self.raw_bytes == self._stream_start:
            return  # nothing written since the last stream ended
        self._stream_start = self.raw_bytes
        tail = self._comp.flush()
        self._fh.write(tail)
        self.compressed_bytes += len(tail)
        self._raw_at_output = self.raw_bytes
        self._comp = bz2.BZ2Compressor(9)

    def estimated_size(self) -> float:
        """Compressed size so far, counting input bz2 still buffers at the ratio seen so far
        (bz2 emits output only when a 900 kB block is full)."""
        ratio = self._raw_at_output / self.compressed_bytes if self.compressed_bytes else 5.0
        return self.compressed_bytes + (self.raw_bytes - self._raw_at_output) / ratio

    def _timestamp(self) -> str:
        self.clock += self.rng.randint(60, 4000)
        when = _BASE_TIME + timedelta(seconds=self.clock % (360 * 86400))
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")

    def page(self, title: str, ns: int, text: str, kind: str, redirect: str | None = None,
             comment: str = "") -> None:
        """Write one <page> with a single latest revision; ids strictly increase."""
        rng = self.rng
        self.page_id += rng.randint(1, 3)
        parent = self.rev_id + rng.randint(1, 40)
        self.rev_id = parent + rng.randint(1, 40)
        user, uid = rng.choice(USERS)
        if rng.random() < 0.1:
            contributor = f"        <ip>198.51.100.{rng.randint(1, 254)}</ip>\n"
        else:
            contributor = f"        <username>{escape(user)}</username>\n        <id>{uid}</id>\n"
        minor = "      <minor />\n" if rng.random() < 0.2 else ""
        comment_xml = f"      <comment>{escape(comment)}</comment>\n" if comment else ""
        redirect_xml = f'    <redirect title={_quoteattr(redirect)} />\n' if redirect else ""
        sha = sha1_base36(text)
        self._write(
            "  <page>\n"
            f"    <title>{escape(title)}</title>\n"
            f"    <ns>{ns}</ns>\n"
            f"    <id>{self.page_id}</id>\n"
            f"{redirect_xml}"
            "    <revision>\n"
            f"      <id>{self.rev_id}</id>\n"
            f"      <parentid>{parent}</parentid>\n"
            f"      <timestamp>{self._timestamp()}</timestamp>\n"
            f"      <contributor>\n{contributor}      </contributor>\n"
            f"{minor}{comment_xml}"
            f"      <origin>{self.rev_id}</origin>\n"
            "      <model>wikitext</model>\n"
            "      <format>text/x-wiki</format>\n"
            f'      <text bytes="{len(text.encode("utf-8"))}" sha1="{sha}" xml:space="preserve">{escape(text)}</text>\n'
            f"      <sha1>{sha}</sha1>\n"
            "    </revision>\n"
            "  </page>\n")
        self.pages_written += 1
        if self.pages_written % PAGES_PER_STREAM == 0:
            self._end_stream()
        self.titles.add(title)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.by_ns[str(ns)] = self.by_ns.get(str(ns), 0) + 1
        expected = "keep" if kind == "article" else f"skip_{kind}"
        self._index.write(json.dumps({"id": self.page_id, "revision": self.rev_id, "title": title,
                                      "ns": ns, "kind": kind, "redirect": redirect,
                                      "expected": expected}, ensure_ascii=False) + "\n")

    # -- shared wikitext pieces -----------------------------------------------------------

    def _cite(self, subject: str) -> str:
        rng = self.rng
        kind = rng.randrange(3)
        year = rng.randint(1965, 2024)
        if kind == 0:
            slug = subject.lower().replace(" ", "-").replace(",", "")
            return (f"{{{{cite web |url=https://archive.example.org/{slug}/{rng.randint(100, 999)} "
                    f"|title={subject}: {rng.choice(('history and heritage', 'facts and figures', 'official profile', 'annual report'))} "
                    f"|publisher={rng.choice(WIKI_COUNTRIES)} Heritage Trust |access-date={rng.randint(1, 28)} "
                    f"{rng.choice(('January', 'March', 'June', 'September', 'November'))} {rng.randint(2019, 2025)}}}}}")
        if kind == 1:
            return (f"{{{{cite book |last={rng.choice(WIKI_LAST)} |first={rng.choice(WIKI_FIRST)} "
                    f"|title=A History of {rng.choice(WIKI_REGIONS).replace('the ', '').title()} "
                    f"|publisher={rng.choice(('Greywater Press', 'Corrin University Press', 'Salt Coast Books', 'Fellside Publishing'))} "
                    f"|year={year} |page={rng.randint(3, 480)} |isbn=978-0-{rng.randint(100000, 999999)}-{rng.randint(10, 99)}-{rng.randint(0, 9)}}}}}")
        return (f"{{{{cite news |title={subject} {rng.choice(('marks anniversary', 'in the spotlight', 'plans unveiled', 'honoured'))} "
                f"|newspaper=The {rng.choice(WIKI_REGIONS).replace('the ', '').title()} Courier |date={rng.randint(1, 28)} "
                f"{rng.choice(('April', 'May', 'July', 'October'))} {year}}}}}")

    def _ref(self, subject: str, named: list[str]) -> str:
        """A citation: a new named or anonymous <ref>, or a reuse of an earlier named one."""
        rng = self.rng
        r = rng.random()
        if named and r < 0.25:
            return f'<ref name="{rng.choice(named)}" />'
        if r < 0.5:
            name = f"{rng.choice(('census', 'history', 'survey', 'atlas', 'gazette'))}{len(named) + 1}"
            named.append(name)
            return f'<ref name="{name}">{self._cite(subject)}</ref>'
        return f"<ref>{self._cite(subject)}</ref>"

    def _link(self, pool: list[str], fallback: str) -> str:
        """An internal link to an existing article, sometimes piped, else a red link."""
        rng = self.rng
        if not pool or rng.random() < 0.15:
            return f"[[{fallback}]]"
        target = rng.choice(pool)
        short = target.split(",")[0].split(" (")[0]
        if short != target and rng.random() < 0.7:
            return f"[[{target}|{short}]]"
        return f"[[{target}]]"

    def _place_name(self) -> str:
        infix = self.rng.choice(("", "", "", "", "ing", "er", "s", "en", "ham", "ley"))
        return self.rng.choice(WIKI_NAME_PREFIXES) + infix + self.rng.choice(WIKI_NAME_SUFFIXES)

    def _person_name(self) -> tuple[str, bool]:
        i = self.rng.randrange(len(WIKI_FIRST))
        return f"{WIKI_FIRST[i]} {self.rng.choice(WIKI_LAST)}", i % 2 == 0

    def _claim(self, candidates: list[str]) -> str | None:
        for title in candidates:
            if title not in self.titles:
                return title
        return None

    def _tail(self, title: str, categories: list[str], rng: random.Random) -> str:
        langs = rng.sample(("de", "fr", "nl", "es", "it", "pl", "sv"), rng.randint(0, 4))
        return ("\n" + "\n".join(f"[[Category:{c}]]" for c in categories)
                + ("\n\n" + "\n".join(f"[[{code}:{title}]]" for code in sorted(langs)) if langs else "")
                + "\n")

    # -- article kinds --------------------------------------------------------------------

    def settlement(self) -> None:
        rng = self.rng
        name = self._place_name()
        region, country = rng.choice(WIKI_REGIONS), rng.choice(WIKI_COUNTRIES)
        region_plain = region.replace("the ", "")
        title = self._claim([name, f"{name}, {region_plain}", f"{name} ({country})"])
        if title is None:
            return
        kind = rng.choice(SETTLEMENT_TYPES)
        pop_year = rng.choice((2011, 2016, 2021))
        pop = rng.randint(400, 180000)
        founded = rng.randint(850, 1650)
        century = CENTURIES[min(len(CENTURIES) - 1, max(0, (founded - 1100) // 100))]
        river = self._link(self.rivers, f"River {self._place_name()}")
        other = self._link(self.places, self._place_name())
        person = self._link(self.people, self._person_name()[0])
        landmark = rng.choice(WIKI_LANDMARKS)
        industry = rng.choice(WIKI_INDUSTRIES)
        climate, winter = rng.choice(CLIMATES)
        named: list[str] = []
        ref = lambda: self._ref(name, named)  # noqa: E731
        history = [
            f"{name} was first recorded in {founded} as ''{name[:-2]}ingas'', a name usually explained as \"{rng.choice(MEANINGS)}\".{ref()}",
            f"In the {century} century the settlement belonged to the lords of {other}, who granted it a market charter in {founded + rng.randint(30, 200)}.{ref()}",
            f"The {industry} trade brought prosperity during the {rng.choice(CENTURIES[4:])} century, and several merchants' houses from this period survive around the market place.",
            f"A fire in {rng.randint(1650, 1880)} destroyed much of the old town, which was rebuilt in stone to plans by {person}.{ref()}",
            f"The arrival of the railway in {rng.randint(1840, 1905)} connected {name} with {self._link(self.places, self._place_name())} and the ports of {region}.",
            f"During the {rng.choice(WARS)} the town housed a military hospital, and a memorial in the churchyard lists {rng.randint(12, 240)} local men who died in the conflict.",
            f"After {rng.randint(1920, 1985)} the decline of the {industry} industry led to a long period of emigration, and the population fell by almost a third.{ref()}",
            f"Since the {rng.choice((1960, 1970, 1980, 1990))}s the town has attracted commuters, and new housing has been built on its {rng.choice(DIRECTIONS)} side.",
        ]
        rng.shuffle(history)
        split = rng.randint(3, 5)
        geography = (f"{name} lies at an elevation of {rng.randint(5, 900)} metres in the valley of the {river}, "
                     f"about {rng.randint(4, 80)} kilometres {rng.choice(DIRECTIONS)} of {other}. "
                     f"The surrounding countryside is mainly {rng.choice(LANDSCAPES)}, with scattered farms and small woods. "
                     f"The parish covers {rng.randint(5, 120)}.{rng.randint(0, 9)} square kilometres and includes the hamlets of "
                     f"{self._place_name()} and {self._place_name()}.{ref()}")
        climate_text = (f"{name} has a {climate} climate with mild summers and {winter} winters. "
                        f"The average annual rainfall is about {rng.randint(450, 1600)} millimetres, most of it falling between October and March.")
        years = sorted(rng.sample(range(1801, 2022, 10), 5))
        values = [max(120, int(pop * (0.3 + 0.15 * i) * rng.uniform(0.85, 1.15))) for i in range(5)]
        rows = []
        prev = None
        for y, v in zip(years, values):
            change = "—" if prev is None else f"{(v - prev) / prev * 100:+.1f}%"
            rows.append(f"|-\n| {y} || {_fmt_int(v)} || {change}")
            prev = v
        table = ("{| class=\"wikitable sortable\"\n|+ Historical population\n! Year !! Population !! ±%\n"
                 + "\n".join(rows) + "\n|}")
        economy = "\n".join([
            f"* {industry.capitalize()} and related crafts, now on a small scale",
            f"* Tourism, centred on the [[{landmark}]] and the old town",
            f"* Agriculture, mainly {rng.choice(('dairy farming', 'cereals', 'sheep', 'orchards', 'market gardening'))}",
            f"* A business park opened in {rng.randint(1975, 2018)} on the road to {other}",
        ])
        notable = "\n".join(
            f"* {self._link(self.people, self._person_name()[0])} ({rng.randint(1700, 1950)}–{rng.randint(1955, 2020)}), {rng.choice(WIKI_OCCUPATIONS)}"
            for _ in range(rng.randint(2, 5)))
        image = f"{name} {landmark}.jpg"
        text = (
            f"{{{{Short description|{kind.capitalize()} in {region_plain}, {country}}}}}\n"
            f"{{{{Use dmy dates|date={rng.choice(('March', 'June', 'October'))} 2025}}}}\n"
            "{{Infobox settlement\n"
            f"| name                 = {name}\n"
            f"| settlement_type      = {kind.capitalize()}\n"
            f"| image_skyline        = {image}\n"
            f"| image_caption        = The {landmark} in {rng.randint(1995, 2024)}\n"
            "| subdivision_type     = Country\n"
            f"| subdivision_name     = [[{country}]]\n"
            "| subdivision_type1    = Region\n"
            f"| subdivision_name1    = [[{region_plain}]]\n"
            "| established_title    = First mentioned\n"
            f"| established_date     = {founded}\n"
            f"| population_total     = {_fmt_int(pop)}\n"
            f"| population_as_of     = {pop_year}\n"
            f"| coordinates          = {{{{coord|{rng.randint(40, 62)}|{rng.randint(0, 59)}|N|{rng.randint(0, 15)}|{rng.randint(0, 59)}|{rng.choice('EW')}|display=inline,title}}}}\n"
            f"| website              = {{{{URL|www.{name.lower()}.example.org}}}}\n"
            "}}\n"
            f"'''{name}''' is {_an(kind)} {kind} in [[{region_plain}]], [[{country}]], situated on the banks of the {river}. "
            f"It had a population of {_fmt_int(pop)} at the {pop_year} census.{ref()} "
            f"The town is known for its [[{landmark}]] and for its annual {industry} fair.\n\n"
            "== History ==\n=== Early history ===\n"
            + " ".join(history[:split]) + "\n\n"
            f"[[File:{name} old bridge.jpg|thumb|left|The old bridge at {name}, photographed in {rng.randint(1880, 1935)}]]\n"
            "=== Modern era ===\n" + " ".join(history[split:]) + "\n\n"
            f"== Geography ==\n{geography}\n\n=== Climate ===\n{climate_text}\n\n"
            f"== Demographics ==\n{table}\n\n"
            f"== Economy ==\nThe main sources of employment are:\n{economy}\n\n"
            f"== Notable people ==\n{notable}\n\n"
            f"== See also ==\n* [[List of settlements in {region_plain}]]\n* {other}\n\n"
            "== References ==\n{{Reflist}}\n\n"
            f"== External links ==\n* [https://www.{name.lower()}.example.org Official website]\n"
            f"* {{{{Commons category|{name}}}}}\n"
        ) + self._tail(title, [f"Populated places in {country}", f"{kind.capitalize()}s in {region_plain}",
                               f"Populated places established in the {century} century"], rng)
        self._article(title, text, name, f"{_an(kind)} {kind} in {region_plain}, {country}", self.places)
        if rng.random() < 0.25:
            self._redirect(f"{name} ({region_plain})", title, "{{R from alternative name}}")

    def person(self) -> None:
        rng = self.rng
        full, male = self._person_name()
        occupation = rng.choice(WIKI_OCCUPATIONS)
        born = rng.randint(1720, 1950)
        died = born + rng.randint(35, 95)
        title = self._claim([full, f"{full} ({occupation})", f"{full} ({occupation}, born {born})"])
        if title is None:
            return
        he, his, him = ("he", "his", "him") if male else ("she", "her", "her")
        country = rng.choice(WIKI_COUNTRIES)
        nationality = COUNTRY_ADJ[country]
        birthplace = self._link(self.places, self._place_name())
        named: list[str] = []
        ref = lambda: self._ref(full, named)  # noqa: E731
        works = [(f"{rng.choice(WORK_NOUNS)} of {rng.choice(WORK_TOPICS)}", rng.randint(born + 22, died))
                 for _ in range(rng.randint(3, 7))]
        birth_month, birth_day = rng.randint(1, 12), rng.randint(1, 28)
        works.sort(key=lambda w: w[1])
        first_work = works[0]
        career = [
            f"{he.capitalize()} first came to public attention in {first_work[1]} with ''{first_work[0]}'', which was praised for its {rng.choice(QUALITIES)}.{ref()}",
            f"Between {born + 30} and {born + rng.randint(35, 50)} {he} travelled widely in {rng.choice(WIKI_REGIONS)} and {rng.choice(WIKI_REGIONS)}, filling notebooks that later formed the basis of {his} best-known work.",
            f"{he.capitalize()} was elected a member of the {rng.choice(SOCIETIES)} in {born + rng.randint(30, 60)}.{ref()}",
            f"A long dispute with {self._link(self.people, self._person_name()[0])} over priority and credit overshadowed {his} later years.",
            f"{his.capitalize()} students included {self._link(self.people, self._person_name()[0])}, who continued the work after {his} death.",
        ]
        rng.shuffle(career)
        text = (
            f"{{{{Short description|{nationality} {occupation} ({born}–{died})}}}}\n"
            "{{Infobox person\n"
            f"| name        = {full}\n"
            f"| image       = {full} portrait.jpg\n"
            f"| caption     = {full} in {born + rng.randint(25, 60)}\n"
            f"| birth_date  = {{{{birth date|{born}|{birth_month}|{birth_day}}}}}\n"
            f"| birth_place = {birthplace}, [[{country}]]\n"
            f"| death_date  = {{{{death date and age|{died}|{rng.randint(1, 12)}|{rng.randint(1, 28)}|{born}|{birth_month}|{birth_day}}}}}\n"
            f"| occupation  = {occupation.capitalize()}\n"
            f"| known_for   = ''{works[-1][0]}''\n"
            "}}\n"
            f"'''{full}''' ({born} – {died}) was {_an(nationality)} {nationality} [[{OCCUPATION_ARTICLES.get(occupation, occupation)}|{occupation}]] known for ''{works[-1][0]}''.{ref()}\n\n"
            "== Early life ==\n"
            f"{full} was born in {birthplace}, the {rng.choice(('eldest', 'second', 'third', 'youngest'))} child of "
            f"{_an(rng.choice(WIKI_OCCUPATIONS))} {rng.choice(('schoolteacher', 'miller', 'clergyman', 'merchant', 'carpenter'))}. "
            f"{he.capitalize()} was educated at the grammar school in {self._link(self.places, self._place_name())} and later studied "
            f"{rng.choice(SUBJECTS)} at the University of {rng.choice(WIKI_REGIONS).replace('the ', '')}.{ref()}\n\n"
            "== Career ==\n" + " ".join(career[:3]) + "\n\n" + " ".join(career[3:]) + "\n\n"
            f"[[File:{full} signature.svg|thumb|upright|{his.capitalize()} signature]]\n\n"
            "== Works ==\n" + "\n".join(f"* ''{w}'' ({y})" for w, y in works) + "\n\n"
            "== Legacy ==\n"
            f"A street in {birthplace} is named after {him}, and {his} papers are held by the "
            f"{rng.choice(('National Library of ' + country, 'Corrin University archive', 'Salt Coast Museum'))}.{ref()}\n\n"
            "== References ==\n{{Reflist}}\n"
        ) + self._tail(title, [f"{born} births", f"{died} deaths", f"{nationality} {occupation}s"], rng)
        self._article(title, text, full, f"{nationality} {occupation} ({born}–{died})", self.people)
        if rng.random() < 0.3:
            first, _, last = full.partition(" ")
            self._redirect(f"{first[0]}. {last}", title, "{{R from short name}}")

    def river(self) -> None:
        rng = self.rng
        name = self._place_name()
        title = self._claim([f"River {name}", f"{name} River", f"River {name} ({rng.choice(WIKI_COUNTRIES)})"])
        if title is None:
            return
        region, country = rng.choice(WIKI_REGIONS), rng.choice(WIKI_COUNTRIES)
        length = rng.randint(12, 420)
        parent = self._link(self.rivers, f"River {self._place_name()}")
        mouth = self._link(self.places, self._place_name())
        named: list[str] = []
        ref = lambda: self._ref(title, named)  # noqa: E731
        style = rng.choice(STYLES)
        tribs = "\n".join(
            f"|-\n| {self._link(self.rivers, self._place_name() + ' Brook')} || {rng.choice(('left', 'right'))} || {rng.randint(3, 60)}"
            for _ in range(rng.randint(3, 6)))
        text = (
            f"{{{{Short description|River in {region.replace('the ', '')}, {country}}}}}\n"
            "{{Infobox river\n"
            f"| name         = {title}\n"
            f"| image        = {name} river valley.jpg\n"
            f"| source1_location = {rng.choice(WIKI_REGIONS)}\n"
            f"| mouth        = {mouth}\n"
            f"| length       = {{{{convert|{length}|km|mi|abbr=on}}}}\n"
            f"| discharge1_avg = {rng.randint(2, 300)} m3/s\n"
            "}}\n"
            f"The '''{title}''' is a river in {region}, [[{country}]]. It rises in the hills of {rng.choice(WIKI_REGIONS)} "
            f"and flows {length} kilometres {rng.choice(DIRECTIONS)} to join the {parent} at {mouth}.{ref()}\n\n"
            "== Course ==\n"
            f"From its source at an altitude of {rng.randint(300, 1800)} metres, the river descends through a wooded gorge "
            f"before entering a broad valley near {self._link(self.places, self._place_name())}. "
            f"Below {self._link(self.places, self._place_name())} it is crossed by {_an(style)} {style} bridge of "
            f"{rng.randint(3, 14)} arches, one of the oldest in the region.{ref()} "
            f"The lower course was straightened in the {rng.choice(CENTURIES[4:])} century to reduce flooding.\n\n"
            "== Tributaries ==\n"
            "{| class=\"wikitable\"\n! Tributary !! Bank !! Length (km)\n" + tribs + "\n|}\n\n"
            "== Hydrology ==\n"
            f"The mean discharge at the gauging station in {mouth} is {rng.randint(2, 300)} cubic metres per second.{ref()} "
            "Floods are most frequent in late winter, when snowmelt coincides with heavy rain.\n\n"
            f"[[File:{name} at dusk.jpg|thumb|The {title} near its mouth]]\n\n"
            "== Wildlife ==\n"
            f"* [[Brown trout]] and [[grayling]] in the upper reaches\n"
            f"* Breeding [[kingfisher]]s along the {rng.choice(('middle', 'lower'))} course\n"
            f"* Otters, which returned in the {rng.choice((1990, 2000, 2010))}s\n\n"
            "== References ==\n{{Reflist}}\n"
        ) + self._tail(title, [f"Rivers of {country}", f"Geography of {region.replace('the ', '')}"], rng)
        self._article(title, text, name, f"a river in {region.replace('the ', '')}, {country}", self.rivers)
        if rng.random() < 0.2:
            alt = f"{name} river"
            if alt != title:
                self._redirect(alt, title, "{{R from other capitalisation}}")

    def company(self) -> None:
        rng = self.rng
        name = self._place_name()
        kind = rng.choice(WIKI_COMPANY_KINDS)
        title = self._claim([f"{name} {kind}", f"{name} {kind} ({rng.choice(WIKI_COUNTRIES)})"])
        if title is None:
            return
        country = rng.choice(WIKI_COUNTRIES)
        founded = rng.randint(1780, 1960)
        hq = self._link(self.places, name)
        founder = self._link(self.people, self._person_name()[0])
        named: list[str] = []
        ref = lambda: self._ref(title, named)  # noqa: E731
        years = sorted(rng.sample(range(2015, 2025), 4))
        revenue = rng.randint(20, 2000)
        rows = "\n".join(f"|-\n| {y} || {revenue + rng.randint(-15, 40) * (i + 1)} || {_fmt_int(rng.randint(80, 9000))}"
                         for i, y in enumerate(years))
        products = rng.sample(PRODUCTS, 3)
        text = (
            f"{{{{Short description|{COUNTRY_ADJ[country]} manufacturer}}}}\n"
            "{{Infobox company\n"
            f"| name         = {title}\n| type         = [[Public company|Public]]\n"
            f"| founded      = {{{{start date|{founded}}}}}\n| founder      = {founder}\n"
            f"| hq_location  = {hq}, [[{country}]]\n| products     = {', '.join(products)}\n"
            "}}\n"
            f"'''{title}''' is {_an(COUNTRY_ADJ[country])} {COUNTRY_ADJ[country]} company headquartered in {hq}. "
            f"It was founded in {founded} by {founder} and is known for its {products[0]}.{ref()}\n\n"
            "== History ==\n"
            f"The company began as a small workshop making {products[1]} for local customers. "
            f"In {founded + rng.randint(10, 40)} it became a joint-stock company and opened a second works at "
            f"{self._link(self.places, self._place_name())}.{ref()} "
            f"It survived the depression of the {rng.choice((1870, 1920, 1930))}s by turning to {products[2]}, "
            f"and in {rng.randint(1965, 2012)} it was acquired by {self._link(self.companies, self._place_name() + ' Holdings')}, "
            "although it continues to trade under its own name.\n\n"
            "== Products ==\n" + "\n".join(f"* {p.capitalize()}" for p in products) + "\n\n"
            "== Financial results ==\n"
            "{| class=\"wikitable\"\n|+ Key figures\n! Year !! Revenue (million) !! Employees\n" + rows + "\n|}\n\n"
            "== References ==\n{{Reflist}}\n\n"
            f"== External links ==\n* [https://www.{name.lower()}.example.com Official website]\n"
        ) + self._tail(title, [f"Companies of {country}", f"Manufacturing companies established in {founded}"], rng)
        self._article(title, text, name, f"{_an(kind)} {kind.lower()} founded in {founded}", self.companies)

    # -- page kinds -----------------------------------------------------------------------

    def _article(self, title: str, text: str, base: str, description: str, pool: list[str]) -> None:
        self.page(title, 0, text, "article", comment=self.rng.choice(
            ("/* History */ expanded with sources", "copyedit", "added infobox", "updated population figures",
             "/* References */ fixed citation", "")))
        pool.append(title)
        self.base_uses.setdefault(base, []).append((title, description))
        if len(self.examples["articles"]) < 10:
            self.examples["articles"].append(title)
        if self.rng.random() < 0.3:
            self.talk(title)

    def _redirect(self, title: str, target: str, rcat: str) -> None:
        if title in self.titles:
            return
        text = f"#REDIRECT [[{target}]]\n\n{{{{Redirect category shell|\n{rcat}\n}}}}\n"
        self.page(title, 0, text, "redirect", redirect=target, comment=f"Redirected page to [[{target}]]")
        if len(self.examples["redirects"]) < 10:
            self.examples["redirects"].append({"title": title, "target": target})

    def talk(self, title: str) -> None:
        rng = self.rng
        users = rng.sample(USERS, 3)

        def sig(user: str) -> str:
            return (f"[[User:{user}|{user}]] ([[User talk:{user}|talk]]) {rng.randint(10, 23)}:{rng.randint(10, 59)}, "
                    f"{rng.randint(1, 28)} {rng.choice(('January', 'March', 'May', 'August', 'November'))} {rng.randint(2019, 2025)} (UTC)")

        topic = rng.choice(("Population figure", "Sources for the history section", "Merge proposal",
                            "Infobox image", "Name origin"))
        text = ("{{WikiProject banner shell|class=" + rng.choice(("Stub", "Start", "C", "B")) + "|\n"
                "{{WikiProject Geography|importance=low}}\n}}\n\n"
                f"== {topic} ==\n"
                f"I think the section on {topic.lower()} needs a better source; the one cited does not mention {title}. {sig(users[0][0])}\n"
                f":I have added a reference to the regional history, see the second paragraph. {sig(users[1][0])}\n"
                f"::Thanks, that settles it for me. {sig(users[0][0])}\n"
                f":::Agreed. {sig(users[2][0])}\n")
        self.page(f"Talk:{title}", 1, text, "talk", comment=f"/* {topic} */ new section")

    def _ambiguous_bases(self) -> int:
        """How many base names are shared by two or more articles (each makes a disambiguation page)."""
        return sum(len(uses) >= 2 for uses in self.base_uses.values())

    def disambiguation_pages(self) -> None:
        for base, uses in self.base_uses.items():
            if len(uses) < 2:
                continue
            title = base if base not in self.titles else f"{base} (disambiguation)"
            if title in self.titles:
                continue
            lines = "\n".join(f"* [[{t}]], {d}" for t, d in uses)
            text = (f"'''{base}''' may refer to:\n\n{lines}\n\n== See also ==\n"
                    f"* {{{{lookfrom|{base}}}}}\n* {{{{intitle|{base}}}}}\n\n{{{{disambiguation}}}}\n")
            self.page(title, 0, text, "disambiguation", comment="disambiguation page")
            if len(self.examples["disambiguation"]) < 10:
                self.examples["disambiguation"].append(title)

    def fixed_pages(self) -> None:
        """Templates, categories and a few pages of other namespaces, written up front."""
        for name, body in TEMPLATES:
            self.page(f"Template:{name}", 10, body, "template", comment="template")
        for country in WIKI_COUNTRIES:
            self.page(f"Category:Populated places in {country}", 14,
                      f"Cities, towns and villages in [[{country}]].\n\n[[Category:Geography of {country}]]\n",
                      "category", comment="new category")
        self.page("User:TalliesBot", 2, "This is a bot account that maintains population tables.\n\n"
                  "{{bot|Fenwick}}\n", "user")
        self.page("DemoWiki:About", 4, "'''DemoWiki''' is a fictional encyclopedia used to test data "
                  "pipelines. All articles describe invented places and people.\n", "project")
        self.page("File:Kelford market hall.jpg", 6, "== Summary ==\n{{Information\n|description=The market "
                  "hall\n|date=2019-05-04\n|author=[[User:Marlowe84|Marlowe84]]\n}}\n\n== Licensing ==\n"
                  "{{self|cc-by-sa-4.0}}\n", "file")

    # -- driver ---------------------------------------------------------------------------

    def build(self, budget_bytes: int) -> dict[str, Any]:
        wiki_dir = self.out_dir / "wiki"
        wiki_dir.mkdir(parents=True, exist_ok=True)
        truth_dir = self.out_dir / "ground_truth"
        truth_dir.mkdir(parents=True, exist_ok=True)
        path = wiki_dir / DUMP_NAME
        with open(path, "wb") as fh, open(truth_dir / "wiki_pages.jsonl", "w", encoding="utf-8", newline="\n") as index:
            self._fh, self._comp, self._index = fh, bz2.BZ2Compressor(9), index
            self._write(_header())
            self._end_stream()
            self.fixed_pages()
            makers = (self.settlement,) * 8 + (self.person,) * 6 + (self.river,) * 3 + (self.company,) * 3
            while (self.counts.get("article", 0) < MIN_ARTICLES or self.estimated_size() < budget_bytes
                   or (self._ambiguous_bases() < MIN_DISAMBIGUATION and self.counts.get("article", 0) < 20 * MIN_ARTICLES)):
                self.rng.choice(makers)()
            self.disambiguation_pages()
            self._end_stream()  # the closing tag is a stream of its own, as in Wikimedia's dumps
            self._write("</mediawiki>\n")
            self._end_stream()
        kinds = ("article", "redirect", "disambiguation", "talk", "template", "category", "user", "project", "file")
        counts = {k: self.counts.get(k, 0) for k in kinds}
        return {
            "file": f"wiki/{DUMP_NAME}",
            "index": "ground_truth/wiki_pages.jsonl",
            "namespace": EXPORT_NS,
            "pages": sum(counts.values()),
            "pages_by_kind": counts,
            "pages_by_ns": dict(sorted(self.by_ns.items(), key=lambda kv: int(kv[0]))),
            "expected_kept": counts["article"],
            "expected_skips": {"redirect": counts["redirect"], "disambiguation": counts["disambiguation"],
                               "non_article_namespace": sum(v for k, v in self.by_ns.items() if k != "0")},
            "last_page_id": self.page_id,
            "last_revision_id": self.rev_id,
            "examples": self.examples,
            "uncompressed_bytes": self.raw_bytes,
            "bytes": self.compressed_bytes,
        }


def _quoteattr(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def _header() -> str:
    spaces = "\n".join(
        f'      <namespace key="{k}" case="first-letter" />' if not name
        else f'      <namespace key="{k}" case="first-letter">{escape(name)}</namespace>'
        for k, name in NAMESPACES)
    return (
        f'<mediawiki xmlns="{EXPORT_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{EXPORT_NS} http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="en">\n'
        "  <siteinfo>\n"
        "    <sitename>DemoWiki</sitename>\n"
        "    <dbname>demowiki</dbname>\n"
        "    <base>https://demowiki.example.org/wiki/Main_Page</base>\n"
        "    <generator>MediaWiki 1.45.0-wmf.7</generator>\n"
        "    <case>first-letter</case>\n"
        f"    <namespaces>\n{spaces}\n    </namespaces>\n"
        "  </siteinfo>\n")


TEMPLATES: tuple[tuple[str, str], ...] = (
    ("Infobox settlement", "<includeonly>{{Infobox\n| bodyclass = ib-settlement vcard\n| above = {{{name|{{PAGENAME}}}}}\n"
     "| image = {{#if:{{{image_skyline|}}}|[[File:{{{image_skyline}}}|250px]]}}\n| caption = {{{image_caption|}}}\n"
     "| label1 = {{{subdivision_type|}}} | data1 = {{{subdivision_name|}}}\n"
     "| label2 = {{{subdivision_type1|}}} | data2 = {{{subdivision_name1|}}}\n"
     "| label3 = Population ({{{population_as_of|}}}) | data3 = {{{population_total|}}}\n"
     "}}</includeonly><noinclude>\n{{Documentation}}\n[[Category:Place infobox templates]]\n</noinclude>"),
    ("Infobox person", "<includeonly>{{Infobox\n| above = {{{name|{{PAGENAME}}}}}\n| image = {{#if:{{{image|}}}|[[File:{{{image}}}|220px]]}}\n"
     "| label1 = Born | data1 = {{{birth_date|}}}<br />{{{birth_place|}}}\n| label2 = Died | data2 = {{{death_date|}}}\n"
     "| label3 = Occupation | data3 = {{{occupation|}}}\n}}</includeonly><noinclude>{{Documentation}}</noinclude>"),
    ("Infobox river", "<includeonly>{{Infobox\n| above = {{{name|{{PAGENAME}}}}}\n| label1 = Mouth | data1 = {{{mouth|}}}\n"
     "| label2 = Length | data2 = {{{length|}}}\n}}</includeonly><noinclude>{{Documentation}}</noinclude>"),
    ("Infobox company", "<includeonly>{{Infobox\n| above = {{{name|{{PAGENAME}}}}}\n| label1 = Founded | data1 = {{{founded|}}}\n"
     "| label2 = Founder | data2 = {{{founder|}}}\n| label3 = Headquarters | data3 = {{{hq_location|}}}\n"
     "}}</includeonly><noinclude>{{Documentation}}</noinclude>"),
    ("Cite web", "<includeonly>{{#invoke:Citation/CS1|citation\n|CitationClass=web\n}}</includeonly><noinclude>\n"
     "{{Documentation}}\n</noinclude>"),
    ("Cite book", "<includeonly>{{#invoke:Citation/CS1|citation\n|CitationClass=book\n}}</includeonly><noinclude>{{Documentation}}</noinclude>"),
    ("Cite news", "<includeonly>{{#invoke:Citation/CS1|citation\n|CitationClass=news\n}}</includeonly><noinclude>{{Documentation}}</noinclude>"),
    ("Reflist", "<div class=\"reflist\">{{#tag:references|{{{refs|}}}|group={{{group|}}}}}</div><noinclude>\n{{Documentation}}\n</noinclude>"),
    ("Disambiguation", "{{Dmbox\n| type = disambig\n| text = This [[Help:Disambiguation|disambiguation]] page lists articles "
     "associated with the title '''{{PAGENAME}}'''.\n}}<includeonly>[[Category:Disambiguation pages]]</includeonly>"
     "<noinclude>{{Documentation}}</noinclude>"),
    ("Short description", "<includeonly>{{#if:{{{1|}}}|<div class=\"shortdescription nomobile noexcerpt noprint searchaux\" "
     "style=\"display:none\">{{{1}}}</div>}}</includeonly><noinclude>{{Documentation}}</noinclude>"),
    ("Coord", "<includeonly>{{#invoke:Coordinates|coord}}</includeonly><noinclude>{{Documentation}}</noinclude>"),
    ("Use dmy dates", "<includeonly>[[Category:Use dmy dates from {{{date|}}}]]</includeonly><noinclude>{{Documentation}}</noinclude>"),
    ("R from alternative name", "{{Redirect template\n| name = From an alternative name\n}}<noinclude>{{Documentation}}</noinclude>"),
)
