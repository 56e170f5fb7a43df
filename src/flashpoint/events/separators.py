"""Characters that split a text for a set of regular expressions: no match of any of them can
contain one, and each behaves at a match's edge as the end of the text does. Searching a long
text is then the same as searching each piece between such characters on its own, so a text
read again and again as it grows (the paragraph before each sentence of a one-line article:
certainty.py) is read piece by piece, each piece once.

Whether a character splits is read from the patterns' parse (the standard library's own
parser): any construct this does not judge (lookarounds, anchors other than word boundaries,
patterns that match nothing) yields no separators, and callers fall back to reading the text
whole.
"""

from __future__ import annotations

import re
import re._constants as sre  # the standard library's own parse: the one exact reading of a pattern
import re._parser as sre_parse

# Punctuation that commonly ends or brackets sentences, tried as separators.
CANDIDATES = '.!?;:()[]{}"“”|'

_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}
_BOUNDARIES = frozenset({sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY})
_REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT})


class _Unsure(Exception):
    """A construct whose reach this module does not judge."""


def separators(patterns: list[re.Pattern[str]], candidates: str = CANDIDATES) -> re.Pattern[str] | None:
    """A pattern matching one separator character for ``patterns``, or None when there is none
    (or the patterns use constructs this does not judge)."""
    try:
        parsed = [(sre_parse.parse(p.pattern, p.flags), p.flags) for p in patterns]
    except Exception:  # noqa: BLE001 - an unparsable pattern gets the plain reading
        return None
    if any(tree.getwidth()[0] == 0 for tree, _ in parsed):
        return None  # a pattern that matches the empty string matches at a separator too
    try:
        found = [c for c in dict.fromkeys(candidates)
                 if not re.match(r"\w", c) and not any(_consumes(tree, c, flags) for tree, flags in parsed)]
    except _Unsure:
        return None
    return re.compile("[" + re.escape("".join(found)) + "]") if found else None


def _consumes(items, c: str, flags: int) -> bool:
    """Can the parsed pattern ``items`` consume the character ``c`` anywhere in a match?"""
    for op, av in items:
        if op == sre.LITERAL:
            if _same(chr(av), c, flags):
                return True
        elif op == sre.NOT_LITERAL or op == sre.ANY:
            return True  # all but one character (or all): assume it can
        elif op == sre.IN:
            if _in_class(av, c, flags):
                return True
        elif op == sre.BRANCH:
            if any(_consumes(alt, c, flags) for alt in av[1]):
                return True
        elif op == sre.SUBPATTERN:
            if _consumes(av[3], c, flags | av[1]):
                return True
        elif op in _REPEATS:
            if _consumes(av[2], c, flags):
                return True
        elif op == sre.ATOMIC_GROUP:
            if _consumes(av, c, flags):
                return True
        elif op == sre.AT:
            if av not in _BOUNDARIES:
                raise _Unsure(av)  # "^", "$": a piece's edges are not the text's
        else:
            raise _Unsure(op)  # lookarounds, back-references, conditionals
    return False


def _in_class(items, c: str, flags: int) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op == sre.NEGATE:
            negate = True
        elif op == sre.LITERAL:
            hit = hit or _same(chr(av), c, flags)
        elif op == sre.RANGE:
            hit = hit or any(av[0] <= ord(x) <= av[1] for x in _cases(c, flags))
        elif op == sre.CATEGORY and av in _CATEGORIES:
            hit = hit or bool(re.match(_CATEGORIES[av], c, flags & (re.ASCII | re.UNICODE)))
        else:
            raise _Unsure(op)
    return hit != negate


def _cases(c: str, flags: int) -> set[str]:
    return {c, c.lower(), c.upper(), c.casefold()} if flags & re.IGNORECASE else {c}


def _same(a: str, c: str, flags: int) -> bool:
    return a == c or bool(flags & re.IGNORECASE and _cases(a, flags) & _cases(c, flags))
