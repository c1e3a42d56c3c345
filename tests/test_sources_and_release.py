"""Source text pages, unit pages and the release (version, change log): properties that hold for any valid
catalogue, and the change log computed from a real git history."""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog import load_catalog
from generator.catalog.history import measure_digests
from generator.crossref.units import UnitTable, pinyin_key
from generator.model import Release
from generator.publish import release as releasing
from generator.publish.release import history, release
from generator.site import assemble
from generator.site.report import report_url
from generator.site.sources import measure_spans, source_lines
from generator.site.unitpages import unit_items

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real():
    return load_catalog(REPO / "catalog")


def test_every_measure_has_its_lines_and_they_do_not_overlap(real) -> None:
    for document in real.documents:
        text = real.source_texts[document.source]
        spans = measure_spans(document, text)
        assert set(spans) == {m.id for m in document.measures if m.line}, document.slug
        lines = text.splitlines()
        previous_end = 0
        for measure in sorted(document.measures, key=lambda m: m.line):
            first, last = spans[measure.id]
            assert first == measure.line and first <= last <= len(lines)
            assert first > previous_end or first == previous_end, f"{measure.id} overlaps the measure before it"
            previous_end = last
            # It ends on a line of its own text (not on a blank line or the next section's heading).
            def bare(text: str) -> str:
                return re.sub(r"[\s（）()]+", "", text)

            assert last == first or bare(lines[last - 1]) in bare(measure.text + measure.units + measure.title), (
                f"{measure.id} runs past its text")
            # The measure's title starts on its first line (as the importer read it), give or take spacing.
            assert measure.title[:4].replace(" ", "") in "".join(lines[first - 1:last]).replace(" ", "") or \
                measure.text[:4] in "".join(lines[first - 1:last]).replace(" ", ""), measure.id


def test_the_source_page_numbers_every_line_and_links_every_measure_once(real) -> None:
    for document in real.documents:
        text = real.source_texts[document.source]
        lines = source_lines(document, text)
        assert [line.number for line in lines] == list(range(1, len(text.splitlines()) + 1))
        assert sorted(m.id for line in lines for m in line.starts) == sorted(m.id for m in document.measures if m.line)


def test_units_are_in_pinyin_order_everywhere(real) -> None:
    for place, units in UnitTable(real).units.items():
        keys = [pinyin_key(u.name) for u in units]
        assert keys == sorted(keys), place


def test_a_units_measures_come_upcoming_first_then_past_then_undated(real) -> None:
    today = dt.date(2021, 7, 1)
    for units in UnitTable(real).units.values():
        for unit in units:
            groups = unit_items(unit, today)
            assert sum(len(items) for items in groups.values()) == unit.total
            assert all(item.date >= today for item in groups["upcoming"])
            assert [i.date for i in groups["upcoming"]] == sorted(i.date for i in groups["upcoming"])
            assert all(item.date < today for item in groups["past"])
            assert [i.date for i in groups["past"]] == sorted((i.date for i in groups["past"]), reverse=True)


def test_the_report_link_carries_id_address_and_lines(real) -> None:
    document = real.documents[0]
    measure = document.measures[0]
    url = report_url("https://github.com/o/r", measure, document, url="https://x/documents/a/#b", lines=(5, 7))
    assert url.startswith("https://github.com/o/r/issues/new?")
    assert measure.id in url and "5%E2%80%937" in url and "https%3A%2F%2Fx%2Fdocuments%2Fa%2F%23b" in url
    assert report_url("", measure, document, url="", lines=None) == ""


def test_the_version_is_in_the_json_downloads(catalog_dir: Path) -> None:
    site = assemble(load_catalog(catalog_dir), updated=dt.date(2024, 1, 2),
                    release=Release(built=dt.date(2024, 1, 3), commit="abc1234"))
    for name in ("measures", "plans", "places"):
        assert b'"version": "2024-01-03 (abc1234)"' in site.files[f"downloads/{name}.json"], name
        assert b'"CC BY 4.0"' in site.files[f"downloads/{name}.json"], name


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=folder, check=True,
                   capture_output=True)


def test_the_change_log_lists_measures_added_changed_and_removed(catalog_dir: Path) -> None:
    root = catalog_dir.parent
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "first")
    document = catalog_dir / "documents" / "demo-2021.yaml"
    text = document.read_text(encoding="utf-8")
    text = text.replace("企业开办时间压缩至1个工作日内。", "企业开办时间压缩至半个工作日内。")  # demo-2021-01 changed
    text = text[: text.index("  - id: demo-2021-02")]  # demo-2021-02 removed
    document.write_text(text, encoding="utf-8")
    _git(root, "commit", "-qam", "second")
    revisions = history(catalog_dir / "documents")
    assert [len(r.added) for r in revisions] == [0, 3]  # newest first; the first commit added everything
    newest = revisions[0]
    assert [c.id for c in newest.changed] == ["demo-2021-01"]
    assert [c.id for c in newest.removed] == ["demo-2021-02"] and newest.removed[0].title == "拓宽融资渠道。"
    made = release(catalog_dir, repository="https://github.com/o/r", contact="a@b.c", built=dt.date(2024, 1, 3))
    assert made.version.startswith("2024-01-03 (") and made.history == tuple(revisions)


def test_without_git_there_is_no_history_and_no_commit(catalog_dir: Path) -> None:
    made = release(catalog_dir, built=dt.date(2024, 1, 3))
    assert made.history == () and made.version in ("2024-01-03", f"2024-01-03 ({made.commit})")


def test_the_change_log_reads_each_plan_version_once_per_machine(catalog_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Versions are kept by git blob id (publish.release._blob_digests): a later build reads them back instead
    of parsing them; the change log is the same cold, warm and with a damaged entry."""
    root = catalog_dir.parent
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "first")
    document = catalog_dir / "documents" / "demo-2021.yaml"
    document.write_text(document.read_text(encoding="utf-8").replace("1个工作日", "半个工作日"), encoding="utf-8")
    _git(root, "commit", "-qam", "second")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    releasing._digest_cache.cache_clear()
    monkeypatch.setattr(releasing, "_digest_cache", functools.cache(releasing._digest_cache.__wrapped__))
    parsed: list[str] = []
    monkeypatch.setattr(releasing, "measure_digests", lambda text: parsed.append(text) or measure_digests(text))
    cold = history(catalog_dir / "documents")
    versions = len(parsed)
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    assert versions >= 2 and len(entries) == versions, "every version parsed once and kept"
    assert history(catalog_dir / "documents") == cold and len(parsed) == versions, "a warm build parsed again"
    entries[0].write_text("{not json", encoding="utf-8")
    assert history(catalog_dir / "documents") == cold and len(parsed) == versions + 1
    assert [len(r.changed) for r in cold] == [1, 0]


# --- the change log on any history ----------------------------------------------------------------------------

_FILES = ("a.yaml", "b.yaml", "c-2.yaml", "c.yaml", "notes.yml")  # notes.yml is not a document file
_MEASURE = st.tuples(st.sampled_from(["m1", "m2", "m3", "m4"]), st.sampled_from(["开办企业", "获得信贷"]),
                     st.sampled_from(["一", "二"]))
_FILE = st.one_of(st.lists(_MEASURE, max_size=4), st.just("{broken"))  # a list of measures, or unparsable YAML
_STATE = st.dictionaries(st.sampled_from(_FILES), _FILE, max_size=4)


def _text(slug: str, content: list | str) -> str:
    if isinstance(content, str):
        return content
    return yaml.safe_dump({"slug": slug, "measures": [{"id": i, "title": t, "text": x} for i, t, x in content]},
                          allow_unicode=True)


def _reference(states: list[dict]) -> list[tuple[tuple, tuple, tuple]]:
    """The change log by its definition: each version is every measure of the document files in file order (an
    id in two files: the later file's version at the first one's place), compared with the version before."""
    found, previous = [], {}
    for state in states:
        current: dict = {}
        for name in sorted(n for n in state if n.endswith(".yaml")):
            current |= measure_digests(_text(name.removesuffix(".yaml"), state[name]))
        added = tuple((i, *current[i][:2]) for i in current if i not in previous)
        changed = tuple((i, *current[i][:2]) for i in current if i in previous and previous[i][2] != current[i][2])
        removed = tuple((i, *previous[i][:2]) for i in previous if i not in current)
        if added or changed or removed:
            found.append((added, changed, removed))
        previous = current
    return found[::-1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=st.lists(_STATE, min_size=1, max_size=6), nested=st.lists(st.booleans(), min_size=6, max_size=6))
def test_the_change_log_of_any_history_is_its_definition(tmp_path_factory: pytest.TempPathFactory,
                                                         states: list[dict], nested: list[bool]) -> None:
    """Files added, changed, emptied, removed, broken and back; a measure moved between files or in two at
    once; the folder gone; a file that is not a document, a folder named like one: the change log (read from
    one `git cat-file`, only the files that differ compared) is the one its definition gives (every measure of
    every commit compared)."""
    root = tmp_path_factory.mktemp("history")
    folder = root / "documents"
    folder.mkdir()
    _git(root, "init", "-q")
    for number, state in enumerate(states):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        if nested[number]:  # a folder is not a document file, whatever its name
            (folder / "old.yaml").mkdir()
            (folder / "old.yaml" / "a.yaml").write_text(_text("a", [("m1", "开办企业", "一")]), encoding="utf-8")
        for name, content in state.items():
            (folder / name).write_text(_text(name.removesuffix(".yaml"), content), encoding="utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "--allow-empty", "-m", f"commit {number}")
    got = [tuple(tuple((c.id, c.document, c.title) for c in changes) for changes in (r.added, r.changed, r.removed))
           for r in history(folder)]
    assert got == _reference(states)
