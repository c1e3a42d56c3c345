"""What builds keep for the next (site.lookups): a build that reads the search's lookups makes the index a build
that asks jieba, pypinyin and OpenCC makes, and asks none of them; one that reads the alignment's scores makes
the same alignment without scoring (nor importing scipy); a broken table is only a cold start."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import jinja2
import pytest

from generator.catalog import load_catalog
from generator.crossref import alignment as alignment_module
from generator.crossref.alignment import Alignment, align
from generator.model import Catalog
from generator.site import jinjacache, lookups, searchindex, searchtext

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real() -> Catalog:
    return load_catalog(REPO / "catalog")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """An empty cache folder, and a process that starts as a new one would (no segmenter, nothing kept)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _new_process()
    yield tmp_path / "cache"
    monkeypatch.undo()  # _asks_nothing's stand-ins go first
    _new_process()


def _new_process() -> None:
    searchtext.release()
    searchtext._opencc_t2s.cache_clear()
    searchtext.syllables.cache_clear()


def _asks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, asking jieba, pypinyin or OpenCC fails the test."""
    def fail(*args: object) -> None:
        raise AssertionError("a kept answer was asked for again")

    for name in ("_jieba", "_ask_readings", "_ask_opencc_t2s", "_ask_syllables"):
        monkeypatch.setattr(searchtext, name, fail)


def _tables(cache: Path) -> list[Path]:
    return sorted(cache.glob("shandong-catalog/lookups-*/*.json"))


def test_a_build_that_reads_the_kept_answers_makes_the_same_index_without_asking(real: Catalog, cache: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cold = searchindex.build(real)
    assert {p.name.split("-")[0] for p in _tables(cache)} == {"words", "readings", "tables"}
    _new_process()
    _asks_nothing(monkeypatch)
    assert searchindex.build(real) == cold


def test_a_broken_table_is_a_cold_start_and_is_written_again(real: Catalog, cache: Path) -> None:
    cold = searchindex.build(real)
    tables = _tables(cache)
    run = max(searchtext._HAN_RUN.findall(real.measures()[0].text), key=len)  # a run the index cuts
    broken = {"words": json.dumps({"c" + run: run}), "readings": '{"\u4e00": [5]}', "tables": '{"t2s": ["a", 1]}'}
    for path in tables:
        path.write_text(broken[path.name.split("-")[0]], encoding="utf-8")
    _new_process()
    assert searchindex.build(real) == cold
    for path in tables:
        assert json.loads(path.read_bytes()), f"{path.name} was not written again"


def test_the_cuts_kept_are_those_of_the_words_taught_in_their_order(real: Catalog, cache: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A name taught to the segmenter changes the cuts: each list of names has its own table, so a cut kept
    for one list is never read for another (nor for the same names in another order)."""
    title, run = next((m.title, run) for m in real.measures() for run in searchtext._HAN_RUN.findall(m.title)
                      if 5 <= len(run) <= 10 and searchtext.segment(run) != [run])
    searchtext.know_words(["营商环境"])
    without = searchtext.segment(title)
    for taught in (["营商环境", run], [run, "营商环境"]):
        searchtext.know_words(taught)
        assert run in searchtext.segment(title)
    searchtext.save_lookups()
    _new_process()
    _asks_nothing(monkeypatch)
    for taught, has_run in ((["营商环境"], False), (["营商环境", run], True), ([run, "营商环境"], True)):
        searchtext.know_words(taught)
        assert (run in searchtext.segment(title)) == has_run, taught
    searchtext.know_words(["营商环境"])
    assert searchtext.segment(title) == without


def test_the_lookups_can_be_turned_off(real: Catalog, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOG_LOOKUPS", "0")
    searchindex.build(real)
    kept = [p.name for p in (cache / "shandong-catalog").iterdir()]  # jieba's own table may be there, no lookups
    assert all(name.startswith(("jieba-", "jinja-")) for name in kept) and not list(cache.rglob("*.json")), kept


def test_a_folder_keeps_the_newest_tables_of_each_kind_and_older_codes_folders_go(cache: Path) -> None:
    older = [cache / "shandong-catalog" / f"lookups-{n:016x}" for n in range(lookups.KEEP_FOLDERS + 2)]
    for age, folder in enumerate(older):  # folders other versions of the code wrote, the first the newest
        folder.mkdir(parents=True)
        os.utime(folder, (1e9 - age, 1e9 - age))
    for n in range(lookups.KEEP + 5):
        table = lookups.Table("words", (f"name{n}",))
        table.answer("c\u4e00", lambda: ["\u4e00"])
        table.save()
    assert len([p for p in _tables(cache) if p.name.startswith("words-")]) == lookups.KEEP
    kept = sorted(p.name for p in (cache / "shandong-catalog").iterdir())
    assert kept == sorted([table.path.parent.name] + [f.name for f in older[:lookups.KEEP_FOLDERS - 1]])


def _order(alignment: Alignment) -> tuple:
    """An alignment's contents with the order of its dicts (equality of dicts ignores it; pages do not)."""
    return (list(alignment.by_province.items()), list(alignment.by_local.items()), alignment.checked)


def test_a_kept_alignment_is_the_scored_one_and_a_build_reading_it_never_imports_scipy(real: Catalog, cache: Path,
                                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    kept = lookups.alignment_scores(real)
    scored = align(real, kept=kept)
    kept.save()
    assert scored.by_local and _order(scored) == _order(align(real))
    monkeypatch.setattr(alignment_module, "_scores", lambda *args: pytest.fail("kept scores were scored again"))
    read = align(real, kept=lookups.alignment_scores(real))
    assert read == scored and _order(read) == _order(scored)
    monkeypatch.undo()
    probe = ("import sys; from pathlib import Path; from generator.catalog import load_catalog; "
             "from generator.crossref.alignment import align; from generator.site import lookups; "
             f"c = load_catalog(Path({str(REPO / 'catalog')!r})); align(c, kept=lookups.alignment_scores(c)); "
             "print('scipy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache)}, cwd=REPO)
    assert done.stdout.strip() == "False", done.stdout + done.stderr


def test_the_alignment_is_kept_by_everything_it_reads(real: Catalog) -> None:
    """Each input of the alignment (a measure's text, title or id, a plan's place, a place's parent, the
    settings) names another table: a catalogue that differs in any of them never reads another's scores."""
    key = lookups.alignment_scores(real).key
    document, measure = real.documents[1], real.documents[1].measures[0]
    city = real.jurisdiction(document.jurisdiction)

    def with_measure(**change: str) -> Catalog:
        changed = dataclasses.replace(document, measures=(dataclasses.replace(measure, **change), *document.measures[1:]))
        return dataclasses.replace(real, documents=tuple(changed if d is document else d for d in real.documents))

    variants = [
        with_measure(text=measure.text + "。"),
        with_measure(title=measure.title + "。"),
        with_measure(id=measure.id + "-x"),
        dataclasses.replace(real, documents=tuple(dataclasses.replace(d, jurisdiction="zibo") if d is document else d
                                                  for d in real.documents)),
        dataclasses.replace(real, jurisdictions=tuple(dataclasses.replace(j, parent=None) if j is city else j
                                                      for j in real.jurisdictions)),
        dataclasses.replace(real, alignment=dataclasses.replace(real.alignment, threshold=real.alignment.threshold + 0.01)),
    ]
    keys = {key()} | {lookups.alignment_scores(variant).key() for variant in variants}
    assert len(keys) == 1 + len(variants)


def test_kept_scores_that_do_not_fit_the_catalogue_are_scored_again(real: Catalog, cache: Path) -> None:
    kept = lookups.alignment_scores(real)
    kept.answer("scores", lambda: [[["no-such-measure", [["nor-this", 0.9]]]], []])
    kept.save()
    read = align(real, kept=lookups.alignment_scores(real))
    assert read == align(real) and _order(read) == _order(align(real))


def test_jiebas_table_and_the_compiled_templates_are_kept_in_the_cache_folder_ci_keeps(cache: Path) -> None:
    """jieba's prefix table and Jinja's compiled templates live in the project's cache folder (which the workflows
    keep between runs), by the library's version; a later process reads the table back as jieba made it."""
    made = searchtext._jieba()
    cut = list(made.cut("优化营商环境一网通办", HMM=False))
    tables = list(cache.glob("shandong-catalog/jieba-*/jieba.cache"))
    assert [p.parent.name for p in tables] == [f"jieba-{metadata.version('jieba')}"]
    searchtext.release()  # as a new process: the table is read from the file
    read = searchtext._jieba()
    assert read is not made and read.total == made.total and len(read.FREQ) == len(made.FREQ)
    assert list(read.cut("优化营商环境一网通办", HMM=False)) == cut
    compiled = jinjacache.compiled_templates.__wrapped__()
    environment = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ x }}件"}), bytecode_cache=compiled)
    assert environment.get_template("t").render(x=1) == "1件"
    assert list(cache.glob(f"shandong-catalog/jinja-{jinja2.__version__}/*.cache")), "no compiled template kept"
