"""Responses: a page from a template, the same data as JSON, a file to download."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kb.render.templating import render_template, stylesheet_hash
from kb.render.views import to_json
from kb.web.holder import KnowledgeBaseHolder

# Written files (compare/brief downloads) carry their stylesheet inline; their own policy allows
# exactly that stylesheet and nothing else.
FILE_CSP = "default-src 'none'; style-src {hash}; img-src data:; base-uri 'none'; form-action 'none'"


def holder(request: Request) -> KnowledgeBaseHolder:
    return request.app.state.holder


def page(template: str, *, status: int = 200, json_url: str | None = None, **context: Any) -> HTMLResponse:
    return HTMLResponse(render_template(template, json_url=json_url, **context), status_code=status)


def json_response(data: Any, status: int = 200) -> Response:
    return Response(to_json(data), status_code=status, media_type="application/json")


def download(body: bytes, media_type: str, filename: str, *, html_file: bool = False) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if html_file:
        headers["Content-Security-Policy"] = FILE_CSP.format(hash=stylesheet_hash())
    return Response(body, media_type=media_type, headers=headers)


def error_page(message: str, status: int, **context: Any) -> HTMLResponse:
    context.setdefault("candidates", [])
    return page("error.html", status=status, message=message, status_code=status, **context)


def with_query(request: Request, **changes: Any) -> str:
    """This page's URL with some parameters changed (None removes one; a list repeats it)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        for one in value if isinstance(value, (list, tuple)) else [value]:
            items.append((key, str(one)))
    from urllib.parse import urlencode

    query = urlencode(items)
    return request.url.path + (f"?{query}" if query else "")


def is_json_twin(request: Request) -> bool:
    """True for the page's .json twin; any other suffix is no page."""
    fmt = request.path_params.get("fmt")
    if fmt is None:
        return False
    if fmt != "json":
        from starlette.exceptions import HTTPException

        raise HTTPException(404)
    return True


# Every call into the library runs on one thread per worker process: the library's handles (a
# Whoosh searcher, the SQLAlchemy engine, the KnowledgeBase the holder swaps on a rebuild) are
# used by one thread only, as on the command line, while the event loop stays free to send
# remembered answers (kb/web/cache.py) and static files during a slow search.
_LIBRARY = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seckb-library")


def in_library_thread(handler: Callable[[Request], Response]) -> Callable[[Request], Awaitable[Response]]:
    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        return await asyncio.get_running_loop().run_in_executor(_LIBRARY, handler, request)

    return endpoint
