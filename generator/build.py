"""`python -m generator build`: check the catalogue, build the site strictly, then swap it in.

MkDocs builds into a temporary folder next to the output; only when the
build succeeds without a warning does that folder replace the output. A
failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.load import load_catalog

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"
CATALOG_ENV = "GENERATOR_CATALOG"  # tells generator/hooks.py which catalogue to publish


def run_build(catalog_dir: Path, out_dir: Path, *, config_file: Path = CONFIG) -> int:
    """Build the site from `catalog_dir` into `out_dir`. A bad catalogue raises CatalogError first."""
    started = time.monotonic()
    catalog = load_catalog(catalog_dir)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".building", dir=out_dir.parent))
    staging.chmod(0o755)
    try:
        if not _mkdocs_build(catalog_dir, staging, config_file):
            print(f"build failed: {out_dir} left unchanged", file=sys.stderr)
            return 1
        _replace(out_dir, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    pages = sum(1 for _ in out_dir.rglob("*.html"))
    print(
        f"built {out_dir}: {pages} HTML pages, {len(catalog.measures())} measures "
        f"in {time.monotonic() - started:.1f} s"
    )
    return 0


def _mkdocs_build(catalog_dir: Path, site_dir: Path, config_file: Path) -> bool:
    """Run `mkdocs build --strict` in a child process; True when it succeeded."""
    env = {**os.environ, CATALOG_ENV: str(catalog_dir.resolve()), "NO_MKDOCS_2_WARNING": "1"}
    command = [
        sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
        "--config-file", str(config_file), "--site-dir", str(site_dir),
    ]
    return subprocess.run(command, env=env, cwd=config_file.parent, check=False).returncode == 0


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
