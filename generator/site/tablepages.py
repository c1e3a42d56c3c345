"""The cross-reference tables' pages: alignment (all places, each place), units (each place, each unit),
deadline calendars (all places, each place) and named reforms. `pages.render_site` hands each function its
`render(template, path, derived=None, **context)`, which renders (or, under `serve`, hands out again) a page.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from typing import Any

from generator.crossref import CrossReferences, months
from generator.crossref.alignment import Alignment, bands
from generator.crossref.index import SiteIndex
from generator.crossref.units import Unit, UnitTable
from generator.model import Catalog, Jurisdiction
from generator.site.addresses import (
    alignment_page,
    calendar_file,
    calendar_page,
    reform_path,
    unit_calendar_file,
    unit_page,
    units_page,
)
from generator.site.unitpages import GROUPS, ROLE_NAMES, unit_items


def table_pages(catalog: Catalog, refs: CrossReferences, render: Any, today: dt.date | None) -> list[tuple[str, str]]:
    """The cross-reference tables' pages, [(site path, Markdown)] in the order a reader meets them: alignment,
    units, deadline calendars, named reforms. `today` (the build date) orders the units' and calendars' deadlines."""
    index, alignment = refs.index, refs.alignment
    places = index.jurisdictions_with_documents()
    aligned = [j for j in places if j.slug in alignment.local]
    pages = [render("alignment.md.j2", "tables/alignment.md", alignment=alignment, bands=bands(alignment),
                    places=aligned)]
    pages += [_alignment_place(alignment, index, j, render) for j in aligned]
    pages.append(render("units.md.j2", "tables/units.md"))
    pages += unit_pages(refs.units, places, render, today)
    for jurisdiction in (None, *places):
        measures = index.by_jurisdiction.get(jurisdiction.slug, []) if jurisdiction else catalog.measures()
        groups = months.months(measures)
        counts = {m.slug: Counter(index.jurisdiction_of(d.measure).slug for d in m.due) for m in groups}
        path = calendar_page(jurisdiction)
        pages.append(render(
            "calendar.md.j2", path, jurisdiction=jurisdiction, months=groups, undated=months.undated(measures),
            due_count=sum(len(m.due) for m in groups), month_counts=lambda month, c=counts: c[month.slug],
            ics_path=calendar_file(jurisdiction), when=functools.partial(_when, today=today),
        ))
    pages.append(render("reforms.md.j2", "tables/reforms.md", reforms=catalog.reforms))
    pages += [render("reform.md.j2", reform_path(r.slug), reform=r) for r in catalog.reforms]
    return pages


def _alignment_place(alignment: Alignment, index: SiteIndex, jurisdiction: Jurisdiction, render: Any) -> tuple[str, str]:
    """A place's alignment page. What it lists per measure comes with it, as plain values (the provincial
    measures it takes up with their matches, the years of the plans matched, the places of the measures listed),
    so that under `serve` the memo compares them whole instead of logging a read per measure."""
    taken_matches = [(p, alignment.matches_in(p, jurisdiction)) for p in alignment.taken_up(jurisdiction)]
    listed = (*alignment.not_taken_up(jurisdiction), *alignment.local_only(jurisdiction))
    return render("alignment_place.md.j2", alignment_page(jurisdiction), alignment=alignment, jurisdiction=jurisdiction,
                  taken_matches=taken_matches, place_names={m.id: index.jurisdiction_of(m).name for m in listed},
                  plan_years={match.local.document: index.document_of(match.local).year
                              for _, matches in taken_matches for match in matches})


def _when(month: months.Month, today: dt.date | None) -> str:
    """A calendar month seen from `today` (the build date): "now", "past" or "next" (also when unknown)."""
    if today and (month.year, month.month) == (today.year, today.month):
        return "now"
    return "past" if today and (month.year, month.month) < (today.year, today.month) else "next"


def unit_pages(units: UnitTable, places: list, render: Any, today: dt.date | None) -> list[tuple[str, str]]:
    """Each place's units table, and each unit's own page."""
    pages = []
    for j in places:
        listed = units.units[j.slug]
        counts = {"all": len(listed)} | {role: sum(1 for u in listed if getattr(u, role)) for role in ROLE_NAMES}
        pages.append(render("units_place.md.j2", units_page(j), jurisdiction=j, counts=counts,
                            counts_roles=[role for role in ROLE_NAMES if counts[role]]))
        for unit in listed:
            pages.append(render(
                "unit.md.j2", unit_page(j, unit.slug), jurisdiction=j, unit=unit, groups_named=GROUPS, today=today,
                ics_path=unit_calendar_file(j, unit.slug), derived=functools.partial(_unit_context, unit, today),
            ))
    return pages


def _unit_context(unit: Unit, today: dt.date | None) -> dict[str, Any]:
    """What a unit's page shows of its measures, from the unit and the build date alone."""
    return {"groups": unit_items(unit, today), "dated": any(d.date for m, _ in unit.roles() for d in m.deadlines),
            "counts": {"all": unit.total} | {role: len(getattr(unit, role)) for role in ROLE_NAMES}}
