"""Each layout and each kind of extraction damage, on small texts written for the test."""

from __future__ import annotations

import datetime as dt
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


PEITAO = """\
# 某市优化营商环境行动

配套措施一开办企业

1. **电子证照全面应用。**全面应用“电子两证”，8 月底前，即可通过电子证照库调取相关信息，无需人工

核验。（牵头部门：市市场监管局、市公安局；责任部门：市医保局、

市税务局)

2. 企业开办掌上可办。实现“一网通办”，持续推进。(牵头部门:市市场监管局)

某市优化营商环境行动

3

## 配套措施一—工程建设项目审批制度改革

1. **合并验收备案手续**。加快推行竣工联合验收，2021年6月底前，实行告知承诺制。（牵头部门：市住房城乡建设局）
"""


def test_peitao_layout_with_damage(data):
    doc = _build(PEITAO, data)
    first, second, third = doc["measures"]
    assert [m["id"] for m in doc["measures"]] == [
        "weifang-2021-starting-business-01", "weifang-2021-starting-business-02", "weifang-2021-construction-permits-01"]
    # the 一 standing for a dash, Markdown heading marks and bold marks are repaired
    assert first["section"] == ["配套措施—开办企业"]
    assert third["section"] == ["配套措施—工程建设项目审批制度改革"]
    assert first["title"] == "电子证照全面应用" and third["title"] == "合并验收备案手续"
    # a line broken inside a word and a blank line between the halves; "8 月" spacing
    assert first["text"] == "电子证照全面应用。全面应用“电子两证”，8月底前，即可通过电子证照库调取相关信息，无需人工核验。"
    # mixed full- and half-width brackets around the unit list, broken across lines
    assert first["units"] == "牵头部门：市市场监管局、市公安局；责任部门：市医保局、市税务局"
    assert first["lead"] == ["市市场监管局", "市公安局"] and first["responsible"] == ["市医保局", "市税务局"]
    assert second["lead"] == ["市市场监管局"]
    assert first["deadlines"] == [{"phrase": "8月底前", "date": dt.date(2021, 8, 31)}]
    assert second["deadlines"] == [{"phrase": "持续推进", "kind": "ongoing"}]
    assert third["deadlines"] == [{"phrase": "2021年6月底前", "date": dt.date(2021, 6, 30)}]
    assert second["tags"] == ["一网通办"] and third["tags"] == ["告知承诺制", "联合验收"]
    # the running header and the lone page number are page furniture, not text
    assert doc["running_headers"] == ["某市优化营商环境行动"]
    assert doc["domain" if False else "measures"][0]["domain_by"] == "section: 配套措施—开办企业"


FIELDS = """\
聊城市人民政府办公室

聊政办字〔2022〕13号

聊城市人民政府办公室

2022年5月5日

某市营商环境创新 2022 年行动计划

二、主要任务

(一)开办企业领域(领域牵头单位:市行政审批局)

1. 强化品牌效应。5月底前,完成。(牵头单位:市行政审批局;责任单位:市市场监管局、各县(市、区)人民政府)

(二)获得电力领域(领域牵头单位:市发展改革委、国网聊城供电公司)

2. 降低办电成本。9 月 30 日前,实现“零投资”。〔牵头单位:国网聊城供电公司;责任单位:市财政局〕

3. 加强审判。(市有关部门单位按照职责分工负责)

三、组织保障

(一)加强组织领导。定期调度工作进展情况。
"""


def test_fields_layout(data):
    doc = _build(FIELDS, data, "liaocheng-2022")
    ids = [m["id"] for m in doc["measures"]]
    assert ids == ["liaocheng-2022-01", "liaocheng-2022-02", "liaocheng-2022-03", "liaocheng-2022-org-1"]
    first, second, third, org = doc["measures"]
    assert doc["doc_number"] == "聊政办字〔2022〕13号" and doc["date"] == dt.date(2022, 5, 5)
    assert doc["issuer"] == "聊城市人民政府办公室"
    assert doc["title"] == "某市营商环境创新2022年行动计划"
    assert first["section_lead"] == ["市行政审批局"]
    assert second["section_lead"] == ["市发展改革委", "国网聊城供电公司"]
    assert first["responsible"] == ["市市场监管局", "各县(市、区)人民政府"]
    assert first["deadlines"] == [{"phrase": "5月底前", "date": dt.date(2022, 5, 31)}]
    assert second["deadlines"] == [{"phrase": "9月30日前", "date": dt.date(2022, 9, 30)}]
    assert second["domain"] == "electricity"
    assert third["responsible"] == ["市有关部门单位"] and "lead" not in third
    assert org["domain"] == "organisation" and org["number"] == "一" and org["title"] == "加强组织领导"


THEMED_ITEMS = """\
某市建设一流营商环境实施方案

二、主要任务

（一）聚焦优化市场准入环境实施创新突破

1. 持续放宽市场准入。

推动“非禁即入”落实落地。深入实施市场准入负面清单制度，全面清理准入许

可。（责任部门：市发展改革委、济南公共资源交易中心等市直有关部门单位，各区县、功能区）

提升企业注销便利度。深化企业简易注销改革，年底前完成。（责任单位：市行政审批服务局）

2. 巩固蓝天碧水净土保卫战成果。强化PM_{2.5}与臭氧协同控制。（责任单位：市生态环境局）

三、组织保障

3. 全面加强组织领导。建立机制。（责任单位：市直有关部门单位）
"""


def test_themed_layout_with_sub_measures(data):
    doc = _build(THEMED_ITEMS, data, "jinan-2021")
    ids = [m["id"] for m in doc["measures"]]
    assert ids == ["jinan-2021-01-1", "jinan-2021-01-2", "jinan-2021-02", "jinan-2021-03"]
    sub1, sub2, item2, org = doc["measures"]
    assert sub1["number"] == "1" and sub1["sub"] == 1 and sub2["sub"] == 2
    assert sub1["section"] == ["二、主要任务", "（一）聚焦优化市场准入环境实施创新突破", "1.持续放宽市场准入。"]
    assert sub1["title"] == "推动“非禁即入”落实落地"
    assert sub1["responsible"] == ["市发展改革委", "济南公共资源交易中心", "等市直有关部门单位", "各区县、功能区"]
    assert sub1["domain"] == "starting-business" and sub1["domain_by"].startswith("rule starting:")
    assert sub2["deadlines"] == [{"phrase": "年底前", "date": dt.date(2021, 12, 31)}]
    assert "PM2.5" in item2["text"] and item2["domain"] == "ecology"
    assert org["domain"] == "organisation"


THEMED = """\
历城区营商环境优化攻坚行动实施方案

为持续优化营商环境，制定本实施方案。
一、总体要求
（一）指导思想。以习近平新时代中国特色社会主义思想为指导。
二、主要任务

（一）坚持制度赋能，营造稳定公平透明法治环境。
1.加强法治政府示范创建。研究制定政策措施。（牵头部门：区司法局，完成时限：2020年12月底前）
三、保障措施
（一）加强组织领导。成立指挥部。
  中共济南市历城区委办公室                  2020年5月29日印发
25
"""


def test_themed_layout_with_completion_dates(data):
    doc = _build(THEMED, data, "jinan-licheng-2020")
    first, org = doc["measures"]
    assert first["id"] == "jinan-licheng-2020-01" and org["id"] == "jinan-licheng-2020-org-1"
    assert first["lead"] == ["区司法局"]
    assert first["deadlines"] == [{"phrase": "2020年12月底前", "date": dt.date(2020, 12, 31)}]
    assert first["domain"] == "rule-of-law"
    # goals before 主要任务 are front matter, not measures; the signature is the closing
    assert doc["preamble"][-1] == "（一）指导思想。以习近平新时代中国特色社会主义思想为指导。"
    assert doc["closing"] == ["中共济南市历城区委办公室 2020年5月29日印发"]


@pytest.mark.parametrize(("raw", "repaired"), [
    ("## 配套措施一—政务服务", "配套措施—政务服务"),
    ("配套措施——政务服务", "配套措施—政务服务"),
    ("### 配套措施一 招标投标", "配套措施—招标投标"),
    ("1. **规范设计方案审查**。7 月底前，制定", "1.规范设计方案审查。7月底前，制定"),
    ("强化PM_{2.5}与臭氧协同控制", "强化PM2.5与臭氧协同控制"),
    ("市住房公积金管理中 心", "市住房公积金管理中心"),
    ("提升消费者购物体验 and 消费品质", "提升消费者购物体验and消费品质"),
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
