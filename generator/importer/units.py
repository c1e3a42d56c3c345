"""The units clause that ends a measure: who leads, who is responsible.

`parse_units(clause)` reads the content of the last bracket of a measure,
brackets removed, e.g. `牵头部门：省市场监管局；责任部门：省公安厅、省医保局`.

Labels (whitespace allowed inside them, full- or half-width colon, simplified
or traditional characters):
- 牵头部门 / 牵头单位 / 领域牵头单位 → `lead`;
- 责任部门 / 责任单位, and the supporting units' 配合单位 / 配合部门 / 参与单位 /
  参与部门 / 协办单位 / 协办部门 → `responsible`;
- 完成时限 (Licheng), 完成时间, 时限要求, 完成期限, 时间要求, 时间节点 →
  `deadline_phrase`, the text after it as written.
Any other "word：" inside a clause is an unknown label: reported, and its text
is not read as units (never glued into a name).

Unlabelled forms, the name before its role:
- "X牵头，Y、Z配合" / "X牵头负责" / "X牵头，Y按职责分工负责" (参与, 协办,
  协助 as 配合; 负责 and 按(照)职责分工负责 as responsible);
- "(第一责任单位为牵头单位，下同)" after a 责任单位 list: its first unit is the
  lead; with 下同 the rule holds for the measures after it too (`first_leads`).
- a bare group ending in 责任单位 / 有关部门 / 有关单位 ("打击证券违法活动市有关
  责任单位", Liaocheng) is one responsible entry, with an unsure note.
(按照)职责分工负责 and a final 负责 are never part of a name.
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
split into "X" and "Y": "济南公共资源交易中心等市直有关部门单位" →
"济南公共资源交易中心", "市直有关部门单位". A trailing 等 is not part of a name
("济南海关等" → "济南海关"). The clause (`units`) keeps 等 as printed.
Place names sharing one suffix ("济南、青岛、烟台市政府") are three entries with
the suffix each: "济南市政府", "青岛市政府", "烟台市政府". Whitespace inside a name (PDF line
breaks: "市住房公积金管理中 心") is removed; no other character is changed,
not even an evident duplicate across a line break ("国网济南供电公司\\n\\n司",
"莱\\n\\n莱芜海关" in Jinan), which is reported as an unsure note instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.importer.script import either

__all__ = ["COLLECTIVES", "Units", "is_group_clause", "is_units_clause", "parse_units", "split_units"]

COLLECTIVES = ("各区县、功能区", "各县市区、市属开发区", "各县市区、市属各开发区")

_OPENERS = "（(〔[【"
_CLOSERS = "）)〕]】"
_ENTRY_SEPARATORS = "、，,；;"
_PART_SEPARATORS = "；;"
_GROUP_WORDS = ("部门", "单位", "机构")
LEAD_LABELS = ("领域牵头单位", "领域牵头部门", "牵头单位", "牵头部门")
RESPONSIBLE_LABELS = ("责任单位", "责任部门", "配合单位", "配合部门", "参与单位", "参与部门", "协办单位", "协办部门")
DEADLINE_LABELS = ("完成时限", "完成时间", "时限要求", "完成期限", "时间要求", "时间节点")


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(either(w) for w in sorted(words, key=len, reverse=True))


_LEAD = _alternatives(LEAD_LABELS)
_RESPONSIBLE = _alternatives(RESPONSIBLE_LABELS)
_DEADLINE = _alternatives(DEADLINE_LABELS)
_LABEL = re.compile(rf"(?:(?P<lead>{_LEAD})|(?P<responsible>{_RESPONSIBLE})|(?P<deadline>{_DEADLINE}))\s*[:：]")
_UNIT_LABEL = re.compile(rf"(?:{_LEAD}|{_RESPONSIBLE})\s*[:：]")
_ANY_LABEL = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,6})\s*[:：]|(?<=[，,；;、\s])([\u4e00-\u9fff]{2,6})\s*[:：]")
_COLLECTIVE = re.compile("|".join(either(c) for c in sorted(COLLECTIVES, key=len, reverse=True)))
_WHITESPACE = re.compile(r"\s+")
_BROKEN_DUPLICATE = re.compile(r"(\S)[ \t\u3000]*\n\s*\1")
_TRIM = f" \t\r\n\u3000{_ENTRY_SEPARATORS}"
_SHARED_DUTY = re.compile(rf"(?:{either('等')})?(?:{either('按照职责分工负责')}|{either('按职责分工负责')}|{either('负责')})\s*$")
_ROLE_LEAD = re.compile(rf"^(?P<names>.+?)(?:{either('牵头负责')}|{either('牵头')})\s*$", re.S)
_ROLE_SUPPORT = re.compile(rf"^(?P<names>.+?)(?:{_alternatives(('配合', '参与', '协办', '协助'))})\s*$", re.S)
_ROLE_DUTY = re.compile(rf"^(?P<names>.+?){_SHARED_DUTY.pattern}", re.S)
_VERB_CLAUSE = re.compile(rf"^[^，,；;:：]+?(?:{either('牵头')})(?:{either('负责')})?\s*(?:[，,；;]|$)")
_GROUP_CLAUSE = re.compile(rf"^[^，,；;:：。]{{2,30}}(?:{_alternatives(('责任单位', '有关单位', '有关部门'))})$")
_FIRST_LEADS = re.compile(
    rf"[（(]\s*{either('第一责任单位为牵头单位')}(?P<onwards>[^）)]*)[）)]"
    rf"|[；;，,]?\s*{either('第一责任单位为牵头单位')}(?P<onwards2>[^；;）)]*)$")
_UNIT_ENDINGS = ("局", "委", "厅", "办", "院", "会", "司", "中心", "政府", "部门", "单位", "行", "所", "队", "处", "室",
                 "站", "馆", "社", "署", "部", "团", "组", "关", "公司", "机构")
_PLACE_SUFFIX = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,3}?)(?P<suffix>[市县区][\u4e00-\u9fff]*(?:政府|委员会|管委会))$")


@dataclass(frozen=True, slots=True)
class Units:
    """What a units clause says. Names are as printed, whitespace removed.

    `first_leads` is "this" when the clause says its first 责任单位 leads,
    "onwards" when it adds 下同 (the rule holds for the measures after it).
    """

    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    deadline_phrase: str | None = None
    unsure: tuple[str, ...] = ()
    first_leads: str = ""


def is_units_clause(s: str) -> bool:
    """True if `s` names units: a 牵头/责任/配合… label with a colon, or the form "X牵头(负责)，…".

    A section's "领域牵头单位：…" is a units clause too.
    """
    return _UNIT_LABEL.search(s) is not None or _VERB_CLAUSE.match(s.strip()) is not None


def is_group_clause(s: str) -> bool:
    """An unlabelled bracket naming a group of units: "打击证券违法活动市有关责任单位"."""
    return _GROUP_CLAUSE.match(_WHITESPACE.sub("", s)) is not None


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
    """"X等Y" → ("X", "Y") when Y names a group; "X等" → ("X",); otherwise (name,)."""
    head, sep, tail = name.partition("等")
    if head and tail and any(word in tail for word in _GROUP_WORDS):
        return head, tail
    if name.startswith("等") and len(name) > 1:
        return (name[1:],)
    if name.endswith("等") and len(name) > 1:
        return (name[:-1],)
    return (name,)


def _shared_suffix(names: list[str]) -> list[str]:
    """"济南", "青岛", "烟台市政府" → each with 市政府: bare place names sharing the last name's suffix."""
    if len(names) < 2 or not (m := _PLACE_SUFFIX.match(names[-1])):
        return names
    heads = names[:-1]
    if all(2 <= len(h) <= 3 and not h.endswith(_UNIT_ENDINGS) and h[-1] not in "市县区省" for h in heads):
        return [h + m["suffix"] for h in heads] + [names[-1]]
    return names


def split_units(s: str) -> tuple[str, ...]:
    """The unit names of a bare list ("市发展改革委、国网聊城供电公司"), in order."""
    names: list[str] = []
    for piece in _top_level(s, _ENTRY_SEPARATORS):
        name = _WHITESPACE.sub("", piece)
        if name:
            names.extend(n for n in _qualified(name) if n)
    return tuple(_shared_suffix(names))


def _labelled(part: str) -> Iterator[tuple[str | None, str, str]]:
    """(kind, label, text) for each labelled stretch of a part; kind None for unlabelled text,
    "unknown" for the text of a label the importer does not know."""
    marks = [(m.start(), m.end(), m.lastgroup or "", m.group(m.lastgroup or 0)) for m in _LABEL.finditer(part)]
    known = [(a, b) for a, b, _, _ in marks]
    for m in _ANY_LABEL.finditer(part):
        start = m.start(1) if m.group(1) else m.start(2)
        if not any(a <= start < b or a <= m.end() - 1 < b for a, b in known) and not _inside_brackets(part, start):
            marks.append((start, m.end(), "unknown", m.group(1) or m.group(2)))
    marks.sort()
    head = part[: marks[0][0]] if marks else part
    if head.strip(_TRIM):
        yield None, "", head
    ends = [m[0] for m in marks[1:]] + [len(part)] if marks else []
    for (_start, end_label, kind, label), end in zip(marks, ends, strict=True):
        yield kind, _WHITESPACE.sub("", label), part[end_label:end]


def _inside_brackets(s: str, pos: int) -> bool:
    depth = 0
    for ch in s[:pos]:
        depth += (ch in _OPENERS) - (ch in _CLOSERS and depth > 0)
    return depth > 0


def _duplicate_notes(clause: str) -> list[str]:
    return [
        f"{_WHITESPACE.sub('', m.group(0))}: the same character on both sides of a line break, kept as printed"
        for m in _BROKEN_DUPLICATE.finditer(clause)
    ]


def _by_role(text: str) -> tuple[str, list[str]] | None:
    """("lead" | "responsible", names) of "X牵头(负责)", "Y、Z配合", "Y按职责分工负责"; None otherwise."""
    text = text.strip(_TRIM)
    for role, pattern in (("lead", _ROLE_LEAD), ("responsible", _ROLE_SUPPORT), ("responsible", _ROLE_DUTY)):
        if (m := pattern.match(text)) and m["names"].strip(_TRIM):
            return role, list(split_units(m["names"]))
    return None


def parse_units(clause: str) -> Units:
    """Lead and responsible units, the deadline phrase, and notes on anything doubtful.

    `clause` is the content of a unit clause, brackets removed (module docstring).
    Never raises; a part it cannot read is an unsure note.
    """
    found: dict[str, list[str]] = {"lead": [], "responsible": []}
    seen: list[str] = []
    deadline: str | None = None
    unsure: list[str] = []
    first_leads = ""
    if m := _FIRST_LEADS.search(clause):
        first_leads = "onwards" if "下同" in (m["onwards"] or m["onwards2"] or "") else "this"
        clause = clause[: m.start()] + clause[m.end():]
    for part in _top_level(clause, _PART_SEPARATORS):
        for kind, label, text in _labelled(part):
            if kind is None:
                for piece in _top_level(text, "，,"):
                    if not piece.strip(_TRIM):
                        continue
                    role = _by_role(piece)
                    if role:
                        found[role[0]].extend(role[1])
                        continue
                    whole = _WHITESPACE.sub("", piece.strip(_TRIM))
                    found["responsible"].append(whole)
                    unsure.append(f"{whole}: no 牵头/责任 label, read as a responsible entry")
                continue
            if kind == "unknown":
                unsure.append(f"unknown label {label}：{_WHITESPACE.sub('', text.strip(_TRIM))} not read as units")
                continue
            if kind in seen:
                unsure.append(f"{label} given more than once, entries merged")
            seen.append(kind)
            if kind == "deadline":
                deadline = text.strip(_TRIM)
                continue
            names = split_units(_SHARED_DUTY.sub("", text.strip(_TRIM)))
            if not names:
                unsure.append(f"{label} with no unit after it")
            found[kind].extend(names)
    if first_leads and not found["lead"] and found["responsible"]:
        found["lead"].append(found["responsible"].pop(0))
    unsure.extend(_duplicate_notes(clause))
    if not found["lead"] and not found["responsible"] and deadline is None:
        unsure.append("no unit named")
    return Units(
        lead=tuple(found["lead"]),
        responsible=tuple(found["responsible"]),
        deadline_phrase=deadline,
        unsure=tuple(unsure),
        first_leads=first_leads,
    )


# --- unit clauses in brackets inside a measure's text ----------------------------------------------

_CLAUSE_OPENERS = "（(〔"
_CLAUSE_CLOSERS = "）)〕"


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Top-level bracket groups (any of （( 〔 closed by any of ）) 〕), as (start, end) spans."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _CLAUSE_OPENERS:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLAUSE_CLOSERS and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def split_trailing_units(body: str) -> tuple[str, str]:
    """(text, units): the closing unit clause, if the measure ends with one, is taken out."""
    stripped = body.rstrip()
    spans = clause_spans(stripped)
    if spans and spans[-1][1] == len(stripped):
        start, end = spans[-1]
        inner = stripped[start + 1 : end - 1]
        if is_unit_bracket(inner):
            return stripped[:start].rstrip(), inner.strip()
    return body, ""


def is_unit_bracket(inner: str) -> bool:
    """A labelled unit clause, or an unlabelled one: "（市发改委、市住建局等按职责分工负责）",
    "（打击证券违法活动市有关责任单位）"."""
    return is_units_clause(inner) or bool(_SHARED_DUTY.search(inner)) or is_group_clause(inner)


def inner_unit_clauses(text: str) -> list[str]:
    """Unit clauses left inside the text (a measure with several, each after its part)."""
    return [text[s + 1 : e - 1] for s, e in clause_spans(text) if is_unit_bracket(text[s + 1 : e - 1])]
