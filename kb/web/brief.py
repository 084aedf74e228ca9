"""/brief: the briefing pack for the shipped agenda (corpus/agenda.yaml), to read or download."""

from __future__ import annotations

import functools

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from kb import settings
from kb.brief import Agenda, build_brief, load_agenda
from kb.web import params
from kb.web.compare import ontology
from kb.web.respond import download, holder, in_library_thread, page

AGENDA = "agenda.yaml"  # a fixed name in the curated corpus: no request names a file


@functools.cache
def agenda() -> Agenda:
    return load_agenda(settings.corpus_dir() / AGENDA, ontology())


@in_library_thread
def brief_page(request: Request) -> Response:
    params.check_names(request, ("as_of",))
    as_of = params.date(request, "as_of")
    query = f"?as_of={as_of.isoformat()}" if as_of else ""
    return page("brief.html", agenda=agenda(), as_of=as_of, query=query)


@in_library_thread
def brief_download(request: Request) -> Response:
    if request.path_params["fmt"] not in ("html", "md"):
        raise HTTPException(404)
    params.check_names(request, ("as_of",))
    as_of = params.date(request, "as_of")
    pack = build_brief(holder(request).get(), agenda(), as_of, ontology())
    if request.path_params["fmt"] == "md":
        from kb.render.brief_markdown import render_brief_markdown

        body = render_brief_markdown(pack).encode("utf-8")
        return download(body, "text/markdown; charset=utf-8", "briefing-pack.md")
    from kb.render.brief_html import render_brief_html

    body = render_brief_html(pack).encode("utf-8")
    return download(body, "text/html; charset=utf-8", "briefing-pack.html", html_file=True)
