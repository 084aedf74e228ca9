"""Searching provisions and notes: citation recognition, filters, synonyms, topics, then Whoosh.

A query goes through four analyses before the search engine sees it:
1. citations — "Art 243-K", "RPA 1950 s 19", "section 14 (1) (j-1) of the Maharashtra Village
   Panchayats Act", also inside a longer query — are resolved and the cited provision pinned first;
2. synonym groups (corpus/synonyms.yaml) expand a phrase into its equivalents;
3. topic phrases (labels and synonyms in corpus/topics.yaml) raise provisions tagged with the topic;
4. the engine spells-checks words it does not know (suggestion, and a retry when nothing matched).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select

from indexer.search_index import FACET_FIELDS, SEARCH_FIELDS, SearchHit, SearchResults
from kb.errors import CitationError, QueryError
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
    """,
    re.IGNORECASE | re.VERBOSE,
)

# The provision number inside any query: a kind word, a number, clause labels; then an optional
# proviso / Explanation. "s 19", "Art. 243-K", "section 14 (1) (j-1)", "s.16(1)(k) proviso".
_CITATION_CORE = re.compile(
    r"""(?<![\w.])(?:sections?|sec|ss|s|articles?|arts?|rules?|r|§)\.?\s*
        \d+[A-Za-z]{0,3}(?:-[0-9A-Za-z]{1,3})*              # 14, 14B, 243-K, 30A-1A
        (?:\s*\(\s*[0-9A-Za-z]+(?:\s*-\s*[0-9A-Za-z]+)?\s*\))*  # (1)(j-1)
        (?:,?\s+(?:(?:first|second|third|fourth|fifth)\s+)?(?:proviso|explanation|expl)\b(?:\s+(?:\d+|[IVX]+)\b)?)?
        (?![\w(])""",
    re.IGNORECASE | re.VERBOSE,
)
_ACT_WINDOW = 9  # words an Act name may take ("Maharashtra Municipal Councils, Nagar Panchayats and ...")
_LINK_WORDS = {"of", "the", "under", "in", "to", ","}


@dataclass(frozen=True)
class SearchRequest:
    text: str
    states: Sequence[str] = ()
    acts: Sequence[str] = ()
    bodies: Sequence[str] = ()
    topics: Sequence[str] = ()
    doc_types: Sequence[str] = ()
    limit: int = 10
    # Counting facets walks every match; callers that only rank (evaluation) switch it off.
    facets: bool = True


@dataclass(frozen=True)
class Citation:
    """A citation found in a query: the text to resolve and the query span it used up."""

    text: str
    start: int
    end: int


def looks_like_citation(text: str) -> bool:
    return bool(_CITATION_SHAPE.match(text))


def find_citations(text: str, acts: ActIndex) -> list[Citation]:
    """Citations inside ``text``, each with the Act named before it, after it, or "of the <Act>"."""
    out: list[Citation] = []
    for match in _CITATION_CORE.finditer(text):
        core = match.group(0).strip()
        act_span = _act_after(text, match.end(), acts) or _act_before(text, match.start(), acts)
        if act_span:
            act_id, start, end = act_span
            out.append(Citation(f"{act_id} {core}", min(start, match.start()), max(end, match.end())))
        else:
            out.append(Citation(core, match.start(), match.end()))
    return out


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[^\s,]+|,", text)]


def _act_after(text: str, pos: int, acts: ActIndex) -> tuple[str, int, int] | None:
    words = _words(text[pos:])
    skip = 0
    while skip < len(words) and words[skip][0].lower() in _LINK_WORDS:
        skip += 1
    for n in range(min(_ACT_WINDOW, len(words) - skip), 0, -1):
        span = words[skip : skip + n]
        act_id = acts.find(text[pos + span[0][1] : pos + span[-1][2]])
        if act_id:
            return act_id, pos, pos + span[-1][2]
    return None


def _act_before(text: str, pos: int, acts: ActIndex) -> tuple[str, int, int] | None:
    words = _words(text[:pos])
    for n in range(min(_ACT_WINDOW, len(words)), 0, -1):
        span = words[len(words) - n :]
        act_id = acts.find(text[span[0][1] : span[-1][2]])
        if act_id:
            return act_id, span[0][1], pos
    return None


_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELD_PREFIX = re.compile(r"(?<![\w.])([A-Za-z_]+):")
QUERY_FIELDS = tuple(
    sorted({"heading", "text", "topics", "kind", "act", "jurisdiction", "body", "path", *SEARCH_FIELDS, *FACET_FIELDS})
)


def check_query(text: str) -> None:
    """Refuse, in one line, a query whose syntax would make the engine guess what was meant."""
    if not text.strip():
        raise QueryError('empty query: give words, a "phrase" or a citation', field="QUERY")
    if text.count('"') % 2:
        raise QueryError(f'unbalanced quote in {text!r}: close the phrase with a second "', field="QUERY")
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        raise QueryError(f"unbalanced parentheses in {text!r}", field="QUERY")
    words = text.replace("(", " ").replace(")", " ").split()
    if all(word in _OPERATORS for word in words):
        raise QueryError(f"{text!r} has operators but no words to search for", field="QUERY")
    if words[-1] in _OPERATORS:
        raise QueryError(f"{words[-1]} at the end of {text!r} needs a word after it", field="QUERY")
    for name in _FIELD_PREFIX.findall(re.sub(r'"[^"]*"', " ", text)):  # a colon inside a phrase is a word
        if name not in QUERY_FIELDS:
            raise QueryError(f"unknown field {name!r}; fields: {', '.join(QUERY_FIELDS)}", field="QUERY")


def _check_filters(kb: KnowledgeBase, request: SearchRequest) -> None:
    """An unknown --state or --act would silently match nothing: say so instead."""
    if not (request.states or request.acts):
        return
    with kb.session() as session:
        for code in request.states:
            if session.get(t.Jurisdiction, code.upper()) is None:
                raise QueryError(f"unknown jurisdiction {code!r} (see `seckb coverage` for the codes)", field="--state")
        for act in request.acts:
            if session.get(t.Act, act) is None:
                raise QueryError(f"unknown Act id {act!r} (see `seckb acts`)", field="--act")


def search(kb: KnowledgeBase, request: SearchRequest) -> SearchResults:
    """Search the knowledge base; a cited provision comes first, then the words of the query."""
    check_query(request.text)
    _check_filters(kb, request)
    filters = {
        "jurisdiction": [s.upper() for s in request.states],
        "act": list(request.acts),
        "body": list(request.bodies),
        "topics": list(request.topics),
        "doc_type": list(request.doc_types),
    }
    filters = {k: v for k, v in filters.items() if v}
    pinned, rest = _pin_citations(kb, request)
    searcher = kb.searcher()
    if pinned and not _meaningful(rest):
        results = searcher.search("", filters=filters, pinned=pinned, limit=request.limit, facets=False)
        return replace(results, query=request.text)
    expansions, topic_phrases = _vocabulary()
    results = searcher.search(
        rest,
        filters=filters,
        pinned=pinned,
        limit=request.limit,
        expansions=expansions,
        boost_topics=_topics_named(rest, topic_phrases),
        facets=request.facets,
    )
    return replace(results, query=request.text)


def _pin_citations(kb: KnowledgeBase, request: SearchRequest) -> tuple[list[str], str]:
    """(refs the query cites, with each one's sub-provisions; the query without the citations)."""
    text = request.text
    if not _CITATION_CORE.search(text):
        return [], text
    pinned: list[str] = []
    with kb.session() as session:
        acts = ActIndex.from_session(session)
        citations = find_citations(text, acts)
        for citation in citations:
            refs = _resolve(session, citation.text, acts, request)
            if refs:
                pinned += [ref for ref in [refs[0], *_children_refs(session, refs[0]), *refs[1:]] if ref not in pinned]
    if not pinned:
        return [], text
    rest = text
    for citation in sorted(citations, key=lambda c: -c.start):
        rest = rest[: citation.start] + " " + rest[citation.end :]
    return pinned, " ".join(rest.split())


def _resolve(session, text: str, acts: ActIndex, request: SearchRequest) -> list[str]:
    try:
        return [resolve_citation(session, text, acts=acts).ref]
    except CitationError as exc:
        # "s.14(1)(j-1)" with --state MH: several Acts have it; keep those the filters allow.
        allowed = [ref for ref in exc.candidates if _allowed(session, ref, request)]
        return allowed if "ambiguous" in exc.message else []


_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "under",
        "in",
        "to",
        "for",
        "and",
        "or",
        "what",
        "does",
        "do",
        "is",
        "are",
        "meaning",
        "means",
        "which",
        "who",
        "how",
        "read",
        "with",
        "see",
        "cf",
    ]
)


def _meaningful(text: str) -> bool:
    return any(w.lower() not in _FILLER for w in re.findall(r"\w+", text))


def _allowed(session, ref: str, request: SearchRequest) -> bool:
    act_id = ref.split(" ", 1)[0]
    act = session.get(t.Act, act_id)
    if act is None:
        return False
    if request.states and act.jurisdiction_code not in {s.upper() for s in request.states}:
        return False
    return not (request.acts and act_id not in request.acts)


def _children_refs(session, ref: str) -> list[str]:
    row = session.scalar(select(t.Provision).where(t.Provision.ref == ref))
    if row is None:
        return []
    return list(
        session.scalars(select(t.Provision.ref).where(t.Provision.parent_id == row.id).order_by(t.Provision.ord))
    )


# --- vocabulary: synonyms and topic phrases, loaded once per process ---------------------------

_VOCABULARY: dict[str, tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]] = {}


def _vocabulary() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(phrase -> equivalent phrases, topic id -> the phrases that name it)."""
    from kb import settings
    from kb.synonyms import load_synonyms, topic_phrases
    from kb.topics import load_ontology

    key = str(settings.corpus_dir())
    if key not in _VOCABULARY:
        corpus = settings.corpus_dir()
        _VOCABULARY[key] = (load_synonyms(corpus), topic_phrases(load_ontology(corpus)))
    return _VOCABULARY[key]


def _topics_named(text: str, phrases: dict[str, tuple[str, ...]]) -> dict[str, float]:
    """Topics whose label or synonym the query contains; the longest phrase weighs most."""
    lowered = " " + " ".join(re.findall(r"\w+", text.lower())) + " "
    out: dict[str, float] = {}
    for topic, names in phrases.items():
        best = max((len(n.split()) for n in names if f" {n} " in lowered), default=0)
        if best:
            out[topic] = float(best)
    return out


__all__ = ["SearchHit", "SearchRequest", "SearchResults", "find_citations", "looks_like_citation", "search"]
