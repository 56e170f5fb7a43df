"""Whether a casualty figure is one event's toll or a total over time (rules in the header of
``data/casualties.toml``).

Reports set the day's toll beside the dead of a whole war, and an event must not take the
latter. A number tied to a period ("since 2011", "in 2024", "this year", "over the past six
months", "in the last 10 days", "since" a day several days before the report), to a war ("the war has killed", "a conflict in which 300,000
died", "the death toll from the conflict"), to many incidents ("in more than 40 massacres"),
or a perfect-tense figure of ``perfect_total`` or more with no day named, is a total over
time (``_period_total``). A clause that names its day ("on Monday", "on Jan. 25") keeps its
toll. A toll carried forward from earlier events ("taking the toll to 561") is a running toll
(``_running_toll``), unless it is said to be one attack's.

The same time words tell a date from a count: a number that is part of a date ("Published
September 24 2016 Ninety-two civilians ...") is no count (``_number_value``), and no digit
string is too long to read.
"""

from __future__ import annotations

import re
from typing import Any, Protocol


class Lexicon(Protocol):
    """What this module reads of a ``casualties.CasualtyLexicon``."""

    @property
    def injured(self) -> frozenset[str]: ...
    def outcome(self, tok: Any) -> str | None: ...
    @property
    def numbers(self) -> dict[str, int]: ...
    @property
    def vague(self) -> dict[str, int]: ...
    @property
    def period_nouns(self) -> frozenset[str]: ...
    @property
    def attack_nouns(self) -> frozenset[str]: ...
    @property
    def perfect_total(self) -> int: ...
    @property
    def incident_nouns(self) -> frozenset[str]: ...
    @property
    def place_nouns(self) -> frozenset[str]: ...
    @property
    def many_places(self) -> int: ...


# --- numbers and dates -----------------------------------------------------------------------

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
_HUGE = 10**15  # any longer digit string is absurd; never parse it (int() refuses > 4300 digits)
_MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
})
_DAY_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday",
    "today", "tonight", "overnight", "morning", "dawn", "night", "evening", "afternoon",
    "midnight", "noon", "weekend",
})


def _word(tok: Any) -> str:
    return tok.lower_.rstrip(".")


def _is_year(tok: Any) -> bool:
    return len(tok.text) == 4 and tok.text.isdigit() and 1900 <= int(tok.text) <= 2100


def _in_a_date(tok: Any) -> bool:
    """'September 24 2016', '25 August 2016': a day or a year of a date, not a count."""
    doc = tok.doc
    if _is_year(tok):
        return tok.ent_type_ == "DATE" or any(_word(doc[j]) in _MONTHS for j in range(max(tok.i - 3, 0), tok.i))
    if len(tok.text) <= 2 and tok.text.isdigit():  # "11 sep 89": a day, or a two-digit year
        before = _word(doc[tok.i - 1]) if tok.i > 0 else ""
        after = _word(doc[tok.i + 1]) if tok.i + 1 < len(doc) else ""
        return before in _MONTHS or (after in _MONTHS and 1 <= int(tok.text) <= 31)
    return False


def _number_value(tok: Any, lex: Lexicon) -> int | None:
    text = tok.lower_
    if _DIGITS.match(text):
        digits = text.replace(",", "")
        if len(digits) > 15:
            return _HUGE
        if _in_a_date(tok):
            return None
        return int(digits)
    if text in lex.vague:
        return lex.vague[text]
    parts = text.split("-")
    if parts and all(p in lex.numbers for p in parts) and text not in ("a", "an"):
        return sum(lex.numbers[p] for p in parts)
    return None


# --- totals over a period --------------------------------------------------------------------

# prepositions that tie a count to a span of time ("in 2024", "over the past six months")
_SPAN_PREPS = frozenset({
    "in", "during", "throughout", "over", "for", "since", "from", "to", "between", "until",
    "through", "within", "across", "of", "amid", "by",
})
_MANY_DAYS = r"(?:[3-9]|[1-9]\d+|three|four|five|six|seven|eight|nine|ten|several|few) days"  # 1-2: one event
_LONGER = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|few) (?:weeks|months|years)"
_SPAN_IN_SENTENCE = re.compile(
    rf"\b(?:over|during|in|within|for) (?:the )?(?:past|last) (?:{_MANY_DAYS}|{_LONGER})\b"
    r"|\bin less than (?:a|one|two|three|\d+) (?:weeks?|months?)\b"
    rf"|\b{_MANY_DAYS} of (?:violence|fighting|rioting|riots|clashes|bombing|bombardment|unrest|attacks)\b"
    rf"|\b{_MANY_DAYS} after\b"
    r"|\b(?:riots|clashes|attacks|bombings|violence|strikes) that (?:have|has) (?:resulted|left|claimed|killed)\b",
    re.I,
)
_STARTS = frozenset({"break", "begin", "erupt", "start", "launch", "flare"})
_ONE_EVENT = frozenset({"blast", "explosion", "ambush", "massacre", "crash", "bomb", "attack", "strike", "fire"})
_CLAUSE = frozenset({"ROOT", "relcl", "advcl", "ccomp", "conj", "parataxis", "acl", "xcomp", "csubj"})


def _age(tok: Any) -> bool:
    """'a 12-year-old boy', 'aged 15 years': a year that is someone's age."""
    doc = tok.doc
    after = doc[tok.i + 1 : tok.i + 3]
    return any(t.lower_ in ("old", "-old") for t in after) or tok.head.lower_ in ("old", "aged", "age")


def _span_value(tok: Any) -> int | None:
    for c in tok.children:
        if c.dep_ == "nummod" and c.like_num:
            try:
                return int(c.text.replace(",", ""))
            except ValueError:
                return {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}.get(c.lower_, 13)
    return None


def _full_date(tok: Any) -> bool:
    """A year with its month and day ("Thursday 16 Jul 2015", "September 24 2016"): a date."""
    near = tok.doc[max(tok.i - 3, 0) : tok.i]
    return any(_word(t) in _MONTHS for t in near) and any(
        t.text.isdigit() and len(t.text) <= 2 and 1 <= int(t.text) <= 31 for t in near)


def _time_span(tok: Any, *, perfect: bool = False, bare: bool = False) -> bool:
    """A span of time longer than about a week: "in 2024", "in March 2011", "this year", "last
    year", "the past six months", "the last 10 days", "five years", "recent weeks"; a month
    only when it is plural or a whole past one ("the past month"), or the verb is perfect
    ("have been killed this month"). ``bare``: not under a preposition, where a year or a
    month is a leftover dateline ("Feb 2015 At least seven people were killed")."""
    if _is_year(tok):
        return not bare and not _full_date(tok)
    word = _word(tok)
    lemma = tok.lemma_.lower()
    if word in _MONTHS:  # "in March 2011", but not "on March 3, 2011" nor "in March"
        kids = list(tok.children)
        return not bare and any(_is_year(c) for c in kids) and not any(
            c.like_num and not _is_year(c) for c in kids)
    offsets = ("ago", "later", "earlier", "after", "before")
    if lemma in ("year", "month", "week", "day") and (
            any(c.lower_ in offsets for c in tok.children)
            or (tok.dep_ == "npadvmod" and (tok.head.lower_ in offsets or any(
                c.lower_ in offsets for c in tok.head.children)))):
        return False  # "one week after a bomber blew himself up", "two years ago": a date, not a span
    if lemma in ("year", "decade", "century"):
        return not _age(tok)
    if lemma == "month":
        kids = {c.lower_ for c in tok.children}
        return not _age(tok) and (
            tok.tag_ == "NNS" or perfect or bool(kids & {"past", "previous", "entire", "whole"})
            or {"the", "last"} <= kids or tok.head.lower_ in ("during", "throughout", "over", "within")
            or _span_value(tok) is not None)  # "in less than one month"
    if lemma == "week":  # "in one week", "the past two weeks", "recent weeks"; not "last week"
        n = _span_value(tok)
        kids = {c.lower_ for c in tok.children}
        return (n or 0) >= 1 or (word == "weeks" and n is None and bool(
            kids & {"recent", "past", "last", "previous", "several", "few"})) or (
            word == "week" and (bool(kids & {"past", "previous"}) or {"the", "last"} <= kids))  # "during the past week"
    if lemma == "day":  # "the last six days", "five days of violence", "the past few days"; not "the past two days"
        n = _span_value(tok)
        # "after days of fighting": days without a number, of something, are several
        if word == "days" and n is None and any(c.lower_ in ("few", "several") for c in tok.children):
            return True  # "over the past few days": ACLED's "a few" is three, a span like "since" three days back
        return (n or 0) >= 3 or (word == "days" and n is None and not any(
            c.lower_ in ("recent", "past", "last", "few", "two", "couple") for c in tok.children) and any(
            c.dep_ == "prep" and c.lower_ == "of" for c in tok.children))
    return False


def _whole_month(tok: Any) -> bool:
    """A month named without a day ("in June when ..."): the whole month."""
    return _word(tok) in _MONTHS and not any(c.like_num and not _is_year(c) for c in tok.children)


def _single_day(tokens: list[Any], long_ago: frozenset[int] = frozenset()) -> bool:
    """The tokens name a day ("since Thursday", "on Monday") and no longer span (year, month).
    ``long_ago``: indices of tokens naming a day several days before the report ("since
    Tuesday" in a Sunday report), which spans the days between."""
    day = any(_word(t) in _DAY_WORDS for t in tokens)
    return day and not any(_is_year(t) or _word(t) in _MONTHS or t.i in long_ago for t in tokens)


def _day_named(anchors: list[Any]) -> bool:
    """The clause itself says on which day ("on Monday", "on Jan. 25", "yesterday")."""
    for a in anchors:
        for c in a.children:
            if _word(c) in _DAY_WORDS and c.dep_ in ("npadvmod", "advmod", "obl", "tmod"):
                return True
            if c.dep_ == "prep" and c.lower_ in ("on", "during", "at") and any(
                _word(t) in _DAY_WORDS or _word(t) in _MONTHS for t in _phrase(c)
            ):
                return True
    return False


def _superlative(tok: Any) -> bool:
    """'the deadliest attack since 2015': the span qualifies a comparison, not a count."""
    return any(c.tag_ == "JJS" or c.lower_ in ("first", "worst", "deadliest") for c in tok.children) \
        or tok.tag_ == "JJS"


def _phrase(prep: Any) -> list[Any]:
    """A preposition's phrase; its next few words when the parse left it bare ("Since Thursday
    bombing has killed 44", "On Jan. 25 rebels fired")."""
    return list(prep.subtree) if prep.n_rights else list(prep.doc[prep.i : prep.i + 4])


def _comparison(since: Any) -> bool:
    """'the deadliest attack since 2019', 'the first ... since': "since" measures a record."""
    start = max(since.sent.start, since.i - 10)
    return any((t.tag_ == "JJS" and t.lower_ not in ("least", "most", "latest", "last"))
               or t.lower_ in ("first", "worst", "deadliest") for t in since.doc[start : since.i])


def _many_incidents(obj: Any, lex: Lexicon) -> bool:
    """'killed in more than 40 massacres', 'in 600 clashes', 'in over 500 attacks': a sum over
    many events (ten or more), not one event's toll ("in four air strikes" on one town on one
    day is one ACLED event)."""
    if obj.tag_ != "NNS" or obj.lemma_.lower() not in lex.incident_nouns:
        return False
    for c in obj.children:
        if c.dep_ == "nummod" and (v := _number_value(c, lex)) is not None and not _in_a_date(c):
            return v >= 10
    return False


def _many_places(obj: Any, lex: Lexicon) -> bool:
    """'the bombardment that hit at least 11 towns and villages': an attack noun whose clause
    strikes many places (``lex.many_places`` or more) sums the events at each."""
    if obj.lemma_.lower() not in lex.attack_nouns and obj.lemma_.lower() not in lex.incident_nouns:
        return False
    for clause in (c for c in obj.children if c.dep_ in ("relcl", "acl")):
        for target in (c for c in clause.children if c.dep_ in ("dobj", "obj")):
            if target.lemma_.lower() in lex.place_nouns and any(
                    n.dep_ == "nummod" and (v := _number_value(n, lex)) is not None and v >= lex.many_places
                    for n in target.children):
                return True
    return False


def _span_phrase(prep: Any, lex: Lexicon, perfect: bool, depth: int = 0, *,
                 long_ago: frozenset[int] = frozenset()) -> bool:
    """A prepositional phrase that ties a count to a period, a war or many incidents."""
    word = prep.lower_
    if word == "since":
        if any(c.dep_ == "pcomp" and c.tag_ in ("VBG", "VBN") for c in prep.children):
            return False  # "had died since being brought to hospital": since an event, not a date
        return not _single_day(_phrase(prep), long_ago) and not _comparison(prep)
    if word not in _SPAN_PREPS:
        return False
    for obj in prep.children:
        if obj.dep_ != "pobj" or _superlative(obj):
            continue
        if _time_span(obj, perfect=perfect) or obj.lemma_.lower() in lex.period_nouns:
            return True
        if word in ("in", "during", "across") and _many_incidents(obj, lex):
            return True
        if depth < 2 and any(c.dep_ == "prep" and _span_phrase(c, lex, perfect, depth + 1, long_ago=long_ago)
                             for c in obj.children):
            return True  # "from 88 in 2023", "in the first six months of 2016"
    return False


def _clause_heads(tok: Any) -> list[Any]:
    """The clause of a casualty word, and the clauses it borrows its subject from."""
    h = tok
    while h.dep_ not in _CLAUSE and h.head.i != h.i:
        h = h.head
    heads = [h]
    # a participle or a verb sharing its subject: "repelled attacks in the last 10 days, killing
    # 2,200", "have killed 300 and wounded 1,400 since 2011"
    while h.dep_ in ("advcl", "conj", "xcomp") and h.head.i != h.i and not any(
        c.dep_ in ("nsubj", "nsubjpass", "expl", "mark") for c in h.children
    ):
        h = h.head
        while h.dep_ not in _CLAUSE and h.head.i != h.i:
            h = h.head
        heads.append(h)
    return heads


def _period_total(tok: Any, count: int, lex: Lexicon, people: list[Any] | None = None, *,
                  long_ago: frozenset[int] = frozenset()) -> bool:
    """Whether the casualty word ``tok`` reports a total over a period or a war, not one event.
    ``long_ago`` as for ``_single_day``."""
    heads = _clause_heads(tok)
    anchors = [tok] + heads
    if tok.dep_ == "compound":  # "the death toll from the conflict"
        anchors.append(tok.head)
    if tok.pos_ == "NOUN":  # "the deaths of 398 soldiers and 800 wounded in clashes since 11 November"
        anchors += [a for a in tok.children if a.dep_ == "acl"]
        for p in people or []:
            anchors += [p] + [a for c in p.conjuncts for a in (c, *c.children) if a.dep_ in ("conj", "acl")]
    # "750 have been killed and thousands more injured in the bombing campaign": the phrase
    # hangs on the injury word but dates both
    def hurt(t: Any) -> bool:
        return lex.outcome(t) == "injured"

    for c in tok.children:
        if c.dep_ == "conj":  # a conjoined verb with a subject of its own tells its own story
            own = any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
            anchors += ([c] if hurt(c) or not own else []) + [
                a for a in c.children if a.dep_ in ("acl", "amod") and hurt(a)]
    for h in heads:
        if any(c.dep_ == "dobj" and _many_incidents(c, lex) for c in h.children):
            return True  # "have set off more than 260 bombs, killing at least 190": many incidents
        # "a conflict in which 300,000 died", "a war that has killed ...", "five years in which"
        if h.dep_ in ("relcl", "acl") and h.head.lemma_.lower() in lex.period_nouns:
            return True
        if h.dep_ == "advcl" and any(c.lower_ == "when" for c in h.children) and any(
                p.dep_ == "prep" and p.lower_ in ("in", "during") and any(
                    o.dep_ == "pobj" and (_whole_month(o) or _time_span(o)) for o in p.children)
                for p in h.head.children):
            return True  # "suffered a spike in unrest in June, when 282 were killed"
        if h.dep_ == "relcl" and (_time_span(h.head) or _whole_month(h.head) or (
                h.head.dep_ == "pobj" and h.head.head.lower_ == "of" and _time_span(h.head.head.head))):
            return True  # "five years in which", "in June when 282 were killed", "days of fighting that cost"
        for c in h.children:  # "the war has killed", "the insurgency has claimed" (not a headline's "The War in")
            if c.dep_ == "nsubj" and c.pos_ == "NOUN" and c.lemma_.lower() in lex.period_nouns \
                    and not _superlative(c):
                return True
    perfect = any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "have" for h in heads for c in h.children)
    # Whatever day the clause names: "seven days of airstrikes had left 75 dead", "three weeks of
    # fighting have killed 120" (a span as the subject); "killed on Tuesday in the bombardment
    # that hit at least 11 towns" (one day, many places: the sum of their events).
    for a in anchors:
        for c in a.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj") and _time_span(c, perfect=True) and any(
                    p.dep_ == "prep" and p.lower_ == "of" for p in c.children):
                return True
            if c.dep_ == "prep" and c.lower_ in ("in", "during", "across") and any(
                    _many_places(o, lex) for o in c.children if o.dep_ == "pobj"):
                return True
    if _day_named(anchors):
        return False  # "on Jan. 25 ... the heaviest attack in over a year, killing seven"
    if long_ago and any(c.dep_ == "conj" and lex.outcome(c) == "killed" and any(
            p.dep_ == "prep" and p.lower_ == "since" and any(t.i in long_ago for t in p.subtree)
            for p in c.children) for c in tok.children):
        return True  # "346 were killed and 170 had died since Tuesday" (days back): both over those days
    root = tok.sent.root
    if root.lower_ == "since" and tok.i > root.i and not _single_day(list(root.subtree), long_ago):
        return True  # "Since Sept. 19 when the truce ended at least 359 have been killed", parsed headless
    # a time phrase fronted before the first of coordinated clauses scopes over all of them
    # ("In 2024, 30 were killed and 50 wounded")
    fronted = [c for h in heads if h.dep_ == "conj" for c in h.head.children if c.i < h.head.i]
    for a in anchors:
        for c in list(a.children) + (fronted if a is heads[-1] else []):
            dep = c.dep_
            if dep in ("prep", "agent") and _span_phrase(c, lex, perfect, long_ago=long_ago):
                return True
            if dep == "mark" and c.lower_ == "since" and not _comparison(c) \
                    and not _single_day(_phrase(c), long_ago):
                return True  # "Since Thursday bombardment has killed 44", "since" parsed as a bare mark
            if dep == "advcl" and c.tag_ != "VBG" and any(
                    m.dep_ == "mark" and m.lower_ == "since" and not _comparison(m) for m in c.children):
                if not _single_day(list(c.subtree), long_ago):
                    return True  # "since the country's conflict began in March 2011"
            if dep == "advcl" and c.lemma_.lower() in _STARTS and any(
                    m.dep_ == "mark" and m.lower_ == "after" for m in c.children) and any(
                    x.dep_ == "npadvmod" and x.lemma_.lower() in ("day", "week", "month", "year")
                    and (_span_value(x) or 2) >= 3 for x in c.children):
                return True  # "nine days after violence broke out, the toll stands at 667"
            if dep in ("npadvmod", "advmod", "obl") and _time_span(c, perfect=perfect, bare=True):
                return True  # "this year", "last year", "this month" (perfect)
            if perfect and dep == "prep" and c.lower_ in ("to", "till", "until") and any(
                    p.lower_ == "date" for p in c.children):
                return True  # "700 people had been killed till date"
            if dep in ("nsubj", "nsubjpass", "csubj") and not _superlative(c):
                if any(p.dep_ == "prep" and _span_phrase(p, lex, perfect, long_ago=long_ago) for p in c.children):
                    return True  # "airstrikes since 21 May have killed", "clashes in less than a month have killed"

    # A perfect-tense figure with no day named: "more than 1,000 people have been killed",
    # "the airstrikes have claimed hundreds of lives" (a campaign, not a strike).
    if perfect:
        # the attacks as subject, or after "in"/"by": "have been killed in regime bombings"
        agents = [c for h in heads for c in h.children if c.dep_ == "nsubj"] + [
            p for h in heads for c in h.children if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by")
            for p in c.children if p.dep_ == "pobj"]
        if count >= lex.perfect_total and not any(
                a.tag_ == "NN" and a.lemma_.lower() in lex.incident_nouns and a.dep_ == "pobj" for a in agents):
            return True  # not "1,300 have been killed in a nerve gas attack": one attack's toll
        if count >= 100 and any(a.tag_ == "NNS" and a.lemma_.lower() in lex.attack_nouns for a in agents):
            return True
    # The parse often hangs a span on the wrong word ("the toll after five days of violence
    # now stands at 427"): a large figure in a sentence that names a span of days and no day
    # of its own is that span's total.
    return count >= 100 and bool(_SPAN_IN_SENTENCE.search(tok.sent.text))


def _running_toll(tok: Any, lex: Lexicon) -> bool:
    """'24 were killed in fresh attacks, taking the toll to 561': a toll carried forward from
    earlier events, not said to be one event's ("bringing the toll from Tuesday's blast to
    30" stays that blast's)."""
    toll = tok.head if tok.dep_ == "compound" else tok
    if toll.lemma_.lower() != "toll" or toll.dep_ != "dobj":
        return False
    if toll.head.lemma_.lower() not in ("bring", "take", "raise", "push", "lift", "increase"):
        return False
    for c in list(toll.children) + list(toll.head.children):
        if c.dep_ == "prep" and c.lower_ in ("from", "of", "in"):
            if any(p.lemma_.lower() in lex.attack_nouns or p.lemma_.lower() in _ONE_EVENT for p in c.subtree):
                return False
        if c.dep_ == "poss":
            return False
    return True
