"""The incidents assembly has founded, indexed so that each mention is compared with the few
that can take it (``assemble.py``; the rules themselves are in ``coreference.py``).

A long article (a page of a thousand reports flattened to one line) has thousands of mentions
and incidents: comparing every mention with every incident, and with every mention of each,
took time quadratic in its length. Here an incident is found through the places it is told at
(``PlaceIndex``: only there can ``same_place`` hold), the incidents before a mention are walked
back from it, and an incident's mentions are read once per kind (``Summaries``: ``compatible``
reads only a few fields of them). Every answer is the one the plain rules give.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable

from ..model import Incident, Mention, Place, Toponym
from ..places.normalise import fold
from ..places.resolve import sphere_cell
from .coreference import antecedents, compat_key, compatible, first_scene, joins, points_back_to, type_key, types_compatible
from .scene import area_of, district_keys, district_names, specific

_EARTH_KM = 6371.0


class _Summary:
    """What an incident's mentions hold, brought up to date as mentions are added."""

    __slots__ = ("mentions", "n", "last", "kinds", "within")

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions, self.n, self.last = mentions, 0, None
        self.kinds: dict[tuple, Mention] = {}  # one mention per compat_key
        self.within: list[Toponym] = []  # their first places that lie in another (places/unlocated.py)


class Summaries:
    """Per mention list (an incident's, a group's), one mention per ``compat_key``, read once
    per added mention. Lists may only grow at their end (or be reordered) while asked."""

    def __init__(self) -> None:
        self._of: dict[int, _Summary] = {}

    def of(self, mentions: list[Mention]) -> _Summary:
        s = self._of.get(id(mentions))
        if s is None or s.mentions is not mentions or s.n > len(mentions) or (s.n and mentions[s.n - 1] is not s.last):
            s = self._of[id(mentions)] = _Summary(mentions)  # (new, or not only grown: read again)
        for x in mentions[s.n:]:
            s.kinds.setdefault(compat_key(x), x)
            t = x.toponyms[0] if x.toponyms else None
            if t is not None and t.place is not None and t.place.within is not None:
                s.within.append(t)
        s.n, s.last = len(mentions), mentions[-1] if mentions else None
        return s

    def all_compatible(self, mentions: list[Mention], m: Mention, *, by_day: bool = True,
                       kinds: bool = True) -> bool:
        """``all(compatible(x, m, ...) for x in mentions)``."""
        return all(compatible(x, m, by_day=by_day, kinds=kinds) for x in self.of(mentions).kinds.values())


class PlaceIndex:
    """Incident numbers under the keys of the places they are (or were) told at: a superset of
    those where ``same_place`` (within ``km``) or ``same_province`` can hold for a place."""

    def __init__(self, km: float) -> None:
        self._step = max(km, 0.001) * 1.01 / _EARTH_KM  # a grid cell holds every place within km
        self._at: dict[tuple, list[int]] = {}

    def add(self, k: int, t: Toponym | None) -> None:
        if t is None or t.place is None:
            return
        p = t.place
        keys = [*self._name_keys(p), ("P", p.country_code, p.admin1)]
        if t.relation == "in":  # a town a vaguer reference's district may hold
            keys += [("D", p.country_code, n) for n in district_keys(p) if n]
        else:
            keys += [("H", p.country_code, n) for n in district_names(p) if n]
        cell = self._cell(p)
        if cell is not None:
            keys.append(("C", cell))
        for key in keys:
            entry = self._at.setdefault(key, [])
            if not entry or entry[-1] != k:
                entry.append(k)

    def near(self, t: Toponym, *, province: bool = False) -> list[int]:
        """The incidents (in order) indexed where ``t`` could be the same place (and, with
        ``province``, in the same province)."""
        p = t.place
        if p is None:
            return []
        keys = self._name_keys(p)
        if t.relation == "in":
            keys += [("H", p.country_code, n) for n in district_keys(p) if n]
        else:
            keys += [("D", p.country_code, n) for n in district_names(p) if n]
        if province and p.admin1:
            keys.append(("P", p.country_code, p.admin1))
        cell = self._cell(p)
        if cell is not None:
            x, y, z = cell
            keys += [("C", (x + dx, y + dy, z + dz)) for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)]
        found: set[int] = set()
        for key in keys:
            found.update(self._at.get(key, ()))
        return sorted(found)

    @staticmethod
    def _name_keys(p: Place) -> list[tuple]:
        # (the name as written, and folded as scene.same_place compares a place the gazetteer lacks)
        keys: list[tuple] = [("N", p.name, p.country_code), ("F", fold(p.name).replace(" ", ""), p.country_code)]
        if p.geonameid:
            keys.append(("G", p.geonameid))
        return keys

    def _cell(self, p: Place) -> tuple[int, int, int] | None:
        try:
            return sphere_cell(p.latitude, p.longitude, self._step)
        except (ValueError, OverflowError):  # no coordinates to measure: no distance holds
            return None


class Incidents:
    """The incidents of one article as assembly founds them, in the text order of the mentions
    that found them. Mentions are added, and places changed, through it."""

    def __init__(self, rules, summaries: Summaries) -> None:
        self.items: list[Incident] = []
        self._rules, self._summaries = rules, summaries
        self._number: dict[int, int] = {}  # id(incident) -> its index
        self._starts: list[int] = []  # where each one's founding mention is
        self._in_order = True
        self._places = PlaceIndex(rules.same_place_km)
        self._scenes: _Scenes | None = None  # from ``read_scenes`` on

    def found(self, m: Mention) -> Incident:
        incident = Incident([m], m.toponyms[0])
        k = len(self.items)
        self.items.append(incident)
        self._number[id(incident)] = k
        self._in_order = self._in_order and (not self._starts or self._starts[-1] <= m.sentence.start)
        self._starts.append(m.sentence.start)
        self._places.add(k, incident.toponym)
        if self._scenes is not None:
            self._scenes.add(k, incident)
        return incident

    def add(self, incident: Incident, m: Mention) -> None:
        k = self._number[id(incident)]
        incident.mentions.append(m)
        t = m.toponyms[0] if m.toponyms else None
        if t is not None and t.place is not None and t.place.within is not None:
            self._places.add(k, t)
        if self._scenes is not None and t is not None and specific(t):
            self._scenes.told_at(k, m.sentence.start)

    def place(self, incident: Incident, toponym: Toponym) -> None:
        incident.toponym = toponym
        self._places.add(self._number[id(incident)], toponym)

    def home(self, m: Mention) -> Incident | None:
        """The first incident ``m`` joins (``coreference.joins``): only those indexed at a place
        that may be ``m``'s can."""
        return next((self.items[k] for k in self._places.near(m.toponyms[0])
                     if joins(self.items[k], m, self._rules, self._summaries)), None)

    def antecedents(self, m: Mention) -> list[Incident]:
        """``coreference.antecedents(m, incidents)``: those told by the latest sentence before
        ``m`` that founded an incident it can point back to, walked back from ``m`` (through
        the incidents at or near its place when its sentence names one)."""
        if not self._in_order:
            return antecedents(m, self.items, self._rules)
        end = bisect_right(self._starts, m.sentence.start)  # founded at or before it
        if area_of(m) is not None and specific(m.toponyms[0]):
            ks: Iterable[int] = (k for k in reversed(self._places.near(m.toponyms[0], province=True)) if k < end)
        else:
            ks = range(end - 1, -1, -1)
        out: list[Incident] = []
        latest = None
        for k in ks:
            if latest is not None and self._starts[k] != latest:
                break
            if points_back_to(m, self.items[k], self._rules, self._summaries):
                out.append(self.items[k])
                latest = self._starts[k]
        return out[::-1]

    def read_scenes(self) -> None:
        """Keep where each incident is first told at its own place from now on (for ``homes``)."""
        self._scenes = _Scenes()
        for k, incident in enumerate(self.items):
            self._scenes.add(k, incident)

    def first_scene(self, incident: Incident) -> int:
        return self._scenes.at[self._number[id(incident)]] if self._scenes is not None else first_scene(incident)

    def homes(self, m: Mention, *, kinds: bool) -> list[Incident]:
        """``coreference.homes(m, incidents)``: the compatible incidents first told at their place
        latest before ``m`` (all compatible ones when none is before it); after ``read_scenes``."""
        fits = self._summaries.all_compatible
        scenes = self._scenes
        j = bisect_right(scenes.values, m.sentence.start) - 1
        while j >= 0:
            hits = [k for k in sorted(scenes.of[scenes.values[j]]) if fits(self.items[k].mentions, m, kinds=kinds)]
            if hits:
                return [self.items[k] for k in hits]
            j -= 1
        return [i for i in self.items if fits(i.mentions, m, kinds=kinds)]


class _Scenes:
    """Each incident's first scene (``coreference.first_scene``), and the incidents by it."""

    def __init__(self) -> None:
        self.at: dict[int, int] = {}
        self.of: dict[int, set[int]] = {}
        self.values: list[int] = []  # sorted
        self.specific: set[int] = set()  # incidents with a mention told at its own place

    def add(self, k: int, incident: Incident) -> None:
        self.at[k] = first_scene(incident)
        if any(x.toponyms and specific(x.toponyms[0]) for x in incident.mentions):
            self.specific.add(k)
        self._file(k, self.at[k])

    def told_at(self, k: int, start: int) -> None:
        """A mention at a place of its own, at ``start``, joined incident ``k``."""
        old = self.at[k]
        # (a first scene is its earliest such mention, else where its first mention is)
        new = min(old, start) if k in self.specific else start
        self.specific.add(k)
        if new != old:
            self.of[old].discard(k)
            self.at[k] = new
            self._file(k, new)

    def _file(self, k: int, scene: int) -> None:
        if scene not in self.of:
            self.of[scene] = set()
            insort(self.values, scene)
        self.of[scene].add(k)


class LatestOfType:
    """The mentions read so far (news and recalled ones, in text order), by kind
    (``type_key``): which is the latest of a type compatible with a mention, before it
    (``assemble._news``), without reading them all for each mention."""

    def __init__(self) -> None:
        self._kind: dict[tuple, Mention] = {}  # one mention per type key
        self._starts: dict[tuple, tuple[list[int], list[int]]] = {}  # key -> (news, recalled) starts
        self._in_order = True
        self._last = -1

    def add(self, m: Mention, *, recalled: bool) -> None:
        key = type_key(m)
        self._kind.setdefault(key, m)
        self._starts.setdefault(key, ([], []))[recalled].append(m.sentence.start)
        self._in_order = self._in_order and m.sentence.start >= self._last
        self._last = max(self._last, m.sentence.start)

    def recalled_before(self, m: Mention) -> bool:
        """Is the latest compatible mention before ``m`` (a news one first among equals) a
        recalled one?"""
        news = recalled = None
        for key, x in self._kind.items():
            if not types_compatible(x, m):
                continue
            for i, starts in enumerate(self._starts[key]):
                if self._in_order:
                    j = bisect_left(starts, m.sentence.start)
                    best = starts[j - 1] if j else None
                else:
                    best = max((s for s in starts if s < m.sentence.start), default=None)
                if best is not None and i == 0:
                    news = best if news is None else max(news, best)
                elif best is not None:
                    recalled = best if recalled is None else max(recalled, best)
        return recalled is not None and (news is None or recalled > news)
