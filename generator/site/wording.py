"""How the site words things, defined once: dates, labels, citations, deadlines, pinyin of reform names."""

from __future__ import annotations

import datetime as dt

from pypinyin import Style, pinyin

from generator.model import Deadline, Document, Jurisdiction, Measure

SITE_NAME = "山东省优化营商环境举措目录"
SNIPPET_CHARS = 80
LEVEL_NAMES = {"province": "省", "city": "市", "district": "区（县）"}
KIND_NAMES = {"indicator": "评价指标", "sub-indicator": "二级指标", "area": "其他领域"}
DEADLINE_KIND_NAMES = {"recurring": "定期", "ongoing": "长期"}


def cn_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def shown_label(measure: Measure) -> str:
    """The label as a reader sees it: "3", "3（2）", or "（一）" for paragraphs numbered 一、二…"""
    return measure.label if measure.number.isascii() else f"（{measure.label}）"


def citation(measure: Measure, document: Document, jurisdiction: Jurisdiction, ambiguous: bool) -> str:
    """《title》第3条，济南市，2021年5月10日。 — the section is named when the label repeats in the document."""
    where = f"“{measure.section[-1]}”" if ambiguous else ""
    item = f"第{measure.label}条" if measure.number.isascii() else shown_label(measure)
    when = cn_date(document.date) if document.date else f"{document.year}年"
    return f"《{document.title}》{where}{item}，{jurisdiction.name}，{when}。"


def full_citation(measure: Measure, document: Document, jurisdiction: Jurisdiction, ambiguous: bool) -> str:
    """The citation a researcher pastes, before its address and access date: issuer, 《title》, doc number,
    measure number, place, date. 山东省人民政府办公厅《…》（鲁政办字〔2021〕57号）第3条，山东省，2021年5月10日。
    Parts the document does not print (issuer, doc number) are left out, never invented."""
    number = f"（{document.doc_number}）" if document.doc_number else ""
    rest = citation(measure, document, jurisdiction, ambiguous).removeprefix(f"《{document.title}》")
    return f"{document.issuer}《{document.title}》{number}{rest}"


def page_title(measure: Measure, document: Document, jurisdiction: Jurisdiction) -> str:
    """A measure page's title, as a chat preview shows it: measure title · place · plan."""
    return f"{short_title(measure)} · {jurisdiction.name} · {document.title}"


def short_title(measure: Measure) -> str:
    """The measure's title without its closing punctuation: "压缩开办时间"."""
    return measure.title.rstrip("。．.；;：:，, ") or measure.title


def head_and_body(measure: Measure) -> tuple[str, str]:
    """The measure's text split after its title sentence, so a page shows the title once, in bold:
    ("压缩开办时间。", "企业开办时间…"). Nothing is dropped: head + body is the whole text, unless
    the text does not start with the title, when the head is the title and the body the whole text."""
    if not measure.text.startswith(measure.title):
        return measure.title, measure.text
    end = len(measure.title)
    if measure.text[end : end + 1] in ("。", "："):
        end += 1
    return measure.text[:end], measure.text[end:]


def reform_pinyin(name: str, plain: bool = False) -> str:
    """Pinyin of a reform name in context (一网通办 → yī wǎng tōng bàn); `plain`: without tones or spaces."""
    if plain:
        return "".join(s[0] for s in pinyin(name, style=Style.NORMAL, errors=lambda chars: [""] * len(chars)))
    return " ".join(s[0] for s in pinyin(name, style=Style.TONE, errors="ignore"))


def snippet(measure: Measure, limit: int = SNIPPET_CHARS) -> str:
    """The start of the measure's text after its title, at most `limit` characters."""
    text = measure.text
    if text.startswith(measure.title):
        text = text[len(measure.title):].lstrip("。.，,：: ")
    text = text or measure.text
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def deadline_text(deadline: Deadline) -> str:
    """A deadline for readers: "2021年6月30日（6月底前）", "每月20日前（定期）"."""
    if deadline.date:
        return f"{cn_date(deadline.date)}（{deadline.phrase}）"
    return f"{deadline.phrase}（{DEADLINE_KIND_NAMES.get(deadline.kind, deadline.kind)}）"


def deadline_cell(deadline: Deadline) -> str:
    """A deadline in a data cell (CSV, spreadsheets): the ISO date first, so it sorts: "2021-06-30 6月底前",
    "每月20日前(recurring)"."""
    if deadline.date:
        return f"{deadline.date.isoformat()} {deadline.phrase}"
    return f"{deadline.phrase}({deadline.kind})"
