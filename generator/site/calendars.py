"""The deadline calendars as iCalendar (RFC 5545) files to subscribe to: one per place, one for all, one per unit.

Escaping as §3.3.11 requires, lines folded at 75 octets never inside a UTF-8
character, one all-day event per dated deadline with a UID stable across builds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from generator.crossref import months
from generator.crossref.index import SiteIndex
from generator.crossref.units import UnitTable
from generator.model import Catalog, Document, Jurisdiction
from generator.site.addresses import calendar_file, unit_calendar_file, url_for
from generator.site.memo import PageMemo
from generator.site.wording import shown_label

PRODID = "-//shandong-business-environment-catalogue//deadlines//ZH"


def calendar_files(catalog: Catalog, index: SiteIndex, *, updated: dt.date, site_url: str = "",
                   memo: PageMemo | None = None) -> dict[str, bytes]:
    """{site path: .ics bytes}: every jurisdiction's dated deadlines, and all of them together. `memo` (`serve`)
    hands out a plan's events again while what they print (the plan, its place's name, the site's address and
    the date) is unchanged: the calendar of all places holds every plan's, and a plan changed at a time."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    events = {document.slug: _plan_events(document, index.jurisdiction_of(document).name, base, updated, memo)
              for document in catalog.documents}

    def event(item: months.Due, occurrence: int) -> str:
        return events[item.measure.document][item.measure.id, occurrence]

    files = {}
    for jurisdiction in (None, *index.jurisdictions_with_documents()):
        measures = index.by_jurisdiction.get(jurisdiction.slug, []) if jurisdiction else catalog.measures()
        name = f"{jurisdiction.name if jurisdiction else '山东省各地'}营商环境举措完成时限"
        due = [d for month in months.months(measures) for d in month.due]
        files[calendar_file(jurisdiction)] = calendar(name, due, event=event)
    return files


def _plan_events(document: Document, place: str, base: str, updated: dt.date,
                 memo: PageMemo | None) -> dict[tuple[str, int], str]:
    """The events of the dated deadlines of `document` (its place's name `place`), folded, by (measure id, the
    deadline's place among the measure's dated ones in date order, from 1: its UID's number in every calendar)."""
    def made() -> dict[tuple[str, int], str]:
        def summary(due: months.Due) -> str:
            return f"{place} {shown_label(due.measure)} {due.measure.title}"

        def description(due: months.Due) -> str:
            lines = [f"时限：{due.deadline.phrase}", f"《{document.title}》{shown_label(due.measure)}", due.measure.text]
            return "\n".join([*lines, f"链接：{base}{url_for(due.measure)}"])

        seen: dict[str, int] = defaultdict(int)
        found = {}
        for item in (d for month in months.months(document.measures) for d in month.due):
            seen[item.measure.id] += 1
            found[item.measure.id, seen[item.measure.id]] = vevent(
                item, seen[item.measure.id], summary=summary, description=description,
                url=lambda item: base + url_for(item.measure) if base else None, stamp=updated)
        return found

    return made() if memo is None else memo.value(("calendar events", document.slug),
                                                   (document, place, base, updated), made)


def ics_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 requires; line breaks become \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    parts, start, room = [], 0, 75  # a continuation line's leading space takes one octet of its 75
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back up to the character's start
            end -= 1
        parts.append(data[start:end])
        start, room = end, 74
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def calendar(name: str, due: Iterable[months.Due], *, event: Callable[[months.Due, int], str]) -> bytes:
    """An iCalendar file named `name` with one all-day event per dated deadline in `due`: `event(item, place)`,
    a `vevent` (made then or before). UIDs are stable across builds: the measure's id and `place`, the deadline's
    place among the measure's deadlines in the calendar (date order, from 1)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_text(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    parts = [fold(line) for line in lines]
    seen: dict[str, int] = defaultdict(int)
    for item in due:
        seen[item.measure.id] += 1
        parts.append(event(item, seen[item.measure.id]))
    parts.append("END:VCALENDAR")
    return ("\r\n".join(parts) + "\r\n").encode("utf-8")


def vevent(item: months.Due, occurrence: int, *, summary: Callable[[months.Due], str],
           description: Callable[[months.Due], str], url: Callable[[months.Due], str | None], stamp: dt.date) -> str:
    """One all-day event of a dated deadline, its lines folded and joined by CRLF (none after the last);
    `occurrence` numbers the measure's deadlines in a calendar, from 1."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{item.measure.id}-{occurrence}@shandong-business-environment-catalogue",
        f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
        f"DTSTART;VALUE=DATE:{item.date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{item.date + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{ics_text(summary(item))}",
        f"DESCRIPTION:{ics_text(description(item))}",
        "TRANSP:TRANSPARENT",
    ]
    link = url(item)
    if link:
        lines.append(f"URL:{link}")
    lines.append("END:VEVENT")
    return "\r\n".join(fold(line) for line in lines)


def unit_calendar_files(index: SiteIndex, units: UnitTable, *, updated: dt.date, site_url: str = "",
                        memo: PageMemo | None = None) -> dict[str, bytes]:
    """{site path: .ics bytes}: the dated deadlines of each unit's measures, one file per unit and place. `memo`
    (`serve`) hands out a calendar again while its place's and unit's names, deadlines, address and date are."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    files = {}
    for jurisdiction in index.jurisdictions_with_documents():
        for unit in units.units.get(jurisdiction.slug, []):
            due = [d for month in months.months(m for m, _ in unit.roles()) for d in month.due]
            if not due:
                continue
            path, name = unit_calendar_file(jurisdiction, unit.slug), f"{jurisdiction.name}{unit.name}的举措完成时限"

            def made(name: str = name, due: list = due, j: Jurisdiction = jurisdiction) -> bytes:
                return calendar(name, due, event=lambda item, place: vevent(
                    item, place, summary=lambda item: f"{j.name} {shown_label(item.measure)} {item.measure.title}",
                    description=lambda item: (f"时限：{item.deadline.phrase}\n{item.measure.text}\n"
                                              f"链接：{base}{url_for(item.measure)}"),
                    url=lambda item: base + url_for(item.measure) if base else None, stamp=updated))

            files[path] = made() if memo is None else memo.value(
                ("calendar", path), (name, jurisdiction.name, due, base, updated), made)
    return files
