"""Under `serve`: MkDocs converts and themes again only the pages whose inputs changed since the last rebuild.

A rebuild still runs the whole chain (load and validate the catalogue, assemble every page's Markdown, MkDocs
with the hook), so whatever a change touches is recomputed from data. What is skipped: parsing the catalogue
files whose bytes did not change (`parsed`, catalog.ParsedFiles); assembling the site again when its inputs
are those of the previous rebuild (`assemble`: the follow-up rebuild below, a file saved unchanged), and then
rendering the measure pages again; otherwise, rendering again a generated page or measure page none of whose
inputs and reads changed (`memo`, site.memo: exact, by recorded reads); and the costly part of MkDocs for pages
whose inputs are unchanged, which is correct because MkDocs' output for a page is a function of those inputs:

- Markdown -> HTML (`Page.render`: content, table of contents, title, anchors, links to other pages'
  anchors) depends on the page's Markdown and front matter, its address, and the set of files of the site
  (a link is resolved against them; the search index's files excepted: no page links to them). Key: a
  digest of those (`content key`). Same key: the previous conversion is restored instead of converting
  again. Anchor links are still validated across the whole site on every rebuild (restored pages carry
  their anchors and links).
- Theme (`main.html` around the content) additionally depends on the nav (titles and addresses), the
  configuration (mkdocs.yml, SITE_URL, REPO_URL) and the theme's files (overrides/, the theme version).
  Key: the content key plus a digest of those (`site key`). Same key: the previous output is written, or,
  when the page's file holds it (written by a rebuild that reached on_post_build, and still there), MkDocs
  leaves the file alone.

A generated file that is not a page (a download, a calendar, the search index's files) is not written again
when its bytes are those the previous finished rebuild wrote into its file (`start`: MkDocs leaves it alone).

The search index (several seconds at 1x, most of a rebuild) is built from the whole catalogue. When the
server is known (`server`, set by the hook's on_serve) and an index was built before, a rebuild hands over
the previous index (`search_index`), so the changed pages show at once, and asks the server for one more
rebuild (`follow_up`), which builds the index of the new catalogue; the Site, every page and every measure
page of that rebuild come from this cache. So the served site equals a full build once that second rebuild
is done (a second or two later at 1x); only the search index lags, never a page.

A warning MkDocs logged while converting a page is not logged again while that page is restored (its key,
which includes every file of the site, is unchanged, so the warning would be the same). `python -m generator
build` never uses this cache: every build converts every page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from watchdog.events import FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from generator.catalog import ParsedFiles
from generator.model import Catalog, Release
from generator.publish.collector import RebuildCollector
from generator.publish.measurepages import Written
from generator.publish.parsedpages import ParsedPages
from generator.site import Site, assemble, searchindex
from generator.site.addresses import MEASURE_SHELL
from generator.site.jinjacache import TEMPLATES
from generator.site.memo import PageMemo
from generator.site.searchindex import ROOT as SEARCH_ROOT

# The search index's files are named by a digest of their content (searchindex.ROOT/<v>/…), so their names
# change with any change of the catalogue; no page links to them, so they are left out of the files key.
SEARCH_FOLDER = SEARCH_ROOT + "/"
log = logging.getLogger("mkdocs.hooks.pagecache")
WATCH_POLL = 0.1  # seconds between two looks for changes of the catalogue under `serve` (`PageCache.watch`)
CACHED_TEMPLATE = "catalog-cached-page.html"  # a template that prints the page's previous output


@dataclass
class _Rendered:
    key: str  # content key
    content: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # {site path of the linked page: {anchor: link as written}}
    output_key: str = ""  # site key of `output`, "" before the theme rendered the page
    output: str = ""


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory between rebuilds (MkDocs makes a new Jinja environment
    for every build). Jinja checks each entry against its template's source, so an edited template compiles
    again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _digest(*parts: object) -> str:
    hashed = hashlib.blake2b(digest_size=16)
    for part in parts:
        hashed.update(str(part).encode("utf-8", "surrogatepass"))
        hashed.update(b"\x00")
    return hashed.hexdigest()


class PageCache:
    """The pages of the previous rebuilds of one `serve` process: {src_uri: what MkDocs made of it}.

    The hook calls, per rebuild: `start` (on_files), `page_markdown` and `page_content` (per page),
    `themed` (on_env), `page_output` (on_post_page), `built` (on_post_build). `reused`, `converted`,
    `themed_again` and `left_on_disk` count this rebuild's pages."""

    def __init__(self) -> None:
        self._pages: dict[str, _Rendered] = {}
        self._keys: dict[str, str] = {}  # this rebuild: src_uri -> content key
        self._files_key = ""
        self._site_key = ""
        self.reused = self.converted = self.themed_again = self.left_on_disk = 0
        self._compiled = _CompiledTemplates()
        self._on_disk: dict[str, tuple[str, str]] = {}  # src_uri -> (content key, site key) of its file's output
        self._writing: dict[str, tuple[str, str]] = {}  # the same, of this rebuild, until it finishes (`built`)
        self._data_on_disk: dict[str, bytes] = {}  # generated file (site path) -> the bytes its file holds
        self._data_writing: dict[str, bytes] = {}  # the same, of this rebuild, until it finishes (`built`)
        self.data_left = 0  # this rebuild's generated files left alone: their files hold their bytes
        self._held: set[str] | None = None  # the site paths of every file of the served folder, when known
        self._held_before: set[str] | None = None  # the same, as this rebuild began
        self.parsed = ParsedFiles()  # the catalogue files' parses, for the next load (catalog.ParsedFiles)
        self.measure_pages = Written()  # the measure pages written into the served folder
        self._measures_written: tuple[Any, str] | None = None  # (site.measures, frame) the pages were written from
        self.server: Any = None  # mkdocs.livereload.LiveReloadServer, when serving
        self._observer: Any = None  # the look for changes of the catalogue (`watch`)
        self._search: tuple[Catalog, dict[str, bytes]] | None = None  # the newest index, and its catalogue
        self.search_stale = False  # this rebuild handed over an index of an older catalogue
        self._site: tuple[tuple, Site] | None = None  # the latest Site assembled (no search index), and its inputs
        self.site_reused = False  # this rebuild's Site is the previous one: nothing it is made from changed
        self.memo = PageMemo()  # the generated pages' Markdown, with what each depended on (site.memo)
        self.sources = ParsedPages()  # the generated pages' sources as MkDocs parsed them (publish.parsedpages)
        self.collector = RebuildCollector()  # while serving: the cycle collector scans each rebuild's objects once

    def search_index(self, catalog: Catalog) -> dict[str, bytes]:
        """The search index's files for `catalog` (`searchindex.build`), or, when serving and the catalogue
        changed, the previous index while `follow_up` has the next rebuild build the new one."""
        if self._search is not None and self._search[0] == catalog:
            self.search_stale = False
            return self._search[1]
        if self._search is not None and self.server is not None and not self.search_stale:
            self.search_stale = True
            return self._search[1]
        self._search, self.search_stale = (catalog, searchindex.build(catalog)), False
        return self._search[1]

    def assemble(self, catalog: Catalog, *, updated: dt.date, site_url: str, release: Release) -> Site:
        """`site.assemble` of these inputs with the search index of `search_index`. When the catalogue, the other
        inputs and the page templates are those of the previous rebuild (the follow-up rebuild that brings the
        search index up to date, a file saved unchanged), the previous Site is handed out again instead of
        assembling every page anew: `assemble` is a pure function of those (no environment, git or clock), and the
        previous Site is never modified (each rebuild gets its own dict of HTML blocks, which the hook empties as
        it expands them). Otherwise `assemble` renders again only the pages whose inputs changed (`memo`,
        site.memo.PageMemo). Raises what `assemble` raises."""
        templates = _templates_digest()
        key = (catalog, updated, site_url, release, templates)
        self.site_reused = self._site is not None and self._site[0] == key
        if not self.site_reused:
            self._site = None  # the previous Site's memory goes before the next one is made
            self.memo.begin(templates)
            self._site = (key, assemble(catalog, updated=updated, site_url=site_url, release=release,
                                        search_index=None, memo=self.memo))
            self.memo.finish()
        site = self._site[1]
        return dataclasses.replace(site, html_blocks=dict(site.html_blocks),
                                   files=site.files | self.search_index(catalog))

    def measure_pages_there(self, measures: Any, shell: str, site_dir: Path) -> bool:
        """True when the measure pages `measures` (a Site's MeasurePages) in the frame `shell` are the very ones
        the previous rebuild wrote into `site_dir` and each is still there: the Site was handed out again
        (`assemble`) and the theme rendered the same frame, so writing them would write the same bytes."""
        previous, folder = self._measures_written, os.fspath(site_dir) + os.sep
        return (previous is not None and previous[0] is measures and previous[1] == shell
                and all(os.path.isfile(folder + path) for path in measures.paths()))

    def measure_pages_written(self, measures: Any, shell: str) -> None:
        """The measure pages `measures` in the frame `shell` are now in the served folder."""
        self._measures_written = (measures, shell)

    def follow_up(self) -> None:
        """After a rebuild: when it handed over an older search index, ask the server for one more rebuild."""
        if self.search_stale and self.server is not None:
            log.info("The catalogue changed: a follow-up rebuild brings the search index up to date")
            self._ask_for_rebuild()

    def _ask_for_rebuild(self) -> None:
        """(mkdocs 1.6's LiveReloadServer has no public call for it: this is what its file watcher does.)"""
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()

    def watch(self, server: Any, folders: list[Path]) -> None:
        """Serve with `server`, and look for changes in `folders` (the catalogue, the source texts, the page
        templates) every WATCH_POLL seconds, asking the server for a rebuild on any change of a file. MkDocs'
        own watcher looks every 0.5 s (mkdocs#2477: polling, which sees every kind of save, on every file
        system); at that pace the look alone was a third of the time from saving a plan to seeing it at 1x.
        Looking costs a stat per file: some 1,300 files at 50x, 13,000 stats a second, about 1% of a core."""
        self.server = server
        self._observer = PollingObserver(timeout=WATCH_POLL)
        handler = FileSystemEventHandler()
        handler.on_any_event = lambda event: None if event.is_directory else self._ask_for_rebuild()
        for folder in folders:
            self._observer.schedule(handler, str(folder), recursive=True)
        self._observer.start()
        self.collector.collect_and_freeze()  # the first build's garbage goes now, before anyone edits

    def rebuild_starts(self) -> None:
        """A rebuild of the running server begins (the hook's on_config): collect the previous rebuild's garbage
        and leave what is alive out of later collections (publish.collector). Nothing before the server runs."""
        if self._observer is not None:
            self.collector.collect_and_freeze()

    def stop_watching(self) -> None:
        """The server stopped: so do the look for changes (`watch`) and the collector's serve settings."""
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
            self._observer = None
        self.collector.stop()

    def start(self, files: Files) -> None:
        """A rebuild begins; `files` is the site's final set of files."""
        self._files_key = _digest(*sorted(f"{f.src_uri}>{f.dest_uri}" for f in files
                                          if not f.src_uri.startswith(SEARCH_FOLDER)))
        self._keys, self._site_key = {}, ""
        self.sources.start({file.src_uri for file in files.documentation_pages()})
        for file in files.documentation_pages():  # a dirty build would skip an unchanged docs/ page: this
            file.is_modified = _always  # cache decides instead, knowing what else (the nav…) changed
        for uri in self._writing:  # a rebuild that did not finish: what it wrote is not known to be there
            self._on_disk.pop(uri, None)
        for path in self._data_writing:
            self._data_on_disk.pop(path, None)
        self._writing, self._data_writing = {}, {}
        self._held_before, self._held = self._held, None  # a rebuild that fails leaves it unknown
        self.reused = self.converted = self.themed_again = self.left_on_disk = self.data_left = 0
        for file in files:  # a generated file (a download, a calendar…) whose file holds its bytes: not written
            if file.abs_src_path is None and not file.is_documentation_page():
                data = file.content_bytes
                if self._data_on_disk.get(file.dest_uri) == data and os.path.isfile(file.abs_dest_path):
                    file.is_modified = _never
                    self.data_left += 1
                else:
                    self._data_writing[file.dest_uri] = data

    def page_markdown(self, markdown: str, page: Page) -> None:
        """Before conversion: restore the page's previous conversion when its content key is unchanged."""
        uri = page.file.src_uri
        key = _digest(self._files_key, uri, page.file.url, sorted(page.meta.items()), markdown)
        self._keys[uri] = key
        previous = self._pages.get(uri)
        if previous is None or previous.key != key:
            self.converted += 1
            return
        self.reused += 1

        def restore(config: MkDocsConfig, files: Files, page: Page = page, done: _Rendered = previous) -> None:
            page.content, page.toc, page._title_from_render = done.content, done.toc, done.title
            page.present_anchor_ids = set(done.anchors) if done.anchors is not None else None
            page.links_to_anchors = None if done.links is None else {
                files.get_file_from_path(path): dict(links) for path, links in done.links.items()
                if files.get_file_from_path(path) is not None}

        page.render = restore  # this Page object only (MkDocs makes new ones every rebuild)

    def page_content(self, html: str, page: Page) -> None:
        """After conversion (or restoration): remember the result under the page's content key."""
        uri = page.file.src_uri
        previous = self._pages.get(uri)
        if previous is not None and previous.key == self._keys.get(uri):
            return
        links = None if page.links_to_anchors is None else {
            file.src_uri: dict(anchors) for file, anchors in page.links_to_anchors.items()}
        self._pages[uri] = _Rendered(key=self._keys.get(uri, ""), content=html, toc=page.toc,
                                     title=page._title_from_render, anchors=page.present_anchor_ids, links=links)

    def themed(self, env: jinja2.Environment, config: MkDocsConfig, nav: Navigation, files: Files,
               theme_dirs: list[Path]) -> None:
        """Before the theme renders the pages: pages whose content and site keys are unchanged get a template
        that prints their previous output."""
        self._site_key = _digest(_nav_text(nav), self._files_key, Path(config.config_file_path).read_bytes(),
                                 os.environ.get("SITE_URL"), os.environ.get("REPO_URL"), version("mkdocs-material"),
                                 *sorted(f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}"
                                         for d in theme_dirs for p in d.rglob("*") if p.is_file()))
        env.bytecode_cache = self._compiled
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({CACHED_TEMPLATE: "{{ catalog_cached_page(page) }}"}),
                                          env.loader])
        env.globals["catalog_cached_page"] = lambda page: self._pages[page.file.src_uri].output
        for file in files.documentation_pages():
            done = self._pages.get(file.src_uri)
            if file.page is not None and done is not None and done.key == self._keys.get(file.src_uri) \
                    and done.output_key == self._site_key:
                if self._on_disk.get(file.src_uri) == (done.key, self._site_key) and file.src_uri != MEASURE_SHELL \
                        and os.path.isfile(file.abs_dest_path):
                    file.is_modified = _never  # its file holds that output: MkDocs neither themes nor writes it
                    self.left_on_disk += 1
                else:
                    file.page.meta["template"] = CACHED_TEMPLATE
            else:
                self.themed_again += 1

    def page_output(self, output: str, page: Page) -> None:
        """After the theme: remember the page's output under its site key."""
        done = self._pages.get(page.file.src_uri)
        if done is not None and done.key == self._keys.get(page.file.src_uri):
            done.output, done.output_key = output, self._site_key
            self._writing[page.file.src_uri] = (done.key, self._site_key)  # MkDocs writes it next

    def may_hold_more(self, keep: set[str]) -> bool:
        """False when the served folder held exactly the files `keep` (site paths) before this rebuild, which
        wrote only those: then no file of it can be stale, and walking its tens of thousands of folders to look
        for one can be skipped. Not known after a rebuild that failed (it may have written other files)."""
        return self._held_before != keep

    def holds(self, keep: set[str]) -> None:
        """The served folder now holds exactly the files `keep`."""
        self._held = keep

    def built(self) -> None:
        """The rebuild got through its pages (on_post_build): every page output it recorded is in its file."""
        self._on_disk |= self._writing
        self._data_on_disk |= self._data_writing
        self._writing, self._data_writing = {}, {}


def _templates_digest() -> str:
    """A digest of the page templates' names and bytes (serve watches their folder: an edit means a new Site)."""
    return _digest(*(f"{p.relative_to(TEMPLATES)}:{p.read_bytes().hex()}" for p in sorted(TEMPLATES.rglob("*"))
                     if p.is_file()))


def _always() -> bool:
    return True


def _never() -> bool:
    return False


def _nav_text(nav: Navigation) -> str:
    """The nav as the theme sees it: titles, addresses and nesting."""
    def walk(items: list) -> str:
        return "".join(f"({item.title}|{getattr(item, 'url', '')}|{walk(item.children or [])})" for item in items)

    return walk(nav.items)
