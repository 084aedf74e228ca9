"""The front page: a search box, what the knowledge base holds, links to compare and coverage."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kb.catalogue import knowledge_stats
from kb.web import params
from kb.web.respond import holder, in_library_thread, is_json_twin, json_response, page


def summary(request: Request) -> dict[str, Any]:
    """knowledge_stats, computed once per generation (it counts every table)."""
    h = holder(request)
    kb = h.get()
    if "stats" not in h.memo:
        h.memo["stats"] = knowledge_stats(kb)
    return h.memo["stats"]


def jurisdiction_names(request: Request) -> dict[str, str]:
    return {row["code"]: row["name"] for row in summary(request)["jurisdictions"]}


@in_library_thread
def home(request: Request) -> Response:
    params.check_names(request, ())
    stats = summary(request)
    if is_json_twin(request):
        return json_response(stats)
    with_text = [row for row in stats["jurisdictions"] if row["acts_with_text"]]
    return page(
        "home.html",
        stats=stats,
        with_text=with_text,
        build=stats["build"],
        json_url="/index.json",
        hide_header_search=True,
    )
