"""The fictional web sites of the demo crawl: one language each, with a charset policy.

Charset policies are per site (as on the real web, where a CMS fixes them), chosen so that
every way a reader has to find the encoding is exercised: the HTTP Content-Type header, a
`<meta charset>` tag, an old-style `<meta http-equiv>` tag, both, or nothing at all (bytes in
UTF-8 or windows-1252 that only a detector can identify).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """One web site. `codec` encodes the bytes; `label` is what the site declares (if anything)."""

    domain: str
    name: str
    lang: str
    codec: str            # Python codec used for the bytes: utf-8, cp1252, iso-8859-1, cp1251
    label: str            # charset label as declared, e.g. "UTF-8", "windows-1252"
    declared: str         # "header", "meta", "header+meta" or "none"
    meta_style: str       # "charset" (<meta charset>) or "http-equiv"
    layout: str           # "article", "content-div" or "main": where the main text sits
    server: str

    @property
    def charset(self) -> str:
        """The WHATWG-style name of the actual byte encoding, as recorded in the ground truth."""
        return {"utf-8": "utf-8", "cp1252": "windows-1252", "iso-8859-1": "iso-8859-1",
                "cp1251": "windows-1251"}[self.codec]


SITES: tuple[Site, ...] = (
    Site("dailyharbor-news.com", "Daily Harbor News", "en", "utf-8", "utf-8", "header", "charset", "article", "nginx/1.24.0"),
    Site("thegreenledger.org", "The Green Ledger", "en", "utf-8", "UTF-8", "meta", "charset", "content-div", "Apache/2.4.58 (Ubuntu)"),
    Site("metro-courier.co.uk", "Metro Courier", "en", "utf-8", "UTF-8", "header", "charset", "main", "cloudflare"),
    Site("techfieldnotes.net", "Tech Field Notes", "en", "utf-8", "", "none", "charset", "article", "nginx"),
    Site("rheinblick-zeitung.de", "Rheinblick Zeitung", "de", "utf-8", "utf-8", "header+meta", "charset", "article", "Apache"),
    Site("alpenkurier.at", "Alpenkurier", "de", "cp1252", "windows-1252", "header", "charset", "content-div", "Microsoft-IIS/10.0"),
    Site("stadtportal-nord.de", "Stadtportal Nord", "de", "cp1252", "", "none", "charset", "main", "Apache/2.2.22"),
    Site("lechodulac.fr", "L'Écho du Lac", "fr", "iso-8859-1", "ISO-8859-1", "header", "charset", "article", "Apache/2.4.41"),
    Site("journal-provence.fr", "Journal de Provence", "fr", "utf-8", "UTF-8", "header", "charset", "content-div", "nginx/1.18.0"),
    Site("quebec-matin.ca", "Québec Matin", "fr", "utf-8", "utf-8", "meta", "http-equiv", "main", "Apache"),
    Site("diariodelsur.es", "Diario del Sur", "es", "iso-8859-1", "iso-8859-1", "header", "charset", "article", "Apache/2.4.6 (CentOS)"),
    Site("noticias-andinas.com", "Noticias Andinas", "es", "utf-8", "utf-8", "header", "charset", "main", "nginx"),
    Site("corrieredellavalle.it", "Corriere della Valle", "it", "utf-8", "UTF-8", "header", "charset", "article", "nginx/1.22.1"),
    Site("giornaledelporto.it", "Giornale del Porto", "it", "utf-8", "utf-8", "meta", "charset", "content-div", "LiteSpeed"),
    Site("folhadolitoral.com.br", "Folha do Litoral", "pt", "utf-8", "utf-8", "header", "charset", "article", "nginx"),
    Site("jornaldominho.pt", "Jornal do Minho", "pt", "utf-8", "", "none", "charset", "content-div", "Apache"),
    Site("dagbladdelta.nl", "Dagblad Delta", "nl", "utf-8", "UTF-8", "header", "charset", "article", "nginx/1.25.3"),
    Site("volga-vesti.ru", "Волжские вести", "ru", "cp1251", "windows-1251", "meta", "http-equiv", "content-div", "nginx/1.14.2"),
    Site("sibirskiy-obozrevatel.ru", "Сибирский обозреватель", "ru", "utf-8", "utf-8", "header", "charset", "article", "nginx"),
    Site("kurierwislany.pl", "Kurier Wiślany", "pl", "utf-8", "UTF-8", "header", "charset", "main", "Apache"),
)


def sites_for(lang: str) -> tuple[Site, ...]:
    return tuple(s for s in SITES if s.lang == lang)
