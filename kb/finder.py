"""The rule finder: proposes comparison cells from the topic-tagged provisions of every Act held.

A proposal (a :class:`Candidate`) is never a verified rule: it says which provision appears to
state a rule, with the provision's own words as the quote, the value the words give, and the id
of the pattern that found it, so a reviewer can accept, edit or reject it (:mod:`kb.review`).

The patterns are data (``corpus/finder.yaml``); this module only applies them:

1. a provision is looked at for a rule key only when build-time tagging gave it the key's topic
   (or a topic the pattern names);
2. a pattern's ``text`` regex must match the provision's own words (its lead-in, not its
   children's), its ``heading`` regex the section heading, its ``context`` regex the headings and
   lead-ins of the provisions above it; ``unless`` vetoes;
3. named groups become the typed value (``age`` → 21, ``cut_off_date`` → a date, ``standard`` → 7);
4. per Act and key only the best-ranked patterns' matches are kept, and a provision inside
   another match of the same key is dropped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import settings
from kb.errors import ReferenceDataError
from kb.refs import ORDINALS
from kb.store import tables as t
from kb.topics import Ontology, load_ontology
from kb.vocab import Body
from kb.yamlio import check_keys, line_of, load_yaml

FINDER_FILE = "finder.yaml"
Fact = tuple[str, int | str | dt.date]


@dataclass(frozen=True)
class Candidate:
    """One proposed cell: ``value`` for ``key`` in ``jurisdiction``/``body``, resting on ``citation``.

    Example: ``Candidate("MN", "panchayat", "candidate_min_age", "MN-PRA-1994",
    "MN-PRA-1994 s.101(1)(a)", "21", (("age", 21),), "if he has not attained the age of twenty-one
    years;", "candidate_min_age.attained-the-age")``
    """

    jurisdiction: str
    body: str
    key: str
    act_id: str
    citation: str  # canonical ProvisionRef string
    value: str
    typed_value: tuple[Fact, ...]  # (name, value) pairs read from the words, e.g. (("age", 21),)
    quote: str  # the provision's own words, verbatim (whitespace folded)
    found_by: str  # pattern id in corpus/finder.yaml

    def typed(self) -> dict[str, int | str | dt.date]:
        return dict(self.typed_value)


@dataclass(frozen=True)
class Pattern:
    id: str
    key: str
    text: re.Pattern[str] | None
    heading: re.Pattern[str] | None
    context: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    topics: tuple[str, ...]  # empty: the key's own topic
    kinds: tuple[str, ...]
    value: str
    rank: int
    below: re.Pattern[str] | None = None  # must match the words of the provisions under it
    cite_parent: bool = False  # the match is a proviso or clause; the rule is its parent's


@dataclass(frozen=True)
class FinderPatterns:
    patterns: tuple[Pattern, ...]

    def for_key(self, key: str) -> list[Pattern]:
        return [p for p in self.patterns if p.key == key]


# --- loading corpus/finder.yaml ------------------------------------------------------------------

_PATTERN_KEYS = {"id", "text", "heading", "context", "below", "unless", "topics", "kinds", "value", "rank", "cite"}
_MACRO_RE = re.compile(r"<<(\w+)>>")


def load_patterns(corpus_dir: Path | None = None, ontology: Ontology | None = None) -> FinderPatterns:
    corpus_dir = corpus_dir or settings.corpus_dir()
    ontology = ontology or load_ontology(corpus_dir)
    path = corpus_dir / FINDER_FILE
    if not path.exists():
        return FinderPatterns(())  # a corpus without finder patterns: nothing is proposed
    data = load_yaml(path)
    check_keys(data, {"macros", "rules"}, {"rules"}, path, "finder file")
    macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    seen: set[str] = set()
    out: list[Pattern] = []
    for key, spec in (data["rules"] or {}).items():
        if key not in ontology.rules:
            raise ReferenceDataError(
                f"unknown rule key {key!r} (see corpus/topics.yaml)", path=path, line=line_of(spec), field="rules"
            )
        check_keys(spec, {"value", "patterns"}, {"patterns"}, path, f"finder rule {key}")
        default_value = str(spec.get("value") or _default_value(ontology.rules[key].type))
        for entry in spec["patterns"] or []:
            check_keys(entry, _PATTERN_KEYS, {"id"}, path, "finder pattern")
            line = line_of(entry)
            pattern_id = f"{key}.{entry['id']}"
            if pattern_id in seen:
                raise ReferenceDataError(f"duplicate pattern id {pattern_id!r}", path=path, line=line, field="id")
            seen.add(pattern_id)
            topics = tuple(str(x) for x in entry.get("topics") or ())
            for topic in topics:
                if topic != "any" and topic not in ontology.topics:
                    raise ReferenceDataError(f"unknown topic {topic!r}", path=path, line=line, field="topics")
            compiled = {
                name: _compile(entry.get(name), macros, path, line, name)
                for name in ("text", "heading", "context", "below", "unless")
            }
            cite = str(entry.get("cite") or "self")
            if cite not in ("self", "parent"):
                raise ReferenceDataError(f"cite {cite!r} is not self or parent", path=path, line=line, field="cite")
            if compiled["text"] is None and compiled["heading"] is None:
                raise ReferenceDataError(
                    f"pattern {pattern_id!r} needs a text or a heading regex", path=path, line=line, field="text"
                )
            out.append(
                Pattern(
                    id=pattern_id,
                    key=str(key),
                    text=compiled["text"],
                    heading=compiled["heading"],
                    context=compiled["context"],
                    unless=compiled["unless"],
                    topics=topics,
                    kinds=tuple(str(x) for x in entry.get("kinds") or ()),
                    value=str(entry.get("value") or default_value),
                    rank=int(entry.get("rank") or 1),
                    below=compiled["below"],
                    cite_parent=cite == "parent",
                )
            )
    return FinderPatterns(tuple(out))


def _default_value(rule_type: str) -> str:
    return "yes" if rule_type == "yes_no" else ""


def _compile(source: Any, macros: dict[str, str], path: Path, line: int | None, field: str) -> re.Pattern[str] | None:
    if source in (None, ""):
        return None

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ReferenceDataError(f"unknown macro <<{name}>>", path=path, line=line, field=field)
        return f"(?:{macros[name]})"

    text = _MACRO_RE.sub(expand, str(source))
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise ReferenceDataError(f"bad regex {source!r}: {exc}", path=path, line=line, field=field) from None


# --- finding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    id: int
    act_id: str
    parent_id: int | None
    ref: str
    kind: str
    heading: str
    text: str
    tail: str
    topics: frozenset[str]
    ord: int


def find_candidates(
    session: Session,
    jurisdictions: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
    *,
    ontology: Ontology | None = None,
    patterns: FinderPatterns | None = None,
) -> list[Candidate]:
    """Candidates for every held Act of ``jurisdictions`` (all when None) and rule ``keys`` (all)."""
    ontology = ontology or load_ontology(settings.corpus_dir())
    patterns = patterns or load_patterns(settings.corpus_dir(), ontology)
    wanted_keys = [k for k in (keys or ontology.rules) if k in ontology.rules]
    acts = _held_acts(session, jurisdictions)
    if not acts or not wanted_keys:
        return []
    out: list[Candidate] = []
    for act_id, (code, act_body) in sorted(acts.items()):
        nodes = _nodes(session, act_id)
        by_id = {n.id: n for n in nodes}
        for key in wanted_keys:
            rule = ontology.rules[key]
            body = Body.SEC.value if rule.role == "authority" else act_body
            key_patterns = patterns.for_key(key)
            if not key_patterns:
                continue
            hits = _match_act(nodes, by_id, key_patterns, rule.topic)
            out.extend(
                Candidate(
                    jurisdiction=code,
                    body=body,
                    key=key,
                    act_id=act_id,
                    citation=node.ref,
                    value=value,
                    typed_value=facts,
                    quote=_fold(matched.text) or _fold(matched.heading),
                    found_by=pattern.id,
                )
                for node, pattern, value, facts, matched in hits
            )
    return out


def _held_acts(session: Session, jurisdictions: Sequence[str] | None) -> dict[str, tuple[str, str]]:
    """Acts whose text is held (a primary document): act id -> (jurisdiction, body)."""
    query = (
        select(t.Act.id, t.Act.jurisdiction_code, t.Act.body)
        .join(t.SourceDocument, t.SourceDocument.act_id == t.Act.id)
        .where(t.SourceDocument.role == "primary")
    )
    if jurisdictions:
        query = query.where(t.Act.jurisdiction_code.in_([j.upper() for j in jurisdictions]))
    return {act_id: (code, body) for act_id, code, body in session.execute(query)}


def _nodes(session: Session, act_id: str) -> list[_Node]:
    rows = session.execute(
        select(
            t.Provision.id,
            t.Provision.act_id,
            t.Provision.parent_id,
            t.Provision.ref,
            t.Provision.kind,
            t.Provision.heading,
            t.Provision.text,
            t.Provision.tail,
            t.Provision.topics,
            t.Provision.ord,
        )
        .where(t.Provision.act_id == act_id, t.Provision.repealed.is_(False))
        .order_by(t.Provision.ord)
    ).all()
    return [
        _Node(
            r.id,
            r.act_id,
            r.parent_id,
            r.ref,
            r.kind,
            r.heading or "",
            r.text or "",
            r.tail or "",
            frozenset(r.topics or ()),
            r.ord,
        )
        for r in rows
    ]


def _match_act(
    nodes: list[_Node], by_id: dict[int, _Node], key_patterns: list[Pattern], topic: str
) -> list[tuple[_Node, Pattern, str, tuple[Fact, ...], _Node]]:
    children: dict[int, list[_Node]] = {}
    for node in nodes:
        if node.parent_id is not None:
            children.setdefault(node.parent_id, []).append(node)
    # (provision cited, pattern, value, typed value, provision whose words matched: a proviso's for its clause)
    hits: list[tuple[_Node, Pattern, str, tuple[Fact, ...], _Node]] = []
    cited: set[int] = set()
    for node in nodes:
        for pattern in key_patterns:
            found = _match(node, by_id, children, pattern, topic)
            if found is None:
                continue
            target = by_id.get(node.parent_id) if pattern.cite_parent and node.parent_id is not None else node
            if target is not None and target.id not in cited:
                cited.add(target.id)
                hits.append((target, pattern, found[0], found[1], node))
            break  # the first pattern of a key that fits a provision names it
    if not hits:
        return []
    best = min(h[1].rank for h in hits)
    hits = [h for h in hits if h[1].rank == best]
    chosen = {h[0].id for h in hits}
    # A clause under a provision already proposed for the key adds nothing the reviewer does not see.
    return [h for h in hits if not (_ancestors(h[0], by_id) & chosen)]


def _ancestors(node: _Node, by_id: dict[int, _Node]) -> set[int]:
    out: set[int] = set()
    parent = node.parent_id
    while parent is not None and parent in by_id:
        out.add(parent)
        parent = by_id[parent].parent_id
    return out


def _match(
    node: _Node, by_id: dict[int, _Node], children: dict[int, list[_Node]], pattern: Pattern, topic: str
) -> tuple[str, tuple[Fact, ...]] | None:
    wanted = pattern.topics or (topic,)
    if "any" not in wanted and not (node.topics & set(wanted)):
        return None
    if pattern.kinds and node.kind not in pattern.kinds:
        return None
    text = _plain(node.text)
    groups: dict[str, str] = {}
    checks: list[tuple[re.Pattern[str] | None, str]] = [(pattern.text, text)]
    if pattern.heading is not None:
        checks.append((pattern.heading, _section_heading(node, by_id)))
    context = _context(node, by_id)
    checks.append((pattern.context, context))
    if pattern.below is not None:
        checks.append((pattern.below, _below(node, children)))
    for regex, haystack in checks:
        if regex is None:
            continue
        found = regex.search(haystack)
        if found is None:
            return None
        groups.update({k: v for k, v in found.groupdict().items() if v and k not in groups})
    if pattern.unless is not None and (pattern.unless.search(text) or pattern.unless.search(context)):
        return None
    facts = tuple((name, _typed(name, words)) for name, words in sorted(groups.items()))
    return _value(pattern.value, dict(facts), groups), facts


def _below(node: _Node, children: dict[int, list[_Node]]) -> str:
    parts: list[str] = []
    stack = list(reversed(children.get(node.id, [])))
    while stack:
        child = stack.pop()
        parts.append(_plain(child.text))
        stack.extend(reversed(children.get(child.id, [])))
    return " | ".join(parts)


def _section_heading(node: _Node, by_id: dict[int, _Node]) -> str:
    while node.parent_id is not None and node.parent_id in by_id:
        node = by_id[node.parent_id]
    return _plain(node.heading)


def _context(node: _Node, by_id: dict[int, _Node]) -> str:
    """The headings and lead-ins above the node, nearest last: 'A person shall be disqualified ... if'."""
    parts: list[str] = []
    parent = node.parent_id
    while parent is not None and parent in by_id:
        above = by_id[parent]
        parts.append(_plain(f"{above.heading} {above.text} {above.tail}"))
        parent = above.parent_id
    return " | ".join(reversed(parts))


def _fold(text: str) -> str:
    return " ".join(text.split())


def _plain(text: str) -> str:
    """Folded text without the brackets amendments leave ("not less than [eighteen years] of age")."""
    return _fold(text.replace("[", "").replace("]", ""))


# --- typed values --------------------------------------------------------------------------------

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_ROMAN = {"i": 1, "v": 5, "x": 10}
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_DATE_WORDS_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?([A-Za-z]+),?\s+(\d{4})")
_DATE_FIGURES_RE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
_MONTH_FIRST_RE = re.compile(r"([A-Za-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def words_to_int(words: str) -> int | None:
    """'twenty-one' -> 21, '21' -> 21, 'six' -> 6, 'seventh' -> 7, 'VIII' -> 8; None when not a number."""
    text = words.strip().lower().replace("\u2011", "-").replace("\u2010", "-")
    digits = re.match(r"(\d+)", text)
    if digits:
        return int(digits.group(1))
    total = 0
    seen = False
    for part in re.split(r"[\s-]+", text):
        if part in _UNITS:
            total += _UNITS[part]
        elif part in _TENS:
            total += _TENS[part]
        elif part in ORDINALS:
            total += ORDINALS[part]
        elif part in ("and", ""):
            continue
        else:
            return _roman(part) if not seen else None
        seen = True
    return total if seen else None


def _roman(text: str) -> int | None:
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


def parse_date(words: str) -> dt.date | None:
    """'12th September, 2001', 'the 1st day of January, 2002', '12-9-2001', 'September 12, 2001'."""
    for regex, order in ((_DATE_WORDS_RE, "dmy"), (_MONTH_FIRST_RE, "mdy")):
        found = regex.search(words)
        if found:
            if order == "dmy":
                day, month_name, year = found.group(1), found.group(2), found.group(3)
            else:
                month_name, day, year = found.group(1), found.group(2), found.group(3)
            month = _MONTHS.get(month_name.lower())
            if month:
                try:
                    return dt.date(int(year), month, int(day))
                except ValueError:
                    return None
    found = _DATE_FIGURES_RE.search(words)
    if found:
        try:
            return dt.date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        except ValueError:
            return None
    return None


def _typed(name: str, words: str) -> int | str | dt.date:
    """A named group's words as a value: numbers for ages, counts, standards and periods; dates."""
    if name.endswith("date"):
        return parse_date(words) or _fold(words)
    if name in ("age", "children", "standard") or name.endswith(("_years", "_months", "_days")):
        number = words_to_int(words)
        return number if number is not None else _fold(words)
    return _fold(words)


def _value(template: str, typed: dict[str, int | str | dt.date], groups: dict[str, str]) -> str:
    """The cell's value from the pattern's template.

    ``{name}`` is a named group's typed value; a ``[...]`` part is dropped when a group it names
    did not take part in the match: "yes[; born after {cut_off_date}]".
    """

    def shown(name: str) -> str:
        value = typed.get(name, groups.get(name, ""))
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def optional(part: re.Match[str]) -> str:
        inner = part.group(1)
        names = re.findall(r"{(\w+)}", inner)
        return inner if all(shown(n) for n in names) else ""

    text = re.sub(r"\[([^\[\]]*)\]", optional, template)
    return _fold(re.sub(r"{(\w+)}", lambda m: shown(m.group(1)), text))


def candidates_by_cell(candidates: Iterable[Candidate]) -> dict[tuple[str, str, str], list[Candidate]]:
    """(jurisdiction, key, body) -> candidates in document order of their Acts, as the finder gave them."""
    out: dict[tuple[str, str, str], list[Candidate]] = {}
    for candidate in candidates:
        out.setdefault((candidate.jurisdiction, candidate.key, candidate.body), []).append(candidate)
    return out
