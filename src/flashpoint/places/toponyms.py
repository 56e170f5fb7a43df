"""Finding place names: capitalised spans and NER entities, matched to the gazetteer and
confirmed or rejected by their context (spaCy's small model often calls towns PERSON/ORG)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .context import Context
from .gazetteer import Candidate, Gazetteer
from .descriptions import admin_after, admin_of, containers
from .longer_names import mark_longer_names
from .normalise import fold
from .spellings import read_spellings
from .unlocated import settlement_of

# Lower-case words allowed inside a multi-word name: "Gulf of Aden", "Deir ez-Zor", "Al-Qusayr".
_CONNECTORS = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ez", "ed", "es", "de",
                         "del", "la", "le", "of", "upon", "on", "sur", "am", "bin", "da", "do", "dos",
                         "das", "di", "du", "van", "von", "y", "-", "ul", "us", "ibn", "abu"})
# Arabic articles written in lower case before a capitalised name ("al-Asharah", "el-Arish").
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ez", "ed", "es", "ul"})
_MAX_TOKENS = 6
_GOOD_LABELS = frozenset({"GPE", "LOC", "FAC"})
_BAD_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"})
ACCEPT = 1.5  # evidence score at which a name counts as a place


@dataclass
class Found:
    """A name judged to be a place, before resolution."""

    start: int  # character span of the name in the text
    end: int
    tok_start: int
    tok_end: int
    text: str
    candidates: tuple[Candidate, ...]
    score: float
    reasons: list[str] = field(default_factory=list)
    label: str = ""
    near: bool = False  # "near X", "X area"
    region: bool = False  # "the X mountains", "X district"
    admin_word: bool = False  # "X province", "the province of X": prefer the province
    kind_end: int = 0  # "Quneitra southern province": the token after the province word the name covers
    cue_country: str | None = None  # "the Syrian town of X" -> "SY"
    owner_country: str | None = None  # "Syrias Kobani", "Aleppos southern X" -> "SY": said to lie there
    demonym: str | None = None  # "Syrian" -> "SY", "European" -> "Europe": a place reference
    dateline: bool = False  # "MOSCOW (Sputnik)", "BEIRUT At least ...": where the reporter was
    headline: bool = False  # in a title-case sentence, where capitals say little
    common: bool = False  # a common word capitalised only for starting a sentence or quote
    sentence: int = 0
    longer: str | None = None  # "Orum al-Kubra": the name the text writes, of which this is a part
    facility: str | None = None  # "Hotel" in "the Qahira Hotel": a building named after the place
    common_word: bool = False  # one word the text also uses as a common word, or a stopword ("Southern")
    within: Found | None = None  # "Hadar village in Quneitra province": the name it is said to lie in
    settlement: str | None = None  # "X village", "the town of X": the kind of place a noun makes it
    in_capitals: bool = False  # wire copy in capitals, where the tagger's place labels say little


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


def _capitalised(t: Any, upper_doc: bool) -> bool:
    """Is the token written like a name? Text all in capitals is parsed lower-cased (see
    ``nlp.spacy_text``), so there the tagger's proper-noun tag stands in for the capital."""
    return t.text[:1].isupper() or (upper_doc and t.pos_ == "PROPN")


def _is_upper_doc(doc_text: str, tokens: list[Any]) -> bool:
    """Wire copy in capitals ("SAN SALVADOR, 3 JAN 90 --"), judged on the text as written:
    spaCy may have seen it lower-cased."""
    words = [doc_text[t.idx : t.idx + len(t)] for t in tokens if t.is_alpha]
    return sum(w.isupper() for w in words) > 0.5 * len(words)


def _runs(tokens: list[Any], excluded: set[int], upper_doc: bool = False) -> list[tuple[int, int]]:
    """Maximal sequences of capitalised tokens, joined by name connectors."""
    runs, i, n = [], 0, len(tokens)
    while i < n:
        if i in excluded or not _capitalised(tokens[i], upper_doc):
            i += 1
            continue
        j = i + 1
        while j < n and j not in excluded:
            t = tokens[j]
            if _capitalised(t, upper_doc):
                j += 1
            elif (t.text.lower() in _CONNECTORS and j + 1 < n and j + 1 not in excluded
                  and (_capitalised(tokens[j + 1], upper_doc) or tokens[j + 1].text == "-")
                  and (t.text != "-" or not tokens[j - 1].whitespace_)):
                j += 1
            else:
                break
        while j > i + 1 and tokens[j - 1].text.lower() in _CONNECTORS:
            j -= 1
        a = i
        if (i >= 2 and tokens[i - 1].text == "-" and tokens[i - 2].text in _ARTICLES
                and not tokens[i - 2].whitespace_ and not tokens[i - 1].whitespace_
                and not {i - 2, i - 1} & excluded):
            a = i - 2  # "the town of al-Asharah": the article is part of the name
        runs.append((a, j))
        i = j
    return runs


def find(doc_text: str, spacy_doc: Any, gazetteer: Gazetteer, context: Context, *,
         exclude: tuple[tuple[int, int], ...] = ()) -> tuple[list[Found], dict[str, int]]:
    """Place names of a text, and the country codes the text itself points to (with how
    often it names each)."""
    tokens = list(spacy_doc)
    excluded = {t.i for t in tokens if any(s <= t.idx < e for s, e in exclude)}
    ent_of: dict[int, Any] = {}
    for ent in spacy_doc.ents:
        for t in range(ent.start, ent.end):
            ent_of[t] = ent
    sent_of = {}
    for si, sent in enumerate(spacy_doc.sents):
        for t in range(sent.start, sent.end):
            sent_of[t] = si

    # Wire copy in capitals has no acronyms to tell apart, and no datelines set in capitals
    # inside its body; mixed-case text does.
    upper_doc = _is_upper_doc(doc_text, tokens)
    spans: dict[tuple[int, int], str] = {}
    for a, b in _runs(tokens, excluded, upper_doc):
        for s in range(a, b):
            if tokens[s].text.lower() in _CONNECTORS and not _capitalised(tokens[s], upper_doc) and (
                    s != a or tokens[s].text not in _ARTICLES):
                continue
            for e in range(s + 1, min(b, s + _MAX_TOKENS) + 1):
                if tokens[e - 1].text.lower() in _CONNECTORS:
                    continue
                spans[(s, e)] = doc_text[tokens[s].idx : tokens[e - 1].idx + len(tokens[e - 1])]
    for ent in spacy_doc.ents:  # lower-case text (wire copy) still has the model's entities
        if ent.label_ in _GOOD_LABELS and not any(t in excluded for t in range(ent.start, ent.end)):
            s = ent.start + (1 if tokens[ent.start].text.lower() == "the" else 0)
            e = ent.end - (1 if tokens[ent.end - 1].tag_ == "POS" else 0)  # "Idlib province's"
            if e - s > 1 and doc_text[tokens[e - 1].idx].islower() and tokens[e - 1].text in context.place_nouns:
                e -= 1  # "al-Shadadi city": the noun says what the name is, it is not part of it
            if s < e:
                spans[(s, e)] = doc_text[tokens[s].idx : tokens[e - 1].idx + len(tokens[e - 1])]

    # Names written otherwise than the gazetteer spells them (spellings.py): possessives that
    # lost their apostrophe ("Syrias Hasakeh", "Aleppos countryside"), other romanisations.
    written = read_spellings(doc_text, tokens, spans, gazetteer, context, upper_doc=upper_doc)
    spans, lookups, possessors = written.spans, written.lookups, written.possessors
    doc_countries = _doc_countries(tokens, spans, lookups, ent_of, context, upper_doc=upper_doc)
    # Headlines in title case ("Bus Bombing Marks End to ...") capitalise common words.
    title_case: set[int] = set()
    for si, sent in enumerate(spacy_doc.sents):
        words = [t for t in sent if t.is_alpha and len(t) > 3]
        if len(words) >= 4 and sum(t.text[:1].isupper() for t in words) > 0.7 * len(words):
            title_case.add(si)
    common = _common_words(tokens, upper_doc)
    found: list[Found] = []
    for (s, e), text in spans.items():
        cands = lookups[text]
        ent = ent_of.get(s)
        label = ent.label_ if ent is not None and ent.start == s else (ent.label_ if ent is not None else "")
        # A name the gazetteer lacks counts when the tagger calls all of it a place, or a
        # settlement noun does ("Khrab al-Shahm town"): unlocated.py places it in its area.
        settlement = None if cands else settlement_of(tokens, s, e, context, upper_doc=upper_doc)
        if not cands and not settlement and (label not in ("GPE", "LOC") or ent.start != s or ent.end != e):
            continue
        f = Found(tokens[s].idx, tokens[e - 1].idx + len(tokens[e - 1]), s, e, text, cands, 0.0,
                  label=label, sentence=sent_of.get(s, 0))
        f.headline = not upper_doc and f.sentence in title_case
        f.in_capitals = upper_doc
        _score(f, tokens, context, doc_countries, upper_doc=upper_doc, title_case=f.headline, common=common)
        if settlement and f.score > -2:  # "the village of X": whatever the tagger thought X was
            f.settlement = settlement
            f.score = max(f.score, ACCEPT + 1)
            f.reasons.append(f"named a {settlement}")
        owner = next((o for o in (s - 1, s - 2) if o in possessors
                      and all(tokens[k].pos_ == "ADJ" for k in range(o + 1, s))), None)
        if owner is not None and f.score > -5:
            # "in Syrias Kobani", "in Aleppos southern Hamdaniya": a name after a possessive
            # that lost its apostrophe is a place in that country or province.
            f.score += 3
            f.reasons.append(f"after '{tokens[owner].text}'")
            f.cue_country = f.owner_country = possessors[owner]
        found.append(f)
    _coordination(found, tokens)
    chosen = _select(found, upper_doc=upper_doc)
    mark_longer_names(chosen, tokens, context, upper_doc, ent_of)
    # "the Fateh al-Sham Front", "Ahrar al-Sham Movement": a name inside a body's name is none
    chosen = [f for f in chosen if upper_doc or not f.longer or not _names_a_body(f, tokens, context)]
    containers(chosen, tokens, context)
    return sorted(chosen + _demonyms(tokens, chosen, excluded, context, upper_doc=upper_doc), key=lambda f: f.start), doc_countries


def _demonyms(tokens: list[Any], chosen: list[Found], excluded: set[int], ctx: Context, *,
              upper_doc: bool = False) -> list[Found]:
    """"Syrian", "European": adjectives that refer to a country or region (gold geoparsing
    sets count them as toponyms); the event-place logic ignores them (relation "demonym")."""
    taken = {t for f in chosen for t in range(f.tok_start, f.tok_end)}
    out: list[Found] = []
    i = 0
    while i < len(tokens):
        hit = None
        for n in (2, 1):  # "North American" before "American"
            span = tokens[i : i + n]
            # In capitals every word may be one; in mixed case only capitalised ones.
            if len(span) < n or any(t.i in taken or t.i in excluded
                                    or not (t.is_alpha if upper_doc else t.text[:1].isupper()) for t in span):
                continue
            key = fold(" ".join(t.text for t in span))
            code = ctx.regional_demonyms.get(key) or ctx.demonyms.get(key)
            if code is None and n == 1 and key.endswith("s"):  # "Russians"
                code = ctx.regional_demonyms.get(key[:-1]) or ctx.demonyms.get(key[:-1])
            if code:
                hit = (n, code)
                break
        if hit is None:
            i += 1
            continue
        n, code = hit
        first, last = tokens[i], tokens[i + n - 1]
        out.append(Found(first.idx, last.idx + len(last), i, i + n, " ".join(t.text for t in tokens[i : i + n]),
                         (), ACCEPT, reasons=["demonym"], demonym=code))
        i += n
    return out


_OPENERS = frozenset({'"', "“", "'", "‘", "(", "[", ":", "-", "—", "–"})
_WORD_TAGS = frozenset({"NOUN", "ADJ", "ADV", "VERB", "AUX", "ADP", "DET", "PRON", "NUM", "SCONJ", "CCONJ"})


def _starts(t: Any, upper_doc: bool) -> bool:
    """Does the token open a sentence, a line of wire copy or a quote, where a common word
    is capitalised too? (In capitals, the parse capitalises only such starts.)"""
    if upper_doc:
        return t.text[:1].isupper()
    if t.i == 0 or t.is_sent_start:
        return True
    prev = t.doc[t.i - 1]
    return prev.text in _OPENERS or prev.is_space


def _common_words(tokens: list[Any], upper_doc: bool) -> set[str]:
    """Words the text itself uses as common words: in lower case (mixed-case text), or tagged
    as a common word away from a sentence start (text in capitals)."""
    out = set()
    for t in tokens:
        if not t.is_alpha or _starts(t, upper_doc):
            continue
        if (t.pos_ in _WORD_TAGS) if upper_doc else t.text.islower():
            out.add(fold(t.text))
    return out


def _doc_countries(tokens, spans, lookups, ent_of, context: Context, *, upper_doc: bool = False) -> dict[str, int]:
    """Country code -> how often the text names the country or uses its demonym."""
    codes: dict[str, int] = {}
    for t in tokens:
        if (upper_doc or t.text[:1].isupper()) and (cc := context.demonym(t.text)):
            codes[cc] = codes.get(cc, 0) + 1
    for (s, e), text in spans.items():
        for c in lookups[text]:
            if c.place.feature == "country" and not c.via_base and fold(text) not in context.stopwords:
                if len(lookups[text]) == 1 or (ent_of.get(s) is not None and ent_of[s].label_ == "GPE"):
                    codes[c.place.country_code] = codes.get(c.place.country_code, 0) + 1
    return codes


def _names_a_body(f: Found, tokens: list[Any], ctx: Context) -> bool:
    """Is the longer name ``f`` is part of followed by an armed body's word ("Front", "Movement")?"""
    text = tokens[0].doc.text
    start = text.rfind(f.longer, 0, f.end + len(f.longer))
    if start < 0:
        return False
    end = start + len(f.longer)
    nxt = next((t for t in tokens[f.tok_end:f.tok_end + 8] if t.idx >= end and not t.is_space), None)
    return nxt is not None and nxt.text.lower() in ctx.body_after


def _score(f: Found, tokens: list[Any], ctx: Context, doc_countries: dict[str, int], *, upper_doc: bool = False,
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
        f.score = -9
        add(f"title '{before[0]}' before: a person")
        return
    if after and after[0] in ctx.org_after and not any(c.place.feature == "country" for c in f.candidates):
        score -= 2
        add(f"'{after[0]}' after: an organisation or street")
    if f.label in _GOOD_LABELS:
        score += 2
        add(f"NER {f.label}")
    elif upper_doc:
        # In capitals every surname and common noun looks like a name ("PEREZ", "SUMMIT"):
        # without the tagger's place label, a namesake needs context to count.
        score -= 1
        add("capitals, no place label")
        if s > 0 and tokens[s - 1].pos_ == "PROPN" and tokens[s - 1].text.lower() not in _CONNECTORS:
            # "JUDGE CARLOS RIVERA": the tail of a longer name is a surname, not a town.
            score -= 1.5
            add("the name starts before")
    elif f.label == "PERSON":
        score -= 2
        add("NER PERSON")
    elif f.label in _BAD_LABELS:
        # The small model calls some towns dates ("Qalamoun"): only strong context overrides.
        score -= 3
        add(f"NER {f.label}")
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
    if (e - s == 1 and f.label not in ("GPE", "LOC") and _starts(tokens[s], upper_doc)
            and (tokens[s].pos_ in _WORD_TAGS or key in common)):
        # '"Mobile and wireless signals are down"', "AREA", "FIRST, ...": a common word
        # capitalised for opening a sentence, a line or a quote is no town.
        score -= 3
        f.common = True
        add("a common word opening a sentence")
    elif tokens[s].is_sent_start and e - s == 1 and f.label not in _GOOD_LABELS:
        score -= 1
        add("sentence-initial")
    known_by_size_only = not (feats & {"country", "admin1", "admin2", "continent"}
                              or any(c.extra for c in f.candidates))
    known = pop >= 50_000 or not known_by_size_only
    if title_case and f.candidates and not known:
        # A capitalised word in a headline is weak evidence: a small namesake needs context.
        score -= 2
        add("title-case headline")
    elif (not title_case and e < len(tokens) and _capitalised(tokens[e], upper_doc)
          and not tokens[e].is_sent_start and tokens[e].text.lower() not in ctx.region_after
          and not ctx.demonym(tokens[e].text)
          and (not known or (pop < 100_000 and known_by_size_only))):
        # "Khan Shaikhoun", "Tall Tawil": the name goes on, so a town named like its first
        # word is probably not meant, unless it is a city (100,000 people or more).
        score -= 1.5
        add("the name goes on")
    f.score = score
    f.dateline = _is_dateline(f, tokens, ctx, upper_doc=upper_doc)
    if f.dateline:
        add("a dateline")


def _is_dateline(f: Found, tokens: list[Any], ctx: Context, *, upper_doc: bool) -> bool:
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


def _coordination(found: list[Found], tokens: list[Any]) -> None:
    """"Qalamoun and Arsal": a name listed with a well-attested place borrows some of its credit."""
    by_start = {f.tok_start: f for f in found}
    by_end = {f.tok_end: f for f in found}
    for f in found:
        for other in (by_end.get(f.tok_start - 1), by_start.get(f.tok_end + 1)):
            if other is None or other is f:
                continue
            link = tokens[f.tok_start - 1] if other.tok_end == f.tok_start - 1 else tokens[f.tok_end]
            if link.text.lower() in ("and", "or", ",", "&") and other.score >= ACCEPT + 1 and f.score > -2:
                f.score += 1.5
                f.reasons.append(f"listed with {other.text}")
                break


def _select(found: list[Found], *, upper_doc: bool = False) -> list[Found]:
    """Accepted names; overlapping ones resolved longest-first; one sense per discourse."""
    best_by_key: dict[str, float] = {}
    for f in found:
        k = fold(f.text)
        best_by_key[k] = max(best_by_key.get(k, -99), f.score)
    for f in found:
        k = fold(f.text)
        if f.score > -5 and not f.common and f.score < ACCEPT <= best_by_key[k] - 0.5 and best_by_key[k] >= ACCEPT + 0.5:
            f.reasons.append("accepted elsewhere in the article")
            f.score = ACCEPT
    # "Homs province" unknown as a whole is the province Homs ("Homs" + its province word).
    covered = {(f.tok_start, f.kind_end) for f in found if f.kind_end and f.candidates}
    found = [f for f in found if f.candidates or (f.tok_start, f.tok_end) not in covered]
    # "Killed in Idleb Strikes": in a headline an unknown longer span does not hide a known name.
    known = [f for f in found if f.candidates and f.score >= ACCEPT]
    found = [f for f in found if f.candidates or not f.headline
             or not any(f.tok_start <= k.tok_start and k.tok_end <= f.tok_end for k in known)]
    # "a town in Idlib Syria": copy without commas runs a name into its country; an unknown
    # span that is a known name followed by a country is the two of them. (Wire copy in
    # capitals keeps its commas, and the model's spans there are less reliable.)
    known_spans = {(k.tok_start, k.tok_end) for k in known}
    country_ends = set() if upper_doc else {
        (k.tok_start, k.tok_end) for k in known if any(c.place.feature == "country" for c in k.candidates)}
    found = [f for f in found if f.candidates or not country_ends or not any(
        (f.tok_start, m) in known_spans and (m, f.tok_end) in country_ends
        for m in range(f.tok_start + 1, f.tok_end))]
    chosen: list[Found] = []
    taken: set[int] = set()
    for f in sorted(found, key=lambda f: (-(f.tok_end - f.tok_start), -f.score, f.tok_start)):
        if f.score < ACCEPT or any(t in taken for t in range(f.tok_start, f.tok_end)):
            continue
        chosen.append(f)
        taken.update(range(f.tok_start, f.tok_end))
    return sorted(chosen, key=lambda f: f.start)
