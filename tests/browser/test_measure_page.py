"""A measure's own page (m/<id>/) as an official opens it from a chat: the measure in view on a phone, copy
controls that copy what they say, and counterparts that lead to each other both ways."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

PHONE = (390, 844)


def _records(site: Path, name: str) -> Any:
    return json.loads((site / "downloads" / name).read_text(encoding="utf-8"))


def test_a_shared_link_opens_the_measure_page_with_the_measure_in_view(real_site: Path, real_site_url: str,
                                                                       open_page) -> None:
    measures = _records(real_site, "measures.json")["measures"]
    for record in (measures[0], measures[len(measures) // 2], measures[-1]):
        page, guard = open_page(real_site_url + record["url"], viewport=PHONE, is_mobile=True, has_touch=True)
        article = page.locator(f"article.measure-page[data-measure='{record['id']}']")
        heading, text = article.locator("h1"), article.locator(".measure-page-text")
        for element in (heading, text):
            box = element.bounding_box()
            assert box and box["y"] >= 0 and box["y"] < PHONE[1], (record["id"], box)
        assert record["title"].rstrip("。；：，")[:8] in heading.inner_text()
        assert text.inner_text() == record["text"]
        assert page.title().startswith(record["title"].rstrip("。．.；;：:，, ")[:8])
        assert record["jurisdiction"] in page.title() and record["document_title"] in page.title()
        guard.assert_clean()


def test_both_copy_controls_copy_what_they_say(real_site: Path, real_site_url: str, open_page) -> None:
    record = _records(real_site, "measures.json")["measures"][3]
    url = real_site_url + record["url"]
    page, guard = open_page(url, permissions=["clipboard-read", "clipboard-write"])
    cite = page.locator("article.measure-page .measure-cite")
    cite.locator("button[data-href]").click()
    page.wait_for_function("b => b.textContent === '已复制'", arg=cite.locator("button[data-href]").element_handle())
    assert page.evaluate("() => navigator.clipboard.readText()") == url
    cite.locator("button[data-copy='citation']").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    shown = " ".join(cite.locator(".measure-citation").inner_text().split())
    assert copied == shown
    today = dt.date.today()
    for part in (record["document_title"], record["jurisdiction"], url, f"访问日期：{today.year}年{today.month}月{today.day}日"):
        assert part in copied, part
    guard.assert_clean()


def test_the_copy_controls_on_a_document_page_copy_the_measure_page(real_site: Path, real_site_url: str,
                                                                    open_page) -> None:
    record = _records(real_site, "measures.json")["measures"][5]
    page, guard = open_page(f"{real_site_url}documents/{record['document']}/",
                            permissions=["clipboard-read", "clipboard-write"])
    cite = page.locator(f"article.measure[id='{record['id']}'] .measure-cite")
    cite.locator("button[data-copy='citation']").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == " ".join(cite.locator(".measure-citation").inner_text().split())
    assert real_site_url + record["url"] in copied
    guard.assert_clean()


def test_counterparts_link_both_ways(real_site: Path, real_site_url: str, open_page) -> None:
    pairs = _records(real_site, "alignment.json")["pairs"]
    assert pairs, "the real catalogue's cities take up provincial measures"
    by_id = {r["id"]: r for r in _records(real_site, "measures.json")["measures"]}
    taken = Counter(p["local_id"] for p in pairs)
    pair = next(p for p in pairs[len(pairs) // 2:] if taken[p["local_id"]] == 1)  # named on the document page too
    provincial, local = by_id[pair["provincial_id"]], by_id[pair["local_id"]]
    page, guard = open_page(real_site_url + provincial["url"])
    page.locator(f".measure-page-counterparts a[href='../{local['id']}/']").click()
    page.wait_for_url(real_site_url + local["url"])
    assert page.locator(f"article.measure-page[data-measure='{local['id']}']").is_visible()
    back = page.locator(f".measure-page-counterparts a[href='../{provincial['id']}/']")
    assert f"{pair['score']:.2f}" in back.locator("xpath=..").inner_text()
    back.click()
    page.wait_for_url(real_site_url + provincial["url"])
    guard.assert_clean()
    document, guard = open_page(f"{real_site_url}documents/{local['document']}/")
    link = document.locator(f"article.measure[id='{local['id']}'] .measure-meta a[href$='/m/{provincial['id']}/']")
    assert link.count() == 1, "the document page names the provincial counterpart too"
    guard.assert_clean()
