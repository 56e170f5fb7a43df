"""A mention's actors: who did it (actor1), to whom or against whom (actor2), with whom.

Read from the sentence's own actors in their syntactic roles (``actor_roles.role_of``); a side
the sentence leaves unnamed continues the previous news sentence's; unarmed victims never
initiate; an attack or a bombing whose author is unnamed is an unidentified armed group's, a
demonstration whose participants are unnamed is its protesters'. Used by ``detect.py``.
"""

from __future__ import annotations

from ..actor_roles import AGENT, PATIENT, is_source, role_of
from ..actors import ActorDictionary, ActorMatch
from ..model import SUB_EVENT_TYPES, Actor, Mention


def last_named(s_actors: list[ActorMatch], last: ActorMatch | None) -> ActorMatch | None:
    """The last non-state actor named so far: the antecedent of "the group"."""
    for match in reversed(s_actors):
        if match.entries and all(e.inter != "State forces" for e in match.entries):
            return match
    return last


def mention_actors(sent, s_actors, antecedent, dictionary: ActorDictionary, *, on, country, context,
            decisions=(), previous: Mention | None = None):
    """actor1 (initiator), actor2 (target or other party), and associated actors.

    Read from the sentence's own actors in their roles (``decisions``: the sentence's event
    types); a side it leaves unnamed continues the previous news sentence's (``previous``).
    An initiator no sentence names is left unknown here: whether an event's author is
    unnamed is known only once all its sentences are read (``resolve``).
    """
    families = {SUB_EVENT_TYPES.get(d.sub_event_type, d.event_type) for d in decisions}
    subs = {d.sub_event_type for d in decisions}
    protest = bool(families) and families <= DEMONSTRATION_FAMILIES
    covert = bool(subs & COVERT_ATTACKS) and not subs & OPEN_WARFARE
    actor1, actor2, assoc1, assoc2 = _sentence_actors(
        sent, s_actors, antecedent, dictionary, on=on, country=country, context=context, protest=protest,
        covert=covert, fight="Battles" in families,
    )
    if previous is not None and not previous.background and (actor1 is None or actor2 is None):
        actor1, actor2 = _fill_from(previous, actor1, actor2, protest=protest)
    return actor1, actor2, assoc1, assoc2


DEMONSTRATION_FAMILIES = frozenset({"Protests", "Riots"})
# Bombings no one claims: "terrorists detonated a car bomb" is an unidentified armed group even
# where "terrorists" otherwise names the armed opposition (the readings of actors.toml).
COVERT_ATTACKS = frozenset({"Remote explosive/landmine/IED", "Suicide bomb"})
OPEN_WARFARE = frozenset({"Armed clash", "Shelling/artillery/missile attack", "Air/drone strike",
                          "Government regains territory", "Non-state actor overtakes territory"})
# Unarmed victims: never the initiator of violence (codebook: civilians are its targets).
UNARMED = frozenset({"Civilians"})
# Demonstrators are a demonstration's actors, never carried into a sentence of violence.
CROWDS = frozenset({"Protesters", "Rioters"})
UNIDENTIFIED = "Unidentified Armed Group"  # codebook: "Unidentified Armed Group (<country>)"


def crowd(kind: str, country: str | None) -> Actor:
    """The codebook's crowd of a country: ``crowd("Protesters", "Yemen")`` is "Protesters
    (Yemen)"; ``kind`` is one of :data:`CROWDS`."""
    return Actor(f"{kind} ({country})", kind, country)


def _sentence_actors(sent, s_actors, antecedent, dictionary: ActorDictionary, *, on, country, context,
                     protest: bool = False, covert: bool = False, fight: bool = False):
    """The sentence's own actor1, actor2 and associated actors, by their roles."""
    resolved: list[tuple[Actor, str, int]] = []
    generic: list[tuple[Actor, str, int]] = []  # "the terrorists" beside a named group: maybe the group
    for match in s_actors:
        if is_source(sent, match.start, match.end):
            continue  # "according to residents", "a field source told X": not a party
        if match.anaphor:
            if any(a.entries and 0 <= a.start - match.end <= 2 for a in s_actors):
                continue  # "the Islamist militant group al-Shabab": the name that follows says who
            # "The FMLN ... activity by the subversives": the group named earlier in the same
            # sentence comes first; "the guerrillas" with nothing named before is the generic
            # description.
            before = last_named([a for a in s_actors if a.end <= match.start], None)
            match_to_resolve = before or antecedent or match.fallback
            if match_to_resolve is None:
                continue
        else:
            match_to_resolve = match
        actor = dictionary.resolve(match_to_resolve, on=on, country=country, context=context,
                                   readings=not covert)
        if actor is None:
            continue
        role = role_of(sent, match.start, match.end)
        if actor.inter in UNARMED:
            if protest and role == AGENT and actor.country:
                # "Students marched on the ministry": in a demonstration they are its protesters.
                actor = crowd("Protesters", actor.country)
            else:
                role = PATIENT  # "21 passengers died", "residents fled the shelling": victims
        if match_to_resolve.template in dictionary.coreferent and match_to_resolve.country is None:
            generic.append((actor, role, match.start))
            continue
        same = next((i for i, (a, _, _) in enumerate(resolved) if a.name == actor.name), None)
        if same is not None:
            if role == AGENT:  # "the FMLN's call ... the subversives attacked": the group acts
                resolved[same] = (actor, AGENT, resolved[same][2])
            continue
        resolved.append((actor, role, match.start))
    resolved = _corefer(resolved, generic)
    if not resolved:
        return None, None, (), ()
    agents = [a for a, r, _ in resolved if r == AGENT]
    patients = [a for a, r, _ in resolved if r == PATIENT]
    parties = [a for a, r, _ in resolved if r not in (AGENT, PATIENT)]
    if not agents and not parties:
        # "A roadside bomb killed three soldiers": the target is known, the attacker is not.
        return None, patients[0], (), tuple(patients[1:])
    ordered = agents + parties + patients
    actor1 = ordered[0]
    allies: list[Actor] = []
    if len(agents) > 1 and not fight:
        # "Syrian and Russian planes struck ...": coordinated agents of a one-sided act are one
        # side (actor1 and its associate); the two sides of a clash ("troops and rebels
        # clashed") are each other's opponents, and "al-Bab, held by IS" is no ally.
        first = next(start for a, r, start in resolved if a is actor1)
        allies = [a for a, r, start in resolved if r == AGENT and a.name != actor1.name
                  and _coordinated(sent, first, start)]
        ordered = [a for a in ordered if a not in allies]
    rest = [a for a in ordered[1:] if a.name != actor1.name]
    actor2 = rest[0] if rest else None
    assoc = tuple(a for a in rest[1:])
    return actor1, actor2, tuple(allies), assoc


_ARMED_NON_STATE = frozenset({"Rebel group", "Political militia"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})


def _coordinated(sent, a: int, b: int) -> bool:
    """Are the actors named at offsets ``a`` and ``b`` conjuncts ("the regime and its Russian
    ally", "Syrian and Russian jets")? Each name is read up to the noun it modifies."""
    def chain(start: int) -> list:
        span = sent.doc.char_span(start, start + 1, alignment_mode="expand")  # as role_of finds it
        tok = span[0] if span is not None and len(span) else None
        out = []
        while tok is not None and tok not in out:
            out.append(tok)
            tok = tok.head if tok.dep_ in _MODIFIER_DEPS else None
        return out
    left, right = chain(a), chain(b)
    return any(y in x.conjuncts for x in left for y in right)


def _corefer(resolved: list[tuple[Actor, str, int]], generic: list[tuple[Actor, str, int]]):
    """Generic descriptions ("terrorists", "the guerrillas") in a sentence that names an armed
    group refer to that group, unless one attacks the other ("gunmen killed two FMLN members").
    Otherwise they are actors of their own (Unidentified Armed Group, Opposition Rebels)."""
    named = [i for i, (a, _, _) in enumerate(resolved) if a.inter in _ARMED_NON_STATE]
    out = list(resolved)
    for actor, role, start in generic:
        same = next((i for i in named if {role, out[i][1]} != {AGENT, PATIENT}), None)
        if same is not None:
            if role == AGENT:  # "the FMLN offensive ... attacks by the terrorists": the group acts
                out[same] = (out[same][0], AGENT, out[same][2])
            continue
        if not any(a.name == actor.name for a, _, _ in out):
            out.append((actor, role, start))
    # "terrorists detonated a car bomb and a suicide bomber blew himself up", "a rebel offensive
    # ... killing 40 attackers": an unnamed armed group beside another generic armed side it
    # neither attacks nor is attacked by is that side.
    unnamed = [i for i, (a, _, _) in enumerate(out) if a.name.startswith(UNIDENTIFIED)]
    drop = set()
    for i in unnamed:
        other = next((j for j, (a, r, _) in enumerate(out) if j != i and j not in drop
                      and a.inter in _ARMED_NON_STATE and {r, out[i][1]} != {AGENT, PATIENT}), None)
        if other is not None and any(g[0].name == out[i][0].name for g in generic):
            if out[i][1] == AGENT:
                out[other] = (out[other][0], AGENT, out[other][2])
            drop.add(i)
    out = [item for k, item in enumerate(out) if k not in drop]
    return sorted(out, key=lambda item: item[2])  # text order, as the roles' ties are broken


def _fill_from(previous: Mention, actor1: Actor | None, actor2: Actor | None, *, protest: bool = False):
    """A sentence continuing the story ("The fighting ...") keeps the sides named before, each
    in its place: the previous initiator stays the initiator, its target the target. Unarmed
    victims never initiate; demonstrators are carried only into a demonstration."""
    known = [a for a in (previous.actor1, previous.actor2) if a is not None and (protest or a.inter not in CROWDS)]
    if actor1 is None and actor2 is None:
        first = previous.actor1 if previous.actor1 in known and previous.actor1.inter not in UNARMED else None
        return first, previous.actor2 if previous.actor2 in known else None
    present = actor1 or actor2
    if actor1 is None:
        other = next((a for a in known if a.name != present.name and a.inter not in UNARMED), None)
        return other, actor2
    other = next((a for a in known if a.name != present.name), None)
    return actor1, other

