"""Under `serve`: Python's cycle collector scans what the latest rebuild made, not every object of the process.

A served catalogue keeps most of its memory from one rebuild to the next: the catalogue's unchanged parts
(catalog.ParsedFiles), every page's Markdown and what it read (site.memo), MkDocs' conversions (publish.pagecache).
Left to itself, the collector makes a full collection whenever a quarter of that has been allocated anew; a rebuild
allocates that much, so it paid for a full collection of everything, 2 to 4 s of a 50x rebuild's 17 (1,700 MB
and more of objects scanned for the few cycles of one rebuild's garbage). Instead, while serving:

- when the server starts, after its first build, and at the start of each rebuild, `collect_and_freeze`
  collects what the previous rebuild left as cyclic garbage (MkDocs' pages, files and nav, which are garbage
  once its build returned), and then freezes every object still alive (`gc.freeze`): the collector never
  scans them again. Each such collection scans only what was made since the previous one;
- between two such collections, the collector's full collections are off (the young generations are
  collected as usual, so a rebuild's short-lived cycles still go at once).

Nothing is lost: an object frozen and later unreferenced is freed by its reference count as usual; only cyclic
garbage among frozen objects would wait. The objects alive at the start of a rebuild are the served state
(caches of pages, values and parses, each object referenced by one cache and dropped by replacing it) and
MkDocs' server: none of it forms cycles that become garbage later (`tests/test_serve_rebuild.py` counts that
after many rebuilds: none). `stop` (the server stopped) gives the collector back its usual settings."""

from __future__ import annotations

import gc

NEVER = 2**31 - 1  # a threshold of full collections that is never reached


class RebuildCollector:
    """The cycle collector's settings while one `serve` runs: `collect_and_freeze` per rebuild, `stop` at the end."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None  # gc's thresholds before serving

    @property
    def active(self) -> bool:
        return self._saved is not None

    def collect_and_freeze(self) -> int:
        """Collect the previous rebuild's cyclic garbage and freeze every object alive; the first call also turns
        automatic full collections off. Returns the number of unreachable objects found (`gc.collect`)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], NEVER)
        found = gc.collect()
        gc.freeze()
        return found

    def stop(self) -> None:
        """Serving ended: unfreeze every object and restore the thresholds (the next full collection, when the
        collector finds it due, scans everything as before)."""
        if self._saved is not None:
            gc.unfreeze()
            gc.set_threshold(*self._saved)
            self._saved = None
