"""Error reports: the address of a new issue in the repository, prefilled with what a maintainer needs.

The measure's id, its address and its lines in the source text are filled in,
so a reader only says what is wrong. Those who cannot use the repository write
to the contact address (both from mkdocs.yml `extra`, through `Release`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from generator.model import Document, Measure
from generator.site.wording import shown_label


def report_url(repository: str, measure: Measure, document: Document, *, url: str,
               lines: tuple[int, int] | None) -> str:
    """A GitHub "new issue" address prefilled for `measure`; "" when no repository is configured."""
    if not repository:
        return ""
    where = f"第 {lines[0]}–{lines[1]} 行" if lines and lines[1] != lines[0] else f"第 {measure.line} 行"
    body = "\n".join([
        f"- 举措编号：`{measure.id}`",
        f"- 举措地址：{url}",
        f"- 文件：《{document.title}》{shown_label(measure)}",
        f"- 原文：`{document.source}` {where}",
        "",
        "哪里有误，原文是怎样写的：",
        "",
    ])
    query = urlencode({"title": f"举措 {measure.id} 有误", "body": body})
    return f"{repository.rstrip('/')}/issues/new?{query}"
