"""The downloads: every measure, plan and place as JSON and CSV, one record per item; the
province → city alignment as alignment.json and alignment.csv, one record per pair; and each
plan's measures as their own CSV (measures.csv's header, that plan's rows), which the explorer
page fetches for the plans in its result. `download_files` writes them all; the site build and
the `export` command both call it, so they publish the same bytes.

The CSV is meant to be opened in a spreadsheet: UTF-8 with a BOM (so Excel
reads the Chinese correctly), lists joined with "；", and cells that a
spreadsheet would run as a formula made inert with a leading quote. The
columns and their descriptions are defined here once; the downloads page and
the explorer's CSV (cut from the per-plan files, never re-encoded in the browser) take them from here.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.crossref.alignment import METHOD, Alignment, alignment_inputs
from generator.model import Catalog, Deadline, Document, Jurisdiction
from generator.site.addresses import (
    ALIGNMENT_CSV,
    ALIGNMENT_JSON,
    MEASURES_CSV,
    MEASURES_JSON,
    PLACES_CSV,
    PLACES_JSON,
    PLANS_CSV,
    PLANS_JSON,
    page_address,
    plan_measures_csv,
    url_for,
)
from generator.site.memo import PageMemo
from generator.site.wording import deadline_cell

COLUMNS = (
    "id", "url", "jurisdiction", "jurisdiction_slug", "jurisdiction_level", "jurisdiction_parent",
    "document", "document_title", "document_date", "document_issuer", "document_number", "section",
    "number", "sub", "title", "text", "units", "domain", "domain_name", "lead", "responsible",
    "section_lead", "deadlines", "tags", "source", "source_line",
)
FIELD_DESCRIPTIONS = {
    "id": "举措的永久编号（ASCII），不会改变，也不会给别的举措重用",
    "url": "举措在本站的地址（相对于网站根目录）",
    "jurisdiction": "发布文件的地区名称",
    "jurisdiction_slug": "地区编号（ASCII）",
    "jurisdiction_level": "地区层级：province 省，city 市，district 区（县）",
    "jurisdiction_parent": "上级地区编号（ASCII；省为空）",
    "document": "文件编号（ASCII）",
    "document_title": "文件标题",
    "document_date": "文件成文日期（ISO 格式；原文未注明为空）",
    "document_issuer": "发文机关（原文未注明为空）",
    "document_number": "文号（原文未注明为空）",
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
PLAN_COLUMNS = (
    "document", "title", "jurisdiction", "jurisdiction_slug", "issuer", "doc_number", "date", "year",
    "measures", "url", "official_url", "source",
)
PLAN_FIELDS = {
    "document": "文件编号（ASCII），即 measures 中的 document",
    "title": "文件标题",
    "jurisdiction": "发布文件的地区名称",
    "jurisdiction_slug": "地区编号（ASCII）",
    "issuer": "发文机关（原文未注明为空）",
    "doc_number": "文号（原文未注明为空）",
    "date": "成文日期（ISO 格式；原文未注明为空）",
    "year": "文件年份（只写月份的时限按这一年计算）",
    "measures": "举措条数",
    "url": "文件在本站的地址（相对于网站根目录）",
    "official_url": "官方发布原件的网址（已知时）",
    "source": "原文文本文件",
}
PLACE_COLUMNS = ("jurisdiction_slug", "name", "level", "parent", "parent_name", "documents", "measures")
PLACE_FIELDS = {
    "jurisdiction_slug": "地区编号（ASCII），即 measures 中的 jurisdiction_slug",
    "name": "地区名称",
    "level": "层级：province 省，city 市，district 区（县）",
    "parent": "上级地区编号（省为空）",
    "parent_name": "上级地区名称",
    "documents": "收录的文件数",
    "measures": "收录的举措条数",
}
# The catalogue (its structure, classification, cross-references and wording) is licensed CC BY 4.0: anyone may
# reuse it, also commercially, naming the source. The plans' own text is an official document of state organs,
# which China's Copyright Law (art. 5) leaves outside copyright; it is quoted as published.
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
    "note": "目录数据（结构、分类、对照和说明）按知识共享署名 4.0 国际许可协议（CC BY 4.0）提供，使用时请注明出处；"
            "方案原文是国家机关的公文，依《著作权法》第五条不适用著作权保护，按原样引用。",
}
LIST_SEPARATOR = "；"
SECTION_SEPARATOR = " > "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def download_files(catalog: Catalog, alignment: Alignment, *, version: str = "",
                   generated_from: str = "catalog", memo: PageMemo | None = None) -> dict[str, bytes]:
    """Every data download of the site: {site path under downloads/: bytes}. Measures, plans and places as JSON
    and CSV, the alignment as JSON and CSV, and one measures CSV per plan (`plan_measures_csv`). `version` is
    written into the JSON files; `generated_from` names the catalogue folder in measures.json. `memo` (`serve`)
    hands out again a plan's records, CSV rows and JSON when the plan, its place and the domains are unchanged."""
    plans_parts = [_plan_parts(catalog, document, memo) for document in catalog.documents]
    plans, places = plan_records(catalog), place_records(catalog)
    # Each row is encoded once, with its plan: measures.csv is the header and the plans' rows in catalogue order
    # (joined as bytes: at 34,050 measures, encoding the whole files again took 0.4 s of each `serve` rebuild).
    header = codecs.BOM_UTF8 + _csv_lines(COLUMNS, []).encode("utf-8")
    count = sum(len(part.records) for part in plans_parts)
    files = {
        MEASURES_JSON: _json_with_list("measures", count, [part.json for part in plans_parts],
                                       generated_from=generated_from, version=version),
        MEASURES_CSV: header + b"".join(part.csv for part in plans_parts),
        **_alignment_files(catalog, alignment, memo),
        PLANS_JSON: data_json("plans", plans, generated_from=generated_from, version=version),
        PLANS_CSV: data_csv(PLAN_COLUMNS, plans),
        PLACES_JSON: data_json("places", places, generated_from=generated_from, version=version),
        PLACES_CSV: data_csv(PLACE_COLUMNS, places),
    }
    for document, part in zip(catalog.documents, plans_parts, strict=True):
        files[plan_measures_csv(document)] = header + part.csv
    return files


def _alignment_files(catalog: Catalog, alignment: Alignment, memo: PageMemo | None) -> dict[str, bytes]:
    """alignment.json and .csv: they print the pairs' ids, places and scores and the settings, all fixed by what
    the alignment is computed from (`alignment_inputs`), so `memo` hands them out again while that is unchanged."""
    def files() -> dict[str, bytes]:
        pairs = alignment_records(alignment)
        return {ALIGNMENT_JSON: alignment_json(alignment, pairs), ALIGNMENT_CSV: alignment_csv(pairs)}

    return files() if memo is None else memo.value("alignment files", alignment_inputs(catalog), files)


@dataclass(frozen=True, slots=True)
class _PlanParts:
    """A plan's share of the measures downloads: its records, its CSV rows, and its records as they stand in
    the list of measures.json (`_json_items`); the rows and items in UTF-8."""

    records: list[dict[str, Any]]
    csv: bytes
    json: bytes


def _plan_parts(catalog: Catalog, document: Document, memo: PageMemo | None) -> _PlanParts:
    jurisdiction = catalog.jurisdiction(document.jurisdiction)

    def parts() -> _PlanParts:
        records = _document_records(catalog, document, jurisdiction)
        return _PlanParts(records, _csv_rows(COLUMNS, records).encode("utf-8"), _json_items(records).encode("utf-8"))

    if memo is None:
        return parts()
    return memo.value(("download records", document.slug), (document, jurisdiction, catalog.domains), parts)


def _json_items(records: list[dict[str, Any]]) -> str:
    """`records` as the items of a list one level down in a JSON file written with indent=1: what
    `json.dumps(data, indent=1)` writes between the list's brackets, "" for none."""
    if not records:
        return ""
    inner = json.dumps(records, ensure_ascii=False, indent=1)  # "[\n {…},\n {…}\n]"
    return inner[2:-2].replace("\n", "\n ")  # JSON strings hold no raw line break: only the layout moves


def _json_with_list(key: str, count: int, items: list[bytes], *, generated_from: str, version: str) -> bytes:
    """What `data_json(key, records)` writes, from the records' `_json_items` in parts (one per plan, UTF-8)."""
    items = [part for part in items if part]
    head = {"generated_from": generated_from, **about(version), "count": count, key: []}
    text = json.dumps(head, ensure_ascii=False, indent=1)
    listed = b"[\n " + b",\n ".join(items) + b"\n ]" if items else b"[]"
    return text[: text.rindex("[]")].encode("utf-8") + listed + b"\n}\n"


def export_records(catalog: Catalog) -> list[dict[str, Any]]:
    """One record per measure, in catalogue order, with the keys of COLUMNS (lists as lists, deadlines as
    {date: ISO or None, phrase, kind}); `url` is the measure's address relative to the site root."""
    return [record for document in catalog.documents
            for record in _document_records(catalog, document, catalog.jurisdiction(document.jurisdiction))]


def _document_records(catalog: Catalog, document: Document, jurisdiction: Jurisdiction) -> list[dict[str, Any]]:
    """`export_records` of one plan: reads the plan, its place and the domains' names, nothing else."""
    records = []
    for measure in document.measures:
        records.append({
            "id": measure.id,
            "url": url_for(measure),
            "jurisdiction": jurisdiction.name,
            "jurisdiction_slug": jurisdiction.slug,
            "jurisdiction_level": jurisdiction.level,
            "jurisdiction_parent": jurisdiction.parent or "",
            "document": document.slug,
            "document_title": document.title,
            "document_date": document.date.isoformat() if document.date else "",
            "document_issuer": document.issuer,
            "document_number": document.doc_number,
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


def plan_records(catalog: Catalog) -> list[dict[str, Any]]:
    """One record per document (plan), with the keys of PLAN_COLUMNS."""
    return [{
        "document": d.slug,
        "title": d.title,
        "jurisdiction": catalog.jurisdiction(d.jurisdiction).name,
        "jurisdiction_slug": d.jurisdiction,
        "issuer": d.issuer,
        "doc_number": d.doc_number,
        "date": d.date.isoformat() if d.date else "",
        "year": d.year,
        "measures": len(d.measures),
        "url": page_address(d),
        "official_url": d.url,
        "source": d.source,
    } for d in catalog.documents]


def place_records(catalog: Catalog) -> list[dict[str, Any]]:
    """One record per jurisdiction of jurisdictions.yaml, with the keys of PLACE_COLUMNS."""
    documents = Counter(d.jurisdiction for d in catalog.documents)
    measures = Counter(d.jurisdiction for d in catalog.documents for _ in d.measures)
    return [{
        "jurisdiction_slug": j.slug,
        "name": j.name,
        "level": j.level,
        "parent": j.parent or "",
        "parent_name": catalog.jurisdiction(j.parent).name if j.parent else "",
        "documents": documents[j.slug],
        "measures": measures[j.slug],
    } for j in catalog.jurisdictions]


def about(version: str = "") -> dict[str, Any]:
    """What every JSON download says about itself: the version it was built from and the licence."""
    return {"version": version, "licence": LICENCE}


def measures_json(records: list[dict[str, Any]], *, generated_from: str = "catalog", version: str = "") -> bytes:
    """{"generated_from", "version", "licence", "count", "measures"} as UTF-8 JSON."""
    return data_json("measures", records, generated_from=generated_from, version=version)


def data_json(key: str, records: list[dict[str, Any]], *, generated_from: str = "catalog", version: str = "") -> bytes:
    """{"generated_from", "version", "licence", "count", key: records} as UTF-8 JSON."""
    data = {"generated_from": generated_from, **about(version), "count": len(records), key: records}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def measures_csv(records: list[dict[str, Any]]) -> bytes:
    """One row per record (the columns of COLUMNS) as UTF-8 CSV with a BOM, safe to open in a spreadsheet.
    A record without one of the columns raises KeyError."""
    return data_csv(COLUMNS, records)


def data_csv(columns: tuple[str, ...], records: list[dict[str, Any]]) -> bytes:
    """One row per record (the given columns) as UTF-8 CSV with a BOM; a missing column raises KeyError."""
    return _csv_lines(columns, records).encode("utf-8-sig")


def _csv_lines(columns: tuple[str, ...], records: list[dict[str, Any]]) -> str:
    """The header and one line per record, as text (csv module dialect: \r\n, quotes where needed)."""
    out = io.StringIO(newline="")
    csv.writer(out).writerow(columns)
    return out.getvalue() + _csv_rows(columns, records)


def _csv_rows(columns: tuple[str, ...], records: list[dict[str, Any]]) -> str:
    """One line per record, without the header, as text."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for record in records:
        writer.writerow([csv_cell(column, record[column]) for column in columns])
    return out.getvalue()


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
