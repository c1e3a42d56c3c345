"""find_deadlines: every form with exact results, and a sweep over the five sources."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from generator.importer.deadlines import deadline_to_yaml, find_deadlines
from generator.model import Deadline

SOURCES = Path(__file__).resolve().parent.parent / "sources"
# the year that month-only deadlines take is the one in the source file name
# The five plans these tests were established on (counts read from their texts); a plan added to
# sources/ later is covered by the golden cases and the catalogue-wide tests, not by these numbers.
FIVE_PLANS = ("jinan-2021", "jinan-licheng-2020", "liaocheng-2022", "shandong-2021", "weifang-2021")
YEARS = {slug: int(slug.rsplit("-", 1)[1]) for slug in FIVE_PLANS}


def dated(phrase: str, y: int, m: int, d: int) -> Deadline:
    return Deadline(phrase=phrase, kind="date", date=dt.date(y, m, d))


def recurring(phrase: str) -> Deadline:
    return Deadline(phrase=phrase, kind="recurring")


def ongoing(phrase: str) -> Deadline:
    return Deadline(phrase=phrase, kind="ongoing")


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        # month end, with and without a year
        ("2021年6月底前，完成验收。", 2020, [dated("2021年6月底前", 2021, 6, 30)]),
        ("6月底前，探索企业账户在线推送模式。", 2022, [dated("6月底前", 2022, 6, 30)]),
        ("12月底前完成", 2022, [dated("12月底前", 2022, 12, 31)]),
        ("9月底前完成职责划分。", 2021, [dated("9月底前", 2021, 9, 30)]),
        ("6月前完成", 2022, [dated("6月前", 2022, 6, 30)]),
        ("6月末前完成", 2022, [dated("6月末前", 2022, 6, 30)]),
        ("到 2023 年 6 月底,对符合条件的", 2022, []),  # a support period's end (Liaocheng 070), not a deadline
        ("2025年年底前覆盖全部高频事项", 2024, [dated("2025年年底前", 2025, 12, 31)]),
        ("到2025年年底,", 2024, [dated("2025年年底", 2025, 12, 31)]),
        ("上半年完成", 2024, [dated("上半年", 2024, 6, 30)]),
        # traditional characters (a plan served in 繁體): the phrase as printed
        ("年內完成", 2024, [dated("年內", 2024, 12, 31)]),
        ("9月30號前", 2024, [dated("9月30號前", 2024, 9, 30)]),
        ("2024年下半年完成", 2023, [dated("2024年下半年", 2024, 12, 31)]),
        ("三季度末前实现", 2024, [dated("三季度末前", 2024, 9, 30)]),
        ("第一季度完成", 2024, [dated("第一季度", 2024, 3, 31)]),
        # PDF spaces and line breaks are kept in the phrase
        ("推进。6 月底前，实现", 2021, [dated("6 月底前", 2021, 6, 30)]),
        ("品牌。6月\n\n底前,依托", 2022, [dated("6月\n\n底前", 2022, 6, 30)]),
        ("征集机制。2021年5月\n\n底前，在本行业", 2021, [dated("2021年5月\n\n底前", 2021, 5, 31)]),
        # Markdown residue is not part of the phrase
        ("**6月底前**，上线", 2021, [dated("6月底前", 2021, 6, 30)]),
        ("机制。**4月底前，建立", 2021, [dated("4月底前", 2021, 4, 30)]),
        # year end and within the year
        ("年底前基本实现高频政务服务事项", 2021, [dated("年底前", 2021, 12, 31)]),
        ("力争2021年底无纸化退税办理率达到98%", 2021, [dated("2021年底", 2021, 12, 31)]),
        ("2021 年底受污染耕地安全利用率达 91%", 2021, [dated("2021 年底", 2021, 12, 31)]),
        ("2021年底前完成", 2020, [dated("2021年底前", 2021, 12, 31)]),
        ("年底力争实现 2022 年辖区普惠型小微企业贷款", 2022, [dated("年底", 2022, 12, 31)]),
        ("年内优化公交线路 40 条", 2021, [dated("年内", 2021, 12, 31)]),
        ("三年内完成", 2021, []),
        # a day
        ("9月30日前完成", 2021, [dated("9月30日前", 2021, 9, 30)]),
        # the end of a validity period is not a task deadline (issue 11: Liaocheng 166, 167, 168, 171)
        ("执行期至2022年12月31日。", 2021, []),
        ("执行期延长至 2022 年 12 月 31 日。", 2022, []),
        ("有效期延长至 2025 年 12 月 3\n1 日。", 2022, []),
        # ten-day periods
        ("5月中旬前，制定标准化服务指南", 2022, [dated("5月中旬前", 2022, 5, 20)]),
        ("5月上旬前", 2022, [dated("5月上旬前", 2022, 5, 10)]),
        ("5月下旬前", 2022, [dated("5月下旬前", 2022, 5, 31)]),
        # leap years
        ("2月底前", 2024, [dated("2月底前", 2024, 2, 29)]),
        ("2月底前", 2021, [dated("2月底前", 2021, 2, 28)]),
        ("2100年2月底前", 2021, [dated("2100年2月底前", 2100, 2, 28)]),
        ("2000年2月底前", 2021, [dated("2000年2月底前", 2000, 2, 29)]),
        ("2月下旬前", 2024, [dated("2月下旬前", 2024, 2, 29)]),
        ("2024年2月29日", 2021, [dated("2024年2月29日", 2024, 2, 29)]),
        # recurring schedules
        (
            "建立通关时效会商机制。从2021年5月开始，每月20日前，市口岸办与潍坊海关",
            2021,
            [ongoing("从2021年5月开始"), recurring("每月20日前")],
        ),
        (
            "**建立通关时效会商机制。**从5月份开始，每月20日前，省口岸办",
            2021,
            [ongoing("从5月份开始"), recurring("每月20日前")],
        ),
        ("实施每月调度机制", 2021, [recurring("每月调度")]),
        ("每日收集企业反映的问题", 2021, [recurring("每日收集")]),
        # ongoing
        ("长期坚持", 2021, [ongoing("长期坚持")]),
        ("降低物流运输成本。长期落实执行对通行山东省内高速公路", 2022, [ongoing("长期落实")]),
        ("持续推进电子营业执照、电子印章同步发放", 2022, [ongoing("持续推进")]),
        ("提高中长期贷款占比", 2021, []),
        # years in passing are not deadlines
        ("《鼓励外商投资产业目录（2020年版）》", 2021, []),
        ("2020 年省集中签约的 237 个重点外资项目", 2021, []),
        ("2021年至少完成15个混改项目", 2021, []),
        ("对2020年度外商投资企业和引荐人的奖励", 2021, []),
        ("压缩至3个月、1个月", 2021, []),
        # no double counting, order of appearance
        ("2021年6月底前，推行；2021年10月底前，增加", 2021,
         [dated("2021年6月底前", 2021, 6, 30), dated("2021年10月底前", 2021, 10, 31)]),
        ("9月底前，建立；6月底前，完成", 2022, [dated("9月底前", 2022, 9, 30), dated("6月底前", 2022, 6, 30)]),
    ],
)
def test_forms(text: str, year: int, expected: list[Deadline]) -> None:
    deadlines, notes = find_deadlines(text, year)
    assert deadlines == expected
    assert [n for n in notes if "validity period" not in n] == []


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        ("13月底前", ["13月底前: no month 13"]),
        ("2021年2月30日前", ["2021年2月30日前: no day 30 in 2021-02"]),
        ("政策有效期至2025年12月31日", ["2025年12月31日: the end of a validity period (有效期至/执行期至), not a task deadline"]),
        ("2021年前完成", ["2021年前: 'before a year' is ambiguous, not mapped"]),
        ("明年底前完成", ["明年底前: a year relative to the plan's, not mapped"]),
        ("6月份完成", ["6月份: a month without 底/旬/day, not mapped"]),
        ("每年给予最高15万元经费支持", ["每年: 每 + period without a due day or schedule verb, not recorded"]),
        ("年度内仲裁案件按期结案率达到98%", ["年度内: a scope (during the year), not mapped to a date"]),
    ],
)
def test_unsure(text: str, notes: list[str]) -> None:
    assert find_deadlines(text, 2021) == ([], notes)


def test_deadline_to_yaml() -> None:
    assert deadline_to_yaml(dated("6月底前", 2022, 6, 30)) == {"phrase": "6月底前", "date": dt.date(2022, 6, 30)}
    assert deadline_to_yaml(recurring("每月20日前")) == {"phrase": "每月20日前", "kind": "recurring"}
    assert deadline_to_yaml(ongoing("持续推进")) == {"phrase": "持续推进", "kind": "ongoing"}
    with pytest.raises(ValueError):
        deadline_to_yaml(Deadline(phrase="6月底前", kind="date"))
    with pytest.raises(ValueError):
        deadline_to_yaml(Deadline(phrase="持续推进", kind="ongoing", date=dt.date(2021, 1, 1)))


# --- the five sources --------------------------------------------------------

_BLOCK_BREAK = re.compile(r"\n\s*\n")
_ENDS_SENTENCE = re.compile(r"[。；;：:）)〕」”]\s*$")
_MONTH_END_BEFORE = re.compile(r"(?<!\d)(?:(\d(?:\s*\d){3})\s*年\s*)?(\d(?:\s*\d)?)\s*月\s*底\s*前")


def _paragraphs(text: str) -> list[str]:
    """Blank-line blocks, a block joined to the next when a PDF line break cut a sentence."""
    paragraphs: list[str] = []
    for block in _BLOCK_BREAK.split(text):
        if paragraphs and not _ENDS_SENTENCE.search(paragraphs[-1]):
            paragraphs[-1] += "\n\n" + block
        else:
            paragraphs.append(block)
    return paragraphs


def _source_paragraphs() -> list[tuple[str, int, str]]:
    return [
        (slug, year, paragraph)
        for slug, year in YEARS.items()
        for paragraph in _paragraphs((SOURCES / f"{slug}.txt").read_text(encoding="utf-8"))
    ]


def _digits(s: str | None, default: int) -> int:
    return default if s is None else int(re.sub(r"\s", "", s))


def test_every_month_end_in_the_sources_is_found() -> None:
    checked = 0
    for slug, year, paragraph in _source_paragraphs():
        expected = []
        for m in _MONTH_END_BEFORE.finditer(paragraph):
            y, month = _digits(m.group(1), year), _digits(m.group(2), 0)
            expected.append(dated(m.group(0), y, month, calendar.monthrange(y, month)[1]))
        found = [d for d in find_deadlines(paragraph, year)[0] if re.search(r"月\s*底\s*前$", d.phrase)]
        assert found == expected, (slug, paragraph[:60])
        checked += len(expected)
    assert checked == 2 + 25 + 115 + 197 + 143


def test_the_sources_give_only_the_known_unsure_notes() -> None:
    notes = Counter(note for _slug, year, p in _source_paragraphs() for note in find_deadlines(p, year)[1])
    assert notes == Counter({
        "每年: 每 + period without a due day or schedule verb, not recorded": 2,  # Weifang: 每年可举荐, 每年给予
        "年度内: a scope (during the year), not mapped to a date": 1,  # Licheng: 年度内仲裁案件按期结案率
        # Liaocheng 070, 166, 167, 168 (two), 171: validity ends, not task deadlines (issue 11)
        "2023 年 6 月底: the end of a validity period (有效期至/执行期至), not a task deadline": 1,
        "2022 年 12 月 31 日: the end of a validity period (有效期至/执行期至), not a task deadline": 2,
        "2023 年 12 月 31 日: the end of a validity period (有效期至/执行期至), not a task deadline": 1,
        "2025 年 12 月 31 日: the end of a validity period (有效期至/执行期至), not a task deadline": 2,
    })


@pytest.mark.parametrize(
    ("slug", "kinds"),
    [
        ("jinan-2021", {"date": 7, "ongoing": 5}),
        ("jinan-licheng-2020", {"date": 27, "ongoing": 2}),  # 25 完成时限 + 2 signature dates
        ("liaocheng-2022", {"date": 118, "ongoing": 4}),  # 6 validity ends are not deadlines
        ("shandong-2021", {"date": 197, "ongoing": 4, "recurring": 2}),
        ("weifang-2021", {"date": 147, "ongoing": 4, "recurring": 3}),
    ],
)
def test_counts_over_a_whole_source(slug: str, kinds: dict[str, int]) -> None:
    text = (SOURCES / f"{slug}.txt").read_text(encoding="utf-8")
    deadlines, _notes = find_deadlines(text, YEARS[slug])
    assert Counter(d.kind for d in deadlines) == Counter(kinds)
    for d in deadlines:
        assert d.phrase in text
        assert (d.date is None) == (d.kind != "date")
