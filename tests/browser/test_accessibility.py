"""axe-core over every page type, light and dark, phone and desktop: no violations.

axe-core is vendored (tests/browser/vendor/, MPL-2.0, fetched once with
`npm pack axe-core@4.11.0`), never downloaded at test time. Every rule axe
runs by default counts (WCAG 2.0–2.2 A and AA and its best practices), and
target-size (WCAG 2.2 2.5.8, 24 px targets), which axe leaves off by default;
a violation is reported with its rule, the page, the configuration and the
first offending elements, so a failure says where to look.

To see the figures without failing: `AXE_REPORT=1 .venv/bin/python -m pytest
tests/browser/test_accessibility.py -s` prints the violation nodes per rule.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_site_in_browser import PHONE, page_types

AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.11.0.min.js"
DESKTOP = (1280, 900)
CONFIGURATIONS = [(name, size, scheme) for name, size in (("phone", PHONE), ("desktop", DESKTOP))
                  for scheme in ("light", "dark")]
_RUN = """async () => {
    const result = await axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } });
    return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (rule id, impact, help, offending nodes)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN)


def _audit(open_page: Callable[..., tuple[Any, Any]], url: str, size: tuple[int, int], scheme: str) -> list[dict]:
    page, _ = open_page(url, viewport=size, color_scheme=scheme)
    page.wait_for_load_state("networkidle")
    # Blocks off screen are not laid out (content-visibility: auto on a plan's measures, issue 15) until a
    # reader scrolls to them; axe's geometry rules (target-size) would read the unlaid-out boxes as
    # overlapping. Audit the page as readers see each part of it: everything laid out.
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    try:
        return axe_violations(page)
    finally:
        page.context.close()


@pytest.mark.parametrize(("name", "size", "scheme"), CONFIGURATIONS, ids=[f"{n}-{s}" for n, _, s in CONFIGURATIONS])
def test_axe_finds_nothing_on_any_page_type(real_site: Path, real_site_url: str, open_page, name: str,
                                            size: tuple[int, int], scheme: str) -> None:
    found: dict[str, list[str]] = {}
    nodes: Counter[str] = Counter()
    for kind, path in sorted(page_types(real_site, smallest=True).items()):
        for violation in _audit(open_page, real_site_url + path, size, scheme):
            nodes[violation["id"]] += len(violation["nodes"])
            found.setdefault(f"{violation['id']} ({violation['help']})", []).extend(
                f"{kind} /{path}: {node}" for node in violation["nodes"][:3])
    if os.environ.get("AXE_REPORT"):
        print(f"\n{name}-{scheme}: {sum(nodes.values())} violation nodes", dict(nodes.most_common()))
    assert not found, {rule: where[:6] for rule, where in found.items()}


def test_axe_fails_on_a_page_broken_on_purpose(real_site: Path, real_site_url: str, open_page) -> None:
    """The audit can fail: a low-contrast paragraph and an image without a text alternative are found."""
    page, _ = open_page(real_site_url + page_types(real_site)["about/"], viewport=PHONE)
    page.evaluate("""() => { const p = document.createElement('p'); p.textContent = '灰色文字';
        p.style.color = '#ccc'; p.style.background = '#fff';
        const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
        const main = document.querySelector('article'); main.append(p, img); }""")
    rules = {v["id"] for v in axe_violations(page)}
    assert {"color-contrast", "image-alt"} <= rules, rules
