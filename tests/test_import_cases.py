"""Golden import cases: tests/importer_cases/<name>.txt is a plan (or the opening of one) in
one layout, <name>.yaml what the importer must make of it. One test runs them all.

The shared cases (SHARED-EXPECTED.md: layouts that real plans of other places use), the
maintainers' own corpus, and the small layouts of the five real plans are all here. A
case is imported as `import_as` (default case-2024: dates without a year are 2024). The
expected YAML lists the document's metadata, each measure (id, number, section, title,
text, units, lead, responsible, deadlines, domain), the unsure notes with their lines,
and, for a plan the importer must refuse, `refused` (line: message) instead of success.

To regenerate after a deliberate change: UPDATE_GOLDENS=1 pytest tests/test_import_cases.py,
then review every changed expectation in the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from generator.importer import fidelity
from generator.importer.build import build_document
from generator.importer.command import _catalog_data

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "importer_cases"
MEASURE_KEYS = ("id", "number", "sub", "section", "title", "text", "units", "lead", "responsible", "section_lead",
                "deadlines", "domain")


@pytest.fixture(scope="module")
def data() -> dict:
    return _catalog_data(ROOT / "catalog")


def _expected_path(source: Path) -> Path:
    return source.with_suffix(".yaml")


def import_case(source: Path, data: dict, import_as: str = "case-2024") -> dict:
    """The importer's result for one case file, in the shape of the expected YAML."""
    text = source.read_text(encoding="utf-8")
    jurisdiction, year = import_as.rsplit("-", 1)
    doc, report = build_document(import_as, text, jurisdiction=jurisdiction, year=int(year),
                                 source_path=f"sources/{import_as}.txt", classifier=data["classifier"],
                                 reforms=data["reforms"])
    result: dict = {}
    if import_as != "case-2024":
        result["import_as"] = import_as
    if report.errors:
        result["refused"] = [f"{line}: {message}" for line, message in report.errors]
        return result
    result["document"] = {k: doc[k] for k in ("title", "issuer", "doc_number", "date", "preamble", "closing")}
    result["measures"] = [{k: m[k] for k in MEASURE_KEYS if k in m} for m in doc["measures"]]
    result["unsure"] = [f"{line}: {message}" for line, message in sorted(report.unsure)]
    result["fidelity"] = fidelity.check_document(text, f"sources/{import_as}.txt", doc, "case.yaml")
    return result


def _dump(result: dict) -> str:
    return yaml.safe_dump(result, allow_unicode=True, sort_keys=False, width=10**9)


@pytest.mark.parametrize("source", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_case_imports_as_expected(source: Path, data: dict) -> None:
    expected_path = _expected_path(source)
    import_as = "case-2024"
    if expected_path.exists():
        import_as = (yaml.safe_load(expected_path.read_text(encoding="utf-8")) or {}).get("import_as", import_as)
    got = import_case(source, data, import_as)
    if os.environ.get("UPDATE_GOLDENS"):
        expected_path.write_text(_dump(got), encoding="utf-8")
    assert expected_path.exists(), f"{expected_path.name} missing: write it (UPDATE_GOLDENS=1) and review it"
    expected = yaml.safe_load(expected_path.read_text(encoding="utf-8"))
    assert got == expected
    assert not got.get("fidelity"), "an accepted import must account for every character"


def test_every_case_has_its_expectation_and_the_corpus_is_broad() -> None:
    sources = sorted(CASES.glob("*.txt"))
    assert [p.stem for p in sources if not _expected_path(p).exists()] == []
    assert len(sources) >= 15 + 10 + 4  # the shared cases, the corpus of our own, the five plans' layouts


def _as_printed_on_a4(text: str, width: int = 28) -> str:
    """`text` with every line broken at `width` characters (the line width of an official A4
    document) and a lone page number in the middle, as PDF extraction leaves it."""
    lines: list[str] = []
    for line in text.splitlines():
        while len(line) > width:
            lines.append(line[:width])
            line = line[width:]
        lines.append(line)
    middle = len(lines) // 2
    return "\n".join([*lines[:middle], "— 2 —", *lines[middle:]]) + "\n"


@pytest.mark.parametrize("source", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_case_survives_lines_broken_at_28_characters(source: Path, data: dict, tmp_path: Path) -> None:
    """Layout, not damage, decides: the same plan broken at 28 characters with a page number gives
    the same measures, or (a flattened table whose rows break) is refused loudly, never silently wrong."""
    expected = yaml.safe_load(_expected_path(source).read_text(encoding="utf-8"))
    if "refused" in expected:
        return
    damaged = tmp_path / source.name
    damaged.write_text(_as_printed_on_a4(source.read_text(encoding="utf-8")), encoding="utf-8")
    got = import_case(damaged, data, expected.get("import_as", "case-2024"))
    if "refused" in got:
        assert any("table row" in message for message in got["refused"]), got["refused"]
        return
    keys = ("id", "section", "title", "text", "units", "lead", "responsible", "deadlines", "domain")
    assert [{k: m.get(k) for k in keys if k != "units" or not str(m.get(k, "")).endswith("\n")}
            for m in got["measures"]] == [
        {k: m.get(k) for k in keys if k != "units" or not str(m.get(k, "")).endswith("\n")} for m in expected["measures"]]
    assert got["fidelity"] == []
