"""MkDocs hooks: load -> assemble -> hand the generated files and the nav to MkDocs; nothing else.

The catalogue comes from the command that started MkDocs (`publish.engine.Build.current()`), or, when
MkDocs was started directly, from catalog/ next to mkdocs.yml. Everything generated is a virtual file;
the measure pages are written into the frame the theme rendered once (publish.handover). A build (not `serve`)
of up to background.MAX_MEASURES measures has second processes make the search index and write the measure
pages meanwhile; what they make is checked and put in place in on_post_build, and a failed build stops them.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc

from generator.catalog import load_catalog
from generator.errors import CatalogError
from generator.publish import background, handover
from generator.publish.engine import Build, last_updated
from generator.publish.files import without_unused_theme_files
from generator.publish.framedpages import FramedPages
from generator.publish.release import release
from generator.publish.sharednav import SharedNav
from generator.site import Site, assemble, htmlblocks, searchindex
from generator.site.addresses import MEASURE_SHELL
from generator.site.jinjacache import TEMPLATES, compiled_templates


# CATALOG_FAST=0: every page converted by Python-Markdown and themed on its own, as MkDocs would; the tests
# compare that build with the usual one (framed pages, pages of one HTML block without Markdown) byte for byte.
def _fast() -> bool:
    return os.environ.get("CATALOG_FAST", "1") != "0"


_site: Site | None = None  # assembled by on_config, handed over by on_files of the same run
_uses = None  # the markers of _site's pages not yet expanded, per block (a block goes once its last one is)
_shell: str | None = None  # the measure pages' frame, as the theme rendered it in this run
_files = None  # the files of this run, as handed to MkDocs (on_files)
_nav = None  # the nav of this run, as MkDocs built it (on_nav), for on_env
_beside = False  # build, up to background.MAX_MEASURES: search index and measure pages made in second processes
_pending: background.Pending | None = None  # build: the search index, made in a second process meanwhile
_written: background.Pending | None = None  # build: the measure pages, written by a second process meanwhile


def _build(config) -> Build:
    return Build.current() or Build(Path(config.config_file_path).resolve().parent / "catalog")


def on_config(config):
    global _site, _uses, _pending, _beside
    _cancel_pending()  # a run interrupted before on_post_build or on_build_error
    _forget_run()
    build = _build(config)
    if build.pages is not None:
        build.pages.rebuild_starts()  # serve: that garbage is collected, what is alive frozen (publish.collector)
    try:
        catalog = build.catalog or load_catalog(build.catalog_dir, parsed=build.pages.parsed if build.pages is not None else None)
    except CatalogError as err:
        raise PluginError("the catalogue has problems:\n" + "\n".join(map(str, err.problems))) from None
    # serve: the previous index may be handed over (publish.pagecache); build: the index is built on another
    # core while the pages are rendered and converted, and moved into place after them (on_post_build); up to
    # a size (see background.MAX_MEASURES), beyond which it comes first in this process
    _beside = build.pages is None and len(catalog.measures()) <= background.MAX_MEASURES
    _pending = handover.search_index_beside(catalog, Path(config.site_dir)) if _beside else None
    try:
        made = release(build.catalog_dir, repository=config.repo_url or "", contact=config.extra.get("contact", ""))
        inputs = {"updated": last_updated(build.catalog_dir), "site_url": config.site_url or "", "release": made}
        if build.pages is not None:  # serve: the previous Site when nothing it is made from changed
            _site = build.pages.assemble(catalog, **inputs)
        else:
            _site = assemble(catalog, **inputs, search_index=None if _pending is not None else searchindex.build_once)
    except BaseException:
        _cancel_pending()
        raise
    _uses = htmlblocks.uses(_site.pages)
    config.nav = _site.nav
    return config


def on_files(files, config):
    global _files
    files = without_unused_theme_files(files)  # no lunr, no search worker, no source maps: no page loads them
    _files = files = handover.add_files(files, config, _site, _build(config).catalog_dir.parent)
    if (cache := _build(config).pages) is not None:
        cache.start(files)
    return files


def on_page_read_source(page, config):
    """serve: a generated page whose source MkDocs parsed in the previous rebuild is not parsed again."""
    if (cache := _build(config).pages) is not None:
        return cache.sources.read_source(page)
    return None


def on_page_markdown(markdown, page, config, files):
    """A page that is one HTML block and nothing else skips Python-Markdown (htmlblocks.marker_only)."""
    cache = _build(config).pages
    if cache is not None:
        markdown = cache.sources.restore(markdown, page)  # a page read_source skipped: its previous parse
    if _fast() and htmlblocks.marker_only(markdown):
        page.render = handover.render_marker_only(page, markdown)
    if cache is not None:
        cache.page_markdown(markdown, page)
    return markdown


def on_page_content(html, page, config, files):
    """The HTML blocks go where their markers are; their ids join the page's anchors, for link validation."""
    html, anchors, headings = htmlblocks.expand(html, _site.html_blocks, release=_uses)
    if anchors:
        page.present_anchor_ids = (page.present_anchor_ids or set()) | anchors
    if headings:
        page.toc = get_toc(htmlblocks.toc_tokens(html))
    if (cache := _build(config).pages) is not None:
        cache.page_content(html, page)
    return html


def on_nav(nav, config, files):
    global _nav
    _nav = nav
    return nav


def on_env(env, config, files):
    """The theme renders its nav once for all pages outside the nav (publish.sharednav, overrides/main.html)."""
    env.globals["shared_nav"] = SharedNav(_nav, config.theme.get("logo"))
    env.bytecode_cache = compiled_templates()  # the theme's templates, compiled once per machine (serve: in memory)
    if _fast():
        FramedPages({page.file.src_uri for page in _nav.pages}).install(
            env, [file.page for file in files.documentation_pages() if file.page is not None])
    if (cache := _build(config).pages) is not None:
        cache.themed(env, config, _nav, files, [Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    return env


def on_post_page(output: str, page, config) -> str:
    """The shell page (themed first) is the measure pages' frame: a second process writes them meanwhile."""
    global _shell, _written
    if page.file.src_uri == MEASURE_SHELL:
        _shell = output
        if _beside:
            _written = handover.measure_pages_beside(Path(config.site_dir), output, _site)
    if (cache := _build(config).pages) is not None:
        cache.page_output(output, page)
    return output


def on_post_build(config) -> None:
    global _pending, _written
    made = {f.dest_uri for f in _files} | set(config.theme.static_templates) if _files is not None else None
    handover.finish(Path(config.site_dir), _shell, _site, config.site_url or "", cache=_build(config).pages, made=made,
                    written=_written)
    _written = None
    if _pending is not None:  # the search index made beside the pages: its files go last (no page links to them)
        pending, _pending = _pending, None
        handover.move_search_index(Path(config.site_dir), pending(), _files)
    if (cache := _build(config).pages) is not None:
        cache.built()
        cache.follow_up()


def on_build_error(error) -> None:
    """A failed build leaves no process of its own running."""
    _cancel_pending()


def _forget_run() -> None:
    """Let the previous run's Site, files, nav and frame go: once its build returned, its MkDocs pages are garbage
    (which `serve` collects and does not freeze, publish.collector)."""
    global _site, _uses, _shell, _files, _nav
    _site = _uses = _shell = _files = _nav = None


def _cancel_pending() -> None:
    global _pending, _written
    for pending in (_pending, _written):
        if pending is not None:
            pending.cancel()
    _pending = _written = None


def on_serve(server, config, builder):
    """Rebuild when the catalogue, a source text or a page template changes (`serve_site` looks for changes
    more often than MkDocs does: PageCache.watch)."""
    folders = [_build(config).catalog_dir, _build(config).catalog_dir.parent / "sources", TEMPLATES]
    if (cache := _build(config).pages) is not None:
        _forget_run()  # the first build's: collected, not frozen, as the server starts
        cache.watch(server, folders)  # also for the follow-up rebuild that brings the search index up to date
    else:
        for folder in folders:
            server.watch(str(folder))
    return server
