"""/p/<canonical citation>: one provision with its crumbs, text, amendments, notes, provenance."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kb.errors import CitationError
from kb.knowledge import KnowledgeBase
from kb.render.templating import provision_url
from kb.show import ProvisionView, neighbours, provision_view, show_provision
from kb.store import tables as t
from kb.web import params
from kb.web.compare import ontology
from kb.web.respond import error_page, holder, in_library_thread, json_response, page

JSON_SUFFIX = ".json"


def _split(request: Request) -> tuple[str, bool]:
    citation = request.path_params["citation"]
    as_json = citation.endswith(JSON_SUFFIX)
    if as_json:
        citation = citation[: -len(JSON_SUFFIX)]
    if len(citation) > 300 or not citation.strip():
        raise params.BadParameter("a citation is 1 to 300 characters", field="citation")
    return citation, as_json


@in_library_thread
def provision_page(request: Request) -> Response:
    params.check_names(request, ())
    citation, as_json = _split(request)
    return _answer(request, citation, as_json, api=False)


@in_library_thread
def api_provision(request: Request) -> Response:
    params.check_names(request, ())
    citation = request.path_params["citation"]
    if len(citation) > 300:
        raise params.BadParameter("a citation is 1 to 300 characters", field="citation")
    return _answer(request, citation, True, api=True)


def _canonical(kb: KnowledgeBase, citation: str) -> ProvisionView | None:
    """The provision whose canonical citation this is (a page's own address): one indexed lookup."""
    with kb.session() as session:
        row = session.scalar(select(t.Provision).where(t.Provision.ref == citation))
        return provision_view(session, row) if row is not None else None


def _answer(request: Request, citation: str, as_json: bool, *, api: bool) -> Response:
    kb = holder(request).get()
    try:
        view = _canonical(kb, citation) or show_provision(kb, citation)
    except CitationError as exc:
        nearest = [c for c in exc.candidates if " " in c]  # provisions (Act ids alone have no page)
        if as_json:
            return json_response(
                {"error": exc.one_line(), "nearest": [{"ref": c, "url": provision_url(c)} for c in nearest]}, 404
            )
        return error_page(exc.message, 404, candidates=nearest, acts=[c for c in exc.candidates if " " not in c])
    if view.ref != citation and not api:
        # One stable address per provision: what a lawyer typed leads to the canonical one.
        return RedirectResponse(provision_url(view.ref) + (JSON_SUFFIX if as_json else ""), status_code=301)
    around = neighbours(kb, view.ref)
    if as_json:
        from dataclasses import asdict

        return json_response(asdict(view) | {"url": provision_url(view.ref), "neighbours": asdict(around)})
    crumbs: list[tuple[str, str | None]] = [(f"{view.act_title} ({view.jurisdiction})", None)]
    crumbs += [(parent.ref.split(" ", 1)[-1], provision_url(parent.ref)) for parent in view.parents]
    crumbs.append((view.ref.split(" ", 1)[-1], None))
    return page(
        "provision.html",
        json_url=provision_url(view.ref) + JSON_SUFFIX,
        view=view,
        crumbs=crumbs,
        around=around,
        topic_labels=topic_labels(),
    )


def topic_labels() -> dict[str, str]:
    return {topic.id: topic.label for topic in ontology().topics.values()}
