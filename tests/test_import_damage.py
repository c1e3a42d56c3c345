"""The importer under damage: the real sources, mutated the way PDF extraction and careless edits damage
text, never make the importer crash. Either it writes a document whose fidelity check accounts for every
character of the damaged source, or it refuses and each message names its place (source line or measure).

Property-based (hypothesis): deleted, doubled and split lines, page furniture (running headers, page
numbers) put in random places, stray characters. Deterministic (derandomize) so CI is repeatable; set
HYPOTHESIS_EXAMPLES=1000 to explore more locally.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import CatalogError
from generator.importer import fidelity
from generator.importer.build import build_document
from generator.importer.command import _catalog_data, _duplicate_ids, _import_one, print_summary

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {path.stem: path.read_text(encoding="utf-8") for path in sorted((ROOT / "sources").glob("*.txt"))}
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "100"))
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA = _catalog_data(ROOT / "catalog")

# What damage puts into a text: page numbers and running headers, Markdown residue, lookalikes,
# zero-width and bidi marks, control characters, full-width and ASCII punctuation, emoji, brackets.
FURNITURE = ["12", "— 3 —", "- 45 -", "山东省优化营商环境创新突破行动", "济南市人民政府办公厅", "—1—", "第 2 页"]
STRAY = list("（）()〔〕：:；;。，,.、“”\"'#*_{}[]<>|&—-=+@ \t\u3000\u00a0\u200b\u200f\u202e\ufeff\x0c\x0b⼗⻔金①1２aZ😀")

Mutation = tuple[str, float, float, str]  # (kind, where, where-in-line, text)
mutations = st.tuples(
    st.sampled_from(["delete", "double", "split", "furniture", "stray", "join"]),
    st.floats(0, 1, allow_nan=False), st.floats(0, 1, allow_nan=False),
    st.one_of(st.sampled_from(FURNITURE), st.text(alphabet=STRAY, min_size=1, max_size=3)),
)


def damage(text: str, changes: list[Mutation]) -> str:
    lines = text.splitlines()
    for kind, where, inside, extra in changes:
        if not lines:
            break
        i = min(int(where * len(lines)), len(lines) - 1)
        line = lines[i]
        cut = int(inside * len(line))
        if kind == "delete":
            del lines[i]
        elif kind == "double":
            lines.insert(i, line)
        elif kind == "split":
            lines[i : i + 1] = [line[:cut], line[cut:]]
        elif kind == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [line + lines[i + 1]]
        elif kind == "furniture":
            lines[i:i] = ["", extra if extra in FURNITURE else FURNITURE[0], ""]
        else:  # a stray character (or three) inside a line
            lines[i] = line[:cut] + extra + line[cut:]
    return "\n".join(lines) + "\n"


# A refusal names its place: a source line, or the measure / part of the catalogue document.
PLACE = re.compile(r"^  \S+\.txt:\d+: |^  \S+\.yaml: (measure \S+|heading of measure \S+|preamble|closing|measures): ")
ran = {"written": 0, "refused": 0}  # how the in-process examples ended (shown with pytest -s)


def teardown_module() -> None:
    print(f"\nimport damage: {ran['written']} damaged sources segmented faithfully, {ran['refused']} refused")


def import_text(tmp: Path, slug: str, text: str) -> tuple[int, str, Path]:
    source = tmp / "sources" / f"{slug}.txt"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    out = tmp / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = _import_one(source, DATA, out, force=True)
        except CatalogError as err:  # what the command prints as path:line: message
            return 1, "\n".join(f"  {p}" for p in err.problems), out / f"{slug}.yaml"
    return status, stderr.getvalue(), out / f"{slug}.yaml"


SETTINGS = {"deadline": None, "derandomize": True, "database": None,
            "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}
damaged_sources = st.tuples(st.sampled_from(sorted(SOURCES)), st.lists(mutations, min_size=1, max_size=4))


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(case=damaged_sources)
def test_damaged_sources_are_segmented_faithfully_or_refused_with_places(case) -> None:
    """The importer's whole judgement in-process (segmentation, fidelity, id clashes, the summary), many times."""
    slug, changes = case
    text = damage(SOURCES[slug], changes)
    jurisdiction, year = slug.rsplit("-", 1)
    rel = f"sources/{slug}.txt"
    doc, report = build_document(slug, text, jurisdiction=jurisdiction, year=int(year), source_path=rel,
                                 classifier=DATA["classifier"], reforms=DATA["reforms"])
    with contextlib.redirect_stdout(io.StringIO()):
        print_summary(doc, report)
    problems = fidelity.check_document(text, rel, doc, "x.yaml") + _duplicate_ids(doc, rel)
    ran["refused" if problems else "written"] += 1
    assert all(PLACE.match("  " + line) for line in problems), problems


@settings(max_examples=max(EXAMPLES // 5, 10), **SETTINGS)
@given(case=damaged_sources)
def test_damaged_sources_are_written_faithfully_or_refused(tmp_path: Path, case) -> None:
    """The import command end to end: the YAML it writes passes the fidelity check against the damaged text."""
    slug, changes = case
    text = damage(SOURCES[slug], changes)
    status, errors, written = import_text(tmp_path, slug, text)
    if status == 0:
        doc = yaml.load(written.read_text(encoding="utf-8"), Loader=LOADER)
        assert fidelity.check_document(text, f"sources/{slug}.txt", doc, "x.yaml") == []
        written.unlink()
    else:
        assert not written.exists()
        problems = [line for line in errors.splitlines() if line.startswith("  ")]
        assert problems, errors
        assert all(PLACE.match(line) for line in problems), errors


@pytest.mark.parametrize("slug", sorted(SOURCES))
def test_each_source_survives_heavy_damage(tmp_path: Path, slug: str) -> None:
    """Every third line doubled, every fifth deleted, a page number every seventh: no crash, a verdict."""
    lines = SOURCES[slug].splitlines()
    damaged = []
    for n, line in enumerate(lines):
        if n % 5 == 4:
            continue
        damaged += [line, line] if n % 3 == 0 else [line]
        if n % 7 == 0:
            damaged += ["", str(n), ""]
    status, errors, written = import_text(tmp_path, slug, "\n".join(damaged))
    assert status in (0, 1) and written.exists() == (status == 0), errors


DEGENERATE = ["", "\n\n\n", "12\n", "一、主要任务\n", "1.\n", "（一）\n", "\ufeff", "配套措施\n1. 某某。\n1. 某某。\n"]


@pytest.mark.parametrize("text", DEGENERATE)
def test_degenerate_sources(tmp_path: Path, text: str) -> None:
    status, errors, written = import_text(tmp_path, "jinan-2021", text)
    assert status in (0, 1) and written.exists() == (status == 0), errors
