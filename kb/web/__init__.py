"""seckb in a browser: a read-only Starlette app over the library (``seckb serve``).

One module per page family (home, search, provisions, compare, coverage, notes, brief, api);
each handler parses its parameters (:mod:`kb.web.params`), calls the library and renders a
template from ``kb/render/templates`` or the same data as JSON.
"""

from __future__ import annotations

from kb.web.app import create_app

__all__ = ["create_app"]
