"""Write the measure pages into the built site: each one the theme's frame (the shell page MkDocs rendered
once) with the measure's head, header topic and body put in (see generator/site/measurepages.py).

Runs after MkDocs has written everything else, into the same (staging) folder, so a failed build still
leaves the published site untouched. The shell page itself is not published: it is removed here, and
from the sitemap, which lists the measure pages instead.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.site.addresses import MEASURE_SHELL, served
from generator.site.measurepages import SHELL_BODY, SHELL_HEAD, SHELL_TOPIC, MeasurePage


class ShellError(Exception):
    """The rendered shell does not hold each placeholder exactly once (a theme or template change)."""


_BLANK_LINES = re.compile(r"[ \t]*\n\s*")


def frame(shell: str) -> tuple[str, str, str, str]:
    """The shell's HTML cut at its three placeholders: (before head, before topic, before body, after body).
    The theme's indentation and blank lines go (each run of white space holding a line break becomes one
    line break, which reads the same in HTML and in its inline scripts; the frame has no <pre>): it is
    repeated in every measure page."""
    if "<pre" in shell or "<textarea" in shell:
        raise ShellError(f"the measure page frame ({MEASURE_SHELL}) holds <pre> or <textarea>: its white space matters")
    shell = _BLANK_LINES.sub("\n", shell)
    parts, rest = [], shell
    for marker in (SHELL_HEAD, SHELL_TOPIC, SHELL_BODY):
        if rest.count(marker) != 1 or shell.count(marker) != 1:
            raise ShellError(f"the measure page frame ({MEASURE_SHELL}) holds {marker!r} {shell.count(marker)} "
                             "times, not once: see overrides/main.html and generator/site/measurepages.py")
        before, rest = rest.split(marker)
        parts.append(before)
    return parts[0], parts[1], parts[2], rest


def fill(cut: tuple[str, str, str, str], page: MeasurePage) -> str:
    return cut[0] + page.head + cut[1] + page.topic + cut[2] + page.body + cut[3]


@dataclass
class Written:
    """What `write_measure_pages` wrote into one folder (kept by `serve` between rebuilds): the frame, and per
    page (site path) the MeasurePage and the digest of the bytes written."""

    frame: str = ""
    pages: dict[str, tuple[MeasurePage, str]] = field(default_factory=dict)


def write_measure_pages(site_dir: Path, shell: str, pages: Iterable[MeasurePage], written: Written | None = None) -> int:
    """Write every page of `pages` into `site_dir` in the frame of `shell` (the shell's own page is removed
    by `remove_shell`, once MkDocs has written it). `written` (kept by the caller between builds into the same
    folder, as `serve` does) skips pages whose bytes are those already there: the very MeasurePage in the same
    frame (site.memo hands out the previous page when nothing in it changed), or the same digest. Returns
    how many pages were written. Raises ShellError when `shell` is not a frame (`frame`)."""
    cut = [part.encode("utf-8") for part in frame(shell)]  # encoded once: most of each page
    same_frame = written is not None and written.frame == shell
    if written is not None:
        written.frame = shell
    count, folder = 0, os.fspath(site_dir) + os.sep  # paths as strings: a Path per page took 0.3 s at 34,050 pages
    for page in pages:
        target = folder + page.path
        before = written.pages.get(page.path) if written is not None else None
        if same_frame and before is not None and before[0] is page and os.path.isfile(target):
            continue
        data = b"".join((cut[0], page.head.encode("utf-8"), cut[1], page.topic.encode("utf-8"), cut[2],
                         page.body.encode("utf-8"), cut[3]))
        if written is not None:
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            written.pages[page.path] = (page, digest)
            if before is not None and before[1] == digest and os.path.isfile(target):
                continue
        parent = os.path.dirname(target)
        try:
            os.mkdir(parent)
        except FileNotFoundError:
            os.makedirs(parent)
        except FileExistsError:
            pass
        with open(target, "wb") as out:
            out.write(data)
        count += 1
    return count


def remove_shell(site_dir: Path) -> None:
    """Remove the shell's own page from the built site `site_dir`: it is the measure pages' frame, not a page."""
    shell_file = site_dir / served(MEASURE_SHELL) / "index.html"
    shell_file.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: a measure's folder is there too (its id is "_shell"?)
        shell_file.parent.rmdir()


def remove_stale(site_dir: Path, keep: set[str]) -> int:
    """Remove every file of `site_dir` whose site path is not in `keep`, and the folders left empty: after a
    dirty build, what a full build would not have made. Returns how many files were removed. (Site paths are
    made from the walk's own strings: at 50x the site holds some 50,000 folders, each visited on every rebuild.)"""
    removed = 0
    root = os.fspath(site_dir)
    emptied: set[str] = set()  # folders removed below the one being visited (the walk is bottom-up)
    for folder, subfolders, names in os.walk(root, topdown=False):
        prefix = folder[len(root) + 1:].replace(os.sep, "/")
        prefix += "/" if prefix else ""
        left = len(names)
        for name in names:
            if prefix + name not in keep:
                os.unlink(os.path.join(folder, name))
                removed += 1
                left -= 1
        if folder != root and not left and all(os.path.join(folder, sub) in emptied for sub in subfolders):
            os.rmdir(folder)
            emptied.add(folder)
    return removed


def update_sitemap(site_dir: Path, site_url: str, addresses: Iterable[str]) -> None:
    """MkDocs' sitemap.xml (and .gz) without the shell page and with the measure pages (site addresses). MkDocs
    lists pages only when the site has a site_url; so does this."""
    sitemap = site_dir / "sitemap.xml"
    if not site_url or not sitemap.is_file():
        return
    base = site_url.rstrip("/") + "/"
    text = sitemap.read_text(encoding="utf-8")
    shell = re.escape(html.escape(base + served(MEASURE_SHELL)))
    text = re.sub(rf"\s*<url>\s*<loc>{shell}</loc>.*?</url>", "", text, flags=re.S)
    entries = "".join(f"\n    <url>\n         <loc>{html.escape(base + a)}</loc>\n    </url>" for a in addresses)
    text = text.replace("</urlset>", entries.lstrip("\n") + "\n</urlset>", 1) if entries else text
    sitemap.write_text(text, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
