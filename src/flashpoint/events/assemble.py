"""Article-level event assembly: from one article's mentions to its incidents.

Detection reads sentence by sentence (one :class:`Mention` per event clause and place);
a coder reads the whole report. This stage does what the coder does before filling any field:

1. **News window.** Background mentions (history, analysis, statements: ``background.py``),
   mentions dated well before or after the article's own date, and events an adjective makes
   past or a class ("past attacks", "other recent bombings") are recalled events, not news; an
   agreement is news only when its sentence concludes it ("signed a deal", not "welcomed the
   deal").
2. **Relevance.** An article whose lead (headline and opening sentences) reports no political
   violence or demonstration is not an event report: a feature, an interview, a trial or a
   diplomatic story yields no event, whatever incident its later paragraphs recall.
3. **Coreference.** Mentions that tell the same incident become one: the same place (or a
   place a few km away, or a town inside the district another mention names), a compatible
   day, compatible actors, and a compatible type: the headline's "attack", the lead's
   "bombing" and the follow-up's "the blast killed 15" at one place and day are one incident.
   A mention naming no place continues the incident the narrative is on.
4. **Standing.** A mention that names no place, lies outside the lead and continues no
   incident is commentary or a recalled event: it makes no incident of its own.

Resolution (``resolve.py``) then fills the codebook's fields from each incident. The numbers
are in ``data/assembly.toml``; how two mentions' places compare is in ``scene.py``; which
mentions tell one incident (step 3) is in ``coreference.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..datafiles import read_toml
from ..model import Document, Incident, Mention
from .background import STATE, STATEMENT
from .assembly_index import Incidents, LatestOfType, Summaries
from .coreference import (
    DEMONSTRATIONS,
    UNARMED,
    VIOLENCE,
    Quotes,
    anaphoric,
    claims,
    compatible,
    lead_into_quarters,
    points_back,
    quoted,
    quoted_spans,
    trigger_root,
)
from .scene import area_of, contains_place, rank, same_area, specific

__all__ = ["DEMONSTRATIONS", "UNARMED", "VIOLENCE", "AssemblyRules", "assemble_incidents"]

_AREA_ORDER = {"admin2": 1, "admin1": 2, "country": 3, "continent": 4}  # smaller is more precise
_CONDITIONS = frozenset({"if", "unless", "whether"})
# Dependency labels of a trigger that describes a noun instead of asserting an event.
_DESCRIBING = frozenset({"amod", "acl", "compound", "appos", "poss", "nmod"})


@dataclass(frozen=True)
class AssemblyRules:
    """The settings of assembly, from ``data/assembly.toml`` (documented there)."""

    version: str
    lead_sentences: int
    lead_days_before: int
    relevant_types: frozenset[str]
    relevant_asserted: frozenset[str]
    standalone_types: frozenset[str]
    days_before: int
    days_after: int
    same_place_km: float
    recalled_modifiers: frozenset[str] = frozenset()
    recap_modifiers: frozenset[str] = frozenset()
    conclusion_verbs: frozenset[str] = frozenset()
    onset_verbs: frozenset[str] = frozenset()
    not_agreements: frozenset[str] = frozenset()
    anaphor_nouns: frozenset[str] = frozenset()  # "killed during the assault": an incident told before
    # False for tasks that code every incident a report mentions, history included (MUC-4's
    # templates): no news window, no relevance gate, and no judgement of what may found an
    # incident (quotes, place-less remarks, strategic developments after the lead); the
    # coreference stays.
    news_only: bool = True
    # False for tasks with one incident per kind of act (MUC-4's templates): mentions merge only
    # when they report the same sub-event type (or the damage it did); the codebook's single
    # event for an attack told as a bombing and a shooting needs True.
    merge_kinds: bool = True

    @classmethod
    def load(cls, path: Path | None = None) -> AssemblyRules:
        raw = read_toml(path, "assembly.toml")
        return cls(
            version=str(raw["version"]),
            lead_sentences=int(raw["relevance"]["lead_sentences"]),
            lead_days_before=int(raw["relevance"]["days_before"]),
            relevant_types=frozenset(raw["relevance"]["event_types"]),
            relevant_asserted=frozenset(raw["relevance"]["asserted_sub_event_types"]),
            standalone_types=frozenset(raw["incident"]["standalone_event_types"]),
            days_before=int(raw["news_window"]["days_before"]),
            days_after=int(raw["news_window"]["days_after"]),
            same_place_km=float(raw["incident"]["same_place_km"]),
            anaphor_nouns=frozenset(raw["incident"].get("anaphor_nouns", ())),
            recalled_modifiers=frozenset(raw["news_window"]["recalled_modifiers"]),
            recap_modifiers=frozenset(raw["news_window"]["recap_modifiers"]),
            conclusion_verbs=frozenset(raw["strategic"]["conclusion_verbs"]),
            onset_verbs=frozenset(raw["strategic"]["onset_verbs"]),
            not_agreements=frozenset(raw["strategic"]["not_agreements"]),
        )


def assemble_incidents(mentions: list[Mention], *, doc: Document, rules: AssemblyRules,
                       reference: dt.date | None = None) -> list[Incident]:
    """The incidents one article reports, in text order.

    ``reference`` is the article's own date (its stated date, else its publication date): the
    news window is counted from it.
    """
    lead_end = _lead_end(doc, rules.lead_sentences)
    if rules.news_only:
        news = _news(mentions, doc=doc, reference=reference, rules=rules)
        if not _relevant(mentions, doc, lead_end, reference, rules):
            return []
    else:
        news = [m for m in mentions if not m.background]

    quotes = Quotes(quoted_spans(doc.text))
    # (indexed: a long article's mentions are each compared with the few incidents that can
    # take them, not with all: assembly_index.py)
    summaries = Summaries()
    told = Incidents(rules, summaries)
    vague: list[Mention] = []
    for m in news:
        # Quoted speech ("'They attacked the hotel at dawn,' a witness said") adds to an
        # incident the report tells; it never founds one: a quote is an opinion or a witness.
        if not m.toponyms or not specific(m.toponyms[0]) or quoted(doc, m, quotes):
            vague.append(m)
            continue
        home = told.home(m)
        same_scene = home is not None
        if home is None and points_back(doc, m, rules):
            earlier = told.antecedents(m)
            home = earlier[-1] if earlier else None
        if home is None:
            told.found(m)
            continue
        told.add(home, m)
        # A finer reference to the same scene places the incident better; "the attack" told
        # with a place carried from elsewhere ("coffins were sent from Quetta") does not. So
        # does "the blasts in the Al-Zahraa neighborhood of the city" for the city's bombing.
        finer = m.toponyms[0].place
        if (same_scene and area_of(m) is not None and rank(m.toponyms[0]) < rank(home.toponym)) or (
                not same_scene and finer is not None and finer.within is not None
                and finer.within == home.toponym.place and _names_own_place(m)):
            told.place(home, m.toponyms[0])

    leftovers: list[Mention] = []
    told.read_scenes()
    for m in vague:
        # "their abduction", "the strikes": the incidents it points back to.
        found = told.antecedents(m) if points_back(doc, m, rules) else []
        # "air strikes in Idlib province" joins only incidents inside Idlib province.
        area = area_of(m)
        if not found:
            found = [i for i in told.homes(m, kinds=rules.merge_kinds)
                     if area is None or contains_place(area, i.toponym.place)]
            # A lede placed no finer than its country ("10 Syrian troops killed in clashes")
            # introduces the incidents its lead goes on to tell, not stories the article only
            # comes to after its lead. (MUC-4's templates take every incident a report names.)
            if (rules.news_only and m.sentence.start < lead_end and found
                    and all(told.first_scene(i) >= lead_end for i in found)):
                found = []
        for i in found:
            told.add(i, m)
        if not found:
            leftovers.append(m)
    incidents = told.items

    # What nothing took: one incident per compatible group at one region (or at none), but
    # only from the lead or a mention that names a region: a place-less remark further down
    # is commentary on the story, not a new incident.
    groups: list[list[Mention]] = []
    voiced: list[Mention] = []  # quoted mentions that name a place: they may place a group
    for m in leftovers:
        remark = m.sentence.start >= lead_end and area_of(m) is None
        if rules.news_only and (remark or quoted(doc, m, quotes)):
            if m.toponyms and m.toponyms[0].place is not None and m.toponyms[0].place.feature not in (
                    "country", "continent") and quoted(doc, m, quotes):
                voiced.append(m)
            continue
        # "The Observatory says the clashes pitted ...": a definite mention whose day is only the
        # narrative's goes with the incident it points back to, whatever day that one states.
        by_day = _dated_by_own_sentence(m) or not anaphoric(doc, m)
        for g in groups:
            if summaries.all_compatible(g, m, by_day=by_day, kinds=rules.merge_kinds) and same_area(g, m):
                g.append(m)
                break
        else:
            groups.append([m])
    for g in groups:
        coarse = min((t for m in g for t in m.toponyms if t.place is not None),
                     key=lambda t: _AREA_ORDER.get(t.place.feature, 0), default=None)
        # "Turkish warplanes killed nine IS fighters in Syria" and the monitor's own words,
        # "strikes on IS positions in northwestern Aleppo province": the quote places it.
        said = next((v for v in voiced if coarse is not None and coarse.place.feature == "country"
                     and v.toponyms[0].place.country_code == coarse.place.country_code
                     and all(compatible(x, v, kinds=rules.merge_kinds) for x in g)), None)
        if said is not None:
            g.append(said)
            voiced.remove(said)
            coarse = said.toponyms[0]
        incidents.append(Incident(g, coarse))

    incidents = lead_into_quarters(incidents, _lead_end(doc, 1), lead_end, kinds=rules.merge_kinds)
    for i in incidents:
        i.mentions.sort(key=lambda m: m.sentence.start)
        i.in_lead = i.mentions[0].sentence.start < lead_end
    incidents.sort(key=lambda i: i.mentions[0].sentence.start)
    claims(mentions, incidents, doc=doc)
    # In a report of violence, a strategic development told only after the lead (talks that
    # "agreed on coordinating", damage "demolished entire buildings") is context, not news.
    return [i for i in incidents if not rules.news_only or i.in_lead
            or any(m.event_type in rules.standalone_types or m.sub_event_type in rules.standalone_types
                   for m in i.mentions)]


# ---------------------------------------------------------------------------------------
# News window and lead


def _names_own_place(m: Mention) -> bool:
    """Does the mention's sentence itself name its first place (not carry it from before)?"""
    t = m.toponyms[0]
    return m.sentence.start <= t.start < m.sentence.end


def _lead_end(doc: Document, n: int) -> int:
    """Character offset where the lead (the first ``n`` sentences) ends."""
    end = 0
    for k, sent in enumerate(doc.spacy_doc.sents):
        if k >= n:
            break
        end = sent.end_char
    return end


def _news(mentions: list[Mention], *, doc: Document, reference: dt.date | None,
          rules: AssemblyRules) -> list[Mention]:
    """The mentions that report news. A definite mention ("the attack", "the bombing") whose
    antecedent, the latest compatible mention before it, recalls an old event ("the 2004
    bombing") recalls it too, unless its own sentence dates it ("the bombing on Friday")."""
    news: list[Mention] = []
    recalled: list[Mention] = []
    latest_of_type = LatestOfType()  # of the mentions so far, news and recalled, by kind
    for m in mentions:
        if m.background and not m.reason.startswith(STATEMENT):
            recalled.append(m)
            latest_of_type.add(m, recalled=True)
            continue
        if _conditional(doc, m):
            continue  # "a ceasefire could take place if the Kremlin agrees": neither news nor past
        if m.time_reference:
            continue  # "the statement released hours after the attack": the attack is told elsewhere
        if m.recalled:
            recalled.append(m)  # "targeted in bomb attacks multiple times before", a war's origin
            latest_of_type.add(m, recalled=True)
            continue
        if m.summary and m.reason.startswith(STATE):
            continue  # a state of the war founds nothing, and dates nothing that points back to it
        if m.summary:
            # "the air force has in recent weeks stepped up attacks": a trend, no one event; "the
            # bombardment" that points back to it is the trend again
            recalled.append(m)
            latest_of_type.add(m, recalled=True)
            continue
        if not _strategic_news(doc, m, rules):
            continue
        old = (not _in_window(m, reference, rules) or _of_another_year(doc, m, reference)
               or _recalled_by_modifier(doc, m, rules))
        if not old and anaphoric(doc, m) and not _dated_by_own_sentence(m):
            # the latest compatible mention before it, news first among equals, is recalled
            old = latest_of_type.recalled_before(m)
        if old:
            recalled.append(m)
            latest_of_type.add(m, recalled=True)
        elif not m.background:
            news.append(m)
            latest_of_type.add(m, recalled=False)
    return news


def _dated_by_own_sentence(m: Mention) -> bool:
    return m.date is not None and bool(m.date.text) and m.date.text in m.sentence.text


def _relevant(mentions: list[Mention], doc: Document, lead_end: int, reference: dt.date | None,
              rules: AssemblyRules) -> bool:
    """Does the lead report (or make a statement about) recent violence or a demonstration, or
    assert a strategic development (not merely describe someone by it)?

    "X rejected the allegation that Tuesday's hostage-taking was planned abroad" opens a report
    of that hostage-taking as surely as "gunmen seized a train on Tuesday" would.
    """
    for m in mentions:
        if m.sentence.start >= lead_end or not _in_window(m, reference, rules, days_before=rules.lead_days_before):
            continue
        if m.background and not m.reason.startswith(STATEMENT):
            continue
        if m.event_type in rules.relevant_types:
            return True
        if m.sub_event_type in rules.relevant_asserted and _asserted(doc, m) and _strategic_news(doc, m, rules):
            return True
    return False


def _asserted(doc: Document, m: Mention) -> bool:
    """Does the sentence assert the trigger's event, rather than use it to describe someone or
    something ("a journalist arrested over his interviews", "the imprisoned publisher")?"""
    root = trigger_root(doc, m)
    if root is None:
        return False
    if root.dep_ == "acl" and root.tag_ == "VBG" and root.head.dep_ in ("dobj", "nsubj", "nsubjpass"):
        return True  # "monitored Turkish forces establishing a post": what was seen happening
    if root.dep_ == "amod" and root.tag_ not in ("VBN", "JJ"):
        return True  # "a looting spree", "raids to detain leaders" (misparsed): not a participle
    return root.dep_ not in _DESCRIBING


def _strategic_news(doc: Document, m: Mention, rules: AssemblyRules) -> bool:
    """Is a strategic development one a coder could code? An agreement must be concluded in
    the sentence ("the sides signed a deal", "a truce took effect"), not merely named
    ("welcomed the deal", "the pact the US negotiated", "signed a decree")."""
    if m.event_type != "Strategic developments" or m.sub_event_type != "Agreement":
        return True
    root = trigger_root(doc, m)
    if root is None:
        return False
    if root.pos_ in ("VERB", "AUX"):
        if root.dep_ in ("amod", "acl", "relcl"):
            return False  # "the signed agreement", "the pact the US negotiated"
        if root.dep_ not in ("conj", "xcomp", "ccomp") and not any(
                c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in root.children):
            return False  # "In a new breach of the truce agreement al-Nusra shelled ...": a noun misread as a verb
        objects = [c for c in root.children if c.dep_ in ("dobj", "nsubjpass")]
        return not objects or any(o.lemma_.lower() not in rules.not_agreements for o in objects)
    head = root.head
    if root.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in rules.conclusion_verbs:
        return True  # "reached an agreement", "a deal was signed"
    if root.dep_ in ("nsubj", "nsubjpass") and (head.lemma_.lower() in rules.onset_verbs or any(
            c.dep_ == "xcomp" and c.lemma_.lower() in rules.onset_verbs for c in head.children)):
        return True  # "a ceasefire took effect", "the truce is set to take effect"
    return root.dep_ == "pobj" and head.head.lemma_.lower() in rules.conclusion_verbs  # "agreed to a truce"


def _of_another_year(doc: Document, m: Mention, reference: dt.date | None) -> bool:
    """Does the sentence date its event to an earlier year: "the 2004 bombing", "Boko Haram's
    2014 abduction", "relations soured in 2010 after commandos stormed ...", "the offensive it
    spearheaded in December 2024"? Such a mention recalls an event, whatever date the
    sentence's other expressions give."""
    if reference is None:
        return False
    root = trigger_root(doc, m)
    if root is None:
        return False
    # The trigger's own modifiers ("the 2004 bombing"), and the time adverbials of the clauses
    # above it ("soured in 2010 after commandos stormed").
    words = [t for t in root.children if t.dep_ in ("nummod", "compound", "amod", "npadvmod")]
    words += [t for c in root.children if c.dep_ == "poss" for t in c.children if t.dep_ in ("nummod", "compound")]
    if root.dep_ == "relcl":  # "the February 2020 pact the United States negotiated"
        words += [t for t in root.head.children if t.dep_ in ("nummod", "compound", "amod", "npadvmod")]
    for head in (root, *root.ancestors):
        times = [o for c in head.children if c.dep_ == "prep" and c.lower_ in ("in", "during")
                 for o in c.children if o.dep_ == "pobj"]  # "in 2010", "in December 2024"
        words += [w for o in times for w in (o, *o.children) if w.dep_ in ("pobj", "nummod", "compound", "npadvmod")]
    return any((year := _year(t)) is not None and year < reference.year for t in words)


def _recalled_by_modifier(doc: Document, m: Mention, rules: AssemblyRules) -> bool:
    """Does an adjective make the trigger a past or a class of events ("past attacks were
    claimed by IS", "an earlier raid", "the victims of other recent bombings")?"""
    root = trigger_root(doc, m)
    if root is None or root.pos_ not in ("NOUN", "PROPN"):
        return False
    mods = {c.lower_ for c in root.children if c.dep_ in ("amod", "compound", "nmod")}
    return bool(mods & rules.recalled_modifiers) or (root.tag_ == "NNS" and bool(mods & rules.recap_modifiers))


def _conditional(doc: Document, m: Mention) -> bool:
    """Is the trigger inside a condition ("if the Kremlin agrees", "unless troops withdraw")?"""
    root = trigger_root(doc, m)
    if root is None:
        return False
    return any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for t in (root, *root.ancestors) for c in t.children)


def _year(token) -> int | None:
    text = token.text
    return int(text) if len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100 else None


def _in_window(m: Mention, reference: dt.date | None, rules: AssemblyRules, *,
               days_before: int | None = None) -> bool:
    if m.date is None or reference is None:
        return True
    days = (reference - m.date.date).days
    return -rules.days_after <= days <= (rules.days_before if days_before is None else days_before)

