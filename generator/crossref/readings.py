"""Pinyin readings, from pypinyin, for every part of the build that orders or names things by sound: unit
anchors and their phone-book order (`crossref.units`), heading anchors (`site.markdown`), the search's
readings (`site.searchtext`).

One converter for the whole process: pypinyin's own default converter, through its documented extension point
(`pypinyin.converter.DefaultConverter`), with the style conversion of each tone-marked reading done once
(`Style.NORMAL` depends on the reading alone; pypinyin converts it anew for every character of every call,
and its module-level `lazy_pinyin` builds a new converter per call). The readings are pypinyin's, unchanged:
`reading(text)` equals `pypinyin.lazy_pinyin(text)`.
"""

from __future__ import annotations

import functools

from pypinyin import Style
from pypinyin.converter import DefaultConverter
from pypinyin.core import Pinyin


class _MemoisedStyle(DefaultConverter):
    """The default converter; `convert_style` kept per (tone-marked reading, style, strict)."""

    def __init__(self) -> None:
        super().__init__()
        self.styled: dict[tuple, str] = {}

    def convert_style(self, han, orig_pinyin, style, strict, **kwargs):  # noqa: ANN001, ANN201 - pypinyin's signature
        key = (orig_pinyin, style, strict)
        if key not in self.styled:
            self.styled[key] = super().convert_style(han, orig_pinyin, style, strict, **kwargs)
        return self.styled[key]


@functools.cache
def converter() -> Pinyin:
    """pypinyin's `Pinyin` with the memoised default converter, for calls with other options (`errors=list`)."""
    return Pinyin(_MemoisedStyle())


def reading(text: str) -> list[str]:
    """The toneless pinyin of `text`, one item per Han character (phrase-aware: 银行 -> yin, hang), other runs
    of characters kept as they are (pypinyin's errors="default"): `pypinyin.lazy_pinyin(text)`."""
    return list(_reading(text))


@functools.lru_cache(maxsize=1 << 16)  # names and headings repeat across pages, places and `serve` rebuilds
def _reading(text: str) -> tuple[str, ...]:
    return tuple(converter().lazy_pinyin(text, style=Style.NORMAL, errors="default"))
