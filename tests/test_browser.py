"""The few flows that need a real browser: Playwright drives the Debian chromium against
`seckb serve` started on a free port (as a user would start it). A failing test saves a
screenshot (to $SECKB_SCREENSHOT_DIR, or the test's temporary folder) and names it."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web_helpers import HOSTILE_NOTE, ROOT, copy_with_notes

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
)


def find_free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(proc: subprocess.Popen, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"seckb serve exited ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"seckb serve did not answer in {timeout:.0f} s: {proc.stderr.read().decode()[-2000:]}")


@pytest.fixture(scope="module")
def server(built_kb, tmp_path_factory) -> Iterator[str]:
    data = copy_with_notes(built_kb, tmp_path_factory.mktemp("browser") / "data")
    port = find_free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "serve", "--data", str(data), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_server(proc, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """A browser tab that records console errors, page errors and dialogs (an alert is a failure)."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        self.tab = self.context.new_page()
        self.base = base
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.tab.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.tab.on("pageerror", lambda e: self.console_errors.append(str(e)))

        def dismiss(dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.tab.on("dialog", dismiss)

    def goto(self, path: str):
        response = self.tab.goto(self.base + path)
        assert response is not None and response.ok, (path, response and response.status)
        return response


@pytest.fixture
def page(browser, server, request, tmp_path) -> Iterator[Page]:
    tab = Page(browser, server)
    try:
        yield tab
    finally:
        tab.context.close()


@contextlib.contextmanager
def screenshot_on_failure(page: Page, name: str, folder: Path) -> Iterator[None]:
    try:
        yield
    except BaseException as exc:
        target = Path(os.environ.get("SECKB_SCREENSHOT_DIR", folder)) / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):
            page.tab.screenshot(path=str(target), full_page=True)
        raise AssertionError(f"{exc} (screenshot: {target})") from exc


@pytest.fixture
def shot(page, request, tmp_path):
    return screenshot_on_failure(page, request.node.name, tmp_path)


def test_search_then_open_a_hit_shows_the_clause_and_its_provenance(page, shot):
    from playwright.sync_api import expect

    with shot:
        page.goto("/")
        page.tab.fill("#q", "more than two children")
        page.tab.press("#q", "Enter")
        page.tab.wait_for_selector("ol.hits")
        assert page.tab.locator("ol.hits mark").count() > 0
        page.tab.locator("ol.hits a.hit-title[href^='/p/']").first.click()
        page.tab.wait_for_selector(".provision-text")
        assert "more than two children" in page.tab.inner_text(".provision-text")
        provenance = page.tab.inner_text("dl.provenance")
        assert "Text as on" in provenance and "sha256" in provenance
        assert page.tab.locator("dl.provenance a[href^='https://']").count() == 1
        citation = page.tab.get_attribute("button[data-copy]", "data-copy")
        page.tab.click("button[data-copy]")  # visible once the script runs; answers in the status line
        # (wait_for_function with a string would need 'unsafe-eval', which the CSP rightly forbids)
        expect(page.tab.locator("#copy-status")).to_contain_text(citation)
        assert page.console_errors == []


def test_compare_builder_with_three_states_gives_the_table_and_a_csv(page, shot, tmp_path):
    with shot:
        page.goto("/compare")
        for state in ("Maharashtra", "Manipur", "Delhi"):
            page.tab.get_by_role("checkbox", name=state).check()
        page.tab.get_by_role("checkbox", name="Two-child norm").check()
        page.tab.get_by_role("checkbox", name="Minimum age of candidate").check()
        page.tab.get_by_role("button", name="Compare").click()
        page.tab.wait_for_selector("table.seckb-compare")
        heads = page.tab.locator("table.seckb-compare thead th").all_inner_texts()
        assert heads == ["Rule", "DL", "MH", "MN"]
        # No body chosen: a row per rule and body (issue 13), each saying which body it is about.
        labels = page.tab.locator("table.seckb-compare tbody th").all_inner_texts()
        assert len(labels) == 4 and sum("panchayat" in label for label in labels) == 2
        with page.tab.expect_download() as info:
            page.tab.get_by_role("link", name="csv", exact=True).click()
        path = tmp_path / "compare.csv"
        info.value.save_as(path)
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert {r["jurisdiction"] for r in rows} == {"DL", "MH", "MN"} and len(rows) == 12
        assert {r["body"] for r in rows} == {"panchayat", "municipal"}
        assert page.console_errors == []


def test_coverage_is_coloured_with_a_legend(page, shot):
    with shot:
        page.goto("/coverage")
        assert page.tab.locator("table.coverage tbody tr").count() == 37
        colour = "el => getComputedStyle(el).backgroundColor"
        full = page.tab.locator("tr#j-MH td.st-full").first.evaluate(colour)
        catalogued = page.tab.locator("td.st-catalogued").first.evaluate(colour)
        assert full != catalogued and full != "rgba(0, 0, 0, 0)"
        assert page.tab.locator(".legend li").count() == 4
        assert page.console_errors == []


def test_a_hostile_note_renders_inert(page, shot):
    with shot:
        page.goto(f"/notes/{HOSTILE_NOTE}")
        assert '<script>alert("title")</script>' in page.tab.inner_text("h1")
        assert page.tab.locator(".note-body script, .note-body img, .note-body [onclick]").count() == 0
        page.tab.get_by_text("hover").hover()
        page.tab.get_by_text("click me").click()
        page.tab.wait_for_timeout(300)
        assert page.dialogs == [] and page.console_errors == []


def test_keyboard_alone_reaches_the_search_box_and_the_results(page, shot):
    with shot:
        page.goto("/")
        focused = page.tab.evaluate("document.activeElement.id")  # the home page may focus it already
        for _ in range(10):
            if focused == "q":
                break
            page.tab.keyboard.press("Tab")
            focused = page.tab.evaluate("document.activeElement.id")
        assert focused == "q", "Tab never reached the search box"
        page.tab.keyboard.type("two-child norm")
        page.tab.keyboard.press("Enter")
        page.tab.wait_for_selector("ol.hits")
        for _ in range(40):
            page.tab.keyboard.press("Tab")
            if page.tab.evaluate("document.activeElement.classList.contains('hit-title')"):
                break
        else:
            pytest.fail("Tab never reached a result")
        with page.tab.expect_navigation():
            page.tab.keyboard.press("Enter")
        assert "/p/" in page.tab.url or "/notes/" in page.tab.url


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=election&state=MH",
        "/p/MH-VPA-1959%20s.14(1)(j-1)",
        "/compare",
        "/compare?topic=candidate-disqualification&states=MH,MN,DL&body=panchayat",
        "/compare?rule=two_child_norm",
        "/coverage",
        "/notes",
        "/notes/mh-two-child-norm",
        "/brief",
    ],
)
def test_no_page_logs_a_console_error(page, shot, path):
    with shot:
        page.goto(path)
        page.tab.wait_for_load_state("networkidle")
        assert page.console_errors == [], page.console_errors


def test_a_wide_table_prints_landscape_with_link_addresses(browser, tmp_path):
    from kb.model import Cell, ComparisonTable, Row
    from kb.render import render_table
    from kb.vocab import CellStatus

    states = ("MH", "MN", "DL", "KL", "KA", "TN")
    # A secondary rule: its source is a link, and on paper the address is printed after it.
    cell = Cell(
        "yes",
        secondary=True,
        status=CellStatus.SECONDARY.value,
        summary="A person with more than two children is disqualified.",
        source_url="https://example.org/src",
    )
    table = ComparisonTable("Wide", dt.date(2025, 1, 1), None, states, (Row("k", "Rule", (cell,) * 6),))
    tab = browser.new_page()
    try:
        tab.set_content(render_table(table, "html"))
        tab.emulate_media(media="print")
        after = tab.evaluate("getComputedStyle(document.querySelector('td a'), '::after').content")
        assert "https://example.org/src" in after
        pdf = tab.pdf(prefer_css_page_size=True)
    finally:
        tab.close()
    boxes = {tuple(round(float(v)) for v in box.split()[2:]) for box in re.findall(rb"/MediaBox \[([\d. ]+)\]", pdf)}
    assert (842, 595) in boxes, boxes  # A4 landscape for the page holding the wide table
