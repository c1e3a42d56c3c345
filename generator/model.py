"""The catalogue's model: frozen dataclasses built from the validated YAML.

Templates, exports and cross-references receive these objects, never raw
dicts. `generator.catalog` is the only place that builds them from files.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

LEVELS = ("province", "city", "district")
DOMAIN_KINDS = ("indicator", "sub-indicator", "area")
DEADLINE_KINDS = ("date", "recurring", "ongoing")


@dataclass(frozen=True, kw_only=True, slots=True)
class Domain:
    slug: str
    name: str
    kind: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Jurisdiction:
    slug: str
    name: str
    level: str
    parent: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Reform:
    """A named reform (一网通办…) that measures are tagged with; `match` lists other phrasings of it."""

    slug: str
    name: str
    match: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Deadline:
    """A dated phrase of a measure.

    kind "date": `date` is the ISO date the phrase means (2021年6月底前 →
    2021-06-30). kind "recurring" (每月20日前) and "ongoing" (长期坚持,
    持续推进, 从2021年5月开始) carry no date: they are never given a fake one.
    """

    phrase: str
    kind: str
    date: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Measure:
    id: str
    document: str
    number: str
    section: tuple[str, ...]
    title: str
    text: str
    domain: str
    domain_by: str
    sub: int | None = None
    units: str = ""
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    section_lead: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    tags: tuple[str, ...] = ()
    line: int | None = None

    @property
    def label(self) -> str:
        """The number as a reader cites it: "3" or "3（2）" for a sub-measure."""
        return f"{self.number}（{self.sub}）" if self.sub else self.number


@dataclass(frozen=True, kw_only=True, slots=True)
class Document:
    slug: str
    title: str
    jurisdiction: str
    year: int
    source: str
    issuer: str = ""
    doc_number: str = ""
    date: dt.date | None = None
    url: str = ""  # the official publication's address, where known
    preamble: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    running_headers: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class CheckedPair:
    """A provincial and a local measure a person compared by hand: does the local one take the provincial one up?"""

    province: str
    local: str
    same: bool
    note: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class AlignmentSettings:
    """catalog/alignment.yaml: when a local measure counts as taking up a provincial one (generator/alignment.py)."""

    threshold: float = 0.22
    relative: float = 0.5
    checked: tuple[CheckedPair, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class UnitAlias:
    """catalog/units.yaml: spellings of one unit within one jurisdiction, shown together on the units table."""

    jurisdiction: str
    name: str
    variants: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Rule:
    """A keyword rule of catalog/classification.yaml: a measure whose title mentions a keyword is in `domain`."""

    id: str
    domain: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Override:
    """A reviewed domain for one measure (catalog/classification.yaml `overrides:`), with the reviewer's reason."""

    domain: str
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Classification:
    """catalog/classification.yaml: how the importer decides a measure's domain."""

    rules: tuple[Rule, ...] = ()
    overrides: dict[str, Override] = field(default_factory=dict)  # measure id -> override


@dataclass(frozen=True, kw_only=True, slots=True)
class Redirects:
    """catalog/redirects.yaml: public addresses that moved, so links shared years ago keep working."""

    pages: dict[str, str] = field(default_factory=dict)  # "/old/" -> "/new/", site addresses from the root
    measures: dict[str, str] = field(default_factory=dict)  # old measure id -> its new id


@dataclass(frozen=True, kw_only=True, slots=True)
class Vocabulary:
    """What the importer needs to know of the catalogue: the names it classifies and tags by."""

    domains: tuple[Domain, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    reforms: tuple[Reform, ...] = ()
    classification: Classification = Classification()


_UNIT_BRACKETS = str.maketrans({"(": "（", ")": "）"})
_UNIT_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 17)  # every printed unit name, three times per measure and rebuild (UnitTable)
def unit_key(name: str) -> str:
    """The spelling-insensitive key of a unit name: without a leading or trailing 等, full-width brackets, no spaces."""
    key = _UNIT_SPACE.sub("", name).translate(_UNIT_BRACKETS)
    key = key.removeprefix("等").removesuffix("等")
    return key or name


@dataclass(frozen=True, kw_only=True, slots=True)
class Catalog:
    domains: tuple[Domain, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    documents: tuple[Document, ...]
    reforms: tuple[Reform, ...] = ()
    alignment: AlignmentSettings = AlignmentSettings()
    unit_aliases: tuple[UnitAlias, ...] = ()
    classification: Classification = Classification()
    redirects: Redirects = Redirects()
    source_texts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # document.source -> text
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def domain(self, slug: str) -> Domain:
        return self._lookup("domain", self.domains)[slug]

    def jurisdiction(self, slug: str) -> Jurisdiction:
        return self._lookup("jurisdiction", self.jurisdictions)[slug]

    def document(self, slug: str) -> Document:
        return self._lookup("document", self.documents)[slug]

    def measures(self) -> list[Measure]:
        """Every measure, documents in catalogue order, measures in document order."""
        return [m for d in self.documents for m in d.measures]

    def _lookup(self, name: str, items: tuple) -> dict:
        if name not in self._index:
            self._index[name] = {item.slug: item for item in items}
        return self._index[name]


@dataclass(frozen=True, kw_only=True, slots=True)
class Change:
    """One measure in a revision of the change log: its id, document and title (as they were, if removed)."""

    id: str
    document: str
    title: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Revision:
    """A commit that changed the catalogue's measures: which measures it added, changed and removed."""

    commit: str
    date: dt.date
    added: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Release:
    """What the publish stage knows and the pure site stage prints: the build's date and the catalogue's commit
    (the version), the change log from the catalogue's git history (newest first), and where readers report
    errors (the repository and a contact address, from mkdocs.yml `extra`). Defaults: nothing known."""

    built: dt.date | None = None
    commit: str = ""
    history: tuple[Revision, ...] = ()
    repository: str = ""
    contact: str = ""

    @property
    def version(self) -> str:
        """"2026-11-30 (fd13413)": the build date and the commit; "" when neither is known."""
        parts = [self.built.isoformat()] if self.built else []
        if self.commit:
            parts.append(f"({self.commit})" if parts else self.commit)
        return " ".join(parts)


NO_RELEASE = Release()  # a build that knows no version, history or report addresses (tests, benchmarks)
