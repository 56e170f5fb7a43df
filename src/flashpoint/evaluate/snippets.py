"""Run the full extract pipeline over short snippets and report each one's first event type.

Evaluation runs the very pipeline ``extract`` runs, so its figures describe what users get:
a snippet's answer is the sub-event type of the first event emitted for it, or None.
Cross-validation parses each snippet once (:func:`annotate_snippets`) and then runs the
pipeline's later stages (:func:`first_event_type`) once per configuration.
"""

from __future__ import annotations

import hashlib

from ..ingest import clean_article
from ..model import Article, CleanArticle, Document
from ..nlp import annotate


def snippet_articles(texts: list[str]) -> list[Article]:
    return [
        Article(id="snippet-" + hashlib.sha256(t.encode()).hexdigest()[:12], text=t, origin=f"snippet:{i + 1}")
        for i, t in enumerate(texts)
    ]


def first_event_types(texts: list[str], *, pipeline) -> list[str | None]:
    answers: list[str | None] = []
    for result in pipeline.run(snippet_articles(texts)):
        answers.append(result.events[0].sub_event_type if result.events else None)
    return answers


def annotate_snippets(texts: list[str], *, resources) -> list[Document | None]:
    """Each snippet cleaned and parsed as ``extract`` does; None where cleaning rejects it."""
    cleaned = [clean_article(a, rules=resources.cleaning) for a in snippet_articles(texts)]
    good = [c for c in cleaned if isinstance(c, CleanArticle)]
    parsed = iter(annotate(good, resources.nlp, batch_size=32))
    return [next(parsed) if isinstance(c, CleanArticle) else None for c in cleaned]


def first_event_type(doc: Document | None, *, pipeline) -> str | None:
    """The type of the first event the pipeline emits for an annotated snippet."""
    if doc is None:
        return None
    result = pipeline.process(doc)
    return result.events[0].sub_event_type if result.events else None
