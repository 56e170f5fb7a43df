"""The pipeline: the order of the stages, readable in one function (:meth:`Pipeline.run`).

    Article --make safe--> Article --clean--> CleanArticle --annotate--> Document
            --geoparse--> Document+toponyms --detect--> [Mention] --assemble--> [Incident]
            --resolve--> [Event]

``make safe`` (``ingest/safety.py``) is where every item's text, fields and dates are brought
within what the stages, stores and writers hold; an item that still fails in a stage is
reported on its own and the rest of its batch goes on.

``detect`` reads sentence by sentence; ``assemble`` reads the whole article as a coder does
(is it news, is it an event report at all, which sentences tell the same incident);
``resolve`` fills the codebook's fields of each incident.

With a typing model that reads sentence embeddings (``--typing-model``), an ``encode`` stage
after ``annotate`` sets ``Document.sentence_vectors``, a batch of articles at a time.

Everything a stage needs (the spaCy model, rule files, the gazetteer) is loaded once into
:class:`Resources` and passed in; no stage reads global state.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from .events.assemble import AssemblyRules, assemble_incidents
from .events.detect import DetectionRules, detect_mentions
from .events.resolve import resolve_events
from .ingest import CleaningRules, clean_article
from .ingest.safety import SafetyLimits, bound_clean, bound_events, safe_article
from .model import Article, ArticleResult, CleanArticle, Document, ItemError, Mention, Source
from .nlp import annotate, load_model
from .places import Gazetteer, Geoparser


@dataclass(frozen=True)
class Resources:
    """What the pipeline loads once per process."""

    nlp: object  # spacy.language.Language (typed loosely: only nlp.py imports spaCy)
    cleaning: CleaningRules
    detection: DetectionRules
    assembly: AssemblyRules
    geoparser: Geoparser
    encoder: object | None = None  # encoder.SentenceEncoder, when the typing model reads embeddings

    @classmethod
    def load(cls, *, gazetteer: Gazetteer | None = None, typing_model: Path | None = None) -> Resources:
        """Load everything once. ``typing_model``: a file from ``flashpoint typing-model train``
        (the learned check on the typing rules; its sentence encoder is loaded with it). A model
        that cannot be used raises :class:`~.events.typing_model.TypingModelUnusable` before
        the language model loads."""
        detection = DetectionRules.load()
        encoder = None
        if typing_model is not None:
            model = load_typing_model(typing_model)
            detection = replace(detection, typing_model=model)
            encoder = load_encoder_for(model)
        return cls(
            nlp=load_model(),
            cleaning=CleaningRules.load(),
            detection=detection,
            assembly=AssemblyRules.load(),
            geoparser=Geoparser(gazetteer or Gazetteer.open()),
            encoder=encoder,
        )


def load_typing_model(path: Path):
    """The :class:`~.events.typing_model.TypingModel` at ``path``, checked against the sentence
    encoder it needs (installed, the one it was fitted on) without loading the encoder.

    Raises :class:`~.events.typing_model.TypingModelUnusable` (and only that) for a model that
    cannot be used, so that callers can report it without mistaking other errors for it."""
    import zipfile

    from .encoder import MODEL_NAME, EncoderUnavailable, require_installed
    from .events.typing_model import TypingModel, TypingModelUnusable

    try:
        model = TypingModel.load(path)
        if model.encoder is not None:
            require_installed()
            if model.encoder != MODEL_NAME:
                raise ValueError(f"fitted on {model.encoder} embeddings, "
                                 f"but the installed encoder is {MODEL_NAME}")
    except EncoderUnavailable as exc:
        raise TypingModelUnusable(str(exc)) from exc
    # numpy's errors for what is not an .npz of ours: a pickle or text (ValueError), an empty
    # file (EOFError), a cut-off archive (BadZipFile), missing arrays (KeyError), no file (OSError)
    except (ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile) as exc:
        reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise TypingModelUnusable(f"cannot use typing model {path}: {reason}") from exc
    return model


def load_encoder_for(model):
    """The sentence encoder ``model`` reads, loaded (about 6 s), or None if it reads none."""
    if model.encoder is None:
        return None
    from .encoder import EncoderUnavailable, SentenceEncoder
    from .events.typing_model import TypingModelUnusable

    try:
        return SentenceEncoder.load()
    except EncoderUnavailable as exc:  # installed, but its import fails
        raise TypingModelUnusable(str(exc)) from exc


@dataclass(frozen=True)
class PipelineOptions:
    batch_size: int = 16  # articles per spaCy batch
    limits: SafetyLimits = SafetyLimits()  # what one item may hold (ingest/safety.py)


class Pipeline:
    """``Pipeline(resources).run(items)`` yields one :class:`ArticleResult` per input item."""

    def __init__(self, resources: Resources, *, options: PipelineOptions | None = None) -> None:
        self.resources = resources
        self.options = options or PipelineOptions()

    def run(self, items: Iterable[Article | ItemError]) -> Iterator[ArticleResult]:
        items = iter(items)
        while batch := list(islice(items, self.options.batch_size)):
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Article | ItemError]) -> Iterator[ArticleResult]:
        cleaned: list[CleanArticle | ItemError] = [
            item if isinstance(item, ItemError) else self._clean(item) for item in batch
        ]
        documents = iter(self._annotate([c for c in cleaned if isinstance(c, CleanArticle)]))
        for item in cleaned:
            if isinstance(item, ItemError):
                yield ArticleResult(origin=item.origin, article_id=None, error=item)
                continue
            doc = next(documents)
            if isinstance(doc, ItemError):
                yield ArticleResult(origin=item.article.origin, article_id=item.id, error=doc, clean=item,
                                    warnings=item.warnings)
                continue
            yield self.process(doc)

    def _clean(self, article: Article) -> CleanArticle | ItemError:
        try:
            article = safe_article(article, limits=self.options.limits)
            clean = clean_article(article, rules=self.resources.cleaning)
            if isinstance(clean, CleanArticle):
                clean = bound_clean(clean, limits=self.options.limits)
            return clean
        except Exception as exc:  # a bad item must never stop the batch
            return ItemError(article.origin, f"cleaning failed: {type(exc).__name__}: {exc}")

    def _annotate(self, good: list[CleanArticle]) -> list[Document | ItemError]:
        """spaCy (and the encoder) over a batch; should the batch raise, each article is parsed
        alone so that only the one at fault is reported."""
        try:
            return self._annotate_batch(good)
        except Exception:  # noqa: BLE001 - narrowed down article by article below
            out: list[Document | ItemError] = []
            for clean in good:
                try:
                    out.extend(self._annotate_batch([clean]))
                except Exception as exc:  # noqa: BLE001 - one bad item never stops the batch
                    out.append(ItemError(clean.article.origin,
                                         f"language analysis failed: {type(exc).__name__}: {exc}"))
            return out

    def _annotate_batch(self, good: list[CleanArticle]) -> list[Document]:
        documents = list(annotate(good, self.resources.nlp, batch_size=self.options.batch_size))
        if self.resources.encoder is not None:
            self.resources.encoder.encode_sentences(documents)
        return documents

    def process(self, doc: Document) -> ArticleResult:
        """Geoparse, detect mentions, assemble incidents and resolve events for one annotated
        document."""
        clean = doc.clean
        try:
            mentions = self.mentions(doc)
            source = Source(
                article_id=clean.id,
                outlet=clean.outlet,
                url=clean.article.url,
                published=clean.published,
                evidence=(),
            )
            # The news window counts from the article's own date when its text states one.
            incidents = assemble_incidents(mentions, doc=doc, rules=self.resources.assembly,
                                           reference=clean.stated_date or clean.published)
            events = resolve_events(incidents, mentions=mentions, source=source,
                                    actors=self.resources.detection.actors)
            events = bound_events(events, limits=self.options.limits)
        except Exception as exc:  # reported per item; the batch goes on
            return ArticleResult(
                origin=clean.article.origin,
                article_id=clean.id,
                error=ItemError(clean.article.origin, f"extraction failed: {type(exc).__name__}: {exc}"),
                clean=clean,
                warnings=clean.warnings,
            )
        return ArticleResult(origin=clean.article.origin, article_id=clean.id, events=events, clean=clean,
                             warnings=clean.warnings)

    def mentions(self, doc: Document) -> list[Mention]:
        """Geoparse one document (never at its dateline) and detect its event mentions."""
        dateline = doc.clean.dateline
        exclude = ((dateline.start, dateline.end),) if dateline else ()
        if self.resources.encoder is not None and doc.sentence_vectors is None:
            self.resources.encoder.encode_sentences([doc])
        doc.toponyms = self.resources.geoparser(doc, exclude=exclude)
        return detect_mentions(doc, rules=self.resources.detection)
