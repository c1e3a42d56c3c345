"""Escaping catalogue text for Markdown pages, so `<script>`, `*`, `|` or `[x](y)` in a measure show literally."""

from __future__ import annotations

import functools
import html
import re
from typing import Any

from markupsafe import Markup

from generator.crossref.readings import reading

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|#])")
_LIST_START = re.compile(r"(\d+)([.)])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def md_escape(text: str) -> str:
    """Text that Markdown (with attr_list, md_in_html, tables) shows exactly as written, on one line."""
    return _md_escape(str(text))


@functools.lru_cache(maxsize=1 << 17)  # pages print the same names, places, labels and dates again and again
def _md_escape(text: str) -> str:
    text = _NEWLINES.sub(" ", text).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text[:1] in ("-", "+"):  # would start a list
        return "\\" + text
    if text[:1] == "=":  # would underline a heading; "=" has no backslash escape
        return "&#61;" + text[1:]
    return _LIST_START.sub(r"\1\\\2", text, count=1) if _LIST_START.match(text) else text


def html_text(text: str) -> str:
    """Text for places MkDocs and the theme print as HTML unescaped (nav and page titles)."""
    return html.escape(_NEWLINES.sub(" ", str(text)).strip(), quote=True)


def finalize(value: Any) -> Any:
    """Jinja's finalize: every printed value is Markdown-escaped unless marked safe; None is a template bug."""
    if isinstance(value, Markup):
        return value
    if value is None:
        raise ValueError("a template printed None: handle missing values in the template")
    return Markup(_md_escape(str(value)))


def finalize_html(value: Any) -> Any:
    """Jinja's finalize for HTML templates: text on one line as `finalize` prints it, left to autoescape to
    escape; None is a template bug."""
    if isinstance(value, Markup):
        return value
    if value is None:
        raise ValueError("a template printed None: handle missing values in the template")
    return _one_line(str(value))


@functools.lru_cache(maxsize=1 << 17)
def _one_line(text: str) -> str:
    return _NEWLINES.sub(" ", text).strip()


def heading_slug(value: str, separator: str = "-") -> str:
    """The anchor of a heading without an explicit id (the toc extension's `slugify`): ASCII, from the pinyin of
    its words ("数据来源" -> "shu-ju-lai-yuan"), so a shared link says where it points instead of "#_2"."""
    words = [re.sub(r"[^a-z0-9]+", separator, w.lower()).strip(separator) for w in reading(value)]
    return separator.join(w for w in words if w)[:60].strip(separator) or "section"
