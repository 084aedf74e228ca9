"""Query vocabulary kept as data.

corpus/synonyms.yaml: groups of equivalent phrases; a query phrase expands to the OR of its group.
corpus/topics.yaml: each topic's label and synonyms name the topic; a query naming it raises the
provisions tagged with it (kb/query.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from kb.errors import ReferenceDataError
from kb.yamlio import check_keys, line_of, load_yaml

if TYPE_CHECKING:
    from kb.topics import Ontology


def load_synonyms(corpus_dir: Path) -> dict[str, tuple[str, ...]]:
    """Phrase -> the phrases a query for it also searches (lower case).

    An entry is either a list of equivalent phrases (each searches all the others), or a mapping
    ``{phrases: [...], narrower: [...]}``: the phrases are equivalent, and each also searches the
    narrower ones, which do not search back ("minimum age" finds "twenty-one years of age", but
    "twenty-one years of age" must not find "twenty-five years of age").
    """
    path = corpus_dir / "synonyms.yaml"
    if not path.exists():
        return {}
    data = load_yaml(path) or {}
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise ReferenceDataError("expected a top-level 'groups:' list of phrase lists", path=path)
    out: dict[str, tuple[str, ...]] = {}
    for group in groups:
        narrower: list[str] = []
        if isinstance(group, dict):
            unknown = set(group) - {"phrases", "narrower"}
            if unknown or not isinstance(group.get("phrases"), list) or not isinstance(group.get("narrower", []), list):
                raise ReferenceDataError(
                    "a synonym entry is a list of phrases or {phrases: [...], narrower: [...]}"
                    + (f"; unknown key {sorted(unknown)[0]!r}" if unknown else ""),
                    path=path,
                    line=line_of(group),
                )
            narrower = [" ".join(str(p).lower().split()) for p in group.get("narrower") or []]
            group = group["phrases"]
        if not isinstance(group, list) or len(group) + len(narrower) < 2:
            raise ReferenceDataError(
                "each synonym group is a list of two or more phrases", path=path, line=line_of(group)
            )
        phrases = [" ".join(str(p).lower().split()) for p in group]
        for phrase in phrases:
            also = [*(p for p in phrases if p != phrase), *narrower]
            out[phrase] = tuple(dict.fromkeys([*out.get(phrase, ()), *also]))
    return out


def normalise_phrase(phrase: str) -> str:
    """Lower case words only: "Two-child norm" and "two child norm" are one phrase."""
    return " ".join(re.findall(r"\w+", phrase.lower()))


def topic_phrases(ontology: Ontology) -> dict[str, tuple[str, ...]]:
    """Topic id -> the phrases that name it (label and synonyms, corpus/topics.yaml).

    Only topics without sub-topics: a tag implies its ancestors, so naming a broad topic
    ("candidate") would raise half the corpus, while naming a leaf ("two-child norm") is precise.
    """
    leaves = ontology.leaves()
    out: dict[str, tuple[str, ...]] = {}
    for topic in ontology.topics.values():
        if topic.id not in leaves:
            continue
        names = [normalise_phrase(p) for p in (topic.label, *topic.synonyms)]
        out[topic.id] = tuple(dict.fromkeys(n for n in names if n))
    return out


def load_word_families(corpus_dir: Path) -> dict[str, tuple[tuple[str, str], ...]]:
    """corpus/word_families.yaml: list name (derivations, spellings) -> pairs of stem endings."""
    path = corpus_dir / "word_families.yaml"
    if not path.exists():
        return {"derivations": (), "spellings": ()}
    data = load_yaml(path) or {}
    check_keys(data, {"derivations", "spellings"}, set(), path, "word families file")
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for name in ("derivations", "spellings"):
        entries = data.get(name) or []
        if not isinstance(entries, list):
            raise ReferenceDataError(f"'{name}' must be a list of [ending, ending] pairs", path=path)
        pairs = []
        for entry in entries:
            if (
                not isinstance(entry, list)
                or len(entry) != 2
                or not all(isinstance(e, str) and re.fullmatch(r"[a-z]*", e) for e in entry)
                or entry[0] == entry[1]
            ):
                raise ReferenceDataError(
                    f"each entry of '{name}' is a pair of two different lower-case stem endings, such as [nc, nt]",
                    path=path,
                    line=line_of(entry) or line_of(entries),
                    field=name,
                )
            pairs.append((str(entry[0]), str(entry[1])))
        out[name] = tuple(pairs)
    return out
