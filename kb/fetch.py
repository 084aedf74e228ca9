"""Download an Act from India Code and add it to the user corpus (``seckb fetch``).

The act page (``/handle/123456789/NNNN``) names the Act, its State and its consolidated PDF
(``citation_pdf_url`` and a ``/bitstream/…pdf`` link). The PDF is preferred; an act page without
one falls back to the section texts of its ``show-data`` links, saved as a sections JSON. The
download then goes through :func:`kb.userdocs.add_document`, so the knowledge base changes only
after everything arrived and parsed.

Network manners: one request at a time (httpx, redirects followed by hand), a User-Agent naming
seckb, a timeout on every read, a deadline on every download, every redirect hop checked against
India Code's hosts and the ``--base-url`` host, and a bounded number of retries with exponential
backoff for transient failures only (no answer, HTTP 429/5xx). ``SECKB_INDIACODE_BASE`` (or ``base_url``) points the fetcher at another server,
which is how the tests use a loopback copy of the saved pages and never the internet.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from kb.errors import SeckbError

__all__ = [
    "DEFAULT_BASE",
    "USER_AGENT",
    "ActPage",
    "FetchError",
    "FetchOptions",
    "act_page_url",
    "fetch_act",
    "parse_act_page",
]

DEFAULT_BASE = "https://www.indiacode.nic.in"
USER_AGENT = "seckb/0.1 (electoral-law research; one request at a time)"
_HANDLE_RE = re.compile(r"^(?:hdl:|handle/)?(?:(\d+)/)?(\d+)$")
_TRANSIENT_HTTP = {408, 429, 500, 502, 503, 504}
_MAX_BYTES = 200 << 20  # an Act PDF is a few MB; anything far larger is not one
_MAX_REDIRECTS = 5
_INDIA_CODE_HOSTS = ("indiacode.nic.in", "www.indiacode.nic.in")


class FetchError(SeckbError):
    """A download failed (offline, refused, timed out, not an India Code act page)."""


@dataclass(frozen=True)
class FetchOptions:
    base_url: str | None = None
    timeout: float = 30.0
    retries: int = 3  # attempts after the first, for transient failures only
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    deadline: float = 300.0  # seconds for one whole download, however the server trickles


@dataclass(frozen=True)
class ActPage:
    url: str
    title: str
    year: int | None
    number: str | None
    location: str | None  # the State as India Code names it ("Maharashtra")
    handle: str | None  # "16733"
    pdf_url: str | None
    section_urls: tuple[tuple[str, str, str], ...]  # (number, heading, show-data URL)


def base_url(option: str | None = None) -> str:
    return (option or os.environ.get("SECKB_INDIACODE_BASE") or DEFAULT_BASE).rstrip("/")


def act_page_url(target: str, base: str) -> str:
    """A full URL as given; an India Code handle ('123456789/16733', '16733') as its act page."""
    if re.match(r"^https?://", target):
        return target
    match = _HANDLE_RE.match(target.strip().strip("/"))
    if not match:
        raise FetchError(f"{target!r} is neither a URL nor an India Code handle (e.g. 123456789/16733)")
    return f"{base}/handle/{match.group(1) or '123456789'}/{match.group(2)}?view_type=browse"


# ----------------------------------------------------------------------------- HTTP


def _get(url: str, options: FetchOptions, allowed: set[str]) -> bytes:
    """GET with httpx under explicit limits; FetchError in one line for every failure.

    Redirects are followed by hand so that every hop is checked (scheme and host), the whole
    download has one deadline (a server trickling a byte a second is cut off), the body is
    bounded, and a body shorter than its Content-Length is refused. Transient failures (no
    answer, HTTP 429/5xx) are retried with backoff.
    """
    import httpx

    delay = options.backoff
    for attempt in range(options.retries + 1):
        try:
            return _download(url, options, allowed)
        except _Transient as exc:
            if attempt == options.retries:
                raise FetchError(str(exc)) from None
        except httpx.InvalidURL as exc:  # httpx parses a Location before we see it
            raise FetchError(f"{url}: the server redirected to an invalid address ({_reason(exc)})") from None
        except (httpx.HTTPError, httpx.StreamError) as exc:  # a bad status line, a broken body
            raise FetchError(f"{url}: the server's answer is not valid HTTP ({_reason(exc)})") from None
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")  # the loop returns or raises


class _Transient(Exception):
    """A failure worth retrying: no answer, a timeout, HTTP 408/429/5xx."""


def _download(url: str, options: FetchOptions, allowed: set[str]) -> bytes:
    import httpx

    deadline = time.monotonic() + options.deadline
    timeout = httpx.Timeout(options.timeout)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=0)
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"}
    with httpx.Client(
        timeout=timeout, limits=limits, headers=headers, follow_redirects=False, trust_env=False
    ) as client:
        for _hop in range(_MAX_REDIRECTS + 1):
            _check_url(url, allowed)
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        url = urllib.parse.urljoin(url, location)
                        continue
                    if response.status_code in _TRANSIENT_HTTP:
                        raise _Transient(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
                    if response.status_code >= 400:
                        raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
                    return _read_body(response, url, deadline)
            except (httpx.TimeoutException, httpx.NetworkError) as exc:
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: no complete answer within {options.deadline:.0f} s") from None
                raise _Transient(f"cannot reach {url} ({_reason(exc)}); offline? nothing was changed") from None
        raise FetchError(f"{url}: more than {_MAX_REDIRECTS} redirects")


def _read_body(response, url: str, deadline: float) -> bytes:
    declared = response.headers.get("content-length")
    expected = int(declared) if declared and declared.isdigit() else None
    if expected is not None and expected > _MAX_BYTES:
        raise FetchError(f"{url}: {expected >> 20} MB is larger than {_MAX_BYTES >> 20} MB; not an Act")
    chunks: list[bytes] = []
    size = 0
    import httpx

    try:
        for chunk in response.iter_raw():  # as it arrives: a chunk size would wait for a trickle
            size += len(chunk)
            if size > _MAX_BYTES:
                raise FetchError(f"{url}: larger than {_MAX_BYTES >> 20} MB; not an Act")
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: the download did not finish within its deadline; cut off")
            chunks.append(chunk)
    except httpx.RemoteProtocolError:
        if expected is None:
            raise
        size = sum(len(c) for c in chunks)
    if expected is not None and size != expected:
        raise FetchError(f"{url}: {size} bytes arrived of the {expected} announced; the download is incomplete")
    return b"".join(chunks)


def _allowed_hosts(options: FetchOptions, first_url: str) -> set[str]:
    """India Code's hosts, the host of the user's --base-url, and of a URL the user typed (with ports)."""
    allowed = set(_INDIA_CODE_HOSTS)
    for url in (base_url(options.base_url), first_url):
        parts = urllib.parse.urlsplit(url)
        if parts.hostname:
            allowed.add(_host_key(parts))
    return allowed


def _host_key(parts: urllib.parse.SplitResult) -> str:
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port
    except ValueError:
        port = -1
    host = (parts.hostname or "").lower()
    return host if port in (None, default) else f"{host}:{port}"


def _check_url(url: str, allowed: set[str]) -> None:
    """Every hop, not just the first: only http(s), only India Code or the --base-url host."""
    _check_scheme(url)
    key = _host_key(urllib.parse.urlsplit(url))
    if key not in allowed:
        raise FetchError(f"{url}: not an India Code address (allowed: {', '.join(sorted(allowed))}); not followed")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _check_scheme(url: str) -> None:
    try:
        scheme = urllib.parse.urlsplit(url).scheme
    except ValueError:
        scheme = ""
    if scheme not in ("http", "https"):
        raise FetchError(f"{url[:200]}: only http and https addresses are fetched")


# ----------------------------------------------------------------------------- act page


def parse_act_page(html: str, url: str) -> ActPage:
    """The facts of an India Code act page; links resolved against the server it came from."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    meta = {str(m.get("name")): str(m.get("content") or "") for m in soup.find_all("meta") if m.get("name")}
    fields = _label_fields(soup)
    title = (fields.get("Short Title") or meta.get("citation_title") or meta.get("DC.title") or "").strip()
    if not title:
        raise FetchError(f"{url}: not an India Code act page (no short title)")
    title = re.sub(r"\s+", " ", title).rstrip(". ")
    year_text = fields.get("Act Year") or meta.get("DC.date") or ""
    year = int(year_text[:4]) if re.match(r"\d{4}", year_text) else None
    handle_meta = meta.get("citation_abstract_html_url") or ""
    handle = re.search(r"/handle/\d+/(\d+)", handle_meta or url)
    return ActPage(
        url=url,
        title=title,
        year=year,
        number=fields.get("Act Number"),
        location=fields.get("Location"),
        handle=handle.group(1) if handle else None,
        pdf_url=_pdf_link(soup, meta, url),
        section_urls=_section_links(soup, url),
    )


def _label_fields(soup) -> dict[str, str]:
    """'Act Year:' | '1994' table rows of the act page, as a dict."""
    out: dict[str, str] = {}
    cells = soup.find_all("td")
    for label, value in itertools.pairwise(cells):
        text = label.get_text(" ", strip=True)
        if text.endswith(":") and text[:-1] not in out:
            out[text[:-1]] = value.get_text(" ", strip=True)
    return out


def _pdf_link(soup, meta: dict[str, str], page_url: str) -> str | None:
    # The page's own relative link resolves to the server the page came from (a mirror, a test
    # server); the meta tag always names indiacode.nic.in, so it only serves as a fallback.
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"]
        if "/bitstream/" in href and href.lower().split("?")[0].endswith(".pdf"):
            return urllib.parse.urljoin(page_url, href)
    pdf = meta.get("citation_pdf_url")
    if not pdf:
        return None
    page, link = urllib.parse.urlsplit(page_url), urllib.parse.urlsplit(pdf)
    return urllib.parse.urlunsplit((page.scheme, page.netloc, link.path, link.query, ""))


def _section_links(soup, page_url: str) -> tuple[tuple[str, str, str], ...]:
    links = []
    for anchor in soup.find_all("a", href=True):
        if "show-data" not in anchor["href"]:
            continue
        label = anchor.get_text(" ", strip=True)
        match = re.match(r"Section\s+([0-9][0-9A-Za-z-]*)\.?\s*(.*)$", label)
        if match:
            links.append((match.group(1), match.group(2), urllib.parse.urljoin(page_url, anchor["href"])))
    return tuple(dict.fromkeys(links))


# ----------------------------------------------------------------------------- fetch


def fetch_act(
    target: str,
    data_dir: Path,
    sources_dir: Path,
    *,
    state: str | None = None,
    db_url: str | None = None,
    options: FetchOptions | None = None,
    replace: bool = False,
):
    """Download the Act at ``target`` (URL or handle) and add it; returns the AddReport."""
    from kb.userdocs import AddRequest, add_document

    options = options or FetchOptions()
    url = act_page_url(target, base_url(options.base_url))
    _check_scheme(url)
    allowed = _allowed_hosts(options, url)
    html = _get(url, options, allowed).decode("utf-8", errors="replace")
    page = parse_act_page(html, url)
    juris = state or page.location
    if not juris:
        raise FetchError(f"{url}: the page names no State; give --state")
    act_id = _catalogue_id(page, juris, sources_dir)
    with tempfile.TemporaryDirectory(prefix="seckb-fetch-") as tmp:
        path, fmt = _download_text(page, Path(tmp), options, allowed)
        request = AddRequest(
            file=path,
            state=juris,
            act=act_id,
            title=None if act_id else page.title,
            year=page.year,
            source_url=_public_url(page),
            format=fmt,
            replace=replace,
        )
        return add_document(request, data_dir, sources_dir, db_url)


def _catalogue_id(page: ActPage, state: str, sources_dir: Path) -> str | None:
    """The catalogued Act whose India Code address has this handle, else one matching the title."""
    from kb import settings
    from kb.reference import load_reference
    from kb.userdocs import match_act

    ref = load_reference(settings.corpus_dir(), sources_dir, check_files=False)
    code = ref.jurisdiction(state).code
    if page.handle:
        for act in ref.acts_for(code):
            if any(re.search(rf"/handle/\d+/{page.handle}(?:\D|$)", u) for u in act.indiacode_urls):
                return act.id
    matched, _ = match_act(ref, code, page.title, page.year, page.number)
    return matched.id if matched else None


def _public_url(page: ActPage) -> str:
    """Provenance names India Code, not the mirror the bytes came from."""
    return f"{DEFAULT_BASE}/handle/123456789/{page.handle}" if page.handle else page.url


def _download_text(page: ActPage, folder: Path, options: FetchOptions, allowed: set[str]) -> tuple[Path, str]:
    slug = re.sub(r"[^a-z0-9]+", "-", page.title.lower()).strip("-")[:80] or "act"
    if page.pdf_url:
        _check_scheme(page.pdf_url)
        data = _get(page.pdf_url, options, allowed)
        if not data.startswith(b"%PDF"):
            raise FetchError(f"{page.pdf_url}: the Act's PDF link did not return a PDF")
        path = folder / f"{slug}.indiacode.pdf"
        path.write_bytes(data)
        return path, "pdf"
    if not page.section_urls:
        raise FetchError(f"{page.url}: the act page links neither a PDF nor any section text")
    sections = []
    for number, heading, url in page.section_urls:
        _check_scheme(url)
        try:
            raw = json.loads(_get(url, options, allowed).decode("utf-8", errors="replace"))
        except ValueError:
            raise FetchError(f"{url}: India Code's section view did not return JSON") from None
        sections.append({"number": f"Section {number}.", "title": heading, "url": url, "raw": raw})
    path = folder / f"{slug}.indiacode-sections.json"
    path.write_text(
        json.dumps(
            {"url": page.url, "web_number": page.handle, "chapters": [], "sections": sections},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return path, "indiacode-sections-json"
