"""parse_units, split_units, is_units_clause: each clause shape, and every clause of the five sources."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from generator.importer.deadlines import find_deadlines
from generator.importer.units import Units, is_units_clause, parse_units, split_units

SOURCES = Path(__file__).resolve().parent.parent / "sources"
# the year that month-only deadlines take is the one in the source file name
# The five plans these tests were established on (counts read from their texts); a plan added to
# sources/ later is covered by the golden cases and the catalogue-wide tests, not by these numbers.
FIVE_PLANS = ("jinan-2021", "jinan-licheng-2020", "liaocheng-2022", "shandong-2021", "weifang-2021")
YEARS = {slug: int(slug.rsplit("-", 1)[1]) for slug in FIVE_PLANS}

JINAN_ORDINARY = (
    "责任部门：市发展改革委、市商务局、市投资促进局、市住房城乡建设局、市交通运输局、"
    "市园林和林业绿化局、市水务局、济南公共资源交易中心等市直有关部门单位，各区县、功能区"
)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "牵头部门：省市场监管局、省公安厅、省大数据局；责任部门：省人力资源社会保障厅、省住房城乡建设厅",
            Units(lead=("省市场监管局", "省公安厅", "省大数据局"), responsible=("省人力资源社会保障厅", "省住房城乡建设厅")),
        ),
        ("责任部门：省公安厅、省市场监管局", Units(responsible=("省公安厅", "省市场监管局"))),
        (
            "牵头单位:市行政审批局;责任单位:市市场监管局、市公安局",
            Units(lead=("市行政审批局",), responsible=("市市场监管局", "市公安局")),
        ),
        (
            "牵头部门：区司法局，完成时限：2020年12月底前",
            Units(lead=("区司法局",), deadline_phrase="2020年12月底前"),
        ),
        (
            JINAN_ORDINARY,
            Units(responsible=(
                "市发展改革委", "市商务局", "市投资促进局", "市住房城乡建设局", "市交通运输局",
                "市园林和林业绿化局", "市水务局", "济南公共资源交易中心", "市直有关部门单位", "各区县、功能区",
            )),
        ),
        (
            "责任单位：市行政审批服务局，自贸试验\n\n区济南片区、济南高新区、历下区、历城区",
            Units(responsible=("市行政审批服务局", "自贸试验区济南片区", "济南高新区", "历下区", "历城区")),
        ),
        (
            "牵头部门：省市场监管局；济南、青岛、烟台市政府负责",
            Units(
                lead=("省市场监管局",),
                responsible=("济南市政府", "青岛市政府", "烟台市政府"),  # three city governments, 负责 not a name
            ),
        ),
        (
            "牵头部门：省住房城乡建设厅；责任部门：省教育厅、省民政厅、省卫生健康委等相关部门",
            Units(lead=("省住房城乡建设厅",), responsible=("省教育厅", "省民政厅", "省卫生健康委", "相关部门")),
        ),
        (
            "牵头部门：省商务厅；责任部门：省税务局、青岛海关、济南海关等",
            Units(lead=("省商务厅",), responsible=("省税务局", "青岛海关", "济南海关")),
        ),
        (
            "牵头单位:市人力资源社会保障局;责任单位:市发展改革委、市国资委等,各县(市、区)人民政府、市属开发区管委会",
            Units(
                lead=("市人力资源社会保障局",),
                responsible=("市发展改革委", "市国资委", "各县(市、区)人民政府", "市属开发区管委会"),
            ),
        ),
        (
            "牵头单位:市自然资源和规划局,各县(市、区)人民政府、市属开发区管委会;责任单位:市财政局",
            Units(lead=("市自然资源和规划局", "各县(市、区)人民政府", "市属开发区管委会"), responsible=("市财政局",)),
        ),
        (
            "牵头部门：区委政研室（改革办）、区政府办公室，完成时限：2020年12月底前",
            Units(lead=("区委政研室（改革办）", "区政府办公室"), deadline_phrase="2020年12月底前"),
        ),
        (
            "牵\n\n头部门：市审批服务局；责任部门：市自然资源和规划局等相关部  \n门",
            Units(lead=("市审批服务局",), responsible=("市自然资源和规划局", "相关部门")),
        ),
        (
            "牵头单位:市行政审批局;责任单位:市大数据局、市住房公积金管理中\n\n心、人行聊城市中心支行",
            Units(lead=("市行政审批局",), responsible=("市大数据局", "市住房公积金管理中心", "人行聊城市中心支行")),
        ),
        (
            "牵头部门：市市场监管局，责任部门：潍坊海关",
            Units(lead=("市市场监管局",), responsible=("潍坊海关",)),
        ),
        (
            "牵头部门：省发展改革委，省公共资源交易中心；责任部门：省住房城乡建设厅",
            Units(lead=("省发展改革委", "省公共资源交易中心"), responsible=("省住房城乡建设厅",)),
        ),
        (
            "领域牵头单位:市发展改革委、市公共\n\n资源交易中心",
            Units(lead=("市发展改革委", "市公共资源交易中心")),
        ),
        (
            "责任部门：省水利厅；责任部门：省公共资源交易中心",
            Units(
                responsible=("省水利厅", "省公共资源交易中心"),
                unsure=("责任部门 given more than once, entries merged",),
            ),
        ),
        (
            "责任单位：市口岸物流办、泉城海关、莱\n\n莱芜海关、邮局海关",
            Units(
                responsible=("市口岸物流办", "泉城海关", "莱莱芜海关", "邮局海关"),
                unsure=("莱莱: the same character on both sides of a line break, kept as printed",),
            ),
        ),
        (
            "市有关部门单位按照职责分工负责",
            Units(
                responsible=("市有关部门单位",),
            ),
        ),
        ("牵头部门：；责任部门：X", Units(responsible=("X",), unsure=("牵头部门 with no unit after it",))),
        ("", Units(unsure=("no unit named",))),
    ],
)
def test_parse_units(clause: str, expected: Units) -> None:
    assert parse_units(clause) == expected


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("市发展改革委、国网聊城供电公司", ("市发展改革委", "国网聊城供电公司")),
        ("市行政审批局、\n\n市住房城乡建设局", ("市行政审批局", "市住房城乡建设局")),
        ("市教育局，各区县、功\n能区", ("市教育局", "各区县、功能区")),
        ("各县市区、市属开发区", ("各县市区、市属开发区",)),
        ("市财政局、市税务局等有关市直部门单位", ("市财政局", "市税务局", "有关市直部门单位")),
        ("市水利局等行业监管部门,市公共资源交易中心", ("市水利局", "行业监管部门", "市公共资源交易中心")),
        ("市“一次办成”改革领导小组办公室、市直有关部门单位", ("市“一次办成”改革领导小组办公室", "市直有关部门单位")),
        ("", ()),
    ],
)
def test_split_units(s: str, expected: tuple[str, ...]) -> None:
    assert split_units(s) == expected


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("牵头单位:市行政审批局", True),
        ("责任部门：省公安厅", True),
        ("领域牵头单位：市政府办公室、聊城海关", True),
        ("牵\n\n头部门：市审批服务局", True),
        ("居民身份证电子信息、电子营业执照", False),
        ("打击证券违法活动市有关责任单位", False),
        ("市有关部门单位按照职责分工负责", False),
        ("市发展改革委牵头，市财政局配合", True),
        ("牽頭單位：市稅務局", True),
        ("各领域牵头部门建立工作台帐", False),
    ],
)
def test_is_units_clause(s: str, expected: bool) -> None:
    assert is_units_clause(s) is expected


# --- every units clause of the five sources ----------------------------------

# A bracket (full-width, half-width or 〔〕) holding at most one level of nested brackets.
_BRACKET = re.compile(r"[（(〔]((?:[^（()）〔〕]|[（(][^（()）〔〕]*[)）])*)[)）〕]")
_LABEL = re.compile(r"(?:领域)?牵头(?:部门|单位)[:：]|责任(?:部门|单位)[:：]|完成时限[:：]")
_IGNORED = re.compile(r"[\s、，,；;等]")  # 等 stays in the clause, never in a name
_DUTY = re.compile(r"(?:按照?职责分工)?负责")


def _clauses() -> list[tuple[str, str]]:
    return [
        (slug, m.group(1))
        for slug in YEARS
        for m in _BRACKET.finditer((SOURCES / f"{slug}.txt").read_text(encoding="utf-8"))
        if is_units_clause(m.group(1))
    ]


def _letters(s: str) -> Counter[str]:
    return Counter(_IGNORED.sub("", s))


def test_the_sources_have_the_expected_clauses() -> None:
    counts = Counter(slug for slug, _clause in _clauses())
    assert counts == Counter({
        "jinan-2021": 102,
        "jinan-licheng-2020": 25,
        "liaocheng-2022": 171,  # 19 of them a section's 领域牵头单位
        "shandong-2021": 182,
        "weifang-2021": 183,
    })


@pytest.mark.parametrize(("slug", "clause"), _clauses())
def test_every_clause_of_the_sources_parses(slug: str, clause: str) -> None:
    units = parse_units(clause)
    assert units.lead or units.responsible
    names = [*units.lead, *units.responsible, units.deadline_phrase or ""]
    got, printed = _letters("".join(names)), _letters(_DUTY.sub("", _LABEL.sub("", _IGNORED.sub("", clause))))
    # "济南、青岛、烟台市政府" names three governments: the shared suffix is given to each
    assert got == printed or (set(got) == set(printed) and "市政府" in clause)
    for name in units.lead + units.responsible:
        assert name and not re.search(r"\s", name)
    if units.deadline_phrase:
        deadlines, notes = find_deadlines(units.deadline_phrase, YEARS[slug])
        assert [d.phrase for d in deadlines] == [units.deadline_phrase] and not notes


def test_unsure_notes_over_the_sources() -> None:
    notes = [note for _slug, clause in _clauses() for note in parse_units(clause).unsure]
    assert notes == [
        "司司: the same character on both sides of a line break, kept as printed",  # Jinan 国网济南供电公司\n\n司
        "莱莱: the same character on both sides of a line break, kept as printed",  # Jinan 莱\n\n莱芜海关
        "责任部门 given more than once, entries merged",  # Shandong 责任部门：省水利厅；责任部门：…
    ]
