"""Weapons and tactics named in a sentence, as the codebook's canonical weapon names.

The lexicon (``data/weapons.toml``) maps surface phrases to names from ``model.WEAPONS``;
matching is longest-first with each token used once, so "mortar shells" is a mortar and not
also artillery, and "tear gas" is not a chemical weapon.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datafiles import read_toml
from ..model import WEAPONS
from .phrases import Phrase, PhraseSet, expand_phrases, sentence_tokens

_IGNORE = ""  # canonical name of the [ignore] phrases


@dataclass(frozen=True)
class WeaponLexicon:
    version: str
    phrases: PhraseSet
    canonical: dict[Phrase, str]  # phrase -> weapon name ("" = not a weapon)

    @classmethod
    def load(cls, path: Path | None = None) -> WeaponLexicon:
        data = read_toml(path, "weapons.toml")
        canonical: dict[Phrase, str] = {}
        for p in expand_phrases(data.get("ignore", {}).get("phrases", ()), {}).phrases:
            canonical[p] = _IGNORE
        for entry in data["weapon"]:
            name = entry["name"]
            if name not in WEAPONS:
                raise ValueError(f"weapons lexicon: {name!r} is not a codebook weapon")
            for p in expand_phrases(entry["phrases"], {}).phrases:
                canonical.setdefault(p, name)
        return cls(str(data.get("version", "")), PhraseSet(canonical), canonical)


def weapons_in(sent: Any, *, lexicon: WeaponLexicon) -> tuple[str, ...]:
    """Canonical weapon names mentioned in the sentence, in the codebook's order."""
    toks = sentence_tokens(sent)
    found: set[str] = set()
    used_until = -1  # position up to which tokens are taken by an earlier, longer match
    for start, length, phrase in lexicon.phrases.find(toks):
        if start <= used_until:
            continue
        used_until = start + length - 1
        name = lexicon.canonical[phrase]
        if name:
            found.add(name)
    return tuple(w for w in WEAPONS if w in found)
