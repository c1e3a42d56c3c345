"""The measure pages (m/<id>/), rendered from the fixture catalogue without MkDocs, and the frame they go in.

The fixture's plans are too small for the alignment's real threshold to pair anything, so the tests that
need counterparts lower it (`paired`): the pages then show pairs both ways. Golden files: a provincial and a
local measure page (head and body) in tests/golden/m/. After an intended change, regenerate and review:

    UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_measure_pages.py
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.catalog import load_catalog
from generator.crossref import CrossReferences, cross_reference
from generator.crossref.index import SiteIndex
from generator.model import AlignmentSettings, Catalog
from generator.publish.measurepages import ShellError, fill, frame, remove_stale, update_sitemap
from generator.site import assemble, downloads, measurepages
from generator.site.addresses import ALIGNMENT_CSV, ALIGNMENT_JSON, MEASURE_SHELL, measure_file, url_for
from generator.site.wording import page_title, short_title

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "fixture_catalog" / "catalog"
GOLDEN = TESTS / "golden" / "m"
UPDATED = dt.date(2024, 1, 2)
SITE_URL = "https://example.org/catalogue/"
GOLDEN_IDS = ("fixture-shandong-2021-starting-business-01", "fixture-jinan-2022-01-2")  # provincial, local


@pytest.fixture(scope="module")
def paired() -> Catalog:
    """The fixture catalogue with a threshold low enough that its few measures pair up."""
    catalog = load_catalog(FIXTURE)
    return dataclasses.replace(catalog, alignment=AlignmentSettings(threshold=0.01, relative=0.25))


@pytest.fixture(scope="module")
def pages(paired: Catalog) -> dict[str, measurepages.MeasurePage]:
    return {p.path: p for p in assemble(paired, updated=UPDATED, site_url=SITE_URL).measures}


class _Tags(HTMLParser):
    """The head tags and links of a page: meta by name/property, link rel, JSON-LD, every href."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.hrefs: list[str] = []
        self.title = self.jsonld = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            self.meta[a.get("name") or a.get("property", "")] = a.get("content", "")
        elif tag == "link":
            self.links[a["rel"]] = a["href"]
        elif tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        self._in = tag if tag in ("title", "script") else None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.jsonld += data

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def tags(page: measurepages.MeasurePage) -> _Tags:
    parser = _Tags()
    parser.feed(page.head + page.body)
    return parser


# --- one page per measure ----------------------------------------------------------------------


def test_every_measure_has_exactly_one_page_at_its_address(paired: Catalog, pages: dict) -> None:
    measures = paired.measures()
    assert list(pages) == [f"m/{m.id}/index.html" for m in measures] == [measure_file(m) for m in measures]
    assert all(url_for(m) + "index.html" == measure_file(m) and url_for(m).isascii() for m in measures)
    site = assemble(paired, updated=UPDATED)
    assert len(site.measures) == len(measures) and site.measures.paths() == list(pages)
    assert MEASURE_SHELL in site.pages  # the frame MkDocs renders once for all of them


def test_no_element_of_a_measure_page_takes_the_measures_id(paired: Catalog, pages: dict) -> None:
    for measure in paired.measures():  # the id stays the anchor of its place on the document page
        assert f'id="{measure.id}"' not in pages[measure_file(measure)].body


def test_golden_measure_pages(paired: Catalog, pages: dict) -> None:
    by_id = {m.id: m for m in paired.measures()}
    for measure_id in GOLDEN_IDS:
        page = pages[measure_file(by_id[measure_id])]
        text = f"{page.head}<!-- topic: {page.topic} -->\n{page.body}"
        target = GOLDEN / f"{measure_id}.html"
        if os.environ.get("UPDATE_GOLDENS") == "1":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        assert text == target.read_text(encoding="utf-8"), f"{measure_id} differs from tests/golden/m/{measure_id}.html"


def test_its_tags_name_the_measure(paired: Catalog, pages: dict) -> None:
    for document in paired.documents:
        place = paired.jurisdiction(document.jurisdiction)
        for measure in document.measures:
            page = tags(pages[measure_file(measure)])
            title = page.title
            assert title == page.meta["og:title"] == page.meta["twitter:title"] == page_title(measure, document, place)
            assert title.split(" · ") == [measure.title.rstrip("。"), place.name, document.title]
            start = " ".join(measure.text.split())[:20]
            assert page.meta["description"].startswith(start) and page.meta["og:description"].startswith(start)
            assert page.links["canonical"] == page.meta["og:url"] == SITE_URL + f"m/{measure.id}/"
            data = json.loads(page.jsonld)
            assert data["@type"] == "Legislation" and data["identifier"] == measure.id
            assert data["name"] == short_title(measure) and data["url"] == page.links["canonical"]
            assert data["text"] == measure.text and data["isPartOf"]["name"] == document.title


def test_without_a_site_url_the_canonical_address_is_the_page_itself(paired: Catalog) -> None:
    page = next(iter(assemble(paired, updated=UPDATED).measures))
    parsed = tags(page)
    assert parsed.links["canonical"] == "./" and "og:url" not in parsed.meta and "url" not in json.loads(parsed.jsonld)


def test_hostile_text_stays_text_in_the_body_and_the_json_ld(pages: dict) -> None:
    page = pages["m/fixture-shandong-2021-starting-business-02/index.html"]
    assert "<script>alert" not in page.head + page.body + page.topic
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.body
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.head, re.S).group(1)
    assert "<" not in script and json.loads(script)["name"] == "<script>alert(1)</script>"


def test_the_citation_is_full_and_both_copy_controls_are_there(paired: Catalog, pages: dict) -> None:
    document = paired.document("fixture-jinan-2022")
    page = pages[measure_file(document.measures[0])].body
    cite = re.search(r'<span class="measure-citation">(.*?)</span>', page, re.S).group(1)
    for part in (document.issuer, "济南市&lt;em&gt;示例&lt;/em&gt;*方案*", document.doc_number, "第1（1）条", "济南市",
                 "2022年3月1日", SITE_URL + f"m/{document.measures[0].id}/", "访问日期", "2024年1月2日"):
        assert part in cite, part
    assert '>复制链接</button>' in page and 'data-copy="citation"' in page and '>复制引用</button>' in page


def test_previous_and_next_stay_in_the_plan(paired: Catalog, pages: dict) -> None:
    for document in paired.documents:
        ids = [m.id for m in document.measures]
        for i, measure in enumerate(document.measures):
            body = pages[measure_file(measure)].body
            assert ('rel="prev"' in body) == (i > 0) and (i == 0 or f'rel="prev" href="../{ids[i - 1]}/"' in body)
            last = i + 1 == len(ids)
            assert ('rel="next"' in body) != last and (last or f'rel="next" href="../{ids[i + 1]}/"' in body)


# --- counterparts ------------------------------------------------------------------------------


def test_counterparts_link_both_ways_with_their_scores(paired: Catalog, pages: dict) -> None:
    alignment = cross_reference(paired).alignment
    pairs = [(p, m.local, m.score) for p in alignment.provincial for m in alignment.by_province.get(p.id, ())]
    assert pairs, "the lowered threshold should pair some of the fixture's measures"
    for provincial, local, score in pairs:
        there = pages[measure_file(provincial)].body
        back = pages[measure_file(local)].body
        assert re.search(rf'href="\.\./{local.id}/">[^<]*</a> <span class="counterpart-score"[^>]*>{score:.2f}<', there)
        assert re.search(rf'href="\.\./{provincial.id}/">[^<]*</a> <span class="counterpart-score"[^>]*>{score:.2f}<', back)
    linked = {m.id for m in paired.measures() if 'class="measure-page-counterparts"' in pages[measure_file(m)].body}
    assert linked == {p.id for p, _, _ in pairs} | {loc.id for _, loc, _ in pairs}


def test_many_counterparts_show_the_best_and_say_how_many(paired: Catalog) -> None:
    refs = cross_reference(paired)
    provincial = next(p for p in refs.alignment.provincial if len(refs.alignment.by_province.get(p.id, ())) > 1)
    every = tuple(sorted(refs.alignment.by_province[provincial.id], key=lambda m: m.score))  # worst first
    alignment = dataclasses.replace(refs.alignment, by_province={provincial.id: every})
    refs = CrossReferences(index=refs.index, units=refs.units, alignment=alignment)
    side, shown, total = refs.counterparts(provincial, limit=1)
    assert side == "local" and total == len(every) and len(shown) == 1
    assert shown[0].score == max(m.score for m in every)


@pytest.mark.parametrize("change", ["plan year", "place name"])
def test_counterparts_kept_by_the_alignment_follow_a_changed_plan_or_place(paired: Catalog, change: str) -> None:
    """`serve` hands out the same alignment while the measures' texts are unchanged (crossref.alignment.rebound),
    and it keeps each measure's counterparts: a plan or a place they name that changed gives them anew."""
    refs = cross_reference(paired)
    before = {m.id: refs.counterparts(m, 5) for m in paired.measures()}
    shown = [c for _, items, _ in before.values() for c in items]
    assert shown
    again = CrossReferences(index=SiteIndex(paired), units=refs.units, alignment=refs.alignment)
    assert all(again.counterparts(m, 5) is before[m.id] for m in paired.measures())  # nothing changed
    if change == "plan year":
        plan = shown[0].document
        changed = dataclasses.replace(paired, documents=tuple(
            dataclasses.replace(d, year=d.year + 1) if d == plan else d for d in paired.documents), _index={})
    else:
        place = shown[0].place
        changed = dataclasses.replace(paired, jurisdictions=tuple(
            dataclasses.replace(j, name=j.name + "新区") if j == place else j for j in paired.jurisdictions), _index={})
    again = CrossReferences(index=SiteIndex(changed), units=refs.units, alignment=refs.alignment)
    fresh = cross_reference(changed)
    assert [again.counterparts(m, 5) for m in changed.measures()] == [fresh.counterparts(m, 5) for m in changed.measures()]
    assert [again.counterparts(m, 5) for m in changed.measures()] != list(before.values())


def test_alignment_downloads_hold_every_pair_once(paired: Catalog) -> None:
    site = assemble(paired, updated=UPDATED)
    alignment = cross_reference(paired).alignment
    expected = sorted((m.province.id, local_id, m.score) for local_id, ms in alignment.by_local.items() for m in ms)
    data = json.loads(site.files[ALIGNMENT_JSON])
    assert data["count"] == len(data["pairs"]) == len(expected) and data["threshold"] == 0.01
    assert sorted((r["provincial_id"], r["local_id"], r["score"]) for r in data["pairs"]) == expected
    rows = list(csv.DictReader(io.StringIO(site.files[ALIGNMENT_CSV].decode("utf-8-sig"))))
    assert tuple(rows[0]) == downloads.ALIGNMENT_COLUMNS
    assert [(r["provincial_id"], r["local_id"], float(r["score"]), r["method"]) for r in rows] == [
        (r["provincial_id"], r["local_id"], r["score"], r["method"]) for r in data["pairs"]]
    assert {r["method"] for r in data["pairs"]} == {data["method"]}


# --- the frame ---------------------------------------------------------------------------------


def test_the_frame_takes_each_part_at_its_placeholder() -> None:
    shell = (f"<head>{measurepages.SHELL_HEAD}</head><header>{measurepages.SHELL_TOPIC}</header>"
             f"<main>{measurepages.SHELL_BODY}</main>")
    page = measurepages.MeasurePage(path="m/x/index.html", head="<title>T</title>", topic="t", body="<h1>B</h1>")
    assert fill(frame(shell), page) == "<head><title>T</title></head><header>t</header><main><h1>B</h1></main>"
    for broken in (shell.replace(measurepages.SHELL_TOPIC, ""), shell + measurepages.SHELL_HEAD):
        with pytest.raises(ShellError):
            frame(broken)


def test_the_sitemap_lists_the_measure_pages_not_the_frame(tmp_path: Path) -> None:
    url = "<url>\n         <loc>https://example.org/s/{}</loc>\n    </url>"
    (tmp_path / "sitemap.xml").write_text(
        f'<urlset>\n    {url.format("")}\n    {url.format("m/_shell/")}\n</urlset>', encoding="utf-8")
    update_sitemap(tmp_path, "https://example.org/s", ["m/a-1/", "m/b-2/"])
    locs = re.findall(r"<loc>(.*?)</loc>", (tmp_path / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs == ["https://example.org/s/", "https://example.org/s/m/a-1/", "https://example.org/s/m/b-2/"]
    assert (tmp_path / "sitemap.xml.gz").is_file()


def test_remove_stale_leaves_exactly_the_kept_files_and_the_folders_that_hold_them(tmp_path: Path) -> None:
    files = ["index.html", "a/index.html", "a/b/old.html", "a/b/c/old.html", "d/e/old.html", "d/keep.css",
             "f/g/h/old.html", "m/1/index.html", "m/2/index.html"]
    keep = {"index.html", "a/index.html", "d/keep.css", "m/2/index.html"}
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    (tmp_path / "empty" / "deeper").mkdir(parents=True)  # a folder with no file at all goes too
    assert remove_stale(tmp_path, keep) == len(files) - len(keep)
    left = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")}
    assert left == keep | {"a", "d", "m", "m/2"}
