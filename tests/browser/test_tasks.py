"""The tasks people bring to the site, walked as they do them: on a phone (390×844) and a desk (1280×900).

The expected figures come from the catalogue itself (through the generator's
own views), never from counts written here, so the tests hold for any valid
catalogue.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.catalog import load_catalog
from generator.crossref.units import UnitTable, pinyin_key
from generator.site.addresses import url_for
from generator.site.unitpages import ROLE_NAMES
from tests.browser import test_explore as explorer
from tests.browser.test_site_in_browser import PHONE

REPO = Path(__file__).resolve().parents[2]
DESKTOP = (1280, 900)


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog(REPO / "catalog")


def _open(open_page: Callable[..., tuple[Any, Any]], url: str, size: tuple[int, int], **options: Any) -> tuple[Any, Any]:
    page, guard = open_page(url, viewport=size, **options)
    page.wait_for_load_state("networkidle")
    return page, guard


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_official_finds_what_a_unit_does_in_any_role_and_what_is_due(real_site_url: str, open_page, catalog,
                                                                        size) -> None:
    """From the units page of a place to the unit: every measure it has in any role, with deadlines, a calendar."""
    units = UnitTable(catalog)
    place = next(j for j in catalog.jurisdictions if units.units.get(j.slug))
    unit = max(units.units[place.slug], key=lambda u: u.total)  # the busiest unit, whichever its roles
    page, guard = _open(open_page, real_site_url + "tables/units/", size)
    page.locator("article").get_by_role("link", name=place.name, exact=True).first.click()
    page.wait_for_url(f"**/tables/units/{place.slug}/")
    assert "拼音" in page.locator("article").inner_text(), "the table does not say what it is sorted by"
    names = page.locator("article table tbody tr td:first-child").all_inner_texts()
    assert names == [u.name for u in units.units[place.slug]], "the table is not in the order it says"
    page.locator("article").get_by_role("link", name=unit.name, exact=True).first.click()
    page.wait_for_url(f"**/tables/units/{place.slug}/{unit.slug}/")
    items = page.locator(".role-filtered li")
    assert items.count() == unit.total
    assert f"{unit.total}" in page.locator("h1 + p").inner_text()
    # Each item says the unit's role and the deadline (or that there is none).
    first = items.first.inner_text()
    assert any(role in first for role in ("牵头", "责任", "领域牵头")) and ("年" in first or "时限" in first or "（" in first)
    subscribe = page.locator("a.webcal").first
    assert subscribe.get_attribute("href").startswith("webcal://") or subscribe.evaluate("a => a.href").startswith("webcal:")
    guard.assert_clean()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_official_finds_in_the_explorer_what_a_unit_does_and_what_is_due_this_month(real_site_url: str, open_page,
                                                                                         catalog, size) -> None:
    """A Jinan official: 济南市, then 市市场监管局 found by typing its pinyin initials, in any role (Jinan's plan
    names only 责任单位); then this month's deadlines, then a month that has some."""
    units = UnitTable(catalog)
    place = next((j for j in catalog.jurisdictions if j.name == "济南市"), None) or next(
        j for j in catalog.jurisdictions if j.level == "city" and units.units.get(j.slug))
    unit = next((u for u in units.units[place.slug] if u.name == "市市场监管局"), None) or max(
        units.units[place.slug], key=lambda u: u.total)
    uid = f"{place.slug}/{unit.slug}"
    page, guard = _open(open_page, real_site_url + "explore/", size)
    explorer.wait_done(page)
    explorer.open_sheet(page)
    explorer.choose(page, "p", place.slug)
    page.locator("#catalog-explorer input[name=unit-search]").fill("".join(s[0] for s in pinyin_key(unit.name)))
    explorer.choose(page, "u", uid)
    measures = [m for m, _ in unit.roles()]
    assert explorer.count(page) == unit.total == len(measures)
    if size == PHONE:  # the sheet folds away; the count and the cards remain
        page.locator("#catalog-explorer summary").first.click()
    assert sorted(explorer.all_rows(page)) == sorted(m.id for m in measures)
    today = dt.date.today()
    due_now = [m for m in measures if any(d.date and (d.date.year, d.date.month) == (today.year, today.month)
                                          for d in m.deadlines)]
    if size == PHONE:
        explorer.open_sheet(page)
    month = page.locator("#catalog-explorer select[name=m]")
    this_month = next(o for o in month.locator("option").all_inner_texts() if "本月" in o)
    month.select_option(label=this_month)
    explorer.wait_done(page)
    assert explorer.count(page) == len(due_now) and this_month.endswith(str(len(due_now)))
    dated = sorted({d.date.strftime("%Y-%m") for m in measures for d in m.deadlines if d.date})
    if dated:
        month.select_option(dated[0])
        explorer.wait_done(page)
        want = {m.id for m in measures if any(d.date and d.date.strftime("%Y-%m") == dated[0] for d in m.deadlines)}
        assert set(explorer.all_rows(page)) == want
        year, mon = dated[0].split("-")
        assert f"{int(year)}年{int(mon)}月" in page.locator("#catalog-explorer td.catalog-explore__due").first.inner_text()
    guard.assert_clean()


def test_the_role_filter_shows_only_the_chosen_role(real_site_url: str, open_page, catalog) -> None:
    """Every role a unit has, on the unit's page and on its place's units table: the unit with the most roles
    (领域牵头 included where a plan names section leads), each role's label clicked as a person would."""
    units = UnitTable(catalog)
    place, unit = max(((j, u) for j in catalog.jurisdictions for u in units.units.get(j.slug, [])),
                      key=lambda pair: (sum(bool(getattr(pair[1], r)) for r in ROLE_NAMES), pair[1].total))
    visible = "els => els.filter(e => e.offsetParent !== null).length"

    def choose(page, role: str) -> None:  # noqa: ANN001
        page.locator(".role-filter label").filter(has=page.locator(f'input[value="{role}"]')).click()

    page, guard = _open(open_page, real_site_url + f"tables/units/{place.slug}/{unit.slug}/", PHONE)
    assert page.locator(".role-filtered li").evaluate_all(visible) == unit.total
    for role in (r for r in ROLE_NAMES if getattr(unit, r)):
        choose(page, role)
        assert page.locator(".role-filtered li").evaluate_all(visible) == len(getattr(unit, role)), role
    choose(page, "all")
    assert page.locator(".role-filtered li").evaluate_all(visible) == unit.total
    guard.assert_clean()

    listed = units.units[place.slug]
    page, guard = _open(open_page, real_site_url + f"tables/units/{place.slug}/", PHONE)
    for role in (r for r in ROLE_NAMES if any(getattr(u, r) for u in listed)):
        choose(page, role)
        assert page.locator(".role-filtered tbody tr").evaluate_all(visible) == sum(bool(getattr(u, role)) for u in listed), role
    guard.assert_clean()


def test_a_researcher_downloads_every_citys_credit_measures_with_plan_metadata(real_site_url: str, open_page,
                                                                               catalog) -> None:
    page, guard = _open(open_page, real_site_url + "downloads/", DESKTOP)
    assert "CC BY 4.0" in page.locator("article").inner_text(), "no licence stated on the downloads page"
    measures = page.locator("article").get_by_role("link", name="举措 CSV").evaluate("a => a.href")
    plans = page.locator("article").get_by_role("link", name="文件 CSV").evaluate("a => a.href")
    rows = list(csv.DictReader(io.StringIO(page.request.get(measures).body().decode("utf-8-sig"))))
    plan_rows = {r["document"]: r for r in csv.DictReader(io.StringIO(page.request.get(plans).body().decode("utf-8-sig")))}
    cities = {j.slug for j in catalog.jurisdictions if j.level == "city"}
    credit = [r for r in rows if r["domain"] == "credit" and r["jurisdiction_level"] == "city"]
    expected = [m for d in catalog.documents if d.jurisdiction in cities for m in d.measures if m.domain == "credit"]
    assert [r["id"] for r in credit] == [m.id for m in expected]
    for row in credit:
        plan = plan_rows[row["document"]]
        assert row["document_date"] == plan["date"] and row["document_issuer"] == plan["issuer"]
        assert row["document_number"] == plan["doc_number"] and row["jurisdiction_parent"]
    guard.assert_clean()


def test_a_researcher_downloads_every_citys_credit_measures_from_the_explorer(real_site_url: str, open_page,
                                                                              catalog) -> None:
    """Level 市 and domain 获得信贷 ticked, the CSV downloaded: every city's credit measures, measures.csv's columns,
    the plan metadata as plans.csv gives it, a file name that says what was filtered."""
    domain = next((d for d in catalog.domains if d.name == "获得信贷"), catalog.domains[0])
    page, guard = _open(open_page, real_site_url + "explore/", DESKTOP, accept_downloads=True)
    explorer.wait_done(page)
    explorer.open_sheet(page)
    explorer.choose(page, "lv", "city")
    explorer.choose(page, "d", domain.slug)
    cities = {j.slug for j in catalog.jurisdictions if j.level == "city"}
    expected = [m.id for d in catalog.documents if d.jurisdiction in cities for m in d.measures if m.domain == domain.slug]
    assert explorer.count(page) == len(expected)
    name, rows, header = explorer.download(page)
    assert [r["id"] for r in rows] == expected
    published_header, _ = explorer.published_measures(page, real_site_url)
    assert header == published_header
    plans = {r["document"]: r for r in csv.DictReader(io.StringIO(
        page.request.get(real_site_url + "downloads/plans.csv").body().decode("utf-8-sig")))}
    for row in rows:
        plan = plans[row["document"]]
        assert (row["document_date"], row["document_issuer"], row["document_number"]) == (
            plan["date"], plan["issuer"], plan["doc_number"])
        assert row["jurisdiction_level"] == "city" and row["url"].startswith(real_site_url)
    assert name.startswith(f"measures-city-{domain.slug}-") and name.isascii(), name
    guard.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_phone_reader_scrolls_the_matrix_and_keeps_the_first_column(real_site_url: str, open_page, scheme) -> None:
    page, guard = _open(open_page, real_site_url + "tables/matrix/", PHONE, color_scheme=scheme)
    wrap = page.locator(".md-typeset__scrollwrap").first
    assert "table-wide" in wrap.get_attribute("class"), "the wide matrix shows no scroll cue"
    scroller = page.locator(".md-typeset__scrollwrap[tabindex='0'], .md-typeset__scrollwrap [tabindex='0']").first
    assert scroller.get_attribute("aria-label"), "the scroll box has no name for a screen reader"
    first_cell = page.locator("table tbody tr td:first-child").first
    header = page.locator("table thead th").first
    scroller.focus()
    scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; e.scrollTop = e.clientHeight / 2; }")
    page.wait_for_function("e => e.scrollLeft > 0", arg=scroller.element_handle())
    cell, top = first_cell.bounding_box(), scroller.bounding_box()
    assert 0 <= cell["x"] < 40, "the first column scrolled away"
    if scroller.evaluate("e => e.scrollTop > 0"):  # the box scrolls down too: the header stays on top of it
        assert abs(header.bounding_box()["y"] - top["y"]) < 40, "the header scrolled away"
    last_header = page.locator("table thead th").last
    box = last_header.bounding_box()
    assert box["x"] + box["width"] <= PHONE[0] + 1, "the last column (合计) cannot be reached"
    # The cue follows the scroll event, which the browser fires on its next frame, not when scrollLeft is set.
    page.wait_for_function("e => e.classList.contains('table-end')", arg=wrap.element_handle(), timeout=5000)
    assert "table-end" in wrap.get_attribute("class")
    # The first column is opaque: the numbers scrolling under it do not show through.
    background = first_cell.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    guard.assert_clean()


def test_a_reporter_reaches_a_prefilled_report_and_the_source_lines(real_site_url: str, open_page, catalog) -> None:
    document = catalog.documents[0]
    measure = document.measures[len(document.measures) // 2]
    page, guard = _open(open_page, real_site_url + f"documents/{document.slug}/#{measure.id}", PHONE)
    block = page.locator(f"article.measure[id='{measure.id}']")
    report = block.get_by_role("link", name="报告错误")
    href = report.get_attribute("href")
    parts = urlsplit(href)
    assert parts.scheme == "https" and parts.path.endswith("/issues/new")
    body = parse_qs(parts.query)["body"][0]
    assert measure.id in body and url_for(measure) in body and str(measure.line) in body
    assert block.locator("a[href^='mailto:']").count() == 1, "no contact for readers without the repository"
    block.locator("a", has_text="原文第").click()
    page.wait_for_url(f"**/sources/{document.slug}/#L{measure.line}")
    line = page.locator(f"#L{measure.line}")
    assert line.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    back = line.locator("a.source-measure")
    assert back.count() >= 1
    back.first.click()
    page.wait_for_url(f"**/documents/{document.slug}/#{measure.id}")
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    guard.assert_clean()


def test_the_404_page_speaks_chinese_and_headings_have_readable_anchors(real_site_url: str, open_page) -> None:
    page, guard = _open(open_page, real_site_url + "404.html", PHONE)
    assert "找不到" in page.locator("h1").inner_text()
    page.goto(real_site_url + "about/")
    ids = page.locator("article h2[id]").evaluate_all("hs => hs.map(h => h.id)")
    assert ids and not [i for i in ids if i.startswith("_")], ids
    guard.assert_clean()


def test_the_home_page_shows_the_ways_in_on_the_first_phone_screen(real_site_url: str, open_page) -> None:
    page, guard = _open(open_page, real_site_url, PHONE)
    for name in ("搜索举措", "检索与筛选", "按地区", "按领域", "对照表"):
        link = page.locator(".home-ways > *", has_text=name).first
        box = link.bounding_box()
        assert box and box["y"] + box["height"] <= PHONE[1], f"{name} is below the first screen"
    page.locator("[data-open-search]").click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'catalog-search-input'")
    guard.assert_clean()


def test_the_calendar_tells_past_this_month_and_upcoming_apart_and_offers_webcal(real_site_url: str, open_page,
                                                                                   catalog) -> None:
    import datetime as dt

    today = dt.date.today()  # the site under test was built today
    place = catalog.jurisdictions[0]
    page, guard = _open(open_page, real_site_url + f"tables/calendar/{place.slug}/", PHONE)
    this_month = f"{today.year:04d}-{today.month:02d}"
    months = page.locator(".calendar-month").evaluate_all(
        "els => els.map(e => [e.querySelector('h2').id.replace('month-', ''), e.className])")
    assert months, "no months on the calendar"
    for slug, classes in months:
        expected = "now" if slug == this_month else "past" if slug < this_month else "next"
        assert f"calendar-month--{expected}" in classes, (slug, classes)
    subscribe = page.locator("article a.webcal").first
    assert subscribe.evaluate("a => a.href").startswith("webcal://")
    assert page.locator("article a", has_text="怎样订阅").count() == 1, "no instructions for desktop calendars"
    guard.assert_clean()
