"""Line repairs, re-import of reviewed files and the import command's errors, on small texts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.importer import fidelity
from generator.importer.build import build_document
from generator.importer.command import _catalog_data, run_import
from generator.importer.repair import canonical, repair_line

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data() -> dict:
    return _catalog_data(ROOT / "catalog")


def _build(text: str, data: dict, slug: str = "weifang-2021") -> dict:
    jurisdiction, year = slug.rsplit("-", 1)
    doc, _ = build_document(slug, text, jurisdiction=jurisdiction, year=int(year), source_path=f"sources/{slug}.txt",
                            classifier=data["classifier"], reforms=data["reforms"])
    assert fidelity.check_document(text, "t.txt", doc, "t.yaml") == []
    return doc


# The layouts themselves (the five plans' and those of other places) are golden data files:
# tests/importer_cases/*.txt with their expected *.yaml, run by tests/test_import_cases.py.


@pytest.mark.parametrize(("raw", "repaired"), [
    ("## 配套措施一—政务服务", "配套措施—政务服务"),
    ("配套措施——政务服务", "配套措施—政务服务"),
    ("### 配套措施一 招标投标", "配套措施—招标投标"),
    ("1. **规范设计方案审查**。7 月底前，制定", "1.规范设计方案审查。7月底前，制定"),
    ("强化PM_{2.5}与臭氧协同控制", "强化PM2.5与臭氧协同控制"),
    ("市住房公积金管理中 心", "市住房公积金管理中心"),
    ("提升消费者购物体验 and 消费品质", "提升消费者购物体验 and 消费品质"),
    ("“精品微税课 税法好讲师”", "“精品微税课 税法好讲师”"),
    ("“山东与世界 500 强连线”", "“山东与世界500强连线”"),
])
def test_line_repairs(raw, repaired):
    assert repair_line(raw) == repaired
    assert canonical(raw) == canonical(repaired)


def test_reimport_does_not_overwrite_reviewed_yaml(tmp_path, capsys):
    source = ROOT / "sources" / "jinan-licheng-2020.txt"
    out = tmp_path / "documents"
    assert run_import([source], catalog_dir=ROOT / "catalog", out_dir=out, force=False) == 0
    target = out / "jinan-licheng-2020.yaml"
    assert run_import([source], catalog_dir=ROOT / "catalog", out_dir=out, force=False) == 0
    assert "unchanged" in capsys.readouterr().out
    reviewed = target.read_text(encoding="utf-8").replace("domain: rule-of-law", "domain: government-services", 1)
    target.write_text(reviewed, encoding="utf-8")
    assert run_import([source], catalog_dir=ROOT / "catalog", out_dir=out, force=False) == 1
    err = capsys.readouterr().err
    assert "NOT overwritten" in err and "--force" in err and "-  domain: government-services" in err
    assert target.read_text(encoding="utf-8") == reviewed
    assert run_import([source], catalog_dir=ROOT / "catalog", out_dir=out, force=True) == 0
    assert "domain: rule-of-law" in target.read_text(encoding="utf-8")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)


def test_import_of_bad_sources_gives_clear_errors(tmp_path):
    bad = tmp_path / "weifang-2021.txt"
    bad.write_bytes("第一行\n第二行\n".encode() + b"\xff\xfe broken\n")
    result = _cli("import", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{bad}:3: not valid UTF-8 (byte 0xff)" in result.stderr
    odd = tmp_path / "Weifang 2021.txt"
    odd.write_text("x", encoding="utf-8")
    result = _cli("import", str(odd), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "must be <jurisdiction-slug>-<year>.txt" in result.stderr
    unknown = tmp_path / "qingdao-2021.txt"
    unknown.write_text("x", encoding="utf-8")
    result = _cli("import", str(unknown), "--out", str(tmp_path / "out"))
    assert "unknown jurisdiction 'qingdao': add it to catalog/jurisdictions.yaml first" in result.stderr
    missing = _cli("import", str(tmp_path / "jinan-2030.txt"), "--out", str(tmp_path / "out"))
    assert missing.returncode == 1 and "cannot read the source text" in missing.stderr
    assert not (tmp_path / "out").exists()


def test_written_yaml_loads_back_identically(tmp_path):
    source = ROOT / "sources" / "shandong-2021.txt"
    assert run_import([source], catalog_dir=ROOT / "catalog", out_dir=tmp_path, force=False) == 0
    written = yaml.safe_load((tmp_path / "shandong-2021.yaml").read_text(encoding="utf-8"))
    committed = yaml.safe_load((ROOT / "catalog" / "documents" / "shandong-2021.yaml").read_text(encoding="utf-8"))
    assert written == committed


def test_a_plan_the_importer_does_not_understand_is_refused_loudly(tmp_path):
    case = ROOT / "tests" / "importer_cases" / "own-refused-unnumbered-prose.txt"
    source = tmp_path / "jinan-2024.txt"
    source.write_text(case.read_text(encoding="utf-8"), encoding="utf-8")
    result = _cli("import", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "import NOT written, the importer did not understand this plan" in result.stderr
    assert f"{source}:1: no measure found" in result.stderr
    assert f"{source}:5: a paragraph of the preamble looks like a measure" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_review_page_marks_every_line(tmp_path):
    from generator.importer.review import render_review

    text = (ROOT / "tests" / "importer_cases" / "units-on-own-lines.txt").read_text(encoding="utf-8")
    doc, report = build_document("case-2024", text, jurisdiction="case", year=2024, source_path="sources/case-2024.txt",
                                 classifier=_catalog_data(ROOT / "catalog")["classifier"], reforms=[])
    page = render_review(text, doc, report)
    assert page.count("<tr") == len(text.splitlines())
    assert "measure case-2024-task-1" in page and "units of case-2024-task-1" in page
    assert ">heading<" in page and ">preamble<" in page and "not placed" not in page


def test_two_plans_of_one_place_in_one_year_get_distinct_names(tmp_path):
    case = (ROOT / "tests" / "importer_cases" / "own-task-table-rows.txt").read_text(encoding="utf-8")
    for name in ("weifang-2024.txt", "weifang-2024-2.txt"):
        (tmp_path / name).write_text(case, encoding="utf-8")
    out = tmp_path / "out"
    sources = [tmp_path / "weifang-2024.txt", tmp_path / "weifang-2024-2.txt"]
    assert run_import(sources, catalog_dir=ROOT / "catalog", out_dir=out, force=False) == 0
    second = yaml.safe_load((out / "weifang-2024-2.yaml").read_text(encoding="utf-8"))
    assert second["jurisdiction"] == "weifang" and second["year"] == 2024
    assert second["measures"][0]["id"] == "weifang-2024-2-01"


def test_simplified_option_converts_with_opencc_and_records_it(tmp_path):
    case = (ROOT / "tests" / "importer_cases" / "traditional-labels.txt").read_text(encoding="utf-8")
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "catalog", root / "catalog")
    (root / "sources").mkdir()
    (root / "sources" / "weifang-2024.txt").write_text(case, encoding="utf-8")
    catalog = root / "catalog"
    assert run_import([root / "sources" / "weifang-2024.txt"], catalog_dir=catalog, out_dir=None, force=False,
                      simplified=True) == 0
    written = (catalog / "documents" / "weifang-2024.yaml").read_text(encoding="utf-8")
    assert "# converted: OpenCC t2s" in written and "import --simplified" in written
    doc = yaml.safe_load(written)
    assert doc["measures"][0]["lead"] == ["市市场监管局"] and doc["measures"][0]["responsible"] == ["市公安局", "市税务局"]
    assert doc["title"] == "某市优化营商环境行动方案"
    from generator.importer.command import run_fidelity

    assert run_fidelity([root / "sources" / "weifang-2024.txt"], catalog_dir=catalog) == 0
