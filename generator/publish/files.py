"""Writing files so that readers never see half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mkdocs.structure.files import Files


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Theme files no page loads: Material's own search (its worker and the lunr language files; the site has its
# own search, and the theme's bundle starts the worker only for a form named "search", which no page has) and
# the source maps (read only by a browser's developer tools). About 2.3 MB that would otherwise be shipped.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def shipped_by_no_page(dest_uri: str) -> bool:
    """Whether a theme file, by its address in the built site (e.g. "assets/javascripts/lunr/tinyseg.js"),
    is one no page loads: under UNUSED_THEME_FILES, or a source map (*.map)."""
    return dest_uri.startswith(UNUSED_THEME_FILES) or dest_uri.endswith(".map")


def without_unused_theme_files(files: Files) -> Files:
    """`files` (theme files included, as MkDocs 1.6 hands them to on_files) with every file
    `shipped_by_no_page` removed; the same object, changed in place."""
    for file in [f for f in files if shipped_by_no_page(f.dest_uri)]:
        files.remove(file)
    return files
