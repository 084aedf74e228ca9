"""Query synonyms kept as data (corpus/synonyms.yaml): each group's phrases expand to each other."""

from __future__ import annotations

from pathlib import Path

from kb.errors import ReferenceDataError
from kb.yamlio import line_of, load_yaml


def load_synonyms(corpus_dir: Path) -> dict[str, tuple[str, ...]]:
    """Phrase -> the other phrases of its group (lower case)."""
    path = corpus_dir / "synonyms.yaml"
    if not path.exists():
        return {}
    data = load_yaml(path) or {}
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise ReferenceDataError("expected a top-level 'groups:' list of phrase lists", path=path)
    out: dict[str, tuple[str, ...]] = {}
    for group in groups:
        if not isinstance(group, list) or len(group) < 2:
            raise ReferenceDataError("each synonym group is a list of two or more phrases", path=path,
                                     line=line_of(group))
        phrases = [" ".join(str(p).lower().split()) for p in group]
        for phrase in phrases:
            out[phrase] = tuple(dict.fromkeys([*out.get(phrase, ()), *(p for p in phrases if p != phrase)]))
    return out
