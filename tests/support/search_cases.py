"""Search queries computed from a catalogue, one category per row of issue 12's table, with what each
must find. Shared by the browser tests (tests/browser/test_search.py) and the benchmark
(benchmarks/bench_search.py), so both measure the same thing.

Nothing is written down by hand: words are drawn from the catalogue's titles with a fixed seed
(jieba's words), their pinyin comes from pypinyin, traditional forms from OpenCC, months from the
deadlines, abbreviations from the reviewed groups (generator/unit_abbreviations.yaml) that the
catalogue's units use. The answers come from a plain scan of the catalogue (`Oracle`), never from
the index. Every generator works for any valid catalogue: a category the catalogue cannot fill
(no traditional form differs, no abbreviation is used) comes out shorter, never wrong.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from pypinyin import Style, lazy_pinyin

from generator.model import Catalog, Measure
from generator.site import searchindex, searchtext, searchvocab

CN_MONTHS = "一二三四五六七八九十"


def cn_month(month: int) -> str:
    return CN_MONTHS[month - 1] if month <= 10 else "十" + CN_MONTHS[month - 11]


@dataclass(frozen=True)
class Case:
    """One query. `relevant`: ids it must find (recall). `exact`: the results must be exactly those.
    `first`: ids that must come first (in any order among themselves). `target`: what it stands for."""

    category: str
    query: str
    target: str
    relevant: frozenset[str]
    exact: bool = False
    first: frozenset[str] = field(default_factory=frozenset)


class Oracle:
    """The catalogue scanned the way the search defines a match (generator/searchindex.py: haystack)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.measures = catalog.measures()
        self.by_id = {m.id: m for m in self.measures}
        self.hay: list[tuple[str, tuple[int, int, int]]] = []
        for m in self.measures:
            jurisdiction = catalog.jurisdiction(catalog.document(m.document).jurisdiction).name
            text, bounds = searchindex.haystack(m, jurisdiction, catalog.domain(m.domain).name)
            self.hay.append((searchtext.normalize(text), bounds))
        self._bounds: dict[int, set[int]] = {}

    def containing(self, fragment: str) -> set[str]:
        needle = searchtext.normalize(fragment)
        return {m.id for m, (text, _) in zip(self.measures, self.hay, strict=True) if needle in text}

    def all_of(self, tokens: list[str]) -> set[str]:
        found = None
        for token in tokens:
            here = self.containing(token)
            found = here if found is None else found & here
        return found or set()

    def in_title(self, fragment: str) -> set[str]:
        needle = searchtext.normalize(fragment)
        return {m.id for m, (text, (title_end, _, _)) in zip(self.measures, self.hay, strict=True)
                if text.find(needle) >= 0 and text.find(needle) + len(needle) <= title_end}

    def tier(self, measure_id: str, fragment: str) -> int:
        """How search-engine.js ranks the best occurrence: a whole word in the title 0, in the text 1,
        across words in the title 2, in the text 3, unit lists 4, jurisdiction or domain 5."""
        if not self._bounds:
            searchvocab.vocabulary(self.catalog)  # the segmenter learns the catalogue's names, as the index build does
        number = next(i for i, m in enumerate(self.measures) if m.id == measure_id)
        text, (title_end, head_end, units_end) = self.hay[number]
        if number not in self._bounds:
            self._bounds[number] = searchtext.boundaries(text)
        bounds = self._bounds[number]
        needle = searchtext.normalize(fragment)
        best, at = 9, text.find(needle)
        while at >= 0:
            end = at + len(needle)
            place = 0 if end <= title_end else 1 if end <= head_end else 2 if end <= units_end else 3
            word = at in bounds and end in bounds
            best = min(best, place + 2 if place >= 2 else place + (0 if word else 2))
            at = text.find(needle, at + 1)
        return best

    def due(self, year: int | None, month: int) -> set[str]:
        """Measures due in that month: of that year, or of their own plan's year."""
        found = set()
        for m in self.measures:
            want = year or self.catalog.document(m.document).year
            if any(d.date and d.date.year == want and d.date.month == month for d in m.deadlines):
                found.add(m.id)
        return found


def syllables_of(word: str) -> list[str]:
    return [s for s in lazy_pinyin(word, style=Style.NORMAL) if s.isascii() and s.isalpha()]


def title_words(catalog: Catalog, count: int, seed: int, sizes: tuple[int, ...] = (2, 3, 4)) -> list[str]:
    """Random words of titles as jieba cuts them (two to four Han characters), fixed seed."""
    words = sorted({w for m in catalog.measures() for w in searchtext.text_words(m.title) if len(w) in sizes})
    rng = random.Random(seed)
    return rng.sample(words, min(count, len(words)))


def fragments(catalog: Catalog, count: int, seed: int) -> list[str]:
    """Random pieces of titles and texts, 2 to 6 letters or digits, cut anywhere (so across words)."""
    rng = random.Random(seed)
    measures = catalog.measures()
    found: list[str] = []
    for _ in range(count * 50):
        if len(found) >= count:
            break
        m = rng.choice(measures)
        text = rng.choice((m.title, m.text))
        length = rng.randint(2, 6)
        if len(text) <= length:
            continue
        start = rng.randrange(len(text) - length)
        piece = text[start:start + length]
        if all(searchtext.is_word_char(ch) for ch in piece) and piece not in found:
            found.append(piece)
    return found


# --- one generator per row of the table ----------------------------------------------------


def pinyin_cases(oracle: Oracle, words: list[str], rng: random.Random) -> list[Case]:
    """Full, spaced, mixed at a random syllable boundary, spaced at a random boundary."""
    cases = []
    for word in words:
        s = syllables_of(word)
        relevant = frozenset(oracle.containing(word))
        cut = rng.randint(1, len(s) - 1)
        forms = {
            "".join(s),
            " ".join(s),
            "".join(s[:cut]) + "".join(x[0] for x in s[cut:]),
            "".join(x[0] for x in s[:cut]) + "".join(s[cut:]),
            "".join(s[:cut]) + " " + "".join(s[cut:]),
        }
        cases += [Case("pinyin", form, word, relevant) for form in sorted(forms)]
    return cases


def initials_cases(oracle: Oracle, words: list[str]) -> list[Case]:
    return [Case("initials", "".join(x[0] for x in syllables_of(w)), w, frozenset(oracle.containing(w))) for w in words]


def tone_cases(oracle: Oracle, words: list[str]) -> list[Case]:
    cases = []
    for word in words:
        relevant = frozenset(oracle.containing(word))
        marked = [s for s in lazy_pinyin(word, style=Style.TONE) if s.strip()]
        numbered = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
        cases.append(Case("tones", " ".join(marked), word, relevant))
        cases.append(Case("tones", "".join(numbered), word, relevant))
        plain = "".join(syllables_of(word))
        if "v" in plain:  # ü typed as ü, v and u
            cases += [Case("tones", plain.replace("v", c), word, relevant) for c in ("ü", "u")]
    return cases


def umlaut_words(catalog: Catalog) -> list[str]:
    """Title and text words read with ü (法律, 绿色), the words that test ü/v/u."""
    words = sorted({w for m in catalog.measures() for w in searchtext.text_words(m.title + "。" + m.text)
                    if "v" in "".join(syllables_of(w))})
    return words[:: max(1, len(words) // 6)][:6]


def traditional_cases(oracle: Oracle, words: list[str]) -> list[Case]:
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    cases = []
    for word in words:
        whole = to_traditional.convert(word)
        if whole == word:
            continue
        relevant = frozenset(oracle.containing(word))
        cases.append(Case("traditional", whole, word, relevant, exact=True))
        k = next(i for i, (a, b) in enumerate(zip(whole, word, strict=True)) if a != b)
        cases.append(Case("traditional", word[:k] + whole[k] + word[k + 1:], word, relevant, exact=True))
    return cases


def punctuation_cases(oracle: Oracle, words: list[str], catalog: Catalog) -> list[Case]:
    cases = []
    for i, word in enumerate(words):
        relevant = frozenset(oracle.containing(word))
        wrap = ["{}。", '"{}"', "「{}」", "“{}”", "《{}》", "{}，", "（{}）"][i % 7]
        cases.append(Case("punctuation", wrap.format(word), word, relevant, exact=True))
    # enumerations as typed: 水、电、气 is three terms that must all be there
    rng = random.Random(len(words))
    chars = sorted({ch for m in catalog.measures() for ch in m.title if searchtext.is_han(ch)})
    for _ in range(4):
        picked = rng.sample(chars, 2)
        relevant = frozenset(oracle.all_of(picked))
        cases.append(Case("punctuation", "、".join(picked), "+".join(picked), relevant, exact=True))
    return cases


def mixed_cases(oracle: Oracle, words: list[str], catalog: Catalog) -> list[Case]:
    """一网tongban, yingye执照, 12345rexian: Chinese, pinyin and digits in one token."""
    cases = []
    for word in words:
        if len(word) < 3 and len(word) != 2:
            continue
        relevant = frozenset(oracle.containing(word))
        s = syllables_of(word)
        cut = len(word) // 2
        cases.append(Case("mixed", word[:cut] + "".join(s[cut:]), word, relevant))
        cases.append(Case("mixed", "".join(s[:cut]) + word[cut:], word, relevant))
    digits = sorted({w for m in catalog.measures() for w in _digit_words(m.text)})
    for word in digits[:: max(1, len(digits) // 4)][:4]:
        number = "".join(ch for ch in word if ch.isdigit())
        rest = word[len(number):]
        cases.append(Case("mixed", number + "".join(syllables_of(rest)), word, frozenset(oracle.containing(word))))
    return cases


def _digit_words(text: str) -> list[str]:
    import re

    return [m.group() for m in re.finditer(r"\d{3,}[\u4e00-\u9fff]{2}", text) if searchtext.text_words(m.group()[-2:])]


def place_cases(oracle: Oracle, words: list[str], catalog: Catalog) -> list[Case]:
    """A place run into a term (济南营业执照): both must be there, though the two never touch."""
    places = sorted({j.name for j in catalog.jurisdictions} | set(searchvocab.short_names(catalog).values()))
    places = [p for p in places if len(p) >= 2]
    cases = []
    rng = random.Random(len(words) + 1)
    for word in words:
        place = rng.choice(places)
        query = place + word
        if oracle.containing(query) or not oracle.containing(place) or any(
            query.startswith(p) and p != place and len(p) > len(place) for p in places
        ):
            continue
        cases.append(Case("place", query, f"{place} + {word}", frozenset(oracle.all_of([place, word]))))
    return cases


def unit_cases(oracle: Oracle, catalog: Catalog) -> list[Case]:
    """Unit abbreviations find the full names (市住建局 → 市住房城乡建设局); section-level units are searched."""
    units = sorted({u for m in catalog.measures() for u in (*m.lead, *m.responsible, *m.section_lead)})
    cases = []
    for group in searchindex.load_abbreviations():
        for spelling in group:
            for unit in units:
                if spelling in unit and len(unit) > len(spelling):
                    for other in group:
                        if other != spelling:
                            query = unit.replace(spelling, other)
                            relevant = oracle.containing(unit) | oracle.containing(query)
                            cases.append(Case("units", query, unit, frozenset(relevant)))
                    break
    only_in_section = sorted({u for m in catalog.measures() for u in m.section_lead if u not in m.units})
    for unit in only_in_section[:5]:
        cases.append(Case("units", unit, unit, frozenset(oracle.containing(unit))))
    return cases[::max(1, len(cases) // 24)]


def date_cases(oracle: Oracle, catalog: Catalog, rng: random.Random) -> list[Case]:
    """A month in any form finds the measures due then (the plan's year where the query has none)."""
    pairs = sorted({(catalog.document(m.document).year, d.date.year, d.date.month)
                    for m in catalog.measures() for d in m.deadlines if d.date})
    cases = []
    for plan_year, year, month in rng.sample(pairs, min(6, len(pairs))):
        with_year = frozenset(oracle.due(year, month))
        cases += [
            Case("dates", f"{year}-{month:02d}", f"{year}-{month:02d}", with_year),
            Case("dates", f"{year}年{month}月", f"{year}-{month:02d}", with_year),
            Case("dates", f"{year}年{month}月底前", f"{year}-{month:02d}", with_year),
        ]
        if year == plan_year:
            own = frozenset(oracle.due(None, month))
            cases += [
                Case("dates", f"{cn_month(month)}月底前", f"--{month:02d}", own),
                Case("dates", f"{month}月30日前" if month != 2 else f"{month}月28日前", f"--{month:02d}", own),
                Case("dates", f"{month}月份", f"--{month:02d}", own),
            ]
    return cases


def id_and_document_cases(oracle: Oracle, catalog: Catalog, rng: random.Random) -> list[Case]:
    cases = [Case("ids", m.id, m.id, frozenset({m.id}), exact=True, first=frozenset({m.id}))
             for m in rng.sample(oracle.measures, min(8, len(oracle.measures)))]
    for document in catalog.documents:
        ids = frozenset(m.id for m in document.measures)
        for query in (document.doc_number, document.issuer, document.title):
            if query:
                cases.append(Case("documents", query, document.slug, ids, first=ids))
    return cases


def one_character_cases(oracle: Oracle, catalog: Catalog, rng: random.Random) -> list[Case]:
    chars = sorted({ch for m in catalog.measures() for ch in m.title if searchtext.is_han(ch)})
    return [Case("one character", ch, ch, frozenset(oracle.containing(ch)), exact=True, first=frozenset(oracle.in_title(ch)))
            for ch in rng.sample(chars, min(10, len(chars)))]


def many_terms_cases(oracle: Oracle, catalog: Catalog, rng: random.Random) -> list[Case]:
    """13 and more terms: none silently dropped (the limit, when it applies, is said)."""
    cases = []
    for m in rng.sample([m for m in catalog.measures() if len(set(searchtext.text_words(m.text))) >= 14], 3):
        words = sorted(set(searchtext.text_words(m.text)))
        picked = rng.sample(words, 13)
        cases.append(Case("many terms", " ".join(picked), m.id, frozenset(oracle.all_of(picked)), exact=True))
    return cases


def nothing_cases(oracle: Oracle, words: list[str]) -> list[Case]:
    """Words turned around that occur nowhere: the answer is nothing, not other words."""
    cases = []
    for word in words:
        backwards = word[::-1]
        if backwards != word and not oracle.containing(backwards) and len(backwards) >= 3:
            cases.append(Case("nothing", backwards, backwards, frozenset(), exact=True))
    return cases


def fragment_cases(oracle: Oracle, catalog: Catalog, count: int, seed: int) -> list[Case]:
    return [Case("fragment", f, f, frozenset(oracle.containing(f)), exact=True) for f in fragments(catalog, count, seed)]


def all_cases(catalog: Catalog, seed: int = 12, words: int = 40) -> list[Case]:
    """Every category, drawn with one seed."""
    oracle = Oracle(catalog)
    rng = random.Random(seed)
    sample = title_words(catalog, words, seed)
    fours = [w for w in sample if len(w) >= 3] or sample
    cases: list[Case] = []
    cases += fragment_cases(oracle, catalog, words // 2, seed)
    cases += pinyin_cases(oracle, sample, rng)
    cases += initials_cases(oracle, sample)
    cases += tone_cases(oracle, sample[:10] + umlaut_words(catalog))
    cases += traditional_cases(oracle, sample)
    cases += punctuation_cases(oracle, sample[:14], catalog)
    cases += mixed_cases(oracle, fours[:10], catalog)
    cases += place_cases(oracle, fours, catalog)
    cases += unit_cases(oracle, catalog)
    cases += date_cases(oracle, catalog, rng)
    cases += id_and_document_cases(oracle, catalog, rng)
    cases += one_character_cases(oracle, catalog, rng)
    cases += many_terms_cases(oracle, catalog, rng)
    cases += nothing_cases(oracle, sample)
    return cases


def measure_numbers(catalog: Catalog) -> dict[str, int]:
    return {m.id: i for i, m in enumerate(catalog.measures())}


def measure_of(catalog: Catalog, measure_id: str) -> Measure:
    return next(m for m in catalog.measures() if m.id == measure_id)
