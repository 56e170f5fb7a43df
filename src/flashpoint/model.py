"""Typed records that flow between the pipeline's stages.

Article -> CleanArticle (ingest) -> Document (NLP) -> Mention (events) -> Incident (assembled)
-> Event (resolved).
Every stage takes one of these and returns the next; nothing else crosses a stage boundary.
The field names of :class:`Event` are the codebook's (../shared/codebook.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------------------
# Ingest
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One input article as a reader found it, before any cleaning."""

    id: str  # given by the input, else derived from the content (stable across runs)
    text: str  # plain text, or the HTML source when ``is_html`` is true
    origin: str  # where it came from: "path", "path:line" or "<stdin>:line"
    is_html: bool = False
    title: str | None = None
    published: dt.date | None = None  # from the input's own field, when it has one
    outlet: str | None = None
    url: str | None = None
    warnings: tuple[str, ...] = ()  # what was made safe on the way in (ingest/safety.py)


@dataclass(frozen=True)
class Dateline:
    """The reporter's location (and sometimes date) at the head of an article."""

    place: str  # as written, e.g. "Damascus", "SAN SALVADOR"
    start: int  # span of the whole dateline in the cleaned text
    end: int
    date: dt.date | None = None  # "SAN SALVADOR, 3 JAN 90 --" carries a date


@dataclass(frozen=True)
class CleanArticle:
    """An article reduced to its news text, with the metadata found on the way.

    All character offsets downstream refer to ``text``, which is kept and stored.
    """

    article: Article
    text: str
    title: str | None
    published: dt.date | None
    outlet: str | None
    language: str  # ISO 639-1 code, "en" for articles that go on
    dateline: Dateline | None = None
    removed: tuple[str, ...] = ()  # boilerplate lines taken out, for inspection
    # The date the text states for itself at its head ("Saturday 11 April 2015 ...",
    # "Published October 17 2016", "<headline> AFP Thursday 25 Sep 2014"): the clock for
    # relative days and the news window, however far from ``published`` (flashpoint.dates).
    stated_date: dt.date | None = None
    # the article's warnings, then cleaning's (a text cut after its markup went, a placeholder
    # date in the page's metadata)
    warnings: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.article.id


@dataclass(frozen=True)
class ItemError:
    """One input item that could not be processed, and why. Reported, never fatal."""

    origin: str
    reason: str
    # the cause may pass (the store was locked, a connection dropped): the same item may
    # succeed when tried again; False for the item's own fault (empty, binary, too big)
    transient: bool = False


# ---------------------------------------------------------------------------
# NLP
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A character span of the cleaned text."""

    start: int
    end: int
    text: str


@dataclass
class Document:
    """A cleaned article with its linguistic annotation (a spaCy ``Doc``).

    ``spacy_doc`` is the only spaCy object that leaves ``nlp.py``; stages read tokens,
    sentences and entities from it but never build one themselves.
    """

    clean: CleanArticle
    spacy_doc: Any
    toponyms: list[Toponym] = field(default_factory=list)  # filled by the geoparser
    # One embedding row per sentence (numpy array), set only when the pipeline runs the
    # optional learned typing check (encoder.py); None otherwise.
    sentence_vectors: Any = None

    @property
    def id(self) -> str:
        return self.clean.id

    @property
    def text(self) -> str:
        return self.clean.text


# ---------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A gazetteer entry; or a named place the gazetteer lacks ("al-Nueimeh village"), placed
    in the gazetteer area the text puts it in (``within``), whose coordinates it takes."""

    name: str
    latitude: float
    longitude: float
    country: str  # country name, e.g. "Lebanon"
    country_code: str  # ISO 3166-1 alpha-2, e.g. "LB"
    iso3: str  # ISO 3166-1 alpha-3, e.g. "LBN"
    admin1: str | None = None
    admin2: str | None = None
    feature: str = "populated place"  # populated place | admin1 | admin2 | country | region | ...
    population: int = 0
    geonameid: int | None = None  # None for places from the project's own data files
    within: Place | None = None  # set only for a place the gazetteer lacks (places/unlocated.py)


@dataclass(frozen=True)
class Toponym:
    """A place name found in a text, resolved (or not) to a gazetteer entry."""

    start: int
    end: int
    name: str  # the text as written
    place: Place | None  # None when no candidate could be chosen
    # "near X" -> "near"; "the X mountains" -> "region"; plain mention -> "in"; also "demonym"
    # ("Syrian"), "dateline" ("MOSCOW (Sputnik)") and "metonym" ("denied by Brussels")
    relation: str = "in"
    why: str = ""  # one line: why this candidate won (for --explain)


# ---------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """A normalised actor from the actor dictionary."""

    name: str  # canonical, e.g. "Military Forces of Syria (2024-)"
    inter: str  # codebook category: "State forces", "Rebel group", ...
    country: str | None = None


@dataclass(frozen=True)
class ResolvedDate:
    date: dt.date
    precision: int  # 1 day, 2 within a few days / a week, 3 month only
    text: str = ""  # the expression it came from


@dataclass(frozen=True)
class Evidence:
    """An exact sentence of the cleaned article text that supports an event.

    ``fields`` names the event's fields this sentence gave in its article's own reading (of
    :data:`PROVENANCE_FIELDS`): "388 killed" <- this sentence. It is not part of the sentence's
    identity: the same sentence is one piece of evidence whatever it gave.
    """

    text: str
    start: int
    end: int
    fields: tuple[str, ...] = field(default=(), compare=False)


@dataclass
class Mention:
    """One report of an event inside one article, before events are resolved."""

    article_id: str
    sentence: Evidence  # the sentence whose trigger made the mention
    trigger: str
    event_type: str
    sub_event_type: str
    actor1: Actor | None = None
    actor2: Actor | None = None
    assoc_actor_1: tuple[Actor, ...] = ()
    assoc_actor_2: tuple[Actor, ...] = ()
    toponyms: list[Toponym] = field(default_factory=list)
    date: ResolvedDate | None = None
    fatalities: int = 0
    fatalities_known: bool = True
    fatalities_vague: bool = False  # the figure is a vague quantity's convention ("dozens" = 12)
    injured: int | None = None
    weapons: tuple[str, ...] = ()
    certainty: str = "confirmed"
    evidence: list[Evidence] = field(default_factory=list)  # all sentences merged into it
    background: bool = False  # history / analysis, not news
    summary: bool = False  # a trend or a campaign's total ("in recent weeks", "since March 1 ... 136"): no one event
    time_reference: bool = False  # "released hours after the attack": named only to say when
    recalled: str = ""  # an earlier occasion or a war's origin ("targeted ... multiple times before"): why
    reason: str = ""  # why background or why typed so, for --explain


@dataclass
class Incident:
    """One occurrence told by one or more mentions of one article: the output of article-level
    assembly (``events/assemble.py``), the input of resolution (``events/resolve.py``)."""

    mentions: list[Mention]  # in text order
    toponym: Toponym | None  # the place it is coded to; None when the text gives none
    in_lead: bool = False  # told in the article's lead (its headline and opening sentences)
    claimed_by: Actor | None = None  # "X claimed responsibility for the attack"


@dataclass(frozen=True)
class Source:
    article_id: str
    outlet: str | None
    url: str | None
    published: dt.date | None
    evidence: tuple[Evidence, ...]


@dataclass
class Event:
    """A resolved event with the codebook's fields."""

    event_id: str
    event_date: dt.date | None
    date_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    assoc_actor_1: str
    assoc_actor_2: str
    inter1: str | None
    inter2: str | None
    country: str | None
    iso3: str | None
    admin1: str | None
    admin2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int
    fatalities_known: bool
    injured: int | None
    weapons: list[str]
    certainty: str
    notes: str
    sources: list[Source]

    def to_dict(self) -> dict[str, Any]:
        """The codebook's JSON shape: dates as ISO strings, sources nested."""
        out: dict[str, Any] = {}
        for name in EVENT_FIELDS:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
        out["sources"] = [
            {
                "article_id": s.article_id,
                "outlet": s.outlet,
                "url": s.url,
                "published": s.published.isoformat() if s.published else None,
                "evidence": [{"text": e.text, "start": e.start, "end": e.end, "fields": list(e.fields)}
                             for e in s.evidence],
            }
            for s in self.sources
        ]
        return out


@dataclass(frozen=True)
class FieldProvenance:
    """Where one field of an event came from: the value, the article and sentence that gave it
    (None when no sentence did: a codebook default, the publication day), and why that source."""

    field: str  # of PROVENANCE_FIELDS
    value: Any
    article_id: str | None
    evidence: Evidence | None
    why: str

    def to_dict(self) -> dict[str, Any]:
        """As the API and ``show --json`` give it: the sentence's offsets and text beside the
        field (null when no sentence gave it)."""
        ev = self.evidence
        return {
            "field": self.field, "value": self.value, "article_id": self.article_id, "why": self.why,
            "start": ev.start if ev else None, "end": ev.end if ev else None, "text": ev.text if ev else None,
        }


# The fields whose evidence sentence is kept (field-level provenance), in the order they are
# shown: event_type stands for sub_event_type too, location for the place's coordinates and
# regions, actor1/actor2 for their inter codes.
PROVENANCE_FIELDS: tuple[str, ...] = (
    "event_type", "event_date", "location", "actor1", "actor2", "fatalities", "injured", "weapons", "certainty",
)

EVENT_FIELDS: tuple[str, ...] = (
    "event_id",
    "event_date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    "inter1",
    "inter2",
    "country",
    "iso3",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_known",
    "injured",
    "weapons",
    "certainty",
    "notes",
)


@dataclass
class ArticleResult:
    """What the pipeline returns for one input item: its events, or why it was skipped."""

    origin: str
    article_id: str | None
    events: list[Event] = field(default_factory=list)
    error: ItemError | None = None
    clean: CleanArticle | None = None
    warnings: tuple[str, ...] = ()  # what was made safe (ingest/safety.py); the item went on


# The codebook's taxonomy: sub-event type -> event type. Spelled exactly as there.
SUB_EVENT_TYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}

INTER_CATEGORIES: tuple[str, ...] = (
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
)

WEAPONS: tuple[str, ...] = (
    "small arms",
    "sniper fire",
    "artillery",
    "mortar",
    "rocket",
    "missile",
    "air strike",
    "drone",
    "armoured vehicle",
    "IED",
    "landmine",
    "suicide bomb",
    "grenade",
    "chemical",
    "arson",
    "melee",
)

CERTAINTY_LEVELS: tuple[str, ...] = ("confirmed", "reported", "unconfirmed")
