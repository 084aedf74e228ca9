"""Readers for India Code's HTML: the section fragments of its ``show-data`` view (wrapped in JSON
by a scrape) and the act page itself.

A fragment looks like ``<sup>1</sup><b>[4. Salary.-</b> There shall be paid ...</br><hr/>(<i>a</i>) ...``
and its footnote fragment like ``1. This section was substituted by Mah. 37 of 2000, s. 2.``.
``</br>`` and ``<hr>`` separate paragraphs; a ``<sup>`` number before ``[`` is an amendment marker
and becomes the canonical ``^1[`` (``^1***`` before an omission); a ``<sup>`` number with
nothing bracketed after it is a plain footnote reference: dropped from the text, its footnote kept.

The act page carries metadata and the table of contents only: India Code loads each section's
text into an empty ``<p id="secp...">`` when a reader opens it. So the act page gives the section
list with numbers, headings and addresses, empty bodies, and ``partial=True``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kb.errors import ReaderError
from kb.model import RawDocument, RawSection

INDIACODE_SITE = "https://www.indiacode.nic.in"

_SUP_OPEN, _SUP_CLOSE, _PARA = "\x01", "\x02", "\x03"
_NUMBER_RE = re.compile(r"^\s*Section\s+([0-9]+[0-9A-Za-z-]*)\s*\.?\s*$", re.IGNORECASE)
_DELETED_RE = re.compile(r"^\s*\[?\s*(?:Deleted|Omitted|Repealed)\b", re.IGNORECASE)


def read(path: Path) -> RawDocument:
    """Read either a sections JSON (India Code show-data fragments) or an India Code act page."""
    from indexer.readers import sha256_file

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        fmt, doc = "indiacode-sections-json", _read_sections_json(path, json.loads(text))
    else:
        fmt, doc = "indiacode-html", _read_act_page(path, text)
    title, sections, source_url, partial, warnings = doc
    return RawDocument(
        path=path,
        format=fmt,
        title=title,
        sections=tuple(sections),
        sha256=sha256_file(path),
        source_url=source_url,
        partial=partial,
        warnings=tuple(warnings),
    )


# ----------------------------------------------------------------------------- sections JSON


def _read_sections_json(path: Path, data: dict):
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise ReaderError("expected a JSON object with a 'sections' list", path=path, field="sections")
    warnings: list[str] = []
    sections: list[RawSection] = []
    for index, item in enumerate(data["sections"]):
        where = f"sections[{index}]"
        if not isinstance(item, dict):
            raise ReaderError("a section entry is not an object", path=path, field=where)
        number = _section_number(str(item.get("number", "")))
        if number is None:
            raise ReaderError(
                f"section number {item.get('number')!r} is not 'Section N.'", path=path, field=f"{where}.number"
            )
        raw = item.get("raw") or {}
        heading = str(item.get("title") or "").strip()
        body, footnotes, notes = fragment_to_body(
            str(raw.get("content") or ""), str(raw.get("footnote") or ""), number, heading
        )
        warnings.extend(f"s.{number}: {note}" for note in notes)
        sections.append(
            RawSection(
                number=number,
                heading=heading,
                body=body,
                footnotes=footnotes,
                anchor=item.get("url") or None,
                repealed=bool(_DELETED_RE.match(heading) or _DELETED_RE.match(body)),
            )
        )
    return _json_title(path), sections, data.get("url") or None, False, warnings


def _json_title(path: Path) -> str:
    """The scrape holds no title: take it from the act page saved beside it, else from the name."""
    stem = path.name.split(".")[0]
    page = path.with_name(f"{stem}.indiacode-actpage.html")
    if page.is_file():
        title = _page_title(page.read_text(encoding="utf-8", errors="replace"))
        if title:
            return title
    return " ".join(word.capitalize() for word in stem.replace("_", "-").split("-"))


def _section_number(text: str) -> str | None:
    match = _NUMBER_RE.match(text)
    return match.group(1).upper() if match else None


def fragment_to_body(
    content: str, footnote: str, number: str = "", heading: str = ""
) -> tuple[str, tuple[tuple[str, str], ...], list[str]]:
    """India Code show-data HTML → (body with canonical markers, footnotes, warnings)."""
    paragraphs = _fragment_paragraphs(content)
    body = "\n".join(paragraphs)
    body = _strip_repeated_heading(body, number, heading)
    notes = _parse_footnotes(footnote)
    used: list[str] = []
    body = re.sub(r"\x01(\w+)\x02\s*\[\s*\*[\s*]*(?:Deleted|Omitted)?\s*\]", lambda m: _mark(m, used, "***"), body)
    body = re.sub(r"\x01(\w+)\x02\s*\*(?:\s*\*)*", lambda m: _mark(m, used, "***"), body)
    body = re.sub(r"\x01(\w+)\x02\s*\[", lambda m: _mark(m, used, "["), body)
    body = re.sub(r"(?<=\w)\x01(\w+)\x02(?=\w)", lambda m: _mark(m, used, " "), body)  # "date<sup>4</sup>as"
    body = re.sub(r"\x01(\w+)\x02", lambda m: _mark(m, used, None), body)
    body = re.sub(r"[ \t]{2,}", " ", body).strip()
    warnings = [f"no footnote {key} for its marker" for key in used if key not in notes]
    # Keep footnotes the text refers to, in footnote order; keep unreferenced ones too, since
    # they still explain the section's history.
    footnotes = tuple((key, text) for key, text in notes.items())
    return body, footnotes, warnings


def _mark(match: re.Match, used: list[str], tail: str | None) -> str:
    key = match.group(1)
    if key not in used:
        used.append(key)
    if tail is None or tail == " ":
        return tail or ""
    return f"^{key}{tail}"


def _fragment_paragraphs(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    if not html.strip():
        return []
    # "</br>" is not valid HTML and parsers disagree on it; mark paragraph breaks before parsing.
    html = re.sub(r"<\s*/?\s*br\s*/?\s*>|<\s*hr\b[^>]*>", _PARA, html, flags=re.IGNORECASE)
    soup = BeautifulSoup(html, "lxml")
    for sup in soup.find_all("sup"):
        text = sup.get_text("").strip()
        sup.replace_with(f"{_SUP_OPEN}{text}{_SUP_CLOSE}" if re.fullmatch(r"\w+", text) and text[0].isdigit() else text)
    text = soup.get_text("")
    text = re.sub(r"(\d)\s*\r?\n\s*(st|nd|rd|th)\b", r"\1\2", text)  # "31\r\nst day"
    out = []
    for part in text.split(_PARA):
        part = re.sub(r"\s+", " ", part.replace("\xa0", " ")).strip()
        if part:
            out.append(part)
    return out


def _strip_repeated_heading(body: str, number: str, heading: str) -> str:
    """Drop "4. Salary.-" that India Code repeats at the start of a substituted section."""
    if not number:
        return body
    title = re.escape(heading.rstrip(". ")) if heading else r"[^\n]{1,250}?"
    pattern = r"^((?:\x01\w+\x02\s*)?\[?\s*)" + re.escape(number) + r"\s*\.\s*" + title + r"\s*\.?\s*[-—–]+\s*"
    return re.sub(pattern, r"\1", body, count=1, flags=re.IGNORECASE)


def _parse_footnotes(html: str) -> dict[str, str]:
    notes: dict[str, str] = {}
    key = None
    for para in _fragment_paragraphs(html):
        para = re.sub(r"[\x01\x02]", "", para)
        match = re.match(r"^(\d+)\s*[.)]\s*(.*)$", para)
        if match:
            key = match.group(1)
            notes[key] = match.group(2).strip()
        elif key is not None:
            notes[key] = f"{notes[key]} {para}".strip()
    return notes


# ----------------------------------------------------------------------------- act page


def _read_act_page(path: Path, html: str):
    import warnings as python_warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with python_warnings.catch_warnings():
        # A saved page may start with an XML prolog; it is still India Code's HTML.
        python_warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "lxml")
    warnings: list[str] = []
    sections: list[RawSection] = []
    empty = 0
    for link in soup.select("a.title[href]"):
        label = link.find("span")
        if label is None:
            continue
        number = _section_number(label.get_text(" ", strip=True))
        if number is None:
            warnings.append(
                f"table-of-contents entry {label.get_text(' ', strip=True)!r} "
                "is not one section (a range of deleted sections?); not read"
            )
            continue
        heading = link.get_text(" ", strip=True)[len(label.get_text(" ", strip=True)) :].strip()
        href = str(link["href"])
        anchor = href if href.startswith("http") else INDIACODE_SITE + href
        section_id = re.search(r"sectionId=(\d+)", href)
        body, footnotes = "", ()
        if section_id:
            body, footnotes = _saved_section_text(soup, section_id.group(1), number, heading, warnings)
        empty += not body
        sections.append(
            RawSection(
                number=number,
                heading=heading,
                body=body,
                footnotes=footnotes,
                anchor=anchor,
                repealed=bool(_DELETED_RE.match(heading)),
            )
        )
    if not sections:
        raise ReaderError("no 'Section N.' links found: not an India Code act page", path=path)
    partial = empty > 0
    if partial:
        warnings.append(
            f"the act page holds the table of contents only: {empty} of {len(sections)} "
            "sections have no text (India Code loads section texts separately; "
            "read the sections JSON or the PDF for the text)"
        )
    return _page_title(html) or path.stem, sections, _page_url(soup), partial, warnings


def _saved_section_text(soup, section_id: str, number: str, heading: str, warnings: list[str]):
    """A page saved after opening a section carries its text in <p id="secp<id>">."""
    holder = soup.find(id=f"secp{section_id}")
    if holder is None or not holder.get_text(strip=True):
        return "", ()
    notes_holder = soup.find(id=f"secf{section_id}")
    body, footnotes, notes = fragment_to_body(
        holder.decode_contents(), notes_holder.decode_contents() if notes_holder else "", number, heading
    )
    warnings.extend(f"s.{number}: {note}" for note in notes)
    return body, footnotes


def _page_title(html: str) -> str:
    match = re.search(r"<title>\s*(?:India Code:\s*)?(.*?)\s*</title>", html, re.IGNORECASE | re.DOTALL)
    return re.sub(r"\s+", " ", match.group(1)).strip().rstrip(".") if match else ""


def _page_url(soup) -> str | None:
    for meta in soup.find_all("meta", attrs={"name": "DC.identifier"}):
        if meta.get("scheme") == "DCTERMS.URI" and meta.get("content"):
            return meta["content"]
    return None
