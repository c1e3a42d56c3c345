"""Links that last: the manifest of every public address, checked against each built site.

Officials paste links to the site into documents that live for years. Every
public address of the site is listed in links/manifest.txt (sorted, one per
line, from the site root): each page ("/documents/jinan-2021/"), each
measure's page ("/m/jinan-2021-03-2/"), each download and source text
("/downloads/measures.csv"), and each measure's place in its plan
("/documents/jinan-2021/#jinan-2021-03-2"). The test suite builds
the site and fails when an address of the manifest is gone and no redirect
(catalog/redirects.yaml) says where it went, and when the site has an
address the manifest lacks (`make manifest` accepts additions).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.model import Redirects
from generator.site.addresses import measure_address

MANIFEST = Path(__file__).resolve().parents[2] / "links" / "manifest.txt"
PUBLIC_FOLDERS = ("downloads/", "sources/")  # files (not pages) whose addresses are public
_MEASURE = re.compile(r'<article class="measure" id="([^"]+)"')


def site_links(site: Path, redirects: Redirects | None = None) -> set[str]:
    """Every public address of a built site: its pages, downloads, source texts and measure permalinks.

    Redirect pages (the old addresses) are not counted: they are in the manifest already."""
    redirects = redirects or Redirects()
    redirected = set(redirects.pages) | {"/" + measure_address(old) for old in redirects.measures}
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
    header = ("# Every public address of the site, kept so that none disappears unnoticed (generator/publish/manifest.py).\n"
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
        if not anchor and any(page == "/" + measure_address(old) for old in redirects.measures):
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
