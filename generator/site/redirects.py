"""What the build writes for catalog/redirects.yaml: redirect pages for moved pages, redirects.json for moved measures.

A redirect page is a tiny HTML page on the same origin: a meta refresh, a
canonical link, and a script that keeps the #fragment. Moved measure
anchors are followed by docs/assets/redirects.js, which reads redirects.json
when a page is opened at an anchor it does not have; a moved measure's own
page (m/<old id>/) is a redirect page to the new one. We keep this in the
generator instead of the mkdocs-redirects plugin: that plugin maps pages
only, not the measure anchors that most shared links point at, and it would
be one more dependency to pin.
"""

from __future__ import annotations

import html
import json
import posixpath

from generator.model import Catalog
from generator.site.addresses import REDIRECTS_JSON, measure_address, place_in_plan, url_for


def redirect_files(catalog: Catalog) -> dict[str, str]:
    """{site path: content} of the redirect pages of catalog/redirects.yaml (moved pages, and the pages of moved
    measure ids) and of redirects.json (old measure id -> the new measure's place in its plan, from the root)."""
    redirects = catalog.redirects
    files = {}
    for old, new in redirects.pages.items():
        target = old + "index.html" if old.endswith("/") else old
        files[target.lstrip("/")] = redirect_page(old, new)
    by_id = {m.id: m for m in catalog.measures()}
    # An old anchor was a place in a plan: it goes to the new measure's place in its plan; an old measure
    # page goes to the new measure's page.
    moved = {old: place_in_plan(by_id[new]) for old, new in sorted(redirects.measures.items())}
    for old, new in sorted(redirects.measures.items()):
        files[measure_address(old) + "index.html"] = redirect_page("/" + measure_address(old), "/" + url_for(by_id[new]))
    files[REDIRECTS_JSON] = json.dumps({"measures": moved}, ensure_ascii=False, indent=1) + "\n"
    return files


def redirect_page(old: str, new: str) -> str:
    """A same-origin redirect from the page at `old` to `new`, keeping the #fragment of the address."""
    base = old if old.endswith("/") else posixpath.dirname(old)  # the folder the browser resolves against
    relative = posixpath.relpath(new, base)
    if new.endswith("/") and not relative.endswith("/"):
        relative += "/"
    href = html.escape(relative, quote=True)
    script = json.dumps(relative)
    return (
        "<!doctype html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>本页已移至新地址</title>\n<link rel=\"canonical\" href=\"{href}\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n"
        f"<script>location.replace({script} + location.hash);</script>\n"
        f"</head>\n<body>\n<p>本页已移至 <a href=\"{href}\">新地址</a>。</p>\n</body>\n</html>\n"
    )
