"""What the explorer page (explore/, docs/assets/explore.js) filters on: one JSON file, EXPLORER_DATA.

The explorer narrows the measures by place, level, domain, unit (in any role or one), deadline and words;
beside every filter value it shows how many measures that value would give with the other filters held.
For that the browser needs, per measure, its plan, domain, units with their roles, and dated deadlines;
the words are searched with the search index (searchindex.py), the measures shown are its records, and the
CSV is cut from the per-plan files of `downloads` (their paths are here, so the browser never spells one).

Shape (every list in catalogue order; a measure's number is its position in `catalog.measures()`, the
numbering the search index uses too):
  places:    [{slug, name, level, parent (place number or -1)}]
  levels:    [[level, name]]              province 省, city 市, district 区（县）
  domains:   [{slug, name, parent (domain number or -1)}]
  documents: [{slug, title, place, csv (site path of its measures CSV)}]
  roles:     [[role, name]]               lead 牵头, responsible 责任, section_lead 领域牵头
  units:     [{id "<place slug>/<unit slug>", name, place, pinyin, also}]; a unit belongs to one place
             (same-named units of two cities are two units), each place's units in pinyin order
             (crossref.units.UnitTable); `pinyin` the syllables of the name, space separated; `also` its
             other printed spellings
  fields:    the names of a row's values: document, domain, units, dates
  rows:      per measure [document, domain, [unit * 8 + role bits (1 lead, 2 responsible, 4 section lead)],
             [ISO dates of its dated deadlines, sorted, each once]]
"""

from __future__ import annotations

import json
from typing import Any

from generator.crossref.units import ROLES, UnitTable, pinyin_key
from generator.model import Catalog
from generator.site.addresses import plan_measures_csv
from generator.site.wording import LEVEL_NAMES

ROLE_NAMES = {"lead": "牵头", "responsible": "责任", "section_lead": "领域牵头"}
ROW_FIELDS = ("document", "domain", "units", "dates")


def explorer_data(catalog: Catalog, units: UnitTable) -> dict[str, Any]:
    """The explorer's facets of a validated catalogue (shape in the module docstring); `units` is the
    catalogue's UnitTable, whose merged spellings and pinyin order the unit pages use too."""
    place_index = {j.slug: i for i, j in enumerate(catalog.jurisdictions)}
    domain_index = {d.slug: i for i, d in enumerate(catalog.domains)}
    document_index = {d.slug: i for i, d in enumerate(catalog.documents)}
    unit_rows, unit_index = [], {}
    for jurisdiction in catalog.jurisdictions:
        for unit in units.units.get(jurisdiction.slug, []):
            unit_index[id(unit)] = len(unit_rows)
            unit_rows.append({"id": f"{jurisdiction.slug}/{unit.slug}", "name": unit.name,
                              "place": place_index[jurisdiction.slug], "pinyin": " ".join(pinyin_key(unit.name)),
                              "also": unit.variants})
    rows = []
    for document in catalog.documents:
        for measure in document.measures:
            bits: dict[int, int] = {}
            for bit, role in enumerate(ROLES):
                for printed in getattr(measure, role):
                    number = unit_index[id(units.unit(document.jurisdiction, printed))]
                    bits[number] = bits.get(number, 0) | 1 << bit
            dates = sorted({d.date.isoformat() for d in measure.deadlines if d.date})
            rows.append([document_index[document.slug], domain_index[measure.domain],
                         [number * 8 + b for number, b in bits.items()], dates])
    return {
        "places": [{"slug": j.slug, "name": j.name, "level": j.level, "parent": place_index.get(j.parent or "", -1)}
                   for j in catalog.jurisdictions],
        "levels": [[level, name] for level, name in LEVEL_NAMES.items()],
        "domains": [{"slug": d.slug, "name": d.name, "parent": domain_index.get(d.parent or "", -1)}
                    for d in catalog.domains],
        "documents": [{"slug": d.slug, "title": d.title, "place": place_index[d.jurisdiction],
                       "csv": plan_measures_csv(d)} for d in catalog.documents],
        "roles": [[role, ROLE_NAMES[role]] for role in ROLES],
        "units": unit_rows,
        "fields": list(ROW_FIELDS),
        "rows": rows,
    }


def explorer_json(catalog: Catalog, units: UnitTable) -> bytes:
    """`explorer_data` as compact UTF-8 JSON (the Chinese unescaped)."""
    return json.dumps(explorer_data(catalog, units), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
