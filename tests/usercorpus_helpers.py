"""Helpers for the user-corpus tests: a small catalogue that builds in a second, and a loopback
India Code server. Nothing here touches the internet."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SOURCES = ROOT.parent / "shared" / "corpus"


def mini_corpus(
    target: Path, keep_formats: tuple[str, ...] = ("excerpt-txt",), drop_sources_of: tuple[str, ...] = ()
) -> Path:
    """A corpus folder with the whole shipped catalogue (all 414 Acts, for matching) but only the
    small excerpt texts as sources, the real topics, and no rules: a build takes a second."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(CORPUS / "jurisdictions.yaml", target / "jurisdictions.yaml")
    shutil.copy(CORPUS / "topics.yaml", target / "topics.yaml")
    (target / "rules").mkdir(exist_ok=True)
    acts = yaml.safe_load((CORPUS / "acts.yaml").read_text(encoding="utf-8"))
    for act in acts:
        sources = [s for s in act.get("sources") or [] if s["format"] in keep_formats]
        if act["id"] in drop_sources_of:
            sources = []
        if sources and not any(s["role"] == "primary" for s in sources):
            sources[0]["role"] = "primary"
        if sources:
            act["sources"] = sources
        else:
            act.pop("sources", None)
    (target / "acts.yaml").write_text(yaml.safe_dump(acts, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


class _Handler(http.server.SimpleHTTPRequestHandler):
    routes: dict[str, bytes] = {}
    seen_agents: list[str] = []

    def do_GET(self) -> None:
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        body = self.routes.get(self.path) or self.routes.get(self.path.split("?")[0])
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def serve(routes: dict[str, bytes]) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server on a random port; yields (base URL, User-Agents seen)."""
    handler = type("Handler", (_Handler,), {"routes": routes, "seen_agents": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.seen_agents
    finally:
        server.shutdown()
        server.server_close()


# ----------------------------------------------------------------------------- PDF writer

# One text item: (x, y, font size, text) in PDF points from the bottom-left corner.
Item = tuple[float, float, float, str]


def write_pdf(path: Path, pages: list[list[Item] | None], width: float = 595, height: float = 842) -> Path:
    """A PDF whose pages carry exactly these text items in Times-Roman (pdfium's standard font).

    ``None`` for a page draws only a grey rectangle, as a scanned page looks to a text reader:
    something on the page, no text layer.
    """
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    for items in pages:
        page = pdf.new_page(width, height)
        if items is None:
            rect = raw.FPDFPageObj_CreateNewRect(40, 40, width - 80, height - 80)
            raw.FPDFPageObj_SetFillColor(rect, 200, 200, 200, 255)
            raw.FPDFPath_SetDrawMode(rect, raw.FPDF_FILLMODE_ALTERNATE, 0)
            raw.FPDFPage_InsertObject(page.raw, rect)
        for x, y, size, text in items or []:
            obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Times-Roman", ctypes.c_float(size))
            buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            raw.FPDFPage_InsertObject(page.raw, obj)
        raw.FPDFPage_GenerateContent(page.raw)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(str(path))
    pdf.close()
    return path


def lines_at(x: float, top: float, texts: list[str], size: float = 11, leading: float = 14) -> list[Item]:
    """Body lines set one under another from ``top`` down."""
    return [(x, top - i * leading, size, text) for i, text in enumerate(texts)]


def karnataka_pdf(path: Path) -> Path:
    """A small Government-Press style Karnataka Act: title, Act number, sections with a dash."""
    page1 = lines_at(
        72,
        780,
        [
            "THE KARNATAKA GRAM SWARAJ AND PANCHAYAT RAJ ACT, 1993",
            "(KARNATAKA ACT NO. 14 OF 1993)",
            "1. Short title and commencement.— (1) This Act may be called the Karnataka Gram",
            "Swaraj and Panchayat Raj Act, 1993.",
            "(2) It shall come into force on such date as the State Government may notify.",
            "2. Definitions.— In this Act, unless the context otherwise requires,—",
            '(a) "Gram Panchayat" means a Gram Panchayat established under section 4;',
            '(b) "voter" means a person whose name is in the list of voters.',
            "11. Qualification for membership.— A person shall not be qualified to be chosen as a",
            "member of a Gram Panchayat unless he is a voter and has attained the age of twenty-one years.",
            "12. Disqualification for membership.— (1) A person shall be disqualified for being",
            "chosen as, and for being, a member of a Gram Panchayat,—",
            "(a) if he has been convicted of an offence involving moral turpitude; or",
            "(b) if he has more than two children.",
        ],
    )
    return write_pdf(path, [page1])
