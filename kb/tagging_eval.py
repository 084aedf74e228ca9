"""Score the build's topic tags against hand judgments (tests/fixtures/tagging/judgments.yaml).

Judgments name, for each provision (by canonical citation), the most specific topics a careful
reader would give it. Tags are compared at that level: a topic that is an ancestor of another
topic in the same set is dropped from both sides, because the tagger adds ancestors implicitly
and counting them would reward every pattern for the parents it drags along.

Precision and recall are micro-averaged over (provision, topic) pairs, so a provision with
three judged topics weighs three times one with a single topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from kb.errors import ReferenceDataError
from kb.knowledge import KnowledgeBase
from kb.store import tables as t
from kb.topics import Ontology
from kb.yamlio import load_yaml


@dataclass(frozen=True)
class Mismatch:
    citation: str
    extra: frozenset[str]  # tagged but not judged correct (false positives)
    missing: frozenset[str]  # judged correct but not tagged (false negatives)


@dataclass(frozen=True)
class TaggingScore:
    provisions: int
    true_positives: int
    false_positives: int
    false_negatives: int
    mismatches: tuple[Mismatch, ...] = field(default=())

    @property
    def precision(self) -> float:
        tagged = self.true_positives + self.false_positives
        return self.true_positives / tagged if tagged else 1.0

    @property
    def recall(self) -> float:
        judged = self.true_positives + self.false_negatives
        return self.true_positives / judged if judged else 1.0

    def summary(self) -> str:
        return (
            f"tagging over {self.provisions} judged provisions: precision {self.precision:.3f} "
            f"({self.true_positives}/{self.true_positives + self.false_positives}), recall "
            f"{self.recall:.3f} ({self.true_positives}/{self.true_positives + self.false_negatives})"
        )


def load_judgments(path: Path, ontology: Ontology) -> dict[str, frozenset[str]]:
    """citation -> judged topics; an unknown topic is a data error naming the citation."""
    data = load_yaml(path) or {}
    entries = data.get("judgments") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise ReferenceDataError("expected a mapping 'judgments: {citation: [topic, ...]}'", path=path)
    out: dict[str, frozenset[str]] = {}
    for citation, topics in entries.items():
        unknown = [topic for topic in topics or [] if topic not in ontology.topics]
        if unknown:
            raise ReferenceDataError(f"{citation}: unknown topic {unknown[0]!r}", path=path, field="judgments")
        out[str(citation)] = frozenset(topics or ())
    return out


def most_specific(topics: set[str] | frozenset[str], ontology: Ontology) -> frozenset[str]:
    """The topics that are not an ancestor of another topic in the set."""
    implied = {ancestor for topic in topics if topic in ontology.topics for ancestor in ontology.ancestors(topic)}
    return frozenset(topics) - implied


def build_tags(kb: KnowledgeBase, citations: list[str]) -> dict[str, set[str]]:
    """The stored tags of each cited provision; a citation missing from the build is an error,
    since a silently skipped judgment would inflate the score."""
    with kb.session() as session:
        rows = session.execute(select(t.Provision.ref, t.Provision.topics).where(t.Provision.ref.in_(citations))).all()
    found = {ref: set(topics or ()) for ref, topics in rows}
    missing = [c for c in citations if c not in found]
    if missing:
        raise ReferenceDataError(
            f"judged provisions not in the knowledge base: {', '.join(missing[:5])}"
            + (f" (+{len(missing) - 5} more)" if len(missing) > 5 else "")
        )
    return found


def score(judgments: dict[str, frozenset[str]], tags: dict[str, set[str]], ontology: Ontology) -> TaggingScore:
    tp = fp = fn = 0
    mismatches = []
    for citation, judged in judgments.items():
        gold = most_specific(judged, ontology)
        got = most_specific(tags.get(citation, set()), ontology)
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        if gold != got:
            mismatches.append(Mismatch(citation, got - gold, gold - got))
    return TaggingScore(len(judgments), tp, fp, fn, tuple(mismatches))


def evaluate(kb: KnowledgeBase, judgments_path: Path, ontology: Ontology) -> TaggingScore:
    judgments = load_judgments(judgments_path, ontology)
    return score(judgments, build_tags(kb, list(judgments)), ontology)
