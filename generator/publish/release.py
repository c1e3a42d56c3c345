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
import subprocess
from pathlib import Path

import yaml

from generator.catalog import history as catalog_history
from generator.catalog.history import measure_digests
from generator.model import Change, Release, Revision
from generator.publish.files import write_atomically
from generator.site.lookups import cache_folder

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
    """The revisions of `folder` (document files) that changed measures, newest first.

    Each listed commit's version of the catalogue is every measure of its document files, in file order (a
    measure id found in two files takes the later file's version, at the place of its first); a revision is
    what differs from the commit listed before. Only the measures of files that differ between the two commits
    are compared (`_Versions`), so the cost grows with the changes, not with commits times measures."""
    log = [entry.split() for entry in _git(folder, "log", "--reverse", "--format=%h %cs", "--", ".").splitlines() if entry]
    versions = _Versions(folder)
    revisions = []
    for (commit, date), files in zip(log, _trees(folder, [commit for commit, _ in log]), strict=True):
        added, changed, removed = versions.advance(files)
        if added or changed or removed:
            revisions.append(Revision(commit=commit, date=dt.date.fromisoformat(date), added=added, changed=changed,
                                      removed=removed))
    return revisions[::-1][:limit]


class _Versions:
    """The catalogue's measures as of the commit last given to `advance`, kept per file: which files hold each
    measure id, each file's version (blob id) and place in the listing. Versions are parsed once (`parsed`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.parsed: dict[str, dict[str, tuple[str, str, str]]] = {}  # blob id -> its measures, in file order
        self.places: dict[str, dict[str, int]] = {}  # blob id -> {measure id: its place in the file}
        self.files: dict[str, str] = {}  # file -> blob id
        self.order: dict[str, int] = {}  # file -> its place in the listing
        self.holders: dict[str, set[str]] = {}  # measure id -> the files holding it

    def _measures(self, blob: str) -> dict[str, tuple[str, str, str]]:
        if blob not in self.parsed:
            self.parsed[blob] = _blob_digests(self.folder, blob)
            self.places[blob] = {item: place for place, item in enumerate(self.parsed[blob])}
        return self.parsed[blob]

    def _state(self, ids: set[str]) -> dict[str, tuple[tuple[int, int], tuple[str, str, str]]]:
        """{id: ((place of its first file, its place there), its version in its last file)} for those held."""
        found = {}
        for item in ids:
            holders = sorted(self.holders.get(item, ()), key=self.order.__getitem__)
            if holders:
                first = self.files[holders[0]]
                found[item] = ((self.order[holders[0]], self.places[first][item]),
                               self.parsed[self.files[holders[-1]]][item])
        return found

    def advance(self, files: dict[str, str]) -> tuple[tuple[Change, ...], tuple[Change, ...], tuple[Change, ...]]:
        """Move to the commit whose document files are `files` ({file: blob id}, in listing order); the measures
        (added, changed, removed) since the last commit: added and changed in the order of the new version,
        removed in the order of the old."""
        differ = [path for path in self.files.keys() | files.keys() if self.files.get(path) != files.get(path)]
        ids = {item for path in differ for blob in (self.files.get(path), files.get(path)) if blob is not None
               for item in self._measures(blob)}
        old = self._state(ids)
        for path in differ:
            if path in self.files:
                for item in self.parsed[self.files[path]]:
                    self.holders[item].discard(path)
            if path in files:
                for item in self._measures(files[path]):
                    self.holders.setdefault(item, set()).add(path)
        self.files, self.order = dict(files), {path: place for place, path in enumerate(files)}
        new = self._state(ids)

        def changes(state: dict, wanted: list[str]) -> tuple[Change, ...]:
            return tuple(Change(id=item, document=state[item][1][0], title=state[item][1][1])
                         for item in sorted(wanted, key=lambda item: state[item][0]))

        return (changes(new, [i for i in new if i not in old]),
                changes(new, [i for i in new if i in old and old[i][1][2] != new[i][1][2]]),
                changes(old, [i for i in old if i not in new]))


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
    return cache_folder(f"history-{hashlib.blake2b(source, digest_size=8).hexdigest()}")


def _trees(folder: Path, commits: list[str]) -> list[dict[str, str]]:
    """For each commit, {file name: blob id} of the .yaml files directly in `folder` as of that commit, in git's
    order: what `git ls-tree` lists, read for every commit by one `git cat-file --batch` (git's tree format: per
    entry "<mode> <name>\\0" and the binary object id). A commit without the folder has none; so has every commit
    when git fails."""
    if not commits:  # no history (not a git checkout): no git to ask
        return []
    prefix = _git(folder, "rev-parse", "--show-prefix").strip().rstrip("/")
    request = "".join(f"{commit}:{prefix}\n" for commit in commits).encode()
    try:
        done = subprocess.run(["git", "cat-file", "--batch"], cwd=folder, input=request, capture_output=True,
                              timeout=300, check=False)
    except (OSError, subprocess.SubprocessError):
        return [{} for _ in commits]
    out, at, trees = done.stdout if done.returncode == 0 else b"", 0, []
    for _ in commits:
        end = out.find(b"\n", at)
        header = out[at:end].split() if end >= 0 else []  # "<id> <type> <size>", or "<request> missing"
        if len(header) != 3 or not header[2].isdigit():
            trees.append({})
            at = end + 1 if end >= 0 else len(out)
            continue
        if header[1] != b"tree":  # the folder's name is a file at that commit
            trees.append({})
            at = end + 1 + int(header[2]) + 1
            continue
        size, width = int(header[2]), len(header[0]) // 2  # SHA-1 or SHA-256 ids
        body, at = out[end + 1:end + 1 + size], end + 1 + size + 1
        found, pos = {}, 0
        while pos < len(body):
            space, nul = body.index(b" ", pos), body.index(b"\0", pos)
            mode, name = body[pos:space], body[space + 1:nul].decode("utf-8", "surrogateescape")
            if mode not in (b"40000", b"160000") and name.endswith(".yaml"):  # a file, not a folder or submodule
                found[name] = body[nul + 1:nul + 1 + width].hex()
            pos = nul + 1 + width
        trees.append(found)
    return trees


def _git(folder: Path, *args: str) -> str:
    """git's output in `folder`, "" when git or the history is not there."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""
