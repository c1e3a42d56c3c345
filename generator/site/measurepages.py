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

import html
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.crossref import CrossReferences
from generator.model import Catalog, Document, Jurisdiction, Measure
from generator.site.addresses import (
    MEASURE_SHELL,
    calendar_page,
    domain_page,
    measure_file,
    page_of,
    reform_path,
    served,
    source_lines,
    units_page,
    url_for,
)
from generator.site.wording import (
    SITE_NAME,
    cn_date,
    deadline_text,
    full_citation,
    page_title,
    short_title,
    shown_label,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
UP = "../../"  # from a measure page (m/<id>/) to the site root
DESCRIPTION_CHARS = 120
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
    text = "---\n" f"title: {SHELL_TOPIC}\n" "measure_shell: true\n" "---\n\n" f"{SHELL_BODY}\n"
    return MEASURE_SHELL, text


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["cn_date"] = cn_date
    env.globals.update(shown_label=shown_label, deadline_text=deadline_text, short_title=short_title,
                       SITE_NAME=SITE_NAME, href=lambda path, anchor="": UP + served(path) + (f"#{anchor}" if anchor else ""))
    return env


class MeasurePages:
    """Every measure page of a catalogue, rendered on demand: `paths()`, `render(measure)`, iteration."""

    def __init__(self, catalog: Catalog, refs: CrossReferences, *, updated, site_url: str = "") -> None:
        self.catalog, self.refs, self.updated = catalog, refs, updated
        self.base = site_url.rstrip("/") + "/" if site_url else ""
        env = _environment()
        self._body, self._head = env.get_template("measure.html.j2"), env.get_template("measure_head.html.j2")
        self._reforms = {r.name: reform_path(r.slug) for r in catalog.reforms}

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
        """Long because: it gathers, in one place, everything the page template shows of one measure."""
        measure = document.measures[position]
        index, units = self.refs.index, self.refs.units
        jurisdiction = index.jurisdiction_of(document)
        domain = self.catalog.domain(measure.domain)
        side, counterparts, total = self.refs.counterparts(measure, COUNTERPART_LIMIT)
        title = page_title(measure, document, jurisdiction)
        canonical = self.base + url_for(measure) if self.base else "./"
        context = dict(
            m=measure, document=document, jurisdiction=jurisdiction, domain=domain,
            domain_href=domain_page(index, domain, jurisdiction),
            previous=document.measures[position - 1] if position else None,
            next=document.measures[position + 1] if position + 1 < len(document.measures) else None,
            unit_href=lambda name: (units_page(jurisdiction), units.unit(jurisdiction.slug, name).anchor),
            calendar=calendar_page(jurisdiction), reforms=self._reforms, page_of=page_of,
            plan_href=(page_of(document), measure.id), source=source_lines(document, measure),
            side=side, counterparts=counterparts, total=total,
            citation=full_citation(measure, document, jurisdiction, ambiguous),
            permalink=self.base + url_for(measure) if self.base else "", updated=self.updated,
            title=title, canonical=canonical, absolute=bool(self.base),
            description=_description(measure),
            jsonld=Markup(_jsonld(measure, document, jurisdiction, domain.name, canonical if self.base else "")),
        )
        return MeasurePage(path=measure_file(measure), head=self._head.render(context),
                           topic=html.escape(short_title(measure)), body=self._body.render(context))


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
