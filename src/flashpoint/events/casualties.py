"""Casualties of a sentence: deaths, injuries and captures, with the most conservative count.

A casualty word ("killed", "wounded", "captured", "death toll") is linked through the parse
to the people it affects ("at least six soldiers were killed", "killing a child and two
women", "leaving 7 dead"), whose number is read from digits, number words or vague
quantities (``data/casualties.toml``). Deaths reported without a number ("casualties on both
sides", "killing and wounding dozens") make ``fatalities_known`` false. Ranges give their lower
bound ("between 10 and 15", "two to three" -> 10, 2). Vague quantities count as ACLED codes
them ("dozens" = 12); a toll above the lexicon's ``ceiling`` is not believed (0,
``fatalities_known`` false). Killed and wounded reported together ("49 fighters were killed
and wounded") are deaths without a number. A toll for twin bombings at one place on one day
("twin car bombs killed 32") is one event's (codebook: one event per place, day and actor pair).

Only a single event's toll is taken: a figure that ``casualty_totals`` finds to be a total
over a period or a war gives 0, keeps ``fatalities_known`` true and sets ``period_total``, so
that no event takes it; a running toll ("taking the toll to 561") counts only when the
sentence gives no toll of its own.

Several sentences about one event (combined in ``resolve._event``): each count is the largest
any one sentence supports, never a sum, because follow-up sentences restate or update the same
toll ("six were killed ... the toll rose to nine" is nine, not fifteen); fatalities stay
unknown only when no sentence gives a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..actor_roles import counted_subject, headline_passive
from ..datafiles import read_toml
from .casualty_totals import _DAY_WORDS, _DIGITS, _in_a_date, _number_value, _period_total, _running_toll, _word

_MULTIPLIERS = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million"})


@dataclass(frozen=True)
class Casualties:
    fatalities: int
    fatalities_known: bool
    injured: int | None
    captured: int | None
    period_total: bool = False  # a death figure here was a total over a period, not counted
    period_counts: tuple[int, ...] = ()  # those figures ("350" of "in less than a month have killed 350")
    vague: bool = False  # the death figure is a vague quantity's convention ("dozens" = 12)


@dataclass(frozen=True)
class CasualtyLexicon:
    version: str
    killed: frozenset[str]
    injured: frozenset[str]
    captured: frozenset[str]
    unknown_number: frozenset[str]
    numbers: dict[str, int]
    vague: dict[str, int]
    ceiling: int = 10_000
    period_nouns: frozenset[str] = frozenset()
    attack_nouns: frozenset[str] = frozenset()
    perfect_total: int = 1000
    since_days: int = 3  # "killed since Tuesday", that day this many days or more before the report: a total
    incident_nouns: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    many_places: int = 3

    @classmethod
    def load(cls, path: Path | None = None) -> CasualtyLexicon:
        data = read_toml(path, "casualties.toml")
        return cls(
            version=str(data.get("version", "")),
            killed=frozenset(data["killed"]),
            injured=frozenset(data["injured"]),
            captured=frozenset(data["captured"]),
            unknown_number=frozenset(data["unknown_number"]),
            numbers=dict(data["numbers"]),
            vague=dict(data["vague"]),
            ceiling=int(data.get("ceiling", 10_000)),
            period_nouns=frozenset(data.get("period_nouns", ())),
            attack_nouns=frozenset(data.get("attack_nouns", ())),
            perfect_total=int(data.get("perfect_total", 1000)),
            since_days=int(data.get("since_days", 3)),
            incident_nouns=frozenset(data.get("incident_nouns", ())),
            place_nouns=frozenset(data.get("place_nouns", ())),
            many_places=int(data.get("many_places", 3)),
        )

    def outcome(self, tok: Any) -> str | None:
        """"killed", "injured" or "captured" when the token (its lemma or its text) is a word
        of that outcome, else None."""
        lemma, low = tok.lemma_.lower(), tok.lower_
        for kind, words in (("killed", self.killed), ("injured", self.injured), ("captured", self.captured)):
            if lemma in words or low in words:
                return kind
        return None


def _numeric(tok: Any, lex: CasualtyLexicon) -> bool:
    """A number proper (digits or a number word), not a vague quantity ("as many as 30")."""
    return bool(_DIGITS.match(tok.lower_)) or all(p in lex.numbers for p in tok.lower_.split("-"))


def _count(noun: Any, lex: CasualtyLexicon) -> int | None:
    """How many people a noun phrase denotes; None when it does not say."""
    value = _number_value(noun, lex)
    if value is not None and noun.lower_ not in ("both",):
        doc = noun.doc
        if value < 10 and noun.i >= 2 and doc[noun.i - 1].text == "-":  # "Fifty-one dead", split
            tens = _number_value(doc[noun.i - 2], lex)
            if tens and tens % 10 == 0 and 20 <= tens <= 90:
                value += tens
        if noun.lower_ in lex.vague or noun.like_num or noun.lower_ in lex.numbers:
            for c in noun.children:  # "hundreds of thousands", "tens of thousands"
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj" and p.lower_ in _MULTIPLIERS and p.lower_ in lex.vague:
                            return value * lex.vague[p.lower_]
            return value
    if noun.lower_ == "total":  # "a total of 14 militants"
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj" and (v := _count(p, lex)) is not None:
                        return v
    kids = {c.lower_ for c in noun.children}
    # "a number of terrorists", "a large number of", the plural "numbers of militants"
    if noun.lower_ in ("number", "numbers") and "of" in kids \
            and (kids & {"a", "an", "large", "big"} or noun.tag_ == "NNS") \
            and "a number" in lex.vague \
            and not kids & {"unknown", "undetermined", "unspecified", "small"}:
        return lex.vague["a number"]  # "a number of terrorists", "a large number of"
    nums: list[int] = []
    # one count per noun: the number nearest before it ("Get short URL 1195 Over 100 militants"
    # = 100, "kidnapped 900 Executed 18 People" = 18); a number after the noun counts nothing
    numbered = [c for c in noun.children if c.dep_ in ("nummod", "quantmod", "amod", "det", "nmod", "compound")
                and c.lower_ not in ("a", "an") and _number_value(c, lex) is not None]
    before = [c for c in numbered if c.i < noun.i]
    if before:
        numbered = [max(before, key=lambda c: c.i)]
    chosen = {c.i for c in numbered}
    for c in noun.children:
        if c.i in chosen:
            v = _number_value(c, lex)
            assert v is not None
            doc = c.doc
            if c.i >= 2 and doc[c.i - 1].text == "-" and v < 10 and doc[c.i - 2].head.i == noun.i:
                tens = _number_value(doc[c.i - 2], lex)  # "Fifty-one dead", split at its hyphen
                if tens and tens % 10 == 0 and 20 <= tens <= 90:
                    v += tens
            nums.append(v)
            for cc in c.children:
                if cc.dep_ not in ("nummod", "compound", "quantmod") or not _numeric(cc, lex) \
                        or not (w := _number_value(cc, lex)):
                    continue
                if cc.i == c.i - 2 and c.doc[c.i - 1].text == "-" and w % 10 == 0 and v < 10:
                    nums[-1] = w + v  # "Ninety-two" split at its hyphen
                elif c.lower_ in _MULTIPLIERS and w < v:
                    nums[-1] = w * v  # "two hundred", "a dozen"
                else:
                    nums[-1] = min(nums[-1], w)  # "two to three", "10 or 12": the lower bound
        if c.dep_ == "prep" and c.lower_ == "of" and noun.lower_ in lex.vague:
            return lex.vague[noun.lower_]
    if nums:
        return max(nums)
    left = noun.left_edge.i - 1
    if noun.tag_ == "NNS" and left >= 0:  # "On Friday 86 people were killed": 86 parsed into the date
        prev = noun.doc[left]
        if prev.tag_ == "CD" and prev.head.i != noun.i and (
                prev.head.ent_type_ == "DATE" or _word(prev.head) in _DAY_WORDS) and not _in_a_date(prev):
            v = _number_value(prev, lex)
            if v is not None:
                return v
    if noun.tag_ in ("NN", "NNP") and any(c.lower_ in ("a", "an", "the", "one") for c in noun.children):
        return 1
    if noun.tag_ == "NNP" or noun.ent_type_ == "PERSON":
        return 1
    lemma = noun.lemma_.lower()
    if noun.tag_ == "NN" and noun.pos_ == "NOUN" and not any(c.dep_ == "det" for c in noun.children) \
            and noun.ent_type_ not in ("DATE", "TIME", "CARDINAL") and lemma not in lex.killed \
            and lemma not in lex.injured and lemma not in lex.unknown_number and lemma not in lex.captured:
        return 1  # a headline's bare noun: "attacks leave child and woman dead"
    return None


def _people(noun: Any, lex: CasualtyLexicon, word: Any = None) -> tuple[int | None, bool]:
    """The count of a noun and its coordinated nouns ("a child and two women" = 3). A
    conjunct after the casualty ``word`` ("100 people killed and over 400 wounded") or marked
    as hurt ("two martyrs and several injured civilians") is another group."""
    total, known = 0, True
    group = [noun] + [c for c in noun.conjuncts if c.i > noun.i and not (
        word is not None and noun.i < word.i < c.i) and not any(
        (a.dep_ == "amod" or (a.dep_ == "acl" and a.tag_ == "VBN"))
        and lex.outcome(a) == "injured" for a in c.children)
        and not _hurt_next(c, lex)]
    counts = [None if any(c.dep_ == "det" and c.lower_ == "no" for c in n.children) else _count(n, lex)
              for n in group]
    # a bare noun beside counted ones adds nothing: "128 troops and militia" = 128
    numbered = any(_has_number(n, lex) for n in group)
    for n, v in zip(group, counts):
        if any(c.dep_ == "det" and c.lower_ == "no" for c in n.children):
            continue
        if v is None:
            known = False
        elif not (numbered and v == 1 and _bare(n)):
            total += v
    return (total, known)


def _vague(noun: Any, lex: CasualtyLexicon) -> bool:
    """Is the count of ``noun`` a vague quantity ("dozens of people", "several civilians", "a
    number of militants") rather than a number ("86 people", "two children")?"""
    words = [t for t in noun.subtree if t.i <= noun.i]
    if any(_numeric(t, lex) and t.lower_ not in ("a", "an") for t in words):
        return False
    return any(t.lower_ in lex.vague or t.lower_ in ("number", "numbers") for t in words)


def _dead_of(noun: Any) -> Any:
    """What a toll rises to: "32 and more than 115 wounded persons" parsed as two numbers of one
    noun counts the dead by its first number only."""
    numbers = [c for c in noun.children if c.dep_ == "nummod"]
    hurt = any(c.dep_ == "amod" and c.lower_ in ("wounded", "injured", "hurt") for c in noun.children)
    return numbers[0] if hurt and len(numbers) > 1 else noun


def _hurt_next(tok: Any, lex: CasualtyLexicon) -> bool:
    """Is a number, or a counted noun, followed by an injury word ("rose to 32 and more than
    115 wounded persons", "leaving 50 martyrs and more than 200 others wounded")? However the
    parser hangs it, that number counts the hurt, not the dead."""
    counted = tok.like_num or (tok.pos_ == "NOUN" and any(c.dep_ == "nummod" for c in tok.children))
    if not counted or tok.i + 1 >= len(tok.doc):
        return False
    nxt = tok.doc[tok.i + 1]
    return lex.outcome(nxt) == "injured"


def _has_number(noun: Any, lex: CasualtyLexicon) -> bool:
    return noun.like_num or noun.lower_ in lex.vague or any(
        c.dep_ in ("nummod", "quantmod") and _number_value(c, lex) is not None for c in noun.children)


def _bare(noun: Any) -> bool:
    """A common noun without determiner or number ("militia", "staff")."""
    return noun.tag_ == "NN" and not any(c.dep_ in ("det", "nummod", "poss") for c in noun.children)


def _patients(tok: Any) -> list[Any]:
    """The nouns a casualty word is about."""
    if tok.pos_ in ("VERB", "AUX"):
        lemma = tok.lemma_.lower()
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        # "two were killed and six others injured": the second verb's subject is a patient
        elliptic = (tok.dep_ == "conj" and any(c.dep_ == "auxpass" for c in tok.head.children)) or any(
            c.dep_ == "nsubj" and c.pos_ == "NUM" for c in tok.children
        ) or headline_passive(tok)
        hurt_object = not passive and any(
            c.dep_ == "dobj" and any(a.dep_ in ("acl", "amod") and a.lemma_.lower() in _INJURY_LEMMAS for a in c.children)
            for c in tok.children)
        if lemma == "die" or elliptic or (hurt_object and counted_subject(tok)):
            # "8 persons killed 58 others injured": a headline's two passives, not "persons killed others"
            deps: tuple[str, ...] = ("nsubj", "nsubjpass")
        else:
            deps = ("nsubjpass",) if passive else ("dobj",)
        found = [c for c in tok.children if c.dep_ in deps]
        # "people killed in the raid": the noun a past participle modifies is its patient; the
        # noun before an active one is its doer ("a strike ... killing all inside"), not its dead
        if not found and tok.dep_ in ("acl", "relcl", "amod") and tok.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON") \
                and (tok.tag_ != "VBG" or lemma == "die" or tok.dep_ == "relcl"):
            found = [tok.head]
        if not found and tok.dep_ == "conj":
            found = _patients(tok.head)
        if not found and tok.dep_ == "xcomp" and tok.tag_ == "VBN":
            # "two more people were reported killed", "five are believed killed": the dead are
            # the subject of the verb of saying
            found = [c for c in tok.head.children if c.dep_ == "nsubjpass"]
        return found
    if tok.pos_ == "ADJ":  # "five people are dead", "leaving seven dead", "shot dead three"
        if any(c.dep_ == "nummod" for c in tok.children):
            return [tok]
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and prev.dep_ in ("dobj", "obj") and prev.head.lemma_.lower() == "leave":
            return [prev]  # "leaving at least 27 people dead", with "dead" misparsed
        own = [c for c in tok.children if c.dep_ == "nsubj"]  # "leaving at least five people dead"
        if own:
            return own
        if tok.head.pos_ in ("VERB", "AUX"):
            objs = [c for c in tok.head.children if c.dep_ == "dobj"]
            if objs:
                return objs
            subjects = [c for c in tok.head.children if c.dep_ == "nsubjpass"]  # "were found dead"
            if subjects or tok.head.lemma_ != "be":
                return subjects
            return [c for c in tok.head.children if c.dep_ == "nsubj"]
        return [tok.head] if tok.dep_ == "amod" else []
    # a noun: "the death toll rose to 24", "deaths of five people", "sustained injuries"
    if tok.lemma_.lower() == "life" and tok.dep_ == "pobj" and tok.head.lower_ == "of":
        number = tok.head.head  # "claimed hundreds of lives", "at the cost of scores of lives"
        if (number.like_num or number.lower_ in ("dozens", "hundreds", "thousands", "scores", "tens")) and (
                number.head.lemma_.lower() in ("claim", "cost", "take") or number.head.head.lemma_.lower() == "cost"):
            return [number]
    for c in tok.children:
        if c.dep_ in ("nummod",) and not _in_a_date(c):
            return [tok]
        if c.dep_ == "prep" and c.lower_ == "of":
            return [p for p in c.children if p.dep_ == "pobj"]
    if tok.head.pos_ in ("VERB", "AUX"):
        if any(c.dep_ == "aux" and c.tag_ == "MD" for c in tok.head.children):
            return []  # "the death toll could reach 200": a guess, not a count
        for c in tok.head.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "at"):
                return [_dead_of(p) for p in c.children if p.dep_ == "pobj"]
            if c.dep_ in ("dobj", "attr") and c.like_num and tok.dep_ == "nsubj":
                return [c]  # "the death toll has reached at least 126"
    return []


_INJURY_LEMMAS = frozenset({"injure", "wound", "hurt", "injured", "wounded"})


def _mixed_with(tok: Any, other: frozenset[str]) -> bool:
    """'killing and wounding dozens', '49 fighters were killed and wounded': a killed word and
    an injury word joined by "and"/"or" share their people, so how many died (or were hurt)
    is not said. "Five were killed and many more wounded" gives each word its own people."""
    for c in tok.conjuncts:
        if c.lemma_.lower() not in other and c.lower_ not in other:
            continue
        first, second = (tok, c) if tok.i < c.i else (c, tok)
        if second.i != first.i + 2 or first.doc[first.i + 1].dep_ != "cc":
            continue
        if not any(x.dep_ in ("nsubj", "nsubjpass", "dobj") for x in second.children):
            return True  # "were killed and wounded": the second word has no people of its own
        if not [p for p in _patients(first) if p.head.i == first.i]:
            return True  # "killed and wounded dozens": the first word has none
    return False


def count_casualties(sent: Any, *, lexicon: CasualtyLexicon, long_ago: frozenset[int] = frozenset()) -> Casualties:
    """Deaths, injuries and captures the sentence reports (0 / None when it reports none).
    ``long_ago``: indices of the tokens that name a day ``since_days`` or more before the
    report's own ("killed since Tuesday" in a Sunday report is a total over those days).

    Within one casualty word, coordinated victims add up ("killed 14 jihadists and five
    civilians" = 19); across casualty words of one sentence the largest count is taken
    ("five were killed ... the dead included three children" = 5), as across sentences.
    """
    lex = lexicon
    fatalities, known = 0, True
    injured: int | None = None
    captured: int | None = None
    period = False
    running = 0  # "taking the toll to 561": counted only when the sentence gives no other toll
    totals: set[int] = set()  # casualty words found to report a period total
    period_counts: list[int] = []
    vague = False
    for tok in sent:
        lemma = tok.lemma_.lower()
        low = tok.lower_
        if tok.ent_type_ in ("DATE", "TIME") or tok.pos_ in ("PROPN",):
            continue
        if lemma in lex.unknown_number or low in lex.unknown_number:
            counted = any(_number_value(c, lex) for c in tok.children if c.dep_ == "nummod")
            if not counted and not any(c.lower_ == "no" for c in tok.children) \
                    and not _period_total(tok, 0, lex, long_ago=long_ago):
                known = False
            continue
        kind = lex.outcome(tok)
        if kind is None:
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        patients = _patients(tok)
        if kind == "killed":  # "40 Civilians Killed 100 Injured": the number before "injured" is the hurt
            patients = [p for p in patients if not _hurt_next(p, lex)]
            if not patients and tok.text[:1].isupper() and tok.i > tok.sent.start and tok.tag_ in ("VBD", "VBN"):
                # a title-case headline's "40 Civilians Killed" is passive, whatever the parser says
                patients = [c for c in tok.children if c.dep_ == "nsubj"]
        if kind == "injured" and _mixed_with(tok, lex.killed):
            continue  # "killed and wounded 49": how many were wounded is not said either
        if kind == "killed" and _mixed_with(tok, lex.injured):
            if not _period_total(tok, 0, lex, long_ago=long_ago):
                known = False  # killed and wounded together: deaths reported, number not
            else:
                period = True
            continue
        if not patients:
            if kind == "killed" and lemma not in ("life", "body", "toll") and not _period_total(tok, 0, lex, long_ago=long_ago):
                known = False
            continue
        if not _has_number(patients[0], lex):  # "presstv - At least 23 civilians ..."
            patients = patients + [a for a in patients[0].children if a.dep_ == "appos" and a.pos_ == "NOUN"
                                   and _has_number(a, lex)]
        # "Date of publication 10 July 2016 At least 29 rebels were killed", "Fifteen civilians
        # among them 11 children were killed": of several subjects, the largest count, from
        # people rather than names ("Get short URL 1195 Over 100 militants were killed")
        people = [p for p in patients if p.tag_ not in ("NNP", "NNPS") or p.ent_type_ == "PERSON"
                  or p.lower_ in lex.vague or p.like_num]
        counted = [_people(p, lex, tok) for p in (people or patients)]
        if not any(c[0] for c in counted):
            counted = [_people(p, lex, tok) for p in patients]
        n_or_none, sure = max(counted, key=lambda c: c[0] or 0)
        n = n_or_none or 0
        if _period_total(tok, n, lex, patients, long_ago=long_ago) or (kind != "killed" and any(c.i in totals for c in tok.conjuncts)):
            if kind == "killed":
                period = True
                totals.add(tok.i)  # "359 have been killed and 1,407 injured since Sept. 19": both
                if n:
                    period_counts.append(n)
            continue
        if kind == "killed" and _running_toll(tok, lex):
            running = max(running, n)
            continue
        if n > lex.ceiling:  # not a believable toll of one event: deaths reported, number not
            if kind == "killed":
                known = False
            continue
        if kind == "killed":
            if not sure and n == 0:
                known = False
            if n > fatalities:
                vague = _vague(max(people or patients, key=lambda p: _people(p, lex, tok)[0] or 0), lex)
            fatalities = max(fatalities, n)
        elif kind == "injured":
            injured = max(injured or 0, n) if (n or sure) else injured
        else:
            captured = max(captured or 0, n) if (n or sure) else captured
    if running and not fatalities:
        if running <= lex.ceiling:
            fatalities = running
        else:
            known = False
    elif running:
        period = True
    if fatalities:
        known = True
    return Casualties(fatalities, known, injured, captured, period, tuple(period_counts),
                      vague=bool(fatalities) and vague and fatalities != running)
