"""Headless Chromium for browser tests: the Debian `chromium` driven by Playwright.

Fixtures:
- `browser`: one Chromium per session. Missing browser or Playwright: the tests
  fail when the environment variable CI is set (so CI can never pass without
  running them) and are skipped otherwise, with the command that installs them.
- `serve(folder) -> base URL`: a static HTTP server on 127.0.0.1 for a folder.
- `real_site`: the real catalogue built once per session; `real_site_url` serves it.
- `open_page(url, ...)`: a fresh page that records every console error, page
  error and request to another origin; `guard.assert_clean()` fails on any.
  Requests that leave the origin are aborted, never sent.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
INSTALL_HINT = "install it with: apt-get install chromium fonts-noto-cjk (as .ci/run does) and `make test`"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}; {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"{reason}; {INSTALL_HINT}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def build_site(catalog_dir: Path, out: Path) -> Path:
    """Build a site with the README's build path (`python -m generator build`); fail the test on any error."""
    command = [sys.executable, "-m", "generator", "--catalog", str(catalog_dir), "build", "--out", str(out)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO / "catalog", tmp_path_factory.mktemp("browser") / "site")


@pytest.fixture(scope="session")
def real_site_url(real_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(real_site)


@dataclass
class Guard:
    """What a page did that a reader must never see: console errors, uncaught errors, off-origin requests."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    off_origin: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        problems = {
            "console errors": self.console_errors,
            "uncaught errors": self.page_errors,
            "requests to another origin": self.off_origin,
            "dialogs (alert/confirm/prompt)": self.dialogs,
        }
        found = {name: items for name, items in problems.items() if items}
        assert not found, found


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., tuple[Any, Guard]]]:
    """open_page(url, viewport=(w, h), **context options) -> (page, guard). The page has loaded `url`."""
    contexts: list[Any] = []

    def open_(url: str, viewport: tuple[int, int] = (1280, 900), **options: Any) -> tuple[Any, Guard]:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, **options)
        contexts.append(context)
        guard = Guard(origin=_origin(url))

        def route(route: Any) -> None:
            request_url = route.request.url
            if request_url.startswith(("data:", "blob:")) or _origin(request_url) == guard.origin:
                route.continue_()
            else:
                guard.off_origin.append(request_url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and guard.console_errors.append(message.text))
        page.on("pageerror", lambda error: guard.page_errors.append(str(error)))

        def on_dialog(dialog: Any) -> None:
            guard.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(url, wait_until="load")
        return page, guard

    yield open_
    for context in contexts:
        context.close()
