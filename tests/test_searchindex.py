"""The search index builder (generator/searchindex.py), read back with an independent decoder.

Every assertion compares what the index says with a plain substring scan of
the catalogue, for fragments computed from the catalogue itself.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from generator.catalog import load_catalog
from generator.model import Catalog
from generator.site import searchindex, searchtext
from generator.site.addresses import url_for
from tests.support import search_cases

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixture_catalog" / "catalog"


@pytest.fixture(scope="module")
def real() -> Catalog:
    return load_catalog(REPO / "catalog")


@pytest.fixture(scope="module")
def real_files(real: Catalog) -> dict[str, bytes]:
    return searchindex.build(real)


class Index:
    """Reads the files back: the same steps search-engine.js takes."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.meta = json.loads(files["search/meta.json"])
        self.base = f"search/{self.meta['base']}"

    def _read(self, data: bytes, at: int) -> tuple[int, int]:
        value, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, at

    def _keys(self, data: bytes, width: int) -> tuple[dict[str, tuple[int, int]], int]:
        count, at = self._read(data, 0)
        spans = []
        for _ in range(count):
            key = ""
            for _ in range(width):
                code, at = self._read(data, at)
                key += chr(code)
            length, at = self._read(data, at)
            spans.append((key, length))
        keys = {}
        for key, length in spans:
            keys[key] = (at, length)
            at += length
        return keys, at

    def postings(self, bigram: str) -> dict[int, tuple[list[int], list[int], list[int]]]:
        """{measure number: (positions, flags, [ntitle, ntext, nunits])}."""
        data = self.files[f"{self.base}b/{searchindex.bigram_shard(bigram[0], bigram[1], self.meta['shards'])}.bin"]
        keys, _ = self._keys(data, 2)
        if bigram not in keys:
            return {}
        at = keys[bigram][0]
        ndocs, at = self._read(data, at)
        result, doc = {}, 0
        for _ in range(ndocs):
            delta, at = self._read(data, at)
            doc += delta
            npos, at = self._read(data, at)
            counts = []
            for _ in range(3):
                value, at = self._read(data, at)
                counts.append(value)
            positions, flags, p = [], [], 0
            for _ in range(npos):
                value, at = self._read(data, at)
                p += value // 4
                positions.append(p)
                flags.append(value % 4)
            result[doc] = (positions, flags, counts)
        return result

    def chars(self, ch: str) -> dict[int, int]:
        """{measure number: best field (0 title, 1 text, 2 units, 3 other)} of one character."""
        data = self.files[f"{self.base}u/{searchindex.unigram_shard(ch, self.meta['ushards'])}.bin"]
        keys, _ = self._keys(data, 1)
        if ch not in keys:
            return {}
        at = keys[ch][0]
        ndocs, at = self._read(data, at)
        result, doc = {}, 0
        for _ in range(ndocs):
            value, at = self._read(data, at)
            doc += value // 4
            result[doc] = value % 4
        return result

    def find(self, fragment: str) -> dict[int, bool]:
        """{measure number: whether the title contains it} by aligned bigram positions."""
        return {doc: any(field == 0 for field, _ in found) for doc, found in self.occurrences(fragment).items()}

    def tiers(self, fragment: str) -> dict[int, int]:
        """{measure number: rank of its best occurrence} as search-engine.js ranks: a whole word in the
        title 0, in the text 1, across words in the title 2, in the text 3, unit lists 4, other 5."""
        return {doc: min(field + 2 if field >= 2 else field + (0 if word else 2) for field, word in found)
                for doc, found in self.occurrences(fragment).items()}

    def occurrences(self, fragment: str) -> dict[int, list[tuple[int, bool]]]:
        """{measure number: [(field: 0 title, 1 text, 2 units, 3 other; whether it is a whole word)]}."""
        fragment = searchindex.normalize(fragment)
        offsets = list(range(0, len(fragment) - 1, 2))
        if offsets[-1] != len(fragment) - 2:
            offsets.append(len(fragment) - 2)
        lists = [(o, self.postings(fragment[o:o + 2])) for o in offsets]
        found: dict[int, list[tuple[int, bool]]] = {}
        for doc, (positions, flags, _) in lists[0][1].items():
            if not all(doc in lst for _, lst in lists):
                continue
            for start, first_flags in zip(positions, flags, strict=True):
                if all(start + o in lst[doc][0] for o, lst in lists):
                    last_positions, last_flags, counts = lists[-1][1][doc]
                    j = last_positions.index(start + offsets[-1])
                    field = 0 if j < counts[0] else 1 if j < counts[0] + counts[1] else 2 if j < sum(counts) else 3
                    found.setdefault(doc, []).append((field, bool(first_flags & 2) and bool(last_flags[j] & 1)))
        return found

    def record(self, number: int) -> dict:
        chunk = self.meta["chunk"]
        row = json.loads(self.files[f"{self.base}c/{number // chunk}.json"])[number % chunk]
        return dict(zip(self.meta["fields"], row, strict=True))

    def table(self, name: str) -> list[dict]:
        return [dict(zip(self.meta[name]["fields"], row, strict=True)) for row in self.meta[name]["rows"]]


_FOLDED: dict[int, list[tuple[str, ...]]] = {}


def folded_fields(catalog: Catalog) -> list[tuple[str, ...]]:
    """Per measure, normalised: title, text, units as searched (section lead units too), jurisdiction, domain."""
    if id(catalog) not in _FOLDED:
        _FOLDED[id(catalog)] = [
            tuple(searchindex.normalize(f) for f in (
                m.title, m.text, searchindex.searched_units(m),
                catalog.jurisdiction(catalog.document(m.document).jurisdiction).name, catalog.domain(m.domain).name))
            for m in catalog.measures()
        ]
    return _FOLDED[id(catalog)]


def scan(catalog: Catalog, fragment: str) -> dict[int, bool]:
    """{measure number: title contains it} for every measure whose title, text, units, jurisdiction or domain contains it."""
    fragment = searchindex.normalize(fragment)
    found = {}
    for number, fields in enumerate(folded_fields(catalog)):
        if any(fragment in f for f in fields):
            found[number] = fragment in fields[0]
    return found


def fragments(catalog: Catalog, count: int, seed: int) -> list[str]:
    """Random pieces of titles and texts, 2 to 9 letters and digits, cut anywhere (so across word boundaries)."""
    rng = random.Random(seed)
    measures = catalog.measures()
    found = []
    while len(found) < count:
        m = rng.choice(measures)
        text = rng.choice((m.title, m.text, m.text))
        length = rng.randint(2, 9)
        if len(text) <= length:
            continue
        start = rng.randrange(len(text) - length)
        piece = text[start:start + length]
        if all(searchtext.is_word_char(ch) for ch in piece):  # queries are split at separators
            found.append(piece)
    return found


def test_random_fragments_find_exactly_the_measures_that_contain_them(real: Catalog, real_files) -> None:
    index = Index(real_files)
    for fragment in fragments(real, 300, seed=4):
        assert index.find(fragment) == scan(real, fragment), fragment


def test_reform_domain_and_jurisdiction_names_find_their_measures(real: Catalog, real_files) -> None:
    index = Index(real_files)
    names = [r.name for r in real.reforms] + [d.name for d in real.domains] + [j.name for j in real.jurisdictions]
    for name in names:
        for piece in searchtext.query_tokens(name):  # 双随机、一公开 is searched as 双随机 and 一公开
            if len(piece) >= 2:
                assert index.find(piece) == scan(real, piece), (name, piece)
    assert index.find("一网通办"), "the catalogue has measures on 一网通办"


def test_fragments_that_occur_nowhere_find_nothing(real: Catalog, real_files) -> None:
    index = Index(real_files)
    for fragment in ("网通一", "ab", "通办Ω"):
        assert index.find(fragment) == scan(real, fragment) == {}, fragment


def test_letters_match_whatever_their_case_or_width(real: Catalog, real_files) -> None:
    index = Index(real_files)
    lower = next(f for f in ("5g", "ai", "app", "5G") if scan(real, f))
    assert index.find(lower.upper()) == index.find(lower) == scan(real, lower)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in lower.upper())
    assert index.find(wide) == scan(real, lower)


def test_records_come_in_catalogue_order_with_what_results_show(real: Catalog, real_files) -> None:
    index = Index(real_files)
    measures = real.measures()
    assert index.meta["count"] == len(measures)
    for number in (0, 1, len(measures) // 2, len(measures) - 1):
        row = index.record(number)
        m = measures[number]
        assert row["id"] == m.id and row["title"] == m.title and row["text"] == m.text and row["units"] == m.units
        assert index.table("documents")[row["document"]]["slug"] == m.document
        assert index.table("domains")[row["domain"]]["slug"] == m.domain
        assert row["url"] == url_for(m), "the address is Python's, never rebuilt in the browser"


def test_polyphones_read_in_context_first_and_keep_other_readings() -> None:
    bank = searchindex.readings("银行")
    assert [r[0] for r in bank] == ["yin", "hang"] and "xing" in bank[1]
    key = searchindex.readings("重点")
    assert [r[0] for r in key] == ["zhong", "dian"] and "chong" in key[0]
    green = searchindex.readings("绿色")
    assert "lv" in green[0] and "lu" in green[0]
    assert searchindex.readings("互联网+监管") == [
        r for r in searchindex.readings("互联网监管")
    ], "punctuation has no sound"


def test_the_vocabulary_holds_reforms_domains_jurisdictions_units_and_title_words(real: Catalog, real_files) -> None:
    index = Index(real_files)
    entries = {}
    for path, content in real_files.items():
        if path.startswith(f"{index.base}v/"):
            for values in json.loads(content):
                entry = dict(zip(index.meta["vocab_fields"], values, strict=True))
                kind = index.meta["vocab_kinds"][entry["kind"]]
                entries[entry["term"]] = (kind, entry["readings"], path.rsplit("/", 1)[1][:-5])
    for reform in real.reforms:
        assert entries[reform.name][0] == "reform"
    for jurisdiction in real.jurisdictions:
        assert jurisdiction.name in entries
    assert "济南" in entries and "历城" in entries
    for domain in real.domains:
        assert domain.name in entries
    leads = {u for m in real.measures() for u in m.lead if len(u) >= 2}
    assert leads & set(entries)
    assert entries["一网通办"][1] == "yi wang tong ban" and entries["一网通办"][2] == "yw"
    assert entries["银行"][1].startswith("yin hang|")


def test_every_vocabulary_term_is_in_the_shard_of_each_of_its_readings(real_files) -> None:
    index = Index(real_files)
    for path, content in real_files.items():
        if path.startswith(f"{index.base}v/"):
            key = path.rsplit("/", 1)[1][:-5]
            for values in json.loads(content):
                entry = dict(zip(index.meta["vocab_fields"], values, strict=True))
                options = [s.split("|") for s in entry["readings"].split(" ")]
                assert key in searchindex.vocab_keys(options), (entry["term"], key)


def test_the_build_is_deterministic_and_its_version_follows_the_content() -> None:
    catalog = load_catalog(FIXTURE)
    first, second = searchindex.build(catalog), searchindex.build(catalog)
    assert first == second
    smaller = searchindex.build(catalog, shard_target=50)
    assert json.loads(smaller["search/meta.json"])["shards"] > json.loads(first["search/meta.json"])["shards"]
    assert json.loads(smaller["search/meta.json"])["version"] != json.loads(first["search/meta.json"])["version"]
    index = Index(smaller)
    for fragment in fragments(catalog, 40, seed=1):
        assert index.find(fragment) == scan(catalog, fragment), fragment


def test_hostile_catalogue_text_is_indexed_literally() -> None:
    catalog = load_catalog(FIXTURE)
    index = Index(searchindex.build(catalog))
    assert index.find("script") == scan(catalog, "script") != {}
    assert index.find("大数据局") == scan(catalog, "<b>大数据局</b>") != {}


def test_the_shard_count_grows_with_the_index() -> None:
    assert searchindex.shard_count(0) == 1
    assert searchindex.shard_count(searchindex.SHARD_TARGET * 50) == 64
    assert searchindex.bigram_shard("一", "网", 1) == 0
    # FNV-1a 32 of code points 0x4e00, 0x7f51 (search-engine.js computes the same with Math.imul)
    h = 0x811C9DC5
    for cp in (0x4E00, 0x7F51):
        h = ((h ^ cp) * 0x01000193) % 2**32
    assert searchindex.bigram_shard("一", "网", 1024) == h % 1024


# --- what issue 12 added: one normalisation, words, one character, units, months, ids, plans -----------


def test_traditional_characters_fold_by_opencc_data_reduced_to_the_catalogue(real: Catalog, real_files) -> None:
    import opencc

    index = Index(real_files)
    pairs = index.meta["t2s"]
    table = dict(zip(pairs[0::2], pairs[1::2], strict=True))
    used = {ch for m in real.measures() for ch in searchindex.haystack(  # what the index searches of each measure
        m, real.jurisdiction(real.document(m.document).jurisdiction).name, real.domain(m.domain).name)[0]}
    assert table and set(table.values()) <= used | {ch for d in real.documents for ch in d.title + d.issuer + d.doc_number} | {
        ch for g in searchindex.load_abbreviations() for s in g for ch in s}
    converter = opencc.OpenCC("t2s")
    for t, s in list(table.items())[::7]:
        assert converter.convert(t) == s or opencc.OpenCC("tw2s").convert(t) == s or opencc.OpenCC("hk2s").convert(t) == s
    for word in ("营业执照", "一网通办", "不动产", "审批"):
        traditional = opencc.OpenCC("s2t").convert(word)
        assert traditional != word and searchtext.fold(traditional, table) == word


def test_one_normalisation_folds_width_case_tones_and_reads_punctuation_as_separators() -> None:
    assert searchtext.normalize("ＡＢｃ１２") == "abc12"
    assert searchtext.normalize("Yī Wǎng Tōng Bàn lǜ") == "yi wang tong ban lu"
    assert searchtext.query_tokens("“一网通办”。") == ["一网通办"]
    assert searchtext.query_tokens("「一网通办」") == ["一网通办"]
    assert searchtext.query_tokens('"一网通办"') == ["一网通办"]
    assert searchtext.query_tokens("水、电、气") == ["水", "电", "气"]
    assert searchtext.query_tokens("yi1wang3tong1ban4") == ["yiwangtongban"]
    assert searchtext.query_tokens("shenggong'anting") == ["shenggonganting"]
    assert searchtext.query_tokens("12345rexian") == ["12345rexian"]
    assert searchtext.query_tokens("😀一网通办🎉") == ["一网通办"]
    for text in ("營業執照", "Ｙī", "a、b"):
        assert len(searchtext.normalize(text)) == len(text), "one character for one: positions stay valid"


def test_whole_words_are_marked_so_they_rank_before_matches_across_words(real: Catalog, real_files) -> None:
    index = Index(real_files)
    measures = real.measures()
    oracle = search_cases.Oracle(real)  # the same scan of the catalogue the browser tests rank against
    checked = 0
    for fragment in fragments(real, 120, seed=9):
        for number, tier in index.tiers(fragment).items():
            m = measures[number]
            assert tier == oracle.tier(m.id, fragment), (fragment, m.id)
            checked += 1
    assert checked > 100
    cut = [w for w in searchtext.segment("协调解决企业问题")]
    assert "调解" not in cut and index.tiers("调解"), "调解 across 协调|解决 is a match, ranked below the word"


def test_one_character_index_lists_every_measure_with_its_best_field(real: Catalog, real_files) -> None:
    index = Index(real_files)
    measures = real.measures()
    rng = random.Random(3)
    for ch in rng.sample(sorted({c for m in measures for c in m.title if searchtext.is_han(c)}), 25):
        want = {}
        for number, m in enumerate(measures):
            jurisdiction = real.jurisdiction(real.document(m.document).jurisdiction).name
            text, (title_end, head_end, units_end) = searchindex.haystack(m, jurisdiction, real.domain(m.domain).name)
            text = searchtext.normalize(text)
            fields = [i for i, c in enumerate(text) if c == ch]
            if fields:
                want[number] = min(0 if i < title_end else 1 if i < head_end else 2 if i < units_end else 3 for i in fields)
        assert index.chars(ch) == want, ch


def test_section_lead_units_are_searched_with_the_measure(real: Catalog, real_files) -> None:
    index = Index(real_files)
    measures = real.measures()
    only_in_section = [(n, u) for n, m in enumerate(measures) for u in m.section_lead if u not in m.units]
    assert only_in_section, "the catalogue has measures whose lead unit is named only in the section heading"
    for number, unit in only_in_section[::5]:
        assert number in index.find(unit), (measures[number].id, unit)
        assert index.record(number)["searched_units"].endswith(unit) or unit in index.record(number)["searched_units"]


def test_months_ids_and_documents_are_in_the_index(real: Catalog, real_files) -> None:
    index = Index(real_files)
    measures = real.measures()
    for key in index.meta["months"]:
        numbers = json.loads(real_files[f"{index.base}d/{key}.json"])
        for number, m in enumerate(measures):
            year = real.document(m.document).year
            due = {(d.date.year, d.date.month) for d in m.deadlines if d.date}
            want = (int(key[:4]), int(key[5:])) in due if "-" in key else (year, int(key)) in due
            assert (number in numbers) == want, (key, m.id)
    documents = index.table("documents")
    for i, (row, document) in enumerate(zip(documents, real.documents, strict=True)):
        assert json.loads(real_files[f"{index.base}i/{i}.json"]) == [m.id for m in document.measures]
        assert measures[row["first"]].id == document.measures[0].id and row["count"] == len(document.measures)
        assert (row["title"], row["issuer"], row["doc_number"]) == (document.title, document.issuer, document.doc_number)


def test_unit_abbreviations_are_reviewed_groups_that_do_not_contain_each_other(real_files) -> None:
    groups = searchindex.load_abbreviations()
    index = Index(real_files)
    assert index.meta["abbreviations"] == groups
    for group in groups:
        assert len(set(group)) == len(group)
        for a in group:
            assert not any(a != b and a in b for b in group), group


def test_pinyin_vocabulary_holds_every_word_of_every_title(real: Catalog, real_files) -> None:
    index = Index(real_files)
    terms = set()
    for path, content in real_files.items():
        if path.startswith(f"{index.base}v/"):
            terms |= {values[0] for values in json.loads(content)}
    for m in real.measures():
        for word in searchtext.title_words(m.title):
            assert word in terms, (m.id, word)
    for d in real.documents:
        assert d.title in terms and (not d.issuer or d.issuer in terms)


def test_the_segmenter_knows_the_catalogues_words_as_a_new_process_would(real: Catalog) -> None:
    """Under `serve` one process makes the index again and again: a name added to the catalogue is one of a
    title's words at once (the cuts memoised before it are let go); a name gone is forgotten, so the cuts are
    again those of a new process; after `release` the segmenter learns anew."""
    title, run = next((m.title, run) for m in real.measures() for run in searchtext._HAN_RUN.findall(m.title)
                      if 5 <= len(run) <= 10 and searchtext.segment(run) != [run])
    searchindex.build(real)  # the catalogue's names, taught by its index (whatever other tests taught since)
    names = list(searchtext.known_words())
    assert names and run not in names
    searchtext.release()
    try:
        searchtext.know_words(names)
        fresh = (searchtext.title_words(title), searchtext.segment(title))
        assert run not in fresh[0]
        for known in (names + [run], [run] + names):  # learnt after the others, as under serve, or first
            searchtext.know_words(known)
            assert run in searchtext.title_words(title) and run in searchtext.segment(title)
            searchtext.know_words(names)
            assert (searchtext.title_words(title), searchtext.segment(title)) == fresh
        searchtext.release()
        searchtext.know_words(names)
        assert (searchtext.title_words(title), searchtext.segment(title)) == fresh
    finally:
        searchtext.release()
        searchtext.know_words(names)
