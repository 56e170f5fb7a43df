"""The ``events`` table: one line per event, fitted to the terminal.

Width: the terminal's (``shutil.get_terminal_size``, so ``COLUMNS`` overrides it) when stdout
is a terminal; otherwise no limit, since piped or redirected output is read by programs and
files, where a cut cell is lost data. The event id and the short columns are never cut (the id
is what ``flashpoint show`` takes); the text columns shrink, widest first, to a floor, and a
cut cell ends with an ellipsis. A line is never wrapped: on a terminal too narrow even for the
floors, each line is cut at the edge.
"""

from __future__ import annotations

import shutil
import sys

HEADERS = ("event_id", "date", "type", "actor1", "actor2", "location", "country", "prec", "deaths", "certainty")
_FLEXIBLE = frozenset({"type", "actor1", "actor2", "location", "country"})
_FLOOR = 14  # narrowest a text column shrinks to before columns are dropped ("Military Forc…")
_HARD_FLOOR = 4  # on a very narrow terminal: "Sh…" rather than a line cut at the edge
_DROP = ("prec", "certainty", "country", "actor2")  # dropped in this order when the floors do not fit
_GAP = "  "


def _cell(value) -> str:
    # a line per event: a newline or tab inside a value would break the row
    return " ".join(str(value).split()) if value not in (None, "") else "-"


def event_rows(events) -> list[tuple[str, ...]]:
    return [
        (
            e.event_id,
            e.event_date.isoformat() if e.event_date else "?",
            _cell(e.sub_event_type),
            _cell(e.actor1),
            _cell(e.actor2),
            _cell(e.location),
            _cell(e.country),
            str(e.geo_precision or "-"),
            str(e.fatalities) + ("" if e.fatalities_known else "+?"),
            _cell(e.certainty),
        )
        for e in events
    ]


def terminal_width(stream=None) -> int | None:
    """The width to fit: the terminal's when ``stream`` (stdout) is one, else None (no limit)."""
    stream = stream or sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return shutil.get_terminal_size().columns if tty else None


def fit_columns(headers, rows, width: int | None) -> list[tuple[int, int]]:
    """(column index, width) of the columns shown: each as wide as its longest cell; to fit
    ``width``, the text columns shrink (widest first) to a floor, and when even the floors do not
    fit, the least needed columns go first (``_DROP``)."""
    natural = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    shown = list(range(len(headers)))
    if width is None:
        return [(i, natural[i]) for i in shown]
    floors = [max(min(_FLOOR, w), len(h)) if h in _FLEXIBLE else w for h, w in zip(headers, natural)]

    def needs(columns, sizes) -> int:
        return sum(sizes[i] for i in columns) + len(_GAP) * (len(columns) - 1)

    for name in _DROP:
        if needs(shown, floors) <= width:
            break
        shown.remove(headers.index(name))
    widths = {i: natural[i] for i in shown}
    excess = needs(shown, natural) - width
    # down to the floors first; then, every column that could go gone, further (header cut too)
    for floor in (floors, [_HARD_FLOOR if h in _FLEXIBLE else w for h, w in zip(headers, natural)]):
        while excess > 0:
            room = [i for i in shown if widths[i] > floor[i]]
            if not room:
                break
            widest = max(room, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return [(i, widths[i]) for i in shown]


def cut(text: str, width: int) -> str:
    """``text`` at most ``width`` characters, a cut one ending in an ellipsis."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def format_events_table(events, width: int | None) -> list[str]:
    """The table's lines (header, rule, one per event), fitted to ``width`` (None: no limit)."""
    rows = event_rows(events)
    columns = fit_columns(HEADERS, rows, width)

    def line(cells) -> str:
        text = _GAP.join(cut(cells[i], w).ljust(w) for i, w in columns).rstrip()
        return cut(text, width) if width else text

    return [line(HEADERS), line(["-" * w for w in (dict(columns).get(i, 0) for i in range(len(HEADERS)))])] + [
        line(r) for r in rows
    ]


def count_line(shown: int, total: int) -> str:
    """"6 events", or "showing 50 of 812 events; 762 more (--limit 0 shows all)"."""
    noun = "event" if total == 1 else "events"
    if shown >= total:
        return f"{total} {noun}"
    return f"showing {shown} of {total} {noun}; {total - shown} more (--limit N shows N, --limit 0 all)"
