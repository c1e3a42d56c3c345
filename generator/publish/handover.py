"""What the MkDocs hook hands to MkDocs, and what it writes after the build: kept here so the hook stays thin.

`add_files` adds every generated page and file of a `site.Site` as a virtual file (nothing lands in
docs/), the redirects last so that none stands where a page is. `finish` writes the measure pages into
the frame the theme rendered once (or takes those a second process wrote meanwhile, `measure_pages_beside`),
and lists them in the sitemap. `search_index_beside` has a second process build the search index and write
its files into a hidden folder of the site, which `move_search_index` moves into place after the pages.
`render_marker_only` converts a page that is one HTML block without Python-Markdown.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from generator.model import Catalog
from generator.publish import background
from generator.publish.measurepages import frame, remove_shell, remove_stale, update_sitemap, write_measure_pages
from generator.publish.pagecache import PageCache
from generator.site import Site, searchindex
from generator.site.addresses import MEASURE_SHELL

# Where the search index made beside the pages waits for them: a folder of the site being built that MkDocs'
# clean leaves alone (it keeps names starting with a dot) and that is gone once the index is in place.
INDEX_FOLDER = ".search-index"


def add_files(files: Files, config: MkDocsConfig, site: Site, root: Path) -> Files:
    """Add the site's pages, files, redirects and source texts (paths relative to `root`, the repository) to
    `files`. Raises PluginError when a hand-written docs/ file or a page would be hidden."""
    for path, content in (site.pages | site.files).items():
        hidden = path.endswith(".md") and path not in site.in_nav  # reached by links, not by the nav
        _add(files, File.generated(config, path, content=content,
                                   inclusion=InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED))
    measure_pages = set(site.measures.paths())
    for file in files:  # the measure pages are written beside MkDocs' own files (measure_pages_beside)
        if file.dest_uri in measure_pages:
            raise PluginError(f"docs/{file.src_uri} would stand where the page of a measure is: remove it")
    for path, content in site.redirects.items():  # last: an old address that is a page again is not hidden
        if path in measure_pages or any(file.dest_uri == path for file in files):
            raise PluginError(f"catalog/redirects.yaml: /{path.removesuffix('index.html')} is a page of the site again: "
                              "remove its redirect")
        _add(files, File.generated(config, path, content=content))
    for path, source in site.sources.items():
        _add(files, File.generated(config, path, abs_src_path=str(root / source)))
    return files


def finish(site_dir: Path, shell: str | None, site: Site, site_url: str, *, cache: PageCache | None = None,
           made: set[str] | None = None, written: background.Pending[int] | None = None) -> None:
    """After MkDocs: the measure pages in the frame `shell` (the rendered shell page), or, when `written` is given,
    those a second process wrote meanwhile (`measure_pages_beside`); then the shell's own page goes and the
    sitemap lists the measure pages. Under `serve` (`cache` given), measure pages already there are not written
    again (nor rendered, when the Site is the previous one: `PageCache.measure_pages_there`), and every file of
    `site_dir` that is neither in `made` (the site paths MkDocs wrote in this build) nor a measure page is removed."""
    if shell is None:
        raise PluginError(f"{MEASURE_SHELL} was not rendered: the measure pages have no frame")
    if written is not None:
        written()
    elif cache is None:
        write_measure_pages(site_dir, shell, site.measures)
    elif not cache.measure_pages_there(site.measures, shell, site_dir):
        write_measure_pages(site_dir, shell, site.measures, cache.measure_pages)
        cache.measure_pages_written(site.measures, shell)
    remove_shell(site_dir)
    update_sitemap(site_dir, site_url, (p.removesuffix("index.html") for p in site.measures.paths()))
    if cache is not None and made is not None:
        keep = made | set(site.measures.paths()) | {"sitemap.xml.gz"}
        if cache.may_hold_more(keep):
            remove_stale(site_dir, keep)
        cache.holds(keep)


def measure_pages_beside(site_dir: Path, shell: str, site: Site) -> background.Pending[int]:
    """Start writing the measure pages into `site_dir` in the frame `shell` in a second process
    (publish.background), while MkDocs themes and writes the other pages; `finish` waits for it. Their paths are
    no file's MkDocs writes (`add_files` refuses such a file), so the two never write the same file. Raises
    ShellError at once when `shell` is not a frame."""
    frame(shell)
    return background.in_background(write_measure_pages, site_dir, shell, site.measures)


def search_index_beside(catalog: Catalog, site_dir: Path) -> background.Pending[list[str]]:
    """Start building the search index of `catalog` in a second process that writes its files into
    `site_dir`/INDEX_FOLDER; the Pending gives their site paths (`move_search_index` puts them in place).
    Cancelling it stops the process and removes the folder."""
    pending = background.in_background(_write_search_index, catalog, site_dir / INDEX_FOLDER)

    def cancel() -> None:
        stop()
        shutil.rmtree(site_dir / INDEX_FOLDER, ignore_errors=True)

    stop, pending.cancel = pending.cancel, cancel
    return pending


def _write_search_index(catalog: Catalog, folder: Path) -> list[str]:
    shutil.rmtree(folder, ignore_errors=True)  # what an interrupted build left
    files = searchindex.build(catalog)
    for path, content in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return sorted(files)


def move_search_index(site_dir: Path, paths: list[str], files: Files | None) -> None:
    """Move the search index's files (`paths`, site paths, as `search_index_beside` gave them) from their
    folder into the built site `site_dir`: each top folder by one rename when the site has none of that name,
    else file by file. Raises PluginError when one would replace a file of this build (`files`, as the hook
    handed them to MkDocs): a docs/ file of that name."""
    folder = site_dir / INDEX_FOLDER
    taken = {file.dest_uri for file in files} if files is not None else set()
    for path in paths:
        if path in taken:
            raise PluginError(f"docs/{path} would hide a generated file of the same name: remove it")
    for top in sorted({path.split("/", 1)[0] for path in paths}):
        if not (site_dir / top).exists():
            os.rename(folder / top, site_dir / top)
            continue
        for path in (p for p in paths if p.split("/", 1)[0] == top):
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(folder / path, site_dir / path)
    shutil.rmtree(folder)


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(f"docs/{file.src_uri} would hide a generated file of the same name: remove it")
    files.append(file)


def render_marker_only(page, markdown: str):  # noqa: ANN001, ANN201 - a MkDocs Page and its Page.render
    """`Page.render` for a page of one marker: what MkDocs' own would leave (the marker as content, no table of
    contents, heading title, anchors or links in its Markdown; `expand` then adds the block's), without making
    a Python-Markdown instance for it (MkDocs makes one per page, with every extension: about 1 ms)."""
    def render(config, files) -> None:  # noqa: ANN001
        page.content = markdown.strip()
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        page.links_to_anchors = {}

    return render
