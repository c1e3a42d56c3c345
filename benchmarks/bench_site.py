"""Benchmark: building the whole site, the generator and MkDocs separately.

    .venv/bin/python benchmarks/bench_site.py [--repeat 3]

Each repeat runs the real MkDocs build in this process (`mkdocs build --strict`
with the project's mkdocs.yml and hooks) into a temporary folder. The
generator's functions that the hooks call are wrapped with timers, so the
build splits exactly into:
- generator: load_catalog + pages.render_site + export (records, JSON, CSV),
  each also shown on its own line,
- git date: the hooks' `last_updated` (one `git log`),
- MkDocs: everything else (Markdown, theme templates, search index, copying).
Then it times the README's command, `python -m generator build`, end to end
(a check, MkDocs in a child process, the atomic swap). Prints the median and
min of each over the repeats, and the size of the built site. Machines here
are noisy: compare figures within one run, not across runs.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

import generator.load  # noqa: E402
import generator.pages  # noqa: E402
import generator.searchindex  # noqa: E402
from generator.build import CATALOG_ENV  # noqa: E402

# What the hooks call, by the name they call it under: {attribute of the hooks module: phase}.
# `pages.render_site` is looked up on the generator.pages module at call time.
TIMED = {
    "load_catalog": "  load_catalog",
    "export_records": "  export",
    "write_json": "  export",
    "write_csv": "  export",
    "last_updated": "git date",
}
GENERATOR_PHASES = ("  load_catalog", "  render_site", "  calendars", "  search index", "  export")


@contextlib.contextmanager
def _timed(hooks: ModuleType, spent: dict[str, float]) -> Iterator[None]:
    """Wrap what the hooks call so each call adds its wall time to spent[phase]."""
    targets = [(hooks, name, phase) for name, phase in TIMED.items()] + [
        (generator.pages, "render_site", "  render_site"),
        (generator.pages, "calendar_files", "  calendars"),
        (generator.searchindex, "build", "  search index"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in targets]

    def timer(fn: Callable[..., Any], phase: str) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[phase] += time.perf_counter() - start

        return run

    for (owner, name, phase), (_, _, fn) in zip(targets, originals, strict=True):
        setattr(owner, name, timer(fn, phase))
    try:
        yield
    finally:
        for owner, name, fn in originals:
            setattr(owner, name, fn)


def _build_in_process(catalog: Path, site_dir: Path) -> dict[str, float]:
    """One strict MkDocs build with the project's hooks; {phase: seconds}."""
    spent: dict[str, float] = defaultdict(float)
    os.environ[CATALOG_ENV] = str(catalog)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    start = time.perf_counter()
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    hooks = config.plugins["generator/hooks.py"]
    with _timed(hooks, spent):
        mkdocs_build(config)
    total = time.perf_counter() - start
    spent["generator"] = sum(spent[phase] for phase in GENERATOR_PHASES)
    spent["MkDocs"] = total - spent["generator"] - spent["git date"]
    spent["whole build (in process)"] = total
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
            for phase, seconds in _build_in_process(catalog, Path(tmp) / f"site-{i}").items():
                runs[phase].append(seconds)
        for _ in range(args.repeat):
            runs["python -m generator build"].append(_generator_build(catalog, Path(tmp) / "site"))
        figures = _site_figures(Path(tmp) / "site")

    measures = len(generator.load.load_catalog(catalog).measures())
    print(f"site from {catalog.relative_to(ROOT) if catalog.is_relative_to(ROOT) else catalog}: "
          f"{measures} measures; {args.repeat} repeats")
    print(f"{'phase':28} {'median s':>9} {'min s':>8}")
    for phase in ("generator", *GENERATOR_PHASES, "git date", "MkDocs", "whole build (in process)", "python -m generator build"):
        print(f"{phase:28} {statistics.median(runs[phase]):9.3f} {min(runs[phase]):8.3f}")
    for name, value in figures:
        print(f"{name:28} {value}")


if __name__ == "__main__":
    main()
