"""Event mentions: one per (sentence, place) where a sentence reports an event.

Input: an annotated :class:`Document` whose toponyms are already found. Output: a list of
:class:`Mention`, each with its type, actors in their roles, place candidates, date,
casualties, weapons and certainty, read from its own sentence and its narrative context.
Background sentences become mentions with ``background=True`` (kept for ``--explain``, never
emitted as events).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace

from ..actors import ActorDictionary, ActorMatch
from ..dates import DateFinder, Timeline, a_trend, days_back, event_date, find_temporal_expressions, prior_days, prior_spans
from ..model import Document, Evidence, Mention, ResolvedDate, Toponym
from .background import BackgroundRules, background_reason, caption, unanchored_current
from .casualties import CasualtyLexicon, count_casualties
from .certainty import CertaintyRules, TextBefore, certainty_of
from .mention_actors import last_named, mention_actors
from .offsets import ByStart
from .scene import SceneWords, inside_area
from .sentence_places import event_places, place_key
from .typing import TypingRules, clause_head, event_clauses, time_reference
from .typing_model import TypingModel
from .weapons import WeaponLexicon, weapons_in

# Features precise enough to code an event to (codebook: the most precise named place).
SPECIFIC_FEATURES = frozenset({"populated place", "region", "mountains", "crossing", "camp",
                               "neighbourhood", "neighborhood", "admin2", "locality", "area",
                               "village", "town", "city", "airport", "base"})
# A sentence that names no specific place is coded to its province or district (precision 3),
# else to a country it names as the scene ("in Syria"), never to a country it names as an actor.
COARSE_FEATURES = frozenset({"admin1", "admin2"})
# Toponym relations that never place an event: "Syrian forces", "BEIRUT (AFP) -", "Moscow
# denied" (a capital naming its government), "the UK-based monitor" (a body's seat; both
# places/descriptions.py).
NOT_EVENT_PLACES = frozenset({"demonym", "dateline", "metonym", "seat"})


@dataclass(frozen=True)
class DetectionRules:
    """Everything :func:`detect_mentions` needs, loaded once per process."""

    typing: TypingRules
    background: BackgroundRules
    certainty: CertaintyRules
    weapons: WeaponLexicon
    casualties: CasualtyLexicon
    actors: ActorDictionary
    dates: DateFinder
    scene: SceneWords
    typing_model: TypingModel | None = None  # the learned check on the typing rules

    @classmethod
    def load(cls) -> DetectionRules:
        return cls(
            typing=TypingRules.load(),
            background=BackgroundRules.load(),
            certainty=CertaintyRules.load(),
            weapons=WeaponLexicon.load(),
            casualties=CasualtyLexicon.load(),
            actors=ActorDictionary.load(),
            dates=DateFinder.load(),
            scene=SceneWords.load(),
        )


def detect_mentions(doc: Document, *, rules: DetectionRules) -> list[Mention]:
    """All event mentions of one document, in text order."""
    text = doc.text
    clean = doc.clean
    # The clock for relative days and the news window: the article's own date when its head
    # states one ("Saturday 11 April 2015 ...", "Published October 17 2016"), else the input's
    # publication date (which the output keeps as it was).
    published = clean.stated_date or clean.published
    dateline_date = clean.dateline.date if clean.dateline else None
    expressions = find_temporal_expressions(
        text, published=published, dateline_date=dateline_date, title=clean.title,
        finder=rules.dates,
    )
    threads = rules.dates.thread_openers(text)  # a round-up's items, each with its own day
    if clean.dateline is not None:
        # A date in the dateline is the report's date, never an event's own.
        span = (clean.dateline.start, clean.dateline.end)
        expressions = [replace(e, kind="stamp") if span[0] <= e.start < span[1] else e for e in expressions]
    # Each sentence reads its own part of these, and of the text, by position: a pass over the
    # whole of them per sentence would be quadratic in the length of a long text.
    timeline = Timeline(expressions, text=text, published=published, threads=threads)
    toponyms = ByStart(doc.toponyms)
    breaks = [m.start() for m in re.finditer("\n", text)]  # paragraphs start after them
    context = TextBefore(text, rules.certainty)  # the text of a paragraph before a sentence
    actor_matches = rules.actors.find(text, templates=False)  # antecedents of "the group"
    actors_at = ByStart(actor_matches)
    # With no place named, the country of the groups it names ("Al-Shabaab ... soldiers"):
    # unnamed soldiers and gunmen are then of that country, not left out.
    main_country = _main_country(doc.toponyms) or _actors_country(actor_matches)
    article_country = _article_country(doc.toponyms)

    mentions: list[Mention] = []
    period_counts: set[int] = set()  # death figures the article gives as totals over a period
    long_ago = days_back(doc.spacy_doc, expressions, published, rules.casualties.since_days)
    last_actor: ActorMatch | None = None  # antecedent for "the group"
    previous: Mention | None = None
    # (paragraph start, specific toponyms, the day the sentence itself names or None)
    recent_places: list[tuple[int, list[Toponym], dt.date | None]] = []
    named_before = False  # a sentence so far named a place (a scene or a journey's end)
    vectors = doc.sentence_vectors  # sentence embeddings, when a typing model reads them
    for k, sent in enumerate(doc.spacy_doc.sents):
        s_start, s_end = sent.start_char, sent.end_char
        sentence = _evidence(text, s_start, s_end, clean.dateline)
        k_break = bisect_left(breaks, s_start) - 1
        paragraph = breaks[k_break] + 1 if k_break >= 0 else 0
        # "ISIL (so-called Islamic State in Iraq and Syria)", "al-Qaeda in the Arabian Peninsula":
        # a country or a region inside a group's name is no scene (a city may be: the Medellin
        # cartel's bombings are mostly in Medellin)
        named = [(a.start, a.end) for a in actors_at.starting_in(s_start, s_end) if a.entries]
        s_toponyms = [t for t in toponyms.starting_in(s_start, s_end) if t.place is not None and not (
            (t.place.feature == "country" or not t.place.country_code)
            and any(a <= t.start and t.end <= b for a, b in named))]
        s_expressions = timeline.within(s_start, s_end)
        specific = [t for t in s_toponyms if _is_specific(t)]
        # "Authorities dispatched coffins from Quetta": a journey's end is no scene for the
        # next sentence to carry ("the driver of the train has died").
        named_earlier, named_before = named_before, named_before or bool(specific)
        # a caption's places ("A view shows a hospital in Kafr Nabl") are not the story's
        scenes = event_places(sent, specific, rules.scene, alone=True) if specific and caption(
            sent, rules=rules.background) is None else []
        if scenes:
            own_days = {e.date for e in s_expressions if e.kind == "point" and e.precision == 1 and e.date}
            recent_places.append((paragraph, scenes, own_days.pop() if len(own_days) == 1 else None))
        decisions = event_clauses(sent, rules=rules.typing)  # one per distinct event clause
        if rules.typing_model is not None:
            vector = vectors[k] if vectors is not None else None
            decisions = rules.typing_model.revise(sent, decisions, rules=rules.typing, vector=vector)
        if not decisions:
            last_actor = last_named(actors_at.starting_in(s_start, s_end), last_actor)
            if any(t.like_num for t in sent):  # "violence that left 300 dead in three days": a total
                period_counts.update(count_casualties(sent, lexicon=rules.casualties, long_ago=long_ago).period_counts)
            continue
        s_actors = rules.actors.find(text[s_start:s_end], offset=s_start)
        why_background = background_reason(sent, rules=rules.background)
        when = event_date(
            s_start, s_end, timeline, text=text, published=published,
            dateline_date=dateline_date, finder=rules.dates, threads=threads,
        )
        if when is not None and _is_stale(when.date, published):
            why_background = why_background or f"date {when.date} long before publication"
        summary = f"a trend over '{when.text}', not one event" if a_trend(when, s_start, s_end, s_expressions) else ""

        places = event_places(sent, specific, rules.scene)
        if not places:
            # "The fighting, he said, lasted throughout the day": the narrative's last place,
            # when the same paragraph named exactly one.
            # A place named for another day ("a visit to Quetta on Thursday") is not where
            # Tuesday's attack happened (a night runs over two days, so the next day is the same).
            day = when.date if when is not None and when.precision == 1 else None
            same_par = [p for par, p, on in recent_places[-2:] if par == paragraph and len(p) == 1
                        and (on is None or day is None or abs((on - day).days) <= 1)]
            places = [same_par[-1][0]] if same_par and not specific else []
            # "an air strike in Idlib province": only a region is named; code the event to it
            # (geo_precision 3) unless the narrative's last place lies inside that region.
            coarse = [] if specific else _coarse_places(sent, s_toponyms, rules.scene)
            if coarse and not (places and any(inside_area(places[0].place, c.place) for c in coarse)):
                places = coarse
            if not named_earlier and not scenes:
                # A lede that names no town ("air strikes killed 20 in eastern Syria") is
                # located by the sentence after it, when that names a place inside the area.
                places = _detail_place(sent, toponyms, coarse, rules.scene) or places
        # A sentence that names no place in any country (at most a sea or a region beyond one
        # country: "the Caribbean port city of Covenas"), in a report set in one country: the
        # event is in that country (geo_precision 3), not nowhere. The actors' country stays.
        where = places or ([article_country] if article_country is not None and not any(
            t.relation not in NOT_EVENT_PLACES and t.place.country_code for t in s_toponyms) else [])
        day = when.date if when else published
        if places and places[0].place:
            country = places[0].place.country
        elif previous is not None and previous.toponyms and previous.toponyms[0].place:
            country = previous.toponyms[0].place.country  # the story's current place
        else:
            country = main_country
        # "... the chemical attack in Idlib on Tuesday": a sentence of its own, other day and
        # other place tells another incident, whose sides the previous sentence's do not fill
        # (at the same place, a later day's clash is the same war's: its sides carry on)
        other_day = (previous is not None and previous.date is not None and when is not None and when.text
                     and when.precision == 1 and previous.date.precision == 1
                     and abs((when.date - previous.date.date).days) > 1
                     and places and previous.toponyms
                     and not {place_key(t) for t in places} & {place_key(t) for t in previous.toponyms})
        actor1, actor2, assoc1, assoc2 = mention_actors(
            sent, s_actors, last_actor, rules.actors, on=day, country=country, context=sentence.text,
            decisions=decisions, previous=None if other_day else previous,
        )
        casualties = count_casualties(sent, lexicon=rules.casualties, long_ago=long_ago)
        period_counts.update(casualties.period_counts)
        # "Rebels are battling to push back regime advances": no day, no toll, past the lede: a
        # state of the war, which the news gates (assemble.py) keep from founding an event
        state = unanchored_current(sent, rules=rules.background) if (
            why_background is None and k >= rules.background.state_after_sentence and not casualties.fatalities
            and not casualties.injured and not any(e.kind == "point" for e in s_expressions)) else None
        # "Since July 11 regime bombardment of IS-held towns has cost the lives of 136": bombing
        # summed over its days, with no day of its own, is a campaign of many events, none told
        # (a battle "for the base since Monday" is one fight, told over its days)
        campaign = casualties.period_total and not casualties.fatalities and not any(
            e.kind == "point" and e.precision == 1 for e in s_expressions)
        shared = dict(
            article_id=doc.id,
            sentence=sentence,
            actor1=actor1,
            actor2=actor2,
            assoc_actor_1=assoc1,
            assoc_actor_2=assoc2,
            date=when,
            fatalities=casualties.fatalities,
            fatalities_known=casualties.fatalities_known,
            fatalities_vague=casualties.vague,
            injured=casualties.injured,
            weapons=weapons_in(sent, lexicon=rules.weapons),
            certainty=certainty_of(sent, rules=rules.certainty, before=(context, paragraph)),
            background=why_background is not None,
        )
        tolled = _tolled_places(sent, where, rules.casualties)
        prior = prior_spans(sent, rules.dates.lexicon) if when is not None else []
        for decision in decisions:
            # "the capture of Idlib on March 28 was followed by bombardment": that day is the
            # capture's; the bombardment, with no day of its own, is dated to the report's.
            dropped = prior_days(decision.trigger_start, prior, s_expressions, s_start, s_end)
            if dropped:
                own = timeline.without(dropped)
                inside = any(e.kind == "point" for e in own.within(s_start, s_end))
                shared["date"] = event_date(s_start, s_end, own, text=text, published=published,
                                            dateline_date=dateline_date, finder=rules.dates, threads=threads
                                            ) if inside else (ResolvedDate(published, 2, "") if published else None)
            else:
                shared["date"] = when
            told = summary or ("a toll over a period: a campaign, not one event" if campaign
                               and decision.event_type == "Explosions/Remote violence" else "") or state or ""
            head = doc.spacy_doc.char_span(decision.trigger_start, decision.trigger_end, alignment_mode="expand")
            named_for_when = head is not None and time_reference(head.root)
            # One mention per place: "areas such as Qalamoun and Arsal" is two events.
            for toponym_group in ([[p] for p in where] or [[]]):
                toll = shared if not toponym_group or toponym_group[0] in tolled else {
                    **shared, "fatalities": 0, "injured": None}
                mentions.append(Mention(
                    **toll,
                    time_reference=named_for_when,
                    recalled=decision.recalled,
                    trigger=text[decision.trigger_start:decision.trigger_end],
                    event_type=decision.event_type,
                    sub_event_type=decision.sub_event_type,
                    evidence=[sentence],
                    summary=bool(told),
                    reason=why_background or told or decision.reason,
                    toponyms=list(toponym_group),
                ))
        if not why_background and not state and not mentions[-1].time_reference and not mentions[-1].recalled:
            previous = mentions[-1]
        last_actor = last_named(s_actors, last_actor)
    # "Infighting Killed More than 350 Militia" over a body's "in less than one month have killed
    # over 350": a figure the article gives as a period total is that total wherever it is told.
    for m in mentions:
        if m.fatalities in period_counts:
            m.fatalities = 0
    return mentions


# ---------------------------------------------------------------------------------------


def _tolled_places(sent, places: list[Toponym], lexicon: CasualtyLexicon) -> list[Toponym]:
    """The places a sentence's toll belongs to: with several places, those in the clause of a
    casualty word ("attacks left a child dead in Aleppo and caused damage in Daraa": Aleppo
    only); all of them when no clause says ("killed five in Qalamoun and Arsal")."""
    if len(places) < 2:
        return places
    doc = sent.doc
    words = [t for t in sent if lexicon.outcome(t) in ("killed", "injured")]
    clauses = {clause_head(t) for t in words}
    kept = []
    for p in places:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None or clause_head(span.root) in clauses:
            kept.append(p)
    return kept if words and kept else places


def _evidence(text: str, start: int, end: int, dateline) -> Evidence:
    """The sentence as evidence: stripped, and without a dateline glued to its start."""
    if dateline is not None and start <= dateline.start < end:
        start = max(start, dateline.end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Evidence(text[start:end], start, end)


def _is_specific(t: Toponym) -> bool:
    # "Syrian forces" names a country by its adjective, never where an event happened.
    # A region beyond one country ("the Levant", "European Union") is no event's place either.
    return (t.place is not None and t.relation not in NOT_EVENT_PLACES and bool(t.place.country_code)
            and t.place.feature in SPECIFIC_FEATURES)


def _coarse_places(sent, toponyms: list[Toponym], words: SceneWords) -> list[Toponym]:
    """A sentence's provinces or districts, else the country it says things happened in.

    A country counts only as the object of a place preposition ("air strikes in northern
    Syria"): as a subject or modifier it names a government ("Russia said", "Syria talks").
    """
    doc = sent.doc
    regions = [t for t in toponyms if t.relation not in NOT_EVENT_PLACES and t.place is not None
               and t.place.feature in COARSE_FEATURES]
    if not regions:
        countries = []
        for t in toponyms:
            if t.relation in NOT_EVENT_PLACES or t.place is None or t.place.feature != "country":
                continue
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is not None and span.root.dep_ == "pobj" and span.root.head.lower_ in words.country_preps:
                countries.append(t)
        regions = countries
    return event_places(sent, regions, words)


def _detail_place(sent, toponyms: ByStart[Toponym], areas: list[Toponym], words: SceneWords, *,
                  look_ahead: int = 2) -> list[Toponym]:
    """The event place of the first of the next sentences (up to ``look_ahead``) that names
    one: its first place inside ``areas``, or, when there are no areas, its only place; or []."""
    doc = sent.doc
    end = sent.end
    for _ in range(look_ahead):
        if end >= len(doc):
            return []
        nxt = doc[end].sent
        found = [t for t in toponyms.starting_in(nxt.start_char, nxt.end_char) if _is_specific(t)]
        kept = [t for t in event_places(nxt, found, words)
                if not areas or any(inside_area(t.place, a.place) for a in areas)]
        if len(kept) == 1 or (kept and areas):
            return kept[:1]  # "... in eastern Syria. ... around the town of Shadadi in Hasakeh"
        if kept:
            # A lede naming nothing before "in areas such as Qalamoun and Arsal" introduces
            # them all (assembly folds it into each); another place: the story moved on.
            return []
        end = nxt.end
    return []


def _article_country(toponyms: list[Toponym]) -> Toponym | None:
    """The country a whole report is set in, when its text says so: the places its body names
    (not the dateline, not adjectives) lie in one country at least twice as often as in all
    others together, and the text names that country (by name, else by adjective: "the
    Salvadoran army"), which gives the country's place to code to."""
    counts = Counter(t.place.country_code for t in toponyms
                     if t.place is not None and t.place.country_code and t.relation not in NOT_EVENT_PLACES)
    if not counts:
        return None
    code, n = counts.most_common(1)[0]
    if n < 2 * (sum(counts.values()) - n):
        return None
    countries = [t for t in toponyms if t.place is not None and t.place.feature == "country"
                 and t.place.country_code == code and t.relation != "dateline"]
    named = next((t for t in countries if t.relation != "demonym"), None) or next(iter(countries), None)
    if named is None:
        return None
    return Toponym(named.start, named.end, named.name, named.place, relation="region",
                   why=f"the report's places lie in {named.place.country}; the sentence names none")


def _main_country(toponyms: list[Toponym]) -> str | None:
    counts: dict[str, int] = {}
    for t in toponyms:
        # a body named by its place ("the White House said") or where one sits says whose, not where
        if t.place is not None and t.relation not in ("demonym", "metonym", "seat"):
            counts[t.place.country] = counts.get(t.place.country, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


def _actors_country(matches: list[ActorMatch]) -> str | None:
    """The country most of the article's named groups belong to, counting groups bound to
    one country only; None when there is none or a tie."""
    counts = Counter(m.entries[0].country for m in matches
                     if m.entries and m.entries[0].country and len({e.country for e in m.entries}) == 1)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _is_stale(day: dt.date, published: dt.date | None) -> bool:
    return published is not None and (published - day).days > 60
