"""The search index's postings: for every bigram and every Han character of the catalogue, the measures
that contain it, as the browser (search-engine.js) decodes them, written into hash shards.

A body lists, per measure (in catalogue order, as the gap from the previous one): for a bigram, its
number of occurrences, how many end in the title, the text and the units, and each position (gap * 4,
plus 2 if a word starts there and 1 if a word ends after it); for a character, gap * 4 + the first field
it occurs in (0 title, 1 text, 2 units, 3 place and domain names). Every number is a varint.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable

from generator.site.searchtext import boundaries, fold, is_han, is_word_char

SHARD_TARGET = 16_000  # aimed raw bytes per bigram or unigram shard; the count is a power of two


def _fnv(codes: tuple[int, ...], shards: int) -> int:
    h = 0x811C9DC5
    for code in codes:
        h = ((h ^ code) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def bigram_shard(first: str, second: str, shards: int) -> int:
    """FNV-1a (32 bit) over the two code points, modulo the shard count; search-engine.js computes the same."""
    return _fnv((ord(first), ord(second)), shards)


def unigram_shard(ch: str, shards: int) -> int:
    return _fnv((ord(ch),), shards)


def shard_count(total_bytes: int, target: int = SHARD_TARGET) -> int:
    count = 1
    while total_bytes / count > target:
        count *= 2
    return count


def _varint(out: bytearray, value: int) -> None:
    if value < 0x80:  # most values: one byte
        out.append(value)
        return
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _varints(values: list[int]) -> bytes:
    """`values` (non-negative ints) as consecutive varints, as `_varint` writes them one by one."""
    try:
        return b"".join(map(_VARINT.__getitem__, values))
    except IndexError:  # a value of 2**14 or more: rare (positions in a very long text)
        out = bytearray()
        for value in values:
            _varint(out, value)
        return bytes(out)


def postings(texts: list[tuple[str, tuple[int, int, int]]], table: dict[str, str]):  # noqa: ANN202
    """Bigram and unigram posting bodies (each counting its measures), keyed by the bigram's two characters
    as one string and by the character.

    Long because: the one pass over every character of the catalogue (the index's hot path, about 7 million
    characters at 50 times the catalogue) keeps its per-character work in regular expressions, sets and
    list comprehensions, in one frame."""
    bigram_values: dict[str, list[int]] = defaultdict(list)  # varint values of each bigram's body, encoded at the end
    unigram_values: dict[str, list[int]] = defaultdict(list)
    ndocs: dict[str, int] = defaultdict(int)
    last: dict[str, int] = defaultdict(int)  # the last measure listed under a key (bigrams and characters alike)
    folded = [fold(raw, table) for raw, _ in texts]
    chars = set().union(*map(set, folded))
    word = "".join(sorted(re.escape(ch) for ch in chars if is_word_char(ch))) or "\\x00"
    pair = re.compile(f"(?=[{word}][{word}])")  # every start of two word characters in a row
    han = frozenset(ch for ch in chars if is_han(ch))
    for number, (text, (_, (title_end, head_end, units_end))) in enumerate(zip(folded, texts, strict=True)):
        bounds = boundaries(text)
        at_bound = [i in bounds for i in range(len(text) + 3)]
        positions: dict[str, list[int]] = defaultdict(list)
        for match in pair.finditer(text):
            i = match.start()
            positions[text[i:i + 2]].append(i)
        for key, found in positions.items():
            values = bigram_values[key]
            ndocs[key] += 1
            if len(found) == 1:  # most bigrams occur once in a measure
                p = found[0]
                end = p + 2
                values += (number - last[key], 1, end <= title_end, title_end < end <= head_end,
                           head_end < end <= units_end, p * 4 + 2 * at_bound[p] + at_bound[end])
            else:
                in_title = bisect_right(found, title_end - 2)
                in_head = bisect_right(found, head_end - 2)
                in_units = bisect_right(found, units_end - 2)
                values += (number - last[key], len(found), in_title, in_head - in_title, in_units - in_head)
                values += [(p - q) * 4 + 2 * at_bound[p] + at_bound[p + 2] for p, q in zip(found, [0, *found[:-1]], strict=True)]
            last[key] = number
        seen: set[str] = set()
        for field, (start, end) in enumerate(((0, title_end), (title_end, head_end), (head_end, units_end),
                                              (units_end, len(text)))):
            for ch in han.intersection(text[start:end]).difference(seen):
                unigram_values[ch].append((number - last[ch]) * 4 + field)
                ndocs[ch] += 1
                last[ch] = number
            seen.update(han.intersection(text[start:end]))
    bigrams = {key: _Body(_varints(values), ndocs[key]) for key, values in bigram_values.items()}
    unigrams = {ch: _Body(_varints(values), ndocs[ch]) for ch, values in unigram_values.items()}
    return bigrams, unigrams


def write_shards(files: dict[str, bytes], folder: str, postings: dict, target: int,
                  shard_of: Callable[[object, int], int]) -> int:
    """Write postings into hash shards `folder/<n>.bin`; returns the shard count."""
    total = sum(len(body) + 8 for body in postings.values())
    shards = shard_count(total, target)
    by_shard: dict[int, list] = defaultdict(list)
    for key in postings:
        by_shard[shard_of(key, shards)].append(key)
    for shard in range(shards):
        keys = sorted(by_shard.get(shard, []))
        head, bodies = bytearray(), bytearray()
        _varint(head, len(keys))
        for key in keys:
            body = bytearray()
            _varint(body, postings[key].ndocs)
            body += postings[key]
            for ch in key:
                _varint(head, ord(ch))
            _varint(head, len(body))
            bodies += body
        files[f"{folder}/{shard}.bin"] = bytes(head + bodies)
    return shards


def _encode(value: int) -> bytes:
    out = bytearray()
    _varint(out, value)
    return bytes(out)


_VARINT = [_encode(value) for value in range(1 << 14)]  # the encoding of every value below 2**14


class _Body(bytes):
    """A posting body that counts the measures it lists."""

    ndocs: int

    def __new__(cls, body: bytes, ndocs: int) -> _Body:
        made = super().__new__(cls, body)
        made.ndocs = ndocs
        return made
