"""STAGE crossref: Catalog -> derived views, pure, no addresses.

`cross_reference(catalog)` derives every view once per build: measures by
domain, place and reform (`index.SiteIndex`), the units table
(`units.UnitTable`) and the province-to-city alignment (`alignment.Alignment`).
Deadlines by month (`months`) are grouped per page from any list of measures.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.crossref.alignment import Alignment, align
from generator.crossref.index import SiteIndex
from generator.crossref.units import UnitTable
from generator.model import Catalog


@dataclass(frozen=True, slots=True)
class CrossReferences:
    """The derived views of one catalogue, built once and shared by every page, download and index."""

    index: SiteIndex
    units: UnitTable
    alignment: Alignment


def cross_reference(catalog: Catalog, **limits: int) -> CrossReferences:
    """Every derived view of `catalog` (a validated Catalog). `limits` override SiteIndex's scale limits
    (domain_page_limit, table_columns), for tests of the large-catalogue layout."""
    return CrossReferences(index=SiteIndex(catalog, **limits), units=UnitTable(catalog), alignment=align(catalog))
