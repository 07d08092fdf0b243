"""The FastAPI application: REST API under /api, the dashboard at /, assets from the package.

>>> from amu.web import create_app
>>> app = create_app("amu.db")          # uvicorn.run(app) or `amu serve`

Routes only parse input, call the library (:mod:`amu.find`, :mod:`amu.analysis`, :mod:`amu.export`,
:mod:`amu.actors`, the store) and return JSON; every error has one shape (:mod:`amu.web.errors`).
Nothing is fetched from another host: the basemap is shipped as data (:mod:`amu.geo`), the scripts,
styles and outlines are served from ``amu/web/static``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles

from amu import __version__
from amu.find import RowCache, parse_filters
from amu.web import errors, routes_actors, routes_analysis, routes_incidents

DESCRIPTION = """Sourced, deduplicated, geocoded incidents from reports on violent extremism.

The incident filters are those of `amu incidents` (`since`, `until`, `actor`, `type`, `nationality`,
`country`, `min_killed`, `status`; list filters repeat or take comma-separated values). Every error is
`{"error": {"code", "message", "hint", "valid"}}`; an unknown filter value is a 400 whose `valid` lists
the valid values."""


def static_dir() -> str:
    """The folder of the dashboard's assets inside the installed package."""
    return str(resources.files("amu.web").joinpath("static"))


def _docs_assets() -> str:
    """Swagger UI's script and style as the fastapi-offline package ships them."""
    return str(resources.files("fastapi_offline").joinpath("static"))


@lru_cache(maxsize=1)
def _basemap_json() -> bytes:
    import json

    from amu.geo import basemap

    return json.dumps(basemap(), separators=(",", ":")).encode()


def create_app(db: str | Any, refresh_s: float = 1.0) -> FastAPI:
    """The app over one store: a ``--db`` value (SQLite path or ``postgresql://`` URL) or an open Store.

    The incident rows are kept in memory (:class:`amu.find.RowCache`); whether the store changed (an
    ingest while the server runs) is checked at most every ``refresh_s`` seconds.

    Raises:
        StoreError: the database does not exist or holds no Amu store (with a hint).
    """
    from amu.store import Store

    store = Store(db, create=False) if isinstance(db, str) else db
    # Load the gazetteer behind the country and nationality filters now, not in the first requests
    # (many at once would each load it).
    parse_filters(country=["TJ"], nationality=["Tajik"])
    app = FastAPI(title="Amu", version=__version__, description=DESCRIPTION, docs_url=None,
                  openapi_url="/openapi.json", redoc_url=None)
    app.state.store = store
    app.state.rows = RowCache(refresh_s=refresh_s)
    errors.install(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.include_router(routes_incidents.router)
    app.include_router(routes_actors.router)
    app.include_router(routes_analysis.router)

    @app.get("/api/basemap", tags=["map"], summary="Country outlines as SVG path data (offline basemap)")
    def basemap_route() -> Response:
        """Natural Earth 1:50m admin-0 outlines shipped with Amu: ``countries`` with ISO code, name, path data
        (x = longitude, y = -latitude, degrees) and bounding box."""
        return Response(_basemap_json(), media_type="application/json",
                        headers={"Cache-Control": "max-age=86400"})

    @app.get("/api/health", tags=["map"], summary="The server is up; which store it reads")
    def health() -> JSONResponse:
        from amu.store import describe

        return JSONResponse({"status": "ok", "version": __version__, "store": describe(store.db),
                             "incidents": store.count("incidents")})

    @app.get("/", include_in_schema=False)
    def dashboard() -> HTMLResponse:
        page = resources.files("amu.web").joinpath("static").joinpath("index.html").read_text(encoding="utf-8")
        return HTMLResponse(page)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # Swagger UI from the assets of the fastapi-offline package: FastAPI's default page loads it from a CDN.
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Amu API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon.png",
                                   swagger_ui_parameters={"validatorUrl": None})

    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    app.mount("/docs-assets", StaticFiles(directory=_docs_assets()), name="docs-assets")
    return app
