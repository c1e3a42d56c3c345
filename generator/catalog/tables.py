"""The reviewed inputs of the cross-reference tables: catalog/alignment.yaml and catalog/units.yaml."""

from __future__ import annotations

from generator.catalog.fields import Context, Record, top_record, unknown, who
from generator.catalog.yamlio import Invalid, describe
from generator.model import AlignmentSettings, CheckedPair, Document, UnitAlias, unit_key

ALIGNMENT_FIELDS = {"threshold": True, "relative": True, "checked": False}
CHECKED_FIELDS = {"province": True, "local": True, "same": True, "note": False}
UNIT_ALIAS_FIELDS = {"jurisdiction": True, "name": True, "variants": True}


def load_alignment(ctx: Context) -> AlignmentSettings:
    """catalog/alignment.yaml (optional): the thresholds and the pairs a person checked; defaults when absent."""
    expected = "a mapping with 'threshold:', 'relative:' and 'checked:'"
    top = top_record(ctx, "alignment.yaml", expected, ALIGNMENT_FIELDS, optional=True)
    if top is None:
        return AlignmentSettings()
    threshold, relative = top.fraction("threshold"), top.fraction("relative")
    checked = []
    for index, data in top.mapping_items("checked", "a list of {province, local, same, note}", "checked pair"):
        rec = Record(ctx, top.path, data, f"checked pair #{index}", CHECKED_FIELDS)
        pair = {key: rec.text(key) for key in ("province", "local")}
        for key, value in pair.items():
            if ctx.ids and ctx.all_documents_read and value and value not in ctx.ids:
                rec.problem(key, unknown("measure", value, ctx.ids))
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


def load_unit_aliases(ctx: Context, documents: list[Document]) -> tuple[UnitAlias, ...]:
    """Aliases must name a known jurisdiction, and every variant must be a unit its measures print."""
    top = top_record(ctx, "units.yaml", "a mapping with 'aliases:'", {"aliases": True}, optional=True)
    if top is None:
        return ()
    printed: dict[str, set[str]] = {}
    for document in documents:
        names = printed.setdefault(document.jurisdiction, set())
        for m in document.measures:
            names.update(unit_key(u) for u in (*m.lead, *m.responsible, *m.section_lead))
    aliases, seen = [], {}
    for index, data in top.mapping_items("aliases", "a list of {jurisdiction, name, variants}", "alias"):
        rec = Record(ctx, top.path, data, who("alias", data.get("name"), index), UNIT_ALIAS_FIELDS)
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

