"""Certainty of a report, per the codebook: confirmed, reported or unconfirmed.

``confirmed``: stated as fact by the outlet or by an official; ``reported``: attributed to
sources ("local sources report", "a field source told ...", "reports indicate");
``unconfirmed``: explicitly unconfirmed, rumoured, alleged or only claimed. The cues are in
``data/cues.toml`` ([certainty]). A sentence without any cue takes the level its context
(the sentences around it, as text) gives, else ``confirmed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datafiles import read_toml
from .phrases import PhraseSet, expand_phrases, sentence_tokens

_ORDER = {"confirmed": 0, "reported": 1, "unconfirmed": 2}


@dataclass(frozen=True)
class CertaintyRules:
    version: str
    unconfirmed: PhraseSet
    unconfirmed_exempt: PhraseSet
    unconfirmed_regex: re.Pattern[str]  # the same cues, for context given as plain text
    exempt_regex: re.Pattern[str]
    reported: tuple[re.Pattern[str], ...]
    source_subjects: PhraseSet
    official_subjects: PhraseSet
    reporting_verbs: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> CertaintyRules:
        data = read_toml(path, "cues.toml")
        c = data["certainty"]

        def words_rx(items: list[str]) -> re.Pattern[str]:
            alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") + r"\w*" for w in items)
            return re.compile(rf"\b(?:{alts})", re.IGNORECASE)

        return cls(
            version=str(data.get("version", "")),
            unconfirmed=expand_phrases(c["unconfirmed"], {}),
            unconfirmed_exempt=expand_phrases(c["unconfirmed_exempt"], {}),
            unconfirmed_regex=words_rx(c["unconfirmed"]),
            exempt_regex=words_rx(c["unconfirmed_exempt"]),
            reported=tuple(re.compile(rx, re.IGNORECASE) for rx in c["reported_regex"]),
            source_subjects=expand_phrases(c["source_subjects"], {}),
            official_subjects=expand_phrases(c["official_subjects"], {}),
            reporting_verbs=frozenset(c["reporting_verbs"]),
        )


def _text_level(text: str, rules: CertaintyRules) -> str | None:
    """Certainty from plain text (used for the context, which has no parse)."""
    if rules.unconfirmed_regex.search(rules.exempt_regex.sub(" ", text)):
        return "unconfirmed"
    if any(rx.search(text) for rx in rules.reported):
        return "reported"
    return None


def certainty_of(sent: Any, *, rules: CertaintyRules, context: str = "") -> str:
    """"confirmed" | "reported" | "unconfirmed" for the event a sentence reports."""
    toks = sentence_tokens(sent)
    exempt = {t.i for _, n, p in rules.unconfirmed_exempt.find(toks) for t in toks[_:_ + n]}
    for start, n, phrase in rules.unconfirmed.find(toks):
        if not any(t.i in exempt for t in toks[start : start + n]):
            return "unconfirmed"

    level: str | None = None
    for tok in sent:
        if tok.lemma_.lower() not in rules.reporting_verbs:
            continue
        subj = frozenset(
            t.i for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "agent") for t in c.subtree
        )
        if rules.source_subjects.any_in(toks, subj):
            return "reported"
        if rules.official_subjects.any_in(toks, subj):
            level = "confirmed"
    if level is None and any(rx.search(sent.text) for rx in rules.reported):
        return "reported"
    if level is not None:
        return level
    return _text_level(context, rules) or "confirmed" if context else "confirmed"
