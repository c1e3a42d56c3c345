"""Text rules of the search, shared by the index (searchindex.py) and, as data, the browser (search-engine.js).

One normalisation for the query and the searched text (`fold`), one character
for one character so that positions in the index stay valid:
- full-width ASCII to half-width, the ideographic space to a space;
- upper-case letters to lower case, Latin letters with tone marks or a
  diaeresis to the bare letter (yī → yi, ü → u);
- traditional characters to simplified ones, by OpenCC's own t2s data
  (`t2s_table`): the whole table is taken from the package at build time and
  reduced to the characters the catalogue needs, and that reduced table is
  shipped in the index, so the browser applies exactly the same mapping.

Everything that is not a letter or a digit (Unicode L* and N* categories) is a
separator: the index never stores a character pair that crosses one, and the
browser splits a query at them ("一网通办。", 「一网通办」, 水、电、气).

Words: jieba's segmentation (dictionary plus the catalogue's own vocabulary,
learnt with `know_words`) marks where words start and end, so the search can rank
a match that is a whole word above one that cuts across words (调解 in 协调解决).

Pinyin: pypinyin's readings, the one in context first (phrase readings), then
every other reading of each character.
"""

from __future__ import annotations

import functools
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any

from generator.crossref.readings import converter as pinyin_converter
from generator.site.lookups import Table, cache_folder

HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def is_word_char(ch: str) -> bool:
    """Letters and digits; everything else (punctuation, symbols, spaces, emoji) separates."""
    return unicodedata.category(ch)[0] in "LN"


# --- normalisation ------------------------------------------------------------------------


@functools.cache
def _opencc_t2s() -> dict[str, str]:
    """Every character OpenCC's t2s, tw2s and hk2s conversions change into one other character (kept between
    builds: `lookups`)."""
    return _lookups("tables").answer("t2s", _ask_opencc_t2s)


def _ask_opencc_t2s() -> dict[str, str]:
    import opencc

    chars = [chr(code) for lo, hi in HAN_RANGES for code in range(lo, hi + 1)]
    table: dict[str, str] = {}
    for name in ("t2s", "tw2s", "hk2s"):  # the first conversion that changes a character gives its target
        # one call per conversion: the characters one per line, so each converts alone, as in a call of its own
        converted = opencc.OpenCC(name).convert("\n".join(chars)).split("\n")
        if len(converted) != len(chars):
            raise RuntimeError(f"OpenCC {name} changed the number of lines: cannot pair characters")
        for ch, out in zip(chars, converted, strict=True):
            if len(out) == 1 and out != ch:
                table.setdefault(ch, out)
    return table


def t2s_table(chars: Iterable[str]) -> dict[str, str]:
    """OpenCC's traditional → simplified mapping, reduced to targets among `chars` (the catalogue's characters)."""
    wanted = set(chars)
    return {t: s for t, s in _opencc_t2s().items() if s in wanted}


def _fold_char(ch: str, table: dict[str, str]) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        ch = chr(code - 0xFEE0)
    elif code == 0x3000:
        return " "
    if "A" <= ch <= "Z":
        return ch.lower()
    if 0xC0 <= ord(ch) <= 0x24F:
        base = unicodedata.normalize("NFD", ch)[0]
        if base.isascii() and base.isalpha():
            return base.lower()
    return table.get(ch, ch)


class _Folding(dict):
    """str.translate's table for `fold`: each code point's folded character, computed on first use."""

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code), self.table)
        return folded


_folding: list[_Folding] = []  # the translation of the table last used


def fold(text: str, table: dict[str, str]) -> str:
    """The normalised text: same length as `text`, one character for one. Each distinct character is
    folded once per `table` (the translation of the last table used is kept)."""
    if not _folding or _folding[0].table is not table:
        _folding[:] = [_Folding(table)]
    return text.translate(_folding[0])


def normalize(text: str) -> str:
    """`fold` with OpenCC's whole table (for tests and benchmarks: the browser has the reduced one)."""
    return fold(text, _opencc_t2s())


def query_tokens(query: str) -> list[str]:
    """The terms of a query as search-engine.js reads them: folded, apostrophes inside pinyin dropped,
    split at every separator, tone numbers after pinyin syllables dropped."""
    text = re.sub(r"(?<=[a-z])['’‘](?=[a-z])", "", normalize(query))
    tokens = re.split(r"[^\w]+|_", text)
    return [re.sub(r"(?<=[a-z])[1-5]", "", t) if re.fullmatch(r"(?:[a-z]+[1-5])+[a-z]*", t) else t for t in tokens if t]


# --- words ---------------------------------------------------------------------------------


@functools.cache
def _jieba():  # noqa: ANN202 - jieba has no types
    """jieba's tokenizer with its default dictionary. jieba keeps the dictionary's prefix table in a marshal cache
    (`jieba.cache`, written by its first `initialize`), here in `jieba_folder()` instead of the temporary folder,
    but reads it with `marshal.load` on the open file, which takes 1.5 s of CPU here; read at once with
    `marshal.loads`, the same bytes take 0.3 s. Anything unexpected (no cache yet, another format) falls back to
    jieba's own `initialize`, which writes the cache (atomically: a temporary file renamed)."""
    import logging
    import marshal

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    folder = jieba_folder()
    tokenizer.tmp_dir = str(folder) if folder is not None else None  # None: jieba's default, the temporary folder
    cache = Path(tokenizer.tmp_dir or tempfile.gettempdir()) / "jieba.cache"  # jieba's name for the default's
    try:
        freq, total = marshal.loads(cache.read_bytes())
        if not (isinstance(freq, dict) and isinstance(total, int) and freq.get("中国")):
            raise ValueError("not jieba's prefix table")
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    except (OSError, ValueError, TypeError, EOFError):
        tokenizer.initialize()
    return tokenizer


def jieba_folder() -> Path | None:
    """Where jieba's prefix table is kept: `jieba-<jieba's version>/` in the project's cache folder
    (lookups.cache_home), which CI keeps between runs, as it does not keep the temporary folder; by version,
    because jieba reads a table of its default dictionary without checking which version wrote it. None when
    the folder cannot be made (jieba then uses the temporary folder)."""
    from importlib import metadata

    return cache_folder(f"jieba-{metadata.version('jieba')}")


_added: dict[str, None] = {}  # the words the segmenter learnt, in the order it learnt them (they weigh on each other)
_known: list[tuple[str, ...]] = [()]  # the words it is to know, in order: know_words' last call
_taught: list[tuple[str, ...] | None] = [None]  # the `_known` jieba was last brought to know (by `_tokenizer`)
_tables: dict[str, Table] = {}  # the kept answers in use, by kind (lookups): the words' are those of _known


def _lookups(kind: str) -> Table:
    """The answers kept between builds (`lookups`): "words" (cuts, for the words the segmenter is to know),
    "readings" (pypinyin's, per term), "tables" (OpenCC's t2s table, pypinyin's syllables)."""
    table = _tables.get(kind)
    if table is None:
        decode = {"words": _strings, "readings": lambda value: tuple(map(_strings, value))}.get(kind, _table)
        table = _tables[kind] = Table(kind, _known[0] if kind == "words" else (), decode)
    return table


def _strings(value: list[str]) -> tuple[str, ...]:
    """A kept list of strings as a tuple; TypeError for anything else (the table is then not used)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"not a list of strings: {value!r:.40}")
    return tuple(value)


def _table(value: dict[str, str] | list[str]) -> dict[str, str] | list[str]:
    """A kept table (t2s: {str: str}) or list of strings (syllables) as it is; TypeError for anything else."""
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return value
    return list(_strings(value))


def _kept(kind: str, question: str, ask: Callable[[str], Any], argument: str) -> Any:
    """The kept answer to `question`, else `ask(argument)`'s, kept: `_lookups(kind).answer` without making a
    function per question (most questions of a build are asked again and again: 25,000 cuts of 6,000 runs)."""
    table = _tables.get(kind) or _lookups(kind)
    found = table.found.get(question)
    return found if found is not None else table.answer(question, lambda: ask(argument))


def save_lookups() -> None:
    """Write what the lookups learnt in this process (a build calls it once its search index is made)."""
    for table in _tables.values():
        table.save()


def know_words(words: Iterable[str]) -> None:
    """Have the segmenter know jieba's dictionary and the catalogue's own vocabulary `words` (reforms, units,
    places, domains), learnt in their order, exactly as a new process would: each word learnt changes how the
    next is weighed, and the dictionary's total, which weighs every cut. Only Han words of two characters or
    more count. Nothing is loaded here: the cuts of these words are read from their lookups table, and jieba
    learns them (`_tokenizer`) only when a cut is not there."""
    wanted = tuple(dict.fromkeys(w for w in words if len(w) >= 2 and all(is_han(ch) for ch in w)))
    if wanted != _known[0]:
        if "words" in _tables:
            _tables.pop("words").save()
        _known[0] = wanted


def known_words() -> tuple[str, ...]:
    """The words the segmenter is to know (know_words' last call), in order."""
    return _known[0]


def _tokenizer():  # noqa: ANN202 - jieba has no types
    """jieba knowing exactly `known_words()`. Words learnt before (the previous rebuild under `serve`) are kept
    while they are the first of them, in order; otherwise (a unit renamed or gone) the segmenter starts again
    from jieba's dictionary."""
    wanted = _known[0]
    if _taught[0] is wanted:  # as after the last call (asked once per cut not kept: no word-by-word check)
        return _jieba()
    learnt = list(_added)
    if list(wanted[:len(learnt)]) != learnt:
        _jieba.cache_clear()
        _added.clear()
        learnt = []
    tokenizer = _jieba()
    for word in wanted[len(learnt):]:
        tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word, tune=False), 1000))
        _added[word] = None
    _taught[0] = wanted
    return tokenizer


def release() -> None:
    """Save the lookups' new answers, then let go of the segmenter (jieba's prefix table: about 60 MB), the
    words it learnt or was to learn and every kept cut and reading. A build makes its search index once and then
    renders the pages, which need none of it; at 50x that is 70 MB less at the build's peak. The next call
    starts as a new process would."""
    save_lookups()
    _jieba.cache_clear()
    _added.clear()
    _tables.clear()
    _known[0], _taught[0] = (), None


def _segment_run(run: str) -> tuple[str, ...]:
    return _kept("words", "c" + run, _ask_cut, run)  # c: a cut (one table holds both kinds)


def _ask_cut(run: str) -> tuple[str, ...]:
    return tuple(_tokenizer().cut(run, HMM=False))


def segment(text: str) -> list[str]:
    """Words of `text` (jieba on each run of Han characters; other characters one piece per run)."""
    pieces: list[str] = []
    at = 0
    for match in _HAN_RUN.finditer(text):
        if match.start() > at:
            pieces.append(text[at:match.start()])
        pieces.extend(_segment_run(match.group()))
        at = match.end()
    if at < len(text):
        pieces.append(text[at:])
    return pieces


def boundaries(text: str) -> set[int]:
    """Offsets in `text` where a word starts or ends (0 and len(text) included)."""
    return {0, *accumulate(map(len, segment(text)))}


def title_words(title: str) -> list[str]:
    """Words of a title a reader may type in pinyin: jieba's words and their parts (cut_for_search),
    and every run of two to four characters (so 通办 of 一网通办 is there too)."""
    found: list[str] = []
    for run in _HAN_RUN.findall(title):
        found += [w for w in _search_words(run) if len(w) >= 2]
        for size in (2, 3, 4):
            found += [run[i:i + size] for i in range(len(run) - size + 1)]
    return list(dict.fromkeys(found))


def _search_words(run: str) -> tuple[str, ...]:
    return _kept("words", "s" + run, _ask_search_cut, run)  # s: a cut for search


def _ask_search_cut(run: str) -> tuple[str, ...]:
    return tuple(_tokenizer().cut_for_search(run, HMM=False))


_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,6}")


def text_words(text: str) -> list[str]:
    """jieba's words of two to six characters in a text (the pinyin of any word of a measure)."""
    return [w for w in segment(text) if _HAN_WORD.fullmatch(w)]


# --- pinyin --------------------------------------------------------------------------------


@functools.cache
def _heteronyms(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    return tuple(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


def readings(term: str) -> list[list[str]]:
    """Per character of `term` that has a sound: its readings, the one in context first.

    Han characters read with pypinyin (phrase-aware: 银行 → yin hang, then xing, heng for 行), ü both
    as v and as u; ASCII letters and digits read as themselves; other characters are skipped.
    """
    return [list(options) for options in _readings(term)]


def _readings(term: str) -> tuple[tuple[str, ...], ...]:  # kept (lookups): asked again on every build
    return _kept("readings", term, _ask_readings, term)


def _ask_readings(term: str) -> tuple[tuple[str, ...], ...]:
    from pypinyin import Style

    in_context = pinyin_converter().lazy_pinyin(term, style=Style.NORMAL, errors=list)
    return tuple(options for ch, first in zip(term, in_context, strict=True) if (options := _options(ch, first)))


@functools.cache  # a character's options depend on it and its reading in context alone: a few thousand pairs
def _options(ch: str, first: str) -> tuple[str, ...]:
    """The readings of `ch` read as `first` in context: that one first, then its other readings, ü both as v and
    as u; an ASCII letter or digit as itself; () for a character without a sound."""
    if is_han(ch):
        options = dict.fromkeys([first, *_heteronyms(ch)])
        return tuple(dict.fromkeys(v for o in options for v in ((o, o.replace("v", "u")) if "v" in o else (o,))))
    if ch.isascii() and ch.isalnum():
        return (ch.lower(),)
    return ()


@functools.cache
def syllables() -> list[str]:
    """Every toneless pinyin syllable pypinyin knows (ü as v and as u), for splitting typed pinyin."""
    return _lookups("tables").answer("syllables", _ask_syllables)


def _ask_syllables() -> list[str]:
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    found = {to_normal(r) for r in {r for value in pinyin_dict.values() for r in value.split(",")}}
    found |= {s.replace("v", "u") for s in found}
    return sorted(s for s in found if s.isascii() and s.isalpha())


def vocab_keys(options: Sequence[Sequence[str]]) -> set[str]:
    """The shard keys of a term: first letter of a reading of syllable 1 + of syllable 2."""
    return {a[0] + b[0] for a in options[0] for b in options[1]}
