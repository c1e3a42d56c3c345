"""Benchmark: importing the five sources and checking the catalogue.

    .venv/bin/python benchmarks/bench_catalog.py [--repeat 5]

Prints the median and min wall time of each stage over the repeats, and the
share of the import spent in its fidelity check. Machines here are noisy:
compare figures within one run, not across runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.catalog import load_catalog  # noqa: E402
from generator.importer import fidelity  # noqa: E402
from generator.importer.build import build_document  # noqa: E402
from generator.importer.command import _catalog_data  # noqa: E402


def _import_all(data: dict, sources: list[Path], check_fidelity: bool) -> int:
    measures = 0
    for path in sources:
        slug = path.stem
        jurisdiction, year = slug.rsplit("-", 1)
        text = path.read_text(encoding="utf-8")
        doc, _ = build_document(slug, text, jurisdiction=jurisdiction, year=int(year), source_path=f"sources/{path.name}",
                                classifier=data["classifier"], reforms=data["reforms"])
        if check_fidelity:
            assert not fidelity.check_document(text, slug, doc, slug)
        measures += len(doc["measures"])
    return measures


def _time(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = _catalog_data(ROOT / "catalog")
    sources = sorted((ROOT / "sources").glob("*.txt"))
    chars = sum(len(p.read_text(encoding="utf-8")) for p in sources)
    measures = _import_all(data, sources, True)
    rows = [
        ("import 5 sources (parse only)", _time(lambda: _import_all(data, sources, False), args.repeat)),
        ("import 5 sources + fidelity check", _time(lambda: _import_all(data, sources, True), args.repeat)),
        ("check: load + validate catalogue", _time(lambda: load_catalog(ROOT / "catalog"), args.repeat)),
    ]
    print(f"{len(sources)} sources, {chars} characters, {measures} measures; {args.repeat} repeats")
    print(f"{'stage':38} {'median s':>9} {'min s':>8}")
    for name, times in rows:
        print(f"{name:38} {statistics.median(times):9.3f} {min(times):8.3f}")
    parse, full = statistics.median(rows[0][1]), statistics.median(rows[1][1])
    print(f"fidelity check share of the import: {(full - parse) / full:.0%}")


if __name__ == "__main__":
    main()
