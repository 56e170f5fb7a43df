"""Line-level boilerplate removal driven by data/boilerplate.toml.

Three mechanisms, all general:

* single lines that are boilerplate wherever they stand (image lines, share prompts,
  photo credits, newsletter prompts, "Read more" links);
* appeal blocks: a donation/subscription trigger line opens a block that runs on over the
  appeal's copy (first-person-plural or second-person lines, self-promotional words,
  slogans, banner images) and ends at the first ordinary news line, which is kept;
* link lists: a "Related stories" heading followed by headline-like lines;
* furniture inside a kept line (inline.py): widgets, related-headline and tag lists and
  embedded posts glued to the news when a page was flattened to one line.

News lines are never removed for being short: a caption such as "Soldiers near the border,
Feb. 6, 2025." stays unless a rule says what else it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .inline import remove_inline
from .rules import CleaningRules

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_DIGIT = re.compile(r"\d")
# A line after which a new paragraph may start (sentence end, heading colon, closing quote).
_PARAGRAPH_END = re.compile(r"[.!?…:][\"'”’)\]]*$")
_QUOTED = re.compile(r"[\"“”][^\"“”]*[\"“”]")


@dataclass(frozen=True)
class RemovedLine:
    text: str
    kind: str  # "line", "appeal", "list" or "inline": which mechanism removed it
    index: int  # line number in the input lines (0-based)


@dataclass(frozen=True)
class BoilerplateResult:
    kept: list[str]
    removed: list[RemovedLine]


def is_boilerplate_line(line: str, rules: CleaningRules) -> bool:
    words = len(line.split())
    return any(p.matches(line, words) for p in rules.line_patterns)


def is_appeal_trigger(line: str, rules: CleaningRules) -> bool:
    if len(line.split()) > rules.appeal_max_trigger_words:
        return False
    if rules.appeal_not_triggers.search(line):
        return False
    return any(p.search(line) for p in rules.appeal_triggers)


def continues_appeal(line: str, rules: CleaningRules) -> bool:
    """Whether a line after an appeal trigger is still appeal copy."""
    if is_boilerplate_line(line, rules):
        return True
    words = len(line.split())
    unquoted = _QUOTED.sub(" ", line)  # "we" inside a quotation is a source speaking
    pronoun = bool(rules.continue_pronouns.search(unquoted))
    promo = {m.group(0).lower() for m in rules.continue_words.finditer(line)}
    if words >= rules.news_line_words:
        return (pronoun and bool(promo)) or len(promo) >= 2
    if pronoun or promo:
        return True
    return words <= rules.short_fragment_words and not _DIGIT.search(line)


def is_hard_wrapped(lines: list[str]) -> bool:
    """Text broken into lines of a fixed width (wire copy), not one paragraph per line."""
    body = [line for line in lines if line]
    if len(body) < 5:
        return False
    open_ended = sum(not _PARAGRAPH_END.search(line) for line in body)
    short = sum(len(line) <= 100 for line in body)
    return open_ended >= 0.5 * len(body) and short >= 0.9 * len(body)


def is_list_item(line: str, rules: CleaningRules) -> bool:
    words = len(line.split())
    return words <= rules.list_max_item_words and not _SENTENCE_END.search(line)


def remove_boilerplate(lines: list[str], rules: CleaningRules) -> BoilerplateResult:
    """Split stripped lines into kept lines (blank lines kept as "") and removed ones."""
    kept: list[str] = []
    removed: list[RemovedLine] = []
    wrapped = is_hard_wrapped(lines)
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line:
            kept.append("")
            i += 1
            continue
        if wrapped and i > 0 and lines[i - 1] and not _PARAGRAPH_END.search(lines[i - 1]):
            # The middle of a hard-wrapped paragraph ("...THE ARMY SHOULD\nGIVE FULL
            # SUPPORT"): boilerplate stands on lines of its own, never here.
            _keep(line, i, rules, kept, removed)
            i += 1
            continue
        if is_appeal_trigger(line, rules):
            removed.append(RemovedLine(line, "appeal", i))
            i = _take_block(
                lines, i + 1, rules.appeal_max_block_lines, lambda s: continues_appeal(s, rules),
                "appeal", removed,
            )
            continue
        if any(h.search(line) for h in rules.list_headings):
            removed.append(RemovedLine(line, "list", i))
            i = _take_block(
                lines, i + 1, rules.list_max_block_lines, lambda s: is_list_item(s, rules),
                "list", removed,
            )
            continue
        if is_boilerplate_line(line, rules):
            removed.append(RemovedLine(line, "line", i))
        else:
            _keep(line, i, rules, kept, removed)
        i += 1
    return BoilerplateResult(kept, removed)


def _keep(line, index, rules, kept, removed) -> None:
    """Keep a news line, less the furniture spans inside it (a line that was nothing
    but furniture goes entirely, and no blank line is left in its place)."""
    rest, spans = remove_inline(line, rules)
    removed.extend(RemovedLine(span, "inline", index) for span in spans)
    if rest:
        kept.append(rest)


def _take_block(lines, start, limit, belongs, kind, removed) -> int:
    """Remove the lines from ``start`` that ``belongs`` accepts; return where news resumes.

    Blank lines inside a block go with it; blank lines after it are left for the caller.
    """
    i, taken = start, 0
    while i < len(lines) and taken < limit:
        j = i
        while j < len(lines) and not lines[j]:
            j += 1
        if j == len(lines) or not belongs(lines[j]):
            return i
        removed.append(RemovedLine(lines[j], kind, j))
        taken += 1
        i = j + 1
    return i
