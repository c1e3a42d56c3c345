"""Hostile text in the browser: a catalogue seeded with HTML, script, Markdown and template syntax, control,
zero-width and bidi characters, lookalikes and very long strings builds; in Chromium no script from the data
runs on any page (nor in search), no dialog or console error appears, and the strings show literally.
The downloads keep them exactly (JSON) or neutralised against formula injection (CSV)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser.conftest import REPO, build_site

FIXTURE = REPO / "tests" / "fixture_catalog"
LONG = "很长的举措" * 1200  # 6,000 characters
HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '<a href="javascript:window.__pwned=1">点我</a>',
    "[点我](javascript:window.__pwned=1)",
    "javascript:window.__pwned=1",
    "*星号* _下划线_ **粗** # 井号 | 竖线 | [x](y) `代码` ~~删除~~",
    "{{ 7*7 }} {% if true %}模板{% endif %} {# 注释 #}",
    '{: onclick="window.__pwned=1" } {#id .class} 属性',
    "&lt;已转义&gt; &amp; &#60;script&#62;",
    "制表\t符",
    "零\u200b宽\u200c字\u200d符\u2060与\ufeff双向\u202e控制\u202c\u2066符\u2069\u200f",
    "⼗项⻔类\uf90a融",  # lookalikes, allowed in allowed-characters.yaml
    "=HYPERLINK(\"http://example.invalid\",\"x\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
]
FORMULA = ("=", "+", "-", "@")


def _seed(document: dict[str, Any], offset: int) -> None:
    """Measure k of the catalogue gets hostile string 2k as its title and 2k+1 as its lead unit, so that
    every string is a title or a unit name somewhere; every text holds all of them."""
    n = len(HOSTILE)
    document["title"] = HOSTILE[offset % n] + "方案" + HOSTILE[(offset + 1) % n]
    for i, measure in enumerate(document["measures"]):
        k = 2 * (offset + i)
        measure["title"] = HOSTILE[k % n]
        measure["text"] = HOSTILE[k % n] + "。" + " ".join(HOSTILE) + (LONG if i == 0 else "")
        measure["lead"] = [HOSTILE[(k + 1) % n]]
        measure["responsible"] = [HOSTILE[(k + 2) % n], HOSTILE[(k + 3) % n]]
        measure["units"] = "牵头单位：" + HOSTILE[(k + 4) % n]


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    """(built site, {measure id: its seeded fields}) of the fixture catalogue seeded with HOSTILE."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURE, root / "repo")
    catalog_dir = root / "repo" / "catalog"
    measures: dict[str, dict[str, Any]] = {}
    allowed = "allowed:\n"
    for offset, path in enumerate(sorted((catalog_dir / "documents").glob("*.yaml"))):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        _seed(document, offset * 4)
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")
        measures |= {m["id"]: m | {"document_title": document["title"]} for m in document["measures"]}
        allowed += "".join(f"  - {{char: \"{c}\", file: catalog/documents/{path.name}, reason: 恶意文本测试}}\n"
                           for c in "⼗⻔\uf90a")
    (catalog_dir / "allowed-characters.yaml").write_text(allowed, encoding="utf-8")
    return build_site(catalog_dir, root / "site"), measures


def _normal(text: str) -> str:
    """Whitespace as a browser shows it: any run of spaces, tabs and line breaks is one space."""
    return re.sub(r"\s+", " ", text).strip()


def test_the_seeded_catalogue_is_as_hostile_as_intended(hostile: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    _, measures = hostile
    seeded = {field for m in measures.values() for field in (m["title"], *m["lead"], *m["responsible"])}
    assert set(HOSTILE) <= seeded
    assert all(len(m["text"]) < 600 or LONG in m["text"] for m in measures.values())


def test_no_script_from_the_data_runs_on_any_page(hostile, serve: Callable[[Path], str], open_page) -> None:
    site, measures = hostile
    base = serve(site)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) >= 10
    for name in pages:
        page, guard = open_page(base + name)
        assert page.evaluate("() => typeof window.__pwned") == "undefined", name
        active = "[onerror], [onclick], a[href^='javascript:' i]"
        assert page.evaluate("s => document.querySelectorAll(s).length", active) == 0, name
        guard.assert_clean()
        page.close()


def test_hostile_strings_show_literally_on_the_document_pages(hostile, serve: Callable[[Path], str], open_page) -> None:
    site, measures = hostile
    base = serve(site)
    shown = 0
    for path in sorted((site / "documents").glob("*/index.html")):
        page, guard = open_page(base + path.relative_to(site).as_posix())
        body = _normal(page.evaluate("() => document.querySelector('article.md-content__inner').textContent"))
        for measure_id, measure in measures.items():
            article = page.locator(f"article.measure[id='{measure_id}']")
            if not article.count():
                continue
            text = _normal(article.evaluate("e => e.textContent"))
            for value in (measure["title"], measure["text"], *measure["lead"], *measure["responsible"]):
                assert _normal(value) in text, (measure_id, value)
                shown += 1
            assert _normal(measure["document_title"]) in body
            assert _normal(measure["document_title"]) in _normal(page.title())
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        guard.assert_clean()
    assert shown >= 4 * len(measures)


def test_search_results_show_hostile_text_without_running_it(hostile, serve: Callable[[Path], str], open_page) -> None:
    site, _ = hostile
    page, guard = open_page(serve(site))
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("javascript", delay=20)  # typed: the theme listens to key events
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    results = _normal(page.evaluate("() => document.querySelector('.md-search-result__list').textContent"))
    for value in HOSTILE[:4]:
        assert _normal(value) in results, value
    active = ".md-search-result [onerror], .md-search-result script, .md-search-result a[href^='javascript:' i]"
    assert page.evaluate("s => document.querySelectorAll(s).length", active) == 0
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    guard.assert_clean()


def test_measures_json_round_trips_the_hostile_text_exactly(hostile) -> None:
    site, measures = hostile
    data = json.loads((site / "downloads" / "measures.json").read_text(encoding="utf-8"))
    assert data["count"] == len(measures)
    for record in data["measures"]:
        seeded = measures[record["id"]]
        assert (record["title"], record["text"], record["lead"], record["responsible"], record["units"]) == (
            seeded["title"], seeded["text"], seeded["lead"], seeded["responsible"], seeded["units"])
        assert record["document_title"] == seeded["document_title"]


def test_measures_csv_keeps_the_text_and_neutralises_formulas(hostile) -> None:
    site, measures = hostile
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "measures.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(measures)
    neutralised = 0
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA), (row["id"], column, cell)
        title = measures[row["id"]]["title"]
        if title.startswith(FORMULA):
            assert row["title"] == "'" + title
            neutralised += 1
        else:
            assert row["title"] == title
        assert row["text"] in (measures[row["id"]]["text"], "'" + measures[row["id"]]["text"])
    assert neutralised >= 2


def _ics_unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def test_calendars_carry_the_hostile_text_literally_one_event_per_deadline(hostile) -> None:
    site, measures = hostile
    calendar = (site / "downloads" / "calendar" / "all.ics").read_bytes().decode("utf-8")
    physical = calendar.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", calendar.replace("\r\n", "")), "a raw control character"
    events = calendar.replace("\r\n ", "").split("BEGIN:VEVENT\r\n")[1:]
    dated = [m for m in measures.values() for d in m.get("deadlines", []) if d.get("date")]
    assert len(events) == len(dated) >= 2
    for event in events:
        fields = dict(line.split(":", 1) for line in event.split("\r\n") if ":" in line and not line.startswith(" "))
        uid = fields["UID"].split("@")[0]
        seeded = measures[uid.rsplit("-", 1)[0]]
        assert seeded["title"] in _ics_unescape(fields["SUMMARY"])
        assert seeded["text"] in _ics_unescape(fields["DESCRIPTION"]).split("\n")
        assert set(fields) >= {"DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "DTSTAMP"}
