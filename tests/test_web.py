"""The web app in-process (Starlette's TestClient) on the real corpus: pages, JSON twins, the API,
downloads, safety (CSP, escaping, sanitised notes, bad parameters), and rebuilds picked up."""

from __future__ import annotations

import csv
import io
import json
import warnings
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from kb.compare import CompareRequest, compare_states
from kb.knowledge import KnowledgeBase
from kb.render.cells import cell_status
from kb.render.templating import provision_url, stylesheet_hash
from kb.store.datadir import DataDir
from kb.vocab import CellStatus
from tests.web_helpers import HOSTILE_NOTE, copy_with_notes, unsafe_markup

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

J1 = "MH-VPA-1959 s.14(1)(j-1)"


@pytest.fixture(scope="module")
def web_data(built_kb, tmp_path_factory):
    return copy_with_notes(built_kb, tmp_path_factory.mktemp("web") / "data")


@pytest.fixture(scope="module")
def client(web_data):
    from kb.web import create_app

    with TestClient(create_app(web_data)) as test_client:
        yield test_client


def soup_of(response) -> BeautifulSoup:
    assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
    return BeautifulSoup(response.text, "lxml")


def get_page(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url, follow_redirects=False)
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    soup = soup_of(response)
    assert unsafe_markup(soup) == [], url
    return soup


# --- every page: headers, one stylesheet, one script, JSON twin -------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search?q=more+than+two+children",
        f"/p/{quote(J1)}",
        "/compare?rule=two_child_norm&states=MH,MN,DL",
        "/coverage",
        "/notes",
        f"/notes/{HOSTILE_NOTE}",
        "/brief",
        "/p/NOPE%20s.1",
    ],
)
def test_every_page_is_safe_and_linked(client, url):
    response = client.get(url)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    soup = soup_of(response)
    assert unsafe_markup(soup) == []
    assert [s["src"] for s in soup.find_all("script")] == ["/static/seckb.js"]
    assert [link["href"] for link in soup.find_all("link", rel="stylesheet")] == ["/static/seckb.css"]
    assert soup.find("style") is None and "Traceback" not in response.text


def test_static_files_and_nothing_else(client):
    assert client.get("/static/seckb.css").text.startswith("/* seckb")
    assert "clipboard" in client.get("/static/seckb.js").text
    for url in (
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/app.py",
        "/brief/../cli.py",
        "/brief/briefing-pack.yaml",
        "/notes/..%2F..%2Fpyproject.toml",
    ):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert "[project]" not in response.text and "def main" not in response.text


# --- home ------------------------------------------------------------------------------------


def test_home_says_what_the_knowledge_base_holds(client):
    soup = get_page(client, "/")
    assert soup.select_one("form[role=search] input[name=q]") is not None
    held = [th.get_text(" ", strip=True) for th in soup.select("table.list tbody th")]
    assert any("Maharashtra" in h for h in held) and any("Manipur" in h for h in held)
    assert not any("Bihar" in h for h in held)  # catalogued only: no text held
    text = soup.get_text(" ")
    assert "Last build:" in text and "generation" in text
    hrefs = {a["href"] for a in soup.find_all("a")}
    assert {"/compare", "/coverage", "/notes", "/brief"} <= hrefs
    assert soup.find("link", rel="alternate")["href"] == "/index.json"
    twin = client.get("/index.json").json()
    assert twin["totals"]["provisions"] > 10000 and twin["generation"].startswith("gen-")


# --- search ----------------------------------------------------------------------------------


def test_search_marks_words_and_narrows_with_facets(client):
    soup = get_page(client, "/search?q=more+than+two+children")
    hits = soup.select("ol.hits > li")
    assert hits and any(m.get_text().lower() == "children" for m in soup.select("ol.hits mark"))
    first = hits[0].select_one("a.hit-title")["href"]
    assert first.startswith(("/p/", "/notes/"))
    facet = next(a for a in soup.select("aside.facets a") if a.get_text() == "MN")
    narrowed = get_page(client, facet["href"])
    metas = [m.get_text() for m in narrowed.select(".hit-meta")]
    assert metas and all(m.startswith("MN") for m in metas)
    assert "state: MN" in narrowed.select_one(".filters").get_text()


def test_search_pages(client):
    one = get_page(client, "/search?q=election")
    assert one.select_one("ol.hits")["start"] == "1" and len(one.select("ol.hits > li")) == 20
    two = get_page(client, one.select_one("a[rel=next]")["href"])
    assert two.select_one("ol.hits")["start"] == "21"
    refs_one = {a["href"] for a in one.select("a.hit-title")}
    refs_two = {a["href"] for a in two.select("a.hit-title")}
    assert refs_one and refs_two and not refs_one & refs_two


@pytest.mark.parametrize("typed", ["MH VPA 1959 s.14(1)(j-1)", "s.14(1)(j-1)"])
def test_citation_query_leads_to_the_provision(client, typed):
    response = client.get("/search", params={"q": typed}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == provision_url(J1)


@pytest.mark.parametrize(
    "typed, ref",
    [
        ("section 14 of the Maharashtra Village Panchayats Act", "MH-VPA-1959 s.14"),
        ("14(1)(j-1)", J1),
        ("Art. 243 F", "IN-COI Art.243F"),
    ],
)
def test_a_query_that_is_only_a_citation_opens_its_provision(client, typed, ref):
    response = client.get("/search", params={"q": typed}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == provision_url(ref)


def test_search_filters_take_names_as_the_command_line_does(client):
    by_name = client.get("/api/search", params={"q": "two children", "state": "Maharashtra"}).json()
    by_code = client.get("/api/search", params={"q": "two children", "state": "MH"}).json()
    assert by_name["total"] == by_code["total"] > 0
    act = client.get("/api/search", params={"q": "two children", "act": "MH VPA 1959"}).json()
    assert act["hits"] and all(h["act"] == "MH-VPA-1959" for h in act["hits"])


def test_search_json_twin_and_api(client):
    data = client.get("/search.json", params={"q": "two children", "state": "MH"}).json()
    assert data["total"] > 0 and all(h["jurisdiction"] == "MH" for h in data["hits"])
    first = data["hits"][0]
    assert "**" not in first["snippet"] and first["url"].startswith(("/p/", "/notes/"))
    assert any(first["snippet"][m["start"] : m["end"]].lower().startswith("child") for m in first["matches"])
    api = client.get("/api/search", params={"q": J1}).json()
    assert api["hits"][0]["ref"] == J1 and api["hits"][0]["pinned"] is True and api["hits"][0]["score"] is None


def test_a_section_with_no_words_of_its_own_shows_its_sub_sections_in_the_results(client):
    api = client.get("/api/search", params={"q": "Art. 68"}).json()
    article = api["hits"][0]
    assert article["ref"] == "IN-COI Art.68" and article["snippet_below"] is True and article["text"] == ""
    assert article["snippet"].startswith("(1) An election to fill a vacancy")
    soup = get_page(client, "/search?q=vacancy+Vice-President&state=IN")
    hit = next(li for li in soup.select("li") if li.select_one("a.hit-title") and li.a.get_text() == "IN-COI Art.68")
    snippet = hit.select_one("p.snippet")
    assert snippet.get_text().startswith("(1) An election to fill a vacancy")
    assert [m.get_text() for m in snippet.select("mark")][:3] == ["vacancy", "Vice", "President"]


def test_the_search_page_says_which_topic_it_also_searched(client):
    soup = get_page(client, "/search?q=candidate+has+unpaid+panchayat+tax")
    line = soup.select_one("p.about-topic")
    assert line is not None and "Arrears" in line.a.get_text() and "may hold none of the words" in line.get_text()
    assert line.a["href"] == "/search?q=candidate%20has%20unpaid%20panchayat%20tax&topic=arrears-of-dues"
    assert client.get(line.a["href"]).status_code == 200
    api = client.get("/api/search", params={"q": "candidate has unpaid panchayat tax"}).json()
    assert api["about_topic"] == "arrears-of-dues"
    assert get_page(client, "/search?q=election+of+mayor").select_one("p.about-topic") is None


def test_the_search_page_says_a_cited_provision_is_not_held(client):
    # Not a redirect (nothing to go to), not "art galleries": the page says so and offers the nearest.
    soup = get_page(client, "/search?q=Art.+243ZZ")
    note = soup.select_one("p.unresolved")
    assert note is not None and note.get_text(" ", strip=True).startswith(
        "No provision “Art. 243ZZ” is held; nearest held:"
    )
    assert note.a.get_text() == "IN-COI Art.243Z"
    assert client.get(note.a["href"]).status_code == 200
    assert soup.select("ol.hits li") == []
    api = client.get("/api/search", params={"q": "s.14(1)(j-1)", "state": "DL"}).json()
    assert api["unresolved"] == [
        {"cited": "s.14(1)(j-1)", "reason": "outside the filters", "nearest": ["MH-VPA-1959 s.14(1)(j-1)"]}
    ]
    assert client.get("/api/search", params={"q": "more than two children"}).json()["unresolved"] == []


def test_corrected_search_says_which_words_no_text_has(client):
    soup = get_page(client, "/search?q=ordinarly+resident")
    note = soup.select_one("p.corrected")
    assert note.get_text(" ", strip=True) == "Showing results for ordinarily resident : no text has “ordinarly”."
    assert note.a["href"] == "/search?q=ordinarily%20resident"
    api = client.get("/api/search", params={"q": "ordinarly resident"}).json()
    assert api["suggestion"] == "ordinarily resident" and api["not_found"] == ["ordinarly"]
    assert get_page(client, "/search?q=ordinarily+resident").select_one("p.corrected") is None
    # A word no text has and nothing near replaced is said too.
    soup = get_page(client, "/search?q=usury+disqualification")
    assert soup.select_one("p.corrected") is None
    assert soup.select_one("p.not-found").get_text(" ", strip=True) == "No text has “usury”."
    assert get_page(client, "/search?q=toilet").select_one("p.not-found") is None


def test_hit_links_open(client):
    data = client.get("/api/search", params={"q": "two-child norm", "kind": "note"}).json()
    assert data["hits"]
    for hit in data["hits"][:3]:
        assert client.get(hit["url"]).status_code == 200, hit


# --- provision -------------------------------------------------------------------------------


def test_provision_page(client):
    soup = get_page(client, provision_url(J1))
    crumbs = [li.get_text(strip=True) for li in soup.select(".crumbs li")]
    assert crumbs[0].startswith("The Maharashtra Village Panchayats Act") and crumbs[1:] == [
        "s.14",
        "s.14(1)",
        "s.14(1)(j-1)",
    ]
    text = soup.select_one(".provision-text").get_text(" ")
    assert "more than two children" in text and "proviso 1" in text
    assert "Mah. 44 of 2000" in soup.get_text()  # amendment note
    provenance = soup.select_one("dl.provenance").get_text(" ")
    assert "2025-04-04" in provenance and "village-panchayats-act-1959.pdf" in provenance
    assert soup.select_one("dl.provenance a")["href"].startswith("https://www.indiacode.nic.in/")
    assert soup.select_one("button[data-copy]")["data-copy"] == J1
    assert soup.select_one("a[rel=prev]") and soup.select_one("a[rel=next]")
    assert any(a["href"] == "/notes/mh-two-child-norm" for a in soup.find_all("a"))


def test_provision_twin_and_api_are_typed(client):
    data = client.get(provision_url(J1) + ".json").json()
    assert data["ref"] == J1 and data["provenance"]["text_as_on"] == "2025-04-04"
    assert data["neighbours"]["previous"] == "MH-VPA-1959 s.14(1)(j)"
    assert client.get("/api/provisions/" + quote("MH VPA 1959 s.14(1)(j-1)")).json()["ref"] == J1


def test_typed_citation_redirects_to_the_canonical_address(client):
    response = client.get("/p/" + quote("MH VPA 1959 s.14(1)(j-1)"), follow_redirects=False)
    assert response.status_code == 301 and response.headers["location"] == provision_url(J1)


def test_unknown_citation_is_404_with_the_nearest(client):
    soup = get_page(client, "/p/" + quote("MH-VPA-1959 s.14(1)(zz)"), 404)
    assert soup.select(".error-line") and "no such provision" in soup.select_one(".error-line").get_text()
    nearest = [a["href"] for a in soup.select("main ul a")]
    assert provision_url("MH-VPA-1959 s.14(1)") in nearest
    api = client.get("/api/provisions/" + quote("MH-VPA-1959 s.14(1)(zz)"))
    assert api.status_code == 404 and api.json()["nearest"]


# --- compare ---------------------------------------------------------------------------------


def test_compare_builder_lists_states_by_name_and_rules_by_label(client):
    soup = get_page(client, "/compare")
    labels = [
        label.get_text(" ", strip=True)
        for label in soup.select("input[name=states]")[0].find_parents("div")[0].find_all("label")
    ]
    assert any(label.startswith("Maharashtra") for label in labels) and len(labels) == 37
    rules = {i["value"]: i.parent.get_text(strip=True) for i in soup.select("input[name=rule]")}
    assert rules["two_child_norm"] == "Two-child norm"
    assert soup.select_one("details.builder-box").has_attr("open") and soup.select_one("table") is None


def test_compare_table_is_the_clis(client, web_data):
    url = "/compare?topic=candidate-disqualification&states=MH,MN,DL&body=panchayat"
    soup = get_page(client, url)
    table = soup.select_one("table.seckb-compare")
    assert [th.get_text() for th in table.select("thead th")] == ["Rule", "MH", "MN", "DL"]
    request = CompareRequest(topics=["candidate-disqualification"], states=["MH", "MN", "DL"], body="panchayat")
    with KnowledgeBase.open(web_data) as kb:
        expected = compare_states(kb, request)
    rows = table.select("tbody tr")
    assert len(rows) == len(expected.rows)
    for tr, row in zip(rows, expected.rows):
        assert [td["data-status"] for td in tr.find_all("td")] == [cell_status(c) for c in row.cells]
    two_child = rows[0].find_all("td")[0]
    assert two_child.select_one("cite a")["href"] == provision_url(J1)
    downloads = {a.get_text(): a["href"] for a in soup.select(".downloads a[download]")}
    assert sorted(downloads) == ["csv", "html", "json", "md", "xlsx"]


def test_compare_downloads_open(client):
    query = "rule=two_child_norm&rule=candidate_min_age&states=MH,MN,DL"
    csv_reply = client.get(f"/compare.csv?{query}")
    assert "attachment" in csv_reply.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(csv_reply.text)))
    assert {r["jurisdiction"] for r in rows} == {"MH", "MN", "DL"}
    book = load_workbook(io.BytesIO(client.get(f"/compare.xlsx?{query}").content))
    assert book.sheetnames
    assert json.loads(client.get(f"/compare.json?{query}").text)
    assert client.get(f"/compare.md?{query}").text.startswith(("#", "|"))
    html = client.get(f"/compare.html?{query}")
    assert html.headers["content-security-policy"].startswith("default-src 'none'; style-src " + stylesheet_hash())
    page = BeautifulSoup(html.text, "lxml")
    assert page.find("style") is not None and page.find("script") is None and page.find("link") is None


def test_one_rule_across_many_states_reads_down(client):
    soup = get_page(client, "/compare?rule=two_child_norm")
    table = soup.select_one("table.seckb-compare.down")
    states = [th.get_text(" ", strip=True) for th in table.select("tbody th")]
    assert len(states) >= 30 and any(s.startswith("Maharashtra") for s in states)


def test_compare_api_is_typed(client):
    data = client.get("/api/compare?rule=two_child_norm&states=MH,DL&body=panchayat").json()
    cells = {r["jurisdiction"]: r for r in data["records"]}
    cell = cells["MH"]
    assert cell["citation"] == J1 and cell["status"] == "verified" and cell["in_force_from"].count("-") == 2
    assert cell["body"] == "panchayat" and cell["secondary"] is False and isinstance(cell["inherited_via"], list)
    assert cells["DL"]["status"] == "Act not in corpus (catalogued)" and cells["DL"]["value"] is None
    assert {"word": "verified", "meaning": CellStatus.VERIFIED.explanation} in data["legend"]


# --- coverage, notes, brief ------------------------------------------------------------------


def test_coverage_page(client):
    soup = get_page(client, "/coverage")
    rows = soup.select("table.coverage tbody tr")
    assert len(rows) == 37
    mh = soup.select_one("tr#j-MH")
    assert "st-full" in mh.find_all("td")[1]["class"]
    legend = soup.select_one(".legend").get_text(" ")
    assert all(word in legend for word in ("full text", "partial excerpt", "catalogued only", "no Act catalogued"))
    assert client.get("/api/coverage").json()["summary"]["total"] == 36


def test_hostile_note_is_inert(client):
    soup = get_page(client, f"/notes/{HOSTILE_NOTE}")
    assert '<script>alert("title")</script>' in soup.h1.get_text()  # shown as text
    body = soup.select_one(".note-body")
    assert "click me" in body.get_text() and "hover" in body.get_text()
    assert body.find(["script", "img", "h1", "h2", "h3"]) is None
    assert "javascript" not in str(body).lower()
    assert provision_url(J1) in [a.get("href") for a in soup.select("main a")]
    listing = get_page(client, "/notes")
    assert len(listing.select("table.list tbody tr")) == 6
    assert {n["id"] for n in client.get("/api/notes", params={"state": "MN"}).json()} == {"mn-disqualifications"}


def test_brief_downloads(client):
    soup = get_page(client, "/brief")
    links = [a["href"] for a in soup.select(".downloads a")]
    assert links == ["/brief/briefing-pack.html", "/brief/briefing-pack.md"]
    html = client.get("/brief/briefing-pack.html?as_of=2025-03-01")
    pack = BeautifulSoup(html.text, "lxml")
    assert len(pack.select("section.item")) == 4 and "Law as on 2025-03-01" in pack.get_text()
    assert pack.find("script") is None and pack.find("style") is not None
    assert "## 1." in client.get("/brief/briefing-pack.md").text


# --- bad parameters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, words",
    [
        ("/search?q=%22unbalanced", "unbalanced quote"),
        ("/search?q=x&state=QQ", "unknown jurisdiction"),
        ("/search?q=x&page=0", "page"),
        ("/search?q=x&page=abc", "page"),
        ("/search?q=x&kind=statute", "kind"),
        ("/search?q=x&sort=new", "unknown parameter 'sort'"),
        ("/search?q=" + "a" * 1100, "longer than 1000"),
        ("/search?q=x&state=Maharastra", "did you mean MH (Maharashtra)"),
        ("/search?q=x&topic=nope", "unknown topic 'nope'"),
        ("/search?q=topics:nope", "unknown topic 'nope'"),
        ("/search?q=x&act=No+Such+Act", "[act]"),
        ("/compare?rule=no_such_rule", "unknown rule"),
        ("/compare?states=MH,QQ", "unknown jurisdiction"),
        ("/compare?rule=two_child_norm&as_of=2020-13-40", "not a date"),
        ("/compare?rule=two_child_norm&diff=maybe", "diff"),
        ("/compare?rule=two_child_norm&baseline=UK", "baseline"),
        ("/compare.pdf?rule=two_child_norm", "no download"),
        ("/compare?rule=%3Cscript%3E", "not a valid value"),
        ("/notes?topic=nope", "unknown topic"),
        ("/brief?as_of=yesterday", "not a date"),
    ],
)
def test_bad_parameter_is_a_400_with_one_line(client, url, words):
    soup = get_page(client, url, 400)
    lines = soup.select(".error-line")
    assert len(lines) == 1 and words in lines[0].get_text()
    assert "\n" not in lines[0].get_text().strip()


def test_bad_api_parameter_is_json(client):
    response = client.get("/api/compare?rule=no_such_rule")
    assert response.status_code == 400 and "unknown rule" in response.json()["error"]
    assert client.get("/api/search?q=%22x").json()["error"].count("\n") == 0
    # The error names the URL's parameter, not the command line's option.
    assert client.get("/api/search?q=toilet&state=ZZ").json()["error"].startswith("[state]: unknown jurisdiction 'ZZ'")
    assert "[rule]" in client.get("/api/compare?rule=no_such_rule").json()["error"]


def test_openapi_documents_the_api(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/search", "/api/provisions/{citation}", "/api/compare", "/api/coverage", "/api/notes"} <= set(paths)


# --- rebuilds --------------------------------------------------------------------------------


def _publish_copy(datadir: DataDir) -> str:
    """What a rebuild does, without re-parsing: a new generation, published atomically."""
    current = datadir.require_current()
    gen = datadir.new_generation(copy_from=current)
    datadir.publish(gen, current.manifest())
    return gen.path.name


def test_a_rebuild_is_picked_up_on_the_next_request(built_kb, tmp_path):
    from kb.web import create_app

    data = copy_with_notes(built_kb, tmp_path / "data")
    datadir = DataDir(data)
    with TestClient(create_app(data)) as client:
        first = client.get("/index.json").json()["generation"]
        assert client.get("/index.json").headers["x-cache"] == "hit"  # remembered within a generation
        seen = [first]
        for _ in range(3):  # three rebuilds: the first generation's folder is gone by then
            name = _publish_copy(datadir)
            reply = client.get("/index.json")
            assert reply.json()["generation"] == name and reply.headers["x-cache"] == "miss"
            assert client.get(provision_url(J1)).status_code == 200
            assert client.get("/api/search", params={"q": "two children"}).json()["total"] > 0
            seen.append(name)
        assert len(set(seen)) == 4 and not (data / first).exists()


# --- the files the CLI writes: the same templates and stylesheet ------------------------------


def test_written_files_share_the_pages_stylesheet(web_data):
    from kb.coverage import coverage
    from kb.render import render_table
    from kb.render.coverage import render_coverage
    from kb.render.templating import stylesheet

    with KnowledgeBase.open(web_data) as kb:
        cov_page = BeautifulSoup(render_coverage(coverage(kb), "html"), "lxml")
        wide = compare_states(kb, CompareRequest(rules=["two_child_norm"], states=["MH", "MN", "DL", "KL", "KA"]))
    compare_page = BeautifulSoup(render_table(wide, "html"), "lxml")
    for page in (cov_page, compare_page):
        assert page.find("style").string == stylesheet()
        assert page.find("script") is None and page.find("link") is None and unsafe_markup(page) == []
    assert len(cov_page.select("table.coverage tbody tr")) == 37 and cov_page.select(".legend li")
    assert "st-full" in cov_page.select_one("tr#j-MH").find_all("td")[1]["class"]
    assert compare_page.select_one("div.wide table.seckb-compare") is not None
    css = stylesheet()
    assert "@page wide { size: A4 landscape" in css and 'a[href^="http"]::after' in css


def test_serve_without_a_knowledge_base_is_one_line(tmp_path):
    from click.testing import CliRunner

    from cli import cli

    result = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path / "none"), "--port", "8999"])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "run `seckb build` first" in result.output
