"""The Whoosh adapter: the only module that imports whoosh.

Upstream Whoosh and its community fork are both unmaintained, so everything seckb needs from a
search engine passes through the small API here (IndexDoc in, SearchResults out); swapping the
engine means rewriting this file only. The index is a cache rebuilt from the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from kb.errors import QueryError, SeckbError

# Bumped whenever the schema or analysis changes, so an old index is rebuilt, not misread.
INDEX_VERSION = "1"

FACET_FIELDS = ("jurisdiction", "act", "doc_type", "topics")
_MULTI_VALUED = ("jurisdiction", "topics")


@dataclass(frozen=True)
class IndexDoc:
    ref: str
    doc_type: str  # provision | note
    jurisdiction: str
    act: str
    body: str
    kind: str
    path: str
    heading: str
    text: str
    context: str = ""
    topics: tuple[str, ...] = ()
    ord: int = 0


@dataclass(frozen=True)
class SearchHit:
    ref: str
    score: float
    doc_type: str
    jurisdiction: str
    act: str
    body: str
    kind: str
    heading: str
    snippet: str
    text: str
    topics: tuple[str, ...] = ()
    pinned: bool = False  # placed first because the query cited it


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None


def _schema():
    from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
    from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
    from whoosh.support.charset import accent_map

    # Keep clause labels such as "j-1" and section numbers like "14b" as single tokens.
    tokenizer = RegexTokenizer(r"\w+(?:-\w+)*")
    stem = tokenizer | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter() | StemFilter()
    return Schema(
        ref=ID(stored=True, unique=True),
        doc_type=ID(stored=True, sortable=True),
        # A note may concern several jurisdictions, so this one field holds a comma list.
        jurisdiction=KEYWORD(stored=True, commas=True, lowercase=False),
        act=ID(stored=True, sortable=True),
        body=ID(stored=True, sortable=True),
        kind=ID(stored=True),
        path=ID(stored=True),
        heading=TEXT(stored=True, analyzer=stem, field_boost=2.0),
        text=TEXT(stored=True, analyzer=stem, chars=True),
        context=TEXT(analyzer=stem, field_boost=0.5),
        topics=KEYWORD(stored=True, commas=True, scorable=True, field_boost=1.5),
        ord=NUMERIC(stored=True, sortable=True),
        extra=STORED(),
    )


def create_index(index_dir: Path, docs: Iterable[IndexDoc], *, limitmb: int = 128) -> int:
    """Write a fresh index of ``docs`` into ``index_dir`` (which must not hold another index)."""
    from whoosh import index

    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), _schema())
    writer = ix.writer(limitmb=limitmb)
    count = 0
    try:
        for doc in docs:
            writer.add_document(**_fields(doc))
            count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    (index_dir / "SECKB_INDEX_VERSION").write_text(INDEX_VERSION)
    return count


def update_index(index_dir: Path, remove_acts: Sequence[str], remove_doc_types: Sequence[str],
                 docs: Iterable[IndexDoc]) -> int:
    """Delete the documents of the given Acts (and doc types), then add ``docs``; one commit."""
    from whoosh import index
    from whoosh.query import Term

    ix = index.open_dir(str(index_dir))
    writer = ix.writer()
    count = 0
    try:
        for act in remove_acts:
            writer.delete_by_query(Term("act", act))
        for doc_type in remove_doc_types:
            writer.delete_by_term("doc_type", doc_type)
        for doc in docs:
            writer.add_document(**_fields(doc))
            count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return count


def index_usable(index_dir: Path) -> bool:
    marker = index_dir / "SECKB_INDEX_VERSION"
    return marker.exists() and marker.read_text().strip() == INDEX_VERSION


def _fields(doc: IndexDoc) -> dict:
    return {
        "ref": doc.ref, "doc_type": doc.doc_type, "jurisdiction": doc.jurisdiction, "act": doc.act,
        "body": doc.body, "kind": doc.kind, "path": doc.path, "heading": doc.heading,
        "text": doc.text, "context": doc.context, "topics": ",".join(doc.topics), "ord": doc.ord,
    }


class Searcher:
    """A warm searcher over one index folder: open once, query many times."""

    def __init__(self, index_dir: Path) -> None:
        from whoosh import index

        if not index_usable(index_dir):
            raise SeckbError("the search index is missing or from another version; run `seckb build`",
                             path=index_dir)
        self._ix = index.open_dir(str(index_dir))
        self._searcher = self._ix.searcher()

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def search(self, text: str, *, filters: dict[str, Sequence[str]] | None = None,
               pinned: Sequence[str] = (), limit: int = 10, expansions: dict[str, Sequence[str]] | None = None,
               facets: bool = True) -> SearchResults:
        """Run a user query.

        ``filters`` maps a field (jurisdiction, act, body, kind, doc_type, topics) to allowed values.
        ``pinned`` refs come first (a citation the query named). ``expansions`` maps a query
        phrase to alternatives that are OR-ed with it (synonyms kept as data by the caller).
        """
        from whoosh import qparser, query, sorting
        from whoosh.highlight import ContextFragmenter, Highlighter, UppercaseFormatter

        if not text.strip() and pinned:
            hits = [_hit(doc, score=float("inf"), snippet=doc["text"][:240], pinned=True)
                    for doc in map(self._stored, pinned) if doc is not None]
            return SearchResults(query=text, hits=tuple(hits[:limit]), total=len(hits))
        parsed = self._parse(text, expansions or {}) if text.strip() else query.Every()
        restrict = _filter_query(filters or {})
        groupedby = {name: sorting.FieldFacet(name, allow_overlap=name in _MULTI_VALUED)
                     for name in FACET_FIELDS} if facets else None
        try:
            results = self._searcher.search(parsed, filter=restrict, limit=max(limit, 1) + len(pinned),
                                            groupedby=groupedby, terms=True)
            if results.is_empty() and text.strip() and isinstance(parsed, query.And):
                # Nothing has every word: fall back to any word, still ranked by BM25.
                parsed = self._parse(text, expansions or {}, group=qparser.OrGroup.factory(0.9))
                results = self._searcher.search(parsed, filter=restrict, limit=max(limit, 1) + len(pinned),
                                                groupedby=groupedby, terms=True)
        except Exception as exc:  # whoosh raises assorted errors on odd queries
            raise QueryError(f"cannot run query {text!r}: {exc}") from None
        results.fragmenter = ContextFragmenter(maxchars=240, surround=60)
        results.formatter = _MarkFormatter()
        hits: list[SearchHit] = []
        seen: set[str] = set()
        for ref in pinned:
            stored = self._stored(ref)
            if stored is not None and _passes(stored, filters or {}):
                hits.append(_hit(stored, score=float("inf"), snippet=stored["text"][:240], pinned=True))
                seen.add(ref)
        for hit in results:
            if hit["ref"] in seen:
                continue
            snippet = hit.highlights("text", top=2) or hit.get("text", "")[:240]
            hits.append(_hit(hit.fields(), score=hit.score, snippet=snippet))
            if len(hits) >= limit:
                break
        facet_counts: dict[str, dict[str, int]] = {}
        if facets:
            for name in FACET_FIELDS:
                groups = results.groups(name)
                facet_counts[name] = {str(k): len(v) for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))
                                      if k not in (None, "")}
        suggestion = None
        if text.strip() and len(results) < 3:
            suggestion = self._suggest(text, parsed)
        return SearchResults(query=text, hits=tuple(hits[:limit]), total=len(results) + len(
            [h for h in hits if h.pinned]), facets=facet_counts, suggestion=suggestion)

    def _parse(self, text: str, expansions: dict[str, Sequence[str]], group=None):
        from whoosh import qparser

        parser = qparser.MultifieldParser(["heading", "text", "context", "topics"], self._ix.schema,
                                          group=group or qparser.AndGroup)
        parser.remove_plugin_class(qparser.WildcardPlugin)  # "s.14(1)*" is not a wildcard to a lawyer
        text = _expand(_sanitise(text), expansions)
        try:
            return parser.parse(text)
        except Exception as exc:
            raise QueryError(f"cannot parse query {text!r}: {exc}") from None

    def _suggest(self, text: str, parsed) -> str | None:
        try:
            corrected = self._searcher.correct_query(parsed, text)
        except Exception:
            return None
        return corrected.string if corrected.query != parsed and corrected.string != text else None

    def _stored(self, ref: str) -> dict | None:
        return self._searcher.document(ref=ref)

    def document(self, ref: str) -> dict | None:
        return self._stored(ref)

    def doc_count(self) -> int:
        return self._searcher.doc_count()


class _MarkFormatter:
    """Marks matched terms as **term** so text and JSON output can both show them."""

    between = " … "

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"**{token.text if replace else text[token.startchar:token.endchar]}**"

    def format_fragment(self, fragment, replace: bool = False) -> str:
        out, index = [], fragment.startchar
        text = fragment.text
        for token in fragment.matches:
            if token.startchar > index:
                out.append(text[index:token.startchar])
            out.append(self.format_token(text, token, replace))
            index = max(index, token.endchar)
        out.append(text[index:fragment.endchar])
        return " ".join("".join(out).split())

    def format(self, fragments, replace: bool = False) -> str:
        return self.between.join(self.format_fragment(f, replace) for f in fragments)

    def __call__(self, text, fragments):
        return self.format(fragments)


def _hit(fields: dict, *, score: float, snippet: str, pinned: bool = False) -> SearchHit:
    return SearchHit(
        ref=fields["ref"], score=score, doc_type=fields.get("doc_type", ""), jurisdiction=fields.get("jurisdiction", ""),
        act=fields.get("act", ""), body=fields.get("body", ""), kind=fields.get("kind", ""),
        heading=fields.get("heading", ""), snippet=snippet, text=fields.get("text", ""),
        topics=tuple(t for t in fields.get("topics", "").split(",") if t), pinned=pinned)


def _passes(stored: dict, filters: dict[str, Sequence[str]]) -> bool:
    for name, allowed in filters.items():
        if not allowed:
            continue
        value = stored.get(name, "")
        values = value.split(",") if name in _MULTI_VALUED else [value]
        if not set(values) & set(allowed):
            return False
    return True


def _filter_query(filters: dict[str, Sequence[str]]):
    from whoosh import query

    parts = []
    for name, allowed in filters.items():
        if allowed:
            parts.append(query.Or([query.Term(name, value) for value in allowed]))
    return query.And(parts) if parts else None


_UNBALANCED_QUOTES = re.compile(r'"')


def _sanitise(text: str) -> str:
    """Make a user's query safe for the Whoosh parser without changing what it asks.

    An odd number of quotes or unbalanced parentheses would make Whoosh guess; a lone NOT/AND/OR
    would match nothing. Clause labels like "(j-1)" are kept as words.
    """
    if text.count('"') % 2:
        text = text.replace('"', " ")
    depth = 0
    balanced = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                continue
            depth -= 1
        balanced.append(char)
    text = "".join(balanced) + ")" * depth
    words = text.split()
    while words and words[-1] in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"):
        words.pop()
    while words and words[0] in ("AND", "OR", "ANDNOT", "ANDMAYBE"):
        words.pop(0)
    return " ".join(words) if words else text.replace("NOT", " ").strip() or "*"


def _expand(text: str, expansions: dict[str, Sequence[str]]) -> str:
    """Replace a phrase that has synonyms with an OR of the phrase and its alternatives."""
    if not expansions:
        return text
    lowered = text.lower()
    for phrase, alternatives in sorted(expansions.items(), key=lambda kv: -len(kv[0])):
        pattern = re.compile(rf'(?<!["\w]){re.escape(phrase)}(?![\w"])', re.IGNORECASE)
        if pattern.search(lowered):
            options = " OR ".join(f'"{alt}"' if " " in alt else alt for alt in [phrase, *alternatives])
            text = pattern.sub(f"({options})", text, count=1)
            lowered = text.lower()
    return text
