"""Pinyin readings, from pypinyin, for every part of the build that orders or names things by sound: unit
anchors and their phone-book order (`crossref.units`), heading anchors (`site.markdown`), the search's
readings (`site.searchtext`).

One converter for the whole process: pypinyin's own default converter, through its documented extension point
(`pypinyin.converter.DefaultConverter`), with two things done once instead of on every call (pypinyin redoes
them for every word of every call, and its module-level `lazy_pinyin` builds a new converter per call):
- the style conversion of each tone-marked reading (`Style.NORMAL` depends on the reading alone);
- the conversion of each word pypinyin's segmentation makes (`convert(words, ...)` depends on the word and the
  options alone): the search's 13,087 vocabulary terms at 1x are 36,000 words but only 2,100 different ones,
  and converting them anew was half of the readings' 0.27 s.
The readings are pypinyin's, unchanged: `reading(text)` equals `pypinyin.lazy_pinyin(text)`.
"""

from __future__ import annotations

import functools

from pypinyin import Style
from pypinyin.converter import DefaultConverter
from pypinyin.core import Pinyin


class _MemoisedStyle(DefaultConverter):
    """The default converter; `convert_style` kept per (tone-marked reading, style, strict) and `convert` per
    (word, style, heteronym, errors, strict). Each call gets its own lists: a caller may change what it got."""

    def __init__(self) -> None:
        super().__init__()
        self.styled: dict[tuple, str] = {}
        self.converted: dict[tuple, tuple[tuple[str, ...], ...]] = {}

    def convert(self, words, style, heteronym, errors, strict, **kwargs):  # noqa: ANN001, ANN201 - pypinyin's signature
        if kwargs or not (isinstance(errors, str) or errors is list):  # other options, or a function made per call
            return super().convert(words, style, heteronym, errors, strict, **kwargs)  # (which would fill the memo)
        key = (words, style, heteronym, errors, strict)
        found = self.converted.get(key)
        if found is None:
            found = tuple(tuple(item) for item in super().convert(words, style, heteronym, errors, strict))
            self.converted[key] = found
        return [list(item) for item in found]

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
