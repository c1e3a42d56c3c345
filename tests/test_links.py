"""Links that last: every address of links/manifest.txt is still on the site or redirected, and the
manifest lists every address the site has. Redirect pages keep the #fragment; moved measure ids are
validated. (Re-importing a source keeps every id: tests/test_import.py::test_reimport_gives_the_same_ids.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.catalog import load_catalog
from generator.model import Redirects
from generator.publish.manifest import MANIFEST, added, missing, read_manifest, site_links
from generator.site.redirects import redirect_page
from tests.browser.conftest import build_site

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixture_catalog"


@pytest.fixture(scope="module")
def real() -> tuple[set[str], Redirects]:
    """The addresses of the real site, built once for this module."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        site = build_site(REPO / "catalog", Path(tmp) / "site")
        redirects = load_catalog(REPO / "catalog").redirects
        return site_links(site, redirects), redirects


def test_no_address_of_the_manifest_has_disappeared(real: tuple[set[str], Redirects]) -> None:
    present, redirects = real
    gone = missing(read_manifest(), present, redirects)
    assert not gone, "\n".join(gone[:20]) + f"\n({len(gone)} in all; a published address must keep working)"


def test_every_address_of_the_site_is_in_the_manifest(real: tuple[set[str], Redirects]) -> None:
    new = added(read_manifest(), real[0])
    assert not new, (f"{len(new)} address(es) of the site are not in links/manifest.txt: " + ", ".join(new[:10])
                     + "\nIf you added them on purpose, run `make manifest` and commit links/manifest.txt.")


def test_the_manifest_is_sorted_unique_and_covers_every_measure() -> None:
    entries = read_manifest()
    assert entries == sorted(set(entries))
    catalog = load_catalog(REPO / "catalog")
    anchors = {entry.split("#", 1)[1] for entry in entries if "#" in entry}
    assert {m.id for m in catalog.measures()} <= anchors
    assert {"/", "/downloads/measures.json", "/downloads/measures.csv"} <= set(entries)
    assert MANIFEST.read_text(encoding="utf-8").endswith("\n")


def test_a_vanished_measure_or_page_fails_with_how_to_fix_it() -> None:
    present = {"/", "/documents/x-2021/", "/documents/x-2021/#x-2021-02"}
    manifest = ["/", "/documents/x-2021/", "/documents/x-2021/#x-2021-01", "/documents/x-2021/#x-2021-02", "/domains/old/"]
    assert missing(manifest, present, Redirects()) == [
        "links/manifest.txt: /documents/x-2021/#x-2021-01 is no longer on the site: if the measure got another id, "
        "add 'x-2021-01: <new id>' under measures: in catalog/redirects.yaml; if it was deleted, map it to the "
        "measure that replaces it",
        "links/manifest.txt: /domains/old/ is no longer on the site: add '/domains/old/: <new address>' under pages: "
        "in catalog/redirects.yaml",
    ]
    redirects = Redirects(pages={"/domains/old/": "/domains/new/"}, measures={"x-2021-01": "x-2021-02"})
    assert missing(manifest, present, redirects) == []
    assert added(["/"], present) == ["/documents/x-2021/", "/documents/x-2021/#x-2021-02"]


def test_a_redirect_page_keeps_the_fragment_and_stays_on_the_site() -> None:
    page = redirect_page("/domains/old-credit/", "/domains/credit/")
    assert '<link rel="canonical" href="../credit/">' in page
    assert '<meta http-equiv="refresh" content="0; url=../credit/">' in page
    assert '<script>location.replace("../credit/" + location.hash);</script>' in page
    assert "http" not in page.replace("http-equiv", "")
    assert 'href="../../../documents/x/"' in redirect_page("/domains/a/b/", "/documents/x/")
    assert 'href="../downloads/measures.csv"' in redirect_page("/data/measures.csv", "/downloads/measures.csv")


def _fixture_with_redirects(tmp_path: Path, text: str) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "repo")
    catalog_dir = tmp_path / "repo" / "catalog"
    (catalog_dir / "redirects.yaml").write_text(text, encoding="utf-8")
    return catalog_dir


def test_the_build_writes_redirect_pages_and_the_measure_map(tmp_path: Path) -> None:
    catalog_dir = _fixture_with_redirects(tmp_path, (
        "pages:\n  /domains/old-credit/: /domains/credit/\n"
        "measures:\n  fixture-jinan-2022-old: fixture-jinan-2022-01-2\n"))
    site = build_site(catalog_dir, tmp_path / "site")
    page = (site / "domains" / "old-credit" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../credit/"' in page
    assert (site / "redirects.json").read_text(encoding="utf-8") == (
        '{\n "measures": {\n  "fixture-jinan-2022-old": "documents/fixture-jinan-2022/#fixture-jinan-2022-01-2"\n }\n}\n')
    moved = (site / "m" / "fixture-jinan-2022-old" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../fixture-jinan-2022-01-2/"' in moved  # the old id's own page goes to the new one
    links = site_links(site, load_catalog(catalog_dir).redirects)
    assert "/domains/old-credit/" not in links and "/domains/credit/" in links
    assert "/m/fixture-jinan-2022-old/" not in links and "/m/fixture-jinan-2022-01-2/" in links
    old = {"/domains/old-credit/", "/domains/old-credit/#x", "/documents/fixture-jinan-2022/#fixture-jinan-2022-old",
           "/m/fixture-jinan-2022-old/"}
    manifest = sorted(links | old)
    assert missing(manifest, links, load_catalog(catalog_dir).redirects) == [
        "links/manifest.txt: /domains/old-credit/#x is no longer on the site: if the measure got another id, add "
        "'x: <new id>' under measures: in catalog/redirects.yaml; if it was deleted, map it to the measure that replaces it"
    ]


def test_a_redirect_from_a_live_page_fails_the_build(tmp_path: Path) -> None:
    catalog_dir = _fixture_with_redirects(tmp_path, "pages:\n  /domains/credit/: /domains/taxes/\n")
    command = [sys.executable, "-m", "generator", "--catalog", str(catalog_dir), "build", "--out", str(tmp_path / "site")]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 1
    assert "catalog/redirects.yaml: /domains/credit/ is a page of the site again: remove its redirect" in done.stderr
    assert not (tmp_path / "site").exists()
