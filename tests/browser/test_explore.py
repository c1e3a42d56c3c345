"""The explorer page: filters narrow the measures, counts stand beside every value, the filters live in the address
and survive a reload, the phone gets a sheet and cards, and the CSV is measures.csv's rows for the result.

Every expectation is computed here from the catalogue (through the generator's own views: UnitTable for the
units, downloads for the CSV), never written down, so the tests hold for any valid catalogue.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from generator.catalog import load_catalog
from generator.crossref.units import ROLES, UnitTable, pinyin_key
from generator.model import Catalog
from generator.site.searchindex import normalize
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_site_in_browser import PHONE

REPO = Path(__file__).resolve().parents[2]
ROOT = "#catalog-explorer"
DESKTOP = (1280, 900)


@dataclass
class Row:
    """One measure as the explorer filters it."""

    id: str
    place: str
    level: str
    domains: set[str]  # its domain and the domains above it
    units: dict[str, set[str]] = field(default_factory=dict)  # unit id -> roles
    dates: list[str] = field(default_factory=list)
    text: tuple[str, ...] = ()


class Expect:
    """The measures any combination of the explorer's filters selects, computed from the catalogue."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.units = UnitTable(catalog)
        self.rows: list[Row] = []
        for document in catalog.documents:
            place = catalog.jurisdiction(document.jurisdiction)
            for m in document.measures:
                domains, slug = set(), m.domain
                while slug:
                    domains.add(slug)
                    slug = catalog.domain(slug).parent
                row = Row(m.id, place.slug, place.level, domains,
                          dates=sorted({d.date.isoformat() for d in m.deadlines if d.date}),
                          text=(m.title, m.text, m.units, place.name, catalog.domain(m.domain).name))
                for role in ROLES:
                    for printed in getattr(m, role):
                        row.units.setdefault(self.unit_id(place.slug, printed), set()).add(role)
                self.rows.append(row)

    def unit_id(self, place: str, printed: str) -> str:
        return f"{place}/{self.units.unit(place, printed).slug}"

    def places_at_or_below(self, slugs: Iterable[str]) -> set[str]:
        found = set(slugs)
        while True:
            more = {j.slug for j in self.catalog.jurisdictions if j.parent in found} - found
            if not more:
                return found
            found |= more

    def select(self, *, places: Iterable[str] = (), sub: bool = False, levels: Iterable[str] = (),
               domains: Iterable[str] = (), units: Iterable[str] = (), role: str = "", month: str = "",
               start: str = "", end: str = "", query: str = "") -> list[str]:
        """The ids of the measures the filters select, in catalogue order."""
        places = set(places)
        places = self.places_at_or_below(places) if sub else places
        levels, domains, units = set(levels), set(domains), set(units)
        found = []
        for row in self.rows:
            if places and row.place not in places or levels and row.level not in levels:
                continue
            if domains and not row.domains & domains:
                continue
            if units and not any(u in units and (not role or role in r) for u, r in row.units.items()):
                continue
            if (start or end or month) and not any(
                (not start or d >= start) and (not end or d <= end) and (not month or d[:7] == month) for d in row.dates
            ):
                continue
            if query and not all(any(normalize(t) in normalize(f) for f in row.text) for t in query.split()):
                continue
            found.append(row.id)
        return found


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO / "catalog")


@pytest.fixture(scope="module")
def expect(catalog: Catalog) -> Expect:
    return Expect(catalog)


def wait_done(page: Any) -> None:
    page.wait_for_function("() => document.getElementById('catalog-explorer').dataset.state === 'done'")


def count(page: Any) -> int:
    text = page.locator(f"{ROOT} .catalog-explore__count").inner_text()
    found = re.search(r"共 (\d+) 条", text)
    return int(found.group(1)) if found else 0


def all_rows(page: Any) -> list[str]:
    more = page.locator(f"{ROOT} .catalog-explore__more")
    while more.is_visible():
        before = page.locator(f"{ROOT} tbody tr").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#catalog-explorer tbody tr').length > n", arg=before)
    return page.eval_on_selector_all(f"{ROOT} tbody tr", "rows => rows.map(r => r.dataset.measure)")


def counts(page: Any, name: str) -> dict[str, int]:
    """The count beside every value of the filter `name`, as the page shows them: {value: count}."""
    return dict(page.eval_on_selector_all(
        f"{ROOT} input[name='{name}']",
        "inputs => inputs.map(i => [i.value, Number(i.closest('label').querySelector('.catalog-explore__n').textContent)])"))


def choose(page: Any, name: str, value: str) -> None:
    """Tick one filter value as a person does: a click on its label; then wait for the result."""
    page.locator(f"{ROOT} label.catalog-explore__option", has=page.locator(f"input[name='{name}'][value='{value}']")).click()
    wait_done(page)


def open_sheet(page: Any) -> None:
    sheet = page.locator(f"{ROOT} details.catalog-explore__sheet")
    if not sheet.evaluate("d => d.open"):
        sheet.locator("summary").first.click()


def test_filters_in_the_address_select_the_measures(expect, real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url + "explore/?p=liaocheng&q=%E5%91%8A%E7%9F%A5%E6%89%BF%E8%AF%BA")
    wait_done(page)
    want = expect.select(places=["liaocheng"], query="告知承诺")
    assert want and sorted(all_rows(page)) == sorted(want)
    assert page.input_value(f"{ROOT} input[name=q]") == "告知承诺"
    assert page.is_checked(f"{ROOT} input[name=p][value=liaocheng]")
    guard.assert_clean()


def test_values_the_catalogue_does_not_have_are_dropped_from_the_address(expect, catalog, real_site_url,
                                                                         open_page) -> None:
    """An old link naming a place or domain that is gone filters by what is left, never to nothing."""
    place = next(d.jurisdiction for d in catalog.documents)
    domain = catalog.measures()[0].domain
    page, guard = open_page(real_site_url + f"explore/?p={place},no-such-place&d=no-such-domain,{domain}&lv=nowhere")
    wait_done(page)
    want = expect.select(places=[place], domains=[domain])
    assert want and sorted(all_rows(page)) == sorted(want)
    query = parse_qs(urlsplit(page.url).query)
    assert query["p"] == [place] and query["d"] == [domain] and "lv" not in query
    # the sheet's summary says what is filtered, so a link opened with the sheet closed explains its result
    summary = page.inner_text(f"{ROOT} details.catalog-explore__sheet > summary")
    assert catalog.jurisdiction(place).name in summary and catalog.domain(domain).name in summary, summary
    guard.assert_clean()


def test_an_old_address_with_a_place_and_a_lead_unit_still_opens(expect, catalog, real_site_url, open_page) -> None:
    """?j= meant a place and the places under it; ?lead= a lead unit's name in any place."""
    page, guard = open_page(real_site_url + "explore/?j=jinan")
    wait_done(page)
    assert sorted(all_rows(page)) == sorted(expect.select(places=["jinan"], sub=True))
    lead = max({u for m in catalog.measures() for u in m.lead}, key=lambda u: sum(u in m.lead for m in catalog.measures()))
    page.goto(real_site_url + "explore/?lead=" + lead)
    wait_done(page)
    ids = {f"{p}/{u.slug}" for p, units in expect.units.units.items() for u in units
           if u.name == lead or lead in u.variants}
    want = expect.select(units=ids, role="lead")
    assert want and count(page) == len(want)
    guard.assert_clean()


def test_a_city_alone_leaves_out_its_districts_until_asked(expect, catalog, real_site_url, open_page) -> None:
    city = next(j for j in catalog.jurisdictions if j.level == "city"
                and any(k.parent == j.slug and any(d.jurisdiction == k.slug for d in catalog.documents)
                        for k in catalog.jurisdictions))
    page, guard = open_page(real_site_url + "explore/")
    wait_done(page)
    assert count(page) == len(catalog.measures())
    choose(page, "p", city.slug)
    alone = expect.select(places=[city.slug])
    assert count(page) == len(alone) and sorted(all_rows(page)) == sorted(alone)
    page.locator(f"{ROOT} input[name=sub]").check()
    wait_done(page)
    with_districts = expect.select(places=[city.slug], sub=True)
    assert len(with_districts) > len(alone) and count(page) == len(with_districts)
    assert parse_qs(urlsplit(page.url).query) == {"p": [city.slug], "sub": ["1"]}
    guard.assert_clean()


def test_several_places_levels_and_domains_with_counts_beside_every_value(expect, catalog, real_site_url,
                                                                          open_page) -> None:
    """Each value's count is what ticking it would give with the other filters held (faceted counts)."""
    page, guard = open_page(real_site_url + "explore/")
    wait_done(page)
    cities = [j.slug for j in catalog.jurisdictions if j.level == "city"][:2]
    used = {m.domain for m in catalog.measures() if catalog.document(m.document).jurisdiction in cities}
    domains = sorted(used)[:2]
    for slug in cities:
        choose(page, "p", slug)
    for slug in domains:
        choose(page, "d", slug)
    choose(page, "lv", "city")
    state = {"places": cities, "domains": domains, "levels": ["city"]}
    want = expect.select(**state)
    assert want and count(page) == len(want) and sorted(all_rows(page)) == sorted(want)
    for name, key, values in (("p", "places", [j.slug for j in catalog.jurisdictions]),
                              ("d", "domains", [d.slug for d in catalog.domains]),
                              ("lv", "levels", ["province", "city", "district"])):
        held = {k: v for k, v in state.items() if k != key}
        assert counts(page, name) == {v: len(expect.select(**held, **{key: [v]})) for v in values}, name
    params = {k: sorted(v[0].split(",")) for k, v in parse_qs(urlsplit(page.url).query).items()}
    assert params == {"p": sorted(cities), "d": sorted(domains), "lv": ["city"]}
    page.reload(wait_until="load")
    wait_done(page)
    assert count(page) == len(want) and page.is_checked(f"{ROOT} input[name=d][value='{domains[0]}']")
    guard.assert_clean()


def test_units_belong_to_a_place_are_in_pinyin_order_and_found_by_pinyin(expect, catalog, real_site_url,
                                                                         open_page) -> None:
    names = [u.name for units in expect.units.units.values() for u in units]
    name = next(n for n in names if names.count(n) > 1)  # a name two places use (市市场监管局)
    places = [j for j in catalog.jurisdictions if any(u.name == name for u in expect.units.units.get(j.slug, []))]
    page, guard = open_page(real_site_url + "explore/")
    wait_done(page)
    search = page.locator(f"{ROOT} input[name=unit-search]")
    initials = "".join(s[0] for s in pinyin_key(name))
    search.fill(initials)
    shown = page.eval_on_selector_all(f"{ROOT} input[name=u]", "xs => xs.map(x => x.value)")
    same = [f"{p.slug}/{u.slug}" for p in places for u in expect.units.units[p.slug] if u.name == name]
    assert set(same) <= set(shown) and len(same) > 1, "same-named units of two places are not listed apart"
    choose(page, "p", places[0].slug)
    search.fill("")
    page.wait_for_function("() => !document.querySelector('#catalog-explorer input[name=unit-search]').value")
    shown = page.eval_on_selector_all(f"{ROOT} input[name=u]", "xs => xs.map(x => x.value)")
    own = [f"{places[0].slug}/{u.slug}" for u in expect.units.units[places[0].slug]]
    assert shown == own[:len(shown)] and len(shown) == min(len(own), 80), "not the place's units in pinyin order"
    guard.assert_clean()


def test_a_unit_in_any_role_and_in_one_role(expect, real_site_url, open_page) -> None:
    """A unit that leads no measure (Jinan's plan names only 责任单位) is still found, in any role."""
    place, unit = next((p, u) for p, units in expect.units.units.items() for u in units if not u.lead and u.responsible)
    uid = f"{place}/{unit.slug}"
    page, guard = open_page(real_site_url + f"explore/?p={place}&u={uid}")
    wait_done(page)
    assert count(page) == unit.total == len(expect.select(places=[place], units=[uid]))
    roles = counts(page, "role")
    assert roles == {"": unit.total, "lead": 0, "responsible": len(unit.responsible),
                     "section_lead": len(unit.section_lead)}
    page.locator(f"{ROOT} label.catalog-explore__option", has=page.locator("input[name=role][value=responsible]")).click()
    wait_done(page)
    assert count(page) == len(unit.responsible)
    guard.assert_clean()


def test_dates_read_as_on_the_rest_of_the_site_and_none_repeats(real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url + "explore/")
    wait_done(page)
    cells = page.locator(f"{ROOT} td.catalog-explore__due").all_inner_texts()
    assert any("年" in c for c in cells)
    for text in cells:
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
        parts = text.split("；")
        assert len(parts) == len(set(parts)), text
    months = page.eval_on_selector_all(f"{ROOT} select[name=m] option", "os => os.map(o => o.textContent)")
    assert all(re.match(r"\d{4}年\d{1,2}月", m) for m in months[1:]) and any("本月" in m for m in months)
    guard.assert_clean()


def download(page: Any) -> tuple[str, list[dict[str, str]], str]:
    """Click 下载 CSV; (the file name, the rows, the header line)."""
    with page.expect_download() as info:
        page.click(f"{ROOT} button.md-button--primary")
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    return info.value.suggested_filename, list(csv.DictReader(io.StringIO(text))), text.split("\r\n", 1)[0]


def published_measures(page: Any, site_url: str) -> tuple[str, dict[str, dict[str, str]]]:
    text = page.request.get(site_url + "downloads/measures.csv").body().decode("utf-8-sig")
    return text.split("\r\n", 1)[0], {r["id"]: r for r in csv.DictReader(io.StringIO(text))}


def test_the_csv_is_measures_csv_for_the_result_with_absolute_addresses(expect, catalog, real_site_url,
                                                                        open_page) -> None:
    places = [catalog.jurisdictions[0].slug, next(j.slug for j in catalog.jurisdictions if j.level == "city")]
    found = expect.select(places=places, query="一网通办")
    by_id = {m.id: m for m in catalog.measures()}
    domain = max({by_id[i].domain for i in found}, key=lambda d: sum(by_id[i].domain == d for i in found))
    page, guard = open_page(real_site_url + f"explore/?q=%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E&p={','.join(places)}&d={domain}",
                            accept_downloads=True)
    wait_done(page)
    name, rows, header = download(page)
    want = expect.select(places=places, domains=[domain], query="一网通办")
    assert want and sorted(r["id"] for r in rows) == sorted(want) and len(rows) == len(want)
    published_header, published = published_measures(page, real_site_url)
    assert header == published_header
    for row in rows:
        same = dict(published[row["id"]])
        assert row["url"] == urljoin(real_site_url, same.pop("url")), "the address is not absolute or not the measure's"
        assert {k: v for k, v in row.items() if k != "url"} == same
    assert name.isascii() and name.startswith(f"measures-{'+'.join(places)}-{domain}-q-yi-wang-tong-ban-"), name
    assert re.search(r"-\d{4}-\d{2}-\d{2}\.csv$", name), name
    guard.assert_clean()


def count_in_view(page: Any) -> bool:
    """The result count is inside the viewport and on top (not under the theme's header)."""
    return page.locator(f"{ROOT} .catalog-explore__count").evaluate("""p => {
        const r = p.getBoundingClientRect(), hit = document.elementFromPoint(r.left + 5, r.top + r.height / 2);
        return r.top >= 0 && r.bottom <= innerHeight && p.contains(hit); }""")


def test_on_a_phone_the_filters_fold_the_results_are_cards_and_the_count_stays(expect, real_site_url,
                                                                                open_page) -> None:
    page, guard = open_page(real_site_url + "explore/", viewport=PHONE)
    wait_done(page)
    sheet = page.locator(f"{ROOT} details.catalog-explore__sheet")
    assert not sheet.evaluate("d => d.open"), "the filters are open over the results on a phone"
    assert not page.locator(f"{ROOT} input[name=q]").is_visible()
    sheet.locator("summary").first.click()
    assert page.locator(f"{ROOT} input[name=q]").is_visible()
    page.mouse.wheel(0, 1500)  # down the open filters: the count stays in view while choosing
    page.wait_for_function("() => scrollY > 1000")
    assert count_in_view(page), "the count is out of view while the filters are open"
    sheet.locator("summary").first.click()
    card = page.locator(f"{ROOT} tbody tr").first
    assert card.evaluate("r => getComputedStyle(r).display") == "block", "the results are a table on a phone"
    box = card.bounding_box()
    assert box["width"] > PHONE[0] * 0.8
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"), "the page scrolls sideways"
    page.mouse.wheel(0, 3000)
    page.wait_for_function("() => scrollY > 2000")
    assert count_in_view(page), "the count scrolled away or is covered"
    assert count(page) == len(expect.rows)
    guard.assert_clean()


@pytest.mark.parametrize(("size", "scheme"), [(PHONE, "light"), (PHONE, "dark"), (DESKTOP, "light"), (DESKTOP, "dark")],
                         ids=["phone-light", "phone-dark", "desktop-light", "desktop-dark"])
def test_axe_finds_nothing_in_the_open_filters(expect, real_site_url, open_page, size, scheme) -> None:
    """test_accessibility audits the page as it opens (the sheet closed on a phone); this audits every control:
    the sheet and the date range open, a unit chosen (its role buttons show counts)."""
    place, unit = next((p, u) for p, units in expect.units.units.items() for u in units if u.total > 1)
    page, guard = open_page(real_site_url + f"explore/?p={place}&u={place}/{unit.slug}", viewport=size,
                            color_scheme=scheme)
    wait_done(page)
    page.evaluate("() => document.querySelectorAll('#catalog-explorer details').forEach(d => { d.open = true; })")
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["nodes"][:3]) for v in violations]
    guard.assert_clean()
