"""From the mentions of one article to its events.

The codebook's unit is one event per place per day per actor pair. Mentions at the same
place (or within a few km, for "near X"/"areas of X") that are compatible in type, day and
actors become one event; a shelling or a capture that is part of a battle at the same place
and day is part of that battle. Mentions that name no place of their own ("Reports indicate
heavy exchanges of fire") add their evidence to every compatible event of the article; if
there is none, they become an event whose place is left null (or the country, when the
sentence names only a country, or names no place in a report whose places lie in the one
country it names: see ``detect._article_country``), never guessed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace

from ..model import (
    SUB_EVENT_TYPES,
    WEAPONS,
    Actor,
    Event,
    Evidence,
    Mention,
    Place,
    ResolvedDate,
    Source,
    Toponym,
)
from ..places.normalise import fold
from ..places.resolve import distance_km

SAME_PLACE_KM = 10.0  # "near X" and a village a few km from X's centre are one place
BATTLE_PRIORITY = ("Government regains territory", "Non-state actor overtakes territory", "Armed clash")
PART_OF_BATTLE = frozenset({"Explosions/Remote violence"})
CAPTURE_TYPES = frozenset({"Other", "Arrests", "Abduction/forced disappearance"})
# One demonstration is one event, whatever each sentence says of it; the strongest
# description wins (ACLED: a demonstration turning violent is a riot).
PROTEST_PRIORITY = ("Excessive force against protesters", "Violent demonstration", "Mob violence",
                    "Protest with intervention", "Peaceful protest")
DEMONSTRATIONS = frozenset({"Protests", "Riots"})


@dataclass
class _Cluster:
    toponym: Toponym
    mentions: list[Mention] = field(default_factory=list)


def resolve_events(mentions: list[Mention], *, source: Source) -> list[Event]:
    """The events of one article, its main event first.

    ``source`` carries the article's id, outlet, url and publication date; each event gets a
    copy with its own evidence.
    """
    news = [m for m in mentions if not m.background]
    clusters: list[_Cluster] = []
    vague: list[Mention] = []
    for m in news:
        if not m.toponyms or not _specific(m.toponyms[0]):
            vague.append(m)
            continue
        for c in clusters:
            if _same_place(c.toponym, m.toponyms[0]) and all(_compatible(x, m) for x in c.mentions):
                c.mentions.append(m)
                if _rank(m.toponyms[0]) < _rank(c.toponym):
                    c.toponym = m.toponyms[0]
                break
        else:
            clusters.append(_Cluster(m.toponyms[0], [m]))

    leftovers: list[Mention] = []
    for m in vague:
        # "air strikes in Idlib province" joins only events inside Idlib province.
        area = _area(m)
        homes = [c for c in _homes(m, clusters) if area is None or _contains_place(area, c.toponym.place)]
        for c in homes:
            c.mentions.append(m)
        if not homes:
            leftovers.append(m)
    # Mentions that nothing took: one event per compatible group at one region (or none).
    groups: list[list[Mention]] = []
    for m in leftovers:
        for g in groups:
            if all(_compatible(x, m) for x in g) and _same_area(g, m):
                g.append(m)
                break
        else:
            groups.append([m])

    carried = _carried(mentions)
    events = [_event(c.mentions, c.toponym, source, carried) for c in clusters]
    for g in groups:
        coarse = min((t for m in g for t in m.toponyms if t.place is not None),
                     key=lambda t: _AREA_ORDER.get(t.place.feature, 0), default=None)
        events.append(_event(g, coarse, source, carried))
    events.sort(key=lambda e: (e.sources[0].evidence[0].start, -len(e.sources[0].evidence), _own_start(e)))
    return _main_first(events, _main_country(news))


def _main_country(mentions: list[Mention]) -> str | None:
    """The country the article is about: the one its place names (countries included) point
    to most often; each name counted once however many mentions share its sentence."""
    seen: dict[tuple[int, int], str] = {}
    for m in mentions:
        for t in m.toponyms:
            if t.place is not None and t.place.country:
                seen[(t.start, t.end)] = t.place.country
    counts = Counter(seen.values())
    if not counts:
        return None
    first = {c: s for s, c in sorted(seen.items(), reverse=True)}
    return max(counts, key=lambda c: (counts[c], -first[c][0]))


def _main_first(events: list[Event], main: str | None) -> list[Event]:
    """The main event is the first one placed in the article's main country.

    A headline that names no place ("22 dead in raids on IS stronghold"), or only the country,
    and a capital abroad that reacts ("Washington said ...") come first in the text but are not
    where the story happened: the first event with a governorate in the country the article's
    place names point to most goes first; the rest keep their order.
    """
    if not events or main is None or (events[0].admin1 and events[0].country == main):
        return events
    lead = next((e for e in events if e.admin1 and e.country == main), None)
    if lead is None:
        return events
    return [lead, *(e for e in events if e is not lead)]


# ---------------------------------------------------------------------------------------


def _homes(m: Mention, clusters: list[_Cluster]) -> list[_Cluster]:
    """The events a place-less mention belongs to.

    A mention after the story has named a place continues the latest compatible event(s)
    ("The fighting, he said, lasted throughout the day"); a summary before any place
    ("Intense clashes have broken out ...") introduces all compatible events that follow.
    """
    fitting = [c for c in clusters if all(_compatible(x, m) for x in c.mentions)]
    anchors = [(min(x.sentence.start for x in c.mentions if x.toponyms and _specific(x.toponyms[0])), c)
               for c in fitting]
    before = [a for a, _ in anchors if a <= m.sentence.start]
    if not before:
        return fitting
    latest = max(before)
    return [c for a, c in anchors if a == latest]


_AREA_ORDER = {"admin2": 1, "admin1": 2, "country": 3, "continent": 4}  # smaller is more precise


def _area(m: Mention) -> Place | None:
    return m.toponyms[0].place if m.toponyms and m.toponyms[0].place is not None else None


def _contains_place(area: Place, place: Place | None) -> bool:
    """Is ``place`` inside ``area`` (a country, province or district, or the place itself)?"""
    if place is None or area.country_code != place.country_code:
        return not area.country_code and area.feature == "continent"
    if area.feature == "country" or area is place or (area.geonameid and area.geonameid == place.geonameid):
        return True
    if area.feature == "admin1":
        return bool(place.admin1) and place.admin1 == area.admin1
    if area.feature == "admin2":
        return bool(place.admin2) and place.admin2 == area.admin2
    return area.name == place.name


def _same_area(group: list[Mention], m: Mention) -> bool:
    """Place-less mentions go with anything; regions only with regions that hold or are held."""
    area = _area(m)
    others = [a for a in map(_area, group) if a is not None]
    return area is None or all(_contains_place(a, area) or _contains_place(area, a) for a in others)


def _specific(t: Toponym) -> bool:
    return t.place is not None and t.place.feature not in ("country", "admin1", "continent")


def _rank(t: Toponym) -> int:
    """Lower is a better anchor for a cluster: a town itself beats "near"/"areas of" it."""
    return {"in": 0, "near": 1, "region": 2}.get(t.relation, 1)


def _same_place(a: Toponym, b: Toponym) -> bool:
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        return False
    if pa.geonameid and pa.geonameid == pb.geonameid:
        return True
    if pa.name == pb.name and pa.country_code == pb.country_code:
        return True
    # A vaguer reference ("areas of Hermel", "near X") is the same place as a town there:
    # within a few km, or the town lies in the district the vaguer reference names.
    if "in" in (a.relation, b.relation) and a.relation != b.relation:
        vague, exact = (a, b) if b.relation == "in" else (b, a)
        if _contains(vague.place, exact.place):
            return True
        return distance_km(pa, pb) <= SAME_PLACE_KM
    return False


def _contains(area: Place, place: Place) -> bool:
    """Does ``area`` (a district, region, or a town standing for its district) hold ``place``?"""
    if area.country_code != place.country_code:
        return False
    names = {_fold(area.name), *(_fold(n) for n in (area.admin2,) if n and area.feature == "admin2")}
    if area.feature == "populated place" and area.admin2:
        # "areas of Hermel": a town named like its district stands for the district.
        if _fold(area.admin2) in _fold(area.name) or _fold(area.name) in _fold(area.admin2):
            names.add(_fold(area.admin2))
    return any(n and n in (_fold(place.admin2 or ""), _fold(place.admin1 or "")) for n in names)


def _fold(name: str) -> str:
    """The gazetteer's folding, spaces dropped: "Al-Qusayr" and "Al Quşayr" compare equal."""
    return fold(name).replace(" ", "")


def _compatible(a: Mention, b: Mention) -> bool:
    """Can two mentions be the same event? Type, day and actors must not contradict."""
    if not _types_compatible(a, b):
        return False
    if a.date and b.date and a.date.precision == 1 and b.date.precision == 1 and a.date.date != b.date.date:
        return False
    names_a = {x.name for x in (a.actor1, a.actor2) if x}
    names_b = {x.name for x in (b.actor1, b.actor2) if x}
    return not names_a or not names_b or bool(names_a & names_b)


def _types_compatible(a: Mention, b: Mention) -> bool:
    if a.sub_event_type == b.sub_event_type:
        return True
    types = {a.event_type, b.event_type}
    if types == {"Battles"}:
        return True
    if "Battles" in types and types & PART_OF_BATTLE:
        return True
    if types <= DEMONSTRATIONS:
        return True
    if types & DEMONSTRATIONS and {a.sub_event_type, b.sub_event_type} & {"Arrests"}:
        return True  # "several protesters were arrested": part of the protest event
    other = b if a.event_type == "Battles" else a
    armed = all(x is None or x.inter not in ("Civilians", "Protesters") for x in (other.actor1, other.actor2))
    return "Battles" in types and other.sub_event_type in CAPTURE_TYPES and armed


def _event(mentions: list[Mention], toponym: Toponym | None, source: Source,
           carried: dict[int, Mention] | None = None) -> Event:
    mentions = sorted(mentions, key=lambda m: m.sentence.start)
    sub = _sub_event_type(mentions)
    place = toponym.place if toponym else None
    when = _date(mentions)
    actor1, actor2 = _actor_pair(mentions, carried or {})
    if SUB_EVENT_TYPES[sub] in DEMONSTRATIONS and actor2 and actor2.inter in ("Protesters", "Rioters"):
        actor1, actor2 = actor2, actor1  # ACLED: the demonstrators are actor1
    evidence = sorted({e for m in mentions for e in m.evidence}, key=lambda e: e.start)
    # Sentences about one event restate or update its toll: take the largest, never the sum.
    fatalities = max(m.fatalities for m in mentions)
    known = fatalities > 0 or all(m.fatalities_known for m in mentions)
    injured_values = [m.injured for m in mentions if m.injured is not None]
    weapons = {w for m in mentions for w in m.weapons}
    certainties = {m.certainty for m in mentions}
    certainty = certainties.pop() if len(certainties) == 1 else "reported"
    precision = _geo_precision(toponym, mentions) if place else None
    event_id = _event_id(source.article_id, sub, place, when, actor1, actor2)
    event = Event(
        event_id=event_id,
        event_date=when.date if when else None,
        date_precision=when.precision if when else None,
        event_type=SUB_EVENT_TYPES[sub],
        sub_event_type=sub,
        actor1=actor1.name if actor1 else None,
        actor2=actor2.name if actor2 else None,
        assoc_actor_1="",
        assoc_actor_2="",
        inter1=actor1.inter if actor1 else None,
        inter2=actor2.inter if actor2 else None,
        country=place.country if place else None,
        iso3=place.iso3 if place else None,
        admin1=place.admin1 if place else None,
        admin2=place.admin2 if place else None,
        location=place.name if place else None,
        latitude=round(place.latitude, 5) if place else None,
        longitude=round(place.longitude, 5) if place else None,
        geo_precision=precision,
        fatalities=fatalities,
        fatalities_known=known,
        injured=max(injured_values) if injured_values else None,
        weapons=[w for w in WEAPONS if w in weapons],
        certainty=certainty,
        notes="",
        sources=[replace(source, evidence=tuple(evidence))],
    )
    event.notes = summarise(event, toponym)
    return event


def _sub_event_type(mentions: list[Mention]) -> str:
    subs = [m.sub_event_type for m in mentions]
    # Who holds the ground afterwards decides a battle's type; a demonstration takes its
    # strongest description; otherwise the first report of the event (its lede) decides.
    for priority in (BATTLE_PRIORITY[:2], PROTEST_PRIORITY):
        found = [s for s in priority if s in subs]
        if found:
            return found[0]
    return subs[0]


def _date(mentions: list[Mention]) -> ResolvedDate | None:
    dated = [m.date for m in mentions if m.date is not None]
    if not dated:
        return None
    best = min(d.precision for d in dated)
    return Counter(d for d in dated if d.precision == best).most_common(1)[0][0]


def _carried(mentions: list[Mention]) -> dict[int, Mention]:
    """For each mention (by id), the mention whose actors detection may have carried into it:
    the last mention of the previous sentence that reported news (``detect._fill_from``)."""
    out: dict[int, Mention] = {}
    previous: Mention | None = None
    for i, m in enumerate(mentions):
        if previous is not None:
            out[id(m)] = previous
        last_of_sentence = i + 1 == len(mentions) or mentions[i + 1].sentence.start != m.sentence.start
        if last_of_sentence and not m.background:
            previous = m
    return out


def _actor_pair(mentions: list[Mention], carried: dict[int, Mention]) -> tuple[Actor | None, Actor | None]:
    """actor1 is the initiator named by the earliest sentence of the event that names one
    (its lede: "Shining Path members bombed ..." beats a later "police reported ... bombings");
    actor2 is that sentence's other side, else the first other side a later sentence names.
    An initiator that may only have been carried over from a sentence of another event counts
    last. With no initiator anywhere, the first target stays the target: an unknown attacker
    stays unknown."""
    ids = {id(m) for m in mentions}

    def own(m: Mention) -> bool:
        before = carried.get(id(m))
        if before is None or id(before) in ids:
            return True
        return m.actor1.name not in {a.name for a in (before.actor1, before.actor2) if a}

    initiators = [m for m in mentions if m.actor1]
    lead = next((m for m in initiators if own(m)), initiators[0] if initiators else None)
    if lead is None:
        target = next((m.actor2 for m in mentions if m.actor2), None)
        return None, target
    actor1 = lead.actor1
    if lead.actor2 and lead.actor2.name != actor1.name:
        return actor1, lead.actor2
    others = (a for m in mentions for a in (m.actor1, m.actor2) if a and a.name != actor1.name)
    return actor1, next(others, None)


def _geo_precision(toponym: Toponym | None, mentions: list[Mention]) -> int:
    """1 the town itself; 2 near a town or a small area; 3 a larger region (codebook)."""
    if toponym is None or toponym.place is None:
        return 3
    feature = toponym.place.feature
    if feature in ("country", "admin1", "admin2", "region", "mountains"):
        return 3
    relations = [t.relation for m in mentions for t in m.toponyms if t.place and _same_place(t, toponym)]
    if relations.count("near") + relations.count("region") > relations.count("in"):
        return 2
    return 1 if toponym.relation == "in" else 2


def _event_id(article_id: str, sub: str, place: Place | None, when: ResolvedDate | None,
              actor1: Actor | None, actor2: Actor | None) -> str:
    key = "|".join(
        [
            article_id,
            sub,
            f"{place.geonameid or place.name}" if place else "-",
            when.date.isoformat() if when else "-",
            actor1.name if actor1 else "-",
            actor2.name if actor2 else "-",
        ]
    )
    return "fp-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


_VERBS = {
    "Battles": "fought",
    "Explosions/Remote violence": "struck",
    "Violence against civilians": "attacked",
    "Protests": "protested",
    "Riots": "rioted",
    "Strategic developments": "",
}


def summarise(event: Event, toponym: Toponym | None) -> str:
    """One sentence: who did what to whom, where, when."""
    who = event.actor1 or "Unidentified actor"
    whom = f" {event.actor2}" if event.actor2 else ""
    what = event.sub_event_type.lower()
    if event.event_type == "Battles":
        core = f"{who} and{whom or ' an unidentified party'}: {what}"
    else:
        core = f"{who}{' against' + whom if whom else ''}: {what}"
    where = ""
    if event.location:
        rel = "near " if event.geo_precision == 2 else "in "
        where = f" {rel}{event.location}" + (f", {event.country}" if event.country != event.location else "")
    when = f" on {event.event_date.isoformat()}" if event.event_date and event.date_precision == 1 else (
        f" around {event.event_date.isoformat()}" if event.event_date else ""
    )
    toll = f"; {event.fatalities} killed" if event.fatalities else (
        "; deaths reported, number unknown" if not event.fatalities_known else ""
    )
    return f"{core}{where}{when}{toll}."


def _own_start(event: Event) -> int:
    evidence: tuple[Evidence, ...] = event.sources[0].evidence
    return evidence[-1].start
