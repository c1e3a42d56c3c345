"""Deadlines by month, and the same as iCalendar (RFC 5545) files to subscribe to.

Only deadlines with a date go on the calendar; recurring (每月20日前) and
ongoing (持续推进) ones are listed apart, never given an invented date.
Pure: measures in, month groups and .ics bytes out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.model import Deadline, Measure

PRODID = "-//shandong-business-environment-catalogue//deadlines//ZH"


@dataclass(frozen=True, slots=True)
class Due:
    measure: Measure
    deadline: Deadline

    @property
    def date(self) -> dt.date:
        assert self.deadline.date is not None
        return self.deadline.date


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int
    due: tuple[Due, ...]

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def name(self) -> str:
        return f"{self.year}年{self.month}月"


def months(measures: Iterable[Measure]) -> list[Month]:
    """Dated deadlines grouped by month, months in time order, each month's by date then catalogue order."""
    groups: dict[tuple[int, int], list[Due]] = defaultdict(list)
    for measure in measures:
        for deadline in measure.deadlines:
            if deadline.date is not None:
                groups[deadline.date.year, deadline.date.month].append(Due(measure, deadline))
    return [
        Month(year, month, tuple(sorted(due, key=lambda d: d.date)))  # stable: catalogue order within a date
        for (year, month), due in sorted(groups.items())
    ]


def undated(measures: Iterable[Measure]) -> list[Due]:
    """Recurring and ongoing deadlines, in catalogue order."""
    return [Due(m, d) for m in measures for d in m.deadlines if d.date is None]


# --- iCalendar ---------------------------------------------------------------------------


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


def calendar(
    name: str,
    due: Iterable[Due],
    *,
    summary: Callable[[Due], str],
    description: Callable[[Due], str],
    url: Callable[[Due], str | None],
    stamp: dt.date,
) -> bytes:
    """An iCalendar file with one all-day event per dated deadline. UIDs are stable across builds."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_text(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    seen: dict[str, int] = defaultdict(int)
    for item in due:
        seen[item.measure.id] += 1
        uid = f"{item.measure.id}-{seen[item.measure.id]}@shandong-business-environment-catalogue"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
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
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
