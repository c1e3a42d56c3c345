"""Under `serve`: a generated page whose source is the previous rebuild's is not parsed by MkDocs again.

MkDocs reads every page's source and splits its front matter off with a YAML parser (`Page.read_source`,
`mkdocs.utils.meta.get_data`): at 50x, some 14,000 generated pages and about 0.7 s of each rebuild, though the
memo (site.memo) hands out most of them unchanged. That split is a pure function of the source, so for a
generated page whose source equals the one the previous rebuild parsed, `read_source` (on_page_read_source)
gives MkDocs an empty source, which it splits at once, and `restore` (first in on_page_markdown) gives the page
back the Markdown and metadata parsed before. Hand-written docs/ pages are read and parsed as usual.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.pages import Page


def _copied(value: Any) -> Any:
    """A copy of parsed front matter deep enough that changing it (the hook sets a page's template) leaves the
    kept one as it was: its mappings and lists copied, the rest (strings, numbers, dates) shared."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


class ParsedPages:
    """{src_uri: (source, Markdown, metadata)} of the generated pages MkDocs parsed in the rebuilds of one `serve`.
    `skipped` counts this rebuild's pages whose parse was handed out again."""

    def __init__(self) -> None:
        self._parsed: dict[str, tuple[str, str, dict[str, Any]]] = {}
        self._skipped: dict[str, tuple[str, str, dict[str, Any]]] = {}  # this rebuild: parses to hand out again
        self.skipped = 0

    def start(self, uris: set[str]) -> None:
        """A rebuild begins with the pages `uris` (src_uri): the parses of other pages go."""
        self._parsed = {uri: kept for uri, kept in self._parsed.items() if uri in uris}
        self._skipped, self.skipped = {}, 0

    def read_source(self, page: Page) -> str | None:
        """on_page_read_source: "" (nothing for MkDocs to parse) when the page is generated and its source is the
        one parsed before (`restore` then gives back that parse); else None, and MkDocs reads the source."""
        if page.file.abs_src_path is not None:  # a docs/ file: read from disk, as MkDocs does
            return None
        kept = self._parsed.get(page.file.src_uri)
        if kept is None or not (kept[0] is page.file.content_string or kept[0] == page.file.content_string):
            return None
        self._skipped[page.file.src_uri] = kept
        self.skipped += 1
        return ""

    def restore(self, markdown: str, page: Page) -> str:
        """First in on_page_markdown: the page's Markdown. A page `read_source` skipped gets the Markdown and
        metadata of its previous parse (a copy); of a generated page parsed now, the parse is kept."""
        kept = self._skipped.pop(page.file.src_uri, None)
        if kept is not None:
            page.markdown, page.meta = kept[1], _copied(kept[2])
            return kept[1]
        if page.file.abs_src_path is None:
            self._parsed[page.file.src_uri] = (page.file.content_string, markdown, _copied(page.meta))
        return markdown
