"""A unit's own page per place: its measures with its role in each and their deadlines, upcoming first.

"What does my unit do, and what is due?" is the question an official brings.
The order is relative to `today` (the build date): measures with a deadline
still ahead, soonest first; then those whose deadlines have passed, latest
first; then those with recurring, ongoing or no deadlines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.crossref.units import Unit
from generator.model import Measure

ROLE_NAMES = {"lead": "牵头", "responsible": "责任", "section_lead": "领域牵头"}
GROUPS = (("upcoming", "尚未到期"), ("past", "已过期限"), ("undated", "定期、长期或未写时限"))


@dataclass(frozen=True, slots=True)
class UnitItem:
    measure: Measure
    roles: tuple[str, ...]
    group: str  # one of GROUPS' keys
    date: dt.date | None  # the deadline it is sorted by


def unit_items(unit: Unit, today: dt.date | None) -> dict[str, list[UnitItem]]:
    """The unit's measures by group (GROUPS), each group in the order a reader needs it."""
    groups: dict[str, list[UnitItem]] = {key: [] for key, _ in GROUPS}
    for measure, roles in unit.roles():
        dates = sorted(d.date for d in measure.deadlines if d.date)
        ahead = [d for d in dates if today is None or d >= today]
        if ahead:
            groups["upcoming"].append(UnitItem(measure, roles, "upcoming", ahead[0]))
        elif dates:
            groups["past"].append(UnitItem(measure, roles, "past", dates[-1]))
        else:
            groups["undated"].append(UnitItem(measure, roles, "undated", None))
    groups["upcoming"].sort(key=lambda item: item.date)
    groups["past"].sort(key=lambda item: item.date, reverse=True)
    return groups
