"""Throughput of the full ``extract`` pipeline against bare spaCy, on the same articles.

    python benchmarks/throughput.py [--n 1000] [--corpus ../shared/data/corpus.jsonl]
        [--typing-model MODEL.npz]

``--typing-model`` adds a third side: the pipeline with the learned typing check (with a model
that reads sentence embeddings, the encoder runs over every sentence), so its cost shows
beside the default pipeline's.

    python benchmarks/throughput.py --long [--sizes 10000,30000,100000,300000,1000000]

``--long`` instead times the pipeline on single articles of one line each (no line break at
all, as many pages arrive), of about 10k to 1M characters: the example articles' sentences
(examples/articles) and sentences written here, with places, days and figures varied. Time per
character should not grow with the length. Each size runs in its own child process (peak
memory is per size), after a short warm-up article.

Each side runs in its own child process, so peak memory (max RSS) is measured per side. Both
sides get the same 1,000 articles of ../shared/data/corpus.jsonl (the first N in file order)
and the same model; bare spaCy parses the raw article texts with ``nlp.pipe``, the pipeline
reads, cleans, parses, geoparses, detects and resolves events. Models and the gazetteer are
loaded before the clock starts: their load time is reported separately.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "corpus.jsonl"
LONG_SIZES = (10_000, 30_000, 100_000, 300_000, 1_000_000)
LONG_PUBLISHED = "2025-03-20"
# Sentences for --long beside the examples' own (invented reports, as the examples are).
LONG_PLACES = ("Aleppo", "Idlib", "Homs", "Hama", "Daraa", "Mosul", "Kirkuk", "Tikrit", "Sanaa", "Taiz",
               "Marib", "Raqqa", "Deir ez-Zor", "Tripoli", "Benghazi", "Misrata", "Hodeidah", "Aden")
LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "March 3",
             "last week", "early on Sunday")
LONG_SENTENCES = (
    "Syrian troops clashed with rebels near {place} on {day}, killing {n} people.",
    '"We will not leave {place}," a local commander told reporters on {day}, after {n} fighters were wounded.',
    "Police in {place} arrested {n} protesters who blocked a road on {day}, witnesses said.",
    "An air strike hit a market in the village of Kafr Nabl, south of {place}, on {day}, "
    "the Syrian Observatory for Human Rights said.",
    "The United Nations said on {day} that aid convoys had reached {place} for the first time since 2016.",
)


def _articles(corpus: Path, n: int):
    from flashpoint.ingest import read_inputs

    return list(islice((a for a in read_inputs([str(corpus)]) if not hasattr(a, "reason")), n))


def run_side(side: str, corpus: Path, n: int, batch_size: int, typing_model: Path | None = None) -> dict:
    t0 = time.perf_counter()
    articles = _articles(corpus, n)
    words = sum(len(a.text.split()) for a in articles)
    if side == "spacy":
        from flashpoint.nlp import load_model

        nlp = load_model()
        loaded = time.perf_counter()
        start = time.perf_counter()
        for _ in nlp.pipe((a.text for a in articles), batch_size=batch_size):
            pass
        events = 0
    else:
        from flashpoint.pipeline import Pipeline, PipelineOptions, Resources

        resources = Resources.load(typing_model=typing_model if side == "pipeline+model" else None)
        loaded = time.perf_counter()
        pipeline = Pipeline(resources, options=PipelineOptions(batch_size=batch_size))
        start = time.perf_counter()
        events = sum(len(r.events) for r in pipeline.run(articles))
    seconds = time.perf_counter() - start
    return {
        "side": side,
        "articles": len(articles),
        "words": words,
        "seconds": seconds,
        "load_seconds": loaded - t0,
        "events": events,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def long_text(chars: int, *, seed: int = 0) -> str:
    """One line of at most ``chars`` characters, cut after a sentence: every third sentence is one
    of the example articles (cleaned, without their datelines, each on one line), the others are
    ``LONG_SENTENCES`` with places, days and figures drawn with a fixed seed."""
    import random

    from flashpoint.ingest import CleaningRules, clean_article, read_inputs

    rules = CleaningRules.load()
    examples = []
    for article in read_inputs([str(ROOT / "examples" / "articles")]):
        clean = article if hasattr(article, "reason") else clean_article(article, rules=rules)
        if not hasattr(clean, "reason"):
            examples.append(" ".join(clean.text[clean.dateline.end if clean.dateline else 0:].split()))
    rng = random.Random(seed)
    parts, total, k = [], 0, 0
    while total <= chars:
        if k % 3 == 0:
            part = examples[(k // 3) % len(examples)]
        else:
            part = rng.choice(LONG_SENTENCES).format(place=rng.choice(LONG_PLACES), day=rng.choice(LONG_DAYS),
                                                    n=rng.randint(2, 40))
        parts.append(part)
        total += len(part) + 1
        k += 1
    text = " ".join(parts)[:chars]
    return text[: text.rfind(". ") + 1] if ". " in text else text


def run_long(chars: int) -> dict:
    """The pipeline on one ``long_text(chars)`` article (after a warm-up one), in this process."""
    import datetime as dt

    from flashpoint.model import Article
    from flashpoint.pipeline import Pipeline, Resources

    t0 = time.perf_counter()
    text = long_text(chars)
    pipeline = Pipeline(Resources.load())
    published = dt.date.fromisoformat(LONG_PUBLISHED)
    list(pipeline.run([Article(id="warm-up", text=long_text(3000, seed=1), origin="warm-up", published=published)]))
    loaded = time.perf_counter()
    start = time.perf_counter()
    (result,) = list(pipeline.run([Article(id="long", text=text, origin="long", published=published)]))
    seconds = time.perf_counter() - start
    return {
        "chars": len(text),
        "seconds": seconds,
        "load_seconds": loaded - t0,
        "events": len(result.events),
        "error": result.error.reason if result.error else None,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main_long(sizes: list[int]) -> None:
    rows = []
    for chars in sizes:
        out = subprocess.run([sys.executable, __file__, "--long-side", str(chars)],
                             check=True, capture_output=True, text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'characters':>10} {'seconds':>8} {'us/char':>8} {'peak MB':>8} {'events':>7}")
    for r in rows:
        print(f"{r['chars']:10d} {r['seconds']:8.1f} {r['seconds'] / r['chars'] * 1e6:8.1f} "
              f"{r['peak_rss_mb']:8.0f} {r['events']:7d}" + (f"  error: {r['error']}" if r["error"] else ""))
    per_char = [r["seconds"] / r["chars"] for r in rows]
    print(f"time per character, largest / smallest text = {per_char[-1] / per_char[0]:.2f}  (flat: about 1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--typing-model", type=Path, help="Also measure the pipeline with this typing model.")
    parser.add_argument("--side", choices=["spacy", "pipeline", "pipeline+model"], help=argparse.SUPPRESS)
    parser.add_argument("--long", action="store_true", help="Time single one-line articles of 10k to 1M characters.")
    parser.add_argument("--sizes", default=",".join(map(str, LONG_SIZES)),
                        help="--long: the article sizes in characters, comma-separated.")
    parser.add_argument("--long-side", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.long_side:
        print(json.dumps(run_long(args.long_side)))
        return
    if args.long:
        main_long([int(s) for s in args.sizes.split(",")])
        return
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus} (../shared/data/corpus.jsonl is the benchmark's input)")
    if args.side:
        print(json.dumps(run_side(args.side, args.corpus, args.n, args.batch_size, args.typing_model)))
        return
    results = {}
    sides = ("spacy", "pipeline") + (("pipeline+model",) if args.typing_model else ())
    for side in sides:
        model_args = ["--typing-model", str(args.typing_model)] if args.typing_model else []
        out = subprocess.run(
            [sys.executable, __file__, "--side", side, "--n", str(args.n), "--corpus", str(args.corpus),
             "--batch-size", str(args.batch_size), *model_args],
            check=True, capture_output=True, text=True,
        )
        results[side] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{'':14} {'articles':>8} {'seconds':>8} {'art/s':>7} {'words/s':>8} {'peak MB':>8} {'load s':>7} {'events':>7}")
    for side, r in results.items():
        print(f"{side:14} {r['articles']:8d} {r['seconds']:8.1f} {r['articles'] / r['seconds']:7.1f} "
              f"{r['words'] / r['seconds']:8.0f} {r['peak_rss_mb']:8.0f} {r['load_seconds']:7.1f} {r['events']:7d}")
    ratio = results["spacy"]["seconds"] / results["pipeline"]["seconds"]
    print(f"pipeline speed / bare spaCy speed = {ratio:.2f}  (target >= 0.60)")
    if "pipeline+model" in results:
        ratio = results["spacy"]["seconds"] / results["pipeline+model"]["seconds"]
        print(f"pipeline+model speed / bare spaCy speed = {ratio:.2f}  (the model is optional)")


if __name__ == "__main__":
    main()
