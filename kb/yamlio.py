"""YAML loading that remembers line numbers, so data errors can name file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kb.errors import ReferenceDataError


class LineMap(dict):
    """A YAML mapping that remembers where it and each of its keys stand in the file (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineSeq(list):
    """A YAML sequence that remembers its line and each item's line."""

    line: int = 0
    item_lines: list[int]


# Bounds for hand-written YAML: the largest curated file is ~200 KB and uses no aliases; a 1 KB
# "billion laughs" of nested aliases once ran 49 s into a MemoryError.
MAX_YAML_BYTES = 4 << 20
MAX_ALIASES = 64


class _LineLoader(yaml.SafeLoader):
    path: str = ""
    aliases: int = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise ReferenceDataError(
                    f"more than {MAX_ALIASES} YAML aliases (*name); write the values out",
                    path=self.path,
                    line=mark.line + 1,
                )
        return super().compose_node(parent, index)


def count_aliases(text: str, path: Path | str, first_line: int = 1) -> None:
    """Refuse text with more aliases than hand-written data needs, before anything is built from it."""
    count = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                count += 1
                if count > MAX_ALIASES:
                    raise ReferenceDataError(
                        f"more than {MAX_ALIASES} YAML aliases (*name); write the values out",
                        path=path,
                        line=first_line + event.start_mark.line,
                    )
    except yaml.YAMLError:
        return  # the real loader reports it, with its line


def read_bounded(path: Path | str, limit: int, what: str = "file") -> bytes:
    """A regular file's bytes, refusing FIFOs, devices and anything over ``limit`` in one line."""
    import os
    import stat

    try:
        with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NONBLOCK)) as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise ReferenceDataError(f"the {what} is not a regular file (a FIFO or a device?)", path=path)
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ReferenceDataError(f"cannot read: {exc.strerror or type(exc).__name__}", path=path) from None
    if len(data) > limit:
        raise ReferenceDataError(f"the {what} is larger than {limit >> 10} KB; is this the right file?", path=path)
    return data


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    result = LineMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise ReferenceDataError(f"key {key!r} is not text", path=loader.path, line=line)
        if key in result:
            # SafeLoader would silently keep the last value; a curated file must not say two things.
            raise ReferenceDataError(f"key {key!r} given twice in one entry", path=loader.path, line=line, field=key)
        try:
            result[key] = loader.construct_object(value_node, deep=True)
        except ReferenceDataError as exc:
            # A bad scalar (a date) is found below the key: name the key it belongs to.
            exc.field = exc.field or key
            raise
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> LineSeq:
    result = LineSeq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> date:
    try:
        value = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise ReferenceDataError(
            f"bad date {node.value!r}: {exc}", path=loader.path, line=node.start_mark.line + 1
        ) from None
    # Dates only: a time of day in a statute's date is a typing slip.
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise ReferenceDataError(
            f"bad date {node.value!r}: give YYYY-MM-DD", path=loader.path, line=node.start_mark.line + 1
        )
    return value


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(path: Path) -> Any:
    """Load a YAML file; any error becomes a one-line ReferenceDataError naming file and line."""
    raw = read_bounded(path, MAX_YAML_BYTES, "YAML file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"cannot read: not UTF-8 ({exc.reason})", path=path) from None
    loader = _LineLoader(text)
    loader.path = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ReferenceDataError(
            f"invalid YAML: {exc.problem or exc.context}", path=path, line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"invalid YAML: {exc}", path=path) from None
    finally:
        loader.dispose()


def line_of(value: Any) -> int | None:
    return getattr(value, "line", None)


def check_keys(entry: Any, allowed: set[str], required: set[str], path: Path, what: str) -> None:
    """Refuse unknown and missing keys, naming the entry's line."""
    if not isinstance(entry, dict):
        raise ReferenceDataError(f"each {what} must be a mapping", path=path, line=line_of(entry))
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ReferenceDataError(
            f"unknown key {unknown[0]!r} in {what}; allowed: {', '.join(sorted(allowed))}",
            path=path,
            line=line_of(entry),
            field=unknown[0],
        )
    missing = sorted(required - set(entry))
    if missing:
        raise ReferenceDataError(f"{what} lacks {missing[0]!r}", path=path, line=line_of(entry), field=missing[0])
