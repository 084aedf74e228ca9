"""What users type for States, topics, rules and Acts, turned into ids, with "did you mean" on a slip.

One helper for every command: ``--state Maharashtra``, ``--states "Maharashtra,Manipur"`` and
``--state mh`` all give ``MH``; ``--state Maharastra`` fails with "did you mean MH (Maharashtra)?".
States come from corpus/jurisdictions.yaml (codes, names, aliases such as Orissa), topics and rules
from corpus/topics.yaml, Acts from the catalogue; close matches are found with difflib.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kb import settings
from kb.errors import SeckbError
from kb.reference import (
    Jurisdiction,
    ReferenceLookupError,
    load_reference,
    normalise_jurisdiction_key,
)

if TYPE_CHECKING:
    from kb.knowledge import KnowledgeBase

__all__ = ["did_you_mean", "held_act", "resolve_acts", "resolve_rules", "resolve_states", "resolve_topics"]


def did_you_mean(value: str, known: Mapping[str, str], *, normalise=str.lower, cutoff: float = 0.7) -> str:
    """ "; did you mean MH (Maharashtra)?" for the closest keys of ``known`` (key -> how to show it)."""
    keys = {normalise(key): shown for key, shown in known.items()}
    close = difflib.get_close_matches(normalise(value), keys, n=3, cutoff=cutoff)
    shown = list(dict.fromkeys(keys[key] for key in close))
    if not shown:
        return ""
    return f"; did you mean {' or '.join(shown)}?"


@lru_cache(maxsize=4)
def _jurisdictions(corpus: Path) -> tuple[tuple[Jurisdiction, ...], dict[str, str]]:
    from kb.reference import _Builder

    builder = _Builder(corpus_dir=corpus, sources_dir=corpus, check_files=False)
    builder.add_jurisdictions(corpus / "jurisdictions.yaml")
    return tuple(builder.jurisdictions), dict(builder.jurisdiction_keys)


def resolve_states(values: Iterable[str], option: str = "--state") -> list[str]:
    """Codes for what the user typed (codes, names or aliases, any case)."""
    jurisdictions, keys = _jurisdictions(settings.corpus_dir())
    by_code = {j.code: j for j in jurisdictions}
    codes = []
    for value in values:
        code = keys.get(normalise_jurisdiction_key(value))
        if code is None:
            shown = {key: f"{owner} ({by_code[owner].name})" for key, owner in keys.items()}
            hint = did_you_mean(value, shown, normalise=normalise_jurisdiction_key)
            raise ReferenceLookupError(
                f"unknown jurisdiction {value!r}{hint or ' (codes and names: seckb coverage)'}", field=option
            )
        codes.append(code)
    return list(dict.fromkeys(codes))


def _ontology():
    from kb.topics import load_ontology

    return load_ontology(settings.corpus_dir())


def resolve_topics(values: Iterable[str], option: str = "--topic") -> list[str]:
    values = list(values)  # the ontology is loaded only when there is something to check
    return _resolve_keys(values, _ontology().topics, "topic", " (see seckb topics)", option) if values else []


def resolve_rules(values: Iterable[str], option: str = "--rule") -> list[str]:
    values = list(values)
    where = " (rule keys are in corpus/topics.yaml)"
    return _resolve_keys(values, _ontology().rules, "rule", where, option) if values else []


def _resolve_keys(values: list[str], known: Iterable[str], what: str, where: str, option: str) -> list[str]:
    """``values`` unchanged when each is a known key; else one line with the nearest key or where to look."""
    keys = {key: key for key in known}
    for value in values:
        if value not in keys:
            hint = did_you_mean(value, keys, cutoff=0.6)
            raise SeckbError(f"unknown {what} {value!r}{hint or where}", field=option)
    return values


def resolve_acts(
    values: Iterable[str], option: str = "--act", held: Callable[[str], str | None] | None = None
) -> list[str]:
    """Catalogue ids for Act ids, aliases or titles ("mh vpa 1959" -> MH-VPA-1959).

    ``held`` looks a value up among the Acts the knowledge base holds, for an Act a State added
    with `seckb add`, which the shipped catalogue does not list.
    """
    values = list(values)
    if not values:
        return []
    reference = load_reference(check_files=False)
    ids = []
    for value in values:
        try:
            ids.append(reference.act(value).id)
        except ReferenceLookupError as exc:
            if held is not None and (act_id := held(value)) is not None:
                ids.append(act_id)
                continue
            hint = f"; did you mean {' or '.join(exc.candidates)}?" if exc.candidates else " (see seckb acts)"
            raise ReferenceLookupError(f"{exc.message}{hint}", field=option) from None
    return ids


def held_act(kb: KnowledgeBase) -> Callable[[str], str | None]:
    """A lookup of the Acts ``kb`` holds, by id or alias, for ``resolve_acts(held=...)``."""

    def find(value: str) -> str | None:
        from kb.resolve import ActIndex

        with kb.session() as session:
            return ActIndex.from_session(session).find(value)

    return find
