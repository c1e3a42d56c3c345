"""Command line: `python -m generator {import,check,export,build}`.

Every command reports bad input as `path:line: message` lines on stderr and
exits non-zero; no traceback reaches the user for bad data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.errors import CatalogError

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog", help="catalogue folder")
    sub = parser.add_subparsers(dest="command", required=True)

    p_import = sub.add_parser("import", help="write catalog/documents/<slug>.yaml from source texts")
    p_import.add_argument("sources", nargs="+", type=Path)
    p_import.add_argument("--force", action="store_true", help="overwrite a YAML file a reviewer has changed")
    p_import.add_argument("--out", type=Path, help="folder to write to (default: <catalog>/documents)")
    p_import.add_argument("--simplified", action="store_true",
                          help="convert a source in traditional characters to simplified (OpenCC t2s) and record it")

    sub.add_parser("check", help="validate the whole catalogue; print path:line: message per problem")

    p_fid = sub.add_parser("fidelity", help="prove every character of each source is in the catalogue exactly once")
    p_fid.add_argument("sources", nargs="*", type=Path)

    p_export = sub.add_parser("export", help="write measures.json and measures.csv")
    p_export.add_argument("--out", type=Path, default=ROOT / "build" / "downloads")

    p_build = sub.add_parser("build", help="check the catalogue, build the site strictly, then replace the output folder")
    p_build.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")

    sub.add_parser("manifest", help="build the site and add its new public addresses to links/manifest.txt")

    args = parser.parse_args(argv)
    try:
        if args.command == "import":
            from generator.importer.command import run_import

            return run_import(args.sources, catalog_dir=args.catalog, out_dir=args.out, force=args.force,
                              simplified=args.simplified)
        if args.command == "fidelity":
            from generator.importer.command import run_fidelity

            return run_fidelity(args.sources, catalog_dir=args.catalog)
        if args.command == "check":
            from generator.load import run_check

            return run_check(args.catalog)
        if args.command == "export":
            from generator.export import run_export

            return run_export(args.catalog, args.out)
        if args.command == "manifest":
            from generator.links import run_manifest

            return run_manifest(args.catalog)
        if args.command == "build":
            from generator.build import run_build

            return run_build(args.catalog, args.out)
    except CatalogError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) found.", file=sys.stderr)
        return 1
    return 2
