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
import yaml

from generator.catalog import load_catalog, lookalikes
from generator.catalog.yamlio import MAX_BYTES
from generator.errors import CatalogError

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
    # a case about a file saved as UTF-16 has its header in UTF-16 too
    header = content.decode("utf-16").encode("utf-8") if content.startswith(b"\xff\xfe") else content
    for line in header.splitlines():
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
    assert len(CASES) >= 55


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
    places = len(yaml.safe_load((catalog_dir / "jurisdictions.yaml").read_text(encoding="utf-8"))["jurisdictions"])
    domains = len(yaml.safe_load((catalog_dir / "domains.yaml").read_text(encoding="utf-8"))["domains"])
    assert result.stdout == f"catalog OK: 2 documents, 3 measures, {domains} domains, {places} jurisdictions\n"


def test_the_repository_catalogue_passes() -> None:
    catalog = load_catalog(REPO / "catalog")
    assert catalog.documents and len({m.id for m in catalog.measures()}) == len(catalog.measures())


# --- sizes and lookalike characters ---------------------------------------------------------------


def test_an_enormous_file_is_refused_before_it_is_read(catalog_dir: Path) -> None:
    """A document pasted into itself until it is 6 MB: refused by its size, quickly, with no traceback."""
    path = catalog_dir / "documents" / "demo-2021.yaml"
    text = path.read_text(encoding="utf-8")
    filler = "# " + "重复粘贴的内容" * 40 + "\n"
    copies = MAX_BYTES // len(filler.encode("utf-8")) + 1000
    path.write_text(text + filler * copies, encoding="utf-8")
    size = path.stat().st_size
    assert size > MAX_BYTES
    expected = (f"catalog/documents/demo-2021.yaml: file is too large: {size / 2**20:.1f} MB, over the limit of 5 MB "
                "for one catalogue file (pasted twice? a log?); shorten it")
    assert problems_of(catalog_dir) == [expected]
    result = run_check(catalog_dir)
    assert (result.returncode, result.stdout, "Traceback" in result.stderr) == (1, "", False)
    assert result.stderr.splitlines() == [expected, "1 problem(s) found."]


def test_a_file_just_under_the_limit_is_read(catalog_dir: Path) -> None:
    path = catalog_dir / "documents" / "demo-2021.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "#" * (MAX_BYTES - len(text.encode("utf-8")) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == MAX_BYTES
    assert load_catalog(catalog_dir).document("demo-2021").slug == "demo-2021"


def _put_lookalike(catalog_dir: Path) -> Path:
    path = catalog_dir / "documents" / "demo-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("压缩至1个工作日内", "压缩至⼀个工作日内"), encoding="utf-8")
    return path


@pytest.mark.parametrize("place", ["measure: demo-2021-01", "file: catalog/documents/demo-2021.yaml"])
def test_an_allowed_lookalike_passes_and_is_kept(catalog_dir: Path, place: str) -> None:
    _put_lookalike(catalog_dir)
    assert any("lookalike character '⼀' (U+2F00 KANGXI RADICAL ONE)" in p for p in problems_of(catalog_dir))
    (catalog_dir / "allowed-characters.yaml").write_text(
        f"allowed:\n  - char: ⼀\n    {place}\n    reason: 原件即用此字形\n", encoding="utf-8")
    measure = load_catalog(catalog_dir).document("demo-2021").measures[0]
    assert "压缩至⼀个工作日内" in measure.text


def test_an_allowance_covers_only_its_measure(catalog_dir: Path) -> None:
    _put_lookalike(catalog_dir)
    (catalog_dir / "allowed-characters.yaml").write_text(
        "allowed:\n  - {char: ⼀, measure: demo-2021-02, reason: 原件即用此字形}\n", encoding="utf-8")
    assert problems_of(catalog_dir) == [
        "catalog/documents/demo-2021.yaml:17:27: lookalike character '⼀' (U+2F00 KANGXI RADICAL ONE) in measure "
        "demo-2021-01: use '一' (U+4E00 CJK UNIFIED IDEOGRAPH-4E00), or allow it in catalog/allowed-characters.yaml",
        "catalog/allowed-characters.yaml:2: allowance of '⼀' in measure demo-2021-02 is not used: the character is not "
        "there (any more); remove the entry",
    ]


def test_lookalikes_in_comments_are_not_reported(catalog_dir: Path) -> None:
    path = catalog_dir / "documents" / "demo-2021.yaml"
    path.write_text("# 审核意见：原件第⼗页\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_catalog(catalog_dir).document("demo-2021")


@pytest.mark.parametrize("char", ["⼗", "⺠", "⻔", "㇐", "\uf90a", "\U0002F800"])
def test_lookalike_blocks(char: str) -> None:
    assert lookalikes.is_lookalike(char)
    assert [f.char for f in lookalikes.find(f"title: 一{char}二\n")] == [char]


@pytest.mark.parametrize("char", ["十", "一", "（", "１", "﨑", "—", "·", "A"])
def test_ordinary_characters_are_not_lookalikes(char: str) -> None:
    """Full-width forms are ordinary in Chinese text; 﨑 is a compatibility-block character that is a real ideograph."""
    assert not lookalikes.is_lookalike(char)


def test_every_radical_equivalent_is_an_ordinary_ideograph() -> None:
    for radical, ideograph in lookalikes.RADICAL_EQUIVALENTS.items():
        assert lookalikes.is_lookalike(radical) and lookalikes.ordinary(radical) == ideograph
        assert 0x4E00 <= ord(ideograph) <= 0x9FFF and not lookalikes.is_lookalike(ideograph)


def test_the_real_catalogue_and_sources_have_no_lookalikes() -> None:
    """Checked once by hand too: none of the five sources has a lookalike, so none of the words needed changing."""
    texts = sorted((REPO / "sources").glob("*.txt")) + sorted((REPO / "catalog").rglob("*.yaml"))
    texts = [path for path in texts if path.name != "allowed-characters.yaml"]  # it names lookalikes on purpose
    found = [(path.name, n, ch) for path in texts
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             for ch in line if lookalikes.is_lookalike(ch) or ch == "\ufeff"]
    assert len(texts) >= 10 and found == []


def test_a_district_of_a_municipality_has_a_province_level_parent(catalog_dir: Path) -> None:
    places = {"shanghai": "  - slug: shanghai\n    name: 上海市\n    level: province\n",
              "shanghai-xuhui": "  - slug: shanghai-xuhui\n    name: 上海市徐汇区\n    level: district\n    parent: shanghai\n",
              "jinan-pingyin": "  - slug: jinan-pingyin\n    name: 济南市平阴县\n    level: district\n    parent: jinan\n"}
    path = catalog_dir / "jurisdictions.yaml"  # the repository's: a place it lists already is not added twice
    listed = set(re.findall(r"^  - slug: (\S+)$", path.read_text(encoding="utf-8"), re.M))
    with path.open("a", encoding="utf-8") as f:
        f.write("".join(entry for slug, entry in places.items() if slug not in listed))
    catalog = load_catalog(catalog_dir)
    assert catalog.jurisdiction("shanghai-xuhui").parent == "shanghai"
