"""The search index's postings: for every bigram and every Han character of the catalogue, the measures
that contain it, as the browser (search-engine.js) decodes them, written into hash shards.

A body lists, per measure (in catalogue order, as the gap from the previous one): for a bigram, its
number of occurrences, how many end in the title, the text and the units, and each position (gap * 4,
plus 2 if a word starts there and 1 if a word ends after it); for a character, gap * 4 + the first field
it occurs in (0 title, 1 text, 2 units, 3 place and domain names). Every number is a varint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np

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


CHUNK_CHARACTERS = 250_000  # characters per numpy pass: bounds the memory (about 50 MB a pass)


def postings(texts: list[tuple[str, tuple[int, int, int]]], table: dict[str, str],
             chunk: int = CHUNK_CHARACTERS):  # noqa: ANN202
    """Bigram and unigram posting bodies (each counting its measures), keyed by the bigram's two characters
    as one string and by the character. `texts` are the measures' haystacks with their field ends (title,
    text, units; searchtext.haystack), folded here with `table`.

    Per measure listed under a bigram, a body holds: the gap from the previous measure listed, the count,
    how many end in the title, the text and the units, then each position as (gap from the previous one) * 4
    + 2 if a word starts there + 1 if a word ends after it. Per measure listed under a character: the gap *
    4 + the first field it occurs in (0 title, 1 text, 2 units, 3 the rest). tests/test_searchpostings.py
    checks this against those rules written out as a loop.

    Computed with numpy, a run of measures of about `chunk` characters at a time (7 million characters at
    50 times the catalogue; one run at 1x): in a run, every occurrence of a bigram is one row, sorted by
    bigram (stably: by measure and position within a bigram), and each key's values are a slice of one
    array. The runs are joined per key in measure order; only the first gap of a key in a run depends on
    the runs before it."""
    folded = [fold(raw, table) for raw, _ in texts]
    chars = sorted(set().union(*folded))  # (a set per text first would hold the whole catalogue as sets)
    word_codes = np.array([ord(ch) for ch in chars if is_word_char(ch)], dtype=np.int64)
    han_codes = np.array([ord(ch) for ch in chars if is_han(ch)], dtype=np.int64)
    bigrams, unigrams = _Joined(1), _Joined(4)
    for first, last in _runs([len(text) for text in folded], chunk):
        codes, starts = _codes(folded[first:last])
        ends = np.array([fields for _, fields in texts[first:last]], dtype=np.int64).reshape(-1, 3)
        bound = np.zeros(len(codes) + 3, dtype=np.int64)  # 1 where a word starts or ends (a text's 0 and end too)
        for start, text in zip(starts.tolist(), folded[first:last], strict=True):
            bound[[start + b for b in boundaries(text)]] = 1
        bigrams.add(*_bigram_run(codes, starts, ends, bound, np.isin(codes, word_codes), first))
        unigrams.add(*_unigram_run(codes, starts, ends, np.isin(codes, han_codes), first))
    return bigrams.bodies(), unigrams.bodies()


def _bigram_run(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, bound: np.ndarray, word: np.ndarray,
                first_number: int) -> tuple:
    """The bigram postings of one run of measures (numbered from `first_number`), for `_Joined.add`."""
    at = np.flatnonzero(word[:-1] & word[1:])  # every start of two word characters in a row (never across texts)
    key = (codes[at] << 21) | codes[at + 1]
    order = np.argsort(key, kind="stable")
    at, key = at[order], key[order]
    doc = np.searchsorted(starts, at, side="right") - 1
    p = at - starts[doc]
    end = p + 2
    title_end, head_end, units_end = ends[doc, 0], ends[doc, 1], ends[doc, 2]
    new_key = _changes(key)
    new_group = new_key | _changes(doc)  # a group: one bigram in one measure
    group = np.cumsum(new_group) - 1
    first = np.flatnonzero(new_group)  # each group's first occurrence
    group_doc = doc[first] + first_number
    group_new_key = new_key[first]
    header = np.stack([
        group_doc - np.where(group_new_key, 0, _previous(group_doc)),  # a key's first: its measure's number
        np.diff(np.r_[first, len(at)]),
        _group_sums(end <= title_end, first),
        _group_sums((title_end < end) & (end <= head_end), first),
        _group_sums((head_end < end) & (end <= units_end), first),
    ], axis=1).reshape(-1, 5)
    values = np.empty(5 * len(first) + len(at), dtype=np.int64)
    header_at = 5 * np.arange(len(first)) + first  # where each group's five values go
    values[header_at[:, None] + np.arange(5)] = header
    values[5 * (group + 1) + np.arange(len(at))] = (p - np.where(new_group, 0, _previous(p))) * 4 \
        + 2 * bound[at] + bound[at + 2]
    key_groups = np.flatnonzero(group_new_key)
    last_groups = (np.r_[key_groups[1:], len(first)] - 1)[:len(key_groups)].astype(np.int64)  # each key's last
    return ([chr(k >> 21) + chr(k & 0x1FFFFF) for k in key[first[key_groups]].tolist()], values,
            np.r_[header_at[key_groups], len(values)], np.diff(np.r_[key_groups, len(first)]), group_doc[last_groups])


def _unigram_run(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, han: np.ndarray,
                 first_number: int) -> tuple:
    """The character postings of one run of measures (numbered from `first_number`), for `_Joined.add`."""
    at = np.flatnonzero(han)
    doc = np.searchsorted(starts, at, side="right") - 1
    p = at - starts[doc]
    field = (p >= ends[doc, 0]).astype(np.int64) + (p >= ends[doc, 1]) + (p >= ends[doc, 2])
    order = np.lexsort((field, doc, codes[at]))  # by character, then measure, then field
    ch, doc, field = codes[at][order], doc[order] + first_number, field[order]
    new_ch = _changes(ch)
    first = np.flatnonzero(new_ch | _changes(doc))  # per measure, the first field it is in
    ch, doc, field, new_ch = ch[first], doc[first], field[first], new_ch[first]
    values = (doc - np.where(new_ch, 0, _previous(doc))) * 4 + field
    char_starts = np.flatnonzero(new_ch)
    last = (np.r_[char_starts[1:], len(values)] - 1)[:len(char_starts)].astype(np.int64)  # each character's last
    return ([chr(code) for code in ch[char_starts].tolist()], values, np.r_[char_starts, len(values)],
            np.diff(np.r_[char_starts, len(values)]), doc[last])


class _Joined:
    """Bodies gathered run by run: {key: varint parts}, measures counted, and the last measure listed. A key's
    first value in a run was computed as if no measure came before (its gap is the measure's number, times
    `scale`); it is taken back by `scale` times the key's last measure in the runs before."""

    def __init__(self, scale: int) -> None:
        self.scale = scale
        self.parts: dict[str, list[bytes]] = defaultdict(list)
        self.ndocs: dict[str, int] = defaultdict(int)
        self.last: dict[str, int] = {}

    def add(self, keys: list[str], values: np.ndarray, cuts: np.ndarray, ndocs: np.ndarray, lasts: np.ndarray) -> None:
        """One run: key i's values are values[cuts[i]:cuts[i + 1]], for ndocs[i] measures, the last lasts[i]."""
        encoded, offsets = _varint_array(values)
        byte_cuts, heads = offsets[cuts].tolist(), values[cuts[:-1]].tolist()
        seconds = offsets[np.minimum(cuts[:-1] + 1, len(values))].tolist()
        for i, (key, n, last) in enumerate(zip(keys, ndocs.tolist(), lasts.tolist(), strict=True)):
            parts = self.parts[key]
            if key in self.last:
                head = bytearray()
                _varint(head, heads[i] - self.scale * self.last[key])
                parts += (bytes(head), encoded[seconds[i]:byte_cuts[i + 1]])
            else:
                parts.append(encoded[byte_cuts[i]:byte_cuts[i + 1]])
            self.ndocs[key] += n
            self.last[key] = last

    def bodies(self) -> dict[str, _Body]:
        return {key: _Body(b"".join(parts), self.ndocs[key]) for key, parts in self.parts.items()}


def _runs(lengths: list[int], limit: int) -> list[tuple[int, int]]:
    """Ranges [first, last) of consecutive texts of at most `limit` characters together (one text at least)."""
    runs, first, size = [], 0, 0
    for i, length in enumerate(lengths):
        if i > first and size + length > limit:
            runs.append((first, i))
            first, size = i, 0
        size += length + 1
    if first < len(lengths):
        runs.append((first, len(lengths)))
    return runs


def _codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of `texts`, each followed by a NUL (so no bigram spans two texts), as int64; and
    where each text starts in that array."""
    codes = np.frombuffer("".join(text + "\x00" for text in texts).encode("utf-32-le"), dtype=np.uint32)
    starts = np.zeros(len(texts), dtype=np.int64)
    starts[1:] = np.cumsum([len(text) + 1 for text in texts])[:-1]
    return codes.astype(np.int64), starts


def _changes(values: np.ndarray) -> np.ndarray:
    """True where an element differs from the one before it (and at the first)."""
    changed = np.ones(len(values), dtype=bool)
    changed[1:] = values[1:] != values[:-1]
    return changed


def _previous(values: np.ndarray) -> np.ndarray:
    """Each element's predecessor (0 for the first)."""
    shifted = np.zeros_like(values)
    shifted[1:] = values[:-1]
    return shifted


def _group_sums(flags: np.ndarray, first: np.ndarray) -> np.ndarray:
    """How many of `flags` are true in each group; the groups start at the indices `first` (sorted)."""
    return np.add.reduceat(flags.astype(np.int64), first) if len(first) else first


def _varint_array(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """`values` (non-negative) as consecutive varints, as `_varint` writes them, and the byte offset where
    each value starts (with the total length last)."""
    size = np.ones(len(values), dtype=np.int64)
    largest = int(values.max()) if len(values) else 0
    for shift in range(7, largest.bit_length(), 7):  # a value of n bits takes ceil(n / 7) bytes
        size += values >= (1 << shift)
    offsets = np.r_[0, np.cumsum(size)]
    out = np.empty(int(offsets[-1]), dtype=np.uint8)
    for k in range(int(size.max()) if len(size) else 0):
        has = size > k
        byte = (values[has] >> (7 * k)) & 0x7F
        out[offsets[:-1][has] + k] = byte | np.where(size[has] > k + 1, 0x80, 0)
    return out.tobytes(), offsets


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


class _Body(bytes):
    """A posting body that counts the measures it lists."""

    ndocs: int

    def __new__(cls, body: bytes, ndocs: int) -> _Body:
        made = super().__new__(cls, body)
        made.ndocs = ndocs
        return made
