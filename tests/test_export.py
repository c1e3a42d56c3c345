"""`export` and the downloads: every file the site publishes under downloads/, from the fixture catalogue, read back exactly."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from generator.catalog import load_catalog
from generator.cli import main
from generator.crossref.alignment import align
from generator.publish.files import write_atomically
from generator.site import assemble
from generator.site.addresses import CHANGES_JSON, MEASURES_CSV, MEASURES_JSON, plan_measures_csv
from generator.site.downloads import (
    COLUMNS,
    FIELD_DESCRIPTIONS,
    LICENCE,
    PLACE_COLUMNS,
    PLACE_FIELDS,
    PLAN_COLUMNS,
    PLAN_FIELDS,
    csv_cell,
    data_csv,
    data_json,
    download_files,
    export_records,
    measures_csv,
    measures_json,
    place_records,
    plan_records,
)

REPO = Path(__file__).resolve().parent.parent
FIRST = {
    "id": "demo-2021-01",
    "url": "m/demo-2021-01/",
    "jurisdiction": "济南市",
    "jurisdiction_slug": "jinan",
    "jurisdiction_level": "city",
    "jurisdiction_parent": "shandong",
    "document": "demo-2021",
    "document_title": "示例市优化营商环境2021年行动方案",
    "document_date": "2021-03-01",
    "document_issuer": "示例市人民政府办公厅",
    "document_number": "示政办字〔2021〕1号",
    "section": "一、主要任务 > （一）开办企业",
    "number": "1",
    "sub": None,
    "title": "压缩开办时间。",
    "text": "压缩开办时间。企业开办时间压缩至1个工作日内。",
    "units": "牵头单位：市行政审批局；责任单位：市市场监管局、市公安局",
    "domain": "starting-business",
    "domain_name": "开办企业",
    "lead": ["市行政审批局"],
    "responsible": ["市市场监管局", "市公安局"],
    "section_lead": [],
    "deadlines": [{"date": "2021-06-30", "phrase": "6月底前", "kind": "date"}],
    "tags": ["一网通办"],
    "source": "sources/demo-2021.txt",
    "source_line": 5,
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_records_follow_the_catalogue_order(catalog_dir: Path) -> None:
    records = export_records(load_catalog(catalog_dir))
    assert [r["id"] for r in records] == ["demo-2022-001", "demo-2021-01", "demo-2021-02"]
    assert records[1] == FIRST
    assert records[0]["deadlines"] == [{"date": None, "phrase": "每月20日前", "kind": "recurring"}]
    assert all(list(record) == list(COLUMNS) for record in records)


def test_json_round_trip_keeps_the_chinese_exact(catalog_dir: Path, tmp_path: Path) -> None:
    records = export_records(load_catalog(catalog_dir))
    path = tmp_path / "out" / "measures.json"
    write_atomically(path, measures_json(records, generated_from="catalog"))
    text = path.read_text(encoding="utf-8")
    assert "示例市优化营商环境2021年行动方案" in text and "\\u" not in text
    data = json.loads(text)
    assert data == {"generated_from": "catalog", "version": "", "licence": LICENCE, "count": 3, "measures": records}
    assert data["licence"]["name"] == "CC BY 4.0"


def test_csv_round_trip(catalog_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    write_atomically(path, measures_csv(export_records(load_catalog(catalog_dir))))
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,url,")
    rows = read_csv(path)
    assert list(rows[0]) == list(COLUMNS)
    first = rows[1]
    assert first["title"] == "压缩开办时间。" and first["text"] == FIRST["text"]
    assert first["responsible"] == "市市场监管局；市公安局"
    assert first["deadlines"] == "2021-06-30 6月底前"
    assert (first["sub"], first["section_lead"], first["source_line"]) == ("", "", "5")
    assert rows[2]["deadlines"] == "持续推进(ongoing)"
    assert (rows[0]["sub"], rows[0]["tags"], rows[0]["deadlines"]) == ("2", "一网通办；一业一证", "每月20日前(recurring)")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_is_neutralised(start: str) -> None:
    assert csv_cell("title", f"{start}1+1") == f"'{start}1+1"
    assert csv_cell("lead", [f"{start}A1", "市局"]) == f"'{start}A1；市局"


def test_formula_injection_is_neutralised_in_the_csv_only(catalog_dir: Path, tmp_path: Path) -> None:
    document = catalog_dir / "documents" / "demo-2021.yaml"
    formula = '=HYPERLINK("http://example.org","点击")'
    document.write_text(document.read_text(encoding="utf-8").replace("拓宽融资渠道。\n", f"'{formula}'\n"), encoding="utf-8")
    records = export_records(load_catalog(catalog_dir))
    write_atomically(tmp_path / "measures.csv", measures_csv(records))
    assert records[2]["title"] == formula
    assert read_csv(tmp_path / "measures.csv")[2]["title"] == "'" + formula


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(KeyError):
        write_atomically(path, measures_csv([{"id": "incomplete"}]))
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["measures.csv"]


def test_run_export_writes_every_download_the_site_publishes(catalog_dir: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`export` writes the files the site build writes under downloads/, byte for byte (bar the change log,
    which needs the release's git history)."""
    out = tmp_path / "downloads"
    assert main(["--catalog", str(catalog_dir), "export", "--out", str(out)]) == 0
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    catalog = load_catalog(catalog_dir)
    site = assemble(catalog, updated=dt.date(2026, 1, 1))
    published = {path.removeprefix("downloads/"): content for path, content in site.files.items()
                 if path.startswith("downloads/") and path != CHANGES_JSON and not path.endswith(".ics")}
    assert set(written) == set(published)
    for name, content in published.items():
        if name.endswith(".json"):  # measures.json names the folder it was generated from
            assert json.loads(written[name]).keys() == json.loads(content).keys(), name
        else:
            assert written[name] == content, name
    assert {"measures.csv", "measures.json", "plans.csv", "plans.json", "places.csv", "places.json",
            "alignment.csv", "alignment.json"} <= set(written)
    assert {f"measures/{d.slug}.csv" for d in catalog.documents} <= set(written)
    assert json.loads(written["measures.json"])["count"] == len(catalog.measures())
    assert len(read_csv(out / "measures.csv")) == len(catalog.measures())
    assert f"{len(catalog.measures())} measures" in capsys.readouterr().out


def test_the_plan_csvs_are_measures_csv_cut_by_plan(catalog_dir: Path) -> None:
    """Each plan's CSV has measures.csv's header and exactly that plan's rows of it, in order, byte for byte."""
    catalog = load_catalog(catalog_dir)
    files = download_files(catalog, align(catalog))
    header, *rows = files[MEASURES_CSV].decode("utf-8-sig").split("\r\n", 1)
    rebuilt = b""
    for document in catalog.documents:
        text = files[plan_measures_csv(document)].decode("utf-8-sig")
        assert text.startswith(header + "\r\n")
        plan_rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["id"] for r in plan_rows] == [m.id for m in document.measures]
        rebuilt += text.removeprefix(header + "\r\n").encode("utf-8")
    assert rebuilt == rows[0].encode("utf-8")
    assert files[MEASURES_CSV] == measures_csv(export_records(catalog))


@pytest.mark.parametrize("where", ["fixture", "repository"])
def test_measures_json_written_by_plan_is_what_one_dump_of_all_records_writes(catalog_dir: Path, where: str) -> None:
    """measures.json is written from each plan's share (so `serve` encodes again only a changed plan's): byte
    for byte what one json.dumps of every record writes, for a catalogue with measures and for none."""
    catalog = load_catalog(catalog_dir if where == "fixture" else REPO / "catalog")
    files = download_files(catalog, align(catalog), version="v9", generated_from="here")
    assert files[MEASURES_JSON] == data_json("measures", export_records(catalog), version="v9", generated_from="here")
    empty = dataclasses.replace(catalog, documents=())
    assert download_files(empty, align(catalog))[MEASURES_JSON] == data_json("measures", [])


def test_every_column_of_every_download_is_described() -> None:
    assert set(FIELD_DESCRIPTIONS) == set(COLUMNS)
    assert set(PLAN_FIELDS) == set(PLAN_COLUMNS)
    assert set(PLACE_FIELDS) == set(PLACE_COLUMNS)


def test_plans_and_places_join_the_measures_for_any_catalogue(catalog_dir: Path) -> None:
    """Every measure's document is a plan, its place a place, and the metadata it carries is the plan's."""
    catalog = load_catalog(catalog_dir)
    plans = {p["document"]: p for p in plan_records(catalog)}
    places = {p["jurisdiction_slug"]: p for p in place_records(catalog)}
    assert all(list(p) == list(PLAN_COLUMNS) for p in plans.values())
    assert all(list(p) == list(PLACE_COLUMNS) for p in places.values())
    for record in export_records(catalog):
        plan, place = plans[record["document"]], places[record["jurisdiction_slug"]]
        assert (record["document_date"], record["document_issuer"], record["document_number"]) == (
            plan["date"], plan["issuer"], plan["doc_number"])
        assert (record["jurisdiction_level"], record["jurisdiction_parent"]) == (place["level"], place["parent"])
        assert place["parent"] == "" or place["parent"] in places
    assert sum(p["measures"] for p in plans.values()) == sum(p["measures"] for p in places.values())
    assert sum(p["measures"] for p in plans.values()) == len(catalog.measures())


def test_the_plans_csv_reads_back(catalog_dir: Path, tmp_path: Path) -> None:
    catalog = load_catalog(catalog_dir)
    path = tmp_path / "plans.csv"
    write_atomically(path, data_csv(PLAN_COLUMNS, plan_records(catalog)))
    rows = read_csv(path)
    assert [r["document"] for r in rows] == [d.slug for d in catalog.documents]
    assert [r["url"] for r in rows] == [f"documents/{d.slug}/" for d in catalog.documents]
