"""`amu serve`: the REST API and the dashboard (FastAPI), a thin shell over the library.

>>> from amu.web import create_app
>>> app = create_app("amu.db")
"""

from __future__ import annotations

from amu.web.app import create_app

__all__ = ["create_app"]
