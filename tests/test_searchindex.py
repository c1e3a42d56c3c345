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
from generator.site import searchindex

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixture_catalog" / "catalog"


@pytest.fixture(scope="module")
def real() -> Catalog:
    return load_catalog(REPO / "catalog")


@pytest.fixture(scope="module")
def real_files(real: Catalog) -> dict[str, bytes]:
    return searchindex.build(real)


class Index:
    """Reads the files back: the same steps search.js takes."""

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

    def postings(self, bigram: str) -> dict[int, tuple[list[int], int]]:
        data = self.files[f"{self.base}b/{searchindex.bigram_shard(bigram[0], bigram[1], self.meta['shards'])}.bin"]
        count, at = self._read(data, 0)
        spans = []
        for _ in range(count):
            a, at = self._read(data, at)
            b, at = self._read(data, at)
            length, at = self._read(data, at)
            spans.append((chr(a) + chr(b), length))
        for key, length in spans:
            if key == bigram:
                break
            at += length
        else:
            return {}
        ndocs, at = self._read(data, at)
        result, doc = {}, 0
        for _ in range(ndocs):
            delta, at = self._read(data, at)
            doc += delta
            npos, at = self._read(data, at)
            ntitle, at = self._read(data, at)
            positions, p = [], 0
            for _ in range(npos):
                delta, at = self._read(data, at)
                p += delta
                positions.append(p)
            result[doc] = (positions, ntitle)
        return result

    def find(self, fragment: str) -> dict[int, bool]:
        """{measure number: whether the title contains it} by aligned bigram positions."""
        fragment = searchindex.normalize(fragment)
        offsets = list(range(0, len(fragment) - 1, 2))
        if offsets[-1] != len(fragment) - 2:
            offsets.append(len(fragment) - 2)
        lists = [(o, self.postings(fragment[o:o + 2])) for o in offsets]
        found = {}
        for doc, (positions, _) in lists[0][1].items():
            if not all(doc in lst for _, lst in lists):
                continue
            for start in positions:
                if all(start + o in lst[doc][0] for o, lst in lists):
                    last_positions, ntitle = lists[-1][1][doc]
                    in_title = last_positions.index(start + offsets[-1]) < ntitle
                    found[doc] = found.get(doc, False) or in_title
        return found

    def record(self, number: int) -> list:
        chunk = self.meta["chunk"]
        return json.loads(self.files[f"{self.base}c/{number // chunk}.json"])[number % chunk]


def scan(catalog: Catalog, fragment: str) -> dict[int, bool]:
    """{measure number: title contains it} for every measure whose title, text, units, jurisdiction or domain contains it."""
    fragment = searchindex.normalize(fragment)
    found = {}
    for number, m in enumerate(catalog.measures()):
        fields = (m.title, m.text, m.units, catalog.jurisdiction(catalog.document(m.document).jurisdiction).name,
                  catalog.domain(m.domain).name)
        if any(fragment in searchindex.normalize(f) for f in fields):
            found[number] = fragment in searchindex.normalize(m.title)
    return found


def fragments(catalog: Catalog, count: int, seed: int) -> list[str]:
    """Random pieces of titles and texts, 2 to 9 characters, cut anywhere (so across word boundaries)."""
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
        if not any(ch.isspace() for ch in piece):
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
        assert index.find(name) == scan(real, name), name
    assert index.find("一网通办"), "the catalogue has measures on 一网通办"


def test_fragments_that_occur_nowhere_find_nothing(real: Catalog, real_files) -> None:
    index = Index(real_files)
    for fragment in ("<script>", "网通一", "a.*b", "😀一网", "通办\u3000一网"[:2] + "Ω"):
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
        assert row[0] == m.id and row[2] == m.title and row[3] == m.text and row[4] == m.units
        assert index.meta["documents"][row[1]][0] == m.document
        assert index.meta["domains"][row[5]][0] == m.domain


def test_facets_give_document_domain_lead_units_and_dates_of_every_measure(real: Catalog, real_files) -> None:
    index = Index(real_files)
    facets = json.loads(real_files[f"{index.base}facets.json"])
    assert len(facets["rows"]) == len(real.measures())
    for row, m in zip(facets["rows"], real.measures(), strict=True):
        assert index.meta["documents"][row[0]][0] == m.document
        assert [facets["units"][u] for u in row[2]] == list(m.lead)
        assert row[3] == sorted({d.date.isoformat() for d in m.deadlines if d.date})


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
            for term, kind, readings in json.loads(content):
                entries[term] = (searchindex.VOCAB_KINDS[kind], readings, path.rsplit("/", 1)[1][:-5])
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
            for term, _, readings in json.loads(content):
                options = [s.split("|") for s in readings.split(" ")]
                assert key in searchindex.vocab_keys(options), (term, key)


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
    assert index.find("<script>") == scan(catalog, "<script>") != {}
    assert index.find("<b>大数据局</b>") == scan(catalog, "<b>大数据局</b>") != {}


def test_the_shard_count_grows_with_the_index() -> None:
    assert searchindex.shard_count(0) == 1
    assert searchindex.shard_count(searchindex.SHARD_TARGET * 50) == 64
    assert searchindex.bigram_shard("一", "网", 1) == 0
    # FNV-1a 32 of code points 0x4e00, 0x7f51 (search.js computes the same with Math.imul)
    h = 0x811C9DC5
    for cp in (0x4E00, 0x7F51):
        h = ((h ^ cp) * 0x01000193) % 2**32
    assert searchindex.bigram_shard("一", "网", 1024) == h % 1024
