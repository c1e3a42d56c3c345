"""What the measure pages (m/<id>/) add to a build, at 1x, 10x and 50x the catalogue.

    .venv/bin/python benchmarks/bench_measure_pages.py --factors 1,10,50 [--site DIR]

For each factor: the synthetic catalogue of benchmarks/synth_catalog.py (as bench_scale.py writes it, reused
under --work), loaded and cross-referenced (not counted: the rest of the build needs both anyway), then the
two steps the build runs for the measure pages after MkDocs: rendering every page (generator/site/
measurepages.py; timed alone first) and writing each into the frame as it is rendered, as the build does
(generator/publish/measurepages.py; "write" is that pass less the rendering). The frame is the
real one when --site names a built site (taken out of one of its measure pages), else a stand-in of the
same size. Prints CPU seconds, per-page milliseconds, bytes written and the process's peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import synth  # noqa: E402

from generator.catalog import load_catalog  # noqa: E402
from generator.crossref import cross_reference  # noqa: E402
from generator.publish.measurepages import frame, write_measure_pages  # noqa: E402
from generator.site.measurepages import SHELL_BODY, SHELL_HEAD, SHELL_TOPIC, MeasurePages  # noqa: E402

FRAME_BYTES = 11_500  # the frame of the real site (header, short nav, scripts) without a measure's own parts


def real_shell(site: Path) -> str:
    """The frame of a built site with its placeholders put back (taken out of one of its measure pages)."""
    text = next((site / "m").glob("*/index.html")).read_text(encoding="utf-8")
    text = re.sub(r"<title>.*?application/ld\+json\">.*?</script>", lambda _: SHELL_HEAD, text, count=1, flags=re.S)
    text = re.sub(r'(data-md-component="header-topic">\s*<span class="md-ellipsis">\s*)[^<]*?(\s*</span>)',
                  lambda m: m.group(1) + SHELL_TOPIC + m.group(2), text, count=1)
    return re.sub(r'<article class="measure-page".*?</article>\n?', lambda _: SHELL_BODY, text, count=1, flags=re.S)


def stand_in_shell() -> str:
    filler = "<div class=\"md-frame\">" + "x" * (FRAME_BYTES - 60) + "</div>\n"
    return f"<html><head>{SHELL_HEAD}</head><body><header>{SHELL_TOPIC}</header>{filler}{SHELL_BODY}</body></html>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", default="1,10,50")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-measure-pages")
    parser.add_argument("--site", type=Path, help="a site built from the real catalogue: use its frame")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print("| catalogue | measure pages | render s (cpu) | write s (cpu) | ms a page | MB written | peak MB |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for factor in (int(f) for f in args.factors.split(",")):
        catalog = load_catalog(synth(args.work, factor, args.seed))
        pages = MeasurePages(catalog, cross_reference(catalog), updated=dt.date(2024, 1, 2),
                             site_url="https://example.org/catalogue/")
        shell = real_shell(args.site) if args.site else stand_in_shell()
        frame(shell)  # fails early on a bad frame
        started = time.process_time()
        for _ in pages:  # rendering alone, each page dropped at once
            pass
        render = time.process_time() - started
        out = args.work / f"site-{factor}x"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        started = time.process_time()
        count = write_measure_pages(out, shell, pages)  # as the build does: render and write one page at a time
        write = time.process_time() - started - render
        written = sum(p.stat().st_size for p in (out / "m").rglob("index.html"))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {factor}x | {count} | {render:.1f} | {write:.1f} | {1000 * (render + write) / count:.2f} | "
              f"{written / 1e6:.0f} | {peak:.0f} |")
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
