"""How fast a shared measure link is readable on a mid-range phone: a measure page against the measure's place
in its plan (the link officials shared before measure pages), in headless Chromium.

    .venv/bin/python benchmarks/bench_measure_page.py [--site DIR] [--runs 3]

Builds the site (unless --site names a built one), serves it with gzip from 127.0.0.1, and opens each URL
in a fresh browser context (empty cache) with the phone of issue 13: 390×844, 4× CPU slowdown, 1.6 Mbps down,
750 kbps up, 150 ms round trip. Prints, per page, the median of the runs: first contentful paint, largest
contentful paint (the moment the measure's text is on screen: "readable"), DOMContentLoaded, load, and the
gzipped HTML size.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".txt", "/")
LCP_SCRIPT = """
window.__lcp = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
  .observe({type: "largest-contentful-paint", buffered: true});
"""


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped like a real host serves them (GitHub Pages does)."""

    def send_head(self):  # noqa: ANN201 - the stdlib's signature
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if not path.is_file() or not str(path).endswith(COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def measure(browser, url: str) -> dict[str, float]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.add_init_script(LCP_SCRIPT)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_timeout(1500)
    times = page.evaluate("""() => {
        const nav = performance.getEntriesByType("navigation")[0];
        const fcp = performance.getEntriesByName("first-contentful-paint")[0];
        return {fcp: fcp ? fcp.startTime : 0, lcp: window.__lcp, dcl: nav.domContentLoadedEventEnd,
                load: nav.loadEventEnd};
    }""")
    context.close()
    return {k: v / 1000 for k, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, "-m", "generator", "build", "--out", str(site)], cwd=ROOT, check=True)
        records = json.loads((site / "downloads" / "measures.json").read_text(encoding="utf-8"))["measures"]
        heaviest = max(records, key=lambda r: (site / r["url"] / "index.html").stat().st_size)
        deep = records[150] if len(records) > 150 else records[-1]  # well down a long plan
        pages = [
            ("measure page (heaviest)", heaviest["url"]),
            ("measure page", deep["url"]),
            ("its place in the plan (old link)", f"documents/{deep['document']}/#{deep['id']}"),
        ]
        base, server = serve(site)
        from playwright.sync_api import sync_playwright

        print(f"phone: {PHONE['width']}×{PHONE['height']}, CPU ×{CPU_SLOWDOWN}, 1.6 Mbps, 150 ms RTT, gzip; "
              f"median of {args.runs} cold loads")
        print("| page | HTML gz KB | FCP s | LCP (readable) s, median (best) | DOMContentLoaded s | load s |")
        print("|---|--:|--:|--:|--:|--:|")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for label, address in pages:
                runs = [measure(browser, base + address) for _ in range(args.runs)]
                median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                file = site / address.split("#")[0] / "index.html"
                size = len(gzip.compress(file.read_bytes(), compresslevel=6)) / 1024
                best = min(r["lcp"] for r in runs)
                print(f"| {label}: /{address} | {size:.1f} | {median['fcp']:.2f} | {median['lcp']:.2f} ({best:.2f}) | "
                      f"{median['dcl']:.2f} | {median['load']:.2f} |")
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
