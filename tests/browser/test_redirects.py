"""Redirects in the browser: an old page address lands on the new page with its #fragment, and an old
measure id on a page that still exists lands on the measure's new permalink."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.conftest import REPO, build_site


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("redirects")
    shutil.copytree(REPO / "tests" / "fixture_catalog", root / "repo")
    (root / "repo" / "catalog" / "redirects.yaml").write_text(
        "pages:\n  /documents/old-jinan/: /documents/fixture-jinan-2022/\n"
        "measures:\n  fixture-jinan-2022-old-1: fixture-jinan-2022-01-2\n", encoding="utf-8")
    return build_site(root / "repo" / "catalog", root / "site")


def test_an_old_page_address_keeps_its_fragment(moved_site: Path, serve: Callable[[Path], str], open_page) -> None:
    base = serve(moved_site)
    page, guard = open_page(base + "documents/old-jinan/#fixture-jinan-2022-01-2")
    page.wait_for_url(base + "documents/fixture-jinan-2022/#fixture-jinan-2022-01-2")
    assert page.locator("article.measure[id='fixture-jinan-2022-01-2']").evaluate("e => e.matches(':target')")
    guard.assert_clean()


def test_a_moved_measure_id_is_followed_to_its_new_permalink(moved_site: Path, serve: Callable[[Path], str], open_page) -> None:
    base = serve(moved_site)
    page, guard = open_page(base + "documents/old-jinan/#fixture-jinan-2022-old-1")
    page.wait_for_url(base + "documents/fixture-jinan-2022/#fixture-jinan-2022-01-2")
    page, guard2 = open_page(base + "documents/fixture-jinan-2022/#fixture-jinan-2022-old-1")
    page.wait_for_url(base + "documents/fixture-jinan-2022/#fixture-jinan-2022-01-2")
    guard.assert_clean()
    guard2.assert_clean()


def test_an_unknown_anchor_stays_put(moved_site: Path, serve: Callable[[Path], str], open_page) -> None:
    base = serve(moved_site)
    page, guard = open_page(base + "documents/fixture-jinan-2022/#no-such-measure")
    page.wait_for_timeout(500)
    assert page.url == base + "documents/fixture-jinan-2022/#no-such-measure"
    guard.assert_clean()
