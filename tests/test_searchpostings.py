"""The search index's postings (generator/site/searchpostings.py, computed with numpy over the whole
catalogue) against the rules of its docstring written out as a plain loop over each measure's characters.

Inputs are generated (hypothesis): Han characters, a traditional one that folds, Latin letters, digits,
punctuation and spaces, in texts of any length with any field ends, computed in runs of any size, and a
text long enough that positions take three bytes. Every body must be byte for byte what the loop makes.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.searchpostings import _varint, postings
from generator.site.searchtext import boundaries, fold, is_han, is_word_char

TABLE = {"與": "与", "開": "开"}  # a fold table like searchtext.t2s_table's
ALPHABET = "开办企业与開與营商环境一网通办ab12 ，。、（）-\u3400"


def _reference(texts: list[tuple[str, tuple[int, int, int]]]) -> tuple[dict, dict]:
    """The postings as the docstring states them: {key: (varint body, measure count)}."""
    bigram_values: dict[str, list[int]] = defaultdict(list)
    unigram_values: dict[str, list[int]] = defaultdict(list)
    last: dict[str, int] = defaultdict(int)
    for number, (raw, (title_end, head_end, units_end)) in enumerate(texts):
        text = fold(raw, TABLE)
        bound = boundaries(text)
        found: dict[str, list[int]] = defaultdict(list)
        for p in range(len(text) - 1):
            if is_word_char(text[p]) and is_word_char(text[p + 1]):
                found[text[p:p + 2]].append(p)
        for key, places in found.items():
            ends = [p + 2 for p in places]
            bigram_values[key] += [number - last[key], len(places), sum(e <= title_end for e in ends),
                                   sum(title_end < e <= head_end for e in ends),
                                   sum(head_end < e <= units_end for e in ends)]
            previous = 0
            for p in places:
                bigram_values[key].append((p - previous) * 4 + 2 * (p in bound) + ((p + 2) in bound))
                previous = p
            last[key] = number
        first_field: dict[str, int] = {}
        for p, ch in enumerate(text):
            if is_han(ch) and ch not in first_field:
                first_field[ch] = (p >= title_end) + (p >= head_end) + (p >= units_end)
        for ch, field in first_field.items():
            unigram_values[ch].append((number - last[ch]) * 4 + field)
            last[ch] = number

    def encode(values: list[int]) -> bytes:
        out = bytearray()
        for value in values:
            _varint(out, value)
        return bytes(out)

    def count(key: str) -> int:
        return sum(1 for raw, _ in texts if key in fold(raw, TABLE))

    return ({key: (encode(values), count(key)) for key, values in bigram_values.items()},
            {ch: (encode(values), count(ch)) for ch, values in unigram_values.items()})


def _as_plain(made: dict) -> dict:
    return {key: (bytes(body), body.ndocs) for key, body in made.items()}


@st.composite
def _measure(draw: st.DrawFn) -> tuple[str, tuple[int, int, int]]:
    text = draw(st.text(alphabet=ALPHABET, max_size=40))
    ends = sorted(draw(st.lists(st.integers(0, len(text)), min_size=3, max_size=3)))
    return text, (ends[0], ends[1], ends[2])


@settings(max_examples=200, deadline=None)
@given(st.lists(_measure(), max_size=12), st.integers(1, 120))
def test_postings_are_the_rules_of_the_docstring(texts: list[tuple[str, tuple[int, int, int]]], chunk: int) -> None:
    """Any catalogue, computed in runs of any size (`chunk` characters: one measure a run up to all at once)."""
    bigrams, unigrams = postings(texts, TABLE, chunk=chunk)
    expected_bigrams, expected_unigrams = _reference(texts)
    assert _as_plain(bigrams) == expected_bigrams
    assert _as_plain(unigrams) == expected_unigrams


def test_positions_far_into_a_long_text_take_several_bytes() -> None:
    long = "开办" + "，" * 20_000 + "开办企业" + "。" * 3_000_000 + "开办"  # gaps of 2**14 and 2**21 and more
    texts = [("开办", (2, 2, 2)), (long, (2, 10, len(long) - 2)), ("企业开办", (0, 4, 4))]
    bigrams, unigrams = postings(texts, TABLE, chunk=100)  # a run per measure: gaps joined across runs
    expected_bigrams, expected_unigrams = _reference(texts)
    assert _as_plain(bigrams) == expected_bigrams
    assert _as_plain(unigrams) == expected_unigrams
    assert max(len(body) for body in bigrams.values()) > 12  # multi-byte positions were written
