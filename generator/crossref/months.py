"""Deadlines by month: the calendar pages and the .ics files are views of these groups.

Only deadlines with a date go on the calendar; recurring (每月20日前) and
ongoing (持续推进) ones are listed apart, never given an invented date.
Pure: measures in, month groups out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.model import Deadline, Measure


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
