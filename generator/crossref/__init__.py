"""STAGE crossref: Catalog -> derived views, pure, no addresses.

`cross_reference(catalog)` derives every view once per build: measures by
domain, place and reform (`index.SiteIndex`), the units table
(`units.UnitTable`) and the province-to-city alignment (`alignment.Alignment`).
Deadlines by month (`months`) are grouped per page from any list of measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.crossref.alignment import Alignment, Keeper, Match, align, alignment_inputs, rebound
from generator.crossref.index import SiteIndex
from generator.crossref.units import UnitTable
from generator.model import Catalog, Document, Jurisdiction, Measure


@dataclass(frozen=True, slots=True)
class Counterpart:
    """A measure on the other side of the alignment from another one, with its place, plan and score."""

    measure: Measure
    place: Jurisdiction
    document: Document
    score: float


@dataclass(frozen=True, slots=True)
class CrossReferences:
    """The derived views of one catalogue, built once and shared by every page, download and index."""

    index: SiteIndex
    units: UnitTable
    alignment: Alignment

    def counterparts(self, measure: Measure, limit: int) -> tuple[str, list[Counterpart], int]:
        """(side, the counterparts shown, how many there are in all). A provincial measure's counterparts are the
        local measures that take it up (side "local"); a local measure's, the provincial measures it takes up
        (side "provincial"); side "" for a measure outside the alignment (a place under no province). More than
        `limit`: those of the best scores, kept in the alignment's order (place, then score). The result is kept
        by the alignment and handed out again (the same list: do not change it) while the measure's place and the
        places and plans of its counterparts are the very objects they were (under `serve`, an alignment whose
        inputs did not change is the previous one, rebound: crossref.alignment.rebound)."""
        jurisdiction = self.index.jurisdiction_of(measure)
        kept = self.alignment.kept_counterparts.get((measure.id, limit))
        place_of, document_of = self.index.jurisdiction_of, self.index.document_of
        if kept is not None and kept[0] is jurisdiction and all(
                c.place is place_of(c.measure) and c.document is document_of(c.measure) for c in kept[1][1]):
            return kept[1]
        found = self._counterparts(measure, jurisdiction, limit)
        self.alignment.kept_counterparts[measure.id, limit] = (jurisdiction, found)
        return found

    def _counterparts(self, measure: Measure, jurisdiction: Jurisdiction, limit: int) -> tuple[str, list[Counterpart], int]:
        provincial = jurisdiction.level == "province"
        if not provincial and jurisdiction.slug not in self.alignment.local:
            return "", [], 0
        by = self.alignment.by_province if provincial else self.alignment.by_local
        matches: tuple[Match, ...] = by.get(measure.id, ())
        shown = list(matches)
        if len(shown) > limit:
            kept = {id(m) for m in sorted(shown, key=lambda m: -m.score)[:limit]}
            shown = [m for m in shown if id(m) in kept]
        place_of, document_of = self.index.jurisdiction_of, self.index.document_of  # one lookup each
        items = [Counterpart(measure=other, place=place_of(other), document=document_of(other), score=match.score)
                 for match in shown for other in (match.local if provincial else match.province,)]
        return ("local" if provincial else "provincial"), items, len(matches)


def cross_reference(catalog: Catalog, *, memo: Any = None, kept: Keeper | None = None, **limits: int) -> CrossReferences:
    """Every derived view of `catalog` (a validated Catalog). `limits` override SiteIndex's scale limits
    (domain_page_limit, table_columns), for tests of the large-catalogue layout. `memo` (`serve`: an object with
    `value(name, inputs, compute)` and `update(name, made)`, site.memo.PageMemo) hands out the previous rebuild's
    alignment, rebound to this catalogue's measures, when what it is computed from (`alignment_inputs`: every
    measure's text) did not change: an edit of a plan's units, deadlines, domains or title does not score every
    measure again, and the counterparts it keeps (`CrossReferences.counterparts`) stay while they hold. `kept`
    (site.lookups.alignment_scores) holds the scores of a build before of the same inputs (`align`); under
    `serve` the memo keeps them instead (an edit that reaches the alignment makes inputs no build had)."""
    if memo is None:
        alignment = align(catalog, kept=kept)
    else:  # the rebound alignment is kept: the next rebuild finds its measures unchanged and it is handed out as is
        previous = memo.value("alignment", alignment_inputs(catalog), lambda: align(catalog))
        alignment = rebound(previous, catalog)
        if alignment is not previous:
            memo.update("alignment", alignment)
    return CrossReferences(index=SiteIndex(catalog, **limits), units=UnitTable(catalog), alignment=alignment)
