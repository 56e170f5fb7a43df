"""Batch runs over whole corpora: a local process pool (:mod:`.local`) or Apache Spark
(:mod:`.spark`), with the same output (layout in :mod:`.io`, schemas in :mod:`.records`) and
the same cross-article linking (:mod:`.linking`) as ``flashpoint ingest``.

Nothing is imported from Spark here: ``flashpoint.batch.spark`` is imported only when used.
"""

from .io import Replay, is_batch_output, read_events, read_items
from .local import BatchSummary, run_local

__all__ = ["BatchSummary", "Replay", "is_batch_output", "read_events", "read_items", "run_local"]
