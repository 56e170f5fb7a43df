"""Where a mention happened, as assembly compares scenes: one place or two, a town inside the
district another mention names, a region that holds another (``events/assemble.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..datafiles import read_toml
from ..model import Mention, Place, Toponym
from ..places.normalise import fold
from ..places.resolve import distance_km


@dataclass(frozen=True)
class SceneWords:
    """The words around a place name that say it is not where an event happened (origins, a
    journey's ends, a speaking body's seat) or that a country is the scene: data/scene.toml."""

    version: str
    source_preps: frozenset[str]
    route_preps: frozenset[str]
    motion_verbs: frozenset[str]
    direction_words: frozenset[str]
    country_preps: frozenset[str]
    speaking_bodies: frozenset[str]
    speech_lemmas: frozenset[str]
    place_nouns: frozenset[str]
    distance_units: frozenset[str]
    position_verbs: frozenset[str]
    compass_words: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> SceneWords:
        data = read_toml(path, "scene.toml")
        lists = ("source_preps", "route_preps", "motion_verbs", "direction_words", "country_preps",
                 "speaking_bodies", "speech_lemmas", "place_nouns", "distance_units", "position_verbs", "compass_words")
        return cls(version=str(data["version"]), **{k: frozenset(x.lower() for x in data[k]) for k in lists})


def phrase_head(token, words: SceneWords):
    """The word a place name's phrase is built on: "Quetta railway station" -> "station",
    "the town of Ain Jara" -> "town", "Tal Abyad city" -> "city"."""
    for _ in range(4):  # a few links at most
        if token.dep_ == "compound" and token.head.i != token.i:
            token = token.head
        elif (token.dep_ == "pobj" and token.head.lower_ == "of"
              and token.head.head.lower_ in words.place_nouns):
            token = token.head.head
        else:
            break
    return token


def locates(doc, area: Toponym, town: Toponym, words: SceneWords) -> bool:
    """Does ``area`` only say where ``town`` is: "Ain Jara in rural Aleppo", "Idlib province's
    Maaret al-Numan", "Tal Abyad, Raqqa", "Arbin, a suburb of Damascus"? Read from the parse:
    the area's phrase hangs from the town's (or the town's from the area's as an apposition),
    with no verb or conjunction between them."""
    a_span = doc.char_span(area.start, area.end, alignment_mode="expand")
    t_span = doc.char_span(town.start, town.end, alignment_mode="expand")
    if a_span is None or t_span is None:
        return False
    a_head, t_head = phrase_head(a_span.root, words), phrase_head(t_span.root, words)
    if t_span.root.dep_ == "appos" and t_span.root.head in (a_head, a_span.root):
        return True
    j = t_span.end
    while j < a_span.start and doc[j].lower_ in words.place_nouns:
        j += 1
    if j == a_span.start and a_span.root.dep_ != "conj":
        return True  # a headline's "Mare city Aleppo", "in Tal Abyad Raqqa": the name right after the town
    node = a_head
    for _ in range(5):
        if node.dep_ == "ROOT" or node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return False
        if node.dep_ == "conj" and any(c.dep_ in ("cc", "conj") and c.i != node.i for c in node.head.children):
            return False  # "Aleppo and Anadan", "Idlib, Hama and Homs": a list of scenes
        # "in Tal Abyad, Raqqa": a comma and no "and" is an apposition the parser calls a conjunct
        node = node.head
        if node in (t_head, t_span.root):
            return True
        if node.pos_ in ("VERB", "AUX") and not (node.dep_ == "acl" and node.lemma_.lower() in _LOCATING):
            return False  # but "Al Sukhnah city located in Eastern Homs" only locates
    return False


_LOCATING = frozenset({"locate", "situate", "lie"})


def opens_sentence(doc, t: Toponym, sent) -> bool:
    """Is ``t`` the object of the "in" that opens its sentence ("In Homs, ...")?"""
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ == "pobj" and root.head.i == sent.start and root.head.lower_ == "in"


def compass_reference(doc, area: Toponym, others: list[Toponym], words: SceneWords) -> bool:
    """Is ``area`` a reference point for another place of ``others``: "the town of Atareb west
    of Aleppo", "al-Nueimeh village, 4 km east of the city of Daraa"? Read from the words
    between the two names (the parser often hangs the compass word from the verb)."""
    span = doc.char_span(area.start, area.end, alignment_mode="expand")
    if span is None:
        return False
    i = span.start - 1
    if i >= 1 and doc[i].text == "(" and doc[i - 1].pos_ == "PROPN":
        i -= 1  # "the city of Palmyra (Tadmur)": the name's other spelling
        while i > 0 and doc[i - 1].pos_ == "PROPN":
            i -= 1
        i -= 1
    if i >= 2 and doc[i].lower_ == "of" and doc[i - 1].lower_ in words.place_nouns:
        i -= 2  # "west of the city of Aleppo"
        while i >= 0 and doc[i].pos_ == "ADJ" and doc[i].is_lower:
            i -= 1  # "the ancient city of Palmyra"
    while i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i < 1 or doc[i].lower_ != "of":
        return False
    i -= 1
    if i >= 2 and doc[i - 1].text == "-" and f"{doc[i - 2].lower_}-{doc[i].lower_}" in words.compass_words:
        i -= 2  # "north-east", tokenised in three
    if i < 0 or doc[i].lower_ not in words.compass_words:
        return False
    i -= 1
    if i >= 0 and doc[i].lemma_.lower() in words.position_verbs and doc[i].tag_ in ("VBN", "VBG"):
        return True  # "the villages ... are located northwest of the city of Palmyra"
    if i >= 0 and doc[i].lower_ in ("and", "or"):
        # "northwest of Palmyra, southeast of Salamiyah and southwest of Aqayrabat": a list of
        # reference points
        return any(doc[k].lower_ in words.compass_words and doc[k + 1].lower_ == "of"
                   for k in range(max(doc[i].sent.start, i - 15), i))
    if i >= 1 and doc[i].lower_ == "the" and doc[i - 1].lower_ == "to":
        i -= 2  # "Mare city to the north of Aleppo city"
    if i >= 1 and doc[i].lemma_.lower() in words.distance_units and doc[i - 1].like_num:
        i -= 2  # "4 km east of"
    if i >= 0 and doc[i].text == ",":
        i -= 1
    if i >= 0 and doc[i].lower_ in words.place_nouns:
        i -= 1  # "al-Nueimeh village east of"
    if i < 0:
        return False
    at = doc[i].idx
    # (or a province, which ``others`` may leave out: "in Homs province southeast of the city of
    # Al Salamiyah"; or a name in brackets: "the city of Palmyra (Tadmur)")
    return any(o is not area and o.start <= at < o.end for o in others) or (
        doc[i].pos_ == "PROPN" and doc[i].ent_type_ in ("GPE", "LOC", "FAC", ""))


def positioned_attacker(prep, words: SceneWords) -> bool:
    """Does ``prep`` ("in" of "terrorists located in X fired") say where the subject of an
    active verb is positioned?"""
    verb = prep.head
    return (verb.dep_ == "acl" and verb.lemma_.lower() in words.position_verbs
            and verb.head.dep_ == "nsubj" and verb.head.head.pos_ == "VERB")


def locator(prep, others: list[Toponym], words: SceneWords) -> bool:
    """Is ``prep`` ("in" of "Al Sukhnah city located in eastern Homs") the place a participle of
    ``words.position_verbs`` puts the place named just before it in: a locator, not a scene?"""
    verb = prep.head
    if verb.lemma_.lower() not in words.position_verbs or verb.tag_ not in ("VBN", "VBG") or verb.i == 0:
        return False
    before = verb.doc[verb.i - 1]
    return before.lower_ in words.place_nouns or any(o.start <= before.idx < o.end for o in others)


def specific(t: Toponym) -> bool:
    return t.place is not None and t.place.feature not in ("country", "admin1", "continent")


def rank(t: Toponym) -> int:
    """Lower is a better anchor for an incident: a town itself beats "near"/"areas of" it."""
    return {"in": 0, "near": 1, "region": 2}.get(t.relation, 1)


def area_of(m: Mention) -> Place | None:
    """The place the mention's own sentence names; None when it names none (detection may
    still have given it the country the report is set in, which says nothing of the scene)."""
    t = m.toponyms[0] if m.toponyms else None
    if t is None or t.place is None or not m.sentence.start <= t.start < m.sentence.end:
        return None
    return t.place


def same_place(a: Toponym, b: Toponym, *, km: float) -> bool:
    """Do two toponyms name one scene: the same place, a town inside the district a vaguer
    reference names, or places at most ``km`` apart?"""
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        return False
    if pa.geonameid and pa.geonameid == pb.geonameid:
        return True
    if pa.name == pb.name and pa.country_code == pb.country_code:
        return True
    if pa.within is not None or pb.within is not None:
        # A place the gazetteer lacks stands at the coordinates of the area holding it: only its
        # own name (however spelt) is the same scene. Coders keep a town's neighbourhoods apart
        # too ("Aleppo - al-Hamadaniya", "Aleppo - Baron Street").
        return _fold(pa.name) == _fold(pb.name) and pa.country_code == pb.country_code
    # A vaguer reference ("areas of Hermel", "near X") is the same place as a town there:
    # within a few km, or the town lies in the district the vaguer reference names.
    if "in" in (a.relation, b.relation) and a.relation != b.relation:
        vague, exact = (a, b) if b.relation == "in" else (b, a)
        if _district_holds(vague.place, exact.place):
            return True
    return distance_km(pa, pb) <= km


def _district_holds(area: Place, place: Place) -> bool:
    """Does ``area`` (a district, region, or a town standing for its district) hold ``place``?"""
    if area.country_code != place.country_code:
        return False
    keys = district_keys(place)
    return any(n and n in keys for n in district_names(area))


def district_names(area: Place) -> set[str]:
    """The (folded) names of the districts ``area`` stands for, as a vaguer reference."""
    names = {_fold(area.name), *(_fold(n) for n in (area.admin2,) if n and area.feature == "admin2")}
    if area.feature == "populated place" and area.admin2:
        # "areas of Hermel": a town named like its district stands for the district.
        if _fold(area.admin2) in _fold(area.name) or _fold(area.name) in _fold(area.admin2):
            names.add(_fold(area.admin2))
    return names


def district_keys(place: Place) -> tuple[str, str]:
    """The (folded) district and province ``place`` lies in, "" when the gazetteer has none."""
    return (_fold(place.admin2 or ""), _fold(place.admin1 or ""))


def contains_place(area: Place, place: Place | None) -> bool:
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


def same_area(group: list[Mention], m: Mention) -> bool:
    """Place-less mentions go with anything; regions only with regions that hold or are held."""
    area = area_of(m)
    others = [a for a in map(area_of, group) if a is not None]
    return area is None or all(contains_place(a, area) or contains_place(area, a) for a in others)


def _fold(name: str) -> str:
    """The gazetteer's folding, spaces dropped: "Al-Qusayr" and "Al Quşayr" compare equal."""
    return fold(name).replace(" ", "")


def inside_area(place, area) -> bool:
    """Does the gazetteer ``place`` lie in ``area`` (a country, province or district)?"""
    if place is None or area is None or place.country_code != area.country_code:
        return False
    if area.feature == "country":
        return True
    if area.feature == "admin1":
        return bool(place.admin1) and place.admin1 == area.admin1
    if area.feature == "admin2":
        return bool(place.admin2) and place.admin2 == area.admin2
    return False


def within_area(inner: Toponym, outer: Toponym) -> bool:
    """Is ``inner`` a place inside the area ``outer`` names (same sentence, coarser feature)?"""
    a, b = inner.place, outer.place
    if a is None or b is None or a.country_code != b.country_code or a is b:
        return False
    if b.feature == "admin2":
        return bool(a.admin2) and a.admin2 == b.admin2 and a.feature != "admin2"
    if b.feature in ("admin1", "region", "mountains") and outer.relation == "region":
        return bool(a.admin1) and a.admin1 == b.admin1 and a.feature == "populated place" and b.feature == "admin1"
    return False


def same_province(a: Place, b: Place) -> bool:
    """Do two gazetteer places lie in one province (of one country)?"""
    return bool(a.admin1) and a.admin1 == b.admin1 and a.country_code == b.country_code


def near_town(town: Toponym, area: Toponym) -> bool:
    """Could ``area`` be the province, district or city ``town`` lies in or beside?"""
    a, b = town.place, area.place
    if a is None or b is None or a is b or a.country_code != b.country_code or a.feature in _AREA_FEATURES:
        return False
    if b.feature == "populated place" and b.population <= a.population:
        return False  # the bigger place locates the smaller, not the other way
    return same_province(a, b) or distance_km(a, b) <= 30


# Features that are areas, never a town an area could locate ("the camp of Taloul" is a town's peer).
_AREA_FEATURES = frozenset({"country", "admin1", "admin2", "region", "mountains", "continent"})
