"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# A small valid catalogue: the repository's domains and jurisdictions, and two
# short documents. tests/broken/ cases replace one of these files at a time.
FIXTURE_FILES = {
    "catalog/reforms.yaml": """\
reforms:
  - {slug: yiwangtongban, name: 一网通办}
  - {slug: yiyeyizheng, name: 一业一证}
""",
    "catalog/classification.yaml": """\
rules:
  - {id: credit, domain: credit, keywords: [融资, 信贷]}
overrides:
  demo-2021-02:
    domain: credit
    reason: 示例
""",
    "catalog/documents/demo-2021.yaml": """\
slug: demo-2021
title: 示例市优化营商环境2021年行动方案
jurisdiction: jinan
year: 2021
source: sources/demo-2021.txt
issuer: 示例市人民政府办公厅
doc_number: 示政办字〔2021〕1号
date: 2021-03-01
running_headers: []
preamble: [为进一步优化营商环境，制定本方案。]
closing: []
measures:
  - id: demo-2021-01
    number: "1"
    section: [一、主要任务, （一）开办企业]
    title: 压缩开办时间。
    text: 压缩开办时间。企业开办时间压缩至1个工作日内。
    units: 牵头单位：市行政审批局；责任单位：市市场监管局、市公安局
    lead: [市行政审批局]
    responsible: [市市场监管局, 市公安局]
    deadlines:
      - {phrase: 6月底前, date: 2021-06-30}
    domain: starting-business
    domain_by: "section: （一）开办企业"
    tags: [一网通办]
    line: 5
  - id: demo-2021-02
    number: "2"
    section: [一、主要任务, （二）获得信贷]
    title: 拓宽融资渠道。
    text: 拓宽融资渠道。扩大“首贷”规模。
    lead: [市地方金融监管局]
    deadlines:
      - {phrase: 持续推进, kind: ongoing}
    domain: credit
    domain_by: "override: 示例"
    line: 7
""",
    "catalog/documents/demo-2022.yaml": """\
slug: demo-2022
title: 示例省营商环境创新2022年行动计划
jurisdiction: shandong
year: 2022
source: sources/demo-2022.txt
issuer: ""
doc_number: ""
date: null
running_headers: [示例省人民政府公报]
preamble: []
closing: [本计划自印发之日起施行。]
measures:
  - id: demo-2022-001
    number: "1"
    sub: 2
    section: [二、重点任务]
    title: 推进数据共享。
    text: 推进数据共享。每月20日前通报进展。
    section_lead: [省大数据局]
    deadlines:
      - {phrase: 每月20日前, kind: recurring}
    domain: government-services
    domain_by: "rule: services"
    tags: [一网通办, 一业一证]
    line: 3
""",
    "sources/demo-2021.txt": "示例市优化营商环境2021年行动方案\n\n一、主要任务\n\n1. 压缩开办时间。\n\n2. 拓宽融资渠道。\n",
    "sources/demo-2022.txt": "示例省营商环境创新2022年行动计划\n\n1. 推进数据共享。\n",
}


def write_catalog(root: Path) -> Path:
    """Write the small valid catalogue under `root`; return its catalog folder."""
    catalog = root / "catalog"
    (catalog / "documents").mkdir(parents=True)
    (root / "sources").mkdir()
    for name in ("domains.yaml", "jurisdictions.yaml"):
        shutil.copyfile(REPO / "catalog" / name, catalog / name)
    for name, text in FIXTURE_FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return catalog


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    """A small valid catalogue in a temporary folder (tmp_path/catalog)."""
    return write_catalog(tmp_path)
