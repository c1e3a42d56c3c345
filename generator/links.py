"""Links that last: the manifest of public addresses, and redirects for the ones that moved.

Officials paste links to the site into documents that live for years. Every
public address of the site is listed in links/manifest.txt (sorted, one per
line, from the site root): each page ("/documents/jinan-2021/"), each
download and source text ("/downloads/measures.csv"), and each measure's
permalink ("/documents/jinan-2021/#jinan-2021-03-2"). The test suite builds
the site and fails when an address of the manifest is gone and no redirect
says where it went, and when the site has an address the manifest lacks
(`make manifest` accepts additions).

catalog/redirects.yaml maps what moved:

    pages:      # an old page (or file) -> where it is now; the build writes a redirect page in its place
      /domains/old-slug/: /domains/new-slug/
    measures:   # an old measure id -> its new id; the old #anchor is sent to the new permalink
      jinan-2021-03-2: jinan-2021-03-3

A redirect page is a tiny HTML page on the same origin: a meta refresh, a
canonical link, and a script that keeps the #fragment. Moved measure
anchors are followed by docs/assets/redirects.js, which reads redirects.json
(written by the build) when a page is opened at an anchor it does not have.
We keep this in the generator instead of the mkdocs-redirects plugin: that
plugin maps pages only, not the measure anchors that most shared links
point at, and it would be one more dependency to pin.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import CatalogError, Problem
from generator.model import Catalog
from generator.yamlio import LineDict, describe, read_mapping

MANIFEST = Path(__file__).resolve().parent.parent / "links" / "manifest.txt"
REDIRECTS_FILE = "redirects.yaml"
REDIRECTS_JSON = "redirects.json"
PUBLIC_FOLDERS = ("downloads/", "sources/")  # files (not pages) whose addresses are public
_PAGE = re.compile(r"/(?:[a-z0-9][a-z0-9._-]*/)*(?:[a-z0-9][a-z0-9._-]*\.[a-z0-9]+)?")
_MEASURE = re.compile(r'<article class="measure" id="([^"]+)"')


@dataclass(frozen=True)
class Redirects:
    pages: dict[str, str] = field(default_factory=dict)  # "/old/" -> "/new/"
    measures: dict[str, str] = field(default_factory=dict)  # old id -> new id


# --- redirects.yaml -------------------------------------------------------------------------


def load_redirects(catalog_dir: Path, catalog: Catalog) -> Redirects:
    """catalog/redirects.yaml (optional), validated against the catalogue; CatalogError lists every problem."""
    path = catalog_dir / REDIRECTS_FILE
    if not path.exists():
        return Redirects()
    shown = f"{catalog_dir.name}/{REDIRECTS_FILE}"
    data, problems = read_mapping(path, shown, "a mapping with 'pages:' and/or 'measures:'")
    if data is None:
        raise CatalogError(problems)
    for key in data:
        if key not in ("pages", "measures"):
            problems.append(Problem(shown, data.line_of(key), f"unknown field '{key}' (known fields: pages, measures)"))
    pages = _mapping(data, "pages", shown, problems)
    measures = _mapping(data, "measures", shown, problems)
    ids = {m.id for m in catalog.measures()}
    for old, new in pages.items():
        line = pages.line_of(old)
        for value in (old, new):
            if not _PAGE.fullmatch(value):
                problems.append(Problem(shown, line, f"'{value}' must be a site address like /domains/credit/ "
                                        "(from the site root, lower case, a page ending in /)"))
        if old == new:
            problems.append(Problem(shown, line, f"'{old}' redirects to itself"))
        elif new in pages:
            problems.append(Problem(shown, line, f"'{old}' redirects to '{new}', which redirects again: "
                                    f"point it at '{pages[new]}'"))
    for old, new in measures.items():
        line = measures.line_of(old)
        if old in ids:
            problems.append(Problem(shown, line, f"measure id '{old}' is in the catalogue: a redirect would hide it"))
        if new not in ids:
            problems.append(Problem(shown, line, f"'{old}' redirects to '{new}', which is not a measure of the catalogue"))
    if problems:
        raise CatalogError(problems)
    return Redirects(pages=dict(pages), measures=dict(measures))


def _mapping(data: LineDict, key: str, shown: str, problems: list[Problem]) -> LineDict:
    value = data.get(key)
    if value is None:
        return LineDict(data.line)
    if not isinstance(value, LineDict):
        problems.append(Problem(shown, data.line_of(key), f"'{key}' must be a mapping old -> new, got {describe(value)}"))
        return LineDict(data.line)
    for old, new in value.items():
        if not isinstance(old, str) or not isinstance(new, str):
            problems.append(Problem(shown, value.line_of(old), f"'{key}': '{old}' -> '{new}' must map a string to a string"))
    clean = LineDict(value.line)
    for old, new in value.items():
        if isinstance(old, str) and isinstance(new, str):
            clean[old] = new
            clean.key_lines[old] = value.line_of(old)
    return clean


# --- what the build writes -----------------------------------------------------------------


def redirect_files(redirects: Redirects, catalog: Catalog, url_for) -> dict[str, str]:
    """{site path: content} of the redirect pages and of redirects.json (old measure id -> new permalink)."""
    files = {}
    for old, new in redirects.pages.items():
        target = old + "index.html" if old.endswith("/") else old
        files[target.lstrip("/")] = redirect_page(old, new)
    by_id = {m.id: m for m in catalog.measures()}
    moved = {old: url_for(by_id[new]) for old, new in sorted(redirects.measures.items())}
    files[REDIRECTS_JSON] = json.dumps({"measures": moved}, ensure_ascii=False, indent=1) + "\n"
    return files


def redirect_page(old: str, new: str) -> str:
    """A same-origin redirect from the page at `old` to `new`, keeping the #fragment of the address."""
    base = old if old.endswith("/") else posixpath.dirname(old)  # the folder the browser resolves against
    relative = posixpath.relpath(new, base)
    if new.endswith("/") and not relative.endswith("/"):
        relative += "/"
    href = html.escape(relative, quote=True)
    script = json.dumps(relative)
    return (
        "<!doctype html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>本页已移至新地址</title>\n<link rel=\"canonical\" href=\"{href}\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n"
        f"<script>location.replace({script} + location.hash);</script>\n"
        f"</head>\n<body>\n<p>本页已移至 <a href=\"{href}\">新地址</a>。</p>\n</body>\n</html>\n"
    )


# --- the manifest ---------------------------------------------------------------------------


def site_links(site: Path, redirects: Redirects | None = None) -> set[str]:
    """Every public address of a built site: its pages, downloads, source texts and measure permalinks.

    Redirect pages (the old addresses) are not counted: they are in the manifest already."""
    redirected = set((redirects or Redirects()).pages)
    links = set()
    for page in site.rglob("index.html"):
        folder = page.parent.relative_to(site).as_posix()
        address = "/" if folder == "." else f"/{folder}/"
        if address in redirected:
            continue
        links.add(address)
        links.update(f"{address}#{mid}" for mid in _MEASURE.findall(page.read_text(encoding="utf-8")))
    for folder in PUBLIC_FOLDERS:
        for path in (site / folder).rglob("*") if (site / folder).is_dir() else ():
            if path.is_file() and path.name != "index.html":
                address = "/" + path.relative_to(site).as_posix()
                if address not in redirected:
                    links.add(address)
    return links


def read_manifest(path: Path = MANIFEST) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def write_manifest(links: set[str], path: Path = MANIFEST) -> None:
    header = ("# Every public address of the site, kept so that none disappears unnoticed (generator/links.py).\n"
              "# Regenerate with `make manifest` after ADDING pages; for a removed or moved one, add a redirect\n"
              "# in catalog/redirects.yaml instead.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "".join(f"{link}\n" for link in sorted(links)), encoding="utf-8")


def missing(manifest: list[str], present: set[str], redirects: Redirects) -> list[str]:
    """Manifest addresses not `present` on the site and covered by no redirect, each with how to fix it."""
    problems = []
    for link in manifest:
        if link in present:
            continue
        page, _, anchor = link.partition("#")
        if not anchor and page in redirects.pages:
            continue
        if anchor and anchor in redirects.measures:
            continue
        if anchor and page in redirects.pages and f"{redirects.pages[page]}#{anchor}" in present:
            continue
        if anchor:
            fix = (f"if the measure got another id, add '{anchor}: <new id>' under measures: in catalog/redirects.yaml; "
                   "if it was deleted, map it to the measure that replaces it")
        else:
            fix = f"add '{page}: <new address>' under pages: in catalog/redirects.yaml"
        problems.append(f"links/manifest.txt: {link} is no longer on the site: {fix}")
    return problems


def added(manifest: list[str], present: set[str]) -> list[str]:
    """Addresses of the site that the manifest does not list yet."""
    return sorted(present - set(manifest))


def run_manifest(catalog_dir: Path) -> int:
    """`python -m generator manifest`: build the site into a temporary folder and write links/manifest.txt."""
    from generator.build import run_build
    from generator.load import load_catalog

    catalog = load_catalog(catalog_dir)
    redirects = load_redirects(catalog_dir, catalog)
    with tempfile.TemporaryDirectory() as tmp:
        if run_build(catalog_dir, Path(tmp) / "site") != 0:
            return 1
        links = site_links(Path(tmp) / "site", redirects)
    old = set(read_manifest()) if MANIFEST.exists() else set()
    gone = missing(sorted(old), links, redirects)
    if gone:
        print("\n".join(gone), file=sys.stderr)
        print("links/manifest.txt NOT written: add the redirects first (a published address must keep working).",
              file=sys.stderr)
        return 1
    write_manifest(links | old)
    print(f"wrote {MANIFEST.relative_to(MANIFEST.parent.parent)}: {len(links | old)} addresses "
          f"({len(links - old)} new)")
    return 0
