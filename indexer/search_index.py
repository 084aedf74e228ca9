"""The Whoosh adapter: the only module that imports whoosh.

Upstream Whoosh and its community fork are both unmaintained, so everything seckb needs from a
search engine passes through the small API here (IndexDoc in, SearchResults out); swapping the
engine means rewriting this file only. The index is a cache rebuilt from the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import QueryError, SeckbError

# Bumped whenever the schema or analysis changes, so an old index is rebuilt, not misread.
INDEX_VERSION = "2"

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
        topics=KEYWORD(stored=True, commas=True, scorable=True),
        ord=NUMERIC(stored=True, sortable=True),
        extra=STORED(),
    )


# Field weights are applied at query time (tunable without re-indexing; bench/eval.py measures them).
FIELD_BOOSTS = {"heading": 3.0, "sheading": 1.0, "text": 1.0, "context": 0.2}
TOPIC_BOOST = 1.5
SEARCH_FIELDS = ("heading", "sheading", "text", "context")


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
        "topics": ",".join(doc.topics),
        "ord": doc.ord,
    }


class Searcher:
    """A warm searcher over one index folder: open once, query many times."""

    def __init__(self, index_dir: Path) -> None:
        from whoosh import index

        if not index_usable(index_dir):
            raise SeckbError("the search index is missing or from another version; run `seckb build`", path=index_dir)
        _cache_missing_columns()
        self._ix = index.open_dir(str(index_dir))
        self._searcher = self._ix.searcher(weighting=_weighting())
        self._analyzer = self._ix.schema["text"].analyzer
        self._corrector = None

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def search(
        self,
        text: str,
        *,
        filters: dict[str, Sequence[str]] | None = None,
        pinned: Sequence[str] = (),
        limit: int = 10,
        expansions: dict[str, Sequence[str]] | None = None,
        boost_topics: dict[str, float] | None = None,
        facets: bool = True,
    ) -> SearchResults:
        """Run a user query.

        ``filters`` maps a field (jurisdiction, act, body, kind, doc_type, topics) to allowed values.
        ``pinned`` refs come first (a citation the query named). ``expansions`` maps a query
        phrase to alternatives that are OR-ed with it (synonyms kept as data by the caller).
        ``boost_topics`` raises provisions tagged with these topics (the query named the topic).

        All words must match; when nothing does, a spelling correction is tried (and reported as
        the suggestion), then any word, ranked by BM25F.
        """
        from whoosh import qparser

        filters = filters or {}
        expansions = expansions or {}
        if not text.strip() and pinned:
            hits = [
                _hit(doc, score=float("inf"), snippet=doc["text"][:240], pinned=True)
                for doc in map(self._stored, pinned)
                if doc is not None and _passes(doc, filters)
            ]
            return SearchResults(query=text, hits=tuple(hits[:limit]), total=len(hits))
        restrict = _filter_query(filters)
        wanted = max(limit, 1) + len(pinned)
        correction = self._correct(text, expansions) if text.strip() else None
        suggestion = None
        try:
            first = None if MATCH_ALL_WORDS else qparser.OrGroup.factory(COORDINATION)
            parsed = self._query(text, expansions, boost_topics, group=first)
            results = self._run(parsed, restrict, wanted, facets)
            if results.scored_length() < RETRY_BELOW and correction:
                # The words as typed match (almost) nothing: answer the corrected query, and say so.
                retry = self._run(self._query(correction, expansions, boost_topics), restrict, wanted, facets)
                if retry.scored_length() > results.scored_length():
                    results, suggestion = retry, correction
            if results.is_empty() and text.strip() and _has_several_terms(parsed):
                # Nothing has every word: fall back to any word, still ranked by BM25F.
                anyword = qparser.OrGroup.factory(COORDINATION)
                results = self._run(
                    self._query(correction or text, expansions, boost_topics, group=anyword), restrict, wanted, facets
                )
        except SeckbError:
            raise
        except Exception as exc:  # whoosh raises assorted errors on odd queries
            raise QueryError(f"cannot run query {text!r}: {exc}") from None
        if suggestion is None and correction and results.scored_length() < 3:
            suggestion = correction
        hits = self._collect(results, pinned, filters, limit)
        facet_counts = _facet_counts(results) if facets else {}
        # An exact count re-walks every match (as long again as the search): only worth it when the
        # facets are wanted too, i.e. for a person reading the results.
        matched = len(results) if facets else results.scored_length()
        return SearchResults(
            query=text,
            hits=tuple(hits[:limit]),
            total=matched + sum(h.pinned for h in hits),
            facets=facet_counts,
            suggestion=suggestion,
        )

    def _run(self, parsed, restrict, wanted: int, facets: bool):
        from whoosh import sorting

        groupedby = (
            {name: sorting.FieldFacet(name, allow_overlap=name in _MULTI_VALUED) for name in FACET_FIELDS}
            if facets
            else None
        )
        return self._searcher.search(parsed, filter=restrict, limit=wanted, groupedby=groupedby)

    def _collect(self, results, pinned: Sequence[str], filters, limit: int) -> list[SearchHit]:
        from whoosh.highlight import ContextFragmenter

        results.fragmenter = ContextFragmenter(maxchars=240, surround=60)
        results.formatter = _MarkFormatter()
        hits: list[SearchHit] = []
        seen: set[str] = set()
        for ref in pinned:
            stored = self._stored(ref)
            if stored is not None and ref not in seen and _passes(stored, filters):
                hits.append(_hit(stored, score=float("inf"), snippet=stored["text"][:240], pinned=True))
                seen.add(ref)
        for hit in results:
            if len(hits) >= limit:
                break
            if hit["ref"] in seen:
                continue
            snippet = hit.highlights("text", top=2) or hit.get("text", "")[:240]
            hits.append(_hit(hit.fields(), score=hit.score, snippet=snippet))
        return hits

    def _query(
        self, text: str, expansions: dict[str, Sequence[str]], boost_topics: dict[str, float] | None, group=None
    ):
        from whoosh import query

        parsed = self._parse(text, expansions, group=group) if text.strip() else query.Every()
        if boost_topics:
            # Optional: raises provisions of the named topic among those the words matched.
            topics = query.Or(
                [query.Term("topics", topic, boost=TOPIC_BOOST * weight) for topic, weight in boost_topics.items()]
            )
            parsed = query.AndMaybe(parsed, topics) if group is None else query.Or([parsed, topics])
        return parsed

    def _parse(self, text: str, expansions: dict[str, Sequence[str]], group=None):
        from whoosh import qparser

        parser = qparser.MultifieldParser(list(SEARCH_FIELDS), self._ix.schema, group=group or qparser.AndGroup)
        # Field weights at query time. (Whoosh's DisjunctionMax matcher scores every match alike,
        # so fields are summed: the inherited section heading must weigh less than a heading.)
        parser.replace_plugin(qparser.MultifieldPlugin(list(SEARCH_FIELDS), fieldboosts=dict(FIELD_BOOSTS)))
        parser.remove_plugin_class(qparser.WildcardPlugin)  # "s.14(1)*" is not a wildcard to a lawyer
        text = _expand(_sanitise(_drop_question_words(text)), expansions)
        try:
            return parser.parse(text)
        except Exception as exc:
            raise QueryError(f"cannot parse query {text!r}: {exc}") from None

    def _correct(self, text: str, expansions: dict[str, Sequence[str]]) -> str | None:
        """The query with each word the index does not know replaced by its nearest known word.

        Words are checked in their stemmed form against every searched field and corrected
        against the unstemmed words of the text (so the suggestion reads as the user's word
        would). Synonym phrases, operators, field names and numbers are left alone.
        """
        exempt = {w for phrase in expansions for w in phrase.split()}
        changed = False
        out: list[str] = []
        for piece in re.split(r"(\s+)", text):
            word = piece.strip('"()')
            fixed = None
            if len(word) >= 4 and word.isalpha() and word not in _OPERATORS and word.lower() not in exempt:
                fixed = self._better_spelling(word)
            if fixed:
                out.append(piece.replace(word, fixed))
                changed = True
            else:
                out.append(piece)
        return "".join(out) if changed else None

    def _frequency(self, word: str) -> int:
        reader = self._searcher.reader()
        terms = [t.text for t in self._analyzer(word.lower())]
        if not terms:
            return 1 << 30  # a stop word: nothing to correct
        return min(sum(reader.doc_frequency(name, term) for name in SEARCH_FIELDS) for term in terms)

    def _better_spelling(self, word: str) -> str | None:
        """A close word when ``word`` is unknown, or so rare beside a common neighbour that it is
        more likely a typo (the statutes have their own: "Panchyats" in one heading)."""
        seen = self._frequency(word)
        if seen >= RARE_WORD:
            return None
        fixed = self._nearest(word.lower())
        if fixed and fixed != word.lower() and self._frequency(fixed) >= max(1, seen) * RARE_RATIO:
            return fixed
        return None

    def _nearest(self, word: str) -> str | None:
        if self._corrector is None:
            self._corrector = self._searcher.corrector("text")
        for maxdist in (1, 2):
            found = self._corrector.suggest(word, limit=1, maxdist=maxdist, prefix=1)
            if found:
                return found[0]
        return None

    def _stored(self, ref: str) -> dict | None:
        return self._searcher.document(ref=ref)

    def document(self, ref: str) -> dict | None:
        return self._stored(ref)

    def doc_count(self) -> int:
        return self._searcher.doc_count()

    def vocabulary_size(self) -> int:
        return sum(1 for _ in self._searcher.reader().lexicon("text"))


def _weighting():
    from whoosh import scoring

    # Only sections carry a heading, so the average heading length is near zero and BM25's length
    # normalisation would punish every heading; headings are short anyway: do not normalise them.
    return scoring.BM25F(B=0.75, K1=1.2, heading_B=0.0, sheading_B=0.3)


# Ranking policy, measured on the judged set (bench/eval.py): all words first, else any word.
MATCH_ALL_WORDS = True
COORDINATION = 0.9
RARE_WORD = 50
RARE_RATIO = 20
RETRY_BELOW = 3
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
# Words of a question, not of the law: "who conducts panchayat elections" means "conducts
# panchayat elections". Dropped before parsing so "all words must match" stays meaningful.
_QUESTION_WORDS = frozenset(
    [
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "why",
        "where",
        "when",
        "does",
        "do",
        "did",
        "can",
        "could",
        "should",
        "must",
        "would",
        "i",
        "me",
        "my",
        "we",
        "our",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "there",
        "any",
        "about",
        "under",
    ]
)


def _drop_question_words(text: str) -> str:
    if '"' in text:
        return text  # a phrase is taken as typed
    kept = [w for w in text.split() if w.lower() not in _QUESTION_WORDS or w in _OPERATORS]
    return " ".join(kept) if kept else text


def _has_several_terms(parsed) -> bool:
    from whoosh import query

    inner = parsed.a if isinstance(parsed, query.AndMaybe) else parsed
    return isinstance(inner, query.And)


def _facet_counts(results) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        groups = results.groups(name)
        out[name] = {
            str(k): len(v) for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1])) if k not in (None, "")
        }
    return out


class _MarkFormatter:
    """Marks matched terms as **term** so text and JSON output can both show them."""

    between = " … "

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"**{token.text if replace else text[token.startchar : token.endchar]}**"

    def format_fragment(self, fragment, replace: bool = False) -> str:
        out, index = [], fragment.startchar
        text = fragment.text
        for token in fragment.matches:
            if token.startchar > index:
                out.append(text[index : token.startchar])
            out.append(self.format_token(text, token, replace))
            index = max(index, token.endchar)
        out.append(text[index : fragment.endchar])
        return " ".join("".join(out).split())

    def format(self, fragments, replace: bool = False) -> str:
        return self.between.join(self.format_fragment(f, replace) for f in fragments)

    def __call__(self, text, fragments):
        return self.format(fragments)


def _hit(fields: dict, *, score: float, snippet: str, pinned: bool = False) -> SearchHit:
    return SearchHit(
        ref=fields["ref"],
        score=score,
        doc_type=fields.get("doc_type", ""),
        jurisdiction=fields.get("jurisdiction", ""),
        act=fields.get("act", ""),
        body=fields.get("body", ""),
        kind=fields.get("kind", ""),
        heading=fields.get("heading", ""),
        snippet=snippet,
        text=fields.get("text", ""),
        topics=tuple(t for t in fields.get("topics", "").split(",") if t),
        pinned=pinned,
    )


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
    """Replace each phrase that has synonyms with an OR of the phrase and its alternatives.

    Longest phrases win and matches never overlap, so "gram panchayat" is expanded as one phrase
    and its "panchayat" is not expanded again; words inside the user's quotes are left alone.
    """
    if not expansions:
        return text
    quoted = [m.span() for m in re.finditer(r'"[^"]*"', text)]
    taken: list[tuple[int, int, str]] = []
    for phrase, alternatives in sorted(expansions.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text, re.IGNORECASE):
            span = m.span()
            if any(s < span[1] and span[0] < e for s, e in quoted) or any(
                s < span[1] and span[0] < e for s, e, _ in taken
            ):
                continue
            options = " OR ".join(
                f'"{alt}"' if re.search(r"[\s-]", alt) else alt for alt in dict.fromkeys([m.group(0), *alternatives])
            )
            taken.append((span[0], span[1], f"({options})"))
    for start, end, replacement in sorted(taken, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text
