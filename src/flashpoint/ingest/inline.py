"""Furniture inside a line, driven by the [inline] rules of data/boilerplate.toml.

Scraped pages often reach us flattened to one long line, so the share widgets, related
headline lists, tag lists and embedded posts that a page shows around its article end up
glued to the news sentences, where the line-level rules (boilerplate.py) cannot see
them. Each inline rule matches one whole furniture span; the span is cut out and the
text on either side joined with a single space.
"""

from __future__ import annotations

import re

from .rules import CleaningRules

_SPACES = re.compile(r"[ \t]{2,}")
# How much of a pull quote must recur elsewhere in the line for it to count as a repeat.
_REPEAT_CHARS = 60


def remove_inline(line: str, rules: CleaningRules) -> tuple[str, list[str]]:
    """The line without its furniture spans, and the spans removed (in rule order)."""
    removed: list[str] = []
    for rule in rules.inline_patterns:
        pieces: list[str] = []
        last = 0
        for m in rule.pattern.finditer(line):
            span = m.group(0).strip()
            if not span:  # a pattern that can match nothing must not eat a space
                continue
            if rule.repeated and line.count(span[:_REPEAT_CHARS]) < 2:
                continue
            pieces.append(line[last:m.start()])
            removed.append(span)
            last = m.end()
        if last:
            pieces.append(line[last:])
            line = _SPACES.sub(" ", "".join(pieces)).strip()
    return line, removed
