"""The app factory: routes, security headers, error pages, the two static files.

Every page has a stable address and a JSON twin (``/p/<citation>`` and ``/p/<citation>.json``);
the API under ``/api/`` returns the library's data with typed fields and is described at
``/api/openapi.json``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.schemas import SchemaGenerator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kb.errors import SeckbError
from kb.render.templating import stylesheet
from kb.web import brief, compare, coverage, home, notes, provisions, search
from kb.web.cache import ResponseCache
from kb.web.holder import KnowledgeBaseHolder
from kb.web.respond import error_page, json_response

log = logging.getLogger("seckb.web")

STATIC = Path(__file__).resolve().parent / "static"
# No inline script or style anywhere; the one script and stylesheet are served from /static.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the CSP and friends to every response that does not carry its own policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [h for h in SECURITY_HEADERS if h[0] not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json")


async def bad_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SeckbError)
    line = exc.one_line()
    if exc.field and exc.field.startswith("--"):
        # The library names a field as the command line spells it; here it is the URL's parameter.
        line = line.replace(f"[{exc.field}]", f"[{exc.field[2:]}]", 1)
    if _wants_json(request):
        return json_response({"error": line}, 400)
    return error_page(line, 400)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = "no such page" if exc.status_code == 404 else str(exc.detail)
    if _wants_json(request):
        return json_response({"error": message}, exc.status_code)
    return error_page(message, exc.status_code)


async def server_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server's log, never to the reader.
    log.exception("error answering %s", request.url.path)
    message = "the server could not answer this request; the error is in the server's log"
    if _wants_json(request):
        return json_response({"error": message}, 500)
    return error_page(message, 500)


def _static(name: str, media_type: str, body: bytes) -> Route:
    async def serve(request: Request) -> Response:
        return Response(body, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"})

    return Route(f"/static/{name}", serve, include_in_schema=False)


async def favicon(request: Request) -> Response:
    return Response(status_code=204)


schemas = SchemaGenerator({"openapi": "3.0.0", "info": {"title": "seckb API", "version": "1"}})


async def openapi(request: Request) -> Response:
    return JSONResponse(schemas.get_schema(routes=request.app.routes))


def _closing(holder: KnowledgeBaseHolder):
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        holder.close()

    return lifespan


def create_app(data_dir: Path | str | None = None, db_url: str | None = None) -> Starlette:
    """The app over the knowledge base in ``data_dir`` (default as the CLI: $SECKB_DATA or ./seckb-data).

    The knowledge base is opened now, so a missing one fails at start with one line.
    """
    holder = KnowledgeBaseHolder(data_dir, db_url)
    holder.get()
    routes = [
        Route("/", home.home, include_in_schema=False),
        Route("/index.{fmt:str}", home.home, include_in_schema=False),
        Route("/search", search.search_page, include_in_schema=False),
        Route("/search.{fmt:str}", search.search_page, include_in_schema=False),
        Route("/p/{citation:path}", provisions.provision_page, include_in_schema=False),
        Route("/compare", compare.compare_page, include_in_schema=False),
        Route("/compare.{fmt:str}", compare.compare_page, include_in_schema=False),
        Route("/coverage", coverage.coverage_page, include_in_schema=False),
        Route("/coverage.{fmt:str}", coverage.coverage_page, include_in_schema=False),
        Route("/notes", notes.notes_page, include_in_schema=False),
        Route("/notes.{fmt:str}", notes.notes_page, include_in_schema=False),
        Route("/notes/{note_id:str}", notes.note_page, include_in_schema=False),
        Route("/brief", brief.brief_page, include_in_schema=False),
        Route("/brief/briefing-pack.{fmt:str}", brief.brief_download, include_in_schema=False),
        Route("/api/search", api_search),
        Route("/api/provisions/{citation:path}", api_provision),
        Route("/api/compare", api_compare),
        Route("/api/coverage", api_coverage),
        Route("/api/notes", api_notes),
        Route("/api/openapi.json", openapi, include_in_schema=False),
        Route("/favicon.ico", favicon, include_in_schema=False),
        _static("seckb.css", "text/css; charset=utf-8", stylesheet().encode("utf-8")),
        _static("seckb.js", "text/javascript; charset=utf-8", (STATIC / "seckb.js").read_bytes()),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={SeckbError: bad_request, HTTPException: http_error, Exception: server_error},
        lifespan=_closing(holder),
    )
    app.state.holder = holder
    # Outermost last: the security headers wrap cached answers too.
    app.add_middleware(ResponseCache, holder=holder)
    app.add_middleware(SecurityHeaders)
    return app


def app_from_env() -> Starlette:
    """For uvicorn's workers (``seckb serve --workers N``): the CLI passes its options in the environment."""
    return create_app(os.environ.get("SECKB_DATA"), os.environ.get("SECKB_DB"))


# --- the JSON API (documented in /api/openapi.json from these docstrings) ---------------------


async def api_search(request: Request) -> Response:
    """
    summary: Search provisions and notes
    parameters:
      - {name: q, in: query, required: true, schema: {type: string}, description: "words, phrases or a citation"}
      - {name: state, in: query, schema: {type: string}, description: "jurisdiction code(s), e.g. MH or MH,MN"}
      - {name: act, in: query, schema: {type: string}}
      - {name: body, in: query, schema: {type: string}}
      - {name: topic, in: query, schema: {type: string}}
      - {name: kind, in: query, schema: {type: string, enum: [provision, note]}}
      - {name: page, in: query, schema: {type: integer, minimum: 1}}
    responses:
      200: {description: "query, total, suggestion (the query searched instead, when words of it are in no text: not_found), not_found, unresolved (citations in the query that cite no provision held, or only provisions outside the filters: cited, reason, nearest; their words are not searched), hits (ref, score, jurisdiction, act, kind, heading, snippet (plain text) with matches (start/end offsets of the words typed), snippet_below (true when the snippet goes on into the sub-provisions of a provision whose own words are none or a lead-in), url), facets"}
      400: {description: "{error: one line}"}
    """
    return await search.api_search(request)


async def api_provision(request: Request) -> Response:
    """
    summary: One provision by citation (canonical or as a lawyer types it)
    parameters:
      - {name: citation, in: path, required: true, schema: {type: string}, example: "MH-VPA-1959 s.14(1)(j-1)"}
    responses:
      200: {description: "ref, act, heading, parents, subtree, amendments, topics, notes, provenance, neighbours"}
      404: {description: "{error, nearest: [{ref, url}]}"}
    """
    return await provisions.api_provision(request)


async def api_compare(request: Request) -> Response:
    """
    summary: Compare eligibility rules across States/UTs
    parameters:
      - {name: rule, in: query, schema: {type: string}, description: rule key(s)}
      - {name: topic, in: query, schema: {type: string}}
      - {name: states, in: query, schema: {type: string}, description: "codes, e.g. MH,MN,DL"}
      - {name: body, in: query, schema: {type: string, enum: [panchayat, municipal, sec, cantonment]}}
      - {name: as_of, in: query, schema: {type: string, format: date}}
      - {name: diff, in: query, schema: {type: integer, enum: [0, 1]}}
      - {name: baseline, in: query, schema: {type: string, enum: [IN]}}
    responses:
      200: {description: "title, as_of, body, jurisdictions, rows [{key, label, cells {code: {value, citation, quote, status, ...}}}], notes"}
      400: {description: "{error: one line}"}
    """
    return await compare.api_compare(request)


async def api_coverage(request: Request) -> Response:
    """
    summary: What the knowledge base holds per State/UT and body
    responses:
      200: {description: "summary, jurisdictions [{code, name, type, status, rules, bodies}]"}
    """
    return await coverage.api_coverage(request)


async def api_notes(request: Request) -> Response:
    """
    summary: Discussion notes (without bodies; /notes/<id>.json has the body)
    parameters:
      - {name: state, in: query, schema: {type: string}}
      - {name: topic, in: query, schema: {type: string}}
      - {name: agenda_item, in: query, schema: {type: string}}
    responses:
      200: {description: "[{id, title, author, organisation, date, jurisdictions, topics, sample, citations, url}]"}
    """
    return await notes.api_notes(request)
