"""Benchmark: building the whole site, the generator's stages and MkDocs separately.

    .venv/bin/python benchmarks/bench_site.py [--repeat 3]

Each repeat times, in this process, the stages as the build runs them:
- load: `catalog.load_catalog` (reads and validates every file),
- assemble: `site.assemble` (cross-references, pages, downloads, calendars,
  search index, redirects), with its steps also timed one by one below it,
- whole build: `publish.engine.build_site`, the README's build (load, git date,
  MkDocs with the hook, which assembles the site, and the atomic swap);
  MkDocs is the whole build minus load and assemble.
Then it times `python -m generator build` end to end in a child process.
Prints the median and min of each over the repeats, and the size of the
built site. Machines here are noisy: compare figures within one run, not
across runs.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.catalog import load_catalog  # noqa: E402
from generator.crossref import cross_reference  # noqa: E402
from generator.publish.engine import build_site  # noqa: E402
from generator.site import assemble, calendars, downloads, nav, pages, searchindex  # noqa: E402

STEPS = ("  cross-references", "  pages", "  calendars", "  search index", "  downloads", "  nav")


def _timed(spent: dict[str, float], phase: str, fn, *args, **kwargs):
    start = time.perf_counter()
    try:
        return fn(*args, **kwargs)
    finally:
        spent[phase] += time.perf_counter() - start


def _stages(catalog_dir: Path, site_dir: Path) -> dict[str, float]:
    """One build's stages; {phase: seconds}."""
    spent: dict[str, float] = defaultdict(float)
    updated = dt.date(2024, 1, 1)
    catalog = _timed(spent, "load", load_catalog, catalog_dir)
    _timed(spent, "assemble", assemble, catalog, updated=updated)
    refs = _timed(spent, "  cross-references", cross_reference, catalog)
    _timed(spent, "  pages", pages.render_site, catalog, refs, updated=updated)
    _timed(spent, "  calendars", calendars.calendar_files, catalog, refs.index, updated=updated)
    _timed(spent, "  search index", searchindex.build, catalog)
    records = _timed(spent, "  downloads", downloads.export_records, catalog)
    _timed(spent, "  downloads", downloads.measures_csv, records)
    _timed(spent, "  downloads", downloads.measures_json, records)
    _timed(spent, "  nav", nav.site_nav, catalog, refs.index)
    with contextlib.redirect_stdout(io.StringIO()):
        if _timed(spent, "whole build", build_site, catalog_dir, site_dir) != 0:
            sys.exit("the build failed")
    spent["MkDocs"] = spent["whole build"] - spent["load"] - spent["assemble"]
    return dict(spent)


def _generator_build(catalog: Path, out: Path) -> float:
    start = time.perf_counter()
    command = [sys.executable, "-m", "generator", "--catalog", str(catalog), "build", "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"python -m generator build failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - start


def _site_figures(site: Path) -> list[tuple[str, str]]:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    largest = max(html, key=lambda p: p.stat().st_size)
    search = site / "search" / "search_index.json"
    kib = 1024
    rows = [
        ("HTML pages", f"{len(html)}"),
        ("all files", f"{len(files)}, {sum(p.stat().st_size for p in files) / kib:,.0f} KiB"),
        ("HTML total", f"{sum(p.stat().st_size for p in html) / kib:,.0f} KiB"),
        ("largest page", f"{largest.relative_to(site).as_posix()}, {largest.stat().st_size / kib:,.0f} KiB"),
    ]
    if search.exists():
        rows.append(("search index", f"{search.stat().st_size / kib:,.0f} KiB"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog")
    args = parser.parse_args()
    catalog = args.catalog.resolve()
    logging.getLogger("mkdocs").setLevel(logging.WARNING)  # no INFO lines between the figures

    runs: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for i in range(args.repeat):
            for phase, seconds in _stages(catalog, Path(tmp) / f"site-{i}").items():
                runs[phase].append(seconds)
        for _ in range(args.repeat):
            runs["python -m generator build"].append(_generator_build(catalog, Path(tmp) / "site"))
        figures = _site_figures(Path(tmp) / "site")

    measures = len(load_catalog(catalog).measures())
    print(f"site from {catalog.relative_to(ROOT) if catalog.is_relative_to(ROOT) else catalog}: "
          f"{measures} measures; {args.repeat} repeats")
    print(f"{'phase':28} {'median s':>9} {'min s':>8}")
    for phase in ("load", "assemble", *STEPS, "MkDocs", "whole build", "python -m generator build"):
        print(f"{phase:28} {statistics.median(runs[phase]):9.3f} {min(runs[phase]):8.3f}")
    for name, value in figures:
        print(f"{name:28} {value}")


if __name__ == "__main__":
    main()
