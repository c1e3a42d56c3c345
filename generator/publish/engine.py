"""Run MkDocs on the assembled site: build strictly into a staging folder and swap it in, or serve it.

The catalogue is loaded (and so validated) once, by the command, and handed
to the MkDocs hook through `Build.current()`, a global declared as one and
set only around a run (the mkdocs-gen-files pattern). A build writes into a
temporary folder next to the output; only when MkDocs finished without a
warning does that folder replace the output by renames, so a failed build
leaves the previous site exactly as it was and no reader sees half a site.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.catalog import load_catalog
from generator.model import Catalog
from generator.publish.pagecache import PageCache

ROOT = Path(__file__).resolve().parents[2]  # the repository: mkdocs.yml, catalog/, sources/
CONFIG = ROOT / "mkdocs.yml"


@dataclass(frozen=True)
class Build:
    """What one MkDocs run publishes: the catalogue folder and, when the command loaded it, the catalogue.

    `catalog` is None under `serve`, where the hook loads the catalogue afresh for every rebuild; `pages`
    is then the cache that lets MkDocs convert and theme again only the pages whose inputs changed."""

    catalog_dir: Path
    catalog: Catalog | None = None
    pages: PageCache | None = None
    _current: ClassVar[Build | None] = None

    @classmethod
    def current(cls) -> Build | None:
        """The run in progress, or None when MkDocs was started directly (`mkdocs build`)."""
        return cls._current

    @contextlib.contextmanager
    def active(self) -> Iterator[Build]:
        """Make this the current run for the duration of the block."""
        previous, Build._current = Build._current, self
        try:
            yield self
        finally:
            Build._current = previous


def last_updated(folder: Path) -> dt.date:
    """The date of the newest commit touching `folder`; without git history, its newest file's mtime."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", "."],
            cwd=folder, capture_output=True, text=True, timeout=30, check=False,
        )
        if done.returncode == 0 and done.stdout.strip():
            return dt.date.fromisoformat(done.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    mtimes = [p.stat().st_mtime for p in folder.rglob("*") if p.is_file()]
    return dt.date.fromtimestamp(max(mtimes)) if mtimes else dt.date.today()


def build_site(catalog_dir: Path, out_dir: Path, *, config_file: Path = CONFIG) -> int:
    """Validate `catalog_dir`, build the site strictly into `out_dir` and print a summary; 0 on success, 1 when
    MkDocs failed (out_dir is then unchanged). A bad catalogue raises CatalogError before anything is built."""
    started = time.monotonic()
    catalog = load_catalog(catalog_dir)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".building", dir=out_dir.parent))
    staging.chmod(0o755)
    try:
        with Build(catalog_dir.resolve(), catalog).active():
            built = run_mkdocs(config_file, staging)
        if not built:
            print(f"build failed: {out_dir} left unchanged", file=sys.stderr)
            return 1
        _replace(out_dir, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    pages = sum(name.endswith(".html") for _, _, names in os.walk(out_dir) for name in names)  # rglob: 4x the CPU
    print(f"built {out_dir}: {pages} HTML pages, {len(catalog.measures())} measures in {time.monotonic() - started:.1f} s")
    return 0


def run_mkdocs(config_file: Path, site_dir: Path, *, dirty: bool = False) -> bool:
    """`mkdocs build --strict --clean` in this process, into `site_dir`; True when it succeeded. MkDocs'
    warnings and errors are printed on stderr. `dirty` builds over what `site_dir` holds, as `serve` does
    (the hook then removes what the build did not make)."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logger.addHandler(handler)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        mkdocs_build(config, dirty=dirty)
        return True
    except MkDocsException as err:
        print(f"ERROR - {err}", file=sys.stderr)
        return False
    finally:
        logger.removeHandler(handler)


class _DirtyBuildsAreExact(logging.Filter):
    """MkDocs warns that a dirty build may leave the nav of unchanged pages stale: here no page is skipped
    (the page cache decides, publish.pagecache) and what the build did not make is removed, so the warning
    would only mislead (and fail a strict build)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


logging.getLogger("mkdocs.commands.build").addFilter(_DirtyBuildsAreExact())


def serve_site(catalog_dir: Path, *, config_file: Path = CONFIG, dev_addr: str = "127.0.0.1:8000") -> int:
    """Serve the site with live reload. Every rebuild loads and validates the catalogue afresh and assembles
    every page (the hook does); MkDocs then builds over the previous output ("dirty") and converts and
    themes again only the pages whose inputs changed (publish.pagecache)."""
    from mkdocs.commands.serve import serve as mkdocs_serve  # here: its web server and livereload cost a build 20 ms

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    cache = PageCache()
    try:
        with Build(catalog_dir.resolve(), pages=cache).active():
            mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")
    finally:
        cache.stop_watching()
    return 0


def _replace(out_dir: Path, new: Path) -> None:
    """Put `new` in the place of `out_dir` by renames, so no reader ever sees a half-written site."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.rename(out_dir, old)
    try:
        os.rename(new, out_dir)
    except OSError:
        if old is not None:
            os.rename(old, out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
