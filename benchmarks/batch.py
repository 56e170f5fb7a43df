"""Batch throughput and memory: local engine with 1 and 2 workers, Spark local[2], in one run.

    python benchmarks/batch.py [CORPUS] [--limit N] [--grow 4] [--core-hour-price 0.05]

For each run: articles/s over the whole run (worker start and model load included) and, for
the local engine, in steady state (from each worker's first finished chunk on), and the peak
resident memory of every worker process. ``--grow K`` runs the 2-worker local engine again on
K times the input (each article repeated with a new id) to show that a worker's memory does
not grow with the corpus. Then a table of time and core-hours for 1M and 100M articles,
from the measured 1-worker steady rate and the measured 2-worker scaling.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus.jsonl"


def write_sample(corpus: Path, dest: Path, *, limit: int | None, times: int) -> int:
    n = 0
    with open(corpus, encoding="utf-8") as src, open(dest, "w", encoding="utf-8") as out:
        lines = list(islice(src, limit)) if limit else src.readlines()
        for k in range(times):
            for line in lines:
                record = json.loads(line)
                if k:
                    record["id"] = f"{record.get('id')}#copy{k}"
                    record["text"] = record["text"] + f" (copy {k})"  # not a duplicate of the original
                out.write(json.dumps(record) + "\n")
                n += 1
    return n


def run_local_measured(sample: Path, out: Path, workers: int) -> dict:
    from flashpoint.batch import run_local

    reports: list[tuple[float, int, int]] = []  # (time, worker, items) per finished chunk

    def on_chunk(done) -> None:
        reports.append((time.perf_counter(), done.worker, done.items))

    start = time.perf_counter()
    summary = run_local([str(sample)], out, workers=workers, chunk_size=16, on_chunk=on_chunk)
    wall = time.perf_counter() - start
    # steady state: from the moment every worker has finished its first chunk (models loaded)
    firsts = {}
    for t, worker, _ in reports:
        firsts.setdefault(worker, t)
    t0 = max(firsts.values())
    later = [(t, items) for t, _, items in reports if t > t0]
    span = later[-1][0] - t0 if later else 0.0
    return {
        "name": f"local, {workers} worker(s)", "items": summary.items, "events": summary.events, "wall": wall,
        "rate": summary.items / wall,
        "steady": sum(i for _, i in later) / span if span > 0 else float("nan"),
        "rss": sorted(summary.peak_rss_mb.values()),
    }


def run_spark_measured(sample: Path, out: Path) -> dict:
    from pyspark.sql import SparkSession

    from flashpoint.batch.spark import run_spark

    start = time.perf_counter()
    try:
        summary = run_spark([str(sample)], str(out), master="local[2]")
    finally:
        if (active := SparkSession.getActiveSession()) is not None:
            active.stop()
    wall = time.perf_counter() - start
    return {
        "name": "Spark local[2]", "items": summary.items, "events": summary.events, "wall": wall,
        "rate": summary.items / wall, "steady": summary.items / summary.extract_seconds,
        "rss": sorted(summary.peak_rss_mb.values()),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, help="use the first N articles (default: all)")
    ap.add_argument("--grow", type=int, default=4, help="also run local/2 workers on this many times the input")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--core-hour-price", type=float, default=0.05, help="USD per core-hour, for the cost table")
    args = ap.parse_args()
    if not args.corpus.exists():
        print(f"{args.corpus} is absent", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n = write_sample(args.corpus, tmp / "x1.jsonl", limit=args.limit, times=1)
        print(f"corpus: {args.corpus} ({n} articles)")
        rows.append(run_local_measured(tmp / "x1.jsonl", tmp / "local1", 1))
        rows.append(run_local_measured(tmp / "x1.jsonl", tmp / "local2", 2))
        if not args.no_spark:
            rows.append(run_spark_measured(tmp / "x1.jsonl", tmp / "spark"))
        if args.grow > 1:
            write_sample(args.corpus, tmp / "xk.jsonl", limit=args.limit, times=args.grow)
            grown = run_local_measured(tmp / "xk.jsonl", tmp / "localk", 2)
            grown["name"] += f", {args.grow}x input"
            rows.append(grown)

    print("\n| run | articles | events | wall s | articles/s (wall) | articles/s (steady) | peak RSS per worker MB |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        rss = ", ".join(f"{v:.0f}" for v in r["rss"])
        print(f"| {r['name']} | {r['items']} | {r['events']} | {r['wall']:.1f} | {r['rate']:.2f} | "
              f"{r['steady']:.2f} | {rss} |")
    one, two = rows[0], rows[1]
    speedup = two["steady"] / one["steady"]
    print(f"\n2 workers / 1 worker, steady state: {speedup:.2f}x (wall, with model loads: "
          f"{two['rate'] / one['rate']:.2f}x)")
    per_core, efficiency = one["steady"], min(1.0, speedup / 2)
    print(f"per-core rate {per_core:.2f} articles/s; parallel efficiency at 2 cores {efficiency:.2f} "
          f"(assumed for N cores); cost at ${args.core_hour_price}/core-hour\n")
    print("| cores | 1M articles: hours | 100M articles: hours | core-hours (1M / 100M) | cost USD (1M / 100M) |")
    print("|---|---|---|---|---|")
    for cores in (2, 16, 64, 256, 1024):
        rate = per_core * cores * efficiency
        h1, h100 = 1e6 / rate / 3600, 1e8 / rate / 3600
        ch1, ch100 = h1 * cores, h100 * cores
        print(f"| {cores} | {h1:,.1f} | {h100:,.1f} | {ch1:,.0f} / {ch100:,.0f} | "
              f"{ch1 * args.core_hour_price:,.0f} / {ch100 * args.core_hour_price:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
