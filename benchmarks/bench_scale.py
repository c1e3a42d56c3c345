"""Benchmark: the build at 1x, 10x and 50x the real catalogue (issue 5).

    .venv/bin/python benchmarks/bench_scale.py                       # factors 1,10,50
    .venv/bin/python benchmarks/bench_scale.py --factors 1,10 --reference --serve
    .venv/bin/python benchmarks/bench_scale.py --factors 50 --profile   # cProfile of the MkDocs stage

For each factor it writes a synthetic catalogue (benchmarks/synth_catalog.py,
reused when the same factor and seed are already there) under --work, then
runs each stage in its own child process and reads that child's peak memory: the larger of os.wait4's
(the maximum resident set of any one of the child and everything it ran) and the summed proportional set
size of the child's processes, sampled every 0.1 s (the full build runs the search index in a second
process beside the pages):

  check     python -m generator --catalog C check
  generate  what the hook computes, in one process: load_catalog and generator.site.assemble (pages,
            calendars, downloads, search index, nav, redirects)
  mkdocs    python -m generator --catalog C build: the full build (load once, MkDocs strict with the
            hook handing over what assemble returned, the atomic swap), with no lookups kept (site.lookups:
            the search's cuts and readings and the alignment's scores of a catalogue built for the first time)

"full" is the mkdocs stage: the README's build. The generator package is compiled to bytecode first, as the
Makefile does before every task and pip does for the reference's packages. Then it measures the built site:
HTML pages, the largest one, the total size, and the search index (every file under the site's search/ folder,
raw and gzip -6).

--reference also builds the site a user would otherwise make from the 1x
plans (issue 15's reference): plain MkDocs Material, theme language zh,
the stock search plugin, one page per plan with one heading per measure
(`plain_pages`); the ratio of our full build to it is printed, then measured again --ratio-runs times with
the two builds alternating (the median is the figure to quote; CPU and wall: our build as a maintainer
rebuilds, reading the lookups the builds before kept), and once with empty caches (a first build on a machine).
--serve [EDITS] measures rebuilds while `mkdocs serve` runs: one document file is changed EDITS times (5) in a
row, and for each the time from the change to "Documentation built" (the site shows it; median and max), the
rebuild alone (from "Building documentation...": the watcher looks every 0.1 s and MkDocs waits 0.1 s more,
which the first figure includes), and, when the server rebuilds once more for the search index, the time to the
end of that rebuild. --serve-edit says what changes: the plan's title (default), or its first measure's text
(which the alignment of every measure depends on: the slowest kind of edit). Machines here are shared and
noisy: compare figures within one run. System CPU is mostly the file system's (the site is about 3,000 files
and folders, deleted and made anew by every build): on a disk where that is slow it varies from build to build
(ext4 without a journal scans past every inode deleted in the last minutes for each one it makes); the user CPU
figures leave it out, and --work on a tmpfs (/dev/shm) leaves the disk out of every figure.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator.model import Catalog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}


@dataclass
class Stage:
    seconds: float  # wall
    peak_mb: float
    cpu: float = 0.0  # user + system seconds of the child and its children: steadier than wall on a shared machine
    user: float = 0.0  # of which user: the system part is mostly the file system's (creating and deleting files)


@dataclass
class Row:
    label: str
    measures: int = 0
    documents: int = 0
    stages: dict[str, Stage] = field(default_factory=dict)
    site: dict = field(default_factory=dict)
    serve: list[Edit] = field(default_factory=list)  # one document changed under `mkdocs serve`, several times


def run(command: list[str], *, env: dict | None = None, cwd: Path = ROOT, quiet: bool = True) -> Stage:
    """Run `command` as a child; its wall time and peak RSS (MB), raising if it fails."""
    started = time.monotonic()
    out = subprocess.DEVNULL if quiet else None
    proc = subprocess.Popen(command, env=env or ENV, cwd=cwd, stdout=out, stderr=subprocess.PIPE)
    stderr_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read()))
    reader.start()
    tree_peak = [0]  # the most memory the child's processes held together (KiB of PSS), sampled
    sampler = threading.Thread(target=_sample_tree, args=(proc.pid, tree_peak), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    reader.join()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        sys.stderr.write(b"".join(stderr_chunks).decode("utf-8", "replace")[-4000:])
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(command)}")
    # ru_maxrss is in KiB on Linux; wait4 reports the maximum over the child and the children it waited for, one
    # process at a time; the build's search index runs in a second process beside it (publish.background), so
    # the peak is the larger of that and the summed PSS of the process tree (shared pages counted once).
    return Stage(seconds=seconds, peak_mb=max(usage.ru_maxrss, tree_peak[0]) / 1024,
                 cpu=usage.ru_utime + usage.ru_stime, user=usage.ru_utime)


def _sample_tree(root: int, peak: list[int], every: float = 0.1) -> None:
    """Until `root` exits: every `every` s, the summed proportional set size (KiB) of `root` and its
    descendants (Linux /proc; nothing elsewhere), the largest kept in peak[0]."""
    while True:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
            if entry.name.isdigit():
                try:
                    parent = int(Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(parent, []).append(int(entry.name))
        total, todo = 0, [root]
        while todo:
            pid = todo.pop()
            todo += children.get(pid, [])
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
                total += int(rollup.split("\nPss:")[1].split()[0])
            except (OSError, IndexError, ValueError):
                pass
        peak[0] = max(peak[0], total)
        if not Path(f"/proc/{root}").exists():  # reaped by wait4 (or no /proc here)
            return
        time.sleep(every)


def synth(work: Path, factor: int, seed: int) -> Path:
    out = work / f"synth-{factor}x"
    marker = out / "catalog" / ".synthetic"
    if not (marker.exists() and marker.read_text(encoding="utf-8") == f"factor {factor} seed {seed}\n"):
        subprocess.run([PY, str(ROOT / "benchmarks" / "synth_catalog.py"), "--factor", str(factor), "--seed", str(seed),
                        "--out", str(out)], check=True, env=ENV)
    return out / "catalog"


def site_figures(site: Path) -> dict:
    pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    search_dir = site / "search"
    index_files = [p for p in search_dir.rglob("*") if p.is_file()] if search_dir.is_dir() else []
    raw = sum(p.stat().st_size for p in index_files)
    gz = sum(len(gzip.compress(p.read_bytes(), compresslevel=6)) for p in index_files)
    largest = pages[-1] if pages else None
    return {
        "pages": len(pages),
        "largest_bytes": largest.stat().st_size if largest else 0,
        "largest": largest.relative_to(site).as_posix() if largest else "",
        "total_bytes": total,
        "search_files": len(index_files),
        "search_raw": raw,
        "search_gzip": gz,
    }


def mkdocs_build(catalog: Path, site: Path, *, profile: Path | None = None, env: dict | None = None) -> Stage:
    """The README's build of `catalog` into `site`, optionally under cProfile, with `env` (default ENV)."""
    prefix = [PY, "-m", "cProfile", "-o", str(profile), "-m", "generator"] if profile else [PY, "-m", "generator"]
    return run([*prefix, "--catalog", str(catalog), "build", "--out", str(site)], env=env)


def bench(work: Path, factor: int, seed: int, *, profile: bool, serve: int, serve_edit: str = "title") -> Row:
    catalog = synth(work, factor, seed)
    from generator.catalog import load_catalog

    loaded = load_catalog(catalog)
    row = Row(label=f"{factor}x", measures=len(loaded.measures()), documents=len(loaded.documents))
    del loaded
    row.stages["check"] = run([PY, "-m", "generator", "--catalog", str(catalog), "check"])
    row.stages["generate"] = run([PY, __file__, "--child-generate", str(catalog)])
    site = work / f"site-{factor}x"
    with tempfile.TemporaryDirectory() as empty:  # a catalogue built for the first time: no lookups kept for it
        row.stages["mkdocs"] = mkdocs_build(catalog, site, env={**ENV, "XDG_CACHE_HOME": empty})
    row.site = site_figures(site)
    if profile:
        prof = work / f"mkdocs-{factor}x.prof"
        mkdocs_build(catalog, work / f"site-{factor}x-prof", profile=prof)
        print_profile(prof)
    if serve:
        row.serve = serve_rebuild(catalog, work, serve, serve_edit)
    return row


def child_generate(catalog_dir: Path) -> None:
    """The generator's own work, as the hook does it: load, then assemble every page and file."""
    import datetime as dt

    from generator.catalog import load_catalog
    from generator.site import assemble

    site = assemble(load_catalog(catalog_dir), updated=dt.date(2024, 1, 1))
    print(len(site.pages), "pages", sum(len(t) for t in site.pages.values()), "characters")


def plain_pages(catalog: Catalog) -> dict[str, str]:
    """The site a user would otherwise make from the same plans: a home page listing the plans, and one
    Markdown page per plan with one heading per measure (its label and title), its text, units and
    deadlines. {path under docs/: Markdown}."""
    pages = {"index.md": "# 优化营商环境行动方案\n\n" + "".join(
        f"- [{d.title}]({d.slug}.md)\n" for d in catalog.documents)}
    for document in catalog.documents:
        lines = [f"# {document.title}", "", f"{document.issuer} {document.doc_number}".strip(), ""]
        for measure in document.measures:
            lines += [f"## {measure.label} {measure.title}", "", measure.text, ""]
            if measure.units:
                lines += [f"责任单位：{measure.units}", ""]
            if measure.deadlines:
                lines += ["完成时限：" + "；".join(d.phrase for d in measure.deadlines), ""]
        pages[f"{document.slug}.md"] = "\n".join(lines)
    return pages


def reference(work: Path, seed: int) -> Row:
    """The issue's reference: plain MkDocs Material (theme language zh, stock search plugin, no hooks, no
    overrides) building `plain_pages` of the 1x catalogue."""
    from generator.catalog import load_catalog

    catalog_dir = synth(work, 1, seed)
    catalog = load_catalog(catalog_dir)
    folder = work / "plain-material"
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for path, text in plain_pages(catalog).items():
        (docs / path).write_text(text, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: 优化营商环境行动方案\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search\n", encoding="utf-8")
    row = Row(label="1x plain Material (a page per plan)", measures=len(catalog.measures()),
              documents=len(catalog.documents))
    row.stages["mkdocs"] = plain_build(folder)
    row.site = site_figures(folder / "site")
    return row


def plain_build(folder: Path, env: dict | None = None) -> Stage:
    """Plain MkDocs Material building the reference folder `reference` wrote, with `env` (default ENV)."""
    return run([PY, "-m", "mkdocs", "build", "--clean", "--config-file", str(folder / "mkdocs.yml"),
                "--site-dir", str(folder / "site")], cwd=folder, env=env)


def ratios(work: Path, seed: int, runs: int) -> str:
    """The 1x ratio again, `runs` times, our full build and the reference's alternating (a busy machine slows
    both alike), as a maintainer rebuilds; then the first build of an edited catalogue (`edited_ratios`); then
    both builds once with empty caches: the build keeps jieba's dictionary table, Jinja's compiled templates, the
    lookups (the search's and the alignment's) and the change log's parsed versions in the user's cache folder
    (site.lookups.cache_home, which CI keeps between runs), so the first build on a machine pays for them, as the
    reference pays for jieba's table (in the temporary folder) and compiles the theme's templates on every build."""
    catalog, folder = synth(work, 1, seed), work / "plain-material"
    rebuilds = alternate(lambda: mkdocs_build(catalog, work / "site-ratio"), folder, runs)
    edited = edited_ratios(work, catalog, folder, runs)
    with tempfile.TemporaryDirectory() as empty:
        cold = mkdocs_build(catalog, work / "site-ratio", env={**ENV, "TMPDIR": empty, "XDG_CACHE_HOME": empty})
    with tempfile.TemporaryDirectory() as empty:
        plain_cold = plain_build(folder, env={**ENV, "TMPDIR": empty, "XDG_CACHE_HOME": empty})
    return (f"1x full build against plain Material, {runs} alternating runs, as a maintainer rebuilds: {rebuilds}\n"
            f"First build of an edited catalogue (a unit added to a measure and its text changed: every search cut "
            f"and the alignment made anew), {runs} alternating runs: {edited}\n"
            f"With empty caches (first build on a machine), both builds once: CPU {cold.cpu:.1f} s against "
            f"{plain_cold.cpu:.1f} s, {cold.cpu / plain_cold.cpu:.2f}x (user CPU {cold.user / plain_cold.user:.2f}x); "
            f"wall {cold.seconds / plain_cold.seconds:.2f}x")


def alternate(ours: Callable[[], Stage], folder: Path, runs: int) -> str:
    """`ours()` and the reference's build of `folder`, alternating, `runs` times: the ratios of their CPU times,
    their median, the fastest against the fastest (the least disturbed run of each), and the medians of the
    ratios of user CPU (without the file system's work, which depends on the machine's disk) and of wall time
    (the search index builds on a second core)."""
    pairs = [(ours(), plain_build(folder)) for _ in range(runs)]

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    cpu = [o.cpu / p.cpu for o, p in pairs]
    fastest = (min(o.cpu for o, _ in pairs), min(p.cpu for _, p in pairs))
    return (f"CPU ratios {', '.join(f'{r:.2f}' for r in cpu)}, median {median(cpu):.2f}x; fastest against fastest "
            f"{fastest[0] / fastest[1]:.2f}x ({fastest[0]:.1f} s against {fastest[1]:.1f} s); user CPU median "
            f"{median([o.user / p.user for o, p in pairs]):.2f}x; wall median "
            f"{median([o.seconds / p.seconds for o, p in pairs]):.2f}x")


def edited_ratios(work: Path, catalog: Path, folder: Path, runs: int) -> str:
    """The first build of an edited catalogue, as a maintainer's after changing a plan: the caches warm from the
    builds before, but this catalogue's lookups not kept (`edit`), `runs` times, alternating with the reference
    (`alternate`). The catalogue is a copy of the synthetic one beside it (the sources are read through it)."""
    copy = work / "synth-edited"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(catalog.parent, copy)

    def build() -> Stage:
        edit(copy / "catalog")
        return mkdocs_build(copy / "catalog", work / "site-ratio")

    return alternate(build, folder, runs)


def edit(catalog: Path) -> None:
    """Change the catalogue's first document file: a unit added to its first list of lead or responsible units
    (a word the search's segmenter learns: all its cuts are made anew) and its first measure's text changed (the
    alignment's input), both named by the clock, so that no build before, in this run or another, kept lookups
    for the result."""
    target = sorted((catalog / "documents").glob("*.yaml"))[0]
    tag = "".join("零一二三四五六七八九"[int(d)] for d in str(time.time_ns())[-9:-3])
    text = target.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^(  (?:lead|responsible):\n)", rf"\1  - 区{tag}局\n", text, count=1)
    text, changed = re.subn(r"(?m)^(  text: )", rf"\1（{tag}）", text, count=1)
    if not (count and changed):
        raise SystemExit(f"{target}: no measure with units and a text to change")
    target.write_text(text, encoding="utf-8")


@dataclass
class Edit:
    """One change of a document under `mkdocs serve`, in seconds from the change."""

    shown: float  # to "Documentation built": the served site shows the change
    started: float  # to "Building documentation...": MkDocs' watcher saw it (it polls every 0.5 s, then waits 0.1 s)
    complete: float | None = None  # to the end of the follow-up rebuild (search index), when there is one

    @property
    def rebuild(self) -> float:
        """The rebuild alone, from MkDocs starting it to the site showing the change."""
        return self.shown - self.started


def serve_rebuild(catalog: Path, work: Path, edits: int, what: str = "title") -> list[Edit]:
    """`edits` changes of one document in a row while `mkdocs serve` runs (a title changed, each time anew, then
    put back), each timed from the change to the start of the rebuild MkDocs runs for it, to its end, and, when
    the server asks for a follow-up rebuild (the search index of the changed catalogue), to the end of that one.
    Several edits because MkDocs' watcher polls every 0.5 s: one edit's figure depends on where in that cycle it
    fell. The server listens on a free port (a fixed one may be taken by another run on the machine); a server
    that exits early fails the benchmark at once instead of leaving it waiting.
    Long because: the server's output is read on a thread, and each edit waits on what it printed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**ENV, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [PY, "-m", "generator", "--catalog", str(catalog), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    events: list[tuple[str, float]] = []  # ("building" | "built" | "follow-up", when), after the server started
    serving = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line)
            if "Serving on" in line:
                serving.set()
            elif serving.is_set():
                kind = next((k for k, text in (("building", "Building documentation"), ("built", "Documentation built"),
                                               ("follow-up", "follow-up rebuild")) if text in line), None)
                if kind:
                    events.append((kind, time.monotonic()))

    def wait(condition, seconds: float, what: str) -> None:  # noqa: ANN001
        deadline = time.monotonic() + seconds
        while not condition():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"mkdocs serve did not {what}:\n" + "".join(lines[-20:]))
            time.sleep(0.02)

    def after(start: int, kind: str, nth: int = 1) -> float | None:
        found = [t for k, t in events[start:] if k == kind]
        return found[nth - 1] if len(found) >= nth else None

    threading.Thread(target=read, daemon=True).start()
    target = sorted((catalog / "documents").glob("*.yaml"))[0]
    original = target.read_text(encoding="utf-8")
    timed: list[Edit] = []
    try:
        wait(serving.is_set, 1800, "start")
        time.sleep(2)
        for n in range(edits):
            start, changed = len(events), time.monotonic()
            field = "title: " if what == "title" else "\n  text: "
            assert field in original, f"{target} has no {field.strip()!r}"
            target.write_text(original.replace(field, f"{field}修订{n} ", 1), encoding="utf-8")
            wait(lambda s=start: after(s, "built") is not None, 1800, "rebuild")
            time.sleep(0.5)  # the follow-up, if any, is asked for as the rebuild ends
            edit = Edit(shown=after(start, "built") - changed, started=after(start, "building") - changed)
            if after(start, "follow-up") is not None:
                wait(lambda s=start: after(s, "built", 2) is not None, 1800, "finish the follow-up rebuild")
                edit.complete = after(start, "built", 2) - changed
            timed.append(edit)
            time.sleep(0.3 + 0.5 * n / max(edits, 1))  # the next edit falls elsewhere in the watcher's cycle
        return timed
    finally:
        target.write_text(original, encoding="utf-8")
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def serve_cell(edits: list[Edit]) -> str:
    """Median (max) seconds to the change shown; the rebuild alone, median; to the search index, median."""
    if not edits:
        return "—"
    shown = [e.shown for e in edits]
    text = f"{statistics.median(shown):.1f} ({max(shown):.1f}); rebuild {statistics.median(e.rebuild for e in edits):.1f}"
    complete = [e.complete for e in edits if e.complete is not None]
    return text + (f"; search index {statistics.median(complete):.1f}" if complete else "")


def print_profile(path: Path, limit: int = 25) -> None:
    import pstats

    print(f"\n## profile of the MkDocs stage ({path}), top {limit} by cumulative time")
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def table(rows: list[Row]) -> str:
    head = ("| catalogue | measures | docs | check s (cpu) / MB | generate s (cpu) / MB | mkdocs s (cpu) / MB | "
            "full s (cpu) | pages | "
            "largest page | site | search raw / gzip | serve: change shown s median (max); rebuild; search index |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        def cell(name: str, r: Row = r) -> str:
            s = r.stages.get(name)
            return f"{s.seconds:.1f} ({s.cpu:.1f}) / {s.peak_mb:.0f}" if s else "—"

        full = r.stages["mkdocs"].seconds
        full_cpu = r.stages["mkdocs"].cpu
        site = r.site
        lines.append(
            f"| {r.label} | {r.measures} | {r.documents} | {cell('check')} | {cell('generate')} | {cell('mkdocs')} | "
            f"{full:.1f} ({full_cpu:.1f}) | {site['pages']} | {mb(site['largest_bytes'])} ({site['largest']}) | "
            f"{mb(site['total_bytes'])} | "
            f"{mb(site['search_raw'])} / {mb(site['search_gzip'])} ({site['search_files']} files) | "
            f"{serve_cell(r.serve)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", default="1,10,50", help="comma-separated catalogue sizes (default 1,10,50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-scale",
                        help="folder for the synthetic catalogues and sites (default /tmp/bench-scale)")
    parser.add_argument("--reference", action="store_true", help="also build the 1x pages with plain MkDocs Material")
    parser.add_argument("--ratio-runs", type=int, default=5,
                        help="with --reference: repeat the 1x ratio this many times, alternating (default 5; 0: no)")
    parser.add_argument("--profile", action="store_true", help="cProfile the MkDocs stage of the largest factor")
    parser.add_argument("--serve-edit", choices=("title", "text"), default="title",
                        help="with --serve: change the plan's title (default) or its first measure's text")
    parser.add_argument("--serve", type=int, nargs="?", const=5, default=0, metavar="EDITS",
                        help="time EDITS (default 5) one-document changes in a row under mkdocs serve")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--child-generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_generate:
        child_generate(args.child_generate)
        return 0
    factors = [int(f) for f in re.split(r"[,\s]+", args.factors.strip()) if f]
    args.work.mkdir(parents=True, exist_ok=True)
    # our package timed compiled, as pip compiles the reference's (the Makefile's bytecode step): where
    # PYTHONDONTWRITEBYTECODE is set, every build it times would otherwise compile it again from source
    if not compileall.compile_dir(ROOT / "generator", quiet=1):
        raise SystemExit("generator/ does not compile: see the error above")
    rows = []
    for factor in factors:
        print(f"# {factor}x …", file=sys.stderr, flush=True)
        rows.append(bench(args.work, factor, args.seed, profile=args.profile and factor == max(factors), serve=args.serve,
                          serve_edit=args.serve_edit))
        print(table(rows[-1:]), file=sys.stderr, flush=True)
    if args.reference:
        rows.append(reference(args.work, args.seed))
    print()
    print(table(rows))
    plain = next((r for r in rows if "plain" in r.label), None)
    ours = next((r for r in rows if r.label == "1x"), None)
    if plain and ours:
        print(f"\n1x full build against plain Material (a page per plan, stock search), same run: "
              f"{ours.stages['mkdocs'].cpu / plain.stages['mkdocs'].cpu:.2f}x its CPU time, "
              f"{ours.stages['mkdocs'].seconds / plain.stages['mkdocs'].seconds:.2f}x its wall time")
        if args.ratio_runs:
            print(ratios(args.work, args.seed, args.ratio_runs))
    if len(rows) > 1 and rows[0].measures:
        base = rows[0]
        full0 = base.stages["mkdocs"].seconds
        for r in rows[1:]:
            if "check" in r.stages:
                full = r.stages["mkdocs"].seconds
                cpu = r.stages["mkdocs"].cpu
                cpu0 = base.stages["mkdocs"].cpu
                print(f"{r.label}: {r.measures / base.measures:.0f}x the measures, {full / full0:.1f}x the full build wall "
                      f"time, {cpu / cpu0:.1f}x its CPU time")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ | {"stages": {k: v.__dict__ for k, v in r.stages.items()},
                                                        "serve": [e.__dict__ | {"rebuild": e.rebuild} for e in r.serve]}
                                         for r in rows], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
