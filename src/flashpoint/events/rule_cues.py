"""Whether a typing rule's cues hold around one trigger (``typing.py``): in the sentence (out of
the scope of words like "against"), in the trigger's paragraph, among its arguments, in its
agent.

The sentence's and the paragraph's answers are the same for every trigger of a sentence, so
:class:`SentenceCues` reads them once per sentence, and reads an argument or agent cue only at
the positions of those tokens. A sentence of thousands of words (a text without full stops)
has hundreds of triggers; reading the whole sentence again for each took time quadratic in its
length.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from .phrases import Phrase, PhraseSet, Tok, sentence_tokens

PARAGRAPH_REACH = 2  # sentences either side of the trigger's own


def subtree_ids(tok: Any) -> set[int]:
    return {t.i for t in tok.subtree}


def cue_scope(rule: Any, toks: list[Tok], doc: Any) -> frozenset[int] | None:
    """Tokens where a rule's sentence cues count: not under "against", "to mourn", ... ."""
    if not rule.cues_skip_under:
        return None
    skipped: set[int] = set()
    for k, n, _ in rule.cues_skip_under.find(toks):
        for j in range(k, k + n):
            skipped |= subtree_ids(doc[toks[j].i])
    return frozenset(t.i for t in toks) - skipped


def paragraph_range(head: Any, first: int | None = None, last: int | None = None) -> tuple[int, int]:
    """The first and last token of the paragraph (text between line breaks) holding a token, at
    most ``PARAGRAPH_REACH`` sentences either side: a page flattened to one line is one
    "paragraph", and its chlorine attack must not make every strike on it chemical. (``first``
    and ``last``: those sentences' bounds, when the caller has them.)"""
    doc, start, end = head.doc, head.i, head.i
    if first is None or last is None:
        first, last = reach(head.sent)
    while start > first and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    while end < last and "\n" not in doc[end].text_with_ws:
        end += 1
    return start, end


def reach(sent: Any) -> tuple[int, int]:
    """The first and last token of the sentences up to ``PARAGRAPH_REACH`` either side of
    ``sent`` with no line break between."""
    doc = sent.doc
    first, last = sent.start, sent.end - 1
    for _ in range(PARAGRAPH_REACH):
        if first > 0 and "\n" not in doc[first - 1].text_with_ws:
            first = doc[first - 1].sent.start
        if last < len(doc) - 1 and "\n" not in doc[last].text_with_ws:
            last = doc[last + 1].sent.end - 1
    return first, last


class SentenceCues:
    """The cues of the rules read once for one sentence (``sent``, its ``toks``)."""

    def __init__(self, sent: Any, toks: list[Tok]) -> None:
        self.sent, self.toks = sent, toks
        self._position = {t.i: k for k, t in enumerate(toks)}
        self._scopes: dict[int, frozenset[int] | None] = {}  # by id of the rule
        self._found: dict[tuple, Phrase | None] = {}
        self._paragraphs: dict[tuple[int, int], list[Tok]] = {}
        self._reach: tuple[int, int, list[int]] | None = None  # first, last, the line breaks between
        # (a span that is not a whole sentence gets each head's paragraph read as before)
        self._whole = sent.start == sent.sent.start and sent.end == sent.sent.end if len(sent) else False

    def scope(self, rule: Any) -> frozenset[int] | None:
        if id(rule) not in self._scopes:
            self._scopes[id(rule)] = cue_scope(rule, self.toks, self.sent.doc)
        return self._scopes[id(rule)]

    def in_sentence(self, phrases: PhraseSet, rule: Any) -> Phrase | None:
        """``phrases.any_in`` the sentence, within the rule's cue scope."""
        key = (id(phrases), id(rule))
        if key not in self._found:
            self._found[key] = phrases.any_in(self.toks, self.scope(rule))
        return self._found[key]

    def in_paragraph(self, phrases: PhraseSet, head: Any) -> Phrase | None:
        """``phrases.any_in`` the paragraph around ``head`` (``paragraph_range``)."""
        span = self._paragraph_of(head)
        key = (id(phrases), span)
        if key not in self._found:
            if span not in self._paragraphs:
                self._paragraphs[span] = sentence_tokens(head.doc[span[0] : span[1] + 1])
            self._found[key] = phrases.any_in(self._paragraphs[span])
        return self._found[key]

    def among(self, phrases: PhraseSet, allowed: frozenset[int]) -> Phrase | None:
        """``phrases.any_in(toks, allowed)``, tried only where the allowed tokens are."""
        at = sorted(self._position[i] for i in allowed if i in self._position)
        return phrases.any_in(self.toks, allowed, at=at)

    def _paragraph_of(self, head: Any) -> tuple[int, int]:
        if not (self._whole and self.sent.start <= head.i < self.sent.end):
            return paragraph_range(head)
        if self._reach is None:
            first, last = reach(self.sent)
            doc = self.sent.doc
            self._reach = (first, last, [j for j in range(first, last + 1) if "\n" in doc[j].text_with_ws])
        first, last, breaks = self._reach
        # (the nearest line break before the head, and at or after it)
        j = bisect_left(breaks, head.i)
        start = breaks[j - 1] + 1 if j else first
        end = breaks[j] if j < len(breaks) and breaks[j] < last else last
        return start, end


def rule_fails(rule: Any, cues: SentenceCues, agent: frozenset[int], args: frozenset[int], head: Any) -> str | None:
    """Why ``rule`` does not hold for the trigger ``head`` (with its ``agent`` and ``args``
    token ids), or None when it holds."""
    if rule.compound_heads and head.dep_ == "compound":
        noun = head.head
        if not cues.among(rule.compound_heads, frozenset({noun.i})):
            return f"modifier of '{noun.text}'"
    if rule.sentence_any and not cues.in_sentence(rule.sentence_any, rule):
        return "sentence lacks context"
    if rule.sentence_none and (p := cues.in_sentence(rule.sentence_none, rule)):
        return f"sentence has '{p.text}'"
    if rule.paragraph_any and not cues.in_paragraph(rule.paragraph_any, head):
        return "paragraph lacks context"
    if rule.paragraph_none and (p := cues.in_paragraph(rule.paragraph_none, head)):
        return f"paragraph has '{p.text}'"
    if rule.args_any and not cues.among(rule.args_any, args):
        return "arguments lack target"
    if rule.args_none and (p := cues.among(rule.args_none, args)):
        return f"argument '{p.text}'"
    if rule.agent_any and not cues.among(rule.agent_any, agent):
        return "agent does not match"
    if rule.agent_none and (p := cues.among(rule.agent_none, agent)):
        return f"agent '{p.text}'"
    return None
