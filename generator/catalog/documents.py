"""catalog/documents/<slug>.yaml: one plan, its metadata and its measures, validated into `Document`s.

Measure ids are checked for uniqueness across every document; domains,
jurisdictions and reform tags against the vocabulary read before.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from generator.catalog.fields import CheckedDocument, Context, Record, slug_problem, unknown, who
from generator.catalog.yamlio import LineDict
from generator.model import DEADLINE_KINDS, Deadline, Document, Measure

# The fields of each kind of record: name -> required.
DOCUMENT_FIELDS = {
    **dict.fromkeys(["slug", "title", "jurisdiction", "year", "source", "issuer", "doc_number", "date"], True),
    "url": False,  # the official publication's address, where known
    **dict.fromkeys(["running_headers", "preamble", "closing", "measures"], True),
}
MEASURE_FIELDS = {
    "id": True, "number": True, "sub": False, "section": True, "title": True, "text": True,
    "units": False, "lead": False, "responsible": False, "section_lead": False, "deadlines": False,
    "domain": True, "domain_by": True, "tags": False, "line": True,
}
DEADLINE_FIELDS = {"phrase": True, "date": False, "kind": False}
DOCUMENT_EXPECTED = "a mapping with slug, title, jurisdiction, year, source, …, measures"
UNITS = "a list of unit names"


def load_documents(ctx: Context) -> list[Document]:
    folder = ctx.catalog_dir / "documents"
    if not folder.is_dir():
        return []
    documents = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".yml":
            ctx.add(ctx.shown(path), None, f"document files end in .yaml: rename it to {path.stem}.yaml")
        elif path.suffix == ".yaml":
            document = _load_document(ctx, path) if ctx.parsed is None else _kept_or_loaded(ctx, path)
            if document is None:
                ctx.all_documents_read = False
            else:
                documents.append(document)
    return documents


def _kept_or_loaded(ctx: Context, path: Path) -> Document | None:
    """`_load_document` under `serve` (ctx.parsed): a plan whose parse is the previous load's very one, checked
    then against the same vocabulary (domains, places, reforms) without a problem, and whose source text is still
    there, is that load's Document; only what its check left in `ctx` for the other files is done again: its
    measure ids are claimed (another plan may hold one now) and its measures' lines noted (lookalikes)."""
    shown = ctx.shown(path)
    data = ctx.read(path, DOCUMENT_EXPECTED)
    if data is None:
        return None
    vocabulary = (ctx.domains, ctx.jurisdictions, ctx.reforms)
    kept = ctx.parsed.checked(shown)
    if kept is not None and kept.data is data and kept.vocabulary == vocabulary \
            and (ctx.root / kept.document.source).is_file():
        for measure_id, line in kept.ids:
            _claim_id(ctx, shown, line, measure_id)
        ctx.measure_spans[shown] = kept.spans
        ctx.parsed.keep_checked(shown, kept)
        return kept.document
    problems = len(ctx.problems)
    document = _load_document(ctx, path, data)
    if document is not None and len(ctx.problems) == problems:
        # checked without a problem: every item of `measures` was a mapping and made one measure, in order
        ids = tuple((m.id, item.line_of("id")) for m, item in zip(document.measures, data["measures"], strict=True))
        ctx.parsed.keep_checked(shown, CheckedDocument(data, vocabulary, document, ids, ctx.measure_spans[shown]))
    return document


def _load_document(ctx: Context, path: Path, data: LineDict | None = None) -> Document | None:
    """The plan in `path` (its parse `data`, when already read), checked; None when it has no mapping."""
    data = ctx.read(path, DOCUMENT_EXPECTED) if data is None else data
    if data is None:
        return None
    rec = Record(ctx, ctx.shown(path), data, "", DOCUMENT_FIELDS)
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
        date=rec.date("date", null_ok=True), url=_url(rec),
        running_headers=rec.strings("running_headers", "a list of header lines"),
        preamble=rec.strings("preamble", "a list of paragraphs"),
        closing=rec.strings("closing", "a list of paragraphs"),
        measures=_measures(rec, slug),
    )


def _url(rec: Record) -> str:
    """The address of the official publication, where one is known: an http(s) address, or absent."""
    if "url" not in rec.data:
        return ""
    url = rec.text("url")
    if url and not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", url):
        rec.problem("url", f"url '{url}' must be the http:// or https:// address of the official publication")
    return url


def _check_source(rec: Record, source: str, slug: str) -> None:
    if not source:
        return
    path = PurePosixPath(source)
    if path.is_absolute() or ".." in path.parts or "\\" in source:
        rec.problem("source", f"source '{source}' must be a path like sources/{slug}.txt, relative to the repository root")
    elif slug and path.name != f"{slug}.txt":
        rec.problem("source", f"source '{source}' does not match slug '{slug}': the file must be named {slug}.txt")
    elif not (rec.ctx.root / path).is_file():
        rec.problem("source", f"source '{source}' does not exist")


def _measures(document: Record, document_slug: str) -> tuple[Measure, ...]:
    items = document.mapping_items("measures", "a list of measures", "measure", nonempty=True)
    measures = tuple(_measure(document, data, index, document_slug) for index, data in items)
    _record_spans(document, [(data.line, m.id) for (_, data), m in zip(items, measures, strict=True)])
    return measures


def _record_spans(document: Record, starts: list[tuple[int, str]]) -> None:
    """The lines of each measure: from its first line to the line before the next measure (the last one
    to the line before the next top-level field, or the end of the file), so lookalikes can name it."""
    if not starts:
        return
    measures_line = document.data.line_of("measures")
    after = [line for line in document.data.key_lines.values() if line > measures_line]
    end = min(after) - 1 if after else 10**9
    ends = [line - 1 for line, _ in starts[1:]] + [end]
    document.ctx.measure_spans[document.path] = [(start, stop, mid) for (start, mid), stop in zip(starts, ends, strict=True)]


def _measure(document: Record, data: LineDict, index: int, document_slug: str) -> Measure:
    ctx = document.ctx
    rec = Record(ctx, document.path, data, who("measure", data.get("id"), index), MEASURE_FIELDS)
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


def _measure_id(rec: Record, document_slug: str) -> str:
    """The measure's id; problems with it name the id itself, so they carry no "measure …:" prefix."""
    measure_id = rec.text("id")
    if not measure_id:
        return measure_id
    line = rec.data.line_of("id")
    message = slug_problem(measure_id)
    if message:
        rec.ctx.add(rec.path, line, f"id '{measure_id}' {message}")
    elif document_slug and not measure_id.startswith(document_slug + "-"):
        rec.ctx.add(rec.path, line, f"id '{measure_id}' must start with the document slug: {document_slug}-")
    _claim_id(rec.ctx, rec.path, line, measure_id)
    return measure_id


def _claim_id(ctx: Context, path: str, line: int | None, measure_id: str) -> None:
    """The measure id at `path`:`line` is taken; a problem when another measure took it first."""
    place = f"{path}:{line}"
    first = ctx.ids.setdefault(measure_id, place)
    if first != place:
        ctx.add(path, line, f"duplicate id '{measure_id}' (first in {first})")


def _number(rec: Record) -> str:
    value = rec.data.get("number")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        rec.problem("number", f"'number' must be a string as printed: quote it: number: \"{value}\"")
        return str(value)
    return rec.text("number")


def _deadlines(measure: Record) -> tuple[Deadline, ...]:
    what = "a list of deadlines like {phrase: 6月底前, date: 2021-06-30}"
    items = measure.mapping_items("deadlines", what, "deadline")
    return tuple(_deadline(measure, index, data) for index, data in items)


def _deadline(measure: Record, index: int, data: LineDict) -> Deadline:
    rec = Record(measure.ctx, measure.path, data, f"{measure.who}: deadline #{index}", DEADLINE_FIELDS)
    phrase = rec.text("phrase")
    kind = rec.choice("kind", DEADLINE_KINDS, default="date")
    date = rec.date("date")
    if kind == "date" and "date" not in data:
        rec.problem(None, "'date' is missing: add date: YYYY-MM-DD, or set kind: recurring or kind: ongoing")
    elif kind in ("recurring", "ongoing") and "date" in data:
        rec.problem("date", f"kind {kind} takes no date: remove 'date' or set kind: date")
    return Deadline(phrase=phrase, kind=kind or "date", date=date)


def _tags(measure: Record) -> tuple[str, ...]:
    items = measure.string_items("tags", "a list of reform names")
    reforms = measure.ctx.reforms
    for tag, line in items:
        if reforms is not None and tag not in reforms:
            measure.problem_at(line, unknown("tag", tag, sorted(reforms)))
    return tuple(tag for tag, _ in items)

