"""Load and validate the catalogue: YAML files in, frozen model out.

`load_catalog` reads every file of the catalogue, collects every problem in
all of them and raises one CatalogError that lists them all, in file order
and line order. Only a catalogue without problems becomes a `model.Catalog`.

Paths in messages are relative to the folder that holds `catalog/` (the
repository root), which is also the folder a document's `source` is
relative to.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from generator import lookalikes
from generator.errors import CatalogError, Problem
from generator.model import (
    DEADLINE_KINDS,
    DOMAIN_KINDS,
    LEVELS,
    AlignmentSettings,
    Catalog,
    CheckedPair,
    Deadline,
    Document,
    Domain,
    Jurisdiction,
    Measure,
    Reform,
    UnitAlias,
)
from generator.unittable import unit_key
from generator.yamlio import Invalid, LineDict, describe, read_mapping

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
YEARS = range(1990, 2101)
KNOWN_SHOWN = 6  # how many known names an "unknown …" message lists
# A district's parent is its city, or a province-level municipality (上海市徐汇区: 上海市 is entered
# as a province); counties (县) and county-level cities are districts: peers under a city.
PARENT_LEVEL = {"city": ("province",), "district": ("city", "province")}

# The fields of each kind of record: name -> required.
DOCUMENT_FIELDS = dict.fromkeys(
    ["slug", "title", "jurisdiction", "year", "source", "issuer", "doc_number", "date",
     "running_headers", "preamble", "closing", "measures"], True)
MEASURE_FIELDS = {
    "id": True, "number": True, "sub": False, "section": True, "title": True, "text": True,
    "units": False, "lead": False, "responsible": False, "section_lead": False, "deadlines": False,
    "domain": True, "domain_by": True, "tags": False, "line": True,
}
DEADLINE_FIELDS = {"phrase": True, "date": False, "kind": False}
DOMAIN_FIELDS = {"slug": True, "name": True, "kind": True, "parent": False, "aliases": False, "description": False}
JURISDICTION_FIELDS = {"slug": True, "name": True, "level": True, "parent": False}
REFORM_FIELDS = {"slug": True, "name": True, "match": False}
RULE_FIELDS = {"id": True, "domain": True, "keywords": True}
OVERRIDE_FIELDS = {"domain": True, "reason": True}
ALLOWED_FIELDS = {"char": True, "measure": False, "file": False, "reason": True}
ALLOWED_FILE = "allowed-characters.yaml"
ALIGNMENT_FIELDS = {"threshold": True, "relative": True, "checked": False}
CHECKED_FIELDS = {"province": True, "local": True, "same": True, "note": False}
UNIT_ALIAS_FIELDS = {"jurisdiction": True, "name": True, "variants": True}

DOCUMENT_EXPECTED = "a mapping with slug, title, jurisdiction, year, source, …, measures"
UNITS = "a list of unit names"


class _Context:
    """What the checks share: where problems go, and what the files read so far define."""

    def __init__(self, catalog_dir: Path) -> None:
        self.catalog_dir = catalog_dir
        self.root = catalog_dir.resolve().parent
        self.problems: list[Problem] = []
        # None: the file could not be read, so references to it are not checked.
        self.domains: dict[str, Domain] | None = None
        self.jurisdictions: dict[str, Jurisdiction] | None = None
        self.reforms: set[str] | None = None
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
        data, problems = read_mapping(path, self.shown(path), expected)
        self.problems.extend(problems)
        if data is not None:
            findings = lookalikes.find(path.read_bytes().decode("utf-8"))
            if path.name == ALLOWED_FILE:  # it names lookalikes on purpose
                findings = [f for f in findings if f.char == lookalikes.BOM]
            self.findings[self.shown(path)] = findings
        return data


class _Record:
    """One mapping under validation: typed readers for its fields that report problems at their lines.

    Readers return a harmless default when a field is missing or wrong, so
    validation goes on; the problem is already on the list.
    """

    def __init__(self, ctx: _Context, path: str, data: LineDict, who: str, fields: Mapping[str, bool]) -> None:
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
        message = _slug_problem(value) if value else None
        if message:
            self.problem(key, f"{key} '{value}' {message}")
        return value

    def choice(self, key: str, allowed: Collection[str], default: str | None = None) -> str | None:
        """One of `allowed`; `default` when absent, None when wrong."""
        if key not in self.data:
            return default
        value = self.typed(key, str, f"one of {_either(allowed)}")
        if value is not None and value not in allowed:
            self.problem(key, f"unknown {key} '{value}' (expected {_either(allowed)})")
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
            self.problem(key, _unknown(kind, value, known))

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


def _slug_problem(value: str) -> str | None:
    if not value.isascii():
        return "is not ASCII: use lowercase letters, digits and hyphens (it appears in URLs)"
    if not SLUG.fullmatch(value):
        return "must be lowercase letters and digits joined by single hyphens, like demo-2021-01"
    return None


def _either(names: Iterable[str]) -> str:
    names = list(names)
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def _unknown(kind: str, value: str, known: Iterable[str]) -> str:
    known = list(known)
    if not known:
        return f"unknown {kind} '{value}' (none are defined)"
    close = difflib.get_close_matches(value, known, n=1)
    if close:
        return f"unknown {kind} '{value}' (did you mean '{close[0]}'?)"
    listed = ", ".join(known[:KNOWN_SHOWN]) + (", …" if len(known) > KNOWN_SHOWN else "")
    return f"unknown {kind} '{value}' (known: {listed})"


def _others(known: Iterable[str], slug: str) -> list[str]:
    """The known slugs but `slug`: a record is never its own parent."""
    return [other for other in known if other != slug]


def _who(kind: str, name: Any, index: int) -> str:
    """How messages name a record: by its slug or id, or by its position when it has none."""
    return f"{kind} {name}" if isinstance(name, str) and name.strip() else f"{kind} #{index}"


def _top(ctx: _Context, name: str, expected: str, fields: Mapping[str, bool], *, optional: bool = False) -> _Record | None:
    """The top-level mapping of catalog/<name>; None when the file is absent or unreadable."""
    path = ctx.catalog_dir / name
    if optional and not path.exists():
        return None
    if not path.is_file():
        ctx.add(ctx.shown(path), None, f"file is missing: it must hold {expected}")
        return None
    data = ctx.read(path, expected)
    return None if data is None else _Record(ctx, ctx.shown(path), data, "", fields)


# --- domains.yaml, jurisdictions.yaml, reforms.yaml ---------------------------------


def _load_slugged(ctx: _Context, filename: str, key: str, what: str, fields, build, check_parent) -> dict | None:
    """Entries of domains.yaml or jurisdictions.yaml by slug, each built by `build(rec)` (first use of a
    slug only), then `check_parent(rec, item, known)` on each once all are known.

    None when the file has no usable list: references to it are then not checked."""
    top = _top(ctx, filename, f"a mapping with '{key}:', the list of {key}", {key: True})
    if top is None:
        return None
    entries = top.mapping_items(key, f"a list of {key}", what)
    if not isinstance(top.data.get(key), list):
        return None
    records, lines = [], {}
    for index, data in entries:
        rec = _Record(ctx, top.path, data, _who(what, data.get("slug"), index), fields)
        item = build(rec)
        if rec.first_use("slug", item.slug, lines):
            records.append((rec, item))
    known = {item.slug: item for _, item in records}
    for rec, item in records:
        check_parent(rec, item, known)
    return known


def _load_domains(ctx: _Context) -> dict[str, Domain] | None:
    return _load_slugged(ctx, "domains.yaml", "domains", "domain", DOMAIN_FIELDS, lambda rec: Domain(
        slug=rec.slug("slug"), name=rec.text("name"), kind=rec.choice("kind", DOMAIN_KINDS) or "",
        parent=rec.optional_text("parent"), aliases=rec.strings("aliases", "a list of names"),
        description=rec.text("description", empty_ok=True),
    ), _check_domain_parent)


def _check_domain_parent(rec: _Record, domain: Domain, domains: dict[str, Domain]) -> None:
    if domain.kind == "sub-indicator" and not domain.parent:
        rec.problem(None, "a sub-indicator needs 'parent': the slug of its indicator")
    if not domain.parent:
        return
    parent = domains.get(domain.parent)
    if parent is None:
        rec.problem("parent", _unknown("parent", domain.parent, _others(domains, domain.slug)))
    elif domain.kind != "sub-indicator":
        rec.problem("parent", "only a sub-indicator has a parent: remove 'parent' or set kind: sub-indicator")
    elif parent.kind != "indicator":
        rec.problem("parent", f"parent '{parent.slug}' is a {parent.kind}: the parent of a sub-indicator must be an indicator")


def _load_jurisdictions(ctx: _Context) -> dict[str, Jurisdiction] | None:
    return _load_slugged(ctx, "jurisdictions.yaml", "jurisdictions", "jurisdiction", JURISDICTION_FIELDS,
                         lambda rec: Jurisdiction(slug=rec.slug("slug"), name=rec.text("name"),
                                                  level=rec.choice("level", LEVELS) or "",
                                                  parent=rec.optional_text("parent")),
                         _check_jurisdiction_parent)


def _check_jurisdiction_parent(rec: _Record, jurisdiction: Jurisdiction, known: dict[str, Jurisdiction]) -> None:
    level, parent = jurisdiction.level, jurisdiction.parent
    if level == "province" and parent:
        rec.problem("parent", "a province has no parent: remove 'parent'")
        return
    wanted = PARENT_LEVEL.get(level)
    if wanted is None:
        return
    if not parent:
        rec.problem(None, f"a {level} needs 'parent': the slug of its {' or '.join(wanted)}")
    elif parent not in known:
        rec.problem("parent", _unknown("parent", parent, _others(known, jurisdiction.slug)))
    elif known[parent].level not in wanted:
        rec.problem("parent", f"parent '{parent}' is a {known[parent].level}, "
                              f"but the parent of a {level} must be a {' or '.join(wanted)}")


def _load_reforms(ctx: _Context) -> dict[str, Reform] | None:
    """The named reforms by name (the tags measures may carry); None when there is no usable reforms.yaml."""
    expected = "a mapping with 'reforms:', the list of named reforms"
    top = _top(ctx, "reforms.yaml", expected, {"reforms": True}, optional=True)
    if top is None:
        return None
    slugs: dict[str, int] = {}
    names: dict[str, int] = {}
    entries = top.mapping_items("reforms", "a list of reforms", "reform")
    if not isinstance(top.data.get("reforms"), list):
        return None  # nothing usable: references to reforms are not checked
    reforms: dict[str, Reform] = {}
    for index, data in entries:
        rec = _Record(ctx, top.path, data, _who("reform", data.get("slug"), index), REFORM_FIELDS)
        slug, name = rec.slug("slug"), rec.text("name")
        rec.first_use("slug", slug, slugs)
        match = rec.strings("match", "a list of phrases")
        if rec.first_use("name", name, names):
            reforms[name] = Reform(slug=slug, name=name, match=match)
    return reforms


# --- documents ----------------------------------------------------------------------


def _load_documents(ctx: _Context) -> list[Document]:
    folder = ctx.catalog_dir / "documents"
    if not folder.is_dir():
        return []
    documents = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".yml":
            ctx.add(ctx.shown(path), None, f"document files end in .yaml: rename it to {path.stem}.yaml")
        elif path.suffix == ".yaml":
            document = _load_document(ctx, path)
            if document is None:
                ctx.all_documents_read = False
            else:
                documents.append(document)
    return documents


def _load_document(ctx: _Context, path: Path) -> Document | None:
    data = ctx.read(path, DOCUMENT_EXPECTED)
    if data is None:
        return None
    rec = _Record(ctx, ctx.shown(path), data, "", DOCUMENT_FIELDS)
    slug = rec.slug("slug")
    if slug and slug != path.stem:
        rec.problem("slug", f"slug '{slug}' does not match the file name {path.name}: they must be equal")
    jurisdiction = rec.text("jurisdiction")
    rec.reference("jurisdiction", jurisdiction, ctx.jurisdictions, "jurisdiction")
    source = rec.text("source")
    _check_source(rec, source, slug)
    return Document(
        slug=slug, title=rec.text("title"), jurisdiction=jurisdiction, year=rec.year("year"), source=source,
        issuer=rec.text("issuer", empty_ok=True), doc_number=rec.text("doc_number", empty_ok=True),
        date=rec.date("date", null_ok=True),
        running_headers=rec.strings("running_headers", "a list of header lines"),
        preamble=rec.strings("preamble", "a list of paragraphs"),
        closing=rec.strings("closing", "a list of paragraphs"),
        measures=_measures(rec, slug),
    )


def _check_source(rec: _Record, source: str, slug: str) -> None:
    if not source:
        return
    path = PurePosixPath(source)
    if path.is_absolute() or ".." in path.parts or "\\" in source:
        rec.problem("source", f"source '{source}' must be a path like sources/{slug}.txt, relative to the repository root")
    elif slug and path.name != f"{slug}.txt":
        rec.problem("source", f"source '{source}' does not match slug '{slug}': the file must be named {slug}.txt")
    elif not (rec.ctx.root / path).is_file():
        rec.problem("source", f"source '{source}' does not exist")


def _measures(document: _Record, document_slug: str) -> tuple[Measure, ...]:
    items = document.mapping_items("measures", "a list of measures", "measure", nonempty=True)
    measures = tuple(_measure(document, data, index, document_slug) for index, data in items)
    _record_spans(document, [(data.line, m.id) for (_, data), m in zip(items, measures, strict=True)])
    return measures


def _record_spans(document: _Record, starts: list[tuple[int, str]]) -> None:
    """The lines of each measure: from its first line to the line before the next measure (the last one
    to the line before the next top-level field, or the end of the file), so lookalikes can name it."""
    if not starts:
        return
    measures_line = document.data.line_of("measures")
    after = [line for line in document.data.key_lines.values() if line > measures_line]
    end = min(after) - 1 if after else 10**9
    ends = [line - 1 for line, _ in starts[1:]] + [end]
    document.ctx.measure_spans[document.path] = [(start, stop, mid) for (start, mid), stop in zip(starts, ends, strict=True)]


def _measure(document: _Record, data: LineDict, index: int, document_slug: str) -> Measure:
    ctx = document.ctx
    rec = _Record(ctx, document.path, data, _who("measure", data.get("id"), index), MEASURE_FIELDS)
    measure_id = _measure_id(rec, document_slug)
    domain = rec.text("domain")
    rec.reference("domain", domain, ctx.domains, "domain")
    return Measure(
        id=measure_id, document=document_slug, number=_number(rec), sub=rec.positive("sub"),
        section=rec.strings("section", "a list of headings", nonempty=True),
        title=rec.text("title"), text=rec.text("text"), units=rec.text("units", empty_ok=True),
        lead=rec.strings("lead", UNITS), responsible=rec.strings("responsible", UNITS),
        section_lead=rec.strings("section_lead", UNITS), deadlines=_deadlines(rec),
        domain=domain, domain_by=rec.text("domain_by"), tags=_tags(rec), line=rec.positive("line"),
    )


def _measure_id(rec: _Record, document_slug: str) -> str:
    """The measure's id; problems with it name the id itself, so they carry no "measure …:" prefix."""
    measure_id = rec.text("id")
    if not measure_id:
        return measure_id
    line = rec.data.line_of("id")
    message = _slug_problem(measure_id)
    if message:
        rec.ctx.add(rec.path, line, f"id '{measure_id}' {message}")
    elif document_slug and not measure_id.startswith(document_slug + "-"):
        rec.ctx.add(rec.path, line, f"id '{measure_id}' must start with the document slug: {document_slug}-")
    place = f"{rec.path}:{line}"
    first = rec.ctx.ids.setdefault(measure_id, place)
    if first != place:
        rec.ctx.add(rec.path, line, f"duplicate id '{measure_id}' (first in {first})")
    return measure_id


def _number(rec: _Record) -> str:
    value = rec.data.get("number")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        rec.problem("number", f"'number' must be a string as printed: quote it: number: \"{value}\"")
        return str(value)
    return rec.text("number")


def _deadlines(measure: _Record) -> tuple[Deadline, ...]:
    what = "a list of deadlines like {phrase: 6月底前, date: 2021-06-30}"
    items = measure.mapping_items("deadlines", what, "deadline")
    return tuple(_deadline(measure, index, data) for index, data in items)


def _deadline(measure: _Record, index: int, data: LineDict) -> Deadline:
    rec = _Record(measure.ctx, measure.path, data, f"{measure.who}: deadline #{index}", DEADLINE_FIELDS)
    phrase = rec.text("phrase")
    kind = rec.choice("kind", DEADLINE_KINDS, default="date")
    date = rec.date("date")
    if kind == "date" and "date" not in data:
        rec.problem(None, "'date' is missing: add date: YYYY-MM-DD, or set kind: recurring or kind: ongoing")
    elif kind in ("recurring", "ongoing") and "date" in data:
        rec.problem("date", f"kind {kind} takes no date: remove 'date' or set kind: date")
    return Deadline(phrase=phrase, kind=kind or "date", date=date)


def _tags(measure: _Record) -> tuple[str, ...]:
    items = measure.string_items("tags", "a list of reform names")
    reforms = measure.ctx.reforms
    for tag, line in items:
        if reforms is not None and tag not in reforms:
            measure.problem_at(line, _unknown("tag", tag, sorted(reforms)))
    return tuple(tag for tag, _ in items)


# --- classification.yaml -------------------------------------------------------------


def _check_classification(ctx: _Context) -> None:
    expected = "a mapping with 'rules:' and 'overrides:'"
    top = _top(ctx, "classification.yaml", expected, {"rules": False, "overrides": False}, optional=True)
    if top is None:
        return
    ids: dict[str, int] = {}
    for index, data in top.mapping_items("rules", "a list of rules {id, domain, keywords}", "rule"):
        rec = _Record(ctx, top.path, data, _who("rule", data.get("id"), index), RULE_FIELDS)
        rec.first_use("id", rec.text("id"), ids)
        rec.reference("domain", rec.text("domain"), ctx.domains, "domain")
        rec.strings("keywords", "a list of keywords", nonempty=True)
    if "overrides" in top.data:
        overrides = top.typed("overrides", LineDict, "a mapping from measure id to {domain, reason}")
        if overrides is not None:
            _check_overrides(top, overrides)


def _check_overrides(top: _Record, overrides: LineDict) -> None:
    """Overrides must name known domains and measures. Measure ids are checked only
    when every document was read and there are some (an empty catalogue loads)."""
    ctx = top.ctx
    for measure_id, data in overrides.items():
        line = overrides.line_of(measure_id)
        if ctx.ids and ctx.all_documents_read and measure_id not in ctx.ids:
            ctx.add(top.path, line, "override: " + _unknown("measure", str(measure_id), ctx.ids))
        if not isinstance(data, LineDict):
            ctx.add(top.path, line, f"override {measure_id} must be a mapping {{domain, reason}}, got {describe(data)}")
            continue
        rec = _Record(ctx, top.path, data, f"override {measure_id}", OVERRIDE_FIELDS)
        rec.reference("domain", rec.text("domain"), ctx.domains, "domain")
        rec.text("reason")


# --- lookalike characters and allowed-characters.yaml --------------------------------


def _check_lookalikes(ctx: _Context) -> None:
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


def _load_allowances(ctx: _Context) -> dict[int, tuple[str, tuple[str, str]]]:
    """The valid entries of allowed-characters.yaml: {line: (char, ("measure", id) or ("file", path))}."""
    top = _top(ctx, ALLOWED_FILE, "a mapping with 'allowed:', the list of lookalike characters kept on purpose",
               {"allowed": True}, optional=True)
    if top is None:
        return {}
    allowances = {}
    seen: dict[tuple[str, tuple[str, str]], int] = {}
    for index, data in top.mapping_items("allowed", "a list of {char, measure or file, reason}", "allowance"):
        rec = _Record(ctx, top.path, data, f"allowance #{index}", ALLOWED_FIELDS)
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


def _allowance_place(rec: _Record) -> tuple[str, str] | None:
    """("measure", id) or ("file", path) of an allowance; None (reported) when it names neither, both, or nothing known."""
    measure, file = rec.text("measure"), rec.text("file")
    if ("measure" in rec.data) == ("file" in rec.data):
        rec.problem(None, "give either 'measure' (a measure id) or 'file' (a path like catalog/domains.yaml), not both"
                    if measure and file else "missing 'measure' or 'file': where the character is allowed")
        return None
    ctx = rec.ctx
    if measure:
        if ctx.all_documents_read and measure not in ctx.ids:
            rec.problem("measure", _unknown("measure", measure, ctx.ids))
            return None
        return ("measure", measure)
    if file:
        if file not in ctx.findings:
            rec.problem("file", _unknown("file", file, ctx.findings))
            return None
        return ("file", file)
    return None


# --- alignment.yaml, units.yaml --------------------------------------------------------


def _load_alignment(ctx: _Context) -> AlignmentSettings:
    top = _top(ctx, "alignment.yaml", "a mapping with 'threshold:', 'relative:' and 'checked:'", ALIGNMENT_FIELDS, optional=True)
    if top is None:
        return AlignmentSettings()
    threshold, relative = top.fraction("threshold"), top.fraction("relative")
    checked = []
    for index, data in top.mapping_items("checked", "a list of {province, local, same, note}", "checked pair"):
        rec = _Record(ctx, top.path, data, f"checked pair #{index}", CHECKED_FIELDS)
        pair = {key: rec.text(key) for key in ("province", "local")}
        for key, value in pair.items():
            if ctx.ids and ctx.all_documents_read and value and value not in ctx.ids:
                rec.problem(key, _unknown("measure", value, ctx.ids))
        same = data.get("same")
        if "same" in data and not isinstance(same, bool | Invalid):
            rec.problem("same", f"'same' must be true or false, got {describe(same)}")
        checked.append(CheckedPair(**pair, same=same is True, note=rec.text("note", empty_ok=True)))
    defaults = AlignmentSettings()
    return AlignmentSettings(
        threshold=defaults.threshold if threshold is None else threshold,
        relative=defaults.relative if relative is None else relative,
        checked=tuple(checked),
    )


def _load_unit_aliases(ctx: _Context, documents: list[Document]) -> tuple[UnitAlias, ...]:
    """Aliases must name a known jurisdiction, and every variant must be a unit its measures print."""
    top = _top(ctx, "units.yaml", "a mapping with 'aliases:'", {"aliases": True}, optional=True)
    if top is None:
        return ()
    printed: dict[str, set[str]] = {}
    for document in documents:
        names = printed.setdefault(document.jurisdiction, set())
        for m in document.measures:
            names.update(unit_key(u) for u in (*m.lead, *m.responsible, *m.section_lead))
    aliases, seen = [], {}
    for index, data in top.mapping_items("aliases", "a list of {jurisdiction, name, variants}", "alias"):
        rec = _Record(ctx, top.path, data, _who("alias", data.get("name"), index), UNIT_ALIAS_FIELDS)
        jurisdiction, name = rec.text("jurisdiction"), rec.text("name")
        rec.reference("jurisdiction", jurisdiction, ctx.jurisdictions, "jurisdiction")
        variants = rec.string_items("variants", "a list of other spellings of the unit", nonempty=True)
        for variant, line in variants:
            key = (jurisdiction, variant)
            if variant == name:
                rec.problem_at(line, f"variant '{variant}' is the unit's own name: remove it")
            elif key in seen:
                rec.problem_at(line, f"variant '{variant}' of {jurisdiction} is listed twice (first at line {seen[key]})")
            elif ctx.all_documents_read and unit_key(variant) not in printed.get(jurisdiction, set()):
                rec.problem_at(line, f"no measure of {jurisdiction} names the unit '{variant}': fix the spelling or remove it")
            seen.setdefault(key, line)
        aliases.append(UnitAlias(jurisdiction=jurisdiction, name=name, variants=tuple(v for v, _ in variants)))
    return tuple(aliases)


# --- the catalogue -------------------------------------------------------------------


def load_catalog(catalog_dir: Path) -> Catalog:
    """Read and validate the whole catalogue; raise CatalogError listing every problem found."""
    if not catalog_dir.is_dir():
        raise CatalogError([Problem(str(catalog_dir), None, "catalogue folder not found")])
    ctx = _Context(catalog_dir)
    ctx.domains = _load_domains(ctx)
    ctx.jurisdictions = _load_jurisdictions(ctx)
    ctx.reforms = _load_reforms(ctx)
    documents = _load_documents(ctx)
    _check_classification(ctx)
    alignment = _load_alignment(ctx)
    unit_aliases = _load_unit_aliases(ctx, documents)
    _check_lookalikes(ctx)
    if ctx.problems or ctx.domains is None or ctx.jurisdictions is None:
        raise CatalogError(_in_file_order(ctx.problems))
    return Catalog(
        domains=tuple(ctx.domains.values()),
        jurisdictions=tuple(ctx.jurisdictions.values()),
        documents=_in_catalogue_order(documents, ctx.jurisdictions),
        reforms=tuple((ctx.reforms or {}).values()),
        alignment=alignment,
        unit_aliases=unit_aliases,
    )


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems grouped by file (in the order files were read), each file's by line."""
    files: dict[str, int] = {}
    for problem in problems:
        files.setdefault(problem.path, len(files))
    return sorted(problems, key=lambda p: (files[p.path], p.line or 0, p.col or 0))


def _in_catalogue_order(documents: list[Document], jurisdictions: dict[str, Jurisdiction]) -> tuple[Document, ...]:
    """Documents by jurisdiction (in the order of jurisdictions.yaml), then year, then slug."""
    rank = {slug: index for index, slug in enumerate(jurisdictions)}
    return tuple(sorted(documents, key=lambda d: (rank[d.jurisdiction], d.year, d.slug)))


def run_check(catalog_dir: Path) -> int:
    """`python -m generator check`: print a one-line summary, or let CatalogError name every problem."""
    from generator.links import load_redirects

    catalog = load_catalog(catalog_dir)
    load_redirects(catalog_dir, catalog)
    print(
        f"catalog OK: {len(catalog.documents)} documents, {len(catalog.measures())} measures, "
        f"{len(catalog.domains)} domains, {len(catalog.jurisdictions)} jurisdictions"
    )
    return 0
