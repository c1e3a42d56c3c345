"""Lookalike characters in every catalogue file, and catalog/allowed-characters.yaml that keeps some on purpose.

Extraction from PDF leaves Kangxi radicals and compatibility ideographs that
look like ordinary characters but do not match them in search; every one is a
problem unless an allowance names the character and the measure or file.
"""

from __future__ import annotations

from generator.catalog import lookalikes
from generator.catalog.fields import ALLOWED_FILE, Context, Record, top_record, unknown
from generator.errors import Problem

ALLOWED_FIELDS = {"char": True, "measure": False, "file": False, "reason": True}


def check_lookalikes(ctx: Context) -> None:
    """Report every lookalike character of every file read, unless allowed-characters.yaml allows it."""
    allowances = _load_allowances(ctx)
    allowed_file = ctx.shown(ctx.catalog_dir / ALLOWED_FILE)
    used: set[int] = set()
    for path, findings in ctx.findings.items():
        for finding in findings:
            if finding.char == lookalikes.BOM:
                ctx.problems.append(Problem(path, finding.line, "byte order mark (U+FEFF, invisible) inside the file: "
                                            "delete it (only the very start of a file may have one)", finding.col))
                continue
            measure = next((mid for start, stop, mid in ctx.measure_spans.get(path, ()) if start <= finding.line <= stop), None)
            match = next((line for line, (char, where) in allowances.items()
                          if char == finding.char and where in (("measure", measure), ("file", path))), None)
            if match is not None:
                used.add(match)
                continue
            where = f" in measure {measure}" if measure else ""
            message = (f"lookalike character {lookalikes.describe(finding.char)}{where}: "
                       f"{lookalikes.advice(finding.char)}, or allow it in {allowed_file}")
            ctx.problems.append(Problem(path, finding.line, message, finding.col))
    if ctx.all_documents_read:
        for line, (char, (kind, name)) in allowances.items():
            if line not in used:
                ctx.add(allowed_file, line, f"allowance of '{char}' in {kind} {name} is not used: the character is not "
                        "there (any more); remove the entry")


def _load_allowances(ctx: Context) -> dict[int, tuple[str, tuple[str, str]]]:
    """The valid entries of allowed-characters.yaml: {line: (char, ("measure", id) or ("file", path))}."""
    top = top_record(ctx, ALLOWED_FILE, "a mapping with 'allowed:', the list of lookalike characters kept on purpose",
               {"allowed": True}, optional=True)
    if top is None:
        return {}
    allowances = {}
    seen: dict[tuple[str, tuple[str, str]], int] = {}
    for index, data in top.mapping_items("allowed", "a list of {char, measure or file, reason}", "allowance"):
        rec = Record(ctx, top.path, data, f"allowance #{index}", ALLOWED_FIELDS)
        char, reason = rec.text("char"), rec.text("reason")
        valid = bool(char) and bool(reason)
        if char and not lookalikes.is_lookalike(char):
            rec.problem("char", f"'char' must be one lookalike character (a Kangxi radical, a CJK radical or stroke, "
                        f"or a CJK compatibility ideograph), got '{char}'")
            valid = False
        where = _allowance_place(rec)
        if valid and where is not None:
            key = (char, where)
            if key in seen:
                rec.problem("char", f"'{char}' in {where[0]} {where[1]} is already allowed at line {seen[key]}")
            else:
                seen[key] = data.line
                allowances[data.line] = key
    return allowances


def _allowance_place(rec: Record) -> tuple[str, str] | None:
    """("measure", id) or ("file", path) of an allowance; None (reported) when it names neither, both, or nothing known."""
    measure, file = rec.text("measure"), rec.text("file")
    if ("measure" in rec.data) == ("file" in rec.data):
        rec.problem(None, "give either 'measure' (a measure id) or 'file' (a path like catalog/domains.yaml), not both"
                    if measure and file else "missing 'measure' or 'file': where the character is allowed")
        return None
    ctx = rec.ctx
    if measure:
        if ctx.all_documents_read and measure not in ctx.ids:
            rec.problem("measure", unknown("measure", measure, ctx.ids))
            return None
        return ("measure", measure)
    if file:
        if file not in ctx.findings:
            rec.problem("file", unknown("file", file, ctx.findings))
            return None
        return ("file", file)
    return None

