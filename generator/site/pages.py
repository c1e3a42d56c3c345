"""Render the site's Markdown pages from a catalogue: pure, no files written, no MkDocs.

`render_site(catalog, index, updated=...)` returns {site path: Markdown text}, e.g. "documents/shandong-2021.md",
and the HTML blocks those pages mark (`htmlblocks`): the bulky, repeated parts (a plan's measures, a unit's page,
the lists of domain, reform, calendar and alignment pages, the numbered source texts) are HTML templates
(*.html.j2, called with `html_block`), so Python-Markdown never parses them. Addresses come from `addresses`,
wording from `wording`, escaping from `markdown`, the HTML templates' per-item pieces from `htmlpieces`.

Escaping: every `{{ value }}` in a Markdown template is escaped for Markdown (and HTML), in an HTML template
for HTML, unless it is marked safe, so catalogue text such as `<script>`, `*`, `|` or `[x](y)` shows
literally. Attribute values in raw HTML use the `attr` filter.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from generator.crossref import Counterpart, CrossReferences
from generator.crossref.index import SiteIndex
from generator.crossref.units import ROLES
from generator.model import NO_RELEASE, Catalog, Document, Measure, Release
from generator.site.addresses import (
    alignment_page,
    calendar_file,
    calendar_page,
    domain_page,
    domain_part_page,
    href_from,
    jurisdiction_anchor,
    line_anchor,
    page_of,
    plan_measures_csv,
    reform_path,
    relative,
    served_relative,
    source_page,
    source_text_page,
    unit_page,
    units_page,
    url_for,
)
from generator.site.downloads import (
    ALIGNMENT_COLUMNS,
    ALIGNMENT_DESCRIPTIONS,
    COLUMNS,
    FIELD_DESCRIPTIONS,
    LICENCE,
    PLACE_FIELDS,
    PLAN_FIELDS,
)
from generator.site.htmlblocks import HtmlBlock, HtmlBlocks
from generator.site.htmlpieces import ListItems, heading, target_of
from generator.site.jinjacache import template_environment
from generator.site.markdown import finalize, finalize_html, heading_slug, html_text
from generator.site.memo import PageMemo
from generator.site.nav import NAV_LIMIT
from generator.site.report import report_url
from generator.site.sources import lines_label, measure_spans, source_lines
from generator.site.tablepages import table_pages
from generator.site.unitpages import ROLE_NAMES
from generator.site.wording import (
    KIND_NAMES,
    LEVEL_NAMES,
    SITE_NAME,
    cn_date,
    deadline_text,
    full_citation,
    head_and_body,
    reform_pinyin,
    shown_label,
    snippet,
)

LIST_LIMIT = 1000  # a page listing measures of all places lists at most this many (else it summarises)
COMPACT_ROWS = 300  # a place's alignment table with more matched measures shows them by year and number only
DOCUMENT_COUNTERPARTS = 5  # a measure on its document page names at most this many counterparts (its page, all)


# --- rendering ------------------------------------------------------------------------------


_GLOBALS = dict(
    shown_label=shown_label, snippet=snippet, deadline_text=deadline_text,
    head_and_body=head_and_body, plan_measures_csv=plan_measures_csv,
    reform_pinyin=reform_pinyin, alignment_page=alignment_page, units_page=units_page, unit_page=unit_page,
    ROLE_NAMES=ROLE_NAMES, calendar_page=calendar_page,
    domain_part_page=domain_part_page, domain_page=domain_page,
    source_page=source_page, source_text_page=source_text_page, line_anchor=line_anchor, lines_label=lines_label,
    anchor=jurisdiction_anchor, LICENCE=LICENCE, href_from=href_from, url_for=url_for,
    LEVEL_NAMES=LEVEL_NAMES, KIND_NAMES=KIND_NAMES, SITE_NAME=SITE_NAME,
    WHEN_NAMES={"now": "本月", "past": "已过", "next": ""},  # a calendar month's mark (`_when`)
)


@functools.cache  # one per process: `serve` rebuilds reuse the compiled templates (reloaded when edited)
def _environment() -> jinja2.Environment:
    """The Markdown templates (*.md.j2): every printed value escaped for Markdown and HTML (`finalize`)."""
    env = template_environment(finalize, keep_trailing_newline=True)
    env.filters.update(
        attr=_attr,
        yaml=lambda value: Markup(json.dumps(html_text(value), ensure_ascii=False)),
        cn_date=cn_date,
        join=_join,
    )
    env.globals.update(_GLOBALS, link=_link, html_link=_html_link)
    return env


@functools.cache
def _html_environment() -> jinja2.Environment:
    """The HTML templates of blocks (*.html.j2 called through `html_block`): HTML-escaped, links as served."""
    env = template_environment(finalize_html)
    env.filters.update(attr=_attr, cn_date=cn_date)
    env.tests["heading"] = lambda block: isinstance(block, Heading)
    env.globals.update(_GLOBALS, link=_html_link, heading=heading, heading_slug=heading_slug)
    return env


def _attr(value: Any) -> Markup:
    """An attribute value in raw HTML: HTML-escaped, quotes included, never Markdown-escaped."""
    return Markup(html.escape(str(value), quote=True))


def _join(values: Any, separator: str = "") -> Markup:
    """Jinja's own `join` would HTML-escape but not Markdown-escape: this one escapes for both."""
    return Markup(finalize(separator)).join(finalize(value) for value in values)


@jinja2.pass_context
def _link(context: Any, target: Any, anchor: str = "") -> Markup:
    """A relative link from the page being rendered to `target` (a model object or a site path)."""
    return Markup(html.escape(relative(context["page_path"], *target_of(target, anchor)), quote=True))


@jinja2.pass_context
def _html_link(context: Any, target: Any, anchor: str = "") -> Markup:
    """Like `link`, for raw HTML: the address the site serves, since MkDocs rewrites only Markdown links."""
    path, anchor = target_of(target, anchor)
    return Markup(html.escape(served_relative(context["page_path"], path, anchor), quote=True))


def render_site(
    catalog: Catalog, refs: CrossReferences, *, updated: dt.date, site_url: str = "", release: Release = NO_RELEASE,
    memo: PageMemo | None = None,
) -> tuple[dict[str, str], dict[str, HtmlBlock]]:
    """Every generated page of the site, {site path: Markdown}, and the HTML blocks they mark ({digest: block},
    `htmlblocks`), from the catalogue and its cross-references
    (`crossref.cross_reference(catalog)`). `updated` is shown as the last update; `site_url` makes the
    permalinks printed on the pages absolute; `release` gives the version, change log and report addresses.
    `memo` (under `serve`) hands out again each page whose inputs and reads did not change (site.memo); the
    templates then read the catalogue-wide values (`shared`) through it, so a page's helpers take them from the
    page's `values`, never from this function's scope.
    Long because: it lists every page of the site, in the order a reader meets them."""
    env = _environment()
    index, units = refs.index, refs.units
    reforms = {r.name: r for r in catalog.reforms}
    places = index.jurisdictions_with_documents()

    def unit_target(measure: Measure, name: str) -> str:
        """The page (site path) of the unit `name` as written in `measure`."""
        jurisdiction = index.jurisdiction_of(measure)
        return unit_page(jurisdiction, units.unit(jurisdiction.slug, name).slug)

    shared = {
        "catalog": catalog, "index": index, "updated": updated, "site_url": site_url, "units": units,
        "release": release, "ambiguous": _ambiguous_labels(catalog),
        "places": places, "reform_page": lambda tag: reform_path(reforms[tag].slug) if tag in reforms else None,
        "tagged_in": index.tagged_in, "columns": index.table_places(), "list_limit": LIST_LIMIT,
        "home_documents": NAV_LIMIT, "compact_rows": COMPACT_ROWS,
        "columns_note": "地区较多，表中只列省和各市自身的数字；区（县）的数字见各区（县）的页面。",
        "unit_target": unit_target,
    }

    html_blocks, html_env = HtmlBlocks(), _html_environment()

    def page(template: str, path: str, values: dict[str, Any]) -> str:
        def html_block(name: str, **more: Any) -> Markup:
            """The HTML template `name` rendered for this page, as a marker in its Markdown (htmlblocks). The
            templates get the page's values, the per-item pieces of `htmlpieces.ListItems` named below (a new
            piece is added to ListItems and to this dict), and `more`."""
            items = ListItems(path, values["index"], values["unit_target"], values["ambiguous"], values.get("place_names"),
                              values.get("unit_targets"))
            return html_blocks.add(html_env.get_template(name).render(
                values | {"unit_links": items.unit_links, "measure_entry": items.measure_entry,
                          "place_entry": items.place_entry, "unit_item": items.unit_item} | more))

        return env.get_template(template).render(values, html_block=html_block)

    def render(template: str, path: str, derived: Callable[[], dict[str, Any]] | None = None,
               **context: Any) -> tuple[str, str]:
        """The page `path` from `template` with the shared values and `context`, and the values `derived()` makes:
        a pure function of `context` alone, so `memo` compares `context` and derives only for a page it renders."""
        def made(values: dict[str, Any]) -> str:
            return page(template, path, values | derived() if derived is not None else values)

        if memo is None:
            return path, made(shared | context | {"page_path": path})
        return path, memo.page(path, template, shared, context | {"page_path": path}, made, html_blocks)

    pages = [
        render("home.md.j2", "index.md"),
        render("domains.md.j2", "domains/index.md"),
        render("jurisdictions.md.j2", "jurisdictions/index.md"),
        render("documents.md.j2", "documents/index.md"),
        render("matrix.md.j2", "tables/matrix.md"),
        render("downloads.md.j2", "downloads/index.md", columns=COLUMNS, fields=FIELD_DESCRIPTIONS,
               alignment_columns=ALIGNMENT_COLUMNS, alignment_fields=ALIGNMENT_DESCRIPTIONS,
               plan_fields=PLAN_FIELDS, place_fields=PLACE_FIELDS, calendars=[
            (calendar_file(j), f"{j.name if j else '全部地区'}的完成时限") for j in (None, *index.jurisdictions_with_documents())
        ]),
        render("changes.md.j2", "downloads/changes.md"),
        render("explore.md.j2", "explore/index.md"),
    ]
    pages += [render("domain.md.j2", page_of(d), domain=d) for d in index.domains_with_pages()]
    pages += [
        render("domain_part.md.j2", domain_part_page(d, group), domain=d, group=group, groups=groups,
               part_count=sum(len(items) for _, documents in groups for _, items in documents))
        for d in index.domains_with_pages() if index.is_split(d) for group, groups in index.domain_parts(d)
    ]
    pages += [render("jurisdiction.md.j2", page_of(j), jurisdiction=j) for j in index.jurisdictions_with_pages()]
    for document in catalog.documents:
        text = catalog.source_texts.get(document.source)
        runs, lines = _document_parts(document, text, refs, site_url, release, memo)
        pages.append(render("document.md.j2", page_of(document), document=document, runs=runs,
                            **_document_lookups(document, catalog, unit_target, shared["reform_page"])))
        if text is not None:
            pages.append(render("source.md.j2", source_text_page(document), document=document, lines=lines))
    pages += table_pages(catalog, refs, render, release.built)
    return dict(pages), html_blocks.blocks


def _document_parts(document: Document, text: str | None, refs: CrossReferences, site_url: str, release: Release,
                    memo: PageMemo | None) -> tuple[list, list]:
    """A plan page's runs of measures (`document_blocks`, `measure_runs`) and its source text's numbered lines
    (`source_lines`; [] without a text). Pure functions of the plan, its text, its place, each measure's
    counterparts, the site's address and the release, so `memo` (`serve`) hands them out again while those are
    unchanged."""
    counterparts = [refs.counterparts(m, DOCUMENT_COUNTERPARTS) for m in document.measures]

    def parts() -> tuple[list, list]:
        spans = measure_spans(document, text) if text is not None else {}
        found = dict(zip((m.id for m in document.measures), counterparts, strict=True))
        blocks = document_blocks(document, refs.index, site_url, spans=spans, release=release,
                                 counterparts=lambda m: found[m.id])
        return measure_runs(blocks), source_lines(document, text) if text is not None else []

    if memo is None:
        return parts()
    return memo.value(("document parts", document.slug),
                      (document, text, refs.index.jurisdiction_of(document), counterparts, site_url, release), parts)


def _ambiguous_labels(catalog: Catalog) -> frozenset[str]:
    """Ids of measures whose label repeats in their document (plans that restart numbering per section)."""
    ids = []
    for document in catalog.documents:
        repeated = Counter(m.label for m in document.measures)
        ids += [m.id for m in document.measures if repeated[m.label] > 1]
    return frozenset(ids)


def _document_lookups(document: Document, catalog: Catalog, unit_target: Callable[[Measure, str], str],
                      reform_page: Callable[[str], str | None]) -> dict[str, Any]:
    """What a plan's page looks up for each measure, as plain values that come with the page (under `serve` the
    memo compares them whole, instead of logging hundreds of reads per page): its units' pages, its domain, its
    reform tags' pages."""
    return {
        "unit_targets": {(m.id, name): unit_target(m, name) for m in document.measures
                         for role in ROLES for name in getattr(m, role)},
        "measure_domains": {m.domain: catalog.domain(m.domain) for m in document.measures},
        "tag_pages": {tag: reform_page(tag) for m in document.measures for tag in m.tags},
    }


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading of a document page: level 2 for the first level of `Measure.section`."""

    level: int
    text: str
    id: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A measure on its document page: its citation, its permanent address as text and as a link from the
    page, and its counterparts (`CrossReferences.counterparts`: side, those shown, how many in all)."""

    measure: Measure
    citation: str
    permalink: str
    page_link: str
    counterparts: tuple[str, list[Counterpart], int] = ("", [], 0)
    lines: tuple[int, int] | None = None  # its first and last line in the source text, where known
    report: str = ""  # the address of a prefilled error report, where the repository is known


def document_blocks(
    document: Document, index: SiteIndex, site_url: str = "", *,
    spans: dict[str, tuple[int, int]] | None = None, release: Release = NO_RELEASE,
    counterparts: Callable[[Measure], tuple[str, list[Counterpart], int]] | None = None,
) -> list[Heading | Entry]:
    """The document's measures in order, with a heading wherever the section path changes. `spans` gives
    each measure's lines in the source text; `release.repository` makes the error report links;
    `counterparts` gives each measure's counterparts (none without it)."""
    repeated = Counter(m.label for m in document.measures)
    jurisdiction = index.jurisdiction_of(document)
    base = site_url.rstrip("/") + "/" if site_url else ""
    blocks: list[Heading | Entry] = []
    previous: tuple[str, ...] = ()
    for measure in document.measures:
        same = 0
        while same < min(len(previous), len(measure.section)) and previous[same] == measure.section[same]:
            same += 1
        if measure.section != previous and same == len(measure.section):
            same -= 1  # back in a section after one of its subsections: repeat its heading
        for depth in range(same, len(measure.section)):
            count = sum(isinstance(b, Heading) for b in blocks) + 1
            blocks.append(Heading(level=depth + 2, text=measure.section[depth], id=f"section-{count}"))
        previous = measure.section
        cite = full_citation(measure, document, jurisdiction, ambiguous=repeated[measure.label] > 1)
        lines = (spans or {}).get(measure.id)
        report = report_url(release.repository, measure, document, url=base + url_for(measure), lines=lines)
        blocks.append(Entry(measure=measure, citation=cite, permalink=base + url_for(measure),
                            page_link=href_from(page_of(document), url_for(measure)),
                            counterparts=counterparts(measure) if counterparts else ("", [], 0),
                            lines=lines, report=report))
    return blocks


def measure_runs(blocks: list[Heading | Entry]) -> list[Heading | list[Entry]]:
    """`document_blocks` with each run of measures between two headings as one list (one HTML block)."""
    runs: list[Heading | list[Entry]] = []
    for block in blocks:
        if isinstance(block, Heading):
            runs.append(block)
        elif runs and isinstance(runs[-1], list):
            runs[-1].append(block)
        else:
            runs.append([block])
    return runs


def source_files(catalog: Catalog) -> dict[str, str]:  # the .txt files, served as they are
    """{site path of a source text: its path in the repository (relative to the catalogue's parent)}."""
    return {source_page(d): d.source for d in catalog.documents}
