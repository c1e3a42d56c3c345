"""catalog/redirects.yaml: the public addresses that moved, validated against the catalogue.

    pages:      # an old page (or file) -> where it is now; the build writes a redirect page in its place
      /domains/old-slug/: /domains/new-slug/
    measures:   # an old measure id -> its new id; the old permalink is sent to the new one
      jinan-2021-03-2: jinan-2021-03-3

What the build writes for them is in `generator.site.redirects`; why the
generator keeps them instead of the mkdocs-redirects plugin is said there.
"""

from __future__ import annotations

import re

from generator.catalog.fields import Context
from generator.catalog.yamlio import LineDict, describe
from generator.model import Redirects

REDIRECTS_FILE = "redirects.yaml"
PAGE_ADDRESS = re.compile(r"/(?:[a-z0-9][a-z0-9._-]*/)*(?:[a-z0-9][a-z0-9._-]*\.[a-z0-9]+)?")


def load_redirects(ctx: Context) -> Redirects:
    """catalog/redirects.yaml (optional). Old measure ids must not be in the catalogue and new ones must be,
    checked when every document was read; problems go to `ctx` like every other file's."""
    path = ctx.catalog_dir / REDIRECTS_FILE
    if not path.exists():
        return Redirects()
    shown = ctx.shown(path)
    data = ctx.read(path, "a mapping with 'pages:' and/or 'measures:'")
    if data is None:
        return Redirects()
    for key in data:
        if key not in ("pages", "measures"):
            ctx.add(shown, data.line_of(key), f"unknown field '{key}' (known fields: pages, measures)")
    pages = _mapping(ctx, data, "pages", shown)
    measures = _mapping(ctx, data, "measures", shown)
    for old, new in pages.items():
        line = pages.line_of(old)
        for value in (old, new):
            if not PAGE_ADDRESS.fullmatch(value):
                ctx.add(shown, line, f"'{value}' must be a site address like /domains/credit/ "
                        "(from the site root, lower case, a page ending in /)")
        if old == new:
            ctx.add(shown, line, f"'{old}' redirects to itself")
        elif new in pages:
            ctx.add(shown, line, f"'{old}' redirects to '{new}', which redirects again: point it at '{pages[new]}'")
    if ctx.all_documents_read:
        for old, new in measures.items():
            line = measures.line_of(old)
            if old in ctx.ids:
                ctx.add(shown, line, f"measure id '{old}' is in the catalogue: a redirect would hide it")
            if new not in ctx.ids:
                ctx.add(shown, line, f"'{old}' redirects to '{new}', which is not a measure of the catalogue")
    return Redirects(pages=dict(pages), measures=dict(measures))


def _mapping(ctx: Context, data: LineDict, key: str, shown: str) -> LineDict:
    """The string-to-string entries under `key`, each with its line; anything else is reported."""
    value = data.get(key)
    if value is None:
        return LineDict(data.line)
    if not isinstance(value, LineDict):
        ctx.add(shown, data.line_of(key), f"'{key}' must be a mapping old -> new, got {describe(value)}")
        return LineDict(data.line)
    clean = LineDict(value.line)
    for old, new in value.items():
        if isinstance(old, str) and isinstance(new, str):
            clean[old] = new
            clean.key_lines[old] = value.line_of(old)
        else:
            ctx.add(shown, value.line_of(old), f"'{key}': '{old}' -> '{new}' must map a string to a string")
    return clean
