"""Finding place names: capitalised spans and NER entities, matched to the gazetteer and
confirmed or rejected by their context (spaCy's small model often calls towns PERSON/ORG)."""

from __future__ import annotations

from typing import Any

from .context import Context
from .descriptions import LIST_LINKS, containers, list_mates
from .evidence import CONNECTORS, GOOD_LABELS, WORD_TAGS, capitalised, opens_text, score_name
from .found import ACCEPT, Found
from .gazetteer import Gazetteer
from .longer_names import mark_longer_names
from .normalise import fold
from .spellings import read_spellings
from .unlocated import settlement_of

# Arabic articles written in lower case before a capitalised name ("al-Asharah", "el-Arish").
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ez", "ed", "es", "ul"})
_MAX_TOKENS = 6


def _is_upper_doc(doc_text: str, tokens: list[Any]) -> bool:
    """Wire copy in capitals ("SAN SALVADOR, 3 JAN 90 --"), judged on the text as written:
    spaCy may have seen it lower-cased."""
    words = [doc_text[t.idx : t.idx + len(t)] for t in tokens if t.is_alpha]
    return sum(w.isupper() for w in words) > 0.5 * len(words)


def _runs(tokens: list[Any], excluded: set[int], upper_doc: bool = False) -> list[tuple[int, int]]:
    """Maximal sequences of capitalised tokens, joined by name connectors."""
    runs, i, n = [], 0, len(tokens)
    while i < n:
        if i in excluded or not capitalised(tokens[i], upper_doc):
            i += 1
            continue
        j = i + 1
        while j < n and j not in excluded:
            t = tokens[j]
            if capitalised(t, upper_doc):
                j += 1
            elif (t.text.lower() in CONNECTORS and j + 1 < n and j + 1 not in excluded
                  and (capitalised(tokens[j + 1], upper_doc) or tokens[j + 1].text == "-")
                  and (t.text != "-" or not tokens[j - 1].whitespace_)):
                j += 1
            else:
                break
        while j > i + 1 and tokens[j - 1].text.lower() in CONNECTORS:
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
            if tokens[s].text.lower() in CONNECTORS and not capitalised(tokens[s], upper_doc) and (
                    s != a or tokens[s].text not in _ARTICLES):
                continue
            for e in range(s + 1, min(b, s + _MAX_TOKENS) + 1):
                if tokens[e - 1].text.lower() in CONNECTORS:
                    continue
                spans[(s, e)] = doc_text[tokens[s].idx : tokens[e - 1].idx + len(tokens[e - 1])]
    for ent in spacy_doc.ents:  # lower-case text (wire copy) still has the model's entities
        if ent.label_ in GOOD_LABELS and not any(t in excluded for t in range(ent.start, ent.end)):
            s = ent.start + (1 if tokens[ent.start].text.lower() == "the" else 0)
            e = ent.end - (1 if tokens[ent.end - 1].tag_ == "POS" else 0)  # "Idlib province's"
            if e - s > 1 and doc_text[tokens[e - 1].idx].islower() and tokens[e - 1].text in context.place_nouns:
                e -= 1  # "al-Shadadi city": the noun says what the name is, it is not part of it
            elif e - s > 1 and tokens[e - 1].text in context.name_qualifiers:
                e -= 1  # "Atarib west of Aleppo": a lower-case direction from the name is not in it
            if s < e:
                spans[(s, e)] = doc_text[tokens[s].idx : tokens[e - 1].idx + len(tokens[e - 1])]

    # Names written otherwise than the gazetteer spells them (spellings.py): possessives that
    # lost their apostrophe ("Syrias Hasakeh", "Aleppos countryside"), other romanisations.
    written = read_spellings(doc_text, tokens, spans, gazetteer, context, upper_doc=upper_doc)
    spans, lookups, possessors = written.spans, written.lookups, dict(written.possessors)
    # "in Idlib provinces Maaret al-Numan": a province's possessive that lost its apostrophe
    # ("Idlib province's") before a name also says where the name lies.
    for (s, e), text in spans.items():
        if (e + 1 < len(tokens) and tokens[e].lower_ in ("provinces", "governorates")
                and tokens[e + 1].text[:1].isupper() and not upper_doc):
            province = next((c.place.country_code for c in lookups.get(text, ())
                             if c.place.feature == "admin1" and not c.via_base), None)
            if province:
                possessors[e] = province
    doc_countries = _doc_countries(tokens, spans, lookups, ent_of, context, upper_doc=upper_doc)
    # Headlines in title case ("Bus Bombing Marks End to ...") capitalise common words.
    title_case: set[int] = set()
    for si, sent in enumerate(spacy_doc.sents):
        words = [t for t in sent if t.is_alpha and len(t) > 3]
        if len(words) >= 4 and sum(t.text[:1].isupper() for t in words) > 0.7 * len(words):
            title_case.add(si)
    common = _common_words(tokens, upper_doc)
    texts_at: dict[int, list[str]] = {}  # token -> the spans starting there (for _qualifies_a_town)
    for (a, _), text in spans.items():
        texts_at.setdefault(a, []).append(text)
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
        if tokens[s].lower_ in context.name_qualifiers and not settlement and _qualifies_a_town(
                s, e, texts_at, lookups, cands):
            continue  # "in Eastern Aleppo": a part of Aleppo; not "Central America", "North America"
        f = Found(tokens[s].idx, tokens[e - 1].idx + len(tokens[e - 1]), s, e, text, cands, 0.0,
                  label=label, sentence=sent_of.get(s, 0))
        f.headline = not upper_doc and f.sentence in title_case
        f.common_words = all(fold(t.text) in common for t in tokens[s:e] if t.is_alpha)
        f.in_capitals = upper_doc
        score_name(f, tokens, context, doc_countries, upper_doc=upper_doc, title_case=f.headline, common=common)
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
    # "near the city of Deir al-Zor Syrias SANA news agency": an unknown span that is a known
    # name run on into a country's possessive is that name
    cut_known = {(f.tok_start, f.tok_end) for f in found if f.candidates}
    found = [f for f in found if f.candidates or not (
        f.tok_end - 1 in possessors and (f.tok_start, f.tok_end - 1) in cut_known)]
    _coordination(found, tokens)
    _in_named_province(found, tokens, context)
    _surnames(found, spacy_doc, tokens, context)
    chosen = [f for f in _select(found, upper_doc=upper_doc) if not _after_group_word(f, tokens, context)]
    chosen += _modifiers(found, chosen, upper_doc=upper_doc)
    mark_longer_names(chosen, tokens, context, upper_doc, ent_of)
    # "the Fateh al-Sham Front", "Ahrar al-Sham Movement": a name inside a body's name is none
    parsed_text = spacy_doc.text if any(f.longer for f in chosen) else ""  # (rebuilt per call: once)
    first_at: dict[str, int] = {}
    chosen = [f for f in chosen if upper_doc or not f.longer
              or not _names_a_body(f, tokens, context, parsed_text, first_at)]
    containers(chosen, tokens, context)
    list_mates(chosen, tokens)
    return sorted(chosen + _demonyms(tokens, chosen, excluded, context, upper_doc=upper_doc), key=lambda f: f.start), doc_countries


def _surnames(found: list[Found], spacy_doc: Any, tokens: list[Any], ctx: Context) -> None:
    """"Accused bomber Ahmad Khan Rahimi ... a bomb planted by Rahimi": a one-word name that
    ends a person's full name elsewhere in the report is that person, unless it is a country,
    a province or a city of 100,000, or follows a place's preposition ("in Rahimi")."""
    full_names: dict[str, list[range]] = {}  # surname -> the token ranges of the full names
    for ent in spacy_doc.ents:
        if ent.label_ == "PERSON" and len(ent) >= 2 and all(t.text[:1].isupper() for t in ent):
            full_names.setdefault(fold(ent[-1].text), []).append(range(ent.start, ent.end))
    if not full_names:
        return
    for f in found:
        if f.tok_end - f.tok_start != 1 or f.score <= -9:
            continue
        # the full name must be written elsewhere: a tagger's "Syrias Kobani" is no person
        if not any(f.tok_start not in r for r in full_names.get(fold(f.text), ())):
            continue
        if f.tok_start > 0 and tokens[f.tok_start - 1].lower_ in ctx.prepositions:
            continue
        if any(c.place.feature in ("country", "admin1") or c.place.population >= 100_000
               for c in f.candidates if not c.via_base):
            continue
        f.score = -9
        f.person = True
        f.reasons.append("the last name of a person the report names")


def _after_group_word(f: Found, tokens: list[Any], ctx: Context) -> bool:
    """"Faylaq Al Sham", "Liwa al-Quds", "Jaysh Idlib": a name after a capitalised word that
    opens an armed group's name in Arabic (``ctx.body_before``), an "al" between or not, is
    part of the group's name."""
    i = f.tok_start - 1
    while i >= 0 and tokens[i].lower_ in ("al", "el", "-", "al-", "el-"):
        i -= 1
    if i < 0 or i < f.tok_start - 3:
        return False
    word = tokens[i].text
    return word[:1].isupper() and word.lower().rstrip("-") in ctx.body_before


def _modifiers(found: list[Found], chosen: list[Found], *, upper_doc: bool) -> list[Found]:
    """Names kept out as places that still name one as a body's or a group's ("Saskatoon
    police", "EU leaders", "Seattle Fire"): a country, a province or a city of 100,000, not a
    person's name, overlapping no accepted name. They are metonyms: never an event's place,
    but the place a reader (and a geoparsing gold set) would mark."""
    if upper_doc:
        return []
    taken = {t for f in chosen for t in range(f.tok_start, f.tok_end)}
    out: list[Found] = []
    for f in sorted(found, key=lambda f: (-(f.tok_end - f.tok_start), -f.score)):
        if (f.score >= ACCEPT or f.score <= _MODIFIER_FLOOR or f.person or f.common or f.common_word
                or f.label == "PERSON" or any(t in taken for t in range(f.tok_start, f.tok_end))):
            continue
        # Only a namesake bearing the name as written ("White House" is no alternate name of a
        # town in Maryland), and big or known enough to be what a reader means.
        strong = tuple(c for c in f.candidates if not c.via_base and (
            c.place.feature in ("country", "admin1") or c.extra
            or (c.place.population >= 100_000 and fold(c.place.name) == fold(f.text))))
        if not strong:
            continue
        f.candidates = strong
        f.modifier = True
        f.reasons.append("names a body by its place: a metonym")
        out.append(f)
        taken.update(range(f.tok_start, f.tok_end))
    return out


_MODIFIER_FLOOR = -3.0  # below this the evidence says the name is no place at all


_LOCATING_WORDS = frozenset({",", "which", "that", "lies", "lie", "is", "located", "situated"})


def _in_named_province(found: list[Found], tokens: list[Any], ctx: Context) -> None:
    """"the strikes on Al-Mayadin in the eastern province of Deir Ezzor", "Hadar village in
    Quneitra province", "Al-Bab, which lies in the northern province of Aleppo": a name the text says lies in a province it names, with a namesake in
    that province, is a place, whatever the tagger thought."""
    by_start = {f.tok_start: f for f in found if f.score >= ACCEPT}
    for f in found:
        if f.score >= ACCEPT or not f.candidates:
            continue
        j = f.tok_end
        while j < len(tokens) and j - f.tok_end < 2 and tokens[j].lower_ in ctx.place_nouns:
            j += 1  # "Hadar village in ..."
        k = j
        while k < len(tokens) and k - j < 3 and tokens[k].lower_ in _LOCATING_WORDS:
            k += 1  # "Al-Bab, which lies in ...", "a town located in ..."
        j = k if k < len(tokens) and tokens[k].lower_ == "in" else j
        if j >= len(tokens) or tokens[j].lower_ != "in":
            continue
        j += 1
        while j < len(tokens) and (tokens[j].lower_ == "the" or tokens[j].lower_ in ctx.name_qualifiers):
            j += 1
        if j + 1 < len(tokens) and tokens[j].lower_ in ctx.admin_of and tokens[j + 1].lower_ == "of":
            j += 2  # "the eastern province of Deir Ezzor"
        g = by_start.get(j)
        if g is None or not g.admin_word:
            continue
        provinces = {(c.place.country_code, c.place.admin1) for c in g.candidates if c.place.feature == "admin1"}
        if any((c.place.country_code, c.place.admin1) in provinces for c in f.candidates):
            f.score = max(f.score, ACCEPT + 1)
            f.reasons.append(f"said to lie in {g.text}, where a namesake lies")


def _qualifies_a_town(s: int, e: int, texts_at: dict[int, list[str]], lookups: dict, cands) -> bool:
    """Is tokens[s] a compass word before a known place that is no country ("Eastern Aleppo"),
    and tokens[s:e] the word alone or a longer name the gazetteer lacks? ``texts_at``: the
    candidate spans' texts by first token."""
    if e - s > 1 and cands:
        return False
    rest = [lookups.get(text) for text in texts_at.get(s + 1, ())]
    return any(r and not any(c.place.feature in ("country", "continent") for c in r) for r in rest)


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


def _common_words(tokens: list[Any], upper_doc: bool) -> set[str]:
    """Words the text itself uses as common words: in lower case (mixed-case text), or tagged
    as a common word away from a sentence start (text in capitals)."""
    out = set()
    for t in tokens:
        if not t.is_alpha or opens_text(t, upper_doc):
            continue
        if (t.pos_ in WORD_TAGS) if upper_doc else t.text.islower():
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


def _names_a_body(f: Found, tokens: list[Any], ctx: Context, text: str, first_at: dict[str, int]) -> bool:
    """Is the longer name ``f`` is part of followed by an armed body's word ("Front", "Movement")?
    ``text``: the parsed text (the Doc's); ``first_at``: where each longer name is first written,
    filled as needed."""
    # The last time the longer name is written, ending by the end of ``f``'s: looked for near
    # ``f``, where it mostly is; further back ("Qahira" marked with an earlier "Qahira Hotel")
    # any earlier time ends before ``f`` and so does as well, and the first is found once.
    near = max(0, f.start - len(f.longer))
    start = text.rfind(f.longer, near, f.end + len(f.longer))
    if start < 0:
        if f.longer not in first_at:
            first_at[f.longer] = text.find(f.longer)
        start = first_at[f.longer] if 0 <= first_at[f.longer] < near else -1
    if start < 0:
        return False
    end = start + len(f.longer)
    nxt = next((t for t in tokens[f.tok_end:f.tok_end + 8] if t.idx >= end and not t.is_space), None)
    return nxt is not None and nxt.text.lower() in ctx.body_after


def _coordination(found: list[Found], tokens: list[Any]) -> None:
    """"Qalamoun and Arsal": a name listed with a well-attested place borrows some of its credit."""
    by_start = {f.tok_start: f for f in found}
    by_end = {f.tok_end: f for f in found}
    for f in found:
        for other in (by_end.get(f.tok_start - 1), by_start.get(f.tok_end + 1)):
            if other is None or other is f:
                continue
            link = tokens[f.tok_start - 1] if other.tok_end == f.tok_start - 1 else tokens[f.tok_end]
            if link.text.lower() in LIST_LINKS and other.score >= ACCEPT + 1 and f.score > -2:
                f.score += 1.5
                f.reasons.append(f"listed with {other.text}")
                break


def _select(found: list[Found], *, upper_doc: bool = False) -> list[Found]:
    """Accepted names; overlapping ones resolved longest-first; one sense per discourse."""
    # "Attorney General Mauricio Colorado ... Colorado said": one person all through the report.
    persons = {fold(f.text) for f in found if f.person}
    for f in found:
        if f.score > -9 and fold(f.text) in persons and not any(
                c.place.feature == "country" for c in f.candidates):
            f.score = -9
            f.reasons.append("a titled person's name elsewhere in the report")
    best_by_key: dict[str, float] = {}
    for f in found:
        k = fold(f.text)
        best_by_key[k] = max(best_by_key.get(k, -99), f.score)
    for f in found:
        k = fold(f.text)
        if f.score > -5 and not f.common and f.score < ACCEPT <= best_by_key[k] - 0.5 and best_by_key[k] >= ACCEPT + 0.5:
            f.reasons.append("accepted elsewhere in the article")
            f.score = ACCEPT
    # "Homs province" unknown as a whole is the province Homs ("Homs" + its province word);
    # "SOYAPANGO CITY" unknown as a whole is the city Soyapango, which a settlement word after it
    # confirms (wire copy in capitals keeps the word inside the tagger's name).
    covered = {(f.tok_start, f.kind_end) for f in found if f.kind_end and f.candidates}
    settled = {(f.tok_start, f.tok_end + 1): f for f in found
               if f.candidates and not f.kind_end and f.noun_after}
    for f in found:
        if not f.candidates and (f.tok_start, f.tok_end) in settled:
            settled[(f.tok_start, f.tok_end)].kind_end = f.tok_end  # the name covers its word
    covered |= set(settled)
    found = [f for f in found if f.candidates or (f.tok_start, f.tok_end) not in covered]
    # "Killed in Idleb Strikes": in a headline an unknown longer span does not hide a known name.
    known = [f for f in found if f.candidates and f.score >= ACCEPT]
    # (by first token, the shortest known name starting there: a test per token of the span,
    # not per known name of the text)
    shortest: dict[int, int] = {}
    for k in known:
        shortest[k.tok_start] = min(shortest.get(k.tok_start, k.tok_end), k.tok_end)
    found = [f for f in found if f.candidates or not f.headline
             or not any(shortest.get(t, f.tok_end + 1) <= f.tok_end for t in range(f.tok_start, f.tok_end + 1))]
    # "a town in Idlib Syria", "chlorine in Saraqeb Idlib province": copy without commas runs a
    # name into its country or province; an unknown span that is a known name followed by a
    # country or a province is the two of them. (Wire copy in capitals keeps its commas, and
    # the model's spans there are less reliable.)
    known_spans = {(k.tok_start, k.tok_end) for k in known}
    area_ends = set() if upper_doc else {
        (k.tok_start, k.tok_end) for k in known
        if any(c.place.feature in ("country", "admin1") for c in k.candidates)}
    found = [f for f in found if f.candidates or not area_ends or not any(
        (f.tok_start, m) in known_spans and (m, f.tok_end) in area_ends
        for m in range(f.tok_start + 1, f.tok_end))]
    chosen: list[Found] = []
    taken: set[int] = set()
    for f in sorted(found, key=lambda f: (-(max(f.tok_end, f.kind_end) - f.tok_start), -f.score, f.tok_start)):
        if f.score < ACCEPT or any(t in taken for t in range(f.tok_start, f.tok_end)):
            continue
        chosen.append(f)
        taken.update(range(f.tok_start, max(f.tok_end, f.kind_end)))
    return sorted(chosen, key=lambda f: f.start)
