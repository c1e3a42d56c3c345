"""crossref.readings: the build's one pinyin converter reads every text as pypinyin's own `lazy_pinyin` does."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin, pinyin

from generator.catalog import load_catalog
from generator.crossref.readings import converter, reading

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
_catalog = load_catalog(CATALOG)
# what the build reads in pinyin: unit names (anchors, order), section headings (anchors), titles
TEXTS = sorted({text for m in _catalog.measures() for text in (m.title, *m.lead, *m.responsible, *m.section)})
# characters with several readings (the converter is phrase-aware), a traditional one, Latin, digits, punctuation
ALPHABET = "".join(sorted({ch for text in TEXTS for ch in text})) + "行长重乐银种還abcXYZ019（）、，·- "


def test_every_text_of_the_catalogue_reads_as_pypinyin_reads_it() -> None:
    assert len(TEXTS) > 100
    assert [t for t in TEXTS if reading(t) != lazy_pinyin(t)] == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=20))
def test_any_text_reads_as_pypinyin_reads_it(text: str) -> None:
    assert reading(text) == lazy_pinyin(text)
    assert reading(text) == lazy_pinyin(text)  # from the memo: the same again
    # the search's call (each character's own item, non-Han ones as themselves), twice: the words' memo
    for _ in range(2):
        assert converter().lazy_pinyin(text, style=Style.NORMAL, errors=list) == lazy_pinyin(
            text, style=Style.NORMAL, errors=list)


def test_a_caller_changing_the_readings_it_got_does_not_change_the_next_call() -> None:
    text = "银行行长重新种树"  # a phrase reading (银行), polyphones, single characters
    expected = pinyin(text, style=Style.NORMAL, heteronym=True)
    got = converter().pinyin(text, style=Style.NORMAL, heteronym=True)
    assert got == expected
    got[0].append("changed")
    got[1].clear()
    assert converter().pinyin(text, style=Style.NORMAL, heteronym=True) == expected
