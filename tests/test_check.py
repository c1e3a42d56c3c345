"""`check`: the valid fixture loads, and every case of tests/broken/ gives exactly its expected problems.

A broken case is one file, tests/broken/<name>.yaml, written over one file of
the fixture catalogue. Its header comments say what it does:

    # <what the case shows>
    # file: catalog/documents/demo-2021.yaml
    # expect: catalog/documents/demo-2021.yaml:17: measure demo-2021-01: …
    # expect: …

`file` is where the case goes (it may be a new file); each `expect` is one
problem exactly as `check` prints it, in order. Line numbers are lines of the
case file itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.errors import CatalogError
from generator.load import load_catalog

REPO = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "broken"
HEADER = re.compile(rb"# (file|expect): (.*)")


@dataclass(frozen=True)
class Case:
    name: str
    target: str
    expected: list[str]
    content: bytes


def read_case(path: Path) -> Case:
    content = path.read_bytes()
    fields: dict[str, list[str]] = {"file": [], "expect": []}
    for line in content.splitlines():
        if not line.startswith(b"#"):
            break
        match = HEADER.fullmatch(line)
        if match:
            fields[match[1].decode()].append(match[2].decode("utf-8"))
    assert len(fields["file"]) == 1 and fields["expect"], f"{path.name}: needs one '# file:' and an '# expect:'"
    return Case(path.stem, fields["file"][0], fields["expect"], content)


def apply(case: Case, catalog_dir: Path) -> None:
    (catalog_dir.parent / case.target).write_bytes(case.content)


def problems_of(catalog_dir: Path) -> list[str]:
    with pytest.raises(CatalogError) as raised:
        load_catalog(catalog_dir)
    return [str(problem) for problem in raised.value.problems]


def run_check(catalog_dir: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "generator", "--catalog", str(catalog_dir), "check"]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, encoding="utf-8", check=False)


CASES = [read_case(path) for path in sorted(BROKEN.glob("*.yaml"))]


def test_the_corpus_has_its_cases() -> None:
    assert len(CASES) >= 25


def test_the_fixture_loads(catalog_dir: Path) -> None:
    catalog = load_catalog(catalog_dir)
    assert [d.slug for d in catalog.documents] == ["demo-2022", "demo-2021"]  # shandong before jinan
    assert [m.id for m in catalog.measures()] == ["demo-2022-001", "demo-2021-01", "demo-2021-02"]
    first, second = catalog.document("demo-2021").measures
    assert first.section == ("一、主要任务", "（一）开办企业")
    assert first.responsible == ("市市场监管局", "市公安局")
    assert first.deadlines[0].kind == "date" and first.deadlines[0].date.isoformat() == "2021-06-30"
    assert (second.deadlines[0].kind, second.deadlines[0].date) == ("ongoing", None)
    assert second.document == "demo-2021" and second.sub is None and second.tags == ()
    shandong = catalog.document("demo-2022")
    assert shandong.date is None and shandong.issuer == "" and shandong.measures[0].label == "1（2）"


def test_a_byte_order_mark_is_accepted(catalog_dir: Path) -> None:
    path = catalog_dir / "documents" / "demo-2021.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_catalog(catalog_dir).document("demo-2021").slug == "demo-2021"


def test_a_file_of_zero_bytes_is_empty(catalog_dir: Path) -> None:
    (catalog_dir / "reforms.yaml").write_bytes(b"")
    assert problems_of(catalog_dir) == [
        "catalog/reforms.yaml: file is empty: expected a mapping with 'reforms:', the list of named reforms"
    ]


def test_a_catalogue_without_documents_loads(catalog_dir: Path) -> None:
    for path in (catalog_dir / "documents").iterdir():
        path.unlink()
    assert load_catalog(catalog_dir).documents == ()


def test_a_missing_domains_file_is_reported(catalog_dir: Path) -> None:
    (catalog_dir / "domains.yaml").unlink()
    assert problems_of(catalog_dir) == [
        "catalog/domains.yaml: file is missing: it must hold a mapping with 'domains:', the list of domains"
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_broken_case_gives_exactly_its_problems(catalog_dir: Path, case: Case) -> None:
    apply(case, catalog_dir)
    assert problems_of(catalog_dir) == case.expected


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_broken_case_fails_the_command_without_traceback(catalog_dir: Path, case: Case) -> None:
    apply(case, catalog_dir)
    result = run_check(catalog_dir)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [*case.expected, f"{len(case.expected)} problem(s) found."]


def test_problems_in_several_files_are_reported_in_one_run(catalog_dir: Path) -> None:
    names = ("jurisdiction-unknown-parent", "reforms-duplicate", "unknown-tag", "rule-duplicate-id")
    chosen = [case for case in CASES if case.name in names]
    assert len(chosen) == len(names)
    for case in chosen:
        apply(case, catalog_dir)
    result = run_check(catalog_dir)
    expected = [line for case in chosen for line in case.expected]
    assert result.returncode == 1
    assert sorted(result.stderr.splitlines()[:-1]) == sorted(expected)


def test_the_valid_fixture_passes_the_command(catalog_dir: Path) -> None:
    result = run_check(catalog_dir)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "catalog OK: 2 documents, 3 measures, 28 domains, 5 jurisdictions\n"


def test_the_repository_catalogue_passes() -> None:
    catalog = load_catalog(REPO / "catalog")
    assert catalog.documents and len({m.id for m in catalog.measures()}) == len(catalog.measures())
