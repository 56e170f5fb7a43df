"""Run the full extract pipeline over short snippets and report each one's first event type.

Evaluation runs the very pipeline ``extract`` runs, so its figures describe what users get:
a snippet's answer is the sub-event type of the first event emitted for it, or None.
"""

from __future__ import annotations

import hashlib

from ..model import Article


def first_event_types(texts: list[str], *, pipeline) -> list[str | None]:
    articles = [
        Article(id="snippet-" + hashlib.sha256(t.encode()).hexdigest()[:12], text=t, origin=f"snippet:{i + 1}")
        for i, t in enumerate(texts)
    ]
    answers: list[str | None] = []
    for result in pipeline.run(articles):
        answers.append(result.events[0].sub_event_type if result.events else None)
    return answers
