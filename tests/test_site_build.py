"""The real site, built once per test session with `python -m generator build`.

Checks what a reader relies on: every measure has one canonical place, every
internal link and anchor resolves, nothing is fetched from another host, and
the downloads point at the measures' places. A broken catalogue must fail
the build with `path:line: message` and leave the previous site untouched.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.catalog import load_catalog
from generator.publish.engine import build_site as run_build
from generator.publish.engine import last_updated

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixture_catalog"
OFF_ORIGIN = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:", "blob:")
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "background", "ping"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def build(catalog_dir: Path, out: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "--catalog", str(catalog_dir), "build", "--out", str(out)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)


@dataclass
class Page:
    ids: Counter[str] = field(default_factory=Counter)
    urls: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    styles: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.page.ids[value] += 1
            elif name in URL_ATTRIBUTES:
                self.page.urls.append((tag, name, value))
            elif name == "style":
                self.page.styles.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.page.styles.append(data)


def parse(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    done = build(REPO / "catalog", out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return out


@pytest.fixture(scope="module")
def html_pages(site: Path) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): parse(p) for p in site.rglob("*.html")}


def resolve(site: Path, page: str, url: str) -> tuple[Path, str]:
    """The file an internal URL on `page` points at, and its fragment."""
    parts = urlsplit(url)
    if not parts.path:
        target = site / page
    else:
        base = site if parts.path.startswith("/") else (site / page).parent
        target = base / unquote(parts.path).lstrip("/")
        if parts.path.endswith("/") or target.is_dir():
            target = target / "index.html"
    return target.resolve(), unquote(parts.fragment)


# --- the real site ------------------------------------------------------------------------------


def test_build_made_a_page_per_document_domain_and_jurisdiction(site: Path) -> None:
    catalog = load_catalog(REPO / "catalog")
    for document in catalog.documents:
        assert (site / "documents" / document.slug / "index.html").is_file()
        assert (site / "sources" / Path(document.source).name).read_bytes() == (REPO / document.source).read_bytes()
    for path in ("index.html", "about/index.html", "tables/matrix/index.html", "downloads/index.html"):
        assert (site / path).is_file(), path
    assert not list(site.parent.glob(".site.*")), "the staging folder was left behind"


def test_every_measure_has_exactly_one_element_with_its_id(html_pages: dict[str, Page]) -> None:
    catalog = load_catalog(REPO / "catalog")
    total: Counter[str] = Counter()
    for page in html_pages.values():
        total.update(page.ids)
    problems = {m.id: total[m.id] for m in catalog.measures() if total[m.id] != 1}
    assert not problems, f"measure ids not present exactly once: {problems}"


def test_every_internal_link_and_anchor_resolves(site: Path, html_pages: dict[str, Page]) -> None:
    broken = []
    ids_of: dict[Path, Counter[str]] = {(site / name).resolve(): page.ids for name, page in html_pages.items()}
    for name, page in html_pages.items():
        for tag, attribute, value in page.urls:
            if OFF_ORIGIN.match(value) or value.startswith(NOT_FETCHED) or attribute == "srcset":
                continue
            target, fragment = resolve(site, name, value)
            if not target.is_file():
                broken.append(f"{name}: <{tag} {attribute}={value!r}>: no file {target}")
            elif fragment and target.suffix == ".html" and fragment not in ids_of.get(target, ()):
                broken.append(f"{name}: <{tag} {attribute}={value!r}>: no id {fragment!r}")
    assert not broken, "\n".join(broken[:30])


def test_nothing_is_loaded_from_another_host(site: Path, html_pages: dict[str, Page]) -> None:
    outside = []
    for name, page in html_pages.items():
        for tag, attribute, value in page.urls:
            # A link (<a href>) is followed only when a reader chooses to: the repository, the licence, the
            # official publication. Nothing the page loads by itself may come from another host.
            if OFF_ORIGIN.match(value) and tag != "a":
                outside.append(f"{name}: <{tag} {attribute}={value!r}>")
        for style in page.styles:
            outside += [f"{name}: style {u}" for u in _css_urls(style) if OFF_ORIGIN.match(u)]
    for css in site.rglob("*.css"):
        outside += [f"{css.name}: {u}" for u in _css_urls(css.read_text(encoding="utf-8")) if OFF_ORIGIN.match(u)]
    # The site's own scripts name no other host at all. (The theme's bundle only mentions
    # hosts in licence comments and in features this site does not use: repository facts,
    # Mermaid diagrams, and a polyfill for browsers older than 2020.)
    for script in (REPO / "docs").rglob("*.js"):
        assert not re.search(r"(?:https?:)?//[a-z0-9-]+\.[a-z]", script.read_text(encoding="utf-8"), re.I), script
    assert not outside, "\n".join(outside[:30])


def unloaded_assets(site: Path, html_pages: dict[str, Page]) -> list[str]:
    """Files under site/assets that no page loads: not named by a page's <script src> or <link href>, nor
    by a style sheet or script such a tag loads (a url() in CSS; a file name in JS: the search box
    loads the search engine when it is first used)."""
    shipped = {p.resolve() for p in (site / "assets").rglob("*") if p.is_file()}
    loaded = {resolve(site, name, value)[0] for name, page in html_pages.items()
              for tag, _, value in page.urls if tag in ("script", "link") and not OFF_ORIGIN.match(value)}
    for file in [f for f in loaded if f.suffix in (".css", ".js") and f in shipped]:
        text = file.read_text(encoding="utf-8")
        loaded |= {other for other in shipped if other.name in text}
    return sorted(p.relative_to(site.resolve()).as_posix() for p in shipped - loaded)


def test_nothing_is_shipped_that_no_page_loads(site: Path, html_pages: dict[str, Page]) -> None:
    assets = [p.relative_to(site).as_posix() for p in (site / "assets").rglob("*") if p.is_file()]
    assert assets, "the site ships its assets"
    assert not [a for a in assets if a.endswith(".map") or "/lunr/" in a or "/workers/" in a], assets
    assert not unloaded_assets(site, html_pages)


def test_theme_is_set_for_chinese_without_web_fonts(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in home
    assert "fonts.googleapis" not in home and "fonts.gstatic" not in home
    assert 'name="description"' in home and 'property="og:title"' in home


def test_downloads_point_at_each_measure_on_its_page(site: Path, html_pages: dict[str, Page]) -> None:
    data = json.loads((site / "downloads" / "measures.json").read_text(encoding="utf-8"))
    catalog = load_catalog(REPO / "catalog")
    assert data["count"] == len(catalog.measures()) == len(data["measures"])
    for record in data["measures"]:
        target, fragment = resolve(site, "index.html", record["url"])
        assert not fragment and target.is_file(), record["url"]
        assert _measure_of(target.read_text(encoding="utf-8")) == record["id"], record["url"]
    assert (site / "downloads" / "measures.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# --- measure pages -------------------------------------------------------------------------------

MEASURE_ATTR = re.compile(r'<article class="measure-page" data-measure="([^"]+)"')


def _measure_of(text: str) -> str:
    """The id of the measure a measure page shows (exactly one), or "" for any other page."""
    found = MEASURE_ATTR.findall(text)
    assert len(found) <= 1
    return found[0] if found else ""


def _head(text: str) -> dict[str, str]:
    """<title>, meta name/property -> content, link rel=canonical, and the JSON-LD of a page's head."""
    head = text.split("</head>", 1)[0]
    tags = {"title": html.unescape(re.search(r"<title>(.*?)</title>", head, re.S).group(1).strip())}
    for key, value in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', head):
        tags[key] = html.unescape(value)
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"', head)
    tags["canonical"] = canonical.group(1) if canonical else ""
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    tags["jsonld"] = data.group(1) if data else ""
    return tags


def test_every_measure_has_exactly_one_page_and_nothing_else_is_one(site: Path) -> None:
    catalog = load_catalog(REPO / "catalog")
    shown: Counter[str] = Counter()
    for page in site.rglob("index.html"):
        measure_id = _measure_of(page.read_text(encoding="utf-8"))
        if measure_id:
            shown[measure_id] += 1
            assert page.parent == site / "m" / measure_id, f"{page}: shows {measure_id}"
    assert shown == Counter(m.id for m in catalog.measures())
    assert sorted(p.name for p in (site / "m").iterdir()) == sorted(m.id for m in catalog.measures())


def test_a_measure_pages_tags_name_it(site: Path) -> None:
    catalog = load_catalog(REPO / "catalog")
    for document in catalog.documents:
        place = catalog.jurisdiction(document.jurisdiction)
        for measure in document.measures:
            page = site / "m" / measure.id / "index.html"
            tags = _head(page.read_text(encoding="utf-8"))
            title = measure.title.rstrip("。．.；;：:，, ") or measure.title
            assert tags["title"] == tags["og:title"] == tags["twitter:title"], page
            assert tags["title"].split(" · ") == [title, place.name, document.title], page
            start = " ".join(measure.text.split())[:30]
            assert tags["description"].startswith(start) and tags["og:description"] == tags["description"], page
            assert resolve(site, f"m/{measure.id}/index.html", tags["canonical"])[0] == page.resolve()
            assert tags["og:type"] == "article" and tags["twitter:card"]
            data = json.loads(tags["jsonld"])
            assert data["@type"] == "Legislation" and data["identifier"] == measure.id and data["text"] == measure.text


def test_measure_pages_are_light(site: Path) -> None:
    sizes = {p: len(gzip.compress(p.read_bytes())) for p in (site / "m").rglob("index.html")}
    heaviest = max(sizes, key=sizes.get)
    assert sizes[heaviest] < 30_000, f"{heaviest}: {sizes[heaviest]} bytes gzipped"


def test_alignment_downloads_match_the_alignment_tables(site: Path) -> None:
    data = json.loads((site / "downloads" / "alignment.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "alignment.csv").read_text(encoding="utf-8-sig"))))
    downloaded = {(r["provincial_id"], r["local_id"], f"{r['score']:.2f}") for r in data["pairs"]}
    assert data["count"] == len(data["pairs"]) == len(downloaded) == len(rows)
    assert {(r["provincial_id"], r["local_id"], r["score"]) for r in rows} == downloaded
    assert {r["method"] for r in rows} == {data["method"]}
    tabled = set()
    for page in (site / "tables" / "alignment").glob("*/index.html"):
        tabled |= _alignment_table(page.read_text(encoding="utf-8"))
    assert tabled == downloaded


def _alignment_table(text: str) -> set[tuple[str, str, str]]:
    """(provincial id, local id, score) of a place's alignment table, in either of its layouts: a row per pair
    (a repeated provincial measure shown as 〃), or a row per provincial measure with "(score)" after each link."""
    start = text.index('id="taken-up"')
    table = text[start:text.index("</table>", start)]
    pairs, provincial = set(), ""
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        first, rest = row.split("</td>", 1)
        link = re.search(r'href="[^"]*#([^"]+)"', first)
        provincial = link.group(1) if link else provincial
        locals_ = re.findall(r'href="[^"]*#([^"]+)"', rest)
        scores = re.findall(r"\b[01]\.\d\d\b", re.sub(r"<a [^>]*>.*?</a>", "", rest))
        assert len(locals_) == len(scores), row
        pairs |= {(provincial, local, score) for local, score in zip(locals_, scores, strict=True)}
    return pairs


# --- failures and escaping -----------------------------------------------------------------------


def test_broken_catalogue_fails_with_its_place_and_keeps_the_old_site(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "repo")
    document = tmp_path / "repo" / "catalog" / "documents" / "fixture-jinan-2022.yaml"
    document.write_text(document.read_text(encoding="utf-8").replace("domain: credit", "domain: kredit"), encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous site", encoding="utf-8")

    done = build(tmp_path / "repo" / "catalog", out)

    assert done.returncode == 1
    assert re.search(r"catalog/documents/fixture-jinan-2022\.yaml:\d+: .*unknown domain 'kredit'", done.stderr), done.stderr
    assert "Traceback" not in done.stderr
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]


def test_a_build_warning_fails_the_build_and_keeps_the_old_site(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs)
    (docs / "about.md").write_text("# 关于\n\n[断开的链接](missing.md)\n", encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {docs}")
    config = config.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
    config = config.replace("- generator/hooks.py", f"- {REPO / 'generator' / 'hooks.py'}")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous site", encoding="utf-8")

    assert run_build(FIXTURE / "catalog", out, config_file=tmp_path / "mkdocs.yml") == 1

    assert "left unchanged" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_last_updated_falls_back_to_the_newest_file_outside_git(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "a.yaml").write_text("x", encoding="utf-8")
    os.utime(folder / "a.yaml", (1_700_000_000, 1_700_000_000))
    assert last_updated(folder) == dt.date.fromtimestamp(1_700_000_000)


def test_last_updated_is_the_last_commit_touching_the_catalogue() -> None:
    done = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "catalog"], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.strip():
        pytest.skip("no git history here")
    assert last_updated(REPO / "catalog") == dt.date.fromisoformat(done.stdout.strip())


def test_fixture_site_shows_hostile_text_literally(tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = build(FIXTURE / "catalog", out)
    assert done.returncode == 0, done.stdout + done.stderr
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for raw in ("<script>alert", "<em>示例", "<b>大数据", "<b>聚焦", "<img src=x"):
            assert raw not in text, f"{page.relative_to(out)}: unescaped {raw!r}"
    document = (out / "documents" / "fixture-jinan-2022" / "index.html").read_text(encoding="utf-8")
    assert "<title>济南市&lt;em&gt;示例&lt;/em&gt;*方案* - " in document


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


@pytest.mark.parametrize("site_url", ["", "https://example.org/catalogue/"])
def test_pages_themed_through_a_frame_equal_the_themes_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           site_url: str) -> None:
    """The build's shortcuts change no byte: every page outside the nav put into its folder's frame
    (publish.framedpages) and every page of one HTML block that skipped Python-Markdown (htmlblocks.marker_only)
    is what MkDocs and the theme make of it on their own (CATALOG_FAST=0), the fixture's hostile titles and
    units included, with and without an absolute site address; and the frames were used. The search index
    built and the measure pages written by second processes (publish.background) are those made in order; the
    build that made its index in order let go of the segmenter afterwards."""
    from generator.catalog import load_catalog as load
    from generator.publish import background, framedpages, handover
    from generator.publish.engine import CONFIG, Build, run_mkdocs
    from generator.site import searchtext

    monkeypatch.setenv("SITE_URL", site_url)
    shutil.copytree(FIXTURE, tmp_path / "repo")
    catalog_dir = tmp_path / "repo" / "catalog"
    framed: list[int] = []
    render = framedpages.FramedPages.render

    def counted(self, context, page):  # noqa: ANN001, ANN202
        before = self.framed
        out = render(self, context, page)
        framed.append(self.framed - before)
        return out

    monkeypatch.setattr(framedpages.FramedPages, "render", counted)
    shortcut: list[str] = []
    marker_only = handover.render_marker_only
    monkeypatch.setattr(handover, "render_marker_only", lambda page, markdown: (
        shortcut.append(page.file.src_uri), marker_only(page, markdown))[1])
    beside: list[str] = []
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)  # as in `build` (the suite runs servers)
    in_background = background.in_background
    monkeypatch.setattr(background, "in_background", lambda function, *args: (
        beside.append(function.__name__), in_background(function, *args))[1])
    for fast, out in (("1", tmp_path / "framed"), ("0", tmp_path / "plain")):
        monkeypatch.setenv("CATALOG_FAST", fast)
        # the usual build makes the search index in a second process; the plain one, above the size limit, in order
        monkeypatch.setattr(background, "MAX_MEASURES", 10_000 if fast == "1" else 0)
        with Build(catalog_dir, catalog=load(catalog_dir)).active():
            assert run_mkdocs(CONFIG, out)
    units = list((tmp_path / "plain" / "tables" / "units").glob("*/*/index.html"))  # tables/units/<place>/<unit>/
    assert sum(framed) >= len(units) > 0, "the unit pages were not themed through a frame"
    assert len(shortcut) >= len(units), "the unit pages (one HTML block each) went through Python-Markdown"
    assert beside == ["_write_search_index", "write_measure_pages"], (
        "the search index or the measure pages were not made beside the pages, or were in the plain build")
    assert searchtext._jieba.cache_info().currsize == 0, "the plain build kept the segmenter after its index"
    plain = {p.relative_to(tmp_path / "plain").as_posix(): p.read_bytes() for p in (tmp_path / "plain").rglob("*")
             if p.is_file()}
    got = {p.relative_to(tmp_path / "framed").as_posix(): p.read_bytes() for p in (tmp_path / "framed").rglob("*")
           if p.is_file()}
    assert sorted(got) == sorted(plain)
    assert [path for path in plain if got[path] != plain[path]] == []
