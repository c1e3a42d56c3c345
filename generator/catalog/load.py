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
    files whose bytes did not change since the previous load with it; the result is the same."""
    if not catalog_dir.is_dir():
        raise CatalogError([Problem(str(catalog_dir), None, "catalogue folder not found")])
    ctx = Context(catalog_dir, parsed)
    try:
        return _load(ctx)
    finally:
        if parsed is not None:
            parsed.finish()


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
