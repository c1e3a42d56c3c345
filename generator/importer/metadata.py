"""A plan's metadata read from its own text: title, issuer, date of issue, 文号 (doc number).

Taken from the plan itself, never from an addressee line, a navigation row or a
document the preamble cites (国办发〔2023〕21号 in "为落实《…》（国办发〔2023〕21号）" is
another document's number). Every value found is a guess listed as unsure with
its source line; every value not printed is listed too.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from generator.importer import paragraphs as P
from generator.importer.script import simplified

if TYPE_CHECKING:
    from generator.importer.report import Report

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
_ISSUE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_TITLE_WORDS = re.compile(r"(方案|行动|计划|措施|意见|任务|细则|办法|举措|要点|清单|若干规定)$")
_YEAR_RANGE = re.compile(r"[（(]\d{4}\s*[—–\-－~至]+\s*\d{4}\s*年?[）)]$")
_DOC_NUMBER_LABEL = re.compile(r"(?:发文字号|文号)\s*[:：]?\s*([\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号)")
_DOC_NUMBER_LINE = re.compile(r"^\s*[\u4e00-\u9fff]{1,10}[〔\[［]\d{4}[〕\]］]\s*\d+\s*号\s*$")


def title(front: list[P.Line], headers: tuple[str, ...]) -> str:
    """The plan's own title: the last short line of the front matter that ends like a title
    (方案, 计划, 措施 …, a year range such as "（2024—2026年）" allowed after it), never an
    addressee line, a notice's title (关于印发…的通知) or a cited title (《…》)."""
    candidates = [
        line.text for line in front
        if len(line.text) <= 50 and _TITLE_WORDS.search(_YEAR_RANGE.sub("", simplified(line.text)))
        and "《" not in line.text and "关于" not in line.text and P.kind_of(line.text) == "plain"
        and not line.text.endswith(("：", ":", "。"))
    ]
    if candidates:
        return candidates[-1]
    if headers:
        return headers[0]
    plain = [line.text for line in front if P.kind_of(line.text) == "plain" and not line.text.endswith(("：", ":"))]
    return plain[0] if plain else ""


def doc_number(front: list[list[P.Line]], report: Report) -> str:
    """The plan's 文号: a front line that is only a number ("聊政办字〔2022〕13号"), or the
    number after a 发文字号/文号 label of a page's metadata row. A number inside a sentence
    cites another document (国办发〔2023〕21号) and is noted, never taken."""
    for para in front:
        for line in para:
            text = line.text
            if m := _DOC_NUMBER_LABEL.search(text):
                return m.group(1)
            if _DOC_NUMBER_LINE.match(text):
                return text.strip()
    for para in front:
        for line in para:
            for m in _DOC_NUMBER.finditer(line.text):
                report.note(line.number, f"document number {m.group(0)} is cited in a sentence: it is another "
                                         "document's, not taken as this plan's")
    return ""


def issuer(preamble: list[str], closing: list[P.Paragraph]) -> str:
    """The issuing bodies: the lines right above the date of issue."""
    texts = preamble + [p.text for p in closing]
    for i, text in enumerate(texts):
        if _ISSUE_DATE.match(text):
            issuers = []
            for above in reversed(texts[:i]):
                if len(above) > 20 or not re.search(r"(政府|办公室|办公厅|委员会|党委|区委)$", above):
                    break
                issuers.insert(0, above)
            return "、".join(issuers)
    return ""


def issue_date(texts: list[str]) -> dt.date | None:
    """The first paragraph that is only a date ("2024年3月8日"), as a date; None when there is none."""
    for text in texts:
        if m := _ISSUE_DATE.match(text):
            return dt.date(*(int(x) for x in m.groups()))
    return None


def note_guesses(doc: dict, front: list[P.Line], closing: list[P.Paragraph], report: Report) -> None:
    """Every metadata value read from the text is a guess: listed as unsure with its source line."""
    lines = front + [line for para in closing for line in para.lines]
    date = f"{doc['date'].year}年{doc['date'].month}月{doc['date'].day}日" if doc["date"] else ""
    for key, value in (("title", doc["title"]), ("issuer", doc["issuer"].split("、")[0]), ("date", date),
                       ("doc_number", doc["doc_number"])):
        if not value:
            continue
        line = next((x.number for x in lines if x.text == value), 0) or next(
            (x.number for x in lines if value in x.text), 0)
        report.note(line, f"document {key} «{doc[key]}» read from this line: check it against the published document")


def note_metadata(doc: dict, report: Report) -> None:
    """A note for each of issuer, date and doc number the text does not print."""
    for key in ("issuer", "date", "doc_number"):
        if not doc[key]:
            report.note(0, f"document {key} not printed in the source; fill it in if known from the published document")
