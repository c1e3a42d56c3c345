"""The importer on the five real plans: every measure once, in order, numbered
as printed; the fidelity check passes and has teeth; ids are stable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.catalog import load_catalog
from generator.importer import fidelity
from generator.importer.build import build_document
from generator.importer.command import _catalog_data
from tests import catalogue_checks

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["shandong-2021", "weifang-2021", "liaocheng-2022", "jinan-2021", "jinan-licheng-2020"]

# Counts per section, in document order, established by reading the sources
# (and cross-checked with awk over the numbered lines of each section).
EXPECTED_SECTIONS = {
    "shandong-2021": [9, 26, 8, 9, 10, 12, 8, 5, 9, 7, 12, 15, 14, 13, 8, 9, 7],
    # 主要任务 (一)–(四), 保障措施 (一)–(四), then the annex's 18 配套措施 sections
    "weifang-2021": [4, 4, 9, 25, 8, 6, 9, 10, 13, 8, 5, 9, 7, 11, 14, 14, 13, 7, 8, 7],
    # 19 领域 sections numbered 1..173 straight through, then 组织保障 (一)–(四)
    "liaocheng-2022": [13, 19, 6, 5, 5, 11, 10, 8, 7, 11, 9, 5, 7, 7, 9, 7, 21, 4, 9, 4],
    # items 1–28 with their titled sub-measures, then 组织保障 items 29–33
    "jinan-2021": [2, 4, 4, 2, 3, 4, 4, 5, 3, 3, 4, 5, 4, 4, 3, 4, 4, 2, 5, 4, 2, 2, 4, 3, 3, 4, 2, 4, 5],
    "jinan-licheng-2020": [9, 8, 4, 4, 5],
}
EXPECTED_TOTAL = {"shandong-2021": 181, "weifang-2021": 191, "liaocheng-2022": 177, "jinan-2021": 102, "jinan-licheng-2020": 30}


def _doc(slug: str) -> dict:
    return yaml.safe_load((ROOT / "catalog" / "documents" / f"{slug}.yaml").read_text(encoding="utf-8"))


def _source(slug: str) -> str:
    return (ROOT / "sources" / f"{slug}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data() -> dict:
    return _catalog_data(ROOT / "catalog")


def _import(slug: str, data: dict, text: str | None = None) -> tuple[dict, object]:
    jurisdiction, year = slug.rsplit("-", 1)
    return build_document(slug, _source(slug) if text is None else text, jurisdiction=jurisdiction, year=int(year),
                          source_path=f"sources/{slug}.txt", classifier=data["classifier"], reforms=data["reforms"])


@pytest.mark.parametrize("slug", DOCS)
def test_counts_per_section(slug):
    measures = _doc(slug)["measures"]
    sections = Counter(" > ".join(m["section"]) for m in measures)
    assert len(measures) == EXPECTED_TOTAL[slug]
    assert list(sections.values()) == EXPECTED_SECTIONS[slug]
    assert sum(EXPECTED_TOTAL.values()) == 681


@pytest.mark.parametrize("slug", DOCS)
def test_numbering_runs_without_gaps(slug):
    """Each section's numbers run 1..n (or straight through the plan); sub-measures 1..k per item."""
    measures = _doc(slug)["measures"]
    numbered = [m for m in measures if m["number"].isdigit()]
    straight = slug in ("liaocheng-2022", "jinan-2021", "jinan-licheng-2020")
    by_scope: dict[str, list[int]] = {}
    subs: dict[str, list[int]] = {}
    for m in numbered:
        if "sub" in m:
            subs.setdefault(m["number"], []).append(m["sub"])
            scope_numbers = by_scope.setdefault("", [])
            if not scope_numbers or scope_numbers[-1] != int(m["number"]):
                scope_numbers.append(int(m["number"]))
            continue
        by_scope.setdefault("" if straight else " > ".join(m["section"]), []).append(int(m["number"]))
    for numbers in by_scope.values():
        assert numbers == list(range(1, len(numbers) + 1))
    for sequence in subs.values():
        assert sequence == list(range(1, len(sequence) + 1))
    for m in measures:
        if not m["number"].isdigit():
            assert m["number"] in "一二三四五六七八九十"
    # the (一)(二)… paragraphs also run without gaps within their chapter
    paren = Counter(" > ".join(m["section"]) for m in measures if not m["number"].isdigit())
    for section, count in paren.items():
        got = [m["number"] for m in measures if " > ".join(m["section"]) == section and not m["number"].isdigit()]
        assert got == list("一二三四五六七八九十"[:count])


@pytest.mark.parametrize("slug", DOCS)
def test_fidelity_of_the_catalogue(slug):
    assert fidelity.check_document(_source(slug), f"sources/{slug}.txt", _doc(slug), f"catalog/documents/{slug}.yaml") == []


@pytest.mark.parametrize("slug", DOCS)
def test_reimport_gives_the_same_ids(slug, data):
    fresh, _ = _import(slug, data)
    assert [m["id"] for m in fresh["measures"]] == [m["id"] for m in _doc(slug)["measures"]]


def test_ids_unique_and_ascii_across_catalogue():
    docs = sorted((ROOT / "catalog" / "documents").glob("*.yaml"))
    ids = [m["id"] for path in docs for m in _doc(path.stem)["measures"]]
    assert len(ids) == len(set(ids)) >= sum(EXPECTED_TOTAL.values())
    assert all(i.isascii() and i == i.lower() and " " not in i for i in ids)


def _paragraph_lines(text: str, needle: str) -> tuple[int, int]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(needle))
    return start, start + 1


def test_fidelity_fails_on_a_deleted_paragraph():
    slug = "shandong-2021"
    text = _source(slug)
    lines = text.splitlines()
    start, end = _paragraph_lines(text, "5. 拓展“一窗通”功能范围")
    damaged = "\n".join(lines[:start] + lines[end:])
    problems = fidelity.check_document(damaged, "sources/x.txt", _doc(slug), "catalog/documents/x.yaml")
    assert problems
    assert all("measure shandong-2021-starting-business-05" in p and "not in the source" in p for p in problems)


def test_fidelity_fails_on_a_doubled_paragraph_and_names_its_line():
    slug = "liaocheng-2022"
    lines = _source(slug).splitlines()
    start, end = _paragraph_lines(_source(slug), "170. 减轻民用建筑工程负担")
    damaged = "\n".join(lines[:end] + [""] + lines[start:end] + lines[end:])
    problems = fidelity.check_document(damaged, "sources/x.txt", _doc(slug), "catalog/documents/x.yaml")
    assert problems
    # the copy sits two lines below the original (one blank line between)
    assert all(p.startswith(f"sources/x.txt:{end + 2}: not in the catalogue") for p in problems)


def test_fidelity_fails_on_one_changed_character():
    slug = "jinan-licheng-2020"
    text = _source(slug).replace("特殊工时首次审批时限由法定20个工作日", "特殊工时首次审批时限由法定21个工作日")
    problems = fidelity.check_document(text, "sources/x.txt", _doc(slug), "catalog/documents/x.yaml")
    assert len([p for p in problems if p.startswith("sources/x.txt:")]) == 1
    assert any("jinan-licheng-2020-08" in p for p in problems)


def test_fidelity_fails_when_a_measure_is_dropped_from_the_catalogue():
    doc = _doc("weifang-2021")
    dropped = doc["measures"].pop(40)
    problems = fidelity.check_document(_source("weifang-2021"), "sources/weifang-2021.txt", doc, "x.yaml")
    assert problems and all(p.startswith("sources/weifang-2021.txt:") for p in problems)
    assert any(p.startswith(f"sources/weifang-2021.txt:{dropped['line']}:") for p in problems)


def test_import_of_damaged_source_is_refused(tmp_path, data):
    """Importing a source whose numbering doubles makes clashing ids: nothing is written."""
    from generator.importer.command import run_import

    text = _source("jinan-licheng-2020")
    lines = text.splitlines()
    start, end = _paragraph_lines(text, "5.规范招标投标")
    src = tmp_path / "sources" / "jinan-licheng-2020.txt"
    src.parent.mkdir()
    src.write_text("\n".join(lines[:end] + lines[start:end] + lines[end:]), encoding="utf-8")
    out = tmp_path / "out"
    assert run_import([src], catalog_dir=ROOT / "catalog", out_dir=out, force=False) == 1
    assert not out.exists()


def test_domains_come_from_sections_rules_or_overrides():
    for slug in DOCS:
        for m in _doc(slug)["measures"]:
            assert m["domain_by"].split(" ")[0].rstrip(":") in ("section", "rule", "override"), m["id"]
    jinan = {m["id"]: m for m in _doc("jinan-2021")["measures"]}
    assert jinan["jinan-2021-20-3"]["domain"] == "cross-border-trade"
    assert jinan["jinan-2021-20-3"]["domain_by"].startswith("override: ")
    assert jinan["jinan-2021-10-2"]["domain"] == "insolvency"
    assert jinan["jinan-2021-29"]["domain"] == "organisation"


def test_document_metadata():
    liaocheng = _doc("liaocheng-2022")
    assert liaocheng["doc_number"] == "聊政办字〔2022〕13号"
    assert str(liaocheng["date"]) == "2022-05-05"
    assert liaocheng["issuer"] == "聊城市人民政府办公室"
    licheng = _doc("jinan-licheng-2020")
    assert licheng["issuer"] == "中共济南市历城区委办公室、济南市历城区人民政府办公室"
    assert str(licheng["date"]) == "2020-05-29"
    assert _doc("weifang-2021")["title"] == "潍坊市优化营商环境创新突破行动实施方案"
    assert _doc("shandong-2021")["running_headers"] == ["山东省优化营商环境创新突破行动"]


def test_fidelity_fails_on_a_plan_that_went_all_into_the_preamble():
    """A preamble accounts for characters: the accounting alone would pass a plan the importer did not read."""
    slug = "jinan-licheng-2020"
    doc = _doc(slug)
    doc["preamble"] = doc["preamble"] + [
        ("1." if m["number"].isdigit() else f"（{m['number']}）") + m["text"] + (f"（{m['units']}）" if m.get("units") else "")
        for m in doc["measures"]]
    doc["measures"] = []
    problems = fidelity.check_document(_source(slug), f"sources/{slug}.txt", doc, "x.yaml")
    assert "x.yaml: measures: no measure at all: everything went into the preamble or closing; " \
           "the importer did not understand this plan's layout" in problems
    assert any(p.startswith("x.yaml: preamble: paragraph ") and "looks like a measure" in p for p in problems)


def test_the_repository_catalogue_passes_every_catalogue_wide_check():
    catalogue_checks.run_all(load_catalog(ROOT / "catalog"))


def _measure(mid: str) -> dict:
    slug = mid.rsplit("-", 1)[0] if not mid.startswith(("shandong", "weifang", "jinan-2021")) else None
    for path in sorted((ROOT / "catalog" / "documents").glob("*.yaml")):
        if slug and path.stem != slug:
            continue
        for m in _doc(path.stem)["measures"]:
            if m["id"] == mid:
                return m
    raise KeyError(mid)


def test_the_defects_issue_11_found_in_the_five_plans_are_fixed():
    m = _measure("liaocheng-2022-082")  # the clause was left in the text with no units
    assert m["text"].endswith("持续提升违法成本。") and m["units"] == "打击证券违法活动市有关责任单位"
    assert m["responsible"] == ["打击证券违法活动市有关责任单位"]
    m = _measure("shandong-2021-starting-business-07")  # three city governments, not one entry with a verb
    assert m["responsible"][-3:] == ["济南市政府", "青岛市政府", "烟台市政府"]
    assert "济南、青岛、烟台市政府负责" in m["units"]
    for mid in ("shandong-2021-taxes-02", "weifang-2021-taxes-02"):  # spaces that separate words
        assert "“精品微税课 税法好讲师”" in _measure(mid)["text"]
    assert "购物体验 and 消费品质" in _measure("liaocheng-2022-160")["text"]
    # 等 stays in the clause as printed, never in a unit name
    names = [n for p in sorted((ROOT / "catalog" / "documents").glob("*.yaml")) for m in _doc(p.stem)["measures"]
             for n in (*m.get("lead", ()), *m.get("responsible", ()))]
    assert not [n for n in names if n.startswith("等") or n.endswith("等")]
    assert "济南公共资源交易中心等市直有关部门单位" in _measure("jinan-2021-01-1")["units"]
    # domains
    assert _measure("jinan-2021-21-2")["domain"] == "market-openness"
    assert _measure("jinan-licheng-2020-22")["domain"] == "market-regulation"
    assert _measure("liaocheng-2022-141")["domain"] == "innovation"  # 突破产业 is not 破产
    # validity ends are not task deadlines
    for mid in ("liaocheng-2022-166", "liaocheng-2022-167", "liaocheng-2022-168"):
        assert "deadlines" not in _measure(mid)
    assert [d["phrase"] for d in _measure("liaocheng-2022-171")["deadlines"]] == ["长期落实"]
    assert "2023年6月底" not in [d["phrase"] for d in _measure("liaocheng-2022-070")["deadlines"]]


@pytest.mark.parametrize(("text", "keyword", "count"), [
    ("加快突破产业关键技术", "破产", 0),
    ("优化办理破产程序", "破产", 1),
    ("完善破产管理人制度，推进破产案件审理", "破产", 2),
    ("推行一网通办", "一网通办", 1),
])
def test_keywords_match_whole_words(text, keyword, count):
    from generator.importer.classify import count_words

    assert count_words(text, keyword) == count
