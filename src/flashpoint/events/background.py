"""News or background: does a sentence report something that happened in the news window?

The codebook codes only what an article reports as happening now. History ("since 2013"),
habitual or generic statements ("continues to operate"), plans and threats, analysis and
opinion ("analysts suggest", "the strike signals a shift"), statements about events (denials,
condemnations, claims of responsibility) and hypotheticals are not events. The cues live in
``data/cues.toml``; most count only when they govern the sentence's main clause, so a news
sentence with a subordinate aside ("for the first time since the fall of ...", "killing
five, marking the deadliest attack this year") stays news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datafiles import read_toml
from .phrases import PhraseSet, expand_phrases, sentence_tokens

# The reason given for a statement about an event (a denial, condemnation, accusation): not a
# report of it, but a sign that the article concerns a recent incident (events/assemble.py).
STATEMENT = "statement about an event"
# The reason given for a sentence that tells a state of the war ("rebels are battling to push
# back the army"): it founds no event, but unlike a trend or a recalled event it makes no
# later "the attack" old (events/assemble.py).
STATE = "a current state, not one incident"

# Dependency labels through which an adverbial still modifies the main clause.
_MODIFIER_PATH = {
    "prep", "pobj", "advmod", "npadvmod", "pcomp", "nummod", "amod", "det", "compound",
    "quantmod", "nmod", "appos", "punct", "poss", "case", "cc", "conj", "dobj", "agent",
}
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_SUBJECTS = (*_SUBJECT_DEPS, "expl")  # with "there" of "there were clashes"
_AUX = ("aux", "auxpass")
# Where a statement's object sits below its verb: "condemned the arrest", "called for a strike".
_OBJECT_DEPS = ("dobj", "pobj", "prep", "prt", "dative")
# Clauses that describe a noun inside a statement's object ("X, who has spent a week ...").
_CLAUSE_DEPS = ("relcl", "acl")


@dataclass(frozen=True)
class BackgroundRules:
    version: str
    history: tuple[re.Pattern[str], ...]
    history_anywhere: tuple[re.Pattern[str], ...]
    history_exempt: PhraseSet
    habitual: frozenset[str]
    habitual_determiners: frozenset[str]
    generic_verbs: frozenset[str]
    generic_adjectives: frozenset[str]
    future_aux: frozenset[str]
    plan_verbs: frozenset[str]
    analysis_verbs: frozenset[str]
    significance_verbs: frozenset[str]
    analysis_frames: frozenset[tuple[str, str]]
    opinion_adjectives: frozenset[str]
    analysis_subjects: PhraseSet
    source_subjects: PhraseSet
    actor_subjects: PhraseSet
    actor_entities: frozenset[str]
    statements: PhraseSet
    statement_exempt: PhraseSet
    current_state_verbs: frozenset[str]
    current_state_modifiers: frozenset[str]
    current_tense_tags: frozenset[str]
    hypothetical: frozenset[str]
    hypothetical_inversion: frozenset[str]
    reporting_verbs: frozenset[str]
    state_after_sentence: int = 2
    captions: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def load(cls, path: Path | None = None) -> BackgroundRules:
        data = read_toml(path, "cues.toml")
        bg = data["background"]

        def regexes(key: str) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(rx, re.IGNORECASE) for rx in bg.get(key, ()))

        frames = frozenset(tuple(f.lower().split()) for f in bg.get("analysis_frames", ()))
        if any(len(f) != 2 for f in frames):
            raise ValueError("cues.toml: analysis_frames entries are 'verb preposition' pairs")
        return cls(
            version=str(data.get("version", "")),
            history=regexes("history_regex"),
            history_anywhere=regexes("history_anywhere_regex"),
            history_exempt=expand_phrases(bg["history_exempt"], {}),
            habitual=frozenset(bg["habitual"]),
            habitual_determiners=frozenset(bg.get("habitual_determiners", ())),
            generic_verbs=frozenset(bg.get("generic_verbs", ())),
            generic_adjectives=frozenset(bg.get("generic_adjectives", ())),
            future_aux=frozenset(bg["future_aux"]),
            plan_verbs=frozenset(bg["plan_verbs"]),
            analysis_verbs=frozenset(bg["analysis_verbs"]),
            significance_verbs=frozenset(bg.get("significance_verbs", ())),
            analysis_frames=frames,  # type: ignore[arg-type]
            opinion_adjectives=frozenset(bg.get("opinion_adjectives", ())),
            analysis_subjects=expand_phrases(bg["analysis_subjects"], {}),
            source_subjects=expand_phrases(bg["source_subjects"], {}),
            actor_subjects=expand_phrases(bg.get("actor_subjects", ()), {}),
            actor_entities=frozenset(bg.get("actor_entities", ())),
            statements=expand_phrases(bg["statement_verbs"], {}),
            statement_exempt=expand_phrases(bg.get("statement_exempt", ()), {}),
            current_state_verbs=frozenset(bg.get("current_state_verbs", ())),
            current_state_modifiers=frozenset(bg.get("current_state_modifiers", ())),
            current_tense_tags=frozenset(bg.get("current_tense_tags", ())),
            hypothetical=frozenset(bg["hypothetical"]),
            hypothetical_inversion=frozenset(bg.get("hypothetical_inversion", ())),
            reporting_verbs=frozenset(bg["reporting_verbs"]),
            state_after_sentence=int(bg.get("state_after_sentence", 2)),
            captions=regexes("caption_regex"),
        )


def _is_predicate(verb: Any) -> bool:
    """False for a participle the parser made a main verb: without an auxiliary it has no
    subject of its own, or follows the noun it modifies ("... arrest demonstrators calling for
    the mission's departure": the protesters' demand, not a statement by the main clause)."""
    if verb.tag_ not in ("VBG", "VBN") or any(c.dep_ in _AUX for c in verb.children):
        return True
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    if not subjects:
        return False
    prev = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
    return not (prev is not None and prev.pos_ in ("NOUN", "PROPN") and prev not in subjects)


def _main_verbs(sent: Any, reporting: frozenset[str]) -> list[Any]:
    """The root and the verbs coordinated with it: the sentence's main predicates."""
    root = sent.root
    mains = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    if root.lemma_.lower() in reporting:
        # "X claimed responsibility ..., the agency said": what was said is the main clause
        mains += [c for c in root.children if c.dep_ == "ccomp"]
    return [v for v in mains if _is_predicate(v)]


def _modifies_main_clause(tok: Any, root: Any) -> bool:
    cur = tok
    if cur.dep_ == "mark" and cur.head.dep_ == "advcl":
        cur = cur.head.head  # "killed since the war began": the clause "since" opens is the adverbial
    for _ in range(15):
        if cur.i == root.i:
            return True
        if cur.dep_ not in _MODIFIER_PATH:
            return False
        cur = cur.head
    return False


def _token_at(sent: Any, char: int) -> Any:
    for tok in sent:
        if tok.idx <= char < tok.idx + len(tok):
            return tok
    return sent.root


def _subject_heads(verb: Any) -> list[Any]:
    """The verb's subjects, a coordinated verb's taken from the first ("footage posted ...
    and showed"); "thousands of demonstrators" counts as "demonstrators" too."""
    heads = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    if not heads and verb.dep_ == "conj":
        heads = [c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS]
    for h in list(heads):
        if h.tag_ in ("CD", "DT") or h.ent_type_ == "CARDINAL":
            heads += [g for p in h.children if p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]
    return heads


def _subject_ids(verb: Any) -> frozenset[int]:
    """The subject's head noun with its compounds ("local sources", not what they are about)."""
    ids: set[int] = set()
    for h in _subject_heads(verb):
        ids |= {h.i} | {t.i for t in h.children if t.dep_ in ("compound", "amod", "poss")}
    return frozenset(ids)


def _acts(verb: Any, toks: list, rules: BackgroundRules) -> bool:
    """Is the subject a person or group? Then "mark", "demonstrate", "signal" are what they
    did ("protesters marked the anniversary"), not analysis ("the move marks a shift").
    Active subjects only: "thousands are expected to leave" is still a forecast."""
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return False
    return any(h.ent_type_ in rules.actor_entities or rules.actor_subjects.any_in(toks, frozenset({h.i}))
               for h in _subject_heads(verb))


def _is_current(verb: Any, rules: BackgroundRules) -> bool:
    """Present or present perfect: "who has spent", "who remains", "who is being held"."""
    return verb.tag_ in rules.current_tense_tags or any(
        c.dep_ in _AUX and c.tag_ in rules.current_tense_tags for c in verb.children
    )


def _reports_current_state(verb: Any, rules: BackgroundRules) -> bool:
    """Does the statement's object report a situation that still holds?

    "Rights groups condemned the house arrest of X, who has spent a week at his residence
    surrounded by police" asserts the arrest as a current fact: this sentence is often the
    only one reporting it, so it is news. "... claimed responsibility for a car bomb that
    killed eight" only refers to a finished incident (reported elsewhere, or an attribution):
    it stays a statement, so the event is not counted twice.
    """
    objects = [c for c in verb.children if c.dep_ in _OBJECT_DEPS]
    for tok in (t for o in objects for t in o.subtree):
        if tok.dep_ == "amod" and tok.lower_ in rules.current_state_modifiers:
            return True  # "the continued detention of ..."
        if (tok.dep_ in _CLAUSE_DEPS and tok.lemma_.lower() in rules.current_state_verbs
                and _is_current(tok, rules)):
            return True
    return False


def _generic_complement(verb: Any, rules: BackgroundRules) -> Any:
    """"have become common", "are rare", "is a frequent target": the word that makes the
    clause say how often things happen (None when it does not). Not in an existential clause:
    "there were widespread protests on Friday" reports protests."""
    if any(c.dep_ == "expl" or c.lower_ == "there" for c in verb.children):  # upper case: not always expl
        return None
    for c in verb.children:
        if c.dep_ == "acomp" and c.lower_ in rules.generic_adjectives:
            return c
        if c.dep_ == "attr":
            found = next((a for a in c.children if a.dep_ == "amod" and a.lower_ in rules.generic_adjectives), None)
            if found is not None:
                return found
    return None


def caption(sent: Any, *, rules: BackgroundRules) -> str | None:
    """"AP Photo <name> <a related story's headline>", "A picture taken on July 29 shows ...":
    the words that make the sentence a picture's caption or credit, else None. What a picture
    shows is no report of this article's news, and its places are not the story's."""
    found = next((m for rx in rules.captions for m in [rx.search(sent.text)] if m), None)
    return found.group(0).strip() if found is not None else None


def background_reason(sent: Any, *, rules: BackgroundRules) -> str | None:
    """None when the sentence can report news; otherwise why it is background."""
    text = sent.text
    toks = sentence_tokens(sent)
    root = sent.root
    mains = _main_verbs(sent, rules.reporting_verbs)

    words = caption(sent, rules=rules)
    if words is not None:
        return f"caption ('{words}')"

    first = next((t for t in sent if not t.is_punct), None)
    if first is not None and (first.lower_ in rules.hypothetical or (
        first.lower_ in rules.hypothetical_inversion and first.i != root.i and first.head.i != root.i
    )):
        # "If the talks fail, ...", "Should the talks fail, ...": the aux of a subordinate
        # clause, not of the main one ("Should the army withdraw?" is a question)
        return f"hypothetical ('{first.text}')"

    for anywhere, patterns in ((False, rules.history), (True, rules.history_anywhere)):
        for rx in patterns:
            for m in rx.finditer(text):
                tok = _token_at(sent, sent.start_char + m.start())
                before = frozenset(t.i for t in sent if tok.i - 4 <= t.i < tok.i)
                if rules.history_exempt.any_in(toks, before):
                    continue
                if any(t.tag_ in ("JJS", "RBS") for t in sent if tok.i - 6 <= t.i < tok.i):
                    continue  # "the worst attack on the army in 2016", "the deadliest since 2013": a record
                if anywhere or any(_modifies_main_clause(tok, v) for v in mains or [root]):
                    return f"history ('{m.group(0)}')"

    for verb in mains:
        lemma = verb.lemma_.lower()
        present = verb.tag_ in ("VBZ", "VBP")
        for c in verb.children:
            if c.dep_ == "advmod" and c.lower_ in rules.habitual:
                return f"habitual ('{c.text}')"
            quantifier = next((d for d in c.children if d.dep_ == "det" and d.lower_ in rules.habitual_determiners),
                              None) if c.dep_ == "npadvmod" else None
            if quantifier is not None:
                return f"habitual ('{quantifier.text} {c.text}')"
            if c.dep_ == "aux" and c.lower_ in rules.future_aux:
                return f"future or hypothetical ('{c.text} {verb.text}')"
        if lemma in rules.habitual and (present or any(
            c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in verb.children
        )):
            return f"habitual or generic present ('{verb.text}')"
        generic = _generic_complement(verb, rules) if lemma in rules.generic_verbs else None
        if generic is not None:
            return f"habitual or generic ('{verb.text} {generic.text}')"
        if lemma in rules.plan_verbs:
            return f"plan, threat or intention ('{verb.text}')"
        subj = _subject_ids(verb)
        if rules.analysis_subjects.any_in(toks, subj):
            return f"analysis or opinion ('{verb.text}' by analysts)"
        if lemma in rules.analysis_verbs and not rules.source_subjects.any_in(toks, subj):
            return f"analysis or opinion ('{verb.text}')"
        if (lemma in rules.significance_verbs and not rules.source_subjects.any_in(toks, subj)
                and not _acts(verb, toks, rules)):
            return f"analysis or opinion ('{verb.text}')"
        # "Observers see the offensive as a test", "the clashes point to a wider war"
        frame = next((c for c in verb.children if c.dep_ in ("prep", "prt")
                      and (lemma, c.lower_) in rules.analysis_frames), None)
        if frame is not None:
            return f"analysis or opinion ('{verb.text} {frame.text}')"
        # "We are confident that the missiles came from the north": a belief, not a report
        belief = next((c for c in verb.children
                       if c.dep_ == "acomp" and c.lower_ in rules.opinion_adjectives), None)
        if belief is not None:
            return f"analysis or opinion ('{verb.text} {belief.text}')"

    verb_ids = frozenset(
        t.i for v in mains for t in [v, *v.children] if t.dep_ in ("ROOT", "conj", "dobj", "prt", "acomp", "prep") or t.i == v.i
    )
    exempt = {toks[k].i for k, _, _ in rules.statement_exempt.find(toks)}
    for start, length, phrase in rules.statements.find(toks):
        tok = sent.doc[toks[start].i]
        if tok.i not in verb_ids or tok.i in exempt:
            continue
        verb = tok if tok in mains else tok.head
        if _reports_current_state(verb, rules):
            continue
        return f"{STATEMENT} ('{phrase.text}')"
    return None


def unanchored_current(sent: Any, *, rules: BackgroundRules) -> str | None:
    """"Al-Nusra has clashed with western-backed rebels", "warplanes are carrying out strikes
    over Aleppo", "rebels are battling to push back regime advances": a main clause in the
    present perfect or progressive describes a state of the war, not one incident, unless the
    sentence ties it to the news window or gives a toll, or is the headline or the lede (the
    caller, ``detect.py``, checks those: ``state_after_sentence``). The verb's tense is
    read from the verb or its auxiliary; a simple past anywhere among the main verbs means
    the sentence narrates ("clashes erupted and have continued")."""
    # A noun the tagger took for a verb ("coalition airstrikes" as a conjunct verb) keeps its
    # compound or determiner: no predicate of the sentence
    mains = [v for v in _main_verbs(sent, rules.reporting_verbs)
             if v.i == sent.root.i or not any(c.dep_ in ("compound", "det") for c in v.children)]
    if not mains:
        return None
    for verb in mains:
        auxes = [c for c in verb.children if c.dep_ in _AUX]
        perfect = verb.tag_ == "VBN" and any(a.lemma_ == "have" and a.tag_ in rules.current_tense_tags for a in auxes)
        progressive = verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in rules.current_tense_tags for a in auxes)
        if not (perfect or progressive):
            return None
    return f"{STATE} ('{mains[0].text}')"

