"""The MkDocs nav of the generated pages: short at any scale, titles escaped for HTML."""

from __future__ import annotations

from typing import Any

from generator.crossref.index import SiteIndex
from generator.model import Catalog
from generator.site.addresses import page_of
from generator.site.markdown import html_text

NAV_LIMIT = 30  # a nav section lists at most this many pages one by one (see site_nav)


def site_nav(catalog: Catalog, index: SiteIndex, *, nav_limit: int = NAV_LIMIT) -> list[dict[str, Any]]:
    """The MkDocs nav for the generated pages and the hand-written about.md. Titles are HTML-escaped,
    because MkDocs and the theme print nav titles as HTML.

    Material writes the whole nav into every page, so a nav that grows with the catalogue makes every
    page heavier and the build quadratic: beyond `nav_limit` entries a section lists only its index page
    (documents), or the province and the cities (jurisdictions). Pages left out of the nav are reached
    from those pages; the MkDocs hook marks them as not in the nav."""
    domains = domain_nav(index)
    places = [{html_text(j.name): page_of(j)} for j in index.jurisdictions_with_pages()]
    if len(places) > nav_limit:  # the province and the cities; districts are listed on their city's page
        places = [{html_text(j.name): page_of(j)} for j in index.jurisdictions_with_pages() if j.level != "district"]
    documents = [
        {html_text(f"{catalog.jurisdiction(d.jurisdiction).name} {d.year}"): page_of(d)} for d in catalog.documents
    ]
    if len(documents) > nav_limit:  # listed on documents/index.md and on each jurisdiction's page
        documents = []
    return [
        {"首页": "index.md"},
        {"按领域": ["domains/index.md", *domains]},
        {"按地区": ["jurisdictions/index.md", *places]},
        {"文件": ["documents/index.md", *documents]},
        {"对照表": [
            {"领域 × 地区": "tables/matrix.md"},
            {"省级举措落实对照": "tables/alignment.md"},
            {"牵头和责任单位": "tables/units.md"},
            {"完成时限日历": "tables/calendar.md"},
            {"改革事项": "tables/reforms.md"},
        ]},
        {"检索与筛选": "explore/index.md"},
        {"下载数据": ["downloads/index.md", {"更新记录": "downloads/changes.md"}]},
        {"关于": "about.md"},
    ]


def domain_nav(index: SiteIndex) -> list[dict[str, Any]]:
    """The domains as the evaluation groups them: the indicators, each sub-indicator under its indicator (whose
    page is the group's index page), and the other areas apart."""
    shown = index.domains_with_pages()
    children: dict[str, list[Any]] = {}
    for d in shown:
        if d.parent:
            children.setdefault(d.parent, []).append({html_text(d.name): page_of(d)})
    indicators, areas = [], []
    for d in shown:
        if d.parent:
            continue
        entry: dict[str, Any] = {html_text(d.name): [page_of(d), *children[d.slug]] if d.slug in children else page_of(d)}
        (indicators if d.kind == "indicator" else areas).append(entry)
    groups = []
    if indicators:
        groups.append({"评价指标": indicators})
    if areas:
        groups.append({"其他领域": areas})
    return groups


def nav_pages(nav: Any) -> set[str]:
    """Every page path a nav (as site_nav returns it) names."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(nav_pages(v) for v in nav.values()))
    return set().union(*(nav_pages(v) for v in nav)) if nav else set()
