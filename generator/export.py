"""Export every measure as measures.json and measures.csv, one record per measure.

The CSV is meant to be opened in a spreadsheet: UTF-8 with a BOM (so Excel
reads the Chinese correctly), lists joined with "；", and cells that a
spreadsheet would run as a formula made inert with a leading quote.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from generator.load import load_catalog
from generator.model import Catalog, Deadline, Measure

COLUMNS = (
    "id", "url", "jurisdiction", "jurisdiction_slug", "document", "document_title", "section",
    "number", "sub", "title", "text", "units", "domain", "domain_name", "lead", "responsible",
    "section_lead", "deadlines", "tags", "source", "source_line",
)
LIST_SEPARATOR = "；"
SECTION_SEPARATOR = " > "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def permalink(measure: Measure) -> str:
    """The measure's address on the site, relative to the site root."""
    return f"documents/{measure.document}/#{measure.id}"


def export_records(catalog: Catalog, url_for: Callable[[Measure], str] | None = None) -> list[dict[str, Any]]:
    """One record per measure, in catalogue order, with the keys of COLUMNS."""
    url_for = url_for or permalink
    records = []
    for document in catalog.documents:
        jurisdiction = catalog.jurisdiction(document.jurisdiction)
        for measure in document.measures:
            records.append({
                "id": measure.id,
                "url": url_for(measure),
                "jurisdiction": jurisdiction.name,
                "jurisdiction_slug": jurisdiction.slug,
                "document": document.slug,
                "document_title": document.title,
                "section": SECTION_SEPARATOR.join(measure.section),
                "number": measure.number,
                "sub": measure.sub,
                "title": measure.title,
                "text": measure.text,
                "units": measure.units,
                "domain": measure.domain,
                "domain_name": catalog.domain(measure.domain).name,
                "lead": list(measure.lead),
                "responsible": list(measure.responsible),
                "section_lead": list(measure.section_lead),
                "deadlines": [_deadline_record(deadline) for deadline in measure.deadlines],
                "tags": list(measure.tags),
                "source": document.source,
                "source_line": measure.line,
            })
    return records


def _deadline_record(deadline: Deadline) -> dict[str, str | None]:
    return {
        "date": deadline.date.isoformat() if deadline.date else None,
        "phrase": deadline.phrase,
        "kind": deadline.kind,
    }


def write_json(records: list[dict[str, Any]], path: Path, *, generated_from: str = "catalog") -> None:
    """Write {"generated_from", "count", "measures"} as UTF-8 JSON, atomically."""
    data = {"generated_from": generated_from, "count": len(records), "measures": records}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    _write_atomically(path, lambda out: out.write(text), encoding="utf-8")


def write_csv(records: list[dict[str, Any]], path: Path) -> None:
    """Write one row per record as UTF-8 CSV with a BOM, safe to open in a spreadsheet, atomically."""

    def write(out: TextIO) -> None:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow([csv_cell(column, record[column]) for column in COLUMNS])

    _write_atomically(path, write, encoding="utf-8-sig", newline="")


def csv_cell(column: str, value: Any) -> Any:
    """A record's value as a CSV cell: lists joined, deadlines spelled out, formulas neutralised."""
    if column == "deadlines":
        value = LIST_SEPARATOR.join(_deadline_text(deadline) for deadline in value)
    elif isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    elif value is None:
        value = ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value


def _deadline_text(deadline: dict[str, str | None]) -> str:
    if deadline["date"]:
        return f"{deadline['date']} {deadline['phrase']}"
    return f"{deadline['phrase']}({deadline['kind']})"


def _write_atomically(path: Path, write: Callable[[TextIO], Any], *, encoding: str, newline: str | None = None) -> None:
    """Write through a temporary file in the same folder, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline=newline) as out:
            write(out)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_export(catalog_dir: Path, out_dir: Path) -> int:
    """`python -m generator export`: validate the catalogue, then write measures.json and measures.csv."""
    catalog = load_catalog(catalog_dir)
    records = export_records(catalog)
    json_path, csv_path = out_dir / "measures.json", out_dir / "measures.csv"
    write_json(records, json_path, generated_from=catalog_dir.resolve().name)
    write_csv(records, csv_path)
    print(f"wrote {len(records)} measures to {json_path} and {csv_path}")
    return 0
