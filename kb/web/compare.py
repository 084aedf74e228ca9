"""/compare: a builder (States by name, rules by label) and the comparison table, with downloads.

The table, its cells and its status words are the CLI's (kb.compare, kb/render/cells.py); one
rule across many States lists the States down the page.
"""

from __future__ import annotations

import functools
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kb import settings
from kb.compare import CompareRequest, compare_states
from kb.model import ComparisonTable
from kb.render import render_bytes
from kb.render.json import document as json_document
from kb.topics import Ontology, load_ontology
from kb.vocab import COMPARE_BODIES
from kb.web import params
from kb.web.home import jurisdiction_names
from kb.web.respond import download, holder, in_library_thread, json_response, page

NAMES = ("rule", "topic", "states", "body", "as_of", "diff", "baseline")
# download name -> (renderer, media type)
DOWNLOADS = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("json", "application/json"),
    "md": ("markdown", "text/markdown; charset=utf-8"),
    "html": ("html", "text/html; charset=utf-8"),
}
DOWN_FROM = 4  # one rule across more States than this reads better down the page


@functools.cache
def ontology() -> Ontology:
    return load_ontology(settings.corpus_dir())


def parse(request: Request) -> CompareRequest | None:
    """The request, or None when the page was opened with no choice made yet."""
    params.check_names(request, NAMES)
    req = CompareRequest(
        rules=params.rules(request, "rule"),
        topics=params.topics(request, "topic"),
        states=params.states(request, "states"),
        body=params.choice(request, "body", [b.value for b in COMPARE_BODIES]),
        as_of=params.date(request, "as_of"),
        diff=params.flag(request, "diff"),
        baseline=params.choice(request, "baseline", ["IN"]),
    )
    if not (req.rules or req.topics or req.states):
        return None
    return req


def table_dict(table: ComparisonTable) -> dict[str, Any]:
    """The table as the json format gives it: header, legend and one typed record per cell."""
    return json_document(table)


@functools.cache
def choices() -> tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str]]]:
    """(rules by topic label as (key, label), topics with at least one rule as (id, label)); from corpus/."""
    onto = ontology()
    rules_by_topic: dict[str, list[tuple[str, str]]] = {}
    for rule in onto.rules.values():
        topic = onto.topics[rule.topic].label if rule.topic in onto.topics else rule.topic
        rules_by_topic.setdefault(topic, []).append((rule.key, rule.label))
    ruled = {rule.topic for rule in onto.rules.values()}
    topics = [(t, onto.topics[t].label) for t in sorted(onto.topics) if onto.descendants(t) & ruled]
    return rules_by_topic, topics


def builder_context(request: Request, req: CompareRequest | None) -> dict[str, Any]:
    names = jurisdiction_names(request)
    rules_by_topic, topics = choices()
    return {
        "states": sorted(names.items(), key=lambda item: (item[0] != "IN", item[1])),
        "names": names,
        "rules_by_topic": rules_by_topic,
        "topics": topics,
        "bodies": [b.value for b in COMPARE_BODIES],
        "req": req or CompareRequest(),
    }


@in_library_thread
def compare_page(request: Request) -> Response:
    fmt = request.path_params.get("fmt")
    if fmt is not None and fmt not in DOWNLOADS:
        raise params.BadParameter(f"no download as {fmt!r}; one of: {', '.join(DOWNLOADS)}", field="format")
    req = parse(request)
    table = compare_states(holder(request).get(), req, ontology()) if req else None
    if fmt is not None:
        if table is None:
            raise params.BadParameter("choose rules, a topic or States before downloading", field="rule")
        renderer, media_type = DOWNLOADS[fmt]
        return download(render_bytes(table, renderer), media_type, f"seckb-compare.{fmt}", html_file=fmt == "html")
    query = request.url.query
    return page(
        "compare.html",
        table=table,
        down=bool(table and len({row.key for row in table.rows}) == 1 and len(table.jurisdictions) > DOWN_FROM),
        downloads=[(name, f"/compare.{name}?{query}") for name in DOWNLOADS] if table else [],
        api_url=f"/api/compare?{query}",
        **builder_context(request, req),
    )


@in_library_thread
def api_compare(request: Request) -> Response:
    req = parse(request)
    if req is None:
        raise params.BadParameter("give rule, topic or states", field="rule")
    return json_response(table_dict(compare_states(holder(request).get(), req, ontology())))
