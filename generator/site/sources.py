"""The source texts as pages: every line numbered and addressable (#L12), each measure's lines linked to it.

A measure's `line` is where it starts in its source text (lines counted as the
importer counts them, `str.splitlines`). Where it ends is not in the catalogue,
so it is read off the text: from the first line on, as long as each non-blank
line is part of the measure's text or unit clause, and never into the next
measure. Pure: the texts come with the catalogue (`Catalog.source_texts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import Document, Measure

_SPACE = re.compile(r"[\s（）()]+")  # spacing and the brackets the importer removes around unit clauses


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a source text page; `starts` lists the measures that begin on it."""

    number: int
    text: str
    starts: tuple[Measure, ...] = ()
    within: Measure | None = None  # the measure this line belongs to, if any


def measure_spans(document: Document, text: str) -> dict[str, tuple[int, int]]:
    """{measure id: (first line, last line)} of the document's measures in its source `text`."""
    lines = text.splitlines()
    starts = sorted({m.line for m in document.measures if m.line})
    spans = {}
    for measure in document.measures:
        if not measure.line or measure.line > len(lines):
            continue
        following = [s for s in starts if s > measure.line]
        limit = min(following[0] - 1 if following else len(lines), len(lines))
        whole = _SPACE.sub("", measure.text + measure.units + measure.title)
        end = measure.line
        for number in range(measure.line + 1, limit + 1):
            content = _SPACE.sub("", lines[number - 1])
            if not content:
                continue
            if content not in whole:
                break
            end = number
        spans[measure.id] = (measure.line, end)
    return spans


def source_lines(document: Document, text: str) -> list[Line]:
    """Every line of the source text, numbered from 1, with the measures that start on it and the one it is in."""
    spans = measure_spans(document, text)
    starting: dict[int, list[Measure]] = {}
    inside: dict[int, Measure] = {}
    for measure in document.measures:
        if measure.id in spans:
            first, last = spans[measure.id]
            starting.setdefault(first, []).append(measure)
            for number in range(first, last + 1):
                inside.setdefault(number, measure)
    return [Line(number, content, tuple(starting.get(number, ())), inside.get(number))
            for number, content in enumerate(text.splitlines(), start=1)]


def lines_label(span: tuple[int, int]) -> str:
    """"第 5 行" or "第 5–7 行"."""
    first, last = span
    return f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
