"""The downloads: every measure as measures.json and measures.csv, one record per measure; the
province → city alignment as alignment.json and alignment.csv, one record per pair.

The CSV is meant to be opened in a spreadsheet: UTF-8 with a BOM (so Excel
reads the Chinese correctly), lists joined with "；", and cells that a
spreadsheet would run as a formula made inert with a leading quote. The
columns and their descriptions are defined here once; the downloads page and
the explorer's CSV (through the search index's metadata) read them from here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from generator.crossref.alignment import METHOD, Alignment
from generator.model import Catalog, Deadline
from generator.site.addresses import url_for
from generator.site.wording import deadline_cell

COLUMNS = (
    "id", "url", "jurisdiction", "jurisdiction_slug", "document", "document_title", "section",
    "number", "sub", "title", "text", "units", "domain", "domain_name", "lead", "responsible",
    "section_lead", "deadlines", "tags", "source", "source_line",
)
FIELD_DESCRIPTIONS = {
    "id": "举措的永久编号（ASCII），不会改变，也不会给别的举措重用",
    "url": "举措在本站的地址（相对于网站根目录）",
    "jurisdiction": "发布文件的地区名称",
    "jurisdiction_slug": "地区编号（ASCII）",
    "document": "文件编号（ASCII）",
    "document_title": "文件标题",
    "section": "举措所在的章节，逐级以“ > ”连接",
    "number": "原文中的序号",
    "sub": "同一序号下的分项序号（仅济南市方案有）",
    "title": "举措的标题或首句",
    "text": "举措全文（含标题，不含单位说明）",
    "units": "原文中的单位说明",
    "domain": "领域编号（ASCII）",
    "domain_name": "领域名称",
    "lead": "牵头单位",
    "responsible": "责任单位",
    "section_lead": "章节给出的领域牵头单位",
    "deadlines": "完成时限：日期（如有）、原文表述、类型（date 日期，recurring 定期，ongoing 长期）",
    "tags": "涉及的改革事项，如“一网通办”",
    "source": "原文文本文件",
    "source_line": "举措在原文文本中的起始行号",
}
ALIGNMENT_COLUMNS = ("provincial_id", "local_id", "local_jurisdiction", "score", "method")
ALIGNMENT_DESCRIPTIONS = {
    "provincial_id": "省级举措的编号",
    "local_id": "落实它的市、区（县）举措的编号",
    "local_jurisdiction": "该举措所属地区的编号（ASCII）",
    "score": "文本相似度（0–1，两位小数）",
    "method": "对应方法及其版本；方法改变时版本号随之改变",
}
LIST_SEPARATOR = "；"
SECTION_SEPARATOR = " > "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_records(catalog: Catalog) -> list[dict[str, Any]]:
    """One record per measure, in catalogue order, with the keys of COLUMNS (lists as lists, deadlines as
    {date: ISO or None, phrase, kind}); `url` is the measure's address relative to the site root."""
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


def _deadline(record: dict[str, str | None]) -> Deadline:
    """A deadline record back as the model's Deadline, so a CSV cell is worded by `wording.deadline_cell`."""
    date = dt.date.fromisoformat(record["date"]) if record["date"] else None
    return Deadline(phrase=record["phrase"] or "", kind=record["kind"] or "date", date=date)


def measures_json(records: list[dict[str, Any]], *, generated_from: str = "catalog") -> bytes:
    """{"generated_from", "count", "measures"} as UTF-8 JSON."""
    data = {"generated_from": generated_from, "count": len(records), "measures": records}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def measures_csv(records: list[dict[str, Any]]) -> bytes:
    """One row per record (the columns of COLUMNS) as UTF-8 CSV with a BOM, safe to open in a spreadsheet.
    A record without one of the columns raises KeyError."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([csv_cell(column, record[column]) for column in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def alignment_records(alignment: Alignment) -> list[dict[str, Any]]:
    """One record per (provincial measure, local measure taking it up), provincial measures in catalogue order,
    their local measures as the alignment tables list them; with the keys of ALIGNMENT_COLUMNS."""
    return [
        {"provincial_id": p.id, "local_id": match.local.id, "local_jurisdiction": match.jurisdiction,
         "score": match.score, "method": METHOD}
        for p in alignment.provincial for match in alignment.by_province.get(p.id, ())
    ]


def alignment_json(alignment: Alignment, records: list[dict[str, Any]]) -> bytes:
    """{"method", "threshold", "relative", "count", "pairs"} as UTF-8 JSON."""
    data = {"method": METHOD, "threshold": alignment.settings.threshold, "relative": alignment.settings.relative,
            "count": len(records), "pairs": records}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def alignment_csv(records: list[dict[str, Any]]) -> bytes:
    """One row per pair (ALIGNMENT_COLUMNS), UTF-8 CSV with a BOM; scores with two decimals."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(ALIGNMENT_COLUMNS)
    for record in records:
        writer.writerow([f"{record[c]:.2f}" if c == "score" else record[c] for c in ALIGNMENT_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def csv_cell(column: str, value: Any) -> Any:
    """A record's value as a CSV cell: lists joined, deadlines spelled out, formulas neutralised."""
    if column == "deadlines":
        value = LIST_SEPARATOR.join(deadline_cell(_deadline(d)) for d in value)
    elif isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    elif value is None:
        value = ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value
