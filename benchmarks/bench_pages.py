"""How fast every kind of page is readable on a mid-range phone, in headless Chromium (issue 15).

    .venv/bin/python benchmarks/bench_pages.py [--site DIR [--site OTHER]] [--runs 3] [--only document,home]

Builds the site (unless --site names a built one), serves it with gzip from 127.0.0.1 (bench_measure_page's
server), and opens one page of every kind, the largest of its kind in the built site (by raw HTML bytes),
`--runs` times, each in a fresh browser context (empty cache), on the phone of issue 15: 390×844, 4× CPU
slowdown, 1.6 Mbps down, 750 kbps up, 150 ms round trip. Prints a Markdown table, one row per page, medians
of the runs:

- FCP, LCP ("readable": the largest text block is painted), DOMContentLoaded and load, in seconds after the
  navigation started;
- HTML gz KB (the page's HTML gzipped at level 6, as served) and transferred KB (every response of the load,
  compressed bytes on the wire, from the Network domain);
- DOM elements (document.getElementsByTagName("*") after load);
- main-thread style, layout and script time in seconds up to load + 1.5 s (CDP Performance.getMetrics:
  RecalcStyleDuration, LayoutDuration, ScriptDuration; measured under the 4× slowdown).

`--only` keeps the kinds whose label starts with one of the given words (e.g. `--only document,measure`).
With two or more `--site`s (e.g. a build before and after a change) the same addresses (the first site's
largest pages) are measured in every site, runs interleaved, so that a busy machine slows all alike; a
row per page and site. Wall-clock times on a shared machine vary: compare sites within one run.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_measure_page import CHROMIUM, CPU_SLOWDOWN, LCP_SCRIPT, NETWORK, PHONE, ROOT, serve

# Each kind of page: its label and the pattern of its path in the built site (relative, "/" for folders,
# without index.html). The first matching kind wins; the largest page of each kind is measured.
KINDS: list[tuple[str, str]] = [
    ("home", r""),
    ("404", r"404\.html"),
    ("document (plan)", r"documents/[^/]+/"),
    ("document list", r"documents/"),
    ("measure page", r"m/[^/]+/"),
    ("domain", r"domains/[^/]+/(?:[^/]+/)?"),
    ("domain list", r"domains/"),
    ("jurisdiction (place)", r"jurisdictions/[^/]+/"),
    ("jurisdiction list", r"jurisdictions/"),
    ("unit page", r"tables/units/[^/]+/[^/]+/"),
    ("units table (place)", r"tables/units/[^/]+/"),
    ("units table", r"tables/units/"),
    ("matrix table", r"tables/matrix/"),
    ("alignment table", r"tables/alignment/(?:[^/]+/)?"),
    ("calendar", r"tables/calendar/(?:[^/]+/)?"),
    ("reform", r"tables/reforms/[^/]+/"),
    ("reform list", r"tables/reforms/"),
    ("source text", r"sources/[^/]+/"),
    ("downloads", r"downloads/"),
    ("changes", r"downloads/changes/"),
    ("explore", r"explore/"),
    ("about", r"about/"),
]

METRICS_SCRIPT = """() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    return {fcp: fcp ? fcp.startTime / 1000 : 0, lcp: window.__lcp / 1000, dcl: nav.domContentLoadedEventEnd / 1000,
            load: nav.loadEventEnd / 1000, nodes: document.getElementsByTagName("*").length};
}"""


def pages_of_each_kind(site: Path) -> list[tuple[str, str]]:
    """(label, address relative to the site root) of the largest page of each kind in `site`, in KINDS order;
    kinds the site has no page of are left out. Addresses end in "/" or ".html"."""
    largest: dict[str, tuple[int, str]] = {}
    for file in site.rglob("*.html"):
        relative = file.relative_to(site).as_posix()
        address = relative.removesuffix("index.html")
        if relative != "404.html" and not relative.endswith("index.html"):
            continue
        if "<meta http-equiv=\"refresh\"" in file.read_text(encoding="utf-8")[:2000]:
            continue  # an old address's redirect
        for label, pattern in KINDS:
            if re.fullmatch(pattern, address):
                size = file.stat().st_size
                if size > largest.get(label, (-1, ""))[0]:
                    largest[label] = (size, address)
                break
    return [(label, largest[label][1]) for label, _ in KINDS if label in largest]


def measure(browser, url: str) -> dict[str, float]:
    """One cold load of `url` on the emulated phone: the figures of the module docstring (seconds, KB, count)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.add_init_script(LCP_SCRIPT)
    cdp = context.new_cdp_session(page)
    received: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda event: received.__setitem__(event["requestId"], event["encodedDataLength"]))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_timeout(1500)
    figures = page.evaluate(METRICS_SCRIPT)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    figures.update(style=metrics.get("RecalcStyleDuration", 0), layout=metrics.get("LayoutDuration", 0),
                   script=metrics.get("ScriptDuration", 0), kb=sum(received.values()) / 1024)
    context.close()
    return figures


def _measure_again_on_timeout(browser, url: str) -> dict[str, float]:
    """`measure`, tried once more when the page did not load within its timeout (a busy machine)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return measure(browser, url)
    except PlaywrightTimeout:
        print(f"(timed out once: {url}; measured again)", file=sys.stderr)
        return measure(browser, url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, action="append",
                        help="a built site (default: build one into a temporary folder); repeat to compare")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated starts of kind labels to measure")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sites = args.site
        if not sites:
            sites = [Path(tmp) / "site"]
            subprocess.run([sys.executable, "-m", "generator", "build", "--out", str(sites[0])], cwd=ROOT, check=True)
        pages = pages_of_each_kind(sites[0])
        if args.only:
            pages = [(label, a) for label, a in pages if label.startswith(tuple(args.only.split(",")))]
        servers = [serve(site) for site in sites]
        from playwright.sync_api import sync_playwright

        print(f"phone: {PHONE['width']}×{PHONE['height']}, CPU ×{CPU_SLOWDOWN}, 1.6 Mbps, 150 ms RTT, gzip; "
              f"median of {args.runs} cold loads; style/layout/script: main-thread seconds up to load + 1.5 s")
        print("| page | FCP s | LCP (readable) s | DCL s | load s | HTML gz KB | transferred KB | DOM elements "
              "| style s | layout s | script s |")
        print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for label, address in pages:
                runs: list[list[dict[str, float]]] = [[] for _ in sites]
                for _ in range(args.runs):
                    for k, (base, _server) in enumerate(servers):
                        runs[k].append(_measure_again_on_timeout(browser, base + address))
                for site, site_runs in zip(sites, runs, strict=True):
                    name = f" ({site})" if len(sites) > 1 else ""
                    print(_row(f"{label}: /{address}{name}", site, address, site_runs), flush=True)
            browser.close()
        for _, server in servers:
            server.shutdown()
    return 0


def _row(label: str, site: Path, address: str, runs: list[dict[str, float]]) -> str:
    m = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    file = site / (address if address.endswith(".html") else address + "index.html")
    html_kb = len(gzip.compress(file.read_bytes(), compresslevel=6)) / 1024
    return (f"| {label} | {m['fcp']:.2f} | {m['lcp']:.2f} | {m['dcl']:.2f} | {m['load']:.2f} | {html_kb:.1f} "
            f"| {m['kb']:.0f} | {m['nodes']:.0f} | {m['style']:.2f} | {m['layout']:.2f} | {m['script']:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
