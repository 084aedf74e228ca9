"""The Whoosh adapter: the only module that imports whoosh.

Upstream Whoosh and its community fork are both unmaintained, so everything seckb needs from a
search engine passes through the small API here: IndexDoc in; a QueryPlan (kb/searchtypes.py,
decided by kb/query.py) in, ranked stored documents out. Query policy (question words, synonyms,
spelling, ranking constants, citations) is not here; swapping the engine means rewriting this file
only. The index is a cache rebuilt from the database.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from kb.errors import QueryError, SeckbError
from kb.searchtypes import (
    EXACT_FIELDS,
    FACET_FIELDS,
    SEARCH_FIELDS,
    AllOf,
    AnyOf,
    IndexDoc,
    Maybe,
    Node,
    OneOf,
    Phrase,
    QueryPlan,
    SearchHit,
    SearchResults,
    Without,
    Word,
)

# Bumped whenever the schema or analysis changes, so an old index is rebuilt, not misread.
INDEX_VERSION = "3"

# Legal stemming: Porter, corrected where it splits one legal word family or joins two.
# "disqualified"/"disqualification" stem to different strings, "officer" collapses into "office"
# (an "office of profit" is not a "returning officer"), "Commission"/"Commissioner" split.
_SURFACE_STEMS = {"officer": "officer", "officers": "officer", "sarpanchas": "sarpanch", "panchayati": "panchayat"}
_STEM_FIXES = {
    "disqualifi": "disqualif",
    "qualifi": "qualif",
    "nominat": "nomin",
    "commiss": "commission",
    "children": "child",
}
# Words the stemmer must leave alone: Indian local-government terms Porter does not know.
_PROTECTED = frozenset(
    {
        "panchayat",
        "sarpanch",
        "pradhan",
        "zilla",
        "parishad",
        "samiti",
        "gram",
        "grama",
        "nagar",
        "mukhiya",
        "tahsildar",
        "tahasildar",
        "collector",
    }
)
# A hyphenated word of plain words ("Upa-Sarpanch", "two-child") is searched as its parts; a clause
# label ("j-1", "a-1", "30A-1A") has a digit or a one-letter part and stays one token.
_COMPOUND = re.compile(r"^[^\W\d_]{2,}(?:-[^\W\d_]{2,})+$")


def legal_stem(word: str) -> str:
    if word in _SURFACE_STEMS:
        return _SURFACE_STEMS[word]
    if word in _PROTECTED or "-" in word:
        return word
    from whoosh.lang.porter import stem

    stemmed = stem(word)
    return _STEM_FIXES.get(stemmed, stemmed)


def _split_compounds(tokens):
    """Yield "upa-sarpanch" as "upa", "sarpanch" (consecutive positions), other tokens unchanged."""
    shift = 0
    for token in tokens:
        if token.positions:
            token.pos += shift
        if "-" not in token.text or not _COMPOUND.match(token.text):
            yield token
            continue
        text, base_pos = token.text, token.pos if token.positions else 0
        start = token.startchar if token.chars else 0
        offset = 0
        for i, part in enumerate(text.split("-")):
            token.text = part
            if token.positions:
                token.pos = base_pos + i
            if token.chars:
                token.startchar = start + offset
                token.endchar = token.startchar + len(part)
            offset += len(part) + 1
            yield token
        shift += text.count("-")


def analyzer():
    from whoosh.analysis import (
        CharsetFilter,
        CompositeAnalyzer,
        LowercaseFilter,
        RegexTokenizer,
        StemFilter,
        StopFilter,
    )
    from whoosh.support.charset import accent_map

    # Keep clause labels such as "j-1" and section numbers like "14b" as single tokens.
    tokenizer = RegexTokenizer(r"\w+(?:-\w+)*")
    return CompositeAnalyzer(
        tokenizer,
        LowercaseFilter(),
        CompoundFilter(),
        CharsetFilter(accent_map),
        StopFilter(),
        StemFilter(stemfn=legal_stem, cachesize=-1),
    )


class CompoundFilter:
    """Whoosh filter splitting plain hyphenated words (a module-level class: the schema is pickled)."""

    is_morph = False

    def __eq__(self, other) -> bool:
        return isinstance(other, CompoundFilter)

    def __call__(self, tokens):
        return _split_compounds(tokens)


def _schema():
    from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

    stem = analyzer()
    return Schema(
        ref=ID(stored=True, unique=True),
        doc_type=ID(stored=True, sortable=True),
        # A note may concern several jurisdictions, so this one field holds a comma list.
        jurisdiction=KEYWORD(stored=True, commas=True, lowercase=False),
        act=ID(stored=True, sortable=True),
        body=ID(stored=True, sortable=True),
        kind=ID(stored=True),
        path=ID(stored=True),
        # The heading is searched only on the provision that owns it (the section): a query that
        # names a section's subject finds the section first, not each of its sixty clauses.
        heading=TEXT(stored=True, analyzer=stem),
        # A clause's section heading still counts, like its own words.
        sheading=TEXT(analyzer=stem),
        # spelling=True keeps the unstemmed words for "did you mean" suggestions.
        text=TEXT(stored=True, analyzer=stem, spelling=True),
        context=TEXT(analyzer=stem),
        below=TEXT(analyzer=stem),
        topics=KEYWORD(stored=True, commas=True, scorable=True),
        ord=NUMERIC(stored=True, sortable=True),
        extra=STORED(),
    )


def _cache_missing_columns() -> None:
    """Whoosh 2.7.5 looks on disk for a field's length column at every posting it writes when the
    column does not exist (W3PerDocReader._cached_reader caches only hits): a quarter of the index
    build went to stat() calls. Caching the miss too is safe: a finished segment gains no columns."""
    from whoosh.codec import whoosh3

    if getattr(whoosh3.W3PerDocReader, "_seckb_patched", False):
        return

    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        return self._readers[fieldname]

    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    whoosh3.W3PerDocReader._seckb_patched = True


def create_index(
    index_dir: Path, docs: Iterable[IndexDoc], *, limitmb: int = 512, procs: int = 1, multisegment: bool = False
) -> int:
    """Write a fresh index of ``docs`` into ``index_dir`` (which must not hold another index)."""
    from whoosh import index

    _cache_missing_columns()
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), _schema())
    options = {"limitmb": limitmb}
    if procs > 1:
        options.update(procs=procs, multisegment=multisegment)
    writer = ix.writer(**options)
    count = _write_docs(writer, docs)
    (index_dir / "SECKB_INDEX_VERSION").write_text(INDEX_VERSION)
    return count


def update_index(
    index_dir: Path, remove_acts: Sequence[str], remove_doc_types: Sequence[str], docs: Iterable[IndexDoc]
) -> int:
    """Delete the documents of the given Acts (and doc types), then add ``docs``; one commit."""
    from whoosh import index
    from whoosh.query import Term

    _cache_missing_columns()
    ix = index.open_dir(str(index_dir))
    writer = ix.writer()
    try:
        for act in remove_acts:
            writer.delete_by_query(Term("act", act))
        for doc_type in remove_doc_types:
            writer.delete_by_term("doc_type", doc_type)
    except BaseException:
        writer.cancel()
        raise
    return _write_docs(writer, docs)


def _write_docs(writer, docs: Iterable[IndexDoc]) -> int:
    """Add ``docs`` and commit; on any failure (or a kill signal's exception) cancel instead."""
    count = 0
    try:
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


def _owns_heading(doc: IndexDoc) -> bool:
    """A section (or article, rule, note) owns its heading; its sub-provisions inherit it."""
    return doc.doc_type != "provision" or not re.search(r"[\s(]", doc.path)


def _fields(doc: IndexDoc) -> dict:
    own = _owns_heading(doc)
    return {
        "ref": doc.ref,
        "doc_type": doc.doc_type,
        "jurisdiction": doc.jurisdiction,
        "act": doc.act,
        "body": doc.body,
        "kind": doc.kind,
        "path": doc.path,
        # Every hit shows its section heading, but only the section itself is searched by it.
        "heading": doc.heading if own else "",
        "_stored_heading": doc.heading,
        "sheading": "" if own else doc.heading,
        "text": doc.text,
        "context": doc.context,
        "below": doc.below,
        "topics": ",".join(doc.topics),
        "ord": doc.ord,
    }


_MULTI_VALUED = ("jurisdiction", "topics")
# Filter bitsets kept per searcher; the keys are (field, value) pairs, so a handful of States,
# Acts, bodies and topics cover every request a server sees.
_FILTER_CACHE_SIZE = 512
# Faceted rankings kept per searcher (oldest dropped first), each cut to its best _RANKING_KEEP
# documents (the web shows at most 500) with its exact total and facet counts; 0 keeps none.
_RANKING_CACHE_SIZE = 128
_RANKING_KEEP = 500


@dataclass(frozen=True)
class Ranked:
    """What the engine found for a plan: stored fields with scores, the match count, facets."""

    docs: tuple[tuple[dict[str, Any], float], ...]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class Searcher:
    """A warm searcher over one index folder: open once, query many times (a server keeps one).

    Filter document sets are cached per (field, value), so a request narrowed by State, Act, body
    or topic does not walk those posting lists again; each document's facet values are read once;
    a faceted ranking is kept, so the next page of the same query is not ranked again.
    """

    def __init__(self, index_dir: Path) -> None:
        from whoosh import index

        if not index_usable(index_dir):
            raise SeckbError("the search index is missing or from another version; run `seckb build`", path=index_dir)
        _cache_missing_columns()
        self._ix = index.open_dir(str(index_dir))
        self._searcher = self._ix.searcher(weighting=_weighting())
        self._analyzer = self._ix.schema["text"].analyzer
        self._corrector: Any = None
        self._filter_sets: dict[tuple[str, str], set[int]] = {}
        self._values: dict[str, list[tuple[str, ...]]] = {}
        self._rankings: dict[str, tuple[list[tuple[float, int]], int, dict[str, dict[str, int]]]] = {}
        self._phrase_fields: tuple[str, ...] = SEARCH_FIELDS

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- ranking ---------------------------------------------------------------------------------

    def run(self, plan: QueryPlan) -> Ranked:
        """Rank the documents matching ``plan.root`` (or tagged with ``plan.topics``) within the filters."""
        parsed = self.compile(plan)
        if parsed is None:
            return Ranked((), 0, {})
        allowed = self._allowed(plan.filters)
        if allowed is not None and not allowed:
            return Ranked((), 0, {name: {} for name in FACET_FIELDS} if plan.facets else {})
        try:
            if plan.facets:
                return self._run_all(parsed, allowed, plan)
            return self._run_window(parsed, allowed, plan)
        except SeckbError:
            raise
        except Exception as exc:
            raise QueryError(f"cannot run the query: {type(exc).__name__}") from None

    def _run_window(self, parsed: Any, allowed: set[int] | None, plan: QueryPlan) -> Ranked:
        """Without facets: the top of the ranking only (block skipping allowed), re-weighed in a window."""
        # Kind weights re-rank a window a few times the page, so a clause its provisos outscored by a
        # little comes back above them without scoring every match twice.
        reweigh = bool(plan.kind_weights or plan.body_weights)
        window = max(plan.limit, 1) * (3 if reweigh else 1)
        top = self._top(parsed, allowed, window)
        stored = self._searcher.stored_fields
        scored = [(stored(docnum), score) for score, docnum in top]
        count = len(top)
        if reweigh:
            kinds, bodies = plan.kind_weights, plan.body_weights
            scored = [
                (f, sc * kinds.get(str(f.get("kind", "")), 1.0) * bodies.get(str(f.get("body", "")), 1.0))
                for f, sc in scored
            ]
            scored.sort(key=lambda pair: -pair[1])
        return Ranked(tuple(scored[: max(plan.limit, 1)]), count, {})

    def _top(self, parsed: Any, allowed: set[int] | None, limit: int) -> list[tuple[float, int]]:
        """The best ``limit`` (score, docnum) of a query, best first, ties by document number: what
        Whoosh's top collector returns (same documents, same scores), collected here so that only
        allowed documents are visited and a document that cannot enter the top is not scored to the
        end (see _coverage_top). Any other query is one concept, covered fully when it matches."""
        items: list[tuple[float, int]] = []
        context = self._searcher.context(needs_current=True, top_query=parsed, limit=limit)
        context.seckb_probe = True
        for sub, offset in self._searcher.leaf_searchers():
            doc_count = sub.reader().doc_count_all()
            if _is_coverage(parsed):
                matchers, weights, rare = parsed.concepts(sub, context)
                power = parsed.power
            else:
                # Power 0: the score as it is (no coverage share, no BestOf credit).
                matchers, weights, rare, power = [parsed.matcher(sub, context)], [1.0], [True], 0.0
            _coverage_top(matchers, weights, rare, power, items, limit, allowed, offset, doc_count)
        items.sort(reverse=True)
        return [(float(score), -negated) for score, negated in items]

    def _run_all(self, parsed: Any, allowed: set[int] | None, plan: QueryPlan) -> Ranked:
        """With facets: every match is scored and counted (the exact total), and the kind/body
        weights re-rank all of them. Weights and facet counts come from per-document values read
        once per searcher, so only the documents returned are loaded."""
        from whoosh import collectors

        limit = max(plan.limit, 1)
        # The next page, the JSON twin and the API ask for the same ranking with another limit.
        key = repr(replace(plan, limit=0))
        memo = self._rankings.get(key)
        if memo is None or (len(memo[0]) < limit and len(memo[0]) < memo[1]):
            collector: Any = collectors.UnlimitedCollector()
            if allowed is not None:
                collector = collectors.FilterCollector(collector, allowed)
            self._searcher.search_with_collector(parsed, collector)
            # (score, docnum), best first, ties by document number.
            ranked = [(float(score or 0.0), docnum) for score, docnum in collector.results().top_n]
            if plan.kind_weights or plan.body_weights:
                kinds, bodies = plan.kind_weights, plan.body_weights
                kind_of, body_of = self._doc_values("kind"), self._doc_values("body")
                ranked = [
                    (sc * kinds.get(_first(kind_of[d]), 1.0) * bodies.get(_first(body_of[d]), 1.0), d)
                    for sc, d in ranked
                ]
                ranked.sort(key=lambda pair: -pair[0])
            # Counted in document order, as Whoosh grouped them: equal counts keep that order.
            facets = self._facet_counts(sorted(d for _, d in ranked))
            memo = (ranked[: max(limit, _RANKING_KEEP)], len(ranked), facets)
            if _RANKING_CACHE_SIZE > 0:
                if len(self._rankings) >= _RANKING_CACHE_SIZE:
                    self._rankings.pop(next(iter(self._rankings)))
                self._rankings[key] = memo
        top, total, facets = memo
        stored = self._searcher.stored_fields
        docs = tuple((stored(d), sc) for sc, d in top[:limit])
        return Ranked(docs, total, {name: dict(counts) for name, counts in facets.items()})

    def _facet_counts(self, matched: list[int]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for name in FACET_FIELDS:
            counts = Counter(chain.from_iterable(map(self._doc_values(name).__getitem__, matched)))
            out[name] = {k: n for k, n in sorted(counts.items(), key=lambda kv: -kv[1]) if k}
        return out

    def _doc_values(self, name: str) -> list[tuple[str, ...]]:
        """Each document's values of field ``name`` (indexed by document number), built once per
        searcher from the posting lists: what facet counting and re-weighing look up per match."""
        found = self._values.get(name)
        if found is None:
            reader = self._searcher.reader()
            field_obj = self._ix.schema[name]
            lists: list[list[str]] = [[] for _ in range(reader.doc_count_all())]
            # Terms in sorted order, so a document's values are listed as Whoosh's categorizer lists them.
            for btext in reader.lexicon(name):
                text = field_obj.from_bytes(btext)
                for docnum in reader.postings(name, btext).all_ids():
                    lists[docnum].append(text)
            found = [tuple(values) for values in lists]
            self._values[name] = found
        return found

    def compile(self, plan: QueryPlan) -> Any:
        """The Whoosh query for a plan (None when nothing can match)."""
        from whoosh import query

        self._phrase_fields = plan.phrase_fields or SEARCH_FIELDS
        root = self._node(plan.root, plan.field_boosts) if plan.root is not None else None
        if plan.topics:
            topics = query.Or([query.Term("topics", t, boost=w) for t, w in plan.topics.items()])
            # Recall by topic: a provision tagged with the named topic is found even without the words.
            root = topics if root is None else query.Or([root, topics])
        if root is None:
            return query.Every() if plan.root is None else None
        return root

    def _node(self, node: Node, boosts: dict[str, float]) -> Any:
        from whoosh import query

        fields = self._phrase_fields
        if isinstance(node, Word):
            return self._words([node.text], node.field, boosts, phrase=False, phrase_fields=fields)
        if isinstance(node, Phrase):
            return self._words(list(node.words), node.field, boosts, phrase=True, phrase_fields=fields, slop=node.slop)
        if isinstance(node, AllOf | AnyOf):
            subs = [q for q in (self._node(item, boosts) for item in node.items) if q is not None]
            if not subs:
                return None
            if isinstance(node, AllOf):
                return subs[0] if len(subs) == 1 else query.And(subs)
            if node.coordination > 0 and len(subs) > 1:
                return _Coverage(subs, power=node.coordination)
            return subs[0] if len(subs) == 1 else query.Or(subs)
        if isinstance(node, OneOf):
            weights = node.weights or (1.0,) * len(node.items)
            credits = node.credits or (1.0,) * len(node.items)
            options, option_credits = [], []
            for item, weight, credit in zip(node.items, weights, credits, strict=False):
                compiled = self._node(item, boosts)
                if compiled is not None:
                    options.append(compiled if weight == 1.0 else compiled.with_boost(compiled.boost * weight))
                    option_credits.append(credit)
            if not options:
                return None
            if len(options) == 1 and option_credits[0] == 1.0:
                return options[0]
            return _BestOf(options, node.tiebreak, option_credits)
        if isinstance(node, Without):
            exclude = self._node(node.exclude, boosts)
            include = self._node(node.include, boosts) if node.include is not None else query.Every()
            if include is None:
                return None
            return include if exclude is None else query.AndNot(include, exclude)
        if isinstance(node, Maybe):
            required = self._node(node.required, boosts)
            optional = self._node(node.optional, boosts)
            if required is None or optional is None:
                return required
            return query.AndMaybe(required, optional)
        raise TypeError(f"not a query node: {node!r}")

    def _words(
        self,
        words: list[str],
        fieldname: str | None,
        boosts: dict[str, float],
        *,
        phrase: bool,
        phrase_fields: tuple[str, ...] = SEARCH_FIELDS,
        slop: int = 1,
    ) -> Any:
        from whoosh import query

        if fieldname in EXACT_FIELDS:
            value = " ".join(words)
            boost = boosts.get(fieldname, 1.0)
            return query.Term(fieldname, value.upper() if fieldname == "jurisdiction" else value, boost=boost)
        # A plain word searches the text fields the plan weighs (all of them when it weighs none).
        fields = [fieldname] if fieldname else [f for f in SEARCH_FIELDS if not boosts or f in boosts]
        terms = [t for w in words for t in self.terms(w)]
        if not terms:
            return None  # only stop words
        phrase_fields = (fieldname,) if fieldname else phrase_fields
        out = []
        for name in fields:
            boost = boosts.get(name, 1.0)
            if len(terms) == 1:
                out.append(query.Term(name, terms[0], boost=boost))
            elif name not in phrase_fields:
                continue  # position checks on the long derived fields cost more than they find
            else:
                # A phrase, or one word the analyser splits ("two-child"): the parts stand together.
                out.append(_phrase(name, terms, boost, slop))
        if not out:
            return None
        return out[0] if len(out) == 1 else query.Or(out)

    def _allowed(self, filters: dict[str, tuple[str, ...]]) -> set[int] | None:
        """Documents passing every filter (values of one field are OR-ed), from cached sets.

        The cached sets are handed to Whoosh as they are (it only tests membership); combining
        several makes a new set, never changes a cached one.
        """
        allowed: set[int] | None = None
        for name, values in sorted(filters.items()):
            if not values:
                continue
            sets = [self._filter_set(name, v) for v in dict.fromkeys(values)]
            union = sets[0] if len(sets) == 1 else set().union(*sets)
            allowed = union if allowed is None else allowed & union
        return allowed

    def _filter_set(self, name: str, value: str) -> set[int]:
        from whoosh import query

        key = (name, value)
        found = self._filter_sets.get(key)
        if found is None:
            if len(self._filter_sets) >= _FILTER_CACHE_SIZE:
                self._filter_sets.clear()
            found = set(self._searcher.docs_for_query(query.Term(name, value)))
            self._filter_sets[key] = found
        return found

    # --- analysis, spelling, documents ---------------------------------------------------------

    def terms(self, text: str) -> list[str]:
        """The index terms of ``text`` (stemmed, stop words dropped), as a text field holds them."""
        return [t.text for t in self._analyzer(text)]

    def term_spans(self, text: str) -> list[tuple[str, int, int]]:
        """(index term, start, end) for each word of ``text``: what highlighting matches against."""
        return [(t.text, t.startchar, t.endchar) for t in self._analyzer(text, chars=True)]

    def frequency(self, word: str) -> int:
        """How many documents hold ``word`` in the searched fields (stop words count as common)."""
        reader = self._searcher.reader()
        terms = self.terms(word.lower())
        if not terms:
            return 1 << 30
        return min(sum(reader.doc_frequency(name, term) for name in SEARCH_FIELDS) for term in terms)

    def nearest(self, word: str, maxdist: int = 2) -> str | None:
        """The closest word of the texts within ``maxdist`` edits, as written (unstemmed); among
        equally close words the most frequent."""
        if self._corrector is None:
            self._corrector = self._searcher.corrector("text")
        for dist in range(1, maxdist + 1):
            found = self._corrector.suggest(word, limit=5, maxdist=dist, prefix=1)
            if found:
                return str(max(found, key=self.frequency))
        return None

    def document(self, ref: str) -> dict[str, Any] | None:
        return self._searcher.document(ref=ref)

    def doc_count(self) -> int:
        return int(self._searcher.doc_count())

    def vocabulary_size(self) -> int:
        return sum(1 for _ in self._searcher.reader().lexicon("text"))


def _weighting() -> Any:
    from whoosh import scoring

    # Only sections carry a heading, so the average heading length is near zero and BM25's length
    # normalisation would punish every heading; headings are short anyway: do not normalise them.
    return scoring.BM25F(B=0.75, K1=1.2, heading_B=0.0, sheading_B=0.3)


def _first(values: tuple[str, ...]) -> str:
    return values[0] if values else ""


# --- coverage: any of the items, rewarded for matching more of them ------------------------------


# A concept held by more than this share of the documents ("panchayat", "member") does not make a
# document a candidate on its own; it still scores the candidates the rarer concepts find (the
# "common terms" rule: a document with only common words would rank low under coverage anyway).
COMMON_SHARE = 0.1
CANDIDATE_BUDGET = 3000
# A candidate is given up only when its upper bound, raised by this factor against rounding, still
# does not beat the score it must beat.
_BOUND_SLACK = 1.0 + 1e-9


_END = float("inf")


class _Probe:
    """A matcher tree asked document by document "do you match this one?" (``hit``) then "with what
    score?" (``score``) — what ``skip_to(docnum)`` then ``score()`` answer, to the same float —
    without a phrase matcher walking on past the document to its next match (reading the positions
    of every document that holds all its words), and without scoring a document that turns out not
    to be wanted. ``bound`` is the lowest document the tree can still match: a subtree whose leaves
    all stand past the document is answered without descending into it. Once probed, a Whoosh tree
    is only ever probed again (its inner matchers no longer agree with its leaves)."""

    __slots__ = ("bound",)
    bound: float

    def hit(self, docnum: int) -> bool:
        """Whether the tree matches ``docnum`` (documents are asked in increasing order)."""
        raise NotImplementedError

    def score(self) -> float:
        """The score of the document of the last ``hit`` that answered True."""
        raise NotImplementedError

    def advance(self, target: int) -> None:
        """Move on to ``target`` or past it, without scoring or reading positions."""
        raise NotImplementedError

    def at(self, docnum: int) -> float | None:
        return self.score() if self.hit(docnum) else None


class _ProbeLeaf(_Probe):
    """A term's postings, or any matcher not taken apart, moved forward with skip_to."""

    __slots__ = ("matcher",)

    def __init__(self, matcher: Any) -> None:
        self.matcher = matcher
        self.bound = matcher.id() if matcher.is_active() else _END

    def hit(self, docnum: int) -> bool:
        if self.bound >= docnum:
            return self.bound == docnum
        m = self.matcher
        _skip_to(m, docnum)
        self.bound = m.id() if m.is_active() else _END
        return self.bound == docnum

    def score(self) -> float:
        return float(self.matcher.score())

    def advance(self, target: int) -> None:
        if self.bound < target:
            _skip_to(self.matcher, target)
            self.bound = self.matcher.id() if self.matcher.is_active() else _END


@functools.cache
def _w3_leaf() -> Any:
    from whoosh.codec.whoosh3 import W3LeafMatcher

    return W3LeafMatcher


def _skip_to(matcher: Any, target: int) -> None:
    """``matcher.skip_to(target)`` (target past its current document); a Whoosh 2.7 posting list is
    searched by bisection within the block instead of stepping one posting at a time."""
    if type(matcher) is not _w3_leaf():
        matcher.skip_to(target)
        return
    if target > matcher._maxid:
        matcher._skip_to_block(lambda: target > matcher._maxid)
        if not matcher.is_active():
            return
    if matcher._ids is None:
        matcher._read_ids()
    # The block's last id is its _maxid >= target, so the position found is inside the block.
    matcher._i = bisect.bisect_left(matcher._ids, target, matcher._i)


class _ProbeUnion(_Probe):
    __slots__ = ("a", "b", "in_a", "in_b", "seen")

    def __init__(self, a: _Probe, b: _Probe) -> None:
        self.a, self.b = a, b
        self.bound = min(a.bound, b.bound)
        self.in_a = self.in_b = False
        self.seen = -1

    def hit(self, docnum: int) -> bool:
        if self.bound > docnum:
            return False
        if self.seen != docnum:
            self.seen = docnum
            self.in_a, self.in_b = self.a.hit(docnum), self.b.hit(docnum)
            self.bound = min(self.a.bound, self.b.bound)
        return self.in_a or self.in_b

    def score(self) -> float:
        # UnionMatcher.score: a's score plus b's when both match.
        if self.in_a and self.in_b:
            return self.a.score() + self.b.score()
        return self.a.score() if self.in_a else self.b.score()

    def advance(self, target: int) -> None:
        if self.bound < target:
            self.a.advance(target)
            self.b.advance(target)
            self.bound = min(self.a.bound, self.b.bound)


class _ProbeIntersection(_Probe):
    __slots__ = ("a", "b")

    def __init__(self, a: _Probe, b: _Probe) -> None:
        self.a, self.b = a, b
        self.bound = max(a.bound, b.bound)

    def hit(self, docnum: int) -> bool:
        if self.bound > docnum:
            return False
        found = self.a.hit(docnum) and self.b.hit(docnum)
        self.bound = max(self.a.bound, self.b.bound)
        return found

    def score(self) -> float:
        return self.a.score() + self.b.score()

    def advance(self, target: int) -> None:
        if self.bound < target:
            self.a.advance(target)
            self.b.advance(target)
            self.bound = max(self.a.bound, self.b.bound)


class _ProbeBoost(_Probe):
    """A boosted matcher, or a phrase (``spans``: its words' postings, which must stand together)."""

    __slots__ = ("boost", "child", "found", "seen", "spans")

    def __init__(self, child: _Probe, boost: float, spans: Any = None) -> None:
        self.child, self.boost, self.spans = child, boost, spans
        self.bound = child.bound
        self.seen, self.found = -1, False

    def hit(self, docnum: int) -> bool:
        if self.bound > docnum:
            return False
        if self.seen == docnum:
            return self.found
        found = self.child.hit(docnum)
        self.bound = self.child.bound
        if found and self.spans is not None and not _adjacent(self.spans):
            self.bound = docnum + 1
            found = False
        self.seen, self.found = docnum, found
        return found

    def score(self) -> float:
        return self.child.score() * self.boost

    def advance(self, target: int) -> None:
        if self.bound < target:
            self.child.advance(target)
            self.bound = self.child.bound


class _ProbeAnyOf(_Probe):
    """Matched when any of ``members`` matches; ``found`` keeps which did, for the last document asked."""

    __slots__ = ("found", "members", "seen")
    found: list[int]

    def __init__(self, members: list[_Probe]) -> None:
        self.members = members
        self.bound = min((p.bound for p in members), default=_END)
        self.seen, self.found = -1, []

    def hit(self, docnum: int) -> bool:
        if self.bound > docnum:
            return False
        if self.seen != docnum:
            self.seen = docnum
            self.found = [n for n, p in enumerate(self.members) if p.hit(docnum)]
            self.bound = min(p.bound for p in self.members)
        return bool(self.found)

    def advance(self, target: int) -> None:
        if self.bound < target:
            for p in self.members:
                p.advance(target)
            self.bound = min(p.bound for p in self.members)


class _ProbeBest(_ProbeAnyOf):
    """A concept said several ways (BestOf): the best matching item's score plus ``tiebreak`` of the
    others', and the credit of its best-credited matching item — as its CoverageMatcher answers."""

    __slots__ = ("credits", "tiebreak")

    def __init__(self, items: list[_Probe], tiebreak: float, credits: list[float]) -> None:
        super().__init__(items)
        self.tiebreak, self.credits = tiebreak, credits

    def score(self) -> float:
        scores = [self.members[n].score() for n in self.found]
        best = max(scores, default=0.0)
        return best + self.tiebreak * (sum(scores) - best)

    def credit(self) -> float:
        return max((self.credits[n] for n in self.found), default=1.0)


class _ProbeCoverage(_ProbeAnyOf):
    """A coverage query inside another query: matched when a driver matches; scored as its
    CoverageMatcher scores (the drivers then the followers that match, times the coverage)."""

    __slots__ = ("followers", "power", "total", "weights")

    def __init__(self, matcher: Any, shared: dict[Any, _Probe]) -> None:
        super().__init__([_probe_node(m, shared)[1] for m in matcher._drivers])
        self.followers = [_probe_node(m, shared)[1] for m in matcher._followers]
        self.weights = [matcher._weights[id(m)] for m in [*matcher._drivers, *matcher._followers]]
        self.total, self.power = matcher._total, matcher._power

    def score(self) -> float:
        here = [(self.weights[n], self.members[n]) for n in self.found]
        offset = len(self.members)
        here += [(self.weights[offset + k], p) for k, p in enumerate(self.followers) if p.hit(self.seen)]
        scored = [(w * _probe_credit(p), p.score()) for w, p in here]
        covered = sum(w for w, _ in scored) / self.total
        return sum(sc for _, sc in scored) * covered**self.power


def _probe_credit(probe: _Probe) -> float:
    """How much of its concept a concept's match covers (the coverage matcher's _credit): a BestOf's
    best-credited matching item, seen through one boost; 1.0 for anything else."""
    inner = probe.child if isinstance(probe, _ProbeBoost) else probe
    return inner.credit() if isinstance(inner, _ProbeBest) else 1.0


def _credit_cap(probe: _Probe) -> float:
    inner = probe.child if isinstance(probe, _ProbeBoost) else probe
    return max([1.0, *inner.credits]) if isinstance(inner, _ProbeBest) else 1.0


def _coverage_matcher(matcher: Any) -> bool:
    kind: Any = _QUERY_CLASSES.get("matcher")
    return kind is not None and type(matcher) is kind


def _best_of(matcher: Any) -> bool:
    """Whether ``matcher`` is the matcher of a BestOf query (all items drivers, best-of scoring)."""
    kind: Any = _QUERY_CLASSES.get("matcher")
    return kind is not None and type(matcher) is kind and matcher._tiebreak is not None and not matcher._followers


def _adjacent(leaves: Any) -> bool:
    """Whether the words of a phrase stand one after another in the current document: what
    SpanNear2(slop=1, ordered=True, mindist=1) finds, from the positions alone."""
    starts = set(leaves[0].value_as("positions"))
    for shift, leaf in enumerate(leaves[1:], 1):
        starts.intersection_update([pos - shift for pos in leaf.value_as("positions")])
        if not starts:
            return False
    return bool(starts)


def _probe_tree(matcher: Any, shared: dict[Any, _Probe]) -> _Probe:
    """The probe of a Whoosh matcher tree. Equal subtrees (the same term at the same posting, or the
    same phrase with the same boost, found again in another concept's tree, or twice where two
    synonyms stem alike) become one node in ``shared``: asked twice about a document, it answers the
    second time from memory, with the same score."""
    return _probe_node(matcher, shared)[1]


def _probe_node(matcher: Any, shared: dict[Any, _Probe]) -> tuple[Any, _Probe]:
    from whoosh import matching
    from whoosh.query.spans import SpanNear2
    from whoosh.util import make_binary_tree

    kind = type(matcher)
    key: Any
    if kind is matching.UnionMatcher or kind is matching.IntersectionMatcher:
        (key_a, a), (key_b, b) = _probe_node(matcher.a, shared), _probe_node(matcher.b, shared)
        key = (kind.__name__, key_a, key_b)
        if key not in shared:
            shared[key] = _ProbeUnion(a, b) if kind is matching.UnionMatcher else _ProbeIntersection(a, b)
    elif kind is matching.WrappingMatcher:
        key_c, child = _probe_node(matcher.child, shared)
        key = ("boost", key_c, matcher.boost)
        if key not in shared:
            shared[key] = _ProbeBoost(child, matcher.boost)
    elif kind is SpanNear2.SpanNear2Matcher and (matcher.slop != 1 or not matcher.ordered or matcher.mindist != 1):
        # Only exact adjacency is checked from positions here; Whoosh decides the others.
        key = ("matcher", id(matcher))
        shared[key] = _ProbeLeaf(matcher)
    elif _coverage_matcher(matcher) and matcher._tiebreak is None:
        key = ("matcher", id(matcher))
        shared[key] = _ProbeCoverage(matcher, shared)
    elif _best_of(matcher):
        items = [_probe_node(m, shared) for m in matcher._drivers]
        credits = [float(matcher._credits.get(id(m), 1.0)) for m in matcher._drivers]
        key = ("best", tuple(k for k, _ in items), matcher._tiebreak, tuple(credits))
        if key not in shared:
            shared[key] = _ProbeBest([probe for _, probe in items], matcher._tiebreak, credits)
    elif kind is SpanNear2.SpanNear2Matcher:
        words = [_probe_node(m, shared) for m in matcher.ms]
        if isinstance(matcher.child, _PhraseLeaves):
            # As SpanNear2Matcher builds it: a binary tree of intersections of the words' postings.
            key = ("phrase", tuple(k for k, _ in words), matcher.boost)
            if key not in shared:
                tree: _Probe = make_binary_tree(_ProbeIntersection, [leaf for _, leaf in words])
                shared[key] = _ProbeBoost(tree, matcher.boost, spans=_cursors(words))
        else:
            key_c, child = _probe_node(matcher.child, shared)
            key = ("spans", key_c, matcher.boost)
            if key not in shared:
                shared[key] = _ProbeBoost(child, matcher.boost, spans=_cursors(words))
    elif kind is _w3_leaf() and matcher.term() is not None:
        # Only cursors standing on the same posting are interchangeable (a Whoosh intersection built
        # for an explicit AND has already moved its own to their first common document).
        key = ("term", matcher.term(), matcher.id() if matcher.is_active() else None)
        if key not in shared:
            shared[key] = _ProbeLeaf(matcher)
    else:
        key = ("matcher", id(matcher))
        shared[key] = _ProbeLeaf(matcher)
    return key, shared[key]


def _cursors(words: list[tuple[Any, _Probe]]) -> list[Any]:
    """The postings a phrase's positions are read from: those its (perhaps shared) leaves move."""
    return [leaf.matcher if isinstance(leaf, _ProbeLeaf) else None for _, leaf in words]


class _PhraseLeaves:
    """Stands in for the intersection inside a phrase matcher built for probing: the words' postings,
    not yet moved to a first match (building Whoosh's SpanNear2 matcher walks to the first document
    where the words stand together)."""

    def __init__(self, leaves: list[Any]) -> None:
        self.leaves = leaves

    def is_active(self) -> bool:
        return all(m.is_active() for m in self.leaves)

    def max_quality(self) -> float:
        return float(sum(m.max_quality() for m in self.leaves))


def _phrase_class() -> type:
    from whoosh import matching, query
    from whoosh.query.spans import SpanNear2

    class LazyPhrase(query.Phrase):
        """A phrase whose matcher, when the top-k prober asks (``seckb_probe`` in the search context),
        is left unpositioned for _probe_tree; any other search gets Whoosh's own matcher. It is of
        Whoosh's own classes (a SpanNear2 matcher, boosted by a WrappingMatcher), because Whoosh
        orders an OR's matcher tree by class, and that order decides how scores are summed."""

        def matcher(self, searcher: Any, context: Any = None) -> Any:
            if not getattr(context, "seckb_probe", False) or self.slop != 1:
                return query.Phrase.matcher(self, searcher, context)
            field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema.names() else None
            if field is None or not field.format or not field.format.supports("positions"):
                return query.Phrase.matcher(self, searcher, context)
            reader = searcher.reader()
            leaves = []
            for word in self.words:
                try:
                    text = field.to_bytes(word)
                except ValueError:
                    return matching.NullMatcher()
                if (self.fieldname, text) not in reader:
                    return matching.NullMatcher()
                leaves.append(query.Term(self.fieldname, word).matcher(searcher, context))
            m = object.__new__(SpanNear2.SpanNear2Matcher)
            m.ms, m.slop, m.ordered, m.mindist = leaves, 1, True, 1
            m.child, m.boost, m._spans = _PhraseLeaves(leaves), 1.0, None
            return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m

    return LazyPhrase


_PHRASE_CLASS: type | None = None


def _phrase(fieldname: str, words: list[str], boost: float, slop: int = 1) -> Any:
    global _PHRASE_CLASS
    if _PHRASE_CLASS is None:
        _PHRASE_CLASS = _phrase_class()
    return _PHRASE_CLASS(fieldname, words, slop=slop, boost=boost)


def _coverage_top(
    matchers: list[Any],
    weights: list[float],
    rare: list[bool],
    power: float,
    items: list[tuple[float, int]],
    limit: int,
    allowed: set[int] | None,
    offset: int,
    doc_count: int,
) -> None:
    """Add one segment's best coverage matches to the heap ``items`` of (score, -docnum).

    The same documents with the same scores as the coverage matcher under Whoosh's top collector
    (candidates are the documents a driver matches, each scored by every concept it matches,
    taken in document order, a later one entering the heap only with a strictly higher score),
    with work skipped where the outcome is known:
    - a document outside the filters is not scored (with few allowed documents, only those are visited);
    - once the heap is full, concepts whose best possible scores together cannot beat its lowest
      score (max_quality, with the coverage their weights give) are not worth a document on their
      own: only documents matching one of the other concepts are looked at (MaxScore);
    - a candidate is given up as soon as its upper bound cannot beat the lowest score.
    """
    total = sum({id(m): w for m, w in zip(matchers, weights, strict=True)}.values()) or 1.0
    shared: dict[Any, _Probe] = {}
    probes = [_probe_tree(m, shared) for m in matchers]
    best = [_concept_bound(m) for m in matchers]
    everyone = range(len(matchers))
    drivers = [c for c in everyone if rare[c]]
    # score()'s order of addition: the drivers, then the followers, each in query order.
    canonical = drivers + [c for c in everyone if not rare[c]]
    # Concepts looked at for a candidate: rarest (highest weight) first, as they decide the most.
    by_weight = sorted(everyone, key=lambda c: -weights[c])
    # A concept whose matcher matches nothing (a word no text holds) still weighs in the total, but
    # no document gains its weight: the bounds leave it out.
    gain = [weights[c] * _credit_cap(probes[c]) if matchers[c].is_active() else 0.0 for c in everyone]
    by_bound = sorted((c for c in everyone if gain[c]), key=lambda c: best[c])
    dprobes = [probes[c] for c in drivers]
    visit = sorted(allowed) if allowed is not None and len(allowed) * 8 < doc_count else None
    at_visit = 0
    floor: float | None = None
    essential: list[int] = list(everyone)
    eprobes: list[_Probe] = []
    docnum = 0
    while True:
        if len(items) >= limit and items[0][0] != floor:
            floor = items[0][0]
            essential = _essential(by_bound, best, gain, total, power, floor)
            if not essential:
                return
            eprobes = [probes[c] for c in essential] if len(essential) < len(everyone) else []
        target = min(p.bound for p in dprobes)
        if eprobes:
            target = max(target, min(p.bound for p in eprobes))
        if target == _END:
            return
        docnum = max(docnum, int(target))
        if visit is not None:
            at_visit = bisect.bisect_left(visit, docnum + offset, at_visit)
            if at_visit == len(visit):
                return
            docnum = visit[at_visit] - offset
        elif allowed is not None and docnum + offset not in allowed:
            docnum += 1
            for p in dprobes:
                p.advance(docnum)
            for p in eprobes:
                p.advance(docnum)
            continue
        # A candidate must match a driver and (once the heap is full) an essential concept; the
        # drivers are asked first: their bound is most often the document itself.
        known = {c: probes[c].hit(docnum) for c in drivers}
        if not any(known.values()):
            docnum += 1
            continue
        if eprobes:
            for c in essential:
                if c not in known:
                    known[c] = probes[c].hit(docnum)
            if not any(known[c] for c in essential):
                docnum += 1
                continue
        score = _bounded(known, by_weight, canonical, probes, best, weights, gain, total, power, docnum, floor)
        if score is not None:
            if len(items) < limit:
                heapq.heappush(items, (score, -(docnum + offset)))
            elif score > items[0][0]:
                heapq.heapreplace(items, (score, -(docnum + offset)))
        docnum += 1


def _essential(
    by_bound: list[int], best: list[float], weights: list[float], total: float, power: float, floor: float
) -> list[int]:
    """The concepts a document must match to be able to beat ``floor``: all but the longest run of the
    weakest ones whose best scores together, at the coverage they give, still do not beat it."""
    score = weight = 0.0
    for n, c in enumerate(by_bound):
        score, weight = score + best[c], weight + weights[c]
        if not score * (weight / total) ** power * _BOUND_SLACK <= floor:
            return by_bound[n:]
    return []


def _bounded(
    known: dict[int, bool],
    order: list[int],
    canonical: list[int],
    probes: list[_Probe],
    best: list[float],
    weights: list[float],
    gain: list[float],
    total: float,
    power: float,
    docnum: int,
    floor: float | None,
) -> float | None:
    """The candidate's coverage score (``known``: whether the concepts probed so far match
    ``docnum``), or None once an upper bound shows it cannot beat ``floor``: concepts not yet probed
    count at their best possible score and full weight."""
    rest = [c for c in order if c not in known]
    if floor is not None:
        # Before scoring anything: the concepts found at their best, the others as below.
        found = [c for c, hit in known.items() if hit]
        bound = sum(best[c] for c in found + rest) * (sum(gain[c] for c in found + rest) / total) ** power
        if bound * _BOUND_SLACK <= floor:
            return None
    scores = {c: probes[c].score() for c, hit in known.items() if hit}
    shares = {c: weights[c] * _probe_credit(probes[c]) for c in scores}
    score = sum(scores.values())
    weight = sum(shares.values())
    for n in range(len(rest) + 1):
        if floor is not None:
            more = rest[n:]
            bound = (score + sum(best[c] for c in more)) * ((weight + sum(gain[c] for c in more)) / total) ** power
            if bound * _BOUND_SLACK <= floor:
                return None
        if n == len(rest):
            break
        c = rest[n]
        if probes[c].hit(docnum):
            scores[c] = probes[c].score()
            shares[c] = weights[c] * _probe_credit(probes[c])
            score += scores[c]
            weight += shares[c]
    # The exact score, summed in the matcher's order so equal documents still tie exactly.
    here = [(shares[c], scores[c]) for c in canonical if c in scores]
    return sum(sc for _, sc in here) * (sum(w for w, _ in here) / total) ** power


def _concept_bound(matcher: Any) -> float:
    """The best score a concept's matcher can give one document: the sum of its terms' best scores,
    except that a document has a heading or a section heading, never both (see _fields), so only the
    larger of those two fields' sums counts."""
    per_field = _field_bounds(matcher)
    heading, sheading = per_field.pop("heading", 0.0), per_field.pop("sheading", 0.0)
    return sum(per_field.values()) + max(heading, sheading)


def _field_bounds(matcher: Any) -> dict[str | None, float]:
    """Best possible score of ``matcher`` by field (None: a matcher not taken apart)."""
    from whoosh import matching
    from whoosh.query.spans import SpanNear2

    kind = type(matcher)
    parts: list[Any]
    scale = 1.0
    if kind is matching.UnionMatcher or kind is matching.IntersectionMatcher:
        parts = [matcher.a, matcher.b]
    elif kind is matching.WrappingMatcher:
        parts, scale = [matcher.child], matcher.boost
    elif kind is SpanNear2.SpanNear2Matcher:
        parts, scale = list(matcher.ms), matcher.boost
    elif isinstance(matcher, matching.LeafMatcher) and matcher.term() is not None:
        return {matcher.term()[0]: _max_quality(matcher)}
    elif _best_of(matcher) and 0.0 <= matcher._tiebreak <= 1.0 and matcher._drivers:
        # best + t * (sum - best) = (1 - t) * best + t * sum, at most (1 - t) * max + t * sum.
        items = [_concept_bound(m) for m in matcher._drivers]
        tiebreak = matcher._tiebreak
        return {None: (1.0 - tiebreak) * max(items) + tiebreak * sum(items)}
    else:
        return {None: _max_quality(matcher)}
    out: dict[str | None, float] = {}
    for part in parts:
        for name, bound in _field_bounds(part).items():
            out[name] = out.get(name, 0.0) + bound * scale
    return out


def _max_quality(matcher: Any) -> float:
    """The best score ``matcher`` can give any document (infinite when it cannot say)."""
    from whoosh import matching

    try:
        return float(matcher.max_quality()) if matcher.is_active() else 0.0
    except matching.NoQualityAvailable:
        return float("inf")


def _coverage_query_class() -> dict[str, type]:
    from whoosh import matching
    from whoosh.query import compound

    class CoverageMatcher(matching.Matcher):
        """Union of concept matchers; score = sum of the matching concepts' scores × coverage ** power,
        where coverage is the share of the query's concept weight (idf) the document matches.

        Drivers (the rarer concepts) choose the candidates; followers (common concepts) are skipped
        forward to each candidate only to score it. Current ids are cached per driver, so stepping
        costs one id() per advanced matcher, not a walk of every matcher tree.
        """

        def __init__(
            self,
            drivers: list[Any],
            followers: list[Any],
            weights: dict[int, float],
            power: float,
            tiebreak: float | None = None,
            credits: dict[int, float] | None = None,
        ) -> None:
            self._drivers = drivers
            # BestOf: how much of its concept each item covers (by matcher id); default 1.0.
            self._credits = credits or {}
            self._followers = followers
            self._weights = weights
            self._total = sum(weights.values()) or 1.0
            self._power = power
            # Not None: the best item's score plus this share of the others' (BestOf), no coverage.
            self._tiebreak = tiebreak
            self._ids = [m.id() if m.is_active() else None for m in drivers]
            self._current = self._lowest()
            shared: dict[Any, _Probe] = {}
            self._probes = [_probe_tree(m, shared) for m in followers]

        def _lowest(self) -> int | None:
            live = [i for i in self._ids if i is not None]
            return min(live) if live else None

        def is_active(self) -> bool:
            return self._current is not None

        def id(self) -> int:
            assert self._current is not None
            return self._current

        def _advance(self, target: int | None) -> None:
            """Move every driver at the current id (or below ``target``) forward."""
            for n, m in enumerate(self._drivers):
                at = self._ids[n]
                if at is None:
                    continue
                if target is None and at == self._current:
                    m.next()
                elif target is not None and at < target:
                    m.skip_to(target)
                else:
                    continue
                self._ids[n] = m.id() if m.is_active() else None
            self._current = self._lowest()

        def next(self) -> bool:
            if self._current is None:
                raise matching.ReadTooFar
            self._advance(None)
            return False

        def skip_to(self, target: int) -> bool:
            if self._current is None:
                raise matching.ReadTooFar
            self._advance(target)
            return False

        def _follower_scores(self, current: int) -> list[tuple[int, float]]:
            """(index, score) of the followers matching ``current``, in follower order."""
            found = [(k, probe.at(current)) for k, probe in enumerate(self._probes)]
            return [(k, sc) for k, sc in found if sc is not None]

        def _here(self) -> list[Any]:
            current = self._current
            assert current is not None
            here = [m for n, m in enumerate(self._drivers) if self._ids[n] == current]
            return here + [self._followers[k] for k, _ in self._follower_scores(current)]

        def score(self) -> float:
            current = self._current
            assert current is not None
            # Followers are probed (their own trees no longer know where they stand): their scores
            # come from the probes, in the same order.
            here = [(m, m.score()) for n, m in enumerate(self._drivers) if self._ids[n] == current]
            here += [(self._followers[k], sc) for k, sc in self._follower_scores(current)]
            if self._tiebreak is not None:
                scores = [sc for _, sc in here]
                best = max(scores, default=0.0)
                return best + self._tiebreak * (sum(scores) - best)
            covered = sum(self._weights[id(m)] * _credit(m) for m, _ in here) / self._total
            return sum(sc for _, sc in here) * covered**self._power

        def credit(self) -> float:
            """The share of its concept this (BestOf) match covers: its best matching item's credit."""
            return max((self._credits.get(id(m), 1.0) for m in self._here()), default=1.0)

        def supports_block_quality(self) -> bool:
            return False

        def max_quality(self) -> float:
            # An upper bound for a parent union that asks; coverage only ever lowers the sum.
            total = 0.0
            for m in [*self._drivers, *self._followers]:
                try:
                    total += m.max_quality() if m.is_active() else 0.0
                except matching.NoQualityAvailable:
                    return float("inf")
            return total

        def block_quality(self) -> float:
            return self.max_quality()

        def replace(self, minquality: float = 0) -> Any:
            return self if self.is_active() else matching.NullMatcher()

        def copy(self) -> Any:
            drivers = [m.copy() for m in self._drivers]
            followers = [m.copy() for m in self._followers]
            old = [*self._drivers, *self._followers]
            pairs = list(zip(old, [*drivers, *followers], strict=True))
            weights = {id(new): self._weights[id(m)] for m, new in pairs}
            credits = {id(new): self._credits[id(m)] for m, new in pairs if id(m) in self._credits}
            return CoverageMatcher(drivers, followers, weights, self._power, self._tiebreak, credits)

        def children(self) -> list[Any]:
            return [*self._drivers, *self._followers]

        def term_matchers(self) -> Any:
            for m in self.children():
                yield from m.term_matchers()

        def matching_terms(self, id: int | None = None) -> Any:
            # Followers are probed leaf by leaf, so their own trees do not know where they stand:
            # the terms are those of the leaves standing on this document.
            current = self._current if id is None else id
            for m in self.term_matchers():
                if m.is_active() and m.id() == current:
                    yield m.term()

        def weight(self) -> float:
            return sum(m.weight() for m in self.term_matchers() if m.is_active() and m.id() == self._current)

        def value(self) -> Any:
            return None

    def _credit(m: Any) -> float:
        # A boost wrapper hides the BestOf matcher's credit(); look through it.
        inner = getattr(m, "child", m)
        return float(inner.credit()) if isinstance(inner, CoverageMatcher) else 1.0

    def _boosted(m: Any, boost: float) -> Any:
        # Whoosh applies a compound query's boost in CompoundQuery.matcher, which these override.
        return m if boost == 1.0 else matching.WrappingMatcher(m, boost)

    class Coverage(compound.CompoundQuery):
        JOINT = " COVER "

        def __init__(self, subqueries: list[Any], boost: float = 1.0, power: float = 1.0) -> None:
            compound.CompoundQuery.__init__(self, subqueries, boost=boost)
            self.power = power

        def apply(self, fn: Any) -> Any:
            return Coverage([fn(q) for q in self.subqueries], boost=self.boost, power=self.power)

        def normalize(self) -> Any:
            return Coverage([q.normalize() for q in self.subqueries], boost=self.boost, power=self.power)

        def concepts(self, searcher: Any, context: Any) -> tuple[list[Any], list[float], list[bool]]:
            """Each concept's matcher, weight, and whether it is a driver (chooses candidates)."""
            import math

            reader = searcher.reader()
            total = max(reader.doc_count_all(), 1)
            sizes = [min(q.estimate_size(reader), total) for q in self.subqueries]
            # A concept weighs by its rarity (idf): matching "toilet" covers more of a query than
            # matching "candidate".
            weights = [math.log(1 + total / (1 + size)) for size in sizes]
            matchers = [q.matcher(searcher, context) for q in self.subqueries]
            rare = [size <= COMMON_SHARE * total for size in sizes]
            if not any(rare):
                # Every concept is common: the rarer half chooses the candidates.
                cut = sorted(sizes)[(len(sizes) - 1) // 2]
                rare = [size <= cut for size in sizes]
            # However large the index, the drivers' postings stay within a budget (rarest first, at
            # least one), so the cost of a query grows with its rare words, not with the corpus.
            budget = CANDIDATE_BUDGET
            for n in sorted(range(len(sizes)), key=sizes.__getitem__):
                if rare[n]:
                    rare[n] = budget >= sizes[n] or budget == CANDIDATE_BUDGET
                    budget -= sizes[n]
            return matchers, weights, rare

        def matcher(self, searcher: Any, context: Any = None) -> Any:
            matchers, weights, rare = self.concepts(searcher, context)
            drivers = [m for m, r in zip(matchers, rare, strict=True) if r]
            followers = [m for m, r in zip(matchers, rare, strict=True) if not r]
            by_id = {id(m): w for m, w in zip(matchers, weights, strict=True)}
            if getattr(context, "seckb_probe", False):
                # For the top-k prober, as in BestOf.matcher: nothing is asked of the items yet.
                found = object.__new__(CoverageMatcher)
                found._drivers, found._followers, found._probes = drivers, followers, []
                found._weights, found._credits = by_id, {}
                found._total, found._power, found._tiebreak = sum(by_id.values()) or 1.0, self.power, None
                found._ids = []
                found._current = 0 if any(m.is_active() for m in drivers) else None
                return _boosted(found, self.boost)
            return _boosted(CoverageMatcher(drivers, followers, by_id, self.power), self.boost)

    class BestOf(compound.CompoundQuery):
        """Any of the subqueries; a document scores by the best one (Whoosh's DisjunctionMax scores
        the best of two matchers even when they stand on different documents)."""

        JOINT = " BEST "

        def __init__(
            self, subqueries: list[Any], boost: float = 1.0, tiebreak: float = 0.0, credits: list[float] | None = None
        ) -> None:
            compound.CompoundQuery.__init__(self, subqueries, boost=boost)
            self.tiebreak = tiebreak
            self.credits = list(credits or [1.0] * len(subqueries))

        def apply(self, fn: Any) -> Any:
            return BestOf([fn(q) for q in self.subqueries], self.boost, self.tiebreak, self.credits)

        def normalize(self) -> Any:
            return BestOf([q.normalize() for q in self.subqueries], self.boost, self.tiebreak, self.credits)

        def estimate_size(self, ixreader: Any) -> int:
            # How specific the concept is, as the user put it: the words as typed (the first item),
            # or the rarest way of saying it when the texts never use the typed words. Summing the
            # equivalents would make a concept look common because it has synonyms, and coverage
            # would then weigh it below a stray word of the query.
            sizes = [q.estimate_size(ixreader) for q in self.subqueries]
            return sizes[0] or min((size for size in sizes if size), default=0)

        def matcher(self, searcher: Any, context: Any = None) -> Any:
            matchers = [q.matcher(searcher, context) for q in self.subqueries]
            credits = {id(m): c for m, c in zip(matchers, self.credits, strict=True)}
            if getattr(context, "seckb_probe", False):
                # For the top-k prober (_probe_tree): the items as they are (a phrase built for
                # probing has no position yet), in a matcher of the same class for Whoosh's OR order.
                found = object.__new__(CoverageMatcher)
                found._drivers, found._followers, found._probes = matchers, [], []
                found._weights, found._credits = {id(m): 1.0 for m in matchers}, credits
                found._total, found._power, found._tiebreak = float(len(matchers)) or 1.0, 0.0, self.tiebreak
                found._ids = []
                found._current = 0 if any(m.is_active() for m in matchers) else None
                return _boosted(found, self.boost)
            found = CoverageMatcher(matchers, [], {id(m): 1.0 for m in matchers}, 0.0, self.tiebreak, credits)
            return _boosted(found, self.boost)

    return {"coverage": Coverage, "best": BestOf, "matcher": CoverageMatcher}


_QUERY_CLASSES: dict[str, type] = {}


def _is_coverage(parsed: Any) -> bool:
    # A boosted coverage query is left to the generic path (its matcher is wrapped in the boost).
    found: Any = _QUERY_CLASSES.get("coverage")
    return found is not None and isinstance(parsed, found) and parsed.boost == 1.0


def _Coverage(subs: list[Any], power: float) -> Any:
    if not _QUERY_CLASSES:
        _QUERY_CLASSES.update(_coverage_query_class())
    return _QUERY_CLASSES["coverage"](subs, power=power)


def _BestOf(subs: list[Any], tiebreak: float, credits: list[float]) -> Any:
    if not _QUERY_CLASSES:
        _QUERY_CLASSES.update(_coverage_query_class())
    return _QUERY_CLASSES["best"](subs, tiebreak=tiebreak, credits=credits)


__all__ = [
    "FACET_FIELDS",
    "SEARCH_FIELDS",
    "IndexDoc",
    "Ranked",
    "SearchHit",
    "SearchResults",
    "Searcher",
    "analyzer",
    "create_index",
    "index_usable",
    "legal_stem",
    "update_index",
]
