"""Dated phrases in a measure's text: `find_deadlines(text, year)`.

Every phrase is returned as it appears in the text (PDF spaces and line
breaks included, Markdown `**` never included), in order of appearance.
Matches never overlap: where two forms claim the same characters the one
starting first wins, then the longer one ("2021年6月底前" never also yields
"6月底前"; "从2021年5月开始" never also yields "2021年5月").

Whitespace (spaces, line breaks left by PDF extraction) is accepted between
any two parts of a phrase and between the digits of a number ("2022 年 12
月 3\\n1 日").

kind "date" (a date is never invented; an impossible month or day is an
unsure note, not a deadline):
- `[YYYY年]M月底[前]`, `M月末[前]`, `M月前` → last day of the month (leap
  years right); `M月前` is read like 月底前, as plans use it.
- `[YYYY年]M月上旬[前]` → the 10th, `中旬` → the 20th, `下旬` → last day.
- `[YYYY年]M月D日[前]` → that day ("执行期至2022年12月31日" records
  "2022年12月31日": phrases never include 到/至/完成时限).
- `YYYY年底[前]`, `YYYY年末[前]`, `YYYY年内`, `YYYY年年底前` → YYYY-12-31
  ("2025年年底前" in a 2024 plan is 2025-12-31, not the plan year's 年底).
- `[YYYY年]上半年` → 06-30, `下半年` → 12-31; `[YYYY年][第]一季度[末]` … `四季度`
  → the quarter's last day.
- `年底[前]`, `年末[前]`, `年内` → `year`-12-31 (not after 明/后/去/前, and 年内
  not after a count such as 三年内).
A month or day without a year takes `year`. A year in passing ("2021年版",
"2020年省集中签约", "2021年至少完成") is not a deadline and is not a note.

kind "recurring" — only schedule phrases, i.e. 每 + an explicit period
(日/天/周/月/季度/季/年) followed by
- a due day: `每月20日前` (the only form in the sources: Shandong and
  Weifang 跨境贸易, "从…开始，每月20日前，…口岸办…通报"), or
- a verb of a reporting or monitoring cycle, SCHEDULE_VERBS: `每月调度`
  (Weifang 保障措施 "实施每月调度机制"), `每日收集` (Shandong and Weifang
  "每日收集企业反映的问题").
Other 每 + period phrases are rates or entitlements, not schedules
("每年可举荐多名…", "每年给予最高15万元经费支持" in Weifang): they are
not recorded, and are returned as unsure notes so a reviewer sees them.
定期/常态化 (regularly, routinely) name no period and are not recorded.

kind "ongoing": ONGOING_PHRASES (`长期坚持`, `长期落实`, `持续推进`), and a
start without an end: `从YYYY年M月开始`, `从M月份开始`, `自…起`.
("中长期贷款" is not 长期坚持/长期落实, so it is not matched.)

A date that ends a validity period ("有效期延长至2025年12月31日", "执行期至…",
"到2023年6月底，对…" a support period) is not a task deadline: it is returned
as an unsure note saying so (Liaocheng 070, 166, 167, 168, 171). 全年 ("全年新增…")
scopes a target like 年度内 and is not a deadline.

Unsure notes ("<phrase>: <reason>"): an impossible month or day; `YYYY年前`; a month with no
day, 底 or 旬 ("6月份", "2021年5月") outside 从…开始; years relative to the
plan's (明年底, 后年内); 年度内, which in the sources scopes a target
("年度内仲裁案件按期结案率达到98%", Licheng) rather than dating it; other
每 + period phrases.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.importer.script import either
from generator.model import Deadline

__all__ = [
    "ONGOING_PHRASES",
    "SCHEDULE_VERBS",
    "deadline_to_yaml",
    "find_deadlines",
]

ONGOING_PHRASES = ("长期坚持", "长期落实", "持续推进")
SCHEDULE_VERBS = ("调度", "收集", "通报", "报送", "统计", "汇总", "更新", "公布", "发布", "召开", "督导")

_W = r"\s*"
_NOT_AFTER_DIGIT = r"(?<!\d)"
_YEAR = rf"(?P<year>\d(?:{_W}\d){{3}})"
_MONTH = rf"(?P<month>\d(?:{_W}\d)?)"
_DAY = rf"(?P<day>\d(?:{_W}\d)?)"
_OPT_YEAR = rf"(?:{_YEAR}{_W}年{_W})?"
_BARE_YEAR = rf"\d(?:{_W}\d){{3}}"
_BARE_MONTH = rf"\d(?:{_W}\d)?"
_BEFORE = rf"(?:{_W}(?:以前|之前|前))?"
_PERIOD = r"(?P<period>季度|[日天周月季年])"


def _spaced(word: str) -> str:
    """A regex for `word` in either script (OpenCC), whitespace allowed between its characters."""
    return either(word)


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(_spaced(w) for w in sorted(words, key=len, reverse=True))


# Each rule: a compiled pattern and the function that reads a match of it.
_MONTH_END = re.compile(rf"{_NOT_AFTER_DIGIT}{_OPT_YEAR}{_MONTH}{_W}月{_W}(?:(?:底|末){_BEFORE}|前)")
_MONTH_TEN_DAYS = re.compile(rf"{_NOT_AFTER_DIGIT}{_OPT_YEAR}{_MONTH}{_W}月{_W}(?P<part>[上中下]){_W}旬{_BEFORE}")
_MONTH_DAY = re.compile(rf"{_NOT_AFTER_DIGIT}{_OPT_YEAR}{_MONTH}{_W}月{_W}{_DAY}{_W}[日号號]{_BEFORE}")
_YEAR_END = re.compile(rf"{_NOT_AFTER_DIGIT}{_YEAR}{_W}年{_W}(?:年{_W})?(?:(?:底|末){_BEFORE}|[内內])")
_HALF_YEAR = re.compile(rf"{_OPT_YEAR}(?P<half>[上下]){_W}半{_W}年(?:{_W}(?:底|末))?{_BEFORE}")
_QUARTER = re.compile(rf"{_OPT_YEAR}第?{_W}(?P<quarter>[一二三四1-4]){_W}季{_W}度(?:{_W}(?:底|末))?{_BEFORE}")
_VALIDITY_BEFORE = re.compile(r"(?:有效期|执行期|实施期限|实施期|政策执行|执行)\s*(?:延长|延续)?\s*(?:至|到)\s*$")
_VALIDITY_TO_FOR = re.compile(r"到\s*$")
_VALIDITY_AFTER = re.compile(r"^\s*[,，]\s*对")
_THIS_YEAR_END = re.compile(rf"(?<![明后去前\d])年{_W}(?:底|末){_BEFORE}")
_THIS_YEAR_WITHIN = re.compile(r"(?<![\d一二三四五六七八九十两几个多半明后去前兩幾個後])年\s*[内內]")
_RECURRING_DUE = re.compile(rf"每{_W}{_PERIOD}{_W}{_DAY}{_W}[日号號]{_BEFORE}")
_RECURRING_VERB = re.compile(rf"每{_W}{_PERIOD}{_W}(?:{_alternatives(SCHEDULE_VERBS)})")
_ONGOING_START = re.compile(
    rf"[从從自]{_W}(?:{_BARE_YEAR}{_W}年(?:{_W}{_BARE_MONTH}{_W}月)?|{_BARE_MONTH}{_W}月)(?:{_W}份)?{_W}(?:[开開]始|起)"
)
_ONGOING_WORDS = re.compile(_alternatives(ONGOING_PHRASES))

_UNSURE_YEAR_BEFORE = re.compile(rf"{_NOT_AFTER_DIGIT}{_YEAR}{_W}年{_W}(?:以前|之前|前)")
_UNSURE_BARE_MONTH = re.compile(rf"{_NOT_AFTER_DIGIT}{_OPT_YEAR}{_MONTH}{_W}月(?:{_W}份)?")
_UNSURE_RELATIVE_YEAR = re.compile(rf"[明后去]{_W}年{_W}(?:底|末|内){_BEFORE}")
_UNSURE_EVERY = re.compile(rf"每{_W}{_PERIOD}")
_UNSURE_YEAR_SCOPE = re.compile(rf"年{_W}度{_W}内")

_TEN_DAYS = {"上": 10, "中": 20}


@dataclass(frozen=True, slots=True)
class _Hit:
    """A match that became a deadline or an unsure note."""

    start: int
    end: int
    deadline: Deadline | None = None
    note: str | None = None


_Reader = Callable[[re.Match[str], int], _Hit]


def _number(group: str | None, default: int) -> int:
    return default if group is None else int(re.sub(r"\s", "", group))


def _dated(m: re.Match[str], year: int, month: int, day: int | None) -> _Hit:
    """A date deadline for `m`, or an unsure note when the date is impossible.

    `day` None means the last day of the month.
    """
    phrase = m.group(0)
    if not 1 <= month <= 12:
        return _Hit(m.start(), m.end(), note=f"{phrase}: no month {month}")
    last = calendar.monthrange(year, month)[1]
    if day is not None and not 1 <= day <= last:
        return _Hit(m.start(), m.end(), note=f"{phrase}: no day {day} in {year}-{month:02d}")
    date = dt.date(year, month, last if day is None else day)
    return _Hit(m.start(), m.end(), deadline=Deadline(phrase=phrase, kind="date", date=date))


def _read_month_end(m: re.Match[str], year: int) -> _Hit:
    return _dated(m, _number(m.group("year"), year), _number(m.group("month"), 0), None)


def _read_ten_days(m: re.Match[str], year: int) -> _Hit:
    day = _TEN_DAYS.get(m.group("part"))
    return _dated(m, _number(m.group("year"), year), _number(m.group("month"), 0), day)


def _read_month_day(m: re.Match[str], year: int) -> _Hit:
    return _dated(m, _number(m.group("year"), year), _number(m.group("month"), 0), _number(m.group("day"), 0))


def _read_year_end(m: re.Match[str], year: int) -> _Hit:
    return _dated(m, _number(m.group("year"), year), 12, 31)


_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _read_half_year(m: re.Match[str], year: int) -> _Hit:
    return _dated(m, _number(m.group("year"), year), 6 if m.group("half") == "上" else 12, None)


def _read_quarter(m: re.Match[str], year: int) -> _Hit:
    return _dated(m, _number(m.group("year"), year), 3 * _QUARTER_NUMBER[m.group("quarter")], None)


def _read_this_year_end(m: re.Match[str], year: int) -> _Hit:
    return _dated(m, year, 12, 31)


def _kind(kind: str) -> _Reader:
    def read(m: re.Match[str], year: int) -> _Hit:
        return _Hit(m.start(), m.end(), deadline=Deadline(phrase=m.group(0), kind=kind))

    return read


def _unsure(reason: str) -> _Reader:
    def read(m: re.Match[str], year: int) -> _Hit:
        return _Hit(m.start(), m.end(), note=f"{m.group(0)}: {reason}")

    return read


# Deadline rules first: on a tie (same start, same length) the earlier rule wins.
_RULES: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_MONTH_DAY, _read_month_day),
    (_MONTH_TEN_DAYS, _read_ten_days),
    (_MONTH_END, _read_month_end),
    (_YEAR_END, _read_year_end),
    (_HALF_YEAR, _read_half_year),
    (_QUARTER, _read_quarter),
    (_THIS_YEAR_END, _read_this_year_end),
    (_THIS_YEAR_WITHIN, _read_this_year_end),
    (_RECURRING_DUE, _kind("recurring")),
    (_RECURRING_VERB, _kind("recurring")),
    (_ONGOING_START, _kind("ongoing")),
    (_ONGOING_WORDS, _kind("ongoing")),
    (_UNSURE_YEAR_BEFORE, _unsure("'before a year' is ambiguous, not mapped")),
    (_UNSURE_RELATIVE_YEAR, _unsure("a year relative to the plan's, not mapped")),
    (_UNSURE_BARE_MONTH, _unsure("a month without 底/旬/day, not mapped")),
    (_UNSURE_EVERY, _unsure("每 + period without a due day or schedule verb, not recorded")),
    (_UNSURE_YEAR_SCOPE, _unsure("a scope (during the year), not mapped to a date")),
)


def _all_hits(text: str, year: int) -> list[tuple[_Hit, int]]:
    """Every match of every rule, with its rule's rank."""
    return [
        (read(m, year), rank)
        for rank, (pattern, read) in enumerate(_RULES)
        for m in pattern.finditer(text)
    ]


def _non_overlapping(hits: list[tuple[_Hit, int]]) -> list[_Hit]:
    """Earliest start first, then longest, then rule order; overlapping hits dropped."""
    ordered = sorted(hits, key=lambda pair: (pair[0].start, -(pair[0].end - pair[0].start), pair[1]))
    kept: list[_Hit] = []
    for hit, _rank in ordered:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def find_deadlines(text: str, year: int) -> tuple[list[Deadline], list[str]]:
    """The dated phrases of `text` in order, and notes on time phrases not understood.

    `year` is the plan's year, taken by phrases that print none (6月底前, 年底前).
    """
    deadlines: list[Deadline] = []
    notes: list[str] = []
    for hit in _non_overlapping(_all_hits(text, year)):
        if hit.deadline is not None and hit.deadline.kind == "date" and _is_validity_end(text, hit):
            notes.append(f"{hit.deadline.phrase}: the end of a validity period (有效期至/执行期至), not a task deadline")
        elif hit.deadline is not None:
            deadlines.append(hit.deadline)
        elif hit.note is not None:
            notes.append(hit.note)
    return deadlines, notes


def _is_validity_end(text: str, hit: _Hit) -> bool:
    """A date that ends a policy's validity: "有效期延长至2025年12月31日", "执行期至…",
    "到2023年6月底，对…给予…" (a support period), rather than a date a task is due."""
    before = text[max(0, hit.start - 12) : hit.start]
    if _VALIDITY_BEFORE.search(before):
        return True
    return bool(_VALIDITY_TO_FOR.search(before)) and bool(_VALIDITY_AFTER.match(text[hit.end : hit.end + 4]))


def deadline_to_yaml(d: Deadline) -> dict[str, object]:
    """`{phrase, date}` for a dated deadline, `{phrase, kind}` otherwise (catalog/README.md)."""
    if d.kind == "date":
        if d.date is None:
            raise ValueError(f"deadline {d.phrase!r} of kind 'date' has no date")
        return {"phrase": d.phrase, "date": d.date}
    if d.date is not None:
        raise ValueError(f"deadline {d.phrase!r} of kind {d.kind!r} must carry no date")
    return {"phrase": d.phrase, "kind": d.kind}
