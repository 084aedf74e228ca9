"""/notes and /notes/<id>: experts' discussion notes; a note's body is sanitised with nh3."""

from __future__ import annotations

from dataclasses import asdict

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from kb.errors import NoteError
from kb.notes import get_note, list_notes
from kb.render.brief_html import note_body_html, note_by
from kb.render.templating import provision_url
from kb.web import params
from kb.web.respond import error_page, holder, in_library_thread, is_json_twin, json_response, page

NAMES = ("state", "topic", "agenda_item")


def _list(request: Request):
    params.check_names(request, NAMES)
    states = params.states(request, "state")
    if len(states) > 1:
        raise params.BadParameter("give one state", field="state")
    topic = params.topics(request, "topic")
    agenda = params.many(request, "agenda_item")
    if len(topic) > 1 or len(agenda) > 1:
        raise params.BadParameter("give one topic and one agenda_item", field="topic")
    filters = {"state": states[0] if states else None, "topic": topic[0] if topic else None}
    filters["agenda_item"] = agenda[0] if agenda else None
    try:
        notes = list_notes(holder(request).get(), **filters)
    except NoteError as exc:
        raise params.BadParameter(exc.message, field=exc.field) from None
    return filters, notes


def _summary(note) -> dict:
    row = asdict(note)
    row.pop("body")
    return row | {"url": f"/notes/{note.id}"}


@in_library_thread
def notes_page(request: Request) -> Response:
    filters, notes = _list(request)
    if is_json_twin(request):
        return json_response([_summary(n) for n in notes])
    return page("notes.html", json_url="/notes.json", notes=notes, filters=filters)


@in_library_thread
def api_notes(request: Request) -> Response:
    _filters, notes = _list(request)
    return json_response([_summary(n) for n in notes])


@in_library_thread
def note_page(request: Request) -> Response:
    params.check_names(request, ())
    note_id = request.path_params["note_id"]
    as_json = note_id.endswith(".json")
    note_id = note_id.removesuffix(".json")
    if not params._ID.match(note_id):
        raise params.BadParameter(f"{note_id[:40]!r} is not a note id", field="id")
    try:
        note = get_note(holder(request).get(), note_id)
    except NoteError as exc:
        if as_json:
            return json_response({"error": exc.one_line()}, 404)
        return error_page(exc.message, 404)
    if as_json:
        return json_response(asdict(note) | {"body_html": note_body_html(note.body)})
    cited = list(dict.fromkeys(ref for ref, _ in note.citations))
    return page(
        "note.html",
        json_url=f"/notes/{note.id}.json",
        note=note,
        by=note_by(note),
        body_html=Markup(note_body_html(note.body)),
        cited=[(ref, provision_url(ref)) for ref in cited],
    )
