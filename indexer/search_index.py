"""The Whoosh adapter: the only module that imports whoosh.

Upstream Whoosh and its community fork are both unmaintained, so everything seckb needs from a
search engine passes through the small API here: IndexDoc in; a QueryPlan (kb/searchtypes.py,
decided by kb/query.py) in, ranked stored documents out. Query policy (question words, synonyms,
spelling, ranking constants, citations) is not here; swapping the engine means rewriting this file
only. The index is a cache rebuilt from the database.
"""

from __future__ import annotations

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
        results = self._searcher.search(parsed, filter=allowed, limit=window, terms=False)
        scored = [(hit.fields(), float(hit.score or 0.0)) for hit in results]
        if reweigh:
            kinds, bodies = plan.kind_weights, plan.body_weights
            scored = [
                (f, sc * kinds.get(str(f.get("kind", "")), 1.0) * bodies.get(str(f.get("body", "")), 1.0))
                for f, sc in scored
            ]
            scored.sort(key=lambda pair: -pair[1])
        return Ranked(tuple(scored[: max(plan.limit, 1)]), results.scored_length(), {})

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
                out.append(query.Phrase(name, terms, slop=slop, boost=boost))
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

        def _here(self) -> list[Any]:
            current = self._current
            here = [m for n, m in enumerate(self._drivers) if self._ids[n] == current]
            for m in self._followers:
                if m.is_active() and m.id() < current:
                    m.skip_to(current)
                if m.is_active() and m.id() == current:
                    here.append(m)
            return here

        def score(self) -> float:
            here = self._here()
            if self._tiebreak is not None:
                scores = [m.score() for m in here]
                best = max(scores, default=0.0)
                return best + self._tiebreak * (sum(scores) - best)
            covered = sum(self._weights[id(m)] * _credit(m) for m in here) / self._total
            return sum(m.score() for m in here) * covered**self._power

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
            for m in self._here():
                yield from m.matching_terms(id)

        def weight(self) -> float:
            return sum(m.weight() for m in self._here())

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

        def matcher(self, searcher: Any, context: Any = None) -> Any:
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
            drivers = [m for m, r in zip(matchers, rare, strict=True) if r]
            followers = [m for m, r in zip(matchers, rare, strict=True) if not r]
            by_id = {id(m): w for m, w in zip(matchers, weights, strict=True)}
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
            found = CoverageMatcher(matchers, [], {id(m): 1.0 for m in matchers}, 0.0, self.tiebreak, credits)
            return _boosted(found, self.boost)

    return {"coverage": Coverage, "best": BestOf}


_QUERY_CLASSES: dict[str, type] = {}


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
