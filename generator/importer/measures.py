"""Numbered paragraphs -> measure records: nesting levels, section paths, ids, units, deadlines, domains.

`Measures(...).build(paragraphs)` reads the body of a plan (after the preamble,
before the closing signature) as build.py's docstring describes; every place it
is unsure of goes to the Report, every place it cannot read is refused there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.importer import paragraphs as P
from generator.importer.classify import Classifier
from generator.importer.deadlines import deadline_to_yaml, find_deadlines
from generator.importer.report import Report
from generator.importer.script import either, simplified
from generator.importer.units import (
    inner_unit_clauses,
    parse_units,
    split_trailing_units,
    split_units,
)

_ORGANISATION = re.compile(either("保障"))
_INLINE_SUB = re.compile(r"[（(](\d{1,2})[）)]|[\u2460-\u2473]")
_LEAF_KINDS = ("paren", "numbered", "pnum", "circled", "article")
_BOLD_TITLE = re.compile(r"^\s*\d{1,3}\s*[.．]\s*\*\*(.+?)\*\*")
_SECTION_LEAD = re.compile(r"[（(]领域牵头单位[:：](.*?)[）)]?$")
_SHARED_DUTY = re.compile(r"等?按照?职责分工负责$")


@dataclass
class _Item:
    """A numbered item holding sub-measures: its number, heading, nesting level and count."""

    number: str
    heading: str
    level: int = 0
    subs: int = 0


@dataclass
class _Piece:
    """One measure to make: its paragraph (or an inline part of one) and the unit lines after it."""

    para: P.Paragraph
    tails: list[P.Paragraph] = field(default_factory=list)
    inline: bool = False  # an inline （1） part: its marker stays in the text


class Measures:
    """Walks the body's paragraphs keeping the heading path, and makes measures."""

    def __init__(self, slug: str, year: int, classifier: Classifier, reforms: list[dict], report: Report):
        self.slug, self.year, self.classifier, self.reforms, self.report = slug, year, classifier, reforms, report
        self.path: list[tuple[int, str, bool]] = []  # (level, heading, names_domain)
        self.stack: list[str] = []  # numbering kinds, outermost first
        self.item: _Item | None = None
        self.counters: dict[str, int] = {}
        self.first_leads_onwards = False
        self.columns: list[str] = []

    def build(self, paras: list[P.Paragraph]) -> list[dict]:
        paras, tails = _attach_unit_lines(paras, self.report)
        restart = _numbers_restart(paras)
        width = 3 if max((int(p.number) for p in paras if p.kind == "numbered"), default=0) >= 100 else 2
        out = []
        for i, para in enumerate(paras):
            nxt = paras[i + 1] if i + 1 < len(paras) else None
            kind = "chapter" if para.kind == "annex" else para.kind
            level = self._level(kind) if kind in ("chapter", "peitao", "tablehead", *_LEAF_KINDS) else len(self.stack)
            if kind == "tablehead":
                self._push(level, " ".join(P.table_cells(para.lines[0].raw)), False)
                self._mark(para, "heading")
                self.columns = P.table_cells(para.lines[0].raw)
            elif kind == "row":
                out.append(self._row_measure(para, width))
            elif kind in ("chapter", "peitao"):
                self._push(level, para.text, kind == "peitao" or self._names_domain(para.text))
                self._mark(para, "heading")
            elif kind in _LEAF_KINDS and nxt is not None and nxt.kind in _LEAF_KINDS and nxt.kind not in self.stack:
                self._push(level, para.text, "领域" in para.text or self._names_domain(para.text))
                self._mark(para, "heading")
                if kind == "numbered":
                    self.item = _Item(para.number, para.text, level)
            elif kind == "numbered" and nxt is not None and nxt.kind == "plain" and P.is_bare_title(para):
                self._push(level, para.text, False)
                self.item = _Item(para.number, para.text, level)
                self._mark(para, "heading")
            elif kind in ("numbered", "paren") and (parts := _inline_parts(para)):
                head, pieces = parts
                self._push(level, head, False)
                self.item = _Item(para.number, head, level)
                for piece in pieces:
                    out.append(self._measure(_Piece(piece, inline=True), self._sub_key(piece)))
                if tails.get(id(para)):
                    self.report.note(para.first_line, "unit lines after inline sub-measures: read with the last one")
            elif kind in _LEAF_KINDS or kind == "plain":
                if kind in _LEAF_KINDS:
                    self._leaf(level)
                key = self._key(para, restart, width)
                if key:
                    out.append(self._measure(_Piece(para, tails.get(id(para), [])), key))
            else:
                self.report.note(para.first_line, f"paragraph of kind {para.kind} not understood; kept as a measure")
                out.append(self._measure(_Piece(para), self._key(para, restart, width) or f"x{para.first_line}"))
        self._check_sequences(paras)
        return out

    def _row_measure(self, para: P.Paragraph, width: int) -> dict:
        """A row of a 任务分工表: number, task, then the unit and time cells the header names."""
        cells = P.table_cells(para.lines[0].raw)
        roles = [_column_role(c) for c in self.columns]
        task_at = roles.index("task") if "task" in roles else 1
        extra = len(cells) - len(self.columns)
        if extra < 0:
            self.report.refuse(para.first_line, f"table row has {len(cells)} cells where the header "
                                                f"«{' '.join(self.columns)}» has {len(self.columns)}: an empty cell? "
                                                "Write 无 in it, or split the row")
            extra = 0
        text = "".join(cells[task_at : task_at + 1 + extra])
        after = cells[task_at + 1 + extra :]
        units = " ".join(after) + "\n"
        lead: list[str] = []
        responsible: list[str] = []
        deadlines: list = []
        for role, cell in zip(roles[task_at + 1 :], after, strict=False):
            if role == "lead":
                lead += split_units(cell)
            elif role == "responsible":
                responsible += split_units(cell)
            elif role == "deadline":
                found, notes = find_deadlines(cell, self.year)
                deadlines += found
                for note in notes:
                    self.report.note(para.first_line, f"date phrase not recognised: {note}")
        found, notes = find_deadlines(text, self.year)
        deadlines = found + deadlines
        title = _title_of(para, text)
        section = [h for _, h, _ in self.path]
        self.report.sections[" > ".join(section)] = self.report.sections.get(" > ".join(section), 0) + 1
        mid = f"{self.slug}-{int(para.number):0{width}d}"
        domain, why = self.classifier.classify(measure_id=mid, sections=[(simplified(h), n) for _, h, n in self.path],
                                               title=simplified(title), item="", text=simplified(text))
        record: dict = {"id": mid, "number": para.number, "section": section, "title": title, "text": text,
                        "units": units}
        _put(record, "lead", lead)
        _put(record, "responsible", responsible)
        _put(record, "deadlines", [deadline_to_yaml(d) for d in deadlines])
        record.update(domain=domain, domain_by=why, line=para.first_line)
        _put(record, "tags", _tags(simplified(title + text), self.reforms))
        self._mark(para, f"measure {mid}")
        return record

    def _level(self, kind: str) -> int:
        """The nesting level of a numbering kind: its place in the stack, or one deeper than the last."""
        if kind == "chapter":
            self.stack = ["chapter"]
            return 0
        if kind in self.stack:
            level = self.stack.index(kind)
            self.stack = self.stack[: level + 1]
            return level
        self.stack.append(kind)
        return len(self.stack) - 1

    def _leaf(self, level: int) -> None:
        """A measure at `level` closes the headings at its level and below."""
        self.path = [p for p in self.path if p[0] < level]
        if self.item is not None and self.item.level >= level:
            self.item = None

    def _names_domain(self, heading: str) -> bool:
        """A heading that is a domain's name or alias and nothing else ("（一）开办企业")."""
        bare = re.sub(rf"^(?:[{P.CN_NUM}]+、|[（(][{P.CN_NUM}]+[）)]|\d{{1,3}}\s*[.．、])\s*", "", simplified(heading))
        return bare.strip("。：: ") in self.classifier.names

    def _mark(self, para: P.Paragraph, role: str) -> None:
        for line in para.lines:
            self.report.roles[line.number] = role

    def _push(self, level: int, heading: str, names_domain: bool) -> None:
        self.path = [p for p in self.path if p[0] < level] + [(level, heading, names_domain)]
        if self.item is not None and self.item.level >= level:
            self.item = None
        self.report.sections.setdefault(" > ".join(h for _, h, _ in self.path), 0)

    def _section_key(self) -> str:
        for _, heading, names_domain in reversed(self.path):
            if names_domain and (domain := self.classifier.section_domain(simplified(heading))):
                return domain
        return f"s{len(self.report.sections)}"

    def _sub_key(self, para: P.Paragraph) -> str:
        if self.item is None:
            self.counters["sub"] = self.counters.get("sub", 0) + 1
            return f"sub-{self.counters['sub']}"
        self.item.subs += 1
        return f"{int(self.item.number):02d}-{self.item.subs}" if self.item.number.isdigit() \
            else f"{self.item.number}-{self.item.subs}"

    def _key(self, para: P.Paragraph, restart: bool, width: int) -> str:
        if para.kind == "plain":
            if self.item is None:
                self.report.note(para.first_line, "unnumbered paragraph outside a numbered item; kept as a measure")
                return f"p{para.first_line}"
            return self._sub_key(para)
        if para.kind in ("pnum", "circled"):
            return self._sub_key(para)
        if para.kind == "article":
            self.counters["art"] = self.counters.get("art", 0) + 1
            return f"art-{self.counters['art']:02d}"
        if para.kind == "paren":
            group = "org" if any(_ORGANISATION.search(h) for _, h, _ in self.path) else "task"
            self.counters[group] = self.counters.get(group, 0) + 1
            return f"{group}-{self.counters[group]}"
        number = f"{int(para.number):0{width}d}"
        return f"{self._section_key()}-{number}" if restart else number

    def _measure(self, piece: _Piece, key: str) -> dict:
        """The record of one measure: text and unit clause apart, units, deadlines, domain, tags, line.

        Long because: the record is assembled field by field in the order the YAML file shows them, and
        each field's unsure cases go to the report where they are found."""
        para = piece.para
        body = para.text
        prefix = {"numbered": P.NUMBERED, "paren": P.PAREN, "article": P.ARTICLE}.get(para.kind)
        if prefix:
            body = prefix.sub("", body, count=1)
        text, units = split_trailing_units(body)
        marker = {"pnum": P.PNUM, "circled": P.CIRCLED}.get(para.kind)
        title = _title_of(para, marker.sub("", text, count=1) if marker else text)
        if not title:
            self.report.note(para.first_line, "no title found")
        clauses = [units] if units else []
        clauses += inner_unit_clauses(text)
        tail_text = [t.text for t in piece.tails]
        clauses += tail_text
        lead, responsible = [], []
        first_leads = self.first_leads_onwards
        for clause in clauses:
            parsed = parse_units(clause)
            lead += [u for u in parsed.lead if u not in lead]
            responsible += [u for u in parsed.responsible if u not in responsible]
            if parsed.first_leads == "onwards":
                self.first_leads_onwards = True
            first_leads = first_leads or bool(parsed.first_leads)
            for note in parsed.unsure:
                self.report.note(para.first_line, f"units: {note}")
        if first_leads and not lead and responsible:
            lead.append(responsible.pop(0))
        if not clauses:
            self.report.note(para.first_line, "measure without lead or responsible units")
        deadlines, unsure = find_deadlines(text, self.year)
        for extra in ([units] if units else []) + tail_text:
            more, more_unsure = find_deadlines(extra, self.year)
            deadlines += more
            unsure += more_unsure
        for note in unsure:
            kind = "validity end, not a deadline" if "validity" in note else "date phrase not recognised"
            self.report.note(para.first_line, f"{kind}: {note}")
        section = [h for _, h, _ in self.path]
        self.report.sections[" > ".join(section)] = self.report.sections.get(" > ".join(section), 0) + 1
        mid = f"{self.slug}-{key}"
        in_item = self.item is not None and (para.kind in ("plain", "pnum", "circled") or piece.inline)
        domain, why = self.classifier.classify(
            measure_id=mid, sections=[(simplified(h), n) for _, h, n in self.path], title=simplified(title),
            item=simplified(self.item.heading) if in_item else "", text=simplified(text))
        if domain == "general" and why == "no rule matched":
            self.report.note(para.first_line, f"{mid}: no domain rule matched; set an override")
        # An unnumbered paragraph outside a numbered item (damage, or a layout not known) keeps number ""
        # (reported above): `check` then asks the reviewer to fill it in.
        number = self.item.number if in_item else (para.number if para.kind not in ("pnum", "circled") else "")
        record: dict = {"id": mid, "number": number}
        if in_item:
            record["sub"] = self.item.subs
        record.update(section=section, title=title, text=text)
        if piece.tails:
            record["units"] = "\n".join(tail_text) + "\n"
        elif units:
            record["units"] = units
        _put(record, "lead", lead)
        _put(record, "responsible", responsible)
        _put(record, "section_lead", self._section_lead())
        _put(record, "deadlines", [deadline_to_yaml(d) for d in deadlines])
        record.update(domain=domain, domain_by=why)
        _put(record, "tags", _tags(simplified(title + text), self.reforms))
        record["line"] = para.first_line
        for line in para.lines:
            self.report.roles.setdefault(line.number, f"measure {mid}")
        for tail in piece.tails:
            for line in tail.lines:
                self.report.roles[line.number] = f"units of {mid}"
        return record

    def _section_lead(self) -> list[str]:
        for _, heading, _ in reversed(self.path):
            if m := _SECTION_LEAD.search(heading):
                return list(split_units(m.group(1)))
        return []

    def _check_sequences(self, paras: list[P.Paragraph]) -> None:
        """Numbers must run 1, 2, 3… within each section, or straight through the plan."""
        expected = 1
        for para in paras:
            if para.kind in ("peitao", "chapter", "annex", "paren", "tablehead") and _numbers_restart(paras):
                expected = 1
            if para.kind != "numbered":
                continue
            if int(para.number) != expected:
                self.report.note(para.first_line, f"number {para.number} where {expected} was expected")
            expected = int(para.number) + 1


def _column_role(name: str) -> str:
    """What a 任务分工表 column holds, from its header: task, lead, responsible, deadline or number."""
    plain = simplified(name)
    for role, words in (("lead", ("牵头",)), ("responsible", ("责任", "配合", "参与", "协办")),
                        ("deadline", ("时限", "时间", "期限")), ("task", ("任务", "措施", "事项", "内容"))):
        if any(w in plain for w in words):
            return role
    return "number" if "序号" in plain else "other"


def _attach_unit_lines(paras: list[P.Paragraph], report: Report) -> tuple[list[P.Paragraph], dict]:
    """Unit and time lines (责任单位：… on its own line) belong to the paragraph before them."""
    kept: list[P.Paragraph] = []
    tails: dict[int, list[P.Paragraph]] = {}
    for para in paras:
        if para.kind == "unitline":
            if kept:
                tails.setdefault(id(kept[-1]), []).append(para)
            else:
                report.note(para.first_line, "a unit line before any measure; ignored")
            continue
        kept.append(para)
    return kept, tails


def _inline_parts(para: P.Paragraph) -> tuple[str, list[P.Paragraph]] | None:
    """(heading, parts) of an item whose text holds inline （1）（2）… parts, each closing
    with its own unit clause; None otherwise (a measure that merely counts 一是…二是… or (1)(2))."""
    text = para.text
    marks = [m for m in _INLINE_SUB.finditer(text) if m.start() > 0]
    if len(marks) < 2 or not (marks[0].group(1) == "1" or marks[0].group(0) == "\u2460"):
        return None
    starts = [m.start() for m in marks] + [len(text)]
    segments = [text[a:b] for a, b in zip(starts, starts[1:], strict=False)]
    if not all(split_trailing_units(seg)[1] for seg in segments):
        return None
    line = para.lines[0]
    parts = [P.Paragraph("pnum" if seg[0] in "（(" else "circled", [P.Line(line.number, seg, seg)]) for seg in segments]
    return text[: marks[0].start()], parts


def _numbers_restart(paras: list[P.Paragraph]) -> bool:
    numbers = [p.number for p in paras if p.kind == "numbered"]
    return len(numbers) != len(set(numbers))


def _put(record: dict, key: str, value: list) -> None:
    if value:
        record[key] = value


def _title_of(para: P.Paragraph, text: str) -> str:
    if m := _BOLD_TITLE.match(para.lines[0].raw):
        return m.group(1).strip().rstrip("。")
    end = text.find("。")
    return (text[:end] if end > 0 else text).strip()


def _tags(text: str, reforms: list[dict]) -> list[str]:
    return [r["name"] for r in reforms if any(v in text for v in (r["name"], *r.get("match", ())))]
