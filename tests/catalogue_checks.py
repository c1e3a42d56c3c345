"""Checks that hold for ANY valid catalogue, whatever its places and plans.

The catalogue-wide tests (test_tables.py, test_import.py) and the test that adds a
sixth plan to a copy of the catalogue (test_add_a_plan.py) call these, so a new
plan is held to exactly the rules the existing ones are. Each takes a loaded
`Catalog` and fails with an assertion naming what is wrong.
"""

from __future__ import annotations

import datetime as dt

from generator.crossref import months
from generator.crossref.alignment import align
from generator.crossref.index import SiteIndex
from generator.crossref.units import UnitTable
from generator.model import Catalog
from generator.site import calendars


def ids_unique_and_ascii(catalog: Catalog) -> None:
    ids = [m.id for m in catalog.measures()]
    assert len(ids) == len(set(ids))
    assert all(i.isascii() and i == i.lower() and " " not in i for i in ids)
    for document in catalog.documents:
        assert all(m.id.startswith(document.slug + "-") for m in document.measures), document.slug


def alignment_covers_every_local_place(catalog: Catalog) -> None:
    alignment = align(catalog)
    places = {d.jurisdiction for d in catalog.documents}
    assert set(alignment.local) == {j for j in places if catalog.jurisdiction(j).level != "province"}
    provincial = [m for d in catalog.documents if catalog.jurisdiction(d.jurisdiction).level == "province"
                  for m in d.measures]
    assert len(alignment.provincial) == len(provincial)
    for slug, measures in alignment.local.items():
        jurisdiction = catalog.jurisdiction(slug)
        taken, missing = alignment.taken_up(jurisdiction), alignment.not_taken_up(jurisdiction)
        assert len(taken) + len(missing) == len(alignment.provincial)
        only = alignment.local_only(jurisdiction)
        assert {m.id for m in only} == {m.id for m in measures if m.id not in alignment.by_local}


def every_dated_deadline_is_in_one_month(catalog: Catalog) -> None:
    groups = months.months(catalog.measures())
    dated = [(m.id, d) for m in catalog.measures() for d in m.deadlines if d.date]
    listed = [(due.measure.id, due.deadline) for month in groups for due in month.due]
    assert sorted(listed, key=repr) == sorted(dated, key=repr)
    assert all(due.date.year == month.year and due.date.month == month.month for month in groups for due in month.due)
    assert [m.slug for m in groups] == sorted(m.slug for m in groups)
    undated = months.undated(catalog.measures())
    assert len(listed) + len(undated) == sum(len(m.deadlines) for m in catalog.measures())


def one_calendar_per_place_with_plans(catalog: Catalog) -> None:
    files = calendars.calendar_files(catalog, SiteIndex(catalog), updated=dt.date(2024, 1, 2), site_url="https://example.org/sd/")
    assert set(files) == {"downloads/calendar/all.ics"} | {
        f"downloads/calendar/{j}.ics" for j in {d.jurisdiction for d in catalog.documents}
    }
    everything = files["downloads/calendar/all.ics"].decode("utf-8").replace("\r\n ", "")
    events = everything.count("BEGIN:VEVENT")
    assert events == sum(1 for m in catalog.measures() for d in m.deadlines if d.date)
    per_place = sum(data.decode("utf-8").count("BEGIN:VEVENT") for path, data in files.items()
                    if not path.endswith("all.ics"))
    assert per_place == events


def every_printed_unit_has_an_entry(catalog: Catalog) -> None:
    table = UnitTable(catalog)
    for document in catalog.documents:
        for measure in document.measures:
            for role in ("lead", "responsible", "section_lead"):
                for name in getattr(measure, role):
                    assert not name.startswith("等") and not name.endswith("等"), (measure.id, name)
                    assert measure in getattr(table.unit(document.jurisdiction, name), role)


ALL = (ids_unique_and_ascii, alignment_covers_every_local_place, every_dated_deadline_is_in_one_month,
       one_calendar_per_place_with_plans, every_printed_unit_has_an_entry)


def run_all(catalog: Catalog) -> None:
    """Every catalogue-wide check above."""
    for check in ALL:
        check(catalog)
