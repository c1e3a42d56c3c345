"""Source text → paragraphs: physical lines repaired, page furniture set aside,
lines broken inside a sentence joined again.

Extraction breaks lines anywhere, often with a blank line between the halves,
so blank lines say nothing. A paragraph starts where the text says so: a
numbered measure ("12."), a heading ("二、", "（三）", "配套措施—X", "附件："),
a signature line after a finished paragraph, or, in plans whose numbered
items hold unnumbered sub-measures, any line after a finished sub-measure.

Numbering markers (kinds), in whatever nesting a plan uses:
- chapter `一、`, paren `（一）`, numbered `1.` / `1．` / `1、` / `1* .` (a star marks
  a key task), pnum `（1）`, circled `①`, article `第一条`;
- peitao `配套措施—X` and annex `附件：` headings;
- unitline: a unit or time label on its own line after a measure
  (`责任单位：…`, `时限要求：…`), in either script;
- a 任务分工表 flattened to text: tablehead "序号 任务 牵头单位 责任单位 完成时限"
  (read on the raw line: its cells are separated by whitespace) and one row per
  line after it, "1 推行… 市市场监管局 市公安局 2024年6月底前".
Chapters are also printed "第一章 总则" (a plan written as articles).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from generator.importer.repair import is_page_number, join_lines, repair_line
from generator.importer.script import either
from generator.importer.units import is_units_clause

CN_NUM = "一二三四五六七八九十"
NUMBERED = re.compile(r"^(\d{1,3})\s*\*?\s*[.．、](?!\d)\s*")
PAREN = re.compile(rf"^[（(]([{CN_NUM}]+)[）)]\s*")
PNUM = re.compile(r"^[（(](\d{1,2})[）)]\s*")
CIRCLED = re.compile(r"^([\u2460-\u2473])\s*")
ARTICLE = re.compile(rf"^(第[{CN_NUM}百零〇]+条)\s*")
UNIT_LINE_LABELS = ("牵头单位", "牵头部门", "责任单位", "责任部门", "配合单位", "配合部门", "参与单位", "协办单位",
                    "时限要求", "完成时限", "完成时间", "完成期限", "时间要求", "时间节点")
UNIT_LINE = re.compile(rf"^(?:{'|'.join(either(w) for w in UNIT_LINE_LABELS)})\s*[:：]")
CHAPTER = re.compile(rf"^(?:([{CN_NUM}]+)、|第([{CN_NUM}]+)章)")
TABLE_HEADER = re.compile(r"^[ \t\u3000]*序[ \t\u3000]*号[ \t\u3000]+\S")
TABLE_ROW = re.compile(r"^[ \t\u3000]*(\d{1,3})[ \t\u3000]+\S")
TABLE_COLUMNS = re.compile(r"任务|措施|事项|内容|牵头|责任|配合|时限|时间")
PEITAO = re.compile(r"^配套措施")
ANNEX = re.compile(r"^附件[：:]")
DATE_LINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_CLOSED = ("。", "）", ")", "〕", "：", ":", "；")
_SENTENCE = re.compile(r"[。；]")
_INNER_MARK = re.compile(r"[，、,]")
_META_ROW = re.compile(r"^索引号|发文字号|成文日期|发布日期|发文机关")


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based line number in the source file
    text: str  # repaired
    raw: str = ""  # as in the source


@dataclass(slots=True)
class Paragraph:
    kind: str  # chapter | paren | peitao | annex | numbered | pnum | circled | article | unitline | plain | signature
    lines: list[Line]
    number: str = ""  # "12" for numbered, "三" for chapter and paren paragraphs

    @property
    def text(self) -> str:
        return join_lines([line.text for line in self.lines])

    @property
    def first_line(self) -> int:
        return self.lines[0].number


@dataclass(frozen=True, slots=True)
class Furniture:
    running_headers: tuple[str, ...]
    lines: tuple[int, ...]  # source line numbers set aside as page furniture


def repaired_lines(source: str) -> list[Line]:
    """Every non-blank physical line, repaired, with its 1-based line number."""
    out = []
    for number, raw in enumerate(source.splitlines(), start=1):
        text = repair_line(raw)
        if text:
            out.append(Line(number, text, raw))
    return out


def find_running_headers(lines: list[Line], body: list[Line]) -> tuple[str, ...]:
    """Short lines repeated verbatim, in the body too: the page headers of the
    printed document. (Issuer lines repeated in a notice's head and signature
    are not in the body, and stay content: the body ends at its last numbered
    paragraph, so a signature after it does not count.)"""
    counts = Counter(line.text for line in lines)
    last = max((i for i, line in enumerate(body) if kind_of(line.text) not in ("plain", "unitline")), default=len(body) - 1)
    in_body = {line.text for line in body[: last + 1]}
    return tuple(
        text
        for text, n in counts.items()
        if n >= 2 and text in in_body and len(text) <= 40 and kind_of(text) == "plain" and not _SENTENCE.search(text)
    )


def split_furniture(lines: list[Line], running_headers: tuple[str, ...]) -> tuple[list[Line], list[int]]:
    """Separate page furniture (running headers, lone page numbers) from content."""
    content, furniture = [], []
    for line in lines:
        if line.text in running_headers or is_page_number(line.text):
            furniture.append(line.number)
        else:
            content.append(line)
    return content, furniture


def kind_of(text: str) -> str:
    for kind, pattern in (
        ("numbered", NUMBERED),
        ("paren", PAREN),
        ("pnum", PNUM),
        ("circled", CIRCLED),
        ("article", ARTICLE),
        ("unitline", UNIT_LINE),
        ("chapter", CHAPTER),
        ("peitao", PEITAO),
        ("annex", ANNEX),
    ):
        if pattern.match(text):
            return kind
    return "plain"


def _is_signature(text: str) -> bool:
    """A signature, date or issuing line: short, no sentence in it."""
    short = len(text) <= 30 and not _SENTENCE.search(text)
    return short or (len(text) <= 60 and bool(DATE_LINE.search(text)) and not _SENTENCE.search(text))


def is_bare_title(paragraph: Paragraph) -> bool:
    """A numbered item that is only its title ("1. 持续放宽市场准入。"): its sub-measures follow."""
    body = NUMBERED.sub("", paragraph.text)
    return body.endswith("。") and body.count("。") == 1 and len(body) <= 40


def paragraphs(lines: list[Line], *, sub_measures: bool) -> list[Paragraph]:
    """Group content lines into paragraphs (see the module docstring)."""
    out: list[Paragraph] = []
    in_table = False
    for line in lines:
        kind = kind_of(line.text)
        prev = out[-1] if out else None
        if is_table_header(line.raw):
            in_table = True
            out.append(Paragraph("tablehead", [line]))
            continue
        if in_table and (m := TABLE_ROW.match(line.raw)):
            out.append(Paragraph("row", [line], m.group(1)))
            continue
        in_table = False
        if kind == "unitline" and (prev is None or _open_bracket(prev.text)
                                   or not (prev.kind == "unitline" or prev.text.endswith(_CLOSED))):
            kind = "plain"  # a label inside a clause broken across lines, or in a sentence
        closed = prev is not None and prev.text.endswith(_CLOSED) and not _open_bracket(prev.text)
        if kind == "plain" and prev is not None and prev.kind == "unitline":
            if prev.text.endswith(("、", "，", ",")):
                prev.lines.append(line)
                continue
            out.append(Paragraph("signature" if _is_signature(line.text) else "plain", [line]))
            continue
        if kind == "plain":
            if prev is None:
                out.append(Paragraph("plain", [line]))
                continue
            if (closed or prev.kind == "signature") and _is_signature(line.text) and not is_clause_line(line.text):
                kind = "signature"
            elif sub_measures and prev.kind in ("plain", "numbered") and not is_clause_line(line.text) and (
                _ends_with_units(prev.text) or (prev.kind == "numbered" and is_bare_title(prev))
            ):
                kind = "plain"
            else:
                prev.lines.append(line)
                continue
        number = _number(kind, line.text)
        out.append(Paragraph(kind, [line], number))
    return out


def is_clause_line(text: str) -> bool:
    """A line that opens a bracket naming units: the end of the measure above it, broken off
    ("（牵头单位：市市场监管局）" on a line of its own), never a signature."""
    return text[:1] in "（(〔" and (is_units_clause(text[1:]) or bool(re.search(r"牵头|负责|责任", text)))


def is_table_header(raw: str) -> bool:
    """A 任务分工表's header row: 序号 and at least two more column names, separated by whitespace."""
    if not TABLE_HEADER.match(raw):
        return False
    cells = table_cells(raw)
    return len(cells) >= 3 and sum(bool(TABLE_COLUMNS.search(c)) for c in cells) >= 2


def table_cells(raw: str) -> list[str]:
    """The cells of a table row flattened to text (whitespace between cells)."""
    return [repair_line(c) for c in re.split(r"[ \t\u3000]+", raw.strip()) if c]


def _open_bracket(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in "（(〔":
            depth += 1
        elif ch in "）)〕" and depth:
            depth -= 1
    return depth > 0


def _number(kind: str, text: str) -> str:
    pattern = {"numbered": NUMBERED, "paren": PAREN, "chapter": CHAPTER, "pnum": PNUM, "circled": CIRCLED,
               "article": ARTICLE}.get(kind)
    if pattern is None:
        return ""
    m = pattern.match(text)
    return next((g for g in m.groups() if g), "")


_UNITS_END = re.compile(r"[（(〔][^（(〔]*?(?:牵头|责任)(?:部门|单位)[^）)〕]*[）)〕]\s*$")


def _ends_with_units(text: str) -> bool:
    return bool(_UNITS_END.search(text))


def preamble_paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Paragraphs of the front matter: a line continues the previous one when
    that one stops mid-sentence after a full line (a page or column break, or
    the 28-character lines of an official A4 document), and the line is not a
    heading. A line is full at 30 characters, or at 20 when it holds a comma
    or other sentence-internal mark (a title holds none)."""
    out: list[list[Line]] = []
    for line in lines:
        prev = out[-1][-1].text if out else ""
        full = len(prev) >= 30 or (len(prev) >= 20 and bool(_INNER_MARK.search(prev)))
        whole = bool(_META_ROW.search(prev) or _META_ROW.search(line.text)) or prev.endswith(("通知", "决定", "函"))
        if full and not whole and not prev.endswith(_CLOSED + ("！", "？", "”")) and kind_of(line.text) == "plain":
            out[-1].append(line)
        else:
            out.append([line])
    return out


_ARABIC_START = re.compile(r"^\d{1,3}\s*\*?\s*[.．、](?!\d)")


def looks_like_measure(text: str) -> str:
    """Why a paragraph outside the measures looks like one ("numbered 3.", "unit clause «…»"), or ""."""
    if m := _ARABIC_START.match(text):
        return f"numbered {m.group(0)}"
    if UNIT_LINE.match(text):
        return "a unit or time label"
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "（(〔":
            depth, start = depth + 1, (i if depth == 0 else start)
        elif ch in "）)〕" and depth:
            depth -= 1
            if depth == 0 and is_units_clause(inner := text[start + 1 : i]):
                return f"unit clause «{inner[:20]}»"
    return ""
