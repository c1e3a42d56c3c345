"""The generated Markdown pages, rendered from the fixture catalogue without MkDocs.

Golden files: every page `render_site` makes from tests/fixture_catalog is
compared with tests/golden/<site path>. After an intended change to a
template or to pages.py, regenerate them and review the diff:

    UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_pages.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.catalog import load_catalog
from generator.crossref.index import SiteIndex
from generator.model import Catalog, Change, Document, Jurisdiction, Measure, Release, Revision
from generator.site import assemble, downloads, measurepages, nav, pages, wording
from generator.site import markdown as site_markdown
from generator.site.addresses import MEASURE_SHELL, url_for
from generator.site.htmlblocks import HEADING, MARKER, expand, expanded, toc_tokens, uses

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURE = TESTS / "fixture_catalog" / "catalog"
GOLDEN = TESTS / "golden"
UPDATED = dt.date(2024, 1, 2)
# What the publish stage would hand over: a build date, a commit, a change log and where to report errors.
RELEASE = Release(
    built=dt.date(2021, 6, 15), commit="abc1234", repository="https://github.com/example/catalogue",
    contact="errors@example.org",
    history=(Revision(commit="abc1234", date=dt.date(2024, 1, 2),
                      added=(Change(id="demo-2021-03", document="demo-2021", title="新举措。"),),
                      removed=(Change(id="demo-2021-00", document="demo-2021", title="旧举措。"),)),),
)
EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc"]
HOSTILE = ("<script", "<b>", "<em>", "<img", "</script")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(FIXTURE)


@pytest.fixture(scope="module")
def rendered(catalog: Catalog) -> dict[str, str]:
    """Every page's Markdown with its HTML blocks in place (htmlblocks.expanded): what MkDocs' output shows."""
    site = assemble(catalog, updated=UPDATED, release=RELEASE)
    return expanded(site.pages, site.html_blocks)


# --- golden files ---------------------------------------------------------------------------


def test_pages_match_golden_files(rendered: dict[str, str]) -> None:
    if os.environ.get("UPDATE_GOLDENS") == "1":
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, text in rendered.items():
            target = GOLDEN / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert set(rendered) == expected, "pages added or removed: regenerate with UPDATE_GOLDENS=1 and review"
    for path, text in rendered.items():
        assert text == (GOLDEN / path).read_text(encoding="utf-8"), f"{path} differs from tests/golden/{path}"


def test_rendering_is_deterministic(catalog: Catalog, rendered: dict[str, str]) -> None:
    site = assemble(catalog, updated=UPDATED, release=RELEASE)
    assert expanded(site.pages, site.html_blocks) == rendered


# --- escaping ----------------------------------------------------------------------------------


def test_no_catalogue_html_reaches_the_markdown(rendered: dict[str, str]) -> None:
    for path, text in rendered.items():
        for raw in HOSTILE:
            assert raw not in text, f"{path}: unescaped {raw!r}"


def test_hostile_text_renders_literally(rendered: dict[str, str]) -> None:
    """Through Python-Markdown, the hostile measure shows its text as written, and makes no markup."""
    page = markdown.markdown(_body(rendered["documents/fixture-shandong-2021.md"]), extensions=EXTENSIONS)
    title, rest = "<script>alert(1)</script>", "*加粗* _斜体_ a|b [x](y) {#id} # 1. & &amp; `code` \\ 结束"
    shown = f"<strong>{html.escape(title, quote=False)}</strong> {html.escape(rest, quote=False)}</p>"
    assert shown in page
    assert "<script>" not in page and "<em>" not in page and "<code>" not in page
    assert 'id="id"' not in page


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "*星号* 和 **加粗**", "_下划线_", "a|b", "[x](y)", "![img](x.png)",
    "{#id}", "{: .class }", "# 不是标题", "- 不是列表", "+ 不是列表", "1. 不是列表", "2) 括号",
    "> 不是引用", "`code`", "\\反斜杠\\", "&amp; &copy; &", "---", "===", "***", "<!-- x -->",
    "多行\n文本\n  缩进", "    四个空格", "http://example.com <http://example.com>", "*[HTML]: x", "[^1]",
])
def test_md_escape_shows_text_as_written(text: str) -> None:
    assert _shown(site_markdown.md_escape(text)) == " ".join(text.split())


@given(st.text(alphabet=st.sampled_from(list("*_`[]()<>&|#{}\\!-+.=:~^ 1a字\n")), max_size=30))
def test_md_escape_property(text: str) -> None:
    expected = " ".join(text.split())
    assert _shown(site_markdown.md_escape(text)) == expected


def test_md_escape_keeps_ordinary_text_readable() -> None:
    assert site_markdown.md_escape("2021年6月30日前（含2021-06-30）完成") == "2021年6月30日前（含2021-06-30）完成"


def test_front_matter_is_valid_yaml_with_html_escaped_values(rendered: dict[str, str]) -> None:
    for path, text in rendered.items():
        meta = yaml.safe_load(text.split("---\n")[1])
        if path == MEASURE_SHELL:  # the measure pages' frame: its head is each measure's own (test_measure_pages)
            assert meta == {"title": measurepages.SHELL_TOPIC, "measure_shell": True, "scripts": ["assets/permalink.js"]}
            continue
        own = meta.pop("scripts", []) + meta.pop("styles", [])  # a page's own (overrides/main.html): files in docs/
        assert all((REPO / "docs" / s).is_file() for s in own), path
        assert set(meta) == ({"description"} if path == "index.md" else {"title", "description"}), path
        assert all(meta.values()), path
        assert "<" not in "".join(meta.values()), path
    meta = yaml.safe_load(rendered["documents/fixture-jinan-2022.md"].split("---\n")[1])
    assert meta["title"] == "济南市&lt;em&gt;示例&lt;/em&gt;*方案*"


# --- structure ---------------------------------------------------------------------------------


def test_every_measure_has_exactly_one_canonical_element(catalog: Catalog, rendered: dict[str, str]) -> None:
    ids = [i for text in rendered.values() for i in re.findall(r'<article class="measure" id="([^"]+)"', text)]
    assert sorted(ids) == sorted(m.id for m in catalog.measures())


def test_every_download_record_carries_the_measures_address(catalog: Catalog) -> None:
    records = downloads.export_records(catalog)
    assert [r["url"] for r in records] == [url_for(m) for m in catalog.measures()]
    assert all(url_for(m) == f"m/{m.id}/" for m in catalog.measures())


def test_nav_lists_every_generated_page_or_mkdocs_knows_it_is_left_out(catalog: Catalog, rendered: dict[str, str]) -> None:
    """The hook marks every generated page outside the nav NOT_IN_NAV, by `nav.nav_pages`."""
    site_nav = nav.site_nav(catalog, SiteIndex(catalog))
    listed = set(_nav_paths(site_nav))
    assert nav.nav_pages(site_nav) == listed
    left_out = set(rendered) - listed
    assert listed - set(rendered) == {"about.md"}
    assert {"tables/alignment/jinan.md", "tables/units/shandong.md", "tables/reforms/yiwangtongban.md"} <= left_out
    assert (REPO / "docs" / "about.md").is_file()


def test_nav_titles_are_html_escaped(catalog: Catalog) -> None:
    titles = [title for item in _nav_items(nav.site_nav(catalog, SiteIndex(catalog))) for title in item]
    assert all("<" not in title for title in titles)


def test_domain_pages_group_by_jurisdiction_with_ascii_anchors(rendered: dict[str, str]) -> None:
    text = rendered["domains/credit.md"]
    assert text.index('id="jurisdiction-shandong"') < text.index('id="jurisdiction-jinan"')
    assert 'href="../../documents/fixture-jinan-2022/#fixture-jinan-2022-02-1"' in text


def test_parent_domain_page_links_its_sub_indicators(rendered: dict[str, str]) -> None:
    assert '<a href="../innovation/">创新创业活跃度</a>（1 条）' in rendered["domains/inclusive-innovation.md"]
    assert '属于<a href="../inclusive-innovation/">包容普惠创新</a>' in rendered["domains/innovation.md"]


def test_calendar_pages_give_the_build_date_and_the_subscription_their_own_paragraphs(rendered: dict[str, str]) -> None:
    calendars = {path: text for path, text in rendered.items() if path.startswith("tables/calendar")}
    assert len(calendars) >= 2  # all places' and at least one place's
    for path, text in calendars.items():
        # Markdown used to run them into one paragraph, the subscription line after the date with no break
        assert re.search(r"<p>以 [^<]*（本站生成之日）为准，[^<]*</p>\n<p><strong>订阅日历</strong>：", text), path


def test_matrix_cells_link_to_the_jurisdiction_group(rendered: dict[str, str]) -> None:
    assert '<a href="../../domains/credit/#jurisdiction-shandong">2</a>' in rendered["tables/matrix.md"]


def test_home_shows_counts_and_the_date_it_was_given(rendered: dict[str, str]) -> None:
    home = rendered["index.md"]
    assert "**2** 份文件、**8** 条举措" in home
    assert "最后更新：2024年1月2日" in home


def test_downloads_page_describes_every_exported_column(rendered: dict[str, str]) -> None:
    assert set(downloads.FIELD_DESCRIPTIONS) == set(downloads.COLUMNS)
    for column in downloads.COLUMNS:
        assert f"| `{column}` |" in rendered["downloads/index.md"]


def test_source_texts_are_served_under_sources(catalog: Catalog) -> None:
    assert pages.source_files(catalog) == {
        "sources/fixture-shandong-2021.txt": "sources/fixture-shandong-2021.txt",
        "sources/fixture-jinan-2022.txt": "sources/fixture-jinan-2022.txt",
    }


def test_site_name_is_the_one_in_mkdocs_yml() -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"site_name: {wording.SITE_NAME}\n" in config


# --- pieces -------------------------------------------------------------------------------------


def test_headings_follow_section_changes_and_returns() -> None:
    sections = [("一",), ("一", "甲"), ("一", "甲"), ("一",), ("二", "乙")]
    document = _document(sections)
    blocks = pages.document_blocks(document, SiteIndex(_catalog(document)))
    shown = [(b.level, b.text) if isinstance(b, pages.Heading) else b.measure.number for b in blocks]
    assert shown == [(2, "一"), "1", (3, "甲"), "2", "3", (2, "一"), "4", (2, "二"), (3, "乙"), "5"]
    ids = [b.id for b in blocks if isinstance(b, pages.Heading)]
    assert len(ids) == len(set(ids))


def test_citation_names_the_section_only_when_labels_repeat(catalog: Catalog) -> None:
    document = catalog.document("fixture-shandong-2021")
    blocks = pages.document_blocks(document, SiteIndex(catalog), site_url="https://example.org/site/")
    entry = next(b for b in blocks if isinstance(b, pages.Entry))
    assert entry.citation == "《山东省示例行动》“配套措施—开办企业”第1条，山东省，2021年。"  # no issuer, no number
    assert entry.permalink == "https://example.org/site/m/fixture-shandong-2021-starting-business-01/"
    assert entry.page_link == "../../m/fixture-shandong-2021-starting-business-01/"
    jinan = catalog.document("fixture-jinan-2022")
    entry = next(b for b in pages.document_blocks(jinan, SiteIndex(catalog)) if isinstance(b, pages.Entry))
    assert entry.citation == ("济南市人民政府办公厅《济南市<em>示例</em>*方案*》（济政办字〔2022〕1号）"
                              "第1（1）条，济南市，2022年3月1日。")


def test_snippet_drops_the_title_and_shortens() -> None:
    measure = _measure(1, ("一",), title="标题", text="标题。" + "字" * 100)
    assert wording.snippet(measure) == "字" * 80 + "…"
    assert wording.snippet(_measure(2, ("一",), title="全文", text="全文")) == "全文"


# --- helpers -----------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _shown(markdown_text: str) -> str:
    """What a reader sees of `markdown_text` in a list item (where page values sit), checked to be plain."""
    out = markdown.markdown("- " + markdown_text, extensions=EXTENSIONS)
    parser = _Text()
    parser.feed(out)
    assert parser.tags == ["ul", "li"], out
    return " ".join("".join(parser.parts).split())


def _body(page: str) -> str:
    return page.split("---\n", 2)[2]


def _nav_items(nav: list) -> list[dict]:
    items = []
    for item in nav:
        if isinstance(item, dict):
            items.append(item)
            for value in item.values():
                if isinstance(value, list):
                    items += _nav_items(value)
    return items


def _nav_paths(nav: list) -> list[str]:
    paths = []
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            paths += _nav_paths(value) if isinstance(value, list) else [value]
    return paths


def _measure(n: int, section: tuple[str, ...], title: str = "标题", text: str = "正文") -> Measure:
    return Measure(id=f"t-2021-{n}", document="t-2021", number=str(n), section=section, title=title, text=text,
                   domain="general", domain_by="test")


def _document(sections: list[tuple[str, ...]]) -> Document:
    measures = tuple(_measure(n, s) for n, s in enumerate(sections, 1))
    return Document(slug="t-2021", title="测试", jurisdiction="shandong", year=2021, source="sources/t-2021.txt",
                    measures=measures)


def _catalog(document: Document) -> Catalog:
    return Catalog(domains=(), jurisdictions=(Jurisdiction(slug="shandong", name="山东省", level="province"),),
                   documents=(document,))


# --- HTML blocks ----------------------------------------------------------------------------------


def test_a_marker_written_in_catalogue_text_stays_text(catalog: Catalog) -> None:
    """A measure whose title and text are the marker of a real block: printed as text, no block inserted."""
    site = assemble(catalog, updated=UPDATED, release=RELEASE)
    key, block = next((k, b) for k, b in site.html_blocks.items() if "<article" in b.html)
    forged = f"<!--html-block:{key}-->"
    first = catalog.documents[0]
    hostile = dataclasses.replace(first.measures[0], title=forged, text=forged + first.measures[0].text)
    documents = (dataclasses.replace(first, measures=(hostile, *first.measures[1:])), *catalog.documents[1:])
    changed = dataclasses.replace(catalog, documents=documents, source_texts=catalog.source_texts, _index={})
    forged_site = assemble(changed, updated=UPDATED, release=RELEASE)
    pages_ = expanded(forged_site.pages, forged_site.html_blocks)
    for path, text in pages_.items():
        assert text.count(block.html) <= site_markers(site, path, key), f"{path}: the forged marker was expanded"
    assert "&lt;!--html-block:" + key in pages_[page_of_document(first)]


def site_markers(site, path: str, key: str) -> int:  # noqa: ANN001
    """How many times the page `path` of `site` really marks the block `key`."""
    return site.pages.get(path, "").count(f"<!--html-block:{key}-->")


def page_of_document(document: Document) -> str:
    return f"documents/{document.slug}.md"


def test_every_marker_has_its_block_and_every_block_a_marker(catalog: Catalog) -> None:
    site = assemble(catalog, updated=UPDATED, release=RELEASE)
    marked = {key for text in site.pages.values() for key in MARKER.findall(text)}
    assert marked == set(site.html_blocks)
    with pytest.raises(KeyError):
        expand("<!--html-block:" + "0" * 32 + "-->", site.html_blocks)


def test_block_headings_make_the_table_of_contents_as_the_toc_extension_does(rendered: dict[str, str]) -> None:
    """A page whose headings are in its HTML blocks (a unit's page): `toc_tokens` of its HTML equals what the toc
    extension gives for the same headings written in Markdown (levels, ids, names, nesting)."""
    path = next(p for p in rendered if p.startswith("tables/units/") and p.count("/") == 3)
    converted = markdown.markdown(_body(rendered[path]), extensions=EXTENSIONS,
                                  extension_configs={"toc": {"permalink": True, "permalink_title": "本节链接"}})
    headings = HEADING.findall(converted)
    assert len(headings) >= 2  # the unit's title and at least one group
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    md.convert("\n\n".join(f"{'#' * int(level)} {site_markdown.md_escape(html.unescape(inner))} {{ #{ident} }}"
                             for level, ident, inner in headings))

    def strip(tokens: list[dict]) -> list:
        return [(t["level"], t["id"], t["name"], strip(t["children"])) for t in tokens]

    assert strip(toc_tokens(converted)) == strip(md.toc_tokens)


def test_a_heading_the_table_of_contents_cannot_read_stops_the_build() -> None:
    """A heading written another way would silently drop out of the page's table of contents."""
    assert [t["id"] for t in toc_tokens('<h2 id="a">甲<a class="headerlink" href="#a" title="本节链接">&para;</a></h2>')] == ["a"]
    with pytest.raises(ValueError, match="table of contents"):
        toc_tokens('<h2 id="a">甲<a class="headerlink" href="#a" title="本节链接">&para;</a></h2><h3 class="x" id="b">乙</h3>')


def test_a_block_is_let_go_after_its_last_marker_is_expanded(catalog: Catalog) -> None:
    """The build holds each page's HTML once: a block leaves the site's blocks with its last marker, not before."""
    site = assemble(catalog, updated=UPDATED, release=RELEASE)
    blocks, pending = dict(site.html_blocks), uses(site.pages)
    key = next(iter(blocks))
    marker = f"<!--html-block:{key}-->"
    pending[key] = 2  # as if two pages showed it
    expand(marker, blocks, release=pending)
    assert key in blocks
    expand(marker, blocks, release=pending)
    assert key not in blocks
    blocks, pending = dict(site.html_blocks), uses(site.pages)  # a whole build: every page once
    for text in site.pages.values():
        expand(text, blocks, release=pending)
    assert blocks == {} and set(pending.values()) == {0}
