"""Phrase matching over a sentence's tokens, shared by every cue-based stage (event typing,
weapons, background, certainty).

A phrase is one or more space-separated lower-case words. It matches consecutive tokens when
each word equals the token's lemma or its lower-cased text; hyphens between tokens are ignored
("shoot-out" = "shoot out"); a word ending in "*" matches any token starting with it;
"ENT=GPE" matches a token inside a named entity of that label; "@name" in a list stands for
every phrase of the lexicon's list ``name``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_HYPHENS = {"-", "–", "—"}


@dataclass(frozen=True)
class Tok:
    """What the matchers see of one token: its index in the Doc, forms and entity label."""

    i: int
    forms: frozenset[str]  # lower-cased text and lemma
    ent: str
    pos: str


def sentence_tokens(sent: Any) -> list[Tok]:
    """The sentence's tokens without hyphens, so "shoot-out" and "shoot out" look alike."""
    out = []
    for t in sent:
        if t.text in _HYPHENS:
            continue
        forms = {t.lower_, t.lemma_.lower()}
        if t.i >= 2 and t.nbor(-1).text in _HYPHENS and t.nbor(-2).lower_ == "non":
            forms = {"non" + t.lower_}  # "non-violent" is not "violent"
        if t.pos_ == "PROPN" and t.lower_.endswith("s"):
            # capitalised plurals ("Rockets hit ...") are tagged PROPN and not lemmatised
            forms.add(t.lower_[:-1])
        out.append(Tok(t.i, frozenset(forms), t.ent_type_, t.pos_))
    return out


def _word_matches(word: str, tok: Tok) -> bool:
    if word.startswith("ent="):
        return tok.ent == word[4:].upper()
    if word.endswith("*"):
        stem = word[:-1]
        return any(f.startswith(stem) for f in tok.forms)
    return word in tok.forms


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    text: str

    @classmethod
    def parse(cls, text: str) -> Phrase:
        words = tuple(w for w in text.lower().replace("-", " ").split() if w)
        if not words:
            raise ValueError(f"empty phrase {text!r}")
        return cls(words, text)

    def length_at(self, toks: Sequence[Tok], k: int, allowed: frozenset[int] | None = None) -> int:
        """Number of tokens matched starting at toks[k], or 0."""
        if k + len(self.words) > len(toks):
            return 0
        for j, word in enumerate(self.words):
            tok = toks[k + j]
            if allowed is not None and tok.i not in allowed:
                return 0
            if not _word_matches(word, tok):
                return 0
        return len(self.words)


class PhraseSet:
    """A set of phrases indexed by first word, for cheap matching over a sentence."""

    def __init__(self, phrases: Iterable[Phrase]):
        self.phrases = tuple(phrases)
        self._by_first: dict[str, list[Phrase]] = {}
        self._other: list[Phrase] = []  # phrases starting with a prefix or an entity word
        for p in self.phrases:
            first = p.words[0]
            if first.endswith("*") or first.startswith("ent="):
                self._other.append(p)
            else:
                self._by_first.setdefault(first, []).append(p)

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def candidates(self, tok: Tok) -> list[Phrase]:
        # sorted: a frozenset's order follows the hash seed, and so would which phrase wins
        found = [p for f in sorted(tok.forms) for p in self._by_first.get(f, ())]
        return found + self._other if self._other else found

    def find(
        self, toks: Sequence[Tok], allowed: frozenset[int] | None = None
    ) -> list[tuple[int, int, Phrase]]:
        """All matches as (token position, length, phrase), longest first at each position."""
        out = []
        for k, tok in enumerate(toks):
            if allowed is not None and tok.i not in allowed:
                continue
            for p in self.candidates(tok):
                n = p.length_at(toks, k, allowed)
                if n:
                    out.append((k, n, p))
        out.sort(key=lambda m: (m[0], -m[1]))
        return out

    def any_in(self, toks: Sequence[Tok], allowed: frozenset[int] | None = None, *,
               at: Iterable[int] | None = None) -> Phrase | None:
        """The first phrase found, by position. ``at``: the positions of the ``allowed`` tokens in
        ``toks``, in order, when the caller knows them (only there can a match start)."""
        for k in range(len(toks)) if at is None else at:
            tok = toks[k]
            if allowed is not None and tok.i not in allowed:
                continue
            for p in self.candidates(tok):
                if p.length_at(toks, k, allowed):
                    return p
        return None


def expand_phrases(items: Iterable[str], lexicon: dict[str, list[str]]) -> PhraseSet:
    """Phrases of a rule field, with "@name" replaced by the lexicon list (recursively)."""
    out: list[Phrase] = []

    def add(item: str, depth: int) -> None:
        if item.startswith("@"):
            if depth > 5 or item[1:] not in lexicon:
                raise ValueError(f"unknown or cyclic lexicon reference {item!r}")
            for sub in lexicon[item[1:]]:
                add(sub, depth + 1)
        else:
            out.append(Phrase.parse(item))

    for item in items:
        add(item, 0)
    return PhraseSet(out)
