"""YAML loading that remembers line numbers, so data errors can name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kb.errors import ReferenceDataError


class LineMap(dict):
    """A mapping loaded from YAML that knows the line it started on (1-based)."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    mapping = LineMap()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise ReferenceDataError(f"duplicate key {key!r}", line=key_node.start_mark.line + 1)
        mapping[key] = loader.construct_object(value_node, deep=True)
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Load a YAML file; any syntax error becomes a one-line ReferenceDataError naming file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"cannot read: {exc}", path=path) from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except ReferenceDataError as exc:
        raise ReferenceDataError(exc.message, path=path, line=exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ReferenceDataError(f"invalid YAML: {problem}", path=path,
                                 line=mark.line + 1 if mark else None) from None


def line_of(value: Any) -> int | None:
    return getattr(value, "line", None)


def check_keys(entry: Any, allowed: set[str], required: set[str], path: Path, what: str) -> None:
    """Refuse unknown and missing keys, naming the entry's line."""
    if not isinstance(entry, dict):
        raise ReferenceDataError(f"each {what} must be a mapping", path=path, line=line_of(entry))
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ReferenceDataError(f"unknown key {unknown[0]!r} in {what}; allowed: {', '.join(sorted(allowed))}",
                                 path=path, line=line_of(entry), field=unknown[0])
    missing = sorted(required - set(entry))
    if missing:
        raise ReferenceDataError(f"{what} lacks {missing[0]!r}", path=path, line=line_of(entry), field=missing[0])
