"""The fidelity check: every character of a source's body is in its catalogue
document exactly once, either in a measure or in a named non-measure part.

It compares the source text with the YAML document, not with the importer's
intermediate state, so it also catches a source edited after import and a
reviewer's slip. Both sides are brought to `repair.canonical` form (no
whitespace, one form of each bracket and colon, no Markdown or LaTeX
residue) and compared sentence by sentence. Page furniture (the document's
`running_headers`, lone page numbers) is the only text allowed to be absent.
Anything in the source and not in the catalogue is reported with its source
line; anything in the catalogue and not in the source (or there more often
than in the source: a doubled paragraph) with its measure id.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from generator.importer.paragraphs import CN_NUM, looks_like_measure
from generator.importer.repair import canonical, canonical_marker, is_page_number, repair_line, strip_junk

_CN_NUMBER = re.compile(rf"^[{CN_NUM}]+$")


@dataclass(frozen=True, slots=True)
class Piece:
    text: str  # canonical
    origin: str  # "sources/x.txt:12" or "measure x-01" / "preamble" / "heading"


def source_pieces(source: str, path: str, running_headers: list[str]) -> list[Piece]:
    """The source's body as canonical sentences, each knowing its line."""
    chars: list[tuple[str, int]] = []
    headers = set(running_headers)
    for number, raw in enumerate(source.splitlines(), start=1):
        repaired = repair_line(raw)
        if not repaired or repaired in headers or is_page_number(repaired):
            continue
        chars.extend((ch, number) for ch in canonical(canonical_marker(strip_junk(raw)[0])))
    return _sentences(chars, lambda line: f"{path}:{line}")


def catalogue_pieces(doc: dict) -> list[Piece]:
    """The document's parts in order, as the source would print them."""
    chars: list[tuple[str, str]] = []

    def emit(text: str, origin: str) -> None:
        chars.extend((ch, origin) for ch in canonical(text))

    for para in doc.get("preamble") or ():
        emit(para, "preamble")
    path: list[str] = []
    for m in doc.get("measures") or ():
        section = list(m.get("section") or ())
        common = 0
        while common < min(len(path), len(section)) and path[common] == section[common]:
            common += 1
        for heading in section[common:]:
            emit(heading, f"heading of measure {m.get('id')}")
        path = section
        emit(_printed_measure(m), f"measure {m.get('id')}")
    for para in doc.get("closing") or ():
        emit(para, "closing")
    return _sentences(chars, str)


def _printed_measure(m: dict) -> str:
    number = str(m.get("number", ""))
    section = list(m.get("section") or ())
    if m.get("sub") or not number:
        prefix = ""
    elif section and str(section[-1]).startswith("序号"):
        prefix = number  # a row of a 任务分工表: the number is a cell
    elif _CN_NUMBER.match(number):
        prefix = f"({number})"
    else:
        prefix = f"{number}." if number.isdigit() else number  # 第一条 as printed
    # A clause printed on its own lines after the measure (责任单位：… / 时限要求：…) is stored
    # ending with a line break, and printed without brackets.
    units = m.get("units") or ""
    units = units if units.endswith("\n") else (f"({units})" if units else "")
    return f"{prefix}{m.get('text', '')}{units}"


def _sentences(chars: list[tuple[str, object]], where) -> list[Piece]:
    pieces, buf, origin = [], [], None
    for ch, place in chars:
        if not buf:
            origin = place
        buf.append(ch)
        if ch in "。;)":
            pieces.append(Piece("".join(buf), where(origin)))
            buf = []
    if buf:
        pieces.append(Piece("".join(buf), where(origin)))
    return pieces


def compare(source: list[Piece], catalogue: list[Piece], yaml_path: str) -> list[str]:
    """Problems as `place: message` lines; empty when every character is accounted for once."""
    a = [p.text for p in source]
    b = [p.text for p in catalogue]
    problems = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            for p in source[i1:i2]:
                problems.append(f"{p.origin}: not in the catalogue (lost?): «{_short(p.text)}»")
        if tag in ("insert", "replace"):
            for p in catalogue[j1:j2]:
                problems.append(
                    f"{yaml_path}: {p.origin}: not in the source at this place (added or doubled?): «{_short(p.text)}»")
    return problems


def check_document(source: str, source_path: str, doc: dict, yaml_path: str) -> list[str]:
    """Problems (`place: message` lines) of a document against its source; empty when faithful.

    Besides the character accounting, a document with no measure, or with a
    preamble or closing paragraph that looks like a measure (numbered "3.", or
    holding a unit clause), fails: a preamble accounts for characters, so the
    accounting alone would let a plan the importer did not understand through.
    """
    problems = compare(
        source_pieces(source, source_path, list(doc.get("running_headers") or ())),
        catalogue_pieces(doc),
        yaml_path,
    )
    if not doc.get("measures"):
        problems.append(f"{yaml_path}: measures: no measure at all: everything went into the preamble or closing; "
                        "the importer did not understand this plan's layout")
    for part in ("preamble", "closing"):
        for i, para in enumerate(doc.get(part) or (), start=1):
            if reason := looks_like_measure(str(para)):
                problems.append(f"{yaml_path}: {part}: paragraph {i} looks like a measure ({reason}): "
                                f"«{_short(str(para), 40)}»")
    return problems


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
