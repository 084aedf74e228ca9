"""The neutral search vocabulary shared by kb/query.py (policy) and the engine adapter.

kb/query.py turns what a user typed into a ``QueryPlan`` (a small tree of ``Word``/``Phrase``/
``AllOf``/``AnyOf``/``OneOf``/``Without`` nodes, filters, topic weights, field weights); the adapter in
indexer/search_index.py turns that plan into engine query objects. Nothing here knows Whoosh, and
nothing here decides ranking policy, so either side can change without the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.vocab import CitationMiss

# Index fields a query may name (``heading:disqualification``) and the facets counted per search.
FACET_FIELDS = ("jurisdiction", "act", "doc_type", "topics")
# Text fields searched by a plain word: the provision's own heading and text, the inherited section
# heading (``sheading``), the ancestors' lead-in words (``context``) and the first words of the
# sub-provisions (``below``). How people describe a provision (``described``: seckb's words from
# corpus/descriptions/, never shown) is searched apart, by plain word queries only.
SEARCH_FIELDS = ("heading", "sheading", "text", "context", "below")
# Fields that hold exact values (ids, codes) rather than analysed text.
EXACT_FIELDS = ("ref", "doc_type", "jurisdiction", "act", "body", "kind", "path", "topics")


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
    below: str = ""  # the first words of the sub-provisions
    # Shown, never searched: for a provision whose own words do not stand alone (none, or a lead-in
    # "... who—"), its words with its sub-provisions' words, each after its label ("(1) An election
    # to fill ... (2) ..."), as its snippet.
    quoted: str = ""
    described: str = ""  # corpus/descriptions/: how people describe it (not the Act's words)


@dataclass(frozen=True)
class Span:
    """A matched word in a snippet: character offsets into ``SearchHit.snippet``."""

    start: int
    end: int


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
    snippet: str  # clean text (no markup); the matched words are given by ``matches``
    text: str
    topics: tuple[str, ...] = ()
    pinned: bool = False  # placed first because the query cited it
    matches: tuple[Span, ...] = ()
    # The snippet goes on into the provision's sub-provisions, each after its label ("(1) An election
    # to fill ..."): its own words are none (a section whose words are all in its sub-sections) or a
    # lead-in ("No person shall be a member ... who—"), and ``text`` holds only them.
    snippet_below: bool = False


@dataclass(frozen=True)
class Unresolved:
    """A citation in the query that finds no provision: none is held under that number, or the
    ones held are outside the search's filters. ``nearest`` are held provisions to offer instead."""

    cited: str  # as typed
    reason: CitationMiss
    nearest: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # The query searched instead of ``query`` when words of it are in no text (``not_found``): the
    # hits are for ``suggestion``, not for the words as typed. ``not_found`` also lists words no text
    # holds that nothing replaced ("usury"), with or without a suggestion.
    suggestion: str | None = None
    not_found: tuple[str, ...] = ()
    # The narrow topic (corpus/topics.yaml) a plain query was found to be about though it names none:
    # provisions tagged with it were searched too, even those holding none of the words.
    about_topic: str | None = None
    # Citations in the query that cite nothing held: their words are not searched as words ("Art.
    # 243ZZ" must not find "art galleries"), and the results say so.
    unresolved: tuple[Unresolved, ...] = ()


# --- the query tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One word as typed; ``field`` None means the searched text fields with their weights."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    """Words that must stand together, in order (a hyphenated compound is one too)."""

    words: tuple[str, ...]
    field: str | None = None
    # Words the phrase may have between its words ("removed from his office" for "removed from
    # office"); 1 means exactly adjacent, as a quoted phrase is.
    slop: int = 1


@dataclass(frozen=True)
class AllOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    """Any of the items; ``coordination`` > 0 rewards documents matching more of them."""

    items: tuple[Node, ...]
    coordination: float = 0.0


@dataclass(frozen=True)
class OneOf:
    """Equivalent ways of saying one thing (a phrase and its synonyms, a topic's tag): a document
    scores by the best of them, not their sum, so one holding the words as typed is not outranked
    by one holding two synonyms. ``weights`` scale each item's score (the words as typed 1.0);
    ``tiebreak`` adds that share of the other items' scores."""

    items: tuple[Node, ...]
    weights: tuple[float, ...] = ()
    tiebreak: float = 0.0


@dataclass(frozen=True)
class Without:
    """``include`` minus the documents matching ``exclude`` (NOT / ANDNOT)."""

    include: Node | None
    exclude: Node


@dataclass(frozen=True)
class Maybe:
    """``required``, ranked higher when ``optional`` matches too (ANDMAYBE)."""

    required: Node
    optional: Node


Node = Word | Phrase | AllOf | AnyOf | OneOf | Without | Maybe


@dataclass(frozen=True)
class QueryPlan:
    """Everything the engine needs for one ranked search, decided by kb/query.py."""

    root: Node | None  # None: no words (only pinned citations, or only filters)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    field_boosts: dict[str, float] = field(default_factory=dict)
    # Topics the query names: documents tagged with them are recalled (OR) with this weight.
    topics: dict[str, float] = field(default_factory=dict)
    # Score multipliers by provision kind (a proviso qualifies its clause; it should not outrank it).
    kind_weights: dict[str, float] = field(default_factory=dict)
    # Score multipliers by body (panchayat, municipal …), when the query names one.
    body_weights: dict[str, float] = field(default_factory=dict)
    # Text fields where a phrase is looked for (empty: every searched field).
    phrase_fields: tuple[str, ...] = ()
    limit: int = 10
    facets: bool = True
