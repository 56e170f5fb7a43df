"""Roles of the actors a sentence names: who acted on whom (agent, patient, or a party to a
clash), read from the dependency parse, and which names are only the source of a report
("the Observatory said"). Used by ``events/mention_actors.py``; the names themselves are
matched by ``actors.py``."""

from __future__ import annotations

AGENT, PATIENT, PARTY = "agent", "patient", "party"

_PATIENT_PREPS = {"with", "against", "on", "at", "into", "toward", "towards", "targeting"}
_AGENT_PREPS = {"by", "from"}


def role_of(sent, start: int, end: int) -> str:
    """The role of the phrase text[start:end] in its clause: agent, patient or party.

    Reads the dependency path from the phrase's head up to the clause root. Passive agents
    ("met with resistance from the Syrian Army", "deployed by the army") are agents;
    subjects of passives and objects are patients; "clashes between A and B" are parties.
    """
    doc = sent.doc
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return PARTY
    token = span.root
    if _accused(token):
        return AGENT
    if token.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod") and token.head.dep_ in ("dobj", "obj") \
            and token.head.head.pos_ == "VERB" and _repels(token.head.head):
        return AGENT  # "troops repelled a rebel offensive": the rebels attacked
    path = []
    while token.head is not token and token.i >= sent.start:
        path.append(token)
        if token.dep_ in ("nsubj",) and token.head.pos_ in ("VERB", "AUX"):
            if token.head.lemma_.lower() in _UNDERGO_VERBS:
                return PATIENT  # "21 passengers died", "the town came under fire": victims
            if token.head.lemma_.lower() in _HARM_VERBS and headline_passive(token.head, token):
                return PATIENT  # "70 ISIS terrorists killed in airstrikes": "were" dropped
            # "Troops fought off an attack by Al-Shabaab": who repels an attack did not start it.
            return PARTY if _repels(token.head) else AGENT
        if token.dep_ in ("nsubjpass", "dobj", "obj"):
            return PATIENT
        if token.dep_ == "pobj":
            prep = token.head.lower_
            governor = token.head.head.lemma_.lower()
            if prep == "by" and governor in _BACKING_VERBS:
                return PARTY  # "forces backed by the U.S.-led coalition": a backer, not the actor
            if prep == "by" and governor in _HOLDING_VERBS and token.head.head.dep_ == "acl":
                return PATIENT  # "strikes on a village held by Islamic State": who holds the target
            if prep == "from" and governor in _TAKING_VERBS:
                return PATIENT  # "to retake Mosul from Daesh": who loses the ground
            if prep in _AGENT_PREPS or token.head.dep_ == "agent":
                return AGENT
            if prep == "between":
                return PARTY
            if prep in _PATIENT_PREPS:
                return PATIENT
        if token.dep_ == "conj" and token.head.dep_ == "pobj" and token.head.head.lower_ == "between":
            return PARTY
        token = token.head
        if len(path) > 12:
            break
    if token.dep_ == "ROOT" and span.root.dep_ in ("nsubj",):
        return AGENT
    return PARTY


def counted(noun) -> bool:
    """Does a number count the noun ("70 ISIS terrorists")?"""
    return any(n.dep_ == "nummod" and n.like_num for n in noun.children)


def counted_subject(verb) -> bool:
    return any(c.dep_ == "nsubj" and counted(c) for c in verb.children)


def headline_passive(verb, subject=None) -> bool:
    """A counted subject (``subject``, else any of the verb's) of a past form with no object and
    no auxiliary ("70 ISIS terrorists killed in airstrikes", "Three soldiers wounded") is a
    headline's passive with its "were" dropped: the counted are the victims."""
    if verb.tag_ not in ("VBD", "VBN") or any(c.dep_ in ("dobj", "obj", "aux", "auxpass") for c in verb.children):
        return False
    return counted(subject) if subject is not None else counted_subject(verb)


_HARM_VERBS = frozenset({"kill", "wound", "injure", "hurt", "arrest", "abduct", "kidnap", "detain", "capture",
                         "execute", "behead", "massacre", "slaughter", "shoot", "displace", "evacuate"})
_SPEECH_VERBS = frozenset({"say", "tell", "report", "claim", "state", "add", "announce", "confirm",
                           "describe", "accord", "quote", "speak", "note", "explain", "estimate",
                           "write", "post", "allege", "insist", "inform", "indicate", "condemn",
                           "denounce", "reveal", "stress", "assert", "accuse", "blame", "attribute"})
# Nouns whose modifier is the reporter, not a party: "police sources", "an army spokesman".
_SOURCE_NOUNS = frozenset({"source", "sources", "spokesman", "spokesmen", "spokeswoman", "spokesperson",
                           "communique", "bulletin", "statement", "report", "reports"})
# Verbs whose subject is a source but whose object is what is judged ("condemned the FMLN").
_JUDGING_VERBS = frozenset({"condemn", "denounce"})
# "accused the army of ...", "blamed the guerrillas for ...": the accused is the alleged
# initiator (certainty says it is alleged), the accuser is a source.
_ACCUSE_VERBS = frozenset({"accuse", "blame"})
_ATTRIBUTE_VERBS = frozenset({"attribute", "blame"})  # "attributed the attack to X", "blamed it on X"


# Verbs whose subject undergoes the event: "passengers died", "the convoy came under attack".
_UNDERGO_VERBS = frozenset({"die", "perish", "suffer", "sustain", "succumb", "flee", "escape", "come", "fall",
                            "lose", "survive", "remain", "huddle", "shelter", "spend"})
# "backed by X", "supported by X": X helps the actor; it is not the actor.
_BACKING_VERBS = frozenset({"back", "support", "assist", "aid", "arm", "fund", "finance", "sponsor", "equip",
                            "train", "advise", "cover", "escort"})
# "a village held by X", "areas controlled by X": X holds what was struck, it did not strike.
_HOLDING_VERBS = frozenset({"hold", "control", "occupy", "run", "govern", "rule", "administer", "dominate"})
# "retake X from Y", "seize X from Y": Y loses the ground.
_TAKING_VERBS = frozenset({"take", "retake", "recapture", "capture", "seize", "wrest", "win", "liberate", "free",
                           "regain", "reclaim", "recover", "expel", "drive", "push", "oust", "clear", "rescue",
                           "snatch", "grab", "conquer"})

# Verbs whose subject defends itself: "repelled an attack by X", "fought off X".
_REPEL_VERBS = frozenset({"repel", "repulse", "thwart", "foil", "withstand", "rebuff"})
_REPEL_PARTICLES = {"fight": ("off", "back"), "beat": ("off", "back"), "fend": ("off",), "drive": ("off", "back")}


def _repels(verb) -> bool:
    lemma = verb.lemma_.lower()
    if lemma in _REPEL_VERBS:
        return True
    return any(c.lower_ in _REPEL_PARTICLES.get(lemma, ()) and c.dep_ in ("prt", "prep", "advmod")
               for c in verb.children)


def _accused(token) -> bool:
    head = token.head
    if token.dep_ == "dobj" and head.lemma_.lower() in _ACCUSE_VERBS:
        return True
    if token.dep_ == "dobj" and head.lemma_.lower() == "hold" and any(c.lower_ == "responsible" for c in head.children):
        return True
    return (token.dep_ == "pobj" and head.lower_ in ("to", "on")
            and head.head.lemma_.lower() in _ATTRIBUTE_VERBS)


def is_source(sent, start: int, end: int) -> bool:
    """Is text[start:end] the source of the report rather than a party to the event?

    "according to residents", "residents said", "told The Media Line", "activists
    reported": sources and reporters are never actors (codebook).
    """
    span = sent.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    token = span.root
    if _accused(token):
        return False
    # "police sources said", "the armed forces press committee reported": the actor only
    # names who speaks; climb to the noun it modifies and judge that noun.
    while token.dep_ in ("compound", "amod", "nmod", "poss") and token.head.pos_ in ("NOUN", "PROPN") \
            and token.head is not token:
        token = token.head
        if token.lower_ in _SOURCE_NOUNS:
            return True
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        return True
    if token.dep_ == "pobj" and head.lower_ in ("at", "in", "from", "of", "for", "within") \
            and head.head.lower_ in _SOURCE_NOUNS:
        return True  # "a source at Aleppo Police Command", "a spokesman for the army": who speaks
    if head.lemma_.lower() in _JUDGING_VERBS and token.dep_ != "nsubj":
        return False
    if token.dep_ in ("nsubj", "dative", "dobj", "pobj") and head.lemma_.lower() in _SPEECH_VERBS:
        # "X said" / "told X" / "speaking to X": the clause is the report, not the event.
        return not any(c.dep_ in ("dobj",) and c.lemma_.lower() not in ("that",) and head.lemma_ == "claim"
                       for c in head.children)
    if token.dep_ == "pobj" and head.head.lemma_.lower() in _SPEECH_VERBS:
        return True
    if token.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_.lower() in _SPEECH_NOUNS:
        return True  # "an announcement by the police", "a statement by the army": who speaks
    return False


_SPEECH_NOUNS = frozenset({"announcement", "statement", "report", "claim", "communique", "denial",
                           "confirmation", "declaration", "comment", "remark", "briefing", "warning"})
