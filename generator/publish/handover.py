"""What the MkDocs hook hands to MkDocs, and what it writes after the build: kept here so the hook stays thin.

`add_files` adds every generated page and file of a `site.Site` as a virtual file (nothing lands in
docs/), the redirects last so that none stands where a page is. `finish` writes the measure pages into
the frame the theme rendered once, and lists them in the sitemap; `write_files` writes what was made beside
the build (the search index). `render_marker_only` converts a page that is
one HTML block without Python-Markdown.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from generator.publish.measurepages import remove_stale, update_sitemap, write_measure_pages
from generator.publish.pagecache import PageCache
from generator.site import Site
from generator.site.addresses import MEASURE_SHELL


def add_files(files: Files, config: MkDocsConfig, site: Site, root: Path) -> Files:
    """Add the site's pages, files, redirects and source texts (paths relative to `root`, the repository) to
    `files`. Raises PluginError when a hand-written docs/ file or a page would be hidden."""
    for path, content in (site.pages | site.files).items():
        hidden = path.endswith(".md") and path not in site.in_nav  # reached by links, not by the nav
        _add(files, File.generated(config, path, content=content,
                                   inclusion=InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED))
    measure_pages = set(site.measures.paths())
    for path, content in site.redirects.items():  # last: an old address that is a page again is not hidden
        if path in measure_pages or any(file.dest_uri == path for file in files):
            raise PluginError(f"catalog/redirects.yaml: /{path.removesuffix('index.html')} is a page of the site again: "
                              "remove its redirect")
        _add(files, File.generated(config, path, content=content))
    for path, source in site.sources.items():
        _add(files, File.generated(config, path, abs_src_path=str(root / source)))
    return files


def finish(site_dir: Path, shell: str | None, site: Site, site_url: str, *,
           cache: PageCache | None = None, made: set[str] | None = None) -> None:
    """After MkDocs: the measure pages in the frame `shell` (the rendered shell page), and the sitemap. Under
    `serve` (`cache` given), measure pages already there are not written again, and every file of `site_dir`
    that is neither in `made` (the site paths MkDocs wrote in this build) nor a measure page is removed."""
    if shell is None:
        raise PluginError(f"{MEASURE_SHELL} was not rendered: the measure pages have no frame")
    write_measure_pages(site_dir, shell, site.measures, None if cache is None else cache.measure_pages)
    update_sitemap(site_dir, site_url, (p.removesuffix("index.html") for p in site.measures.paths()))
    if cache is not None and made is not None:
        remove_stale(site_dir, made | set(site.measures.paths()) | {"sitemap.xml.gz"})


def write_files(site_dir: Path, written: dict[str, bytes], files: Files | None) -> None:
    """Write files MkDocs was not given into the built site `site_dir`: {site path: content}, such as the search
    index a second process made while MkDocs built the pages (publish.background). Raises PluginError when one
    would replace a file of this build (`files`, as the hook handed them to MkDocs): a docs/ file of that name."""
    taken = {file.dest_uri for file in files} if files is not None else set()
    for path, content in written.items():
        if path in taken:
            raise PluginError(f"docs/{path} would hide a generated file of the same name: remove it")
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


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
