"""Paragraphs → one document of the catalogue (a YAML-ready dict) and a report.

The structure is read from the text itself, which covers the four layouts of
the plans (TAXONOMY.md):
- "配套措施—X" sections with numbers restarting per section (山东省, 潍坊市 annex);
- "（一）X领域（领域牵头单位：…）" sections numbered straight through (聊城市);
- themed sections with numbered items, each holding titled, unnumbered
  sub-measures that close with their 责任单位 (济南市);
- themed sections with numbered measures and 完成时限 (历城区).
Numbered paragraphs of main-task and organisational chapters ("（一）加强组织领导。…")
are measures too.

The general rule behind them, which also reads plans of other places
(tests/importer_cases): the body starts at the first chapter that is not a
goals chapter (总体要求, 工作目标 …), at the first 配套措施 section, or at the
first numbered paragraph. Each numbering marker (一、 （一） 1. （1） ① 第一条)
takes a nesting level in the order the plan uses them; a numbered paragraph
followed by a deeper one is a heading (kept in the measures' section path),
and one that is not is a measure. A numbered item that is only a title and is
followed by unnumbered paragraphs holds titled sub-measures (济南); an item
whose text holds inline （1）（2） parts that each close with a unit clause is
split into those sub-measures. Unit and time labels on their own lines after
a measure belong to it.
"""

from __future__ import annotations

import re

from generator.importer import metadata as M
from generator.importer import paragraphs as P
from generator.importer.classify import Classifier
from generator.importer.measures import Measures
from generator.importer.paragraphs import looks_like_measure
from generator.importer.repair import strip_junk
from generator.importer.report import Report
from generator.importer.script import either, is_traditional

_FRONT_WORDS = ("总体要求", "指导思想", "总体目标", "工作目标", "主要目标", "基本原则", "工作原则", "发展目标",
                "目标要求", "总体思路", "目标任务", "适用范围")
_FRONT_CHAPTER = re.compile(rf"^[{P.CN_NUM}]+、\s*(?:{'|'.join(either(w) for w in _FRONT_WORDS)})")



def build_document(slug: str, source: str, *, jurisdiction: str, year: int, source_path: str,
                   classifier: Classifier, reforms: list[dict]) -> tuple[dict, Report]:
    """One plan's text → (document dict ready for yamlwrite, report).

    Never raises on a text it does not understand: the report's `errors` then
    name the source lines, and the caller must not write the document.
    """
    report = Report()
    report.traditional = is_traditional(source)
    _note_damage(source, report)
    lines = P.repaired_lines(source)
    headers = P.find_running_headers(lines, lines[_body_start(lines):])
    content, report.furniture_lines = P.split_furniture(lines, headers)
    start = _body_start(content)
    front, body = content[:start], content[start:]
    paras = _merge_stray_signatures(P.paragraphs(body, sub_measures=_has_sub_measures(body)))
    closing = _trailing_signatures(paras)
    front_paras = P.preamble_paragraphs(front)
    preamble = [P.join_lines([x.text for x in para]) for para in front_paras]
    measures = Measures(slug, year, classifier, reforms, report).build(paras[: len(paras) - len(closing)])
    doc = {
        "slug": slug,
        "title": M.title(front, headers),
        "jurisdiction": jurisdiction,
        "year": year,
        "source": source_path,
        "issuer": M.issuer(preamble, closing),
        "doc_number": M.doc_number(front_paras, report),
        "date": M.issue_date(preamble + [p.text for p in closing]),
        "running_headers": list(headers),
        "preamble": preamble,
        "closing": [p.text for p in closing],
        "measures": measures,
    }
    M.note_metadata(doc, report)
    M.note_guesses(doc, front, closing, report)
    _check_understood(doc, front_paras, closing, body, report)
    for para in front_paras:
        for line in para:
            report.roles.setdefault(line.number, "preamble")
    for para in closing:
        for line in para.lines:
            report.roles[line.number] = "closing"
    for number in report.furniture_lines:
        report.roles[number] = "furniture"
    return doc, report


def _note_damage(source: str, report: Report) -> None:
    """Junk at line starts (a web page's conversion) is taken off and reported as damage."""
    junk = [(n, j) for n, raw in enumerate(source.splitlines(), start=1) if (j := strip_junk(raw)[1])]
    for number, text in junk:
        report.damage.append((number, f"junk {text!r} at the start of the line taken off"))
    if junk:
        report.note(junk[0][0], f"damage: {len(junk)} line(s) start with junk such as {junk[0][1]!r} "
                                "(a web page's conversion); taken off, the rest of each line kept")


def _check_understood(doc: dict, front: list[list[P.Line]], closing: list[P.Paragraph],
                      body: list[P.Line], report: Report) -> None:
    """Refuse what the importer did not understand: no measure, or a measure-like paragraph
    left in the preamble or closing."""
    if not doc["measures"]:
        where = body[0].number if body else (front[0][0].number if front else 1)
        report.refuse(where, "no measure found. Expected numbered paragraphs (一、 / （一） / 1. / （1） / ① / "
                             "第一条) under the plan's chapters, with unit clauses or deadlines; the layout of "
                             "this plan is not one the importer reads. Add a case to tests/importer_cases/ "
                             "and teach the importer, or report the layout")
    for para in front:
        text = P.join_lines([x.text for x in para])
        if reason := looks_like_measure(text):
            report.refuse(para[0].number, f"a paragraph of the preamble looks like a measure ({reason}): "
                                          f"«{text[:40]}». The importer did not see where the measures start")
    for para in closing:
        if reason := looks_like_measure(para.text):
            report.refuse(para.first_line, f"a paragraph of the closing looks like a measure ({reason}): "
                                           f"«{para.text[:40]}»")


def _body_start(content: list[P.Line]) -> int:
    """The first line of the body: a chapter that is not a goals chapter, a 配套措施
    section, or else the first numbered paragraph."""
    for i, line in enumerate(content):
        if P.PEITAO.match(line.text) or (P.CHAPTER.match(line.text) and not _FRONT_CHAPTER.match(line.text)):
            return i
    first = next((i for i, line in enumerate(content)
                  if P.kind_of(line.text) in ("numbered", "pnum", "article") or P.is_table_header(line.raw)), len(content))
    # measures under a goals chapter: that chapter is their section, not preamble
    chapter = next((i for i in range(first - 1, -1, -1) if P.CHAPTER.match(content[i].text)), None)
    return chapter if chapter is not None and first < len(content) else first


def _has_sub_measures(body: list[P.Line]) -> bool:
    """Numbered items that are only a title, followed by unnumbered text (济南)."""
    for i, line in enumerate(body[:-1]):
        para = P.Paragraph("numbered", [line])
        if (P.NUMBERED.match(line.text) and P.is_bare_title(para) and P.kind_of(body[i + 1].text) == "plain"
                and not P.is_clause_line(body[i + 1].text)):
            return True
    return False


def _merge_stray_signatures(paras: list[P.Paragraph]) -> list[P.Paragraph]:
    """A signature-like line before the end is part of the paragraph before it."""
    last_content = max((i for i, p in enumerate(paras) if p.kind != "signature"), default=-1)
    out: list[P.Paragraph] = []
    for i, para in enumerate(paras):
        if para.kind == "signature" and i < last_content and out:
            out[-1].lines.extend(para.lines)
        else:
            out.append(para)
    return out


def _trailing_signatures(paras: list[P.Paragraph]) -> list[P.Paragraph]:
    closing: list[P.Paragraph] = []
    for para in reversed(paras):
        if para.kind != "signature":
            break
        closing.insert(0, para)
    return closing
