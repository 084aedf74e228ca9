"""The curated catalogue: jurisdictions, Acts and their source documents.

``load_reference()`` reads ``corpus/jurisdictions.yaml`` and ``corpus/acts.yaml``, validates
them and answers look-ups by what users type::

    ref = load_reference()
    ref.jurisdiction("Orissa").code          # 'OD'
    ref.act("mh vpa 1959").id                # 'MH-VPA-1959'
    [a.id for a in ref.acts_for("MN")]
    for act, source in ref.sources(): ...

Every problem in the YAML raises :class:`kb.errors.ReferenceDataError` naming the file, the
line and the field, so a user editing the catalogue sees one line, never a traceback.

The files are read through :class:`_Builder`, which takes any number of acts files in turn and
checks each entry against everything added before. A user's own overlay (``seckb add``) is one
more ``add_acts`` call: ``<data>/user-corpus/acts.yaml`` lists new Acts in the same schema, and
entries ``extend: KA-KPRA-1993`` that add sources to a catalogued Act. Its files live in the
user-corpus folder and are named ``user-corpus/<file>`` in the knowledge base, so they can never
be mistaken for (or collide with) a file of the shared sources folder.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from kb.errors import ReferenceDataError, SeckbError
from kb.vocab import TOP_LEVEL_KINDS, Body, choices
from kb.yamlio import Entry, LineSeq, load_yaml

__all__ = [
    "BODIES",
    "FORMATS",
    "JURISDICTION_TYPES",
    "KINDS",
    "ROLES",
    "USER_ACTS_FILE",
    "USER_PREFIX",
    "Act",
    "Jurisdiction",
    "Reference",
    "ReferenceLookupError",
    "Source",
    "default_corpus_dir",
    "default_sources_dir",
    "load_reference",
    "normalise_act_key",
    "normalise_jurisdiction_key",
]

# Source.file of a user's document: its path inside the user-corpus folder under this prefix.
USER_PREFIX = "user-corpus/"
USER_ACTS_FILE = "acts.yaml"

# The reader names of indexer.readers.READERS; kept here because kb must not import indexer.
FORMATS = (
    "indiacode-md",
    "indiankanoon-xml",
    "constitution-json",
    "indiacode-sections-json",
    "indiacode-html",
    "pdf",
    "excerpt-txt",
    "akn-xml",
)
ROLES = ("primary", "alternate", "metadata")
BODIES = tuple(choices(Body))
KINDS = tuple(kind.value for kind in TOP_LEVEL_KINDS)
JURISDICTION_TYPES = ("state", "ut", "central")

_ID_RE = re.compile(r"^(?P<juris>[A-Z]{2})-(?P<abbr>[A-Z0-9]+)(?:-(?P<year>\d{4}))?$")
_CODE_RE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    type: str  # state | ut | central
    catalogue_key: str
    sec_name: str
    aliases: tuple[str, ...] = ()
    comment: str = ""
    created_on: date | None = None  # States/UTs formed after 26 January 1950 (e.g. Telangana 2014-06-02)


@dataclass(frozen=True)
class Source:
    """One document that renders an Act; ``path`` is ``file`` resolved against the sources folder."""

    act_id: str
    file: str
    format: str
    role: str  # primary | alternate | metadata
    path: Path
    source_url: str | None = None
    text_as_on: date | None = None
    partial: bool = False
    comment: str = ""
    user: bool = False  # added with `seckb add` (lives in the user-corpus folder)


@dataclass(frozen=True)
class Act:
    id: str
    jurisdiction: str
    title: str
    body: str
    number: str | None = None
    citation: str | None = None
    year: int | None = None
    enacted: str | None = None
    enacted_on: date | None = None
    commenced_on: date | None = None  # the Act's commencement, where known
    kind: str = "section"
    indiacode_url: str | None = None
    other_indiacode_urls: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    comment: str = ""
    user_added: bool = False  # the whole entry comes from the user's overlay, not the catalogue

    @property
    def primary_source(self) -> Source | None:
        return next((s for s in self.sources if s.role == "primary"), None)

    @property
    def indiacode_urls(self) -> tuple[str, ...]:
        return ((self.indiacode_url,) if self.indiacode_url else ()) + self.other_indiacode_urls


class ReferenceLookupError(SeckbError, LookupError):
    """A jurisdiction or Act name that the catalogue does not know, or knows twice."""

    def __init__(self, message: str, *, candidates: tuple[str, ...] = (), **kw: Any) -> None:
        super().__init__(message, **kw)
        self.candidates = candidates

    def one_line(self) -> str:
        base = super().one_line()
        return base + ("; did you mean: " + ", ".join(self.candidates) if self.candidates else "")


def normalise_act_key(text: str) -> str:
    """Match key for Act ids, titles and aliases: 'The MH-VPA, 1959.' and 'mh vpa 1959' agree."""
    key = re.sub(r"^\s*the\s+", "", text.lower())
    return re.sub(r"[\s\-\u2013\u2014_.,'\u2019\"()]+", "", key)


def normalise_jurisdiction_key(text: str) -> str:
    """Match key for jurisdiction codes and names: 'Andaman_and_Nicobar_Islands' finds AN."""
    return re.sub(r"[\s\-_.]+", "", text.lower())


def default_corpus_dir() -> Path:
    from kb import settings

    return settings.corpus_dir()


def default_sources_dir() -> Path:
    from kb import settings

    return settings.sources_dir()


class Reference:
    """The loaded catalogue. Built only by :func:`load_reference`; treat it as read-only."""

    def __init__(
        self,
        jurisdictions: tuple[Jurisdiction, ...],
        acts: tuple[Act, ...],
        *,
        corpus_dir: Path,
        sources_dir: Path,
        jurisdiction_keys: dict[str, str],
        act_keys: dict[str, str],
        title_keys: dict[str, tuple[str, ...]],
        user_dir: Path | None = None,
    ) -> None:
        self.jurisdictions = jurisdictions
        self.acts = acts
        self.corpus_dir = corpus_dir
        self.sources_dir = sources_dir
        self.user_dir = user_dir
        self._jurisdiction_keys = jurisdiction_keys
        self._act_keys = act_keys
        self._title_keys = title_keys
        self._jurisdictions_by_code = {j.code: j for j in jurisdictions}
        self._acts_by_id = {a.id: a for a in acts}
        self._sources_by_file = {s.file: (a, s) for a in acts for s in a.sources}

    def jurisdiction(self, code_or_alias: str) -> Jurisdiction:
        key = normalise_jurisdiction_key(code_or_alias)
        code = self._jurisdiction_keys.get(key)
        if code is None:
            raise ReferenceLookupError(
                f"unknown jurisdiction {code_or_alias!r}",
                field="jurisdiction",
                candidates=self._nearest(key, self._jurisdiction_keys),
            )
        return self._jurisdictions_by_code[code]

    def act(self, id_or_alias: str) -> Act:
        """The Act whose id, alias or (unambiguous) title matches, ignoring case and punctuation."""
        key = normalise_act_key(id_or_alias)
        act_id = self._act_keys.get(key)
        if act_id is not None:
            return self._acts_by_id[act_id]
        owners = self._title_keys.get(key, ())
        if len(owners) == 1:
            return self._acts_by_id[owners[0]]
        if owners:
            raise ReferenceLookupError(
                f"{id_or_alias!r} is the title of {len(owners)} Acts; use an id", field="act", candidates=owners
            )
        raise ReferenceLookupError(
            f"unknown Act {id_or_alias!r}",
            field="act",
            candidates=self._nearest(key, {**self._act_keys, **{k: v[0] for k, v in self._title_keys.items()}}),
        )

    def acts_for(self, code_or_alias: str, body: str | None = None) -> tuple[Act, ...]:
        code = self.jurisdiction(code_or_alias).code
        return tuple(a for a in self.acts if a.jurisdiction == code and (body is None or a.body == body))

    def sources(self) -> tuple[tuple[Act, Source], ...]:
        return tuple((a, s) for a in self.acts for s in a.sources)

    def source_for(self, file: str | Path) -> tuple[Act, Source] | None:
        """The catalogue entry of a file given relative to the sources folder, or None."""
        return self._sources_by_file.get(PurePosixPath(Path(file)).as_posix())

    @staticmethod
    def _nearest(key: str, index: dict[str, str]) -> tuple[str, ...]:
        close = difflib.get_close_matches(key, index.keys(), n=8, cutoff=0.75)
        return tuple(dict.fromkeys(index[k] for k in close))[:5]


def load_reference(
    corpus_dir: Path | None = None,
    sources_dir: Path | None = None,
    check_files: bool = True,
    user_dir: Path | None = None,
) -> Reference:
    """Read and validate ``jurisdictions.yaml`` and ``acts.yaml`` from ``corpus_dir``.

    ``user_dir`` is a user-corpus folder; its ``acts.yaml``, where present, is read last as an
    overlay (new Acts, and sources added to catalogued ones).
    """
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    sources_dir = Path(sources_dir) if sources_dir is not None else default_sources_dir()
    if check_files and not sources_dir.is_dir():
        raise ReferenceDataError("sources folder not found; set SECKB_SOURCES or pass the folder", path=sources_dir)
    builder = _Builder(corpus_dir=corpus_dir, sources_dir=sources_dir, check_files=check_files)
    builder.add_jurisdictions(corpus_dir / "jurisdictions.yaml")
    builder.add_acts(corpus_dir / "acts.yaml")
    if user_dir is not None:
        builder.user_dir = Path(user_dir)
        if (Path(user_dir) / USER_ACTS_FILE).is_file():
            builder.add_acts(Path(user_dir) / USER_ACTS_FILE, user=True)
    return builder.build()


# --------------------------------------------------------------------------- field checks


def _top_list(path: Path, data: Any, what: str) -> LineSeq:
    if not isinstance(data, LineSeq):
        raise ReferenceDataError(f"the file must be a YAML list of {what}", path=path, line=getattr(data, "line", None))
    return data


# --------------------------------------------------------------------------- builder

_JURISDICTION_FIELDS = ("code", "name", "type", "catalogue_key", "sec_name", "aliases", "comment", "created_on")
_ACT_FIELDS = (
    "id",
    "jurisdiction",
    "title",
    "number",
    "citation",
    "year",
    "enacted",
    "enacted_on",
    "commenced_on",
    "body",
    "kind",
    "indiacode_url",
    "other_indiacode_urls",
    "aliases",
    "comment",
    "sources",
)
_SOURCE_FIELDS = ("file", "format", "role", "text_as_on", "source_url", "partial", "comment")
_EXTEND_FIELDS = ("extend", "sources", "comment")


class _Builder:
    """Collects jurisdictions and Acts file by file, checking each against all seen before."""

    def __init__(self, *, corpus_dir: Path, sources_dir: Path, check_files: bool) -> None:
        self.corpus_dir = corpus_dir
        self.sources_dir = sources_dir
        self.check_files = check_files
        self.jurisdictions: list[Jurisdiction] = []
        self.acts: list[Act] = []
        self.jurisdiction_keys: dict[str, str] = {}
        self.jurisdiction_key_at: dict[str, str] = {}
        self.act_keys: dict[str, str] = {}  # id and alias keys: each names one Act
        self.act_key_at: dict[str, str] = {}  # key -> "file:line" where it was first given
        self.title_keys: dict[str, list[str]] = {}  # titles may repeat (India Code lists twins)
        self.files: dict[str, str] = {}  # source file -> "file:line" of its entry
        self.user_dir: Path | None = None
        self._user = False  # reading the user's overlay: files resolve in user_dir

    # ---- jurisdictions

    def add_jurisdictions(self, path: Path) -> None:
        for item, line in zip(*_items(path, load_yaml(path), "jurisdictions")):
            self.jurisdictions.append(self._jurisdiction(path, item, line))

    def _jurisdiction(self, path: Path, item: Any, line: int) -> Jurisdiction:
        entry = Entry(path, item, "jurisdiction", _JURISDICTION_FIELDS, line)
        code = entry.text("code")
        entry.where = f"jurisdiction {code}"
        if any(j.code == code for j in self.jurisdictions):
            raise entry.error("code", f"duplicate code {code!r}: already names jurisdiction {code}")
        if not _CODE_RE.match(code):
            raise entry.error("code", f"code {code!r} must be two capital letters (ISO 3166-2:IN)")
        jurisdiction = Jurisdiction(
            code=code,
            name=entry.text("name"),
            type=entry.choice("type", JURISDICTION_TYPES),
            catalogue_key=entry.text("catalogue_key"),
            sec_name=entry.text("sec_name"),
            aliases=tuple(a for a, _ in entry.texts("aliases")),
            comment=entry.text("comment", False) or "",
            created_on=entry.date("created_on"),
        )
        keys = [
            (code, "code", entry.line_of("code")),
            (jurisdiction.name, "name", entry.line_of("name")),
            (jurisdiction.catalogue_key, "catalogue_key", entry.line_of("catalogue_key")),
        ]
        keys += [(alias, "aliases", line) for alias, line in entry.texts("aliases")]
        for text, key, at in keys:
            norm = normalise_jurisdiction_key(text)
            owner = self.jurisdiction_keys.get(norm)
            if owner is not None and owner != code:
                raise entry.error(
                    key, f"{text!r} already names jurisdiction {owner} ({self.jurisdiction_key_at[norm]})", line=at
                )
            self.jurisdiction_keys[norm] = code
            self.jurisdiction_key_at.setdefault(norm, f"{path.name}:{at}")
        return jurisdiction

    # ---- acts

    def add_acts(self, path: Path, user: bool = False) -> None:
        """Add the Acts of one file; ``user`` marks the overlay (whose entries may also extend)."""
        known_codes = {j.code for j in self.jurisdictions}
        self._user = user
        try:
            for item, line in zip(*_items(path, load_yaml(path), "Acts")):
                if user and isinstance(item, dict) and "extend" in item:
                    self._extend(path, item, line)
                else:
                    self.acts.append(self._act(path, item, line, known_codes))
        finally:
            self._user = False

    def _extend(self, path: Path, item: Any, line: int) -> None:
        """``extend: ID`` adds the user's sources to a catalogued Act.

        A user's primary text wins over the catalogue's: the shipped primary is kept as an
        alternate rendering (still parsed, for the numbering cross-check), never dropped.
        """
        entry = Entry(path, item, "extend", _EXTEND_FIELDS, line)
        act_id = entry.text("extend")
        entry.where = f"extend {act_id}"
        index = next((i for i, a in enumerate(self.acts) if a.id == act_id), None)
        if index is None:
            raise entry.error("extend", f"extend names {act_id!r}, which is not an Act of the catalogue")
        act = self.acts[index]
        added = self._sources(path, entry, act_id, require_primary=False)
        if not added:
            raise entry.error("sources", f"extend {act_id} lists no sources")
        kept = act.sources
        if any(s.role == "primary" for s in added):
            kept = tuple(replace(s, role="alternate") if s.role == "primary" else s for s in kept)
        elif not any(s.role == "primary" for s in kept):
            raise entry.error("sources", f"{act_id} has no primary source; exactly one must be primary")
        self.acts[index] = replace(act, sources=kept + added)

    def _act(self, path: Path, item: Any, line: int, known_codes: set[str]) -> Act:
        entry = Entry(path, item, "act", _ACT_FIELDS, line)
        act_id = entry.text("id")
        entry.where = f"act {act_id}"
        jurisdiction = entry.text("jurisdiction")
        if jurisdiction not in known_codes:
            raise entry.error(
                "jurisdiction", f"unknown jurisdiction {jurisdiction!r} (codes are in jurisdictions.yaml)"
            )
        year = entry.integer("year", 1700, 2100)
        self._check_new_id(entry, act_id)
        self._check_id(entry, act_id, jurisdiction, year)
        sources = self._sources(path, entry, act_id)
        act = Act(
            id=act_id,
            jurisdiction=jurisdiction,
            title=entry.text("title"),
            body=entry.choice("body", BODIES),
            number=self._number(entry),
            citation=entry.text("citation", False),
            year=year,
            enacted=self._enacted(entry),
            enacted_on=entry.date("enacted_on"),
            commenced_on=entry.date("commenced_on"),
            kind=entry.choice("kind", KINDS, "section"),
            indiacode_url=entry.text("indiacode_url", False),
            other_indiacode_urls=tuple(u for u, _ in entry.texts("other_indiacode_urls")),
            aliases=tuple(a for a, _ in entry.texts("aliases")),
            sources=sources,
            comment=entry.text("comment", False) or "",
            user_added=self._user,
        )
        self._index_act(path, entry, act)
        return act

    def _check_id(self, entry: Entry, act_id: str, jurisdiction: str, year: int | None) -> None:
        match = _ID_RE.match(act_id)
        if not match:
            raise entry.error("id", f"id {act_id!r} must look like JURIS-ABBR-YEAR, e.g. MH-VPA-1959")
        if match["juris"] != jurisdiction:
            raise entry.error("id", f"id {act_id!r} does not start with its jurisdiction {jurisdiction}")
        if match["year"] and year is not None and int(match["year"]) != year:
            raise entry.error("id", f"id {act_id!r} differs from the Act's year {year}")

    def _check_new_id(self, entry: Entry, act_id: str) -> None:
        id_key = normalise_act_key(act_id)
        owner = self.act_keys.get(id_key)
        if owner is not None:
            what = "the id" if normalise_act_key(owner) == id_key else f"an alias of {owner}"
            raise entry.error("id", f"duplicate id {act_id!r}: already {what} ({self.act_key_at[id_key]})")

    @staticmethod
    def _number(entry: Entry) -> str | None:
        value = entry.mapping.get("number")
        # An unquoted 3 is harmless, but "09" must stay text: accept ints and keep them as text.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return entry.text("number", False)

    @staticmethod
    def _enacted(entry: Entry) -> str | None:
        value = entry.mapping.get("enacted")
        if isinstance(value, date):
            # The raw catalogue string is wanted here; a parsed date belongs in enacted_on.
            raise entry.error("enacted", "enacted keeps the catalogue's text: quote it, or give the date as enacted_on")
        return entry.text("enacted", False)

    def _sources(self, path: Path, entry: Entry, act_id: str, require_primary: bool = True) -> tuple[Source, ...]:
        sources: list[Source] = []
        for item, line in entry.entries("sources"):
            source = self._source(path, act_id, item, line)
            if source.role == "primary" and any(s.role == "primary" for s in sources):
                raise ReferenceDataError(
                    f"{act_id} has more than one primary source; exactly one must be primary "
                    f"(mark the others alternate)",
                    path=path,
                    line=item.key_lines.get("role", line),
                    field=f"act {act_id} source.role",
                )
            sources.append(source)
        if require_primary and sources and not any(s.role == "primary" for s in sources):
            raise entry.error("sources", f"{act_id} has no primary source; exactly one must be primary")
        return tuple(sources)

    def _source(self, path: Path, act_id: str, item: Any, line: int) -> Source:
        entry = Entry(path, item, f"act {act_id} source", _SOURCE_FIELDS, line)
        file = entry.text("file")
        relative = PurePosixPath(file)
        if relative.is_absolute() or ".." in relative.parts or "\\" in file:
            raise entry.error("file", f"file {file!r} must be a path inside the sources folder, with '/' separators")
        base = self.user_dir if self._user and self.user_dir is not None else self.sources_dir
        key = USER_PREFIX + file if self._user else file
        seen = self.files.get(key)
        if seen:
            raise entry.error("file", f"file {file!r} is already listed at {seen}")
        self.files[key] = f"{path.name}:{entry.line_of('file')}"
        resolved = base / relative
        if self.check_files and not resolved.is_file():
            raise entry.error("file", f"source file {file!r} not found in {base}")
        return Source(
            act_id=act_id,
            file=key,
            user=self._user,
            format=entry.choice("format", FORMATS),
            role=entry.choice("role", ROLES),
            path=resolved,
            source_url=entry.text("source_url", False),
            text_as_on=entry.date("text_as_on"),
            partial=entry.flag("partial"),
            comment=entry.text("comment", False) or "",
        )

    def _index_act(self, path: Path, entry: Entry, act: Act) -> None:
        where = lambda at: f"{path.name}:{at}"  # noqa: E731 - a label, used only here
        self._claim(entry, normalise_act_key(act.id), act.id, "id", entry.line_of("id"), where, act.id)
        for alias, at in entry.texts("aliases"):
            self._claim(entry, normalise_act_key(alias), act.id, "aliases", at, where, alias)
        title_key = normalise_act_key(act.title)
        owner = self.act_keys.get(title_key)
        if owner is not None and owner != act.id:
            raise entry.error(
                "title", f"title {act.title!r} is already an alias of {owner} ({self.act_key_at[title_key]})"
            )
        owners = self.title_keys.setdefault(title_key, [])
        if act.id not in owners:
            owners.append(act.id)

    def _claim(self, entry: Entry, key: str, act_id: str, field: str, at: int, where, text: str = "") -> None:
        if not key:
            raise entry.error(field, f"empty alias {text!r}", line=at)
        owner = self.act_keys.get(key)
        if owner is not None and owner != act_id:
            raise entry.error(
                field,
                f"alias {text!r} already names {owner} ({self.act_key_at[key]}); an alias may point to one Act only",
                line=at,
            )
        title_owners = [o for o in self.title_keys.get(key, ()) if o != act_id]
        if title_owners:
            raise entry.error(field, f"alias {text!r} is the title of {', '.join(title_owners)}", line=at)
        self.act_keys[key] = act_id
        self.act_key_at.setdefault(key, where(at))

    # ---- result

    def build(self) -> Reference:
        return Reference(
            tuple(self.jurisdictions),
            tuple(self.acts),
            corpus_dir=self.corpus_dir,
            sources_dir=self.sources_dir,
            jurisdiction_keys=dict(self.jurisdiction_keys),
            act_keys=dict(self.act_keys),
            title_keys={k: tuple(v) for k, v in self.title_keys.items()},
            user_dir=self.user_dir,
        )


def _items(path: Path, data: Any, what: str) -> tuple[list[Any], list[int]]:
    seq = _top_list(path, data, what)
    return list(seq), list(seq.item_lines)
