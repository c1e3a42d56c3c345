"""The cross-reference tables' pure parts on the real catalogue: alignment, units, deadlines, .ics."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from generator.catalog import load_catalog
from generator.crossref import months
from generator.crossref.alignment import align, bands
from generator.crossref.index import SiteIndex
from generator.crossref.units import UnitTable, unit_anchor
from generator.model import Catalog, Deadline, unit_key
from generator.site import calendars
from tests import catalogue_checks

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO / "catalog")


@pytest.fixture(scope="module")
def alignment(catalog: Catalog):
    return align(catalog)


# --- alignment ----------------------------------------------------------------------------


def test_the_threshold_separates_the_hand_checked_pairs(alignment) -> None:
    """Recomputed on today's catalogue: above the threshold most checked pairs are right, below most are wrong."""
    threshold = alignment.settings.threshold
    assert len(alignment.checked) >= 40
    above = [pair.same for pair, score in alignment.checked if score >= threshold]
    below = [pair.same for pair, score in alignment.checked if score < threshold]
    assert above and below
    assert sum(above) / len(above) >= 0.7, (sum(above), len(above))
    assert sum(below) / len(below) <= 0.3, (sum(below), len(below))
    assert sum(b.total for b in bands(alignment)) == len(alignment.checked)


def test_every_match_meets_the_threshold_and_is_listed_both_ways(alignment) -> None:
    settings = alignment.settings
    for pid, matches in alignment.by_province.items():
        for match in matches:
            assert match.province.id == pid and match.score >= settings.threshold
            assert match in alignment.by_local[match.local.id]
            best = max(m.score for m in alignment.by_local[match.local.id])
            assert match.score >= settings.relative * best


def test_coverage_adds_up_for_every_local_jurisdiction(catalog: Catalog) -> None:
    # computed from the catalogue: holds for any valid catalogue, whatever places and plans it has
    catalogue_checks.alignment_covers_every_local_place(catalog)


def test_weifang_which_restates_the_provincial_plan_has_the_highest_coverage(catalog: Catalog, alignment) -> None:
    coverage = {slug: len(alignment.taken_up(catalog.jurisdiction(slug))) for slug in alignment.local}
    assert max(coverage, key=coverage.get) == "weifang"
    assert coverage["weifang"] > 0.9 * len(alignment.provincial)


def test_a_near_copy_is_not_also_counted_for_its_sibling(alignment) -> None:
    """weifang 合并规划类审批事项 restates provincial 合并规划类审批事项, not 合并施工许可关联手续."""
    matched = {m.province.id for m in alignment.by_local["weifang-2021-construction-permits-06"]}
    assert matched == {"shandong-2021-construction-permits-06"}


def test_a_catalogue_without_measures_aligns_to_nothing(catalog: Catalog) -> None:
    """A new catalogue (places and domains, no plan yet) or a province with no plan below it: no matches, no
    score computed from an empty collection (pytest turns numpy's divide-by-zero warning into a failure)."""
    empty = align(dataclasses.replace(catalog, documents=(), _index={}))
    assert (empty.provincial, empty.local, empty.by_province, empty.by_local, empty.checked) == ((), {}, {}, {}, ())
    only_province = dataclasses.replace(catalog, documents=tuple(
        d for d in catalog.documents if catalog.jurisdiction(d.jurisdiction).level == "province"), _index={})
    alone = align(only_province)
    assert alone.provincial and not alone.by_province and not alone.by_local


def test_raising_the_threshold_never_adds_a_match(catalog: Catalog, alignment) -> None:
    stricter = align(catalog, dataclasses.replace(alignment.settings, threshold=0.4))
    pairs = {(m.province.id, m.local.id) for ms in alignment.by_province.values() for m in ms}
    fewer = {(m.province.id, m.local.id) for ms in stricter.by_province.values() for m in ms}
    assert fewer < pairs


# --- units ----------------------------------------------------------------------------------


def test_unit_key_merges_only_meaningless_differences() -> None:
    assert unit_key("省水利厅等") == unit_key("省水利厅") == unit_key("等省水利厅")
    assert unit_key("各县(市、区)人民政府") == unit_key("各县（市、区）人民政府")
    assert unit_key("市发展改革委") != unit_key("市发改委")
    assert unit_key("等") == "等"


def test_every_printed_unit_has_one_entry_with_every_measure_naming_it(catalog: Catalog) -> None:
    table = UnitTable(catalog)
    for document in catalog.documents:
        for measure in document.measures:
            for role in ("lead", "responsible", "section_lead"):
                for name in getattr(measure, role):
                    assert measure in getattr(table.unit(document.jurisdiction, name), role)


def test_reviewed_variants_are_merged_and_anchors_are_unique_ascii(catalog: Catalog) -> None:
    table = UnitTable(catalog)
    jinan = table.unit("jinan", "莱莱芜海关")
    assert jinan is table.unit("jinan", "莱芜海关") and jinan.name == "莱芜海关"
    assert "莱莱芜海关" in jinan.variants
    # 等 stays in the clause as printed but is never part of a unit's name (issue 11)
    assert table.unit("jinan", "市直有关部门单位").lead or table.unit("jinan", "市直有关部门单位").responsible
    assert not [u.name for units in table.units.values() for u in units if u.name.startswith("等") or u.name.endswith("等")]
    for units in table.units.values():
        anchors = [u.anchor for u in units]
        assert len(anchors) == len(set(anchors))
        assert all(re.fullmatch(r"unit-[a-z0-9-]+", a) for a in anchors)


def test_unit_anchor_is_pinyin() -> None:
    assert unit_anchor("市行政审批局") == "unit-shi-xing-zheng-shen-pi-ju"
    assert unit_anchor("<b>") == "unit-b"
    assert unit_anchor("（）") == "unit-x"


# --- deadlines and calendars ------------------------------------------------------------------------


def test_every_dated_deadline_is_in_exactly_one_month(catalog: Catalog) -> None:
    catalogue_checks.every_dated_deadline_is_in_one_month(catalog)


def _unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")


def test_calendar_files_are_valid_icalendar(catalog: Catalog) -> None:
    files = calendars.calendar_files(catalog, SiteIndex(catalog), updated=dt.date(2024, 1, 2), site_url="https://example.org/sd/")
    assert set(files) == {"downloads/calendar/all.ics"} | {
        f"downloads/calendar/{j}.ics" for j in {d.jurisdiction for d in catalog.documents}
    }
    everything = files["downloads/calendar/all.ics"]
    for line in everything.decode("utf-8").split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    lines = _unfold(everything)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    events = sum(1 for line in lines if line == "BEGIN:VEVENT")
    assert events == sum(1 for m in catalog.measures() for d in m.deadlines if d.date)
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(uids) == len(set(uids)) == events
    assert "URL:https://example.org/sd/m/shandong-2021-starting-business-03/" in lines
    per_place = sum(_unfold(data).count("BEGIN:VEVENT") for path, data in files.items() if not path.endswith("all.ics"))
    assert per_place == events


def test_ics_text_escapes_and_folding_keeps_characters_whole() -> None:
    assert calendars.ics_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "一网通办" * 40
    folded = calendars.fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_hostile_text_in_a_calendar_stays_one_property(catalog: Catalog) -> None:
    deadline = Deadline(phrase="年底前", kind="date", date=dt.date(2021, 12, 31))
    measure = dataclasses.replace(catalog.measures()[0], title="x\r\nBEGIN:VEVENT;<script>", deadlines=(deadline,))
    data = calendars.calendar("名", [months.Due(measure, measure.deadlines[0])], event=lambda item, place: calendars.vevent(
        item, place, summary=lambda d: d.measure.title, description=lambda d: "", url=lambda d: None,
        stamp=dt.date(2024, 1, 1)))
    lines = _unfold(data)
    assert lines.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:x\\nBEGIN:VEVENT\\;<script>" in lines
