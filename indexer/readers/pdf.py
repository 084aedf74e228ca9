"""Reader for official consolidated Acts published as PDF with a text layer (Maharashtra style).

The text layer alone loses what matters for an Act: amendment markers are superscripts, the
footnotes that explain them sit at the page bottom in a smaller font, and every page carries a
running header. So this reader works from the characters themselves (size and baseline from
pdfium) and rebuilds visual lines, telling body text, superscript markers and footnotes apart.

Amendment markers become the canonical ``^KEY[...]`` / ``^KEY***`` forms of :mod:`kb.model`.
Footnote numbers restart on every page of these PDFs, so KEY is ``p<page>-<n>`` (e.g. ``p14-1``
for footnote 1 of PDF page 14): unique within a section even when it spans pages, and it tells
a reader where to look in the source. A superscript number that is not followed by ``[`` or
``*`` is a plain footnote reference: it is dropped from the body and its footnote kept on the
section.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kb.errors import ReaderError
from kb.model import RawDocument, RawSection

FORMAT = "pdf"

# A superscript number travels through line assembly as "\x01<page>:<n>\x02" until we know
# which section it belongs to and what follows it.
_SUP_OPEN, _SUP_CLOSE = "\x01", "\x02"
_SUP_TOKEN = r"\x01(\d+):(\d+)\x02"

_SECTION_RE = re.compile(
    r"^(?P<pre>(?:(?:\x01\d+:\d+\x02\s*)?\[\s*)+)?(?P<num>[0-9]{1,4}(?: ?[A-Z]{1,3})?(?:-[0-9]+[A-Z]{0,3})?)\.\s+(?P<rest>\S.*)$"
)
_CHAPTER_RE = re.compile(r"^(?:\x01\d+:\d+\x02\s*)?\[?\s*(?P<ch>CHAPTERS?\s*[IVXLC]+(?:-?[A-Z])?\b.*?)\]?\s*$")
_ACT_START_RE = re.compile(r"^(?:\x01\d+:\d+\x02\s*)?(?:MAHARASHTRA\s+|BOMBAY\s+)?ACT\s+No\.\s", re.IGNORECASE)
_END_RE = re.compile(r"^(?:\x01\d+:\d+\x02\s*)?\[?\s*(?:THE\s+)?(?:SCHEDULES?|APPENDIX|FORM)\b")
# "[Text as on 4th April 2025]", "[As modified up to the 1st March, 2018]"
_TEXT_AS_ON_RE = re.compile(
    r"(?:Text\s+as\s+on|As\s+modified\s+up\s*to)\s+(?:the\s+)?(\d{1,2})\s*(?:st|nd|rd|th)?\s+([A-Za-z]+),?\s+(\d{4})",
    re.IGNORECASE,
)
# "(1)", "(2A)", "(a)", "(j-1)", "(aa-1)", "(iv)", "(11AA)" at the start of a line.
_LABEL_START_RE = re.compile(
    r"^(?:\x01\d+:\d+\x02\s*)?\[?\s*\((?:\d{1,3}[A-Z]{0,3}|[a-z]{1,3}\d{0,2}|[ivxl]{1,6}|[A-Z])(?:-\d+)?\)"
)
_NEW_PARA_RE = re.compile(r"^(?:\x01\d+:\d+\x02\s*)?\[?\s*(?:Provided\b|Explanation\b|Illustrations?\b)")
# A label that wraps to the start of a line inside a sentence ("clause\n(g) of article 243").
_REF_WORD_END_RE = re.compile(
    r"\b(?:clauses?|sub-clauses?|sub-sections?|sections?|articles?|items?|paragraphs?|rule|"
    r"entry|entries|provisos?|of|in|under|to|with|by)\s*$",
    re.IGNORECASE,
)
# "(2) and (3)" or "(g) of article 243" after a line that stops mid-sentence is a reference;
# after "convicted—" or "; or" the same shape opens a sub-clause ("(i) of an offence ...").
_REF_AFTER_LABEL_RE = re.compile(r"^\([^)]*\)\s*(?:of|and|or|to|,)\s")
_MID_SENTENCE_END_RE = re.compile(r"(?:,|[A-Za-z0-9)](?<!\bor)(?<!\band))\s*$")
_MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
# Section numbers are ASCII: "५." opens a line of the Hindi text of a bilingual Act, not a section.
_DEVANAGARI_RE = re.compile(r"[\u0900-\u097F]")
# "5. (1) Every person ..." beside a marginal heading: a section number with no "Heading.—".
_BARE_SECTION_RE = re.compile(r"^(?P<num>[0-9]{1,4}[A-Z]{0,3}(?:-[0-9]+[A-Z]{0,3})?)\.\s+(?P<rest>\S.*)$")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}


@dataclass
class _Run:
    """Consecutive characters of one size on one baseline, as pdfium emitted them."""

    text: str
    size: float
    y: float
    sup: bool = False
    x0: float = 0.0
    x1: float = 0.0


@dataclass
class _Line:
    y: float
    parts: list[str] = field(default_factory=list)
    max_size: float = 0.0
    starts_with_sup: bool | None = None  # None until the first visible run is seen

    @property
    def text(self) -> str:
        return _mend(re.sub(r"[ \t\u00a0]+", " ", "".join(self.parts)).strip())


def _mend(text: str) -> str:
    """pdfium's U+FFFE stands for a printed hyphen ("sub\ufffesection", "Vice\ufffePresident" in the
    Maharashtra PDFs): a hyphen. A soft hyphen (U+00AD) inside a line is invisible and goes; at the
    line end it stays until the line is joined to the next, where it joins the word halves."""
    text = text.replace("\ufffe", "-")
    return re.sub("\u00ad(?!$)", "", text)


@dataclass
class _Page:
    number: int
    lines: list[str]
    footnotes: dict[str, str]
    top_lines: list[tuple[float, str]]  # (baseline, text) of the lines at the very top
    # Small print at the foot before the first numbered footnote: the end of a footnote that
    # began on the previous page, or (if it continues none) body text in a small font.
    carried: list[str] = field(default_factory=list)


# Resource bounds, checked before pdfium sees the file: the largest Act in the corpus has 10 MB
# of streams in all (1 MB in its largest), so these leave room and still stop a 1 GB inflate bomb.
MAX_PAGES = 3000
MAX_STREAM_INFLATED = 64 << 20
MAX_TOTAL_INFLATED = 512 << 20
MAX_CHARS_PER_PAGE = 100_000  # a dense A4 page holds about 6,000
_STREAM_RE = re.compile(rb"(?<!end)stream\r?\n")


def _check_inflation(path: Path) -> None:
    """Inflate every Flate stream in bounded steps and refuse a file that would inflate too far."""
    import zlib

    data = path.read_bytes()
    total = 0
    for match in _STREAM_RE.finditer(data):
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        inflater = zlib.decompressobj()
        pending = data[match.end() : end]
        size = 0
        try:
            while pending:
                out = inflater.decompress(pending, 1 << 20)
                if not out:
                    break
                size += len(out)
                pending = inflater.unconsumed_tail
                if size > MAX_STREAM_INFLATED or total + size > MAX_TOTAL_INFLATED:
                    raise ReaderError(
                        f"a compressed stream inflates beyond {min(MAX_STREAM_INFLATED, MAX_TOTAL_INFLATED) >> 20} MB "
                        "(a decompression bomb?); not read",
                        path=path,
                    )
        except zlib.error:
            pass  # not Flate (or damaged): pdfium decides
        total += size


def read(path: Path) -> RawDocument:
    """Read an official consolidated Act PDF into sections; ReaderError if it is not one."""
    import pypdfium2 as pdfium

    from indexer.readers import sha256_file

    path = Path(path)
    _check_inflation(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ReaderError(f"not a readable PDF ({exc})", path=path) from None
    try:
        if len(pdf) > MAX_PAGES:
            raise ReaderError(f"{len(pdf)} pages is more than one Act has (limit {MAX_PAGES})", path=path)
        warnings: list[str] = []
        pages = _extract_pages(pdf, path, warnings)
    finally:
        pdf.close()
    _strip_headers(pages)
    _join_carried_footnotes(pages, warnings)
    title, text_as_on = _read_front_matter(pages)
    lines = [(page.number, line) for page in pages for line in page.lines]
    footnotes = {(page.number, key): text for page in pages for key, text in page.footnotes.items()}
    sections = _split_sections(lines, footnotes, warnings)
    listed = _read_contents(lines)
    if not sections:
        raise ReaderError("no sections found (no 'N. Heading.—' lines after the contents)", path=path)
    return RawDocument(
        path=path,
        format=FORMAT,
        title=title,
        sections=tuple(sections),
        sha256=sha256_file(path),
        text_as_on=text_as_on,
        warnings=tuple(warnings),
        listed=listed,
    )


# ----------------------------------------------------------------------------- page extraction


def _extract_pages(pdf, path: Path, warnings: list[str]) -> list[_Page]:
    import pypdfium2.raw as pdfium_c

    raw_pages: list[tuple[int, float, list[_Run]]] = []
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        if textpage.count_chars() > MAX_CHARS_PER_PAGE:
            raise ReaderError(
                f"page {index + 1} holds {textpage.count_chars()} characters (limit {MAX_CHARS_PER_PAGE})", path=path
            )
        runs = _read_runs(textpage, pdfium_c)
        height = page.get_height()
        textpage.close()
        page.close()
        if not any(r.text.strip() for r in runs):
            warnings.append(f"page {index + 1} has no text layer (scanned?)")
        raw_pages.append((index + 1, height, runs))
    if all(not runs for _, _, runs in raw_pages) or not any(r.text.strip() for _, _, runs in raw_pages for r in runs):
        raise ReaderError("no text layer in any page (a scanned PDF needs OCR first)", path=path)
    _mend_quotes(raw_pages, warnings)
    body_size = _body_font_size(raw_pages)
    return [_build_page(number, height, runs, body_size, warnings) for number, height, runs in raw_pages]


# Some official PDFs (the Maharashtra Municipal Councils Act's) print curly quotation marks in a font
# whose text layer maps them one place off: U+201C as U+2015 (―), U+201D as U+2016 (‖), U+2018 as
# U+2017 (‗) and U+2019 as U+2018. The page shows “child”; the text layer says ―child‖.
_SHIFTED_QUOTES = str.maketrans({"\u2015": "\u201c", "\u2016": "\u201d", "\u2017": "\u2018", "\u2018": "\u2019"})


def _mend_quotes(raw_pages: list[tuple[int, float, list[_Run]]], warnings: list[str]) -> None:
    """Read the shifted quotation marks as the printed ones, when the whole document uses them.

    The signature is both shifted double marks and no real ones: a document that prints a real
    “ anywhere, or a ― as a dash without its ‖, is left as it is.
    """
    text = "".join(run.text for _, _, runs in raw_pages for run in runs)
    if "\u2015" not in text or "\u2016" not in text or "\u201c" in text or "\u201d" in text:
        return
    for _, _, runs in raw_pages:
        for run in runs:
            run.text = run.text.translate(_SHIFTED_QUOTES)
    warnings.append("quotation marks: the font's text layer gives ― ‖ ‗ ‘ for “ ” ‘ ’; read as printed")


def _read_runs(textpage, pdfium_c) -> list[_Run]:
    count = textpage.count_chars()
    if count <= 0:
        return []

    text = textpage.get_text_range()
    if len(text) != count:  # surrogate pairs would shift indices; ask char by char instead
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    x, y = ctypes.c_double(), ctypes.c_double()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    # Three pdfium calls per character are most of a PDF's reading time: bound once, not looked up
    # on the module and the wrapper for each of a million characters.
    raw = textpage.raw
    font_size, char_origin, char_box = (
        pdfium_c.FPDFText_GetFontSize,
        pdfium_c.FPDFText_GetCharOrigin,
        pdfium_c.FPDFText_GetCharBox,
    )
    runs: list[_Run] = []
    last: _Run | None = None
    for i, char in enumerate(text):
        if char in "\r\n":
            # pdfium's own line breaks also split a superscript from its line; we rebuild lines.
            last = _Run("\n", 0.0, 0.0)
            runs.append(last)
            continue
        if char.isspace():
            last = _Run(" ", 0.0, 0.0)
            runs.append(last)
            continue
        size = round(font_size(raw, i), 1)
        char_origin(raw, i, x, y)
        char_box(raw, i, left, right, bottom, top)
        x_value, y_value, right_value = x.value, y.value, right.value
        # A wide gap on one baseline is a column gap (margin note, second column): a new run.
        if (
            last is not None
            and last.size == size
            and abs(last.y - y_value) < 0.8
            and x_value - last.x1 < 2.5 * max(size, 1.0)
        ):
            last.text += char
            if right_value > last.x1:
                last.x1 = right_value
        else:
            last = _Run(char, size, y_value, x0=x_value, x1=max(right_value, x_value))
            runs.append(last)
    return runs


def _body_font_size(raw_pages) -> float:
    sizes: Counter[float] = Counter()
    for _, _, runs in raw_pages:
        for run in runs:
            if run.size:
                sizes[run.size] += len(run.text)
    return sizes.most_common(1)[0][0] if sizes else 11.0


def _build_page(number: int, height: float, runs: list[_Run], body_size: float, warnings: list[str]) -> _Page:
    sup_limit = 0.75 * body_size  # 7 pt markers on 11 pt text, 6 pt on 9 pt footnotes
    runs = _drop_print_marks(runs, height)
    lines = _with_margin_headings(runs, number, body_size, sup_limit, warnings)
    lines = _drop_devanagari_lines(lines, number, warnings)
    lines = [ln for ln in lines if not _is_print_mark(_strip_tokens(ln.text))]
    # A header drawn after the page's text is still its first line (and never a footnote).
    lines.sort(key=lambda ln: 0 if ln.y >= height - 64 else 1)
    top = [(ln.y, ln.text) for ln in lines if ln.y >= height - 64 and ln.text]
    body, notes, carried = _split_footnotes(lines, body_size)
    return _Page(number=number, lines=body, footnotes=notes, top_lines=top, carried=carried)


# Registration crosses and crop marks in the corners, and the press's imprint line at the foot
# ("GPP—M.S. 1234—500—3-2018"): printing marks, not the Act's text.
_PRINT_MARK_RE = re.compile(r"[+×✕⊕|•·_\s]+")
_IMPRINT_RE = re.compile(r"(?=.*\d)[A-Z0-9.,/()\s]+(?:\s*[—–]\s*[A-Z0-9.,/()\s-]+){2,}")


def _is_print_mark(text: str) -> bool:
    return bool(text) and bool(_PRINT_MARK_RE.fullmatch(text) or _IMPRINT_RE.fullmatch(text))


def _drop_print_marks(runs: list[_Run], height: float) -> list[_Run]:
    """Runs of a baseline that holds only print marks, or an imprint at the page's edge, are dropped.

    Done on runs, before lines are assembled: marks are set small, and a small run would
    otherwise travel as a superscript into the next line of text ("+ +6. (1) No person").
    """
    baselines: dict[int, list[_Run]] = {}
    for run in runs:
        if run.size and run.text.strip():
            baselines.setdefault(round(run.y), []).append(run)
    dropped: set[int] = set()
    for y, group in baselines.items():
        text = " ".join(r.text.strip() for r in sorted(group, key=lambda r: r.x0))
        edge = y < 60 or y > height - 40
        if _PRINT_MARK_RE.fullmatch(text) or (edge and _IMPRINT_RE.fullmatch(text)):
            dropped.update(id(r) for r in group)
    return [r for r in runs if id(r) not in dropped] if dropped else runs


# ----------------------------------------------------------------------------- older layouts


def _take_margin_runs(runs: list[_Run], body_size: float) -> tuple[list[_Run], list[_Run]]:
    """Split off small-print runs that stand wholly outside the body column (marginal headings).

    Older Government Press Acts print each section's heading in a narrow margin column beside
    its number; read in baseline order it would be spliced into the section's first line.
    """
    body = [r for r in runs if r.size >= 0.9 * body_size and r.text.strip()]
    if len(body) < 3:
        return runs, []
    lefts = sorted(r.x0 for r in body)
    rights = sorted(r.x1 for r in body)
    body_left, body_right = lefts[len(lefts) // 20], rights[-1 - len(rights) // 20]
    # Words only: a footnote number or marker hanging into the margin is not a heading.
    margin = [
        r
        for r in runs
        if r.size
        and r.size < 0.9 * body_size
        and (len(re.findall(r"[A-Za-z]", r.text)) >= 3 or re.fullmatch(r"\s*[A-Za-z]{1,2}[.,]?\s*", r.text))
        and (r.x1 < body_left - 6 or r.x0 > body_right + 6)
    ]
    if not margin:
        return runs, []
    ids = {id(r) for r in margin}
    return [r for r in runs if id(r) not in ids], margin


def _margin_blocks(margin: list[_Run]) -> list[tuple[float, str]]:
    """Margin runs grouped into notes: (baseline of the first line, text), top of the page first."""
    blocks: list[tuple[float, float, str]] = []  # (first y, last y, text)
    for run in sorted(margin, key=lambda r: (-r.y, r.x0)):
        text = run.text.strip().replace("\ufffe", "-")  # pdfium's mark for a hyphen at a line end
        if blocks and blocks[-1][1] - run.y <= 1.7 * run.size:
            first, _, joined = blocks[-1]
            blocks[-1] = (
                first,
                run.y,
                _join_margin(joined, text) if abs(run.y - blocks[-1][1]) > 0.8 else joined + " " + text,
            )
        else:
            blocks.append((run.y, run.y, text))
    return [(first, text) for first, _, text in blocks]


_KEEP_HYPHEN = {"sub", "non", "co", "self", "ex", "vice", "up", "by", "re"}


def _join_margin(left: str, right: str) -> str:
    """A narrow margin column breaks words: 'disqualifi-' + 'cations.' is one word; 'sub-' + 'section' keeps its hyphen."""
    word = re.search(r"(\w+)-$", left)
    if word and right[:1].islower() and word.group(1).lower() not in _KEEP_HYPHEN:
        return left[:-1] + right
    return _join_text(left, right)


def _with_margin_headings(
    runs: list[_Run], page_no: int, body_size: float, sup_limit: float, warnings: list[str]
) -> list[_Line]:
    """The page's lines, with marginal headings moved to their sections as 'N. Heading.— text'.

    Small print in the margin is taken for headings only when at least one note stands on the
    baseline of a bare section number ("5. (1) Every ..."); otherwise the page is read as it
    always was, so side tables and notes of ordinary layouts keep their text.
    """
    rest, margin = _take_margin_runs(runs, body_size)
    if not margin:
        return _assemble_lines(runs, page_no, sup_limit)
    lines = _assemble_lines(rest, page_no, sup_limit)
    placed: list[tuple[_Line, str]] = []
    unplaced: list[str] = []
    for y, note in _margin_blocks(margin):
        near = [ln for ln in lines if abs(ln.y - y) <= 0.8 * body_size]
        match = _BARE_SECTION_RE.match(near[0].text) if near else None
        # "5. Heading.— text" already carries its heading; "2. In this Act ... requires,—" does not.
        if match and not re.match(r"^[^—–]{1,150}\.\s*[—–]", _strip_tokens(match.group("rest"))):
            placed.append(
                (near[0], f"{match.group('num')}. {_strip_tokens(note).rstrip('. ')}.— {match.group('rest')}")
            )
        else:
            unplaced.append(note)
    if not placed or len(placed) < len(unplaced):
        return _assemble_lines(runs, page_no, sup_limit)
    for line, text in placed:
        line.parts = [text]
    for note in unplaced:
        warnings.append(
            f"page {page_no}: margin note {_strip_tokens(note)[:50]!r} stands beside no section number; left out"
        )
    return lines


def _drop_devanagari_lines(lines: list[_Line], page_no: int, warnings: list[str]) -> list[_Line]:
    """Lines mostly in Devanagari are the Hindi text of a bilingual print: kept out of the English.

    A Hindi word inside an English line stays; a line that is mostly Hindi would otherwise run
    into the English section it happens to follow.
    """
    kept: list[_Line] = []
    dropped = 0
    for line in lines:
        letters = [c for c in line.text if c.isalpha()]
        hindi = len(_DEVANAGARI_RE.findall(line.text))
        if letters and hindi > 0.5 * len(letters):
            dropped += 1
        else:
            kept.append(line)
    if dropped:
        warnings.append(f"page {page_no}: {dropped} line(s) in Devanagari (Hindi text) left out of the English text")
    return kept


def _assemble_lines(runs: list[_Run], page_no: int, sup_limit: float) -> list[_Line]:
    """Group runs into visual lines by baseline, attaching each superscript to its own line."""
    lines: list[_Line] = []
    current: _Line | None = None
    pending: list[_Run] = []  # superscripts seen since the last normal run
    for run in runs:
        if run.size == 0.0:
            if run.text == " " and pending:
                pending[-1].text += " "  # "1st day": the space follows the superscript
            elif run.text == " " and current is not None:
                current.parts.append(" ")
            continue
        run.sup = run.size <= sup_limit
        if run.sup:
            pending.append(run)
            continue
        if current is None or abs(run.y - current.y) > 2.0:
            new = _Line(y=run.y)
            # A superscript printed below the previous baseline sits at the start of the new line
            # ("8" before "[(a-3) ..."); one level with or above it ends the previous line
            # ("such date4").
            keep: list[_Run] = []
            if current is not None:
                keep = [s for s in pending if s.y >= current.y - 2.0]
                for sup in keep:
                    _add_run(current, sup, page_no)
            move = [s for s in pending if s not in keep]
            current = new
            lines.append(current)
            for sup in move:
                _add_run(current, sup, page_no)
        else:
            for sup in pending:
                _add_run(current, sup, page_no)
        pending = []
        _add_run(current, run, page_no)
    if pending:
        if current is None:
            current = _Line(y=pending[0].y)
            lines.append(current)
        for sup in pending:
            _add_run(current, sup, page_no)
    return lines


def _add_run(line: _Line, run: _Run, page_no: int) -> None:
    if line.starts_with_sup is None:
        line.starts_with_sup = run.sup and run.text.strip().isdigit()
    if run.sup and run.text.strip().isdigit():
        space = " " if run.text.endswith(" ") else ""
        line.parts.append(f"{_SUP_OPEN}{page_no}:{run.text.strip()}{_SUP_CLOSE}{space}")
        return
    if run.sup:
        line.parts.append(run.text)  # ordinal suffixes "st", "th": plain text
        return
    line.max_size = max(line.max_size, run.size)
    line.parts.append(run.text)


def _split_footnotes(lines: list[_Line], body_size: float) -> tuple[list[str], dict[str, str], list[str]]:
    """Page-bottom lines in the smaller font are footnotes; each starts with its superscript number."""
    small = 0.9 * body_size
    start = len(lines)
    while start > 0 and (lines[start - 1].max_size < small or not lines[start - 1].text):
        start -= 1
    foot = start
    # Small-font lines that do not begin a numbered footnote are body text (e.g. a table), or
    # the rest of the previous page's last footnote: the caller decides, knowing that page.
    while start < len(lines) and not (lines[start].starts_with_sup and lines[start].max_size < small):
        start += 1
    body = [ln.text for ln in lines[:foot] if ln.text]
    carried = [ln.text for ln in lines[foot:start] if ln.text]
    notes: dict[str, str] = {}
    key = None
    for line in lines[start:]:
        text = line.text
        match = re.match(_SUP_TOKEN + r"\s*(.*)$", text)
        if match and line.starts_with_sup:
            key = match.group(2)
            notes[key] = match.group(3)
        elif key is not None and text:
            notes[key] = _join_text(notes[key], text)
    notes = {k: re.sub(_SUP_TOKEN, lambda m: m.group(2), v).strip() for k, v in notes.items()}
    return body, notes, carried


def _join_carried_footnotes(pages: list[_Page], warnings: list[str]) -> None:
    """Join small print at the foot of a page to the previous page's last footnote if it breaks off.

    A footnote that ends without a full stop and small print that opens the next page's
    footnote area are one footnote running across the page break. Anything else stays body
    text, with a warning: it is small print that continues no footnote.
    """
    previous: _Page | None = None
    for page in pages:
        if page.carried:
            last = next(reversed(previous.footnotes), None) if previous and previous.footnotes else None
            if previous is not None and last is not None and not re.search(r"[.;:)\]]\s*$", previous.footnotes[last]):
                previous.footnotes[last] = _join_text(previous.footnotes[last], " ".join(page.carried))
            else:
                if previous is not None and previous.footnotes:
                    warnings.append(
                        f"page {page.number}: small print at the foot continues no footnote of "
                        f"page {previous.number}; kept as text"
                    )
                page.lines.extend(page.carried)
            page.carried = []
        previous = page


def _strip_headers(pages: list[_Page]) -> None:
    """Drop running headers: the top line(s) of a page that repeat across pages, with page numbers."""
    counts: Counter[str] = Counter(_header_key(text) for page in pages for _, text in page.top_lines)
    for page in pages:
        top = max((y for y, _ in page.top_lines), default=None)
        for y, text in page.top_lines:
            is_first = y == top  # the highest line, wherever the content stream put it
            # A first line is a running header only when its shape recurs on another page (odd
            # and even pages differ, so twice is enough) or it is a bare page number. Dropping
            # every first line would eat a one-page Act's title or a page's first section.
            numbers = re.findall(r"^\d{1,4}\b|\b\d{1,4}$", _strip_tokens(text))
            header = (
                counts[_header_key(text)] >= 2
                or str(page.number) in numbers
                or re.fullmatch(r"[-–\s]*\d{1,4}[-–\s]*", text)
            )
            if ((is_first and header) or counts[_header_key(text)] >= 3) and text in page.lines[:3]:
                page.lines.remove(text)
            elif is_first and header and text in page.lines:
                page.lines.remove(text)  # a header drawn after the page's text, at its top
        if page.lines and re.fullmatch(r"[-–\s]*\d{1,4}[-–\s]*", page.lines[-1]):
            page.lines.pop()  # a page number printed at the foot


def _header_key(text: str) -> str:
    """A running header's shape: its words in any order, without page numbers or punctuation.

    Older prints set the short title and the year in a different order on odd and even pages
    ("Panchayats Act, 1961  5" and "6  1961 : Act 5] Panchayats Act"): one header all the same.
    """
    words = sorted(set(re.findall(r"[a-z]+", re.sub(_SUP_TOKEN, "", text).lower())))
    return " ".join(words) if words else re.sub(r"\d+", "#", re.sub(_SUP_TOKEN, "", text)).strip()


# ----------------------------------------------------------------------------- document level


def _read_front_matter(pages: list[_Page]) -> tuple[str, date | None]:
    first = pages[0].lines if pages else []
    title_lines: list[str] = []
    text_as_on = None
    # The date may stand under the Act's number, after the title block has ended.
    dated = next((m for line in first[:12] if (m := _TEXT_AS_ON_RE.search(line))), None)
    if dated:
        text_as_on = _parse_date(*dated.groups())
    for line in first[:8]:
        if _TEXT_AS_ON_RE.search(line):
            break
        if line.startswith(("—", "_", "-", "CONTENTS", "ARRANGEMENT")) or _ends_title(line, title_lines):
            break
        title_lines.append(line)
    title = _title_case(" ".join(title_lines)) if title_lines else ""
    return title, text_as_on


def _ends_title(line: str, title_lines: list[str]) -> bool:
    """The title is the capitals at the top; '(KARNATAKA ACT NO. 14 OF 1993)', a section or body text ends it."""
    if _SECTION_RE.match(line) or _ACT_START_RE.match(line) or _CHAPTER_RE.match(line):
        return True
    if re.match(r"^\(.*\bACT\s+No\.?\s*\d", line, re.IGNORECASE):
        return True
    letters = [c for c in _strip_tokens(line) if c.isalpha()]
    return bool(title_lines) and bool(letters) and sum(c.isupper() for c in letters) < 0.8 * len(letters)


def _parse_date(day: str, month: str, year: str) -> date | None:
    month_no = _MONTHS.get(month.lower())
    if not month_no:
        return None
    try:
        return date(int(year), month_no, int(day))
    except ValueError:
        return None


def _title_case(text: str) -> str:
    words = re.sub(r"\s+", " ", text).strip().split(" ")
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i and lower.strip("(") in _SMALL_WORDS:
            out.append(lower)
        else:
            out.append(re.sub(r"[A-Za-z][A-Za-z']*", lambda m: m.group(0).capitalize(), word))
    return " ".join(out)


def _find_start(lines: list[tuple[int, str]]) -> int:
    """Index of the first line of the Act proper, after contents and the list of amending Acts."""
    for i, (_, text) in enumerate(lines):
        if _ACT_START_RE.match(text):
            return i
    for i, (_, text) in enumerate(lines):
        match = _SECTION_RE.match(text)
        if match and match.group("num") == "1" and "—" in match.group("rest"):
            return i
    # No "1. Heading.—" line: at least skip the contents, whose "4. [Deleted]" entries would
    # otherwise open sections and swallow the whole Act. The Act starts where "1." comes again.
    begin = next((i for i, (_, text) in enumerate(lines) if _CONTENTS_START_RE.match(text)), None)
    if begin is not None:
        ones = [i for i in range(begin + 1, len(lines)) if re.match(r"^\[?\s*1\.\s", _strip_tokens(lines[i][1]))]
        if len(ones) >= 2:
            return ones[1]
    return 0


_CONTENTS_START_RE = re.compile(r"^\s*(?:CONTENTS|ARRANGEMENT\s+OF\s+SECTIONS)\b", re.IGNORECASE)
_CONTENTS_END_RE = re.compile(r"^\s*(?:LIST\s+OF\s+AMENDMENT|STATEMENT\s+OF\s+OBJECTS)", re.IGNORECASE)
_ENTRY_RE = re.compile(r"^\[?\s*(?P<num>[0-9]{1,4}(?: ?[A-Z]{1,3})?(?:-[0-9]+[A-Z]{0,3})?)\.\s*(?P<rest>.*)$")
# Two contents columns read on one baseline: "1. Short title. 5. Term of office."
_ENTRY_SPLIT_RE = re.compile(r"(?<=[.\]])\s+(?=[0-9]{1,4}[A-Z]{0,3}(?:-[0-9]+[A-Z]{0,3})?\.\s)")


def _read_contents(lines: list[tuple[int, str]]) -> tuple[tuple[str, str], ...]:
    """The Act's arrangement of sections from its contents pages, before the Act proper starts.

    Entries are "N. Heading." (wrapped headings continue on the next line); chapter lines are
    skipped; "[Deleted]" entries are kept, for a deleted section is still a listed number. The
    list ends at the Act's start, at a "List of Amendment Acts", or where numbering falls back
    (a second numbered list on the same pages).
    """
    start = _find_start(lines)
    begin = next((i for i, (_, text) in enumerate(lines[:start]) if _CONTENTS_START_RE.match(text)), None)
    if begin is None:
        return ()
    entries: list[list[str]] = []
    last = 0
    for _, raw in lines[begin + 1 : start]:
        text = _strip_tokens(raw)
        if _CONTENTS_END_RE.match(text):
            break
        if entries and re.match(r"^(?:THE\s+)?SCHEDULES?\b", text):
            break  # schedules follow the last section
        if _CHAPTER_RE.match(text) or re.fullmatch(r"(?:PREAMBLE|SECTIONS?)\.?", text):
            continue
        if _GROUP_RE.match(text):
            continue  # "(3) Elections and publication of names ...": a group of sections, not an entry
        for part in _ENTRY_SPLIT_RE.split(text):
            match = _ENTRY_RE.match(part)
            if match:
                number = match.group("num").replace(" ", "")
                value = _leading_int(number)
                if value < last:
                    return tuple((n, h) for n, h in entries)
                last = value
                entries.append([number, match.group("rest").strip()])
            elif entries and text.upper() != text:
                entries[-1][1] = _join_text(entries[-1][1], part.strip())
    # Two-column contents list the left column first: order by number.
    out = [(n, _title_heading(h)) for n, h in entries]
    return tuple(sorted(out, key=lambda e: _number_key(e[0])))


# "(2) Municipal Authorities and Establishment of Councils.": a heading over a group of sections
# inside a chapter, listed in the contents and printed again in the body between two sections.
_GROUP_RE = re.compile(r"^\((?P<n>\d{1,2})\)\s+(?P<title>[A-Z][^.;:—]{3,150})\.?$")


def _group_headings(lines: list[tuple[int, str]]) -> set[str]:
    """The contents' group headings, in the loose form :func:`_group_key` gives."""
    start = _find_start(lines)
    begin = next((i for i, (_, text) in enumerate(lines[:start]) if _CONTENTS_START_RE.match(text)), None)
    if begin is None:
        return set()
    return {_group_key(text) for _, text in lines[begin + 1 : start] if _GROUP_RE.match(_strip_tokens(text))}


def _group_key(text: str) -> str:
    # The contents and the body may differ in a plural ("(6) Power of requisitioning ..." listed,
    # "(6) Powers of requisitioning ..." printed in MH MCA): a final "s" does not tell them apart.
    words = re.findall(r"[a-z0-9]+", _strip_tokens(text).lower())
    return "".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def _title_heading(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if re.fullmatch(r"\[?\s*(?:Deleted|Omitted|Repealed)\s*\]?\.?", text, re.IGNORECASE) or not text:
        return "[Deleted]" if text else ""
    return text


def _number_key(number: str) -> tuple[int, str]:
    match = re.match(r"(\d+)(.*)$", number)
    return (int(match.group(1)), match.group(2)) if match else (0, number)


@dataclass
class _Draft:
    number: str
    heading: str
    lines: list[tuple[int, str]]
    container: tuple[str, ...]
    repealed: bool = False


def _split_sections(
    lines: list[tuple[int, str]], footnotes: dict[tuple[int, str], str], warnings: list[str]
) -> list[RawSection]:
    start = _find_start(lines)
    groups = _group_headings(lines)
    drafts: list[_Draft] = []
    container: tuple[str, ...] = ()
    last_int = 0
    i = start
    while i < len(lines):
        page_no, text = lines[i]
        if drafts and _END_RE.match(text):
            warnings.append(
                f"text from page {page_no} on ({_strip_tokens(text)[:40]}) is not read: "
                "schedules and appended matter are not sections"
            )
            break
        chapter = _CHAPTER_RE.match(text)
        if chapter:
            title, used = _chapter_title(lines, i + 1)
            name = re.sub(r"^(CHAPTERS?)(?=[IVXLC])", r"\1 ", _strip_tokens(chapter.group("ch")))  # "CHAPTERXII"
            container = (f"{name} - {title}" if title else name,)
            gone = re.search(r"\x01(\d+):(\d+)\x02\s*\[?[\s*]+\]?\s*$", text)
            if gone:
                # "CHAPTER IXA [***]": a chapter the Act no longer has; its footnote belongs to no section.
                note = footnotes.get((int(gone.group(1)), gone.group(2)), "no footnote found")
                warnings.append(f"{name.split('[')[0].strip()} is omitted in the source ({note})")
            i += 1 + used
            continue
        if groups and _group_key(text) in groups and _GROUP_RE.match(_strip_tokens(text)):
            container = (*container[:1], _strip_tokens(text))
            i += 1
            continue
        heading = _match_heading(lines, i, last_int, footnotes)
        if heading:
            number, head, body_start, used, repealed = heading
            last_int = _leading_int(number)
            # A heading inside an amendment bracket ("^2[4. Salary.— ...]") leaves the marker
            # and its bracket at the body start, so the bracket still closes where it should.
            section = _SECTION_RE.match(text)  # it matched: _match_heading found a heading here
            pre = ((section.group("pre") if section else None) or "").replace(" ", "")
            if not repealed:
                body_start = pre + body_start
            elif body_start == "***" and pre:
                body_start = pre.rstrip("[") + "***"  # "^5[30A-1B. [* * *]]": an omitted section
            first_body = [(page_no, body_start)] if body_start else []
            drafts.append(_Draft(number, head, first_body, container, repealed))
            i += used
            continue
        deleted = _deleted_section(text, page_no, footnotes)
        if deleted and drafts:
            drafts.append(_Draft(deleted, "[Deleted]", [(page_no, text)], container, True))
            i += 1
            continue
        omitted = _omitted_numbers(lines, i, last_int)
        if omitted and drafts:
            numbers, used = omitted
            marker = " ".join(text for _, text in lines[i : i + used])
            star = re.search(_SUP_TOKEN + r"\s*\[?[\s*]*\]?", marker)
            for number in numbers:
                body = star.group(0) if star else "***"
                drafts.append(_Draft(number, "[Deleted]", [(page_no, body)], container, True))
            last_int = _leading_int(numbers[-1])
            i += used
            continue
        if drafts:
            drafts[-1].lines.append((page_no, text))
        i += 1
    return [_finish_section(d, footnotes, warnings) for d in drafts]


def _chapter_title(lines: list[tuple[int, str]], start: int) -> tuple[str, int]:
    """The title line(s) under a CHAPTER heading: up to the next section heading."""
    parts: list[str] = []
    used = 0
    for _, text in lines[start : start + 3]:
        if _SECTION_RE.match(text) or _CHAPTER_RE.match(text) or (parts and not _title_like(text)):
            break
        part = _strip_tokens(text).strip("[] ")
        if _mostly_capitals(part):
            part = part.upper()  # small capitals come out of the text layer half lower-case
        parts.append(part)
        used += 1
        following = lines[start + used][1] if start + used < len(lines) else ""
        if not (text.rstrip().endswith(("AND", "OF", "FOR", "IN", "TO", "THE", ",")) or _title_like(following)):
            break
    return " ".join(parts), used


def _title_like(text: str) -> bool:
    """A chapter title's next line, in capitals, with an amended word now and then in lower case
    ("AMALGAMATION AND DIVISION OF Panchayats", MH VPA Chapter XII): not a section's text."""
    if _SECTION_RE.match(text) or _CHAPTER_RE.match(text):
        return False
    return _mostly_capitals(_strip_tokens(text), least=3)


def _mostly_capitals(text: str, least: int = 1) -> bool:
    """At least ``least`` letters, more than 60% of them capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= least and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _match_heading(lines, i, last_int, footnotes):
    """A section heading at lines[i]: "13. Persons qualified ... elected.— (1) ...", maybe wrapped."""
    _page_no, text = lines[i]
    match = _SECTION_RE.match(text)
    if not match:
        return None
    number = match.group("num").replace(" ", "")  # "134 A." is section 134A
    if _leading_int(number) < last_int:
        return None
    rest = match.group("rest")
    # The heading may wrap onto one or two more lines before its dash.
    for extra in range(3):
        dash = re.search(r"\.?\s*[—–]\s*", rest)
        if dash and not re.match(r"^\s*\[?\s*\*", rest):
            heading = rest[: dash.start()].strip()
            if len(heading) > 250:
                return None
            heading = _strip_tokens(heading).strip() + "."
            return number, heading, rest[dash.end() :].strip(), 1 + extra, False
        if re.fullmatch(r"\[?\s*\*[\s*]*\]*\.?\s*", rest):
            return number, "[Deleted]", "***", 1 + extra, True
        deleted = re.match(r"^\[?\s*Deleted\s*\]?\.?(.*)$", rest, re.IGNORECASE)
        if deleted:
            return number, "[Deleted]", rest, 1 + extra, True
        # "17. [Fresh election if ...] Deleted by Mah. 36 of 1965, s. 11."
        struck = re.match(r"^\[(?P<h>[^\]]+)\]\s*\.?\s*(?:Deleted|Omitted|Repealed)\b", rest, re.IGNORECASE)
        if struck:
            return number, _strip_tokens(struck.group("h")).strip(), rest, 1 + extra, True
        bracketed = re.match(r"^(?:\x01(\d+):(\d+)\x02\s*)?\[(?P<h>[^\]]+)\]\s*\.?\s*$", rest)
        if bracketed and bracketed.group(1):
            note = footnotes.get((int(bracketed.group(1)), bracketed.group(2)), "")
            if re.search(r"\b(deleted|omitted|repealed)\b", note, re.IGNORECASE):
                return number, _strip_tokens(bracketed.group("h")).strip(), rest, 1 + extra, True
        if i + extra + 1 >= len(lines) or extra == 2:
            return None
        nxt = lines[i + extra + 1][1]
        if _SECTION_RE.match(nxt) or _LABEL_START_RE.match(nxt):
            return None
        rest = _join_text(rest, nxt)
    return None


_NUM = r"[0-9]{1,4}[A-Z]{0,3}(?:-[0-9]+[A-Z]{0,3})?"
# "4." alone, "314.^5* * *", "11A. and 11B. ^3* * *": numbers whose sections were omitted, the
# stars on the same line or on the next.
_OMITTED_RE = re.compile(
    r"^(?P<nums>"
    + _NUM
    + r"\.(?:\s*(?:,|and)\s*"
    + _NUM
    + r"\.)*)\s*(?P<stars>(?:\x01\d+:\d+\x02\s*)?\[?[\s*]*\]?\.?)$"
)
_STARS_RE = re.compile(r"^(?:\x01\d+:\d+\x02\s*)?\[?\s*\*[\s*]*\]?\.?$")


def _leading_int(number: str) -> int:
    """30 for "30A-1B": every section-number pattern here captures a number that begins with digits."""
    return int(number[: len(number) - len(number.lstrip("0123456789"))])


def _omitted_numbers(lines: list[tuple[int, str]], i: int, last_int: int) -> tuple[list[str], int] | None:
    match = _OMITTED_RE.match(lines[i][1])
    if not match:
        return None
    numbers = re.findall(_NUM, match.group("nums"))
    if _leading_int(numbers[0]) < last_int:
        return None
    if "*" in match.group("stars"):
        return numbers, 1
    if i + 1 < len(lines) and _STARS_RE.match(lines[i + 1][1]):
        return numbers, 2
    return None


def _deleted_section(text: str, page_no: int, footnotes) -> str | None:
    """A line that is only "^6[* * * *]" whose footnote says "Section 6 was deleted" is section 6."""
    match = re.match(r"^\x01(\d+):(\d+)\x02\s*\[?[\s*]+\]?\s*\.?$", text)
    if not match:
        return None
    note = footnotes.get((int(match.group(1)), match.group(2)), "")
    deleted = re.match(
        r"^Section\s+(\d+[A-Z]{0,3}(?:-\d+[A-Z]{0,3})?)\s+(?:was|has been)\s+"
        r"(?:deleted|omitted|repealed)",
        note,
    )
    return deleted.group(1) if deleted else None


def _finish_section(draft: _Draft, footnotes, warnings: list[str]) -> RawSection:
    body = _join_paragraphs([text for _, text in draft.lines])
    used: list[tuple[str, str]] = []

    def key_of(page: str, n: str) -> str:
        key = f"p{page}-{n}"
        if key not in [k for k, _ in used]:
            note = footnotes.get((int(page), n))
            if note is None:
                warnings.append(f"s.{draft.number}: no footnote {n} on page {page} for its marker")
            used.append((key, note or ""))
        return key

    def omission(m: re.Match) -> str:
        return f"^{key_of(m.group(1), m.group(2))}***"

    def insertion(m: re.Match) -> str:
        return f"^{key_of(m.group(1), m.group(2))}["

    def reference(m: re.Match, gap: bool = False) -> str:
        key_of(m.group(1), m.group(2))
        # "such date4as the" in the text layer: the superscript was the only word gap.
        return " " if gap or m.group(0).startswith(" ") else ""

    body = re.sub(_SUP_TOKEN + r"\s*\[\s*\*[\s*]*(?:Deleted|Omitted)?\s*\]", omission, body)
    body = re.sub(_SUP_TOKEN + r"\s*\*(?:\s*\*)*", omission, body)
    body = re.sub(_SUP_TOKEN + r"\s*\[", insertion, body)
    body = re.sub(r"(?<=\w)" + _SUP_TOKEN + r"(?=\w)", lambda m: reference(m, gap=True), body)
    body = re.sub(_SUP_TOKEN, reference, body)
    body = re.sub(r"[ \t]+\n", "\n", re.sub(r"[ \t]{2,}", " ", body)).strip()
    repealed = draft.repealed or bool(re.fullmatch(r"(\^[\w-]+\*\*\*\s*)+\.?", body))
    return RawSection(
        number=draft.number,
        heading=draft.heading,
        body=body,
        footnotes=tuple((k, v) for k, v in used if v),
        container=draft.container,
        repealed=repealed,
    )


def _join_paragraphs(lines: list[str]) -> str:
    """Re-join wrapped lines; a clause label, proviso or Explanation at a line start opens a paragraph."""
    paragraphs: list[str] = []
    for text in lines:
        if paragraphs and not _starts_paragraph(text, paragraphs[-1]):
            paragraphs[-1] = _join_text(paragraphs[-1], text)
        else:
            paragraphs.append(text)
    return "\n".join(paragraphs)


def _starts_paragraph(text: str, previous: str) -> bool:
    if _NEW_PARA_RE.match(text):
        return True
    if re.match(r"^\x01\d+:\d+\x02\s*\[?\s*\*", text):
        return True  # an omitted clause stands on its own line
    if not _LABEL_START_RE.match(text):
        return False
    bare = re.sub(r"^(?:\x01\d+:\d+\x02\s*)?\[?\s*", "", text)
    before = _strip_tokens(previous)
    if _REF_AFTER_LABEL_RE.match(bare) and _MID_SENTENCE_END_RE.search(before):
        return False
    return not _REF_WORD_END_RE.search(before)


def _join_text(left: str, right: str) -> str:
    if not left:
        return right
    if left.endswith("\u00ad"):  # a soft hyphen at the line end: one word broken in two
        return left[:-1] + right.lstrip()
    # "sub-" at a line end continues the word ("sub-\nsection").
    if left.endswith("-") and right[:1].islower():
        return left + right
    return left.rstrip() + " " + right.lstrip()


def _strip_tokens(text: str) -> str:
    return re.sub(_SUP_TOKEN, "", text).strip()
