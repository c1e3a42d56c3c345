"""Render the site's Markdown pages from a catalogue: pure, no files written, no MkDocs.

`render_site(catalog, updated=...)` returns {site path: Markdown text}, e.g.
"documents/shandong-2021.md"; `site_nav` gives the matching MkDocs nav.
The MkDocs hook (generator/hooks.py) only hands these to MkDocs.

Escaping: every `{{ value }}` in a template is escaped for Markdown (and HTML)
unless it is marked safe, so catalogue text such as `<script>`, `*`, `|` or
`[x](y)` shows literally. Attribute values in raw HTML use the `attr` filter.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from markupsafe import Markup
from pypinyin import Style, pinyin

from generator import schedule
from generator.alignment import align, bands
from generator.export import COLUMNS
from generator.model import Catalog, Deadline, Document, Domain, Jurisdiction, Measure
from generator.siteindex import SiteIndex, domain_part_page
from generator.unittable import UnitTable

SITE_NAME = "山东省优化营商环境举措目录"
TEMPLATES = Path(__file__).resolve().parent / "templates"
SNIPPET_CHARS = 80
NAV_LIMIT = 30  # a nav section lists at most this many pages one by one (see site_nav)
LIST_LIMIT = 1000  # a page listing measures of all places lists at most this many (else it summarises)
COMPACT_ROWS = 300  # a place's alignment table with more matched measures shows them by year and number only
LEVEL_NAMES = {"province": "省", "city": "市", "district": "区（县）"}
KIND_NAMES = {"indicator": "评价指标", "sub-indicator": "二级指标", "area": "其他领域"}
DEADLINE_KIND_NAMES = {"recurring": "定期", "ongoing": "长期"}
FIELD_DESCRIPTIONS = {
    "id": "举措的永久编号（ASCII），不会改变，也不会给别的举措重用",
    "url": "举措在本站的地址（相对于网站根目录）",
    "jurisdiction": "发布文件的地区名称",
    "jurisdiction_slug": "地区编号（ASCII）",
    "document": "文件编号（ASCII）",
    "document_title": "文件标题",
    "section": "举措所在的章节，逐级以“ > ”连接",
    "number": "原文中的序号",
    "sub": "同一序号下的分项序号（仅济南市方案有）",
    "title": "举措的标题或首句",
    "text": "举措全文（含标题，不含单位说明）",
    "units": "原文中的单位说明",
    "domain": "领域编号（ASCII）",
    "domain_name": "领域名称",
    "lead": "牵头单位",
    "responsible": "责任单位",
    "section_lead": "章节给出的领域牵头单位",
    "deadlines": "完成时限：日期（如有）、原文表述、类型（date 日期，recurring 定期，ongoing 长期）",
    "tags": "涉及的改革事项，如“一网通办”",
    "source": "原文文本文件",
    "source_line": "举措在原文文本中的起始行号",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|#])")
_LIST_START = re.compile(r"(\d+)([.)])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


# --- addresses ------------------------------------------------------------------------


def url_for(measure: Measure) -> str:
    """The measure's permanent address, relative to the site root (its place on its document page)."""
    return f"documents/{measure.document}/#{measure.id}"


def page_of(item: Domain | Jurisdiction | Document | Measure) -> str:
    """The Markdown page (site path) that shows `item`; for a measure, its document's page."""
    if isinstance(item, Domain):
        return f"domains/{item.slug}.md"
    if isinstance(item, Jurisdiction):
        return f"jurisdictions/{item.slug}.md"
    if isinstance(item, Document):
        return f"documents/{item.slug}.md"
    return f"documents/{item.document}.md"


def source_page(document: Document) -> str:
    """Where the site serves the document's source text."""
    return f"sources/{PurePosixPath(document.source).name}"


def alignment_page(jurisdiction: Jurisdiction) -> str:
    return f"tables/alignment/{jurisdiction.slug}.md"


def units_page(jurisdiction: Jurisdiction) -> str:
    return f"tables/units/{jurisdiction.slug}.md"


def calendar_page(jurisdiction: Jurisdiction) -> str:
    return f"tables/calendar/{jurisdiction.slug}.md"


def calendar_file(jurisdiction: Jurisdiction | None) -> str:
    """The .ics file of one jurisdiction's deadlines, or of all of them."""
    return f"downloads/calendar/{jurisdiction.slug if jurisdiction else 'all'}.ics"


def reform_path(slug: str) -> str:
    return f"tables/reforms/{slug}.md"


def jurisdiction_anchor(jurisdiction: Jurisdiction) -> str:
    """The id of a jurisdiction's group on a domain page."""
    return f"jurisdiction-{jurisdiction.slug}"


# --- escaping ---------------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Text that Markdown (with attr_list, md_in_html, tables) shows exactly as written, on one line."""
    text = _NEWLINES.sub(" ", str(text)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text[:1] in ("-", "+"):  # would start a list
        return "\\" + text
    if text[:1] == "=":  # would underline a heading; "=" has no backslash escape
        return "&#61;" + text[1:]
    return _LIST_START.sub(r"\1\\\2", text, count=1) if _LIST_START.match(text) else text


def html_text(text: str) -> str:
    """Text for places MkDocs and the theme print as HTML unescaped (nav and page titles)."""
    return html.escape(_NEWLINES.sub(" ", str(text)).strip(), quote=True)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        raise ValueError("a template printed None: handle missing values in the template")
    return Markup(md_escape(str(value)))


# --- wording ------------------------------------------------------------------------------


def cn_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def shown_label(measure: Measure) -> str:
    """The label as a reader sees it: "3", "3（2）", or "（一）" for paragraphs numbered 一、二…"""
    return measure.label if measure.number.isascii() else f"（{measure.label}）"


def citation(measure: Measure, document: Document, jurisdiction: Jurisdiction, ambiguous: bool) -> str:
    """《title》第3条，济南市，2021年5月10日。 — the section is named when the label repeats in the document."""
    where = f"“{measure.section[-1]}”" if ambiguous else ""
    item = f"第{measure.label}条" if measure.number.isascii() else shown_label(measure)
    when = cn_date(document.date) if document.date else f"{document.year}年"
    return f"《{document.title}》{where}{item}，{jurisdiction.name}，{when}。"


def head_and_body(measure: Measure) -> tuple[str, str]:
    """The measure's text split after its title sentence, so a page shows the title once, in bold:
    ("压缩开办时间。", "企业开办时间…"). Nothing is dropped: head + body is the whole text, unless
    the text does not start with the title, when the head is the title and the body the whole text."""
    if not measure.text.startswith(measure.title):
        return measure.title, measure.text
    end = len(measure.title)
    if measure.text[end : end + 1] in ("。", "："):
        end += 1
    return measure.text[:end], measure.text[end:]


def reform_pinyin(name: str, plain: bool = False) -> str:
    """Pinyin of a reform name in context (一网通办 → yī wǎng tōng bàn); `plain`: without tones or spaces."""
    if plain:
        return "".join(s[0] for s in pinyin(name, style=Style.NORMAL, errors=lambda chars: [""] * len(chars)))
    return " ".join(s[0] for s in pinyin(name, style=Style.TONE, errors="ignore"))


def snippet(measure: Measure, limit: int = SNIPPET_CHARS) -> str:
    """The start of the measure's text after its title, at most `limit` characters."""
    text = measure.text
    if text.startswith(measure.title):
        text = text[len(measure.title):].lstrip("。.，,：: ")
    text = text or measure.text
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def deadline_text(deadline: Deadline) -> str:
    if deadline.date:
        return f"{cn_date(deadline.date)}（{deadline.phrase}）"
    return f"{deadline.phrase}（{DEADLINE_KIND_NAMES.get(deadline.kind, deadline.kind)}）"


# --- rendering ------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        attr=lambda value: Markup(html.escape(str(value), quote=True)),
        yaml=lambda value: Markup(json.dumps(html_text(value), ensure_ascii=False)),
        cn_date=cn_date,
        join=_join,
    )
    env.tests["heading"] = lambda block: isinstance(block, Heading)
    env.globals.update(
        link=_link, shown_label=shown_label, snippet=snippet, deadline_text=deadline_text, head_and_body=head_and_body,
        reform_pinyin=reform_pinyin, alignment_page=alignment_page, units_page=units_page, calendar_page=calendar_page,
        domain_part_page=domain_part_page,
        source_page=source_page, anchor=jurisdiction_anchor, hashes=lambda n: Markup("#" * n), LEVEL_NAMES=LEVEL_NAMES,
        KIND_NAMES=KIND_NAMES, SITE_NAME=SITE_NAME,
    )
    return env


def _join(values: Any, separator: str = "") -> Markup:
    """Jinja's own `join` would HTML-escape but not Markdown-escape: this one escapes for both."""
    return Markup(_finalize(separator)).join(_finalize(value) for value in values)


@jinja2.pass_context
def _link(context: Any, target: Any, anchor: str = "") -> Markup:
    """A relative link from the page being rendered to `target` (a model object or a site path)."""
    path = target if isinstance(target, str) else page_of(target)
    if isinstance(target, Measure) and not anchor:
        anchor = target.id
    return Markup(html.escape(_relative(context["page_path"], path, anchor), quote=True))


def _relative(page_path: str, path: str, anchor: str = "") -> str:
    relative = _relpath(path, posixpath.dirname(page_path))
    return relative + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)
def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for site paths (relative, normalised), without its two getcwd() calls per link:
    at 50 times the catalogue there are millions of links."""
    target, base = [p for p in path.split("/") if p], [p for p in start.split("/") if p]
    common = 0
    while common < min(len(target), len(base)) and target[common] == base[common]:
        common += 1
    parts = [".."] * (len(base) - common) + target[common:]
    return "/".join(parts) or "."


def render_site(catalog: Catalog, *, updated: dt.date, site_url: str = "", **limits: int) -> dict[str, str]:
    """Every generated page of the site: {site path: Markdown}. `updated` is shown as the last update.
    `limits` override the scale limits of SiteIndex (domain_page_limit, table_columns), for tests."""
    env = _environment()
    index = SiteIndex(catalog, **limits)
    units = UnitTable(catalog)
    reforms = {r.name: r for r in catalog.reforms}
    places = index.jurisdictions_with_documents()

    def unit_link(context_path: str, measure: Measure, name: str) -> str:
        unit = units.unit(index.jurisdiction_of(measure).slug, name)
        return _relative(context_path, units_page(index.jurisdiction_of(measure)), unit.anchor)

    shared = {
        "catalog": catalog, "index": index, "updated": updated, "site_url": site_url, "units": units,
        "places": places, "reform_page": lambda tag: reform_path(reforms[tag].slug) if tag in reforms else None,
        "tagged_in": index.tagged_in, "columns": index.table_places(), "list_limit": LIST_LIMIT,
        "home_documents": NAV_LIMIT, "compact_rows": COMPACT_ROWS,
        "columns_note": "地区较多，表中只列省和各市自身的数字；区（县）的数字见各区（县）的页面。",
    }

    def render(template: str, path: str, **context: Any) -> tuple[str, str]:
        link_unit = lambda measure, name: Markup(html.escape(unit_link(path, measure, name), quote=True))  # noqa: E731
        return path, env.get_template(template).render(page_path=path, unit_link=link_unit, **(shared | context))

    pages = [
        render("home.md.j2", "index.md"),
        render("domains.md.j2", "domains/index.md"),
        render("jurisdictions.md.j2", "jurisdictions/index.md"),
        render("documents.md.j2", "documents/index.md"),
        render("matrix.md.j2", "tables/matrix.md"),
        render("downloads.md.j2", "downloads/index.md", columns=COLUMNS, fields=FIELD_DESCRIPTIONS, calendars=[
            (calendar_file(j), f"{j.name if j else '全部地区'}的完成时限") for j in (None, *index.jurisdictions_with_documents())
        ]),
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
        blocks = document_blocks(document, index, site_url)
        pages.append(render("document.md.j2", page_of(document), document=document, blocks=blocks))
    pages += _table_pages(catalog, index, render)
    return dict(pages)


def _table_pages(catalog: Catalog, index: SiteIndex, render: Any) -> list[tuple[str, str]]:
    """The cross-reference tables: alignment, units, deadline calendar, named reforms."""
    places = index.jurisdictions_with_documents()
    alignment = align(catalog)
    aligned = [j for j in places if j.slug in alignment.local]
    pages = [render("alignment.md.j2", "tables/alignment.md", alignment=alignment, bands=bands(alignment),
                    places=aligned)]
    pages += [render("alignment_place.md.j2", alignment_page(j), alignment=alignment, jurisdiction=j) for j in aligned]
    pages.append(render("units.md.j2", "tables/units.md"))
    pages += [render("units_place.md.j2", units_page(j), jurisdiction=j) for j in places]
    for jurisdiction in (None, *places):
        measures = index.by_jurisdiction.get(jurisdiction.slug, []) if jurisdiction else catalog.measures()
        months = schedule.months(measures)
        counts = {m.slug: Counter(index.jurisdiction_of(d.measure).slug for d in m.due) for m in months}
        path = calendar_page(jurisdiction) if jurisdiction else "tables/calendar.md"
        pages.append(render(
            "calendar.md.j2", path, jurisdiction=jurisdiction, months=months, undated=schedule.undated(measures),
            due_count=sum(len(m.due) for m in months), month_counts=lambda month, c=counts: c[month.slug],
            ics_path=calendar_file(jurisdiction), ics_name=PurePosixPath(calendar_file(jurisdiction)).name,
        ))
    pages.append(render("reforms.md.j2", "tables/reforms.md", reforms=catalog.reforms))
    pages += [render("reform.md.j2", reform_path(r.slug), reform=r) for r in catalog.reforms]
    return pages


def calendar_files(catalog: Catalog, *, updated: dt.date, site_url: str = "") -> dict[str, bytes]:
    """{site path: .ics bytes}: every jurisdiction's dated deadlines, and all of them together."""
    index = SiteIndex(catalog)
    base = site_url.rstrip("/") + "/" if site_url else ""

    def summary(due: schedule.Due) -> str:
        return f"{index.jurisdiction_of(due.measure).name} {shown_label(due.measure)} {due.measure.title}"

    def description(due: schedule.Due) -> str:
        document = index.document_of(due.measure)
        lines = [f"时限：{due.deadline.phrase}", f"《{document.title}》{shown_label(due.measure)}", due.measure.text]
        return "\n".join([*lines, f"链接：{base}{url_for(due.measure)}"])

    files = {}
    for jurisdiction in (None, *index.jurisdictions_with_documents()):
        measures = index.by_jurisdiction.get(jurisdiction.slug, []) if jurisdiction else catalog.measures()
        name = f"{jurisdiction.name if jurisdiction else '山东省各地'}营商环境举措完成时限"
        due = [d for month in schedule.months(measures) for d in month.due]
        files[calendar_file(jurisdiction)] = schedule.calendar(
            name, due, summary=summary, description=description,
            url=lambda d: base + url_for(d.measure) if base else None, stamp=updated,
        )
    return files


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading of a document page: level 2 for the first level of `Measure.section`."""

    level: int
    text: str
    id: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A measure on its document page, with its citation and its permanent address as text."""

    measure: Measure
    citation: str
    permalink: str


def document_blocks(document: Document, index: SiteIndex, site_url: str = "") -> list[Heading | Entry]:
    """The document's measures in order, with a heading wherever the section path changes."""
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
        cite = citation(measure, document, jurisdiction, ambiguous=repeated[measure.label] > 1)
        blocks.append(Entry(measure=measure, citation=cite, permalink=base + url_for(measure)))
    return blocks


def site_nav(catalog: Catalog, *, nav_limit: int = NAV_LIMIT) -> list[dict[str, Any]]:
    """The MkDocs nav for the generated pages and the hand-written about.md. Titles are HTML-escaped,
    because MkDocs and the theme print nav titles as HTML.

    Material writes the whole nav into every page, so a nav that grows with the catalogue makes every
    page heavier and the build quadratic: beyond `nav_limit` entries a section lists only its index page
    (documents), or the province and the cities (jurisdictions). Pages left out of the nav are reached
    from those pages; hooks.py marks them as not in the nav."""
    index = SiteIndex(catalog)
    domains = [{html_text(d.name): page_of(d)} for d in index.domains_with_pages()]
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
        {"下载数据": "downloads/index.md"},
        {"关于": "about.md"},
    ]


def nav_pages(nav: Any) -> set[str]:
    """Every page path a nav (as site_nav returns it) names."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(nav_pages(v) for v in nav.values()))
    return set().union(*(nav_pages(v) for v in nav)) if nav else set()


def source_files(catalog: Catalog) -> dict[str, str]:
    """{site path of a source text: its path in the repository (relative to the catalogue's parent)}."""
    return {source_page(d): d.source for d in catalog.documents}
