"""Every address of the site, defined once: pages, anchors, downloads, calendars, source texts.

Addresses are site paths relative to the site root. Page functions return the
Markdown source path MkDocs turns into a page ("documents/jinan-2021.md" is
served at /documents/jinan-2021/); `url_for` returns the public address of a
measure: its own page, m/<id>/ (short, ASCII, stable as the id is). The
downloads, the citations, the copy-link controls, the calendars, the search
index and the redirects all take a measure's address from `url_for`, so it
changes in one place. `place_in_plan` is the measure's anchor on its document
page, the permalink before measure pages existed: it keeps working.
"""

from __future__ import annotations

import functools
import posixpath
from pathlib import PurePosixPath

from generator.crossref.index import SiteIndex
from generator.model import Document, Domain, Jurisdiction, Measure

MEASURES_JSON = "downloads/measures.json"
MEASURES_CSV = "downloads/measures.csv"
ALIGNMENT_JSON = "downloads/alignment.json"
ALIGNMENT_CSV = "downloads/alignment.csv"
PLANS_JSON = "downloads/plans.json"
PLANS_CSV = "downloads/plans.csv"
PLACES_JSON = "downloads/places.json"
PLACES_CSV = "downloads/places.csv"
CHANGES_JSON = "downloads/changes.json"
PLAN_MEASURES_FOLDER = "downloads/measures"  # one CSV per plan: measures.csv's header and that plan's rows
EXPLORER_DATA = "explore/facets.json"  # what the explorer page filters on: places, levels, units, roles, dates
CHANGES_PAGE = "downloads/changes.md"
REDIRECTS_JSON = "redirects.json"  # old measure id -> new permalink, read by docs/assets/redirects.js
MEASURE_FOLDER = "m"
# The one page MkDocs renders for all measure pages: the theme's frame around placeholders, which
# publish.measurepages fills for every measure (and then deletes). Not a public address.
MEASURE_SHELL = f"{MEASURE_FOLDER}/_shell.md"


def url_for(measure: Measure) -> str:
    """The measure's permanent address, relative to the site root: its own page, m/<id>/."""
    return measure_address(measure.id)


def measure_address(measure_id: str) -> str:
    """The address of the measure page of `measure_id` (also for ids that moved: their redirect page)."""
    return f"{MEASURE_FOLDER}/{measure_id}/"


def measure_file(measure: Measure) -> str:
    """The HTML file (site path) of the measure's page."""
    return url_for(measure) + "index.html"


def plan_measures_csv(document: Document) -> str:
    """The CSV of one plan's measures (site path): measures.csv's header and rows, that plan's rows only."""
    return f"{PLAN_MEASURES_FOLDER}/{document.slug}.csv"


def place_in_plan(measure: Measure) -> str:
    """The measure's anchor on its document's page (site path with #id): the permalink before measure pages."""
    return f"documents/{measure.document}/#{measure.id}"


def document_url(document: Document) -> str:
    """The public address of a plan's page, relative to the site root."""
    return f"documents/{document.slug}/"


def served(page: str) -> str:
    """The address MkDocs serves a Markdown page at: "documents/x.md" -> "documents/x/", "index.md" -> ""."""
    if not page.endswith(".md"):
        return page
    stem = page[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def page_of(item: Domain | Jurisdiction | Document | Measure) -> str:
    """The Markdown page (site path) that shows `item`; for a measure, its document's page."""
    if isinstance(item, Domain):
        return f"domains/{item.slug}.md"
    if isinstance(item, Jurisdiction):
        return f"jurisdictions/{item.slug}.md"
    if isinstance(item, Document):
        return f"documents/{item.slug}.md"
    return f"documents/{item.document}.md"


def page_address(item: Domain | Jurisdiction | Document) -> str:
    """The public address of an item's page, relative to the site root: "documents/jinan-2021/"."""
    return page_of(item).removesuffix(".md") + "/"


def domain_part_page(domain: Domain, group: Jurisdiction) -> str:
    """The page of a split domain that lists the measures of one group: domains/<domain>/<province or city>.md."""
    return f"domains/{domain.slug}/{group.slug}.md"


def domain_page(index: SiteIndex, domain: Domain, jurisdiction: Jurisdiction) -> str:
    """The page listing the domain's measures of `jurisdiction`: the domain's page, or its group's part."""
    if index.is_split(domain):
        return domain_part_page(domain, index.group_of(jurisdiction))
    return page_of(domain)


def source_page(document: Document) -> str:
    """Where the site serves the document's source text as it is (a .txt file)."""
    return f"sources/{PurePosixPath(document.source).name}"


def source_text_page(document: Document) -> str:
    """The page that shows the document's source text with numbered lines: sources/<slug>.md."""
    return f"sources/{PurePosixPath(document.source).stem}.md"


def line_anchor(line: int) -> str:
    """The id of a line of a source text page: "L12"."""
    return f"L{line}"


def alignment_page(jurisdiction: Jurisdiction) -> str:
    return f"tables/alignment/{jurisdiction.slug}.md"


def units_page(jurisdiction: Jurisdiction) -> str:
    return f"tables/units/{jurisdiction.slug}.md"


def unit_page(jurisdiction: Jurisdiction, unit_slug: str) -> str:
    """One unit's page in one jurisdiction: what it leads and shares, with deadlines."""
    return f"tables/units/{jurisdiction.slug}/{unit_slug}.md"


def unit_calendar_file(jurisdiction: Jurisdiction, unit_slug: str) -> str:
    """The .ics file of the dated deadlines of one unit's measures in one jurisdiction."""
    return f"downloads/calendar/{jurisdiction.slug}/{unit_slug}.ics"


def calendar_page(jurisdiction: Jurisdiction | None) -> str:
    """One jurisdiction's deadline calendar page, or the calendar of all of them."""
    return f"tables/calendar/{jurisdiction.slug}.md" if jurisdiction else "tables/calendar.md"


def calendar_file(jurisdiction: Jurisdiction | None) -> str:
    """The .ics file of one jurisdiction's deadlines, or of all of them."""
    return f"downloads/calendar/{jurisdiction.slug if jurisdiction else 'all'}.ics"


def reform_path(slug: str) -> str:
    return f"tables/reforms/{slug}.md"


def jurisdiction_anchor(jurisdiction: Jurisdiction) -> str:
    """The id of a jurisdiction's group on a domain page."""
    return f"jurisdiction-{jurisdiction.slug}"


def href_from(page_path: str, address: str) -> str:
    """A link written as raw HTML on the Markdown page `page_path` (MkDocs does not rewrite those) to a site
    address such as url_for's: relative to the folder the page is served in."""
    return _relpath(address, served(page_path)) + ("/" if address.endswith("/") else "")


def relative(page_path: str, path: str, anchor: str = "") -> str:
    """The link from the page at `page_path` to the site path `path` (and `anchor`), as the built site needs it."""
    link = _relpath(path, posixpath.dirname(page_path))
    return link + (f"#{anchor}" if anchor else "")


def served_at(path: str) -> str:
    """Where the site serves the site path `path` (directory URLs): "x/index.md" -> "x/", "x/y.md" -> "x/y/",
    "index.md" -> "", a file other than a page -> itself."""
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def served_relative(page_path: str, path: str, anchor: str = "") -> str:
    """The link from the page at `page_path` to `path` as raw HTML needs it (MkDocs rewrites only Markdown links)."""
    link = _relpath(served_at(path), served_at(page_path).rstrip("/") if page_path.endswith(".md") else
                    posixpath.dirname(page_path))
    if served_at(path).endswith("/") and link != ".":
        link += "/"
    elif link == ".":
        link = "./"
    return link + (f"#{anchor}" if anchor else "")


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
