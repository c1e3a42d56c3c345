"""MkDocs hooks: load -> assemble -> hand the generated files and the nav to MkDocs; nothing else.

The measure pages do not go through MkDocs page by page (see generator/site/measurepages.py): MkDocs
renders their frame once (the shell page), and after the build they are written in that frame.

The catalogue comes from the command that started MkDocs (`publish.engine.Build.current()`), or, when
MkDocs was started directly, from catalog/ next to mkdocs.yml. Everything generated is a virtual file.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.catalog import load_catalog
from generator.errors import CatalogError
from generator.publish.engine import Build, last_updated
from generator.publish.measurepages import update_sitemap, write_measure_pages
from generator.publish.release import release
from generator.site import Site, assemble
from generator.site.addresses import MEASURE_SHELL
from generator.site.pages import TEMPLATES

_site: Site | None = None  # assembled by on_config, handed over by on_files of the same run
_shell: str | None = None  # the measure pages' frame, as the theme rendered it in this run


def _build(config) -> Build:
    return Build.current() or Build(Path(config.config_file_path).resolve().parent / "catalog")


def on_config(config):
    global _site
    build = _build(config)
    try:
        catalog = build.catalog or load_catalog(build.catalog_dir)
    except CatalogError as err:
        raise PluginError("the catalogue has problems:\n" + "\n".join(map(str, err.problems))) from None
    _site = assemble(catalog, updated=last_updated(build.catalog_dir), site_url=config.site_url or "",
                     release=release(build.catalog_dir, repository=config.repo_url or "",
                                     contact=config.extra.get("contact", "")))
    config.nav = _site.nav
    return config


def on_files(files: Files, config) -> Files:
    for path, content in (_site.pages | _site.files).items():
        hidden = path.endswith(".md") and path not in _site.in_nav  # reached by links, not by the nav
        _add(files, File.generated(config, path, content=content,
                                   inclusion=InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED))
    measure_pages = set(_site.measures.paths())
    for path, content in _site.redirects.items():  # last: an old address that is a page again is not hidden
        if path in measure_pages or any(file.dest_uri == path for file in files):
            raise PluginError(f"catalog/redirects.yaml: /{path.removesuffix('index.html')} is a page of the site again: "
                              "remove its redirect")
        _add(files, File.generated(config, path, content=content))
    root = _build(config).catalog_dir.parent
    for path, source in _site.sources.items():
        _add(files, File.generated(config, path, abs_src_path=str(root / source)))
    return files


def on_post_page(output: str, page, config) -> str:
    global _shell
    if page.file.src_uri == MEASURE_SHELL:
        _shell = output
    return output


def on_post_build(config) -> None:
    if _shell is None:
        raise PluginError(f"{MEASURE_SHELL} was not rendered: the measure pages have no frame")
    write_measure_pages(Path(config.site_dir), _shell, _site.measures)
    update_sitemap(Path(config.site_dir), config.site_url or "", (p.removesuffix("index.html") for p in _site.measures.paths()))


def on_serve(server, config, builder):
    """Rebuild when the catalogue, a source text or a page template changes."""
    folder = _build(config).catalog_dir
    for path in (folder, folder.parent / "sources", TEMPLATES):
        server.watch(str(path))
    return server


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(f"docs/{file.src_uri} would hide a generated file of the same name: remove it")
    files.append(file)
