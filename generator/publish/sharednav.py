"""The theme's primary nav, rendered once for all the pages it does not list, instead of once per page.

Material renders its whole nav (partials/nav.html, ~60 entries) into every page; at 1x that was a third of
the theme's template time, and most pages (units, sources, reforms, domain parts…) are not in the nav. For
such a page nothing in the nav is active and no table of contents is folded into it, so the nav's HTML
depends only on the relative addresses from the page to the nav's targets (MkDocs' `url` filter). The key
of the cache is exactly that tuple of relative addresses: every page with the same key gets the same HTML
the theme would have rendered for it (all unit pages, at the same depth, share one rendering). Pages listed
in the nav (active item, folded table of contents) are rendered by the theme as before.

Used by overrides/main.html (block site_nav) through the Jinja global `shared_nav` the hook sets in on_env.
"""

from __future__ import annotations

from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url


class SharedNav:
    """The rendered nav per tuple of relative addresses, for pages outside the nav of one build.

    `get(page)` is the cached HTML or None (the template then renders the nav and hands it to `put`)."""

    def __init__(self, nav: Navigation, logo: str | None = None) -> None:
        self._listed = {page.file.src_uri for page in nav.pages}
        self._targets = [page.url for page in nav.pages]
        if nav.homepage is not None:
            self._targets.append(nav.homepage.url)
        if logo:
            self._targets.append(logo)
        self._html: dict[tuple[str, ...], str] = {}

    def _key(self, page: Page | None) -> tuple[str, ...] | None:
        if page is None or page.file.src_uri in self._listed:
            return None
        return tuple(normalize_url(target, page) for target in self._targets)

    def get(self, page: Page | None) -> str | None:
        """The nav as the theme rendered it for a page with the same relative addresses; None when the page
        is listed in the nav (the theme must render it) or none was rendered yet."""
        key = self._key(page)
        return None if key is None else self._html.get(key)

    def put(self, page: Page | None, html: str) -> str:
        """Remember `html`, the theme's nav rendered for `page`, and return it."""
        key = self._key(page)
        if key is not None:
            self._html[key] = html
        return html
