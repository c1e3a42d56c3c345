"""Repairs of the damage that text extraction left in the source files.

Each repair is small and named, and none changes the words of a measure:
- Markdown residue: heading marks (`## 标题`) and bold marks (`**标题。**`);
- LaTeX residue: `PM_{2.5}` → `PM2.5`;
- a 一 standing for a dash after 配套措施 ("配套措施一开办企业", "配套措施一—X");
- whitespace that PDF extraction put between Chinese characters and digits
  ("7 月底前"), or inside a word broken at a line end ("管理中 心"); a wide
  gap (a signature set apart from its date) becomes one space. A space that
  separates words is kept: around an English word ("购物体验 and 消费品质") and
  between the parts of a quoted name ("“精品微税课 税法好讲师”");
- lines broken inside sentences (joined by `join_lines`).
- junk that a web page's conversion left at line starts ("??为持续优化…"):
  taken off by `strip_junk`, which the importer reports as damage;
- a number printed with a key-task star or an enumeration comma ("1* .",
  "2*.", "3、"): the fidelity check reads it as "1." (`canonical_marker`).
Page furniture (running headers, lone page numbers) is recognised here too.

`canonical` is the yardstick of the fidelity check: it maps a text and its
repaired form to the same string, so comparing canonical forms proves that
the repairs and the segmentation together lost and added nothing.
"""

from __future__ import annotations

import re

_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2018-\u201d\u2026\u3008-\u3011\u3014\u3015"
_HEADING_MARKS = re.compile(r"^\s*#{1,6}\s*")
_BOLD = re.compile(r"\*\*")
_LATEX_SUB = re.compile(r"_\{([^{}]*)\}")
_DASH_AFTER_PEITAO = re.compile(r"^(配套措施)\s*(?:一\s*)?[—－-]*\s*")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]{{1,2}}(?![ \t\u00a0])|(?<![ \t\u00a0])[ \t\u00a0]{{1,2}}(?=[{_CJK}])")
_KEEP = "\x00"
_QUOTED_SPACE = re.compile(r"“[^”“\s]{2,}(?: [^”“\s]{2,})+”")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_WORD_SPACE = re.compile(
    r"(?<=[\u4e00-\u9fff]) (?=[a-z]{2,}\b)|(?<=\b[a-z]{2}) (?=[\u4e00-\u9fff])|(?<=[a-z]{3}) (?=[\u4e00-\u9fff])")
_WIDE_GAP = re.compile(r"[ \t\u00a0\u3000]{3,}")
_PAGE_NUMBER = re.compile(r"^\s*[-—－]?\s*\d{1,3}\s*[-—－]?\s*$")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")
_JUNK_PREFIX = re.compile(r"^[ \t\u3000]*[?？\ufffd]+(?=[ \t\u3000]*[^?？\ufffd\s])")
_ARABIC_MARKER = re.compile(r"^([ \t\u3000#]*)(\d{1,3})[ \t]*\*?[ \t]*[、.．](?!\d)")

# canonical(): everything a repair may add, remove or swap, mapped to one form.
_CANON_MAP = str.maketrans({"（": "(", "〔": "(", "）": ")", "〕": ")", "：": ":", "；": ";", "，": ",", "．": "."})
_CANON_DROP = re.compile(r"[\s*#]|_\{|\}")
_CANON_PEITAO = re.compile(r"配套措施[一—－\-]*")


def strip_junk(line: str) -> tuple[str, str]:
    """(line without junk at its start, the junk): "??二、主要任务" → ("二、主要任务", "??").

    Question marks (or U+FFFD) at the very start of a line, before text, are what a
    web page's character conversion leaves; no plan starts a line with one.
    """
    m = _JUNK_PREFIX.match(line)
    return (line[m.end():], m.group(0).strip()) if m else (line, "")


def canonical_marker(line: str) -> str:
    """A line whose arabic number is printed "1、", "1* ." or "1．", with the number as "1."."""
    return _ARABIC_MARKER.sub(r"\1\2.", line, count=1)


def repair_line(line: str) -> str:
    """Repair one physical line: junk at its start, Markdown and LaTeX residue, the 配套措施 dash, stray spaces."""
    line = strip_junk(line)[0]
    line = _HEADING_MARKS.sub("", line)
    line = _BOLD.sub("", line)
    line = _LATEX_SUB.sub(r"\1", line)
    line = _DASH_AFTER_PEITAO.sub(r"\1—", line)
    line = _QUOTED_SPACE.sub(lambda m: _CJK_SPACE.sub(_KEEP, m.group(0)), line.strip())
    line = _WORD_SPACE.sub(lambda m: m.group(0).replace(" ", _KEEP), line)
    line = _SPACE_NEAR_CJK.sub("", line).replace(_KEEP, " ")
    return _WIDE_GAP.sub(" ", line)


def is_page_number(line: str) -> bool:
    """A lone page number such as "25" or "— 3 —"."""
    return bool(_PAGE_NUMBER.match(line))


def join_lines(lines: list[str]) -> str:
    """Join the repaired physical lines of one paragraph.

    Chinese has no spaces between words, so a line break inside a sentence is
    simply removed; between two ASCII words it stands for a space, but not
    inside a number ("202" / "4年9月底前" is 2024年).
    """
    out = ""
    for line in lines:
        if out and _ASCII_WORD_END.search(out) and _ASCII_WORD_START.match(line) and not (
                out[-1].isdigit() and line[0].isdigit()):
            out += " "
        out += line
    return out


def canonical(text: str) -> str:
    """The form in which a source and its catalogue entry must be identical."""
    text = text.translate(_CANON_MAP)
    text = _CANON_PEITAO.sub("配套措施-", text)
    return _CANON_DROP.sub("", text)
