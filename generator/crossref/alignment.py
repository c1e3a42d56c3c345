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
the threshold. A build may hand `align` the scores a build before made from
the same inputs (`kept`, site.lookups): the Alignment is the same.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from generator.model import AlignmentSettings, Catalog, CheckedPair, Jurisdiction, Measure

if TYPE_CHECKING:
    from scipy import sparse

HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


# The method's name and version, written beside every pair in the downloads: change the version whenever
# a change here (features, weights, rules) can change which pairs match or their scores.
METHOD = "tfidf-char-bigram-cosine/1"
BAND_WIDTH = 0.04
LOCAL_BLOCK = 2000  # local measures scored at once: bounds the dense score block to LOCAL_BLOCK × provincial measures


@dataclass(frozen=True, slots=True)
class Match:
    province: Measure
    local: Measure
    jurisdiction: str  # the local measure's jurisdiction slug
    score: float


@dataclass(frozen=True, slots=True)
class Band:
    """Hand-checked pairs whose similarity falls in [low, high): how many a person judged right."""

    low: float
    high: float
    right: int
    total: int


@dataclass(frozen=True, slots=True)
class Alignment:
    settings: AlignmentSettings
    checked: tuple[tuple[CheckedPair, float], ...]  # each hand-checked pair with its current score
    provincial: tuple[Measure, ...]  # every provincial measure, catalogue order
    local: dict[str, tuple[Measure, ...]]  # jurisdiction slug → its measures (below a province)
    by_province: dict[str, tuple[Match, ...]] = field(default_factory=dict)  # provincial id → matches
    by_local: dict[str, tuple[Match, ...]] = field(default_factory=dict)  # local id → matches

    _pairs: dict[tuple[str, str], list[Match]] = field(default_factory=dict, compare=False, repr=False)
    # what CrossReferences.counterparts found, per (measure id, limit): (the measure's place, the result); it is
    # handed out again while this very alignment is the catalogue's (`serve` hands it out again) and its places hold
    kept_counterparts: dict[tuple[str, int], tuple] = field(default_factory=dict, init=False, compare=False, repr=False)

    def matches_in(self, province: Measure, jurisdiction: Jurisdiction) -> list[Match]:
        if not self._pairs and self.by_province:  # built once: pages ask for every (provincial measure, place)
            for pid, matches in self.by_province.items():
                for match in matches:
                    self._pairs.setdefault((pid, match.jurisdiction), []).append(match)
        return list(self._pairs.get((province.id, jurisdiction.slug), ()))

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


def _matrix(measures: list[Measure]) -> sparse.csr_matrix:
    """One row per measure: TF-IDF weights of its bigrams (sublinear tf), rows of unit length."""
    from scipy import sparse  # here: an alignment kept between builds (`align`'s `kept`) never needs scipy

    vocabulary: dict[str, int] = {}
    rows, cols, tfs = [], [], []
    for row, measure in enumerate(measures):
        for gram, count in bigrams(measure.title + measure.text).items():
            rows.append(row)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
            tfs.append(1 + math.log(count))
    shape = (len(measures), max(len(vocabulary), 1))
    counts = sparse.csr_matrix((np.array(tfs), (np.array(rows), np.array(cols))), shape=shape, dtype=np.float64)
    df = np.bincount(np.array(cols, dtype=np.int64), minlength=shape[1])
    idf = np.log(max(len(measures), 1) / np.maximum(df, 1))  # no measures: no column either, and no log(0)
    weighted = counts @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1 / norms) @ weighted)


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


class Keeper(Protocol):
    """Where scores are kept between builds (site.lookups.Table): the kept answer, else `ask()`'s, kept."""

    def answer(self, question: str, ask: Callable[[], Any]) -> Any: ...


# What `_scores` finds: [[local id, [[provincial id, score], ...]], ...] in the order matches are made, each
# local measure's best first, and the hand-checked pairs' scores in the order of the settings' pairs that exist.
Scores = tuple[list, list[float]]


def align(catalog: Catalog, settings: AlignmentSettings | None = None, *, kept: Keeper | None = None) -> Alignment:
    """Match every local measure against its province's measures (settings: the catalogue's own by default).
    `kept` (the catalogue's own settings only) holds the scores of a build before whose `alignment_inputs` were
    these (site.lookups: keyed by their digest): they are read instead of scored, and never trusted blindly: a
    record that does not fit this catalogue is scored again."""
    settings = settings or catalog.alignment
    groups = _groups(catalog)

    def score() -> Scores:
        return _scores(catalog, settings, groups)

    if kept is None or settings is not catalog.alignment:
        return _assemble(catalog, settings, groups, score())
    try:
        return _assemble(catalog, settings, groups, kept.answer("scores", score))
    except (KeyError, TypeError, ValueError):  # a record of other inputs: not these scores
        return _assemble(catalog, settings, groups, score())


# (province slug → its measures, local jurisdiction slug → its measures, local slug → its province's slug)
Groups = tuple[dict[str, list[Measure]], dict[str, list[Measure]], dict[str, str]]


def _groups(catalog: Catalog) -> Groups:
    """The catalogue's measures by province and by local jurisdiction below a province, catalogue order."""
    provincial_by: dict[str, list[Measure]] = defaultdict(list)
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
    return provincial_by, local_by, province_above


def _scores(catalog: Catalog, settings: AlignmentSettings, groups: Groups) -> Scores:
    """Every local measure's matches, and the hand-checked pairs' scores (`Scores`).

    Long because: one pass over the sparse score matrix in blocks of LOCAL_BLOCK local measures, keeping each
    measure's best provincial score for the relative threshold; split, it would pass six arrays around."""
    provincial_by, local_by, province_above = groups
    measures = catalog.measures()
    row = {m.id: i for i, m in enumerate(measures)}
    matrix = _matrix(measures)
    found: list = []
    for slug, locals_ in local_by.items():
        provincial = provincial_by.get(province_above[slug], [])
        if not provincial:
            continue
        p_rows = matrix[[row[m.id] for m in provincial]]
        for start in range(0, len(locals_), LOCAL_BLOCK):
            chunk = locals_[start : start + LOCAL_BLOCK]
            scores = (matrix[[row[m.id] for m in chunk]] @ p_rows.T).toarray()
            for local, line in zip(chunk, scores, strict=True):
                best = _round(line.max())  # rounding is monotonic: the best rounded score is the rounded best
                # Only scores within a rounding step of the bar can pass it: round just those, exactly as before.
                floor = max(settings.threshold, settings.relative * best) - 0.01
                kept = [
                    [provincial[i].id, value]
                    for i in np.flatnonzero(line >= floor).tolist()
                    if (value := _round(line[i])) >= settings.threshold and value >= settings.relative * best
                ]
                if kept:
                    kept.sort(key=lambda pair: -pair[1])
                    found.append([local.id, kept])
    checked = [_round(matrix[row[pair.province]].multiply(matrix[row[pair.local]]).sum())
               for pair in settings.checked if pair.province in row and pair.local in row]
    return found, checked


def _assemble(catalog: Catalog, settings: AlignmentSettings, groups: Groups, scores: Scores) -> Alignment:
    """The Alignment of `scores` (`_scores`' or a kept copy). KeyError, TypeError or ValueError when they name
    a measure that is not a local one of this catalogue, or are not shaped as `Scores`."""
    provincial_by, local_by, _ = groups
    found, checked_scores = scores
    by_id = {m.id: m for m in catalog.measures()}
    place_of = {m.id: slug for slug, measures in local_by.items() for m in measures}
    by_province: dict[str, list[Match]] = defaultdict(list)
    by_local: dict[str, tuple[Match, ...]] = {}
    for local_id, pairs in found:
        local, place = by_id[local_id], place_of[local_id]
        matches = tuple(Match(province=by_id[pid], local=local, jurisdiction=place, score=float(score))
                        for pid, score in pairs)
        by_local[local.id] = matches
        for match in matches:
            by_province[match.province.id].append(match)
    pairs = [pair for pair in settings.checked if pair.province in by_id and pair.local in by_id]
    if len(pairs) != len(checked_scores):
        raise ValueError("kept scores of other hand-checked pairs")
    order = {j.slug: i for i, j in enumerate(catalog.jurisdictions)}
    provincial_ids = {p.id for group in provincial_by.values() for p in group}
    return Alignment(
        settings=settings,
        checked=tuple((pair, float(score)) for pair, score in zip(pairs, checked_scores, strict=True)),
        provincial=tuple(m for m in catalog.measures() if m.id in provincial_ids),
        local={slug: tuple(ms) for slug, ms in local_by.items()},
        by_province={
            pid: tuple(sorted(ms, key=lambda m: (order[m.jurisdiction], -m.score))) for pid, ms in by_province.items()
        },
        by_local=by_local,
    )


def alignment_inputs(catalog: Catalog) -> tuple:
    """Everything `align` reads of `catalog`, as plain values: the settings, each place's level and parent
    in catalogue order, and each plan's place and its measures' ids, titles and texts in order. Equal inputs,
    equal alignment, up to which Measure objects it holds (`rebound`)."""
    return (catalog.alignment, tuple((j.slug, j.level, j.parent) for j in catalog.jurisdictions),
            tuple((d.jurisdiction, tuple((m.id, m.title, m.text) for m in d.measures)) for d in catalog.documents))


def rebound(alignment: Alignment, catalog: Catalog) -> Alignment:
    """`alignment` holding `catalog`'s measures: each measure replaced by the catalogue's measure of the same id
    (an alignment of equal `alignment_inputs`, made before a measure's units, deadlines or domain changed).
    KeyError when a measure is not in the catalogue: not an alignment of these inputs."""
    by_id = {m.id: m for m in catalog.measures()}
    if all(by_id[m.id] is m for m in alignment.provincial) and all(
            by_id[m.id] is m for measures in alignment.local.values() for m in measures):
        return alignment

    def match(old: Match) -> Match:
        return Match(province=by_id[old.province.id], local=by_id[old.local.id], jurisdiction=old.jurisdiction,
                     score=old.score)

    return Alignment(
        settings=alignment.settings, checked=alignment.checked,
        provincial=tuple(by_id[m.id] for m in alignment.provincial),
        local={slug: tuple(by_id[m.id] for m in measures) for slug, measures in alignment.local.items()},
        by_province={pid: tuple(map(match, matches)) for pid, matches in alignment.by_province.items()},
        by_local={lid: tuple(map(match, matches)) for lid, matches in alignment.by_local.items()},
    )


def _round(value: float) -> float:
    return round(float(value), 2)


def bands(alignment: Alignment) -> list[Band]:
    """The hand-checked pairs by similarity band of BAND_WIDTH, bands aligned on the threshold."""
    threshold = alignment.settings.threshold
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for pair, value in alignment.checked:
        step = math.floor(round((value - threshold) / BAND_WIDTH, 6))
        counts[step][0] += pair.same
        counts[step][1] += 1
    return [
        Band(round(threshold + step * BAND_WIDTH, 2), round(threshold + (step + 1) * BAND_WIDTH, 2), right, total)
        for step, (right, total) in sorted(counts.items())
    ]
