"""Pages outside the nav themed through one frame: the theme renders one page of a kind with tokens in the
place of the page's own values, and every other page of that kind is the frame with its values put in.

Why: Material's page template costs about 3 ms a page, and most pages are outside the nav (a unit's page,
a source text, a reform, a domain's part): 266 at 1x, about 20,000 at 50x. For such a page the theme's
output depends on the page only through its title, description, canonical address, content and table of
contents; everything else (nav, header, footer, scripts, relative addresses) is the same for every page in
the same folder (see sharednav.py for the nav).

How it stays exact:
- A kind is a key of everything else the theme reads (`_key`: the page's folder, which fixes every relative
  address; front matter with a title and a description only; not in the nav, no prev/next page; whether
  addresses are absolute), and the page must open with a level-1 heading; any other page is themed as before.
- The frame is rendered by the theme's own template (main.html) for a proxy of a real page of the kind, its
  values replaced by tokens. It is rendered twice, the second time with tokens holding `<&"'>`: only when the
  second equals the first with its tokens so changed does every token land where the theme prints the value
  as it is (no filter); otherwise the kind is themed page by page as before.
- The table of contents and the skip link are rendered per page by the theme's own partial and MkDocs' own
  `normalize_url`, as the template would.
- tests/test_site_build.py builds the fixture site with and without frames and compares every page.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

import jinja2
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import normalize_url

FRAMED_TEMPLATE = "catalog-framed-page.html"  # the template framed pages get: it prints `framed_page(page)`
_TOC = '{% import "partials/language.html" as lang with context %}{% include "partials/toc.html" %}'
_FIELDS = ("title", "description", "canonical", "content")
_PLAIN = {name: f"CATALOGFRAME{name.upper()}" for name in _FIELDS}
_HOSTILE = {name: token + "<&\"'>" for name, token in _PLAIN.items()}
_SKIP = "catalogframeskip"  # the id of the proxy's first heading (the skip link's target)
_TOC_TOKEN = "CATALOGFRAMETOC"
_TOKENS = re.compile("|".join(re.escape(t) for t in (*_PLAIN.values(), _TOC_TOKEN)))


class _Proxy:
    """A page as the theme sees it, its own values replaced by `tokens`; everything else is the page's."""

    def __init__(self, page: Page, tokens: dict[str, str]) -> None:
        self._page = page
        self.meta = {**page.meta, "title": tokens["title"], "description": tokens["description"]}
        self.title = tokens["title"]
        self.content = f"<h1>{tokens['content']}</h1>"
        self.canonical_url = tokens["canonical"] if page.canonical_url else page.canonical_url
        self.toc = TableOfContents([AnchorLink(tokens["title"], _SKIP, 1)])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


class FramedPages:
    """The frames of one build: `install(env)` in on_env; framed pages' template calls `render`."""

    def __init__(self, listed: set[str]) -> None:
        self._listed = listed  # src_uri of the pages the nav lists: never framed
        self._frames: dict[tuple, str | None] = {}  # key -> frame with tokens, None: the kind is not framed
        self.framed = 0  # pages of this build that came from a frame
        self._toc: jinja2.Template | None = None  # the theme's table of contents partial, on its own

    def install(self, env: jinja2.Environment, pages: list[Page]) -> None:
        """Give every page that fits a key the framed template (the theme's environment `env`)."""
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({FRAMED_TEMPLATE: "{{ framed_page(page) }}"}), env.loader])
        env.globals["framed_page"] = jinja2.pass_context(lambda context, page: self.render(context, page))
        self._toc = env.from_string(_TOC)
        for page in pages:
            if self._key(page) is not None:
                page.meta["template"] = FRAMED_TEMPLATE

    def _key(self, page: Page) -> tuple | None:
        if page.file.src_uri in self._listed or page.is_homepage or page.previous_page or page.next_page:
            return None
        if set(page.meta) - {"title", "description", "template"} or not {"title", "description"} <= set(page.meta):
            return None
        # the folder, not only the depth: the theme's relative addresses (MkDocs' normalize_url) share what
        # the page's address and the target's have in common (tables/alignment/x/ -> "../", tables/calendar/x/
        # -> "../../alignment/")
        return (posixpath.dirname(page.url.rstrip("/")), page.canonical_url is None)

    def render(self, context: jinja2.runtime.Context, page: Page) -> str:
        """The page's output: its frame filled in, or (a kind the frame cannot take) the theme's own rendering."""
        key = self._key(page)
        values = {**context.get_all(), "page": page}
        main = context.environment.get_template("main.html")
        first = page.toc.items[0] if page.toc and len(page.toc) else None
        if key is not None and key not in self._frames:
            self._frames[key] = self._frame(main, values, page)
        frame = self._frames.get(key) if key is not None else None
        if frame is None or first is None or first.level != 1:
            return main.render(values)
        filled = {_PLAIN["title"]: page.meta["title"], _PLAIN["description"]: page.meta["description"],
                  _PLAIN["canonical"]: page.canonical_url or "", _PLAIN["content"]: page.content or "",
                  _TOC_TOKEN: self._toc.render(values)}
        self.framed += 1
        return _TOKENS.sub(lambda m: filled[m.group()], frame).replace(
            f'href="#{_SKIP}"', f'href="{normalize_url(first.url, page)}"', 1)

    def _frame(self, main: jinja2.Template, values: dict, page: Page) -> str | None:
        """The theme's output for `page` with tokens for its values and the table of contents, or None when a
        token lands where the theme does not print the value as it is."""
        def themed(tokens: dict[str, str]) -> str | None:
            proxy = {**values, "page": _Proxy(page, tokens)}
            toc = self._toc.render(proxy)
            out = main.render(proxy)
            content = f"<h1>{tokens['content']}</h1>"  # the proxy's content: the theme adds no title of its own
            if out.count(toc) != 1 or out.count(content) != 1 or out.count(f'href="#{_SKIP}"') != 1 \
                    or _TOC_TOKEN in out:
                return None
            return out.replace(toc, _TOC_TOKEN).replace(content, tokens["content"])

        plain, hostile = themed(_PLAIN), themed(_HOSTILE)
        if plain is None or hostile is None or any(_HOSTILE[n] in plain for n in _FIELDS):
            return None
        expected = plain
        for name in _FIELDS:
            expected = expected.replace(_PLAIN[name], _HOSTILE[name])
        return plain if expected == hostile else None
