"""Work beside the build: a pure function computed in a forked child process while the build goes on.

`python -m generator build` builds the search index this way (it needs only the catalogue, and takes about a
third of the generator's time, which the page rendering and MkDocs can use on a second core), and writes the
measure pages once the theme has rendered their frame, while MkDocs themes the other pages
(publish.handover). The result (or the error) comes back through a pipe, pickled, when the build asks for
it. Where the platform cannot fork (Windows), there is one core, or the process runs other threads (a test's
web server: a forked child could deadlock on a lock one of them held), the function runs in the build's own
process when asked, as before.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# Up to this many measures `build` makes the search index and the measure pages beside the pages. Beyond, the
# processes together would hold more memory than the build's later peak (issue 15's 50x catalogue, 34,050
# measures: 1.67 GB against 1.43 GB in order), so the index comes first in the build's own process.
MAX_MEASURES = 10_000


class BackgroundError(RuntimeError):
    """The child process died, or raised an error that could not be sent back (its traceback is the message)."""


class Pending(Generic[T]):
    """A result being computed: call it to wait for the result; `cancel()` when it is no longer wanted."""

    def __init__(self, result: Callable[[], T], cancel: Callable[[], None] = lambda: None) -> None:
        self._result, self.cancel = result, cancel

    def __call__(self) -> T:
        return self._result()


def in_background(function: Callable[..., T], *args: Any) -> Pending[T]:
    """Start `function(*args)` in a forked child process and return a Pending that waits for its result.

    The child sees the parent's memory as it is now (fork: nothing is pickled on the way in); the result must
    pickle. Calling the Pending gives the result, re-raises the function's own exception (same type and
    message), or raises BackgroundError when the child died without an answer (exit code in the message); call
    it once. `cancel()` stops a child whose result will not be asked for (a build that failed meanwhile), and
    does nothing once the result was taken."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        context = None
    if context is None or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return Pending(lambda: function(*args))  # forking a process that runs other threads may deadlock the child
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        # Everything the child inherited is frozen: its cycle collector scans only what the child makes. Collecting
        # the parent's objects would write the collector's marks into them, copying their pages from the parent's
        # memory: at 1x, 450 of the measure pages' 2,300 page faults (0.02 s of CPU) and 1,000 of the search index's.
        gc.freeze()
        receive.close()
        try:
            outcome: tuple[bool, Any] = (True, function(*args))
        except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent, which re-raises it
            outcome = (False, err)
        try:
            send.send(outcome)
        except Exception:  # noqa: BLE001 - a result or error that does not pickle: send its traceback as text
            send.send((False, BackgroundError(f"{function.__qualname__} in the background:\n{traceback.format_exc()}")))
        finally:
            send.close()

    process = context.Process(target=child, name=f"background {function.__qualname__}", daemon=True)
    process.start()
    send.close()

    def result() -> T:
        try:
            succeeded, value = receive.recv()
        except EOFError:
            process.join()
            raise BackgroundError(f"{function.__qualname__} in the background: the process ended (exit code "
                                  f"{process.exitcode}) without a result") from None
        finally:
            receive.close()
        process.join()
        if not succeeded:
            raise value
        return value

    def cancel() -> None:
        if process.is_alive():
            process.terminate()
        process.join()
        receive.close()

    return Pending(result, cancel)
