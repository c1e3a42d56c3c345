"""Simplified and traditional characters: plans served in 繁體 read like the others.

Some government sites serve a plan converted to traditional characters. The
text stays as printed; only recognition (labels, headings, keywords) must see
through the script. OpenCC (the `opencc` package) does the conversion, never a
hand-made table:
- `either(word)` is a regex that matches `word` in either script, character by
  character, whitespace allowed between characters ("牵头单位" also matches
  "牽頭單位" and "牵 头单位");
- `simplified(text)` is `text` converted with OpenCC's t2s, for classifying;
- `is_traditional(text)` tells whether a source is printed in traditional
  characters (used to say so in the import summary).
"""

from __future__ import annotations

import re
from functools import cache

import opencc

__all__ = ["either", "is_traditional", "simplified", "to_simplified_source"]


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def _variants(ch: str) -> str:
    forms = {ch, _converter("s2t").convert(ch), _converter("t2s").convert(ch)}
    forms = {f for f in forms if len(f) == 1}
    return "".join(sorted(forms))


def either(word: str, *, spaced: bool = True) -> str:
    """A regex matching `word` in simplified or traditional characters.

    With `spaced` (the default), whitespace is allowed between characters, as PDF
    extraction leaves it ("完成 时限").
    """
    parts = []
    for ch in word:
        forms = _variants(ch)
        parts.append(re.escape(ch) if len(forms) == 1 else f"[{''.join(re.escape(f) for f in forms)}]")
    return (r"\s*" if spaced else "").join(parts)


def simplified(text: str) -> str:
    """`text` in simplified characters (OpenCC t2s); unchanged when it is simplified already."""
    return _converter("t2s").convert(text) if text else text


def is_traditional(text: str) -> bool:
    """True when at least 1 in 50 of the Chinese characters of `text` changes under t2s."""
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return False
    changed = sum(a != b for a, b in zip(cjk, simplified("".join(cjk)), strict=False))
    return changed * 50 >= len(cjk)


def to_simplified_source(text: str) -> str:
    """A whole source converted to simplified characters (the import option `--simplified`)."""
    return simplified(text)
