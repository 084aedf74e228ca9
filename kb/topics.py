"""The eligibility ontology (corpus/topics.yaml): topics, rule keys, tagging patterns.

Provisions are tagged at build time: a provision gets a topic when one of the topic's patterns
matches its heading or text, plus the manual overrides in corpus/topic_overrides.yaml. A tag
implies the topic's ancestors, so a search for ``candidate-disqualification`` finds a clause
tagged only ``two-child-norm``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kb.errors import ReferenceDataError
from kb.yamlio import check_keys, line_of, load_yaml

RULE_TYPES = ("yes_no", "number", "level", "text", "date")
ROLES = ("elector", "candidate", "authority")


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    parent: str | None
    description: str
    synonyms: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    # Words that must also stand in the provision, its section heading or its ancestors' words for a
    # pattern's match to count: "toilet" tags the candidate's toilet, not Art. 268's "toilet
    # preparations"; a conviction or unpaid tax tags eligibility, not a licence or a recovery.
    context: re.Pattern[str] | None = None

    @property
    def matcher(self) -> re.Pattern[str] | None:
        """All patterns as one alternation: one regex search per provision instead of one per pattern."""
        return _combined(self.patterns)


@dataclass(frozen=True)
class RuleKey:
    key: str
    label: str
    topic: str
    role: str
    type: str
    description: str


@dataclass(frozen=True)
class Override:
    citation: str
    add: tuple[str, ...]
    remove: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Ontology:
    topics: dict[str, Topic]
    rules: dict[str, RuleKey]
    overrides: tuple[Override, ...]

    def ancestors(self, topic_id: str) -> list[str]:
        out: list[str] = []
        parent = self.topics[topic_id].parent
        while parent:
            out.append(parent)
            parent = self.topics[parent].parent
        return out

    def descendants(self, topic_id: str) -> set[str]:
        found = {topic_id}
        changed = True
        while changed:
            changed = False
            for topic in self.topics.values():
                if topic.parent in found and topic.id not in found:
                    found.add(topic.id)
                    changed = True
        return found

    def leaves(self) -> set[str]:
        """Topics no other topic names as its parent: the narrow ones ("two-child-norm", not
        "candidate-disqualification")."""
        parents = {topic.parent for topic in self.topics.values() if topic.parent}
        return set(self.topics) - parents

    def match(self, heading: str, text: str, around: str = "") -> set[str]:
        """Topics whose own patterns match (without the ancestors they imply); ``around`` is the
        section heading and the ancestors' words, where a topic's ``context`` may stand instead."""
        haystack = f"{heading}\n{text}"
        return {
            topic.id
            for topic in self.topics.values()
            if topic.matcher
            and topic.matcher.search(haystack)
            and (topic.context is None or topic.context.search(f"{haystack}\n{around}"))
        }

    def tag(self, heading: str, text: str, around: str = "") -> set[str]:
        """Topics whose patterns match, with their ancestors."""
        return self.with_ancestors(self.match(heading, text, around))

    def with_ancestors(self, topic_ids: set[str]) -> set[str]:
        out = set(topic_ids)
        for topic_id in topic_ids:
            out.update(self.ancestors(topic_id))
        return out

    def rule(self, key: str) -> RuleKey:
        if key not in self.rules:
            raise ReferenceDataError(
                f"unknown rule {key!r}; known rules: {', '.join(sorted(self.rules))}", field="--rule"
            )
        return self.rules[key]

    def topic(self, topic_id: str) -> Topic:
        if topic_id not in self.topics:
            raise ReferenceDataError(
                f"unknown topic {topic_id!r}; known topics: {', '.join(sorted(self.topics))}", field="--topic"
            )
        return self.topics[topic_id]

    def synonyms(self) -> dict[str, tuple[str, ...]]:
        """Phrase -> alternatives, for query expansion: every synonym set is symmetric."""
        out: dict[str, tuple[str, ...]] = {}
        for topic in self.topics.values():
            group = [topic.label.lower(), *[s.lower() for s in topic.synonyms]]
            for phrase in group[1:]:
                out[phrase] = tuple(p for p in group if p != phrase)
        return out


def match_all(ontology: Ontology, texts: list[tuple[str, str, str]]) -> list[set[str]]:
    """``ontology.match`` for each (heading, text, around); a module function, so a worker process
    can run it."""
    return [ontology.match(heading, text, around) for heading, text, around in texts]


@functools.cache
def _combined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


def _context(entry: dict, topic_id: str, path: Path) -> re.Pattern[str] | None:
    context = entry.get("context")
    if context is None:
        return None
    try:
        return re.compile(str(context), re.IGNORECASE)
    except re.error as exc:
        raise ReferenceDataError(
            f"bad context {context!r} in topic {topic_id}: {exc}", path=path, line=line_of(entry), field="context"
        ) from None


def load_ontology(corpus_dir: Path) -> Ontology:
    path = corpus_dir / "topics.yaml"
    data = load_yaml(path)
    check_keys(data, {"topics", "rules"}, {"topics", "rules"}, path, "topics file")
    topics: dict[str, Topic] = {}
    for entry in data["topics"] or []:
        check_keys(
            entry,
            {"id", "label", "parent", "description", "synonyms", "patterns", "context"},
            {"id", "label"},
            path,
            "topic",
        )
        topic_id = str(entry["id"])
        if topic_id in topics:
            raise ReferenceDataError(f"duplicate topic id {topic_id!r}", path=path, line=line_of(entry), field="id")
        patterns = []
        for pattern in entry.get("patterns") or []:
            try:
                patterns.append(re.compile(pattern, re.IGNORECASE))
            except re.error as exc:
                raise ReferenceDataError(
                    f"bad pattern {pattern!r} in topic {topic_id}: {exc}",
                    path=path,
                    line=line_of(entry),
                    field="patterns",
                ) from None
        topics[topic_id] = Topic(
            topic_id,
            str(entry["label"]),
            entry.get("parent"),
            str(entry.get("description") or ""),
            tuple(entry.get("synonyms") or ()),
            tuple(patterns),
            _context(entry, topic_id, path),
        )
    for topic in topics.values():
        if topic.parent is not None and topic.parent not in topics:
            raise ReferenceDataError(
                f"topic {topic.id!r} has unknown parent {topic.parent!r}", path=path, field="parent"
            )
    rules: dict[str, RuleKey] = {}
    for entry in data["rules"] or []:
        check_keys(
            entry,
            {"key", "label", "topic", "role", "type", "description"},
            {"key", "label", "topic", "role", "type"},
            path,
            "rule",
        )
        key = str(entry["key"])
        if key in rules:
            raise ReferenceDataError(f"duplicate rule key {key!r}", path=path, line=line_of(entry), field="key")
        if entry["topic"] not in topics:
            raise ReferenceDataError(
                f"rule {key!r} names unknown topic {entry['topic']!r}", path=path, line=line_of(entry), field="topic"
            )
        if entry["type"] not in RULE_TYPES:
            raise ReferenceDataError(
                f"rule {key!r} has type {entry['type']!r}; use one of {', '.join(RULE_TYPES)}",
                path=path,
                line=line_of(entry),
                field="type",
            )
        if entry["role"] not in ROLES:
            raise ReferenceDataError(
                f"rule {key!r} has role {entry['role']!r}; use one of {', '.join(ROLES)}",
                path=path,
                line=line_of(entry),
                field="role",
            )
        rules[key] = RuleKey(
            key,
            str(entry["label"]),
            str(entry["topic"]),
            str(entry["role"]),
            str(entry["type"]),
            str(entry.get("description") or ""),
        )
    overrides = _load_overrides(corpus_dir / "topic_overrides.yaml", topics)
    return Ontology(topics, rules, overrides)


def _load_overrides(path: Path, topics: dict[str, Topic]) -> tuple[Override, ...]:
    if not path.exists():
        return ()
    data = load_yaml(path) or []
    if isinstance(data, dict):
        data = data.get("overrides") or []
    out = []
    for entry in data:
        check_keys(entry, {"citation", "add", "remove", "reason"}, {"citation", "reason"}, path, "override")
        for topic_id in [*(entry.get("add") or []), *(entry.get("remove") or [])]:
            if topic_id not in topics:
                raise ReferenceDataError(f"unknown topic {topic_id!r}", path=path, line=line_of(entry))
        out.append(
            Override(
                str(entry["citation"]),
                tuple(entry.get("add") or ()),
                tuple(entry.get("remove") or ()),
                str(entry["reason"]),
            )
        )
    return tuple(out)
