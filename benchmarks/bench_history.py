"""Benchmark: the change log (publish.release.history) on a long git history.

    .venv/bin/python benchmarks/bench_history.py                  # the 50x synthetic catalogue, a plan a commit
    .venv/bin/python benchmarks/bench_history.py --factor 10 --edits 200

The synthetic catalogues (benchmarks/synth_catalog.py) have no git history, so bench_scale does not see what
the change log costs a catalogue that grew over years. This makes one under --work: a git repository whose
catalog/documents/ gains one plan per commit (the synthetic catalogue's plans in order), then --edits commits
that each change one measure of one plan. It then times `history()` in a fresh process: once with an empty
parse cache (the first build on a machine) and twice warm (every later build), printing wall and CPU
seconds and the revisions found. Compare the figures of two commits of the generator in one run
(PYTHONPATH=<worktree>); machines here are noisy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import PY, synth  # noqa: E402 - benchmarks/ is not a package

GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]
TIMED = """
import sys, time
from pathlib import Path
from generator.publish.release import history
started, cpu = time.perf_counter(), time.process_time()
found = history(Path(sys.argv[1]))
print(f"{time.perf_counter() - started:.2f} {time.process_time() - cpu:.2f} {len(found)}")
"""


def make_history(work: Path, factor: int, edits: int, seed: int) -> Path:
    """The repository (reused when the same factor, edits and seed are there): returns its documents folder."""
    repo = work / f"history-{factor}x-{edits}"
    marker = repo / ".bench"
    if marker.exists() and marker.read_text(encoding="utf-8") == f"{factor} {edits} {seed}\n":
        return repo / "catalog" / "documents"
    shutil.rmtree(repo, ignore_errors=True)
    documents = repo / "catalog" / "documents"
    documents.mkdir(parents=True)
    subprocess.run([*GIT, "init", "-q"], cwd=repo, check=True)
    plans = sorted((synth(work, factor, seed) / "documents").glob("*.yaml"))
    for plan in plans:
        shutil.copy(plan, documents / plan.name)
        subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*GIT, "commit", "-qm", f"add {plan.stem}"], cwd=repo, check=True)
    for number in range(edits):
        plan = documents / plans[number * 7 % len(plans)].name
        text = plan.read_text(encoding="utf-8")
        plan.write_text(text.replace("text: ", f"text: 修订{number}", 1), encoding="utf-8")
        subprocess.run([*GIT, "commit", "-qam", f"edit {number}"], cwd=repo, check=True)
    marker.write_text(f"{factor} {edits} {seed}\n", encoding="utf-8")
    return documents


def timed(documents: Path, cache: Path) -> tuple[float, float, int]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT))}
    done = subprocess.run([PY, "-c", TIMED, str(documents)], env=env, cwd=cache, capture_output=True, text=True,
                          check=True)  # cwd: not the repository, whose generator would come first on sys.path
    wall, cpu, revisions = done.stdout.split()
    return float(wall), float(cpu), int(revisions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=50, help="synthetic catalogue size (default 50)")
    parser.add_argument("--edits", type=int, default=0, help="commits that each change one measure, after the plans")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-scale")
    args = parser.parse_args(argv)
    documents = make_history(args.work, args.factor, args.edits, args.seed)
    commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=documents, capture_output=True, text=True,
                             check=True).stdout.strip()
    print(f"change log of {documents.parent.parent}: {commits} commits, "
          f"{len(list(documents.glob('*.yaml')))} plans")
    with tempfile.TemporaryDirectory() as cache:
        for label in ("cold (empty parse cache)", "warm", "warm"):
            wall, cpu, revisions = timed(documents, Path(cache))
            print(f"  {label}: {wall:.2f} s wall, {cpu:.2f} s CPU, {revisions} revisions listed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
