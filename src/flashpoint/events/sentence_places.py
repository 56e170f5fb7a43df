"""Which of a sentence's places are where its event happened (``detect.py`` asks): not the
place a report came from ("footage from Damascus"), a journey's ends, a reference point ("40 km
from Homs"), where a speaking body sits ("a source in Homs told ..."), where attackers come from
("fighters from the provinces of Aleppo and Idlib"), nor an area that only locates a town named
with it ("Ain Jara in rural Aleppo")."""

from __future__ import annotations

from ..model import Toponym
from .scene import (SceneWords, compass_reference, locates, locator, near_town, opens_sentence, phrase_head,
                    positioned_attacker, same_province, within_area)


def event_places(sent, specific: list[Toponym], words: SceneWords, *, alone: bool = False) -> list[Toponym]:
    """The sentence's places where things happened: not "footage from Damascus". A journey's
    end or a reference point is left out when the sentence names another place, or when
    ``alone`` (the places a later sentence may carry) even if it names no other."""
    doc = sent.doc
    kept = []
    for t in specific:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            kept.append(t)
            continue
        # The phrase the name is written in ("from the city of Homs", "from Quetta railway
        # station") says whether it is a reference point or a journey's end ...
        phrase = phrase_head(span.root, words)
        prep = phrase.head
        if phrase.dep_ == "pobj" and (len(specific) > 1 or alone):
            if prep.lower_ == "from" and any(w.lemma_.lower() in words.distance_units
                                             for w in doc[max(sent.start, prep.i - 6) : prep.i]):
                continue  # "an airfield 40 kilometers from the city of Homs": a reference point
            if prep.lower_ in words.route_preps and _governor(prep, words).lemma_ in words.motion_verbs:
                continue  # "travelling from Quetta to Peshawar", "flown from Quetta railway station to Sibi"
            if positioned_attacker(prep, words):
                continue  # "terrorists located in al-Nazihin Camp fired shells at X": where fire came from
            if locator(prep, specific, words):
                continue  # "Al Sukhnah city located in eastern Homs": only says where the town is
        if len(specific) > 1 and compass_reference(doc, t, specific, words):
            continue  # "the town of Atareb west of Aleppo": a reference point
        # ... the name itself whether it is a source: "eviction from east Jerusalem homes" is a scene.
        root = span.root
        head = root.head
        if root.dep_ == "pobj" and _speaking_body(head, words):
            continue
        if root.dep_ == "pobj" and head.lower_ in words.source_preps and head.head.pos_ == "NOUN":
            continue  # "footage from X" (but "forced them back from X" places the event at X)
        first = root
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # "fighters from the provinces of Aleppo and Idlib": as Aleppo is
        source = phrase_head(first, words)  # "the provinces of Aleppo" stands where Aleppo would
        if (source is not root and first.dep_ != "compound" and source.dep_ == "pobj"
                and source.head.lower_ in words.source_preps and source.head.head.dep_ == "nsubj"
                and source.head.head.head.lemma_ != "be"):
            # "fighters from the provinces of Aleppo and Idlib were attacking the city": where
            # those who act come from; "the dead were farmers from the town of X" is the scene
            continue
        # "dispatched coffins from Quetta railway station": what was sent came from there
        if (phrase.dep_ == "pobj" and prep.lower_ in words.source_preps and prep.head.dep_ == "dobj"
                and prep.head.head.lemma_.lower() in words.motion_verbs):
            continue
        kept.append(t)
    # "on the road between Saraqib and Idlib": one place, near the first town.
    kept = _between(doc, kept)
    # "Haweek, a Lebanese town in the Hermel region": the region only locates the town.
    kept = [t for t in kept if not any(o is not t and within_area(o, t) for o in kept)]
    # "al-Nueimeh village east of Daraa city": the area a village the gazetteer lacks is placed
    # in (places/unlocated.py) only locates it.
    kept = [t for t in kept if not any(o.place.within is not None and o.place.within == t.place for o in kept)]
    # "Ain Jara in rural Aleppo", "Tal Abyad, Raqqa": the province's city only locates the town.
    kept = [t for t in kept if not any(o is not t and near_town(o, t) and locates(doc, t, o, words) for o in kept)]
    # "In Homs, army units killed 20 terrorists in Talbiseh": a round-up's item opens on its
    # province (often by its city's name), which only locates the places the item names in it.
    kept = [t for t in kept if not (opens_sentence(doc, t, sent) and any(
        o is not t and same_province(o.place, t.place) for o in kept))]
    # Several mentions of one place ("Al Qusayr ... Al Qusayr") are one place.
    seen: dict[tuple, Toponym] = {}
    for t in kept:
        key = place_key(t)
        if key not in seen or (seen[key].relation != "in" and t.relation == "in"):
            seen[key] = t
    return list(seen.values())


def _speaking_body(prep, words: SceneWords) -> bool:
    """Is ``prep`` ("in" of "the ministry in Moscow") attached to a speaking body that is the
    subject of a verb of saying?"""
    body = prep.head
    if prep.lower_ not in ("in", "at") or body.lower_ not in words.speaking_bodies:
        return False
    if body.dep_ == "nsubj" and body.head.lemma_.lower() in words.speech_lemmas:
        return True
    # Wire copy stripped of commas ("killed four children an informed source in Homs told
    # Sputnik") parses the body as an object: the verb of saying right after its phrase says it.
    end = max(t.i for t in prep.subtree) + 1
    return end < len(prep.doc) and prep.doc[end].pos_ == "VERB" and prep.doc[end].lemma_.lower() in words.speech_lemmas


def _governor(prep, words: SceneWords):
    """The word a route preposition's phrase hangs from, past chained route phrases and
    direction words: "from X to Y", "on its way north to Peshawar from Quetta"."""
    node = prep.head
    for _ in range(8):  # a few links at most; the parse is a tree but stay bounded
        if node.dep_ == "pobj" and node.head.lower_ in words.route_preps:
            node = node.head.head  # "to Peshawar from Quetta": past "Peshawar" and "to"
        elif node.dep_ == "prep" and node.lower_ in words.route_preps and node.head.i != node.i:
            node = node.head  # "from X to Y": "to" hangs from "from"
        elif node.dep_ == "advmod" and node.lower_ in words.direction_words and node.head.i != node.i:
            node = node.head  # "travelling north from Quetta"
        else:
            break
    return node


def _between(doc, toponyms: list[Toponym]) -> list[Toponym]:
    out = []
    skip: set[int] = set()
    for i, t in enumerate(toponyms):
        if i in skip:
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and span.root.dep_ == "pobj" and span.root.head.lower_ == "between":
            for j in range(i + 1, len(toponyms)):
                other = doc.char_span(toponyms[j].start, toponyms[j].end, alignment_mode="expand")
                if other is not None and other.root.dep_ == "conj" and other.root.head == span.root:
                    skip.add(j)
            if skip:
                t = Toponym(t.start, t.end, t.name, t.place, relation="near", why=t.why + "; between two places")
        out.append(t)
    return out


def place_key(t: Toponym) -> tuple:
    p = t.place
    return (p.geonameid, p.name) if p and p.geonameid else (None, p.name if p else t.name)
