"""Geoparsing evaluation on gold sets (GeoWebNews, TR-News, GeoVirus as in ../shared).

Each line: {"id", "text", "toponyms": [{"start", "end", "name", "lat", "lon", ...}]}.
Finding is scored by span overlap; resolution by great-circle error in km, as in
Gritta et al. (2018/2019): accuracy within 161 km (100 miles), mean error, and the area
under the curve of log-scaled errors (AUC, lower is better).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Article, CleanArticle, Document
from ..places.resolve import haversine

_MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the worst possible error


@dataclass(frozen=True)
class GeoparseReport:
    name: str
    documents: int
    gold: int
    predicted: int
    matched: int  # gold toponyms overlapped by a prediction
    within_161: int  # of the matched, resolved within 161 km
    errors_km: tuple[float, ...]  # one per gold toponym; misses and unresolved count as the maximum
    spacy_seconds: float
    geoparse_seconds: float
    matched_predictions: int = 0  # predictions that overlap a gold toponym

    @property
    def precision(self) -> float:
        return self.matched_predictions / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def acc161_all(self) -> float:
        return self.within_161 / self.gold if self.gold else 0.0

    @property
    def acc161_found(self) -> float:
        return self.within_161 / self.matched if self.matched else 0.0

    @property
    def mean_error_km(self) -> float:
        """Mean error over the found (and resolved or not) gold toponyms."""
        found = [e for e in self.errors_km[: self.matched]]
        return sum(found) / len(found) if found else 0.0

    @property
    def auc(self) -> float:
        """Gritta et al.'s AUC: mean of ln(1+error)/ln(max error) over all gold toponyms."""
        if not self.errors_km:
            return 1.0
        top = math.log(_MAX_ERROR_KM + 1)
        return sum(math.log(e + 1) / top for e in self.errors_km) / len(self.errors_km)

    def format(self) -> str:
        overhead = self.geoparse_seconds / self.spacy_seconds if self.spacy_seconds else 0.0
        return (
            f"{self.name}: {self.documents} docs, {self.gold} gold toponyms, {self.predicted} predicted\n"
            f"  precision {self.precision:.3f}  recall {self.recall:.3f}\n"
            f"  acc@161 over all gold {self.acc161_all:.3f}  over found {self.acc161_found:.3f}\n"
            f"  mean error (found) {self.mean_error_km:.0f} km  AUC (all gold) {self.auc:.3f}\n"
            f"  time: spaCy {self.spacy_seconds:.1f} s, geoparser {self.geoparse_seconds:.1f} s "
            f"(+{overhead:.0%})"
        )


HALVES = ("all", "even", "odd")


def evaluate_geoparse(path: Path, *, nlp: Any, geoparser: Any, limit: int | None = None,
                      half: str = "all") -> GeoparseReport:
    """Run ``geoparser`` over a gold file and score it (``limit``: first N documents only).

    ``half``: "even" (documents 0, 2, 4, ... in file order: the half the weights were tuned
    on), "odd" (the held-out half) or "all".
    """
    from ..nlp import spacy_text

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines if line.strip()]
    if half != "all":
        docs = docs[(0 if half == "even" else 1)::2]
    docs = docs[:limit]
    found_errors: list[float] = []
    missed = 0
    gold = predicted = matched_pred = within = 0
    t_spacy = t_geo = 0.0
    for d in docs:
        text = d["text"]
        t0 = time.perf_counter()
        sdoc = nlp(spacy_text(text))
        t1 = time.perf_counter()
        article = Article(id=str(d["id"]), text=text, origin=str(path))
        doc = Document(clean=CleanArticle(article=article, text=text, title=None, published=None,
                                          outlet=None, language="en"), spacy_doc=sdoc)
        toponyms = geoparser(doc)
        t_geo += time.perf_counter() - t1
        t_spacy += t1 - t0
        predicted += len(toponyms)
        used = set()
        for g in d["toponyms"]:
            gold += 1
            hit = next((i for i, t in enumerate(toponyms) if t.start < g["end"] and g["start"] < t.end), None)
            if hit is None:
                missed += 1
                continue
            used.add(hit)
            p = toponyms[hit].place
            err = haversine(p.latitude, p.longitude, g["lat"], g["lon"]) if p else _MAX_ERROR_KM
            found_errors.append(err)
            within += err <= 161
        matched_pred += sum(1 for i, t in enumerate(toponyms)
                            if i in used or any(t.start < g["end"] and g["start"] < t.end for g in d["toponyms"]))
    return GeoparseReport(
        name=Path(path).name + ("" if half == "all" else f" ({half} half)"), documents=len(docs), gold=gold, predicted=predicted,
        matched=len(found_errors), within_161=within,
        errors_km=tuple(found_errors) + (_MAX_ERROR_KM,) * missed,
        spacy_seconds=t_spacy, geoparse_seconds=t_geo, matched_predictions=matched_pred,
    )


def main() -> None:  # python -m flashpoint.evaluate.geoparse FILE... [--limit N] [--half even|odd]
    import argparse

    from ..nlp import load_model
    from ..places import Gazetteer, Geoparser

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--half", choices=HALVES, default="all",
                    help="even: the tuning half; odd: the held-out half")
    args = ap.parse_args()
    nlp, geoparser = load_model(), Geoparser(Gazetteer.open())
    for f in args.files:
        print(evaluate_geoparse(f, nlp=nlp, geoparser=geoparser, limit=args.limit, half=args.half).format())


if __name__ == "__main__":
    main()
