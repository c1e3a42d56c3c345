"""Command line: `python -m generator COMMAND` (or the installed `catalogue COMMAND`).

Every command is in COMMANDS below, with its help text and its function. Every
command reports bad input as `path:line: message` lines on stderr and exits
non-zero; no traceback reaches the user for bad data. Each validates the
catalogue once. This is the only module that reads argv.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.catalog import load_catalog
from generator.crossref.alignment import align
from generator.errors import CatalogError
from generator.publish import manifest
from generator.publish.engine import ROOT, build_site, serve_site
from generator.publish.files import write_atomically
from generator.site import downloads

DOWNLOADS = "downloads/"  # the site folder of the downloads; `export --out` stands for it


def check(args: argparse.Namespace) -> int:
    """Validate every catalogue file once; print a one-line summary, or let CatalogError name every problem."""
    catalog = load_catalog(args.catalog)
    print(
        f"catalog OK: {len(catalog.documents)} documents, {len(catalog.measures())} measures, "
        f"{len(catalog.domains)} domains, {len(catalog.jurisdictions)} jurisdictions"
    )
    return 0


def export(args: argparse.Namespace) -> int:
    """Validate the catalogue, then write every data download the site publishes into args.out, each atomically:
    measures, plans, places and the alignment as JSON and CSV, and each plan's measures CSV (measures/<plan>.csv),
    the same bytes the site build writes (downloads.download_files). The change log (changes.json) needs the
    release's git history and is written by `build` only."""
    catalog = load_catalog(args.catalog)
    files = downloads.download_files(catalog, align(catalog), generated_from=args.catalog.resolve().name)
    for path, content in files.items():
        write_atomically(args.out / path.removeprefix(DOWNLOADS), content)
    print(f"wrote {len(catalog.measures())} measures, {len(catalog.documents)} plans and "
          f"{len(catalog.jurisdictions)} places: {len(files)} files in {args.out}")
    return 0


def build(args: argparse.Namespace) -> int:
    return build_site(args.catalog, args.out)


def serve(args: argparse.Namespace) -> int:
    return serve_site(args.catalog, dev_addr=args.dev_addr)


def update_manifest(args: argparse.Namespace) -> int:
    """Build the site into a temporary folder and add its new public addresses to links/manifest.txt;
    refuse (exit 1) when a listed address is gone without a redirect."""
    catalog = load_catalog(args.catalog)
    with tempfile.TemporaryDirectory() as tmp:
        if build_site(args.catalog, Path(tmp) / "site") != 0:
            return 1
        links = manifest.site_links(Path(tmp) / "site", catalog.redirects)
    old = set(manifest.read_manifest()) if manifest.MANIFEST.exists() else set()
    gone = manifest.missing(sorted(old), links, catalog.redirects)
    if gone:
        print("\n".join(gone), file=sys.stderr)
        print("links/manifest.txt NOT written: add the redirects first (a published address must keep working).",
              file=sys.stderr)
        return 1
    manifest.write_manifest(links | old)
    print(f"wrote links/manifest.txt: {len(links | old)} addresses ({len(links - old)} new)")
    return 0


# The importer's commands import it when they run: `build` never needs it, and its modules (regular expressions
# compiled at import, jieba) cost every other command 0.1 s of CPU (tests/test_architecture.py allows these two
# imports inside a function, and only these).


def import_sources(args: argparse.Namespace) -> int:
    from generator.importer.command import run_import

    return run_import(args.sources, catalog_dir=args.catalog, out_dir=args.out, force=args.force,
                      simplified=args.simplified)


def fidelity(args: argparse.Namespace) -> int:
    from generator.importer.command import run_fidelity

    return run_fidelity(args.sources, catalog_dir=args.catalog)


Arguments = Callable[[argparse.ArgumentParser], None]
COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int], Arguments]] = {
    "import": ("write catalog/documents/<slug>.yaml from source texts", import_sources, lambda p: (
        p.add_argument("sources", nargs="+", type=Path),
        p.add_argument("--force", action="store_true", help="overwrite a YAML file a reviewer has changed"),
        p.add_argument("--out", type=Path, help="folder to write to (default: <catalog>/documents)"),
        p.add_argument("--simplified", action="store_true",
                       help="convert a source in traditional characters to simplified (OpenCC t2s) and record it"),
    )),
    "fidelity": ("prove every character of each source is in the catalogue exactly once", fidelity,
                 lambda p: p.add_argument("sources", nargs="*", type=Path)),
    "check": ("validate the whole catalogue; print path:line: message per problem", check, lambda p: None),
    "export": ("write every data download the site publishes (measures, plans, places, alignment; JSON and CSV)",
               export,
               lambda p: p.add_argument("--out", type=Path, default=ROOT / "build" / "downloads")),
    "build": ("check the catalogue, build the site strictly, then replace the output folder", build,
              lambda p: p.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")),
    "serve": ("serve the site with live reload; rebuilds when the catalogue, a source or a template changes", serve,
              lambda p: p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")),
    "manifest": ("build the site and add its new public addresses to links/manifest.txt", update_manifest,
                 lambda p: None),
}


def parser() -> argparse.ArgumentParser:
    """The argument parser: --catalog, then one of COMMANDS with its own arguments."""
    top = argparse.ArgumentParser(prog="python -m generator", description=__doc__.split("\n\n")[0])
    top.add_argument("--catalog", type=Path, default=ROOT / "catalog", help="catalogue folder")
    sub = top.add_subparsers(dest="command", required=True)
    for name, (help_text, _, arguments) in COMMANDS.items():
        arguments(sub.add_parser(name, help=help_text))
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit status: 0 done, 1 problems found (listed on stderr)."""
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command][1](args)
    except CatalogError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) found.", file=sys.stderr)
        return 1
