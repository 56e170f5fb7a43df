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
from .separators import separators

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
    # Characters no cue of the plain-text context can span (separators.py): the context is read
    # piece by piece between them (TextBefore); None reads it whole.
    context_separators: re.Pattern[str] | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> CertaintyRules:
        data = read_toml(path, "cues.toml")
        c = data["certainty"]

        def words_rx(items: list[str]) -> re.Pattern[str]:
            alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") + r"\w*" for w in items)
            return re.compile(rf"\b(?:{alts})", re.IGNORECASE)

        unconfirmed_regex, exempt_regex = words_rx(c["unconfirmed"]), words_rx(c["unconfirmed_exempt"])
        reported = tuple(re.compile(rx, re.IGNORECASE) for rx in c["reported_regex"])
        return cls(
            version=str(data.get("version", "")),
            unconfirmed=expand_phrases(c["unconfirmed"], {}),
            unconfirmed_exempt=expand_phrases(c["unconfirmed_exempt"], {}),
            unconfirmed_regex=unconfirmed_regex,
            exempt_regex=exempt_regex,
            reported=reported,
            source_subjects=expand_phrases(c["source_subjects"], {}),
            official_subjects=expand_phrases(c["official_subjects"], {}),
            reporting_verbs=frozenset(c["reporting_verbs"]),
            context_separators=separators([unconfirmed_regex, exempt_regex, *reported]),
        )


def _text_level(text: str, rules: CertaintyRules) -> str | None:
    """Certainty from plain text (used for the context, which has no parse)."""
    if rules.unconfirmed_regex.search(rules.exempt_regex.sub(" ", text)):
        return "unconfirmed"
    if any(rx.search(text) for rx in rules.reported):
        return "reported"
    return None


class TextBefore:
    """What the text of a paragraph before each of its sentences says (``_text_level``), for the
    sentences of one text asked in text order. A one-line article is one paragraph: read whole
    for each sentence it would take time quadratic in its length; here each piece between
    ``rules.context_separators`` is read once, and the answer is the same (separators.py)."""

    def __init__(self, text: str, rules: CertaintyRules) -> None:
        self.text, self.rules = text, rules
        self._start = self._end = self._done = -1  # the paragraph, the last end asked, read up to
        self._unconfirmed = self._reported = False  # what the pieces read so far say

    def level(self, start: int, end: int) -> str | None:
        """``_text_level(text[start:end])``, None for an empty span."""
        if start >= end:
            return None
        split = self.rules.context_separators
        if split is None:
            return _text_level(self.text[start:end], self.rules)
        if start != self._start or end < self._end:  # another paragraph (or out of order)
            self._start, self._done = start, start
            self._unconfirmed = self._reported = False
        self._end = end
        for m in split.finditer(self.text, self._done, end) if not self._unconfirmed else ():
            self._note(_text_level(self.text[self._done : m.start()], self.rules))
            self._done = m.end()
            if self._unconfirmed:
                break
        if self._unconfirmed:
            return "unconfirmed"
        rest = _text_level(self.text[self._done : end], self.rules)  # the piece still open
        return rest if rest == "unconfirmed" or not self._reported else "reported"

    def _note(self, level: str | None) -> None:
        self._unconfirmed = self._unconfirmed or level == "unconfirmed"
        self._reported = self._reported or level == "reported"


def certainty_of(sent: Any, *, rules: CertaintyRules, context: str = "",
                 before: tuple[TextBefore, int] | None = None) -> str:
    """"confirmed" | "reported" | "unconfirmed" for the event a sentence reports. The context is
    ``context``, or, for a caller reading a whole text, ``before``: a :class:`TextBefore` of
    the text and where the sentence's paragraph starts (the context runs from there to the
    sentence)."""
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
    if before is not None:
        reader, start = before
        return reader.level(start, sent.start_char) or "confirmed"
    return _text_level(context, rules) or "confirmed" if context else "confirmed"
