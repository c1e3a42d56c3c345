"""The units clause that ends a measure: who leads, who is responsible.

`parse_units(clause)` reads the content of the last bracket of a measure,
brackets removed, e.g. `牵头部门：省市场监管局；责任部门：省公安厅、省医保局`.

Labels (whitespace allowed inside them, full- or half-width colon):
- 牵头部门 / 牵头单位 / 领域牵头单位 → `lead`;
- 责任部门 / 责任单位 → `responsible`;
- 完成时限 (Licheng) → `deadline_phrase`, the text after it as written.
A label may be repeated ("责任部门：省水利厅；责任部门：省公共资源交易中心",
Shandong): its entries are merged and an unsure note says so.

Parts are separated by ；/; at the top level. A part with no label
("牵头部门：省市场监管局；济南、青岛、烟台市政府负责", Shandong) is a
continuation: it becomes ONE responsible entry kept whole (it is a sentence,
not a list), with an unsure note. So does a clause with no label at all
("市有关部门单位按照职责分工负责", Liaocheng).

Entries are split on 、，,；; outside brackets ("各县(市、区)人民政府" and
"区委政研室（改革办）" stay whole), except inside a collective of
COLLECTIVES, kept as one entry because its parts do not stand alone
("各区县、功能区": 功能区 alone means nothing). Collectives found in the
sources: "各区县、功能区" (Jinan, every units clause that names the
districts); "各县市区、市属开发区" and "各县市区、市属各开发区" (Weifang
measure texts). "各县(市、区)人民政府、市属开发区管委会" (Liaocheng) is two
complete names and is split.

An entry "X等Y" whose tail names a group (Y contains 部门, 单位 or 机构) is
split into "X" and "等Y", so the qualifier is kept: "济南公共资源交易中心等市直
有关部门单位" → "济南公共资源交易中心", "等市直有关部门单位". A trailing 等
stays on its entry ("济南海关等"). Whitespace inside a name (PDF line
breaks: "市住房公积金管理中 心") is removed; no other character is changed,
not even an evident duplicate across a line break ("国网济南供电公司\\n\\n司",
"莱\\n\\n莱芜海关" in Jinan), which is reported as an unsure note instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["COLLECTIVES", "Units", "is_units_clause", "parse_units", "split_units"]

COLLECTIVES = ("各区县、功能区", "各县市区、市属开发区", "各县市区、市属各开发区")

_OPENERS = "（(〔[【"
_CLOSERS = "）)〕]】"
_ENTRY_SEPARATORS = "、，,；;"
_PART_SEPARATORS = "；;"
_GROUP_WORDS = ("部门", "单位", "机构")


def _spaced(word: str) -> str:
    """A regex for `word` with whitespace allowed between its characters."""
    return r"\s*".join(re.escape(ch) for ch in word)


_LEAD = rf"(?:{_spaced('领域')}\s*)?{_spaced('牵头')}\s*(?:{_spaced('部门')}|{_spaced('单位')})"
_RESPONSIBLE = rf"{_spaced('责任')}\s*(?:{_spaced('部门')}|{_spaced('单位')})"
_DEADLINE = _spaced("完成时限")
_LABEL = re.compile(rf"(?:(?P<lead>{_LEAD})|(?P<responsible>{_RESPONSIBLE})|(?P<deadline>{_DEADLINE}))\s*[:：]")
_UNIT_LABEL = re.compile(rf"(?:{_LEAD}|{_RESPONSIBLE})\s*[:：]")
_COLLECTIVE = re.compile("|".join(_spaced(c) for c in sorted(COLLECTIVES, key=len, reverse=True)))
_WHITESPACE = re.compile(r"\s+")
_BROKEN_DUPLICATE = re.compile(r"(\S)[ \t\u3000]*\n\s*\1")
_TRIM = f" \t\r\n\u3000{_ENTRY_SEPARATORS}"


@dataclass(frozen=True, slots=True)
class Units:
    """What a units clause says. Names are as printed, whitespace removed."""

    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    deadline_phrase: str | None = None
    unsure: tuple[str, ...] = ()


def is_units_clause(s: str) -> bool:
    """True if `s` names units: it contains 牵头部门/牵头单位/责任部门/责任单位 and a colon.

    A section's "领域牵头单位：…" is a units clause too.
    """
    return _UNIT_LABEL.search(s) is not None


def _top_level(s: str, separators: str) -> Iterator[str]:
    """`s` cut at `separators` outside brackets and outside collectives."""
    depth, start, pos = 0, 0, 0
    while pos < len(s):
        collective = _COLLECTIVE.match(s, pos) if depth == 0 else None
        if collective:
            pos = collective.end()
            continue
        ch = s[pos]
        depth += (ch in _OPENERS) - (ch in _CLOSERS and depth > 0)
        if depth == 0 and ch in separators:
            yield s[start:pos]
            start = pos + 1
        pos += 1
    yield s[start:]


def _qualified(name: str) -> tuple[str, ...]:
    """"X等Y" → ("X", "等Y") when Y names a group; otherwise (name,)."""
    head, sep, tail = name.partition("等")
    if head and tail and any(word in tail for word in _GROUP_WORDS):
        return head, sep + tail
    return (name,)


def split_units(s: str) -> tuple[str, ...]:
    """The unit names of a bare list ("市发展改革委、国网聊城供电公司"), in order."""
    names: list[str] = []
    for piece in _top_level(s, _ENTRY_SEPARATORS):
        name = _WHITESPACE.sub("", piece)
        if name:
            names.extend(_qualified(name))
    return tuple(names)


def _labelled(part: str) -> Iterator[tuple[str | None, str, str]]:
    """(kind, label, text) for each labelled stretch of a part; kind None for unlabelled text."""
    matches = list(_LABEL.finditer(part))
    head = part[: matches[0].start()] if matches else part
    if head.strip(_TRIM):
        yield None, "", head
    ends = [m.start() for m in matches[1:]] + [len(part)] if matches else []
    for m, end in zip(matches, ends, strict=True):
        kind = m.lastgroup
        yield kind, _WHITESPACE.sub("", m.group(kind or 0)), part[m.end() : end]


def _duplicate_notes(clause: str) -> list[str]:
    return [
        f"{_WHITESPACE.sub('', m.group(0))}: the same character on both sides of a line break, kept as printed"
        for m in _BROKEN_DUPLICATE.finditer(clause)
    ]


def parse_units(clause: str) -> Units:
    """Lead and responsible units, the 完成时限 phrase, and notes on anything doubtful."""
    found: dict[str, list[str]] = {"lead": [], "responsible": []}
    seen: list[str] = []
    deadline: str | None = None
    unsure: list[str] = []
    for part in _top_level(clause, _PART_SEPARATORS):
        for kind, label, text in _labelled(part):
            if kind is None:
                whole = _WHITESPACE.sub("", text.strip(_TRIM))
                found["responsible"].append(whole)
                unsure.append(f"{whole}: no 牵头/责任 label, read as a responsible entry")
                continue
            if kind in seen:
                unsure.append(f"{label} given more than once, entries merged")
            seen.append(kind)
            if kind == "deadline":
                deadline = text.strip(_TRIM)
                continue
            names = split_units(text)
            if not names:
                unsure.append(f"{label} with no unit after it")
            found[kind].extend(names)
    unsure.extend(_duplicate_notes(clause))
    if not found["lead"] and not found["responsible"]:
        unsure.append("no unit named")
    return Units(
        lead=tuple(found["lead"]),
        responsible=tuple(found["responsible"]),
        deadline_phrase=deadline,
        unsure=tuple(unsure),
    )
