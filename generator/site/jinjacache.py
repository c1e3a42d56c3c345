"""The site's Jinja environments and one cache of compiled templates for every environment of a build: the
site's (pages' Markdown and HTML templates, measure pages) and the theme's (the MkDocs hook sets it on the
theme's environment)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from generator.site.lookups import cache_folder

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def compiled_templates() -> jinja2.BytecodeCache | None:
    """Jinja's own cache of compiled templates, shared by every build on this machine: compiling the site's and
    the theme's templates anew costs about 0.6 s of CPU a build. Kept in `jinja-<Jinja's version>/` in the
    project's cache folder (lookups.cache_home, which CI keeps between runs); where that cannot be made, in
    Jinja's default folder (`_jinja2-cache-<uid>` in the temporary folder, checked on creation). Jinja checks
    each entry against its template's source and its own format and Python's version, so an edited template
    compiles again. None (no cache) when no folder can be made."""
    folder = cache_folder(f"jinja-{jinja2.__version__}")
    if folder is not None:
        return jinja2.FileSystemBytecodeCache(str(folder))
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def template_environment(finalize: Any = None, **options: Any) -> jinja2.Environment:
    """A Jinja environment over the site's templates (TEMPLATES) as every one of them is written: autoescaped,
    StrictUndefined, block tags trimmed, compiled templates cached (`compiled_templates`). `finalize` (how a
    printed value is escaped) and `options` (e.g. keep_trailing_newline) are the caller's."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=compiled_templates(),
        autoescape=True,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
