"""How the site's pages adapt to a large catalogue (issue 5), shown on the fixture catalogue with tiny limits.

At the default limits the fixture renders exactly as before (the golden files of test_pages.py); here the
limits are lowered so the same small catalogue takes the large-catalogue layout.
"""

from __future__ import annotations

import datetime as dt
import itertools
import posixpath
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.catalog import load_catalog, yamlio
from generator.crossref.index import SiteIndex
from generator.model import Catalog
from generator.site import Site, addresses, assemble, nav, pages
from generator.site.addresses import domain_part_page
from generator.site.htmlblocks import MARKER, expanded

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURE = TESTS / "fixture_catalog" / "catalog"
LINK = re.compile(r"(?<!\\)\]\(([^)#\s]+)(?:#([^)\s]+))?\)")  # an escaped \\] is catalogue text, not a link
HREF = re.compile(r'<a [^>]*?href="([^"#:]*)(?:#([^"]*))?"')  # within the site: no scheme (mailto:, https:)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(FIXTURE)


@pytest.fixture(scope="module")
def split_site(catalog: Catalog) -> Site:
    """Every domain with more than one measure split into part pages; tables with one column of places."""
    return assemble(catalog, updated=dt.date(2024, 1, 2), domain_page_limit=1, table_columns=1)


@pytest.fixture(scope="module")
def split(split_site: Site) -> dict[str, str]:
    """The split site's pages, with their HTML blocks in place."""
    return expanded(split_site.pages, split_site.html_blocks)


def _targets(site: Site, page: str) -> list[tuple[str, str | None]]:
    """(site path, anchor) of every link of `page` within the site: its Markdown links, and the links of its HTML
    blocks (served addresses, relative to where the page is served)."""
    markdown, out = site.pages[page], []
    for target, anchor in LINK.findall(markdown):
        if "://" not in target:
            out.append((posixpath.normpath(posixpath.join(posixpath.dirname(page), target)), anchor or None))
    page_at = {addresses.served_at(p).rstrip("/"): p for p in site.pages} | {
        posixpath.dirname(p): p for p in site.measures.paths()}  # m/<id>/index.html, served at m/<id>/
    for key in MARKER.findall(markdown):
        for target, anchor in HREF.findall(site.html_blocks[key].html):
            address = posixpath.normpath(posixpath.join(addresses.served_at(page), target)) if target else page
            out.append((page_at.get(address.rstrip("/").removeprefix("."), address), anchor or None))
    return out


def test_a_big_domain_is_split_into_one_page_per_province_and_city(catalog: Catalog, split: dict[str, str]) -> None:
    index = SiteIndex(catalog, domain_page_limit=1)
    credit = catalog.domain("credit")
    assert index.is_split(credit)
    parts = {group.slug for group, _ in index.domain_parts(credit)}
    assert parts == {"shandong", "jinan"}
    overview = split["domains/credit.md"]
    assert 'id="jurisdiction-' not in overview  # the measures moved to the parts
    assert '<a href="shandong/#jurisdiction-shandong">山东省</a>' in overview
    assert '<a href="jinan/#jurisdiction-jinan">济南市</a>' in overview
    for slug in parts:
        part = split[domain_part_page(credit, catalog.jurisdiction(slug))]
        assert f'id="jurisdiction-{slug}"' in part
        assert '<a href="../">获得信贷</a>' in part  # back to the overview
    # every measure of the domain is listed exactly once over its parts
    listed = [m for slug in parts for m in re.findall(r'#(fixture-[a-z0-9-]+)"',  # links to measures, HTML
                                                          split[domain_part_page(credit, catalog.jurisdiction(slug))])]
    assert sorted(listed) == sorted(m.id for m in catalog.measures() if m.domain == "credit")


def test_a_small_domain_keeps_its_single_page(catalog: Catalog, split: dict[str, str]) -> None:
    assert not SiteIndex(catalog, domain_page_limit=1).is_split(catalog.domain("innovation"))
    assert 'id="jurisdiction-' in split["domains/innovation.md"]
    assert not any(p.startswith("domains/innovation/") for p in split)


def test_links_of_the_split_site_reach_pages_and_anchors_that_exist(split_site: Site, split: dict[str, str]) -> None:
    extra = {"about.md", "downloads/measures.json", "downloads/measures.csv"}
    measure_pages = set(split_site.measures.paths())
    for page in split:
        for target, anchor in _targets(split_site, page):
            if target.startswith(("sources/", "downloads/")) or target in extra:
                continue
            assert target in split or target in measure_pages, f"{page} links to missing {target}"
            if anchor and anchor.startswith("jurisdiction-"):
                assert f"{{ #{anchor} }}" in split[target] or f'id="{anchor}"' in split[target], \
                    f"{page} links to {target}#{anchor}"


def test_cross_reference_tables_point_into_the_parts(split: dict[str, str]) -> None:
    assert 'href="../../domains/credit/shandong/#jurisdiction-shandong"' in split["tables/matrix.md"]
    assert 'href="../../domains/credit/jinan/#jurisdiction-jinan"' in split["jurisdictions/jinan.md"]


def test_wide_tables_keep_the_province_and_cities_only(catalog: Catalog) -> None:
    index = SiteIndex(catalog, table_columns=1)
    # the fixture's places (山东省, 济南市) are no districts: both stay, with the note that districts are left out
    assert [j.slug for j in index.table_places()] == ["shandong", "jinan"]
    assert SiteIndex(catalog).table_places() == index.jurisdictions_with_documents()


def test_nav_beyond_its_limit_lists_index_pages_and_no_districts(catalog: Catalog) -> None:
    listed = nav.nav_pages(nav.site_nav(catalog, SiteIndex(catalog), nav_limit=1))
    assert "documents/index.md" in listed
    assert not any(p.startswith("documents/fixture") for p in listed)
    full = nav.nav_pages(nav.site_nav(catalog, SiteIndex(catalog)))
    assert full >= {"documents/fixture-jinan-2022.md", "jurisdictions/jinan.md"}


def test_site_paths_are_made_relative_as_posixpath_does() -> None:
    paths = ["index.md", "about.md", "documents/a.md", "documents/index.md", "domains/x/jinan.md",
             "tables/units/jinan.md", "downloads/measures.json", "sources/a.txt", "domains/x.md"]
    for page, target in itertools.product(paths, repeat=2):
        assert addresses.relative(page, target, "a") == posixpath.relpath(target, posixpath.dirname(page) or ".") + "#a"


@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=4), st.lists(st.sampled_from(["a", "b", "c"]), max_size=4))
def test_relpath_property(target: list[str], start: list[str]) -> None:
    path = "/".join([*target, "p.md"])
    assert addresses._relpath(path, "/".join(start)) == posixpath.relpath(path, "/".join(start) or ".")


def _same(a, b) -> None:
    assert type(a) is type(b)
    if isinstance(a, dict):
        assert (a.line, a.key_lines, list(a)) == (b.line, b.key_lines, list(b))
        for key in a:
            _same(a[key], b[key])
    elif isinstance(a, list):
        assert (a.line, a.item_lines, len(a)) == (b.line, b.item_lines, len(b))
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


@pytest.mark.skipif(yamlio._FastLoader is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", sorted((REPO / "catalog").rglob("*.yaml")), ids=lambda p: p.name)
def test_libyaml_reads_every_catalogue_file_as_the_pure_loader_does(path: Path, monkeypatch) -> None:
    fast = yamlio.read_yaml(path, path.name)
    monkeypatch.setattr(yamlio, "_FastLoader", None)
    slow = yamlio.read_yaml(path, path.name)
    assert fast[1] == slow[1] == []
    _same(fast[0], slow[0])


def test_a_place_with_many_matches_gets_the_compact_alignment_table(monkeypatch) -> None:
    real = load_catalog(REPO / "catalog")  # the fixture's plans have no matches; the real ones do
    def page() -> str:
        site = assemble(real, updated=dt.date(2024, 1, 2))
        return expanded(site.pages, site.html_blocks)["tables/alignment/weifang.md"]

    full = page()
    monkeypatch.setattr(pages, "COMPACT_ROWS", 0)
    compact = page()
    assert ">相似度</th>" in full and ">相似度</th>" not in compact
    assert "对应的举措较多" in compact and "2021年 " in compact
    linked = set(re.findall(r'#(weifang-2021-[a-z0-9-]+)"', full))
    assert linked and linked == set(re.findall(r'#(weifang-2021-[a-z0-9-]+)"', compact))
    assert len(compact) < len(full)
