"""`serve` rebuilds incrementally (publish.pagecache) and still serves exactly what a full build makes.

The incremental path is the one `python -m generator serve` takes on every change: MkDocs run in-process
with the hook, building over the previous output ("dirty"), the same `PageCache` kept from one rebuild to
the next. After one plan's YAML changes, the rebuilt folder must equal, file for file and byte for byte, a
fresh full build of the changed catalogue.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.catalog import ParsedFiles, load_catalog
from generator.errors import CatalogError
from generator.model import NO_RELEASE
from generator.publish import collector, pagecache
from generator.publish.engine import CONFIG, Build, run_mkdocs
from generator.publish.pagecache import PageCache
from generator.site.addresses import page_of, served

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixture_catalog"
HOOK_MODULE = "generator/hooks.py"  # MkDocs loads the hook from mkdocs.yml's path, under that name


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_rebuild_after_a_plan_changes_equals_a_full_build(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "repo")
    catalog_dir = tmp_path / "repo" / "catalog"
    cache, served_dir = PageCache(), tmp_path / "served"
    with Build(catalog_dir, pages=cache).active():
        assert run_mkdocs(CONFIG, served_dir, dirty=True)
    assert cache.reused == 0 and cache.converted > 0

    document = load_catalog(catalog_dir).documents[0]
    plan = catalog_dir / "documents" / f"{document.slug}.yaml"
    text = plan.read_text(encoding="utf-8")
    assert f"\ntitle: {document.title}\n" in text
    plan.write_text(text.replace(f"\ntitle: {document.title}\n", f"\ntitle: 修订{document.title}\n", 1), encoding="utf-8")
    (served_dir / "documents" / "gone").mkdir()  # what a full build would not make must go
    (served_dir / "documents" / "gone" / "index.html").write_text("stale", encoding="utf-8")
    with Build(catalog_dir, pages=cache).active():
        assert run_mkdocs(CONFIG, served_dir, dirty=True)
    assert cache.parsed.last[0] == 1 and cache.parsed.last[1] > 0  # the changed plan alone was parsed again

    full_dir = tmp_path / "full"
    with Build(catalog_dir).active():
        assert run_mkdocs(CONFIG, full_dir)
    rebuilt, full = _files(served_dir), _files(full_dir)
    assert sorted(rebuilt) == sorted(full)
    assert [path for path in full if rebuilt[path] != full[path]] == []
    page = served(page_of(load_catalog(catalog_dir).document(document.slug))) + "index.html"
    assert "修订" in rebuilt[page].decode("utf-8")
    # the incremental path was taken: pages the change does not reach were restored, the plan's page was not;
    # MkDocs parsed again only the generated pages whose source changed (publish.parsedpages)
    assert cache.reused > 0 and cache.converted > 0 and cache.themed_again > 0 and cache.left_on_disk > 0
    assert 0 < cache.sources.skipped < len([p for p in full if p.endswith(".html")])

    # nothing changed: every page comes from the cache, and MkDocs leaves alone each page file that holds its
    # output (all but the measure pages' frame, which the hook needs rendered); a file gone is written again
    (served_dir / page).unlink()
    with Build(catalog_dir, pages=cache).active():
        assert run_mkdocs(CONFIG, served_dir, dirty=True)
    assert cache.converted == 0 and cache.themed_again == 0 and cache.parsed.last[0] == 0 and cache.site_reused
    assert cache.left_on_disk == cache.reused - 2  # the frame, and the page whose file was gone
    assert _files(served_dir) == full


def test_after_a_broken_plan_is_mended_the_served_site_equals_a_full_build(tmp_path: Path, capsys) -> None:
    """A rebuild that fails (a plan broken mid-edit) changes nothing the next ones rely on: the kept parses, the
    kept Site and the measure pages on disk. Mended as it was, the site comes back whole; mended otherwise, too."""
    shutil.copytree(FIXTURE, tmp_path / "repo")
    catalog_dir = tmp_path / "repo" / "catalog"
    cache, served_dir = PageCache(), tmp_path / "served"
    plan = sorted((catalog_dir / "documents").glob("*.yaml"))[0]
    original = plan.read_text(encoding="utf-8")
    for mended in (original, original.replace("\ntitle: ", "\ntitle: 修订", 1)):
        for text in (original, original.replace("\nyear: ", "\nyear: [", 1), mended):
            plan.write_text(text, encoding="utf-8")
            with Build(catalog_dir, pages=cache).active():
                assert run_mkdocs(CONFIG, served_dir, dirty=True) is ("year: [" not in text)
        assert "the catalogue has problems" in capsys.readouterr().err
        full_dir = tmp_path / "full"
        shutil.rmtree(full_dir, ignore_errors=True)
        with Build(catalog_dir).active():
            assert run_mkdocs(CONFIG, full_dir)
        assert _files(served_dir) == _files(full_dir)
    assert cache.site_reused is False  # the last rebuild had a changed plan to assemble


def _problems(catalog_dir: Path, parsed: ParsedFiles | None = None) -> list[str]:
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_dir, parsed=parsed)
    return [str(p) for p in err.value.problems]


def test_a_load_with_the_previous_parses_equals_a_fresh_load(tmp_path: Path) -> None:
    """Every kind of change between two loads: a plan edited, broken, mended, removed, added back; each load
    kept with `ParsedFiles` gives what a fresh load gives, the same catalogue or the same problems."""
    shutil.copytree(FIXTURE, tmp_path / "repo")
    catalog_dir = tmp_path / "repo" / "catalog"
    parsed = ParsedFiles()
    files = sorted(p for p in catalog_dir.rglob("*.yaml"))
    assert load_catalog(catalog_dir, parsed=parsed) == load_catalog(catalog_dir)
    assert parsed.last == (len(files), 0)
    assert load_catalog(catalog_dir, parsed=parsed) == load_catalog(catalog_dir) and parsed.last == (0, len(files))

    plan = sorted((catalog_dir / "documents").glob("*.yaml"))[0]
    original = plan.read_bytes()
    text = original.decode("utf-8")
    changes = [text.replace("\ntitle: ", "\ntitle: 修订", 1), text.replace("\nyear: ", "\nyear: [", 1), text]
    for changed in changes:
        plan.write_text(changed, encoding="utf-8")
        if "year: [" in changed:
            assert _problems(catalog_dir, parsed) == _problems(catalog_dir)
            assert _problems(catalog_dir, parsed) == _problems(catalog_dir) and parsed.last == (0, len(files))
        else:
            assert load_catalog(catalog_dir, parsed=parsed) == load_catalog(catalog_dir)
        assert parsed.last[0] == (0 if "year: [" in changed else 1)
    plan.unlink()
    assert load_catalog(catalog_dir, parsed=parsed) == load_catalog(catalog_dir)
    assert parsed.last == (0, len(files) - 1)
    plan.write_bytes(original)
    assert load_catalog(catalog_dir, parsed=parsed) == load_catalog(catalog_dir) and parsed.last == (1, len(files) - 1)


def test_a_plan_checked_by_the_previous_load_is_checked_again_against_what_changed_around_it(tmp_path: Path) -> None:
    """An unchanged plan is the previous load's Document (catalog.documents._kept_or_loaded) only while what its
    check read is unchanged: a domain or reform it names gone, another plan taking one of its ids, its source text
    gone, each gives the problems a fresh load gives, and mended, the same catalogue."""
    shutil.copytree(FIXTURE, tmp_path / "repo")
    catalog_dir, sources = tmp_path / "repo" / "catalog", tmp_path / "repo" / "sources"
    kept = load_catalog(FIXTURE / "catalog").documents
    later = max(kept, key=lambda d: d.slug)  # the plan read last, never edited here
    earlier = next(d for d in kept if d is not later)
    shown = f"catalog/documents/{later.slug}.yaml"
    measure = next(m for m in later.measures if m.tags)
    parsed = ParsedFiles()
    assert load_catalog(catalog_dir, parsed=parsed) == load_catalog(catalog_dir)
    assert load_catalog(catalog_dir, parsed=parsed).documents == kept and parsed.checked(shown).document == later

    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    earlier_file = catalog_dir / "documents" / f"{earlier.slug}.yaml"
    changes = [  # (file, what it says, what it says instead, a problem of the unchanged plan that must follow)
        (catalog_dir / "domains.yaml", f"- slug: {measure.domain}\n", f"- slug: {measure.domain}-gone\n", "unknown domain"),
        (catalog_dir / "reforms.yaml", f"name: {measure.tags[0]}}}", f"name: {measure.tags[0]}旧}}", "unknown tag"),
        (earlier_file, f"- id: {earlier.measures[0].id}\n", f"- id: {later.measures[0].id}\n", "duplicate id"),
    ]
    for path, old, new, problem in changes:
        edit(path, old, new)
        assert _problems(catalog_dir, parsed) == _problems(catalog_dir)
        assert any(p.startswith(shown) and problem in p for p in _problems(catalog_dir, parsed)), problem
        edit(path, new, old)
        assert load_catalog(catalog_dir, parsed=parsed) == load_catalog(catalog_dir)
    (sources / f"{later.slug}.txt").rename(tmp_path / "away.txt")
    assert _problems(catalog_dir, parsed) == _problems(catalog_dir)
    assert any(p.startswith(shown) and "does not exist" in p for p in _problems(catalog_dir, parsed))
    (tmp_path / "away.txt").rename(sources / f"{later.slug}.txt")
    assert load_catalog(catalog_dir, parsed=parsed) == load_catalog(catalog_dir)


def test_the_previous_site_is_handed_out_only_for_the_same_inputs_and_templates(tmp_path: Path, monkeypatch) -> None:
    """PageCache.assemble's key: the catalogue, the date, the site URL, the release and the page templates."""
    templates = tmp_path / "templates"
    shutil.copytree(pagecache.TEMPLATES, templates)
    monkeypatch.setattr(pagecache, "TEMPLATES", templates)
    catalog, cache = load_catalog(FIXTURE / "catalog"), PageCache()
    inputs = {"updated": dt.date(2026, 1, 2), "site_url": "", "release": NO_RELEASE}
    first = cache.assemble(catalog, **inputs)
    assert not cache.site_reused
    again = cache.assemble(load_catalog(FIXTURE / "catalog"), **inputs)  # equal, not the same object
    assert cache.site_reused and again.pages is first.pages and again.html_blocks is not first.html_blocks
    for changed in ({"updated": dt.date(2026, 1, 3)}, {"site_url": "https://example.org/"},
                    {"release": dataclasses.replace(NO_RELEASE, commit="abc1234")}):
        cache.assemble(catalog, **inputs | changed)
        assert not cache.site_reused, changed
        cache.assemble(catalog, **inputs)
    (templates / "home.md.j2").write_text((templates / "home.md.j2").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    cache.assemble(catalog, **inputs)
    assert not cache.site_reused


class _Server:
    """What PageCache.follow_up touches of mkdocs' LiveReloadServer."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False


def test_under_a_server_the_search_index_follows_one_rebuild_later(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "repo")
    catalog_dir = tmp_path / "repo" / "catalog"
    cache, served_dir, server = PageCache(), tmp_path / "served", _Server()
    cache.server = server
    with Build(catalog_dir, pages=cache).active():
        assert run_mkdocs(CONFIG, served_dir, dirty=True)
    assert not server._want_rebuild  # the first build makes the index at once
    before = {p: b for p, b in _files(served_dir).items() if p.startswith("search/")}

    document = load_catalog(catalog_dir).documents[0]
    plan = catalog_dir / "documents" / f"{document.slug}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(f"\ntitle: {document.title}\n",
                                                             f"\ntitle: 修订{document.title}\n", 1), encoding="utf-8")
    with Build(catalog_dir, pages=cache).active():
        assert run_mkdocs(CONFIG, served_dir, dirty=True)
    page = served(page_of(document)) + "index.html"
    assert "修订" in _files(served_dir)[page].decode("utf-8")  # the page shows the change at once
    assert {p: b for p, b in _files(served_dir).items() if p.startswith("search/")} == before
    assert server._want_rebuild  # and the server is asked for the rebuild that brings the index up to date
    assert not cache.site_reused
    written = {p.relative_to(served_dir).as_posix(): p.stat().st_mtime_ns for p in (served_dir / "m").rglob("*.html")}
    assert written

    server._want_rebuild = False
    with Build(catalog_dir, pages=cache).active():
        assert run_mkdocs(CONFIG, served_dir, dirty=True)
    # the follow-up changes only the index: the same Site, no page converted, no measure page written again
    assert not server._want_rebuild and cache.converted == 0 and cache.site_reused
    assert all(served_dir.joinpath(path).stat().st_mtime_ns == written[path] for path in written)
    full_dir = tmp_path / "full"
    with Build(catalog_dir).active():
        assert run_mkdocs(CONFIG, full_dir)
    assert _files(served_dir) == _files(full_dir)


def test_serve_looks_for_changes_of_the_catalogue_more_often_than_mkdocs(tmp_path: Path) -> None:
    """A saved file asks the server for a rebuild (PageCache looks every WATCH_POLL s; how soon the served site
    shows a change is measured by benchmarks/bench_scale.py --serve); a folder alone does not, and after
    stop_watching nothing does."""
    watched = tmp_path / "catalog"
    (watched / "documents").mkdir(parents=True)
    cache, server = PageCache(), _Server()
    cache.watch(server, [watched])
    try:
        time.sleep(3 * pagecache.WATCH_POLL)
        (watched / "empty").mkdir()
        time.sleep(3 * pagecache.WATCH_POLL)
        assert not server._want_rebuild
        (watched / "documents" / "plan.yaml").write_text("slug: x\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server._want_rebuild
    finally:
        cache.stop_watching()
    server._want_rebuild = False
    (watched / "documents" / "plan.yaml").write_text("slug: y\n", encoding="utf-8")
    time.sleep(3 * pagecache.WATCH_POLL)
    assert not server._want_rebuild


def test_while_serving_each_rebuild_frees_the_garbage_of_the_previous_and_nothing_frozen_leaks(tmp_path: Path) -> None:
    """publish.collector: once the server runs, each rebuild starts by collecting the previous one's cyclic
    garbage and freezing what is alive, with the collector's full collections off. No object of ours, MkDocs'
    or the theme's may be frozen and then become garbage: it would never be freed. After the server stops, the
    collector is as it was."""
    shutil.copytree(FIXTURE, tmp_path / "repo")
    catalog_dir = tmp_path / "repo" / "catalog"
    cache, served_dir, server = PageCache(), tmp_path / "served", _Server()
    thresholds = gc.get_threshold()
    plan = sorted((catalog_dir / "documents").glob("*.yaml"))[0]
    original = plan.read_text(encoding="utf-8")
    with Build(catalog_dir, pages=cache).active():
        assert run_mkdocs(CONFIG, served_dir, dirty=True)  # the first build, before the server runs
    with Build(catalog_dir, pages=cache).active():  # as MkDocs calls it once the first build is done, on the hook
        sys.modules[HOOK_MODULE].on_serve(server, None, None)  # module it loaded for that build (not generator.hooks)
    try:
        assert gc.get_freeze_count() > 0 and gc.get_threshold()[2] == collector.NEVER
        for edit in ("修订", "再修订", "", "三修订"):  # each edit and its follow-up rebuild (the search index)
            plan.write_text(original.replace("\ntitle: ", f"\ntitle: {edit}", 1), encoding="utf-8")
            for _ in range(2):
                with Build(catalog_dir, pages=cache).active():
                    assert run_mkdocs(CONFIG, served_dir, dirty=True)
        gc.collect()  # the last rebuild's garbage, as the next rebuild would collect it
        gc.unfreeze()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()  # now only what was frozen and then became garbage
        leaked = sorted({f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage
                         if type(o).__module__.split(".")[0] in {"generator", "mkdocs", "jinja2", "markdown",
                                                                  "pymdownx", "material", "watchdog"}})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        cache.stop_watching()
    assert leaked == [], "\n".join(leaked)
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
