"""Ingest: read inputs, clean them to news text, find their metadata and language.

    rules = CleaningRules.load()
    for item in read_inputs(["articles/", "-"], published=None):
        clean = clean_article(item, rules=rules) if isinstance(item, Article) else item
"""

from .clean import clean_article
from .readers import content_id, read_inputs
from .rules import CleaningRules

__all__ = ["CleaningRules", "clean_article", "content_id", "read_inputs"]
