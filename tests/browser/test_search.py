"""The header search box on the real built site, driven like a reader: type, read the results.

Every expected answer is computed from the catalogue (a substring scan, pypinyin
for the pinyin forms), never written down by hand.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from pypinyin import Style, lazy_pinyin

from generator.catalog import load_catalog
from generator.model import Catalog
from generator.site.searchindex import normalize

REPO = Path(__file__).resolve().parents[2]
BOX = "#catalog-search-input"
RESULTS = "#catalog-search-results"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO / "catalog")


def fields(catalog: Catalog, m: Any) -> tuple[str, ...]:
    jurisdiction = catalog.jurisdiction(catalog.document(m.document).jurisdiction)
    return (m.title, m.text, m.units, jurisdiction.name, catalog.domain(m.domain).name)


def containing(catalog: Catalog, fragment: str) -> set[str]:
    fragment = normalize(fragment)
    return {m.id for m in catalog.measures() if any(fragment in normalize(f) for f in fields(catalog, m))}


def in_title(catalog: Catalog, fragment: str) -> set[str]:
    return {m.id for m in catalog.measures() if normalize(fragment) in normalize(m.title)}


def ask(page: Any, query: str) -> dict[str, Any]:
    """Type `query` into the header box, wait for its results, show them all; the state, ids and info."""
    page.fill(BOX, query)
    page.wait_for_function(
        "q => { const b = document.getElementById('catalog-search-results');"
        " return b.dataset.query === q && b.dataset.state !== 'busy'; }",
        arg=query,
    )
    while page.locator(f"{RESULTS} .catalog-more button").count():
        before = page.locator(f"{RESULTS} .catalog-hit").count()
        page.click(f"{RESULTS} .catalog-more button")
        page.wait_for_function(
            "n => document.querySelectorAll('#catalog-search-results .catalog-hit').length > n", arg=before
        )
    ids = page.eval_on_selector_all(f"{RESULTS} .catalog-hit", "els => els.map(e => e.dataset.measure)")
    return {
        "state": page.get_attribute(RESULTS, "data-state"),
        "ids": ids,
        "info": page.inner_text(f"{RESULTS} .md-search-result__meta"),
    }


def fragments(catalog: Catalog, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    measures = catalog.measures()
    found: list[str] = []
    while len(found) < count:
        m = rng.choice(measures)
        text = rng.choice((m.title, m.text))
        length = rng.randint(2, 7)
        if len(text) > length:
            start = rng.randrange(len(text) - length)
            piece = text[start:start + length]
            if not any(ch.isspace() for ch in piece) and piece not in found:
                found.append(piece)
    return found


def pinyin_forms(name: str) -> list[str]:
    """Full, spaced, initials and mixed (full then initials) pinyin of a name, as pypinyin reads it."""
    syllables = [s for s in lazy_pinyin(name, style=Style.NORMAL) if s.isascii() and s.isalpha()]
    half = max(1, len(syllables) // 2)
    return [
        "".join(syllables),
        " ".join(syllables),
        "".join(s[0] for s in syllables),
        "".join(syllables[:half]) + "".join(s[0] for s in syllables[half:]),
    ]


@pytest.fixture(scope="module")
def search_page(browser: Any, real_site_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(real_site_url + "domains/", wait_until="load")
    yield page, errors
    context.close()


def test_random_fragments_find_every_measure_that_contains_them_titles_first(catalog, search_page) -> None:
    page, errors = search_page
    for fragment in fragments(catalog, 40, seed=11):
        got = ask(page, fragment)
        expected = containing(catalog, fragment)
        assert set(got["ids"]) == expected, fragment
        assert len(got["ids"]) == len(expected), f"duplicates for {fragment}"
        titled = in_title(catalog, fragment)
        assert set(got["ids"][:len(titled)]) == titled, f"title matches first for {fragment}"
    assert not errors


def test_whole_terms_reforms_domains_jurisdictions(catalog, search_page) -> None:
    page, errors = search_page
    names = [r.name for r in catalog.reforms] + [d.name for d in catalog.domains[:8]] + [j.name for j in catalog.jurisdictions]
    for name in names:
        expected = containing(catalog, name)
        got = ask(page, name)
        assert set(got["ids"]) == expected and len(got["ids"]) == len(expected), name
        assert got["state"] == ("done" if expected else "none"), name
    assert not errors


def test_every_pinyin_form_of_each_reform_finds_its_measures(catalog, search_page) -> None:
    page, errors = search_page
    for reform in catalog.reforms:
        expected = containing(catalog, reform.name)
        if not expected:
            continue
        for form in pinyin_forms(reform.name):
            got = ask(page, form)
            assert expected <= set(got["ids"]), (reform.name, form, sorted(expected - set(got["ids"])))
            assert len(got["ids"]) == len(set(got["ids"])), form
            titled = in_title(catalog, reform.name)
            assert titled <= set(got["ids"][: max(len(titled), 1) + 50]), form
    assert not errors


def test_pinyin_of_jurisdictions_domains_and_units(catalog, search_page) -> None:
    page, errors = search_page
    units = sorted({u for m in catalog.measures() for u in m.lead if len(u) >= 3 and u.isascii() is False})
    names = [j.name for j in catalog.jurisdictions] + [d.name for d in catalog.domains[:6]] + units[:: max(1, len(units) // 6)]
    for name in names:
        expected = containing(catalog, name)
        for form in pinyin_forms(name)[::2]:  # full and initials
            got = ask(page, form)
            assert expected <= set(got["ids"]), (name, form)
    assert not errors


def test_polyphones_read_in_context_and_other_readings_still_find(catalog, search_page) -> None:
    page, errors = search_page
    for word, typed in (("银行", "yinhang"), ("银行", "yinxing"), ("重点", "zhongdian"), ("重点", "chongdian"), ("重点", "zd")):
        expected = containing(catalog, word)
        assert expected, word
        got = ask(page, typed)
        assert expected <= set(got["ids"]), (word, typed)
    assert "银行" in ask(page, "yinhang")["info"]
    assert not errors


def test_several_terms_narrow_the_results(catalog, search_page) -> None:
    page, errors = search_page
    rng = random.Random(5)
    pairs = [("一网通办", "济南"), ("告知承诺", "聊城")]
    pairs += [tuple(rng.sample(fragments(catalog, 30, seed=2), 2)) for _ in range(4)]
    for a, b in pairs:
        expected = containing(catalog, a) & containing(catalog, b)
        got = ask(page, f"{a} {b}")
        assert set(got["ids"]) == expected, (a, b)
    ywtb = ask(page, "ywtb jinan")
    assert set(ywtb["ids"]) >= containing(catalog, "一网通办") & containing(catalog, "济南")
    assert set(ywtb["ids"]) < set(ask(page, "ywtb")["ids"])
    assert not errors


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "(.*)[a-z]+\\d{2}$^|?",
    "'; DROP TABLE measures; --",
    "\"引号\" '单引号'",
    "😀一网通办🎉",
    "一" * 10_000,
    "通办" * 5_000,
]


def test_hostile_input_shows_literally_without_errors(catalog, real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url)
    for query in HOSTILE:
        got = ask(page, query)
        assert got["state"] in ("done", "none"), query
        tokens = normalize(query).split()
        expected = set.intersection(*(containing(catalog, t) for t in tokens)) if tokens else set()
        assert set(got["ids"]) == expected, query[:40]
        if got["state"] == "none":
            assert query.strip()[:200] in got["info"]
        assert page.locator(f"{RESULTS} img, {RESULTS} script").count() == 0
    assert page.input_value(BOX) == HOSTILE[-1]
    guard.assert_clean()


def test_short_and_empty_queries_say_what_to_do(real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url)
    assert ask(page, "一")["state"] == "short"
    assert "两个字" in ask(page, "一")["info"]
    assert ask(page, "   ")["state"] == "empty"
    guard.assert_clean()


def test_keyboard_opens_search_walks_results_and_follows_a_permalink(catalog, real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url + "about/")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "catalog-search-input"
    page.keyboard.type("告知承诺")
    page.wait_for_function("() => document.getElementById('catalog-search-results').dataset.state === 'done'")
    first = page.get_attribute(f"{RESULTS} .catalog-hit", "data-measure")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.closest('.catalog-hit').dataset.measure") == first
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.closest('.catalog-hit').dataset.measure") == first
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/documents/**#{first}")
    measure = next(m for m in catalog.measures() if m.id == first)
    assert page.url.endswith(f"documents/{measure.document}/#{first}")
    assert page.locator(f"article.measure[id='{first}']").count() == 1
    guard.assert_clean()


def test_a_result_shows_jurisdiction_domain_and_the_passage_highlighted(catalog, real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url)
    candidates = fragments(catalog, 50, seed=3)
    fragment = next(f for f in candidates if len(f) >= 3 and not in_title(catalog, f) and containing(catalog, f))
    ask(page, fragment)
    hit = page.locator(f"{RESULTS} .catalog-hit").first
    measure = next(m for m in catalog.measures() if m.id == hit.get_attribute("data-measure"))
    meta = hit.locator(".catalog-hit__meta").inner_text()
    assert catalog.jurisdiction(catalog.document(measure.document).jurisdiction).name in meta
    assert catalog.domain(measure.domain).name in meta
    marks = hit.locator("mark").all_inner_texts()
    assert any(normalize(fragment) == normalize(mark) for mark in marks), (fragment, marks)
    href = hit.locator("a").get_attribute("href")
    assert href == real_site_url + f"documents/{measure.document}/#{measure.id}"
    guard.assert_clean()


@pytest.mark.parametrize("path", ["", "documents/jinan-2021/", "domains/", "explore/", "about/"])
def test_the_box_is_on_every_kind_of_page(real_site_url, open_page, path) -> None:
    page, guard = open_page(real_site_url + path)
    assert ask(page, "一网通办")["state"] == "done"
    guard.assert_clean()


def test_the_box_works_on_a_phone(catalog, real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url + "documents/", viewport=(390, 844), is_mobile=True, has_touch=True)
    shown = "() => getComputedStyle(document.querySelector('.catalog-search .md-search__inner')).opacity"
    assert page.evaluate(shown) == "0", "on a phone the box waits behind the header's search button"
    page.click("label.md-header__button[for='__search']")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'catalog-search-input'")
    page.wait_for_function(shown + " === '1'")
    assert page.is_visible(BOX)
    page.keyboard.type("ywtb")
    page.wait_for_function("() => document.getElementById('catalog-search-results').dataset.state === 'done'")
    hit = page.locator(f"{RESULTS} .catalog-hit").first
    assert hit.is_visible()
    box = hit.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391
    hit.locator("a").click()
    page.wait_for_url("**/documents/**#*")
    guard.assert_clean()
