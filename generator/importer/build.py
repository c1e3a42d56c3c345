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
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from generator.importer import paragraphs as P
from generator.importer.classify import Classifier
from generator.importer.deadlines import deadline_to_yaml, find_deadlines
from generator.importer.units import is_units_clause, parse_units, split_units

_BODY_START = re.compile(rf"^(?:[{P.CN_NUM}]+、\s*(?:主要|重点|工作)任务|配套措施)")
_BOLD_TITLE = re.compile(r"^\s*\d{1,3}\s*[.．]\s*\*\*(.+?)\*\*")
_SECTION_LEAD = re.compile(r"[（(]领域牵头单位[:：](.*?)[）)]?$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
_ISSUE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_TITLE_WORDS = re.compile(r"(方案|行动|计划|措施|意见)$")
_SHARED_DUTY = re.compile(r"等?按照?职责分工负责$")
_OPENERS = "（(〔"
_CLOSERS = "）)〕"


@dataclass
class Report:
    """What a reviewer needs: counts per section and every place the importer was unsure."""

    sections: dict[str, int] = field(default_factory=dict)
    unsure: list[tuple[int, str]] = field(default_factory=list)
    furniture_lines: list[int] = field(default_factory=list)

    def note(self, line: int, message: str) -> None:
        self.unsure.append((line, message))


@dataclass
class _Item:
    """A numbered item of a plan with sub-measures (济南): its heading and count."""

    number: str
    heading: str
    subs: int = 0


def build_document(slug: str, source: str, *, jurisdiction: str, year: int, source_path: str,
                   classifier: Classifier, reforms: list[dict]) -> tuple[dict, Report]:
    report = Report()
    lines = P.repaired_lines(source)
    headers = P.find_running_headers(lines, lines[_body_start(lines):])
    content, report.furniture_lines = P.split_furniture(lines, headers)
    start = _body_start(content)
    front, body = content[:start], content[start:]
    paras = _merge_stray_signatures(P.paragraphs(body, sub_measures=_has_sub_measures(body)))
    closing = _trailing_signatures(paras)
    preamble = [P.join_lines([x.text for x in para]) for para in P.preamble_paragraphs(front)]
    measures = _Measures(slug, year, classifier, reforms, report).build(paras[: len(paras) - len(closing)])
    doc = {
        "slug": slug,
        "title": _title(front, headers),
        "jurisdiction": jurisdiction,
        "year": year,
        "source": source_path,
        "issuer": _issuer(preamble, closing),
        "doc_number": next((m.group(0) for p in preamble if (m := _DOC_NUMBER.search(p))), ""),
        "date": _issue_date(preamble + [p.text for p in closing]),
        "running_headers": list(headers),
        "preamble": preamble,
        "closing": [p.text for p in closing],
        "measures": measures,
    }
    _note_metadata(doc, report)
    return doc, report


def _body_start(content: list[P.Line]) -> int:
    for i, line in enumerate(content):
        if _BODY_START.match(line.text):
            return i
    return next((i for i, line in enumerate(content) if P.NUMBERED.match(line.text)), len(content))


def _has_sub_measures(body: list[P.Line]) -> bool:
    """Numbered items that are only a title, followed by unnumbered text (济南)."""
    for i, line in enumerate(body[:-1]):
        para = P.Paragraph("numbered", [line])
        if P.NUMBERED.match(line.text) and P.is_bare_title(para) and P.kind_of(body[i + 1].text) == "plain":
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


class _Measures:
    """Walks the body's paragraphs keeping the heading path, and makes measures."""

    def __init__(self, slug: str, year: int, classifier: Classifier, reforms: list[dict], report: Report):
        self.slug, self.year, self.classifier, self.reforms, self.report = slug, year, classifier, reforms, report
        self.path: list[tuple[int, str, bool]] = []  # (level, heading, names_domain)
        self.item: _Item | None = None
        self.counters: dict[str, int] = {}

    def build(self, paras: list[P.Paragraph]) -> list[dict]:
        restart = _numbers_restart(paras)
        width = 3 if max((int(p.number) for p in paras if p.kind == "numbered"), default=0) >= 100 else 2
        out = []
        for i, para in enumerate(paras):
            nxt = paras[i + 1] if i + 1 < len(paras) else None
            if para.kind in ("chapter", "annex"):
                self._push(0, para.text, False)
            elif para.kind == "peitao":
                self._push(1, para.text, True)
            elif para.kind == "paren" and nxt is not None and nxt.kind in ("numbered",):
                self._push(1, para.text, "领域" in para.text)
            elif para.kind == "numbered" and nxt is not None and nxt.kind == "plain" and P.is_bare_title(para):
                self._push(2, para.text, False)
                self.item = _Item(para.number, para.text)
            elif para.kind in ("paren", "numbered", "plain"):
                key = self._key(para, restart, width)
                if key:
                    out.append(self._measure(para, key))
            else:
                self.report.note(para.first_line, f"paragraph of kind {para.kind} not understood; kept as a measure")
                out.append(self._measure(para, self._key(para, restart, width) or f"x{para.first_line}"))
        self._check_sequences(paras)
        return out

    def _push(self, level: int, heading: str, names_domain: bool) -> None:
        self.path = [p for p in self.path if p[0] < level] + [(level, heading, names_domain)]
        if level < 2:
            self.item = None
        self.report.sections.setdefault(" > ".join(h for _, h, _ in self.path), 0)

    def _section_key(self) -> str:
        for _, heading, names_domain in reversed(self.path):
            if names_domain and (domain := self.classifier.section_domain(heading)):
                return domain
        return f"s{len(self.report.sections)}"

    def _key(self, para: P.Paragraph, restart: bool, width: int) -> str:
        if para.kind == "plain":
            if self.item is None:
                self.report.note(para.first_line, "unnumbered paragraph outside a numbered item; kept as a measure")
                return f"p{para.first_line}"
            self.item.subs += 1
            return f"{int(self.item.number):02d}-{self.item.subs}"
        if para.kind == "paren":
            group = "org" if any(re.search("保障", h) for _, h, _ in self.path) else "task"
            self.counters[group] = self.counters.get(group, 0) + 1
            return f"{group}-{self.counters[group]}"
        number = f"{int(para.number):0{width}d}"
        return f"{self._section_key()}-{number}" if restart else number

    def _measure(self, para: P.Paragraph, key: str) -> dict:
        body = para.text
        prefix = {"numbered": P.NUMBERED, "paren": P.PAREN}.get(para.kind)
        if prefix:
            body = prefix.sub("", body, count=1)
        text, units = _split_units(body)
        title = _title_of(para, text)
        if not title:
            self.report.note(para.first_line, "no title found")
        clauses = [units] if units else []
        clauses += _inner_clauses(text)
        lead, responsible = [], []
        for clause in clauses:
            clause_lead, clause_responsible, notes = _parse_clause(clause)
            lead += [u for u in clause_lead if u not in lead]
            responsible += [u for u in clause_responsible if u not in responsible]
            for note in notes:
                self.report.note(para.first_line, f"units: {note}")
        if not clauses:
            self.report.note(para.first_line, "measure without lead or responsible units")
        deadlines, unsure = find_deadlines(text, self.year)
        if units:
            more, more_unsure = find_deadlines(units, self.year)
            deadlines += more
            unsure += more_unsure
        for note in unsure:
            self.report.note(para.first_line, f"date phrase not recognised: {note}")
        section = [h for _, h, _ in self.path]
        self.report.sections[" > ".join(section)] = self.report.sections.get(" > ".join(section), 0) + 1
        mid = f"{self.slug}-{key}"
        domain, why = self.classifier.classify(
            measure_id=mid, sections=[(h, n) for _, h, n in self.path], title=title,
            item=self.item.heading if (self.item and para.kind == "plain") else "", text=text)
        if domain == "general" and why == "no rule matched":
            self.report.note(para.first_line, f"{mid}: no domain rule matched; set an override")
        in_item = para.kind == "plain" and self.item is not None
        # An unnumbered paragraph outside a numbered item (damage, or a layout not known) keeps number ""
        # (reported above): `check` then asks the reviewer to fill it in.
        record: dict = {"id": mid, "number": self.item.number if in_item else para.number}
        if in_item:
            record["sub"] = self.item.subs
        record.update(section=section, title=title, text=text)
        if units:
            record["units"] = units
        _put(record, "lead", lead)
        _put(record, "responsible", responsible)
        _put(record, "section_lead", self._section_lead())
        _put(record, "deadlines", [deadline_to_yaml(d) for d in deadlines])
        record.update(domain=domain, domain_by=why)
        _put(record, "tags", _tags(title + text, self.reforms))
        record["line"] = para.first_line
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
            if para.kind in ("peitao", "chapter", "annex") and _numbers_restart(paras):
                expected = 1
            if para.kind != "numbered":
                continue
            if int(para.number) != expected:
                self.report.note(para.first_line, f"number {para.number} where {expected} was expected")
            expected = int(para.number) + 1


def _numbers_restart(paras: list[P.Paragraph]) -> bool:
    numbers = [p.number for p in paras if p.kind == "numbered"]
    return len(numbers) != len(set(numbers))


def _put(record: dict, key: str, value: list) -> None:
    if value:
        record[key] = value


def _bracket_spans(text: str) -> list[tuple[int, int]]:
    """Top-level bracket groups (any of （( 〔 closed by any of ）) 〕), as (start, end) spans."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def _split_units(body: str) -> tuple[str, str]:
    """(text, units): the closing unit clause, if the measure ends with one, is taken out."""
    stripped = body.rstrip()
    spans = _bracket_spans(stripped)
    if spans and spans[-1][1] == len(stripped):
        start, end = spans[-1]
        inner = stripped[start + 1 : end - 1]
        if _is_units(inner):
            return stripped[:start].rstrip(), inner.strip()
    return body, ""


def _is_units(inner: str) -> bool:
    """A labelled unit clause, or an unlabelled one: "（市发改委、市住建局等按职责分工负责）"."""
    return is_units_clause(inner) or bool(_SHARED_DUTY.search(inner))


def _parse_clause(clause: str) -> tuple[list[str], list[str], list[str]]:
    """(lead, responsible, unsure notes) of one unit clause."""
    if not is_units_clause(clause) and (m := _SHARED_DUTY.search(clause)):
        head = clause[: m.start()] + ("等" if m.group(0).startswith("等") else "")
        return [], list(split_units(head)), []
    parsed = parse_units(clause)
    return list(parsed.lead), list(parsed.responsible), list(parsed.unsure)


def _inner_clauses(text: str) -> list[str]:
    """Unit clauses left inside the text (a measure with several, each after its part)."""
    return [text[s + 1 : e - 1] for s, e in _bracket_spans(text) if _is_units(text[s + 1 : e - 1])]


def _title_of(para: P.Paragraph, text: str) -> str:
    if m := _BOLD_TITLE.match(para.lines[0].raw):
        return m.group(1).strip().rstrip("。")
    end = text.find("。")
    return (text[:end] if end > 0 else text).strip()


def _tags(text: str, reforms: list[dict]) -> list[str]:
    return [r["name"] for r in reforms if any(v in text for v in (r["name"], *r.get("match", ())))]


def _title(front: list[P.Line], headers: tuple[str, ...]) -> str:
    candidates = [
        line.text for line in front
        if len(line.text) <= 40 and _TITLE_WORDS.search(line.text) and "《" not in line.text and "关于" not in line.text
    ]
    if candidates:
        return candidates[-1]
    return headers[0] if headers else (front[0].text if front else "")


def _issuer(preamble: list[str], closing: list[P.Paragraph]) -> str:
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


def _issue_date(texts: list[str]) -> dt.date | None:
    for text in texts:
        if m := _ISSUE_DATE.match(text):
            return dt.date(*(int(x) for x in m.groups()))
    return None


def _note_metadata(doc: dict, report: Report) -> None:
    for key in ("issuer", "date", "doc_number"):
        if not doc[key]:
            report.note(0, f"document {key} not printed in the source; fill it in if known from the published document")
