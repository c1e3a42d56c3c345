"""Benchmark the catalogue's search against MkDocs Material's stock search, on the same site and queries.

    .venv/bin/python benchmarks/bench_search.py                       # real catalogue, ours and stock
    .venv/bin/python benchmarks/synth_catalog.py --factor 50 --seed 1 --out /tmp/synth50
    .venv/bin/python benchmarks/bench_search.py --catalog /tmp/synth50/catalog --no-stock

Query set: tests/support/search_cases.py, the same queries the browser tests type, one category per
row of issue 12's table (exact fragments, pinyin of random title words in every form, initials,
tones, traditional characters, punctuation, mixed tokens, places run into terms, unit
abbreviations, months, ids, plans, one character, many terms, nothing), each with the measures it
must find, computed from the catalogue by a plain scan.

Reported, per engine and category: recall (share of the relevant measures found, mean over queries)
and precision of the first ten results (for "nothing": the share of queries answered with nothing).
Then per-keystroke latency in headless Chromium (each prefix of a sample of queries set into the
box, index already loaded), cold first-result time (fresh browser context, query typed right after
the page's load event), and index bytes a query downloads (fresh context; raw, and gzip -6 of the
same files). Our box is timed by its own marks: to its first result on screen (`p50`, `p95`) and to
the whole first page of results (`page_*`); the stock search, until its result list stops changing
for 250 ms (both figures are that).

Stock search is Material's `search` plugin on a variant build (temporary config: plugins [search],
the theme's own header, no catalogue search files). Its results are page sections; a section is
credited with every relevant measure in it (generous to it). jieba is installed (the catalogue's
search needs it), so Material's plugin segments Chinese with it, as a Chinese Material site would.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.catalog import load_catalog  # noqa: E402
from generator.model import Catalog  # noqa: E402
from generator.publish.engine import build_site  # noqa: E402
from tests.support import search_cases  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


# --- queries ----------------------------------------------------------------------------


def query_set(catalog: Catalog, words: int, seed: int) -> list[dict]:
    numbers = {m.id: i for i, m in enumerate(catalog.measures())}
    return [{"kind": c.category, "query": c.query, "target": c.target, "relevant": {numbers[i] for i in c.relevant}}
            for c in search_cases.all_cases(catalog, seed=seed, words=words)]


# --- sites ------------------------------------------------------------------------------


def build_ours(catalog_dir: Path, out: Path) -> Path:
    command = [sys.executable, "-m", "generator", "--catalog", str(catalog_dir), "build", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return out


def build_stock(catalog_dir: Path, out: Path, work: Path) -> Path:
    """The same site with Material's stock search: plugins [search], the theme's header, no search-*.js."""
    import yaml

    class Loader(yaml.SafeLoader):
        """mkdocs.yml's `!ENV [NAME, default]`: the stock variant takes the default."""

    Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - SafeLoader subclass
    overrides = work / "overrides"
    overrides.mkdir()
    shutil.copy(ROOT / "overrides" / "main.html", overrides / "main.html")
    config["theme"]["custom_dir"] = str(overrides)
    config["docs_dir"] = str(work / "docs")
    shutil.copytree(ROOT / "docs", work / "docs")
    ours = [j for j in config["extra_javascript"] if j.startswith("assets/search") or j == "assets/explore.js"]
    config["extra_javascript"] = [j for j in config["extra_javascript"] if j not in ours]
    config["hooks"] = [str(ROOT / "generator" / "hooks.py")]
    config["plugins"] = ["search"]
    path = work / "mkdocs-stock.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    if build_site(catalog_dir, out, config_file=path) != 0:
        raise SystemExit("the stock-search variant did not build")
    for stale in (out / "search").glob("*"):  # our index files come from the shared hook: not part of stock
        if stale.is_dir():
            shutil.rmtree(stale)
    (out / "search" / "meta.json").unlink(missing_ok=True)
    return out


def serve(folder: Path) -> tuple[str, object]:
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def file_sizes(site: Path, base: str, urls: set[str]) -> tuple[int, int]:
    raw = packed = 0
    for url in urls:
        path = site / url[len(base):].split("?")[0].split("#")[0]
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data, 6))
    return raw, packed


# --- stock results -> measures --------------------------------------------------------------


class SectionMap:
    """Which measures each page section of the built site shows (articles, or links to permalinks)."""

    HEADING = re.compile(r'<h[1-6][^>]*\sid="([^"]+)"')
    MEASURE = re.compile(r'<article class="measure" id="([^"]+)"|href="[^"]*#([a-z0-9-]+)"')

    def __init__(self, site: Path, ids: set[str]) -> None:
        self.site, self.ids, self.pages = site, ids, {}

    def measures(self, page: str, anchor: str) -> set[str]:
        if page not in self.pages:
            path = self.site / page / "index.html" if not page.endswith(".html") else self.site / page
            html = path.read_text(encoding="utf-8") if path.is_file() else ""
            html = html.split('<article class="md-content__inner', 1)[-1].split("</article>\n  </div>", 1)[0]
            parts = self.HEADING.split(html)
            sections = {"": self._found(parts[0])}
            for k in range(1, len(parts), 2):
                sections[parts[k]] = self._found(parts[k + 1])
            self.pages[page] = sections
        sections = self.pages[page]
        return sections.get(anchor, set()) if anchor else set().union(*sections.values())

    def _found(self, html: str) -> set[str]:
        return {a or b for a, b in self.MEASURE.findall(html)} & self.ids


# --- browser --------------------------------------------------------------------------------

SETTLE = """([selector, value, keyup]) => new Promise(resolve => {
  const box = document.querySelector(selector);
  const target = document.querySelector(%s);
  let last = null;
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(target, {childList: true, subtree: true, characterData: true, attributes: true});
  const start = performance.now();
  box.value = value;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  if (keyup) box.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'a'}));
  const check = () => {
    const now = performance.now();
    if ((last !== null && now - last > 250) || now - start > 5000) {
      observer.disconnect();
      resolve(last === null ? null : last - start);
    } else setTimeout(check, 20);
  };
  setTimeout(check, 20);
})"""


# Ours: the box says when it shows a query's first result (data-shown, search-box.js `shown`) and when it is
# done with it (data-state, data-query: all of the first page shown, or no result); the times are from setting
# the value to those. (Waiting for the result list to be quiet for 250 ms, as for the stock search, stopped at
# the box's own "busy" mark whenever the results took longer than that, and read about 10 ms.)
DONE = """([selector, value]) => new Promise(resolve => {
  const input = document.querySelector(selector);
  const box = document.getElementById('catalog-search-results');
  const start = performance.now();
  let first = null;
  input.value = value;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  const check = () => {
    const now = performance.now();
    if (first === null && box.dataset.shown === value) first = now - start;
    const over = box.dataset.query === value && box.dataset.state && box.dataset.state !== 'busy';
    if (over) resolve([first === null ? now - start : first, now - start]);
    else if (now - start > 10000) resolve(null);
    else setTimeout(check, 1);
  };
  check();
})"""


class Engine:
    def __init__(self, name: str, site: Path, url: str, box: str, results: str, keyup: bool) -> None:
        self.name, self.site, self.url, self.box, self.results, self.keyup = name, site, url, box, results, keyup

    def open(self, page) -> None:
        page.goto(self.url, wait_until="load")
        page.click(self.box) if page.is_visible(self.box) else page.focus(self.box)

    def settle(self, page, value: str) -> tuple[float, float] | None:
        """Milliseconds from setting `value` into the box to (the first result shown, the whole first page of
        results shown); None when nothing changed. The stock search draws its list at once: both are that."""
        if self.name == "ours":
            return page.evaluate(DONE, [self.box, value])
        ms = page.evaluate(SETTLE % json.dumps(self.results), [self.box, value, self.keyup])
        return None if ms is None else (ms, ms)


def our_results(page, query: str) -> list[int]:
    return page.evaluate("q => window.CatalogSearch.search(q).then(r => r.results.map(x => x.number))", query)


def stock_results(page, engine: Engine, query: str, sections: SectionMap, numbers: dict[str, int],
                  want: set[int]) -> list[set[int]]:
    """Each stock result (in order) as the set of relevant measure numbers it shows."""
    engine.settle(page, query)
    page.evaluate("""() => { const s = document.querySelector('.md-search__scrollwrap');
        for (let i = 0; i < 50; i++) { s.scrollTop = s.scrollHeight; s.dispatchEvent(new Event('scroll')); } }""")
    page.wait_for_timeout(200)
    hrefs = page.eval_on_selector_all(".md-search-result__list a.md-search-result__link", "as => as.map(a => a.href)")
    out = []
    for href in hrefs:
        path, _, anchor = href[len(engine.url):].partition("#")
        found = {numbers[i] for i in sections.measures(path.rstrip("/"), anchor) if i in numbers}
        out.append(found & want)
    return out


def run(args: argparse.Namespace) -> dict:
    from playwright.sync_api import sync_playwright

    catalog = load_catalog(args.catalog)
    measures = catalog.measures()
    numbers = {m.id: i for i, m in enumerate(measures)}
    queries = query_set(catalog, args.words, args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    report: dict = {"measures": len(measures), "queries": len(queries), "engines": {}}
    try:
        started = time.monotonic()
        ours = args.site or build_ours(args.catalog, work / "ours")
        report["build_ours_s"] = round(time.monotonic() - started, 1) if not args.site else None
        sites = [("ours", ours)]
        if not args.no_stock:
            started = time.monotonic()
            sites.append(("stock", args.stock_site or build_stock(args.catalog, work / "stock", work)))
            report["build_stock_s"] = round(time.monotonic() - started, 1) if not args.stock_site else None
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for name, site in sites:
                url, server = serve(site)
                if name == "ours":
                    engine = Engine(name, site, url, "#catalog-search-input", "#catalog-search-results", False)
                else:
                    engine = Engine(name, site, url, "input.md-search__input", ".md-search-result", True)
                report["engines"][name] = measure(browser, engine, queries, numbers, args)
                server.shutdown()
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def measure(browser, engine: Engine, queries: list[dict], numbers, args) -> dict:
    sections = SectionMap(engine.site, set(numbers)) if engine.name == "stock" else None
    context = browser.new_context()
    page = context.new_page()
    engine.open(page)
    engine.settle(page, queries[0]["query"])  # load the index once: keystrokes are timed warm
    recall: dict[str, list[float]] = {}
    precision: dict[str, list[float]] = {}
    keystrokes: list[tuple[float, float]] = []
    for q in queries:
        want = q["relevant"]
        if engine.name == "ours":
            got = our_results(page, q["query"])
            found = set(got) & want
            top = [1.0 if n in want else 0.0 for n in got[:10]]
            empty = not got
        else:
            shown = stock_results(page, engine, q["query"], sections, numbers, want)
            found = set().union(*shown) if shown else set()
            top = [1.0 if s else 0.0 for s in shown[:10]]
            empty = not shown
        if want:
            recall.setdefault(q["kind"], []).append(len(found) / len(want))
            precision.setdefault(q["kind"], []).append(sum(top) / len(top) if top else 0.0)
        else:  # the right answer is nothing
            precision.setdefault(q["kind"], []).append(1.0 if empty else 0.0)
    for q in queries[:: max(1, len(queries) // args.typed)]:
        chars = list(q["query"])
        for k in range(1, len(chars) + 1):
            ms = engine.settle(page, "".join(chars[:k]))
            if ms is not None:
                keystrokes.append(ms)
        engine.settle(page, "")
    context.close()

    downloads, colds = [], []
    for q in queries[:: max(1, len(queries) // args.cold)]:
        context = browser.new_context()
        page = context.new_page()
        urls: set[str] = set()
        page.on("response", lambda r, urls=urls: urls.add(r.url) if "/search" in r.url or "/lunr/" in r.url else None)
        page.goto(engine.url, wait_until="load")
        loaded = time.perf_counter()
        ms = engine.settle(page, q["query"])
        waited = (time.perf_counter() - loaded) * 1000
        colds.append((waited, waited) if ms is None else ms)
        downloads.append(file_sizes(engine.site, engine.url, urls))
        context.close()

    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(p * len(values)))], 1) if values else float("nan")

    return {
        "recall": {k: round(statistics.mean(v), 4) for k, v in recall.items()},
        "precision@10": {k: round(statistics.mean(v), 4) for k, v in precision.items()},
        # first: the first result on screen (what a reader sees change); page: all of the first page of results
        "keystroke_ms": {"n": len(keystrokes), "p50": pct([k[0] for k in keystrokes], 0.5),
                         "p95": pct([k[0] for k in keystrokes], 0.95), "page_p95": pct([k[1] for k in keystrokes], 0.95)},
        "cold_first_results_ms": {"n": len(colds), "p50": pct([c[0] for c in colds], 0.5),
                                  "p95": pct([c[0] for c in colds], 0.95), "max": pct([c[0] for c in colds], 1.0),
                                  "page_p50": pct([c[1] for c in colds], 0.5), "page_p95": pct([c[1] for c in colds], 0.95)},
        "bytes_per_query": {
            "raw_p50": int(statistics.median(d[0] for d in downloads)), "raw_max": max(d[0] for d in downloads),
            "gzip_p50": int(statistics.median(d[1] for d in downloads)), "gzip_max": max(d[1] for d in downloads),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog")
    parser.add_argument("--site", type=Path, help="a site already built from --catalog (skips our build)")
    parser.add_argument("--stock-site", type=Path, help="a stock-search variant already built (skips its build)")
    parser.add_argument("--no-stock", action="store_true", help="measure only our search")
    parser.add_argument("--words", type=int, default=40, help="random title words the query set is built from")
    parser.add_argument("--typed", type=int, default=25, help="queries typed keystroke by keystroke")
    parser.add_argument("--cold", type=int, default=15, help="queries run on a cold page for bytes and first results")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()
    report = run(args)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
