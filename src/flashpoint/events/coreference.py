"""Within-article event coreference: which mentions tell the same incident (the third step of
``assemble.py``): the same place, day, actors and a compatible type; a definite mention ("the
attack", "killed during the assault") points back to the incident told before it; a headline's
town told in the body quarter by quarter is the first quarter's incident; the group that claims
an attack is its initiator. The numbers are in ``data/assembly.toml``."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from ..model import Document, Incident, Mention
from .background import STATEMENT
from .scene import area_of, same_place, same_province, specific

if TYPE_CHECKING:
    from .assemble import AssemblyRules
    from .assembly_index import Summaries

# Types that describe one act of violence from different angles: an air strike that "killed 15"
# is not also an "Attack"; an ambush that turns into a firefight is one battle.
VIOLENCE = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
DEMONSTRATIONS = frozenset({"Protests", "Riots"})
# Strategic developments that, at the scene and on the day of violence, are part of it: the
# damage it did, the weapons it destroyed.
PART_OF_VIOLENCE = frozenset({"Looting/property destruction", "Disrupted weapons use"})
CAPTURE_TYPES = frozenset({"Other", "Arrests", "Abduction/forced disappearance"})
UNARMED = frozenset({"Civilians", "Protesters"})
ONE_BLAST = frozenset({"Suicide bomb", "Remote explosive/landmine/IED", "Chemical weapon", "Grenade"})
_CURLY = re.compile(r"\u201c[^\u201c\u201d]*\u201d")
_LINE = re.compile(r"[^\n]+")
_STRAIGHT = re.compile('"')
_SPEECH_WORDS = 4
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# The words of an attack that say nothing of its means: a later sentence may tell it as a
# bombing or a strike ("the attack ... the car bomb"); an execution or a shooting says its own.
_BARE_ATTACKS = frozenset({"attack", "attacks", "attacked", "attacking", "assault", "assaults", "assaulted",
                           "target", "targets", "targeted", "targeting", "hit", "hits", "struck", "strike",
                           "strikes", "raid", "raids", "incident", "blast", "explosion", "massacre",
                           "massacres", "massacred", "kill", "kills", "killed", "killing", "killings"})


def told_as_such(m: Mention) -> bool:
    """Is ``m`` an "Attack" whose trigger says what was done ("executed", "shot dead"), not a
    bare word a later sentence may tell as a bombing ("the attack", "a massacre")?"""
    return m.sub_event_type == "Attack" and m.trigger.lower().split()[-1] not in _BARE_ATTACKS


def trigger_start(doc: Document, m: Mention) -> int:
    """Offset of the mention's trigger in the text (its first occurrence in the sentence), or -1."""
    return doc.text.find(m.trigger, m.sentence.start, m.sentence.end) if m.trigger else -1


def trigger_root(doc: Document, m: Mention):
    """The syntactic head of the mention's trigger in the parse, if it can be found."""
    start = trigger_start(doc, m)
    if start < 0:
        return None
    span = doc.spacy_doc.char_span(start, start + len(m.trigger), alignment_mode="expand")
    return span.root if span is not None else None


# ---------------------------------------------------------------------------------------
# Coreference


def joins(incident: Incident, m: Mention, rules: AssemblyRules, summaries: Summaries | None = None) -> bool:
    """Does ``m`` tell ``incident``: at its place, and compatible with each of its mentions?
    ``summaries`` (assembly_index.py) reads an incident's mentions once per kind."""
    # (or the place one of its mentions already told it at: "the blast in the Souq al-Hamadiyeh
    # neighbourhood of Damascus" joined the Damascus bus blast; "a member blew himself up" there
    # is that blast too)
    if summaries is not None:
        s = summaries.of(incident.mentions)
        within, kinds = s.within, s.kinds.values()
    else:
        within = [x.toponyms[0] for x in incident.mentions if x.toponyms and x.toponyms[0].place is not None
                  and x.toponyms[0].place.within is not None]
        kinds = incident.mentions
    km = rules.same_place_km
    return ((same_place(incident.toponym, m.toponyms[0], km=km) or any(same_place(t, m.toponyms[0], km=km) for t in within))
            and all(compatible(x, m, kinds=rules.merge_kinds) for x in kinds))


def anaphoric(doc: Document, m: Mention) -> bool:
    """Is the trigger a definite noun phrase that points back ("the attack", "the strikes",
    "Tuesday's bombing", "this blast")?"""
    root = trigger_root(doc, m)
    if root is None or root.pos_ not in ("NOUN", "PROPN"):
        return False
    return any((c.dep_ == "det" and c.lower_ in DEFINITE) or c.dep_ == "poss" for c in root.children)


def points_back(doc: Document, m: Mention, rules: AssemblyRules) -> bool:
    """Does the mention tell of an incident already told: its trigger is a definite noun ("the
    attack"), or its verb happened "in"/"during" one ("had killed and executed 270 people during
    the assault")?"""
    if anaphoric(doc, m):
        return True
    root = trigger_root(doc, m)
    if root is None or root.pos_ != "VERB":
        return False
    verbs = [root, *(c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB")]
    return any(p.dep_ == "prep" and p.lower_ in ("in", "during") and any(
        o.dep_ == "pobj" and o.lemma_.lower() in rules.anaphor_nouns
        and any(c.dep_ == "det" and c.lower_ in DEFINITE for c in o.children) for o in p.children)
        for v in verbs for p in v.children)


def antecedents(m: Mention, incidents: list[Incident], rules: AssemblyRules) -> list[Incident]:
    """The incidents a definite mention points back to: those told by the latest sentence before
    it that founded a compatible incident at the mention's place, in its province (a follow-up
    names a village of the scene), or anywhere when the mention names no town ("their
    abduction", "those behind Tuesday's attack are based in Afghanistan"); every incident that
    sentence told ("clashes in Qalamoun and Arsal ... the clashes involve shelling")."""
    fitting = [i for i in incidents if points_back_to(m, i, rules)]
    if not fitting:
        return []
    latest = max(i.mentions[0].sentence.start for i in fitting)
    return [i for i in fitting if i.mentions[0].sentence.start == latest]


def points_back_to(m: Mention, incident: Incident, rules: AssemblyRules, summaries: Summaries | None = None) -> bool:
    """Can the definite mention ``m`` point back to ``incident`` (``antecedents``)?"""
    place = incident.toponym.place if incident.toponym else None
    if place is None or incident.mentions[0].sentence.start > m.sentence.start:
        return False
    own = area_of(m)
    if own is None or not specific(m.toponyms[0]):
        # A country or province beside "Tuesday's attack" is where its authors are
        # "based", where it is condemned, ...: the sentence does not move the attack.
        near = True
    else:
        near = same_place(incident.toponym, m.toponyms[0], km=rules.same_place_km) or same_province(place, own)
    # The sentence's day is when it speaks ("declared Tuesday a day of mourning for the
    # victims of the Kabul attack"), not when the attack it names happened.
    kinds = summaries.of(incident.mentions).kinds.values() if summaries is not None else incident.mentions
    return near and all(compatible(x, m, by_day=False, kinds=rules.merge_kinds) for x in kinds)


def claims(mentions: list[Mention], incidents: list[Incident], *, doc: Document) -> None:
    """"X claimed responsibility for the attack" is a statement, not news, but it names who did
    the incident it points back to (ACLED codes a claimed attack to its claimant): the latest
    incident before it of a compatible type; in a lede that opens with the claim ("X has
    claimed responsibility for today's attack against ..."), the first one after it."""
    by_type: _ByType | None = None  # built at the first claim
    for m in mentions:
        claim = m.background and m.reason.startswith(STATEMENT) and "responsibility" in m.reason
        if not claim or m.actor1 is None or m.actor1.inter in UNARMED or not anaphoric(doc, m):
            continue
        by_type = by_type or _ByType(incidents)
        target = by_type.target(m)
        if target is not None and target.claimed_by is None:
            target.claimed_by = m.actor1


def _claimed(m: Mention, incidents: list[Incident]) -> Incident | None:
    """The incident the claim ``m`` points back to: the last of a compatible type told before
    it, else the first."""
    fitting = [i for i in incidents if any(types_compatible(x, m) for x in i.mentions)]
    before = [i for i in fitting if i.mentions[0].sentence.start < m.sentence.start]
    return before[-1] if before else next(iter(fitting), None)


class _ByType:
    """``_claimed`` for incidents in text order (of their first mentions), found through the
    kinds of their mentions (``type_key``) rather than by reading every incident per claim."""

    def __init__(self, incidents: list[Incident]) -> None:
        self.incidents = incidents
        self.starts = [i.mentions[0].sentence.start for i in incidents]
        self.in_order = all(a <= b for a, b in zip(self.starts, self.starts[1:]))
        self.kind: dict[tuple, Mention] = {}  # one mention per type key
        self.holding: dict[tuple, list[int]] = {}  # type key -> the incidents (in order) with one
        for k, i in enumerate(incidents):
            for x in i.mentions:
                key = type_key(x)
                self.kind.setdefault(key, x)
                held = self.holding.setdefault(key, [])
                if not held or held[-1] != k:
                    held.append(k)

    def target(self, m: Mention) -> Incident | None:
        if not self.in_order:
            return _claimed(m, self.incidents)
        lists = [self.holding[key] for key, x in self.kind.items() if types_compatible(x, m)]
        if not lists:
            return None
        end = bisect_left(self.starts, m.sentence.start)  # the incidents told before it
        before = max((held[j - 1] for held in lists if (j := bisect_left(held, end))), default=None)
        return self.incidents[before if before is not None else min(held[0] for held in lists)]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech: between curly quotes, or between pairs of straight ones on one
    line. A span of fewer than four words is a name or a scare quote ("poisonous gas"), not
    speech."""
    spans = [(m.start(), m.end()) for m in _CURLY.finditer(text)]
    for line in _LINE.finditer(text):
        marks = [q.start() for q in _STRAIGHT.finditer(text, line.start(), line.end())]
        if len(marks) % 2 == 0:  # an unclosed quote (or a mangled file) says nothing reliable
            spans += list(zip(marks[::2], marks[1::2]))
    return [(a, b) for a, b in spans if len(text[a:b].split()) >= _SPEECH_WORDS]


class Quotes:
    """The spans of quoted speech of a text (``quoted_spans``), asked whether one holds an
    offset: a long text has thousands, and thousands of mentions ask."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self._starts = [a for a, _ in spans]
        self._reach: list[int] = []  # the furthest end of the spans up to each one
        for _, b in spans:
            self._reach.append(max(b, self._reach[-1]) if self._reach else b)

    def hold(self, at: int) -> bool:
        """Does a span hold ``at`` strictly inside it?"""
        i = bisect_left(self._starts, at)  # the spans that start before it
        return i > 0 and self._reach[i - 1] > at


def quoted(doc: Document, m: Mention, quotes: Quotes) -> bool:
    at = trigger_start(doc, m)
    return at >= 0 and quotes.hold(at)


def homes(m: Mention, incidents: list[Incident], *, kinds: bool = True) -> list[Incident]:
    """The incidents a place-less mention belongs to.

    A mention after the story has named a place continues the latest compatible incident(s)
    ("The fighting, he said, lasted throughout the day"); a summary before any place
    ("Intense clashes have broken out ...") introduces all compatible incidents that follow.
    """
    fitting = [i for i in incidents if all(compatible(x, m, kinds=kinds) for x in i.mentions)]
    anchors = [(first_scene(i), i) for i in fitting]
    before = [a for a, _ in anchors if a <= m.sentence.start]
    if not before:
        return fitting
    latest = max(before)
    return [i for a, i in anchors if a == latest]


def first_scene(incident: Incident) -> int:
    """Where the text first names the incident's own place (its first specific mention)."""
    return min((x.sentence.start for x in incident.mentions if x.toponyms and specific(x.toponyms[0])),
               default=incident.mentions[0].sentence.start)


def lead_into_quarters(incidents: list[Incident], headline_end: int, lead_end: int, *,
                        kinds: bool) -> list[Incident]:
    """A headline's "rocket attacks in Aleppo", told in the body only quarter by quarter ("rocket
    shells on Salah Eddin neighbourhood in Aleppo city", a village the gazetteer lacks placed at
    the town), is the first such quarter's incident, not one of its own at the town; so is one
    the lead tells at a place in the town's province with the headline's toll. (A lead sentence
    that tells the town's toll itself stays an incident: it may sum several quarters.)"""
    out = []
    gone: set[int] = set()  # incidents folded into another
    for incident in incidents:
        place = incident.toponym.place if incident.toponym is not None else None
        # (the lede's "operations across the country", placed only by the headline's town, goes with it)
        if place is not None and place.feature == "populated place" and all(
                m.sentence.start < headline_end or (area_of(m) is None and m.sentence.start < lead_end)
                for m in incident.mentions):
            fits = [j for j in incidents if j is not incident and j.toponym is not None and j.toponym.place is not None
                    and id(j) not in gone
                    and all(compatible(a, b, kinds=kinds) for a in incident.mentions for b in j.mentions)]
            quarter = next((j for j in fits if j.toponym.place.within == place), None)
            if quarter is None:
                # "70 Killed in Airstrikes on ISIS Training Camp in Homs" and the lead's "70 ISIS
                # terrorists killed in airstrikes over the camp of Taloul": a place the lead names
                # in the headline town's province, with the headline's toll
                toll = max((m.fatalities for m in incident.mentions), default=0)
                quarter = next((j for j in fits if headline_end <= j.mentions[0].sentence.start < lead_end
                                and same_province(j.toponym.place, place)
                                and toll > 0 and toll == max(m.fatalities for m in j.mentions)), None)
            if quarter is not None:
                quarter.mentions.extend(incident.mentions)
                gone.add(id(incident))
                continue
        out.append(incident)
    return out


def compatible(a: Mention, b: Mention, *, by_day: bool = True, kinds: bool = True) -> bool:
    """Can two mentions be the same incident? Type, day (unless ``by_day`` is false) and
    actors must not contradict."""
    if not types_compatible(a, b, kinds=kinds):
        return False
    if by_day and a.date and b.date and a.date.precision == 1 and b.date.precision == 1 and a.date.date != b.date.date:
        return False
    if (by_day and a.sub_event_type == b.sub_event_type and a.sub_event_type in ONE_BLAST and a.date and b.date
            and a.date.date == b.date.date):
        # One bombing at one place on one day, whoever each sentence names: the bomber, the
        # claimant, the wedding's hosts ("a member of the SDF") are one incident's roles.
        return True
    if {a.event_type, b.event_type} & DEMONSTRATIONS and "Arrests" in {a.sub_event_type, b.sub_event_type}:
        return True  # arrests at a protest: whoever the report says made them (police, troops)
    names_a = {x.name for x in (a.actor1, a.actor2) if x}
    names_b = {x.name for x in (b.actor1, b.actor2) if x}
    return not names_a or not names_b or bool(names_a & names_b)


def type_key(m: Mention) -> tuple:
    """What :func:`types_compatible` reads of a mention: mentions with one key are alike to it."""
    return (m.event_type, m.sub_event_type, all(x is None or x.inter not in UNARMED for x in (m.actor1, m.actor2)))


def compat_key(m: Mention) -> tuple:
    """What :func:`compatible` reads of a mention: mentions with one key are alike to it."""
    return (type_key(m), (m.date.precision, m.date.date) if m.date else None,
            frozenset(x.name for x in (m.actor1, m.actor2) if x))


def types_compatible(a: Mention, b: Mention, *, kinds: bool = True) -> bool:
    if a.sub_event_type == b.sub_event_type:
        return True
    if not kinds:  # one incident per kind of act, but the damage it did is still part of it
        return bool({a.sub_event_type, b.sub_event_type} & PART_OF_VIOLENCE) and types_compatible(a, b)
    types = {a.event_type, b.event_type}
    if types == {"Violence against civilians", "Explosions/Remote violence"} and (
            told_as_such(a) or told_as_such(b)):
        return False  # "militias executed six men" and a bombing campaign: two acts, not one told twice
    if types <= VIOLENCE or types <= DEMONSTRATIONS:
        return True
    subs = {a.sub_event_type, b.sub_event_type}
    if types & VIOLENCE and subs & PART_OF_VIOLENCE:
        return True  # "... and destroyed several houses": the damage the violence did
    if types & DEMONSTRATIONS and subs & {"Arrests"}:
        return True  # "several protesters were arrested": part of the protest
    # A capture, detention or abduction by armed men in a battle is part of the battle.
    other = b if a.event_type == "Battles" else a
    armed = all(x is None or x.inter not in UNARMED for x in (other.actor1, other.actor2))
    return "Battles" in types and other.sub_event_type in CAPTURE_TYPES and armed
