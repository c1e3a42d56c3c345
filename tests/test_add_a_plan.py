"""README "Adding a new plan", followed step by step on a copy of the repository's catalogue:
a new city and one of the importer cases as a sixth plan. Afterwards the catalogue must pass
`check`, the fidelity check, every catalogue-wide check (tests/catalogue_checks.py) and a
site build; the link manifest must keep every published address, and the only new addresses
are the new plan's (what `make manifest` then adds)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.catalog import load_catalog
from generator.publish.manifest import added, missing, read_manifest, site_links
from tests import catalogue_checks
from tests.browser.conftest import build_site

REPO = Path(__file__).resolve().parent.parent
CASE = REPO / "tests" / "importer_cases" / "paren-measures-under-themed-chapters.txt"
# The new city: the first of these that the repository does not list yet (a real plan of 淄博 may be added).
CITIES = [("zibo", "淄博市"), ("zaozhuang", "枣庄市"), ("dongying", "东营市"), ("yantai", "烟台市"), ("jining", "济宁市"),
          ("taian", "泰安市"), ("weihai", "威海市"), ("rizhao", "日照市"), ("linyi", "临沂市"), ("dezhou", "德州市")]
_LISTED = load_catalog(REPO / "catalog").jurisdictions
CITY, CITY_NAME = next((slug, name) for slug, name in CITIES
                       if slug not in {j.slug for j in _LISTED} and name not in {j.name for j in _LISTED})
NEW_CITY = f"  - slug: {CITY}\n    name: {CITY_NAME}\n    level: city\n    parent: shandong\n"
PLAN = f"{CITY}-2024"


def _generator(root: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "generator", "--catalog", str(root / "catalog"), *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of catalog/ and sources/ with the sixth plan added by the README's steps."""
    root = tmp_path_factory.mktemp("grown")
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copytree(REPO / "sources", root / "sources")
    # 1. the jurisdiction
    with (root / "catalog" / "jurisdictions.yaml").open("a", encoding="utf-8") as f:
        f.write(NEW_CITY)
    # 2. the text, as sources/<jurisdiction>-<year>.txt
    shutil.copyfile(CASE, root / "sources" / f"{PLAN}.txt")
    # 3. import
    done = _generator(root, "import", str(root / "sources" / f"{PLAN}.txt"))
    assert done.returncode == 0, done.stdout + done.stderr
    # 4. the summary and the review page
    assert "(3 measures)" in done.stdout and "review page:" in done.stdout
    assert (root / "build" / "review" / f"{PLAN}.html").is_file()
    return root


def test_the_new_plan_is_written_with_its_measures(grown: Path) -> None:
    catalog = load_catalog(grown / "catalog")
    new = next(d for d in catalog.documents if d.slug == PLAN)
    assert new.source == f"sources/{PLAN}.txt"
    assert [m.id for m in new.measures] == [f"{PLAN}-task-1", f"{PLAN}-task-2", f"{PLAN}-task-3"]
    assert len(catalog.documents) == len(load_catalog(REPO / "catalog").documents) + 1


def test_check_and_fidelity_pass(grown: Path) -> None:
    # 6. make check
    done = _generator(grown, "check")
    documents = len(load_catalog(REPO / "catalog").documents) + 1
    assert done.returncode == 0 and done.stdout.startswith(f"catalog OK: {documents} documents"), done.stdout + done.stderr
    done = _generator(grown, "fidelity")
    assert done.returncode == 0, done.stderr
    assert f"sources/{PLAN}.txt: all" in done.stdout


def test_catalogue_wide_checks_hold(grown: Path) -> None:
    catalogue_checks.run_all(load_catalog(grown / "catalog"))


def test_site_builds_and_only_the_new_plan_adds_addresses(grown: Path) -> None:
    site = build_site(grown / "catalog", grown / "site")
    catalog = load_catalog(grown / "catalog")
    redirects = catalog.redirects
    present = site_links(site, redirects)
    assert missing(read_manifest(), present, redirects) == []
    new = added(read_manifest(), present)
    # exactly what `make manifest` must then add: the new plan's and the new place's addresses
    assert new and all(CITY in address for address in new), new
