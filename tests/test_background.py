"""publish.background: a function computed in a forked child while the build goes on, as the build computes
the search index. Its result, its error, or a clear error when the child dies; never a hang or a silent None."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from generator.catalog import load_catalog
from generator.publish import background, handover
from generator.publish.background import BackgroundError, in_background
from generator.publish.engine import CONFIG, Build, run_mkdocs
from generator.site import searchindex

FIXTURE = Path(__file__).resolve().parent / "fixture_catalog" / "catalog"


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


def test_the_result_comes_from_another_process(one_thread: None) -> None:
    pid, doubled = in_background(_pid_and, 21)()
    assert doubled == 42
    if (os.cpu_count() or 1) >= 2:
        assert pid != os.getpid()


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
    that (here in the measure pages) reports the failure at once and leaves no process behind."""
    monkeypatch.setattr(searchindex, "build", _sleeps)

    def fails(*args: object, **kwargs: object) -> None:
        raise PluginError("the measure pages could not be written")

    monkeypatch.setattr(handover, "finish", fails)
    started = time.monotonic()
    with Build(FIXTURE, catalog=load_catalog(FIXTURE)).active():
        assert not run_mkdocs(CONFIG, tmp_path / "site")
    assert time.monotonic() - started < 40, "the failed build waited for the search index"
    assert [p.name for p in multiprocessing.active_children()] == []
