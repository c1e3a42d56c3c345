"""One cache of compiled Jinja templates for every environment of a build: the site's (pages, measure pages)
and the theme's (the MkDocs hook sets it on the theme's environment)."""

from __future__ import annotations

import functools

import jinja2


@functools.cache
def compiled_templates() -> jinja2.BytecodeCache | None:
    """Jinja's own cache of compiled templates, shared by every build on this machine: compiling the site's and
    the theme's templates anew costs about 0.6 s of CPU a build. Jinja keeps it in a folder only this user can
    write (`_jinja2-cache-<uid>` in the temporary folder, checked on creation) and checks each entry against its
    template's source, so an edited template compiles again. None (no cache) when no safe folder can be made."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None
