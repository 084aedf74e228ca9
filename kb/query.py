"""Searching provisions and notes: citation recognition, filters, synonyms, then Whoosh."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from sqlalchemy import select

from indexer.search_index import SearchHit, SearchResults
from kb.errors import CitationError
from kb.knowledge import KnowledgeBase
from kb.resolve import ActIndex, resolve_citation
from kb.store import tables as t

# A query "looks like a citation" when it is mostly a provision number: s.14(1)(j-1), Art 243-K,
# RPA 1950 s 19, section 13 (2A). Plain words never match, so "two children" stays a text search.
_CITATION_SHAPE = re.compile(
    r"""^\s*(?:[\w .,-]*?\s)?              # optional Act words
        (?:s|ss|sec|section|art|article|r|rule)\.?\s*\d+[\w-]*   # kind + number
        (?:\s*\([\w-]+\))*                  # (1)(j-1)
        (?:[\s,]+(?:\w+\s+)?(?:proviso|explanation|expl)\b.*)?\s*$
      | ^\s*(?:art\.?\s*)?243-?[A-Z]{0,2}(?:\s*\([\w-]+\))*\s*$  # bare Part IX/IXA article
    """, re.IGNORECASE | re.VERBOSE)


@dataclass(frozen=True)
class SearchRequest:
    text: str
    states: Sequence[str] = ()
    acts: Sequence[str] = ()
    bodies: Sequence[str] = ()
    topics: Sequence[str] = ()
    doc_types: Sequence[str] = ()
    limit: int = 10


def looks_like_citation(text: str) -> bool:
    return bool(_CITATION_SHAPE.match(text))


def search(kb: KnowledgeBase, request: SearchRequest) -> SearchResults:
    """Search the knowledge base; a citation-shaped query puts the cited provision first."""
    filters = {"jurisdiction": [s.upper() for s in request.states], "act": list(request.acts),
               "body": list(request.bodies), "topics": list(request.topics), "doc_type": list(request.doc_types)}
    pinned: list[str] = []
    text = request.text
    if looks_like_citation(text):
        pinned = _cited_refs(kb, text, request)
        if pinned:
            # The cited provision first, then its own sub-provisions, then words of the query.
            pinned += _children_refs(kb, pinned[0])
            text = ""
    if pinned and not text:
        results = kb.searcher().search("", filters={}, pinned=pinned, limit=request.limit, facets=False)
        return replace(results, query=request.text, total=len(pinned))
    results = kb.searcher().search(text, filters={k: v for k, v in filters.items() if v}, pinned=pinned,
                                   limit=request.limit, expansions=_synonyms(kb))
    return replace(results, query=request.text)


def _cited_refs(kb: KnowledgeBase, text: str, request: SearchRequest) -> list[str]:
    with kb.session() as session:
        acts = ActIndex.from_session(session)
        try:
            return [resolve_citation(session, text, acts=acts).ref]
        except CitationError as exc:
            # "s.14(1)(j-1)" with --state MH: several Acts have it; keep those the filters allow.
            allowed = [ref for ref in exc.candidates if _allowed(session, ref, request)]
            return allowed if "ambiguous" in exc.message else []


def _allowed(session, ref: str, request: SearchRequest) -> bool:
    act_id = ref.split(" ", 1)[0]
    act = session.get(t.Act, act_id)
    if act is None:
        return False
    if request.states and act.jurisdiction_code not in {s.upper() for s in request.states}:
        return False
    return not (request.acts and act_id not in request.acts)


def _children_refs(kb: KnowledgeBase, ref: str) -> list[str]:
    with kb.session() as session:
        row = session.scalar(select(t.Provision).where(t.Provision.ref == ref))
        if row is None:
            return []
        return list(session.scalars(select(t.Provision.ref).where(t.Provision.parent_id == row.id)
                                    .order_by(t.Provision.ord)))


_SYNONYM_CACHE: dict[str, dict[str, tuple[str, ...]]] = {}


def _synonyms(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    from kb import settings
    from kb.synonyms import load_synonyms

    key = str(settings.corpus_dir())
    if key not in _SYNONYM_CACHE:
        _SYNONYM_CACHE[key] = load_synonyms(settings.corpus_dir())
    return _SYNONYM_CACHE[key]


__all__ = ["SearchRequest", "SearchHit", "SearchResults", "search", "looks_like_citation"]
