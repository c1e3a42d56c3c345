"""The catalogue's vocabulary: domains.yaml, jurisdictions.yaml, reforms.yaml, classification.yaml.

One validator per file, each reading through the field toolkit (`fields`).
`load_vocabulary` is what the importer reads: the four files validated on
their own, so a plan can be imported before the documents are complete.
"""

from __future__ import annotations

from pathlib import Path

from generator.catalog.fields import Context, Record, others, top_record, unknown, who
from generator.catalog.yamlio import LineDict, describe
from generator.errors import CatalogError, Problem
from generator.model import (
    DOMAIN_KINDS,
    LEVELS,
    Classification,
    Domain,
    Jurisdiction,
    Override,
    Reform,
    Rule,
    Vocabulary,
)

# A district's parent is its city, or a province-level municipality (上海市徐汇区: 上海市 is entered
# as a province); counties (县) and county-level cities are districts: peers under a city.
PARENT_LEVEL = {"city": ("province",), "district": ("city", "province")}
# The fields of each kind of record: name -> required.
DOMAIN_FIELDS = {"slug": True, "name": True, "kind": True, "parent": False, "aliases": False, "description": False}
JURISDICTION_FIELDS = {"slug": True, "name": True, "level": True, "parent": False}
REFORM_FIELDS = {"slug": True, "name": True, "match": False}
RULE_FIELDS = {"id": True, "domain": True, "keywords": True}
OVERRIDE_FIELDS = {"domain": True, "reason": True}


def _load_slugged(ctx: Context, filename: str, key: str, what: str, fields, build, check_parent) -> dict | None:
    """Entries of domains.yaml or jurisdictions.yaml by slug, each built by `build(rec)` (first use of a
    slug only), then `check_parent(rec, item, known)` on each once all are known.

    None when the file has no usable list: references to it are then not checked."""
    top = top_record(ctx, filename, f"a mapping with '{key}:', the list of {key}", {key: True})
    if top is None:
        return None
    entries = top.mapping_items(key, f"a list of {key}", what)
    if not isinstance(top.data.get(key), list):
        return None
    records, lines = [], {}
    for index, data in entries:
        rec = Record(ctx, top.path, data, who(what, data.get("slug"), index), fields)
        item = build(rec)
        if rec.first_use("slug", item.slug, lines):
            records.append((rec, item))
    known = {item.slug: item for _, item in records}
    for rec, item in records:
        check_parent(rec, item, known)
    return known


def load_domains(ctx: Context) -> dict[str, Domain] | None:
    return _load_slugged(ctx, "domains.yaml", "domains", "domain", DOMAIN_FIELDS, lambda rec: Domain(
        slug=rec.slug("slug"), name=rec.text("name"), kind=rec.choice("kind", DOMAIN_KINDS) or "",
        parent=rec.optional_text("parent"), aliases=rec.strings("aliases", "a list of names"),
        description=rec.text("description", empty_ok=True),
    ), _check_domain_parent)


def _check_domain_parent(rec: Record, domain: Domain, domains: dict[str, Domain]) -> None:
    if domain.kind == "sub-indicator" and not domain.parent:
        rec.problem(None, "a sub-indicator needs 'parent': the slug of its indicator")
    if not domain.parent:
        return
    parent = domains.get(domain.parent)
    if parent is None:
        rec.problem("parent", unknown("parent", domain.parent, others(domains, domain.slug)))
    elif domain.kind != "sub-indicator":
        rec.problem("parent", "only a sub-indicator has a parent: remove 'parent' or set kind: sub-indicator")
    elif parent.kind != "indicator":
        rec.problem("parent", f"parent '{parent.slug}' is a {parent.kind}: the parent of a sub-indicator must be an indicator")


def load_jurisdictions(ctx: Context) -> dict[str, Jurisdiction] | None:
    return _load_slugged(ctx, "jurisdictions.yaml", "jurisdictions", "jurisdiction", JURISDICTION_FIELDS,
                         lambda rec: Jurisdiction(slug=rec.slug("slug"), name=rec.text("name"),
                                                  level=rec.choice("level", LEVELS) or "",
                                                  parent=rec.optional_text("parent")),
                         _check_jurisdiction_parent)


def _check_jurisdiction_parent(rec: Record, jurisdiction: Jurisdiction, known: dict[str, Jurisdiction]) -> None:
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
        rec.problem("parent", unknown("parent", parent, others(known, jurisdiction.slug)))
    elif known[parent].level not in wanted:
        rec.problem("parent", f"parent '{parent}' is a {known[parent].level}, "
                              f"but the parent of a {level} must be a {' or '.join(wanted)}")


def load_reforms(ctx: Context) -> dict[str, Reform] | None:
    """The named reforms by name (the tags measures may carry); None when there is no usable reforms.yaml."""
    expected = "a mapping with 'reforms:', the list of named reforms"
    top = top_record(ctx, "reforms.yaml", expected, {"reforms": True}, optional=True)
    if top is None:
        return None
    slugs: dict[str, int] = {}
    names: dict[str, int] = {}
    entries = top.mapping_items("reforms", "a list of reforms", "reform")
    if not isinstance(top.data.get("reforms"), list):
        return None  # nothing usable: references to reforms are not checked
    reforms: dict[str, Reform] = {}
    for index, data in entries:
        rec = Record(ctx, top.path, data, who("reform", data.get("slug"), index), REFORM_FIELDS)
        slug, name = rec.slug("slug"), rec.text("name")
        rec.first_use("slug", slug, slugs)
        match = rec.strings("match", "a list of phrases")
        if rec.first_use("name", name, names):
            reforms[name] = Reform(slug=slug, name=name, match=match)
    return reforms


# --- documents ----------------------------------------------------------------------


# --- classification.yaml -------------------------------------------------------------


def load_classification(ctx: Context) -> Classification:
    """catalog/classification.yaml (optional): keyword rules and reviewed overrides. Override ids are checked
    against the measures read so far, when every document was read and there are some."""
    expected = "a mapping with 'rules:' and 'overrides:'"
    top = top_record(ctx, "classification.yaml", expected, {"rules": False, "overrides": False}, optional=True)
    if top is None:
        return Classification()
    ids: dict[str, int] = {}
    rules = []
    for index, data in top.mapping_items("rules", "a list of rules {id, domain, keywords}", "rule"):
        rec = Record(ctx, top.path, data, who("rule", data.get("id"), index), RULE_FIELDS)
        rule_id, domain = rec.text("id"), rec.text("domain")
        rec.first_use("id", rule_id, ids)
        rec.reference("domain", domain, ctx.domains, "domain")
        rules.append(Rule(id=rule_id, domain=domain, keywords=rec.strings("keywords", "a list of keywords", nonempty=True)))
    overrides: dict[str, Override] = {}
    if "overrides" in top.data:
        found = top.typed("overrides", LineDict, "a mapping from measure id to {domain, reason}")
        if found is not None:
            overrides = _overrides(top, found)
    return Classification(rules=tuple(rules), overrides=overrides)


def _overrides(top: Record, overrides: LineDict) -> dict[str, Override]:
    """Overrides must name known domains and measures."""
    ctx = top.ctx
    valid = {}
    for measure_id, data in overrides.items():
        line = overrides.line_of(measure_id)
        if ctx.ids and ctx.all_documents_read and measure_id not in ctx.ids:
            ctx.add(top.path, line, "override: " + unknown("measure", str(measure_id), ctx.ids))
        if not isinstance(data, LineDict):
            ctx.add(top.path, line, f"override {measure_id} must be a mapping {{domain, reason}}, got {describe(data)}")
            continue
        rec = Record(ctx, top.path, data, f"override {measure_id}", OVERRIDE_FIELDS)
        domain = rec.text("domain")
        rec.reference("domain", domain, ctx.domains, "domain")
        valid[str(measure_id)] = Override(domain=domain, reason=rec.text("reason"))
    return valid


# --- the vocabulary on its own ------------------------------------------------------------


def load_vocabulary(catalog_dir: Path) -> Vocabulary:
    """Domains, jurisdictions, reforms and classification of `catalog_dir`, validated; the documents are not
    read (override ids are then not checked). Raises CatalogError listing every problem, path:line each."""
    if not catalog_dir.is_dir():
        raise CatalogError([Problem(str(catalog_dir), None, "catalogue folder not found")])
    ctx = Context(catalog_dir)
    ctx.all_documents_read = False
    ctx.domains = load_domains(ctx)
    ctx.jurisdictions = load_jurisdictions(ctx)
    ctx.reforms = load_reforms(ctx)
    classification = load_classification(ctx)
    if ctx.problems or ctx.domains is None or ctx.jurisdictions is None:
        raise CatalogError(ctx.problems)
    return Vocabulary(domains=tuple(ctx.domains.values()), jurisdictions=tuple(ctx.jurisdictions.values()),
                      reforms=tuple((ctx.reforms or {}).values()), classification=classification)
