"""MkDocs hooks: hand the generated pages, downloads and source texts to MkDocs.

Nothing is rendered here: `generator.pages` turns the catalogue into Markdown,
`generator.export` into measures.json / measures.csv. This layer loads the
catalogue, reads the date of its last change, and adds everything as virtual
files (`File.generated`), so no generated page ever lands in docs/.

The catalogue is `catalog/` next to this package unless the environment
variable GENERATOR_CATALOG names another one (`python -m generator --catalog`).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads this file by path, not as part of the package
    sys.path.insert(0, str(ROOT))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.livereload import LiveReloadServer  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402

from generator import pages, searchindex  # noqa: E402
from generator.build import CATALOG_ENV  # noqa: E402
from generator.errors import CatalogError  # noqa: E402
from generator.export import export_records, write_csv, write_json  # noqa: E402
from generator.links import Redirects, load_redirects, redirect_files  # noqa: E402
from generator.load import load_catalog  # noqa: E402
from generator.model import Catalog  # noqa: E402


@dataclass(frozen=True, slots=True)
class _Site:
    catalog_dir: Path
    catalog: Catalog
    pages: dict[str, str]
    redirects: Redirects
    files: dict[str, bytes]  # generated downloads other than measures.json/.csv (the .ics calendars)


_site: _Site | None = None  # set by on_config, used by on_files of the same build


def catalog_dir() -> Path:
    return Path(os.environ.get(CATALOG_ENV) or ROOT / "catalog").resolve()


def last_updated(folder: Path) -> dt.date:
    """The date of the newest commit touching `folder`; without git history, its newest file's mtime."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", "."],
            cwd=folder, capture_output=True, text=True, timeout=30, check=False,
        )
        if done.returncode == 0 and done.stdout.strip():
            return dt.date.fromisoformat(done.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    mtimes = [p.stat().st_mtime for p in folder.rglob("*") if p.is_file()]
    return dt.date.fromtimestamp(max(mtimes)) if mtimes else dt.date.today()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site
    folder = catalog_dir()
    try:
        catalog = load_catalog(folder)
        redirects = load_redirects(folder, catalog)
    except CatalogError as err:
        raise PluginError("the catalogue has problems:\n" + "\n".join(map(str, err.problems))) from None
    updated, site_url = last_updated(folder), config.site_url or ""
    rendered = pages.render_site(catalog, updated=updated, site_url=site_url)
    calendars = pages.calendar_files(catalog, updated=updated, site_url=site_url)
    _site = _Site(catalog_dir=folder, catalog=catalog, pages=rendered, files=calendars, redirects=redirects)
    config.nav = pages.site_nav(catalog)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _site is None:
        raise PluginError("generator hooks: on_config did not run")
    generated = {path: text for path, text in _site.pages.items()}
    generated |= _downloads(_site.catalog) | _site.files
    generated |= searchindex.build(_site.catalog)
    in_nav = pages.nav_pages(config.nav)
    for path, content in generated.items():
        # A generated page the nav leaves out (a document when there are many, a domain's part page) is
        # reached by links: it must not trip the strict build's "not included in the nav" warning.
        inclusion = InclusionLevel.UNDEFINED if path in in_nav or not path.endswith(".md") else InclusionLevel.NOT_IN_NAV
        _add(files, File.generated(config, path, content=content, inclusion=inclusion))
    # Redirects last: an old address that is a page again must not be hidden by its redirect.
    for path, content in redirect_files(_site.redirects, _site.catalog, pages.url_for).items():
        if any(file.dest_uri == path for file in files):
            raise PluginError(f"catalog/redirects.yaml: /{path.removesuffix('index.html')} is a page of the site again: "
                              "remove its redirect")
        _add(files, File.generated(config, path, content=content))
    root = _site.catalog_dir.parent
    for path, source in pages.source_files(_site.catalog).items():
        _add(files, File.generated(config, path, abs_src_path=str(root / source)))
    return files


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Rebuild when the catalogue, a source text or a page template changes."""
    folder = catalog_dir()
    for path in (folder, folder.parent / "sources", pages.TEMPLATES):
        if path.is_dir():
            server.watch(str(path))
    return server


def _downloads(catalog: Catalog) -> dict[str, bytes]:
    records = export_records(catalog, url_for=pages.url_for)
    with tempfile.TemporaryDirectory() as tmp:
        json_path, csv_path = Path(tmp) / "measures.json", Path(tmp) / "measures.csv"
        write_json(records, json_path)
        write_csv(records, csv_path)
        return {"downloads/measures.json": json_path.read_bytes(), "downloads/measures.csv": csv_path.read_bytes()}


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(f"docs/{file.src_uri} would hide a generated file of the same name: remove it")
    files.append(file)
