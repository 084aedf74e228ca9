"""/search: hits with the matched words marked, filters and facet counts that narrow, pages.

A query shaped like a citation that resolves to one provision leads straight to its page.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kb.query import MAX_QUERY_CHARS, SearchRequest, cited_provision, search
from kb.render.templating import provision_url
from kb.vocab import Body
from kb.web import params
from kb.web.provisions import topic_labels
from kb.web.respond import holder, in_library_thread, is_json_twin, json_response, page, with_query

PER_PAGE = 20
MAX_RESULTS = 500  # the engine's limit, as on the command line
NAMES = ("q", "state", "act", "body", "topic", "kind", "page")
# (query parameter, facet the engine counts, heading on the page)
FACETS = (
    ("state", "jurisdiction", "State/UT"),
    ("act", "act", "Act"),
    ("kind", "doc_type", "Kind"),
    ("topic", "topics", "Topic"),
)
KINDS = ("provision", "note")


def parse(request: Request) -> tuple[str, dict[str, list[str]], int]:
    params.check_names(request, NAMES)
    query = params.text(request, "q", MAX_QUERY_CHARS)
    filters = {
        "state": params.states(request, "state"),
        "act": params.acts(request, "act", holder(request).get()),
        "body": [params.choice(request, "body", [b.value for b in Body] + ["note"]) or ""],
        "topic": params.topics(request, "topic"),
        "kind": [params.choice(request, "kind", KINDS) or ""],
    }
    filters = {name: [v for v in values if v] for name, values in filters.items()}
    number = params.number(request, "page", 1, 1, MAX_RESULTS // PER_PAGE)
    return query, filters, number


def run(request: Request, *, follow_citation: bool = True) -> dict[str, Any] | Response:
    query, filters, number = parse(request)
    data: dict[str, Any] = {"query": query, "filters": filters, "page": number, "per_page": PER_PAGE}
    if not query:
        return data | {"results": None, "hits": []}
    kb = holder(request).get()
    if follow_citation and not any(filters.values()) and (ref := cited_provision(kb, query)) is not None:
        return RedirectResponse(provision_url(ref), status_code=303)
    results = search(
        kb,
        SearchRequest(
            text=query,
            states=filters["state"],
            acts=filters["act"],
            bodies=filters["body"],
            topics=filters["topic"],
            doc_types=filters["kind"],
            limit=min(number * PER_PAGE, MAX_RESULTS),
        ),
    )
    hits = results.hits[(number - 1) * PER_PAGE : number * PER_PAGE]
    more = results.total > number * PER_PAGE and number * PER_PAGE < MAX_RESULTS
    return data | {"results": results, "hits": hits, "more": more}


@in_library_thread
def search_page(request: Request) -> Response:
    as_json = is_json_twin(request)
    data = run(request, follow_citation=not as_json)
    if isinstance(data, Response):
        return data
    results = data["results"]
    if as_json:
        return json_response(api_shape(data))
    facets = []
    if results is not None:
        for name, field, heading in FACETS:
            counts = (results.facets or {}).get(field) or {}
            chosen = data["filters"][name]
            values = [
                (value, count, with_query(request, page=None, **{name: [*chosen, value]}))
                for value, count in list(counts.items())[:15]
                if value not in chosen
            ]
            if values:
                facets.append((heading, values))
    active = [
        (name, value, with_query(request, page=None, **{name: [v for v in values if v != value]}))
        for name, values in data["filters"].items()
        for value in values
    ]
    first = (data["page"] - 1) * PER_PAGE
    return page(
        "search.html",
        hide_header_search=True,
        json_url=with_query(request).replace("/search", "/search.json", 1),
        facets=facets,
        active=active,
        first=first,
        previous_url=with_query(request, page=data["page"] - 1) if data["page"] > 1 else None,
        next_url=with_query(request, page=data["page"] + 1) if data.get("more") else None,
        topic_labels=topic_labels(),
        **data,
    )


def api_shape(data: dict[str, Any]) -> dict[str, Any]:
    results = data["results"]
    return {
        "query": data["query"],
        "filters": data["filters"],
        "page": data["page"],
        "per_page": data["per_page"],
        "total": results.total if results else 0,
        "suggestion": results.suggestion if results else None,
        "not_found": list(results.not_found) if results else [],
        "about_topic": results.about_topic if results else None,
        "unresolved": [asdict(miss) for miss in results.unresolved] if results else [],
        "hits": [
            hit
            | {
                "url": provision_url(hit["ref"])
                if hit["doc_type"] == "provision"
                else f"/notes/{hit['ref'].split(':', 1)[-1]}"
            }
            for hit in _plain_hits(data["hits"])
        ],
        "facets": results.facets if results else {},
    }


def _plain_hits(hits) -> list[dict[str, Any]]:
    from dataclasses import asdict

    out = []
    for hit in hits:
        row = asdict(hit)
        if row["score"] == float("inf"):
            row["score"] = None  # a pinned (cited) hit has no score
        out.append(row)
    return out


@in_library_thread
def api_search(request: Request) -> Response:
    # The API answers a citation with the search result (cited provision first), not a redirect.
    data = run(request, follow_citation=False)
    assert isinstance(data, dict)
    return json_response(api_shape(data))
