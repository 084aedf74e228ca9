"""Searching provisions and notes: the query policy. The engine (indexer/search_index.py) only runs plans.

What a user types goes through these steps before the engine sees it:
1. limits and syntax — length, word count, balanced quotes and parentheses, known fields; ranges,
   wildcards and the like are not part of the language (the engine would expand them without bound);
2. citations — "Art 243-K", "RPA 1950 s 19", "section 14 (1) (j-1) of the Maharashtra Village
   Panchayats Act", also inside a longer query — are read by kb/refs.py's ProvisionRef, resolved,
   and the cited provision is pinned first;
3. a plain word query (no operator, quote or field) becomes *coverage* ranking: any of its concepts
   may match, and a document matching more of them ranks higher; question words are dropped;
   synonym groups (corpus/synonyms.yaml) make one concept of a phrase and its equivalents; a topic
   the query names (corpus/topics.yaml) recalls the provisions tagged with it;
   explicit AND / OR / NOT / ANDNOT / ANDMAYBE, "phrases" and fields keep their exact meaning;
4. spelling — a word the texts do not have is replaced by its nearest known word (and said so);
5. snippets — the best window of each hit's text with the offsets of the words the user typed.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from kb.errors import CitationError, QueryError, SeckbError
from kb.knowledge import KnowledgeBase
from kb.names import resolve_topics
from kb.refs import KIND_WORDS, ProvisionRef, RefError
from kb.searchtypes import (
    FACET_FIELDS,
    SEARCH_FIELDS,
    AllOf,
    AnyOf,
    Maybe,
    Node,
    OneOf,
    Phrase,
    QueryPlan,
    SearchHit,
    SearchResults,
    Span,
    Unresolved,
    Without,
    Word,
)
from kb.vocab import CitationMiss

if TYPE_CHECKING:
    from kb.resolve import ActIndex
    from kb.topics import Ontology

# --- limits --------------------------------------------------------------------------------------

MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 64
MAX_NESTING = 8
_ECHO_CHARS = 60  # an error quotes at most this much of the query

# --- ranking policy (tuned on the development half of bench/queries.yaml, bench/eval.py) ----------

# A query's concept found only in our descriptions of a provision counts toward the query's
# coverage as the Act's words would, scored at this share (_or_described). Tuned on the mean of
# the development half and the tuning set (bench/queries-tune.yaml), pooled judgments added:
# 0 gave 0.874 / 0.617, 0.15 0.855 / 0.668, 0.3 0.857 / 0.670, 0.6 0.854 / 0.673. Again with the
# descriptions weighted 0.9 (the mean of the two): 0.45 0.831, 0.6 0.834, 0.8 0.832.
DESCRIBED_CONCEPT_WEIGHT = 0.6
# Field weights: a provision's own heading and words, then the inherited section heading, then the
# ancestors' lead-in words (a clause "(j-1) has more than two children" is found by "disqualified").
# Re-tuned on the mean of the development half and the tuning set, pooled: heading 3.0 / section
# heading 2.0 gave 0.820; 2.5 / 1.25 0.830 (2.0 / 1.25 0.829, 3.0 / 1.25 0.823, 2.5 / 1.0 0.829,
# 2.5 / 1.5 0.827); below 0.2-0.3, context 0.3-0.45 and topics 1.0-2.0 all within 0.001 of it.
FIELD_BOOSTS = {
    "heading": 2.5,
    "sheading": 1.25,
    "text": 1.0,
    "context": 0.35,
    "below": 0.3,
    "topics": 1.5,
    # How people describe a provision (corpus/descriptions/, our words, not the Act's). First tuned
    # on the development half (0.25 to 1.0 all gave 0.858-0.866 against 0.855 without; 0.6 chosen);
    # with the weights above re-tuned, the mean of the development half and the tuning set, pooled
    # and judged to the new results' depth: 0.6 0.827, 0.75 0.828, 0.9 0.834, 1.05 0.833, 1.2 0.833.
    "described": 0.9,
}
# Coverage: score × (concepts matched / concepts in the query) ** COVERAGE_POWER.
COVERAGE_POWER = 3.0
# Fields where a plain query's synonym phrases and compounds are looked for; narrowing it to the
# provision's own words was measured (bench) as faster but costs recall of clauses by their context.
PHRASE_FIELDS = ("heading", "sheading", "text", "context", "below")
# A proviso or Explanation qualifies its clause: for a query about the clause, the clause first.
KIND_WEIGHTS = {"proviso": 0.5, "explanation": 0.5}
# A query naming one kind of local body prefers that body's provisions ...
BODY_WORDS = {
    "panchayat": frozenset(
        ["panchayat", "panchayats", "gram", "grama", "village", "sarpanch", "pradhan", "zilla", "samiti"]
    ),
    "municipal": frozenset(
        ["municipal", "municipality", "councillor", "councillors", "corporation", "corporator", "mayor"]
    ),
}
BODY_WEIGHT = 1.3
# ... and the central texts on Parliament and the Assemblies a little lower still (the
# Constitution's Parts IX and IXA count as panchayat and municipal law: corpus/provision_bodies.yaml).
CENTRAL_WEIGHT = 0.7
MAX_ALTERNATIVES = 8  # synonyms per phrase: bounded expansion
# A concept said another way (synonym, topic tag, a spelling's common neighbour) scores by its best
# expression; an equivalent counts a little less than the words as typed.
SYNONYM_WEIGHT = 0.8
# Topic feedback: when FEEDBACK_MIN of the first FEEDBACK_TOP hits of a plain query share a narrow
# topic (a leaf of corpus/topics.yaml: "arrears-of-dues", not "candidate-disqualification"), the
# query is about it, and every hit among the first FEEDBACK_POOL tagged with it is raised by
# FEEDBACK_BOOST: the parallel clauses of other Acts come up with the ones the words found. Tuned on
# the mean of the development half and the tuning set, pooled: 0.7911 without; 0.7946-0.7983 for
# top 5-20, minimum 2-5, boost 1.3-2.0; all topics, broad ones included, 0.7907.
FEEDBACK_TOP = 10
FEEDBACK_MIN = 3
FEEDBACK_BOOST = 1.6
FEEDBACK_POOL = 60
# A topic the query is about though it names none ("candidate has unpaid panchayat tax" is about
# arrears-of-dues): each narrow topic of corpus/topics.yaml is scored by the query's words, each
# counting its rarity among the topics (idf) times the share of the topic's provisions holding it in
# their words or our descriptions (the share's denominator smoothed by GUESS_SMOOTHING, so a topic
# of one long provision does not hold every word). The best topic, when it scores at least
# GUESS_MIN and GUESS_RATIO times the next, recalls its provisions at GUESS_RECALL (as a topic the
# query names would) and counts as shared for topic feedback. Tuned on the mean of the development
# half and the tuning set, pooled: 0.8358 without; all 54 settings of smoothing 2/5/10, minimum
# 1.5/2/3, ratio 1.2/1.3/1.5 and recall 2/5 gave 0.8386-0.8432; these central ones 0.8415. Without
# smoothing the one-provision topic "education" was guessed for questions about other things.
GUESS_SMOOTHING = 5.0
GUESS_MIN = 2.0
GUESS_RATIO = 1.5
GUESS_RECALL = 5.0
# A provision's section counts a little: among the first FEEDBACK_POOL hits, each scores
# (1 - SECTION_WEIGHT) × its own + SECTION_WEIGHT × the best of its section's hits, as passage search
# mixes a passage's score with its document's, so a clause of the section the query is about comes
# above a stray clause elsewhere that scored about as well. Tuned on the mean of the development
# half and the tuning set, pooled, after judging the new results (the pools' fourth round): 0.8153
# without; 0.8177, 0.8198, 0.8213, 0.8218 and 0.8204 for 0.02, 0.04, 0.06, 0.08 and 0.1; before
# judging, 0.8163 at 0.15 and 0.8125 at 0.3.
SECTION_WEIGHT = 0.06
# A thesaurus phrase as typed ("government employee") also counts when its words stand apart
# ("officers and employees of Government"), at this weight. Tuned on the mean of the development
# half and the tuning set, pooled: 0 gave 0.7886, 0.15-0.5 0.7888-0.7911 (0.4 best), 0.7 0.7856.
LOOSE_WEIGHT = 0.4
TOPIC_WEIGHT = 1.0
ONEOF_TIEBREAK = 0.5
# Words a synonym phrase of a plain query may have inserted (the Acts write "removed from his
# office"); 1 is adjacent. 2 and 3 were measured on the development half at -0.003 nDCG@10.
PHRASE_SLOP = 1
RARE_WORD = 50
RARE_RATIO = 20
# A word of this many letters or fewer is corrected by one edit only: two edits turn short real
# words the Acts lack into other words ("usury" into "user", "haat" into "had", "trash" into "trade").
SHORT_WORD = 5
# Word families (corpus/word_families.yaml): a word also searches the other forms of its word that
# the stemmer keeps apart ("vacancy" finds "vacant"), at this weight. Measured on the development
# half: 0.3 to 0.9 all +0.003 to +0.004 nDCG@10, no query type lower; 0.5 is in the middle.
FAMILY_WEIGHT = 0.5
# The stem left before the ending must be this long: "elect" + "or" is another word.
FAMILY_MIN_STEM = 4
# A derivation joins two terms only when they stand together in at least FAMILY_MIN_BOTH documents
# and FAMILY_LIFT times as often as chance would put them there ("vacancy"/"vacant" 5×,
# "member"/"membership" 6×; "commencement"/"comment" and "offence"/"offensive" less than 1×).
FAMILY_LIFT = 3.0
FAMILY_MIN_BOTH = 2

QUERY_FIELDS = ("act", "body", "doc_type", "heading", "jurisdiction", "kind", "path", "text", "topics")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_RANGE = re.compile(r"[\[{][^\]}]*\bTO\b|\bTO\s*[\]}]")
_FIELD = re.compile(r"^([A-Za-z_]+):(.*)$", re.DOTALL)
_TOKEN = re.compile(r'"[^"]*"|[()]|[^\s()"]+:"[^"]*"|[^\s()"]+')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NOTE_LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")

# Words of a question, not of the law: "who conducts panchayat elections" means "conducts
# panchayat elections".
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
        # Everyday phrasing the Acts do not use ("who cannot become a councillor" means "become
        # a councillor"; the Acts say "shall not" or "disqualified", and "cannot" only elsewhere).
        "cannot",
        "can't",
        "want",
        "wants",
        "only",
        "also",
        "someone",
        "anyone",
        "somebody",
        # A question about a person ("can he contest", "does she lose her seat"): the Acts say
        # "a person" or "such member", and a pronoun would count as a word the answer must hold.
        "he",
        "she",
        "they",
        "him",
        "her",
        "them",
        "his",
        "their",
    ]
)
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


class Engine(Protocol):
    """What kb/query.py needs from the search engine adapter (indexer/search_index.Searcher)."""

    def run(self, plan: QueryPlan) -> Any: ...
    def terms(self, text: str) -> list[str]: ...
    def term_spans(self, text: str) -> list[tuple[str, int, int]]: ...
    def frequency(self, word: str) -> int: ...
    def nearest(self, word: str, maxdist: int = 2) -> str | None: ...
    def document(self, ref: str) -> dict[str, Any] | None: ...
    def holds(self, field: str, value: str) -> bool: ...
    def word_for(self, term: str) -> str | None: ...
    def co_occurrence(self, first: str, second: str) -> tuple[int, int, int, int]: ...
    def topic_holding(
        self, terms: Sequence[str], topics: Sequence[str]
    ) -> tuple[dict[str, int], dict[str, dict[str, int]]]: ...


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
    bare: bool = False  # a number with no kind word ("14(1)(j-1)"): a section's or an article's


def _cut(text: str) -> str:
    """The query as an error quotes it: never more than a line."""
    text = _CONTROL.sub(" ", text)
    return repr(text if len(text) <= _ECHO_CHARS else text[:_ECHO_CHARS] + "…")


# --- syntax --------------------------------------------------------------------------------------


def check_query(text: str) -> None:
    """Refuse, in one line, a query that is too big or whose syntax would make the engine guess."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query too long ({len(text)} characters, at most {MAX_QUERY_CHARS}): {_cut(text)}", field="QUERY"
        )
    if not text.strip():
        raise QueryError('empty query: give words, a "phrase" or a citation', field="QUERY")
    words = text.split()
    if len(words) > MAX_QUERY_WORDS:
        raise QueryError(f"query has {len(words)} words, at most {MAX_QUERY_WORDS}: {_cut(text)}", field="QUERY")
    if text.count('"') % 2:
        raise QueryError(f'unbalanced quote in {_cut(text)}: close the phrase with a second "', field="QUERY")
    outside = re.sub(r'"[^"]*"', " ", text)
    if wildcard := re.search(r"[^\s()]*(?:\w\*|\*\w)[^\s()]*", outside):
        raise QueryError(
            f"wildcards ({_cut(wildcard.group(0))}) are not part of the query language: words are stemmed, "
            "so 'disqualified' also finds 'disqualification'",
            field="QUERY",
        )
    if _RANGE.search(outside):
        raise QueryError(f"ranges ([a TO b]) are not part of the query language: {_cut(text)}", field="QUERY")
    depth = deepest = 0
    for char in outside:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
        if depth < 0:
            break
    if depth:
        raise QueryError(f"unbalanced parentheses in {_cut(text)}", field="QUERY")
    if deepest > MAX_NESTING:
        raise QueryError(f"parentheses nested deeper than {MAX_NESTING} in {_cut(text)}", field="QUERY")
    bare = outside.replace("(", " ").replace(")", " ").split()
    if bare and all(word in _OPERATORS for word in bare) and '"' not in text:
        raise QueryError(f"{_cut(text)} has operators but no words to search for", field="QUERY")
    # Phrases count as the word an operator needs: 'disqualified AND "two children"' is whole.
    tokens = [token for token in _TOKEN.findall(text) if token not in ("(", ")")]
    if tokens and tokens[-1] in _OPERATORS:
        raise QueryError(f"{tokens[-1]} at the end of {_cut(text)} needs a word after it", field="QUERY")
    for token in tokens:
        found = _field(token)
        if found and found.group(1) not in QUERY_FIELDS:
            raise QueryError(f"unknown field {_cut(found.group(1))}; fields: {', '.join(QUERY_FIELDS)}", field="QUERY")
        if found and found.group(1) == "topics" and (topic := found.group(2).strip('"')):
            try:
                resolve_topics([topic], option="QUERY")
            except SeckbError as exc:  # a topic no provision can carry would silently match nothing
                message = exc.message if len(topic) <= _ECHO_CHARS else f"unknown topic {_cut(topic)}"
                raise QueryError(message, field="QUERY") from None


def _field(token: str) -> re.Match[str] | None:
    """``name:value`` as a field; ``Explanation:`` (a colon then a space, as statutes print it) is a word."""
    if token.startswith('"'):
        return None
    found = _FIELD.match(token)
    if found is None or (not found.group(2) and found.group(1) not in QUERY_FIELDS):
        return None
    return found


# Quotation marks a word processor or a PDF gives, read as the query language's straight quote.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"'})


# "Art. 243 F" typed with a space: the article is 243F, not Art. 243 and a word "F".
_SPACED_ARTICLE = re.compile(r"\b((?i:art(?:icle)?s?)\.?\s*\d{1,3})\s+([A-Z]{1,2})(?=$|[\s(,;.])")


def normalise_query(text: str) -> str:
    """The query as the language reads it: curly double quotes are phrase quotes, and an article's
    letter typed apart from its number is joined to it."""
    return _SPACED_ARTICLE.sub(r"\1\2", text.translate(_QUOTES))


def cited_provision(kb: KnowledgeBase, text: str) -> str | None:
    """The one provision a query that is nothing but a citation names ("section 14 of the
    Maharashtra Village Panchayats Act"), or None: the web opens its page instead of a list."""
    text = normalise_query(text)
    if not any(True for _ in _citation_spans(text)):
        return None
    from kb.resolve import ActIndex

    with kb.session() as session:
        acts = ActIndex.from_session(session)
        citations = find_citations(text, acts)
        if len(citations) != 1 or _meaningful(text[: citations[0].start] + " " + text[citations[0].end :]):
            return None
        refs, _ = _resolve(session, citations[0], text, acts, SearchRequest(text=text))
        return refs[0] if len(refs) == 1 else None


def is_plain(text: str) -> bool:
    """Only words: no operator, quote, parenthesis or field."""
    if '"' in text or "(" in text or ")" in text:
        return False
    return not any(w in _OPERATORS or _field(w) for w in text.split())


class _Parser:
    """Explicit syntax: OR binds loosest, then AND / adjacency / ANDNOT / ANDMAYBE, then NOT."""

    def __init__(self, text: str) -> None:
        self.tokens = _TOKEN.findall(text)
        self.pos = 0

    def parse(self) -> Node | None:
        node = self._or()
        while self.pos < len(self.tokens):  # a stray ")" (check_query refuses them; be safe)
            self.pos += 1
            more = self._or()
            node = _all([n for n in (node, more) if n is not None])
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _or(self) -> Node | None:
        items = [self._and()]
        while self._peek() == "OR":
            self.pos += 1
            items.append(self._and())
        kept = [i for i in items if i is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else AnyOf(tuple(kept))

    def _and(self) -> Node | None:
        node: Node | None = None
        pending: list[Node] = []
        while (tok := self._peek()) is not None and tok not in ("OR", ")"):
            if tok in ("AND", "ANDNOT", "ANDMAYBE"):
                self.pos += 1
                right = self._unary()
                if right is None:
                    continue
                if tok == "AND":
                    pending.append(right)
                    continue
                left = _all(pending) if pending else node
                pending = []
                if left is None:
                    node = right if tok == "ANDMAYBE" else Without(None, right)
                else:
                    node = Without(left, right) if tok == "ANDNOT" else Maybe(left, right)
                continue
            item = self._unary()
            if item is not None:
                pending.append(item)
        if pending:
            node = _all([node, *pending] if node is not None else pending)
        return node

    def _unary(self) -> Node | None:
        if self._peek() == "NOT":
            self.pos += 1
            inner = self._unary()
            return Without(None, inner) if inner is not None else None
        return self._atom()

    def _atom(self) -> Node | None:
        tok = self._peek()
        if tok is None:
            return None
        self.pos += 1
        if tok == "(":
            node = self._or()
            if self._peek() == ")":
                self.pos += 1
            return node
        if tok == ")":
            return None
        if tok.startswith('"'):
            words = tuple(tok.strip('"').split())
            return Phrase(words) if words else None
        found = _field(tok)
        if found and found.group(1) in QUERY_FIELDS:
            name, value = found.group(1), found.group(2)
            if not value:  # "heading: word" / "heading:(a b)": the next atom is the field's
                inner = self._atom()
                return _in_field(inner, name) if inner is not None else None
            if value.startswith('"'):
                words = tuple(value.strip('"').split())
                return Phrase(words, name) if words else None
            return Word(value, name)
        if tok in _OPERATORS:
            return None
        return Word(tok)


def _all(items: list[Node]) -> Node:
    """AND of items; NOT items become exclusions of the rest."""
    positive = [i for i in items if not (isinstance(i, Without) and i.include is None)]
    negative = [i.exclude for i in items if isinstance(i, Without) and i.include is None]
    include: Node | None = positive[0] if len(positive) == 1 else AllOf(tuple(positive)) if positive else None
    if not negative:
        assert include is not None
        return include
    exclude = negative[0] if len(negative) == 1 else AnyOf(tuple(negative))
    return Without(include, exclude)


def _in_field(node: Node, name: str) -> Node:
    if isinstance(node, Word):
        return Word(node.text, name)
    if isinstance(node, Phrase):
        return Phrase(node.words, name, node.slop)
    if isinstance(node, AllOf):
        return AllOf(tuple(_in_field(i, name) for i in node.items))
    if isinstance(node, AnyOf):
        return AnyOf(tuple(_in_field(i, name) for i in node.items), node.coordination)
    if isinstance(node, OneOf):
        return OneOf(tuple(_in_field(i, name) for i in node.items), node.weights, node.tiebreak)
    if isinstance(node, Without):
        include = _in_field(node.include, name) if node.include is not None else None
        return Without(include, _in_field(node.exclude, name))
    return Maybe(_in_field(node.required, name), _in_field(node.optional, name))


# --- citations -----------------------------------------------------------------------------------

# Where a citation may start: a kind word ProvisionRef knows (plural too), perhaps with its number.
_KIND_START = re.compile(
    rf"^(?:{'|'.join(sorted(map(re.escape, KIND_WORDS), key=len, reverse=True))})s?\.?(?:\d.*)?$", re.IGNORECASE
)
_CITE_WINDOW = 7  # words a citation may take: "section 14 (1) (j-1) second proviso"
_CITE_CHARS = 80
_ACT_WINDOW = 9  # words an Act name may take ("Maharashtra Municipal Councils, Nagar Panchayats and ...")
_LINK_WORDS = {"of", "the", "under", "in", "to", ","}
# A number with its sub-provisions and no kind word: "14(1)(j-1)", "16(1)(k)", "243F(1)".
_BARE = re.compile(r"^\d{1,4}[A-Za-z]{0,3}(?:-\d+)?(?:\((?:[0-9]{1,3}[A-Za-z]{0,2}|[a-z]{1,4})(?:-\d+)?\))+$")


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[^\s,]+|,", text)]


def _citation_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` that ProvisionRef reads as a provision number (the longest at each start)."""
    words = [w for w in _words(text) if w[0] != ","]
    i = 0
    while i < len(words):
        word = words[i][0]
        starts = bool(_KIND_START.match(word)) or bool(re.match(r"^(?:art\.?)?243-?[A-Z]{0,2}\b", word, re.I))
        if not starts and _BARE.match(word):
            # "14(1)(j-1)" with no kind word: a provision number all the same, read as s. and Art.
            yield words[i][1], words[i][2]
            i += 1
            continue
        best = None
        if starts:
            # A window stops before the next kind word: "s.14(1)(j-1) Art 243-K" is two citations.
            limit = next(
                (k for k in range(i + 1, min(len(words), i + _CITE_WINDOW)) if _KIND_START.match(words[k][0])),
                min(len(words), i + _CITE_WINDOW),
            )
            for j in range(limit, i, -1):
                piece = text[words[i][1] : words[j - 1][2]]
                # No provision number is that long: do not hand such a piece to the parser at all.
                if not re.search(r"\d", piece) or len(piece) > _CITE_CHARS or re.search(r"\d{7}", piece):
                    continue
                try:
                    ProvisionRef.parse(piece)
                except RefError:
                    continue
                if j - 1 > i or re.search(r"\d", word) or word.lower().rstrip(".") in ("art", "article"):
                    best = j
                    break
        if best is None:
            i += 1
            continue
        yield words[i][1], words[best - 1][2]
        i = best


def find_citations(text: str, acts: ActIndex) -> list[Citation]:
    """Citations inside ``text``, each with the Act named before it, after it, or "of the <Act>"."""
    out: list[Citation] = []
    for start, end in _citation_spans(text):
        core = text[start:end].strip()
        bare = bool(_BARE.match(core))
        act_span = _act_after(text, end, acts) or _act_before(text, start, acts)
        if act_span:
            act_id, a, b = act_span
            out.append(Citation(f"{act_id} {core}", min(a, start), max(b, end), bare))
        else:
            out.append(Citation(core, start, end, bare))
    return out


def _act_after(text: str, pos: int, acts: ActIndex) -> tuple[str, int, int] | None:
    words = _words(text[pos:])
    skip = 0
    while skip < len(words) and words[skip][0].lower() in _LINK_WORDS:
        skip += 1
    for n in range(min(_ACT_WINDOW, len(words) - skip), 0, -1):
        span = words[skip : skip + n]
        act_id = _act_named(acts, text[pos + span[0][1] : pos + span[-1][2]])
        if act_id:
            return act_id, pos, pos + span[-1][2]
    return None


def _act_named(acts: ActIndex, words: str) -> str | None:
    """The Act id ``words`` name; as typed when they name several ("RPA": 1950 and 1951), so the
    resolver chooses among those Acts only."""
    named = acts.named(words)
    if len(named) > 1:
        return " ".join(words.split())
    return named[0] if named else None


def _act_before(text: str, pos: int, acts: ActIndex) -> tuple[str, int, int] | None:
    words = _words(text[:pos])
    for n in range(min(_ACT_WINDOW, len(words)), 0, -1):
        span = words[len(words) - n :]
        act_id = _act_named(acts, text[span[0][1] : span[-1][2]])
        if act_id:
            return act_id, span[0][1], pos
    return None


def _check_filters(kb: KnowledgeBase, request: SearchRequest) -> None:
    """An unknown --state or --act would silently match nothing: say so instead.

    A value the index holds is known; only the others are looked up in the database (a State with
    no Act held is known but indexes nothing), so a plain filtered search does not open it.
    """
    engine: Engine = kb.searcher()
    states = [code for code in request.states if not engine.holds("jurisdiction", code.upper())]
    acts = [act for act in request.acts if not engine.holds("act", act)]
    if not (states or acts):
        return
    from kb.store import tables as t

    with kb.session() as session:
        for code in states:
            if session.get(t.Jurisdiction, code.upper()) is None:
                raise QueryError(
                    f"unknown jurisdiction {_cut(code)} (see `seckb coverage` for the codes)", field="--state"
                )
        for act in acts:
            if session.get(t.Act, act) is None:
                raise QueryError(f"unknown Act id {_cut(act)} (see `seckb acts`)", field="--act")


def _pin_citations(
    kb: KnowledgeBase, request: SearchRequest
) -> tuple[list[str], str, list[Unresolved], list[tuple[str, list[str]]]]:
    """(refs the query cites, with each one's sub-provisions; the query without its citations; the
    citations that cite nothing held, which are not searched as words either; each citation that
    resolved, as typed, with the refs it names)."""
    text = request.text
    if not any(True for _ in _citation_spans(text)):
        return [], text, [], []
    from kb.resolve import ActIndex

    pinned: list[str] = []
    unresolved: list[Unresolved] = []
    named: list[tuple[str, list[str]]] = []
    taken: list[Citation] = []
    with kb.session() as session:
        acts = ActIndex.from_session(session)
        citations = find_citations(text, acts)
        for citation in citations:
            refs, miss = _resolve(session, citation, text, acts, request)
            if refs:
                # The cited provision, what it contains, then what it sits in (its lead-in).
                family = [refs[0], *_children_refs(session, refs[0]), *refs[1:], *_parent_ref(session, refs[0])]
                pinned += [ref for ref in family if ref not in pinned]
                named.append((_typed(text, citation), refs))
            if refs or miss:
                taken.append(citation)
            if miss:
                unresolved.append(miss)
    if not taken:
        return [], text, [], []
    rest = text
    for citation in sorted(taken, key=lambda c: -c.start):
        rest = rest[: citation.start] + " " + rest[citation.end :]
    return pinned, " ".join(rest.split()), unresolved, named


def _typed(text: str, citation: Citation) -> str:
    return " ".join(text[citation.start : citation.end].split())


def _resolve(
    session: Any, citation: Citation, text: str, acts: ActIndex, request: SearchRequest
) -> tuple[list[str], Unresolved | None]:
    """The refs a citation names within the filters, or why it names none (None: it was not a
    citation after all, as far as the resolver can tell, and its words are searched)."""
    typed = _typed(text, citation)
    if not citation.bare:
        return _resolve_one(session, citation.text, typed, acts, request)
    head, _, number = citation.text.rpartition(" ")
    # A bare number is every held section or article that carries it; no kind is guessed.
    found: list[str] = []
    misses: list[Unresolved] = []
    for kind in ("s.", "Art."):
        refs, miss = _resolve_one(session, f"{head} {kind}{number}".strip(), typed, acts, request)
        found += [ref for ref in refs if ref not in found]
        if miss is not None:
            misses.append(miss)
    if found:
        return found, None
    outside = [m for m in misses if m.reason is CitationMiss.OUTSIDE_FILTERS]
    chosen = outside or misses
    return [], chosen[0] if chosen else None


def _resolve_one(
    session: Any, cited: str, typed: str, acts: ActIndex, request: SearchRequest
) -> tuple[list[str], Unresolved | None]:
    from kb.resolve import resolve_citation

    try:
        ref = resolve_citation(session, cited, acts=acts).ref
    except CitationError as exc:
        if "ambiguous" in exc.message:
            # "s.14(1)(j-1)" with --state MH: several Acts have it; keep those the filters allow.
            allowed = [ref for ref in exc.candidates if _allowed(session, ref, request)]
            return allowed, None if allowed else Unresolved(typed, CitationMiss.OUTSIDE_FILTERS, exc.candidates[:3])
        if exc.message.startswith("no such provision"):
            nearest = [ref for ref in exc.candidates if _allowed(session, ref, request)]
            return [], Unresolved(typed, CitationMiss.NO_SUCH_PROVISION, tuple(nearest[:3]))
        return [], None
    if not _allowed(session, ref, request):
        return [], Unresolved(typed, CitationMiss.OUTSIDE_FILTERS, (ref,))
    return [ref], None


def _meaningful(text: str) -> bool:
    return any(w.lower() not in _FILLER for w in re.findall(r"\w+", text))


def _allowed(session: Any, ref: str, request: SearchRequest) -> bool:
    from kb.store import tables as t

    act_id = ref.split(" ", 1)[0]
    act = session.get(t.Act, act_id)
    if act is None:
        return False
    if request.states and act.jurisdiction_code not in {s.upper() for s in request.states}:
        return False
    return not (request.acts and act_id not in request.acts)


def _parent_ref(session: Any, ref: str) -> list[str]:
    from sqlalchemy import select

    from kb.store import tables as t

    row = session.scalar(select(t.Provision).where(t.Provision.ref == ref))
    if row is None or row.parent_id is None:
        return []
    parent = session.get(t.Provision, row.parent_id)
    return [parent.ref] if parent is not None else []


def _children_refs(session: Any, ref: str) -> list[str]:
    from sqlalchemy import select

    from kb.store import tables as t

    row = session.scalar(select(t.Provision).where(t.Provision.ref == ref))
    if row is None:
        return []
    return list(
        session.scalars(select(t.Provision.ref).where(t.Provision.parent_id == row.id).order_by(t.Provision.ord))
    )


# --- vocabulary: synonyms and topic phrases, loaded once per process ---------------------------

_VOCABULARY: dict[str, tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]] = {}
_ONTOLOGY: dict[str, Ontology] = {}


def _ontology() -> Ontology:
    """corpus/topics.yaml, read once per corpus folder (the vocabulary and topic feedback share it)."""
    from kb import settings
    from kb.topics import load_ontology

    key = str(settings.corpus_dir())
    if key not in _ONTOLOGY:
        _ONTOLOGY[key] = load_ontology(settings.corpus_dir())
    return _ONTOLOGY[key]


def _vocabulary() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(phrase -> equivalent phrases, phrase -> the topics it names), loaded once per corpus folder."""
    from kb import settings
    from kb.synonyms import load_synonyms, topic_phrases

    key = str(settings.corpus_dir())
    if key not in _VOCABULARY:
        _VOCABULARY[key] = (load_synonyms(settings.corpus_dir()), _topic_names(topic_phrases(_ontology())))
    return _VOCABULARY[key]


_LEAVES: dict[str, frozenset[str]] = {}


def _leaf_topics() -> frozenset[str]:
    """The ontology's leaf topics, computed once per corpus folder: topic feedback asks on every search."""
    from kb import settings

    key = str(settings.corpus_dir())
    if key not in _LEAVES:
        _LEAVES[key] = frozenset(_ontology().leaves())
    return _LEAVES[key]


def guess_topic(engine: Engine, text: str) -> str | None:
    """The narrow topic a plain query is about, when one stands out (GUESS_MIN, GUESS_RATIO)."""
    import math

    leaves = sorted(_leaf_topics())
    words = [w for w in _plain_words(text) if not _is_question_word(w)]
    sizes, counts = engine.topic_holding([t for w in words for t in engine.terms(w)], leaves)
    held = [t for t in leaves if sizes.get(t)]
    if len(held) < 2:
        return None
    scores: dict[str, float] = {}
    for by_topic in counts.values():
        holding = [t for t in held if by_topic.get(t)]
        if not holding:
            continue
        rarity = math.log(1 + len(held) / len(holding))
        for t in holding:
            scores[t] = scores.get(t, 0.0) + rarity * by_topic[t] / (sizes[t] + GUESS_SMOOTHING)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked:
        return None
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return best if score >= GUESS_MIN and score >= GUESS_RATIO * runner_up else None


def _topic_feedback(
    docs: Sequence[tuple[dict[str, Any], float]], leaves: frozenset[str], guessed: str | None = None
) -> Sequence[tuple[dict[str, Any], float]]:
    """Raise the hits of the narrow topic most of the first hits share (FEEDBACK_TOP), or of the
    topic the query was found to be about."""
    if FEEDBACK_BOOST == 1.0 or not docs:
        return docs

    def topics(stored: dict[str, Any]) -> set[str]:
        return set(str(stored.get("topics") or "").split(",")) & leaves

    counts = Counter(topic for stored, _ in docs[:FEEDBACK_TOP] for topic in topics(stored))
    shared = {topic for topic, n in counts.items() if n >= FEEDBACK_MIN} | ({guessed} if guessed else set())
    if not shared:
        return docs
    raised = [(stored, score * FEEDBACK_BOOST if topics(stored) & shared else score) for stored, score in docs]
    return sorted(raised, key=lambda pair: -pair[1])


def _section_of(stored: dict[str, Any]) -> str:
    """The section (article, rule) a hit belongs to: its Act and the first element of its path;
    a note is its own."""
    path = str(stored.get("path") or "")
    return f"{stored.get('act', '')} {re.split(r'[( ]', path, maxsplit=1)[0]}" if path else str(stored["ref"])


def _section_prior(docs: Sequence[tuple[dict[str, Any], float]]) -> Sequence[tuple[dict[str, Any], float]]:
    """Mix each hit's score with the best score of its section's hits (SECTION_WEIGHT)."""
    if not SECTION_WEIGHT or not docs:
        return docs
    best: dict[str, float] = {}
    for stored, score in docs:
        key = _section_of(stored)
        best[key] = max(best.get(key, 0.0), score)
    mixed = [
        (stored, (1 - SECTION_WEIGHT) * score + SECTION_WEIGHT * best[_section_of(stored)]) for stored, score in docs
    ]
    return sorted(mixed, key=lambda pair: -pair[1])


_FAMILIES: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {}


def _word_families() -> dict[str, tuple[tuple[str, str], ...]]:
    """corpus/word_families.yaml, loaded once per corpus folder."""
    from kb import settings
    from kb.synonyms import load_word_families

    key = str(settings.corpus_dir())
    if key not in _FAMILIES:
        _FAMILIES[key] = load_word_families(settings.corpus_dir())
    return _FAMILIES[key]


def word_family(engine: Engine, word: str, families: dict[str, tuple[tuple[str, str], ...]]) -> list[str]:
    """Words of the texts in ``word``'s family that the index holds as another term ("vacancy" ->
    ["vacant"]): the term's ending swapped by a pair of ``families``, the reverse too."""
    terms = engine.terms(word)
    if len(terms) != 1 or not terms[0].isalpha():
        return []
    term = terms[0]
    out: list[str] = []
    for name, pairs in families.items():
        for a, b in pairs:
            for old, new in ((a, b), (b, a)):
                if not term.endswith(old) or len(term) - len(old) < FAMILY_MIN_STEM:
                    continue
                other = term[: len(term) - len(old)] + new
                found = engine.word_for(other)
                if found is None or found in out or (name == "derivations" and not _together(engine, term, other)):
                    continue
                out.append(found)
    return out


def _together(engine: Engine, first: str, second: str) -> bool:
    """Whether two index terms stand in the same documents far more often than chance."""
    a, b, both, total = engine.co_occurrence(first, second)
    return both >= FAMILY_MIN_BOTH and both * total >= FAMILY_LIFT * a * b


def _with_family(engine: Engine, concept: Word, families: dict[str, tuple[tuple[str, str], ...]]) -> Node:
    family = word_family(engine, concept.text, families) if FAMILY_WEIGHT else []
    if not family:
        return concept
    return _one_of((concept, *(Word(w) for w in family)), (1.0, *(FAMILY_WEIGHT for _ in family)))


# --- plain word queries: concepts with coverage ranking ----------------------------------------


@dataclass
class _Analysis:
    root: Node | None
    typed: list[str] = field(default_factory=list)  # the words to highlight
    suggestion: str | None = None
    # Words typed that no text holds: replaced in ``suggestion`` where a near word was found.
    not_found: tuple[str, ...] = ()


def _plain_words(text: str) -> list[str]:
    """The words of a plain query ("does" of "does not pay" is kept here: phrases are matched first)."""
    return re.findall(r"[\w][\w'.-]*", text)


def _is_question_word(word: str) -> bool:
    return word.lower() in _QUESTION_WORDS


def _concepts(
    engine: Engine,
    words: list[str],
    expansions: dict[str, tuple[str, ...]],
    topic_names: dict[str, tuple[str, ...]],
) -> list[Node]:
    """The query's concepts: a phrase with synonyms (corpus/synonyms.yaml) or naming a topic
    (corpus/topics.yaml) is one concept, OR-ed with its equivalents and the topic's tagged
    provisions (recall by topic); every other word is one. Phrases never overlap: of the ways to
    cut the query, the one putting most of its words in phrases, then in fewest concepts
    ("registered as voter in two places" is "registered" + "voter in two places", not "registered
    as voter" + "two" + "places").

    Phrases are matched on index terms (stemmed, stop words dropped), as the engine matches them:
    "challenge the election" finds the phrase "challenge an election", "disqualified persons" the
    phrase "disqualified person"."""
    keyed = _keyed_vocabulary(engine, expansions, topic_names)
    # The query as index terms, each with the index of the word it came from.
    sequence = [(term, i) for i, word in enumerate(words) for term in engine.terms(word)]
    out: list[Node] = []
    done: set[int] = set()  # words already part of a concept
    j = 0
    for n in _phrase_cut([term for term, _ in sequence], keyed):
        if not n:
            i = sequence[j][1]
            # Words of a question, not of the law, once no phrase has used them.
            if i not in done and not _is_question_word(words[i]):
                out.append(Word(words[i]))
            done.add(i)
            j += 1
            continue
        phrase, alternatives, topics, distinct = keyed[tuple(term for term, _ in sequence[j : j + n])]
        first, last = sequence[j][1], sequence[j + n - 1][1]
        span = [w for k, w in enumerate(words[first : last + 1], start=first) if k not in done]
        done.update(range(first, last + 1))
        if topics and not alternatives:
            # A provision tagged with the topic counts as holding each word of the phrase naming it.
            tags = [Word(topic, field="topics") for topic in topics]
            tag_weights = (1.0, *(TOPIC_WEIGHT for _ in tags))
            out += [_one_of((Word(w), *tags), tag_weights) for w in span if engine.terms(w)]
        else:
            options = [" ".join(span) or phrase, *distinct]
            nodes = [_phrase_node(o) for o in options] + [Word(topic, field="topics") for topic in topics]
            weights = [1.0, *(SYNONYM_WEIGHT for _ in options[1:]), *(TOPIC_WEIGHT for _ in topics)]
            loose = [w for w in span if engine.terms(w) and not _is_question_word(w)]
            if LOOSE_WEIGHT and len(loose) > 1:
                nodes.append(AllOf(tuple(Word(w) for w in loose)))
                weights.append(LOOSE_WEIGHT)
            out.append(_one_of(tuple(nodes), tuple(weights)))
        j += n
    return out


def _phrase_cut(terms: list[str], keyed: _Keyed) -> list[int]:
    """The best cut of ``terms`` into pieces, as their lengths (0: a term on its own, n: a
    vocabulary phrase of n terms): most terms inside phrases, then fewest pieces, then phrases as
    early and as long as possible."""
    longest = max((len(key) for key in keyed), default=1)
    size = len(terms)
    best = [(0, 0)] * (size + 1)  # (terms inside phrases, -pieces) of the rest of the query
    choice = [0] * (size + 1)
    for j in range(size - 1, -1, -1):
        covered, pieces = best[j + 1]
        best[j], choice[j] = (covered, pieces - 1), 0
        for n in range(min(longest, size - j), 0, -1):
            if tuple(terms[j : j + n]) in keyed:
                covered, pieces = best[j + n]
                # On a tie the phrase starting here wins (leftmost, then longest).
                if (covered + n, pieces - 1) > best[j] or ((covered + n, pieces - 1) == best[j] and not choice[j]):
                    best[j], choice[j] = (covered + n, pieces - 1), n
    cut, j = [], 0
    while j < size:
        cut.append(choice[j])
        j += choice[j] or 1
    return cut


_Keyed = dict[tuple[str, ...], tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]
_KEYED: dict[tuple[int, int], _Keyed] = {}


def _keyed_vocabulary(
    engine: Engine, expansions: dict[str, tuple[str, ...]], topic_names: dict[str, tuple[str, ...]]
) -> _Keyed:
    """Index terms of a phrase -> (the phrase, its equivalents, the topics it names, the equivalents
    searched: the first MAX_ALTERNATIVES, less those the index holds as the phrase's words or an
    earlier one's — "State Election Commissioner" and "... Commission" stem alike, so they are one
    expression); once per vocabulary, not per query."""
    key = (id(expansions), id(topic_names))
    found = _KEYED.get(key)
    if found is None:
        found = {}
        # A phrase of a group is an equivalent of each other one: analysed once, not once per group
        # member (16,000 analyses on every cold search had become 1,700).
        analysed: dict[str, tuple[str, ...]] = {}

        def terms_of(text: str) -> tuple[str, ...]:
            got = analysed.get(text)
            if got is None:
                got = analysed[text] = tuple(engine.terms(text))
            return got

        for phrase in dict.fromkeys([*expansions, *topic_names]):
            terms = terms_of(phrase)
            if not terms or _collapses(phrase, terms):
                continue
            old = found.get(terms)
            alternatives = tuple(dict.fromkeys([*(old[1] if old else ()), *expansions.get(phrase, ())]))
            topics = tuple(dict.fromkeys([*(old[2] if old else ()), *topic_names.get(phrase, ())]))
            found[terms] = (old[0] if old else phrase, alternatives, topics, ())
        for terms, (phrase, alternatives, topics, _) in found.items():
            seen, distinct = {terms}, []
            for option in alternatives[:MAX_ALTERNATIVES]:
                option_terms = terms_of(option)
                if option_terms not in seen and not _collapses(option, option_terms):
                    seen.add(option_terms)
                    distinct.append(option)
            found[terms] = (phrase, alternatives, topics, tuple(distinct))
        if len(_KEYED) > 8:
            _KEYED.clear()
        _KEYED[key] = found
    return found


def _collapses(phrase: str, terms: tuple[str, ...]) -> bool:
    """Whether a phrase of several words is held by the index as one word ("by-election" is
    "election": "by" is a stop word); as a key or an equivalent it would stand for that word
    everywhere."""
    return len(terms) < 2 and len(re.findall(r"[^\W_]+", phrase)) > 1


def _one_of(items: tuple[Node, ...], weights: tuple[float, ...]) -> OneOf:
    return OneOf(items, weights, ONEOF_TIEBREAK)


def _bodies_named(text: str) -> dict[str, float]:
    words = {w.lower() for w in re.findall(r"\w+", text)}
    named = [body for body, names in BODY_WORDS.items() if words & names]
    return {named[0]: BODY_WEIGHT, "central": CENTRAL_WEIGHT} if len(named) == 1 else {}


def _topic_names(phrases: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Phrase -> the topics it names (the inverse of kb.synonyms.topic_phrases)."""
    out: dict[str, tuple[str, ...]] = {}
    for topic, names in phrases.items():
        for name in names:
            out[name] = (*out.get(name, ()), topic)
    return out


def _phrase_node(phrase: str) -> Node:
    words = tuple(re.findall(r"[\w][\w'-]*", phrase))
    return Word(words[0]) if len(words) == 1 else Phrase(words, slop=PHRASE_SLOP)


def _correct(engine: Engine, words: list[str], exempt: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(unknown word -> the nearest word of the texts, rare word -> a far more common near word).

    A word the texts lack is replaced (and the user told); a rare one may be a typo in the statute
    itself ("Panchyats") or a real word ("small" beside "shall"), so it is kept and its neighbour added.
    """
    unknown: dict[str, str] = {}
    rare: dict[str, str] = {}
    for word in words:
        if len(word) < 4 or not word.isalpha() or word.lower() in exempt:
            continue
        seen = engine.frequency(word)
        if seen >= RARE_WORD:
            continue
        fixed = engine.nearest(word.lower(), maxdist=1 if len(word) <= SHORT_WORD else 2)
        if fixed and fixed != word.lower() and engine.frequency(fixed) >= max(1, seen) * RARE_RATIO:
            (rare if seen else unknown)[word] = fixed
    return unknown, rare


def _analyse_plain(
    engine: Engine, text: str, expansions: dict[str, tuple[str, ...]], topic_names: dict[str, tuple[str, ...]]
) -> _Analysis:
    words = _plain_words(text)
    exempt = {w for phrase in [*expansions, *topic_names] for w in phrase.split()}
    fixes, rare = _correct(engine, words, exempt)
    families = _word_families()
    suggestion = None
    if fixes:
        suggestion = text
        for wrong, right in fixes.items():
            suggestion = re.sub(rf"\b{re.escape(wrong)}\b", right, suggestion)
        words = [fixes.get(w, w) for w in words]
    concepts = [
        (_one_of((c, Word(rare[c.text])), (1.0, 1.0)) if c.text in rare else _with_family(engine, c, families))
        if isinstance(c, Word)
        else c
        for c in _concepts(engine, words, expansions, topic_names)
    ]
    if not concepts:  # only question words: search them rather than nothing
        concepts = [Word(w) for w in words]
    if DESCRIBED_CONCEPT_WEIGHT and FIELD_BOOSTS.get("described"):
        concepts = [_or_described(c) for c in concepts]
    root: Node | None
    if not concepts:
        root = None
    elif len(concepts) == 1:
        root = concepts[0]
    else:
        root = AnyOf(tuple(concepts), coordination=COVERAGE_POWER)
    if root is not None and FIELD_BOOSTS.get("described"):
        root = _with_described(root, words)
    # The words a hit is marked by: those searched, not the words of a question ("can he contest"
    # marks "contest", not every "he" of the Act), unless the query is nothing else.
    searched = [w for w in words if not _is_question_word(w)] or words
    # Words no text holds and nothing near replaced ("usury"): the results say so, corrected or not.
    missing = tuple(
        w
        for w in words
        if w not in fixes and len(w) >= 4 and w.isalpha() and w.lower() not in exempt and not engine.frequency(w)
    )
    return _Analysis(root, typed=searched, suggestion=suggestion, not_found=(*fixes, *missing))


def _or_described(concept: Node) -> Node:
    """A concept our descriptions of a provision may hold in the Act's stead: it then counts toward
    the query's coverage, at a low weight of its own."""
    described = _in_described(concept)
    if described is None:
        return concept
    return _one_of((concept, described), (1.0, DESCRIBED_CONCEPT_WEIGHT))


def _in_described(node: Node) -> Node | None:
    """The same words and phrases, looked for in the descriptions (a topic tag has no counterpart)."""
    if isinstance(node, Word):
        return Word(node.text, field="described") if node.field is None else None
    if isinstance(node, Phrase):
        return Phrase(node.words, field="described", slop=node.slop) if node.field is None else None
    if isinstance(node, OneOf):
        items = tuple(d for d in (_in_described(i) for i in node.items) if d is not None)
        if not items:
            return None
        return items[0] if len(items) == 1 else OneOf(items, tuple(1.0 for _ in items))
    return None


def _with_described(root: Node, words: list[str]) -> Node:
    """``root`` with our descriptions of provisions (corpus/descriptions/) beside the Acts' words.

    A provision the Act's words match ranks higher when its descriptions hold more of the query's
    words; one they do not match ranks by its descriptions only when they hold every word. The
    concepts themselves may also be found in the descriptions (:func:`_or_described`), at a lower
    score than the Act's words."""
    described = tuple(Word(w, field="described") for w in dict.fromkeys(words) if not _is_question_word(w))
    if not described:
        return root
    if len(described) == 1:
        return AnyOf((root, described[0]))
    return AnyOf((Maybe(root, AnyOf(described, coordination=COVERAGE_POWER)), AllOf(described)))


def _analyse_explicit(engine: Engine, text: str) -> _Analysis:
    root = _Parser(text).parse()
    return _Analysis(root, typed=list(_positive_words(root)) if root is not None else [])


def _topics_named(node: Node | None) -> set[str]:
    """The topics a plain query's concepts search by their tag (a phrase naming a topic)."""
    if isinstance(node, Word):
        return {node.text} if node.field == "topics" else set()
    if isinstance(node, AllOf | AnyOf | OneOf):
        return set().union(*(_topics_named(item) for item in node.items))
    if isinstance(node, Maybe):
        return _topics_named(node.required) | _topics_named(node.optional)
    return set()


def _positive_words(node: Node) -> Iterator[str]:
    """The words a matching document contains (not those after NOT): what may be highlighted."""
    if isinstance(node, Word):
        if node.field in (None, "text", "heading"):
            yield node.text
    elif isinstance(node, Phrase):
        if node.field in (None, "text", "heading"):
            yield from node.words
    elif isinstance(node, AllOf | AnyOf | OneOf):
        for item in node.items:
            yield from _positive_words(item)
    elif isinstance(node, Without):
        if node.include is not None:
            yield from _positive_words(node.include)
    else:
        yield from _positive_words(node.required)
        yield from _positive_words(node.optional)


# --- the search ----------------------------------------------------------------------------------


def search(kb: KnowledgeBase, request: SearchRequest) -> SearchResults:
    """Search the knowledge base; a cited provision comes first, then the words of the query."""
    request = replace(request, text=normalise_query(request.text))
    check_query(request.text)
    _check_filters(kb, request)
    filters = {
        "jurisdiction": tuple(s.upper() for s in request.states),
        "act": tuple(request.acts),
        "body": tuple(request.bodies),
        "topics": tuple(request.topics),
        "doc_type": tuple(request.doc_types),
    }
    filters = {k: v for k, v in filters.items() if v}
    pinned, rest, unresolved, named = _pin_citations(kb, request)
    engine: Engine = kb.searcher()
    # A provision cited within the States and Acts searched but outside --body, --topic or --kind.
    for typed, refs in named:
        if not any((stored := engine.document(ref)) is not None and _passes(stored, filters) for ref in refs):
            unresolved.append(Unresolved(typed, CitationMiss.OUTSIDE_FILTERS, tuple(refs[:3])))
    results = run_query(engine, request, rest, pinned, filters)
    return replace(results, unresolved=tuple(unresolved)) if unresolved else results


def run_query(
    engine: Engine,
    request: SearchRequest,
    rest: str,
    pinned: Sequence[str] = (),
    filters: dict[str, tuple[str, ...]] | None = None,
) -> SearchResults:
    """The ranking path on an engine: analysis, plan, run, snippets (no database needed)."""
    filters = filters or {}
    pinned_hits = _pinned_hits(engine, pinned, filters)
    if pinned and not _meaningful(rest):
        return SearchResults(query=request.text, hits=tuple(pinned_hits[: request.limit]), total=len(pinned_hits))
    expansions, topic_names = _vocabulary()
    plain = is_plain(rest)
    analysis = _analyse_plain(engine, rest, expansions, topic_names) if plain else _analyse_explicit(engine, rest)
    if analysis.root is None:
        return SearchResults(query=request.text, hits=tuple(pinned_hits[: request.limit]), total=len(pinned_hits))
    plan = QueryPlan(
        root=analysis.root,
        filters=filters,
        # Explicit syntax keeps the fields it always had: a clause does not "contain" (for AND or
        # NOT) the words of its provisos, nor the words we describe it with.
        field_boosts=dict(FIELD_BOOSTS)
        if plain
        else {k: v for k, v in FIELD_BOOSTS.items() if k not in ("below", "described")},
        kind_weights=dict(KIND_WEIGHTS) if plain else {},
        body_weights=_bodies_named(rest) if plain else {},
        phrase_fields=PHRASE_FIELDS if plain else (),
        limit=max(request.limit, FEEDBACK_POOL if plain and FEEDBACK_BOOST != 1.0 else 1) + len(pinned_hits),
        facets=request.facets,
    )
    guessed = guess_topic(engine, rest) if plain and GUESS_RECALL else None
    # A query naming the topic ("two-child norm") searches it already; the results need not say so.
    about = guessed if guessed and guessed not in _topics_named(analysis.root) else None
    if guessed:
        plan = replace(plan, topics={**plan.topics, guessed: GUESS_RECALL})
    ranked = engine.run(plan)
    docs = _section_prior(_topic_feedback(ranked.docs, _leaf_topics(), guessed)) if plain else ranked.docs
    suggestion, not_found = analysis.suggestion, analysis.not_found
    if not plain and not ranked.docs:
        # Explicit syntax is taken as typed; when it matches nothing, try it with corrected spelling.
        fixes, _ = _correct(engine, [w for w in re.findall(r"[A-Za-z]+", rest) if w not in _OPERATORS], set())
        if fixes:
            corrected = rest
            for wrong, right in fixes.items():
                corrected = re.sub(rf"\b{re.escape(wrong)}\b", right, corrected)
            analysis = _analyse_explicit(engine, corrected)
            if analysis.root is not None:
                ranked = engine.run(QueryPlan(**{**plan.__dict__, "root": analysis.root}))
                suggestion, not_found = corrected, tuple(fixes)
    highlight = {term for word in analysis.typed for term in engine.terms(word)}
    hits = list(pinned_hits)
    seen = {h.ref for h in hits}
    for stored, score in docs:
        if len(hits) >= request.limit:
            break
        if stored["ref"] in seen:
            continue
        hits.append(_hit(engine, stored, score, highlight))
    # A cited provision that also matches the words is counted once.
    matched = {stored["ref"] for stored, _ in ranked.docs}
    return SearchResults(
        query=request.text,
        hits=tuple(hits[: request.limit]),
        total=ranked.total + sum(hit.ref not in matched for hit in pinned_hits),
        facets=ranked.facets,
        suggestion=suggestion,
        not_found=not_found,
        about_topic=about,
    )


def _pinned_hits(engine: Engine, pinned: Sequence[str], filters: dict[str, tuple[str, ...]]) -> list[SearchHit]:
    out = []
    for ref in dict.fromkeys(pinned):
        stored = engine.document(ref)
        if stored is not None and _passes(stored, filters):
            out.append(_hit(engine, stored, float("inf"), set(), pinned=True))
    return out


def _passes(stored: dict[str, Any], filters: dict[str, tuple[str, ...]]) -> bool:
    for name, allowed in filters.items():
        value = str(stored.get(name, ""))
        values = value.split(",") if name in ("jurisdiction", "topics") else [value]
        if not set(values) & set(allowed):
            return False
    return True


# --- snippets ------------------------------------------------------------------------------------

SNIPPET_CHARS = 240


def clean_text(text: str, doc_type: str = "provision") -> str:
    """Text as a reader should see it: no control characters, a note's [[links]] as their words."""
    text = _CONTROL.sub(" ", text)
    if doc_type == "note":
        text = _NOTE_LINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)
    return " ".join(text.split())


def snippet(engine: Engine, text: str, highlight: set[str], size: int = SNIPPET_CHARS) -> tuple[str, tuple[Span, ...]]:
    """The window of ``text`` holding most of the highlighted terms, and their offsets in it."""
    if not highlight:
        cut = text[:size]
        return (cut + "…" if len(text) > size else cut), ()
    spans = [(s, e) for term, s, e in engine.term_spans(text) if term in highlight]
    if not spans:
        cut = text[:size]
        return (cut + "…" if len(text) > size else cut), ()
    # Spans come in text order, so a window's count is two bisections (a long text has thousands).
    starts, ends = [a for a, _ in spans], [b for _, b in spans]
    best_start, best_count = 0, -1
    for s, _ in spans:
        start = max(0, s - size // 4)
        count = bisect.bisect_right(ends, start + size) - bisect.bisect_left(starts, start)
        if count > best_count:
            best_start, best_count = start, count
    if best_start:
        space = text.find(" ", best_start)
        best_start = space + 1 if 0 <= space < best_start + 20 else best_start
    end = min(len(text), best_start + size)
    if end < len(text):
        space = text.rfind(" ", best_start, end)
        end = space if space > best_start + size // 2 else end
    prefix = "…" if best_start else ""
    body = text[best_start:end]
    out = prefix + body + ("…" if end < len(text) else "")
    shift = len(prefix) - best_start
    return out, tuple(Span(a + shift, b + shift) for a, b in spans if a >= best_start and b <= end)


def _hit(
    engine: Engine, stored: dict[str, Any], score: float, highlight: set[str], *, pinned: bool = False
) -> SearchHit:
    doc_type = str(stored.get("doc_type", ""))
    text = clean_text(str(stored.get("text", "")), doc_type)
    # A provision whose own words do not stand alone (none: a section whose words are all in its
    # sub-sections; or a lead-in "... who—") shows them with its sub-provisions', each after its
    # label, as the index keeps them.
    quoted = clean_text(str(stored.get("quoted", "")))
    shown, spans = snippet(engine, quoted or text, highlight)
    return SearchHit(
        ref=str(stored["ref"]),
        score=score,
        doc_type=doc_type,
        jurisdiction=str(stored.get("jurisdiction", "")),
        act=str(stored.get("act", "")),
        body=str(stored.get("body", "")),
        kind=str(stored.get("kind", "")),
        heading=clean_text(str(stored.get("heading", ""))),
        snippet=shown,
        text=text,
        topics=tuple(x for x in str(stored.get("topics", "")).split(",") if x),
        pinned=pinned,
        matches=spans,
        snippet_below=bool(quoted),
    )


__all__ = [
    "FACET_FIELDS",
    "SEARCH_FIELDS",
    "SearchHit",
    "SearchRequest",
    "SearchResults",
    "check_query",
    "find_citations",
    "run_query",
    "search",
]
