"""Cost of the geoparser inside the pipeline, and of the gazetteer index.

    python benchmarks/geoparse.py [--n 300] [--corpus ../shared/data/corpus.jsonl]

Prints: gazetteer open time and the process's max RSS after opening it (fresh process);
then, on the first N articles, the time of cleaning + spaCy (``annotate``) against the time
of the geoparser on the same documents, and the geoparser's share.
"""

from __future__ import annotations

import argparse
import resource
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "data" / "corpus.jsonl")
    args = ap.parse_args()
    from flashpoint.places import Gazetteer, Geoparser

    t0 = time.perf_counter()
    gazetteer = Gazetteer.open()
    print(f"gazetteer open {time.perf_counter() - t0:.3f} s, max RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    from flashpoint.ingest import CleaningRules, clean_article, read_inputs
    from flashpoint.model import CleanArticle
    from flashpoint.nlp import annotate, load_model

    nlp, rules, geoparser = load_model(), CleaningRules.load(), Geoparser(gazetteer)
    articles = [a for a in islice((a for a in read_inputs([str(args.corpus)]) if not hasattr(a, "reason")),
                                  args.n)]
    t0 = time.perf_counter()
    clean = [c for c in (clean_article(a, rules=rules) for a in articles) if isinstance(c, CleanArticle)]
    docs = list(annotate(clean, nlp))
    t_nlp = time.perf_counter() - t0
    t0 = time.perf_counter()
    mentions = 0
    for d in docs:
        dl = d.clean.dateline
        mentions += len(geoparser(d, exclude=((dl.start, dl.end),) if dl else ()))
    t_geo = time.perf_counter() - t0
    print(f"{len(docs)} articles: clean+spaCy {t_nlp:.1f} s, geoparser {t_geo:.1f} s "
          f"({t_geo / t_nlp:.1%} of clean+spaCy), {mentions} place mentions; max RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
