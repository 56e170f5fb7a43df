"""The web page (map, timeline, event panel): static files served by the API app.

``static/`` holds the page; Leaflet and its marker clustering come from the installed
``xstatic-leaflet`` and ``xstatic-leaflet-markercluster`` packages, the API docs' Swagger UI 5
(which reads the OpenAPI 3.1 the app serves) from ``fastapi-offline``'s static folder: nothing is
loaded from the internet.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def static_dir() -> Path:
    return Path(str(files("flashpoint.web").joinpath("static")))


def vendor_dirs() -> dict[str, Path]:
    """URL prefix under /vendor -> the installed package's asset folder."""
    import fastapi_offline
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {
        "leaflet": Path(leaflet.BASE_DIR),
        "markercluster": Path(markercluster.BASE_DIR),
        # only its files are used (swagger-ui-bundle.js, swagger-ui.css, favicon.png), not its app
        "swagger-ui": Path(fastapi_offline.__file__).parent / "static",
    }
