"""What the publish stage tells the pure site stage: the version (build date and commit) and the change log.

Both come from git: the commit of the catalogue folder, and the history of
catalog/documents/, compared version by version (`catalog.history` reads each
version's measures). Outside a git checkout there is no commit and no history,
and the site says so. The repository and contact addresses come from mkdocs.yml
(`repo_url`, `extra.contact`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import subprocess
from pathlib import Path

import yaml

from generator.catalog import history as catalog_history
from generator.catalog.history import measure_digests
from generator.model import Change, Release, Revision
from generator.publish.files import write_atomically

HISTORY_LIMIT = 200  # revisions shown; older ones are summarised by git itself


_HISTORIES: dict[tuple[Path, str], tuple[str, tuple[Revision, ...]]] = {}  # (folder, HEAD) -> (short commit, history)


def release(catalog_dir: Path, *, repository: str = "", contact: str = "", built: dt.date | None = None) -> Release:
    """The Release of a build of `catalog_dir` on `built` (today by default), reporting to `repository`/`contact`.

    The commit and the change log depend only on the commit checked out (the history is of committed versions),
    so they are read from git once per HEAD commit in a process: `serve` rebuilds reuse them."""
    head = _git(catalog_dir, "rev-parse", "HEAD").strip()
    key = (catalog_dir.resolve(), head)
    if not head or key not in _HISTORIES:
        short = _git(catalog_dir, "rev-parse", "--short", "HEAD").strip()
        _HISTORIES[key] = (short, tuple(history(catalog_dir / "documents")))
    commit, revisions = _HISTORIES[key]
    return Release(built=built or dt.date.today(), commit=commit, history=revisions, repository=repository,
                   contact=contact)


def history(folder: Path, limit: int = HISTORY_LIMIT) -> list[Revision]:
    """The revisions of `folder` (document files) that changed measures, newest first."""
    log = _git(folder, "log", "--reverse", "--format=%h %cs", "--", ".").split("\n")
    previous: dict[str, tuple[str, str, str]] = {}
    parsed: dict[str, dict[str, tuple[str, str, str]]] = {}  # blob id -> its measures: unchanged files parse once
    revisions = []
    for entry in filter(None, log):
        commit, date = entry.split()
        current: dict[str, tuple[str, str, str]] = {}
        for blob in _blobs(folder, commit):
            if blob not in parsed:
                parsed[blob] = _blob_digests(folder, blob)
            current |= parsed[blob]
        revision = _compare(commit, dt.date.fromisoformat(date), previous, current)
        if revision.added or revision.changed or revision.removed:
            revisions.append(revision)
        previous = current
    return revisions[::-1][:limit]


def _blob_digests(folder: Path, blob: str) -> dict[str, tuple[str, str, str]]:
    """`measure_digests` of one version of a document file, by its git blob id. A blob id names its content,
    so the result is kept on disk (`_digest_cache`) and read back on later builds instead of parsing the YAML
    again (about 60 ms per plan version, most of the change log's cost). An unreadable entry is computed again."""
    cache = _digest_cache()
    entry = cache / f"{blob}.json" if cache is not None else None
    if entry is not None and entry.is_file():
        try:
            return {str(key): (str(doc), str(title), str(digest))
                    for key, (doc, title, digest) in json.loads(entry.read_bytes()).items()}
        except (OSError, ValueError, TypeError, AttributeError):
            pass
    text = _git(folder, "cat-file", "blob", blob)
    found = measure_digests(text)
    if entry is not None and text:  # "" is git failing, not a version: nothing to keep
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            write_atomically(entry, json.dumps(found, ensure_ascii=False).encode("utf-8"))
    return found


@functools.cache
def _digest_cache() -> Path | None:
    """The folder of `_blob_digests`' entries: in the user's cache folder ($XDG_CACHE_HOME, else ~/.cache),
    named by a digest of catalog/history.py and the YAML library's version, so that a change in how a version
    is read starts a new folder. None when it cannot be made (no cache then)."""
    source = Path(catalog_history.__file__).read_bytes() + yaml.__version__.encode()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "shandong-catalog" / f"history-{hashlib.blake2b(source, digest_size=8).hexdigest()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _compare(commit: str, date: dt.date, old: dict, new: dict) -> Revision:
    def change(item: str, values: tuple[str, str, str]) -> Change:
        return Change(id=item, document=values[0], title=values[1])

    return Revision(
        commit=commit, date=date,
        added=tuple(change(i, v) for i, v in new.items() if i not in old),
        changed=tuple(change(i, v) for i, v in new.items() if i in old and old[i][2] != v[2]),
        removed=tuple(change(i, v) for i, v in old.items() if i not in new),
    )


def _blobs(folder: Path, commit: str) -> list[str]:
    """The blob ids of the .yaml files of `folder` at `commit`."""
    listing = _git(folder, "ls-tree", commit, "--", ".")
    return [line.split()[2] for line in listing.splitlines() if line.endswith(".yaml") and " blob " in line]


def _git(folder: Path, *args: str) -> str:
    """git's output in `folder`, "" when git or the history is not there."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""
