"""`python -m generator import` and `python -m generator fidelity`."""

from __future__ import annotations

import difflib
import re
import sys
from collections import Counter
from pathlib import Path

from generator.catalog import load_vocabulary
from generator.catalog.yamlio import read_mapping
from generator.errors import CatalogError, Problem
from generator.importer import fidelity, review, yamlwrite
from generator.importer.build import build_document
from generator.importer.classify import Classifier
from generator.importer.report import Report
from generator.importer.script import to_simplified_source

ROOT = Path(__file__).resolve().parents[2]
# <jurisdiction>-<year>, and for a second plan of one place in one year a suffix: jinan-2024-2, jinan-2024-tax
_SLUG = re.compile(r"^(?P<jurisdiction>[a-z0-9]+(?:-[a-z0-9]+)*?)-(?P<year>\d{4})(?:-(?P<part>[a-z0-9]+(?:-[a-z0-9]+)*))?$")


def run_import(sources: list[Path], *, catalog_dir: Path, out_dir: Path | None, force: bool,
               simplified: bool = False) -> int:
    """`python -m generator import`: import each source; 0 when every one was written or unchanged.

    With `simplified`, a source in traditional characters is converted with OpenCC (t2s)
    first, and the written file's header records it (the fidelity check converts too).
    Problems are printed as `path:line: message`; nothing is written for a refused source.
    """
    out_dir = out_dir or catalog_dir / "documents"
    data = _catalog_data(catalog_dir)
    data["root"] = catalog_dir.resolve().parent
    data["simplified"] = simplified
    status = 0
    for source in sources:
        status = max(status, _import_one(source, data, out_dir, force))
    return status


def _import_one(source: Path, data: dict, out_dir: Path, force: bool) -> int:
    text = read_source(source)
    if data.get("simplified"):
        text = to_simplified_source(text)
    slug, jurisdiction, year = _identify(source, data["jurisdictions"])
    root = data.get("root", ROOT)
    rel = _rel(source, root)
    doc, report = build_document(
        slug, text, jurisdiction=jurisdiction, year=year, source_path=rel,
        classifier=data["classifier"], reforms=data["reforms"],
    )
    problems = fidelity.check_document(text, rel, doc, f"{_rel(out_dir)}/{slug}.yaml")
    problems += _duplicate_ids(doc, rel)
    print_summary(doc, report)
    review_path = review.write_review(text, doc, report, root / "build" / "review" / f"{slug}.html")
    print(f"  review page: {_rel(review_path)}")
    if report.errors:
        print(f"\n{rel}: import NOT written, the importer did not understand this plan:", file=sys.stderr)
        for line, message in report.errors:
            print(f"  {rel}:{line}: {message}", file=sys.stderr)
        print("Nothing was written. Compare the source with the layouts in README.md (\"Adding a new plan\") and "
              f"the review page {_rel(review_path)}.", file=sys.stderr)
        return 1
    if problems:
        print(f"\n{rel}: import NOT written, the fidelity check failed:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        print("Fix the source text (or the importer's rules) and import again.", file=sys.stderr)
        return 1
    return _write(out_dir / f"{slug}.yaml", doc, rel, yamlwrite.digest(text), force, bool(data.get("simplified")))


def _write(target: Path, doc: dict, rel: str, source_digest: str, force: bool, converted: bool = False) -> int:
    body = yamlwrite.dump_document(doc)
    new = yamlwrite.with_header(body, rel, source_digest, converted=converted)
    if target.exists():
        existing = target.read_text(encoding="utf-8")
        if yamlwrite.split_header(existing)[1] == body:
            print(f"{_rel(target)}: unchanged")
            return 0
        if yamlwrite.edited_since_import(existing) and not force:
            _explain_refusal(target, existing, new)
            return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".yaml.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(target)
    print(f"{_rel(target)}: written ({len(doc['measures'])} measures)")
    return 0


def _explain_refusal(target: Path, existing: str, new: str) -> None:
    diff = list(difflib.unified_diff(
        existing.splitlines(), new.splitlines(), f"{_rel(target)} (reviewed)", "fresh import", lineterm="", n=1))
    shown = diff[:120]
    print("\n".join(shown), file=sys.stderr)
    if len(diff) > len(shown):
        print(f"… {len(diff) - len(shown)} more diff lines", file=sys.stderr)
    print(
        f"\n{_rel(target)}: NOT overwritten: it was edited after the last import (a reviewer's corrections).\n"
        "The diff above shows what a fresh import would change. To proceed, either\n"
        "  - carry the changes you want into the reviewed file by hand (it stays the source of truth), or\n"
        "  - write the fresh import elsewhere and compare: python -m generator import SOURCE --out /tmp/import, or\n"
        "  - replace the reviewed file, losing its corrections: python -m generator import SOURCE --force",
        file=sys.stderr,
    )


def run_fidelity(sources: list[Path], *, catalog_dir: Path) -> int:
    docs_dir = catalog_dir / "documents"
    targets = [docs_dir / f"{s.stem}.yaml" for s in sources] or sorted(docs_dir.glob("*.yaml"))
    failed = 0
    for yaml_path in targets:
        doc = _read_document(yaml_path)
        source_path = catalog_dir.resolve().parent / str(doc.get("source", ""))
        text = read_source(source_path)
        if yamlwrite.was_converted(yaml_path.read_text(encoding="utf-8-sig")):
            text = to_simplified_source(text)
        problems = fidelity.check_document(text, str(doc.get("source")), doc, _rel(yaml_path))
        chars = sum(len(p.text) for p in fidelity.source_pieces(text, "", list(doc.get("running_headers") or ())))
        if problems:
            failed += 1
            print("\n".join(problems), file=sys.stderr)
            print(f"{_rel(yaml_path)}: FAILED, {len(problems)} piece(s) unaccounted", file=sys.stderr)
        else:
            print(f"{doc.get('source')}: all {chars} characters accounted for once "
                  f"({len(doc.get('measures') or [])} measures, preamble, closing, headings)")
    return 1 if failed else 0


def read_source(path: Path) -> str:
    """A source text, decoded strictly as UTF-8; any problem is a CatalogError naming the place."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CatalogError([Problem(_rel(path), None, f"cannot read the source text: {err.strerror}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise CatalogError([Problem(_rel(path), line, f"not valid UTF-8 (byte 0x{data[err.start]:02x}): "
                                    "save the source text as UTF-8 and import again")]) from None


def _identify(source: Path, jurisdictions: set[str]) -> tuple[str, str, int]:
    slug = source.stem
    m = _SLUG.match(slug)
    if not m:
        raise CatalogError([Problem(_rel(source), None, "source file name must be <jurisdiction-slug>-<year>.txt "
                                    "(or <jurisdiction-slug>-<year>-<part>.txt for a second plan of the same year), "
                                    "ASCII lower case, e.g. sources/liaocheng-2022.txt")])
    if m["jurisdiction"] not in jurisdictions:
        raise CatalogError([Problem(_rel(source), None, f"unknown jurisdiction '{m['jurisdiction']}': "
                                    "add it to catalog/jurisdictions.yaml first")])
    return slug, m["jurisdiction"], int(m["year"])


def _duplicate_ids(doc: dict, rel: str) -> list[str]:
    counts = Counter(m["id"] for m in doc["measures"])
    return [f"{rel}:{m['line']}: two measures would get the id {m['id']} (a doubled number?)"
            for m in doc["measures"] if counts[m["id"]] > 1]


def _catalog_data(catalog_dir: Path) -> dict:
    """What an import needs of the catalogue, read through `generator.catalog` (validated; CatalogError if not)."""
    vocabulary = load_vocabulary(catalog_dir)
    return {
        "classifier": Classifier.from_vocabulary(vocabulary),
        "jurisdictions": {j.slug for j in vocabulary.jurisdictions},
        "reforms": [{"name": r.name, "match": list(r.match)} for r in vocabulary.reforms],
    }


def _read_document(path: Path) -> dict:
    """A document YAML as plain data, parsed by the catalogue's line-aware reader; CatalogError when unreadable."""
    data, problems = read_mapping(path, _rel(path), "a document: a mapping with slug, title, …, measures")
    if data is None:
        raise CatalogError(problems)
    return data


def _rel(path: Path, root: Path = ROOT) -> str:
    """`path` relative to `root` (the folder holding catalog/ and sources/), or as given outside it."""
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def print_summary(doc: dict, report: Report) -> None:
    measures = doc["measures"]
    deadlines = Counter(d.get("kind", "date") for m in measures for d in m.get("deadlines", ()))
    print(f"\n== {doc['source']}: {doc['title']} ({len(measures)} measures)")
    for section, count in report.sections.items():
        if count:
            print(f"  {count:4d}  {section[:90]}")
    print(f"  deadlines: {deadlines.get('date', 0)} dated, {deadlines.get('recurring', 0)} recurring, "
          f"{deadlines.get('ongoing', 0)} ongoing")
    units = sum(len(m.get("lead", ())) + len(m.get("responsible", ())) for m in measures)
    print(f"  units: {units} entries ({sum(1 for m in measures if m.get('lead'))} measures with a lead unit)")
    by = Counter("unmatched" if m["domain_by"] == "no rule matched" else m["domain_by"].split(":")[0].split(" ")[0]
                 for m in measures)
    print("  domain decided by: " + ", ".join(f"{k} {v}" for k, v in by.most_common()))
    print(f"  page furniture set aside: {len(report.furniture_lines)} lines {report.furniture_lines[:12]}")
    if report.traditional:
        print("  script: traditional characters; text kept as printed, labels and keywords read through OpenCC")
    if report.damage:
        print(f"  damage repaired: {len(report.damage)} lines, e.g. line {report.damage[0][0]}: {report.damage[0][1]}")
    if report.unsure:
        print(f"  unsure ({len(report.unsure)}), check these in the source:")
        for line, message in sorted(report.unsure):
            place = f"{doc['source']}:{line}" if line else doc["source"]
            print(f"    {place}: {message}")
