"""Provision references: parse what a lawyer types, print one canonical form.

``ProvisionRef.parse("MH VPA 1959 s.14(1)(j-1)")`` and ``str(ref)`` round-trip through the
canonical form ``MH-VPA-1959 s.14(1)(j-1)``. That string is the key of a provision in the
database, the search index and every output. This module imports nothing from the project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

__all__ = [
    "KIND_PREFIX",
    "MAX_REF_LENGTH",
    "ProvisionRef",
    "RefError",
    "lawyer_label",
    "normalise_number",
    "path_string",
    "split_path",
]


class RefError(ValueError):
    """Raised when a text is not shaped like a provision reference."""


# Canonical prefix printed for each kind of top-level unit.
KIND_PREFIX: dict[str, str] = {"section": "s.", "article": "Art.", "rule": "r."}

_KIND_WORDS: dict[str, str] = {
    "s": "section",
    "sec": "section",
    "section": "section",
    "ss": "section",
    "§": "section",
    "art": "article",
    "arts": "article",
    "article": "article",
    "r": "rule",
    "rule": "rule",
    "rr": "rule",
}
# The words ProvisionRef reads as a kind of provision: kb/query.py starts a citation at one.
KIND_WORDS = _KIND_WORDS

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}

_REF_RE = re.compile(
    r"""
    ^\s*
    (?:(?P<act>.*?\S)\s*,?\s+)??                # optional Act, e.g. "MH VPA 1959" or "RPA 1950"
    (?:(?P<kind>sections?|sec|ss|s|articles?|arts?|rules?|rr|r|§)\.?\s*)?   # s. / Art. / r.
    (?P<num>\d+(?:[A-Z]{1,3}(?![A-Z])\d*|-\d+(?:[A-Z]{1,3}(?![A-Z]))?|-[A-Z]{1,3}(?![A-Z])\d*)*)
        # 14, 14B, 5-A, 243ZA, 10-1A, 30A-1A. Every repetition starts with a letter or a hyphen
        # and a letter run cannot be split, so the number matches one way only (no backtracking
        # blow-up on "s.9999…9()").
    (?P<labels>(?:\s*\(\s*[0-9A-Za-z]+(?:\s*-\s*[0-9A-Za-z]+)?\s*\))*)  # (1)(j-1)(ii)
    (?P<tail>(?:[\s,]+(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+)?
        (?:proviso|expl|explanation)\b.*)?)      # proviso / Explanation and what follows
    \s*$
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Longer than any real pinpoint ("IN-COI Art.243ZG(1)(a)(ii) second proviso Explanation 2" is 60):
# a bound keeps every pattern below linear in practice, whatever the text.
MAX_REF_LENGTH = 300

_LABEL_RE = re.compile(r"\(\s*([0-9A-Za-z]+(?:\s*-\s*[0-9A-Za-z]+)?)\s*\)")
_PROVISO_RE = re.compile(
    r"^(?:(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+)?"
    r"proviso(?:\s+(?P<n>\d+)(?P<dup>-dup\d+)?)?$",
    re.IGNORECASE,
)
_EXPL_RE = re.compile(
    r"^(?:expl\.?|explanation)(?:\s+(?P<n>\d+[a-z]?|[ivx]+)(?P<dup>-dup\d+)?)?$", re.IGNORECASE
)  # "1A": MH VPA s.14
# "-dup2": the parser's label for a second "Explanation 1" (or proviso) among siblings, so that
# the path stays unique and is still a citation; see indexer.structure.parser._dedupe_label.


def normalise_number(number: str) -> str:
    """A loose key for a section number: '5-A', '5A' and '5 a' all give '5A'."""
    return re.sub(r"[\s\-–.]", "", number).upper()


def _normal_label(label: str) -> str:
    label = re.sub(r"\s+", "", label)
    # Sub-section numbers keep upper case letters ("2A"); clause letters stay lower ("j-1").
    return label if re.match(r"^\d", label) else label.lower()


def _tail_labels(tail: str) -> list[str]:
    """Turn ', second proviso (a)' or ' Explanation I' into path labels."""
    out: list[str] = []
    rest = tail.strip(" ,")
    while rest:
        head_match = re.match(r"^(?P<word>[^()]+?)\s*(?=\(|$)", rest)
        labels_match = re.match(r"^(\s*\([^)]*\))+", rest)
        if labels_match:
            out.extend(_normal_label(m) for m in _LABEL_RE.findall(labels_match.group(0)))
            rest = rest[labels_match.end() :].strip(" ,")
            continue
        if not head_match:
            raise RefError(f"cannot read {tail.strip()!r} after the provision number")
        for word in _label_words(head_match.group("word").strip(" ,")):
            out.append(_word_label(word))
        rest = rest[head_match.end() :].strip(" ,")
    return out


_WORD_LABEL_RE = re.compile(
    r"(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+)?proviso(?:\s+\d+(?:-dup\d+)?)?\b"
    r"|(?:explanation|expl\.?)(?:\s+(?:\d+[a-z]?|[ivx]+)(?:-dup\d+)?)?(?:\b|(?<=\.))",
    re.IGNORECASE,
)


def _label_words(words: str) -> list[str]:
    """Split "Explanation proviso 1" (a proviso to an Explanation) into one phrase per label.

    path_string writes word labels one after another, so a node under an Explanation or a
    proviso has such a path; a phrase that is no label is kept whole for the error message.
    """
    out: list[str] = []
    pos = 0
    while pos < len(words):
        match = _WORD_LABEL_RE.match(words, pos)
        if not match:
            return [*out, words[pos:]]
        out.append(match.group(0))
        pos = match.end()
        while pos < len(words) and words[pos] in " ,":
            pos += 1
    return out


def _word_label(word: str) -> str:
    proviso = _PROVISO_RE.match(word)
    expl = _EXPL_RE.match(word)
    if proviso:
        n = proviso.group("n") or (str(ORDINALS[proviso.group("ord").lower()]) if proviso.group("ord") else "1")
        return f"proviso {int(n)}{(proviso.group('dup') or '').lower()}"
    if expl:
        n = expl.group("n")
        if n is None:
            return "Explanation"
        number = n.upper() if n[0].isdigit() else _ROMAN.get(n.lower())
        if number is None:  # [ivx]+ also matches "xi", "iiv": not numbers we know
            raise RefError(f"cannot read {word!r}: Explanation numbers run I to X")
        return f"Explanation {number}{(expl.group('dup') or '').lower()}"
    raise RefError(f"cannot read {word!r} in a provision reference")


def lawyer_label(kind: str, label: str) -> str:
    """A sub-provision's label as statutes print it: "(j-1)", "(ii)", "proviso 1", "Explanation 2".

    Square brackets are avoided: in India Code texts they mark words inserted by amendment.
    """
    if kind in ("proviso", "explanation") or " " in label:
        return label[0].upper() + label[1:] if kind == "explanation" else label
    return f"({label})"  # clauses, sub-clauses and the capital-letter items "(A)", "(B)" of RPA 1951 s.123(1)


def path_string(labels: tuple[str, ...] | list[str]) -> str:
    """('14', '1', 'j-1', 'proviso 1') -> '14(1)(j-1) proviso 1'."""
    if not labels:
        return ""
    text = labels[0]
    for label in labels[1:]:
        if label.startswith(("proviso", "Explanation")):
            text += f" {label}"
        else:
            text += f"({label})"
    return text


def split_path(path: str) -> tuple[str, ...]:
    """Inverse of :func:`path_string`."""
    match = re.match(r"^\s*([^\s(]+)(.*)$", path)
    if not match:
        raise RefError(f"empty provision path {path!r}")
    return (match.group(1), *_tail_labels(match.group(2)))


@dataclass(frozen=True)
class ProvisionRef:
    """A pinpoint reference such as ``MH-VPA-1959 s.14(1)(j-1)`` or ``IN-COI Art.243F(1)(a) proviso 1``.

    ``act`` is the Act's citation id once resolved (or the words the user typed for it, or None);
    ``kind`` is section, article or rule; ``labels`` are the path from the top-level number down.
    """

    act: str | None
    kind: str
    labels: tuple[str, ...]

    @property
    def number(self) -> str:
        return self.labels[0]

    @property
    def path(self) -> str:
        return path_string(self.labels)

    def __str__(self) -> str:
        body = f"{KIND_PREFIX[self.kind]}{self.path}"
        return f"{self.act} {body}" if self.act else body

    def with_act(self, act: str | None) -> ProvisionRef:
        return replace(self, act=act)

    def parent(self) -> ProvisionRef | None:
        return replace(self, labels=self.labels[:-1]) if len(self.labels) > 1 else None

    @classmethod
    def parse(cls, text: str, default_kind: str | None = None) -> ProvisionRef:
        """Read a reference as lawyers type it.

        Accepts ``s.14(1)(j-1)``, ``section 14 (1) (j-1)``, ``Art. 243F(1)(a)``, ``243-K``,
        ``RPA 1950 s 19``, ``MH-VPA-1959 s.14(1), second proviso``. Raises :class:`RefError`.
        """
        if not text or not text.strip():
            raise RefError("empty provision reference")
        cleaned = text.replace("–", "-").replace("—", "-").strip()
        if len(cleaned) > MAX_REF_LENGTH:
            raise RefError(f"a provision reference is at most {MAX_REF_LENGTH} characters; got {len(cleaned)}")
        match = _REF_RE.match(cleaned)
        if not match:
            raise RefError(f"not a provision reference: {text.strip()!r}")
        kind_word = (match.group("kind") or "").lower().rstrip(".")
        kind_word = kind_word[:-1] if kind_word in ("sections", "articles", "rules") else kind_word
        act = match.group("act")
        if act is not None:
            act = re.sub(r"\s+", " ", act).strip(" ,")
            # A lone "the" or "of" before the kind word is not an Act.
            if not re.search(r"[0-9A-Za-z]", act):
                act = None
        number = match.group("num").upper()
        if kind_word:
            kind = _KIND_WORDS[kind_word]
        elif default_kind:
            kind = default_kind
        elif act is None and re.match(r"^(243|32[4-9])", normalise_number(number)):
            # A bare "243-K" is a lawyer's shorthand for a Part IX/IXA article.
            kind = "article"
        else:
            raise RefError(f"say which kind of provision {text.strip()!r} is (s., Art. or r.)")
        if kind == "article":
            number = normalise_number(number)  # the Constitution never writes "243-K"
        labels = [number]
        labels.extend(_normal_label(m) for m in _LABEL_RE.findall(match.group("labels") or ""))
        labels.extend(_tail_labels(match.group("tail") or ""))
        return cls(act=act, kind=kind, labels=tuple(labels))


# A citation inside prose: a kind word is required (a bare number in a sentence is not a
# citation), and the Act, when written, is a catalogue id such as MH-VPA-1959 or a short name
# ending in a year ("RPA 1951"). Each match is checked by ProvisionRef.parse.
_PROSE_REF_RE = re.compile(
    r"""
    (?<![\w\[])
    (?:(?P<act>[A-Z]{2}-[A-Z0-9]+(?:-\d{4})?|[A-Z][A-Za-z]*(?:\s[A-Z][A-Za-z]*)*\s(?:1[89]|20)\d\d),?\s+)?
    (?:s\.|ss\.|section|sec\.|Art\.|Article|article|r\.|rule)\s?
    \d+[A-Z]{0,3}(?:-\d*[A-Z]{0,3})?                  # 14, 243F, 5-A
    (?:\s?\(\s?[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?\s?\))*  # (1)(j-1)
    (?:,?\s(?:first|second|third)?\s?proviso\b)?
    """,
    re.VERBOSE,
)


def find_refs(text: str) -> list[tuple[ProvisionRef, str, int]]:
    """Citations written in plain prose: (reference, the words as written, offset in ``text``)."""
    found: list[tuple[ProvisionRef, str, int]] = []
    for match in _PROSE_REF_RE.finditer(text):
        words = match.group(0).strip().rstrip(",")
        try:
            found.append((ProvisionRef.parse(words), words, match.start()))
        except RefError:
            continue
    return found
