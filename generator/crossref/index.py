"""Cross-references by domain, jurisdiction and reform tag, with their counts; no addresses.

Built once per build from a validated catalogue (`SiteIndex(catalog)`); pure.
The scale limits decide which views a large catalogue splits or summarises.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from generator.model import LEVELS, Catalog, Document, Domain, Jurisdiction, Measure

Group = tuple[Jurisdiction, list[tuple[Document, list[Measure]]]]


# Scale limits (issue 5). Below them the site is laid out as for the first five plans; above them a page
# that would grow with the catalogue is split or summarised, so no page outgrows about 1 MB of HTML.
DOMAIN_PAGE_LIMIT = 400  # a domain with more measures gets one page per city (with its districts) and the province
TABLE_COLUMNS = 20  # a table with more places than this has columns for the province and the cities only


class SiteIndex:
    def __init__(self, catalog: Catalog, *, domain_page_limit: int = DOMAIN_PAGE_LIMIT,
                 table_columns: int = TABLE_COLUMNS) -> None:
        self.catalog = catalog
        self.domain_page_limit = domain_page_limit
        self.table_columns = table_columns
        self._groups: dict[str, list[Group]] = {}
        order = {j.slug: i for i, j in enumerate(catalog.jurisdictions)}
        # Province first, then cities, then districts; within a level, the order of jurisdictions.yaml.
        self.jurisdictions = sorted(catalog.jurisdictions, key=lambda j: (LEVELS.index(j.level), order[j.slug]))
        self.documents_of: dict[str, list[Document]] = defaultdict(list)
        self.by_domain: dict[str, list[Measure]] = defaultdict(list)
        self.by_jurisdiction: dict[str, list[Measure]] = defaultdict(list)
        self.counts: Counter[tuple[str, str]] = Counter()
        self.by_tag: dict[str, list[Measure]] = defaultdict(list)
        self._tagged: dict[tuple[str, str], list[Measure]] = defaultdict(list)
        # a plan's slug -> the plan, and its place: every page asks, for every measure it lists (one lookup each)
        self._document: dict[str, Document] = {d.slug: d for d in catalog.documents}
        self._place: dict[str, Jurisdiction] = {d.slug: catalog.jurisdiction(d.jurisdiction) for d in catalog.documents}
        for document in catalog.documents:
            self.documents_of[document.jurisdiction].append(document)
            for measure in document.measures:
                self.by_domain[measure.domain].append(measure)
                self.by_jurisdiction[document.jurisdiction].append(measure)
                self.counts[measure.domain, document.jurisdiction] += 1
                for tag in measure.tags:
                    self.by_tag[tag].append(measure)
                    self._tagged[tag, document.jurisdiction].append(measure)

    # --- lookups ---

    def document_of(self, measure: Measure) -> Document:
        return self._document[measure.document]

    def jurisdiction_of(self, item: Measure | Document) -> Jurisdiction:
        """The place of a measure or of a plan of the catalogue."""
        return self._place[item.document] if isinstance(item, Measure) else self.catalog.jurisdiction(item.jurisdiction)

    def tagged_in(self, tag: str, jurisdiction: Jurisdiction) -> list[Measure]:
        """The jurisdiction's measures carrying a reform tag, catalogue order."""
        return self._tagged.get((tag, jurisdiction.slug), [])

    def count(self, domain: Domain, jurisdiction: Jurisdiction) -> int:
        return self.counts[domain.slug, jurisdiction.slug]

    # --- domains ---

    def parent(self, domain: Domain) -> Domain | None:
        return self.catalog.domain(domain.parent) if domain.parent else None

    def children(self, domain: Domain) -> list[Domain]:
        return [d for d in self.catalog.domains if d.parent == domain.slug and self.has_page(d)]

    def has_page(self, domain: Domain) -> bool:
        """A domain has a page when it has measures, or one of its sub-indicators has."""
        return bool(self.by_domain.get(domain.slug)) or any(
            self.by_domain.get(d.slug) for d in self.catalog.domains if d.parent == domain.slug
        )

    def domains_with_pages(self) -> list[Domain]:
        return [d for d in self.catalog.domains if self.has_page(d)]

    def domain_groups(self, domain: Domain) -> list[Group]:
        """The domain's measures by jurisdiction (site order), then by document (catalogue order)."""
        if domain.slug not in self._groups:
            self._groups[domain.slug] = self._domain_groups(domain)
        return self._groups[domain.slug]

    def _domain_groups(self, domain: Domain) -> list[Group]:
        groups = []
        for jurisdiction in self.jurisdictions:
            documents = []
            for document in self.documents_of.get(jurisdiction.slug, []):
                measures = [m for m in document.measures if m.domain == domain.slug]
                if measures:
                    documents.append((document, measures))
            if documents:
                groups.append((jurisdiction, documents))
        return groups

    def is_split(self, domain: Domain) -> bool:
        """Whether the domain's measures are listed on one page per group (see `group_of`) instead of its own page."""
        return len(self.by_domain.get(domain.slug, ())) > self.domain_page_limit

    def domain_parts(self, domain: Domain) -> list[tuple[Jurisdiction, list[Group]]]:
        """The domain's measure groups by part page: (group jurisdiction, its groups), site order."""
        parts: dict[str, list[Group]] = defaultdict(list)
        for group in self.domain_groups(domain):
            parts[self.group_of(group[0]).slug].append(group)
        return [(self.catalog.jurisdiction(slug), groups) for slug, groups in parts.items()]

    def domain_places(self, domain: Domain) -> list[Jurisdiction]:
        """The places with measures in the domain, site order: `domain_groups`' places alone. A page that shows
        only these reads only these (under `serve`, site.memo: a plan's new title leaves such a page as it was)."""
        return [jurisdiction for jurisdiction, _ in self.domain_groups(domain)]

    def part_places(self, domain: Domain) -> list[Jurisdiction]:
        """The places (province, cities) that have a part page of the split domain, site order: `domain_parts`'
        places alone, for the links between the parts."""
        return [group for group, _ in self.domain_parts(domain)]

    def group_of(self, jurisdiction: Jurisdiction) -> Jurisdiction:
        """A district belongs with its city; the province and each city stand for themselves."""
        if jurisdiction.level == "district" and jurisdiction.parent:
            return self.catalog.jurisdiction(jurisdiction.parent)
        return jurisdiction

    def table_places(self) -> list[Jurisdiction]:
        """The columns of a place × something table: every place with documents, or, when there are more than
        `table_columns`, the province and the cities with documents (districts are on their own pages)."""
        places = self.jurisdictions_with_documents()
        return places if len(places) <= self.table_columns else [j for j in places if j.level != "district"]

    # --- jurisdictions ---

    def sub_jurisdictions(self, jurisdiction: Jurisdiction) -> list[Jurisdiction]:
        return [j for j in self.jurisdictions if j.parent == jurisdiction.slug and self.has_jurisdiction_page(j)]

    def has_jurisdiction_page(self, jurisdiction: Jurisdiction) -> bool:
        """A jurisdiction has a page when it or a jurisdiction below it has documents."""
        if self.documents_of.get(jurisdiction.slug):
            return True
        return any(self.has_jurisdiction_page(j) for j in self.jurisdictions if j.parent == jurisdiction.slug)

    def jurisdictions_with_pages(self) -> list[Jurisdiction]:
        return [j for j in self.jurisdictions if self.has_jurisdiction_page(j)]

    def jurisdictions_with_documents(self) -> list[Jurisdiction]:
        return [j for j in self.jurisdictions if self.documents_of.get(j.slug)]

    def domain_counts(self, jurisdiction: Jurisdiction) -> list[tuple[Domain, int]]:
        """The domains the jurisdiction's measures fall in, with counts, in domain order."""
        return [(d, self.count(d, jurisdiction)) for d in self.catalog.domains if self.count(d, jurisdiction)]
