"""Province → city alignment: which local measures take up each provincial measure.

Similarity is the cosine of TF-IDF weighted Chinese character bigrams over a
measure's title and text (the title counts twice: it names the topic). IDF
comes from the whole catalogue, so phrases every plan repeats (推进, 优化,
营商环境) weigh little and the specific ones (留抵退税, 建筑师负责制) decide.

A local measure takes up a provincial measure of its own province when
  - their similarity reaches `threshold` (catalog/alignment.yaml, chosen on
    hand-checked pairs listed there), and
  - it is at least `relative` times the local measure's best provincial
    similarity: a local measure that restates provincial measure A almost word
    for word is not also counted as taking up A's sibling B that shares
    half its words.

Pure: Catalog in, Alignment out. Scores are rounded to two decimals, which is
also how pages show them, so a page never shows a score that contradicts
the threshold.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generator.model import Catalog, Jurisdiction, Measure

HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True, slots=True)
class Settings:
    threshold: float
    relative: float


@dataclass(frozen=True, slots=True)
class Match:
    province: Measure
    local: Measure
    jurisdiction: str  # the local measure's jurisdiction slug
    score: float


@dataclass(frozen=True, slots=True)
class Alignment:
    settings: Settings
    provincial: tuple[Measure, ...]  # every provincial measure, catalogue order
    local: dict[str, tuple[Measure, ...]]  # jurisdiction slug → its measures (below a province)
    by_province: dict[str, tuple[Match, ...]] = field(default_factory=dict)  # provincial id → matches
    by_local: dict[str, tuple[Match, ...]] = field(default_factory=dict)  # local id → matches

    def matches_in(self, province: Measure, jurisdiction: Jurisdiction) -> list[Match]:
        return [m for m in self.by_province.get(province.id, ()) if m.jurisdiction == jurisdiction.slug]

    def taken_up(self, jurisdiction: Jurisdiction) -> list[Measure]:
        """Provincial measures the jurisdiction takes up, catalogue order."""
        return [p for p in self.provincial if self.matches_in(p, jurisdiction)]

    def not_taken_up(self, jurisdiction: Jurisdiction) -> list[Measure]:
        return [p for p in self.provincial if not self.matches_in(p, jurisdiction)]

    def untaken_anywhere(self) -> list[Measure]:
        return [p for p in self.provincial if not self.by_province.get(p.id)]

    def local_only(self, jurisdiction: Jurisdiction) -> list[Measure]:
        """The jurisdiction's measures with no provincial counterpart."""
        return [m for m in self.local.get(jurisdiction.slug, ()) if not self.by_local.get(m.id)]


def bigrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for run in HAN_RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def _vectors(measures: list[Measure]) -> dict[str, dict[str, float]]:
    counts = {m.id: bigrams(m.title + m.text) for m in measures}
    df: Counter[str] = Counter(g for grams in counts.values() for g in grams)
    total = len(measures)
    vectors = {}
    for mid, grams in counts.items():
        weights = {g: (1 + math.log(n)) * math.log(total / df[g]) for g, n in grams.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[mid] = {g: w / norm for g, w in weights.items() if w > 0}
    return vectors


def province_of(catalog: Catalog, jurisdiction: Jurisdiction) -> Jurisdiction | None:
    """The province above a jurisdiction (None for a province or a jurisdiction outside one)."""
    seen = set()
    current = jurisdiction
    while current.parent and current.slug not in seen:
        seen.add(current.slug)
        current = catalog.jurisdiction(current.parent)
        if current.level == "province":
            return current
    return None


def align(catalog: Catalog, settings: Settings) -> Alignment:
    vectors = _vectors(catalog.measures())
    provincial_by: dict[str, list[Measure]] = defaultdict(list)  # province slug → its measures
    local_by: dict[str, list[Measure]] = defaultdict(list)
    province_above: dict[str, str] = {}
    for document in catalog.documents:
        jurisdiction = catalog.jurisdiction(document.jurisdiction)
        if jurisdiction.level == "province":
            provincial_by[jurisdiction.slug].extend(document.measures)
            continue
        province = province_of(catalog, jurisdiction)
        if province is not None:
            province_above[jurisdiction.slug] = province.slug
            local_by[jurisdiction.slug].extend(document.measures)

    # One inverted index per province: bigram → [(provincial measure, weight)].
    postings: dict[str, dict[str, list[tuple[Measure, float]]]] = {}
    for slug, measures in provincial_by.items():
        index: dict[str, list[tuple[Measure, float]]] = defaultdict(list)
        for measure in measures:
            for gram, weight in vectors[measure.id].items():
                index[gram].append((measure, weight))
        postings[slug] = index

    by_province: dict[str, list[Match]] = defaultdict(list)
    by_local: dict[str, tuple[Match, ...]] = {}
    for slug, measures in local_by.items():
        index = postings.get(province_above[slug], {})
        for local in measures:
            scores: dict[str, float] = defaultdict(float)
            found: dict[str, Measure] = {}
            for gram, weight in vectors[local.id].items():
                for province, other in index.get(gram, ()):
                    scores[province.id] += weight * other
                    found[province.id] = province
            rounded = {pid: round(score, 2) for pid, score in scores.items()}
            best = max(rounded.values(), default=0.0)
            kept = [
                Match(province=found[pid], local=local, jurisdiction=slug, score=score)
                for pid, score in rounded.items()
                if score >= settings.threshold and score >= settings.relative * best
            ]
            if kept:
                kept.sort(key=lambda m: -m.score)
                by_local[local.id] = tuple(kept)
                for match in kept:
                    by_province[match.province.id].append(match)

    order = {j.slug: i for i, j in enumerate(catalog.jurisdictions)}
    provincial = tuple(m for m in catalog.measures() if m.id in {p.id for ms in provincial_by.values() for p in ms})
    return Alignment(
        settings=settings,
        provincial=provincial,
        local={slug: tuple(ms) for slug, ms in local_by.items()},
        by_province={
            pid: tuple(sorted(ms, key=lambda m: (order[m.jurisdiction], -m.score))) for pid, ms in by_province.items()
        },
        by_local=by_local,
    )


def score(catalog: Catalog, first: str, second: str) -> float:
    """The similarity of two measures by id, rounded as pages show it (for checking hand-labelled pairs)."""
    vectors = _vectors(catalog.measures())
    a, b = vectors[first], vectors[second]
    if len(a) > len(b):
        a, b = b, a
    return round(sum(w * b.get(g, 0.0) for g, w in a.items()), 2)
