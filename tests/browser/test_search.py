"""The header search box on the real built site, driven like a reader: type, read the results.

Every query and every expected answer is computed from the catalogue (tests/support/search_cases.py:
random title words with a fixed seed and their pinyin in every form, traditional forms made with
OpenCC, punctuation and tone variants, places run into terms, unit abbreviations, months, ids,
plans), never written down by hand, so the tests hold for any valid catalogue. Each row of
issue 12's table is one test; the ranking rules are checked against an independent ranking of
the same catalogue (`Oracle.tier`: jieba's words, fields by position).
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from generator.catalog import load_catalog
from generator.model import Catalog
from generator.site.addresses import url_for
from generator.site.searchtext import fold, is_word_char, normalize, query_tokens
from tests.support import search_cases as sc

REPO = Path(__file__).resolve().parents[2]
BOX = "#catalog-search-input"
RESULTS = "#catalog-search-results"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO / "catalog")


@pytest.fixture(scope="module")
def oracle(catalog: Catalog) -> sc.Oracle:
    return sc.Oracle(catalog)


@pytest.fixture(scope="module")
def cases(catalog: Catalog) -> dict[str, list[sc.Case]]:
    by_category: dict[str, list[sc.Case]] = defaultdict(list)
    for case in sc.all_cases(catalog, seed=12, words=24):
        by_category[case.category].append(case)
    return by_category


def ask(page: Any, query: str, everything: bool = True) -> dict[str, Any]:
    """Type `query` into the header box and wait for its results: the state, the info line, the plans
    and the ids shown. With `everything`, the ids are the whole result list: the page shown by the
    box must be its start, and the rest is read from the same engine call the box made (so long
    lists are checked without clicking "more" twenty times)."""
    page.fill(BOX, query)
    page.wait_for_function(
        "q => { const b = document.getElementById('catalog-search-results');"
        " return b.dataset.query === q && b.dataset.state !== 'busy'; }",
        arg=query,
    )
    shown = page.eval_on_selector_all(f"{RESULTS} .catalog-hit", "els => els.map(e => e.dataset.measure)")
    ids = shown
    if everything:
        ids = page.evaluate(
            "q => CatalogSearch.search(q).then(r => CatalogSearch.records(r.results.map(x => x.number)))"
            ".then(recs => recs.map(r => r.id))", query)
        assert ids[:len(shown)] == shown, query
        more = page.locator(f"{RESULTS} .catalog-more button")
        if len(ids) > len(shown):
            assert f"还有 {len(ids) - len(shown)} 条" in more.inner_text(), "the box says how many more there are"
    plans = page.eval_on_selector_all(f"{RESULTS} .catalog-plan", "els => els.map(e => e.dataset.document)")
    return {
        "state": page.get_attribute(RESULTS, "data-state"),
        "ids": ids,
        "plans": plans,
        "info": page.inner_text(f"{RESULTS} .md-search-result__meta"),
    }


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


def check(page: Any, case: sc.Case) -> dict[str, Any]:
    got = ask(page, case.query)
    ids = got["ids"]
    assert len(ids) == len(set(ids)), f"duplicates for {case.query!r}"
    missing = case.relevant - set(ids)
    assert not missing, (case.category, case.query, case.target, sorted(missing)[:5], got["info"])
    if case.exact:
        assert set(ids) == case.relevant, (case.category, case.query, sorted(set(ids) - case.relevant)[:5])
    if case.first:
        assert set(ids[:len(case.first)]) == case.first, (case.category, case.query)
    assert got["state"] == ("done" if ids else "none"), case.query
    return got


# --- one test per row of issue 12's table ----------------------------------------------------------


def test_exact_fragments_cut_anywhere_find_exactly_the_measures_that_contain_them(cases, search_page) -> None:
    page, errors = search_page
    assert cases["fragment"]
    for case in cases["fragment"]:
        check(page, case)
    assert not errors


def test_pinyin_of_any_title_word_full_spaced_and_mixed_at_any_syllable_boundary(cases, search_page) -> None:
    page, errors = search_page
    assert len({c.target for c in cases["pinyin"]}) >= 12
    for case in cases["pinyin"]:
        check(page, case)
    assert not errors


def test_initials_find_the_word_or_say_that_a_limit_left_it_out(cases, search_page, oracle) -> None:
    page, errors = search_page
    listed = 0
    for case in cases["initials"]:
        got = ask(page, case.query)
        found = case.relevant <= set(got["ids"])
        assert found or "另有" in got["info"], (case.query, case.target, got["info"])
        listed += found
    assert listed >= len(cases["initials"]) * 3 // 4
    # frequent words first: the first result of two initials holds the most used word they spell
    for query in ("zx", "jz"):
        got = ask(page, query, everything=False)
        if got["ids"]:
            first_word = got["info"].split("→")[1].split("、")[0].strip()
            assert oracle.containing(first_word) and got["ids"][0] in oracle.containing(first_word), (query, first_word)
    assert not errors


def test_tone_marks_tone_numbers_and_u_umlaut_read_as_plain_pinyin(cases, search_page) -> None:
    page, errors = search_page
    assert any("ü" in c.query for c in cases["tones"]) and any(ch.isdigit() for c in cases["tones"] for ch in c.query)
    for case in cases["tones"]:
        check(page, case)
    assert not errors


def test_traditional_characters_even_one_among_simplified(cases, search_page) -> None:
    page, errors = search_page
    assert len(cases["traditional"]) >= 6
    for case in cases["traditional"]:
        check(page, case)
    assert not errors


def test_punctuation_and_quotes_separate_terms_and_are_never_matched(cases, search_page) -> None:
    page, errors = search_page
    for case in cases["punctuation"]:
        check(page, case)
    assert not errors


def test_chinese_pinyin_and_digits_in_one_token(cases, search_page) -> None:
    page, errors = search_page
    assert cases["mixed"]
    for case in cases["mixed"]:
        check(page, case)
    assert not errors


def test_a_place_run_into_a_term_is_split_off(cases, search_page) -> None:
    page, errors = search_page
    assert cases["place"]
    for case in cases["place"]:
        got = check(page, case)
        assert set(got["ids"]) == case.relevant, case.query
    assert not errors


def test_unit_abbreviations_and_section_level_units(cases, search_page) -> None:
    page, errors = search_page
    assert cases["units"]
    for case in cases["units"]:
        check(page, case)
    assert not errors


def test_a_month_in_any_form_finds_the_measures_due_then(cases, search_page, oracle) -> None:
    page, errors = search_page
    assert cases["dates"]
    for case in cases["dates"]:
        got = check(page, case)
        month = int(case.target[-2:])
        assert f"{month}月到期" in got["info"], (case.query, got["info"])
        literal = [t for t in query_tokens(case.query) if len(t) >= 2]
        allowed = set(case.relevant) | (oracle.containing(literal[0]) if len(literal) == 1 else set())
        assert set(got["ids"]) <= allowed, case.query
    assert not errors


def test_a_measure_id_opens_that_measure_and_a_plan_is_found_by_number_issuer_or_title(cases, search_page, real_site_url) -> None:
    page, errors = search_page
    for case in cases["ids"]:
        got = check(page, case)
        assert got["ids"] == [case.query], case.query
    for case in cases["documents"]:
        got = check(page, case)
        assert case.target in got["plans"], case.query
    case = cases["ids"][0]
    ask(page, case.query)
    page.press(BOX, "Enter")
    measure = sc.measure_of(load_catalog(REPO / "catalog"), case.query)
    page.wait_for_url(real_site_url + url_for(measure))  # the measure's own address, as Python gives it
    page.goto(real_site_url + "domains/", wait_until="load")
    assert not errors


def test_one_character_is_allowed_titles_first_with_a_count_and_a_hint(cases, search_page) -> None:
    page, errors = search_page
    for case in cases["one character"]:
        got = check(page, case)
        assert f"共 {len(case.relevant)} 条" in got["info"] and "再输入一个字" in got["info"], got["info"]
    assert not errors


def test_many_terms_are_all_searched_and_a_limit_is_said(cases, search_page, catalog) -> None:
    page, errors = search_page
    for case in cases["many terms"]:
        got = check(page, case)
        assert "只搜索" not in got["info"]
    words = sc.title_words(catalog, 40, seed=3)
    got = ask(page, " ".join(words[:30]))
    assert "只搜索前" in got["info"] and words[29] in got["info"], "a dropped term is named, never silent"
    assert not errors


def test_nothing_is_answered_with_nothing_not_with_other_words(cases, search_page) -> None:
    page, errors = search_page
    assert cases["nothing"]
    for case in cases["nothing"]:
        got = check(page, case)
        assert got["state"] == "none" and case.query in got["info"]
    assert not errors


# --- ranking and snippets ---------------------------------------------------------------------------


def test_whole_words_rank_before_matches_across_words_title_before_text_before_units(catalog, oracle, search_page) -> None:
    page, errors = search_page
    queries = sc.fragments(catalog, 30, seed=21) + sc.title_words(catalog, 20, seed=22)
    checked = 0
    for query in queries:
        ids = ask(page, query)["ids"]
        tiers = [oracle.tier(i, query) for i in ids]
        assert tiers == sorted(tiers), (query, list(zip(ids, tiers, strict=True))[:12])
        checked += len(set(tiers)) > 1
    assert checked >= 5, "the queries mix ranks, so the order was really tested"
    assert not errors


def test_the_snippet_shows_the_matched_text_not_the_unit_list(catalog, oracle, search_page) -> None:
    page, errors = search_page
    units = sorted({u for m in catalog.measures() for u in m.lead if len(u) >= 4 and all(map(is_word_char, u))})
    rng = random.Random(8)
    tried = 0
    for unit in rng.sample(units, min(30, len(units))):
        in_text = {m.id for m in catalog.measures() if normalize(unit) in normalize(m.text)}
        if not in_text:
            continue
        ask(page, unit)
        for hit in page.locator(f"{RESULTS} .catalog-hit").all()[:10]:
            measure = sc.measure_of(catalog, hit.get_attribute("data-measure"))
            if measure.id in in_text:
                passage = hit.locator(".catalog-hit__passage").inner_text().strip("…")
                assert passage.split(" ｜ ")[0] in measure.text, (unit, measure.id, passage)
                assert unit in hit.locator(".catalog-hit__passage mark").all_inner_texts()
                tried += 1
    assert tried, "some unit names also occur in measure texts"
    assert not errors


# --- the box ----------------------------------------------------------------------------------------

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


def test_hostile_input_shows_literally_without_errors(oracle, real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url)
    for query in HOSTILE:
        got = ask(page, query)
        assert got["state"] in ("done", "none", "short"), query
        tokens = [t for t in query_tokens(query) if len(t) >= 2]
        if tokens and all(not t.isascii() for t in tokens):
            assert set(got["ids"]) == oracle.all_of(tokens), query[:40]
        if got["state"] == "none":
            assert query.strip()[:200] in got["info"]
        assert page.locator(f"{RESULTS} img, {RESULTS} script").count() == 0
    assert page.input_value(BOX) == HOSTILE[-1]
    guard.assert_clean()


def test_the_browser_folds_every_character_as_python_does(catalog, real_site, search_page) -> None:
    """search-engine.js `fold` against searchtext.fold with the table the site ships (meta.json's t2s): every
    character of the catalogue, both sides of that table, ASCII, full width, the ideographic space and the
    Latin letters with diacritics, as one text (fold maps each UTF-16 unit on its own)."""
    page, errors = search_page
    ask(page, "营商", everything=False)
    meta = json.loads((real_site / "search" / "meta.json").read_text(encoding="utf-8"))
    pairs = list(meta["t2s"])
    table = dict(zip(pairs[0::2], pairs[1::2], strict=True))
    chars = {ch for m in catalog.measures() for ch in m.title + m.text + m.units} | set(pairs)
    chars |= {chr(c) for r in ((0x20, 0x7F), (0xC0, 0x250), (0xFF01, 0xFF5F), (0x3000, 0x3001)) for c in range(*r)}
    text = "".join(sorted(ch for ch in chars if ord(ch) < 0x10000))
    got = page.evaluate("t => CatalogSearch.loadMeta().then(() => CatalogSearch.fold(t))", text)
    want = fold(text, table)
    assert len(got) == len(text)
    assert [(a, b, c) for a, b, c in zip(text, got, want, strict=True) if b != c] == []
    assert table and fold("".join(table), table) != "".join(table), "the table folds something"
    assert not errors


def _held_chunks(page: Any, paths: list[str]) -> list[Any]:
    """Hold the requests of these record files (site paths) until the test releases them: [route]."""
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    for path in paths:
        page.route(f"**/{path}", hold)
    return held


def test_results_show_in_rank_order_as_their_records_arrive(cases, real_site_url, open_page) -> None:
    """The first result shows while later records are still on their way; a result never shows before
    those ranked above it. The query: the case with the most results whose first page of results spans
    several record files (computed from the engine, so it holds for any catalogue)."""
    page, guard = open_page(real_site_url)
    candidates = sorted((c for cs in cases.values() for c in cs), key=lambda c: -len(c.relevant))
    plan = None
    for case in candidates[:12]:
        ask(page, case.query, everything=False)
        base, chunk, numbers, ids = page.evaluate(
            "q => CatalogSearch.loadMeta().then(m => CatalogSearch.search(q).then(r => {"
            " const n = r.results.slice(0, 20).map(x => x.number);"
            " return CatalogSearch.records(n).then(recs => [m.base, m.chunk, n, recs.map(x => x.id)]); }))", case.query)
        files = [f"search/{base}c/{n // chunk}.json" for n in numbers]
        if len(set(files)) >= 2:
            plan = case.query, files, ids
            break
    assert plan, "no query of the cases has a first page of results in two or more record files"
    query, files, ids = plan

    late, late_guard = open_page(real_site_url)  # a fresh page: no record file cached
    held = _held_chunks(late, [f for f in dict.fromkeys(files) if f != files[0]])
    late.fill(BOX, query)
    late.wait_for_function(f"q => document.querySelector('{RESULTS}').dataset.shown === q", arg=query)
    shown = late.eval_on_selector_all(f"{RESULTS} .catalog-hit", "els => els.map(e => e.dataset.measure)")
    assert late.get_attribute(RESULTS, "data-state") == "busy" and held
    assert 1 <= len(shown) < len(ids) and shown == ids[:len(shown)], "the first results, in rank order"
    for route in held:
        route.continue_()
    assert _finished(late, query) == ids

    early, early_guard = open_page(real_site_url)
    held = _held_chunks(early, [files[0]])
    others = len(set(files)) - 1
    arrived: list[str] = []
    early.on("requestfinished", lambda r: arrived.append(r.url) if "/c/" in r.url else None)
    early.fill(BOX, query)
    for _ in range(200):
        if len(arrived) >= others:
            break
        early.wait_for_timeout(25)
    assert len(arrived) >= others and held, "every record file but the first one's has arrived"
    assert early.locator(f"{RESULTS} .catalog-hit").count() == 0, "no result shows before the first one"
    held[0].continue_()
    assert _finished(early, query) == ids
    for each in (guard, late_guard, early_guard):
        each.assert_clean()


def _finished(page: Any, query: str) -> list[str]:
    """The ids the box shows once it is done with `query` (typed before)."""
    page.wait_for_function(f"q => {{ const b = document.querySelector('{RESULTS}');"
                           " return b.dataset.query === q && b.dataset.state === 'done'; }", arg=query)
    return page.eval_on_selector_all(f"{RESULTS} .catalog-hit", "els => els.map(e => e.dataset.measure)")


def test_short_and_empty_queries_say_what_to_do(real_site_url, open_page) -> None:
    page, guard = open_page(real_site_url)
    got = ask(page, "a")
    assert got["state"] == "short" and "两个拼音字母" in got["info"]
    assert ask(page, "   ")["state"] == "empty"
    assert ask(page, "一")["state"] in ("done", "none")
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
    measure = sc.measure_of(catalog, first)
    page.wait_for_url(f"**/{url_for(measure)}")
    assert page.url.endswith(url_for(measure))
    assert page.locator(f"[data-measure='{first}'], article.measure[id='{first}']").count() == 1
    guard.assert_clean()


def test_a_result_shows_jurisdiction_domain_the_passage_highlighted_and_pythons_address(catalog, oracle, real_site_url,
                                                                                        open_page) -> None:
    page, guard = open_page(real_site_url)
    candidates = sc.fragments(catalog, 50, seed=3)
    fragment = next(f for f in candidates if len(f) >= 3 and not oracle.in_title(f) and oracle.containing(f))
    ask(page, fragment)
    hit = page.locator(f"{RESULTS} .catalog-hit").first
    measure = sc.measure_of(catalog, hit.get_attribute("data-measure"))
    meta = hit.locator(".catalog-hit__meta").inner_text()
    assert catalog.jurisdiction(catalog.document(measure.document).jurisdiction).name in meta
    assert catalog.domain(measure.domain).name in meta
    marks = hit.locator("mark").all_inner_texts()
    assert any(normalize(fragment) == normalize(mark) for mark in marks), (fragment, marks)
    assert hit.locator("a").get_attribute("href") == real_site_url + url_for(measure)
    guard.assert_clean()


@pytest.mark.parametrize("path", ["", "documents/jinan-2021/", "domains/", "explore/", "about/"])
def test_the_box_is_on_every_kind_of_page(real_site_url, open_page, path) -> None:
    page, guard = open_page(real_site_url + path)
    assert ask(page, "一网通办", everything=False)["state"] == "done"
    guard.assert_clean()


def test_the_box_works_on_a_phone(catalog, real_site_url, open_page, tmp_path) -> None:
    page, guard = open_page(real_site_url + "documents/", viewport=(390, 844), is_mobile=True, has_touch=True)
    shown = "() => getComputedStyle(document.querySelector('.catalog-search .md-search__inner')).opacity"
    assert page.evaluate(shown) == "0", "on a phone the box waits behind the header's search button"
    page.click("label.md-header__button[for='__search']")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'catalog-search-input'")
    page.wait_for_function(shown + " === '1'")
    assert page.is_visible(BOX)
    page.keyboard.type("ywtb")
    page.wait_for_function("() => document.getElementById('catalog-search-results').dataset.state === 'done'")
    info = page.locator(f"{RESULTS} .md-search-result__meta")
    assert info.is_visible()
    box = info.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391
    hit = page.locator(f"{RESULTS} .catalog-hit").first
    assert hit.is_visible()
    box = hit.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391
    page.screenshot(path=str(tmp_path / "search-390.png"))
    target = hit.locator("a").get_attribute("href")
    hit.locator("a").click()
    page.wait_for_url(lambda url: url.split("#")[0].rstrip("/").endswith(target.split("#")[0].strip("./").rstrip("/")))
    guard.assert_clean()
