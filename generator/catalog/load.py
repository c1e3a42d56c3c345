"""Load and validate the whole catalogue: YAML files in, frozen `model.Catalog` out, validated once.

The steps, each file read by its own validator (one module per file schema):
1. `vocabulary`: domains.yaml, jurisdictions.yaml, reforms.yaml;
2. `documents`: every catalog/documents/*.yaml, against the vocabulary;
3. `vocabulary`: classification.yaml, against domains and measure ids;
4. `tables`: alignment.yaml and units.yaml, against measure ids and printed units;
5. `redirects`: redirects.yaml, against measure ids;
6. `characters`: lookalike characters in every file read, minus allowed-characters.yaml;
7. the documents' source texts, which the site shows with numbered lines.

Every problem of every file is collected; one CatalogError lists them all, in
file order and line order. Only a catalogue without problems becomes a
Catalog. Paths in messages are relative to the folder that holds `catalog/`
(the repository root), which is also the folder a document's `source` is
relative to.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.catalog.characters import check_lookalikes
from generator.catalog.documents import load_documents
from generator.catalog.fields import Context, ParsedFiles
from generator.catalog.redirects import load_redirects
from generator.catalog.tables import load_alignment, load_unit_aliases
from generator.catalog.vocabulary import load_classification, load_domains, load_jurisdictions, load_reforms
from generator.errors import CatalogError, Problem
from generator.model import Catalog, Document, Jurisdiction


def load_catalog(catalog_dir: Path, *, parsed: ParsedFiles | None = None) -> Catalog:
    """Read and validate every file of `catalog_dir` (a folder like catalog/); raise CatalogError listing every
    problem found, as path:line: message. `parsed` (kept by `serve` between rebuilds) spares parsing again the
    files whose bytes did not change since the previous load with it; the result is the same, and each part of it
    that equals the previous load's (a document, a measure, the domains…) is that very object (`_carry_over`)."""
    if not catalog_dir.is_dir():
        raise CatalogError([Problem(str(catalog_dir), None, "catalogue folder not found")])
    ctx = Context(catalog_dir, parsed)
    try:
        catalog = _load(ctx)
    finally:
        if parsed is not None:
            parsed.finish()
    if parsed is not None:
        catalog = parsed.catalog = _carry_over(parsed.catalog, catalog)
    return catalog


def _carry_over(previous: Catalog | None, catalog: Catalog) -> Catalog:
    """`catalog` with each part that equals the `previous` catalogue's (a document, a measure of a changed
    document, a source text, the domains, the jurisdictions…) replaced by the previous object. Equal values, so
    the same catalogue; but a later comparison with the previous rebuild's values (site.memo) then finds the
    same object and is done at once, instead of comparing every field of every measure again."""
    if previous is None:
        return catalog
    documents = {d.slug: d for d in previous.documents}
    measures = {m.id: m for d in previous.documents for m in d.measures}

    def document(new: Document) -> Document:
        old = documents.get(new.slug)
        if old is not None and old == new:
            return old
        kept = tuple(measures[m.id] if measures.get(m.id) == m else m for m in new.measures)
        return dataclasses.replace(new, measures=kept)

    same = {f.name: getattr(previous, f.name) for f in dataclasses.fields(Catalog)
            if f.compare and f.name != "documents" and getattr(previous, f.name) == getattr(catalog, f.name)}
    texts = {source: previous.source_texts[source] if previous.source_texts.get(source) == text else text
             for source, text in catalog.source_texts.items()}
    return dataclasses.replace(catalog, **same, documents=tuple(map(document, catalog.documents)),
                               source_texts=texts, _index={})


def _load(ctx: Context) -> Catalog:
    ctx.domains = load_domains(ctx)
    ctx.jurisdictions = load_jurisdictions(ctx)
    ctx.reforms = load_reforms(ctx)
    documents = load_documents(ctx)
    classification = load_classification(ctx)
    alignment = load_alignment(ctx)
    unit_aliases = load_unit_aliases(ctx, documents)
    redirects = load_redirects(ctx)
    check_lookalikes(ctx)
    if ctx.problems or ctx.domains is None or ctx.jurisdictions is None:
        raise CatalogError(_in_file_order(ctx.problems))
    return Catalog(
        domains=tuple(ctx.domains.values()),
        jurisdictions=tuple(ctx.jurisdictions.values()),
        documents=_in_catalogue_order(documents, ctx.jurisdictions),
        reforms=tuple((ctx.reforms or {}).values()),
        alignment=alignment,
        unit_aliases=unit_aliases,
        classification=classification,
        redirects=redirects,
        source_texts=_source_texts(ctx.root, documents),
    )


def _source_texts(root: Path, documents: list[Document]) -> dict[str, str]:
    """{document.source: its text}; the loader has checked each exists. Undecodable bytes show as U+FFFD."""
    return {d.source: (root / d.source).read_text(encoding="utf-8", errors="replace") for d in documents}


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems grouped by file (in the order files were read), each file's by line."""
    files: dict[str, int] = {}
    for problem in problems:
        files.setdefault(problem.path, len(files))
    return sorted(problems, key=lambda p: (files[p.path], p.line or 0, p.col or 0))


def _in_catalogue_order(documents: list[Document], jurisdictions: dict[str, Jurisdiction]) -> tuple[Document, ...]:
    """Documents by jurisdiction (in the order of jurisdictions.yaml), then year, then slug."""
    rank = {slug: index for index, slug in enumerate(jurisdictions)}
    return tuple(sorted(documents, key=lambda d: (rank[d.jurisdiction], d.year, d.slug)))
