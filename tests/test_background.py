"""publish.background: a function computed in a forked child while the build goes on, as the build computes
the search index. Its result, its error, or a clear error when the child dies; never a hang or a silent None."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from generator.catalog import load_catalog
from generator.publish import background, handover
from generator.publish.background import BackgroundError, in_background
from generator.publish.engine import CONFIG, Build, build_site, run_mkdocs
from generator.site import searchindex
from generator.site.addresses import measure_file

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixture_catalog" / "catalog"


@pytest.fixture
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in `python -m generator build`, which runs no other thread (the suite's web servers do)."""
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fails(message: str) -> None:
    raise ValueError(message)


def _dies(code: int) -> None:
    os._exit(code)


def _unpicklable() -> object:
    return lambda: None


def _frozen_and_parent_object_tracked(parent_object: object) -> tuple[int, bool]:
    return gc.get_freeze_count(), any(o is parent_object for o in gc.get_objects())


def test_the_result_comes_from_another_process(one_thread: None) -> None:
    pid, doubled = in_background(_pid_and, 21)()
    assert doubled == 42
    if (os.cpu_count() or 1) >= 2:
        assert pid != os.getpid()


def test_the_child_freezes_what_it_inherited(one_thread: None) -> None:
    """The child's cycle collector never scans the parent's objects (it would copy their pages): they are frozen."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the function runs in this process")
    made_here = [object()]  # a container the collector tracks, made by the parent
    frozen, seen = in_background(_frozen_and_parent_object_tracked, made_here)()
    assert frozen > 0 and not seen


def test_the_functions_own_error_is_raised_again(one_thread: None) -> None:
    with pytest.raises(ValueError, match="第3条 has no lead unit"):
        in_background(_fails, "第3条 has no lead unit")()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the function runs in this process")
def test_a_child_that_dies_is_an_error_with_its_exit_code(one_thread: None) -> None:
    with pytest.raises(BackgroundError, match="exit code 3"):
        in_background(_dies, 3)()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the function runs in this process")
def test_a_result_that_cannot_be_sent_back_is_an_error_with_its_traceback(one_thread: None) -> None:
    with pytest.raises(BackgroundError, match="_unpicklable in the background"):
        in_background(_unpicklable)()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the function runs in this process")
def test_a_cancelled_child_stops_and_a_taken_result_stays_taken(one_thread: None) -> None:
    started = time.monotonic()
    in_background(time.sleep, 60).cancel()
    assert time.monotonic() - started < 10, "cancel waited for the child instead of stopping it"
    pending = in_background(_pid_and, 2)
    assert pending()[1] == 4
    pending.cancel()  # nothing left to stop


def test_with_other_threads_running_it_runs_in_this_process() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        pid, doubled = in_background(_pid_and, 4)()
    finally:
        stop.set()
        other.join()
    assert (pid, doubled) == (os.getpid(), 8)


def _sleeps(catalog: object) -> dict[str, bytes]:
    time.sleep(60)
    return {}


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the function runs in this process")
def test_a_build_that_fails_after_starting_the_index_stops_its_process(
        one_thread: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build hands the search index over after the pages (hooks.on_post_build): a build that fails before
    that (here in the measure pages) reports the failure at once and leaves no process behind (neither the search
    index's nor the measure pages')."""
    monkeypatch.setattr(searchindex, "build", _sleeps)

    def fails(*args: object, **kwargs: object) -> None:
        raise PluginError("the measure pages could not be written")

    monkeypatch.setattr(handover, "finish", fails)
    started = time.monotonic()
    with Build(FIXTURE, catalog=load_catalog(FIXTURE)).active():
        assert not run_mkdocs(CONFIG, tmp_path / "site")
    assert time.monotonic() - started < 40, "the failed build waited for the search index"
    assert [p.name for p in multiprocessing.active_children()] == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the function runs in this process")
def test_a_build_that_fails_after_the_index_was_written_removes_its_files(
        one_thread: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search index made beside the pages waits in a hidden folder of the site until it is moved into place;
    a build that fails before that removes the folder."""
    folder = tmp_path / "site" / handover.INDEX_FOLDER
    monkeypatch.setattr(searchindex, "build", lambda catalog: {"search/meta.json": b"{}"})

    def fails(*args: object, **kwargs: object) -> None:
        deadline = time.monotonic() + 30
        while not (folder / "search" / "meta.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (folder / "search" / "meta.json").exists(), "the index's files were never written"
        raise PluginError("the measure pages could not be written")

    monkeypatch.setattr(handover, "finish", fails)
    with Build(FIXTURE, catalog=load_catalog(FIXTURE)).active():
        assert not run_mkdocs(CONFIG, tmp_path / "site")
    assert not folder.exists()


def _docs_with(tmp_path: Path, path: str) -> Path:
    """mkdocs.yml in `tmp_path` whose docs/ is the repository's with one more file, docs/`path`."""
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs)
    (docs / path).parent.mkdir(parents=True, exist_ok=True)
    (docs / path).write_text("# 同名\n", encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {docs}")
    config = config.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
    config = config.replace("- generator/hooks.py", f"- {REPO / 'generator' / 'hooks.py'}")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    return tmp_path / "mkdocs.yml"


@pytest.mark.parametrize("beside", [True, False], ids=["beside", "in-order"])
@pytest.mark.parametrize("kind", ["measure page", "search index"])
def test_a_docs_file_where_a_made_file_goes_fails_the_build(
        kind: str, beside: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    """The measure pages and the search index are written beside MkDocs' own files, by second processes: a
    docs/ file at one of their paths would make the result depend on which came last, so the build refuses it,
    naming the file, and the previous site stays."""
    if beside:
        monkeypatch.setattr(background.threading, "active_count", lambda: 1)
    first = load_catalog(FIXTURE).documents[0].measures[0]
    path = measure_file(first).removesuffix("/index.html") + ".md" if kind == "measure page" else "search/meta.json"
    config = _docs_with(tmp_path, path)
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous site", encoding="utf-8")

    assert build_site(FIXTURE, out, config_file=config) == 1

    err = capsys.readouterr().err
    assert f"docs/{path} would" in err, err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous site"
    assert [p.name for p in multiprocessing.active_children()] == []


def test_the_search_index_moves_into_place_whole_or_file_by_file(tmp_path: Path) -> None:
    """Its top folder goes by one rename when the site has none of that name, else file by file beside what
    is there; the waiting folder is gone either way."""
    paths = ["search/meta.json", "search/v1/b/0.bin", "top.json"]
    for site, existing in ((tmp_path / "a", None), (tmp_path / "b", "search/readme/index.html")):
        for path in paths:
            (site / handover.INDEX_FOLDER / path).parent.mkdir(parents=True, exist_ok=True)
            (site / handover.INDEX_FOLDER / path).write_text(path, encoding="utf-8")
        if existing:
            (site / existing).parent.mkdir(parents=True)
            (site / existing).write_text("a page", encoding="utf-8")
        handover.move_search_index(site, paths, None)
        found = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
        assert found == sorted([*paths, *([existing] if existing else [])])
        assert all((site / path).read_text(encoding="utf-8") == path for path in paths)
        assert not (site / handover.INDEX_FOLDER).exists()
