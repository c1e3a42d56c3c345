"""The field toolkit every catalogue file's validator uses: where problems go, and typed readers.

`Context` collects the problems of one load and what the files read so far
define (domains, jurisdictions, reforms, measure ids), so later files can be
checked against earlier ones. `Record` wraps one YAML mapping: its readers
report a problem at the line of the field and return a harmless default, so
validation goes on and every problem of every file is reported at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.catalog import lookalikes
from generator.catalog.yamlio import Invalid, LineDict, describe, parse_mapping, read_bytes
from generator.errors import Problem
from generator.model import Document, Domain, Jurisdiction, Reform

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
YEARS = range(1990, 2101)
KNOWN_SHOWN = 6  # how many known names an "unknown …" message lists
ALLOWED_FILE = "allowed-characters.yaml"  # names lookalike characters on purpose: not scanned for them

class Context:
    """What the checks share: where problems go, and what the files read so far define."""

    def __init__(self, catalog_dir: Path, parsed: ParsedFiles | None = None) -> None:
        self.catalog_dir = catalog_dir
        self.parsed = parsed  # `serve`: the parses of the previous load, for the files that did not change
        self.root = catalog_dir.resolve().parent
        self.problems: list[Problem] = []
        # None: the file could not be read, so references to it are not checked.
        self.domains: dict[str, Domain] | None = None
        self.jurisdictions: dict[str, Jurisdiction] | None = None
        self.reforms: dict[str, Reform] | None = None  # by name
        self.ids: dict[str, str] = {}  # measure id -> "path:line" where it first appears
        self.all_documents_read = True
        self.findings: dict[str, list[lookalikes.Finding]] = {}  # path -> lookalike characters in it
        self.measure_spans: dict[str, list[tuple[int, int, str]]] = {}  # path -> (first line, last line, id)

    def shown(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def add(self, path: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def read(self, path: Path, expected: str) -> LineDict | None:
        """The file's top-level mapping (None when it has none: the problems say why), its problems added to
        this load's and its lookalike characters kept for `characters`. Under `parsed`, a file whose bytes are
        those of the previous load is not parsed again."""
        shown = self.shown(path)
        raw, problem = read_bytes(path, shown)
        if raw is None:
            self.problems.append(problem)
            return None
        if self.parsed is None:
            parse = _parse(raw, shown, expected, allowances=path.name == ALLOWED_FILE)
        else:
            key = (hashlib.blake2b(raw, digest_size=16).digest(), expected)
            parse = self.parsed.get(shown, key)
            if parse is None:
                parse = _parse(raw, shown, expected, allowances=path.name == ALLOWED_FILE)
                self.parsed.keep(shown, key, parse)
        data, problems, findings = parse
        self.problems.extend(problems)
        if data is not None:
            self.findings[shown] = findings
        return data


Parse = tuple[LineDict | None, tuple[Problem, ...], list[lookalikes.Finding]]


def _parse(raw: bytes, shown: str, expected: str, *, allowances: bool) -> Parse:
    """A catalogue file's bytes -> (its top-level mapping or None, its problems, its lookalike characters)."""
    data, problems = parse_mapping(raw, shown, expected)
    findings = lookalikes.find(raw.decode("utf-8")) if data is not None else []
    if allowances:  # allowed-characters.yaml names lookalikes on purpose
        findings = [f for f in findings if f.char == lookalikes.BOM]
    return data, tuple(problems), findings


@dataclass(frozen=True, slots=True)
class CheckedDocument:
    """A plan that passed its checks in a load under `serve` (catalog.documents._kept_or_loaded): its parse, the
    vocabulary it was checked against, the Document, its measures' (id, line) and its measures' line spans."""

    data: LineDict
    vocabulary: tuple[Any, Any, Any]  # (domains, jurisdictions, reforms) as the Context held them
    document: Document
    ids: tuple[tuple[str, int | None], ...]
    spans: list[tuple[int, int, str]]


class ParsedFiles:
    """The parses of the catalogue files of the latest load, kept between the loads of one `serve` process so a
    rebuild parses only the files that changed (most of a load's time is parsing YAML).

    Correct because a parse is a function of the file's bytes, its shown path and what it is expected to hold
    (`yamlio.parse_mapping`, `lookalikes.find`): an entry is handed out only for the same (digest of the bytes,
    expected) under the same path, and the validators never modify a parse (they read it into new model
    objects). Only the files read by the latest load are kept, so a removed file's parse goes with it."""

    def __init__(self) -> None:
        self._previous: dict[str, tuple[tuple[bytes, str], Parse]] = {}
        self._latest: dict[str, tuple[tuple[bytes, str], Parse]] = {}
        self.parsed = self.reused = 0  # the current load's files parsed anew, and handed out again
        self.last = (0, 0)  # (parsed, reused) of the latest finished load
        self.catalog: Any = None  # the Catalog of the latest successful load (load._carry_over)
        self._checked: dict[str, CheckedDocument] = {}  # shown path -> the plan checked there by the latest load
        self._checked_latest: dict[str, CheckedDocument] = {}

    def get(self, shown: str, key: tuple[bytes, str]) -> Parse | None:
        kept = self._previous.get(shown)
        if kept is None or kept[0] != key:
            return None
        self._latest[shown] = kept
        self.reused += 1
        return kept[1]

    def keep(self, shown: str, key: tuple[bytes, str], parse: Parse) -> None:
        self._latest[shown] = (key, parse)
        self.parsed += 1

    def checked(self, shown: str) -> CheckedDocument | None:
        """The plan at `shown` as the previous load checked it without a problem, if it did."""
        return self._checked.get(shown)

    def keep_checked(self, shown: str, checked: CheckedDocument) -> None:
        self._checked_latest[shown] = checked

    def finish(self) -> None:
        """A load is over: what it read is what the next load may reuse."""
        self._previous, self._latest = self._latest, {}
        self._checked, self._checked_latest = self._checked_latest, {}
        self.last, self.parsed, self.reused = (self.parsed, self.reused), 0, 0


class Record:
    """One mapping under validation: typed readers for its fields that report problems at their lines.

    Readers return a harmless default when a field is missing or wrong, so
    validation goes on; the problem is already on the list.
    """

    def __init__(self, ctx: Context, path: str, data: LineDict, who: str, fields: Mapping[str, bool]) -> None:
        self.ctx, self.path, self.data, self.who = ctx, path, data, who
        self._check_field_names(fields)

    def problem(self, key: str | None, message: str) -> None:
        """Report at the line of `key`, or of the record itself when key is None."""
        self.problem_at(self.data.line_of(key), message)

    def problem_at(self, line: int, message: str) -> None:
        self.ctx.add(self.path, line, f"{self.who}: {message}" if self.who else message)

    def _check_field_names(self, fields: Mapping[str, bool]) -> None:
        suggested = set()
        for key in self.data:
            if key not in fields:
                close = difflib.get_close_matches(str(key), list(fields), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "known fields: " + ", ".join(fields)
                self.problem(key, f"unknown field '{key}' ({hint})")
                suggested.update(close)
        for name, required in fields.items():
            if required and name not in self.data and name not in suggested:
                self.problem(None, f"missing required field '{name}'")

    def typed(self, key: str, kind: type, what: str) -> Any:
        """The value of `key` if it is a `kind` (never a bool); otherwise report it and return None."""
        value = self.data[key]
        if isinstance(value, kind) and not isinstance(value, bool):
            return value
        if not isinstance(value, Invalid):
            self.problem(key, f"'{key}' must be {what}, got {describe(value)}")
        return None

    def text(self, key: str, *, empty_ok: bool = False) -> str:
        """A string field; unless `empty_ok`, it must hold more than whitespace."""
        if key not in self.data:
            return ""
        if self.data[key] is None and not empty_ok:
            self.problem(key, f"'{key}' is empty: fill it in")
            return ""
        value = self.typed(key, str, 'a string ("" where there is none)' if empty_ok else "a string")
        if value is not None and not empty_ok and not value.strip():
            self.problem(key, f"'{key}' is empty: fill it in")
        return value or ""

    def optional_text(self, key: str) -> str | None:
        return self.text(key) or None

    def slug(self, key: str) -> str:
        value = self.text(key)
        message = slug_problem(value) if value else None
        if message:
            self.problem(key, f"{key} '{value}' {message}")
        return value

    def choice(self, key: str, allowed: Collection[str], default: str | None = None) -> str | None:
        """One of `allowed`; `default` when absent, None when wrong."""
        if key not in self.data:
            return default
        value = self.typed(key, str, f"one of {either(allowed)}")
        if value is not None and value not in allowed:
            self.problem(key, f"unknown {key} '{value}' (expected {either(allowed)})")
            return None
        return value

    def fraction(self, key: str) -> float | None:
        """A number from 0 to 1 (a similarity score)."""
        value = self.typed(key, (int, float), "a number from 0 to 1") if key in self.data else None
        if value is not None and not 0 <= value <= 1:
            self.problem(key, f"'{key}' must be a number from 0 to 1, got {value}")
            return None
        return None if value is None else float(value)

    def positive(self, key: str) -> int | None:
        value = self.typed(key, int, "a positive integer") if key in self.data else None
        if value is not None and value < 1:
            self.problem(key, f"'{key}' must be a positive integer, got {value}")
            return None
        return value

    def year(self, key: str) -> int:
        value = self.typed(key, int, "a year like 2021") if key in self.data else None
        if value is not None and value not in YEARS:
            self.problem(key, f"year {value} is implausible: expected {YEARS[0]} to {YEARS[-1]}")
        return value or 0

    def date(self, key: str, *, null_ok: bool = False) -> dt.date | None:
        value = self.data.get(key)
        if key not in self.data or isinstance(value, Invalid) or (value is None and null_ok):
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            what = "a date like 2021-06-30 (unquoted)" + (" or null" if null_ok else "")
            self.problem(key, f"'{key}' must be {what}, got {describe(value)}")
            return None
        if value.year not in YEARS:
            self.problem(key, f"date {value.isoformat()} is implausible: expected a year from {YEARS[0]} to {YEARS[-1]}")
            return None
        return value

    def string_items(self, key: str, what: str, *, nonempty: bool = False) -> list[tuple[str, int]]:
        """The non-empty strings listed under `key`, each with its line."""
        value = self.typed(key, list, what) if key in self.data else None
        if value is None:
            return []
        if nonempty and not value:
            self.problem(key, f"'{key}' is empty: it needs at least one item")
        items = []
        for index, (item, line) in enumerate(zip(value, value.item_lines, strict=True), 1):
            if isinstance(item, str) and item.strip():
                items.append((item, line))
            elif item is None or isinstance(item, str):
                self.problem_at(line, f"'{key}' item {index} is empty: fill it in or remove it")
            elif not isinstance(item, Invalid):
                self.problem_at(line, f"'{key}' item {index} must be a string, got {describe(item)}")
        return items

    def strings(self, key: str, what: str, *, nonempty: bool = False) -> tuple[str, ...]:
        return tuple(item for item, _ in self.string_items(key, what, nonempty=nonempty))

    def mapping_items(self, key: str, what: str, item_name: str, *, nonempty: bool = False) -> list[tuple[int, LineDict]]:
        """The mappings listed under `key`, numbered from 1."""
        value = self.typed(key, list, what) if key in self.data else None
        if value is None:
            return []
        if nonempty and not value:
            self.problem(key, f"'{key}' is empty: it needs at least one item")
        items = []
        for index, (item, line) in enumerate(zip(value, value.item_lines, strict=True), 1):
            if isinstance(item, LineDict):
                items.append((index, item))
            elif not isinstance(item, Invalid):
                self.problem_at(line, f"{item_name} #{index} must be a mapping of fields, got {describe(item)}")
        return items

    def reference(self, key: str, value: str, known: Collection[str] | None, kind: str) -> None:
        """Report `value` of field `key` unless it is one of `known` (None: not checkable)."""
        if value and known is not None and value not in known:
            self.problem(key, unknown(kind, value, known))

    def first_use(self, key: str, value: str, seen: dict[str, int]) -> bool:
        """Record the line where `value` of `key` first appears; report any later appearance."""
        if not value:
            return False
        line = self.data.line_of(key)
        if value in seen:
            self.ctx.add(self.path, line, f"duplicate {key} '{value}' (first at line {seen[value]})")
            return False
        seen[value] = line
        return True


def slug_problem(value: str) -> str | None:
    if not value.isascii():
        return "is not ASCII: use lowercase letters, digits and hyphens (it appears in URLs)"
    if not SLUG.fullmatch(value):
        return "must be lowercase letters and digits joined by single hyphens, like demo-2021-01"
    return None


def either(names: Iterable[str]) -> str:
    names = list(names)
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def unknown(kind: str, value: str, known: Iterable[str]) -> str:
    known = list(known)
    if not known:
        return f"unknown {kind} '{value}' (none are defined)"
    close = difflib.get_close_matches(value, known, n=1)
    if close:
        return f"unknown {kind} '{value}' (did you mean '{close[0]}'?)"
    listed = ", ".join(known[:KNOWN_SHOWN]) + (", …" if len(known) > KNOWN_SHOWN else "")
    return f"unknown {kind} '{value}' (known: {listed})"


def others(known: Iterable[str], slug: str) -> list[str]:
    """The known slugs but `slug`: a record is never its own parent."""
    return [other for other in known if other != slug]


def who(kind: str, name: Any, index: int) -> str:
    """How messages name a record: by its slug or id, or by its position when it has none."""
    return f"{kind} {name}" if isinstance(name, str) and name.strip() else f"{kind} #{index}"


def top_record(ctx: Context, name: str, expected: str, fields: Mapping[str, bool], *, optional: bool = False) -> Record | None:
    """The top-level mapping of catalog/<name>; None when the file is absent or unreadable."""
    path = ctx.catalog_dir / name
    if optional and not path.exists():
        return None
    if not path.is_file():
        ctx.add(ctx.shown(path), None, f"file is missing: it must hold {expected}")
        return None
    data = ctx.read(path, expected)
    return None if data is None else Record(ctx, ctx.shown(path), data, "", fields)


# --- domains.yaml, jurisdictions.yaml, reforms.yaml ---------------------------------
