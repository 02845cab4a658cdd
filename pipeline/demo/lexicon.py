"""Hand-written word material for the demo corpus: sentence templates and slot fillers.

Why templates and not a language model or scraped text: the corpus must be generated offline,
byte-for-byte reproducibly, in seconds, and its ground truth (language, exact main text,
duplicates) must be known by construction. Templates written per language keep word order,
agreement and stop words natural, so language identification, quality filters and tokenizers
see prose that behaves like real news text.

Rules that keep every combination grammatical (worth knowing before adding a filler):

* ``subj`` is a singular noun phrase in the nominative; ``verb`` is a transitive verb in the
  past (3rd person singular where the language inflects); ``obj`` is a direct object in the
  accusative (de, ru, pl). In ru and pl past tenses agree in gender, so subjects carry a
  ``:m``/``:f``/``:n`` tag and verbs are stored in the masculine form (see
  ``Language.verb_suffix``).
* ``adj`` is used predicatively with uninflected forms (en, de, nl) or in the feminine
  singular, matching the fixed feminine nouns of the templates (fr, es, it, pt, ru, pl).
* ``topic`` is a noun phrase with its article; in fr/es/it/pt topics are feminine singular so
  that adjectives agree and no preposition+article contraction is ever needed; in de they are
  feminine, neuter or plural, whose nominative equals the accusative.
* ``place`` and ``time`` are complete adverbial phrases. Numbers come from code: ``pct`` (a
  decimal), ``count`` (a multiple of ten from 20 to 990, safe for Slavic numeral agreement),
  ``money`` (1.5 to 9.9 millions, always plural), ``year``.
* Fixed words between slots are kept short (three words or fewer where possible) so that two
  independently generated pages share very few word 5-grams.
* Texts for sites served in ISO-8859-1 (fr, es) or windows-1252 (de) must stay encodable there:
  no typographic quotes, no "oe" ligature, no euro sign. The generator checks this strictly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


def _w(text: str) -> tuple[str, ...]:
    """Split a '|'-separated block into stripped items (keeps the tables below compact)."""
    return tuple(item.strip() for item in text.split("|") if item.strip())


@dataclass(frozen=True)
class Language:
    """Everything the text generator and the HTML renderer need for one language."""

    code: str
    iso3: str
    name: str
    templates: tuple[str, ...]
    headlines: tuple[str, ...]
    slots: Mapping[str, tuple[str, ...]]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    pii: Mapping[str, tuple[str, ...]]
    chrome: Mapping[str, object]
    decimal_sep: str
    money: str
    spam: str
    gendered: bool = False
    verb_suffix: Mapping[str, str] = field(default_factory=dict)
    fem_surname: str = ""  # "ru": append a; "pl": -ski/-cki/-dzki -> -ska/-cka/-dzka
    elisions: tuple[tuple[str, str], ...] = ()  # applied to each rendered sentence


# --------------------------------------------------------------------------------------------
# English
# --------------------------------------------------------------------------------------------

EN = Language(
    code="en", iso3="eng", name="English",
    templates=(
        "{time}, {subj} {verb} {obj} {place}.",
        "According to {person}, {subj} {verb} {obj} {time}.",
        "{subj} {verb} {obj}, and {subj2} {verb2} {obj2}.",
        "The {topic} remains {adj}, {person} said.",
        "{place}, the {topic} is considered {adj}.",
        "Costs rose by {pct} percent {time}, while {subj} {verb} {obj}.",
        "{subj} expects about {count} participants {place}.",
        "In an interview, {person} called the measure {adj}.",
        "Critics argue that {subj} {verb} {obj} without consulting residents.",
        "The project will cost around {money}, and {subj} {verb} {obj} {time}.",
        "{time}, {count} people signed a petition against {obj}.",
        "Because {subj} {verb} {obj}, {subj2} {verb2} {obj2} {place}.",
        "{subj} {verb} {obj} for the first time in {year}.",
        "{place}, {subj} {verb} {obj} {time}.",
        "For {person}, the {topic} is {adj}.",
        "{subj} {verb} {obj} {place}, but the {topic} stays {adj}.",
        "Residents {place} have waited for {obj} since {year}.",
        "Together with {person}, {subj} {verb} {obj} {time}.",
        "In {year}, only {pct} percent of households {place} supported {obj}.",
        "Meanwhile, {subj} {verb} {obj} {place}.",
    ),
    headlines=(
        "{subj} {verb} {obj}",
        "New debate over the {topic} {place}",
        "{person}: the {topic} is {adj}",
        "{count} residents protest against {obj}",
        "What the {topic} means for the region",
    ),
    slots={
        "subj": _w("""the city council | the regional government | the transport authority |
            the local chamber of commerce | a group of researchers | the university hospital |
            the housing association | the national statistics office | the environment agency |
            the school board | the mayor's office | a coalition of small businesses |
            the port authority | the state energy regulator | the district court |
            the farmers' union | the public library service | a local charity |
            the tourism board | the water utility | the health ministry | the opposition party |
            the airport operator | an independent auditor | the fire department |
            the regional broadcaster | the museum's director | the planning committee |
            a consortium of engineering firms | the teachers' union"""),
        "verb": _w("""presented | approved | criticised | published | rejected | reviewed |
            defended | funded | postponed | announced | questioned | revised | supported |
            expanded | tested | launched | welcomed | examined | delayed | endorsed | drafted |
            evaluated | debated | extended | simplified | challenged | finalised | outlined |
            recommended | adopted"""),
        "obj": _w("""a new housing plan | the annual budget | a detailed report on air quality |
            the proposal for a tram line | a pilot project for electric buses |
            the final results of the survey | a strategy to reduce waste |
            new rules for short-term rentals | a programme for young apprentices |
            the plans for a second bridge | an agreement with neighbouring towns |
            a study on rising rents | the timetable for the winter season |
            a scheme to renovate old schools | the draft of the climate law |
            a fund for small farmers | measures against noise pollution |
            the concept for the new harbour district | an initiative to support local shops |
            the redesign of the central square | a framework for digital services |
            the contract for waste collection | a campaign for safer cycling |
            the extension of the night bus network | a package of tax relief measures |
            the renovation of the old theatre | a long-term water management plan |
            the guidelines for public tenders | a new flood protection system |
            the proposal to close the coal plant"""),
        "adj": _w("""controversial | surprisingly popular | difficult to finance | long overdue |
            largely uncontroversial | far from certain | more complex than expected | urgent |
            unclear | promising | expensive | widely supported | technically demanding |
            politically sensitive | rather modest | remarkably successful | still incomplete |
            hard to predict | fragile | ambitious | realistic | disappointing | encouraging |
            unusually transparent | barely workable"""),
        "place": _w("""in the northern districts | near the old harbour | in the city centre |
            across the region | at the town hall | in several rural communities |
            along the river | in the industrial zone | on the outskirts of the city |
            in the eastern suburbs | at the main railway station | in the historic old town |
            in the coastal villages | at the university campus | in the mountain valleys |
            near the motorway junction | in the new residential quarter |
            at the regional airport | in the market square | around the lake |
            in the former mining towns | at the trade fair grounds | in the neighbouring county |
            along the northern coast | in the southern half of the province |
            near the border crossing | in the business park | in the capital |
            at the community centre | in the surrounding villages"""),
        "time": _w("""on Monday | last week | earlier this year | on Tuesday evening |
            at the end of October | in the spring | for the third time this year |
            after a long delay | during the summer holidays | on Thursday morning |
            in recent months | last autumn | shortly before the election | in early December |
            over the weekend | two years ago | at the start of the year | on Friday afternoon |
            in mid-March | this month | after the budget talks | in the late nineties |
            since the pandemic | at the last meeting | before the winter"""),
        "topic": _w("""housing shortage | new cycling network | energy transition | school reform |
            tourism strategy | public transport plan | water supply | health care reform |
            regional economy | digitisation of the administration | waste management contract |
            road safety campaign | youth unemployment rate | flood protection scheme |
            cultural funding model | rent increase | climate strategy | harbour redevelopment |
            rural broadband rollout | childcare reform | air quality programme |
            night-time economy | farming subsidy system | urban greening project |
            pension reform"""),
    },
    first_names=_w("""James | Sarah | Michael | Emily | David | Laura | Daniel | Rachel | Thomas |
        Hannah | Robert | Olivia | Mark | Jessica | Andrew | Claire | Peter | Megan | Simon |
        Rebecca | Jonathan | Alice | Matthew | Grace | Richard"""),
    last_names=_w("""Thompson | Walker | Harrison | Clarke | Bennett | Morgan | Hughes | Patel |
        Foster | Reynolds | Carter | Mitchell | Sullivan | Brooks | Palmer | Fletcher | Holmes |
        Dawson | Barker | Lawson | Gibson | Marsh | Whitaker | Ellis | Kennedy"""),
    pii={
        "email": ("Questions can be sent to {value}.",
                  "Readers can contact {person} directly at {value}.",
                  "For press enquiries, write to {value}."),
        "phone": ("The helpline can be reached on {value} from Monday to Friday.",
                  "Anyone with information is asked to call {value}."),
        "ipv4": ("The outage began when the server at {value} stopped responding.",
                 "Log files show repeated login attempts from the address {value}."),
        "ipv6": ("The attack was traced to the IPv6 address {value}.",),
        "credit_card": ("A reader reported that the card number {value} had been charged twice.",
                        "Scammers asked victims to confirm card details such as {value}."),
        "ssn": ("The leaked file contained social security numbers, including {value}.",),
        "iban": ("Donations can be made to the account {value}.",),
    },
    chrome={
        "nav": ("Home", "News", "Politics", "Business", "Culture", "Sport"),
        "cookie": "We use cookies to improve your experience and to show personalised content.",
        "accept": "Accept all", "reject": "Reject", "more": "Learn more",
        "privacy": "Privacy policy", "terms": "Terms of use", "imprint": "About us",
        "contact": "Contact", "rights": "All rights reserved.", "most_read": "Most read",
        "newsletter": "Get the best stories in your inbox every morning.",
        "subscribe": "Subscribe", "search": "Search", "by": "By",
        "months": ("January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December"),
        "date": "{d} {month} {y}",
        "not_found": "Page not found", "not_found_text": "The page you requested does not exist.",
        "related": "Related articles",
    },
    decimal_sep=".",
    money="{amount} million dollars",
    spam="Best price cheap flights and hotels book now click here free bonus",
)

# --------------------------------------------------------------------------------------------
# German
# --------------------------------------------------------------------------------------------

DE = Language(
    code="de", iso3="deu", name="German",
    templates=(
        "{time} {verb} {subj} {obj} {place}.",
        "Nach Angaben von {person} {verb} {subj} {obj} {time}.",
        "{subj} {verb} {obj}, und {subj2} {verb2} {obj2}.",
        "{topic} bleibt {adj}, sagte {person}.",
        "{place} gilt {topic} als {adj}.",
        "Die Kosten stiegen {time} um {pct} Prozent, während {subj} {obj} {verb}.",
        "{subj} rechnet {place} mit rund {count} Teilnehmern.",
        "Im Gespräch mit dieser Zeitung nannte {person} den Plan {adj}.",
        "Kritiker bemängeln, dass {subj} {obj} ohne Bürgerbeteiligung {verb}.",
        "Das Vorhaben soll rund {money} kosten, und {subj} {verb} {obj} {time}.",
        "{time} unterschrieben {count} Menschen eine Petition gegen {obj}.",
        "Weil {subj} {obj} {verb}, {verb2} {subj2} {obj2} {place}.",
        "{subj} {verb} {obj} erstmals im Jahr {year}.",
        "{place} {verb} {subj} {time} {obj}.",
        "Für {person} ist {topic} {adj}.",
        "{subj} {verb} {obj} {place}, doch {topic} bleibt {adj}.",
        "Die Anwohner {place} warten seit {year} auf {obj}.",
        "Gemeinsam mit {person} {verb} {subj} {obj} {time}.",
        "Im Jahr {year} unterstützten nur {pct} Prozent der Haushalte {place} {obj}.",
        "Unterdessen {verb} {subj} {place} {obj}.",
    ),
    headlines=(
        "{subj} {verb} {obj}",
        "Neue Debatte über {topic} {place}",
        "{person}: {Topic} ist {adj}",
        "{count} Anwohner protestieren gegen {obj}",
        "Was {topic} für die Region bedeutet",
    ),
    slots={
        "subj": _w("""die Stadtverwaltung | der Gemeinderat | die Landesregierung |
            der Verkehrsverbund | eine Gruppe von Forschern | das Universitätsklinikum |
            die Wohnungsbaugenossenschaft | das Statistische Landesamt | das Umweltamt |
            der Schulausschuss | das Büro des Bürgermeisters | ein Bündnis lokaler Händler |
            die Hafenbehörde | die Bundesnetzagentur | das Amtsgericht | der Bauernverband |
            die Stadtbibliothek | ein örtlicher Verein | der Tourismusverband |
            der Wasserversorger | das Gesundheitsministerium | die Opposition im Landtag |
            der Flughafenbetreiber | ein unabhängiger Gutachter | die Feuerwehr |
            der Regionalsender | die Museumsleitung | der Bauausschuss |
            ein Konsortium aus Ingenieurbüros | die Lehrergewerkschaft"""),
        "verb": _w("""präsentierte | beschloss | kritisierte | veröffentlichte | verwarf |
            überprüfte | verteidigte | finanzierte | verschob | bestätigte | hinterfragte |
            überarbeitete | unterstützte | erweiterte | testete | startete | begrüßte |
            untersuchte | verzögerte | befürwortete | entwarf | bewertete | diskutierte |
            verlängerte | vereinfachte | beanstandete | verabschiedete | skizzierte | empfahl |
            übernahm"""),
        "obj": _w("""einen neuen Wohnungsbauplan | den Haushalt für das kommende Jahr |
            einen ausführlichen Bericht zur Luftqualität | den Vorschlag für eine Straßenbahnlinie |
            ein Pilotprojekt für Elektrobusse | die Ergebnisse der Umfrage |
            eine Strategie gegen Müll | neue Regeln für Ferienwohnungen |
            ein Programm für junge Auszubildende | die Pläne für eine zweite Brücke |
            eine Vereinbarung mit den Nachbargemeinden | eine Studie über steigende Mieten |
            den Fahrplan für die Wintersaison | ein Konzept zur Sanierung alter Schulen |
            den Entwurf des Klimagesetzes | einen Fonds für kleine Bauernhöfe |
            Maßnahmen gegen Verkehrslärm | das Konzept für das neue Hafenviertel |
            eine Initiative für den Einzelhandel | die Umgestaltung des Marktplatzes |
            einen Rahmen für digitale Dienste | den Vertrag für die Müllabfuhr |
            eine Kampagne für sicheres Radfahren | den Ausbau des Nachtbusnetzes |
            ein Paket steuerlicher Entlastungen | die Renovierung des alten Theaters |
            einen langfristigen Wasserplan | die Richtlinien für öffentliche Ausschreibungen |
            ein neues Hochwasserschutzsystem | den Ausstieg aus der Kohle"""),
        "adj": _w("""umstritten | überraschend beliebt | schwer zu finanzieren | längst überfällig |
            weitgehend unstrittig | keineswegs sicher | komplizierter als erwartet | dringend |
            unklar | vielversprechend | teuer | breit unterstützt | technisch anspruchsvoll |
            politisch heikel | eher bescheiden | bemerkenswert erfolgreich | noch unvollständig |
            schwer vorherzusagen | fragil | ehrgeizig | realistisch | enttäuschend | ermutigend |
            ungewöhnlich transparent | kaum umsetzbar"""),
        "place": _w("""in den nördlichen Stadtteilen | am alten Hafen | in der Innenstadt |
            in der gesamten Region | im Rathaus | in mehreren Landgemeinden |
            entlang des Flusses | im Industriegebiet | am Stadtrand | in den östlichen Vororten |
            am Hauptbahnhof | in der historischen Altstadt | in den Küstenorten |
            auf dem Universitätsgelände | in den Bergtälern | nahe der Autobahnausfahrt |
            im neuen Wohnviertel | am Regionalflughafen | auf dem Marktplatz | rund um den See |
            in den ehemaligen Bergbaustädten | auf dem Messegelände | im Nachbarkreis |
            an der Nordküste | im Süden des Landes | nahe dem Grenzübergang | im Gewerbepark |
            in der Landeshauptstadt | im Bürgerzentrum | in den umliegenden Dörfern"""),
        "time": _w("""am Montag | vergangene Woche | Anfang des Jahres | am Dienstagabend |
            Ende Oktober | im Frühjahr | zum dritten Mal in diesem Jahr | nach langer Verzögerung |
            während der Sommerferien | am Donnerstagmorgen | in den vergangenen Monaten |
            im vergangenen Herbst | kurz vor der Wahl | Anfang Dezember | am Wochenende |
            vor zwei Jahren | zu Jahresbeginn | am Freitagnachmittag | Mitte März |
            in diesem Monat | nach den Haushaltsberatungen | Ende der Neunzigerjahre |
            seit der Pandemie | bei der letzten Sitzung | vor dem Winter"""),
        "topic": _w("""die Wohnungsnot | das neue Radwegenetz | die Energiewende | die Schulreform |
            die Tourismusstrategie | das Nahverkehrskonzept | die Wasserversorgung |
            die Gesundheitsreform | die regionale Wirtschaft | die Digitalisierung der Verwaltung |
            die Müllentsorgung | die Verkehrssicherheit | die Jugendarbeitslosigkeit |
            das Hochwasserschutzprogramm | die Kulturförderung | die Mieterhöhung |
            die Klimastrategie | die Hafenentwicklung | das Breitbandprojekt |
            die Kinderbetreuung | die Luftreinhaltung | das Nachtleben | die Agrarförderung |
            die Stadtbegrünung | die Rentenreform"""),
    },
    first_names=_w("""Anna | Thomas | Julia | Michael | Katrin | Stefan | Sabine | Andreas | Laura |
        Markus | Claudia | Jan | Miriam | Tobias | Petra | Florian | Lena | Matthias | Nicole |
        Sebastian | Birgit | Lukas | Monika | Jonas | Ulrike"""),
    last_names=_w("""Müller | Schmidt | Schneider | Fischer | Weber | Meyer | Wagner | Becker |
        Schulz | Hoffmann | Koch | Richter | Klein | Wolf | Schröder | Neumann | Schwarz |
        Zimmermann | Braun | Krüger | Hofmann | Hartmann | Lange | Werner | Krause"""),
    pii={
        "email": ("Fragen können an {value} gerichtet werden.",
                  "Leserinnen und Leser erreichen {person} direkt unter {value}.",
                  "Presseanfragen bitte an {value}."),
        "phone": ("Die Hotline ist montags bis freitags unter {value} erreichbar.",
                  "Hinweise nimmt die Polizei unter der Telefonnummer {value} entgegen."),
        "ipv4": ("Der Ausfall begann, als der Server mit der Adresse {value} nicht mehr reagierte.",
                 "In den Protokollen tauchen wiederholte Anmeldeversuche von {value} auf."),
        "ipv6": ("Der Angriff wurde zur IPv6-Adresse {value} zurückverfolgt.",),
        "credit_card": ("Ein Leser berichtete, dass die Kartennummer {value} doppelt belastet wurde.",),
        "iban": ("Spenden werden auf das Konto {value} erbeten.",),
    },
    chrome={
        "nav": ("Startseite", "Nachrichten", "Politik", "Wirtschaft", "Kultur", "Sport"),
        "cookie": "Wir verwenden Cookies, um Ihnen ein besseres Nutzungserlebnis zu bieten.",
        "accept": "Alle akzeptieren", "reject": "Ablehnen", "more": "Mehr erfahren",
        "privacy": "Datenschutzerklärung", "terms": "Nutzungsbedingungen",
        "imprint": "Impressum", "contact": "Kontakt", "rights": "Alle Rechte vorbehalten.",
        "most_read": "Meistgelesen",
        "newsletter": "Die wichtigsten Nachrichten jeden Morgen in Ihrem Postfach.",
        "subscribe": "Abonnieren", "search": "Suchen", "by": "Von",
        "months": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                   "September", "Oktober", "November", "Dezember"),
        "date": "{d}. {month} {y}",
        "not_found": "Seite nicht gefunden",
        "not_found_text": "Die angeforderte Seite existiert nicht.",
        "related": "Mehr zum Thema",
    },
    decimal_sep=",",
    money="{amount} Millionen Euro",
    spam="Jetzt günstig kaufen bester Preis gratis Versand hier klicken Angebot",
)

# --------------------------------------------------------------------------------------------
# French
# --------------------------------------------------------------------------------------------

FR = Language(
    code="fr", iso3="fra", name="French",
    templates=(
        "{time}, {subj} {verb} {obj} {place}.",
        "Selon {person}, {subj} {verb} {obj} {time}.",
        "{subj} {verb} {obj}, et {subj2} {verb2} {obj2}.",
        "{topic} reste {adj}, a déclaré {person}.",
        "{place}, {topic} est jugée {adj}.",
        "Les coûts ont augmenté de {pct} % {time}, tandis que {subj} {verb} {obj}.",
        "{subj} attend environ {count} participants {place}.",
        "Dans un entretien, {person} a jugé la mesure {adj}.",
        "Les critiques estiment que {subj} {verb} {obj} sans consulter les habitants.",
        "Le projet devrait coûter environ {money}, et {subj} {verb} {obj} {time}.",
        "{time}, {count} personnes ont signé une pétition contre {obj}.",
        "Comme {subj} {verb} {obj}, {subj2} {verb2} {obj2} {place}.",
        "{subj} {verb} {obj} pour la première fois en {year}.",
        "{place}, {subj} {verb} {obj} {time}.",
        "Pour {person}, {topic} est {adj}.",
        "{subj} {verb} {obj} {place}, mais {topic} reste {adj}.",
        "Les habitants {place} attendent {obj} depuis {year}.",
        "Avec {person}, {subj} {verb} {obj} {time}.",
        "En {year}, seuls {pct} % des ménages {place} soutenaient {obj}.",
        "Entre-temps, {subj} {verb} {obj} {place}.",
    ),
    headlines=(
        "{subj} {verb} {obj}",
        "Nouveau débat sur {topic} {place}",
        "{person} : « {Topic} est {adj} »",
        "{count} habitants manifestent contre {obj}",
        "Ce que {topic} change pour la région",
    ),
    slots={
        "subj": _w("""la mairie | le conseil municipal | la région | l'autorité des transports |
            un groupe de chercheurs | le centre hospitalier universitaire | l'office HLM |
            l'institut de la statistique | l'agence de l'environnement | le rectorat |
            le cabinet du maire | un collectif de commerçants | le port autonome |
            la commission de régulation de l'énergie | le tribunal administratif |
            la chambre d'agriculture | le réseau des bibliothèques | une association locale |
            l'office de tourisme | le syndicat des eaux | le ministère de la Santé |
            l'opposition municipale | la société aéroportuaire | un cabinet d'audit indépendant |
            le service départemental d'incendie | la radio régionale | la direction du musée |
            la commission d'urbanisme | un groupement d'ingénieurs | le syndicat des enseignants"""),
        "verb": _w("""a présenté | a approuvé | a critiqué | a publié | a rejeté | a examiné |
            a défendu | a financé | a reporté | a annoncé | a remis en question | a révisé |
            a soutenu | a élargi | a testé | a lancé | a salué | a étudié | a retardé | a validé |
            a rédigé | a évalué | a dévoilé | a prolongé | a simplifié | a contesté | a finalisé |
            a détaillé | a recommandé | a adopté"""),
        "obj": _w("""un nouveau plan de logement | le budget annuel |
            un rapport détaillé sur la qualité de l'air | le projet de ligne de tramway |
            un projet pilote de bus électriques | les résultats de l'enquête |
            une stratégie de réduction des déchets | de nouvelles règles pour les locations saisonnières |
            un programme pour les jeunes apprentis | les plans d'un second pont |
            un accord avec les communes voisines | une étude sur la hausse des loyers |
            les horaires de la saison d'hiver | un plan de rénovation des écoles |
            le projet de loi sur le climat | un fonds pour les petits agriculteurs |
            des mesures contre le bruit | le schéma du nouveau quartier portuaire |
            une initiative pour les commerces de proximité |
            le réaménagement de la place centrale | un cadre pour les services numériques |
            le contrat de collecte des déchets | une campagne pour la sécurité des cyclistes |
            l'extension du réseau de bus de nuit | un ensemble d'allègements fiscaux |
            la rénovation du vieux théâtre | un plan de gestion de l'eau |
            les règles des marchés publics | un nouveau système de protection contre les crues |
            la fermeture de la centrale à charbon"""),
        "adj": _w("""controversée | étonnamment populaire | difficile à financer |
            attendue depuis longtemps | peu contestée | loin d'être acquise |
            plus complexe que prévu | urgente | floue | prometteuse | coûteuse |
            largement soutenue | techniquement exigeante | politiquement sensible |
            plutôt modeste | remarquablement réussie | encore incomplète | difficile à prévoir |
            fragile | ambitieuse | réaliste | décevante | encourageante |
            d'une transparence inhabituelle | difficilement applicable"""),
        "place": _w("""dans les quartiers nord | près du vieux port | dans le centre-ville |
            dans toute la région | à l'hôtel de ville | dans plusieurs communes rurales |
            le long du fleuve | dans la zone industrielle | en périphérie de la ville |
            dans la banlieue est | à la gare centrale | dans la vieille ville |
            dans les villages côtiers | sur le campus universitaire | dans les vallées de montagne |
            près de l'échangeur autoroutier | dans le nouveau quartier résidentiel |
            à l'aéroport régional | sur la place du marché | autour du lac |
            dans les anciennes villes minières | au parc des expositions |
            dans le département voisin | sur la côte nord | dans le sud de la province |
            près du poste frontière | dans la zone d'activités | dans la capitale |
            à la maison de quartier | dans les villages alentour"""),
        "time": _w("""lundi | la semaine dernière | en début d'année | mardi soir | fin octobre |
            au printemps | pour la troisième fois cette année | après un long retard |
            pendant les vacances d'été | jeudi matin | ces derniers mois | l'automne dernier |
            peu avant les élections | début décembre | ce week-end | il y a deux ans |
            en janvier | vendredi après-midi | à la mi-mars | ce mois-ci |
            après les discussions budgétaires | à la fin des années quatre-vingt-dix |
            depuis la pandémie | lors de la dernière réunion | avant l'hiver"""),
        "topic": _w("""la crise du logement | la réforme scolaire | la transition énergétique |
            la stratégie touristique | la desserte en transports publics |
            la distribution de l'eau | la réforme de la santé | l'économie régionale |
            la numérisation de l'administration | la gestion des déchets | la sécurité routière |
            la hausse des loyers | la politique climatique | la rénovation du port |
            la couverture en fibre optique | la garde d'enfants | la qualité de l'air |
            la vie nocturne | la politique agricole | la végétalisation des rues |
            la réforme des retraites | la politique culturelle | la protection contre les crues |
            la piste cyclable du centre | la nouvelle zone piétonne"""),
    },
    first_names=_w("""Marie | Julien | Camille | Nicolas | Sophie | Antoine | Claire | Thomas |
        Élodie | Pierre | Céline | Mathieu | Isabelle | Hugo | Aurélie | François | Émilie |
        Laurent | Chloé | Olivier | Nathalie | Sébastien | Manon | Vincent | Hélène"""),
    last_names=_w("""Martin | Bernard | Dubois | Durand | Lefebvre | Moreau | Laurent | Simon |
        Michel | Garcia | Roux | Fournier | Girard | Bonnet | Dupont | Lambert | Fontaine |
        Rousseau | Vincent | Muller | Lefèvre | Faure | André | Mercier | Blanc"""),
    pii={
        "email": ("Les questions peuvent être adressées à {value}.",
                  "Les lecteurs peuvent joindre {person} directement à l'adresse {value}."),
        "phone": ("La permanence est joignable au {value} du lundi au vendredi.",
                  "Toute personne disposant d'informations est priée d'appeler le {value}."),
        "ipv4": ("La panne a commencé lorsque le serveur {value} a cessé de répondre.",),
        "ipv6": ("L'attaque a été attribuée à l'adresse IPv6 {value}.",),
        "credit_card": ("Un lecteur a signalé que la carte numéro {value} avait été débitée deux fois.",),
        "iban": ("Les dons peuvent être versés sur le compte {value}.",),
    },
    chrome={
        "nav": ("Accueil", "Actualités", "Politique", "Économie", "Culture", "Sports"),
        "cookie": "Nous utilisons des cookies pour améliorer votre expérience de navigation.",
        "accept": "Tout accepter", "reject": "Refuser", "more": "En savoir plus",
        "privacy": "Politique de confidentialité", "terms": "Conditions d'utilisation",
        "imprint": "Mentions légales", "contact": "Contact", "rights": "Tous droits réservés.",
        "most_read": "Les plus lus",
        "newsletter": "Recevez l'essentiel de l'actualité chaque matin.",
        "subscribe": "S'abonner", "search": "Rechercher", "by": "Par",
        "months": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                   "septembre", "octobre", "novembre", "décembre"),
        "date": "{d} {month} {y}",
        "not_found": "Page introuvable",
        "not_found_text": "La page demandée n'existe pas.",
        "related": "À lire aussi",
    },
    decimal_sep=",",
    money="{amount} millions d'euros",
    spam="Meilleur prix pas cher livraison gratuite cliquez ici offre exclusive",
    elisions=((" que un ", " qu'un "), (" que une ", " qu'une ")),
)

# --------------------------------------------------------------------------------------------
# Spanish
# --------------------------------------------------------------------------------------------

ES = Language(
    code="es", iso3="spa", name="Spanish",
    templates=(
        "{time}, {subj} {verb} {obj} {place}.",
        "Según {person}, {subj} {verb} {obj} {time}.",
        "{subj} {verb} {obj}, y {subj2} {verb2} {obj2}.",
        "{topic} sigue siendo {adj}, afirmó {person}.",
        "{place}, {topic} se considera {adj}.",
        "Los costes subieron un {pct} % {time}, mientras {subj} {verb} {obj}.",
        "{subj} espera unos {count} participantes {place}.",
        "En declaraciones a este diario, {person} calificó la medida de {adj}.",
        "Los críticos sostienen que {subj} {verb} {obj} sin consultar a los vecinos.",
        "El proyecto costará unos {money}, y {subj} {verb} {obj} {time}.",
        "{time}, {count} personas firmaron una petición contra {obj}.",
        "Como {subj} {verb} {obj}, {subj2} {verb2} {obj2} {place}.",
        "{subj} {verb} {obj} por primera vez en {year}.",
        "{place}, {subj} {verb} {obj} {time}.",
        "Para {person}, {topic} es {adj}.",
        "{subj} {verb} {obj} {place}, pero {topic} sigue siendo {adj}.",
        "Los vecinos {place} esperan {obj} desde {year}.",
        "Junto con {person}, {subj} {verb} {obj} {time}.",
        "En {year}, solo el {pct} % de los hogares {place} apoyaba {obj}.",
        "Mientras tanto, {subj} {verb} {obj} {place}.",
    ),
    headlines=(
        "{subj} {verb} {obj}",
        "Nuevo debate sobre {topic} {place}",
        "{person}: «{Topic} es {adj}»",
        "{count} vecinos protestan contra {obj}",
        "Qué significa {topic} para la región",
    ),
    slots={
        "subj": _w("""el ayuntamiento | el pleno municipal | el gobierno regional |
            el consorcio de transportes | un grupo de investigadores | el hospital universitario |
            la empresa municipal de vivienda | el instituto de estadística |
            la agencia de medio ambiente | la consejería de educación | la alcaldía |
            una asociación de pequeños comercios | la autoridad portuaria |
            la comisión de la energía | el juzgado de primera instancia | el sindicato agrario |
            la red de bibliotecas | una asociación vecinal | la oficina de turismo |
            la empresa de aguas | el ministerio de Sanidad | la oposición |
            el operador del aeropuerto | un auditor independiente | el cuerpo de bomberos |
            la televisión autonómica | la dirección del museo | la comisión de urbanismo |
            un consorcio de ingenierías | el sindicato de profesores"""),
        "verb": _w("""presentó | aprobó | criticó | publicó | rechazó | revisó | defendió |
            financió | aplazó | anunció | cuestionó | modificó | respaldó | amplió | probó |
            lanzó | celebró | estudió | retrasó | avaló | redactó | evaluó | prorrogó |
            simplificó | impugnó | ultimó | detalló | recomendó | adoptó | desveló"""),
        "obj": _w("""un nuevo plan de vivienda | el presupuesto anual |
            un informe detallado sobre la calidad del aire | el proyecto de una línea de tranvía |
            un proyecto piloto de autobuses eléctricos | los resultados de la encuesta |
            una estrategia para reducir residuos | nuevas normas para los pisos turísticos |
            un programa para jóvenes aprendices | los planes de un segundo puente |
            un acuerdo con los municipios vecinos | un estudio sobre la subida de los alquileres |
            el horario de la temporada de invierno | un plan para renovar colegios antiguos |
            el borrador de la ley del clima | un fondo para pequeños agricultores |
            medidas contra el ruido | el diseño del nuevo barrio portuario |
            una iniciativa de apoyo al comercio local | la reforma de la plaza mayor |
            un marco para los servicios digitales | el contrato de recogida de basuras |
            una campaña por la seguridad ciclista |
            la ampliación de la red de autobuses nocturnos | un paquete de rebajas fiscales |
            la restauración del viejo teatro | un plan de gestión del agua |
            las normas de contratación pública | un nuevo sistema contra las inundaciones |
            el cierre de la central de carbón"""),
        "adj": _w("""polémica | sorprendentemente popular | difícil de financiar |
            esperada desde hace años | poco discutida | incierta |
            más compleja de lo previsto | urgente | poco clara | prometedora | costosa |
            ampliamente respaldada | técnicamente exigente | políticamente delicada |
            bastante modesta | notablemente exitosa | todavía incompleta | difícil de prever |
            frágil | ambiciosa | realista | decepcionante | alentadora |
            inusualmente transparente | difícil de aplicar"""),
        "place": _w("""en los barrios del norte | junto al puerto viejo | en el centro de la ciudad |
            en toda la región | en el ayuntamiento | en varios municipios rurales |
            a orillas del río | en el polígono industrial | en las afueras de la ciudad |
            en los barrios del este | en la estación central | en el casco antiguo |
            en los pueblos de la costa | en el campus universitario | en los valles de montaña |
            cerca del enlace de la autopista | en el nuevo barrio residencial |
            en el aeropuerto regional | en la plaza del mercado | alrededor del lago |
            en los antiguos pueblos mineros | en el recinto ferial | en la comarca vecina |
            en la costa norte | en el sur de la provincia | cerca del paso fronterizo |
            en el parque empresarial | en la capital | en el centro cívico |
            en los pueblos cercanos"""),
        "time": _w("""el lunes | la semana pasada | a principios de año | el martes por la tarde |
            a finales de octubre | en primavera | por tercera vez este año |
            tras un largo retraso | durante las vacaciones de verano | el jueves por la mañana |
            en los últimos meses | el otoño pasado | poco antes de las elecciones |
            a principios de diciembre | el fin de semana | hace dos años | en enero |
            el viernes por la tarde | a mediados de marzo | este mes |
            tras las negociaciones del presupuesto | a finales de los noventa |
            desde la pandemia | en la última reunión | antes del invierno"""),
        "topic": _w("""la crisis de la vivienda | la reforma educativa | la transición energética |
            la estrategia turística | la red de transporte público | la gestión del agua |
            la reforma sanitaria | la economía regional | la digitalización de la administración |
            la recogida de residuos | la seguridad vial | la subida de los alquileres |
            la política climática | la renovación del puerto | la cobertura de fibra óptica |
            la oferta de guarderías | la calidad del aire | la vida nocturna |
            la política agraria | la nueva zona peatonal | la reforma de las pensiones |
            la política cultural | la protección contra inundaciones |
            la red de carriles bici | la ampliación del metro"""),
    },
    first_names=_w("""María | José | Carmen | Javier | Lucía | Antonio | Laura | Manuel | Marta |
        David | Elena | Francisco | Paula | Carlos | Cristina | Miguel | Sara | Alejandro |
        Raquel | Pablo | Isabel | Sergio | Teresa | Diego | Nuria"""),
    last_names=_w("""García | Fernández | González | Rodríguez | López | Martínez | Sánchez |
        Pérez | Gómez | Martín | Jiménez | Ruiz | Hernández | Díaz | Moreno | Álvarez | Muñoz |
        Romero | Alonso | Gutiérrez | Navarro | Torres | Domínguez | Vázquez | Ramos"""),
    pii={
        "email": ("Las consultas pueden enviarse a {value}.",
                  "Los lectores pueden contactar con {person} en {value}."),
        "phone": ("La línea de atención está disponible en el {value} de lunes a viernes.",),
        "ipv4": ("La caída comenzó cuando el servidor {value} dejó de responder.",),
        "ipv6": ("El ataque se rastreó hasta la dirección IPv6 {value}.",),
        "credit_card": ("Un lector denunció que la tarjeta {value} había sido cargada dos veces.",),
        "iban": ("Los donativos pueden ingresarse en la cuenta {value}.",),
    },
    chrome={
        "nav": ("Portada", "Noticias", "Política", "Economía", "Cultura", "Deportes"),
        "cookie": "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
        "accept": "Aceptar todo", "reject": "Rechazar", "more": "Más información",
        "privacy": "Política de privacidad", "terms": "Condiciones de uso",
        "imprint": "Aviso legal", "contact": "Contacto",
        "rights": "Todos los derechos reservados.", "most_read": "Lo más leído",
        "newsletter": "Reciba cada mañana las noticias más importantes.",
        "subscribe": "Suscribirse", "search": "Buscar", "by": "Por",
        "months": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                   "septiembre", "octubre", "noviembre", "diciembre"),
        "date": "{d} de {month} de {y}",
        "not_found": "Página no encontrada",
        "not_found_text": "La página solicitada no existe.",
        "related": "Noticias relacionadas",
    },
    decimal_sep=",",
    money="{amount} millones de euros",
    spam="Mejor precio barato envío gratis haga clic aquí oferta exclusiva",
)

# --------------------------------------------------------------------------------------------
# Italian
# --------------------------------------------------------------------------------------------

IT = Language(
    code="it", iso3="ita", name="Italian",
    templates=(
        "{time}, {subj} {verb} {obj} {place}.",
        "Secondo {person}, {subj} {verb} {obj} {time}.",
        "{subj} {verb} {obj}, e {subj2} {verb2} {obj2}.",
        "{topic} resta {adj}, ha dichiarato {person}.",
        "{place}, {topic} è considerata {adj}.",
        "I costi sono aumentati del {pct} per cento {time}, mentre {subj} {verb} {obj}.",
        "{subj} prevede circa {count} partecipanti {place}.",
        "In un'intervista, {person} ha definito la misura {adj}.",
        "Secondo i critici, {subj} {verb} {obj} senza consultare i residenti.",
        "Il progetto costerà circa {money}, e {subj} {verb} {obj} {time}.",
        "{time}, {count} persone hanno firmato una petizione contro {obj}.",
        "Poiché {subj} {verb} {obj}, {subj2} {verb2} {obj2} {place}.",
        "{subj} {verb} {obj} per la prima volta nel {year}.",
        "{place}, {subj} {verb} {obj} {time}.",
        "Per {person}, {topic} è {adj}.",
        "{subj} {verb} {obj} {place}, ma {topic} resta {adj}.",
        "I residenti {place} aspettano {obj} dal {year}.",
        "Insieme a {person}, {subj} {verb} {obj} {time}.",
        "Nel {year}, solo il {pct} per cento delle famiglie {place} sosteneva {obj}.",
        "Nel frattempo, {subj} {verb} {obj} {place}.",
    ),
    headlines=(
        "{subj} {verb} {obj}",
        "{topic} torna al centro del dibattito",
        "{person}: «{Topic} è {adj}»",
        "{count} residenti protestano contro {obj}",
        "Che cosa cambia per la regione con {topic}",
    ),
    slots={
        "subj": _w("""il comune | il consiglio comunale | la regione | l'agenzia per la mobilità |
            un gruppo di ricercatori | il policlinico universitario | l'azienda per la casa |
            l'istituto di statistica | l'agenzia per l'ambiente | l'ufficio scolastico |
            lo staff del sindaco | un'associazione di commercianti | l'autorità portuale |
            l'autorità per l'energia | il tribunale amministrativo |
            la confederazione degli agricoltori | il sistema bibliotecario |
            un'associazione locale | l'ufficio del turismo | la società idrica |
            il ministero della Salute | l'opposizione |
            la società di gestione dell'aeroporto | un revisore indipendente |
            il corpo dei vigili del fuoco | l'emittente regionale | la direzione del museo |
            la commissione urbanistica | un consorzio di ingegneri |
            il sindacato degli insegnanti"""),
        "verb": _w("""ha presentato | ha approvato | ha criticato | ha pubblicato | ha respinto |
            ha esaminato | ha difeso | ha finanziato | ha rinviato | ha annunciato |
            ha messo in discussione | ha modificato | ha sostenuto | ha ampliato |
            ha sperimentato | ha lanciato | ha accolto con favore | ha studiato | ha ritardato |
            ha convalidato | ha redatto | ha valutato | ha prorogato | ha semplificato |
            ha contestato | ha ultimato | ha illustrato | ha raccomandato | ha adottato |
            ha svelato"""),
        "obj": _w("""un nuovo piano per la casa | il bilancio annuale |
            un rapporto dettagliato sulla qualità dell'aria |
            il progetto di una linea tranviaria | un progetto pilota di autobus elettrici |
            i risultati del sondaggio | una strategia per ridurre i rifiuti |
            nuove regole per gli affitti brevi | un programma per giovani apprendisti |
            i piani per un secondo ponte | un accordo con i comuni vicini |
            uno studio sull'aumento degli affitti | l'orario della stagione invernale |
            un piano per ristrutturare le scuole | la bozza della legge sul clima |
            un fondo per i piccoli agricoltori | misure contro il rumore |
            il progetto del nuovo quartiere portuale |
            un'iniziativa per i negozi di vicinato | la riqualificazione della piazza centrale |
            un quadro per i servizi digitali | il contratto per la raccolta dei rifiuti |
            una campagna per la sicurezza dei ciclisti |
            l'estensione della rete di bus notturni | un pacchetto di sgravi fiscali |
            il restauro del vecchio teatro | un piano di gestione idrica |
            le regole per gli appalti pubblici | un nuovo sistema contro le alluvioni |
            la chiusura della centrale a carbone"""),
        "adj": _w("""controversa | sorprendentemente popolare | difficile da finanziare |
            attesa da tempo | poco contestata | tutt'altro che certa | più complessa del previsto |
            urgente | poco chiara | promettente | costosa | ampiamente condivisa |
            tecnicamente impegnativa | politicamente delicata | piuttosto modesta |
            straordinariamente riuscita | ancora incompleta | difficile da prevedere | fragile |
            ambiziosa | realistica | deludente | incoraggiante | insolitamente trasparente |
            difficile da attuare"""),
        "place": _w("""nei quartieri a nord | vicino al porto vecchio | in centro |
            in tutta la regione | in municipio | in diversi comuni rurali | lungo il fiume |
            nella zona industriale | alla periferia della città | nei quartieri orientali |
            alla stazione centrale | nel centro storico | nei paesi della costa |
            nel campus universitario | nelle valli alpine | vicino allo svincolo autostradale |
            nel nuovo quartiere residenziale | all'aeroporto regionale | in piazza del mercato |
            intorno al lago | nelle ex città minerarie | nel quartiere fieristico |
            nella provincia vicina | sulla costa settentrionale | nel sud della provincia |
            vicino al valico di confine | nel parco industriale | nel capoluogo |
            nel centro civico | nei paesi limitrofi"""),
        "time": _w("""lunedì | la settimana scorsa | all'inizio dell'anno | martedì sera |
            a fine ottobre | in primavera | per la terza volta quest'anno |
            dopo un lungo ritardo | durante le vacanze estive | giovedì mattina |
            negli ultimi mesi | lo scorso autunno | poco prima delle elezioni |
            all'inizio di dicembre | nel fine settimana | due anni fa | a gennaio |
            venerdì pomeriggio | a metà marzo | questo mese | dopo le trattative sul bilancio |
            alla fine degli anni Novanta | dopo la pandemia | nell'ultima riunione |
            prima dell'inverno"""),
        "topic": _w("""la crisi degli alloggi | la riforma della scuola | la transizione energetica |
            la strategia turistica | la rete del trasporto pubblico | la gestione dell'acqua |
            la riforma sanitaria | l'economia regionale |
            la digitalizzazione della pubblica amministrazione | la raccolta differenziata |
            la sicurezza stradale | la crescita degli affitti | la politica climatica |
            la riqualificazione del porto | la copertura della banda larga |
            l'offerta di asili nido | la qualità dell'aria | la vita notturna |
            la politica agricola | la nuova zona pedonale | la riforma delle pensioni |
            la politica culturale | la difesa dalle alluvioni |
            la rete delle piste ciclabili | la nuova linea della metropolitana"""),
    },
    first_names=_w("""Giulia | Marco | Francesca | Luca | Chiara | Andrea | Sara | Alessandro |
        Valentina | Matteo | Elena | Davide | Federica | Simone | Martina | Stefano | Silvia |
        Lorenzo | Paola | Giovanni | Alessia | Riccardo | Laura | Fabio | Roberta"""),
    last_names=_w("""Rossi | Russo | Ferrari | Esposito | Bianchi | Romano | Colombo | Ricci |
        Marino | Greco | Bruno | Gallo | Conti | De Luca | Mancini | Costa | Giordano | Rizzo |
        Lombardi | Moretti | Barbieri | Fontana | Santoro | Mariani | Rinaldi"""),
    pii={
        "email": ("Le domande possono essere inviate a {value}.",
                  "I lettori possono contattare {person} all'indirizzo {value}."),
        "phone": ("Il numero {value} è attivo dal lunedì al venerdì.",),
        "ipv4": ("Il guasto è iniziato quando il server {value} ha smesso di rispondere.",),
        "ipv6": ("L'attacco è stato ricondotto all'indirizzo IPv6 {value}.",),
        "credit_card": ("Un lettore ha segnalato che la carta {value} è stata addebitata due volte.",),
        "iban": ("Le donazioni possono essere versate sul conto {value}.",),
    },
    chrome={
        "nav": ("Home", "Cronaca", "Politica", "Economia", "Cultura", "Sport"),
        "cookie": "Questo sito utilizza cookie tecnici e di profilazione.",
        "accept": "Accetta tutto", "reject": "Rifiuta", "more": "Scopri di più",
        "privacy": "Informativa sulla privacy", "terms": "Termini di utilizzo",
        "imprint": "Chi siamo", "contact": "Contatti", "rights": "Tutti i diritti riservati.",
        "most_read": "I più letti",
        "newsletter": "Le notizie più importanti ogni mattina nella tua casella.",
        "subscribe": "Iscriviti", "search": "Cerca", "by": "Di",
        "months": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
                   "agosto", "settembre", "ottobre", "novembre", "dicembre"),
        "date": "{d} {month} {y}",
        "not_found": "Pagina non trovata",
        "not_found_text": "La pagina richiesta non esiste.",
        "related": "Leggi anche",
    },
    decimal_sep=",",
    money="{amount} milioni di euro",
    spam="Miglior prezzo economico spedizione gratuita clicca qui offerta",
)

# --------------------------------------------------------------------------------------------
# Portuguese
# --------------------------------------------------------------------------------------------

PT = Language(
    code="pt", iso3="por", name="Portuguese",
    templates=(
        "{time}, {subj} {verb} {obj} {place}.",
        "Segundo {person}, {subj} {verb} {obj} {time}.",
        "{subj} {verb} {obj}, e {subj2} {verb2} {obj2}.",
        "{topic} continua {adj}, afirmou {person}.",
        "{place}, {topic} é considerada {adj}.",
        "Os custos subiram {pct} % {time}, enquanto {subj} {verb} {obj}.",
        "{subj} espera cerca de {count} participantes {place}.",
        "Em entrevista, {person} classificou a medida como {adj}.",
        "Os críticos afirmam que {subj} {verb} {obj} sem consultar os moradores.",
        "O projeto deve custar cerca de {money}, e {subj} {verb} {obj} {time}.",
        "{time}, {count} pessoas assinaram uma petição contra {obj}.",
        "Como {subj} {verb} {obj}, {subj2} {verb2} {obj2} {place}.",
        "{subj} {verb} {obj} pela primeira vez em {year}.",
        "{place}, {subj} {verb} {obj} {time}.",
        "Para {person}, {topic} é {adj}.",
        "{subj} {verb} {obj} {place}, mas {topic} continua {adj}.",
        "Os moradores {place} esperam {obj} desde {year}.",
        "Junto com {person}, {subj} {verb} {obj} {time}.",
        "Em {year}, apenas {pct} % das famílias {place} apoiavam {obj}.",
        "Enquanto isso, {subj} {verb} {obj} {place}.",
    ),
    headlines=(
        "{subj} {verb} {obj}",
        "Novo debate sobre {topic} {place}",
        "{person}: “{Topic} é {adj}”",
        "{count} moradores protestam contra {obj}",
        "O que muda para a região com {topic}",
    ),
    slots={
        "subj": _w("""a prefeitura | a câmara municipal | o governo estadual |
            a empresa de transportes | um grupo de pesquisadores | o hospital universitário |
            a companhia de habitação | o instituto de estatística | a agência ambiental |
            a secretaria de educação | o gabinete do prefeito |
            uma associação de comerciantes | a autoridade portuária |
            a agência reguladora de energia | o tribunal regional |
            o sindicato dos agricultores | a rede de bibliotecas |
            uma associação de moradores | o departamento de turismo |
            a companhia de saneamento | o ministério da Saúde | a oposição |
            a concessionária do aeroporto | um auditor independente | o corpo de bombeiros |
            a emissora regional | a direção do museu | a comissão de urbanismo |
            um consórcio de engenharia | o sindicato dos professores"""),
        "verb": _w("""apresentou | aprovou | criticou | publicou | rejeitou | revisou | defendeu |
            financiou | adiou | anunciou | questionou | alterou | apoiou | ampliou | testou |
            lançou | elogiou | estudou | atrasou | validou | redigiu | avaliou | prorrogou |
            simplificou | contestou | concluiu | detalhou | recomendou | adotou | divulgou"""),
        "obj": _w("""um novo plano de habitação | o orçamento anual |
            um relatório detalhado sobre a qualidade do ar | o projeto de uma linha de bonde |
            um projeto piloto de ônibus elétricos | os resultados da pesquisa |
            uma estratégia para reduzir o lixo | novas regras para aluguéis de temporada |
            um programa para jovens aprendizes | os planos para uma segunda ponte |
            um acordo com os municípios vizinhos | um estudo sobre a alta dos aluguéis |
            o horário da temporada de inverno | um plano para reformar escolas antigas |
            o texto da lei do clima | um fundo para pequenos agricultores |
            medidas contra o ruído | o desenho do novo bairro portuário |
            uma iniciativa de apoio ao comércio local | a reforma da praça central |
            um marco para os serviços digitais | o contrato de coleta de lixo |
            uma campanha pela segurança dos ciclistas |
            a ampliação da rede de ônibus noturnos | um pacote de cortes de impostos |
            a restauração do antigo teatro | um plano de gestão da água |
            as regras das licitações públicas | um novo sistema contra enchentes |
            o fechamento da usina a carvão"""),
        "adj": _w("""polêmica | surpreendentemente popular | difícil de financiar |
            aguardada há muito tempo | pouco contestada | incerta |
            mais complexa do que o previsto | urgente | pouco clara | promissora | cara |
            amplamente apoiada | tecnicamente exigente | politicamente delicada |
            bastante modesta | notavelmente bem-sucedida | ainda incompleta | difícil de prever |
            frágil | ambiciosa | realista | decepcionante | animadora |
            invulgarmente transparente | difícil de aplicar"""),
        "place": _w("""nos bairros da zona norte | perto do porto antigo | no centro da cidade |
            em toda a região | na sede da prefeitura | em vários municípios rurais |
            ao longo do rio | no distrito industrial | na periferia da cidade |
            nos bairros da zona leste | na estação central | no centro histórico |
            nas vilas do litoral | no campus universitário | nos vales da serra |
            perto do trevo da rodovia | no novo bairro residencial | no aeroporto regional |
            na praça do mercado | ao redor do lago | nas antigas cidades mineiras |
            no parque de exposições | no município vizinho | no litoral norte |
            no sul do estado | perto da fronteira | no polo empresarial | na capital |
            no centro comunitário | nas cidades vizinhas"""),
        "time": _w("""na segunda-feira | na semana passada | no início do ano |
            na terça-feira à noite | no fim de outubro | na primavera |
            pela terceira vez este ano | após um longo atraso | durante as férias de verão |
            na quinta-feira de manhã | nos últimos meses | no outono passado |
            pouco antes das eleições | no início de dezembro | no fim de semana | há dois anos |
            em janeiro | na sexta-feira à tarde | em meados de março | este mês |
            após as negociações do orçamento | no fim dos anos noventa | desde a pandemia |
            na última reunião | antes do inverno"""),
        "topic": _w("""a crise habitacional | a reforma do ensino | a transição energética |
            a estratégia de turismo | a rede de transporte público | a gestão da água |
            a reforma da saúde | a economia regional | a digitalização da administração |
            a coleta seletiva | a segurança no trânsito | a alta dos aluguéis |
            a política climática | a revitalização do porto | a cobertura de banda larga |
            a oferta de creches | a qualidade do ar | a vida noturna | a política agrícola |
            a nova zona para pedestres | a reforma da previdência | a política cultural |
            a proteção contra enchentes | a rede de ciclovias | a nova linha de metrô"""),
    },
    first_names=_w("""Ana | João | Mariana | Pedro | Beatriz | Lucas | Fernanda | Rafael | Juliana |
        Gabriel | Camila | Tiago | Patrícia | Bruno | Carolina | Rodrigo | Larissa | Felipe |
        Renata | Gustavo | Inês | Miguel | Sofia | Diogo | Raquel"""),
    last_names=_w("""Silva | Santos | Oliveira | Souza | Pereira | Costa | Rodrigues | Almeida |
        Nascimento | Lima | Araújo | Fernandes | Carvalho | Gomes | Martins | Rocha | Ribeiro |
        Alves | Monteiro | Mendes | Barros | Freitas | Barbosa | Pinto | Moura"""),
    pii={
        "email": ("Dúvidas podem ser enviadas para {value}.",
                  "Os leitores podem falar com {person} pelo endereço {value}."),
        "phone": ("A central de atendimento funciona de segunda a sexta pelo telefone {value}.",),
        "ipv4": ("A falha começou quando o servidor {value} deixou de responder.",),
        "ipv6": ("O ataque foi rastreado até o endereço IPv6 {value}.",),
        "credit_card": ("Um leitor relatou que o cartão {value} foi cobrado duas vezes.",),
        "iban": ("As doações podem ser feitas para a conta {value}.",),
    },
    chrome={
        "nav": ("Início", "Notícias", "Política", "Economia", "Cultura", "Esportes"),
        "cookie": "Usamos cookies para melhorar a sua experiência no nosso site.",
        "accept": "Aceitar todos", "reject": "Recusar", "more": "Saiba mais",
        "privacy": "Política de privacidade", "terms": "Termos de uso",
        "imprint": "Quem somos", "contact": "Contato",
        "rights": "Todos os direitos reservados.", "most_read": "Mais lidas",
        "newsletter": "Receba as principais notícias todas as manhãs.",
        "subscribe": "Assinar", "search": "Buscar", "by": "Por",
        "months": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
                   "agosto", "setembro", "outubro", "novembro", "dezembro"),
        "date": "{d} de {month} de {y}",
        "not_found": "Página não encontrada",
        "not_found_text": "A página solicitada não existe.",
        "related": "Leia também",
    },
    decimal_sep=",",
    money="{amount} milhões de reais",
    spam="Melhor preço barato frete grátis clique aqui oferta imperdível",
)

# --------------------------------------------------------------------------------------------
# Dutch
# --------------------------------------------------------------------------------------------

NL = Language(
    code="nl", iso3="nld", name="Dutch",
    templates=(
        "{time} {verb} {subj} {obj} {place}.",
        "Volgens {person} {verb} {subj} {obj} {time}.",
        "{subj} {verb} {obj}, en {subj2} {verb2} {obj2}.",
        "{topic} blijft {adj}, zei {person}.",
        "{place} geldt {topic} als {adj}.",
        "De kosten stegen {time} met {pct} procent, terwijl {subj} {obj} {verb}.",
        "{subj} verwacht {place} ongeveer {count} deelnemers.",
        "In een gesprek met deze krant noemde {person} de maatregel {adj}.",
        "Critici vinden dat {subj} {obj} zonder inspraak van bewoners {verb}.",
        "Het project kost ongeveer {money}, en {subj} {verb} {obj} {time}.",
        "{time} tekenden {count} mensen een petitie tegen {obj}.",
        "Omdat {subj} {obj} {verb}, {verb2} {subj2} {obj2} {place}.",
        "{subj} {verb} {obj} voor het eerst in {year}.",
        "{place} {verb} {subj} {time} {obj}.",
        "Voor {person} is {topic} {adj}.",
        "{subj} {verb} {obj} {place}, maar {topic} blijft {adj}.",
        "Bewoners {place} wachten al sinds {year} op {obj}.",
        "Samen met {person} {verb} {subj} {obj} {time}.",
        "In {year} steunde slechts {pct} procent van de huishoudens {place} {obj}.",
        "Intussen {verb} {subj} {place} {obj}.",
    ),
    headlines=(
        "{subj} {verb} {obj}",
        "Nieuw debat over {topic} {place}",
        "{person}: '{Topic} is {adj}'",
        "{count} bewoners protesteren tegen {obj}",
        "Wat {topic} betekent voor de regio",
    ),
    slots={
        "subj": _w("""de gemeenteraad | het college van burgemeester en wethouders | de provincie |
            de vervoerregio | een groep onderzoekers | het academisch ziekenhuis |
            de woningcorporatie | het statistiekbureau | de omgevingsdienst | het schoolbestuur |
            de burgemeester | een vereniging van winkeliers | het havenbedrijf |
            de energietoezichthouder | de rechtbank | de boerenorganisatie |
            de openbare bibliotheek | een lokale stichting | het toeristenbureau |
            het waterbedrijf | het ministerie van Volksgezondheid | de oppositie |
            de luchthavenexploitant | een onafhankelijke accountant | de brandweer |
            de regionale omroep | de museumdirectie | de commissie ruimtelijke ordening |
            een consortium van ingenieursbureaus | de lerarenvakbond"""),
        "verb": _w("""presenteerde | bekritiseerde | publiceerde | verwierp | onderzocht |
            verdedigde | financierde | verschoof | bevestigde | betwistte | herzag | steunde |
            verbreedde | testte | lanceerde | verwelkomde | bestudeerde | vertraagde |
            bekrachtigde | ontwierp | evalueerde | verlengde | vereenvoudigde | bestreed |
            voltooide | beschreef | ontvouwde | omarmde | bepleitte | herschreef"""),
        "obj": _w("""een nieuw woningbouwplan | de jaarlijkse begroting |
            een uitgebreid rapport over de luchtkwaliteit | het voorstel voor een tramlijn |
            een proefproject met elektrische bussen | de resultaten van de enquête |
            een strategie tegen zwerfafval | nieuwe regels voor vakantieverhuur |
            een programma voor jonge leerlingen | de plannen voor een tweede brug |
            een akkoord met de buurgemeenten | een studie naar stijgende huren |
            de dienstregeling voor de winter | een plan om oude scholen te renoveren |
            het ontwerp van de klimaatwet | een fonds voor kleine boeren |
            maatregelen tegen geluidsoverlast | het concept voor de nieuwe havenwijk |
            een initiatief voor de lokale winkels | de herinrichting van het marktplein |
            een kader voor digitale diensten | het contract voor de afvalinzameling |
            een campagne voor veilig fietsen | de uitbreiding van het nachtbusnet |
            een pakket belastingverlagingen | de renovatie van de oude schouwburg |
            een langetermijnplan voor het waterbeheer |
            de regels voor openbare aanbestedingen | een nieuw systeem tegen overstromingen |
            de sluiting van de kolencentrale"""),
        "adj": _w("""omstreden | verrassend populair | moeilijk te financieren | al lang nodig |
            grotendeels onomstreden | allerminst zeker | ingewikkelder dan verwacht | dringend |
            onduidelijk | veelbelovend | duur | breed gesteund | technisch uitdagend |
            politiek gevoelig | tamelijk bescheiden | opvallend succesvol | nog onvolledig |
            moeilijk te voorspellen | kwetsbaar | ambitieus | realistisch | teleurstellend |
            bemoedigend | ongewoon transparant | nauwelijks uitvoerbaar"""),
        "place": _w("""in de noordelijke wijken | bij de oude haven | in het centrum |
            in de hele regio | op het stadhuis | in verschillende plattelandsgemeenten |
            langs de rivier | op het industrieterrein | aan de rand van de stad |
            in de oostelijke buitenwijken | bij het centraal station |
            in de historische binnenstad | in de kustdorpen | op de universiteitscampus |
            in de heuvels van het zuiden | bij de snelwegafrit | in de nieuwe woonwijk |
            op het regionale vliegveld | op de Grote Markt | rond het meer |
            in de voormalige mijnsteden | op het beursterrein | in de naburige gemeente |
            langs de noordkust | in het zuiden van de provincie | bij de grensovergang |
            op het bedrijventerrein | in de hoofdstad | in het buurthuis |
            in de omliggende dorpen"""),
        "time": _w("""maandag | vorige week | begin dit jaar | dinsdagavond | eind oktober |
            in het voorjaar | voor de derde keer dit jaar | na lange vertraging |
            tijdens de zomervakantie | donderdagochtend | de afgelopen maanden |
            afgelopen najaar | kort voor de verkiezingen | begin december | afgelopen weekend |
            twee jaar geleden | in januari | vrijdagmiddag | half maart | deze maand |
            na het begrotingsoverleg | eind jaren negentig | sinds de pandemie |
            tijdens de laatste vergadering | voor de winter"""),
        "topic": _w("""de woningnood | het nieuwe fietsnetwerk | de energietransitie |
            de onderwijshervorming | het toerismebeleid | het openbaar vervoer |
            de drinkwatervoorziening | de zorghervorming | de regionale economie |
            de digitalisering van de overheid | de afvalinzameling | de verkeersveiligheid |
            de jeugdwerkloosheid | de dijkversterking | de cultuursubsidie | de huurverhoging |
            het klimaatbeleid | de herontwikkeling van de haven | de uitrol van glasvezel |
            de kinderopvang | de luchtkwaliteit | het nachtleven | het landbouwbeleid |
            de vergroening van de stad | de pensioenhervorming"""),
    },
    first_names=_w("""Sanne | Daan | Lotte | Bram | Eva | Thijs | Femke | Ruben | Anouk | Jeroen |
        Iris | Sander | Marieke | Joris | Lieke | Wouter | Esther | Koen | Noor | Pieter | Ilse |
        Stijn | Merel | Bas | Floor"""),
    last_names=_w("""de Jong | Jansen | de Vries | van den Berg | van Dijk | Bakker | Janssen |
        Visser | Smit | Meijer | de Boer | Mulder | de Groot | Bos | Vos | Peters | Hendriks |
        van Leeuwen | Dekker | Brouwer | de Wit | Dijkstra | Smits | de Graaf | van der Meer"""),
    pii={
        "email": ("Vragen kunnen worden gestuurd naar {value}.",
                  "Lezers kunnen {person} rechtstreeks mailen via {value}."),
        "phone": ("De hulplijn is op werkdagen bereikbaar via {value}.",),
        "ipv4": ("De storing begon toen de server {value} niet meer reageerde.",),
        "ipv6": ("De aanval werd herleid tot het IPv6-adres {value}.",),
        "credit_card": ("Een lezer meldde dat kaartnummer {value} twee keer was belast.",),
        "iban": ("Giften kunnen worden overgemaakt op rekening {value}.",),
    },
    chrome={
        "nav": ("Voorpagina", "Nieuws", "Politiek", "Economie", "Cultuur", "Sport"),
        "cookie": "Wij gebruiken cookies om onze website te verbeteren.",
        "accept": "Alles accepteren", "reject": "Weigeren", "more": "Meer informatie",
        "privacy": "Privacybeleid", "terms": "Gebruiksvoorwaarden", "imprint": "Colofon",
        "contact": "Contact", "rights": "Alle rechten voorbehouden.",
        "most_read": "Meest gelezen",
        "newsletter": "Elke ochtend het belangrijkste nieuws in je mailbox.",
        "subscribe": "Aanmelden", "search": "Zoeken", "by": "Door",
        "months": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                   "september", "oktober", "november", "december"),
        "date": "{d} {month} {y}",
        "not_found": "Pagina niet gevonden",
        "not_found_text": "De opgevraagde pagina bestaat niet.",
        "related": "Meer over dit onderwerp",
    },
    decimal_sep=",",
    money="{amount} miljoen euro",
    spam="Beste prijs goedkoop gratis verzending klik hier aanbieding",
)

# --------------------------------------------------------------------------------------------
# Russian (past tense agrees in gender: subjects and first names carry :m/:f/:n)
# --------------------------------------------------------------------------------------------

RU = Language(
    code="ru", iso3="rus", name="Russian",
    templates=(
        "{time} {subj} {verb} {obj} {place}.",
        "Как отмечает {person}, {subj} {verb} {obj} {time}.",
        "{subj} {verb} {obj}, а {subj2} {verb2} {obj2}.",
        "«Это {adj} задача», — говорит {person}.",
        "{place} {topic} вызывает споры.",
        "Расходы {time} выросли на {pct} %, а {subj} {verb} {obj}.",
        "{subj} ожидает {place} около {count} участников.",
        "В интервью нашей газете {person} подчёркивает, что это {adj} задача.",
        "Критики считают, что {subj} {verb} {obj} без обсуждения с жителями.",
        "Проект обойдётся примерно в {money}, а {subj} {verb} {obj} {time}.",
        "{time} около {count} жителей подписали обращение {place}.",
        "Поскольку {subj} {verb} {obj}, {subj2} {verb2} {obj2} {place}.",
        "{subj} впервые {verb} {obj} в {year} году.",
        "{place} {subj} {verb} {obj} {time}.",
        "Для многих жителей {topic} — {adj} тема.",
        "{subj} {verb} {obj} {place}, однако {topic} вызывает вопросы.",
        "Ещё в {year} году {subj} {verb} {obj}.",
        "При участии экспертов {subj} {verb} {obj} {time}.",
        "В {year} году лишь {pct} % семей {place} поддерживали {obj}.",
        "Тем временем {subj} {verb} {obj} {place}.",
    ),
    headlines=(
        "{subj} {verb} {obj}",
        "{Topic}: новые споры {place}",
        "{person}: «Это {adj} задача»",
        "Около {count} жителей вышли на акцию {place}",
        "Что {topic} значит для региона",
    ),
    slots={
        "subj": _w("""мэрия:f | городская дума:f | областное правительство:n |
            транспортное управление:n | группа исследователей:f | университетская клиника:f |
            жилищный фонд:m | региональное управление статистики:n |
            природоохранная прокуратура:f | управление образования:n | администрация района:f |
            объединение предпринимателей:n | портовая администрация:f |
            энергетическая компания:f | арбитражный суд:m | союз фермеров:m |
            центральная библиотека:f | местный благотворительный фонд:m |
            комитет по туризму:m | водоканал:m | министерство здравоохранения:n |
            оппозиционная фракция:f | управляющая компания аэропорта:f |
            независимый аудитор:m | пожарная служба:f | региональный телеканал:m |
            дирекция музея:f | комиссия по градостроительству:f |
            консорциум инженерных компаний:m | профсоюз учителей:m"""),
        "verb": _w("""представил | утвердил | раскритиковал | опубликовал | отклонил |
            пересмотрел | защитил | профинансировал | отложил | объявил | оспорил | доработал |
            поддержал | расширил | протестировал | запустил | одобрил | изучил | задержал |
            согласовал | подготовил | оценил | продлил | упростил | обсудил | завершил | описал |
            рекомендовал | принял | проанализировал"""),
        "obj": _w("""новый план жилищного строительства | годовой бюджет |
            подробный доклад о качестве воздуха | проект трамвайной линии |
            пилотный проект электробусов | результаты опроса | стратегию сокращения отходов |
            новые правила краткосрочной аренды | программу для молодых специалистов |
            планы второго моста | соглашение с соседними районами |
            исследование роста арендной платы | расписание зимнего сезона |
            план ремонта старых школ | проект закона о климате | фонд поддержки фермеров |
            меры против шума | концепцию нового портового квартала |
            инициативу в поддержку местной торговли | реконструкцию центральной площади |
            рамочные правила для цифровых услуг | договор на вывоз мусора |
            кампанию за безопасность велосипедистов | расширение сети ночных автобусов |
            пакет налоговых льгот | реставрацию старого театра |
            долгосрочный план водоснабжения | правила государственных закупок |
            новую систему защиты от наводнений | закрытие угольной электростанции"""),
        "adj": _w("""спорная | неожиданно популярная | дорогостоящая | давно назревшая |
            почти бесспорная | далеко не решённая | непростая | срочная | неясная |
            многообещающая | затратная | широко поддержанная | технически сложная |
            политически чувствительная | довольно скромная | на редкость успешная |
            пока незавершённая | трудно предсказуемая | хрупкая | амбициозная | реалистичная |
            разочаровывающая | обнадёживающая | необычайно прозрачная | трудновыполнимая"""),
        "place": _w("""в северных районах | у старого порта | в центре города | по всему региону |
            в здании мэрии | в нескольких сельских поселениях | вдоль реки |
            в промышленной зоне | на окраине города | в восточных пригородах |
            на центральном вокзале | в историческом центре | в прибрежных посёлках |
            в университетском городке | в горных долинах | у развязки на трассе |
            в новом жилом квартале | в региональном аэропорту | на рыночной площади |
            вокруг озера | в бывших шахтёрских городах | в выставочном центре |
            в соседнем районе | на северном побережье | на юге области |
            у пограничного перехода | в бизнес-парке | в столице | в доме культуры |
            в окрестных сёлах"""),
        "time": _w("""в понедельник | на прошлой неделе | в начале года | во вторник вечером |
            в конце октября | весной | уже третий раз в этом году | после долгой задержки |
            во время летних каникул | в четверг утром | в последние месяцы | прошлой осенью |
            незадолго до выборов | в начале декабря | в выходные | два года назад | в январе |
            в пятницу днём | в середине марта | в этом месяце | после бюджетных переговоров |
            в конце девяностых | после пандемии | на последнем заседании | перед зимой"""),
        "topic": _w("""жилищный кризис | новая сеть велодорожек | энергетический переход |
            школьная реформа | развитие туризма | общественный транспорт | водоснабжение |
            реформа здравоохранения | региональная экономика | цифровизация администрации |
            вывоз мусора | безопасность дорожного движения | безработица среди молодёжи |
            защита от паводков | поддержка культуры | рост арендной платы |
            климатическая политика | реконструкция порта | интернет в сёлах |
            нехватка детских садов | качество воздуха | ночная жизнь города |
            поддержка фермеров | озеленение улиц | пенсионная реформа"""),
    },
    first_names=_w("""Анна:f | Дмитрий:m | Елена:f | Сергей:m | Ольга:f | Алексей:m | Мария:f |
        Андрей:m | Татьяна:f | Михаил:m | Наталья:f | Игорь:m | Екатерина:f | Павел:m |
        Ирина:f | Николай:m | Светлана:f | Владимир:m | Юлия:f | Артём:m | Марина:f |
        Константин:m | Виктория:f | Роман:m | Ксения:f"""),
    last_names=_w("""Иванов | Смирнов | Кузнецов | Попов | Васильев | Петров | Соколов |
        Михайлов | Новиков | Фёдоров | Морозов | Волков | Алексеев | Лебедев | Семёнов |
        Егоров | Павлов | Козлов | Степанов | Николаев | Орлов | Андреев | Макаров | Никитин |
        Захаров"""),
    pii={
        "email": ("Вопросы можно направлять по адресу {value}.",
                  "Автор материала, {person}, отвечает на вопросы читателей по адресу {value}."),
        "phone": ("Горячая линия работает по будням по телефону {value}.",),
        "ipv4": ("Сбой начался, когда сервер {value} перестал отвечать.",),
        "ipv6": ("Атаку удалось отследить до IPv6-адреса {value}.",),
        "credit_card": ("Читатель сообщил, что с карты {value} деньги списали дважды.",),
    },
    chrome={
        "nav": ("Главная", "Новости", "Политика", "Экономика", "Культура", "Спорт"),
        "cookie": "Мы используем файлы cookie, чтобы сделать сайт удобнее.",
        "accept": "Принять все", "reject": "Отклонить", "more": "Подробнее",
        "privacy": "Политика конфиденциальности", "terms": "Пользовательское соглашение",
        "imprint": "О редакции", "contact": "Контакты", "rights": "Все права защищены.",
        "most_read": "Самое читаемое",
        "newsletter": "Главные новости каждое утро в вашей почте.",
        "subscribe": "Подписаться", "search": "Поиск", "by": "Автор:",
        "months": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                   "сентября", "октября", "ноября", "декабря"),
        "date": "{d} {month} {y} г.",
        "not_found": "Страница не найдена",
        "not_found_text": "Запрошенная страница не существует.",
        "related": "Читайте также",
    },
    decimal_sep=",",
    money="{amount} миллиона рублей",
    spam="Лучшая цена дёшево бесплатная доставка жми сюда акция",
    gendered=True,
    verb_suffix={"m": "", "f": "а", "n": "о"},
    fem_surname="ru",
)

# --------------------------------------------------------------------------------------------
# Polish (past tense agrees in gender, as in Russian)
# --------------------------------------------------------------------------------------------

PL = Language(
    code="pl", iso3="pol", name="Polish",
    templates=(
        "{time} {subj} {verb} {obj} {place}.",
        "Jak podkreśla {person}, {subj} {verb} {obj} {time}.",
        "{subj} {verb} {obj}, a {subj2} {verb2} {obj2}.",
        "„To {adj} decyzja” – mówi {person}.",
        "{place} {topic} budzi spory.",
        "Koszty wzrosły {time} o {pct} proc., a {subj} {verb} {obj}.",
        "{subj} spodziewa się {place} około {count} uczestników.",
        "W rozmowie z naszą redakcją {person} podkreśla, że to {adj} decyzja.",
        "Krytycy uważają, że {subj} {verb} {obj} bez konsultacji z mieszkańcami.",
        "Projekt ma kosztować około {money}, a {subj} {verb} {obj} {time}.",
        "{time} petycję podpisało około {count} mieszkańców {place}.",
        "Ponieważ {subj} {verb} {obj}, {subj2} {verb2} {obj2} {place}.",
        "{subj} po raz pierwszy {verb} {obj} w {year} roku.",
        "{place} {subj} {verb} {obj} {time}.",
        "Dla wielu mieszkańców {topic} to {adj} sprawa.",
        "{subj} {verb} {obj} {place}, jednak {topic} budzi wątpliwości.",
        "Już w {year} roku {subj} {verb} {obj}.",
        "Przy udziale ekspertów {subj} {verb} {obj} {time}.",
        "W {year} roku tylko {pct} proc. gospodarstw domowych {place} popierało {obj}.",
        "Tymczasem {subj} {verb} {obj} {place}.",
    ),
    headlines=(
        "{subj} {verb} {obj}",
        "{Topic}: nowa debata {place}",
        "{person}: „To {adj} decyzja”",
        "Około {count} mieszkańców protestuje {place}",
        "Co {topic} oznacza dla regionu",
    ),
    slots={
        "subj": _w("""urząd miasta:m | rada miejska:f | samorząd województwa:m |
            zarząd transportu miejskiego:m | grupa naukowców:f | szpital uniwersytecki:m |
            spółdzielnia mieszkaniowa:f | urząd statystyczny:m |
            inspekcja ochrony środowiska:f | kuratorium oświaty:n | gabinet prezydenta miasta:m |
            stowarzyszenie kupców:n | zarząd portu:m | urząd regulacji energetyki:m |
            sąd rejonowy:m | związek rolników:m | biblioteka miejska:f | lokalna fundacja:f |
            biuro turystyki:n | przedsiębiorstwo wodociągowe:n | ministerstwo zdrowia:n |
            opozycja:f | zarząd lotniska:m | niezależny audytor:m | straż pożarna:f |
            regionalna telewizja:f | dyrekcja muzeum:f | komisja urbanistyczna:f |
            konsorcjum firm inżynieryjnych:n | związek nauczycieli:m"""),
        "verb": _w("""przedstawił | zatwierdził | skrytykował | opublikował | odrzucił |
            przeanalizował | obronił | sfinansował | przełożył | ogłosił | zakwestionował |
            poprawił | poparł | rozszerzył | przetestował | uruchomił | zbadał | opóźnił |
            zaakceptował | przygotował | ocenił | przedłużył | uprościł | podważył | zakończył |
            opisał | zarekomendował | zaprezentował | omówił | zaplanował"""),
        "obj": _w("""nowy plan budowy mieszkań | roczny budżet |
            szczegółowy raport o jakości powietrza | projekt linii tramwajowej |
            pilotażowy program autobusów elektrycznych | wyniki ankiety |
            strategię ograniczania odpadów | nowe zasady najmu krótkoterminowego |
            program dla młodych praktykantów | plany budowy drugiego mostu |
            porozumienie z sąsiednimi gminami | badanie dotyczące rosnących czynszów |
            rozkład jazdy na sezon zimowy | plan remontu starych szkół |
            projekt ustawy klimatycznej | fundusz dla małych gospodarstw |
            działania przeciw hałasowi | koncepcję nowej dzielnicy portowej |
            inicjatywę wspierającą lokalne sklepy | przebudowę rynku |
            ramy dla usług cyfrowych | umowę na wywóz śmieci |
            kampanię na rzecz bezpieczeństwa rowerzystów | rozbudowę sieci autobusów nocnych |
            pakiet ulg podatkowych | renowację starego teatru |
            długoterminowy plan gospodarki wodnej | zasady zamówień publicznych |
            nowy system ochrony przeciwpowodziowej | zamknięcie elektrowni węglowej"""),
        "adj": _w("""kontrowersyjna | zaskakująco popularna | kosztowna | od dawna oczekiwana |
            mało sporna | niepewna | skomplikowana | pilna | niejasna | obiecująca | droga |
            szeroko popierana | technicznie wymagająca | politycznie drażliwa | raczej skromna |
            wyjątkowo udana | wciąż niedokończona | trudna do przewidzenia | krucha | ambitna |
            realistyczna | rozczarowująca | zachęcająca | niezwykle przejrzysta |
            trudna do wdrożenia"""),
        "place": _w("""w północnych dzielnicach | przy starym porcie | w centrum miasta |
            w całym regionie | w ratuszu | w kilku gminach wiejskich | wzdłuż rzeki |
            w strefie przemysłowej | na obrzeżach miasta | na wschodnich przedmieściach |
            na dworcu głównym | na starym mieście | w nadmorskich miejscowościach |
            w kampusie uniwersyteckim | w górskich dolinach | przy węźle autostradowym |
            na nowym osiedlu | na regionalnym lotnisku | na rynku | wokół jeziora |
            w dawnych miastach górniczych | na terenach targowych | w sąsiednim powiecie |
            na północnym wybrzeżu | na południu województwa | przy przejściu granicznym |
            w parku technologicznym | w stolicy | w domu kultury | w okolicznych wsiach"""),
        "time": _w("""w poniedziałek | w zeszłym tygodniu | na początku roku | we wtorek wieczorem |
            pod koniec października | wiosną | już trzeci raz w tym roku |
            po długim opóźnieniu | podczas wakacji | w czwartek rano | w ostatnich miesiącach |
            zeszłej jesieni | tuż przed wyborami | na początku grudnia | w weekend |
            dwa lata temu | w styczniu | w piątek po południu | w połowie marca |
            w tym miesiącu | po negocjacjach budżetowych | pod koniec lat dziewięćdziesiątych |
            po pandemii | na ostatnim posiedzeniu | przed zimą"""),
        "topic": _w("""kryzys mieszkaniowy | nowa sieć dróg rowerowych | transformacja energetyczna |
            reforma szkolnictwa | rozwój turystyki | komunikacja miejska | zaopatrzenie w wodę |
            reforma służby zdrowia | gospodarka regionu | cyfryzacja administracji |
            gospodarka odpadami | bezpieczeństwo na drogach | bezrobocie wśród młodzieży |
            ochrona przeciwpowodziowa | finansowanie kultury | wzrost czynszów |
            polityka klimatyczna | przebudowa portu | szybki internet na wsi |
            brak miejsc w żłobkach | jakość powietrza | nocne życie miasta |
            wsparcie dla rolników | zieleń miejska | reforma emerytalna"""),
    },
    first_names=_w("""Anna:f | Piotr:m | Katarzyna:f | Tomasz:m | Magdalena:f | Paweł:m |
        Agnieszka:f | Marcin:m | Joanna:f | Krzysztof:m | Monika:f | Michał:m | Ewa:f | Jakub:m |
        Aleksandra:f | Łukasz:m | Karolina:f | Grzegorz:m | Natalia:f | Adam:m | Barbara:f |
        Marek:m | Zofia:f | Bartosz:m | Justyna:f"""),
    last_names=_w("""Kowalski | Nowak | Wiśniewski | Wójcik | Kowalczyk | Kamiński | Lewandowski |
        Zieliński | Szymański | Woźniak | Dąbrowski | Kozłowski | Jankowski | Mazur |
        Kwiatkowski | Krawczyk | Piotrowski | Grabowski | Nowakowski | Pawłowski | Michalski |
        Król | Wieczorek | Jabłoński | Wróbel"""),
    pii={
        "email": ("Pytania można kierować na adres {value}.",
                  "Autor tekstu, {person}, odpowiada na pytania czytelników pod adresem {value}."),
        "phone": ("Infolinia działa w dni robocze pod numerem {value}.",),
        "ipv4": ("Awaria zaczęła się, gdy serwer {value} przestał odpowiadać.",),
        "ipv6": ("Atak namierzono pod adresem IPv6 {value}.",),
        "credit_card": ("Czytelnik zgłosił, że z karty {value} pobrano opłatę dwukrotnie.",),
        "iban": ("Darowizny można wpłacać na konto {value}.",),
    },
    chrome={
        "nav": ("Strona główna", "Wiadomości", "Polityka", "Gospodarka", "Kultura", "Sport"),
        "cookie": "Używamy plików cookie, aby ułatwić korzystanie z serwisu.",
        "accept": "Akceptuję wszystkie", "reject": "Odrzuć", "more": "Dowiedz się więcej",
        "privacy": "Polityka prywatności", "terms": "Regulamin", "imprint": "Redakcja",
        "contact": "Kontakt", "rights": "Wszelkie prawa zastrzeżone.",
        "most_read": "Najczęściej czytane",
        "newsletter": "Najważniejsze wiadomości codziennie rano na Twojej skrzynce.",
        "subscribe": "Zapisz się", "search": "Szukaj", "by": "Autor:",
        "months": ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
                   "sierpnia", "września", "października", "listopada", "grudnia"),
        "date": "{d} {month} {y}",
        "not_found": "Nie znaleziono strony",
        "not_found_text": "Żądana strona nie istnieje.",
        "related": "Czytaj także",
    },
    decimal_sep=",",
    money="{amount} mln zł",
    spam="Najlepsza cena tanio darmowa wysyłka kliknij tutaj promocja",
    gendered=True,
    verb_suffix={"m": "", "f": "a", "n": "o"},
    fem_surname="pl",
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (EN, DE, FR, ES, IT, PT, NL, RU, PL)}

LOREM = _w("""lorem | ipsum | dolor | sit | amet | consectetur | adipiscing | elit | sed | do |
    eiusmod | tempor | incididunt | ut | labore | et | dolore | magna | aliqua | enim | ad |
    minim | veniam | quis | nostrud | exercitation | ullamco | laboris | nisi | aliquip | ex |
    ea | commodo | consequat | duis | aute | irure | in | reprehenderit | voluptate | velit |
    esse | cillum | fugiat | nulla | pariatur | excepteur | sint | occaecat | cupidatat | non |
    proident | sunt | culpa | qui | officia | deserunt | mollit | anim | id | est | laborum""")

# --------------------------------------------------------------------------------------------
# English narrative prose for the Gutenberg-style books and the EPUB
# --------------------------------------------------------------------------------------------

NARRATIVE_TEMPLATES: tuple[str, ...] = (
    "{Char} {moved} {toward} {nplace}, {manner}.",
    "{When}, {char} {sat} by {nplace} and {thought} {about}.",
    "The {weather_noun} {weather_verb} over {nplace}, and {char} {felt} {feeling}.",
    "\"{line}\" said {char}, {manner}.",
    "\"{line}\" {char} answered, without looking up from {object}.",
    "{Char} took up {object} and {examined} it {manner}.",
    "It was {when_lc} when {char} at last {reached} {nplace}.",
    "Nobody in {town} had forgotten {about}, least of all {char}.",
    "{Char} remembered {about}, and for a moment {felt} {feeling}.",
    "There was {feeling} in the way {char} {examined} {object}.",
    "Beyond {nplace} the {weather_noun} {weather_verb}, and the lamps of {town} were lit one by one.",
    "{When}, a letter arrived for {char}, sealed with {seal}.",
    "{Char} did not answer at once, but {moved} {toward} the window {manner}.",
    "The talk at {nplace} that evening turned, as it always did, to {about}.",
    "{Char} had known {char2} for {years} years, and trusted nobody more.",
)

NARRATIVE_SLOTS: dict[str, tuple[str, ...]] = {
    "char": _w("""Mr. Hartley | Margaret | the old captain | young Thomas | Mrs. Ashdown |
        the doctor | Eleanor | the stranger | Captain Wrexham | Miss Pennington | the vicar |
        Arthur Calloway | old Samuel | the schoolmistress | Lady Ferrars | the innkeeper |
        Robert Linley | little Agnes | the surveyor | Mrs. Dunmore"""),
    "moved": _w("""walked slowly | turned | hurried | set off | crossed the room |
        stepped out | drew back | went down | climbed the stairs | wandered"""),
    "toward": _w("""towards | along | past | across | through | beyond | round | up to"""),
    "nplace": _w("""the harbour | the lighthouse | the walled garden | the village church |
        the narrow lane | the old mill | the edge of the marsh | the stone bridge |
        the kitchen fire | the library window | the orchard gate | the quay |
        the churchyard | the top of the cliff | the parlour | the long gallery |
        the stables | the crossroads | the ferry landing | the empty schoolroom"""),
    "manner": _w("""without a word | with a heavy step | as if in a dream | more quickly than usual |
        with evident reluctance | in perfect silence | half smiling | with great care |
        as though nothing had happened | with an air of quiet resolve"""),
    "When": _w("""That evening | Before dawn | In the grey light of morning | Late that night |
        On the following Sunday | At the turn of the tide | Some weeks later |
        Towards the end of the winter | Long after midnight | On the morning of the fair"""),
    "sat": _w("""sat | waited | lingered | stood for a long while | rested"""),
    "thought": _w("""thought about | wondered about | brooded over | reflected on | considered"""),
    "about": _w("""the wreck of the Mary Ellen | the letter from London | the quarrel at the inn |
        the lost deeds of the estate | her brother's long silence | the debts of the old mill |
        the lights seen on the marsh | the promise made at the churchyard |
        the sale of the farm | the winter of the great storm | the stranger's strange request |
        the map found in the attic"""),
    "weather_noun": _w("""wind | rain | fog | snow | sea mist | storm | frost"""),
    "weather_verb": _w("""rose | settled | drifted | gathered | lay heavy | swept in | lifted"""),
    "felt": _w("""felt | was seized by | could not shake off | became aware of | knew"""),
    "feeling": _w("""a strange unease | a quiet satisfaction | a sudden hope | a deep weariness |
        an old sorrow | a curious lightness | a growing dread | a warmth that had no name |
        the first stirrings of doubt | a sense of homecoming"""),
    "line": _w("""You should not have come here tonight. | I have waited long enough. |
        Tell me everything, and leave nothing out. | The tide will not wait for us. |
        There is more to this than you know. | I never doubted you for a moment. |
        We must be gone before the morning. | It was not my secret to tell. |
        Do you remember the winter we first met? | Nobody will believe a word of it."""),
    "object": _w("""the letter | an old lantern | the ledger | the brass telescope | the map |
        a faded photograph | the ship's log | a small wooden box | the key | the prayer book"""),
    "examined": _w("""examined | turned over | studied | weighed in one hand | looked at"""),
    "reached": _w("""reached | came to | arrived at | found | returned to"""),
    "town": _w("""Ardmore | Kelston | St. Bride's | Wexcombe | the village | the old town |
        Pennock Bay | Harrowgate"""),
    "seal": _w("""black wax | a crest she did not know | a plain red seal | the mark of the Admiralty"""),
    "years": _w("""five | ten | twelve | twenty | thirty | many"""),
}

# Extra material for the Latin-1 book: the prose mentions French people and places, so the
# text needs bytes above 0x7F that exist in ISO-8859-1 (and no typographic quotes).
NARRATIVE_LATIN1_EXTRA: dict[str, tuple[str, ...]] = {
    "char": _w("""Mme. Lefèvre | Émile Durand | the curé | Hélène | old Grégoire | Mlle. Bérénice |
        the notaire | Père Anselme"""),
    "nplace": _w("""the café on the square | the château gate | the rue des Trois-Frères |
        the Hôtel de la Poste | the église Saint-Rémy | the quai des Bâteliers"""),
    "town": _w("""Saint-Rémy | Montbéliard | Château-Lévêque"""),
    "about": _w("""the naïve promises of the mayor | the fiancée from Besançon |
        the rôle he had played in the affair | the débâcle at the harvest fête"""),
}

# --------------------------------------------------------------------------------------------
# Encyclopedic English for the MediaWiki dump
# --------------------------------------------------------------------------------------------

WIKI_NAME_PREFIXES = _w("""Ash | Brind | Cal | Dun | Elm | Fal | Glen | Har | Ing | Kel | Lang |
    Mar | Nor | Oak | Pen | Ray | Sal | Thorn | Wex | Ald | Bram | Cor | Dor | Fen | Gar | Hol |
    Kir | Lyn | Mor | Rost | Stan | Tal | Wyn | Bel | Crag | Eld | Fox | Hart | Ive | Lar""")
WIKI_NAME_SUFFIXES = _w("""ford | bury | wick | moor | dale | ham | ton | field | mere | stead |
    by | combe | hurst | ley | well | worth | bridge | haven | thorpe | mouth | brook | gate |
    holm | wood | cliff""")
WIKI_COUNTRIES = _w("""Arvenia | Caldria | Ostland | Meridia | Valdoran""")
WIKI_REGIONS = _w("""Northvale | Lower Sorrel | Westmarch | the Eastern Fells | Brannock |
    the Salt Coast | Upper Tamsin | the Greywater Basin | Corrin | the Midland Plain |
    Hollowmere | the Southern Reach | Dunmore Province | the Iron Hills | Kestrel Bay""")
WIKI_FIRST = _w("""John | Mary | William | Elizabeth | Henry | Anne | George | Catherine |
    Edward | Margaret | Charles | Alice | Frederick | Emma | Albert | Louisa | Walter | Harriet |
    Arthur | Florence | Hugo | Clara | Oskar | Ida | Matthias | Sofia | Edmund | Beatrice |
    Leopold | Agnes | Conrad | Helena | Rupert | Millicent | Felix | Theodora | Ambrose |
    Rosalind | Silas | Winifred""")
WIKI_LAST = _w("""Harwood | Pemberton | Ashcroft | Calloway | Dunmore | Fairbairn | Galloway |
    Hathersage | Ingram | Kettering | Lindqvist | Marlowe | Northcote | Oakes | Prendergast |
    Quayle | Rutherford | Stirling | Thackeray | Underhill | Vasquez | Whitlock | Yardley |
    Abernethy | Blackwood | Crane | Devereux | Ellingham | Fitzroy | Greaves | Holloway |
    Ives | Jessop | Kincaid | Lockhart | Merriman | Nettleton | Ormsby | Penhaligon | Radcliffe |
    Sandoval | Tremaine | Vance | Wetherby | Ashdown | Bramley | Cartwright | Dalrymple |
    Everett | Fenwick""")
WIKI_OCCUPATIONS = _w("""painter | engineer | politician | composer | architect | botanist |
    novelist | physician | cartographer | astronomer | sculptor | industrialist""")
WIKI_INDUSTRIES = _w("""wool | salt | shipbuilding | brewing | glassmaking | paper milling |
    coal mining | lace making | clockmaking | fishing | tanning | pottery""")
WIKI_COMPANY_KINDS = _w("""Railway Company | Shipping Line | Brewery | Ironworks | Motor Company |
    Porcelain Works | Mills | Savings Bank | Optical Company | Publishing House""")
WIKI_LANDMARKS = _w("""market hall | town bridge | grammar school | corn exchange | lighthouse |
    abbey ruins | tithe barn | customs house | observatory | botanical garden | castle keep |
    railway viaduct""")
