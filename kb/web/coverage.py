"""/coverage: the 36 States/UTs and the central layer by body, coloured by what is held."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kb.coverage import coverage
from kb.render.coverage import coverage_context, coverage_dict
from kb.web import params
from kb.web.respond import holder, in_library_thread, is_json_twin, json_response, page


def _coverage(request: Request):
    h = holder(request)
    kb = h.get()
    if "coverage" not in h.memo:
        h.memo["coverage"] = coverage(kb)
    return h.memo["coverage"]


@in_library_thread
def coverage_page(request: Request) -> Response:
    params.check_names(request, ())
    cov = _coverage(request)
    if is_json_twin(request):
        return json_response(coverage_dict(cov))
    return page("coverage.html", json_url="/coverage.json", summary=cov.summary(), **coverage_context(cov))


@in_library_thread
def api_coverage(request: Request) -> Response:
    params.check_names(request, ())
    return json_response(coverage_dict(_coverage(request)))
