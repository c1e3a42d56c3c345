"""What an official sharing a link sees: a measure's place in its plan (the permalink before measure pages,
still shared and kept) in view and highlighted, and a copy-link control that copies the measure's own page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _a_measure(site: Path, index: int = -1) -> dict[str, Any]:
    records = json.loads((site / "downloads" / "measures.json").read_text(encoding="utf-8"))
    return records["measures"][index] if isinstance(records, dict) else records[index]


def test_a_permalink_shows_its_measure_in_view_and_highlighted(real_site: Path, real_site_url: str, open_page) -> None:
    measure = _a_measure(real_site, index=150)  # well down a long page: it must be scrolled to
    page, guard = open_page(f"{real_site_url}documents/{measure['document']}/#{measure['id']}")
    target = page.locator(f"article.measure[id='{measure['id']}']")
    target.wait_for()
    page.wait_for_function(
        """id => { const r = document.getElementById(id).getBoundingClientRect();
                   return r.top >= 0 && r.top < window.innerHeight; }""",
        arg=measure["id"],
    )
    assert page.evaluate("() => decodeURIComponent(location.hash.slice(1))") == measure["id"]
    assert target.evaluate("e => e.matches(':target')")
    highlight = target.evaluate("e => getComputedStyle(e).backgroundColor")
    other = page.locator("article.measure:not(:target)").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert highlight != other, (highlight, other)
    assert measure["title"][:10] in target.inner_text()
    guard.assert_clean()


def test_the_copy_link_control_copies_the_measures_permalink(real_site: Path, real_site_url: str, open_page) -> None:
    measure = _a_measure(real_site, index=3)
    page, guard = open_page(f"{real_site_url}documents/{measure['document']}/",
                            permissions=["clipboard-read", "clipboard-write"])
    button = page.locator(f"article.measure[id='{measure['id']}'] button.measure-copy[data-href]")
    button.click()
    page.wait_for_function("b => b.textContent === '已复制'", arg=button.element_handle())
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == real_site_url + measure["url"]
    guard.assert_clean()
