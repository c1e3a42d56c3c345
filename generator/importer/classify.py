"""Which domain a measure belongs to, and why (see catalog/classification.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jieba

from generator.model import Vocabulary

jieba.setLogLevel(60)

_UNIT_BRACKET = re.compile(r"[（(][^（()）]*牵头[^（()）]*(?:[（(][^（()）]*[）)][^（()）]*)*[）)]?")
_ORGANISATION = re.compile(r"保障措施|组织保障")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    domain: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Classifier:
    rules: tuple[Rule, ...]
    overrides: dict  # measure id -> {"domain": slug, "reason": text}
    names: dict  # domain name or alias -> slug
    parents: dict  # slug -> parent slug (sub-indicators)

    @classmethod
    def from_vocabulary(cls, vocabulary: Vocabulary) -> Classifier:
        """The classifier of a validated vocabulary (`generator.catalog.load_vocabulary`)."""
        domains = [{"slug": d.slug, "name": d.name, "aliases": d.aliases, "parent": d.parent} for d in vocabulary.domains]
        rules = vocabulary.classification.rules
        overrides = {mid: {"domain": o.domain, "reason": o.reason} for mid, o in vocabulary.classification.overrides.items()}
        return cls.from_data(domains, {"rules": [{"id": r.id, "domain": r.domain, "keywords": r.keywords} for r in rules],
                                       "overrides": overrides})

    @classmethod
    def from_data(cls, domains: list[dict], classification: dict) -> Classifier:
        names = {}
        for d in domains:
            for name in (d["name"], *d.get("aliases", ())):
                names[name] = d["slug"]
        rules = tuple(Rule(r["id"], r["domain"], tuple(r["keywords"])) for r in classification.get("rules") or ())
        parents = {d["slug"]: d["parent"] for d in domains if d.get("parent")}
        return cls(rules, dict(classification.get("overrides") or {}), names, parents)

    def section_domain(self, heading: str) -> str | None:
        """The domain a section heading names: longest name or alias it contains."""
        heading = _UNIT_BRACKET.sub("", heading)
        found = [name for name in self.names if name in heading]
        return self.names[max(found, key=len)] if found else None

    def classify(self, *, measure_id: str, sections: list[tuple[str, bool]], title: str, item: str, text: str) -> tuple[str, str]:
        """(domain, why). `sections` lists (heading, names_domain) from outermost to innermost."""
        override = self.overrides.get(measure_id)
        if override:
            return override["domain"], f"override: {override.get('reason', '')}".rstrip(": ")
        for heading, names_domain in reversed(sections):
            if _ORGANISATION.search(heading):
                return "organisation", f"section: {heading}"
            domain = self.section_domain(heading) if names_domain else None
            if domain:
                return self._refine(domain, heading, title, text)
        return self.by_rules(title, item, text)

    def _refine(self, domain: str, heading: str, title: str, text: str) -> tuple[str, str]:
        """A section of a parent indicator: a rule may name one of its sub-indicators."""
        children = {slug for slug, parent in self.parents.items() if parent == domain}
        if children:
            slug, why = self.by_rules(title, "", text)
            if slug in children:
                return slug, f"section: {heading}; {why}"
        return domain, f"section: {heading}"

    def by_rules(self, title: str, item: str, text: str) -> tuple[str, str]:
        """(domain, why) from the keyword rules: title first, then the item's title, then the text."""
        for where, value in (("title", title), ("item", item)):
            for rule in self.rules:
                hit = next((k for k in rule.keywords if count_words(value, k)), None)
                if hit:
                    return rule.domain, f"rule {rule.id}: {where} contains '{hit}'"
        best, best_count = None, 0
        for rule in self.rules:
            count = sum(count_words(text, k) for k in rule.keywords)
            if count > best_count:
                best, best_count = rule, count
        if best:
            return best.domain, f"rule {best.id}: text mentions its keywords {best_count} times"
        return "general", "no rule matched"


@lru_cache(maxsize=4096)
def _boundaries(text: str) -> frozenset[int]:
    """Positions where a word starts or ends in `text`, by jieba's segmentation."""
    cuts, pos = {0}, 0
    for word in jieba.cut(text, HMM=False):
        pos += len(word)
        cuts.add(pos)
    return frozenset(cuts)


def count_words(text: str, keyword: str) -> int:
    """How often `keyword` occurs in `text` as a whole word or words, never inside a longer
    word that merely contains its characters (破产 is not in 突破产业: 突破|产业)."""
    if keyword not in text:
        return 0
    cuts = _boundaries(text)
    count, start = 0, text.find(keyword)
    while start >= 0:
        if start in cuts or start + len(keyword) in cuts:
            count += 1
        start = text.find(keyword, start + 1)
    return count
