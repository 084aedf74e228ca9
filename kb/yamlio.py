"""YAML loading that remembers line numbers, so data errors can name file and line.

The one loader of curated data (corpus/*.yaml, rules, agendas, judged queries, the user's overlay)
and of notes' front matter: :func:`load_yaml` / :func:`load_yaml_text` give mappings and lists
that know their lines, and :class:`Entry` reads one mapping's fields with typed checks whose
every complaint names file, line and field.

Why not pydantic: the errors we need name the YAML line of the offending key, which pydantic's
validation errors (locations by field path) cannot give without this line map anyway, and the
rules are few (text, choice, whole number, date, flag, list of text).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, Literal, overload

import yaml

from kb.errors import ReferenceDataError, SeckbError


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
    offset: int = 1  # file line of the text's first line (front matter starts on line 2)
    error: type[SeckbError] = ReferenceDataError

    aliases: int = 0

    def file_line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.offset

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise self.error(
                    f"more than {MAX_ALIASES} YAML aliases (*name); write the values out",
                    path=self.path,
                    line=mark.line + self.offset,
                )
        return super().compose_node(parent, index)


# libyaml parses and composes about ten times faster than the pure-Python parser (a cold `seckb
# search` spent 0.6 s loading the vocabulary); its nodes carry the same marks, so lines are kept.
# It composes in C, so its aliases are counted from its event stream before loading.
_CLoader: Any = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLineLoader(yaml.CSafeLoader):
        path: str = ""
        offset: int = 1
        error: type[SeckbError] = ReferenceDataError
        file_line = _LineLoader.file_line

    _CLoader = _CLineLoader


def _count_c_aliases(text: str, path: Path | str, first_line: int, error: type[SeckbError]) -> None:
    count = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            if count > MAX_ALIASES:
                line = first_line + (event.start_mark.line if event.start_mark else 0)
                raise error(f"more than {MAX_ALIASES} YAML aliases (*name); write the values out", path=path, line=line)


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
                        line=first_line + (event.start_mark.line if event.start_mark else 0),
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
    result.line = loader.file_line(node)
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = loader.file_line(key_node)
        if not isinstance(key, str):
            raise loader.error(f"key {key!r} is not text", path=loader.path, line=line)
        if key in result:
            # SafeLoader would silently keep the last value; a curated file must not say two things.
            raise loader.error(f"key {key!r} given twice in one entry", path=loader.path, line=line, field=key)
        try:
            result[key] = loader.construct_object(value_node, deep=True)
        except SeckbError as exc:
            # A bad scalar (a date) is found below the key: name the key it belongs to.
            exc.field = exc.field or key
            raise
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> LineSeq:
    result = LineSeq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = loader.file_line(node)
    result.item_lines = [loader.file_line(child) for child in node.value]
    return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> date:
    try:
        value = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise loader.error(f"bad date {node.value!r}: {exc}", path=loader.path, line=loader.file_line(node)) from None
    # Dates only: a time of day in a statute's date is a typing slip.
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise loader.error(f"bad date {node.value!r}: give YYYY-MM-DD", path=loader.path, line=loader.file_line(node))
    return value


for _loader in (_LineLoader, _CLoader):
    if _loader is not None:
        _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
        _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
        _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(path: Path) -> Any:
    """Load a YAML file; any error becomes a one-line ReferenceDataError naming file and line."""
    raw = read_bounded(path, MAX_YAML_BYTES, "YAML file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"cannot read: not UTF-8 ({exc.reason})", path=path) from None
    return load_yaml_text(text, path)


def load_yaml_text(
    text: str,
    path: Path | str,
    *,
    first_line: int = 1,
    error: type[SeckbError] = ReferenceDataError,
    what: str = "YAML",
) -> Any:
    """Load YAML text that starts on ``first_line`` of ``path``; errors are ``error`` naming that line."""
    loader: Any = None
    try:
        if _CLoader is not None:
            _count_c_aliases(text, path, first_line, error)
        loader = (_CLoader or _LineLoader)(text)
        loader.path = str(path)
        loader.offset = first_line
        loader.error = error
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "unreadable"
        if exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
            # An unclosed bracket is noticed lines later; name where the construct began too.
            problem += f" ({exc.context or 'begun'} on line {exc.context_mark.line + first_line})"
        raise error(
            f"invalid {what}: {problem}", path=path, line=mark.line + first_line if mark else first_line
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid {what}: {exc}", path=path) from None
    finally:
        if loader is not None:
            loader.dispose()


def plain(value: Any) -> Any:
    """``value`` with LineMaps and LineSeqs turned back into dicts and lists (for yaml.safe_dump)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


class Entry:
    """Typed access to one YAML mapping; every complaint names file, line and field.

    ``Entry(path, mapping, "act", allowed_fields)`` refuses unknown fields at once, unless
    ``unknown="keep"``: then they are listed in ``unknown`` for the caller to report as warnings.
    """

    def __init__(
        self,
        path: Path,
        mapping: Any,
        where: str,
        allowed: Iterable[str],
        line: int = 0,
        *,
        error: type[SeckbError] = ReferenceDataError,
        unknown: str = "refuse",
        qualify: bool = True,
    ) -> None:
        self.path = path
        self.where = where
        self.error_type = error
        self.qualify = qualify  # name fields "act.title" (catalogue) or just "title" (notes)
        if not isinstance(mapping, LineMap):
            raise error(f"{where} must be a mapping of fields", path=path, line=line or None)
        self.mapping = mapping
        self.line = mapping.line
        allowed = tuple(allowed)
        self.unknown = [k for k in mapping if k not in allowed]
        if self.unknown and unknown == "refuse":
            key = self.unknown[0]
            raise self.error(key, f"unknown field {key!r}; allowed: {', '.join(allowed)}")

    def line_of(self, key: str) -> int:
        return self.mapping.key_lines.get(key, self.line)

    def error(self, key: str | None, message: str, line: int | None = None) -> SeckbError:
        field = (f"{self.where}.{key}" if self.qualify else key) if key else self.where
        return self.error_type(
            message, path=self.path, line=line or (self.line_of(key) if key else self.line), field=field
        )

    @overload
    def text(self, key: str) -> str: ...
    @overload
    def text(self, key: str, required: Literal[True]) -> str: ...
    @overload
    def text(self, key: str, required: bool) -> str | None: ...

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.mapping.get(key)
        if value is None or value == "":
            if required:
                raise self.error(key, f"missing required field {key!r}", line=self.line)
            return None
        if not isinstance(value, str):
            raise self.error(key, f"{key} must be text, got {value!r} (quote it)")
        return value.strip()

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(key, required=default is None) or default
        if value not in choices:
            raise self.error(key, f"unknown {key} {value!r}; one of: {', '.join(choices)}")
        return value

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.error(key, f"{key} must be a whole number from {low} to {high}, got {value!r}")
        return value

    def date(self, key: str) -> date | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, date):
            raise self.error(key, f"bad date {value!r}: give YYYY-MM-DD")
        return value

    def flag(self, key: str) -> bool:
        value = self.mapping.get(key, False)
        if not isinstance(value, bool):
            raise self.error(key, f"{key} must be true or false, got {value!r}")
        return value

    def texts(self, key: str) -> tuple[tuple[str, int], ...]:
        """A list of text items with the line of each."""
        value = self.mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, LineSeq):
            raise self.error(key, f"{key} must be a list")
        items = []
        for item, line in zip(value, value.item_lines):
            if not isinstance(item, str) or not item.strip():
                raise self.error(key, f"{key} entries must be text, got {item!r} (quote it)", line=line)
            items.append((item.strip(), line))
        return tuple(items)

    def entries(self, key: str) -> tuple[tuple[Any, int], ...]:
        value = self.mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, LineSeq):
            raise self.error(key, f"{key} must be a list")
        return tuple(zip(value, value.item_lines))


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
