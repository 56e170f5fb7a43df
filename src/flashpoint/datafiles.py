"""The package's versioned data files (``src/flashpoint/data/``), read one way everywhere.

Every rule or dictionary loader takes an optional ``path`` (the caller's own file) and
otherwise reads the packaged file of that name.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


def data_path(name: str) -> Path:
    """The packaged data file ``name`` as a filesystem path."""
    return Path(str(resources.files("flashpoint") / "data" / name))


def read_toml(path: str | Path | None, default_name: str) -> dict[str, Any]:
    """``path`` parsed as TOML, or the packaged ``default_name`` when ``path`` is None."""
    with open(Path(path) if path is not None else data_path(default_name), "rb") as fh:
        return tomllib.load(fh)


def read_text(path: str | Path | None, default_name: str) -> str:
    """``path`` as UTF-8 text, or the packaged ``default_name`` when ``path`` is None."""
    return (Path(path) if path is not None else data_path(default_name)).read_text(encoding="utf-8")
