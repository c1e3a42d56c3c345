"""site.memo: under `serve`, a page rendered from the memo equals a fresh rendering, whatever changed.

The differential test edits the repository's catalogue at random (seeded: the same edits on every run), in
the ways a maintainer edits a plan, each kind chosen from what the catalogue holds, so it holds for any valid
catalogue; after each edit the pages, HTML blocks, measure pages, downloads and calendars made through the memo, which reuses what
did not change, must equal a fresh rendering byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from pathlib import Path

import pytest
import yaml

from generator.catalog import ParsedFiles, load_catalog
from generator.crossref import cross_reference
from generator.importer.yamlwrite import dump_document
from generator.site import calendars, downloads, measurepages, pages
from generator.site.htmlblocks import HtmlBlocks
from generator.site.memo import PageMemo, Recorder, _fingerprint, _is_source, _Reads, flat

REPO = Path(__file__).resolve().parent.parent
KINDS = ("title", "doc_title", "text", "text_replaced", "unit_renamed", "unit_added", "domain", "tag", "deadline", "removed",
         "doc_number", "doc_year", "label_repeated", "domain_name", "place_name")
VOCABULARY = {"domain_name": ("domains.yaml", "domains"), "place_name": ("jurisdictions.yaml", "jurisdictions")}
ROUNDS = 2  # each kind of edit this many times, in a seeded random order
UPDATED = dt.date(2026, 1, 1)
SITE = "https://example.org/catalogue/"


def _render(catalog, memo: PageMemo | None, limits: dict[str, int]):
    if memo is not None:
        memo.begin("templates")
    refs = cross_reference(catalog, memo=memo, **limits)
    markdown, blocks = pages.render_site(catalog, refs, updated=UPDATED, memo=memo)
    if memo is not None:
        memo.finish()
    measure_pages = list(measurepages.MeasurePages(catalog, refs, updated=UPDATED, memo=memo))
    files = downloads.download_files(catalog, refs.alignment, memo=memo)
    files |= calendars.calendar_files(catalog, refs.index, updated=UPDATED, site_url=SITE, memo=memo)
    files |= calendars.unit_calendar_files(refs.index, refs.units, updated=UPDATED, site_url=SITE, memo=memo)
    return markdown, blocks, measure_pages, files, refs.alignment


def _referenced(catalog_dir: Path) -> str:
    """The text of every catalogue file other than the documents: a measure named there cannot just go."""
    return "".join(p.read_text(encoding="utf-8") for p in catalog_dir.glob("*.yaml"))


def _edit(rng: random.Random, doc: dict, catalog, others: str, kind: str) -> str:
    """One edit of a plan of the kind `kind`, as a maintainer makes them; returns the kind it could make."""
    measures = doc["measures"]
    m = rng.choice(measures)
    if kind == "title":
        m["title"] = "修订" + m["title"]
    elif kind == "doc_title":
        doc["title"] += "（修订）"
    elif kind == "text":
        m["text"] += "（补充）"
    elif kind == "text_replaced":  # another plan's measure's text: what it aligns with changes
        m["text"] = rng.choice(catalog.measures()).text
    elif kind == "unit_renamed" and (m.get("lead") or m.get("responsible")):
        role = "lead" if m.get("lead") else "responsible"
        units = [u for other in measures for u in (other.get("lead") or []) + (other.get("responsible") or [])]
        m[role] = [rng.choice(units)] + m[role][1:]
    elif kind == "unit_added":
        m["responsible"] = (m.get("responsible") or []) + ["新设测试局"]
    elif kind == "domain":
        m["domain"] = rng.choice([d.slug for d in catalog.domains if d.slug != m["domain"]])
    elif kind == "tag":
        m["tags"] = (m.get("tags") or [])[1:] if m.get("tags") else [rng.choice(catalog.reforms).name]
    elif kind == "deadline":
        m["deadlines"] = [{"phrase": "2027年6月底前", "date": dt.date(2027, 6, 30), "kind": "date"}]
    elif kind == "removed" and len(measures) > 1 and m["id"] not in others:
        measures.remove(m)
    elif kind == "label_repeated":  # plans that restart numbering per section repeat labels (`ambiguous`)
        other = rng.choice(measures)
        for key in ("number", "sub"):
            if key in other:
                m[key] = other[key]
            else:
                m.pop(key, None)
    elif kind == "doc_number":
        doc["doc_number"] = "测试〔2026〕1号"
    elif kind == "doc_year":  # printed beside each counterpart from this plan, on other plans' pages
        doc["year"] += 1
    else:
        m["text"] += "。"
        kind = "text"
    return kind


# The site's layouts: as the repository's catalogue is, and as a catalogue of many plans is (domains split into a
# page per province and city, tables with only the province's and cities' columns), with each kind of edit once.
LAYOUTS = {"as is": ({}, ROUNDS), "large": ({"domain_page_limit": 12, "table_columns": 3}, 1)}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pages_through_the_memo_equal_a_fresh_rendering_after_random_edits(tmp_path: Path, layout: str) -> None:
    limits, rounds = LAYOUTS[layout]
    for folder in ("catalog", "sources"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    catalog_dir = tmp_path / "catalog"
    parsed, memo, rng = ParsedFiles(), PageMemo(), random.Random(15)
    catalog = load_catalog(catalog_dir, parsed=parsed)
    assert _render(catalog, memo, limits) == _render(catalog, None, limits)
    assert memo.reused == 0 and memo.rendered > 0
    index = cross_reference(catalog, **limits).index
    split = [d for d in index.domains_with_pages() if index.is_split(d)]
    assert bool(split) == bool(limits) and (len(index.table_places()) < len(index.jurisdictions_with_documents())
                                            or not limits), "the layout is not the one named"
    others, kinds = _referenced(catalog_dir), []
    for kind in rng.sample(KINDS * rounds, len(KINDS) * rounds):
        if kind in VOCABULARY:  # a name in domains.yaml or jurisdictions.yaml, as printed on every page
            file, items = VOCABULARY[kind]
            text = (catalog_dir / file).read_text(encoding="utf-8")
            # a name written once (two districts may share one, 市中区): the edit changes that entry alone
            name = rng.choice([i.name for i in getattr(catalog, items) if text.count(f"name: {i.name}\n") == 1])
            (catalog_dir / file).write_text(text.replace(f"name: {name}\n", f"name: {name}测试\n"), encoding="utf-8")
            kinds.append(kind)
        else:
            plan = rng.choice(sorted((catalog_dir / "documents").glob("*.yaml")))
            doc = yaml.safe_load(plan.read_text(encoding="utf-8"))
            kinds.append(_edit(rng, doc, catalog, others, kind))
            plan.write_text(dump_document(doc), encoding="utf-8")
        catalog = load_catalog(catalog_dir, parsed=parsed)
        through_memo = _render(catalog, memo, limits)
        assert memo.reused > 0 or kind in VOCABULARY, "nothing was reused: the memo test tests nothing"
        fresh = _render(catalog, None, limits)
        assert through_memo[0] == fresh[0], kinds
        assert through_memo[1] == fresh[1], kinds
        assert through_memo[2] == fresh[2], kinds
        assert through_memo[3] == fresh[3], kinds
        assert through_memo[4] == fresh[4], kinds  # the alignment, handed out again when no text changed
    assert len(set(kinds)) >= len(KINDS) - 1, kinds  # the seed gives (nearly) every kind of edit


def test_a_recorder_logs_each_read_and_its_outcome_and_replays_them() -> None:
    reads = _Reads()
    table = Recorder({"a": [1, 2], "b": {"c": 3}}, "table", (), reads)
    assert table["a"] == [1, 2] and table["b"]["c"] == 3 and "a" in table and len(table) == 2
    with pytest.raises(KeyError):
        table["x"]
    assert [ops for _, ops, _ in reads.reads] == [
        (("item", "a"),), (("item", "b"), ("item", "c")), (("in", "a"),), (("len",),), (("item", "x"),)]
    assert reads.agree({"table": {"a": [1, 2], "b": {"c": 3}, "d": 4}}) is False  # its length changed
    assert reads.agree({"table": {"a": [1, 2], "b": {"c": 3}}}) is True
    assert reads.agree({"table": {"a": [1, 2], "b": {"c": 4}}}) is False
    assert reads.agree({"table": {"a": [1, 2], "x": 0}}) is False  # a read that raised now gives a value


def test_a_read_whose_value_holds_a_dict_agrees_only_in_the_same_order() -> None:
    reads = _Reads()
    table = Recorder({"rows": [{"a": 1, "b": 2}]}, "table", (), reads)
    assert list(table["rows"][0]) == ["a", "b"]
    assert reads.agree({"table": {"rows": [{"a": 1, "b": 2}]}}) is True
    assert reads.agree({"table": {"rows": [{"b": 2, "a": 1}]}}) is False  # equal, but printed the other way


def test_a_read_that_passes_one_recorder_to_another_is_never_replayed() -> None:
    reads = _Reads()
    index = Recorder({"k": 1}, "index", (), reads)
    lookup = Recorder(lambda table: table["k"], "lookup", (), reads)
    assert lookup(index) == 1
    assert reads.agree({"index": {"k": 1}, "lookup": lambda table: table["k"]}) is False
    with pytest.raises(TypeError, match="read, not compared"):
        index == {"k": 1}  # noqa: B015


def test_what_is_read_through_a_recorder_and_what_is_compared_whole(tmp_path: Path) -> None:
    shutil.copytree(REPO / "tests" / "fixture_catalog", tmp_path / "repo")
    catalog = load_catalog(tmp_path / "repo" / "catalog")
    refs = cross_reference(catalog)
    # whose equality leaves a field out (the catalogue's source texts), or is identity, or is a table: read
    for source in (catalog, refs, refs.index, refs.units, refs.alignment, {}, frozenset(), len):
        assert _is_source(source), source
    for value in (catalog.documents[0], catalog.documents[0].measures[0], catalog.jurisdictions, "x", 1, None,
                  UPDATED, [catalog.domains[0]]):
        assert not _is_source(value), value


def test_the_value_types_pages_print_are_compared_whole_and_tables_are_not() -> None:
    """Every frozen dataclass of the model, the cross-references and the pages' blocks is `flat` (compared by
    its own equality: no field that may hold a dict or set, whose equality ignores order) unless it holds a
    table; a dataclass that may hold a dict is compared field by field (`_fingerprint`), never whole."""
    import generator.crossref as crossref_package
    from generator import model
    from generator.crossref import alignment, months
    tables = {"Catalog", "CrossReferences", "Alignment", "Classification", "Redirects", "Vocabulary"}
    found = {}
    for module in (model, crossref_package, alignment, months, pages, measurepages):
        for kind in vars(module).values():
            if isinstance(kind, type) and dataclasses.is_dataclass(kind) and kind.__module__ == module.__name__:
                found[kind.__name__] = kind
    # _Inputs: a measure page's inputs, compared whole for each of tens of thousands of pages per rebuild
    assert {"Measure", "Document", "Counterpart", "Entry", "Heading", "Month", "Due", "Match", "_Inputs"} <= set(found)
    for name, kind in found.items():
        if kind.__dataclass_params__.frozen:
            assert flat(kind) is (name not in tables), name  # a table holds a dict (or a partly compared field)

    @dataclasses.dataclass(frozen=True)
    class Holder:
        names: dict[str, int]

    assert not flat(Holder)
    assert _fingerprint(Holder({"a": 1, "b": 2})) != _fingerprint(Holder({"b": 2, "a": 1}))


def test_a_page_whose_reads_or_values_changed_is_rendered_again() -> None:
    memo, blocks = PageMemo(), HtmlBlocks()
    rendered = []

    def render(values):
        rendered.append(1)
        return f"{values['name']}: {values['table']['k']} {','.join(values['order'])}"

    def page(table, name="a", order=None, templates="t"):
        memo.begin(templates)
        return memo.page("p.md", "x.j2", {"table": table}, {"name": name, "order": order or {"x": 1, "y": 2}},
                         render, blocks)

    assert page({"k": 1, "j": 2}) == "a: 1 x,y"
    assert page({"k": 1, "j": 3}) == "a: 1 x,y"
    assert len(rendered) == 1  # what the page did not read of a shared table changed: handed out again
    assert page({"k": 2}) == "a: 2 x,y"
    assert page({"k": 2}, name="b") == "b: 2 x,y"
    assert page({"k": 2}, name="b", order={"y": 2, "x": 1}) == "b: 2 y,x"  # equal dicts, but printed in order
    assert page({"k": 2}, name="b", order={"y": 2, "x": 1}, templates="other templates") == "b: 2 y,x"
    assert len(rendered) == 5


def test_values_are_compared_with_their_order() -> None:
    memo = PageMemo()
    made = []
    for inputs in ([{"a": 1, "b": 2}], [{"a": 1, "b": 2}], [{"b": 2, "a": 1}], [frozenset({1})]):
        memo.begin("t")
        memo.value("v", inputs, lambda: made.append(1))
    assert len(made) == 3


def test_a_shared_value_that_changed_renders_again_each_page_that_got_it() -> None:
    """The shared values are split and fingerprinted once per rebuild (PageMemo._split); a page compares the
    shared plain values it got, except those its own values replace."""
    memo, blocks, rendered = PageMemo(), HtmlBlocks(), []

    def render(values):
        rendered.append(values["page_path"])
        return f"{values['updated']} {len(values['places'])}"

    def rebuild(updated, places, own=None):
        memo.begin("t")
        shared = {"updated": updated, "places": places}
        made = [memo.page(path, "x.j2", shared, {"page_path": path} | (own if path == "own.md" else {}), render,
                          blocks) for path in ("a.md", "b.md", "own.md")]
        memo.finish()
        return made

    day, later = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    assert rebuild(day, [1, 2], {"updated": "own"}) == ["2026-01-01 2", "2026-01-01 2", "own 2"]
    assert rebuild(day, [1, 2], {"updated": "own"}) == ["2026-01-01 2", "2026-01-01 2", "own 2"]
    assert len(rendered) == 3 and memo.reused == 3
    assert rebuild(later, [1, 2], {"updated": "own"}) == ["2026-02-01 2", "2026-02-01 2", "own 2"]
    assert rendered[3:] == ["a.md", "b.md"]  # the page whose own value replaces the changed one: handed out again
    assert rebuild(later, [1, 2, 3], {"updated": "own"}) == ["2026-02-01 3", "2026-02-01 3", "own 3"]
    assert rendered[5:] == ["a.md", "b.md", "own.md"]


def test_a_fingerprint_does_not_depend_on_which_types_were_met_before() -> None:
    @dataclasses.dataclass(frozen=True)
    class Place:  # a flat type no fingerprint has met yet
        slug: str

    first = _fingerprint([Place("a")])
    assert _fingerprint(Place("a")) == Place("a")
    assert _fingerprint([Place("a")]) == first


def test_a_value_updated_is_handed_out_while_its_inputs_stay_equal() -> None:
    memo, made = PageMemo(), []
    memo.begin("t")
    assert memo.value("v", (1,), lambda: made.append(1) or "first") == "first"
    memo.update("v", "rebound")
    memo.update("never computed", "x")  # nothing to update: no value of that name
    memo.begin("t")
    assert memo.value("v", (1,), lambda: made.append(1) or "again") == "rebound" and len(made) == 1
    assert memo.value("never computed", (1,), lambda: "made") == "made"
    memo.begin("t")
    assert memo.value("v", (2,), lambda: made.append(1) or "new inputs") == "new inputs" and len(made) == 2
