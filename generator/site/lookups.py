"""What the search index asks of jieba, pypinyin and OpenCC, and the alignment's scores, kept on disk from one
build to the next.

The search index of a catalogue asks the same questions on every build: jieba's cut of each run of Han
characters, pypinyin's readings of each vocabulary term, OpenCC's traditional → simplified table. Their
answers depend only on the question, the libraries' versions and data, the code that asks (`_CODE`:
searchtext.py, crossref/readings.py, crossref/alignment.py, this file) and, for cuts, the words the
segmenter was taught (`searchtext.know_words`), in their order. A `Table` keeps the answers of one such key
in one JSON file, so that a build of a catalogue whose texts were segmented before reads the cuts instead of
loading jieba's 60 MB prefix table (at 1x about three quarters of the search index's CPU). The alignment's
scores are kept the same way, by a digest of all they are computed from (`alignment_scores`), so that a build
of an unchanged catalogue neither imports scipy nor scores anything. It is a memo, not a source: an answer
read back is the answer the library (or the code) gave for the same key, and a missing, unreadable or malformed
file is only a cold start.

Where: `cache_home()` (the user's cache folder: $XDG_CACHE_HOME, else ~/.cache), `lookups-<digest of the
code and the libraries' versions>/`, beside the change log's cache (publish.release); `CATALOG_LOOKUPS=0`
turns it off. A folder keeps the newest KEEP tables of each kind; the newest KEEP_FOLDERS folders are kept.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.crossref.alignment import alignment_inputs
from generator.model import Catalog

KEEP = 24  # tables of one kind kept in a folder (a test run makes one per catalogue it builds)
KEEP_FOLDERS = 3  # folders kept: this code's, and those of the versions checked out just before
_CODE = ("searchtext.py", "lookups.py", "../crossref/readings.py", "../crossref/alignment.py")  # the code asking


@functools.cache
def _versions() -> bytes:
    """The libraries' versions and the asking code's source: a change of either starts new tables."""
    here = Path(__file__).resolve().parent
    parts = [f"{name}=={metadata.version(name)}".encode() for name in ("jieba", "pypinyin", "OpenCC", "numpy", "scipy")]
    parts += [(here / name).read_bytes() for name in _CODE]
    return hashlib.blake2b(b"\x00".join(parts), digest_size=8).digest()


def cache_home() -> Path:
    """The project's folder in the user's cache folder ($XDG_CACHE_HOME, else ~/.cache), read from the environment
    on every call: `shandong-catalog/`, which holds the lookups, the change log's parsed versions
    (publish.release), jieba's prefix table (searchtext.jieba_folder) and the compiled templates (jinjacache)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shandong-catalog"


def cache_folder(name: str) -> Path | None:
    """The folder `name` in `cache_home()`, made if missing; None when it cannot be made (read-only home, say):
    what is kept there is then not kept."""
    folder = cache_home() / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _folder() -> Path | None:
    if os.environ.get("CATALOG_LOOKUPS", "1") == "0":
        return None
    return cache_home() / f"lookups-{_versions().hex()}"


class Table:
    """The answers of one kind (`kind`: "words", "readings", "tables", "alignment") for one key, as
    {question: answer}.

    `answer(question, ask)` gives the kept answer, or asks (`ask()`) and keeps what it gave; answers are JSON
    (lists or tuples, strings, numbers, dicts), read back through `decode`, which gives them the form `ask` gives
    (a tuple of tuples, say) and raises TypeError or ValueError for anything else (the file is then not used).
    `save()` writes the table when it learnt something, atomically (a reader sees the old file or the new one)."""

    def __init__(self, kind: str, key: tuple[str, ...], decode: Callable[[Any], Any] = lambda value: value) -> None:
        folder = _folder()
        digest = hashlib.blake2b("\x00".join(key).encode("utf-8"), digest_size=8, key=_versions()).hexdigest()
        self.path = folder / f"{kind}-{digest}.json" if folder is not None else None
        self.kind, self.decode, self.added = kind, decode, False
        self.found: dict[str, Any] = {}
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):  # no table yet, or a broken one
            if self.path is not None:
                self.found = {str(q): decode(a) for q, a in json.loads(self.path.read_bytes()).items()}

    def answer(self, question: str, ask: Callable[[], Any]) -> Any:
        """The kept answer to `question`, else `ask()`'s (JSON-able), kept."""
        found = self.found.get(question)
        if found is None:
            found = self.found[question] = ask()
            self.added = True
        return found

    def save(self) -> None:
        """Write the table if it learnt anything since it was read; a folder that cannot be written only costs
        time on the next build. Older tables of this kind beyond KEEP are removed."""
        if not self.added or self.path is None:
            return
        self.added = False
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(json.dumps(self.found, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
                os.replace(temporary, self.path)
            finally:
                Path(temporary).unlink(missing_ok=True)
            for old in _newest_first(self.path.parent.glob(f"{self.kind}-*.json"))[KEEP:]:
                old.unlink(missing_ok=True)
            for old in _newest_first(self.path.parent.parent.glob("lookups-*"))[KEEP_FOLDERS:]:  # older code's
                shutil.rmtree(old, ignore_errors=True)


def _newest_first(paths: Iterable[Path]) -> list[Path]:
    return sorted(paths, key=lambda path: path.stat().st_mtime, reverse=True)


class Lazy:
    """A Table made when it is first asked (its key may cost: `alignment_scores`), with Table's `answer` and
    `save`; saving one never asked does nothing."""

    def __init__(self, kind: str, key: Callable[[], tuple[str, ...]]) -> None:
        self.kind, self.key, self.table = kind, key, None

    def answer(self, question: str, ask: Callable[[], Any]) -> Any:
        """Table.answer, the table made first."""
        if self.table is None:
            self.table = Table(self.kind, self.key())
        return self.table.answer(question, ask)

    def save(self) -> None:
        """Table.save, when the table was made."""
        if self.table is not None:
            self.table.save()


def alignment_scores(catalog: Catalog) -> Lazy:
    """Where `catalog`'s alignment scores are kept (crossref.align's `kept`): a table named by a digest of
    everything the alignment reads (`alignment_inputs`: settings, places, plans and their measures' ids, titles
    and texts; written out by repr, which spells plain values and frozen dataclasses the same in every process),
    so it is read only for these very inputs. The digest is taken only when the alignment is asked for; `serve`
    does not ask (its page memo keeps the alignment, crossref.cross_reference)."""
    def key() -> tuple[str, ...]:
        inputs = repr(alignment_inputs(catalog)).encode("utf-8")
        return (hashlib.blake2b(inputs, digest_size=16).hexdigest(),)

    return Lazy("alignment", key)
