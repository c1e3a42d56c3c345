"""Cross-references the site's pages need: measures by domain and by jurisdiction, and their counts.

Built once from a validated catalogue; pure, and cheap enough to build per render.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from generator.model import LEVELS, Catalog, Document, Domain, Jurisdiction, Measure

Group = tuple[Jurisdiction, list[tuple[Document, list[Measure]]]]


class SiteIndex:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        order = {j.slug: i for i, j in enumerate(catalog.jurisdictions)}
        # Province first, then cities, then districts; within a level, the order of jurisdictions.yaml.
        self.jurisdictions = sorted(catalog.jurisdictions, key=lambda j: (LEVELS.index(j.level), order[j.slug]))
        self.documents_of: dict[str, list[Document]] = defaultdict(list)
        self.by_domain: dict[str, list[Measure]] = defaultdict(list)
        self.by_jurisdiction: dict[str, list[Measure]] = defaultdict(list)
        self.counts: Counter[tuple[str, str]] = Counter()
        self.by_tag: dict[str, list[Measure]] = defaultdict(list)
        self._tagged: dict[tuple[str, str], list[Measure]] = defaultdict(list)
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
        return self.catalog.document(measure.document)

    def jurisdiction_of(self, item: Measure | Document) -> Jurisdiction:
        document = self.document_of(item) if isinstance(item, Measure) else item
        return self.catalog.jurisdiction(document.jurisdiction)

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
