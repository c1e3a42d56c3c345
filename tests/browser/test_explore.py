"""The explorer page: filters narrow the measures, live in the address, survive a reload, download as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.catalog import load_catalog
from generator.model import Catalog
from generator.site.addresses import url_for
from generator.site.downloads import csv_cell
from generator.site.searchindex import normalize

REPO = Path(__file__).resolve().parents[2]
ROOT = "#catalog-explorer"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO / "catalog")


def wait_done(page: Any) -> None:
    page.wait_for_function("() => document.getElementById('catalog-explorer').dataset.state === 'done'")


def all_rows(page: Any) -> list[str]:
    more = page.locator(f"{ROOT} > button.md-button")
    while more.is_visible():
        before = page.locator(f"{ROOT} tbody tr").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#catalog-explorer tbody tr').length > n", arg=before)
    return page.eval_on_selector_all(f"{ROOT} tbody tr", "rows => rows.map(r => r.dataset.measure)")


def expected(catalog: Catalog, *, jurisdiction: str = "", domain: str = "", lead: str = "", query: str = "",
             start: str = "", end: str = "") -> set[str]:
    def under(slug: str, wanted: str, parent_of) -> bool:
        while slug:
            if slug == wanted:
                return True
            slug = parent_of(slug)
        return False

    found = set()
    for m in catalog.measures():
        place = catalog.document(m.document).jurisdiction
        if jurisdiction and not under(place, jurisdiction, lambda s: catalog.jurisdiction(s).parent):
            continue
        if domain and not under(m.domain, domain, lambda s: catalog.domain(s).parent):
            continue
        if lead and lead not in m.lead:
            continue
        if (start or end) and not any(
            d.date and (not start or d.date.isoformat() >= start) and (not end or d.date.isoformat() <= end)
            for d in m.deadlines
        ):
            continue
        if query:
            fields = (m.title, m.text, m.units, catalog.jurisdiction(place).name, catalog.domain(m.domain).name)
            if not all(any(normalize(t) in normalize(f) for f in fields) for t in query.split()):
                continue
        found.add(m.id)
    return found


def test_filters_in_the_address_select_the_measures(catalog, real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url + "explore/?j=liaocheng&q=%E5%91%8A%E7%9F%A5%E6%89%BF%E8%AF%BA")
    wait_done(page)
    want = expected(catalog, jurisdiction="liaocheng", query="告知承诺")
    assert want and set(all_rows(page)) == want
    assert page.input_value(f"{ROOT} input[name=q]") == "告知承诺"
    assert page.input_value(f"{ROOT} select[name=j]") == "liaocheng"
    guard.assert_clean()


def test_choosing_filters_updates_the_address_and_a_reload_keeps_them(catalog, real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url + "explore/")
    wait_done(page)
    assert len(all_rows(page)) == len(catalog.measures())
    lead = max(
        {u for m in catalog.measures() for u in m.lead},
        key=lambda u: sum(u in m.lead for m in catalog.measures()),
    )
    dated = next(m for m in catalog.measures() if m.document.startswith("jinan-") and any(d.date for d in m.deadlines))
    domain = dated.domain
    first = next(d.date for d in dated.deadlines if d.date)
    start, end = first.replace(month=1, day=1), first.replace(month=12, day=31)
    page.select_option(f"{ROOT} select[name=j]", "jinan")
    page.select_option(f"{ROOT} select[name=d]", domain)
    page.fill(f"{ROOT} input[name=from]", start.isoformat())
    page.fill(f"{ROOT} input[name=to]", end.isoformat())
    page.wait_for_function("end => location.search.includes('to=' + end)", arg=end.isoformat())
    wait_done(page)
    want = expected(catalog, jurisdiction="jinan", domain=domain, start=start.isoformat(), end=end.isoformat())
    assert dated.id in want and set(all_rows(page)) == want
    params = parse_qs(urlsplit(page.url).query)
    assert params == {"j": ["jinan"], "d": [domain], "from": [start.isoformat()], "to": [end.isoformat()]}
    page.reload(wait_until="load")
    wait_done(page)
    assert page.input_value(f"{ROOT} select[name=d]") == domain
    assert set(all_rows(page)) == want
    page.goto(real_site_url + "explore/?lead=" + lead + "&q=ywtb")
    wait_done(page)
    assert set(all_rows(page)) >= expected(catalog, lead=lead, query="一网通办")
    guard.assert_clean()


def test_the_csv_download_holds_the_filtered_measures_safely(catalog, real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url + "explore/?q=%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E&j=shandong", accept_downloads=True)
    wait_done(page)
    with page.expect_download() as info:
        page.click(f"{ROOT} button.md-button--primary")
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    want = expected(catalog, jurisdiction="shandong", query="一网通办")
    assert {r["id"] for r in rows} == want and len(rows) == len(want)
    by_id = {m.id: m for m in catalog.measures()}
    for row in rows:
        m = by_id[row["id"]]
        assert row["title"] == csv_cell("title", m.title)
        assert row["text"] == csv_cell("text", m.text)
        assert row["lead"] == "；".join(m.lead)
        assert row["url"] == url_for(m)  # the address Python gives the measure (its page)
    guard.assert_clean()


def test_csv_cells_that_look_like_formulas_are_neutralised(real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url + "explore/")
    wait_done(page)
    hostile = {"title": "=1+2", "text": "+SUM(A1)", "units": "-3", "lead": ["@x", "y"], "responsible": ["\tz"],
               "tags": ['"引号",逗号']}
    text = page.evaluate(
        """hostile => window.CatalogSearch.records([0]).then(([r]) => window.CatalogExplore.csv([Object.assign(r, hostile)]))""",
        hostile,
    )
    assert text.startswith("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(text[1:])))
    for column, value in hostile.items():
        assert row[column] == csv_cell(column, value), column
    guard.assert_clean()
