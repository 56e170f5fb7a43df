"""Throughput of the full ``extract`` pipeline against bare spaCy, on the same articles.

    python benchmarks/throughput.py [--n 1000] [--corpus ../shared/data/corpus.jsonl]
        [--typing-model MODEL.npz]

``--typing-model`` adds a third side: the pipeline with the learned typing check (with a model
that reads sentence embeddings, the encoder runs over every sentence), so its cost shows
beside the default pipeline's.

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--typing-model", type=Path, help="Also measure the pipeline with this typing model.")
    parser.add_argument("--side", choices=["spacy", "pipeline", "pipeline+model"], help=argparse.SUPPRESS)
    args = parser.parse_args()
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
