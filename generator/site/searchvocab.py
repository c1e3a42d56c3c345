"""The search's vocabulary: what a reader may type in pinyin, and how each is ranked.

Terms: reforms, domains, places (full and short names: 济南, 历城), units, plan titles and
issuers, every word of every title (jieba's words and their parts, plus every run of two to four
characters, so 通办 of 一网通办 is there too) and every word of every text. Each keeps the kind
a reader most likely means (`VOCAB_KINDS`, best first) and, for words, how many measures use it,
so initials (yyzz, zx) list exact and frequent words first. The segmenter learns the named terms
first, so 一网通办 is one word for it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from generator.model import Catalog
from generator.site.searchtext import is_han, know_words, readings, text_words, title_words

# Kinds of vocabulary terms, in the order a pinyin query prefers them: named things, words of titles,
# words of texts, then runs of title characters that are not words (通办 of 一网通办).
VOCAB_KINDS = ("reform", "domain", "jurisdiction", "unit", "document", "title", "word", "run")
_RANK = {kind: rank for rank, kind in enumerate(VOCAB_KINDS)}
_SUFFIXES = ("省", "市", "区", "县")


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    kind: str


def short_names(catalog: Catalog) -> dict[str, str]:
    """Per jurisdiction slug, its name without the parent's name and without 省/市/区/县 (济南, 历城)."""
    short = {}
    for jurisdiction in catalog.jurisdictions:
        name = jurisdiction.name
        parent = catalog.jurisdiction(jurisdiction.parent).name if jurisdiction.parent else ""
        if parent and name.startswith(parent):
            name = name[len(parent):]
        if name.endswith(_SUFFIXES) and len(name) > 2:
            name = name[:-1]
        short[jurisdiction.slug] = name
    return short


def vocabulary(catalog: Catalog) -> tuple[list[Term], Counter[str]]:
    """Terms a reader may type in pinyin, with the kind that ranks them (named things first, then words),
    and how many measures use each word."""
    terms: dict[str, str] = {}
    uses: Counter[str] = Counter()

    def add(text: str, kind: str) -> None:
        text = text.strip()
        if kind == "unit":  # 等市直有关部门, 水利局等
            text = text.removeprefix("等").removesuffix("等")
        known = terms.get(text)
        if known is not None:
            if _RANK[kind] < _RANK[known]:
                terms[text] = kind  # a term found as several kinds keeps the one a reader most likely means
        elif sum(1 for ch in text if is_han(ch)) >= 2:
            terms[text] = kind

    for reform in catalog.reforms:
        for name in (reform.name, *reform.match):
            add(name, "reform")
    for measure in catalog.measures():
        for tag in measure.tags:
            add(tag, "reform")
    for domain in catalog.domains:
        for name in (domain.name, *domain.aliases):
            add(name, "domain")
    short = short_names(catalog)
    for jurisdiction in catalog.jurisdictions:
        add(jurisdiction.name, "jurisdiction")
        add(short[jurisdiction.slug], "jurisdiction")
    for measure in catalog.measures():
        for unit in (*measure.lead, *measure.responsible, *measure.section_lead):
            add(unit, "unit")
    for document in catalog.documents:
        for text in (document.title, document.issuer):
            add(text, "document")
    named = list(terms)
    know_words(named)
    for document in catalog.documents:
        for text in (document.title, document.issuer):
            for word in title_words(text):
                add(word, "word")
    for measure in catalog.measures():
        words = _words_of(measure.title)
        for word in title_words(measure.title):
            add(word, "title" if word in words else "run")
    for measure in catalog.measures():
        # in text order, not a set's: the index must not depend on PYTHONHASHSEED (reproducible builds)
        words = list(dict.fromkeys([*text_words(measure.text), *text_words(measure.units)]))
        uses.update(words)
        for word in words:
            add(word, "word")
    return [Term(text, kind) for text, kind in terms.items()], uses


def _words_of(title: str) -> set[str]:
    return set(text_words(title))


def syllable_chars(texts: list[tuple[str, tuple[int, int, int]]]) -> dict[str, str]:
    """{syllable: the catalogue's characters with that reading, most used first}: a pinyin syllable typed
    next to Chinese characters (biao准化) stands for one of these."""
    counts: Counter[str] = Counter()
    for text, _ in texts:
        counts.update(text)
    counts = Counter({ch: n for ch, n in counts.items() if is_han(ch)})
    found: dict[str, list[str]] = defaultdict(list)
    for ch, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        for reading in readings(ch)[0]:
            found[reading].append(ch)
    return {syllable: "".join(chars) for syllable, chars in sorted(found.items())}
