"""The review page: the source text, every line marked by what the import made of it.

`write_review(source, doc, report, path)` writes one self-contained HTML file
(no script, no external resource) that a maintainer opens beside the YAML: each
source line with its number, coloured by its role (measure, units of a measure,
heading, preamble, closing, page furniture, blank) and labelled with the measure
id; lines the importer was unsure about carry its notes, and refused lines its
errors. It is written for every import, refused or not, under build/review/.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

_COLOURS = {
    "measure": "#e8f5e9", "units": "#e3f2fd", "heading": "#fff3e0", "preamble": "#f3e5f5",
    "closing": "#f3e5f5", "furniture": "#eeeeee", "blank": "#ffffff", "unread": "#ffebee",
}


def _role(text: str) -> str:
    return text.split(" ", 1)[0] if text else "unread"


def render_review(source: str, doc: dict, report) -> str:
    """The review page's HTML for one import (see the module docstring)."""
    notes: dict[int, list[str]] = defaultdict(list)
    for line, message in report.unsure:
        notes[line].append("unsure: " + message)
    for line, message in report.errors:
        notes[line].append("REFUSED: " + message)
    rows = []
    for number, raw in enumerate(source.splitlines(), start=1):
        role = report.roles.get(number, "" if raw.strip() else "blank")
        kind = _role(role)
        colour = _COLOURS.get(kind, _COLOURS["unread"])
        label = role or ("" if kind == "blank" else "not placed")
        extra = "".join(f"<div class=n>{html.escape(n)}</div>" for n in notes.get(number, ()))
        rows.append(f"<tr style='background:{colour}'><td class=l>{number}</td><td class=r>{html.escape(label)}</td>"
                    f"<td class=t>{html.escape(raw)}{extra}</td></tr>")
    title = html.escape(f"{doc.get('source', '')}: {doc.get('title', '')}")
    head = (f"<p>{len(doc.get('measures') or ())} measures; issuer {html.escape(str(doc.get('issuer') or '—'))}; "
            f"date {html.escape(str(doc.get('date') or '—'))}; doc number {html.escape(str(doc.get('doc_number') or '—'))}"
            f"; {len(report.unsure)} unsure; {len(report.errors)} refusing errors.</p>")
    legend = " ".join(f"<span style='background:{c};padding:0 .4em'>{k}</span>" for k, c in _COLOURS.items())
    return ("<!doctype html><html lang=zh><meta charset=utf-8><title>" + title + "</title><style>"
            "body{font:14px/1.5 sans-serif;margin:1em}table{border-collapse:collapse;width:100%}"
            "td{vertical-align:top;padding:1px 6px;border-bottom:1px solid #ddd}.l{color:#888;text-align:right}"
            ".r{white-space:nowrap;font-family:monospace;font-size:12px}.t{white-space:pre-wrap}"
            ".n{color:#b71c1c;font-size:12px}</style><h1>" + title + "</h1>" + head + "<p>" + legend + "</p><table>"
            + "".join(rows) + "</table></html>\n")


def write_review(source: str, doc: dict, report, path: Path) -> Path:
    """Write the review page to `path` (folders created) and return `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_review(source, doc, report), encoding="utf-8")
    return path
