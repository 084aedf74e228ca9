"""The Whoosh adapter: the only module that imports whoosh.

Upstream Whoosh and its community fork are both unmaintained, so everything seckb needs from a
search engine passes through the small API here: IndexDoc in; a QueryPlan (kb/searchtypes.py,
decided by kb/query.py) in, ranked stored documents out. Query policy (question words, synonyms,
spelling, ranking constants, citations) is not here; swapping the engine means rewriting this file
only. The index is a cache rebuilt from the database.
"""

from __future__ import annotations

import functools
import os
import re
from collections import OrderedDict
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
INDEX_VERSION = "8"

# Legal stemming: Porter, corrected where it splits one legal word family or joins two.
# "disqualified"/"disqualification" stem to different strings, "officer" collapses into "office"
# (an "office of profit" is not a "returning officer"), "Commission"/"Commissioner" split. The
# President is not "presiding", a corporator is not a "Corporation", "publication" belongs with
# "publish", not with "public", and a "defection" (changing party) is not a "defect" in a paper.
_SURFACE_STEMS = {
    "officer": "officer",
    "officers": "officer",
    "sarpanchas": "sarpanch",
    "panchayati": "panchayat",
    "president": "president",
    "presidents": "president",
    "corporator": "corporator",
    "corporators": "corporator",
    "publication": "publish",
    "publications": "publish",
    "defection": "defection",
    "defections": "defection",
}
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


# Words and clause labels ("j-1", "14b"): one token each.
_TOKEN = re.compile(r"\w+(?:-\w+)*")
# Distinct words whose analysis is remembered (the corpus has about 30,000).
_WORDS_KEPT = 200_000


def analyzer() -> Any:
    """The analyser of every text field: words and clause labels, lower case, plain hyphenated words
    split ("upa-sarpanch" is "upa", "sarpanch" at consecutive positions), accents folded, Whoosh's
    stop words dropped (later words renumbered), ``legal_stem``; ``no_morph`` leaves words unstemmed."""
    return _analyzer_class()()


@functools.cache
def _analyzer_class() -> type:
    """Whoosh's RegexTokenizer, LowercaseFilter, a compound splitter, CharsetFilter(accent_map),
    StopFilter() and StemFilter(legal_stem) in one generator: the same tokens, with positions and
    character offsets, as those six chained generators gave (tests/test_analyzer.py), in about half
    the time; analysis is a third of writing the index. Made on first use, like RepeatedText below;
    the pickled schema finds it as ``indexer.search_index.LegalAnalyzer``."""
    from whoosh.analysis import STOP_WORDS, Analyzer, Token
    from whoosh.support.charset import accent_map

    # Each distinct word's parts, worked out once: (length as typed, folded text, stop word?, stem).
    seen: dict[str, tuple[tuple[int, str, bool, str], ...]] = {}

    def parts_of(word: str) -> tuple[tuple[int, str, bool, str], ...]:
        if len(seen) >= _WORDS_KEPT:
            seen.clear()
        parts = word.split("-") if "-" in word and _COMPOUND.match(word) else (word,)
        out = []
        for part in parts:
            text = part if part.isascii() else part.translate(accent_map)
            stop = len(text) < 2 or text in STOP_WORDS
            out.append((len(part), text, stop, text if stop else legal_stem(text)))
        found = seen[word] = tuple(out)
        return found

    class LegalAnalyzer(Analyzer):
        def has_morph(self) -> bool:
            return True

        def __call__(
            self,
            value: str,
            positions: bool = False,
            chars: bool = False,
            keeporiginal: bool = False,
            removestops: bool = True,
            start_pos: int = 0,
            start_char: int = 0,
            tokenize: bool = True,
            mode: str = "",
            no_morph: bool = False,
            **kwargs: Any,
        ) -> Any:
            if keeporiginal or not tokenize:
                raise ValueError("LegalAnalyzer: keeporiginal and tokenize=False are not supported")
            t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
            t.boost = 1.0
            shift = 0  # positions taken by the extra parts of split compounds so far
            last: int | None = None  # the position of the last word kept: stop words renumber
            for number, match in enumerate(_TOKEN.finditer(value)):
                word = match.group(0).lower()
                parts = seen.get(word) or parts_of(word)
                pos = start_pos + number + shift
                shift += len(parts) - 1
                offset = 0
                for i, (length, text, stop, stem) in enumerate(parts):
                    if stop:
                        if removestops:
                            offset += length + 1
                            continue
                        t.stopped = True
                        if positions:
                            t.pos = pos + i
                        t.text = text
                    else:
                        t.stopped = False
                        if positions:
                            last = pos + i if last is None else last + 1
                            t.pos = last
                        t.text = text if no_morph else stem
                    if chars:
                        if len(parts) == 1:
                            t.startchar, t.endchar = start_char + match.start(), start_char + match.end()
                        else:
                            t.startchar = start_char + match.start() + offset
                            t.endchar = t.startchar + length
                    offset += length + 1
                    yield t

    LegalAnalyzer.__module__, LegalAnalyzer.__qualname__ = __name__, "LegalAnalyzer"
    return LegalAnalyzer


def _schema():
    from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

    RepeatedText = _repeated_text()
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
        sheading=RepeatedText(analyzer=stem),
        # spelling=True keeps the unstemmed words for "did you mean" suggestions.
        text=TEXT(stored=True, analyzer=stem, spelling=True),
        context=RepeatedText(analyzer=stem),
        below=TEXT(analyzer=stem),
        # Not stored: searched, never shown (kb/descriptions.py).
        described=TEXT(analyzer=stem),
        topics=KEYWORD(stored=True, commas=True, scorable=True),
        ord=NUMERIC(stored=True, sortable=True),
        quoted=STORED(),
        extra=STORED(),
    )


# Sibling clauses share their lead-in and section heading, so most values of these fields were
# analysed for the document before: about 70% of the context field's characters.
_REPEATED_VALUES_KEPT = 256


@functools.cache
def _repeated_text() -> type:
    """The class of a TEXT field that analyses each distinct value once per process.

    Made on first use, so importing this module does not import Whoosh; the index's pickled schema
    finds it as ``indexer.search_index.RepeatedText`` through the module ``__getattr__`` below.
    """
    from whoosh.fields import TEXT

    class RepeatedText(TEXT):
        # Whoosh compares fields by their attributes; identity is enough for the analysis cache.
        __hash__ = object.__hash__

        def index(self, value, **kwargs):
            if kwargs or not isinstance(value, str):
                return super().index(value, **kwargs)
            return iter(_analysed(self, value))

    RepeatedText.__module__, RepeatedText.__qualname__ = __name__, "RepeatedText"
    return RepeatedText


@functools.lru_cache(maxsize=_REPEATED_VALUES_KEPT)
def _analysed(field: Any, value: str) -> tuple[tuple[bytes, int, float, bytes], ...]:
    return tuple(super(type(field), field).index(value))


def __getattr__(name: str) -> Any:
    if name == "RepeatedText":
        return _repeated_text()
    if name == "LegalAnalyzer":
        return _analyzer_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _patch_length_reads() -> None:
    """Two patches of Whoosh 2.7.5's per-document reader for writing a segment, where it asks each
    posting's field length in turn (half a million times for the corpus):

    - it looked on disk for a field's length column at every posting when the column does not exist
      (W3PerDocReader._cached_reader caches only hits): a quarter of the index build went to stat()
      calls. Caching the miss too is safe: a finished segment gains no columns.
    - it read each length through the column reader, a call and a seek each; the field's one-byte
      lengths are now read in one block the first time and looked up after (same values, same
      None for a document with no length).
    """
    from whoosh.codec import whoosh3
    from whoosh.util.numeric import byte_to_length

    if getattr(whoosh3.W3PerDocReader, "_seckb_patched", False):
        return

    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        return self._readers[fieldname]

    decoded = [None] + [byte_to_length(b) for b in range(1, 256)]
    original = whoosh3.W3PerDocReader.doc_field_length

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.__dict__.setdefault("_seckb_lengths", {})
        codes = lengths.get(fieldname)
        if codes is None:
            column = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            codes = _length_codes(column) if column is not None else None
            if codes is None:
                return original(self, docnum, fieldname, default)
            lengths[fieldname] = codes
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        # A document past the column's end has the column's default, 0: no length.
        return decoded[codes[docnum]] if docnum < len(codes) else None

    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    whoosh3.W3PerDocReader.doc_field_length = doc_field_length
    whoosh3.W3PerDocReader._seckb_patched = True


# A fresh index is written in two parts by two processes when there are enough documents and cores.
_PARALLEL_MIN_DOCS = 4000


def create_index(index_dir: Path, docs: Iterable[IndexDoc], *, limitmb: int = 512, parts: int | None = None) -> int:
    """Write a fresh index of ``docs`` into ``index_dir`` (which must not hold another index).

    ``parts`` 2 writes the first half of ``docs`` in a child process while this one writes the
    second half, each as its own segment (None: 2 when at least _PARALLEL_MIN_DOCS documents and
    two cores). Analysing the words is most of a build's indexing time, and it is all Python.
    """
    from whoosh import index

    _patch_length_reads()
    index_dir.mkdir(parents=True, exist_ok=True)
    if parts is None:
        docs = docs if isinstance(docs, list) else list(docs)
        parts = 2 if len(docs) >= _PARALLEL_MIN_DOCS and (os.cpu_count() or 1) >= 2 else 1
    ix = index.create_in(str(index_dir), _schema())
    writer = ix.writer(limitmb=limitmb)
    # One part streams the documents: at scale, holding them all as a list costs more memory
    # than the index writer itself (x20: 632 MB peak against 217 MB).
    count = _write_docs(writer, docs) if parts < 2 else _write_halves(ix, writer, list(docs), limitmb)
    (index_dir / "SECKB_INDEX_VERSION").write_text(INDEX_VERSION)
    return count


def _write_halves(ix, writer, docs: list[IndexDoc], limitmb: int) -> int:
    """The first half of ``docs`` goes to a child process writing its own segment (without the lock,
    which ``writer`` holds); the second half to ``writer``. The segments are listed in that order,
    so document numbers follow ``docs`` as in a one-process build: ties rank the same way.

    Whoosh's own MpWriter hands batches to whichever process is free and lists the segments as they
    finish, so its document order changes from one build to the next. Any failure, in either
    process, cancels the whole write: nothing is committed.
    """
    import multiprocessing

    half = len(docs) // 2
    # fork, not spawn, and the child dies with this process: see kb/parallel.py.
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_write_part,
        args=(os.getpid(), ix.storage.folder, ix.indexname, docs[:half], limitmb, send),
        daemon=True,
    )
    own = None
    try:
        child.start()
        send.close()
        for doc in docs[half:]:
            writer.add_document(**_fields(doc))
        own = writer._finalize_segment()
        try:
            first = receive.recv()
        except EOFError:
            first = None
        child.join()
        if isinstance(first, str) or first is None or child.exitcode != 0:
            raise SeckbError(f"the index writer's second process failed: {first or f'exit code {child.exitcode}'}")
        writer._commit_toc([first, own])
        writer._finish()
    except BaseException:
        if child.is_alive():
            child.kill()
            child.join()
        if own is None:
            writer.cancel()
        else:
            writer._finish()  # the segment is written but listed nowhere: only the lock to release
        raise
    finally:
        receive.close()
    return len(docs)


def _write_part(parent: int, folder: str, indexname: str, docs: list[IndexDoc], limitmb: int, send: Any) -> None:
    """In the child process: write ``docs`` as one finished segment and send it back (or the error)."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import SegmentWriter

    from kb.parallel import die_with_parent

    die_with_parent(parent)
    _patch_length_reads()
    try:
        ix = FileStorage(folder).open_index(indexname)
        writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
        # No cancel() on failure: it would remove the temporary folder this writer shares with the
        # parent's. The parent's writer removes it, and its segment's files are listed nowhere.
        for doc in docs:
            writer.add_document(**_fields(doc))
        send.send(writer._finalize_segment())
    except Exception as exc:  # told to the parent, which raises it in one line
        send.send(f"{type(exc).__name__}: {exc}")
    finally:
        send.close()


def update_index(
    index_dir: Path, remove_acts: Sequence[str], remove_doc_types: Sequence[str], docs: Iterable[IndexDoc]
) -> int:
    """Delete the documents of the given Acts (and doc types), then add ``docs``; one commit."""
    from whoosh import index
    from whoosh.query import Term

    _patch_length_reads()
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
        "described": doc.described,
        "topics": ",".join(doc.topics),
        "ord": doc.ord,
        "quoted": doc.quoted,
    }


_MULTI_VALUED = ("jurisdiction", "topics")
# Where Whoosh keeps the unstemmed words of the text field (spelling=True).
_SPELLING_FIELD = "spell_text"
# Words of the texts read when naming one stem (a stem starts a few dozen words at most).
_WORDS_PER_PREFIX = 400
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
        _patch_length_reads()
        self._ix = index.open_dir(str(index_dir))
        self._searcher = self._ix.searcher(weighting=_weighting())
        self._analyzer = self._ix.schema["text"].analyzer
        self._corrector: Any = None
        self._filter_sets: dict[tuple[str, str], Any] = {}
        self._values: dict[str, tuple[Any, Any, list[str]]] = {}
        self._codes_of: dict[str, tuple[Any, list[str]]] = {}
        self._segments: list[_Segment] | None = None
        self._rankings: dict[str, tuple[list[tuple[float, int]], int, dict[str, dict[str, int]] | None]] = {}
        self._phrase_fields: tuple[str, ...] = SEARCH_FIELDS
        self._words_of: dict[str, str | None] = {}
        self._together: dict[tuple[str, str], tuple[int, int, int, int]] = {}
        self._topic_rows: tuple[tuple[str, ...], Any, Any] | None = None
        self._topic_terms: dict[str, dict[str, int]] = {}

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
        if allowed is not None and not len(allowed):
            return Ranked((), 0, {name: {} for name in FACET_FIELDS} if plan.facets else {})
        limit = max(plan.limit, 1)
        try:
            if not plan.facets:
                top, total, _ = self._rank(parsed, allowed, plan, limit)
                stored = self._searcher.stored_fields
                return Ranked(tuple((stored(d), sc) for sc, d in top), total, {})
            # The next page, the JSON twin and the API ask for the same ranking with another limit.
            key = repr(replace(plan, limit=0))
            memo = self._rankings.get(key)
            if memo is None or (len(memo[0]) < limit and len(memo[0]) < memo[1]):
                memo = self._rank(parsed, allowed, plan, max(limit, _RANKING_KEEP))
                if _RANKING_CACHE_SIZE > 0:
                    if len(self._rankings) >= _RANKING_CACHE_SIZE:
                        self._rankings.pop(next(iter(self._rankings)))
                    self._rankings[key] = memo
        except SeckbError:
            raise
        except Exception as exc:
            raise QueryError(f"cannot run the query: {type(exc).__name__}") from None
        top, total, facets = memo
        stored = self._searcher.stored_fields
        docs = tuple((stored(d), sc) for sc, d in top[:limit])
        return Ranked(docs, total, {name: dict(counts) for name, counts in (facets or {}).items()})

    def _rank(
        self, parsed: Any, allowed: Any, plan: QueryPlan, keep: int
    ) -> tuple[list[tuple[float, int]], int, dict[str, dict[str, int]] | None]:
        """Every match scored (the exact total), the kind and body weights applied to all of them,
        the best ``keep`` as (score, document number), ties by document number; facet counts when
        the plan asks."""
        import numpy as np

        ids, scores = self._scores(parsed)
        if allowed is not None:
            inside = _inside(ids, allowed)
            ids, scores = ids[inside], scores[inside]
        for name, weights in (("kind", plan.kind_weights), ("body", plan.body_weights)):
            if weights:
                codes, values = self._codes(name)
                scores = scores * np.asarray([weights.get(v, 1.0) for v in values])[codes[ids]]
        rounded: Any = np.round(scores, _SCORE_DECIMALS)
        chosen: Any = np.arange(len(ids))
        if len(ids) > 4 * keep:
            # Only documents scoring at least the keep-th best are sorted.
            kth = np.partition(rounded, len(ids) - keep)[len(ids) - keep]
            chosen = np.flatnonzero(rounded >= kth)
        order = chosen[np.lexsort((ids[chosen], -rounded[chosen]))][:keep]
        top = [(float(s), int(d)) for s, d in zip(scores[order].tolist(), ids[order].tolist(), strict=True)]
        return top, len(ids), self._facet_counts(ids) if plan.facets else None

    def _scores(self, parsed: Any) -> _Vec:
        """(document numbers, scores) of every document ``parsed`` matches, over all segments."""
        import numpy as np

        segments = self._segment_list()
        classes = _query_classes()
        parts = [_ArrayScorer(seg, self._searcher.weighting, classes).vec(parsed) for seg in segments]
        if len(parts) == 1:
            return parts[0]
        offsets = [seg.offset for seg in segments]
        ids = np.concatenate([p[0] + off for p, off in zip(parts, offsets, strict=True)])
        return ids, np.concatenate([p[1] for p in parts])

    def _segment_list(self) -> list[_Segment]:
        if self._segments is None:
            self._segments = [_Segment(self._searcher, sub, offset) for sub, offset in self._searcher.leaf_searchers()]
        return self._segments

    def _facet_counts(self, matched: Any) -> dict[str, dict[str, int]]:
        """Values of each facet field over the matched documents, most frequent first; equal counts
        in the order of their first document, as Whoosh's grouping lists them."""
        import numpy as np

        out: dict[str, dict[str, int]] = {}
        for name in FACET_FIELDS:
            pair_docs, pair_codes, values = self._pairs(name)
            chosen = _inside(pair_docs, matched)
            codes = pair_codes[chosen]
            counts = np.bincount(codes, minlength=len(values))
            first = np.full(len(values), len(codes), dtype=np.int64)
            np.minimum.at(first, codes, np.arange(len(codes)))
            order = np.lexsort((first, -counts))
            out[name] = {values[c]: int(counts[c]) for c in order.tolist() if counts[c] and values[c]}
        return out

    def _pairs(self, name: str) -> tuple[Any, Any, list[str]]:
        """(document, value code) pairs of field ``name``, by document then as the lexicon lists the
        values, with the values: built once per searcher from the posting lists."""
        import numpy as np

        found = self._values.get(name)
        if found is None:
            reader = self._searcher.reader()
            field_obj = self._ix.schema[name]
            values: list[str] = []
            docs: list[Any] = []
            codes: list[Any] = []
            for code, btext in enumerate(reader.lexicon(name)):
                values.append(str(field_obj.from_bytes(btext)))
                for seg in self._segment_list():
                    posted = seg.postings(name, btext)
                    if posted is not None:
                        docs.append(posted[0] + seg.offset)
                        codes.append(np.full(len(posted[0]), code, dtype=np.int64))
            all_docs = np.concatenate(docs) if docs else np.empty(0, np.int64)
            all_codes = np.concatenate(codes) if codes else np.empty(0, np.int64)
            order = np.lexsort((all_codes, all_docs))
            found = (all_docs[order], all_codes[order], values)
            self._values[name] = found
        return found

    def _codes(self, name: str) -> tuple[Any, list[str]]:
        """Each document's first value of single-valued field ``name`` as a code into the values
        (code of "" when it has none): what the kind and body weights are looked up by."""
        import numpy as np

        found = self._codes_of.get(name)
        if found is None:
            pair_docs, pair_codes, values = self._pairs(name)
            codes = np.full(self._searcher.reader().doc_count_all(), len(values), dtype=np.int64)
            firsts = np.unique(pair_docs, return_index=True)[1]
            codes[pair_docs[firsts]] = pair_codes[firsts]
            found = (codes, [*values, ""])
            self._codes_of[name] = found
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
            options = []
            for item, weight in zip(node.items, weights, strict=False):
                compiled = self._node(item, boosts)
                if compiled is not None:
                    options.append(compiled if weight == 1.0 else compiled.with_boost(compiled.boost * weight))
            if not options:
                return None
            if len(options) == 1:
                return options[0]
            return _BestOf(options, node.tiebreak)
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

    def _allowed(self, filters: dict[str, tuple[str, ...]]) -> Any | None:
        """Documents passing every filter (values of one field are OR-ed), as a sorted array built
        from cached per-value arrays (a cached array is never changed)."""
        import numpy as np

        allowed: Any | None = None
        for name, values in sorted(filters.items()):
            if not values:
                continue
            arrays = [self._filter_set(name, v) for v in dict.fromkeys(values)]
            union = arrays[0] if len(arrays) == 1 else np.unique(np.concatenate(arrays))
            allowed = union if allowed is None else np.intersect1d(allowed, union, assume_unique=True)
        return allowed

    def _filter_set(self, name: str, value: str) -> Any:
        import numpy as np
        from whoosh import query

        key = (name, value)
        found = self._filter_sets.get(key)
        if found is None:
            if len(self._filter_sets) >= _FILTER_CACHE_SIZE:
                self._filter_sets.clear()
            found = np.asarray(sorted(self._searcher.docs_for_query(query.Term(name, value))), dtype=np.int64)
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
        """How many documents hold ``word`` in the searched fields, our descriptions included: a word
        only they use ("clemency") is a word, not a typo to correct (stop words count as common)."""
        reader = self._searcher.reader()
        terms = self.terms(word.lower())
        if not terms:
            return 1 << 30
        return min(sum(reader.doc_frequency(name, term) for name in (*SEARCH_FIELDS, "described")) for term in terms)

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

    def word_for(self, term: str) -> str | None:
        """The most common word of the texts that the analyser makes the index term ``term`` (None
        when the texts hold none): how a query names a term it did not type."""
        found = self._words_of.get(term, "")
        if found == "":
            reader = self._searcher.reader()
            # A stem is the start of its words, but for Porter's y -> i ("vacanci" from "vacancy"):
            # only that stretch of the sorted lexicon is read, never all of it (a cold search).
            prefix = term[:-1] if term.endswith("i") else term
            best: tuple[int, str | None] = (0, None)
            for number, btext in enumerate(reader.expand_prefix(_SPELLING_FIELD, prefix)):
                if number >= _WORDS_PER_PREFIX:
                    break
                word = btext.decode("utf-8") if isinstance(btext, bytes) else str(btext)
                if self.terms(word) == [term]:
                    best = max(best, (reader.doc_frequency(_SPELLING_FIELD, btext), word), key=lambda b: b[0])
            found = best[1]
            if len(self._words_of) >= _FILTER_CACHE_SIZE:
                self._words_of.clear()
            self._words_of[term] = found
        return found

    def co_occurrence(self, first: str, second: str) -> tuple[int, int, int, int]:
        """(documents holding index term ``first`` in a searched text field, those holding ``second``,
        those holding both, all documents)."""
        import numpy as np

        key = (first, second)
        found = self._together.get(key)
        if found is None:
            a, b = self._term_docs(first), self._term_docs(second)
            both = int(np.intersect1d(a, b, assume_unique=True).size)
            found = (len(a), len(b), both, int(self._searcher.reader().doc_count_all()))
            if len(self._together) >= _FILTER_CACHE_SIZE:
                self._together.clear()
            self._together[key] = found
        return found

    def topic_holding(
        self, terms: Sequence[str], topics: Sequence[str]
    ) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
        """(provisions tagged with each topic, and for each index term how many of those hold it in
        their words or our descriptions of them)."""
        import numpy as np

        key = tuple(topics)
        if self._topic_rows is None or self._topic_rows[0] != key:
            # One row per topic, one column per document: a term's counts are then one column pick.
            provisions = self._filter_set("doc_type", "provision")
            rows = np.zeros((len(key), int(self._searcher.reader().doc_count_all())), dtype=bool)
            for row, topic in enumerate(key):
                rows[row, np.intersect1d(self._filter_set("topics", topic), provisions, assume_unique=True)] = True
            self._topic_rows = (key, rows, rows.sum(axis=1))
            self._topic_terms.clear()
        _, rows, sizes = self._topic_rows
        counts: dict[str, dict[str, int]] = {}
        for term in dict.fromkeys(terms):
            found = self._topic_terms.get(term)
            if found is None:
                held = rows[:, self._term_docs(term, ("text", "described"))].sum(axis=1)
                found = self._topic_terms[term] = {t: int(n) for t, n in zip(key, held.tolist(), strict=True) if n}
                if len(self._topic_terms) >= _FILTER_CACHE_SIZE:
                    self._topic_terms.clear()
            counts[term] = found
        return {t: int(n) for t, n in zip(key, sizes.tolist(), strict=True)}, counts

    def _term_docs(self, term: str, fields: Sequence[str] = SEARCH_FIELDS) -> Any:
        import numpy as np

        parts = []
        for name in fields:
            btext = self._ix.schema[name].to_bytes(term)
            for seg in self._segment_list():
                posted = seg.postings(name, btext)
                if posted is not None:
                    parts.append(posted[0] + seg.offset)
        return np.unique(np.concatenate(parts)) if parts else np.empty(0, np.int64)

    def holds(self, field: str, value: str) -> bool:
        """Whether a live document has ``value`` in the (ID or keyword) ``field``. The set is the one a
        filter on it uses, so asking first costs the search nothing."""
        return len(self._filter_set(field, value)) > 0

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


@functools.cache
def _w3_leaf() -> Any:
    from whoosh.codec.whoosh3 import W3LeafMatcher

    return W3LeafMatcher


# --- ranking: whole posting lists, scored as arrays ------------------------------------------------

# Decoded posting lists kept per searcher, least recently used dropped first: a warm server reads
# a term's blocks once, not on every query that names it.
_POSTINGS_BUDGET = 384 * 2**20
# Scores are ordered after rounding to this many decimals, so two sums of the same floats taken in
# different orders tie (and ties go by document number, as Whoosh orders them).
_SCORE_DECIMALS = 9

_Vec = tuple[Any, Any]  # (sorted distinct document numbers, their scores): numpy arrays


def _empty() -> _Vec:
    import numpy as np

    return np.empty(0, np.int64), np.empty(0, np.float64)


class _Segment:
    """One segment of the index as the array scorer reads it: posting lists decoded to arrays,
    field lengths, deleted documents, each read once for the searcher's life."""

    def __init__(self, parent: Any, sub: Any, offset: int) -> None:
        self.parent = parent
        self.searcher = sub
        self.reader = sub.reader()
        self.offset = offset
        self.count = self.reader.doc_count_all()
        self._lengths: dict[str, Any] = {}
        self._postings: OrderedDict[tuple[str, bytes, bool], tuple[Any, ...]] = OrderedDict()
        self._bytes = 0
        self._live: Any = None
        deleted = getattr(self.reader, "deleted_docs_set", None) or set()
        if deleted:
            import numpy as np

            live = np.ones(self.count, dtype=bool)
            live[np.fromiter(deleted, np.int64, len(deleted))] = False
            self._live = live

    def lengths(self, fieldname: str) -> Any:
        """Each document's length of ``fieldname`` as BM25 reads it (Whoosh's byte-coded length, 1
        when the document has none)."""
        import numpy as np

        found = self._lengths.get(fieldname)
        if found is None:
            found = _length_column(self.reader, fieldname, self.count)
            if found is None:  # another codec: ask document by document
                reader, count = self.reader, self.count
                found = np.fromiter(
                    (reader.doc_field_length(d, fieldname, 1) or 1 for d in range(count)), np.float64, count
                )
            self._lengths[fieldname] = found
        return found

    def postings(self, fieldname: str, btext: bytes, positions: bool = False) -> tuple[Any, ...] | None:
        """(document numbers, weights) of a term, and with ``positions`` each posting's encoded
        positions (decoded only for the documents a phrase asks about); None when the segment lacks
        the term. Deleted documents are left out."""
        key = (fieldname, btext, positions)
        found = self._remembered(key)
        if found is not None:
            return found
        if not positions:
            # A phrase's word, read with its positions, already holds what a word search needs.
            with_positions = self._remembered((fieldname, btext, True))
            if with_positions is not None:
                return with_positions[:2]
        if (fieldname, btext) not in self.reader:
            return None
        found = _decode(self.reader.postings(fieldname, btext), positions)
        if self._live is not None:
            found = _drop_deleted(found, self._live)
        self._remember(key, found)
        return found

    def _remembered(self, key: tuple[Any, ...]) -> tuple[Any, ...] | None:
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
        return found

    def _remember(self, key: tuple[Any, ...], found: tuple[Any, ...]) -> None:
        self._postings[key] = found
        self._bytes += _size(found)
        while self._bytes > _POSTINGS_BUDGET and len(self._postings) > 1:
            _, dropped = self._postings.popitem(last=False)
            self._bytes -= _size(dropped)

    def phrase_docs(self, key: tuple[Any, ...]) -> Any | None:
        found = self._remembered(("phrase", *key))
        return None if found is None else found[0]

    def remember_phrase(self, key: tuple[Any, ...], docs: Any) -> None:
        self._remember(("phrase", *key), (docs,))


def _size(found: tuple[Any, ...]) -> int:
    """Bytes a cached entry holds."""
    return sum(part.nbytes for part in found)


class _Encoded:
    """Each posting's encoded positions, as one block of bytes with the offsets into it."""

    __slots__ = ("blob", "offsets")

    def __init__(self, blob: bytes, offsets: Any) -> None:
        self.blob = blob
        self.offsets = offsets

    def __getitem__(self, n: int) -> bytes:
        return self.blob[int(self.offsets[n]) : int(self.offsets[n + 1])]

    @property
    def nbytes(self) -> int:
        return len(self.blob) + int(self.offsets.nbytes)

    @classmethod
    def of(cls, values: list[bytes]) -> _Encoded:
        import numpy as np

        ends = np.cumsum(np.fromiter(map(len, values), np.int64, len(values)))
        return cls(b"".join(values), np.concatenate([np.zeros(1, np.int64), ends]))

    def keep(self, mask: Any) -> _Encoded:
        """Only the postings where ``mask`` is true."""
        import numpy as np

        return _Encoded.of([self[n] for n in np.flatnonzero(mask).tolist()])


@functools.cache
def _byte_lengths() -> Any:
    """Whoosh's one-byte field length code, decoded; code 0 (no length) reads as 1, the default
    BM25 asks for."""
    import numpy as np
    from whoosh.util.numeric import byte_to_length

    return np.asarray([1.0] + [float(byte_to_length(b)) for b in range(1, 256)])


def _length_column(reader: Any, fieldname: str, count: int) -> Any | None:
    """A segment's field lengths read as one block of bytes from Whoosh's per-document length
    column (one byte per document, documents past its end have none); None if it is not that."""
    import numpy as np
    from whoosh.codec import whoosh3

    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, whoosh3.W3PerDocReader):
        return None
    column = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    codes = np.zeros(count, dtype=np.uint8)
    if column is not None:
        stored = _length_codes(column)
        if stored is None:
            return None
        codes[: min(len(stored), count)] = np.frombuffer(stored[:count], dtype=np.uint8)
    return _byte_lengths()[codes]


def _length_codes(column: Any) -> bytes | None:
    """A field's one-byte length codes as Whoosh's per-document length column stores them (one per
    document up to its end), read in one block; None if the column is not that kind."""
    if getattr(column, "_fixedlen", None) != 1 or not hasattr(column, "_basepos"):
        return None
    return column._dbfile.get(column._basepos, int(column._count))


def _decode(matcher: Any, positions: bool) -> tuple[Any, ...]:
    """A posting list as arrays (and, with ``positions``, each posting's encoded positions).
    Whoosh's on-disk blocks are read whole (their document numbers are stored as differences);
    anything else (a list held inline, a filtered list) posting by posting."""
    import numpy as np

    inner = getattr(matcher, "child", matcher)  # a list filtered for deletions: read it all
    ids: list[Any] = []
    weights: list[Any] = []
    values: list[bytes] = []
    if isinstance(inner, _w3_leaf()) and not inner._byteids:
        while inner.is_active():
            if inner._data is None:
                inner._read_data()
            raw_ids, raw_weights = inner._data[0], inner._data[1]
            n = inner._blocklength
            ids.append(np.cumsum(np.asarray(raw_ids, dtype=np.int64)))
            if raw_weights is None:
                weights.append(np.ones(n))
            elif isinstance(raw_weights, float):
                weights.append(np.full(n, raw_weights))
            else:
                weights.append(np.asarray(raw_weights, dtype=np.float64))
            if positions:
                values.extend(inner._data[2])
            inner._next_block()
        doc_ids = np.concatenate(ids) if ids else np.empty(0, np.int64)
        tfs = np.concatenate(weights) if weights else np.empty(0, np.float64)
    else:
        while inner.is_active():
            ids.append(inner.id())
            weights.append(inner.weight())
            if positions:
                values.append(inner.value())
            inner.next()
        doc_ids = np.asarray(ids, dtype=np.int64)
        tfs = np.asarray(weights, dtype=np.float64)
    # One block of bytes and the offsets of each posting's positions in it: a list of small bytes
    # objects would cost several times their contents.
    return (doc_ids, tfs, _Encoded.of(values)) if positions else (doc_ids, tfs)


# A (document, position) pair as one integer key; no field of a provision is near this long.
_POSITION_SPAN = 1 << 24


def _drop_deleted(found: tuple[Any, ...], live: Any) -> tuple[Any, ...]:
    keep = live[found[0]]
    out: list[Any] = [found[0][keep], found[1][keep]]
    if len(found) == 3:
        out.append(found[2].keep(keep))
    return tuple(out)


class _ArrayScorer:
    """Scores a compiled query over a whole segment at once, with the same formulas as Whoosh's
    matchers (BM25F per term, sums for OR and AND, a phrase as the sum of its words) and seckb's
    BestOf and Coverage. Sums may be taken in another order than Whoosh's matcher trees, so a score
    can differ from Whoosh's in the last bits; ranking rounds them (_SCORE_DECIMALS)."""

    def __init__(self, segment: _Segment, weighting: Any, classes: dict[str, type]) -> None:
        self.seg = segment
        self.weighting = weighting
        self.classes = classes

    def vec(self, q: Any) -> _Vec:
        import numpy as np
        from whoosh import query

        kind = type(q)
        if isinstance(q, query.Term):
            ids, scores = self._term(q.fieldname, q.text)
            return ids, scores * q.boost if q.boost != 1.0 else scores
        if isinstance(q, query.Phrase):
            return self._phrase(q)
        if kind is self.classes.get("coverage"):
            return self._coverage(q)
        if kind is self.classes.get("best"):
            return self._best(q)
        if isinstance(q, query.Or | query.And):
            subs = q.subqueries
            if not subs:
                return _empty()
            if len(subs) == 1:  # Whoosh ignores a one-item compound's boost
                return self.vec(subs[0])
            vecs = [self.vec(s) for s in subs]
            out = _union_sum(vecs, self.seg.count) if isinstance(q, query.Or) else _intersection_sum(vecs)
            return _scaled(out, q.boost)
        if isinstance(q, query.AndNot):
            ids, scores = self.vec(q.a)
            excluded, _ = self.vec(q.b)
            keep = ~_inside(ids, excluded)
            return _scaled((ids[keep], scores[keep]), q.boost)
        if isinstance(q, query.AndMaybe):
            ids, scores = self.vec(q.a)
            extra_ids, extra = self.vec(q.b)
            found = _inside(extra_ids, ids)
            # A copy, as floats: a part that matched nothing may come back with integer scores.
            scores = scores.astype(np.float64)
            scores[np.searchsorted(ids, extra_ids[found])] += extra[found]
            return _scaled((ids, scores), q.boost)
        if isinstance(q, query.Every):
            ids = np.arange(self.seg.count, dtype=np.int64)
            if self.seg._live is not None:
                ids = ids[self.seg._live]
            return ids, np.full(len(ids), float(q.boost))
        if q is query.NullQuery:
            return _empty()
        return self._generic(q)

    def _term(self, fieldname: str, text: Any) -> _Vec:
        seg = self.seg
        schema = seg.reader.schema
        if fieldname not in schema:
            return _empty()
        field_obj = schema[fieldname]
        try:
            btext = field_obj.to_bytes(text)
        except ValueError:
            return _empty()
        found = seg.postings(fieldname, btext)
        if found is None:
            return _empty()
        ids, tfs = found[0], found[1]
        if not field_obj.scorable:
            return ids, tfs  # Whoosh's WeightScorer: the weight as it is
        w = self.weighting
        b = w._field_B.get(fieldname, w.B)
        k1 = w.K1
        idf = seg.parent.idf(fieldname, btext)
        avgfl = seg.parent.avg_field_length(fieldname) or 1
        dfl = seg.lengths(fieldname)[ids]
        # Whoosh's bm25(), term for term, so the floats are the same.
        return ids, idf * ((tfs * (k1 + 1)) / (tfs + k1 * ((1 - b) + b * dfl / avgfl)))

    def _phrase(self, q: Any) -> _Vec:
        import numpy as np

        seg = self.seg
        schema = seg.reader.schema
        if q.fieldname not in schema or not q.words:
            return _empty()
        field_obj = schema[q.fieldname]
        if not field_obj.format or not field_obj.format.supports("positions"):
            raise QueryError(f"no positions in field {q.fieldname!r}")
        key = (q.fieldname, tuple(q.words), q.slop)
        docs = seg.phrase_docs(key)
        if docs is None:
            docs = self._phrase_docs(q, field_obj)
            if docs is None:
                return _empty()
            seg.remember_phrase(key, docs)
        if not len(docs):
            return _empty()
        total = np.zeros(len(docs))
        for word in q.words:
            ids, scores = self._term(q.fieldname, word)
            total += scores[np.searchsorted(ids, docs)]
        return _scaled((docs, total), q.boost)

    def _phrase_docs(self, q: Any, field_obj: Any) -> Any | None:
        """The documents where the phrase's words stand in order, each within ``slop`` positions of
        the one before (Whoosh's ordered SpanNear, mindist 1); None when a word is not indexed."""
        import numpy as np

        seg = self.seg
        lists = []
        for word in q.words:
            try:
                btext = field_obj.to_bytes(word)
            except ValueError:
                return None
            found = seg.postings(q.fieldname, btext, positions=True)
            if found is None:
                return None
            lists.append(found)
        # Only documents holding every word are looked at, and only their positions decoded.
        common = lists[0][0]
        for found in lists[1:]:
            common = common[_inside(common, found[0])]
        decode = field_obj.format.decoder("positions")

        def keys(found: tuple[Any, ...]) -> Any:
            encoded = found[2]
            per_doc = [decode(encoded[i]) for i in np.searchsorted(found[0], common).tolist()]
            counts = np.fromiter(map(len, per_doc), np.int64, len(per_doc))
            flat = np.fromiter(chain.from_iterable(per_doc), np.int64, int(counts.sum()))
            return np.repeat(common, counts) * _POSITION_SPAN + flat

        # Keep the end positions of the spans matched so far.
        ends = keys(lists[0]) if len(common) else np.empty(0, np.int64)
        for found in lists[1:]:
            if not len(ends):
                break
            following = keys(found)
            ok = np.zeros(len(following), dtype=bool)
            for gap in range(1, max(q.slop, 1) + 1):
                ok |= np.isin(following - gap, ends)
            ends = following[ok]
        return np.unique(ends // _POSITION_SPAN)  # sorted

    def _best(self, q: Any) -> _Vec:
        """BestOf: the best item's score plus ``tiebreak`` times the others' (items that match)."""
        vecs = [self.vec(s) for s in q.subqueries]
        sums = _Sums(vecs, self.seg.count)
        total, best = sums.add([v[1] for v in vecs]), sums.best()
        return _scaled((sums.ids, best + q.tiebreak * (total - best)), q.boost)

    def _coverage(self, q: Any) -> _Vec:
        """Coverage: the matching concepts' summed scores × (their share of the concept weight) ** power."""
        import numpy as np

        weights = q.concept_weights(self.seg.parent.reader())
        vecs = [self.vec(s) for s in q.subqueries]
        sums = _Sums(vecs, self.seg.count)
        summed = sums.add([v[1] for v in vecs])
        covered = sums.add([np.full(len(v[0]), w) for v, w in zip(vecs, weights, strict=True)]) / (sum(weights) or 1.0)
        return _scaled((sums.ids, summed * covered**q.power), q.boost)

    def _generic(self, q: Any) -> _Vec:
        """A query of another kind: Whoosh's own matcher, read to the end."""
        import numpy as np

        m = q.matcher(self.seg.searcher, self.seg.searcher.context())
        ids, scores = [], []
        while m.is_active():
            ids.append(m.id())
            scores.append(m.score())
            m.next()
        return np.asarray(ids, dtype=np.int64), np.asarray(scores, dtype=np.float64)


def _scaled(vec: _Vec, boost: float) -> _Vec:
    return vec if boost == 1.0 else (vec[0], vec[1] * boost)


class _Sums:
    """Per-document sums over a segment's documents, for combining the items of OR, BestOf and
    Coverage: dense arrays when the items hold many postings (no sort), sorted merging when few."""

    def __init__(self, vecs: list[_Vec], count: int) -> None:
        import numpy as np

        self.vecs = vecs
        postings = sum(len(v[0]) for v in vecs)
        self.dense = postings * 16 >= count
        if self.dense:
            hit = np.zeros(count, dtype=bool)
            for ids, _ in vecs:
                hit[ids] = True
            self.ids = np.flatnonzero(hit)
            self._where: Any = None
        else:
            all_ids = np.concatenate([v[0] for v in vecs]) if vecs else np.empty(0, np.int64)
            self.ids, self._where = np.unique(all_ids, return_inverse=True)
        self.count = count

    def add(self, values: list[Any]) -> Any:
        """Sum, per matched document, one value array per item (aligned with the item's postings)."""
        import numpy as np

        if self.dense:
            out = np.zeros(self.count)
            for (ids, _), v in zip(self.vecs, values, strict=True):
                out[ids] += v
            return out[self.ids]
        return np.bincount(self._where, weights=np.concatenate(values), minlength=len(self.ids))

    def best(self) -> Any:
        """The highest item score per matched document."""
        import numpy as np

        if self.dense:
            out = np.zeros(self.count)
            for ids, scores in self.vecs:
                out[ids] = np.maximum(out[ids], scores)
            return out[self.ids]
        out = np.zeros(len(self.ids))
        np.maximum.at(out, self._where, np.concatenate([v[1] for v in self.vecs]))
        return out


def _union_sum(vecs: list[_Vec], count: int) -> _Vec:
    sums = _Sums(vecs, count)
    return sums.ids, sums.add([v[1] for v in vecs])


def _intersection_sum(vecs: list[_Vec]) -> _Vec:
    import numpy as np

    ids = vecs[0][0]
    for v in vecs[1:]:
        ids = np.intersect1d(ids, v[0], assume_unique=True)
    total = np.zeros(len(ids))
    for v in vecs:
        total += v[1][np.searchsorted(v[0], ids)]
    return ids, total


def _inside(ids: Any, allowed: Any) -> Any:
    """Which of ``ids`` are among ``allowed`` (both sorted document numbers)."""
    import numpy as np

    if not len(ids) or not len(allowed):
        return np.zeros(len(ids), dtype=bool)
    return np.isin(ids, allowed, kind="table")


# --- the query classes seckb adds to Whoosh's -----------------------------------------------------


def _coverage_query_class() -> dict[str, type]:
    """seckb's two compound queries, as Whoosh query classes: what compile() builds and the array
    scorer reads. Their matchers (a union of the items, scored the same way) serve any Whoosh
    search run on them directly, such as the test that checks the array scorer against Whoosh."""
    from whoosh import matching
    from whoosh.query import compound

    class UnionScoreMatcher(matching.Matcher):
        """Union of item matchers. With ``tiebreak`` (BestOf): the best matching item's score plus
        ``tiebreak`` times the others'. Otherwise (Coverage): the matching items' summed scores ×
        (their share of the items' weight) ** power."""

        def __init__(self, items: list[Any], weights: list[float], power: float, tiebreak: float | None) -> None:
            self._items = items
            self._weights = weights
            self._total = sum(weights) or 1.0
            self._power = power
            self._tiebreak = tiebreak

        def _current(self) -> int | None:
            live = [m.id() for m in self._items if m.is_active()]
            return min(live) if live else None

        def is_active(self) -> bool:
            return any(m.is_active() for m in self._items)

        def id(self) -> int:
            current = self._current()
            assert current is not None
            return current

        def next(self) -> bool:
            current = self._current()
            if current is None:
                raise matching.ReadTooFar
            for m in self._items:
                if m.is_active() and m.id() == current:
                    m.next()
            return False

        def skip_to(self, target: int) -> bool:
            for m in self._items:
                if m.is_active() and m.id() < target:
                    m.skip_to(target)
            return False

        def score(self) -> float:
            current = self._current()
            here = [
                (w, m.score())
                for m, w in zip(self._items, self._weights, strict=True)
                if m.is_active() and m.id() == current
            ]
            scores = [sc for _, sc in here]
            if self._tiebreak is not None:
                best = max(scores, default=0.0)
                return best + self._tiebreak * (sum(scores) - best)
            covered = sum(w for w, _ in here) / self._total
            return sum(scores) * covered**self._power

        def supports_block_quality(self) -> bool:
            return False

        def max_quality(self) -> float:
            # No bound is known; Whoosh's AndMaybe asks for one even when nothing is pruned.
            return float("inf")

        def copy(self) -> Any:
            return UnionScoreMatcher([m.copy() for m in self._items], self._weights, self._power, self._tiebreak)

        def children(self) -> list[Any]:
            return list(self._items)

        def term_matchers(self) -> Any:
            for m in self._items:
                yield from m.term_matchers()

        def matching_terms(self, id: int | None = None) -> Any:
            current = self._current() if id is None else id
            for m in self.term_matchers():
                if m.is_active() and m.id() == current:
                    yield m.term()

        def weight(self) -> float:
            current = self._current()
            return sum(m.weight() for m in self.term_matchers() if m.is_active() and m.id() == current)

        def value(self) -> Any:
            return None

    def _boosted(m: Any, boost: float) -> Any:
        # Whoosh applies a compound query's boost in CompoundQuery.matcher, which these override.
        return m if boost == 1.0 else matching.WrappingMatcher(m, boost)

    class Coverage(compound.CompoundQuery):
        """Any of the concepts; a document is rewarded for covering more of the query's weight."""

        JOINT = " COVER "

        def __init__(self, subqueries: list[Any], boost: float = 1.0, power: float = 1.0) -> None:
            compound.CompoundQuery.__init__(self, subqueries, boost=boost)
            self.power = power

        def apply(self, fn: Any) -> Any:
            return Coverage([fn(q) for q in self.subqueries], boost=self.boost, power=self.power)

        def normalize(self) -> Any:
            return Coverage([q.normalize() for q in self.subqueries], boost=self.boost, power=self.power)

        def concept_weights(self, reader: Any) -> list[float]:
            """Each concept's weight by its rarity (idf): matching "toilet" covers more of a query
            than matching "candidate"."""
            import math

            total = max(reader.doc_count_all(), 1)
            sizes = [min(q.estimate_size(reader), total) for q in self.subqueries]
            return [math.log(1 + total / (1 + size)) for size in sizes]

        def matcher(self, searcher: Any, context: Any = None) -> Any:
            items = [q.matcher(searcher, context) for q in self.subqueries]
            weights = self.concept_weights(searcher.get_parent().reader())
            return _boosted(UnionScoreMatcher(items, weights, self.power, None), self.boost)

    class BestOf(compound.CompoundQuery):
        """Any of the subqueries; a document scores by the best one (Whoosh's DisjunctionMax scores
        the best of two matchers even when they stand on different documents)."""

        JOINT = " BEST "

        def __init__(self, subqueries: list[Any], boost: float = 1.0, tiebreak: float = 0.0) -> None:
            compound.CompoundQuery.__init__(self, subqueries, boost=boost)
            self.tiebreak = tiebreak

        def apply(self, fn: Any) -> Any:
            return BestOf([fn(q) for q in self.subqueries], self.boost, self.tiebreak)

        def normalize(self) -> Any:
            return BestOf([q.normalize() for q in self.subqueries], self.boost, self.tiebreak)

        def estimate_size(self, ixreader: Any) -> int:
            # How specific the concept is, as the user put it: the words as typed (the first item),
            # or the rarest way of saying it when the texts never use the typed words. Summing the
            # equivalents would make a concept look common because it has synonyms, and coverage
            # would then weigh it below a stray word of the query.
            sizes = [q.estimate_size(ixreader) for q in self.subqueries]
            return sizes[0] or min((size for size in sizes if size), default=0)

        def matcher(self, searcher: Any, context: Any = None) -> Any:
            items = [q.matcher(searcher, context) for q in self.subqueries]
            return _boosted(UnionScoreMatcher(items, [1.0] * len(items), 0.0, self.tiebreak), self.boost)

    return {"coverage": Coverage, "best": BestOf}


_QUERY_CLASSES: dict[str, type] = {}


def _query_classes() -> dict[str, type]:
    if not _QUERY_CLASSES:
        _QUERY_CLASSES.update(_coverage_query_class())
    return _QUERY_CLASSES


def _is_coverage(parsed: Any) -> bool:
    return isinstance(parsed, _query_classes()["coverage"])


def _Coverage(subs: list[Any], power: float) -> Any:
    return _query_classes()["coverage"](subs, power=power)


def _BestOf(subs: list[Any], tiebreak: float) -> Any:
    return _query_classes()["best"](subs, tiebreak=tiebreak)


def _phrase(fieldname: str, words: list[str], boost: float, slop: int = 1) -> Any:
    from whoosh import query

    return query.Phrase(fieldname, words, slop=slop, boost=boost)


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
