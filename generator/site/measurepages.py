"""A page per measure, m/<id>/: what an official shares in a chat. Pure: HTML strings, no MkDocs.

Why not one MkDocs page per measure: MkDocs and the theme cost milliseconds a
page (Markdown, link validation, the theme's template with its nav); at 50
times the catalogue that is tens of thousands of pages and minutes of build.
So a measure page is HTML rendered here straight from the model, and MkDocs
renders only one page for all of them, the shell (addresses.MEASURE_SHELL):
the theme's frame (header, search box, palette, scripts) around placeholders.
`publish.measurepages` puts each page's head, header topic and body into a
copy of that frame. Every measure page lives at the same depth (m/<id>/), so
the frame's relative links are right for all of them.

`MeasurePages` renders lazily, one page at a time, so memory does not grow
with the catalogue: the publish step writes each page and lets it go.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from generator.crossref import Counterpart, CrossReferences
from generator.model import Catalog, Document, Domain, Jurisdiction, Measure
from generator.site.addresses import (
    MEASURE_SHELL,
    calendar_page,
    domain_page,
    measure_file,
    page_of,
    reform_path,
    served,
    source_page,
    units_page,
    url_for,
)
from generator.site.jinjacache import template_environment
from generator.site.memo import PageMemo
from generator.site.wording import (
    SITE_NAME,
    cn_date,
    deadline_text,
    full_citation,
    page_title,
    short_title,
    shown_label,
)

UP = "../../"  # from a measure page (m/<id>/) to the site root
DESCRIPTION_CHARS = 120
PAGE_SPLIT = "\x00"  # between the head and the body in the template's output (no text holds it)
COUNTERPART_LIMIT = 40  # a measure page lists at most this many counterparts (the best scores), and says so

# Placeholders of the shell page, replaced by publish.measurepages. Plain ASCII words that Markdown,
# the theme and HTML escaping leave alone, and that no catalogue text produces in the frame.
SHELL_HEAD = "<!--measure-page-head-->"
SHELL_TOPIC = "MEASUREPAGETOPIC"
SHELL_BODY = '<div class="measure-page-slot"><h1>MEASUREPAGEBODY</h1></div>'  # an h1: the theme adds none


@dataclass(frozen=True, slots=True)
class MeasurePage:
    """One measure page: its file (site path), the tags of its head, its header topic and its body (HTML)."""

    path: str
    head: str
    topic: str
    body: str


def shell_page() -> tuple[str, str]:
    """The Markdown page MkDocs renders once as the frame of every measure page (site path, text)."""
    front = f"title: {SHELL_TOPIC}\nmeasure_shell: true\nscripts:\n- assets/permalink.js\n"  # its own scripts: main.html
    text = f"---\n{front}---\n\n{SHELL_BODY}\n"
    return MEASURE_SHELL, text


@functools.cache  # one per process: `serve` rebuilds reuse the compiled templates (reloaded when edited)
def _environment() -> jinja2.Environment:
    env = template_environment()
    env.filters["cn_date"] = cn_date
    env.globals.update(SITE_NAME=SITE_NAME, PAGE_SPLIT=Markup(PAGE_SPLIT))
    return env


class MeasurePages:
    """Every measure page of a catalogue, rendered on demand: `paths()`, `render(measure)`, iteration."""

    def __init__(self, catalog: Catalog, refs: CrossReferences, *, updated, site_url: str = "",
                 memo: PageMemo | None = None) -> None:
        self.catalog, self.refs, self.updated, self.memo = catalog, refs, updated, memo
        self.base = site_url.rstrip("/") + "/" if site_url else ""
        self._page = _environment().get_template("measure.html.j2")
        self._reforms = {r.name: reform_path(r.slug) for r in catalog.reforms}
        self._cache: dict[tuple[str, str, str], Any] = {}  # ("links" or "unit", …) -> what is looked up

    def __len__(self) -> int:
        return sum(len(d.measures) for d in self.catalog.documents)

    def paths(self) -> list[str]:
        return [measure_file(m) for d in self.catalog.documents for m in d.measures]

    def __iter__(self) -> Iterator[MeasurePage]:
        for document in self.catalog.documents:
            repeated = Counter(m.label for m in document.measures)
            for i, measure in enumerate(document.measures):
                yield self._render(document, i, ambiguous=repeated[measure.label] > 1)

    def render(self, measure: Measure) -> MeasurePage:
        document = self.catalog.document(measure.document)
        ambiguous = sum(m.label == measure.label for m in document.measures) > 1
        return self._render(document, document.measures.index(measure), ambiguous=ambiguous)

    def _render(self, document: Document, position: int, *, ambiguous: bool) -> MeasurePage:
        """The page of `document.measures[position]`: what it shows is `_context` of the inputs looked up here
        (its plan, place, domain, counterparts, units' and reforms' addresses), a pure function of them, so under
        `serve` (`memo`) the previous page is handed out again while the inputs are equal."""
        measure = document.measures[position]
        jurisdiction = self.refs.index.jurisdiction_of(document)
        domain = self.catalog.domain(measure.domain)
        inputs = _Inputs(
            measure=measure, document=document, position=position, ambiguous=ambiguous, jurisdiction=jurisdiction,
            domain=domain, counterparts=self.refs.counterparts(measure, COUNTERPART_LIMIT),
            links=self._links(document, jurisdiction, domain),
            units=tuple((role, tuple((name, self._unit(jurisdiction, name)) for name in getattr(measure, role)))
                        for role in ("lead", "responsible", "section_lead")),
            tags=tuple((tag, href(self._reforms[tag]) if tag in self._reforms else "") for tag in measure.tags),
            updated=self.updated, base=self.base)
        if self.memo is not None:
            return self.memo.value(measure_file(measure), inputs, lambda: self._page_of(measure, _context(inputs)))
        return self._page_of(measure, _context(inputs))

    def _page_of(self, measure: Measure, context: dict[str, Any]) -> MeasurePage:
        head, body = self._page.render(context).split(PAGE_SPLIT)
        return MeasurePage(path=measure_file(measure), head=head, topic=html.escape(context["short"]),
                           body=body.lstrip("\n"))

    def _links(self, document: Document, jurisdiction: Jurisdiction, domain: Domain) -> tuple[tuple[str, str], ...]:
        """The addresses a page links to, ((name, href), …): its place, plan, domain, source text, alignment."""
        key, plan = ("links", document.slug, domain.slug), ("plan links", document.slug)
        place = ("domain link", jurisdiction.slug, domain.slug)
        if key not in self._cache:
            if plan not in self._cache:  # a plan's measures share these; a place's, their domains' pages
                self._cache[plan] = (href(page_of(jurisdiction)), href(page_of(document)), href(source_page(document)),
                                     source_page(document).split("/")[-1], href("tables/alignment.md"))
            if place not in self._cache:
                self._cache[place] = href(domain_page(self.refs.index, domain, jurisdiction))
            place_href, plan_href, source_href, source_name, alignment_href = self._cache[plan]
            self._cache[key] = (("place", place_href), ("plan", plan_href), ("domain", self._cache[place]),
                                ("source", source_href), ("source_name", source_name), ("alignment", alignment_href))
        return self._cache[key]

    def _unit(self, jurisdiction: Jurisdiction, name: str) -> str:
        key = ("unit", jurisdiction.slug, name)
        if key not in self._cache:
            self._cache[key] = href(units_page(jurisdiction), self.refs.units.unit(jurisdiction.slug, name).anchor)
        return self._cache[key]


@dataclass(frozen=True, slots=True)
class _Inputs:
    """Everything a measure page shows comes from these (`_context`). Only values and tuples (no dict): the type
    is `memo.flat`, so the memo compares two of them by their equality, an identity check for each unchanged part."""

    measure: Measure
    document: Document
    position: int
    ambiguous: bool
    jurisdiction: Jurisdiction
    domain: Domain
    counterparts: tuple[str, list[Counterpart], int]
    links: tuple[tuple[str, str], ...]  # (name, href) of the pages it links to: place, plan, domain…
    units: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (role, ((unit as written, href), …)), by role
    tags: tuple[tuple[str, str], ...]  # (reform, href or "")
    updated: dt.date
    base: str


def _context(inputs: _Inputs) -> dict[str, Any]:
    """The values measure.html.j2 prints, from `inputs` alone.
    Long because: it gathers, in one place, everything the page shows of one measure, as ready text and
    addresses (a template call costs more than the Python: tens of thousands of pages at scale)."""
    measure, document, position, jurisdiction = inputs.measure, inputs.document, inputs.position, inputs.jurisdiction
    side, counterparts, total = inputs.counterparts
    base = inputs.base
    canonical = base + url_for(measure) if base else "./"
    step = [(rel, document.measures[i]) for rel, i in (("prev", position - 1), ("next", position + 1))
            if 0 <= i < len(document.measures)]
    return dict(
        m=measure, document=document, jurisdiction=jurisdiction, domain=inputs.domain,
        label=shown_label(measure), short=short_title(measure),
        to=dict(inputs.links), plan_href=href(page_of(document), measure.id), units=dict(inputs.units),
        deadlines=[(deadline_text(d), d.date and d.date.isoformat(),
                    d.date and href(calendar_page(jurisdiction), "month-" + d.date.strftime("%Y-%m")))
                   for d in measure.deadlines],
        tags=inputs.tags,
        step=[(rel, other.id, f"{shown_label(other)} {short_title(other)}") for rel, other in step],
        side=side, total=total,
        counterparts=[(c.place.name, c.measure.id, f"{c.document.year}年 {shown_label(c.measure)} "
                       f"{short_title(c.measure)}", f"{c.score:.2f}") for c in counterparts],
        citation=full_citation(measure, document, jurisdiction, inputs.ambiguous),
        permalink=base + url_for(measure) if base else url_for(measure),
        updated=inputs.updated, updated_text=cn_date(inputs.updated),
        title=page_title(measure, document, jurisdiction), canonical=canonical, absolute=bool(base),
        description=_description(measure),
        jsonld=Markup(_jsonld(measure, document, jurisdiction, inputs.domain.name, canonical if base else "")),
    )


def href(path: str, anchor: str = "") -> str:
    """The link from a measure page to a site path (a Markdown page or a file), and an anchor."""
    return UP + served(path) + (f"#{anchor}" if anchor else "")


def _description(measure: Measure) -> str:
    text = " ".join(measure.text.split())
    return text if len(text) <= DESCRIPTION_CHARS else text[:DESCRIPTION_CHARS].rstrip() + "…"


def _jsonld(measure: Measure, document: Document, jurisdiction: Jurisdiction, domain: str, url: str) -> str:
    """Schema.org data for search engines: the measure as a Legislation that is part of its plan's."""
    plan: dict = {"@type": "Legislation", "name": document.title, "legislationJurisdiction": jurisdiction.name}
    if document.doc_number:
        plan["legislationIdentifier"] = document.doc_number
    if document.issuer:
        plan["legislationPassedBy"] = {"@type": "GovernmentOrganization", "name": document.issuer}
    if document.date:
        plan["legislationDate"] = document.date.isoformat()
    data: dict = {
        "@context": "https://schema.org", "@type": "Legislation", "name": short_title(measure),
        "alternateName": f"{document.title} {shown_label(measure)}", "identifier": measure.id,
        "text": measure.text, "inLanguage": "zh-CN", "legislationJurisdiction": jurisdiction.name,
        "legislationType": "行动方案举措", "about": domain, "isPartOf": plan,
    }
    if document.date:
        data["legislationDate"] = document.date.isoformat()
    if measure.tags:
        data["keywords"] = list(measure.tags)
    if url:
        data["url"] = data["@id"] = url
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
