"""The units table: per jurisdiction, every lead and responsible unit with the measures it leads and shares.

Spellings of one unit are merged in two ways:
- automatically, where the difference carries no meaning for the unit itself:
  a 等 ("and others") printed before or after the name ("省水利厅等",
  "等市直有关部门单位"), half- and full-width brackets, spaces;
- by hand, in catalog/units.yaml, for variants a person has confirmed
  (a doubled character from a line break, a missing level prefix, a transposed
  name). Measures keep the spelling they were printed with.
The name shown is the reviewed name, else the spelling most measures use.

Pure: Catalog in, UnitTable out. Anchors are ASCII: the unit's pinyin; each
jurisdiction's units are in pinyin order (as a phone book is).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generator.crossref.readings import reading
from generator.model import Catalog, Document, Measure, unit_key

ROLES = ("lead", "responsible", "section_lead")


@dataclass(slots=True)
class Unit:
    """One unit of one jurisdiction and the measures it appears in, in catalogue order."""

    name: str
    anchor: str
    spellings: Counter[str] = field(default_factory=Counter)
    lead: list[Measure] = field(default_factory=list)
    responsible: list[Measure] = field(default_factory=list)
    section_lead: list[Measure] = field(default_factory=list)

    @property
    def variants(self) -> list[str]:
        """Other spellings printed for this unit, most used first."""
        return [s for s, _ in self.spellings.most_common() if s != self.name]

    @property
    def total(self) -> int:
        return len({m.id for m in (*self.lead, *self.responsible, *self.section_lead)})

    @property
    def slug(self) -> str:
        """The unit's ASCII name within its jurisdiction (its anchor without "unit-"), for its own page."""
        return self.anchor.removeprefix("unit-")

    def roles(self) -> list[tuple[Measure, tuple[str, ...]]]:
        """Every measure the unit appears in, once, with its roles (in the order of ROLES), in catalogue order."""
        found: dict[str, tuple[Measure, list[str]]] = {}
        for role in ROLES:
            for measure in getattr(self, role):
                found.setdefault(measure.id, (measure, []))[1].append(role)
        return sorted(((m, tuple(r)) for m, r in found.values()), key=lambda item: (item[0].document, item[0].line or 0))


class UnitTable:
    def __init__(self, catalog: Catalog) -> None:
        reviewed: dict[tuple[str, str], str] = {}
        for alias in catalog.unit_aliases:
            for variant in (alias.name, *alias.variants):
                reviewed[alias.jurisdiction, unit_key(variant)] = alias.name
        self.units: dict[str, list[Unit]] = {}
        self._where: dict[tuple[str, str], Unit] = {}
        documents: dict[str, list[Document]] = defaultdict(list)
        for document in catalog.documents:
            documents[document.jurisdiction].append(document)
        for jurisdiction in catalog.jurisdictions:
            self._build(documents[jurisdiction.slug], jurisdiction.slug, reviewed)

    def _build(self, documents: list[Document], jurisdiction: str, reviewed: dict[tuple[str, str], str]) -> None:
        groups: dict[str, dict[str, list[Measure]]] = defaultdict(lambda: {role: [] for role in ROLES})
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for document in documents:  # the place's plans, in catalogue order
            for measure in document.measures:
                for role in ROLES:
                    for name in getattr(measure, role):
                        key = reviewed.get((jurisdiction, unit_key(name)), unit_key(name))
                        key = unit_key(key)
                        listed = groups[key][role]
                        if not listed or listed[-1] is not measure:  # measures come in order: a repeat is the last one
                            listed.append(measure)
                        spellings[key][name] += 1
        units, anchors = [], Counter()
        for key, roles in groups.items():
            reviewed_name = reviewed.get((jurisdiction, key))
            name = reviewed_name or max(spellings[key], key=lambda s: (unit_key(s) == s, spellings[key][s]))
            anchor = unit_anchor(name)
            anchors[anchor] += 1
            if anchors[anchor] > 1:
                anchor = f"{anchor}-{anchors[anchor]}"
            unit = Unit(name=name, anchor=anchor, spellings=spellings[key], **roles)
            units.append(unit)
            for spelling in spellings[key]:
                self._where[jurisdiction, spelling] = unit
        units.sort(key=lambda u: (pinyin_key(u.name), u.name))
        self.units[jurisdiction] = units

    def unit(self, jurisdiction: str, printed: str) -> Unit:
        """The unit a measure of `jurisdiction` means by the name `printed`."""
        return self._where[jurisdiction, printed]


def pinyin_key(name: str) -> list[str]:
    """A sort key that orders Chinese names as a phone book does: by the pinyin of each character."""
    return [w.lower() for w in reading(name)]


def unit_anchor(name: str) -> str:
    """An ASCII anchor for a unit: "unit-" and the pinyin of its name (letters and digits only)."""
    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in reading(name)]
    slug = "-".join(w for w in words if w)[:80].rstrip("-")
    return f"unit-{slug or 'x'}"
