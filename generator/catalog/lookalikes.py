"""Characters that look like ordinary Chinese characters but are not: they creep in from PDF extraction.

A PDF often draws 十 with the glyph of the Kangxi radical ⼗ (U+2F17), or 金
with the compatibility ideograph 金 (U+F90A). On screen they look the same,
but search, sorting and copy-paste treat them as different characters: a
reader searching for 十 never finds ⼗. `check` reports each one with its
place, its code point and the ordinary character to type instead; a
deliberate one is listed in catalog/allowed-characters.yaml.

A byte order mark (U+FEFF) anywhere but at the very start of a file is
reported too: it is invisible and comes from pasting one file into another.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml

# (first, last, name of the block) of the blocks whose characters stand in for ordinary ones.
BLOCKS = (
    (0x2E80, 0x2EFF, "CJK radical"),
    (0x2F00, 0x2FDF, "Kangxi radical"),
    (0x31C0, 0x31EF, "CJK stroke"),
    (0xF900, 0xFAFF, "CJK compatibility ideograph"),
    (0x2F800, 0x2FA1F, "CJK compatibility ideograph"),
)
_PATTERN = re.compile(
    "[" + "".join(f"{chr(first)}-{chr(last)}" for first, last, _ in BLOCKS) + "\ufeff]"
)
BOM = "\ufeff"
# CJK radicals that are whole characters but have no NFKC mapping (Unicode's EquivalentUnifiedIdeograph.txt):
# the simplified forms that Chinese PDFs draw with radical glyphs, and a few traditional ones.
RADICAL_EQUIVALENTS = {
    "⺠": "民", "⻄": "西", "⻅": "见", "⻆": "角", "⻉": "贝", "⻋": "车", "⻓": "长", "⻔": "门", "⻘": "青",
    "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼",
    "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻬": "齐", "⻮": "齿", "⻰": "龙",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One lookalike (or stray BOM) at a 1-based line and column (in characters)."""

    line: int
    col: int
    char: str


def block_of(char: str) -> str | None:
    """The kind of lookalike `char` is, or None for an ordinary character.

    Twelve characters of the compatibility block (﨎 﨏 﨑 …) are ordinary
    unified ideographs that NFKC leaves alone: they are not lookalikes."""
    code = ord(char)
    for first, last, name in BLOCKS:
        if first <= code <= last:
            return None if name == "CJK compatibility ideograph" and ordinary(char) is None else name
    return None


def ordinary(char: str) -> str | None:
    """The ordinary character a lookalike stands for, when Unicode says (NFKC); None otherwise."""
    normal = RADICAL_EQUIVALENTS.get(char) or unicodedata.normalize("NFKC", char)
    return normal if normal != char else None


def is_lookalike(char: str) -> bool:
    return len(char) == 1 and block_of(char) is not None


def find(text: str) -> list[Finding]:
    """Every lookalike and every BOM in the YAML `text` (a BOM at offset 0 is the file's, and allowed).

    Lookalikes count only in values and keys (scalars), not in comments: those are never published."""
    findings = []
    matches = [m for m in _PATTERN.finditer(text) if m.start() > 0 or m.group() != BOM]
    spans = _scalar_spans(text) if any(m.group() != BOM for m in matches) else []
    for match in matches:
        char = match.group()
        if char != BOM and (block_of(char) is None or not any(a <= match.start() < b for a, b in spans)):
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        findings.append(Finding(text.count("\n", 0, match.start()) + 1, match.start() - line_start + 1, char))
    return findings


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every scalar of a YAML text, as far as it scans."""
    spans = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        pass  # the syntax error itself is reported by the loader
    return spans


def describe(char: str) -> str:
    """'⼗' (U+2F17 KANGXI RADICAL TEN)"""
    name = unicodedata.name(char, "")
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"


def advice(char: str) -> str:
    """What to type instead."""
    normal = ordinary(char)
    if normal is None:
        return "use the ordinary character it stands for (retype it from the published document)"
    return f"use {describe(normal)}"
