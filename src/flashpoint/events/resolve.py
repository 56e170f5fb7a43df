"""From an article's incidents to its events: the codebook's fields of each incident.

Assembly (``assemble.py``) has decided which mentions are news and which tell the same
incident; here each incident's fields are chosen from its mentions: the type (who holds the
ground decides a battle, a demonstration takes its strongest description, else the lede made
precise by the other sentences), the day, the actors (the initiator from the earliest sentence
that names one, or the group that claims the incident), the toll (the lede's figure, updated
only by a sentence that gives the whole toll; never a sum; one sentence's toll over several
towns that become separate events is split evenly among them), weapons, certainty and the evidence.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace

from ..model import (
    SUB_EVENT_TYPES,
    WEAPONS,
    Actor,
    Event,
    Evidence,
    Incident,
    Mention,
    Place,
    ResolvedDate,
    Source,
    Toponym,
)
from ..actors import ActorDictionary
from .coreference import DEMONSTRATIONS, UNARMED, VIOLENCE, told_as_such
from .mention_actors import COVERT_ATTACKS, CROWDS, UNIDENTIFIED, crowd
from .provenance import field_sentences, tag_evidence
from .scene import same_place

BATTLE_PRIORITY = ("Government regains territory", "Non-state actor overtakes territory", "Armed clash")
# One demonstration is one event, whatever each sentence says of it; the strongest
# description wins (ACLED: a demonstration turning violent is a riot).
PROTEST_PRIORITY = ("Excessive force against protesters", "Violent demonstration", "Mob violence",
                    "Protest with intervention", "Peaceful protest")
# Who is arrested, never the arresting side (states, and external forces, arrest).
ARRESTED = frozenset({"Rebel group", "Political militia", "Identity militia", "Civilians", "Protesters", "Rioters"})
# Places a toll shared by several events is split among (never a region and a town in it).
_SETTLEMENTS = frozenset({"populated place", "village", "town", "city", "neighbourhood", "neighborhood",
                          "locality", "camp", "airport", "base"})
# A sentence that gives an incident's whole toll, updating the lede's.
_WHOLE_TOLL = re.compile(
    r"\b(?:in all|in total|altogether|(?:toll|number of (?:dead|deaths)) (?:has |had )?(?:rose|risen|climbed|"
    r"jumped|soared|reached|increased)|bringing the (?:death )?toll)\b", re.I)
# A lede's bare "raid" or "strike", typed a clash on its own, told elsewhere as remote violence.
_BARE_STRIKES = frozenset({"raid", "raids", "strike", "strikes"})
# A lede type that says less than another sentence of the same incident may: the event types
# (or sub-event types) whose first sub-event type in the incident replaces it. An unspecified
# "attack" is refined by its means (ACLED codes shelling or an air strike on civilians as remote
# violence), and so is damage done by a bomb; weapons "destroyed" at the scene of a battle or a
# strike were destroyed in it; a bomb told as a suicide bombing is one.
REFINES: dict[str, frozenset[str]] = {
    "Attack": frozenset({"Explosions/Remote violence"}),
    "Looting/property destruction": frozenset({"Explosions/Remote violence"}),  # "destroyed by a bomb"
    "Disrupted weapons use": frozenset({"Battles", "Explosions/Remote violence"}),
    # "Bombs kill 22 at army checkpoint" told as "a double suicide bomb attack"
    "Remote explosive/landmine/IED": frozenset({"Suicide bomb"}),
}


def resolve_events(incidents: list[Incident], *, mentions: list[Mention], source: Source,
                   actors: ActorDictionary | None = None) -> list[Event]:
    """The events of one article, its main event first.

    ``mentions`` are all the article's mentions in text order (background included: they tell
    which actors detection may have carried from one sentence to the next). ``source`` carries
    the article's id, outlet, url and publication date; each event gets a copy with its own
    evidence. ``actors`` (the dictionary) says whose aircraft strike where, for air strikes no
    sentence names an initiator for.
    """
    carried = _carried(mentions)
    shared = _shared_tolls(incidents)
    events, named_at = [], {}
    for k, i in enumerate(incidents):
        mentions = [shared.get((k, id(m)), m) for m in i.mentions]
        shares = frozenset(id(x) for m, x in zip(i.mentions, mentions) if x is not m)
        event = _event(mentions, i.toponym, source, carried, claimed_by=i.claimed_by, shares=shares,
                       actors=actors)
        first = event.sources[0].evidence[0]
        # "Terrorist attacks kill 10 in Aleppo and Idleb": of the events one sentence opens, the
        # place it names first comes first
        named_at[id(event)] = (min((t.start for m in i.mentions for t in m.toponyms
                                    if first.start <= t.start < first.end), default=first.end))
        events.append(event)
    events.sort(key=lambda e: (e.sources[0].evidence[0].start, named_at[id(e)], -len(e.sources[0].evidence),
                               _own_start(e)))
    return _main_first(events, _main_country([m for i in incidents for m in i.mentions]))


def _shared_tolls(incidents: list[Incident]) -> dict[tuple[int, int], Mention]:
    """A toll one sentence gives for several places that become separate events ("50 were
    killed in the villages of A, B and C") is split evenly among them, as ACLED does: 17, 17
    and 16, the larger shares to the places named first. Returns, by (incident index, ``id`` of
    the original mention), a copy carrying its share; places that end in one event keep the
    whole toll. A place-less summary that several incidents share ("a wave of attacks across
    Iraq killed 107") is no incident's own toll: it counts only for those that give none, split
    among them."""
    by_sentence: dict[int, list[tuple[int, Mention]]] = {}
    for k, incident in enumerate(incidents):
        if incident.toponym is None:
            continue
        for m in incident.mentions:
            if m.fatalities > 0 and m.toponyms:
                by_sentence.setdefault(m.sentence.start, []).append((k, m))
    out: dict[tuple[int, int], Mention] = {}
    split = {start for start, found in by_sentence.items() if len({k for k, _ in found}) > 1}
    qualified: dict[int, tuple[dict[int, int], list[tuple[int, Mention]]]] = {}
    for start, found in by_sentence.items():
        owners: dict[int, int] = {}  # incident -> where its place is named in the sentence
        for k, m in found:
            owners[k] = min(owners.get(k, m.toponyms[0].start), m.toponyms[0].start)
        places = [incidents[k].toponym for k in owners]
        # only towns, villages and districts of a city: never an area and a place inside it
        if len(owners) < 2 or len({m.fatalities for _, m in found}) != 1 or not all(
                p is not None and p.place is not None and p.place.feature in _SETTLEMENTS for p in places) or any(
                same_place(a, b, km=0) for i, a in enumerate(places) for b in places[i + 1:]):
            continue
        qualified[start] = (owners, found)
    sums = {start: found[0][1].fatalities for start, (_, found) in qualified.items()}
    even = {(k, start): share for start, (owners, _) in qualified.items()
            for k, share in _split(sums[start], sorted(owners, key=owners.get)).items()}
    in_order: dict[int, list[Mention]] = {}  # an incident's mentions in text order, sorted once
    for start, (owners, found) in qualified.items():
        # "Attacks leave a child and a woman dead in Aleppo and Daraa" over "a child and a
        # woman were killed in Aleppo": the places that tell their own toll (their share of
        # another sentence's, if so) take theirs out of the sum, and only what is left is
        # shared among the others (the shares of sums no bigger than this one).
        for k in owners:
            if k not in in_order:
                in_order[k] = sorted(incidents[k].mentions, key=lambda m: m.sentence.start)
        own = {k: _own_toll(k, in_order[k], start, split, even, sums, sums[start]) for k in owners}
        total = max(sums[start] - sum(own.values()), 0) if any(own.values()) else sums[start]
        order = sorted((k for k in owners if not own[k]), key=owners.get) or sorted(owners, key=owners.get)
        share = _split(total, order)
        for k, m in found:
            out[(k, id(m))] = replace(m, fatalities=share.get(k, 0))
    holders: dict[int, tuple[Mention, list[int]]] = {}  # a mention -> the incidents holding it
    for k, incident in enumerate(incidents):
        for m in incident.mentions:
            if m.fatalities > 0:
                holders.setdefault(id(m), (m, []))[1].append(k)
    tolled = [Counter(id(x) for x in incident.mentions if x.fatalities > 0) for incident in incidents]
    for key, (m, ks) in holders.items():
        if len(ks) < 2:
            continue
        # (the incidents with no other mention giving a toll)
        bare = [k for k in ks if tolled[k].total() == tolled[k][key]]
        for k in ks:
            if k not in bare:
                out[(k, key)] = replace(m, fatalities=0)
        for rank, k in enumerate(bare):
            out[(k, key)] = replace(m, fatalities=m.fatalities // len(bare) + (rank < m.fatalities % len(bare)))
    return out


def _split(total: int, order: list[int]) -> dict[int, int]:
    """``total`` split evenly among ``order``, the larger shares to the first."""
    n = len(order)
    return {k: total // n + (rank < total % n) for rank, k in enumerate(order)} if n else {}


def _own_toll(k: int, mentions: list[Mention], skip: int, split: set[int], even: dict[tuple[int, int], int],
              sums: dict[int, int], most: int) -> int:
    """The toll incident ``k``'s other sentences give for it (``mentions``: its mentions in text
    order; the first such figure, as ``_toll`` reads it): a sentence that gives one toll for
    several places counts with this incident's even share of it (``even``; only sums, ``sums``
    by sentence, no bigger than ``most``, the one being shared, which they may be part of), or
    not at all when it cannot be shared."""
    for m in mentions:
        start = m.sentence.start
        if m.fatalities <= 0 or start == skip:
            continue
        if start not in split:
            return m.fatalities
        if (k, start) in even and sums[start] <= most:
            return even[(k, start)]
    return 0


def _allies(mentions: list[Mention], actor1: Actor | None, actor2: Actor | None) -> str:
    """The codebook's ``assoc_actor_1``: who acted with actor1 ("Syrian and Russian jets
    struck ..."), from the mentions whose initiator is the event's, "; "-separated in text order."""
    if actor1 is None:
        return ""
    taken = {actor1.name, actor2.name if actor2 else None}
    names = [a.name for m in mentions if m.actor1 is not None and m.actor1.name == actor1.name
             for a in m.assoc_actor_1 if a.name not in taken]
    return "; ".join(dict.fromkeys(names))


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


def _event(mentions: list[Mention], toponym: Toponym | None, source: Source,
           carried: dict[int, Mention] | None = None, *, claimed_by: Actor | None = None,
           shares: frozenset[int] = frozenset(), actors: ActorDictionary | None = None) -> Event:
    mentions = sorted(mentions, key=lambda m: m.sentence.start)
    sub = _sub_event_type(mentions)
    place = toponym.place if toponym else None
    when = _date(mentions)
    actor1, actor2 = _actor_pair(mentions, carried or {}, covert=sub in COVERT_ATTACKS)
    if claimed_by is not None and (actor1 is None or actor1.name.startswith(UNIDENTIFIED)):
        actor1, actor2 = claimed_by, (actor2 if actor2 is None or actor2.name != claimed_by.name else None)
    if actors is not None and actor1 is None and sub == "Air/drone strike" and place is not None:
        # "air strikes on the rebel-held town of Atareb": in Syria before December 2024 only the
        # government (and its ally) bombed rebel towns; whose aircraft, when no one is named
        entry = actors.air_power(where=place.country, on=when.date if when else source.published,
                                 target=actor2.name if actor2 else None)
        if entry is not None:
            actor1 = Actor(entry.name, entry.inter, entry.country)
    actor1, actor2 = _roles(sub, actor1, actor2, country=place.country if place else None)
    evidence = sorted({e for m in mentions for e in m.evidence}, key=lambda e: e.start)
    fatalities = _toll(mentions, shares=shares)
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
        assoc_actor_1=_allies(mentions, actor1, actor2),
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
        sources=[],
    )
    # which sentence gave which field ("388 killed" <- this sentence), now that the fields are chosen
    tagged = tag_evidence(evidence, field_sentences(event, mentions, toponym, evidence))
    event.sources = [replace(source, evidence=tagged)]
    event.notes = summarise(event, toponym)
    return event


def _sub_event_type(mentions: list[Mention]) -> str:
    """Who holds the ground afterwards decides a battle's type; a demonstration takes its
    strongest description; otherwise the first report of the incident (its lede) decides,
    made precise by what the incident's other sentences say: an "attack" told as "rockets
    fired at homes" is shelling, "destroyed a car bomb" in a clash is part of the clash."""
    subs = [m.sub_event_type for m in mentions]
    # The ground changing hands types a battle, not an air strike or a bombing the report
    # opened with ("air strikes on Daesh-held villages killed 85 ... as fighters advanced").
    remote = SUB_EVENT_TYPES[subs[0]] == "Explosions/Remote violence"
    for priority in ((() if remote else BATTLE_PRIORITY[:2]), PROTEST_PRIORITY):
        found = [s for s in priority if s in subs]
        if found:
            return found[0]
    lede = subs[0]
    if lede == "Attack" and "Armed clash" in subs:
        # gunmen storm a hotel and fight the security forces there: both sides are armed, so the
        # incident is a battle (ACLED codes violence against civilians only when nobody fights back)
        return "Armed clash"
    if lede == "Armed clash" and mentions[0].trigger.lower() in _BARE_STRIKES:
        # "a government raid on an IS stronghold" told as "Wednesday's air strike destroyed a
        # building": the bare "raid" or "strike" was the air strike
        remote = next((s for s in subs if SUB_EVENT_TYPES[s] == "Explosions/Remote violence"), None)
        if remote is not None:
            return remote
    refined = REFINES.get(lede)
    if told_as_such(mentions[0]):
        refined = None  # "militias executed six men": a killing told as such is no bombing's lede
    if refined is not None:
        return next((s for s in subs if s in refined or SUB_EVENT_TYPES[s] in refined), lede)
    return lede


def _toll(mentions: list[Mention], *, shares: frozenset[int] = frozenset()) -> int:
    """Sentences about one incident restate, split or update its toll: the lede's figure (the
    first sentence that gives one) is the report's own count, never a sum; a later sentence that
    says it gives the whole toll ("nine soldiers in all", "the toll rose to 12") updates it. A
    share of a toll a sentence gives for several places (``shares``: ids of such mentions) is
    an estimate that counts only when no sentence gives this incident's own."""
    counted = [m for m in mentions if m.fatalities > 0 and id(m) not in shares] or [
        m for m in mentions if m.fatalities > 0]
    if not counted:
        return 0
    lede = counted[0]
    if lede.fatalities_vague:
        # "an attack which killed dozens" then "at least 86 people were killed": the figure
        # beats the vague quantity it is consistent with (a smaller one is a part: "three had
        # died since being brought to Turkey").
        lede = next((m for m in counted[1:] if not m.fatalities_vague and m.fatalities >= lede.fatalities), lede)
    updates = [m.fatalities for m in counted[1:] if _WHOLE_TOLL.search(m.sentence.text)]
    return max([lede.fatalities, *updates])


def _date(mentions: list[Mention]) -> ResolvedDate | None:
    dated = [m.date for m in mentions if m.date is not None]
    if not dated:
        return None
    best = min(d.precision for d in dated)
    return Counter(d for d in dated if d.precision == best).most_common(1)[0][0]


def _carried(mentions: list[Mention]) -> dict[int, Mention]:
    """For each mention (by id), the mention whose actors detection may have carried into it:
    the last mention of the previous sentence that reported news (``mention_actors._fill_from``)."""
    out: dict[int, Mention] = {}
    previous: Mention | None = None
    for i, m in enumerate(mentions):
        if previous is not None:
            out[id(m)] = previous
        last_of_sentence = i + 1 == len(mentions) or mentions[i + 1].sentence.start != m.sentence.start
        if last_of_sentence and not m.background:
            previous = m
    return out


def _actor_pair(mentions: list[Mention], carried: dict[int, Mention], *,
                covert: bool = False) -> tuple[Actor | None, Actor | None]:
    """actor1 is the initiator named by the earliest sentence of the event that names one
    (its lede: "Shining Path members bombed ..." beats a later "police reported ... bombings");
    actor2 is that sentence's other side, else the first other side a later sentence names.
    An initiator that may only have been carried over from a sentence of another event counts
    last. With no initiator anywhere, the first target stays the target: an unknown attacker
    stays unknown. Of a ``covert`` attack (a bombing), a non-state initiator comes first."""
    ids = {id(m) for m in mentions}

    def own(m: Mention) -> bool:
        before = carried.get(id(m))
        if before is None or id(before) in ids:
            return True
        return m.actor1.name not in {a.name for a in (before.actor1, before.actor2) if a}

    initiators = [m for m in mentions if m.actor1]
    # A named initiator anywhere in the incident beats "unidentified" armed men in its lede.
    named = [m for m in initiators if not m.actor1.name.startswith(UNIDENTIFIED)]
    initiators = named or initiators
    if covert:
        # A car bomb or a suicide bombing that one sentence ties to a group and another to the
        # police who arrested suspects (or the army whose wedding guests died): the group's.
        armed = [m for m in initiators if m.actor1.inter != "State forces"]
        initiators = armed or initiators
    lead = next((m for m in initiators if own(m)), initiators[0] if initiators else None)
    if lead is None:
        target = next((m.actor2 for m in mentions if m.actor2), None)
        return None, target
    actor1 = lead.actor1
    if lead.actor2 and lead.actor2.name != actor1.name:
        return actor1, lead.actor2
    others = (a for m in mentions for a in (m.actor1, m.actor2) if a and a.name != actor1.name)
    return actor1, next(others, None)


def _roles(sub_event_type: str, actor1: Actor | None, actor2: Actor | None, *,
           country: str | None) -> tuple[Actor | None, Actor | None]:
    """The codebook's roles: the demonstrators are actor1 of a demonstration (protesters of a
    protest, rioters of a riot); unarmed victims are never the initiator of violence, nor a crowd
    of a bombing or shelling; violence
    with no initiator named was done by an unidentified armed group of the event's country; the
    people arrested are never the arresting side."""
    event_type = SUB_EVENT_TYPES[sub_event_type]
    if event_type in DEMONSTRATIONS:
        kind = "Rioters" if event_type == "Riots" else "Protesters"
        if actor2 is not None and actor2.inter in CROWDS:
            actor1, actor2 = actor2, actor1
        if (actor1 is None or actor1.inter not in CROWDS) and country:
            # "Police fired tear gas at the crowd": the crowd is actor1, the police actor2.
            actor1, actor2 = crowd(kind, country), actor1 or actor2
        elif actor1 is not None and actor1.inter != kind and actor1.name.startswith(f"{actor1.inter} ("):
            # "demonstrators threw rocks at police": a violent demonstration's crowd are rioters
            actor1 = crowd(kind, actor1.country)
        return actor1, actor2
    if sub_event_type == "Arrests" and actor1 is not None and actor1.inter in ARRESTED:
        # "they arrested seven IS members": the state arrests, the group is arrested
        if actor2 is not None and actor2.inter == "State forces":
            return actor2, actor1
        return (None, actor1) if actor2 is None else (actor1, actor2)
    if event_type not in VIOLENCE:
        return actor1, actor2
    if event_type == "Explosions/Remote violence" and actor1 is not None and actor1.inter in CROWDS:
        # A crowd does not set off bombs or fire shells: "as a crowd gathered the second bomber
        # detonated his explosives" names bystanders, not the initiator.
        actor1 = None
    if actor1 is not None and actor1.inter in UNARMED:
        if actor2 is not None and actor2.inter not in UNARMED:
            return actor2, actor1
        actor1, actor2 = None, actor1
    if actor1 is None and country:
        actor1 = Actor(f"{UNIDENTIFIED} ({country})", "Political militia", country)
    return actor1, actor2


def _geo_precision(toponym: Toponym | None, mentions: list[Mention]) -> int:
    """1 the town itself; 2 near a town or a small area; 3 a larger region (codebook)."""
    if toponym is None or toponym.place is None:
        return 3
    feature = toponym.place.feature
    if feature in ("country", "admin1", "admin2", "region", "mountains"):
        return 3
    if toponym.place.within is not None:  # a village coded to the area holding it
        return 2 if toponym.place.within.feature == "populated place" else 3
    relations = [t.relation for m in mentions for t in m.toponyms if t.place and same_place(t, toponym, km=0.0)]
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
