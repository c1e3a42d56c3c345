"""STAGE site: Catalog + cross-references -> every file of the site, pure: no MkDocs, git or environment.

`assemble(catalog, updated=..., site_url=...)` is the one entry point. It
1. derives the cross-references once (`crossref.cross_reference`);
2. renders every Markdown page (`pages.render_site`), with the HTML blocks it marks (`htmlblocks`), and the
   nav (`nav.site_nav`);
3. writes the downloads (`downloads`: measures, plans, places and the alignment as JSON and
   CSV, each plan's measures as CSV, the change log as JSON), the explorer's facets (`explorer`) and the .ics
   calendars (`calendars`);
4. builds the search index (`searchindex.build`);
5. writes the redirect pages and redirects.json (`redirects`);
6. prepares a page per measure (`measurepages`), rendered lazily as the publish step writes them;
and returns them as one `Site`. The MkDocs hook hands that to MkDocs; the
tests and benchmarks call `assemble` directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.crossref import cross_reference
from generator.model import NO_RELEASE, Catalog, Release
from generator.site import (
    calendars,
    changes,
    downloads,
    explorer,
    lookups,
    measurepages,
    nav,
    pages,
    redirects,
    searchindex,
)
from generator.site.addresses import CHANGES_JSON, EXPLORER_DATA
from generator.site.htmlblocks import HtmlBlock
from generator.site.memo import PageMemo


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the generator adds to the hand-written docs/ folder. Paths are site paths (from the root)."""

    pages: dict[str, str]  # Markdown pages -> text; MkDocs renders them
    html_blocks: dict[str, HtmlBlock]  # the HTML the pages' markers stand for (htmlblocks.expand, after Markdown)
    files: dict[str, bytes]  # downloads, calendars and search index -> bytes, copied as they are
    redirects: dict[str, str]  # redirect pages and redirects.json -> text; added last, never over a page
    sources: dict[str, str]  # source texts: site path -> path relative to the repository root
    nav: list[dict[str, Any]]  # the MkDocs nav
    in_nav: frozenset[str]  # the pages the nav names; the others are reached by links
    measures: measurepages.MeasurePages  # a page per measure, rendered on demand into the shell page's frame


def assemble(
    catalog: Catalog, *, updated: dt.date, site_url: str = "", release: Release = NO_RELEASE,
    search_index: Callable[[Catalog], dict[str, bytes]] | None = searchindex.build, memo: PageMemo | None = None,
    **limits: int
) -> Site:
    """The whole generated site of a validated `catalog`. `updated` is printed as the date of the last change;
    `site_url` (may be "") makes printed permalinks and calendar links absolute; `release` (from the publish
    stage: version, change log, where to report errors) is printed where known. `search_index` makes the
    search index's files (`searchindex.build`; `serve` may hand over the previous ones while it builds anew);
    None leaves them out, for a caller that adds them (`build` has a second process make them meanwhile).
    `memo` (`serve`: memo.PageMemo, begun for this rebuild) hands out again the pages whose inputs did not change.
    `limits` override the scale limits of crossref.SiteIndex (domain_page_limit, table_columns), for tests."""
    kept = lookups.alignment_scores(catalog)  # the scores of a build before of the same inputs
    refs = cross_reference(catalog, memo=memo, kept=kept, **limits)
    kept.save()
    files = downloads.download_files(catalog, refs.alignment, version=release.version, memo=memo)
    files[CHANGES_JSON] = changes.changes_json(release)
    files[EXPLORER_DATA] = explorer.explorer_json(catalog, refs.units)
    files |= calendars.calendar_files(catalog, refs.index, updated=updated, site_url=site_url, memo=memo)
    files |= calendars.unit_calendar_files(refs.index, refs.units, updated=updated, site_url=site_url, memo=memo)
    if search_index is not None:
        files |= search_index(catalog)  # before the pages: its working memory is let go before theirs is taken
    site_nav = nav.site_nav(catalog, refs.index)
    shell_path, shell_text = measurepages.shell_page()
    markdown, blocks = pages.render_site(catalog, refs, updated=updated, site_url=site_url, release=release,
                                         memo=memo)
    return Site(
        pages={shell_path: shell_text} | markdown,  # the shell first: MkDocs themes it first (publish.handover)
        html_blocks=blocks,
        files=files,
        redirects=redirects.redirect_files(catalog),
        sources=pages.source_files(catalog),
        nav=site_nav,
        in_nav=frozenset(nav.nav_pages(site_nav)),
        measures=measurepages.MeasurePages(catalog, refs, updated=updated, site_url=site_url, memo=memo),
    )
