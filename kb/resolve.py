"""Citation resolver: what a lawyer types → the stored provision, or the nearest candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.errors import CitationError
from kb.refs import KIND_PREFIX, ProvisionRef, RefError, normalise_number, split_path
from kb.store import tables as t

CONSTITUTION = "IN-COI"
_YEAR = re.compile(r"(?:18|19|20)\d\d$")


def _loose(text: str) -> str:
    return re.sub(r"[\s\-–.,()_]", "", text).lower()


@dataclass
class ActIndex:
    """Act ids and aliases, matched case-, space-, dash- and dot-insensitively; also without their
    year ("MH VPA" for MH VPA 1959), which names every Act of that name ("RPA": 1950 and 1951)."""

    by_key: dict[str, str]
    by_name: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_session(cls, session: Session) -> ActIndex:
        by_key: dict[str, str] = {}
        for act_id, aliases in session.execute(select(t.Act.id, t.Act.aliases)):
            for name in [act_id, *(aliases or [])]:
                by_key.setdefault(_loose(name), act_id)
        by_name: dict[str, tuple[str, ...]] = {}
        for key, act_id in by_key.items():
            short = _YEAR.sub("", key)
            if short != key and len(short) >= 2 and short not in by_key and act_id not in by_name.get(short, ()):
                by_name[short] = (*by_name.get(short, ()), act_id)
        return cls(by_key, by_name)

    def find(self, text: str) -> str | None:
        """The one Act ``text`` names, or None (no Act, or several: see ``named``)."""
        named = self.named(text)
        return named[0] if len(named) == 1 else None

    def named(self, text: str) -> tuple[str, ...]:
        key = _loose(text)
        exact = self.by_key.get(key)
        return (exact,) if exact else self.by_name.get(key, ())


def parse_citation(text: str) -> ProvisionRef:
    try:
        return ProvisionRef.parse(text)
    except RefError as exc:
        raise CitationError(str(exc)) from None


def resolve_citation(
    session: Session, text: str, *, default_act: str | None = None, acts: ActIndex | None = None
) -> t.Provision:
    """Return the provision ``text`` cites, or raise CitationError with the nearest candidates.

    An article with no Act named is the Constitution's; a bare ``s.14(1)`` resolves when exactly
    one Act in the knowledge base has that provision (or ``default_act`` has it).
    """
    ref = parse_citation(text)
    acts = acts or ActIndex.from_session(session)
    act_ids: tuple[str | None, ...] = (None,)
    if ref.act:
        act_ids = acts.named(ref.act)
        if not act_ids:
            raise CitationError(
                f"no Act called {ref.act!r} in the knowledge base (in {text!r})",
                candidates=_similar_acts(acts, ref.act),
            )
    elif ref.kind == "article":
        act_ids = (CONSTITUTION,)
    elif default_act:
        act_ids = (default_act,)
    candidates = [row for act_id in act_ids for row in _rows_for_number(session, act_id, ref)]
    # "rule 14" is the Electors Rules' r.14, not Art. 14 or any Act's s.14; a kind no candidate has
    # ("section 243F") is read as a slip, and the number decides.
    prefix = f" {KIND_PREFIX[ref.kind]}"
    candidates = [row for row in candidates if prefix in row.ref] or candidates
    exact = [row for row in candidates if _same_path(row.path, ref.labels)]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        name = "give the Act's year" if len(act_ids) > 1 else "name the Act"
        raise CitationError(f"{text!r} is ambiguous: {name}", candidates=tuple(r.ref for r in exact))
    nearest = _nearest(candidates, ref) if candidates else _neighbour_sections(session, act_ids[0], ref)
    raise CitationError(f"no such provision: {text.strip()}", candidates=tuple(nearest))


def _neighbour_sections(session: Session, act_id: str | None, ref: ProvisionRef) -> list[str]:
    """No provision has that number: the Act's top-level provisions numbered closest to it."""
    if act_id is None:
        return []
    wanted = _leading_int(ref.number)
    refs = session.scalars(
        select(t.Provision.ref).where(t.Provision.act_id == act_id, t.Provision.depth == 0).order_by(t.Provision.ord)
    ).all()
    if wanted is None:
        return list(refs[:5])
    # number_key drops the hyphen ("54-1A" -> "541A"), so read the number from the canonical ref;
    # an unnumbered unit (the Preamble) sorts last.
    # Among numbers as close, those sharing more of the cited number come first, and of those the
    # nearest in the alphabet: Art. 243ZZ -> 243ZG, 243ZF ... before 243, 243A.
    typed = ref.number.upper()
    numbered = []
    for i, held in enumerate(refs):
        number = _ref_number(held) or ""
        numbered.append(
            (abs((_leading_int(number) or 10**6) - wanted), _label_distance(number.upper(), typed), i, held)
        )
    return [held for *_, held in sorted(numbered)[:5]]


def _ref_number(ref: str) -> str | None:
    """The top-level number of a canonical ref ("54-1A" of "MH-VPA-1959 s.54-1A(2)")."""
    match = re.search(r"(?:s|Art|r)\.(\d[0-9A-Za-z-]*)", ref)
    return match.group(1) if match else None


def _leading_int(number: str | None) -> int | None:
    match = re.match(r"\d+", number or "")
    return int(match.group(0)) if match else None


def _rows_for_number(session: Session, act_id: str | None, ref: ProvisionRef) -> list[t.Provision]:
    query = select(t.Provision).where(t.Provision.number_key == normalise_number(ref.number))
    if act_id:
        query = query.where(t.Provision.act_id == act_id)
    return list(session.scalars(query.order_by(t.Provision.act_id, t.Provision.ord)))


def _labels_key(labels: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (normalise_number(labels[0]), *(_loose(label) for label in labels[1:]))


def _same_path(path: str, labels: tuple[str, ...]) -> bool:
    try:
        return _labels_key(split_path(path)) == _labels_key(labels)
    except RefError:
        return False


def _nearest(rows: list[t.Provision], ref: ProvisionRef) -> list[str]:
    """The deepest stored ancestor of the cited path, then its children."""
    wanted = _labels_key(ref.labels)
    best_depth, best = -1, []
    for row in rows:
        try:
            key = _labels_key(split_path(row.path))
        except RefError:
            continue
        if wanted[: len(key)] == key:
            if len(key) > best_depth:
                best_depth, best = len(key), [row]
            elif len(key) == best_depth:
                best.append(row)
    if not best:
        return [row.ref for row in rows[:5]]
    # The children labelled most like the missing label first ("(j-9)": (j-5), (j-4) ... before (a)),
    # and, with no Act named, the Act whose children come closest first.
    missing = wanted[best_depth] if best_depth < len(wanted) else ""
    parents = {parent.id for parent in best}
    distance = {
        row.id: _label_distance(_loose(split_path(row.path)[-1]), missing) for row in rows if row.parent_id in parents
    }
    children = {
        parent.id: sorted(
            (row for row in rows if row.parent_id == parent.id), key=lambda row: (distance[row.id], row.ord)
        )
        for parent in best
    }
    ranked = sorted(
        best[:4],  # with no Act named, the nearest node of each Act
        key=lambda parent: distance[children[parent.id][0].id] if children[parent.id] else (0, 0),
    )
    out: list[str] = []
    for parent in ranked:
        out.append(parent.ref)
        out.extend(row.ref for row in children[parent.id])
    return out[:8]


def _label_distance(label: str, wanted: str) -> tuple[int, int]:
    """How far a held label is from the one cited: more of it shared first, then the next letter's
    distance in the alphabet ("j-5" is nearer "j-9" than "j-1" is, and both nearer than "a")."""
    shared = next((i for i, (a, b) in enumerate(zip(label, wanted)) if a != b), min(len(label), len(wanted)))
    after = abs(ord(label[shared]) - ord(wanted[shared])) if shared < min(len(label), len(wanted)) else 0
    return -shared, after


def _similar_acts(acts: ActIndex, text: str) -> tuple[str, ...]:
    import difflib

    key = _loose(text)
    close = difflib.get_close_matches(key, list(acts.by_key), n=5, cutoff=0.5)
    return tuple(dict.fromkeys(acts.by_key[c] for c in close))
