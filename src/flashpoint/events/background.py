"""News or background: does a sentence report something that happened in the news window?

The codebook codes only what an article reports as happening now. History ("since 2013"),
habitual or generic statements ("continues to operate"), plans and threats, analysis and
opinion ("analysts suggest"), statements about events (denials, condemnations, claims of
responsibility) and hypotheticals are not events. The cues live in ``data/cues.toml``; most
count only when they govern the sentence's main clause, so a news sentence with a
subordinate aside ("for the first time since the fall of ...") stays news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datafiles import read_toml
from .phrases import PhraseSet, expand_phrases, sentence_tokens

# Dependency labels through which an adverbial still modifies the main clause.
_MODIFIER_PATH = {
    "prep", "pobj", "advmod", "npadvmod", "pcomp", "nummod", "amod", "det", "compound",
    "quantmod", "nmod", "appos", "punct", "poss", "case", "cc", "conj", "dobj",
}


@dataclass(frozen=True)
class BackgroundRules:
    version: str
    history: tuple[re.Pattern[str], ...]
    history_exempt: PhraseSet
    habitual: frozenset[str]
    future_aux: frozenset[str]
    plan_verbs: frozenset[str]
    analysis_verbs: frozenset[str]
    analysis_subjects: PhraseSet
    source_subjects: PhraseSet
    statements: PhraseSet
    statement_exempt: PhraseSet
    hypothetical: frozenset[str]
    reporting_verbs: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> BackgroundRules:
        data = read_toml(path, "cues.toml")
        bg = data["background"]
        return cls(
            version=str(data.get("version", "")),
            history=tuple(re.compile(rx, re.IGNORECASE) for rx in bg["history_regex"]),
            history_exempt=expand_phrases(bg["history_exempt"], {}),
            habitual=frozenset(bg["habitual"]),
            future_aux=frozenset(bg["future_aux"]),
            plan_verbs=frozenset(bg["plan_verbs"]),
            analysis_verbs=frozenset(bg["analysis_verbs"]),
            analysis_subjects=expand_phrases(bg["analysis_subjects"], {}),
            source_subjects=expand_phrases(bg["source_subjects"], {}),
            statements=expand_phrases(bg["statement_verbs"], {}),
            statement_exempt=expand_phrases(bg.get("statement_exempt", ()), {}),
            hypothetical=frozenset(bg["hypothetical"]),
            reporting_verbs=frozenset(bg["reporting_verbs"]),
        )


def _main_verbs(sent: Any, reporting: frozenset[str]) -> list[Any]:
    """The root and the verbs coordinated with it: the sentence's main predicates."""
    root = sent.root
    mains = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    if root.lemma_.lower() in reporting:
        # "X claimed responsibility ..., the agency said": what was said is the main clause
        mains += [c for c in root.children if c.dep_ == "ccomp"]
    return mains


def _modifies_main_clause(tok: Any, root: Any) -> bool:
    cur = tok
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


def _subject_ids(verb: Any) -> frozenset[int]:
    """The subject's head noun with its compounds ("local sources", not what they are about)."""
    ids: set[int] = set()
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            ids |= {c.i} | {t.i for t in c.children if t.dep_ in ("compound", "amod", "poss")}
    return frozenset(ids)


def background_reason(sent: Any, *, rules: BackgroundRules) -> str | None:
    """None when the sentence can report news; otherwise why it is background."""
    text = sent.text
    toks = sentence_tokens(sent)
    root = sent.root
    mains = _main_verbs(sent, rules.reporting_verbs)

    first = next((t for t in sent if not t.is_punct), None)
    if first is not None and first.lower_ in rules.hypothetical and first.lower_ in ("if", "unless"):
        return f"hypothetical ('{first.text}')"

    for rx in rules.history:
        for m in rx.finditer(text):
            tok = _token_at(sent, sent.start_char + m.start())
            before = frozenset(t.i for t in sent if tok.i - 4 <= t.i < tok.i)
            if rules.history_exempt.any_in(toks, before):
                continue
            if _modifies_main_clause(tok, root) or m.group(0).lower().startswith(("has", "have", "had", "long")):
                return f"history ('{m.group(0)}')"

    for verb in mains:
        lemma = verb.lemma_.lower()
        present = verb.tag_ in ("VBZ", "VBP")
        for c in verb.children:
            if c.dep_ == "advmod" and c.lower_ in rules.habitual:
                return f"habitual ('{c.text}')"
            if c.dep_ == "aux" and c.lower_ in rules.future_aux:
                return f"future or hypothetical ('{c.text} {verb.text}')"
        if lemma in rules.habitual and (present or any(
            c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in verb.children
        )):
            return f"habitual or generic present ('{verb.text}')"
        if lemma in rules.plan_verbs:
            return f"plan, threat or intention ('{verb.text}')"
        subj = _subject_ids(verb)
        if rules.analysis_subjects.any_in(toks, subj):
            return f"analysis or opinion ('{verb.text}' by analysts)"
        if lemma in rules.analysis_verbs and not rules.source_subjects.any_in(toks, subj):
            return f"analysis or opinion ('{verb.text}')"

    verb_ids = frozenset(
        t.i for v in mains for t in [v, *v.children] if t.dep_ in ("ROOT", "conj", "dobj", "prt", "acomp", "prep") or t.i == v.i
    )
    exempt = {toks[k].i for k, _, _ in rules.statement_exempt.find(toks)}
    for start, length, phrase in rules.statements.find(toks):
        if toks[start].i in verb_ids and toks[start].i not in exempt:
            return f"statement about an event ('{phrase.text}')"
    return None
