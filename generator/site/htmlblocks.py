"""HTML blocks: the bulky, repeated parts of generated pages, written as HTML that Python-Markdown never parses.

A plan's page is mostly its measures, a unit's page mostly its list of measures; as Markdown they were most of
the build's time (issue 15: Python-Markdown was 38% of a 1x build, its inline patterns and MkDocs' scan of
raw HTML for anchors most of that). So a template renders such a part with an HTML template
(`html_block`, which `pages.render_site` gives every Markdown template) and puts a marker in its place in the page's Markdown:

    <!--html-block:<blake2b-128 of the HTML, hex>-->

Python-Markdown passes an HTML comment through unchanged, so after conversion `expand` puts each block's HTML
where its marker is, and reports the block's element ids, which MkDocs must know to validate links to anchors
inside it (`Page.present_anchor_ids`). A block may hold headings, written as the toc extension writes them
(`htmlpieces.heading`, with its permalink); the page's table of contents is then read from its HTML
(`toc_tokens`), in the same form as the extension's.

Most generated pages are one block and nothing else (`marker_only`), title included: Python-Markdown costs
about 1-3 ms a page however little Markdown is left around the blocks, which at 50 times the catalogue was
10 s over 2,400 pages. Such a page skips Python-Markdown (publish.handover.render_marker_only); its Markdown
template writes only the front matter.

Catalogue text cannot forge a marker: every printed value is escaped (`<` becomes `&lt;`). A marker names its
block by a digest of the block's HTML, so a page's Markdown changes whenever one of its blocks does (the serve
page cache keys on the Markdown).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from markdown.extensions.toc import nest_toc_tokens, strip_tags
from markupsafe import Markup

MARKER = re.compile(r"<!--html-block:([0-9a-f]{32})-->")
_ID = re.compile(r'\sid="([^"]*)"')
# a heading as the toc extension writes it (and htmlpieces.heading): id first, permalink last
_ANY_HEADING = re.compile(r"<h[1-6][\s>]")
HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="headerlink" href="#[^"]*" title="[^"]*">&para;</a></h\1>')


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """One block: its HTML, and the ids of its elements (anchors other pages may link to)."""

    html: str
    anchors: frozenset[str]
    headings: bool  # it holds headings: the page's table of contents is read from its HTML (`toc_tokens`)


class HtmlBlocks:
    """The blocks of a rendering, collected as the templates make them: {digest: HtmlBlock}."""

    def __init__(self) -> None:
        self.blocks: dict[str, HtmlBlock] = {}

    def add(self, block: str) -> Markup:
        """Keep `block` (HTML) and return its marker, a line of Markdown with blank lines around it."""
        key = hashlib.blake2b(block.encode("utf-8"), digest_size=16).hexdigest()
        if key not in self.blocks:
            self.blocks[key] = HtmlBlock(block, frozenset(html.unescape(i) for i in _ID.findall(block)),
                                         headings=HEADING.search(block) is not None)
        return Markup(f"\n<!--html-block:{key}-->\n")


def expand(text: str, blocks: Mapping[str, HtmlBlock], *, release: Counter[str] | None = None,
           ) -> tuple[str, set[str], bool]:
    """`text` (a page's HTML after Python-Markdown, or its Markdown) with each marker replaced by its block, the
    ids of the blocks' elements, and whether a block holds headings (then the page's table of contents is
    `toc_tokens` of the result). KeyError for a marker without a block: a bug, never silently dropped.
    `release` ({digest: markers not yet expanded}, from `uses`): each block is removed from `blocks` (a dict)
    once its last marker is expanded, so a build holds each page's HTML once (at 50x the blocks were 350 MB)."""
    anchors: set[str] = set()
    headings = False

    def block(match: re.Match) -> str:
        nonlocal headings
        key = match.group(1)
        found = blocks[key]
        anchors.update(found.anchors)
        headings |= found.headings
        if release is not None:
            release[key] -= 1
            if release[key] <= 0:
                del blocks[key]  # type: ignore[attr-defined]
        return found.html

    return MARKER.sub(block, text), anchors, headings


def uses(pages: Mapping[str, str]) -> Counter[str]:
    """{digest: how many markers of the block the pages hold} (`expand`'s `release`)."""
    return Counter(key for text in pages.values() for key in MARKER.findall(text))


def toc_tokens(page: str) -> list[dict]:
    """The table of contents of a page's HTML as the toc extension gives it to MkDocs (`mkdocs.structure.toc.
    get_toc`): nested [{level, id, name, children}], every heading of the page in order, name its text."""
    found = HEADING.findall(page)
    if len(found) != len(_ANY_HEADING.findall(page)):  # a heading in another form would be left out silently
        raise ValueError("a heading of the page is not in the form the table of contents reads (htmlpieces.heading)")
    return nest_toc_tokens([{"level": int(level), "id": html.unescape(ident), "name": strip_tags(inner)}
                            for level, ident, inner in found])


def expanded(pages: Mapping[str, str], blocks: Mapping[str, HtmlBlock]) -> dict[str, str]:
    """Every page's Markdown with its blocks in place: what the page says, as tests and golden files read it
    (Python-Markdown converts it as it would the page, the blocks being raw HTML)."""
    return {path: expand(text, blocks)[0] for path, text in pages.items()}


def marker_only(markdown: str) -> bool:
    """Whether a page's Markdown (its front matter removed) is one marker and nothing else."""
    return MARKER.fullmatch(markdown.strip()) is not None

