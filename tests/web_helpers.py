"""Shared by the web tests: a knowledge base with notes (one hostile), and page inspection helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from kb.notes import import_notes

ROOT = Path(__file__).resolve().parents[1]
NOTE_FIXTURES = Path(__file__).parent / "fixtures" / "notes"
HOSTILE_NOTE = "hostile"


def copy_with_notes(built_kb: Path, target: Path) -> Path:
    """A copy of the built knowledge base with the shipped sample notes and the hostile test note."""
    shutil.copytree(built_kb, target, symlinks=True)
    for folder in (ROOT / "corpus" / "notes", NOTE_FIXTURES / "hostile"):
        report = import_notes(target, None, folder)
        assert report.ok, [e.one_line() for e in report.errors]
    return target


def unsafe_markup(soup: BeautifulSoup) -> list[str]:
    """Inline scripts, on* handlers, javascript: links and inline styles left in a parsed page."""
    found = [f"<{tag.name}>" for tag in soup.find_all(["iframe", "object", "embed"])]
    found += [f"inline <script>{tag.string!r}" for tag in soup.find_all("script") if not tag.get("src")]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{tag.name}[{name}]")
            if name in ("href", "src", "action") and str(value).strip().lower().startswith("javascript:"):
                found.append(f"{tag.name}[{name}={value}]")
    return found
