"""`seckb fetch` against a loopback copy of India Code (the saved pages), never the internet."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from usercorpus_helpers import SOURCES, mini_corpus, serve

from kb.fetch import FetchError, FetchOptions, fetch_act

MH = SOURCES / "maharashtra"
PAGE = MH / "state-election-commissioner-act-1994.indiacode-actpage.html"
PDF = MH / "state-election-commissioner-act-1994.pdf"
PDF_PATH = "/bitstream/123456789/16733/5/he_state_election_commissioner_.pdf"
FAST = FetchOptions(timeout=5, retries=1, backoff=0.05)


@pytest.fixture
def kb_without_sec_act(tmp_path, monkeypatch):
    """A knowledge base whose catalogue knows MH-SECA-1994 but holds none of its texts."""
    from kb.build import BuildOptions, build_knowledge_base

    corpus = mini_corpus(tmp_path / "corpus", drop_sources_of=("MH-SECA-1994",))
    monkeypatch.setenv("SECKB_CORPUS", str(corpus))
    data = tmp_path / "data"
    build_knowledge_base(BuildOptions(sources_dir=SOURCES, data_dir=data))
    return data


@pytest.fixture
def india_code():
    yield from serve({"/handle/123456789/16733": PAGE.read_bytes(), PDF_PATH: PDF.read_bytes()})


def _texts(data: Path) -> set[str]:
    from sqlalchemy import select

    from kb.knowledge import KnowledgeBase
    from kb.store import tables as t

    with KnowledgeBase.open(data) as handle, handle.session() as session:
        return set(session.scalars(select(t.SourceDocument.act_id).where(t.SourceDocument.role == "primary")))


def test_fetch_adds_the_act_from_its_act_page(kb_without_sec_act, india_code, monkeypatch):
    data = kb_without_sec_act
    base, agents = india_code
    assert "MH-SECA-1994" not in _texts(data)
    monkeypatch.setenv("SECKB_INDIACODE_BASE", base)
    report = fetch_act("123456789/16733", data, SOURCES, options=FAST)
    assert (report.act_id, report.role, report.format, report.sections) == ("MH-SECA-1994", "primary", "pdf", 10)
    assert "MH-SECA-1994" in _texts(data)
    stored = data / "current" / report.stored_as
    assert stored.read_bytes() == PDF.read_bytes()
    overlay = (data / "current" / "user-corpus" / "acts.yaml").read_text()
    assert "source_url: https://www.indiacode.nic.in/handle/123456789/16733" in overlay  # not the mirror
    assert "text_as_on: 2024-03-21" in overlay
    assert agents and all(a.startswith("seckb/") for a in agents)


def test_fetch_falls_back_to_section_texts_without_a_pdf(kb_without_sec_act):
    data = kb_without_sec_act
    page = PAGE.read_text(encoding="utf-8").replace(PDF_PATH, "/nothing-here").replace("citation_pdf_url", "x")
    sections = json.loads((MH / "state-election-commissioner-act-1994.indiacode-sections.json").read_text())
    routes = {"/handle/123456789/16733": page.encode()}
    # India Code's show-data view answers with one section's fragments as JSON.
    for section in sections["sections"]:
        routes[section["url"].removeprefix("https://www.indiacode.nic.in")] = json.dumps(section["raw"]).encode()
    for base, _ in serve(routes):
        report = fetch_act(f"{base}/handle/123456789/16733", data, SOURCES, options=FAST)
    assert (report.act_id, report.format, report.sections) == ("MH-SECA-1994", "indiacode-sections-json", 10)


def test_offline_fails_in_one_line_and_changes_nothing(kb_without_sec_act):
    from cli import cli

    data = kb_without_sec_act
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before = (data / "current").resolve()
    with pytest.raises(FetchError, match="nothing was changed"):
        fetch_act(
            "123456789/16733",
            data,
            SOURCES,
            options=FetchOptions(base_url=f"http://127.0.0.1:{port}", timeout=2, retries=2, backoff=0.01),
        )
    result = CliRunner().invoke(
        cli,
        [
            "fetch",
            "16733",
            "--base-url",
            f"http://127.0.0.1:{port}",
            "--retries",
            "0",
            "--data",
            str(data),
            "--sources",
            str(SOURCES),
        ],
    )
    assert result.exit_code != 0
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "cannot reach" in lines[0]
    assert (data / "current").resolve() == before
    assert not (data / "current" / "user-corpus" / "acts.yaml").exists()


def test_retries_are_bounded_and_back_off(monkeypatch):
    import kb.fetch as fetch

    calls, sleeps = [], []

    def down(*args, **kwargs):
        calls.append(1)
        raise fetch._Transient("cannot reach http://127.0.0.1:9/x (down); offline? nothing was changed")

    monkeypatch.setattr(fetch, "_download", down)
    monkeypatch.setattr(fetch.time, "sleep", sleeps.append)
    with pytest.raises(FetchError):
        fetch._get("http://127.0.0.1:9/x", FetchOptions(retries=3, backoff=0.5), {"127.0.0.1:9"})
    assert len(calls) == 4 and sleeps == [0.5, 1.0, 2.0]


def test_handles_and_urls():
    from kb.fetch import act_page_url

    base = "https://www.indiacode.nic.in"
    assert act_page_url("123456789/16733", base) == f"{base}/handle/123456789/16733?view_type=browse"
    assert act_page_url("16733", base) == f"{base}/handle/123456789/16733?view_type=browse"
    assert act_page_url("http://127.0.0.1:8/handle/1/2", base) == "http://127.0.0.1:8/handle/1/2"
    with pytest.raises(FetchError):
        act_page_url("Karnataka Act", base)


# --- hostile servers (issue 16, defect 9): every failure is one FetchError line ------------------


class _RawServer:
    """A loopback TCP server answering every connection with ``reply(conn)`` (raw bytes, any abuse)."""

    def __init__(self, reply) -> None:
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.reply = reply
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import contextlib

        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn, contextlib.suppress(OSError):
                conn.settimeout(5)
                conn.recv(65536)
                self.reply(conn, self)

    def close(self) -> None:
        self.stop = True
        self.thread.join(timeout=5)
        self.sock.close()


def _answer(status: str, headers: dict[str, str], body: bytes = b""):
    def reply(conn, server) -> None:
        head = "".join(f"{k}: {v.replace('BASE', server.base)}\r\n" for k, v in headers.items())
        conn.sendall(f"HTTP/1.1 {status}\r\n{head}Connection: close\r\n\r\n".encode() + body)

    return reply


def _trickle(conn, server) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
    while not server.stop:
        conn.sendall(b"x")
        time.sleep(0.1)


def _silent(conn, server) -> None:
    time.sleep(3)


def _raw(data: bytes):
    return lambda conn, server: conn.sendall(data)


OTHER_PORT = "http://127.0.0.1:9/x.pdf"

HOSTILE_SERVERS = {
    "redirect to ftp": (_answer("302 Found", {"Location": "ftp://127.0.0.1/act.pdf"}), "only http and https"),
    "redirect to file": (_answer("301 Moved", {"Location": "file:///etc/passwd"}), "only http and https"),
    "redirect to javascript": (_answer("302 Found", {"Location": "javascript:alert(1)"}), "address"),
    "redirect to another host": (_answer("302 Found", {"Location": "http://example.org/a.pdf"}), "not an India Code"),
    "redirect to another port": (_answer("307 Temporary", {"Location": OTHER_PORT}), "not an India Code"),
    "redirect loop": (_answer("302 Found", {"Location": "BASE/again"}), "redirects"),
    "redirect without location": (_answer("302 Found", {}), "redirects"),
    "bad status line": (_raw(b"HTTP/1.1 abc\r\n\r\n"), "not valid HTTP"),
    "not http at all": (_raw(b"hello there\r\n\r\n"), "not valid HTTP"),
    "empty reply": (_raw(b""), "not valid HTTP"),
    "short body": (_answer("200 OK", {"Content-Length": "1000"}, b"%PDF-1.4 short"), "incomplete"),
    "huge content-length": (_answer("200 OK", {"Content-Length": str(300 << 20)}, b"%PDF"), "larger than"),
    "server error": (_answer("503 Busy", {"Content-Length": "0"}), "HTTP 503"),
    "not found": (_answer("404 Not Found", {"Content-Length": "0"}), "HTTP 404"),
    "trickle": (_trickle, "deadline"),
    "never answers": (_silent, "cannot reach"),
}
HOSTILE = FetchOptions(timeout=1, retries=1, backoff=0.01, deadline=2)


@pytest.mark.parametrize("name", sorted(HOSTILE_SERVERS))
def test_hostile_servers_fail_in_one_line(name):
    from kb import fetch

    reply, words = HOSTILE_SERVERS[name]
    server = _RawServer(reply)
    try:
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            fetch._get(f"{server.base}/act.pdf", HOSTILE, fetch._allowed_hosts(HOSTILE, server.base))
        elapsed = time.monotonic() - started
    finally:
        server.close()
    line = caught.value.one_line()
    assert words in line and "\n" not in line and len(line) < 600, line
    assert elapsed < 60  # bounded by the deadline and retries, not by the server


def test_body_over_the_limit_without_a_length_is_cut_off(monkeypatch):
    from kb import fetch

    monkeypatch.setattr(fetch, "_MAX_BYTES", 1 << 16)

    def endless(conn, server) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        for _ in range(64):
            conn.sendall(b"%" * 4096)

    server = _RawServer(endless)
    try:
        with pytest.raises(FetchError, match="larger than"):
            fetch._get(f"{server.base}/act.pdf", HOSTILE, fetch._allowed_hosts(HOSTILE, server.base))
    finally:
        server.close()


def test_an_act_page_cannot_send_the_pdf_to_another_host(tmp_path, monkeypatch):
    page = PAGE.read_text(encoding="utf-8").replace(PDF_PATH, "http://127.0.0.1:9" + PDF_PATH)
    for base, _ in serve({"/handle/123456789/16733": page.encode()}):
        monkeypatch.setenv("SECKB_INDIACODE_BASE", base)
        with pytest.raises(FetchError, match="not an India Code address"):
            fetch_act("123456789/16733", tmp_path / "data", SOURCES, options=HOSTILE)
    assert not (tmp_path / "data").exists()


def test_cli_fetch_from_a_bad_server_is_one_line(tmp_path):
    from cli import cli

    server = _RawServer(_raw(b"HTTP/1.1 abc\r\n\r\n"))
    try:
        result = CliRunner().invoke(
            cli, ["fetch", f"{server.base}/handle/1/2", "--data", str(tmp_path / "d"), "--retries", "0"]
        )
    finally:
        server.close()
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1 and "not valid HTTP" in lines[0], result.output
