"""Request parameters, checked: a bad one becomes a 400 page with one line naming it.

No parameter ever reaches a file path: the only files the app reads are its own templates and
static assets (fixed names) and the knowledge base it was started on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from starlette.requests import Request

from kb.errors import SeckbError
from kb.knowledge import KnowledgeBase
from kb.names import held_act, resolve_acts, resolve_rules, resolve_states, resolve_topics

MAX_TEXT = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CODE = re.compile(r"^[A-Za-z]{2,3}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
# A name as a reader types it ("Maharashtra", "Maharashtra Village Panchayats Act, 1959"): resolved
# by kb.names as the command line resolves it, so the two accept the same values.
_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,120}$")


class BadParameter(SeckbError):
    """A query-string parameter the page cannot use."""


def check_names(request: Request, allowed: Iterable[str]) -> None:
    """Refuse a parameter the page does not know: a typo would otherwise silently do nothing."""
    known = set(allowed)
    for name in request.query_params:
        if name not in known:
            raise BadParameter(f"unknown parameter {name!r}; this page takes: {', '.join(sorted(known))}", field=name)


def text(request: Request, name: str, max_len: int = MAX_TEXT) -> str:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise BadParameter(f"give {name} once", field=name)
    value = values[0].strip() if values else ""
    if len(value) > max_len:
        raise BadParameter(f"{name} is longer than {max_len} characters", field=name)
    if _CONTROL.search(value):
        raise BadParameter(f"{name} holds a control character", field=name)
    return value


def many(request: Request, name: str, pattern: re.Pattern[str] = _ID) -> list[str]:
    """All values of a repeatable parameter, also comma-separated: states=MH,MN&states=DL."""
    out: list[str] = []
    for raw in request.query_params.getlist(name):
        for part in raw.split(","):
            part = part.strip()
            if not part:
                continue
            if not pattern.match(part):
                raise BadParameter(f"{name}={part[:40]!r} is not a valid value", field=name)
            if part not in out:
                out.append(part)
    if len(out) > 60:
        raise BadParameter(f"too many values for {name}", field=name)
    return out


def codes(request: Request, name: str) -> list[str]:
    return [code.upper() for code in many(request, name, _CODE)]


def states(request: Request, name: str) -> list[str]:
    """Jurisdiction codes for codes or names, with the command line's "did you mean"."""
    return resolve_states(many(request, name, _NAME), option=name)


def acts(request: Request, name: str, kb: KnowledgeBase | None = None) -> list[str]:
    """Catalogue ids for Act ids, aliases or titles; with ``kb``, also the Acts a State added."""
    return resolve_acts(many(request, name, _NAME), option=name, held=held_act(kb) if kb is not None else None)


def topics(request: Request, name: str) -> list[str]:
    return resolve_topics(many(request, name), option=name)


def rules(request: Request, name: str) -> list[str]:
    return resolve_rules(many(request, name), option=name)


def choice(request: Request, name: str, choices: Iterable[str]) -> str | None:
    value = text(request, name, 40)
    allowed = list(choices)
    if value and value not in allowed:
        raise BadParameter(f"{name}={value!r} is not one of: {', '.join(allowed)}", field=name)
    return value or None


def flag(request: Request, name: str) -> bool:
    value = text(request, name, 10).lower()
    if value in ("", "0", "false", "off", "no"):
        return False
    if value in ("1", "true", "on", "yes"):
        return True
    raise BadParameter(f"{name}={value!r}: use 1 or 0", field=name)


def date(request: Request, name: str) -> dt.date | None:
    value = text(request, name, 20)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name}={value!r} is not a date (YYYY-MM-DD)", field=name) from None


def number(request: Request, name: str, default: int, low: int, high: int) -> int:
    value = text(request, name, 6)
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadParameter(f"{name}={value!r}: give a whole number from {low} to {high}", field=name)
    return int(value)
