"""The evidence for and against a name being a place: the words around it ("the town of X",
"X University", "according to X"), its entity label, how it is written (a capital that only
starts a sentence, a headline in title case, wire copy in capitals), and what the gazetteer
holds for it. ``score_name`` sets ``Found.score`` and ``Found.reasons``; ``toponyms.find``
keeps the names scoring at least ``found.ACCEPT``."""

from __future__ import annotations

from typing import Any

from .context import Context
from .descriptions import admin_after, admin_of
from .found import ACCEPT, Found
from .normalise import fold

# Lower-case words allowed inside a multi-word name: "Gulf of Aden", "Deir ez-Zor", "Al-Qusayr".
CONNECTORS = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ez", "ed", "es", "de",
                        "del", "la", "le", "of", "upon", "on", "sur", "am", "bin", "da", "do", "dos",
                        "das", "di", "du", "van", "von", "y", "-", "ul", "us", "ibn", "abu"})
GOOD_LABELS = frozenset({"GPE", "LOC", "FAC"})
BAD_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"})


def capitalised(t: Any, upper_doc: bool) -> bool:
    """Is the token written like a name? Text all in capitals is parsed lower-cased (see
    ``nlp.spacy_text``), so there the tagger's proper-noun tag stands in for the capital."""
    return t.text[:1].isupper() or (upper_doc and t.pos_ == "PROPN")


# What a capitalised common word may follow at the start of a text, a line or a quote.
_OPENERS = frozenset({'"', "“", "'", "‘", "(", "[", ":", "-", "—", "–"})
WORD_TAGS = frozenset({"NOUN", "ADJ", "ADV", "VERB", "AUX", "ADP", "DET", "PRON", "NUM", "SCONJ", "CCONJ"})


def opens_text(t: Any, upper_doc: bool) -> bool:
    """Does the token open a sentence, a line of wire copy or a quote, where a common word
    is capitalised too? (In capitals, the parse capitalises only such starts.)"""
    if upper_doc:
        return t.text[:1].isupper()
    if t.i == 0 or t.is_sent_start:
        return True
    prev = t.doc[t.i - 1]
    return prev.text in _OPENERS or prev.is_space


def _words_before(tokens: list[Any], i: int, n: int) -> list[str]:
    """The ``n`` words before token ``i``; line breaks of wire copy ("IN\\nSANTA ANA") skipped."""
    words = [t.text.lower() for t in tokens[max(0, i - n - 3) : i] if not t.is_space]
    return words[-n:] if len(words) >= n else [t.text.lower() for t in tokens[max(0, i - n) : i]]


def _phrase_before(tokens: list[Any], i: int, vocab: frozenset[str]) -> str | None:
    """The longest entry of ``vocab`` (1-3 words) ending just before token ``i``."""
    for n in (3, 2, 1):
        words = _words_before(tokens, i, n)
        if len(words) == n and " ".join(words) in vocab:
            return " ".join(words)
    return None


def _skip_descriptor(tokens: list[Any], i: int, ctx: Any) -> int:
    """Index where "the Syrian town of" starts, when it stands just before token ``i``.

    "near the Syrian town of X" is near X: the descriptor must not hide the preposition.
    """
    j = i - 1
    if j < 1 or tokens[j].text.lower() != "of" or tokens[j - 1].text.lower() not in ctx.place_nouns:
        return i
    j -= 2  # before the place noun: adjectives, demonyms, the article
    while j >= 0 and i - j <= 6 and tokens[j].text.lower() not in ("the", "a", "an"):
        if not (tokens[j].pos_ in ("ADJ", "PROPN") or ctx.demonym(tokens[j].text)):
            return i
        j -= 1
    return j if j >= 0 and tokens[j].text.lower() in ("the", "a", "an") else i


def _title_before_name(tokens: list[Any], s: int, ctx: Any, *, upper_doc: bool) -> str | None:
    """The title two or three words before ``tokens[s]`` when only a given name stands
    between ("General Mauricio Colorado", "President Bashar Assad"), else None."""
    words = [i for i in range(max(0, s - 6), s) if not tokens[i].is_space]  # wire copy breaks lines
    for gap in (1, 2):
        if len(words) < gap + 1:
            return None
        j = words[-gap - 1]
        between = [tokens[i] for i in words[-gap:]]
        if not all(t.is_alpha and (t.pos_ == "PROPN" if upper_doc else t.text[:1].isupper())
                   and t.text.lower() not in CONNECTORS for t in between):
            return None
        if tokens[j].text.lower() in ctx.titles:
            return tokens[j].text.lower()
    return None


def _town_after_in(f: Found, tokens: list[Any], s: int, e: int, after: list[str], ctx: Any) -> bool:
    """Is the name right after "in" (or another of ``town_prepositions``), a town of 20,000 or
    more, and not followed by a word that makes it a body's or a street's name? Then an
    organisation label is the tagger's slip: "in Dewsbury", "to Great Yarmouth" (not "in
    Hamas", which no gazetteer holds)."""
    return (s > 0 and tokens[s - 1].lower_ in ctx.town_prepositions and not (after and after[0] in ctx.org_after)
            and (e >= len(tokens) or not tokens[e].text[:1].isupper())
            and any(c.place.feature == "populated place" and c.place.population >= 20_000 and not c.via_base
                    for c in f.candidates))


def score_name(f: Found, tokens: list[Any], ctx: Context, doc_countries: dict[str, int], *, upper_doc: bool = False,
           title_case: bool = False, common: set[str] = frozenset()) -> None:
    s, e = f.tok_start, f.tok_end
    key = fold(f.text)
    add = f.reasons.append
    score = 0.0
    before = _words_before(tokens, s, 1)
    after = [t.text.lower() for t in tokens[e : e + 9] if not t.is_space][:6]  # "MORAZAN\nDEPARTMENT"
    if ctx.demonym(f.text) and not f.candidates or key in ctx.demonyms:
        f.score = -9
        return
    if e - s == 1 and tokens[s].like_num:
        f.score = -9  # "2016 Ten IS group targets were hit": a number word, whatever namesake it has
        add("a number")
        return
    if not upper_doc and _words_before(tokens, s, 2) == ["according", "to"] and tokens[e - 1].dep_ == "pobj":
        # "according to Dali": the name is who said it, a person or a body, not a place
        # ("according to Chicago police" keeps Chicago). Wire copy in capitals is parsed
        # lower-cased, where a place after "according to" is as often the head of a source.
        f.score = -9
        add("'according to' before: a source")
        return
    if before and before[0] in ctx.titles:
        f.score, f.person = -9, True
        add(f"title '{before[0]}' before: a person")
        return
    if (title := _title_before_name(tokens, s, ctx, upper_doc=upper_doc)) is not None:
        # "ATTORNEY GENERAL MAURICIO COLORADO": the last of a titled person's names
        f.score, f.person = -9, True
        add(f"title '{title}' before a name: a person's surname")
        return
    if after and after[0] in ctx.org_after and not any(c.place.feature == "country" for c in f.candidates):
        score -= 2
        add(f"'{after[0]}' after: an organisation or street")
    if f.label in GOOD_LABELS:
        score += 2
        add(f"NER {f.label}")
    elif upper_doc:
        # In capitals every surname and common noun looks like a name ("PEREZ", "SUMMIT"):
        # without the tagger's place label, a namesake needs context to count.
        score -= 1
        add("capitals, no place label")
        if s > 0 and tokens[s - 1].pos_ == "PROPN" and tokens[s - 1].text.lower() not in CONNECTORS:
            # "JUDGE CARLOS RIVERA": the tail of a longer name is a surname, not a town.
            score -= 1.5
            add("the name starts before")
    elif f.label == "PERSON":
        score -= 2
        add("NER PERSON")
    elif f.label in BAD_LABELS:
        # The small model calls some towns dates ("Qalamoun"): only strong context overrides.
        score -= 3
        add(f"NER {f.label}")
    elif f.label == "ORG" and _town_after_in(f, tokens, s, e, after, ctx):
        add("NER ORG, but a town after 'in'")  # "a cottage in Dewsbury": the tagger's slip
    elif f.label:
        score -= 1.5
        add(f"NER {f.label}")
    lead = s - 1 if s > 0 and tokens[s - 1].text.lower() == "the" else s  # "shelled the X"
    if (p := _phrase_before(tokens, s, ctx.prepositions) or _phrase_before(tokens, lead, ctx.prepositions)):
        score += 1.5
        add(f"'{p}' before")
    # "the town of X", "the Syrian town of X", "village called X"
    w = _words_before(tokens, s, 3)
    if len(w) >= 2 and w[-1] in ("of", "called", "named") and w[-2] in ctx.place_nouns:
        score += 3
        add(f"'{w[-2]} {w[-1]}' before")
        if admin_of(tokens, s, ctx):  # "the neighbouring province of Aleppo": the province
            f.admin_word = f.region = True
        if len(w) == 3 and (cc := ctx.demonym(tokens[s - 3].text)):
            f.cue_country = cc
    # "X, a Lebanese town in ...", "X, the capital of ..."
    if after[:1] == [","] and len(after) > 2 and after[1] in ("a", "an", "the"):
        for j, word in enumerate(after[2:5], start=e + 3):
            if word in ctx.place_nouns:
                score += 3
                add(f"apposition '{word}'")
                for t in tokens[e + 2 : j]:
                    if cc := ctx.demonym(t.text):
                        f.cue_country = cc
                break
    # "X as a border town"
    if after[:2] in (["as", "a"], ["as", "an"]) and any(x in ctx.place_nouns for x in after[2:5]):
        score += 2.5
        add("'as a ... town' after")
    f.common_word = e - s == 1 and (key in ctx.stopwords or key in common)
    if kind_end := admin_after(tokens, e, ctx):
        score += 3
        f.admin_word = f.region = True
        f.kind_end = kind_end
        add(f"'{tokens[kind_end - 1].text}' after")
    elif after and after[0] in ctx.region_after and not f.common_word:
        # "the Southern plains of X": a common word before a landform describes it, not names it.
        score += 2.5
        f.region = True
        add(f"'{after[0]}' after")
    elif after and after[0] in ("town", "city", "village", "camp"):
        f.noun_after = True
        score += 2
        add(f"'{after[0]}' after")
    if before == ["("] and after[:1] == [")"]:
        score += 1.5
        add("in parentheses")
    # "near the town of X" (past the descriptor) and "on the outskirts of X" (the near-phrase
    # itself ends in "<place noun> of") are both near X.
    if (_phrase_before(tokens, _skip_descriptor(tokens, s, ctx), ctx.near_before)
            or _phrase_before(tokens, s, ctx.near_before) or (after and after[0] in ctx.near_after)):
        f.near = True
    if key in ctx.stopwords:
        score -= 6 if title_case else 4  # "in Northern Syria": a headline capitalises it anyway
        add("common word")
    feats = {c.place.feature for c in f.candidates if not c.via_base}
    if (not upper_doc and e - s == 1 and 2 <= len(f.text) <= 4 and f.text.isupper()
            and not feats & {"country", "admin1", "continent"}
            and all(c.place.country_code for c in f.candidates)):
        # "IS", "SANA", "SOHR": in mixed-case text a word in capitals is an acronym, not a town.
        score -= 4
        add("an acronym")
    pop = max((c.place.population for c in f.candidates), default=0)
    if feats & {"country", "continent"}:
        score += 2.5
        add("a country name")
    elif "admin1" in feats:
        score += 1.5
        add("a province name")
    if any(c.extra for c in f.candidates):
        score += 1.5
        add("in the project's place list")
    if pop >= 1_000_000:
        score += 1.5
    elif pop >= 100_000:
        score += 1
    elif pop >= 20_000:
        score += 0.5
    if any(c.place.country_code in doc_countries for c in f.candidates) and "country" not in feats:
        score += 1
        add("a namesake in a country the article names")
    if e - s >= 2:
        score += 0.5
    if f.candidates and all(c.via_base for c in f.candidates):
        score -= 0.5
    if (e - s == 1 and f.label not in ("GPE", "LOC") and opens_text(tokens[s], upper_doc)
            and (tokens[s].pos_ in WORD_TAGS or key in common)):
        # '"Mobile and wireless signals are down"', "AREA", "FIRST, ...": a common word
        # capitalised for opening a sentence, a line or a quote is no town.
        score -= 3
        f.common = True
        add("a common word opening a sentence")
    elif tokens[s].is_sent_start and e - s == 1 and f.label not in GOOD_LABELS:
        score -= 1
        add("sentence-initial")
    known_by_size_only = not (feats & {"country", "admin1", "admin2", "continent"}
                              or any(c.extra for c in f.candidates))
    known = pop >= 50_000 or not known_by_size_only
    if title_case and f.candidates and not known:
        # A capitalised word in a headline is weak evidence: a small namesake needs context.
        score -= 2
        add("title-case headline")
    elif (not title_case and e < len(tokens) and capitalised(tokens[e], upper_doc)
          and not tokens[e].is_sent_start and tokens[e].text.lower() not in ctx.region_after
          and not ctx.demonym(tokens[e].text)
          and (not known or (pop < 100_000 and known_by_size_only))):
        # "Khan Shaikhoun", "Tall Tawil": the name goes on, so a town named like its first
        # word is probably not meant, unless it is a city (100,000 people or more).
        score -= 1.5
        add("the name goes on")
    f.score = score
    f.dateline = is_dateline(f, tokens, ctx, upper_doc=upper_doc)
    if f.dateline:
        add("a dateline")
        heads_text = s == 0 or tokens[s - 1].is_space or "\n" in tokens[s - 1].whitespace_
        if heads_text and f.candidates and after[:1] and after[0] in (",", "(", "-", "—"):
            # "RALEIGH, N.C. (AP) -": a known town heading the text is the reporter's town,
            # whatever the tagger called it (never an event's place: relation "dateline")
            f.score = max(f.score, ACCEPT)


def is_dateline(f: Found, tokens: list[Any], ctx: Context, *, upper_doc: bool) -> bool:
    """"Moscow AFP Saturday", "MOSCOW (Sputnik) -", "... Jul 012016 BEIRUT At least 70 ...":
    a place heading a story (not after a preposition) followed by a news agency, or written in
    capitals in mixed-case text, is the reporter's location."""
    s, e = f.tok_start, f.tok_end
    before = tokens[s - 1].text.lower() if s > 0 else ""
    if before in ctx.prepositions or before in ("of", "the", "and", ","):
        return False
    after = [t.text.lower() for t in tokens[e : e + 2]]
    if after and (after[0] in ctx.dateline_agencies
                  or (after[0] == "(" and len(after) > 1 and after[1] in ctx.dateline_agencies)):
        return True
    return not upper_doc and len(f.text) >= 4 and f.text.isupper()
