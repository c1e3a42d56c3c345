"""The built site in a browser: every page type loads cleanly, a phone can navigate, nothing overflows, both palettes work.

The page types are read from the built site itself (its HTML files grouped by
path), so a page type added later is loaded here without touching this file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PHONE = (390, 844)

# Sections where every page is a type of its own (each table has its own layout).
EACH_PAGE_ITS_OWN_TYPE = {"tables"}


def page_type(path: PurePosixPath) -> str:
    """The type of a built page from its path: 'home', '404', 'domains/' (a section index),
    'domains/*' (an item page of that section), or 'tables/matrix' for each table."""
    parts = path.parts
    if len(parts) == 1:
        return "home" if path.name == "index.html" else path.stem
    section = parts[0]
    if len(parts) == 2 and path.name == "index.html":
        return f"{section}/"
    if section in EACH_PAGE_ITS_OWN_TYPE:  # tables/matrix; the pages of one table per place share a type
        names = parts[:-1] if path.name == "index.html" else (*parts[:-1], path.stem)
        return "/".join((*names[:2], *["*"] * (len(names) - 2)))
    return f"{section}/*"


def page_types(site: Path, *, smallest: bool = False) -> dict[str, str]:
    """{page type: the URL path (relative to the site root) of its first page in sorted order, or of its
    smallest page with `smallest` (same layout, less to check)}."""
    found: dict[str, str] = {}
    files = sorted(site.rglob("*.html"))
    if smallest:
        files.sort(key=lambda f: f.stat().st_size)
    for file in files:
        path = PurePosixPath(file.relative_to(site).as_posix())
        url = "" if path.as_posix() == "index.html" else path.as_posix().removesuffix("index.html")
        found.setdefault(page_type(path), url)
    return found


def test_page_types_are_read_from_paths() -> None:
    def kind(path: str) -> str:
        return page_type(PurePosixPath(path))

    assert kind("index.html") == "home"
    assert kind("404.html") == "404"
    assert kind("domains/index.html") == "domains/"
    assert kind("domains/tax/index.html") == kind("domains/credit/index.html") == "domains/*"
    assert kind("about/index.html") == "about/"
    assert kind("tables/matrix/index.html") == "tables/matrix"
    assert kind("tables/units/index.html") == "tables/units"
    assert kind("tables/units/jinan/index.html") == kind("tables/units/weifang/index.html") == "tables/units/*"
    assert kind("tables/units/jinan/shi-shi-chang-jian-guan-ju/index.html") == "tables/units/*/*"


def _load(open_page: Callable[..., tuple[Any, Any]], url: str, **options: Any) -> tuple[Any, Any]:
    page, guard = open_page(url, **options)
    page.wait_for_load_state("networkidle")  # the search worker and its index load after `load`
    return page, guard


def _head(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => {
            const content = sel => { const e = document.querySelector(sel); return e ? e.content.trim() : ''; };
            return { title: document.title.trim(),
                     description: content('meta[name="description"]'),
                     og_title: content('meta[property="og:title"]'),
                     og_description: content('meta[property="og:description"]') };
        }"""
    )


def test_every_page_type_loads_with_nothing_off_origin_and_no_error(real_site: Path, real_site_url: str, open_page) -> None:
    types = page_types(real_site)
    # The sections the site is made of must all be found, or the derivation above has gone wrong.
    expected = {"home", "domains/", "domains/*", "jurisdictions/", "jurisdictions/*", "documents/", "documents/*",
                "downloads/", "about/", "tables/matrix"}
    assert expected <= types.keys(), sorted(types)
    problems: dict[str, Any] = {}
    for kind, path in sorted(types.items()):
        page, guard = _load(open_page, real_site_url + path)
        try:
            guard.assert_clean()
        except AssertionError as err:
            problems[f"{kind} ({path})"] = str(err)
        head = _head(page)
        missing = [name for name, value in head.items() if not value]
        if missing:
            problems[f"{kind} ({path}) head"] = f"empty or missing: {missing}"
        page.context.close()
    assert not problems, problems


def test_the_source_texts_are_served_from_the_document_pages(real_site: Path, real_site_url: str, open_page) -> None:
    document = page_types(real_site)["documents/*"]
    page, guard = _load(open_page, real_site_url + document)
    link = page.locator("a[href*='sources/'][href$='.txt']").first
    href = link.evaluate("a => a.href")
    response = page.request.get(href)  # the bytes as served (how a browser decodes them depends on the server's charset)
    assert response.ok, href
    name = PurePosixPath(href).name
    assert response.body() == (REPO / "sources" / name).read_bytes()
    guard.assert_clean()


_IN_VIEWPORT = """e => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth
        && r.top >= 0 && r.bottom <= window.innerHeight
        && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('a') === e; }"""


def _visible_nav_link(page: Any, href_end: str) -> Any:
    return page.locator(f"nav.md-nav--primary a.md-nav__link[href$='{href_end}']").first


_RENDERED = "a => a.checkVisibility()"  # false inside a subtree whose content-visibility is hidden
_FOCUSABLE = "a => { a.focus(); const focused = document.activeElement === a; a.blur(); return focused; }"


def test_a_phone_opens_the_navigation_drawer_and_follows_a_link(real_site_url: str, open_page) -> None:
    page, guard = _load(open_page, real_site_url, viewport=PHONE)
    link = _visible_nav_link(page, "downloads/")
    assert not link.is_visible() or not link.evaluate(_IN_VIEWPORT), "the drawer is open before the menu is tapped"
    # Closed, the drawer's entries are not rendered (catalog.css: no style or layout work while the page
    # loads) and the keyboard cannot reach them off screen.
    assert not link.evaluate(_RENDERED), "the closed drawer's entries are rendered"
    assert not link.evaluate(_FOCUSABLE), "a link in the closed drawer takes the keyboard's focus"
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_function(f"a => ({_IN_VIEWPORT})(a)", arg=link.element_handle())
    for href_end in ("domains/", "jurisdictions/", "documents/", "downloads/", "about/"):
        # each waited for: the drawer slides in (0.25 s) and one link can be in view before the others
        handle = _visible_nav_link(page, href_end).element_handle()
        page.wait_for_function(f"a => ({_IN_VIEWPORT})(a)", arg=handle, timeout=5000)
        assert handle.evaluate(_IN_VIEWPORT), f"nav link to {href_end} not shown on a phone"
    assert link.evaluate(_FOCUSABLE), "a link in the open drawer cannot take the keyboard's focus"
    page.keyboard.press("Escape")
    page.locator("label.md-overlay[for='__drawer']").click(position={"x": PHONE[0] - 10, "y": 400})
    page.wait_for_function(f"a => !({_RENDERED})(a)", arg=link.element_handle())
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_function(f"a => ({_IN_VIEWPORT})(a)", arg=link.element_handle())
    link.click()
    page.wait_for_url("**/downloads/")
    assert page.locator("h1").first.is_visible()
    guard.assert_clean()


# Elements that stick out of the viewport and are not inside something that scrolls or clips them
# (Material wraps tables in .md-typeset__scrollwrap, which scrolls sideways).
_OVERFLOW = """() => {
    const width = window.innerWidth;
    const clips = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
    const out = [...document.querySelectorAll('.md-content *')]
        .filter(e => e.getBoundingClientRect().right > width + 1 && !clips(e))
        .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
                  + ': ' + (e.textContent || '').trim().slice(0, 40));
    return { scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 10) };
}"""


def _phone_pages(site: Path) -> list[str]:
    types = page_types(site)
    tables = [path for kind, path in sorted(types.items()) if kind.startswith("tables/")]
    return [types["documents/*"], types["domains/*"], *tables]


def test_nothing_overflows_a_phone_screen_sideways(real_site: Path, real_site_url: str, open_page) -> None:
    problems = {}
    for path in _phone_pages(real_site):
        page, guard = _load(open_page, real_site_url + path, viewport=PHONE)
        found = page.evaluate(_OVERFLOW)
        if found["scrollWidth"] > found["width"] or found["out"]:
            problems[path] = found
        try:
            guard.assert_clean()
        except AssertionError as err:
            problems[f"{path} (guard)"] = str(err)
        page.context.close()
    assert not problems, problems


def test_a_wide_table_scrolls_inside_its_own_wrapper_on_a_phone(real_site: Path, real_site_url: str, open_page) -> None:
    page, guard = _load(open_page, real_site_url + page_types(real_site)["tables/matrix"], viewport=PHONE)
    table = page.locator(".md-typeset table").first
    assert table.evaluate("t => t.closest('.md-typeset__scrollwrap') !== null")
    wrap = page.locator(".md-typeset__scrollwrap").first
    widths = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    if widths[0] > widths[1]:  # the matrix is wider than a phone: the wrapper scrolls, not the page
        wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
        assert wrap.evaluate("w => w.scrollLeft") > 0
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    guard.assert_clean()


@pytest.mark.parametrize("system_scheme", ["light", "dark"])
def test_the_palette_toggle_switches_between_light_and_dark(real_site_url: str, open_page, system_scheme: str) -> None:
    page, guard = _load(open_page, real_site_url, color_scheme=system_scheme)

    def scheme() -> tuple[str, str]:
        return page.evaluate("() => [document.body.dataset.mdColorScheme, getComputedStyle(document.body).backgroundColor]")

    first, first_background = scheme()
    assert first == ("slate" if system_scheme == "dark" else "default"), "the site does not follow the system's scheme"
    page.locator("form[data-md-component='palette'] label.md-header__button:visible").click()
    page.wait_for_function("s => document.body.dataset.mdColorScheme !== s", arg=first)
    second, second_background = scheme()
    assert {first, second} == {"default", "slate"}
    assert first_background != second_background, "the scheme changed but the page looks the same"
    page.locator("form[data-md-component='palette'] label.md-header__button:visible").click()
    page.wait_for_function("s => document.body.dataset.mdColorScheme === s", arg=first)
    # The choice is remembered: a reload keeps the reader's scheme.
    page.locator("form[data-md-component='palette'] label.md-header__button:visible").click()
    page.wait_for_function("s => document.body.dataset.mdColorScheme === s", arg=second)
    page.reload(wait_until="load")
    assert scheme()[0] == second
    guard.assert_clean()
